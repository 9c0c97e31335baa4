package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/generator/content"
	"lanmu/generator/output"
	"lanmu/internal/testsite"
)

// The two stale previews issue 16 names: a footer listing every page's
// title, and the standards page showing an evidence class's title.
func TestSessionFollowsWhatTemplatesRead(t *testing.T) {
	site, _ := exampleWithFooter(t, `<footer><ul>{{ range .Site.RegularPages }}<li>{{ .Title }}</li>{{ end }}</ul></footer>`)
	s := NewSession(Options{Source: site})
	first, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	news := filepath.Join(site, "content/news/zhuti-dangri.md")
	src, _ := os.ReadFile(news)
	retitled := strings.Replace(string(src), `title = "全县各党支部普遍开展学习教育主题党日活动"`, `title = "改过的标题"`, 1)
	if retitled == string(src) {
		t.Fatal("the example's news page has another title now: fix the test")
	}
	os.WriteFile(news, []byte(retitled), 0o644)
	edit, err := s.Update([]string{news})
	if err != nil {
		t.Fatal(err)
	}
	fresh := freshBuild(t, site)
	stale := 0
	for p, want := range fresh {
		if strings.HasSuffix(p, ".html") && string(edit.Files[p]) != string(want) {
			stale++
		}
	}
	if stale > 0 {
		t.Errorf("%d pages differ from a fresh build after a retitle", stale)
	}
	// The short addresses' redirects show no footer.
	redirects := 0
	for p := range fresh {
		if strings.HasPrefix(p, content.ShortPrefix) {
			redirects++
		}
	}
	if edit.Rendered < first.Rendered-redirects-5 {
		t.Errorf("a retitle that every footer shows rendered only %d of %d outputs (%d of them redirects)", edit.Rendered, first.Rendered, redirects)
	}

	// A body edit changes no title: the footers stay, and few outputs render.
	os.WriteFile(news, []byte(retitled+"\n又一段。\n"), 0o644)
	body, err := s.Update([]string{news})
	if err != nil {
		t.Fatal(err)
	}
	if body.Rendered > 10 {
		t.Errorf("a body edit rendered %d outputs", body.Rendered)
	}
}

// freshBuild builds a site into a new folder and returns its files by site
// path.
func freshBuild(t *testing.T, site string) map[string][]byte {
	t.Helper()
	dest := t.TempDir()
	if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != output.ManifestName {
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dest, p)
			files["/"+filepath.ToSlash(rel)] = data
		}
		return nil
	})
	return files
}

// exampleWithFooter copies the example site with its footer partial
// replaced, and returns the site and the footer's path.
func exampleWithFooter(t *testing.T, footerTemplate string) (site, footer string) {
	t.Helper()
	site = testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	footer = filepath.Join(site, "layouts/partials/footer.html")
	os.MkdirAll(filepath.Dir(footer), 0o755)
	if err := os.WriteFile(footer, []byte(footerTemplate), 0o644); err != nil {
		t.Fatal(err)
	}
	return site, footer
}

// sameAsFresh checks a session's files, those made later included, against
// a fresh build of site.
func sameAsFresh(t *testing.T, what, site string, res *Result) {
	t.Helper()
	fresh := freshBuild(t, site)
	all := res.Complete()
	for p, want := range fresh {
		if string(all[p]) != string(want) {
			t.Errorf("%s: %s differs from a fresh build", what, p)
		}
	}
	if len(all) != len(fresh) {
		t.Errorf("%s: %d files, a fresh build has %d", what, len(all), len(fresh))
	}
}

// With Defer, Update returns before the search index is made; the index
// that follows is the one a fresh build writes.
func TestSessionDefersTheSearchIndex(t *testing.T) {
	site := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	s := NewSession(Options{Source: site})
	s.Defer = true
	if _, err := s.Build(); err != nil {
		t.Fatal(err)
	}
	news := filepath.Join(site, "content/news/zhuti-dangri.md")
	src, _ := os.ReadFile(news)
	os.WriteFile(news, append(src, "\n独一无二的检索词语。\n"...), 0o644)
	res, err := s.Update([]string{news})
	if err != nil {
		t.Fatal(err)
	}
	const index = "/search/index.json"
	if _, ok := res.Files[index]; ok {
		t.Errorf("the index is among the files Update returned: it was not deferred")
	}
	if _, ok := res.Later()[index]; !ok {
		t.Fatalf("the index is not among the later files")
	}
	fresh := freshBuild(t, site)
	if got := res.Later()[index](); string(got) != string(fresh[index]) {
		t.Errorf("the deferred index differs from a fresh build's")
	}
	all := res.Complete()
	for p, want := range fresh {
		if got, ok := all[p]; !ok || string(got) != string(want) {
			t.Errorf("%s differs from a fresh build", p)
		}
	}
	// A save that changes nothing (an editor's second save, a watcher's
	// second event) changes nothing, so no browser reloads, though the
	// index is made again later.
	same, err := s.Update([]string{news})
	if err != nil {
		t.Fatal(err)
	}
	if same.Changed == nil || len(same.Changed) != 0 {
		t.Errorf("a save that changed nothing changed %v", same.Changed)
	}
}

// With Defer and First, a template edit returns once the pages browsers
// show are rendered; the rest follow, and the whole equals a fresh build.
// A page that fails to render later makes the build fail after all, and
// the session goes on from the build before.
func TestSessionRendersShownPagesFirst(t *testing.T) {
	site, footer := exampleWithFooter(t, `<footer>一</footer>`)
	s := NewSession(Options{Source: site})
	s.Defer = true
	shown := "/news/zhuti-dangri/index.html"
	s.First = func() []string { return []string{shown} }
	first, err := s.Build()
	if err != nil || first.Wait() != nil {
		t.Fatal(err, first.Wait())
	}
	os.WriteFile(footer, []byte(`<footer>二</footer>`), 0o644)
	res, err := s.Update([]string{footer})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Files[shown]), "<footer>二</footer>") {
		t.Errorf("the page shown is not rendered when Update returns")
	}
	if res.Deferred < 50 || res.Rendered > 5 {
		t.Errorf("rendered %d at once and %d later: the pages not shown were not deferred", res.Rendered, res.Deferred)
	}
	if err := res.Wait(); err != nil {
		t.Fatal(err)
	}
	sameAsFresh(t, "a template edit", site, res)

	// A footer that fails on one page only, which is rendered later.
	os.WriteFile(footer, []byte(`<footer>{{ if eq .Path "/readings/" }}{{ index .Params.nothing 3 }}{{ end }}三</footer>`), 0o644)
	bad, err := s.Update([]string{footer})
	if err != nil {
		t.Fatalf("the shown page failed: %v", err)
	}
	if bad.Wait() == nil {
		t.Fatal("a page that cannot render did not fail the build")
	}
	os.WriteFile(footer, []byte(`<footer>四</footer>`), 0o644)
	fixed, err := s.Update([]string{footer})
	if err != nil || fixed.Wait() != nil {
		t.Fatal(err, fixed.Wait())
	}
	sameAsFresh(t, "after the fix", site, fixed)
}
