// Package testsite writes small sites for tests: a map from site-relative
// path to file contents becomes a folder on disk.
package testsite

import (
	"os"
	"path/filepath"
	"testing"
)

// Write creates a new temporary folder holding files (slash-separated
// site-relative path → contents) and returns its path.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
