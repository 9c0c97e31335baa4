package safety

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"lanmu/generator/build"
	"lanmu/generator/output"
	"lanmu/internal/testsite"
)

// fields are what one test site fills in: every string an editor or
// webmaster controls, by name. A test site puts the same text in all of
// them, or a different marker in each.
type fields map[string]string

// fieldNames lists every field the test sites fill, in the order the
// coverage report prints them.
var fieldNames = []string{
	"site.title", "site.unit", "site.description", "site.menu",
	"home.title", "home.body",
	"section.title", "section.summary", "section.body", "cards.decks",
	"reading.title", "reading.summary", "reading.tags", "reading.source", "reading.author", "reading.body",
	"reading2.title", "reading2.body",
	"class.title", "class.branch", "class.duration", "class.place", "class.tags", "class.body",
	"teacher.title", "teacher.position", "teacher.unit", "teacher.topics", "teacher.body",
	"card.title", "card.deck", "card.body",
	"standard.title", "standard.summary", "standard.body", "task.id", "task.title", "task2.title",
	"news.title", "news.tags", "news.body",
}

// topConfig and extraConfig, when set, are added at the start and at the
// end of lanmu.toml.
const (
	topConfig   = "+lanmu.toml"
	extraConfig = "lanmu.toml+"
)

// same fills every field with text.
func same(text string) fields {
	f := fields{}
	for _, name := range fieldNames {
		f[name] = text
	}
	return f
}

// asOf is the day every test site is built on and judges its standards at.
var asOf = time.Date(2016, 7, 15, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

// writeSite writes a site with one page of every kind, its sections and
// home page, a teacher bundle with a photo and a page with an alias, all
// with the default theme and default configuration apart from the fields.
func writeSite(t *testing.T, f fields) string {
	t.Helper()
	q := tomlString
	list := func(s string) string { return "[" + q(s) + "]" }
	page := func(front []string, body string) string {
		return "+++\n" + strings.Join(front, "\n") + "\n+++\n\n" + markdown(body)
	}
	section := func(kind string, extra ...string) string {
		return page(append([]string{"title = " + q(f["section.title"]), "summary = " + q(f["section.summary"])}, extra...), f["section.body"])
	}
	files := map[string]string{
		"lanmu.toml": strings.Join([]string{
			f[topConfig],
			"title = " + q(f["site.title"]),
			`baseURL = "https://www.example.gov.cn/xxjy/"`,
			`language = "zh-CN"`,
			`timezone = "Asia/Shanghai"`,
			"unit = " + q(f["site.unit"]),
			"description = " + q(f["site.description"]),
			"[standards]",
			`asOf = "2016-07-15"`,
			"[[menu.main]]",
			"name = " + q(f["site.menu"]),
			`url = "/readings/"`,
			f[extraConfig],
		}, "\n") + "\n",
		"content/_index.md":           page([]string{"title = " + q(f["home.title"])}, f["home.body"]),
		"content/readings/_index.md":  section("reading"),
		"content/classes/_index.md":   section("class"),
		"content/teachers/_index.md":  section("teacher"),
		"content/cards/_index.md":     section("card", "decks = "+list(f["cards.decks"])),
		"content/standards/_index.md": section("standard"),
		"content/news/_index.md":      section("news"),
		"content/readings/r.md": page([]string{
			"title = " + q(f["reading.title"]), "date = 2016-06-01", "summary = " + q(f["reading.summary"]),
			"tags = " + list(f["reading.tags"]), "source = " + q(f["reading.source"]), "author = " + q(f["reading.author"]),
			"order = 1",
		}, f["reading.body"]),
		// No summary: the automatic summary, taken from the body, is used.
		"content/readings/r2.md": page([]string{"title = " + q(f["reading2.title"]), "date = 2016-06-02", "order = 2"}, f["reading2.body"]),
		"content/classes/c.md": page([]string{
			"title = " + q(f["class.title"]), "date = 2016-06-03", `speaker = "t"`, "branch = " + q(f["class.branch"]),
			`form = "leader"`, "duration = " + q(f["class.duration"]), "place = " + q(f["class.place"]),
			"tags = " + list(f["class.tags"]),
		}, f["class.body"]),
		"content/teachers/t/index.md": page([]string{
			"title = " + q(f["teacher.title"]), "date = 2016-05-01", "position = " + q(f["teacher.position"]),
			"unit = " + q(f["teacher.unit"]), `level = "county"`, "topics = " + list(f["teacher.topics"]), `photo = "photo.png"`,
		}, f["teacher.body"]),
		"content/teachers/t/photo.png": tinyPNG(t),
		"content/cards/k.md": page([]string{
			"title = " + q(f["card.title"]), "deck = " + q(f["card.deck"]), "order = 1",
		}, f["card.body"]),
		"content/standards/s.md": page([]string{
			"title = " + q(f["standard.title"]), "number = 1", "summary = " + q(f["standard.summary"]), "date = 2016-06-04",
			"[[tasks]]", "id = " + q(f["task.id"]), "title = " + q(f["task.title"]), "due = 2016-07-20",
			"evidence = { section = \"news\", tags = " + list(f["news.tags"]) + " }",
			"[[tasks]]", `id = "second"`, "title = " + q(f["task2.title"]), `every = "quarter"`, "from = 2016-04-01", "to = 2016-12-31",
			"evidence = { section = \"classes\", tags = " + list(f["class.tags"]) + ", per = \"branch\" }",
		}, f["standard.body"]),
		"content/news/n.md": page([]string{
			"title = " + q(f["news.title"]), "date = 2016-06-05", "tags = " + list(f["news.tags"]), `aliases = ["/old/news/"]`,
		}, f["news.body"]),
	}
	return testsite.Write(t, files)
}

// markdown places text in the Markdown contexts a page body has: a
// paragraph (which the automatic summary is taken from), headings (three,
// so that the table of contents and a class's outline show them), a list
// item, a quote, table cells, a footnote and a definition.
func markdown(text string) string {
	// A page file may not hold NUL; the character reference is how an
	// editor would write one, and CommonMark turns it into U+FFFD.
	text = strings.ReplaceAll(text, "\x00", "&#0;")
	return strings.Join([]string{
		text,
		"## " + text,
		"### " + text,
		"## 二 " + text,
		"- " + text,
		"> " + text,
		"| " + text + " | b |\n|---|---|\n| " + text + " | d |",
		"正文[^n]",
		"[^n]: " + text,
		"术语\n: " + text,
	}, "\n\n") + "\n"
}

// tomlString quotes s as a TOML basic string. Go's %q is not TOML: TOML
// has no \x escape.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tinyPNG is a valid 2×2 PNG, for the teacher's photo.
func tinyPNG(t *testing.T) string {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// buildSite builds the site in dir with the default options, as lanmu
// build does, into memory, and returns every file by site path.
func buildSite(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	site, err := build.Load(build.Options{Source: dir, Now: asOf})
	if err != nil {
		t.Fatalf("loading the site: %v", err)
	}
	mem := output.NewMemory()
	if _, err := site.Render(mem); err != nil {
		t.Fatalf("rendering the site: %v", err)
	}
	return mem.Files()
}
