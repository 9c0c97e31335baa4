package minify

import (
	"strings"
	"testing"
	"testing/fstest"

	"lanmu/generator/output"
)

func TestTargetMinifiesByExtension(t *testing.T) {
	mem := output.NewMemory()
	target := Target{Target: mem, Minifier: New()}
	page := "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n  <head>\n    <title>学习 教育</title>\n  </head>\n  <body>\n    <!-- 编辑备注 -->\n    <p class=\"lead\">  第一段。  </p>\n    <pre>  保留  空格 </pre>\n  </body>\n</html>\n"
	feed := "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n  <channel>\n    <title>a &amp; b</title>\n  </channel>\n</rss>\n"
	static := fstest.MapFS{
		"lanmu.css": {Data: []byte("body {\n  color : #ff0000 ;\n}\n")},
		"photo.png": {Data: []byte("\x89PNG  not text  ")},
	}
	for p, data := range map[string]string{"/index.html": page, "/index.xml": feed, "/feed.json": "{\n  \"title\": \"学习\"\n}\n"} {
		if err := target.Write(p, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"lanmu.css", "photo.png"} {
		if err := target.Copy("/"+name, static, name); err != nil {
			t.Fatal(err)
		}
	}
	files := mem.Files()
	html := string(files["/index.html"])
	for _, want := range []string{"<html lang=zh-CN>", "<title>学习 教育</title>", "<p class=lead>第一段。</p>", "<pre>  保留  空格 </pre>", "</body></html>"} {
		if !strings.Contains(html, want) {
			t.Errorf("minified HTML lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "编辑备注") {
		t.Errorf("comment kept:\n%s", html)
	}
	for p, want := range map[string]string{
		"/index.xml": `<rss version="2.0"><channel><title>a &amp; b</title></channel></rss>`,
		"/feed.json": `{"title":"学习"}`,
		"/lanmu.css": "body{color:red}",
		"/photo.png": "\x89PNG  not text  ",
	} {
		if got := string(files[p]); !strings.HasSuffix(got, want) {
			t.Errorf("%s = %q, want it to end with %q", p, got, want)
		}
	}
}

func TestBadJavaScriptIsAnError(t *testing.T) {
	_, err := New().Bytes("/js/a.js", []byte("function ( {"))
	if err == nil || !strings.Contains(err.Error(), "/js/a.js") {
		t.Errorf("error %v, want one naming /js/a.js", err)
	}
}
