package preview

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// lanmu.toml is followed while the preview runs: a new title shows on the
// pages, and a new base path moves the whole site there, its links with it.
func TestPreviewFollowsLanmuToml(t *testing.T) {
	site := writeLoadSite(t)
	p := runPreview(t, Options{Source: site})
	if !strings.HasSuffix(p.url, "/xxjy/") {
		t.Fatalf("the preview is not under the base path: %s", p.url)
	}
	config := strings.Replace(loadConfig, `title = "负载测试"`, `title = "改名的专栏"`, 1)
	config = strings.Replace(config, "/xxjy/", "/zhuanlan/", 1)
	if err := os.WriteFile(filepath.Join(site, "lanmu.toml"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	moved := strings.TrimSuffix(p.url, "xxjy/") + "zhuanlan/"
	deadline := time.Now().Add(10 * time.Second)
	for {
		body, err := fetch(moved + "news/a/")
		if err == nil && strings.Contains(body, "改名的专栏") && strings.Contains(body, `href="/zhuanlan/news/"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page is not at the new base path with the new title 10 s after lanmu.toml changed (err %v):\n%s\nterminal:\n%s", err, body, p.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(p.url + "news/a/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the old base path answers %s, not 404", resp.Status)
	}
}
