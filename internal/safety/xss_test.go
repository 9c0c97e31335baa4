package safety

import (
	"bytes"
	"encoding/json"
	"fmt"
	"lanmu/generator/build"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// TestVectorsInEveryField builds, for every vector, a site whose every
// editor-controlled field holds it (site title, unit, description and menu
// name; titles, summaries, tags and bodies of the home page, sections and
// one page of every kind; each kind's own fields; a standard's task ids and
// titles) and checks every file the build writes: no inline script and
// none from elsewhere, no event handler, no javascript:/vbscript:/data:/file: URL, no
// element that only raw HTML could have made, no unsafe CSS, no meta
// refresh but the alias pages'; the vector itself never appears unescaped
// in HTML or XML; and the titles arrive, as text, in the pages, the print
// pages, the feeds and status.json.
func TestVectorsInEveryField(t *testing.T) {
	if testing.Short() {
		t.Skip("builds one site per vector")
	}
	for _, v := range Vectors {
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			dir := writeSite(t, same(v.Text))
			if refusedForControlCharacters(t, dir, v.Text) {
				return
			}
			files := buildSite(t, dir)
			checkSite(t, v.Text, files)
		})
	}
}

// refusedForControlCharacters handles a vector holding a control
// character (a NUL inside "javascript:"): a title carrying one is refused
// when the site loads, with an error at the field, which is safer than any
// escaping. It reports whether the vector was such a one, failing the test
// when the site was not refused for it.
func refusedForControlCharacters(t *testing.T, dir, vector string) bool {
	t.Helper()
	if !strings.ContainsFunc(vector, func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }) {
		return false
	}
	_, err := build.Load(build.Options{Source: dir, Now: asOf})
	if err == nil || !strings.Contains(err.Error(), "title contains the control character") {
		t.Errorf("a title with a control character was not refused: %v", err)
	}
	return true
}

// TestTrustingTemplateShowsInTheChecks shows that checkSite notices a
// template that trusts an editor's text: a site layout that prints the
// title through safeHTML, as the README forbids, must be reported in the
// pages that use the layout, by the structural check for an event
// handler, and by the check for the vector written out unescaped for
// markup that is harmless in form but still the editor's.
func TestTrustingTemplateShowsInTheChecks(t *testing.T) {
	for v, want := range map[string]string{
		`"><img src=x onerror=alert(1)>`: `/news/n/index.html: <img> has the event handler onerror="alert(1)"`,
		`<b>粗体</b>`:                      "/news/n/index.html: the vector appears unescaped",
	} {
		dir := writeSite(t, same(v))
		layout := `{{ define "main" }}<h1>{{ safeHTML .Title }}</h1>{{ .Content }}{{ end }}`
		if err := os.MkdirAll(filepath.Join(dir, "layouts", "news"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "layouts", "news", "single.html"), []byte(layout), 0o644); err != nil {
			t.Fatal(err)
		}
		var got collector
		checkSite(&got, v, buildSite(t, dir))
		if !slices.Contains(got, want) {
			t.Errorf("%s: the checks do not report %q; they report %q", v, want, got)
		}
		for _, line := range got {
			if !strings.HasPrefix(line, "/news/n/index.html: ") {
				t.Errorf("%s: a report about another file: %s", v, line)
			}
		}
	}
}

// TestUnsafeHTMLShowsInTheChecks shows that the checks of
// TestVectorsInEveryField would notice markup getting through: with
// unsafeHTML = true, which a webmaster may choose for trusted editors,
// raw HTML and script links in bodies reach the pages, and each of these
// vectors must then be reported.
func TestUnsafeHTMLShowsInTheChecks(t *testing.T) {
	for _, v := range Vectors {
		switch v.Name {
		case "script", "img-onerror", "svg-onload", "iframe-js", "a-vbscript", "style-import", "meta-refresh-js",
			"math-mglyph", "md-link-js", "md-link-data", "md-image-js", "md-autolink-js", "md-reference-js", "md-heading-attrs":
		default:
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			f := same(v.Text)
			f[extraConfig] = "[build]\nunsafeHTML = true"
			files := buildSite(t, writeSite(t, f))
			found := 0
			for p, data := range files {
				if isHTML(p) {
					found += len(htmlProblems(data))
				}
			}
			if found == 0 {
				t.Error("with unsafeHTML = true the checks find nothing")
			}
		})
	}
}

// TestVectorsWithTheInkTheme runs the break-out vectors through the other
// built-in theme, whose page frame, header and footer are its own.
func TestVectorsWithTheInkTheme(t *testing.T) {
	for _, v := range Vectors {
		switch v.Name {
		case "script", "attr-break-img", "attr-event", "attr-event-single", "title-break", "style-break",
			"cdata-end", "js-line-separators", "template-go", "md-link-js", "md-heading-attrs", "multi-line":
		default:
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			f := same(v.Text)
			f[topConfig] = `theme = "ink"`
			files := buildSite(t, writeSite(t, f))
			if !bytes.Contains(files["/index.html"], []byte("/css/ink.css")) {
				t.Fatal("the home page is not ink's")
			}
			checkSite(t, v.Text, files)
		})
	}
}

// TestVectorsMinified runs the vectors that depend on escaping (attribute
// and element break-outs, entities, script and CDATA ends) through a build
// with minify = true: a minifier that unquotes attributes or decodes
// entities must not undo what the templates escaped.
func TestVectorsMinified(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site per vector")
	}
	for _, v := range Vectors {
		if !strings.HasPrefix(v.Name, "attr-") && !strings.HasPrefix(v.Name, "script") && !strings.HasPrefix(v.Name, "img-") &&
			!strings.HasSuffix(v.Name, "-break") && !strings.HasPrefix(v.Name, "md-") && !strings.Contains(v.Name, "entit") {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			t.Parallel()
			f := same(v.Text)
			f[extraConfig] = "[build]\nminify = true"
			dir := writeSite(t, f)
			if refusedForControlCharacters(t, dir, v.Text) {
				return
			}
			files := buildSite(t, dir)
			if bytes.Contains(files["/index.html"], []byte("\n<head>")) {
				t.Fatal("the home page is not minified")
			}
			checkSite(t, v.Text, files)
		})
	}
}

// htmlAssigned finds an assignment to innerHTML or outerHTML, minified
// or not; a comparison (==) is no assignment.
var htmlAssigned = regexp.MustCompile(`(?:inner|outer)HTML\s*\+?=[^=]`)

// titled are HTML files of the test site that show a field (holding the
// vector) as text, each with one such field.
var titled = []struct{ path, field string }{
	{"/index.html", "site.title"},
	{"/readings/r/index.html", "reading.title"},
	{"/readings/r2/index.html", "reading2.title"},
	{"/classes/c/index.html", "class.title"},
	{"/teachers/t/index.html", "teacher.title"},
	{"/cards/k/index.html", "card.title"},
	{"/standards/s/index.html", "standard.title"},
	{"/news/n/index.html", "news.title"},
	{"/old/news/index.html", "news.title"},
	{"/readings/index.html", "section.title"},
	{"/print/pocketbook/index.html", "reading.title"},
	{"/print/pocketbook/index.html", "site.unit"},
	{"/print/cards/index.html", "card.title"},
	{"/standards/index.html", "task.title"},
	{"/tags/index.html", "reading.tags"},
	{"/branches/index.html", "class.branch"},
	{"/teachers/index.html", "teacher.position"},
}

// reporter is where the checks report: a *testing.T, or a collector in
// the test that shows they can fail.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// collector keeps what checks report.
type collector []string

func (c *collector) Helper() {}

func (c *collector) Errorf(format string, args ...any) { *c = append(*c, fmt.Sprintf(format, args...)) }

// checkSite checks every file of a site built from same(text).
func checkSite(t reporter, text string, files map[string][]byte) {
	t.Helper()
	title := strings.TrimSpace(text)
	// html/template writes NUL as U+FFFD; the feeds drop what XML forbids.
	htmlTitle := strings.ReplaceAll(title, "\x00", "\uFFFD")
	xmlTitle := strings.TrimSpace(xmlClean(title))
	looksLikeMarkup := strings.Contains(text, "<")

	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	feeds := 0
	for _, p := range paths {
		data := files[p]
		switch path.Ext(p) {
		case ".html":
			for _, pr := range htmlProblems(data) {
				t.Errorf("%s: %s", p, pr)
			}
			if looksLikeMarkup && bytes.Contains(withoutAttributeValues(data), []byte(text)) {
				t.Errorf("%s: the vector appears unescaped", p)
			}
		case ".xml":
			if err := wellFormedXML(data); err != nil {
				t.Errorf("%s: not well-formed XML: %v", p, err)
				continue
			}
			if looksLikeMarkup && bytes.Contains(data, []byte(text)) {
				t.Errorf("%s: the vector appears unescaped", p)
			}
			switch path.Base(p) {
			case "sitemap.xml":
				for _, pr := range sitemapProblems(data) {
					t.Errorf("%s: %s", p, pr)
				}
			case "index.xml", "atom.xml":
				feeds++
				checkFeed(t, p, data, xmlTitle)
			}
		case ".json":
			if !json.Valid(data) {
				t.Errorf("%s: not valid JSON", p)
				continue
			}
			switch path.Base(p) {
			case "feed.json":
				feeds++
				checkJSONFeed(t, p, data, xmlTitle)
			case "status.json":
				checkStatus(t, p, data, title, text)
			}
		case ".js":
			// The JSON files hold editors' text as it is (the search
			// index, for one); the theme's scripts must put it in the page
			// as text, never through a sink that parses HTML or code.
			// Reading an element's HTML is no sink: the 公众号 copy's button
			// reads the copy's to put it on the clipboard.
			for _, sink := range []string{"insertAdjacentHTML", "document.write", "eval(", "Function(", "srcdoc"} {
				if bytes.Contains(data, []byte(sink)) {
					t.Errorf("%s: uses %s", p, sink)
				}
			}
			if m := htmlAssigned.Find(data); m != nil {
				t.Errorf("%s: sets HTML: %s", p, m)
			}
		}
	}
	if feeds != 12 {
		t.Errorf("found %d RSS, Atom and JSON feeds, want 12 (home, readings, classes and news)", feeds)
	}
	for _, tp := range titled {
		data, ok := files[tp.path]
		if !ok {
			t.Errorf("%s was not written", tp.path)
			continue
		}
		if !hasText(data, htmlTitle) {
			t.Errorf("%s: the %s is not in the page as text", tp.path, tp.field)
		}
	}
	if _, ok := files["/standards/status.json"]; !ok {
		t.Errorf("/standards/status.json was not written")
	}
}

// xmlClean drops what XML 1.0 forbids, as the feeds do.
func xmlClean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r', r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= utf8.MaxRune:
			return r
		}
		return -1
	}, s)
}

// spaced is s with each run of white space as one space, as feed readers
// show titles (and as a minifier writes them).
func spaced(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkFeed reads an RSS or Atom feed as a reader would: every item's
// title is the vector as text, and its HTML is as safe as a page's.
func checkFeed(t reporter, p string, data []byte, title string) {
	t.Helper()
	_, items, err := parseFeed(data, path.Base(p) == "index.xml")
	if err != nil {
		t.Errorf("%s: %v", p, err)
		return
	}
	if len(items) == 0 {
		t.Errorf("%s: no items", p)
	}
	for i, it := range items {
		if spaced(it.Title) != spaced(title) {
			t.Errorf("%s: item %d has the title %q, want %q", p, i, it.Title, title)
		}
		for _, h := range it.HTML {
			for _, pr := range fragmentProblems(h) {
				t.Errorf("%s: item %d: %s", p, i, pr)
			}
		}
	}
}

func checkJSONFeed(t reporter, p string, data []byte, title string) {
	t.Helper()
	var f jsonFeed
	if err := json.Unmarshal(data, &f); err != nil {
		t.Errorf("%s: %v", p, err)
		return
	}
	if len(f.Items) == 0 {
		t.Errorf("%s: no items", p)
	}
	for i, it := range f.Items {
		if spaced(it.Title) != spaced(title) {
			t.Errorf("%s: item %d has the title %q, want %q", p, i, it.Title, title)
		}
		for _, pr := range fragmentProblems(it.ContentHTML) {
			t.Errorf("%s: item %d: %s", p, i, pr)
		}
	}
}

// checkStatus checks that status.json carries the standard's title and its
// task's id and title as the strings they were written as.
func checkStatus(t reporter, p string, data []byte, title, text string) {
	t.Helper()
	var st struct {
		Standards []struct {
			Title string
			Tasks []struct{ ID, Title string }
		}
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Errorf("%s: %v", p, err)
		return
	}
	if len(st.Standards) != 1 || len(st.Standards[0].Tasks) != 2 {
		t.Errorf("%s: want one standard with two tasks, got %s", p, data)
		return
	}
	s := st.Standards[0]
	if s.Title != title || s.Tasks[0].ID != text || s.Tasks[0].Title != text || s.Tasks[1].Title != text {
		t.Errorf("%s: the standard's title and the task's id and title should each be %q, got %+v", p, text, s)
	}
}

// TestCheckerCatchesUnsafeHTML makes sure the checks above can fail: each
// snippet is something the site must never serve, and each must be
// reported.
func TestCheckerCatchesUnsafeHTML(t *testing.T) {
	for _, bad := range []string{
		`<script>alert(1)</script>`,
		`<script src="https://evil.example/xxjy/a.js"></script>`,
		`<script src="//evil.example/xxjy/a.js"></script>`,
		`<script src="/xxjy/readings/a.html"></script>`,
		`<script src="/xxjy/js/flipcard.js">alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href=" java&#x09;script:alert(1)">x</a>`,
		`<a href="JAVASCRIPT:alert(1)">x</a>`,
		`<a href="data:text/html,x">x</a>`,
		`<img srcset="a.png 1x, vbscript:x 2x">`,
		`<svg><a xlink:href="javascript:alert(1)">x</a></svg>`,
		`<iframe src="/xxjy/"></iframe>`,
		`<object data="x"></object>`,
		`<embed src="x">`,
		`<base href="/">`,
		`<math><mi>x</mi></math>`,
		`<p style="width: expression(alert(1))">x</p>`,
		`<style>@import "x.css";</style>`,
		`<style>p { background: url(x.png) }</style>`,
		"<style>p::before { content: \"a\nb\" }</style>",
		`<style>p::before { content: "a }</style>`,
		`<meta http-equiv="refresh" content="0; url=javascript:alert(1)">`,
		`<meta http-equiv="refresh" content="0; url=//evil.example/">`,
		`<meta http-equiv="Set-Cookie" content="a=b">`,
		`<link rel="import" href="/x.html">`,
		`<form action="https://evil.example/"><input></form>`,
		`<button formaction="javascript:alert(1)">x</button>`,
		`<xss>x</xss>`,
	} {
		if len(htmlProblems([]byte("<!DOCTYPE html><html><head></head><body>"+bad+"</body></html>"))) == 0 {
			t.Errorf("the HTML check passes %s", bad)
		}
		if len(fragmentProblems(bad)) == 0 {
			t.Errorf("the feed HTML check passes %s", bad)
		}
	}
	for _, good := range []string{
		`<script src="/xxjy/js/flipcard.js" defer></script>`,
		`<a href="/xxjy/readings/">x</a><a href="https://example.org/a">y</a><a href="mailto:a@example.org">z</a>`,
		`<img src="data:image/png;base64,iVBORw0KGgo=" alt="">`,
		`<meta http-equiv="refresh" content="0; url=/xxjy/news/n/">`,
		`<div style="left: 12.5mm; top: 3mm">x</div>`,
		`<style>@page r1 { @top-center { content: "\3cscript\3e url\28 x\29 expression"; } }</style>`,
		`<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>`,
		`<form action="/xxjy/search/" role="search"><input type="search" name="q"></form>`,
	} {
		if pr := htmlProblems([]byte("<!DOCTYPE html><html><head></head><body>" + good + "</body></html>")); len(pr) > 0 {
			t.Errorf("the HTML check rejects %s: %v", good, pr)
		}
	}
}

// TestEveryFieldReachesOutputAsText gives every field its own marker,
// written as markup ("<i>reading.source</i>"; a code span in bodies, where
// raw HTML is omitted anyway), builds the site, and checks that each
// marker reaches the output, and only ever as text: never as an <i>
// element of a page or a feed item. It logs which outputs each field
// reaches, so a field that a template stops showing is noticed.
func TestEveryFieldReachesOutputAsText(t *testing.T) {
	f := fields{}
	for _, name := range fieldNames {
		f[name] = "<i>" + name + "</i>"
		if strings.HasSuffix(name, ".body") {
			f[name] = "`<i>" + name + "</i>`"
		}
	}
	files := buildSite(t, writeSite(t, f))
	reached := map[string][]string{}
	for p, data := range files {
		var strs []string
		switch path.Ext(p) {
		case ".html":
			if bytes.Contains(data, []byte("<i>")) {
				t.Errorf("%s: an <i> from a field is markup, not text", p)
			}
			doc, err := html.Parse(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			for n := range doc.Descendants() {
				switch n.Type {
				case html.TextNode:
					strs = append(strs, n.Data)
				case html.ElementNode:
					for _, a := range n.Attr {
						strs = append(strs, a.Val)
					}
				}
			}
		case ".xml":
			if p == "/sitemap.xml" {
				continue
			}
			head, items, err := parseFeed(data, path.Base(p) == "index.xml")
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			strs = append(strs, head...)
			for _, it := range items {
				strs = append(strs, it.Title, it.Summary)
				strs = append(strs, it.Other...)
				for _, h := range it.HTML {
					if strings.Contains(h, "<i>") {
						t.Errorf("%s: an <i> from a field is markup in a feed item", p)
					}
					strs = append(strs, fragmentTexts(h)...)
				}
			}
		case ".json":
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			strs = jsonStrings(v, strs)
		}
		for _, name := range fieldNames {
			marker := "<i>" + name + "</i>"
			for _, s := range strs {
				if strings.Contains(s, marker) {
					reached[name] = append(reached[name], p)
					break
				}
			}
		}
	}
	for _, name := range fieldNames {
		outs := reached[name]
		sort.Strings(outs)
		if len(outs) == 0 && !unseen[name] {
			t.Errorf("%s reaches no output: the test site does not exercise it", name)
			continue
		}
		t.Logf("%-18s %3d outputs, e.g. %s", name, len(outs), strings.Join(outs[:min(3, len(outs))], " "))
	}
	// The fields that feeds, print pages and status.json carry, where a
	// reader or another program meets them outside the site's pages.
	for name, want := range map[string][]string{
		"reading.title":  {"/index.xml", "/readings/atom.xml", "/readings/feed.json", "/print/pocketbook/index.html"},
		"reading.tags":   {"/readings/atom.xml", "/readings/feed.json", "/index.xml"},
		"reading.author": {"/readings/atom.xml"},
		"news.title":     {"/news/index.xml", "/news/feed.json", "/old/news/index.html"},
		"class.title":    {"/classes/index.xml", "/classes/atom.xml"},
		"card.title":     {"/print/cards/index.html"},
		"card.body":      {"/print/cards/index.html"},
		"site.title":     {"/index.xml", "/feed.json", "/print/pocketbook/index.html"},
		"site.unit":      {"/print/pocketbook/index.html", "/atom.xml"},
		"task.title":     {"/standards/status.json", "/standards/index.html"},
		"task.id":        {"/standards/status.json"},
		"standard.title": {"/standards/status.json"},
	} {
		for _, p := range want {
			found := false
			for _, got := range reached[name] {
				found = found || got == p
			}
			if !found {
				t.Errorf("%s does not reach %s as text", name, p)
			}
		}
	}
}

// unseen are the fields the default theme does not show: the home page's
// own title (the site title stands in for it) and the card section's deck
// order. They are filled all the same, for the safety checks.
var unseen = map[string]bool{"home.title": true, "cards.decks": true}

// jsonStrings appends every string in a decoded JSON value to out.
func jsonStrings(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, e := range v {
			out = jsonStrings(e, out)
		}
	case map[string]any:
		for _, e := range v {
			out = jsonStrings(e, out)
		}
	}
	return out
}

// TestURLFieldsAreEscaped gives the fields that become URLs (slug, url,
// aliases, a bundle file's name, a menu entry's url) values that try to
// break out of an attribute or a meta refresh, or to be a script URL, and
// checks every page, feed and the sitemap.
func TestURLFieldsAreEscaped(t *testing.T) {
	f := same("安全文本")
	// A menu url with a script scheme does not get this far: lanmu.toml
	// refuses it at its line (generator/config's TestMenuURLMustBeAnAddress).
	f[extraConfig] = strings.Join([]string{
		"[[menu.main]]", `name = "引号"`, `url = "/news/\"><script>alert(1)</script>"`,
	}, "\n")
	dir := writeSite(t, f)
	extra := map[string]string{
		"content/news/slug.md": "---\ntitle: 别名\ndate: 2016-06-06\nslug: '\"><img src=x onerror=alert(1)>'\n---\n正文\n",
		"content/news/url.md":  "---\ntitle: 地址\ndate: 2016-06-07\nurl: '/a\" onmouseover=\"alert(1)/<svg onload=alert(1)>/'\n---\n正文\n",
		"content/news/refresh.md": "---\ntitle: 跳转\ndate: 2016-06-08\nurl: \"/b;url=javascript:alert(1)/\"\n" +
			"aliases: ['/old/\"><script>alert(1)</script>/', \"/old/';url=javascript:alert(1)/\"]\n---\n正文\n",
		"content/teachers/t/index.md":                                        "---\ntitle: 教师\nphoto: \"x' onerror='alert(1)\\\"<svg onload=alert(1)>.png\"\n---\n简介\n",
		"content/teachers/t/x' onerror='alert(1)\"<svg onload=alert(1)>.png": tinyPNG(t),
	}
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := buildSite(t, dir)
	// A slug keeps only letters and digits; url: and aliases keep the rest.
	for _, p := range []string{"/news/img-src-x-onerror-alert-1/index.html", `/a" onmouseover="alert(1)/<svg onload=alert(1)>/index.html`,
		"/b;url=javascript:alert(1)/index.html", `/old/"><script>alert(1)</script>/index.html`} {
		if _, ok := files[p]; !ok {
			t.Errorf("%s was not written", p)
		}
	}
	for p, data := range files {
		switch path.Ext(p) {
		case ".html":
			for _, pr := range htmlProblems(data) {
				t.Errorf("%s: %s", p, pr)
			}
			for _, raw := range []string{"<script>alert", "<img src=x", "<svg onload", `" onmouseover`, "' onerror"} {
				if bytes.Contains(data, []byte(raw)) {
					t.Errorf("%s: %q appears unescaped", p, raw)
				}
			}
		case ".xml":
			if err := wellFormedXML(data); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			if p == "/sitemap.xml" {
				for _, pr := range sitemapProblems(data) {
					t.Errorf("%s: %s", p, pr)
				}
			}
		}
	}
	// The alias pages redirect to the page's own path, percent-escaped, and
	// nowhere else.
	for alias, want := range map[string]string{
		`/old/"><script>alert(1)</script>/index.html`: "0; url=/xxjy/b;url=javascript:alert%281%29/",
		"/old/';url=javascript:alert(1)/index.html":   "0; url=/xxjy/b;url=javascript:alert%281%29/",
	} {
		doc, err := html.Parse(bytes.NewReader(files[alias]))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for n := range doc.Descendants() {
			if v, ok := attr(n, "http-equiv"); ok && v == "refresh" {
				got, _ = attr(n, "content")
			}
		}
		if got != want {
			t.Errorf("%s refreshes to %q, want %q", alias, got, want)
		}
	}
}

// TestVectorsAreDistinct keeps the list usable as test names: every vector
// has a unique name and a different text.
func TestVectorsAreDistinct(t *testing.T) {
	names, texts := map[string]bool{}, map[string]string{}
	for _, v := range Vectors {
		if v.Name == "" || strings.TrimSpace(v.Text) == "" {
			t.Errorf("vector %q has no name or no text", v.Name)
		}
		if names[v.Name] {
			t.Errorf("two vectors are named %q", v.Name)
		}
		if other, dup := texts[v.Text]; dup {
			t.Errorf("vectors %q and %q are the same text", other, v.Name)
		}
		names[v.Name], texts[v.Text] = true, v.Name
	}
	if len(Vectors) < 80 {
		t.Errorf("only %d vectors", len(Vectors))
	}
}

// TestExampleColumnPassesTheChecks runs the page, feed and sitemap checks
// over the example column at the repository root: real articles with
// tables, footnotes, images and code, so the checks are known not to
// reject what lanmu rightly writes.
func TestExampleColumnPassesTheChecks(t *testing.T) {
	files := buildSite(t, "../..")
	pages := 0
	for p, data := range files {
		switch path.Ext(p) {
		case ".html":
			pages++
			for _, pr := range htmlProblems(data) {
				t.Errorf("%s: %s", p, pr)
			}
		case ".xml":
			if p == "/sitemap.xml" {
				for _, pr := range sitemapProblems(data) {
					t.Errorf("%s: %s", p, pr)
				}
				continue
			}
			_, items, err := parseFeed(data, path.Base(p) == "index.xml")
			if err != nil {
				t.Errorf("%s: %v", p, err)
			}
			for _, it := range items {
				for _, h := range it.HTML {
					for _, pr := range fragmentProblems(h) {
						t.Errorf("%s: %q: %s", p, it.Title, pr)
					}
				}
			}
		}
	}
	if pages < 50 {
		t.Errorf("only %d pages checked", pages)
	}
}
