// Package output writes a built site. Disk output goes into a temporary
// folder beside the destination and replaces it in one step only when the
// whole build succeeded, so a failed build never leaves the destination
// half-written; files in the destination that lanmu did not make are kept.
//
// A rebuild writes only what changed: the manifest of the last build holds
// each file's hash, and a file whose bytes are the same is hard-linked from
// the old destination instead of written again. Linking costs no data
// blocks, and removing the old destination then frees none for those
// files; the files keep their times, so rsync and web caches see them
// unchanged.
package output

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
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
	"sync/atomic"
	"syscall"
	"time"
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
	// written holds the hash of each file written (see fileHash).
	written map[string]string
	// old holds the hashes the last build's manifest lists, and oldTime
	// when it was written: a file in dest changed after that is not the
	// file the hash describes.
	old     map[string]string
	oldTime time.Time
	// reused counts the files linked from the old destination.
	reused atomic.Int64
	made   sync.Map // folders known to exist, so each is made once
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
	d := &Dir{dest: dest, tmp: tmp, written: map[string]string{}}
	d.old, d.oldTime = readHashes(dest)
	return d, nil
}

// fileHash identifies a file's bytes in the manifest: a SHA-256, cut to
// 128 bits, which no two different outputs of a site share by chance.
func fileHash(data []byte) string {
	sum := sha256.Sum256(data)
	return digest(sum[:])
}

// digest writes a SHA-256 sum as fileHash does.
func digest(sum []byte) string { return hex.EncodeToString(sum[:16]) }

// Reused counts the files linked unchanged from the old destination.
func (d *Dir) Reused() int { return int(d.reused.Load()) }

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
// would leave it, and notes the file's hash.
func (d *Dir) local(p, hash string) (string, error) {
	clean := path.Clean(p)
	if clean != p || !strings.HasPrefix(p, "/") || p == "/" || strings.ContainsAny(p, "\x00\\") {
		return "", fmt.Errorf("refusing to write %q: not a clean path inside the destination", p)
	}
	d.mu.Lock()
	d.written[clean] = hash
	d.mu.Unlock()
	return filepath.Join(d.tmp, filepath.FromSlash(clean)), nil
}

// Write stores data at site path p.
func (d *Dir) Write(p string, data []byte) error {
	hash := fileHash(data)
	full, err := d.local(p, hash)
	if err != nil {
		return err
	}
	if err := d.firstFailure(); err != nil {
		return err
	}
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return d.fail(p, err)
	}
	if d.reuse(p, hash, int64(len(data)), full) {
		return nil
	}
	return d.fail(p, os.WriteFile(full, data, 0o644))
}

// reuse links the old destination's file at site path p to full when the
// last build wrote the same bytes there and nobody changed it since.
func (d *Dir) reuse(p, hash string, size int64, full string) bool {
	// The manifest's own time dates the files it lists: it is always new.
	if d.old[p] != hash || p == "/"+ManifestName {
		return false
	}
	old := filepath.Join(d.dest, filepath.FromSlash(p))
	info, err := os.Lstat(old)
	if err != nil || !info.Mode().IsRegular() || info.Size() != size || info.ModTime().After(d.oldTime) {
		return false
	}
	if os.Link(old, full) != nil {
		return false
	}
	d.reused.Add(1)
	return true
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

// Copy copies a file from fsys to site path p. It is read twice when it
// changed (once to hash it, once to copy it) and once when it did not.
func (d *Dir) Copy(p string, fsys fs.FS, name string) error {
	hash, size, err := hashFile(fsys, name)
	if err != nil {
		return err
	}
	full, err := d.local(p, hash)
	if err != nil {
		return err
	}
	if err := d.firstFailure(); err != nil {
		return err
	}
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return d.fail(p, err)
	}
	if d.reuse(p, hash, size, full) {
		return nil
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

// hashFile returns the fileHash of a file of fsys, read as a stream, and
// its size.
func hashFile(fsys fs.FS, name string) (string, int64, error) {
	in, err := fsys.Open(name)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	h := sha256.New()
	n, err := io.Copy(h, in)
	if err != nil {
		return "", 0, err
	}
	return digest(h.Sum(nil)), n, nil
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
	_, written := d.written[clean]
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

// writeManifest lists the files written, each with its hash, for the next
// build to know which it wrote and which it may link unchanged.
func (d *Dir) writeManifest() error {
	paths := make([]string, 0, len(d.written)+1)
	for p := range d.written {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		b.WriteString(p)
		if h := d.written[p]; h != "" {
			b.WriteString("\t" + h)
		}
		b.WriteByte('\n')
	}
	b.WriteString("/" + ManifestName + "\n")
	return d.Write("/"+ManifestName, []byte(b.String()))
}

// Listed returns the files lanmu wrote into dest last time, by site path
// ("/print/cards.pdf"), as its manifest lists them; none when there is
// no manifest.
func Listed(dest string) []string {
	var paths []string
	hashes, _ := readHashes(dest)
	for p := range hashes {
		if p != "/"+ManifestName {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	return paths
}

// readHashes returns the files lanmu wrote into dest last time, each with
// its hash ("" in a manifest from before hashes were kept), and when the
// manifest was written.
func readHashes(dest string) (map[string]string, time.Time) {
	hashes := map[string]string{}
	f, err := os.Open(filepath.Join(dest, ManifestName))
	if err != nil {
		return hashes, time.Time{}
	}
	defer f.Close()
	var written time.Time
	if info, err := f.Stat(); err == nil {
		written = info.ModTime()
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p, hash, _ := strings.Cut(sc.Text(), "\t")
		hashes[p] = hash
	}
	return hashes, written
}

// keepForeign links every file of the old destination that lanmu did not
// make, and that the new build does not replace, into the new version. Links
// leave the old destination as it is until the swap.
func (d *Dir) keepForeign() error {
	made := d.old // the manifest of d.dest, read by Begin
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
		_, written := d.written[site]
		_, listed := made[site]
		if listed || written || site == "/"+ManifestName {
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
