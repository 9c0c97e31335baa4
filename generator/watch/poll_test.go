package watch

import (
	"os"
	"path/filepath"
	"testing"
)

func TestForcePolling(t *testing.T) {
	t.Parallel()
	site := t.TempDir()
	root := filepath.Join(site, "content")
	mkdirAll(t, root)
	config := filepath.Join(site, "lanmu.toml")
	writeFile(t, config, "a")
	static := filepath.Join(site, "static") // missing at start
	w, logs := start(t, Options{Roots: []string{root, static}, Files: []string{config}, ForcePolling: true})
	if !w.Polling() {
		t.Fatal("Polling() = false with ForcePolling")
	}

	page := filepath.Join(root, "x.md")
	save(t, page, "created")
	expectBatch(t, w, page)
	save(t, page, "modified, longer")
	expectBatch(t, w, page)
	if err := os.Remove(page); err != nil {
		t.Fatal(err)
	}
	expectBatch(t, w, page)

	sub := filepath.Join(root, "sub")
	mkdirAll(t, sub)
	save(t, filepath.Join(sub, "y.md"), "y")
	collect(t, w, sub, filepath.Join(sub, "y.md"))

	save(t, config, "b, longer")
	expectBatch(t, w, config)

	mkdirAll(t, static)
	save(t, filepath.Join(static, "a.css"), "a")
	collect(t, w, static, filepath.Join(static, "a.css"))

	// Junk, hidden folders and siblings of Files are not reported.
	writeFile(t, filepath.Join(root, ".x.md.swp"), "swap")
	writeFile(t, filepath.Join(root, "x.md~"), "backup")
	mkdirAll(t, filepath.Join(root, ".git"))
	writeFile(t, filepath.Join(root, ".git", "HEAD"), "ref")
	writeFile(t, filepath.Join(site, "notes.txt"), "n")
	if err := os.RemoveAll(sub); err != nil {
		t.Fatal(err)
	}
	collect(t, w, sub, filepath.Join(sub, "y.md"))

	if l := logs.all(); len(l) > 0 {
		t.Errorf("unexpected log: %q", l)
	}
}
