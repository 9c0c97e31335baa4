package preview

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// syncBuffer collects the preview's terminal output from its goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startPreview serves a copy of the example column on a free port and
// returns its URL and the folder to edit.
func startPreview(t *testing.T, opts Options) (string, string, *syncBuffer) {
	t.Helper()
	site := testsite.CopyExample(t, "../..", func(c string) string { return c })
	theme, err := os.ReadFile("../../themes/default/static/css/lanmu.css")
	if err != nil {
		t.Fatal(err)
	}
	// The site's own copy of the stylesheet, so the test can edit it.
	os.MkdirAll(filepath.Join(site, "static", "css"), 0o755)
	os.WriteFile(filepath.Join(site, "static", "css", "lanmu.css"), theme, 0o644)
	out := &syncBuffer{}
	ctx, stop := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opts.Source, opts.Stdout, opts.Stderr = site, out, out
	opts.Ready = func(url string) { ready <- url }
	go func() { done <- Run(ctx, opts) }()
	t.Cleanup(func() {
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve ended with %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("serve did not stop within 5 s of cancel")
		}
	})
	select {
	case url := <-ready:
		return url, site, out
	case err := <-done:
		t.Fatalf("serve failed: %v\n%s", err, out)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start\n%s", out)
	}
	return "", "", nil
}

// waitFor evaluates a JavaScript expression in the page until it is true,
// reporting what the page showed when it never became true.
func waitFor(t *testing.T, ctx context.Context, what, expr string, out *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ""`))
	t.Fatalf("%s: %s never became true.\npage: %s\nterminal:\n%s", what, expr, body, out)
}

func edit(t *testing.T, file string, change func(string) string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Saved as editors save, through a temporary file renamed over the
	// original: one event. A write in place can reach the watcher as a
	// truncation and then a write, two rebuilds and two reloads, and the
	// second reload could land after the test has set a value in the page
	// that a stylesheet edit must keep.
	tmp := filepath.Join(filepath.Dir(file), "."+filepath.Base(file)+".lanmu-test.tmp")
	if err := os.WriteFile(tmp, []byte(change(string(src))), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
}

func TestLivePreviewInChromium(t *testing.T) {
	ctx := chrome.New(t, 3*time.Minute)
	url, site, out := startPreview(t, Options{})
	page := filepath.Join(site, "content", "news", "erjidu-jizhong-xuexi.md")
	original, _ := os.ReadFile(page)
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"news/erjidu-jizhong-xuexi/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the page loads", `document.querySelector("h1").textContent.includes("专题学习研讨")`, out)
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script[src*="__lanmu/live.js"]').length`)); n != 1 {
		t.Fatalf("the live-reload script is injected %d times", n)
	}

	// 1. Edit the Markdown: the open page shows the new text by itself.
	edit(t, page, func(s string) string {
		return strings.Replace(s, "\n---\n", "\n---\n\n实时预览测试段落。\n", 1)
	})
	waitFor(t, ctx, "the edited text appears", `document.body.innerText.includes("实时预览测试段落")`, out)

	// 2. Edit the stylesheet: the page restyles without reloading (a value
	// set in the page survives).
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__lanmuMarker = "kept", true`)); err != nil {
		t.Fatal(err)
	}
	edit(t, filepath.Join(site, "static", "css", "lanmu.css"), func(s string) string {
		return s + "\n.article__title { color: rgb(1, 2, 3); }\n"
	})
	waitFor(t, ctx, "the new style applies", `getComputedStyle(document.querySelector("h1")).color === "rgb(1, 2, 3)"`, out)
	if kept, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__lanmuMarker === "kept"`)); !kept {
		t.Errorf("a stylesheet edit reloaded the page\nterminal:\n%s", out)
	}

	// 3. Break the front matter: the overlay names the file and line.
	// Pasted raw HTML comes along: a warning, marked as one on the page
	// and in the terminal, as lanmu build marks it.
	edit(t, page, func(s string) string {
		return strings.Replace(s, "date: 2016-05-26", "date: 2016-13-45", 1) + "\n<p style=\"color:red\">粘贴的网页</p>\n"
	})
	waitFor(t, ctx, "the overlay appears", `!!document.getElementById("lanmu-overlay") && document.getElementById("lanmu-overlay").innerText.includes("content/news/erjidu-jizhong-xuexi.md:3:1")`, out)
	if !strings.Contains(out.String(), "\ncontent/news/erjidu-jizhong-xuexi.md:3:1: date:") {
		t.Errorf("the terminal does not show the error:\n%s", out)
	}
	if !strings.Contains(out.String(), "\nwarning: content/news/erjidu-jizhong-xuexi.md:") {
		t.Errorf("the terminal does not mark the raw HTML as a warning:\n%s", out)
	}
	waitFor(t, ctx, "the overlay marks the warning", `document.getElementById("lanmu-overlay").innerText.includes("warning: content/news/erjidu-jizhong-xuexi.md:")`, out)

	// 4. Fix it: the overlay goes away and the page is back.
	if err := os.WriteFile(page, original, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, "the overlay goes away", `!document.getElementById("lanmu-overlay") || document.getElementById("lanmu-overlay").offsetParent === null`, out)
	waitFor(t, ctx, "the page shows the fixed text", `!document.body.innerText.includes("实时预览测试段落") && document.querySelector("h1").textContent.includes("专题学习研讨")`, out)
}
