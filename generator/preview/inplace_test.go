package preview

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An editor that saves in place truncates the page, then writes it. The
// watcher reports a change within a few milliseconds, so the preview may
// rebuild from the empty page; the write that follows must bring a rebuild
// of its own, so that the preview ends on the whole page.
func TestInPlaceSaveEndsOnTheWholePage(t *testing.T) {
	site := writeLoadSite(t)
	p := runPreview(t, Options{Source: site})
	page := filepath.Join(site, "content", "news", "a.md")

	before := p.out.String()
	f, err := os.OpenFile(page, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The preview tells the terminal about every rebuild, and every failed
	// one: this one read the page while it was empty.
	deadline := time.Now().Add(10 * time.Second)
	for p.out.String() == before {
		if time.Now().After(deadline) {
			t.Fatalf("no rebuild within 10 s of emptying the page:\n%s", p.out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := f.WriteString(loadPage("甲", "a", 7, "2016-05-01")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	deadline = time.Now().Add(10 * time.Second)
	for {
		body, err := fetch(p.url + "news/a/")
		if err == nil && strings.Contains(body, "ta-7") && strings.Contains(body, "ba-7") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("news/a/ does not show the whole page 10 s after it was written (err %v):\n%s\nterminal:\n%s", err, body, p.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fetch(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}
