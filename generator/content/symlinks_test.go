package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

func TestResolveInSite(t *testing.T) {
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
			got, err := ResolveInSite(siteDir, filepath.Join(siteDir, filepath.FromSlash(name)))
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
