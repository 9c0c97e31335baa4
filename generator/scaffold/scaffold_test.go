package scaffold

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"lanmu/generator/config"
	"lanmu/generator/keyval"
	"lanmu/internal/testsite"
)

const testConfig = "title = \"测试专栏\"\ntimezone = \"Asia/Shanghai\"\n"

// now is a fixed moment: 1 July 2016, 00:30 in Shanghai, still 30 June in
// UTC, so that a date taken in the wrong zone shows.
var now = time.Date(2016, 6, 30, 16, 30, 0, 0, time.UTC)

func TestNewPageYAMLValuesReadBackAsTheString(t *testing.T) {
	titles := []string{
		"学习党章", "《党章》学习体会", "学习：体会", "Study notes", "yes", "No", "null", "~",
		"2016年工作总结", "95", "a: b", "a #b", "#标签", "- 列表", "[方括号]", "{花括号}",
		"*星号", "&锚", "!感叹", "|竖线", ">大于", "'单引号'", `"双引号"`, "%百分", "@at", "`反引号`",
		`反斜杠\n`, "含\t制表符", "两行\n标题", "ends with colon:", "true", "2016-06-16",
	}
	for _, title := range titles {
		for name, fn := range map[string]func(string) string{"yaml": yamlValue, "quote": keyval.Quote} {
			doc, err := keyval.ParseYAML([]byte("title: " + fn(title) + "\n"))
			if err != nil {
				t.Errorf("%s(%q) = %s: not YAML: %v", name, title, fn(title), err)
				continue
			}
			if got, ok := doc.Values["title"].(string); !ok || got != title {
				t.Errorf("%s(%q) = %s reads back as %#v", name, title, fn(title), doc.Values["title"])
			}
		}
	}
	for _, plain := range []string{"学习党章", "《党章》学习体会", "学习：体会", "Study notes"} {
		if got := yamlValue(plain); got != plain {
			t.Errorf("yaml(%q) = %s, want it unquoted: editors read front matter", plain, got)
		}
	}
}

func TestNewPageQuoteIsTOML(t *testing.T) {
	for _, title := range []string{"学习党章", `"引号"`, `反斜杠\`, "两行\n标题", "含\t制表符", "铃\a声"} {
		doc, err := keyval.ParseTOML([]byte("title = " + keyval.Quote(title) + "\n"))
		if err != nil {
			t.Errorf("keyval.Quote(%q) = %s: not TOML: %v", title, keyval.Quote(title), err)
			continue
		}
		if got := doc.Values["title"]; got != title {
			t.Errorf("keyval.Quote(%q) = %s reads back as %#v", title, keyval.Quote(title), got)
		}
	}
}

func TestNewPageSlugIsShortEnoughForAFileName(t *testing.T) {
	title := strings.Repeat("学习", 29) + " 党章" // the cut falls right after the dash
	slug := slugOf(title)
	if n := utf8.RuneCountInString(slug); n > maxSlugRunes {
		t.Errorf("slug has %d characters, want at most %d", n, maxSlugRunes)
	}
	if len(slug)+len(".md") > 255 {
		t.Errorf("file name %q is %d bytes: too long for common file systems", slug, len(slug)+3)
	}
	if strings.HasSuffix(slug, "-") {
		t.Errorf("slug %q ends with a dash", slug)
	}
	if got := slugOf("Study the Constitution: 第一讲"); got != "study-the-constitution-第一讲" {
		t.Errorf("slugOf = %q", got)
	}
}

func TestNewPageDateIsInTheSiteZone(t *testing.T) {
	dir := testsite.Write(t, map[string]string{"lanmu.toml": testConfig})
	written, err := NewPage(dir, "news", "通知", now)
	if err != nil {
		t.Fatal(err)
	}
	text := read(t, written)
	if !strings.Contains(text, "\ndate: 2016-07-01T00:30:00+08:00\n") {
		t.Errorf("the date is not now in Asia/Shanghai:\n%s", text)
	}
	if !strings.Contains(text, "\ndraft: true") {
		t.Errorf("the page is not a draft:\n%s", text)
	}
}

func TestNewPageStandardTakesTheNextNumberDraftsIncluded(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"lanmu.toml":             testConfig,
		"content/standards/a.md": "---\nnumber: 1\ntitle: 甲\ntasks: []\n---\n",
		"content/standards/b.md": "---\nnumber: 3\ntitle: 乙\ndraft: true\n---\n",
		"content/standards/c.md": "---\nnumber: 2\ntitle: 丙\n---\n",
	})
	written, err := NewPage(dir, "standard", "丁", now)
	if err != nil {
		t.Fatal(err)
	}
	if text := read(t, written); !strings.HasPrefix(text, "---\nnumber: 4\n") {
		t.Errorf("want number 4, after the draft's 3:\n%s", text)
	}
}

func TestNewPageKnowsTheSiteTeachersAndDecks(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"lanmu.toml":                      testConfig,
		"content/teachers/wang-fang.md":   "---\ntitle: 王芳\n---\n",
		"content/teachers/li-si/index.md": "---\ntitle: 李四\n---\n",
		"content/teachers/zhao-liu.md":    "---\ntitle: 赵六\ndraft: true\n---\n",
		"content/cards/_index.md":         "---\ntitle: 卡片\ndecks: [时间节点, 基本标准]\n---\n",
	})
	class, err := NewPage(dir, "class", "党课", now)
	if err != nil {
		t.Fatal(err)
	}
	text := read(t, class)
	if !strings.Contains(text, "本站的教师有：li-si、wang-fang。") {
		t.Errorf("the class does not name the site's published teachers:\n%s", text)
	}
	if !strings.Contains(text, "\nspeaker: []\n") {
		t.Errorf("the class's speaker is not left empty for the editor:\n%s", text)
	}
	card, err := NewPage(dir, "card", "问题", now)
	if err != nil {
		t.Fatal(err)
	}
	if text := read(t, card); !strings.Contains(text, "\ndeck: 时间节点 ") || !strings.Contains(text, "时间节点、基本标准") {
		t.Errorf("the card does not start in the first deck and list the decks:\n%s", text)
	}
}

func TestNewPageInASiteWithErrors(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"lanmu.toml":                testConfig,
		"content/classes/broken.md": "---\ntitle: 坏\nspeaker: nobody\n---\n",
	})
	// An editor halfway through (a class naming a teacher not yet written)
	// can still start the teacher's page.
	if _, err := NewPage(dir, "teacher", "无名氏", now); err != nil {
		t.Errorf("a teacher could not be made while another page is broken: %v", err)
	}
	_, err := NewPage(dir, "standard", "标准", now)
	if err == nil || !strings.Contains(err.Error(), "content/classes/broken.md:3:1: speaker \"nobody\"") || !strings.Contains(err.Error(), "cannot choose a number") {
		t.Errorf("a standard must not guess its number in a broken site; got %v", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "content/standards/标准.md")); statErr == nil {
		t.Error("the standard was written anyway")
	}
}

func TestNewPageArchetypeLookup(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"lanmu.toml":            testConfig,
		"archetypes/default.md": "---\ntitle: {{ yaml .Title }}\n---\ndefault {{ .Kind }} {{ .Section }} {{ .Slug }} {{ .Today }} {{ .Year }}\n",
		"archetypes/news.md":    "---\ntitle: {{ quote .Title }}\n---\nnews archetype\n",
	})
	for kind, want := range map[string]string{
		"news":    "news archetype\n",
		"reading": "default reading readings 甲-乙 2016-07-01 2016\n",
		"card":    "default card cards 甲-乙 2016-07-01 2016\n",
	} {
		written, err := NewPage(dir, kind, "甲 乙", now)
		if err != nil {
			t.Fatal(err)
		}
		if text := read(t, written); !strings.HasSuffix(text, "---\n"+want) {
			t.Errorf("%s: got\n%s\nwant it to end with %q", kind, text, want)
		}
	}
}

func TestNewPageArchetypeErrorsArePositioned(t *testing.T) {
	tests := []struct{ archetype, want string }{
		// Columns count characters: 标题 is two, not six bytes.
		{"---\n标题: {{ .Nope }}\n---\n", "archetypes/reading.md:2:8: <.Nope>: can't evaluate field Nope"},
		{"---\ntitle: {{ .Title }} {{ nope . }}\n---\n", "archetypes/reading.md:2:21: function \"nope\" not defined"},
		{"---\n{{ if .Title }}x{{ end }} {{ .Title }\n", "archetypes/reading.md:2:27: unexpected \"}\" in operand"},
		{"---\ntitle: {{ if .Title }}{{ .Title }}\n---\n", "archetypes/reading.md:4:1: unexpected EOF: an {{if}}"},
		{"---\n\n{{ index .Decks 3 }}\n", "archetypes/reading.md:3:4: <index .Decks 3>: error calling index"},
	}
	for _, tt := range tests {
		dir := testsite.Write(t, map[string]string{"lanmu.toml": testConfig, "archetypes/reading.md": tt.archetype})
		_, err := NewPage(dir, "reading", "题目", now)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("archetype %q: got %v, want %s…", tt.archetype, err, tt.want)
		}
		if _, statErr := os.Stat(filepath.Join(dir, "content/readings/题目.md")); statErr == nil {
			t.Errorf("archetype %q: the page was written despite the error", tt.archetype)
		}
	}
}

func TestNewPageArgumentErrors(t *testing.T) {
	dir := testsite.Write(t, map[string]string{"lanmu.toml": testConfig})
	for _, args := range [][2]string{{"poem", "诗"}, {"reading", "  "}, {"reading", "！？"}} {
		_, err := NewPage(dir, args[0], args[1], now)
		var argErr *ArgError
		if !errors.As(err, &argErr) {
			t.Errorf("NewPage(%q, %q) = %v, want an ArgError", args[0], args[1], err)
		}
	}
}

func TestNewSiteRefusesAFileAndKeepsAnEmptyFolder(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := NewSite(file, now); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("NewSite on a file: %v", err)
	}
	empty := filepath.Join(parent, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := NewSite(empty, now); err != nil {
		t.Fatal(err)
	}
	text := read(t, filepath.Join(empty, "content/standards/01-xuexi-jiaoyu.md"))
	for _, want := range []string{"\ndate: 2016-07-01\n", "\n    due: 2016-12-31\n", "\n    from: 2016-07-01\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the starter standard lacks %q (dates of 1 July 2016 in Shanghai):\n%s", want, text)
		}
	}
	if info, err := os.Stat(filepath.Join(empty, "static")); err != nil || !info.IsDir() {
		t.Errorf("no static/ folder: %v", err)
	}
}

func read(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A new site's lanmu.toml carries [government] and [inspect] commented
// out: with the # taken off each line, the blocks are read as written.
func TestNewSiteGovernmentBlockWorksUncommented(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := NewSite(dir, now); err != nil {
		t.Fatal(err)
	}
	text := read(t, filepath.Join(dir, "lanmu.toml"))
	var lines []string
	inBlock := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case line == "# [government]" || line == "# [inspect]":
			inBlock = true
		case !strings.HasPrefix(line, "# "):
			inBlock = false
		}
		if inBlock {
			line = strings.TrimPrefix(line, "# ")
		}
		lines = append(lines, line)
	}
	c, err := config.Parse([]byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatalf("the uncommented blocks do not parse: %v", err)
	}
	if g := c.Government; !g.Enabled() || g.SiteIDCode != "0000000000" || g.PoliceRecord == "" || c.Inspect.NoticeDays != 180 {
		t.Errorf("uncommented, the blocks read as %+v %+v", g, c.Inspect)
	}
}
