// Package output writes a built site. Disk output goes into a temporary
// folder beside the destination and replaces it in one step only when the
// whole build succeeded, so a failed build never leaves the destination
// half-written; files in the destination that lanmu did not make are kept.
package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
)

// ManifestName lists, inside the destination, the files lanmu wrote there,
// so that the next build removes only those.
const ManifestName = ".lanmu-manifest"

// Target receives a site's files. Paths are site paths with a leading
// slash ("/readings/a/index.html"). Implementations are safe for concurrent
// use, and do not keep the slice given to Write: callers reuse it.
type Target interface {
	Write(p string, data []byte) error
	// Copy copies the file name of fsys to p.
	Copy(p string, fsys fs.FS, name string) error
}

// Dir is a Target that builds a destination folder on disk.
type Dir struct {
	dest, tmp string
	mu        sync.Mutex
	written   map[string]bool
	made      sync.Map // folders known to exist, so each is made once
	// failed is the first write that failed. Later writes return it without
	// trying: on a full disk every one would fail, and the user needs one
	// message, not one per file.
	failed error
}

// CheckDest refuses a destination that would destroy the site or the system:
// the site folder itself, a folder above it, a folder inside the site's
// sources, or the root of a file system.
func CheckDest(siteDir, dest string) error {
	site, err := filepath.Abs(siteDir)
	if err != nil {
		return err
	}
	d, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if d == filepath.VolumeName(d)+string(filepath.Separator) {
		return fmt.Errorf("refusing to write the site into %s, the root of the file system", d)
	}
	if home, err := os.UserHomeDir(); err == nil && d == filepath.Clean(home) {
		return fmt.Errorf("refusing to write the site into your home folder %s", d)
	}
	if rel, err := filepath.Rel(d, site); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return fmt.Errorf("refusing to write the site into %s: it holds the site's own sources (%s)", d, site)
	}
	// resources/ holds what lanmu keeps between builds (resized photos).
	for _, src := range []string{"content", "static", "layouts", "themes", "archetypes", "i18n", "resources"} {
		inner := filepath.Join(site, src)
		if rel, err := filepath.Rel(inner, d); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return fmt.Errorf("refusing to write the site into %s: it is inside the site's %s/ folder", d, src)
		}
	}
	return nil
}

// Begin starts writing a new version of dest in a temporary folder beside it.
func Begin(dest string) (*Dir, error) {
	dest = filepath.Clean(dest)
	parent := filepath.Dir(dest)
	if info, err := os.Lstat(dest); err == nil && !info.IsDir() && info.Mode()&fs.ModeSymlink == 0 {
		return nil, fmt.Errorf("cannot write the site into %s: it is a file, not a folder", dest)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		if file := fileInTheWay(parent); file != "" {
			return nil, fmt.Errorf("cannot write the site into %s: %s is a file, not a folder", dest, file)
		}
		return nil, fmt.Errorf("cannot create the folder %s: %s", parent, reason(err))
	}
	// The new version is written beside the destination, on the same file
	// system, so that it can replace it in one step.
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".lanmu-")
	if err != nil {
		return nil, fmt.Errorf("cannot write the site into %s: %s", dest, reason(err))
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("cannot write the site into %s: %s", dest, reason(err))
	}
	return &Dir{dest: dest, tmp: tmp, written: map[string]bool{}}, nil
}

// fileInTheWay returns the nearest existing ancestor of dir, dir included,
// when it is a file rather than a folder, or "".
func fileInTheWay(dir string) string {
	for ; ; dir = filepath.Dir(dir) {
		if info, err := os.Stat(dir); err == nil {
			if info.IsDir() {
				return ""
			}
			return dir
		}
		if dir == filepath.Dir(dir) {
			return ""
		}
	}
}

// reason says in words why a file operation failed, without the path of
// the temporary folder that the system's message names.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full (" + err.Error() + ")"
	case errors.Is(err, syscall.EROFS):
		return "the disk is mounted read-only (" + err.Error() + ")"
	case errors.Is(err, fs.ErrPermission):
		return "lanmu may not write there (" + err.Error() + ")"
	}
	return err.Error()
}

// local maps a site path into the temporary folder, refusing any path that
// would leave it.
func (d *Dir) local(p string) (string, error) {
	clean := path.Clean(p)
	if clean != p || !strings.HasPrefix(p, "/") || p == "/" || strings.ContainsAny(p, "\x00\\") {
		return "", fmt.Errorf("refusing to write %q: not a clean path inside the destination", p)
	}
	d.mu.Lock()
	d.written[clean] = true
	d.mu.Unlock()
	return filepath.Join(d.tmp, filepath.FromSlash(clean)), nil
}

// Write stores data at site path p.
func (d *Dir) Write(p string, data []byte) error {
	full, err := d.local(p)
	if err != nil {
		return err
	}
	if err := d.firstFailure(); err != nil {
		return err
	}
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return d.fail(p, err)
	}
	return d.fail(p, os.WriteFile(full, data, 0o644))
}

// mkdir makes a folder and its parents, remembering what exists: a site
// is thousands of folders, and asking the file system again for each
// parent of each of them costs more than writing the files.
func (d *Dir) mkdir(dir string) error {
	if _, ok := d.made.Load(dir); ok {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := d.mkdir(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	d.made.Store(dir, true)
	return nil
}

// Copy copies a file from fsys to site path p.
func (d *Dir) Copy(p string, fsys fs.FS, name string) error {
	full, err := d.local(p)
	if err != nil {
		return err
	}
	if err := d.firstFailure(); err != nil {
		return err
	}
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return d.fail(p, err)
	}
	in, err := fsys.Open(name)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(full, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return d.fail(p, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return d.fail(p, err)
	}
	return d.fail(p, out.Close())
}

func (d *Dir) firstFailure() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.failed
}

// fail records a failed write of site path p and returns the first failure
// of the build, so that writes failing together report one message. The
// message names the file where the user will look for it, in the
// destination rather than the temporary folder.
func (d *Dir) fail(p string, err error) error {
	if err == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failed == nil {
		d.failed = fmt.Errorf("cannot write %s: %s; nothing in %s was changed",
			filepath.Join(d.dest, filepath.FromSlash(p)), reason(err), d.dest)
	}
	return d.failed
}

// Read returns a file written so far, by site path.
func (d *Dir) Read(p string) ([]byte, bool) {
	clean := path.Clean("/" + p)
	d.mu.Lock()
	written := d.written[clean]
	d.mu.Unlock()
	if !written {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(d.tmp, filepath.FromSlash(clean)))
	return data, err == nil
}

// Abort throws the new version away; the destination is untouched.
func (d *Dir) Abort() {
	os.RemoveAll(d.tmp)
}

// Commit makes the new version the destination. Files in the old
// destination that lanmu did not write there (by its manifest) are kept.
func (d *Dir) Commit() error {
	if err := d.keepForeign(); err != nil {
		d.Abort()
		return fmt.Errorf("cannot keep the files in %s that lanmu did not make: %s; nothing in %s was changed", d.dest, reason(err), d.dest)
	}
	if err := d.writeManifest(); err != nil {
		d.Abort()
		return err
	}
	if _, err := os.Lstat(d.dest); errors.Is(err, os.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			d.Abort()
			return fmt.Errorf("cannot move the new site into %s: %w", d.dest, err)
		}
		return nil
	}
	if err := swap(d.tmp, d.dest); err != nil {
		d.Abort()
		return fmt.Errorf("cannot replace %s: %w", d.dest, err)
	}
	// d.tmp now holds the previous version.
	return os.RemoveAll(d.tmp)
}

func (d *Dir) writeManifest() error {
	paths := make([]string, 0, len(d.written)+1)
	for p := range d.written {
		paths = append(paths, p)
	}
	paths = append(paths, "/"+ManifestName)
	sort.Strings(paths)
	return d.Write("/"+ManifestName, []byte(strings.Join(paths, "\n")+"\n"))
}

// Listed returns the files lanmu wrote into dest last time, by site path
// ("/print/cards.pdf"), as its manifest lists them; none when there is
// no manifest.
func Listed(dest string) []string {
	var paths []string
	for p := range readManifest(dest) {
		if p != "/"+ManifestName {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	return paths
}

// readManifest returns the files lanmu wrote into dest last time.
func readManifest(dest string) map[string]bool {
	made := map[string]bool{}
	f, err := os.Open(filepath.Join(dest, ManifestName))
	if err != nil {
		return made
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		made[sc.Text()] = true
	}
	return made
}

// keepForeign links every file of the old destination that lanmu did not
// make, and that the new build does not replace, into the new version. Links
// leave the old destination as it is until the swap.
func (d *Dir) keepForeign() error {
	made := readManifest(d.dest)
	return filepath.WalkDir(d.dest, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == d.dest {
				return fs.SkipAll
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(d.dest, p)
		site := "/" + filepath.ToSlash(rel)
		if made[site] || d.written[site] || site == "/"+ManifestName {
			return nil
		}
		target := filepath.Join(d.tmp, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if e.Type()&fs.ModeSymlink != 0 {
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		if err := os.Link(p, target); err == nil {
			return nil
		}
		return copyFile(p, target)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
