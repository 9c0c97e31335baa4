package build

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"lanmu/generator/diag"
	"lanmu/internal/testsite"
)

func TestSessionRendersOnlyWhatAChangeTouches(t *testing.T) {
	site := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	write := func(rel, text string) {
		t.Helper()
		full := filepath.Join(site, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("static/css/extra.css", "body { color: black; }")
	s := NewSession(Options{Source: site})
	first, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	total := first.Rendered
	if total < 100 || first.Converted < 80 || len(first.Changed) != len(first.Files) {
		t.Fatalf("first build: rendered %d, converted %d, changed %d of %d", total, first.Converted, len(first.Changed), len(first.Files))
	}

	// Nothing changed: nothing converted or rendered again.
	same, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if same.Converted != 0 || same.Rendered != 0 || len(same.Changed) != 0 {
		t.Errorf("an unchanged site: converted %d, rendered %d, changed %v", same.Converted, same.Rendered, same.Changed)
	}

	// One news item's text: that page, its neighbours and the lists and
	// feeds that show it — not the rest of the site.
	news := filepath.Join(site, "content/news/zhuti-dangri.md")
	src, _ := os.ReadFile(news)
	os.WriteFile(news, append(src, []byte("\n会后，各支部还交流了活动经验。\n")...), 0o644)
	edit, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if edit.Converted != 1 {
		t.Errorf("a one-page edit converted %d pages", edit.Converted)
	}
	if edit.Rendered == 0 || edit.Rendered > 12 {
		t.Errorf("a one-page edit rendered %d of %d outputs", edit.Rendered, total)
	}
	// The list shows the page's summary, which its front matter fixes: its
	// bytes stay; the feeds carry the full text and change.
	for _, want := range []string{"/news/zhuti-dangri/index.html", "/news/index.xml", "/index.xml"} {
		if !slices.Contains(edit.Changed, want) {
			t.Errorf("%s did not change after its page's edit: %v", want, edit.Changed)
		}
	}
	if !strings.Contains(string(edit.Files["/news/zhuti-dangri/index.html"]), "会后，各支部还交流了活动经验。") {
		t.Errorf("the page does not show the edit")
	}
	for _, p := range edit.Changed {
		if strings.HasPrefix(p, "/readings/") || strings.HasPrefix(p, "/cards/") {
			t.Errorf("%s changed after a news edit", p)
		}
	}

	// A stylesheet: only it changes, and no template renders.
	write("static/css/extra.css", "body { color: navy; }")
	css, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if css.Rendered != 0 || !slices.Equal(css.Changed, []string{"/css/extra.css"}) {
		t.Errorf("a CSS edit rendered %d and changed %v", css.Rendered, css.Changed)
	}

	// The same through the static fast path: nothing but static files is
	// read, a deleted file goes away, and pages stay as they were.
	write("static/css/extra.css", "body { color: teal; }")
	fast, err := s.BuildStatic()
	if err != nil {
		t.Fatal(err)
	}
	if fast.Rendered != 0 || !slices.Equal(fast.Changed, []string{"/css/extra.css"}) || string(fast.Files["/css/extra.css"]) != "body { color: teal; }" {
		t.Errorf("BuildStatic: rendered %d, changed %v", fast.Rendered, fast.Changed)
	}
	os.Remove(filepath.Join(site, "static/css/extra.css"))
	gone, err := s.BuildStatic()
	if err != nil {
		t.Fatal(err)
	}
	if _, still := gone.Files["/css/extra.css"]; still || len(gone.Files) != len(fast.Files)-1 {
		t.Errorf("a deleted static file is still served, or pages were lost: %d files", len(gone.Files))
	}
	write("static/css/extra.css", "body { color: navy; }")
	if _, err := s.BuildStatic(); err != nil {
		t.Fatal(err)
	}

	// A template: everything renders again.
	write("layouts/partials/footer.html", `<footer class="site-footer"><p>新的页脚</p></footer>`)
	tmpl, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if tmpl.Rendered != total || !strings.Contains(string(tmpl.Files["/readings/学习党章/index.html"]), "新的页脚") {
		t.Errorf("a template edit rendered %d of %d", tmpl.Rendered, total)
	}

	// A broken page: an error, and the last good site stays.
	write("content/news/broken.md", "---\ntitle: [\n---\n")
	if _, err := s.Build(); err == nil {
		t.Fatal("a broken page built")
	}
	if s.Last() != tmpl {
		t.Errorf("a failed build replaced the last good site")
	}
	os.Remove(filepath.Join(site, "content/news/broken.md"))
	fixed, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(fixed.Changed) != 0 {
		t.Errorf("fixing the page changed %v", fixed.Changed)
	}
}

func TestPagerLinksAreAWindow(t *testing.T) {
	urls := make([]string, 1000)
	for i := range urls {
		urls[i] = "/news/page/" + strconv.Itoa(i+1) + "/"
	}
	show := func(n, total int) string {
		p := &Pager{Number: n, TotalPages: total, URLs: urls[:total]}
		var parts []string
		for _, l := range p.Links() {
			switch {
			case l.Gap:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, "["+strconv.Itoa(l.Number)+"]")
			default:
				parts = append(parts, strconv.Itoa(l.Number))
			}
		}
		return strings.Join(parts, " ")
	}
	for _, c := range []struct {
		n, total int
		want     string
	}{
		{1, 1, "[1]"},
		{1, 5, "[1] 2 3 4 5"},
		{500, 1000, "1 … 498 499 [500] 501 502 … 1000"},
		{1, 1000, "[1] 2 3 … 1000"},
		{1000, 1000, "1 … 998 999 [1000]"},
		{4, 8, "1 2 3 [4] 5 6 7 8"},
		{5, 10, "1 2 3 4 [5] 6 7 … 10"},
	} {
		if got := show(c.n, c.total); got != c.want {
			t.Errorf("page %d of %d: %q, want %q", c.n, c.total, got, c.want)
		}
	}
}

// TestSessionMinifiesAsBuildDoes checks the live preview against a fresh
// build of a site that asks for minified output: every file the session
// holds is byte for byte the file lanmu build writes, after the first
// build and after an edit.
func TestSessionMinifiesAsBuildDoes(t *testing.T) {
	site := testsite.CopyExample(t, exampleSite, func(c string) string {
		return strings.Replace(c, "minify = false", "minify = true", 1)
	})
	s := NewSession(Options{Source: site})
	compare := func(when string) {
		t.Helper()
		res, err := s.Build()
		if err != nil {
			t.Fatal(err)
		}
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
			t.Fatal(err)
		}
		for p, data := range res.Files {
			built, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
			if err != nil {
				t.Errorf("%s: the preview serves %s, which lanmu build does not write", when, p)
				continue
			}
			if string(built) != string(data) {
				t.Errorf("%s: the preview's %s differs from lanmu build's (%d bytes, build %d)", when, p, len(data), len(built))
			}
		}
		if html := string(res.Files["/index.html"]); strings.Contains(html, "\n  <") {
			t.Errorf("%s: the preview's home page is not minified", when)
		}
	}
	compare("first build")
	news := filepath.Join(site, "content/news/zhuti-dangri.md")
	src, _ := os.ReadFile(news)
	os.WriteFile(news, append(src, []byte("\n会后，各支部还交流了活动经验。\n")...), 0o644)
	compare("after an edit")
}

// TestSessionForgetsDeletedPages renames and deletes pages between builds:
// the session's conversion cache must then hold exactly the pages of the
// current site, not every file it ever converted.
func TestSessionForgetsDeletedPages(t *testing.T) {
	site := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	s := NewSession(Options{Source: site})
	check := func(when string) {
		t.Helper()
		res, err := s.Build()
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, p := range res.Site.Content.Pages {
			want = append(want, cacheName(p))
		}
		var got []string
		for name := range s.converted {
			got = append(got, name)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the cache holds %d pages, the site has %d; extra: %v", when, len(got), len(want), extra(got, want))
		}
	}
	check("first build")
	news := filepath.Join(site, "content/news/zhuti-dangri.md")
	if err := os.Rename(news, filepath.Join(site, "content/news/zhuti-dangri-2016.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(site, "content/news/dongyuan-bushu-huiyi.md")); err != nil {
		t.Fatal(err)
	}
	check("after a rename and a deletion")
}

// extra returns what got holds that want does not.
func extra(got, want []string) []string {
	var out []string
	for _, g := range got {
		if !slices.Contains(want, g) {
			out = append(out, g)
		}
	}
	return out
}

// TestSessionWarnsAsBuildDoes checks that the live preview finds the same
// warnings as lanmu build: raw HTML left out, and a link to an anchor that
// is missing, which only the rendered pages can tell.
func TestSessionWarnsAsBuildDoes(t *testing.T) {
	site := testsite.CopyExample(t, markupSite, func(c string) string { return c })
	page := filepath.Join(site, "content/news/code.md")
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(page, append(src, []byte("\n见[配置](#没有这个标题)。\n")...), 0o644)
	report, err := Build(Options{Source: site, Dest: filepath.Join(t.TempDir(), "public")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := NewSession(Options{Source: site}).Build()
	if err != nil {
		t.Fatal(err)
	}
	texts := func(ws []*diag.Error) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.Error())
		}
		slices.Sort(out)
		return out
	}
	built, previewed := texts(report.Warnings), texts(res.Warnings)
	if !slices.ContainsFunc(built, func(w string) bool { return strings.Contains(w, "没有这个标题") }) || len(built) < 2 {
		t.Fatalf("the fixture does not give the warnings this test is about: %q", built)
	}
	if !slices.Equal(built, previewed) {
		t.Errorf("the preview warns\n%q\nlanmu build warns\n%q", previewed, built)
	}
}
