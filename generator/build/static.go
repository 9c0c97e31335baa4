package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"lanmu/generator/content"
	"lanmu/generator/diag"
	"lanmu/generator/insite"
)

// staticJobs copies the theme's static folders, then the site's static/,
// whose files override the theme's.
//
// A symbolic link in the site's static/ is copied as the file it names
// when that file is inside the site; a link out of the site, a broken one,
// a loop or a link to a folder is an error at the link, as in content/
// (insite.Resolve). Links in a theme's static folder are skipped.
func staticJobs(siteDir string, themeStatic []fs.FS) []*job {
	byPath := map[string]*job{}
	var order []string
	add := func(j *job) {
		if _, seen := byPath[j.path]; !seen {
			order = append(order, j.path)
		}
		byPath[j.path] = j
	}
	for _, fsys := range themeStatic {
		fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 || content.Ignored(d.Name()) {
				return nil
			}
			add(&job{path: "/" + p, make: copied{fsys: fsys, name: p, static: true}})
			return nil
		})
	}
	site := siteFS(siteDir)
	filepath.WalkDir(filepath.Join(siteDir, "static"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // no static/ folder, or one lanmu may not read: nothing to copy
		}
		rel, _ := filepath.Rel(siteDir, p)
		rel = filepath.ToSlash(rel)                     // "static/css/a.css"
		out := "/" + strings.TrimPrefix(rel, "static/") // "/css/a.css"
		if content.Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if _, err := insite.Resolve(siteDir, p); err != nil {
				add(&job{path: out, make: failed{diag.Errorf(rel, 0, 0, "%v", err)}, source: rel})
				return nil
			}
		}
		if d.IsDir() || rel == "static" {
			return nil // a folder is walked; a file named static is not a folder to copy
		}
		add(&job{path: out, make: copied{fsys: site, name: rel, static: true}})
		return nil
	})
	out := make([]*job, 0, len(order))
	for _, p := range order {
		out = append(out, byPath[p])
	}
	return out
}

// siteFS reads files of the site folder it names. Every open checks again
// that the file, its links followed, is a file inside the site, so that a
// copy cannot leave the site whatever changed since the folder was read.
type siteFS string

func (dir siteFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	real, err := insite.Resolve(string(dir), filepath.Join(string(dir), filepath.FromSlash(name)))
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.Open(real)
}
