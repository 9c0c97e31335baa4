// Package insite keeps a build inside its site folder where symbolic links
// could lead it out: a link in content/, static/, layouts/, i18n/, a
// theme or archetypes/ is followed only to a file inside the site.
package insite

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"lanmu/generator/messages"
)

// Resolve follows the symbolic links in p, a path under the site
// folder siteDir, and returns the real path of the file p names.
//
// A site is often edited by many people and built by a machine that holds
// other files: a link in content/ or static/ to /etc/passwd or to
// ../../secret must never be published. So a link is followed only when it
// ends at a file inside the site. Links to folders are not followed either,
// even inside the site: one such link could repeat a whole tree of pages,
// or loop. The error says, in words for an editor, why a link is refused;
// it names where the link points but never shows what is there.
func Resolve(siteDir, p string) (string, error) {
	// Both absolute: a link written as an absolute path resolves to one,
	// and could not be compared with a relative site folder such as ".".
	target, err := filepath.Abs(p)
	if err == nil {
		target, err = filepath.EvalSymlinks(target)
	}
	if err != nil {
		return "", messages.Errorf("symbolic link is broken or loops%s; lanmu does not follow it", pointsTo(p))
	}
	root, err := Real(siteDir)
	if err != nil {
		return "", err
	}
	if !Contains(root, target) {
		return "", messages.Errorf("symbolic link points outside the site%s; lanmu does not follow it", pointsTo(p))
	}
	info, err := os.Stat(target)
	if err != nil {
		return "", err
	}
	if info.IsDir() {
		return "", messages.Errorf("symbolic link to a folder%s; lanmu follows links to files only: copy the folder, or link its files one by one", pointsTo(p))
	}
	return target, nil
}

// pointsTo says where the link at p points, as it is written, for
// messages; "" when p is not a link.
func pointsTo(p string) messages.Text {
	if to, err := os.Readlink(p); err == nil {
		return messages.Textf(" (to %s)", to)
	}
	return messages.Text{}
}

// FS returns the files under siteDir/dir as an fs.FS that opens a file only
// when its real path, all links followed, lies inside siteDir, and never
// through a link to a folder: os.DirFS follows every link, so a theme's
// layouts/ linked to /etc would be read, and could be published.
func FS(siteDir, dir string) fs.FS { return siteFS{site: siteDir, root: filepath.Join(siteDir, dir)} }

type siteFS struct{ site, root string }

func (s siteFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	full := filepath.Join(s.root, filepath.FromSlash(name))
	if err := inside(s.site, full); err != nil {
		// Named from the site folder, where the user will look.
		shown := name
		if rel, rerr := filepath.Rel(s.site, full); rerr == nil {
			shown = filepath.ToSlash(rel)
		}
		return nil, &fs.PathError{Op: "open", Path: shown, Err: err}
	}
	return os.Open(full)
}

// inside checks that full, with its links followed, lies inside siteDir,
// and is not itself a link to a folder.
func inside(siteDir, full string) error {
	info, err := os.Lstat(full)
	if err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		_, err := Resolve(siteDir, full)
		return err
	}
	return Within(siteDir, full)
}

// Within checks that p, a path under siteDir that may not exist yet, stays
// inside siteDir once the links of the part that exists are followed: a
// folder lanmu reads through or writes into (resources/) must not lead out
// of the site.
func Within(siteDir, p string) error {
	root, err := Real(siteDir)
	if err != nil {
		return err
	}
	real, err := Real(p)
	if err != nil {
		return messages.Errorf("symbolic link on the way is broken or loops; lanmu does not follow it")
	}
	if !Contains(root, real) {
		return messages.Errorf("a folder on the way is a symbolic link that points outside the site; lanmu does not follow it")
	}
	return nil
}

// Real returns the absolute path p names once every symbolic link in it is
// followed; the part of it that does not exist yet is kept as written.
func Real(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Lstat(dir); err == nil {
			real, err := filepath.EvalSymlinks(dir)
			if err != nil {
				return "", err
			}
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if dir == filepath.Dir(dir) {
			return abs, nil
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
	}
}

// Contains reports whether the absolute path p is root or lies below it.
func Contains(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
