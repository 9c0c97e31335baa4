package watch

import (
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stamp is what polling compares per path. Folders only count by their
// existence: their size and time change with every file added inside, and
// those files are reported themselves, just as with kernel notifications.
// A file rewritten within one tick of the file system's clock with the same
// size goes unseen; that is the price of polling.
type stamp struct {
	size  int64
	mtime int64
	mode  fs.FileMode
}

func stampOf(fi fs.FileInfo) stamp {
	if fi.IsDir() {
		return stamp{mode: fs.ModeDir}
	}
	return stamp{size: fi.Size(), mtime: fi.ModTime().UnixNano(), mode: fi.Mode()}
}

// startPolling takes the baseline that later polls are compared with and
// starts the clock.
func (w *Watcher) startPolling() {
	w.polling.Store(true)
	w.snap, _ = w.snapshot()
	w.ticker = time.NewTicker(w.interval)
}

// poll reports every path created, changed or deleted since the last poll.
// The paths go through the same coalescing as kernel events; they are marked
// within one poll, well inside Settle, so one poll's changes make one Batch,
// and a save that spans two polls makes two, the second one complete.
func (w *Watcher) poll() {
	snap, ok := w.snapshot()
	if !ok {
		return // interrupted by Close: a partial walk would look like deletions
	}
	for p, s := range snap {
		if old, had := w.snap[p]; !had || old != s {
			w.markChanged(p)
		}
	}
	for p := range w.snap {
		if _, has := snap[p]; !has {
			w.markChanged(p)
		}
	}
	w.snap = snap
}

// snapshot stamps every visible path under the roots, and the files. It
// reports false if Close interrupted it.
func (w *Watcher) snapshot() (map[string]stamp, bool) {
	snap := make(map[string]stamp, len(w.snap))
	for _, r := range w.roots {
		aborted := false
		// The trailing separator follows a root that is a symbolic link.
		_ = filepath.WalkDir(r+string(filepath.Separator), func(p string, d fs.DirEntry, err error) error {
			if w.isDone() {
				aborted = true
				return filepath.SkipAll
			}
			if err != nil {
				return nil // missing or unreadable: counts as absent
			}
			p = filepath.Clean(p)
			if p != r && w.ignore(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return nil // deleted since the folder was read
			}
			snap[p] = stampOf(fi)
			return nil
		})
		if aborted {
			return nil, false
		}
	}
	for _, f := range w.files {
		// Stat, not Lstat: a linked lanmu.toml changes when its target does.
		if fi, err := os.Stat(f); err == nil {
			snap[f] = stampOf(fi)
		}
	}
	return snap, true
}
