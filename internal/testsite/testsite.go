// Package testsite writes small sites for tests: a map from site-relative
// path to file contents becomes a folder on disk.
package testsite

import (
	"io/fs"
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

// CopyExample copies the example column at root (its lanmu.toml and
// content/) into a new temporary folder, passing the configuration through
// edit, and returns the folder. Tests use it to build the example with
// another theme or language.
func CopyExample(t testing.TB, root string, edit func(config string) string) string {
	t.Helper()
	dir := t.TempDir()
	config, err := os.ReadFile(filepath.Join(root, "lanmu.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lanmu.toml"), []byte(edit(string(config))), 0o644); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "content")
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dir, "content", rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
