package serve

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func testSite() map[string][]byte {
	return map[string][]byte{
		"/index.html":               []byte("<!DOCTYPE html><html><head><title>首页</title></head><body>home</body></html>"),
		"/readings/a/index.html":    []byte("<html><head><title>必读文章 A</title></head><body>reading a</body></html>"),
		"/readings/学习/index.html":   []byte("<html><body>学习内容</body></html>"),
		"/readings/plain.html":      []byte("<p>no body tag</p>"),
		"/readings/upper.html":      []byte("<HTML><BODY>upper</BODY></HTML>"),
		"/css/a.css":                []byte("body{color:red}"),
		"/js/site.js":               []byte("console.log(1)"),
		"/feed.json":                []byte(`{"version":"https://jsonfeed.org/version/1.1"}`),
		"/data/search.json":         []byte(`{"pages":[]}`),
		"/sitemap.xml":              []byte(`<?xml version="1.0"?><urlset></urlset>`),
		"/img/logo.svg":             []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`),
		"/img/photo.png":            []byte("\x89PNG\r\n\x1a\n"),
		"/files/100%/index.html":    []byte("<html><body>percent</body></html>"),
		"/print/book.pdf":           []byte("%PDF-1.7"),
		"/standards/one/index.html": []byte("<html><body>standard</body></html>"),
	}
}

func TestRouting(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	s.Publish(testSite(), Change{})

	tests := []struct {
		path     string
		status   int
		location string
		body     string
	}{
		{"/", http.StatusFound, "/xxjy/", ""},
		{"/xxjy", http.StatusFound, "/xxjy/", ""},
		{"/xxjy/", 200, "", "home"},
		{"/xxjy/index.html", 200, "", "home"},
		{"/xxjy/readings/a/", 200, "", "reading a"},
		{"/xxjy/readings/a/index.html", 200, "", "reading a"},
		{"/xxjy/readings/a", http.StatusFound, "/xxjy/readings/a/", ""},
		{"/xxjy/readings/a?q=1", http.StatusFound, "/xxjy/readings/a/?q=1", ""},
		{"/xxjy/readings/%E5%AD%A6%E4%B9%A0/", 200, "", "学习内容"},
		{"/xxjy/readings/%E5%AD%A6%E4%B9%A0", http.StatusFound, "/xxjy/readings/%E5%AD%A6%E4%B9%A0/", ""},
		{"/xxjy/files/100%25/", 200, "", "percent"},
		{"/xxjy/css/a.css?v=3", 200, "", "body{color:red}"},
		{"/xxjy/readings/b/", 404, "", "/xxjy/readings/b/"},
		{"/xxjy/css/", 404, "", ""},
		{"/readings/a/", 404, "", "/xxjy/"},
		{"/other", 404, "", ""},
		{"/xxjy/__lanmu/nothing", 404, "", ""},
	}
	for _, tt := range tests {
		r := fetch(t, "GET", ts.URL+tt.path)
		if r.status != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.path, r.status, tt.status)
		}
		if got := r.header.Get("Location"); got != tt.location {
			t.Errorf("GET %s: Location %q, want %q", tt.path, got, tt.location)
		}
		if !strings.Contains(r.body, tt.body) {
			t.Errorf("GET %s: body %q does not contain %q", tt.path, r.body, tt.body)
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", tt.path, cc)
		}
	}
}

func TestRootBase(t *testing.T) {
	s, ts := newTestServer(t, "")
	s.Publish(testSite(), Change{})
	for path, want := range map[string]string{"/": "home", "/readings/a/": "reading a", "/css/a.css": "color:red"} {
		r := fetch(t, "GET", ts.URL+path)
		if r.status != 200 || !strings.Contains(r.body, want) {
			t.Errorf("GET %s: %d %q", path, r.status, r.body)
		}
	}
	if r := fetch(t, "GET", ts.URL+"/readings/a"); r.status != http.StatusFound || r.header.Get("Location") != "/readings/a/" {
		t.Errorf("missing slash: %d %q", r.status, r.header.Get("Location"))
	}
	if r := fetch(t, "GET", ts.URL+"/"); !strings.Contains(r.body, `<script src="/__lanmu/live.js"`) {
		t.Errorf("root base: live script: %s", r.body)
	}
}

func TestContentTypes(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	s.Publish(testSite(), Change{})
	for path, want := range map[string]string{
		"/xxjy/":                  "text/html; charset=utf-8",
		"/xxjy/css/a.css":         "text/css; charset=utf-8",
		"/xxjy/js/site.js":        "text/javascript; charset=utf-8",
		"/xxjy/sitemap.xml":       "application/xml",
		"/xxjy/data/search.json":  "application/json",
		"/xxjy/feed.json":         "application/feed+json",
		"/xxjy/img/logo.svg":      "image/svg+xml",
		"/xxjy/img/photo.png":     "image/png",
		"/xxjy/print/book.pdf":    "application/pdf",
		"/xxjy/__lanmu/live.js":   "text/javascript; charset=utf-8",
		"/xxjy/__lanmu/nope.html": "text/html; charset=utf-8", // the 404 page
	} {
		if got := fetch(t, "GET", ts.URL+path).header.Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", path, got, want)
		}
	}
}

func TestHeadAndMethods(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	s.Publish(testSite(), Change{})
	for _, path := range []string{"/xxjy/readings/a/", "/xxjy/css/a.css", "/xxjy/nope/"} {
		get := fetch(t, "GET", ts.URL+path)
		head := fetch(t, "HEAD", ts.URL+path)
		if head.status != get.status || head.body != "" {
			t.Errorf("HEAD %s: %d %q, GET gave %d", path, head.status, head.body, get.status)
		}
		if cl := head.header.Get("Content-Length"); cl != strconv.Itoa(len(get.body)) {
			t.Errorf("HEAD %s: Content-Length %s, GET body is %d bytes", path, cl, len(get.body))
		}
		if head.header.Get("Content-Type") != get.header.Get("Content-Type") || head.header.Get("Cache-Control") != "no-store" {
			t.Errorf("HEAD %s: headers %v", path, head.header)
		}
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS", "PATCH"} {
		r := fetch(t, m, ts.URL+"/xxjy/readings/a/")
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, HEAD" || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, Allow %q", m, r.status, r.header.Get("Allow"))
		}
		if strings.Contains(r.body, "reading a") {
			t.Errorf("%s served the page", m)
		}
	}
}

func TestTraversalRefused(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	site := testSite()
	// Files whose names a traversal might resolve to, so that serving one
	// would show.
	site["/etc/passwd"] = []byte("root:x:0:0")
	site["/x"] = []byte("secret x")
	site["/a/b"] = []byte("secret ab")
	site["/a"] = []byte("secret a")
	s.Publish(site, Change{})
	addr := ts.Listener.Addr().String()
	for _, target := range []string{
		"/xxjy/../etc/passwd",
		"/xxjy/../xxjy/etc/passwd",
		"/xxjy/%2e%2e/x",
		"/xxjy/%2E%2E/x",
		"/xxjy/%252e%252e/x",
		"/xxjy/%25252e%25252e/x",
		"/xxjy/a/..%2fx",
		"/xxjy/a/%2e%2e%2fx",
		"/xxjy/a\\b",
		"/xxjy/a%5cb",
		"/xxjy/a%255cb",
		"/xxjy/a%00",
		"/xxjy/a%2500",
		"/xxjy/..",
		"/..",
		"/xxjy/%2e%2e%2f%2e%2e%2fetc/passwd",
		"/xxjy/.%2e/x",
		"/xxjy/%2e./x",
		"/xxjy/..%5cx",
		"/xxjy/%2e%2e%5cx",
		"/xxjy/..%255cx",
		"/xxjy/%252e%252e%252fetc/passwd",
		"/xxjy/%25252525252e%25252525252e/x",
		// Overlong UTF-8 for "." and "/", which some decoders mapped to them.
		"/xxjy/%c0%ae%c0%ae/x",
		"/xxjy/%c0%ae%c0%ae%c0%afx",
		"/xxjy/%e0%80%ae%e0%80%ae/x",
		"/xxjy/%25c0%25ae%25c0%25ae/x",
		"/xxjy/a%ff",
		// Windows absolute paths.
		"/xxjy/C:/Windows/win.ini",
		"/xxjy/c:%5cwindows%5cwin.ini",
		"/xxjy/%43%3a/x",
		"/C:/Windows/win.ini",
		"/xxjy/%5c%5cserver%5cshare%5cx",
		// The absolute form of the request target is decoded the same way.
		"http://localhost/xxjy/../etc/passwd",
		"http://localhost/xxjy/%2e%2e/x",
	} {
		r := rawGet(t, addr, target)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, "path not allowed") || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: %d %q, want our 400", target, r.status, r.body)
		}
		if strings.Contains(r.body, "secret") || strings.Contains(r.body, "root:") {
			t.Errorf("GET %s served a file: %q", target, r.body)
		}
	}
	// Where no traversal is possible the answer is an ordinary 404, and
	// still not a file outside the site.
	for _, target := range []string{
		"//etc/passwd",
		"/xxjy//etc/passwd",
		"/xxjy/./x",
		"/xxjy/..;/x",
		"/xxjy/...x",
		"/xxjy/ab:/x",
		"/xxjy/%2541b",
	} {
		r := rawGet(t, addr, target)
		if r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", target, r.status)
		}
		if strings.Contains(r.body, "secret") || strings.Contains(r.body, "root:") {
			t.Errorf("GET %s served a file: %q", target, r.body)
		}
	}
	// Dots that are not a ".." segment are ordinary names.
	site["/v1..2/index.html"] = []byte("<html><body>dots</body></html>")
	s.Publish(site, Change{})
	if r := rawGet(t, addr, "/xxjy/v1..2/"); r.status != 200 || !strings.Contains(r.body, "dots") {
		t.Errorf("v1..2: %d %q", r.status, r.body)
	}
}

func TestInjection(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	site := testSite()
	s.Publish(site, Change{})
	tag := `<script src="/xxjy/__lanmu/live.js" data-lanmu-version="1" data-lanmu-server="` + s.id + `" defer></script>`

	for path, before := range map[string]string{
		"/xxjy/readings/a/":                  "reading a" + tag + "</body>",
		"/xxjy/readings/upper.html":          "upper" + tag + "</BODY>",
		"/xxjy/readings/plain.html":          "</p>" + tag,
		"/xxjy/readings/%E5%AD%A6%E4%B9%A0/": "学习内容" + tag + "</body>",
	} {
		r := fetch(t, "GET", ts.URL+path)
		if n := strings.Count(r.body, "__lanmu/live.js"); n != 1 {
			t.Errorf("%s: live script %d times: %s", path, n, r.body)
		}
		if !strings.Contains(r.body, before) {
			t.Errorf("%s: script not where expected:\n%s", path, r.body)
		}
		if cl := r.header.Get("Content-Length"); cl != strconv.Itoa(len(r.body)) {
			t.Errorf("%s: Content-Length %s, body %d bytes", path, cl, len(r.body))
		}
	}
	for path, file := range map[string]string{
		"/xxjy/css/a.css":        "/css/a.css",
		"/xxjy/feed.json":        "/feed.json",
		"/xxjy/data/search.json": "/data/search.json",
		"/xxjy/sitemap.xml":      "/sitemap.xml",
		"/xxjy/img/logo.svg":     "/img/logo.svg",
		"/xxjy/js/site.js":       "/js/site.js",
	} {
		if r := fetch(t, "GET", ts.URL+path); r.body != string(site[file]) {
			t.Errorf("%s changed: %q", path, r.body)
		}
	}
	// The published bytes themselves are never touched.
	if strings.Contains(string(site["/readings/a/index.html"]), "__lanmu") {
		t.Error("Publish's input was modified")
	}
}

func TestPublishCopiesMap(t *testing.T) {
	s, ts := newTestServer(t, "/")
	site := map[string][]byte{"/index.html": []byte("<body>one</body>")}
	s.Publish(site, Change{})
	site["/index.html"] = []byte("<body>two</body>")
	site["/new.html"] = []byte("<body>new</body>")
	if r := fetch(t, "GET", ts.URL+"/"); !strings.Contains(r.body, "one") {
		t.Errorf("a later change to the map showed: %q", r.body)
	}
	if r := fetch(t, "GET", ts.URL+"/new.html"); r.status != 404 {
		t.Errorf("new.html: %d", r.status)
	}
}

func TestLiveJS(t *testing.T) {
	_, ts := newTestServer(t, "/xxjy/")
	r := fetch(t, "GET", ts.URL+"/xxjy/__lanmu/live.js")
	if r.status != 200 || r.header.Get("Content-Type") != "text/javascript; charset=utf-8" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("live.js: %d %v", r.status, r.header)
	}
	for _, want := range []string{"EventSource", `"__lanmu/events?page="`, `"__lanmu/errors.html"`, "location.reload()", `"css"`, `"errors"`, `"hello"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("live.js lacks %s", want)
		}
	}
}

func TestNormalizeBase(t *testing.T) {
	for in, want := range map[string]string{"": "/", "/": "/", "xxjy": "/xxjy/", "/xxjy": "/xxjy/", "/xxjy/": "/xxjy/", "/a/b/": "/a/b/"} {
		if got := normalizeBase(in); got != want {
			t.Errorf("normalizeBase(%q) = %q, want %q", in, got, want)
		}
	}
}
