package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"lanmu/generator/messages"
)

// target is a folder that must be watched on behalf of Options: a root
// (recursively) or the folder of a single file. While it does not exist, its
// nearest existing parent is watched instead, so its creation is seen.
type target struct {
	dir       string
	recursive bool   // a root: every folder below it is watched too
	file      string // for Files: the file in dir, reported when dir appears
	active    bool   // dir exists and its watches are in place
}

// planTargets lists the folders to watch. A file inside a root needs no
// target of its own: the root's watches already see it.
func (w *Watcher) planTargets() {
	for _, r := range w.roots {
		w.targets = append(w.targets, &target{dir: r, recursive: true})
	}
	for _, f := range w.files {
		if w.inRoot(filepath.Dir(f), false) || w.isRoot(filepath.Dir(f)) {
			continue
		}
		w.targets = append(w.targets, &target{dir: filepath.Dir(f), file: f})
	}
}

// resolve activates every target whose folder exists and, for the others,
// watches the nearest existing parent. report says whether what it finds in a
// newly active folder counts as changed: not in New (nothing was built yet),
// yes later (the folder appeared, possibly with files already inside).
func (w *Watcher) resolve(report bool) {
	for _, t := range w.targets {
		if w.fsw == nil {
			return // fell back to polling, which covers every target
		}
		if t.active || !w.watchToward(t.dir) {
			continue
		}
		// Marked before adding so that a failure is logged once, not on
		// every later event; a failure to watch is logged by add.
		t.active = true
		if t.recursive {
			w.addTree(t.dir, report)
			continue
		}
		if w.add(t.dir) && report {
			if _, err := os.Lstat(t.file); err == nil {
				w.markChanged(t.file)
			}
		}
	}
}

// watchToward reports whether dir exists; while it does not, it watches the
// nearest existing parent so that the next folder down the path is seen when
// it is created.
func (w *Watcher) watchToward(dir string) bool {
	// Each round goes at least one folder further down the path; the bound
	// only guards against a tree that keeps changing under us.
	for range 256 {
		if isDir(dir) {
			return true
		}
		parent := dir
		for {
			up := filepath.Dir(parent)
			if up == parent {
				return false // not even the file system root exists
			}
			parent = up
			if isDir(parent) {
				break
			}
		}
		if !w.add(parent) {
			return false
		}
		// The next folder may have been created between the look and the
		// watch; its Create event is then lost, so look once more.
		if !isDir(childToward(parent, dir)) {
			return false
		}
	}
	return isDir(dir)
}

// addTree watches dir and every folder below it. Each folder's watch is
// added before the folder is read (WalkDir calls back before reading), so a
// file created meanwhile is either listed by the walk or caught by the
// watch. With report, everything found counts as changed: that is how files
// written into a brand-new folder before its watch existed are not missed.
func (w *Watcher) addTree(dir string, report bool) {
	// The trailing separator makes WalkDir follow a root that is a symbolic
	// link to a folder; links below it are reported but not followed.
	_ = filepath.WalkDir(dir+string(filepath.Separator), func(p string, d fs.DirEntry, err error) error {
		if w.fsw == nil || w.isDone() {
			return filepath.SkipAll
		}
		p = filepath.Clean(p)
		if err != nil {
			// A folder that vanished is reported by its own Remove event.
			if !errors.Is(err, fs.ErrNotExist) {
				w.logf("watch: %v", err)
			}
			return nil
		}
		if p != dir && w.ignore(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() && !w.add(p) {
			if w.fsw == nil {
				return filepath.SkipAll
			}
			return filepath.SkipDir
		}
		if report {
			w.markChanged(p)
		}
		return nil
	})
}

// add watches one folder. It reports false if the folder cannot be watched;
// when the kernel's limit is the reason, it switches to polling first.
func (w *Watcher) add(dir string) bool {
	if w.fsw == nil {
		return false
	}
	var err error
	if w.addHook != nil {
		err = w.addHook(w.fsw.Add, dir)
	} else {
		err = w.fsw.Add(dir)
	}
	switch {
	case err == nil:
		w.watched[dir] = true
		return true
	case isLimit(err):
		w.fallBack(err)
	case !errors.Is(err, fs.ErrNotExist): // gone already: its removal is an event of its own
		w.logf("watch: cannot watch %s: %v", dir, err)
	}
	return false
}

// handleEvent turns one fsnotify event into watch bookkeeping and, if it
// concerns a watched path, a change in the current burst.
func (w *Watcher) handleEvent(ev fsnotify.Event) {
	// Chmod alone is a permission or timestamp change, or the first half of
	// deleting a file that is still open (the Remove follows): no content
	// changed.
	if ev.Op&^fsnotify.Chmod == 0 {
		return
	}
	p := filepath.Clean(ev.Name)
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(p)
	}
	if ev.Has(fsnotify.Create) {
		w.created(p)
	}
	if w.relevant(p) {
		w.markChanged(p)
	}
}

// handleError logs errors from fsnotify. A queue overflow means events were
// lost, so everything is reported and the trees are walked again to watch
// folders whose Create event was among the lost ones.
func (w *Watcher) handleError(err error) {
	if !errors.Is(err, fsnotify.ErrEventOverflow) {
		w.logf("watch: %v", err)
		return
	}
	w.logf("watch: the kernel's event queue overflowed; rescanning and reporting everything as changed")
	w.markAll()
	for _, t := range w.targets {
		if t.active && t.recursive {
			w.addTree(t.dir, false)
		}
	}
	w.resolve(true)
}

// created watches a folder that was created or moved in, with everything
// below it, and activates targets that were waiting for it.
func (w *Watcher) created(p string) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.IsDir() {
		return
	}
	if w.inRoot(p, true) {
		w.addTree(p, true)
	}
	for _, t := range w.targets {
		if !t.active && (t.dir == p || isBelow(t.dir, p)) {
			w.resolve(true)
			return
		}
	}
}

// forget drops the watches of a folder that was removed or renamed away, and
// of everything below it: after a rename, the kernel would keep reporting
// the moved folders under their old names. Targets inside it go back to
// waiting for their folder to (re)appear.
func (w *Watcher) forget(p string) {
	affected := w.watched[p]
	for _, t := range w.targets {
		if t.active && (t.dir == p || isBelow(t.dir, p)) {
			t.active = false
			affected = true
		}
	}
	if !affected {
		return // a file, or a folder nothing below which is watched
	}
	for d := range w.watched {
		if d == p || isBelow(d, p) {
			delete(w.watched, d)
			// Usually the kernel dropped it already; the error says so.
			if w.fsw != nil {
				_ = w.fsw.Remove(d)
			}
		}
	}
	w.resolve(true)
}

// fallBack closes fsnotify and polls from now on, after saying why.
func (w *Watcher) fallBack(cause error) {
	if w.fsw == nil {
		return
	}
	w.logf("%s", limitMessage(cause, len(w.watched)+1, w.interval))
	if err := w.fsw.Close(); err != nil {
		w.logf("watch: closing file notifications: %v", err)
	}
	w.fsw = nil
	clear(w.watched)
	w.startPolling()
	// Changes between the last event read and the polling baseline cannot
	// be known; reporting the roots makes the consumer rebuild everything.
	w.markAll()
}

// limitMessage explains a failure of file notifications, naming the setting
// to raise when a kernel limit is the cause; n is how many folders were being
// watched when it happened.
func limitMessage(err error, n int, interval time.Duration) messages.Text {
	fallback := messages.Textf("falling back to polling every %s", interval)
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return messages.Textf("watch: watching %d folders hit the system's limit (fs.inotify.max_user_watches); %s — raise it with: sudo sysctl fs.inotify.max_user_watches=524288", n, fallback)
	case errors.Is(err, syscall.EMFILE) && runtime.GOOS == "linux":
		return messages.Textf("watch: too many inotify instances or open files (fs.inotify.max_user_instances); %s — raise it with: sudo sysctl fs.inotify.max_user_instances=1024", fallback)
	case errors.Is(err, syscall.EMFILE):
		return messages.Textf("watch: watching %d folders hit the open files limit; %s — raise it with: ulimit -n 65536", n, fallback)
	default:
		return messages.Textf("watch: file notifications failed (%v); %s", err, fallback)
	}
}

// isLimit reports errors meaning the kernel will not watch more.
func isLimit(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE)
}

// relevant reports whether a change to p is one to report.
func (w *Watcher) relevant(p string) bool {
	return w.isFile[p] || w.isRoot(p) || w.inRoot(p, false)
}

func (w *Watcher) isRoot(p string) bool {
	for _, r := range w.roots {
		if p == r {
			return true
		}
	}
	return false
}

// inRoot reports whether p lies strictly below a root (an active one, if
// activeOnly) with no ignored name on the way: editor junk, and anything in
// hidden folders such as .git, is not the site's.
func (w *Watcher) inRoot(p string, activeOnly bool) bool {
	for _, t := range w.targets {
		if !t.recursive || (activeOnly && !t.active) {
			continue
		}
		if w.visibleBelow(p, t.dir) {
			return true
		}
	}
	return false
}

// visibleBelow reports whether p is strictly below dir and no name between
// them is ignored.
func (w *Watcher) visibleBelow(p, dir string) bool {
	rel, ok := relBelow(p, dir)
	if !ok {
		return false
	}
	for name := range strings.SplitSeq(rel, string(filepath.Separator)) {
		if w.ignore(name) {
			return false
		}
	}
	return true
}

// relBelow returns p relative to dir if p is strictly below dir; both must
// be clean and absolute.
func relBelow(p, dir string) (string, bool) {
	prefix := dir
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	if len(p) <= len(prefix) || !strings.HasPrefix(p, prefix) {
		return "", false
	}
	return p[len(prefix):], true
}

func isBelow(p, dir string) bool {
	_, ok := relBelow(p, dir)
	return ok
}

// childToward returns the folder right below parent on the way to dir.
func childToward(parent, dir string) string {
	rel, ok := relBelow(dir, parent)
	if !ok {
		return dir
	}
	first, _, _ := strings.Cut(rel, string(filepath.Separator))
	return filepath.Join(parent, first)
}

// isDir follows symbolic links, so a root may be a link to a folder.
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
