package linkcheck

import (
	"strings"
	"testing"
)

func testSite() *Site {
	files := map[string]string{
		"/index.html":            `<h1 id="top">首页</h1><a name="旧锚点"></a>`,
		"/readings/a/index.html": `<h2 id="学习-教育">学习 教育</h2><sup id="fn:1">1</sup>`,
		"/css/lanmu.css":         `body{}`,
		"/readings/a/pic.png":    `png`,
	}
	return &Site{
		BasePath: "/xxjy/",
		Exists:   func(p string) bool { _, ok := files[p]; return ok },
		Read:     func(p string) ([]byte, bool) { s, ok := files[p]; return []byte(s), ok },
	}
}

func TestProblem(t *testing.T) {
	s := testSite()
	for _, c := range []struct{ page, dest, want string }{
		{"/index.html", "/xxjy/readings/a/", ""},
		{"/index.html", "/xxjy/readings/a", ""},
		{"/index.html", "/xxjy/readings/a/?from=home#%E5%AD%A6%E4%B9%A0-%E6%95%99%E8%82%B2", ""},
		{"/index.html", "/xxjy/readings/a/#学习-教育", ""},
		{"/index.html", "/xxjy/#旧锚点", ""},
		{"/index.html", "/xxjy/", ""},
		{"/index.html", "/xxjy", ""},
		{"/readings/a/index.html", "pic.png", ""},
		{"/readings/a/index.html", "../../css/lanmu.css", ""},
		{"/readings/a/index.html", "#fn:1", ""},
		{"/readings/a/index.html", "#fn:2", `this page has no element with id "fn:2" (did you mean #fn:1?)`},
		{"/index.html", "/xxjy/readings/a/#学习教育", `broken anchor: /xxjy/readings/a/ has no element with id "学习教育" (did you mean #学习-教育?)`},
		{"/index.html", "/xxjy/readings/b/", "broken link: /xxjy/readings/b/ is not a page or file of the site"},
		{"/index.html", "/other/", "outside the site"},
		{"/index.html", "/xxjy/css/lanmu.css#x", ""}, // not HTML: no ids to check
		{"/index.html", "/xxjy/%zz", "not a valid address"},
	} {
		got := s.Problem(Link{Page: c.page, Dest: c.dest}).String()
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("Problem(%s, %q) = %q, want %q", c.page, c.dest, got, c.want)
		}
	}
}

func TestLinks(t *testing.T) {
	doc := `<link rel="stylesheet" href="/xxjy/css/a.css"><a href="https://x.org/">x</a><a href="//cdn/x">c</a>
<a href="mailto:a@b.c">m</a><img src="/xxjy/p.png" alt=""><a href="#top">t</a><a>no href</a><script src="/xxjy/js/a.js"></script>`
	var got []string
	for _, l := range Links("/index.html", []byte(doc)) {
		got = append(got, l.Dest)
	}
	want := "/xxjy/css/a.css /xxjy/p.png #top /xxjy/js/a.js"
	if strings.Join(got, " ") != want {
		t.Errorf("Links = %q, want %q", got, want)
	}
}
