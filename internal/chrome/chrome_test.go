package chrome

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestChromiumRendersAPage proves the harness drives a real browser: it
// runs the page's script and reads the result back.
func TestChromiumRendersAPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html lang="zh-CN"><title>测试</title><p id="p">静态</p><script>document.getElementById("p").textContent = "脚本" + (6*7)</script>`))
	}))
	defer srv.Close()
	ctx := New(t, 30*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("#p"))
	if err != nil {
		t.Fatal(err)
	}
	if text != "脚本42" {
		t.Errorf("the page's script did not run in Chromium: %q", text)
	}
}
