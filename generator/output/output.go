// Package output writes a built site. Nothing reaches the destination until
// the whole build succeeded, so a failed build never leaves it half-written;
// files in the destination that lanmu did not make are kept.
//
// A first build writes a new folder beside the destination and renames it
// into place. A rebuild changes the destination in place, and only where the
// site changed: the manifest of the last build holds each file's hash, a file
// whose bytes are the same is left as it is (with its time, so rsync and web
// caches see it unchanged), and the changed files wait in a flat folder
// beside the destination until they are renamed over the old ones at the
// end. Rebuilding the whole tree instead would create and delete a file and a
// folder per page on every build; on a file system without a journal, new
// files then land among thousands of recently deleted ones, which the
// kernel scans past one by one.
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
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"lanmu/generator/insite"
	"lanmu/generator/messages"
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
	lock      *os.File // holds the lock of tmp; nil where locks cannot be had
	// inPlace is set when dest existed at Begin: changed files are staged
	// flat in tmp, under numbers, and renamed into dest by Commit. Otherwise
	// tmp is laid out as the site and becomes dest.
	inPlace bool
	mu      sync.Mutex
	// files holds each file written, by site path.
	files map[string]*file
	// old holds the hashes the last build's manifest lists, and oldTime
	// when it was written: a file in dest changed after that is not the
	// file the hash describes.
	old     map[string]string
	oldTime time.Time
	// kept counts the files left as they were in dest; numbered, the files
	// staged in place mode.
	kept     atomic.Int64
	numbered int
	// streams numbers the files being streamed, each made under its own
	// name before its hash, and so its place, is known.
	streams atomic.Int64
	// made holds the folders known to exist, so that each is made once:
	// a map, which costs a third of a sync.Map's memory per folder.
	madeMu sync.Mutex
	made   map[string]bool
	// replaced holds the site paths of files lanmu did not make that this
	// build replaces (see Replaced).
	replaced []string
	// failed is the first write that failed. Later writes return it without
	// trying: on a full disk every one would fail, and the user needs one
	// message, not one per file.
	failed error
}

// file is one output of the build.
type file struct {
	hash string // see fileHash
	// staged is where the bytes wait in tmp; "" when dest already holds
	// them.
	staged string
}

// CheckDest refuses a destination that would destroy the site or the system:
// the site folder itself, a folder above it, a folder inside the site's
// sources, or the root of a file system.
func CheckDest(siteDir, dest string) error {
	// Compared where the links lead: a path through a symbolic link may
	// name the site's own folders under another name.
	site, err := insite.Real(siteDir)
	if err != nil {
		return messages.Errorf("cannot follow the symbolic links in %s: %s", siteDir, reason(err))
	}
	d, err := insite.Real(dest)
	if err != nil {
		return messages.Errorf("cannot follow the symbolic links in %s: %s", dest, reason(err))
	}
	if d == filepath.VolumeName(d)+string(filepath.Separator) {
		return messages.Errorf("refusing to write the site into %s, the root of the file system", d)
	}
	if home, err := os.UserHomeDir(); err == nil && d == filepath.Clean(home) {
		return messages.Errorf("refusing to write the site into your home folder %s", d)
	}
	if insite.Contains(d, site) {
		return messages.Errorf("refusing to write the site into %s: it holds the site's own sources (%s)", d, site)
	}
	// resources/ holds what lanmu keeps between builds (resized photos).
	for _, src := range []string{"content", "static", "layouts", "themes", "archetypes", "i18n", "resources"} {
		inner := filepath.Join(site, src)
		if insite.Contains(inner, d) {
			return messages.Errorf("refusing to write the site into %s: it is inside the site's %s/ folder", d, src)
		}
	}
	return nil
}

// Begin starts writing a new version of dest beside it. Where dest is a
// symbolic link, as a web server's folder often is, the folder it leads to
// is written, and the new files wait beside that folder, on its file
// system, where they can be renamed into it.
func Begin(dest string) (*Dir, error) {
	dest = filepath.Clean(dest)
	if info, err := os.Lstat(dest); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(dest)
		if err != nil {
			return nil, messages.Errorf("cannot write the site into %s: it is a link to a folder that cannot be reached: %s", dest, reason(err))
		}
		dest = real
	}
	parent := filepath.Dir(dest)
	info, err := os.Stat(dest)
	if err == nil && !info.IsDir() {
		return nil, messages.Errorf("cannot write the site into %s: it is a file, not a folder", dest)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		if file := fileInTheWay(parent); file != "" {
			return nil, messages.Errorf("cannot write the site into %s: %s is a file, not a folder", dest, file)
		}
		return nil, messages.Errorf("cannot create the folder %s: %s", parent, reason(err))
	}
	if err := Recover(dest); err != nil {
		return nil, err
	}
	// The new files are written beside the destination, on the same file
	// system, so that renames move them into place.
	tmp, err := os.MkdirTemp(parent, stagingPrefix(dest))
	if err != nil {
		return nil, messages.Errorf("cannot write the site into %s: %s", dest, reason(err))
	}
	// Held until the build ends, so that no other build takes the folder
	// for one left behind (see Recover).
	lock, _ := lockStaging(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, messages.Errorf("cannot write the site into %s: %s", dest, reason(err))
	}
	d := &Dir{dest: dest, tmp: tmp, lock: lock, inPlace: info != nil, files: map[string]*file{}}
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

// Dest is the folder written: the destination, or where it leads when it
// is a symbolic link.
func (d *Dir) Dest() string { return d.dest }

// Reused counts the files left unchanged in the destination.
func (d *Dir) Reused() int { return int(d.kept.Load()) }

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

// add records the file at site path p, refusing any path that would leave
// the destination, and returns where its bytes go: "" when the destination
// holds them already.
func (d *Dir) add(p, hash string, size int64) (string, error) {
	if !cleanSitePath(p) {
		return "", fmt.Errorf("refusing to write %q: not a clean path inside the destination", p)
	}
	f := &file{hash: hash}
	changed := !d.unchanged(p, hash, size)
	theirs := changed && d.foreign(p)
	d.mu.Lock()
	switch {
	case !changed:
	case d.inPlace:
		d.numbered++
		f.staged = strconv.Itoa(d.numbered)
	default:
		f.staged = filepath.FromSlash(p)
	}
	if theirs {
		d.replaced = append(d.replaced, p)
	}
	d.files[p] = f
	d.mu.Unlock()
	if f.staged == "" {
		d.kept.Add(1)
		return "", nil
	}
	return filepath.Join(d.tmp, f.staged), nil
}

// cleanSitePath reports whether p is a site path that stays inside the
// destination: clean, absolute, and not the destination itself.
func cleanSitePath(p string) bool {
	return path.Clean(p) == p && strings.HasPrefix(p, "/") && p != "/" && !strings.ContainsAny(p, "\x00\\")
}

// foreign reports whether dest holds, at site path p, a file that lanmu
// did not write there.
func (d *Dir) foreign(p string) bool {
	if _, ours := d.old[p]; ours || !d.inPlace || p == "/"+ManifestName {
		return false
	}
	info, err := os.Lstat(filepath.Join(d.dest, filepath.FromSlash(p)))
	return err == nil && !info.IsDir()
}

// Replaced lists, sorted, the site paths where the destination held a file
// that lanmu did not make and this build replaces with its own.
func (d *Dir) Replaced() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Sorted(slices.Values(d.replaced))
}

// unchanged reports whether dest holds, at site path p, the file the last
// build wrote there with these bytes, untouched since.
func (d *Dir) unchanged(p, hash string, size int64) bool {
	// The manifest's own time dates the files it lists: it is always new.
	if d.old[p] != hash || p == "/"+ManifestName {
		return false
	}
	info, err := os.Lstat(filepath.Join(d.dest, filepath.FromSlash(p)))
	return err == nil && info.Mode().IsRegular() && info.Size() == size && !info.ModTime().After(d.oldTime)
}

// Write stores data at site path p.
func (d *Dir) Write(p string, data []byte) error {
	if err := d.firstFailure(); err != nil {
		return err
	}
	full, err := d.add(p, fileHash(data), int64(len(data)))
	if err != nil || full == "" {
		return err
	}
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return d.fail(p, err)
	}
	return d.fail(p, os.WriteFile(full, data, 0o644))
}

// Streamer is a Target that takes a file as it is made, for a file too
// large to hold in memory whole (the search index of a large site).
type Streamer interface {
	// Stream stores at site path p what write writes, or returns write's
	// error and stores nothing.
	Stream(p string, write func(io.Writer) error) error
}

// Stream stores at site path p what write writes, hashing it on the way.
func (d *Dir) Stream(p string, write func(io.Writer) error) error {
	if err := d.firstFailure(); err != nil {
		return err
	}
	// Not os.CreateTemp, which makes the file 0600: a web server running
	// as another user could not read it.
	name := filepath.Join(d.tmp, ".stream-"+strconv.FormatInt(d.streams.Add(1), 10))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return d.fail(p, err)
	}
	sum := sha256.New()
	disk := &recordingWriter{w: f}
	buf := bufio.NewWriterSize(io.MultiWriter(disk, sum), 64<<10)
	err = write(buf)
	if err == nil {
		err = buf.Flush()
	}
	if cerr := f.Close(); disk.err == nil {
		disk.err = cerr
	}
	full := ""
	if disk.err == nil && err == nil {
		full, err = d.add(p, digest(sum.Sum(nil)), disk.n)
	}
	if disk.err != nil || err != nil || full == "" {
		os.Remove(f.Name())
		if disk.err != nil {
			return d.fail(p, disk.err)
		}
		return err
	}
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return d.fail(p, err)
	}
	return d.fail(p, os.Rename(f.Name(), full))
}

// recordingWriter counts what it writes and keeps its first error, so that
// a failure of the disk is told from a failure of what is being written.
type recordingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (r *recordingWriter) Write(b []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.w.Write(b)
	r.n += int64(n)
	r.err = err
	return n, err
}

// mkdir makes a folder and its parents, remembering what exists: a site
// is thousands of folders, and asking the file system again for each
// parent of each of them costs more than writing the files.
func (d *Dir) mkdir(dir string) error {
	d.madeMu.Lock()
	made := d.made[dir]
	d.madeMu.Unlock()
	if made {
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
	d.madeMu.Lock()
	if d.made == nil {
		d.made = map[string]bool{}
	}
	d.made[dir] = true
	d.madeMu.Unlock()
	return nil
}

// Copy copies a file from fsys to site path p. It is read twice when it
// changed (once to hash it, once to copy it) and once when it did not.
func (d *Dir) Copy(p string, fsys fs.FS, name string) error {
	if err := d.firstFailure(); err != nil {
		return err
	}
	hash, size, err := hashFile(fsys, name)
	if err != nil {
		return err
	}
	full, err := d.add(p, hash, size)
	if err != nil || full == "" {
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
		d.failed = messages.Errorf("cannot write %s: %s; nothing in %s was changed",
			filepath.Join(d.dest, filepath.FromSlash(p)), reason(err), d.dest)
	}
	return d.failed
}

// Read returns a file written so far, by site path.
func (d *Dir) Read(p string) ([]byte, bool) {
	clean := path.Clean("/" + p)
	d.mu.Lock()
	f := d.files[clean]
	d.mu.Unlock()
	if f == nil {
		return nil, false
	}
	full := filepath.Join(d.tmp, f.staged)
	if f.staged == "" {
		full = filepath.Join(d.dest, filepath.FromSlash(clean))
	}
	data, err := os.ReadFile(full)
	return data, err == nil
}

// Abort throws the new version away; the destination is untouched.
func (d *Dir) Abort() {
	os.RemoveAll(d.tmp)
	d.unlock()
}

func (d *Dir) unlock() {
	if d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}

// Commit makes the new version the destination. Files in the old
// destination that lanmu did not write there (by its manifest) are kept.
func (d *Dir) Commit() error {
	if err := d.writeManifest(); err != nil {
		d.Abort()
		return err
	}
	if !d.inPlace {
		if err := os.Rename(d.tmp, d.dest); err != nil {
			d.Abort()
			return messages.Errorf("cannot move the new site into %s: %s", d.dest, reason(err))
		}
		d.unlock()
		return nil
	}
	defer d.Abort()
	plan := d.plan()
	// Written before dest is touched: a build stopped from here on is
	// finished by the next one (see Recover).
	if err := plan.save(d.tmp); err != nil {
		return messages.Errorf("cannot write the site into %s: %s; nothing in %s was changed", d.dest, reason(err), d.dest)
	}
	if err := plan.apply(d.dest, d.tmp, d.mkdir); err != nil {
		return fmt.Errorf("cannot update %s: %w; it now holds part of the new site, build again to finish it", d.dest, err)
	}
	return nil
}

// removeEmpty removes each of dirs that is empty, and then each parent
// that became empty, up to but not including root.
func removeEmpty(root string, dirs []string) {
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, dir := range dirs {
		for dir != root && strings.HasPrefix(dir, root+string(filepath.Separator)) {
			// The path may hold a file of this build by now.
			if info, err := os.Lstat(dir); err != nil || !info.IsDir() || os.Remove(dir) != nil {
				break
			}
			dir = filepath.Dir(dir)
		}
	}
}

// writeManifest lists the files written, each with its hash, for the next
// build to know which it wrote and which it may leave unchanged.
func (d *Dir) writeManifest() error {
	paths := make([]string, 0, len(d.files)+1)
	for p := range d.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		b.WriteString(p + "\t" + d.files[p].hash + "\n")
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
