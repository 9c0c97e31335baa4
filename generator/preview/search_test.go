package preview

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The preview serves the search index as a built site does: the manifest,
// and every shard and chunk it names, though their names, which hold
// hashes of their content, are known only once the index is made after
// the pages. After a save, a fetch of the manifest waits for the new index,
// whose shards hold what the save added.
func TestPreviewServesTheSearchIndex(t *testing.T) {
	site := writeLoadSite(t)
	p := runPreview(t, Options{Source: site})
	type manifest struct {
		Tokens, Chars, Docs []string
	}
	read := func() manifest {
		t.Helper()
		body, err := fetch(p.url + "search/index.json")
		var m manifest
		if err == nil {
			err = json.Unmarshal([]byte(body), &m)
		}
		if err != nil || len(m.Tokens) == 0 {
			t.Fatalf("search/index.json: %v\n%s", err, body)
		}
		return m
	}
	holds := func(m manifest, token string) bool {
		t.Helper()
		found := false
		for _, name := range append(append(m.Tokens, m.Chars...), m.Docs...) {
			resp, err := http.Get(p.url + "search/" + name)
			if err != nil {
				t.Fatalf("search/%s: %v", name, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("search/%s: %s", name, resp.Status)
			}
			found = found || strings.Contains(string(body), `"`+token+`"`)
		}
		return found
	}
	if first := read(); holds(first, "鹦鹉") {
		t.Fatal("the index holds a word no page has yet")
	}
	page := filepath.Join(site, "content", "news", "c.md")
	if err := os.WriteFile(page, []byte("---\ntitle: 丙\ndate: 2016-04-01\n---\n\n会后交流了鹦鹉螺式学习法。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if holds(read(), "鹦鹉") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index does not hold the saved word 10 s after the save\nterminal:\n%s", p.out)
		}
	}
}
