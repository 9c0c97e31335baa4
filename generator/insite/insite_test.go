package insite

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

func TestResolve(t *testing.T) {
	outside := testsite.Write(t, map[string]string{"secret.txt": "x"})
	site := testsite.Write(t, map[string]string{"content/a.md": "a", "shared/b.png": "b"})
	abs, _ := filepath.Abs(filepath.Join(site, "shared", "b.png"))
	for name, target := range map[string]string{
		"content/rel.png":     "../shared/b.png",
		"content/abs.png":     abs,
		"content/out.txt":     filepath.Join(outside, "secret.txt"),
		"content/up.txt":      strings.Repeat("../", 30) + "etc/passwd",
		"content/dir":         "../shared",
		"content/self":        "self",
		"content/gone.md":     "nothing.md",
		"content/hop.png":     "rel.png",
		"content/hop-out.txt": "out.txt",
	} {
		if err := os.Symlink(target, filepath.Join(site, filepath.FromSlash(name))); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	want := map[string]string{
		"content/a.md":        "", // not a link: itself
		"content/rel.png":     "",
		"content/abs.png":     "",
		"content/hop.png":     "",
		"content/out.txt":     "symbolic link points outside the site (to " + filepath.Join(outside, "secret.txt") + ")",
		"content/up.txt":      "symbolic link points outside the site",
		"content/hop-out.txt": "symbolic link points outside the site (to out.txt)",
		"content/dir":         "symbolic link to a folder (to ../shared)",
		"content/self":        "symbolic link is broken or loops (to self)",
		"content/gone.md":     "symbolic link is broken or loops (to nothing.md)",
	}
	check := func(siteDir string) {
		t.Helper()
		for name, msg := range want {
			got, err := Resolve(siteDir, filepath.Join(siteDir, filepath.FromSlash(name)))
			switch {
			case msg == "" && err != nil:
				t.Errorf("%s (site %q): %v", name, siteDir, err)
			case msg == "" && !sameFile(t, got, filepath.Join(site, filepath.FromSlash(name))):
				t.Errorf("%s (site %q) resolved to %s", name, siteDir, got)
			case msg != "" && (err == nil || !strings.Contains(err.Error(), msg)):
				t.Errorf("%s (site %q): got %v, want an error saying %q", name, siteDir, err, msg)
			}
		}
	}
	check(site)
	// A site given as a relative folder, as `lanmu build` in the site
	// itself does, judges an absolute link to its own file the same way.
	t.Chdir(site)
	check(".")
}

func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}

// FS opens files inside the site, through links that stay inside, and
// refuses a link out of the site or a folder reached through one; Within
// does the same for a folder that lanmu is about to write into.
func TestFSAndWithin(t *testing.T) {
	site, outside := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("机密"), 0o644)
	os.MkdirAll(filepath.Join(site, "archetypes"), 0o755)
	os.WriteFile(filepath.Join(site, "archetypes", "default.md"), []byte("---\n---\n"), 0o644)
	os.WriteFile(filepath.Join(site, "shared.md"), []byte("共用"), 0o644)
	os.Symlink("../shared.md", filepath.Join(site, "archetypes", "news.md"))
	os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(site, "archetypes", "card.md"))
	os.Symlink(outside, filepath.Join(site, "resources"))
	fsys := FS(site, "archetypes")
	for name, want := range map[string]string{"default.md": "---\n---\n", "news.md": "共用"} {
		if got, err := fs.ReadFile(fsys, name); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	if got, err := fs.ReadFile(fsys, "card.md"); err == nil || !strings.Contains(err.Error(), "archetypes/card.md: symbolic link points outside the site") {
		t.Errorf("card.md: %q, %v; want it refused", got, err)
	}
	if err := Within(site, filepath.Join(site, "resources", "_gen", "images")); err == nil {
		t.Errorf("Within accepted a folder under a link out of the site")
	}
	if err := Within(site, filepath.Join(site, "public", "new")); err != nil {
		t.Errorf("Within refused a folder yet to be made inside the site: %v", err)
	}
}
