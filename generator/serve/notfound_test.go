package serve

import (
	"fmt"
	"strings"
	"testing"
)

func TestNotFound(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")

	// Before the first build.
	r := fetch(t, "GET", ts.URL+"/xxjy/")
	if r.status != 404 || !strings.Contains(r.body, "站点正在构建") || !strings.Contains(r.body, "__lanmu/live.js") {
		t.Errorf("before the first build: %d %s", r.status, r.body)
	}

	site := testSite()
	for i := range 15 {
		site[fmt.Sprintf("/readings/r%02d/index.html", i)] = []byte("<html><body>r</body></html>")
	}
	site["/404.html"] = []byte("<html><body>the site's own 404</body></html>")
	site["/readings/ab/index.html"] = []byte("<html><head><title>学习 &amp; 教育</title></head><body>ab</body></html>")
	s.Publish(site, Change{})

	r = fetch(t, "GET", ts.URL+"/xxjy/readings/abc/")
	if r.status != 404 || r.header.Get("Content-Type") != "text/html; charset=utf-8" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("404: %d %v", r.status, r.header)
	}
	for _, want := range []string{
		"这个页面还不存在",
		"<code>/xxjy/readings/abc/</code>",
		`<a href="/xxjy/readings/ab/">学习 &amp; 教育</a>`, // the nearest, first, by its title
		`<a href="/xxjy/readings/a/">必读文章 A</a>`,
		`<a href="/xxjy/">返回首页`,
		"__lanmu/live.js",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("404 lacks %s\n%s", want, r.body)
		}
	}
	if strings.Index(r.body, "/xxjy/readings/ab/") > strings.Index(r.body, "/xxjy/readings/a/") {
		t.Error("the nearest page is not first")
	}
	if n := strings.Count(r.body, "<li>"); n != maxSuggestions {
		t.Errorf("%d suggestions, want %d", n, maxSuggestions)
	}
	if strings.Contains(r.body, "the site's own 404") || strings.Contains(r.body, "/xxjy/404.html") {
		t.Error("the site's own 404 was used or suggested")
	}

	// A Chinese path is shown decoded and its neighbours found.
	r = fetch(t, "GET", ts.URL+"/xxjy/readings/%E5%AD%A6%E5%A4%9A/")
	if r.status != 404 || !strings.Contains(r.body, "<code>/xxjy/readings/学多/</code>") ||
		!strings.Contains(r.body, `href="/xxjy/readings/%e5%ad%a6%e4%b9%a0/"`) {
		t.Errorf("Chinese 404:\n%s", r.body)
	}

	// Outside the base path the page says where the site is.
	r = fetch(t, "GET", ts.URL+"/readings/a/")
	if r.status != 404 || !strings.Contains(r.body, "<code>/xxjy/</code>") || !strings.Contains(r.body, `href="/xxjy/readings/a/"`) {
		t.Errorf("outside the base:\n%s", r.body)
	}

	// The requested path is the editor's typing: escaped.
	r = fetch(t, "GET", ts.URL+"/xxjy/%3Cscript%3Ex%3C/script%3E")
	if r.status != 404 || strings.Contains(r.body, "<script>x") {
		t.Errorf("404 path not escaped:\n%s", r.body)
	}
}

func TestNearest(t *testing.T) {
	pages := []string{"/", "/news/", "/readings/a/", "/readings/b/", "/readings/学习/"}
	got := nearest(pages, "/readings/学问/", 2)
	if len(got) != 2 || got[0] != "/readings/学习/" || got[1] != "/readings/a/" {
		t.Errorf("nearest: %q", got)
	}
	if got := nearest(nil, "/x", 10); len(got) != 0 {
		t.Errorf("nearest of nothing: %q", got)
	}
}

func TestPageTitle(t *testing.T) {
	for page, want := range map[string]string{
		"<title>学习\n  教育</title>":            "学习 教育",
		`<title lang="zh">A &amp; B</title>`: "A & B",
		"<p>no title</p>":                    "",
		"<title>unclosed":                    "",
	} {
		if got := pageTitle([]byte(page)); got != want {
			t.Errorf("pageTitle(%q) = %q, want %q", page, got, want)
		}
	}
}
