package build

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"lanmu/internal/testsite"
)

// TestSiteFSStaysInTheSite opens files through siteFS the way copies do:
// a file, or a link to one inside the site, opens; a link out of the site
// does not, nor a file reached through a linked folder, which the scan of
// content/ and static/ never lists but a copy must refuse all the same.
func TestSiteFSStaysInTheSite(t *testing.T) {
	outside := testsite.Write(t, map[string]string{"secret.txt": "secret", "dir/a.txt": "secret"})
	site := testsite.Write(t, map[string]string{"static/a.css": "inside", "shared/b.css": "inside"})
	for name, target := range map[string]string{
		"static/in.css":   "../shared/b.css",
		"static/out.txt":  filepath.Join(outside, "secret.txt"),
		"static/dir":      filepath.Join(outside, "dir"),
		"static/shared":   "../shared",
		"static/loop.css": "loop.css",
	} {
		if err := os.Symlink(target, filepath.Join(site, filepath.FromSlash(name))); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	fsys := siteFS(site)
	for name, ok := range map[string]bool{
		"static/a.css":      true,
		"static/in.css":     true,
		"static/out.txt":    false,
		"static/dir/a.txt":  false,
		"static/shared":     false,
		"static/loop.css":   false,
		"static/../x":       false,
		"/etc/passwd":       false,
		"static/missing.js": false,
	} {
		f, err := fsys.Open(name)
		if !ok {
			if err == nil {
				data, _ := io.ReadAll(f)
				f.Close()
				t.Errorf("%s opened and read %q", name, data)
			} else if pe := (*fs.PathError)(nil); !errors.As(err, &pe) {
				t.Errorf("%s: the error is not an *fs.PathError: %v", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil || string(data) != "inside" {
			t.Errorf("%s read %q, %v", name, data, err)
		}
	}
}
