package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A save that only rewrites a page's text is applied to the last good site
// without loading it again: one page converted, a few outputs rendered,
// the same files as a fresh build. Any other save loads the site. A build
// so made that fails later, on a page rendered after Update returned,
// leaves the last good site as it was, and the next save loads the site
// again and shows the truth.
func TestSessionRewritesTextInPlace(t *testing.T) {
	// A footer that fails on every page but the one shown once a
	// reading's text says 炸.
	site, _ := exampleWithFooter(t, `<footer>{{ $p := . }}{{ range .Site.RegularPages }}{{ if and (ne $p.Path "/news/zhuti-dangri/") (eq .Path "/readings/jiang-dangke-gongzuo-zhiyin/") (contains (printf "%s" .Content) "炸") }}{{ index $p.Params.nothing 3 }}{{ end }}{{ end }}</footer>`)
	s := NewSession(Options{Source: site})
	s.Defer = true
	shown := "/news/zhuti-dangri/index.html"
	s.First = func() []string { return []string{shown} }
	first, err := s.Build()
	if err != nil || first.Wait() != nil {
		t.Fatal(err, first.Wait())
	}
	firstStage := func(r *Result) string { return r.Stages[0].Name }
	compare := func(what string, r *Result) { t.Helper(); sameAsFresh(t, what, site, r) }
	appendText := func(rel, text string) string {
		full := filepath.Join(site, rel)
		src, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(full, append(src, []byte("\n"+text+"\n")...), 0o644)
		return full
	}

	news := appendText("content/news/zhuti-dangri.md", "会后，各支部交流了经验。")
	res, err := s.Update([]string{news})
	if err != nil || res.Wait() != nil {
		t.Fatal(err, res.Wait())
	}
	if firstStage(res) != "rewrite" || res.Converted != 1 || res.Rendered+res.Deferred > 25 {
		t.Errorf("a text edit: first stage %q, converted %d, rendered %d and %d later", firstStage(res), res.Converted, res.Rendered, res.Deferred)
	}
	if !strings.Contains(string(res.Files[shown]), "会后，各支部交流了经验。") {
		t.Errorf("the page shown does not show the edit")
	}
	compare("a text edit", res)

	// A reading in the pocket book: the print page follows.
	reading := appendText("content/readings/jiang-dangke-gongzuo-zhiyin.md", "学习体会：知行合一。")
	res, err = s.Update([]string{reading})
	if err != nil || res.Wait() != nil {
		t.Fatal(err, res.Wait())
	}
	if firstStage(res) != "rewrite" {
		t.Errorf("a reading's text edit was made by %q", firstStage(res))
	}
	compare("a reading's text edit", res)

	// A field: the site is loaded.
	full := filepath.Join(site, "content/news/zhuti-dangri.md")
	src, _ := os.ReadFile(full)
	os.WriteFile(full, []byte(strings.Replace(string(src), `title = "`, `title = "新：`, 1)), 0o644)
	res, err = s.Update([]string{full})
	if err != nil || res.Wait() != nil {
		t.Fatal(err, res.Wait())
	}
	if firstStage(res) != "load" {
		t.Errorf("a title edit was made by %q", firstStage(res))
	}
	compare("a title edit", res)

	// The text that makes the footer fail, on pages rendered later.
	good := s.Last()
	bad := appendText("content/readings/jiang-dangke-gongzuo-zhiyin.md", "炸")
	res, err = s.Update([]string{bad})
	if err != nil {
		t.Fatalf("the page shown failed: %v", err)
	}
	if firstStage(res) != "rewrite" {
		t.Errorf("the failing text edit was made by %q", firstStage(res))
	}
	if res.Wait() == nil {
		t.Fatal("pages that cannot render did not fail the build")
	}
	// The next save finds the failure: the last good site is the one
	// before, its page's text as it was.
	src, _ = os.ReadFile(bad)
	os.WriteFile(bad, []byte(strings.TrimSuffix(string(src), "炸\n")), 0o644)
	again := appendText("content/news/zhuti-dangri.md", "再次修改。")
	res, err = s.Update([]string{bad, again})
	if err != nil || res.Wait() != nil {
		t.Fatal(err, res.Wait())
	}
	if res.prev != nil && res.prev != good {
		t.Errorf("the build after a failed one did not start from the last good build")
	}
	if firstStage(res) != "load" {
		t.Errorf("the save after a failed build was made by %q, not by loading the site", firstStage(res))
	}
	if v := good.Site.views[good.Site.Content.PageByFile("content/readings/jiang-dangke-gongzuo-zhiyin.md")]; v == nil || strings.Contains(string(v.contentHTML()), "炸") {
		t.Errorf("the failed build left its text in the last good site")
	}
	compare("the save after a failed build", res)
}
