package markup

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lanmu/internal/chrome"
)

// TestFootnoteMarkNeverStartsALine lays a converted paragraph out in
// Chromium in a box exactly as wide as the text before a footnote mark,
// so the mark does not fit on the first line. The mark must stay on the
// line of the character before it (which then wraps with it), never start
// the next line. The same HTML without the word joiner is the control: it
// must break before the mark, or the box does not test anything.
func TestFootnoteMarkNeverStartsALine(t *testing.T) {
	c := New(Options{})
	res, err := c.Convert([]byte("一二三四五[^1]六七\n\n[^1]: 注释。\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	html := res.HTML
	if !strings.Contains(html, "五"+wordJoiner+"<sup") {
		t.Fatalf("no word joiner before the footnote mark:\n%s", html)
	}
	page := func(body string) string {
		return `<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>t</title>` +
			`<style>body{margin:0;font:20px/1.5 "Noto Serif CJK SC",serif} p{width:5em;margin:0}</style>` + body
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/control" {
			w.Write([]byte(page(strings.ReplaceAll(html, wordJoiner, ""))))
			return
		}
		w.Write([]byte(page(html)))
	}))
	defer srv.Close()
	ctx := chrome.New(t, 60*time.Second)
	// markStartsLine: whether the mark's left edge is left of the
	// character before it, which only a line break can do.
	const markStartsLine = `(() => {
		const sup = document.querySelector("p sup");
		const text = document.querySelector("p").firstChild;
		const r = document.createRange();
		const at = text.data.indexOf("五");
		r.setStart(text, at);
		r.setEnd(text, at + 1);
		return sup.getBoundingClientRect().left < r.getBoundingClientRect().left;
	})()`
	for _, tc := range []struct {
		path string
		want bool
	}{{"/control", true}, {"/", false}} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+tc.path)); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[bool](markStartsLine))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: the footnote mark starts a line: %v, want %v", tc.path, got, tc.want)
		}
	}
}
