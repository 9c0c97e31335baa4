// Package watch tells `lanmu serve` which files changed, so that it rebuilds
// the site once per save instead of missing a change or rebuilding for noise.
//
// fsnotify (inotify on Linux) alone is not enough for that: it is not
// recursive, it reports permission-only changes and editor temp files, an
// editor's atomic save arrives as several events, a git checkout produces
// thousands of them, and the kernel limits how many folders can be watched.
// A Watcher hides all of that behind one channel of Batches and guarantees:
//
//   - every folder under each root is watched, including folders created or
//     moved in later; the files a new folder already holds when its watch is
//     added are reported, so "mkdir -p a/b && write a/b/x.md" is never missed;
//   - roots, and the folders of single files, that do not exist yet are
//     watched for and picked up when they appear (and again if they are
//     removed and recreated);
//   - chmod-only events and editor junk (see IgnoredName) are dropped, but the
//     real file of an atomic save (write temp, rename over) is reported;
//   - the first change after a quiet spell is reported at once (Settle after
//     it, a few milliseconds, which covers the rest of one editor's save), and
//     what follows in the same burst is coalesced: that Batch is sent once
//     Debounce passes without a new event, or MaxDelay after the first of its
//     events if they keep coming; whatever changes after a Batch was sent is
//     always in a later Batch, so the last state of a burst is never missed;
//   - no change is dropped and the kernel's event reader never waits for the
//     consumer: while a Batch waits to be received, later changes are merged
//     into it;
//   - when the kernel cannot watch everything (inotify's watch or instance
//     limit), the Watcher says so once through Logf, naming the setting to
//     raise, and falls back to polling instead of silently missing changes.
//
// When the Watcher cannot know exactly what changed (the kernel's event queue
// overflowed, or it switched to polling while running), the Batch contains the
// roots and files themselves, meaning "anything under here may have changed".
// A removed or renamed folder is reported by its own path, not by each file it
// held. Symbolic links inside a root are reported but not followed.
package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// The values that zero Options fields stand for.
const (
	defaultSettle       = 5 * time.Millisecond
	defaultDebounce     = 80 * time.Millisecond
	defaultMaxDelay     = time.Second
	defaultPollInterval = 500 * time.Millisecond
)

// Options say what to watch and how eagerly to report it.
type Options struct {
	// Roots are folders to watch recursively. A root that does not exist yet
	// is watched for (through its nearest existing parent, non-recursively)
	// and picked up when it appears.
	Roots []string
	// Files are single files to watch (e.g. SITE/lanmu.toml), including when
	// an editor replaces them by rename (atomic save). Only the file itself is
	// reported, not its siblings, and Ignore does not apply to it.
	Files []string
	// Ignore filters editor temp files by base name; nil means IgnoredName.
	// It applies to names below a root, never to a root itself or to Files.
	Ignore func(name string) bool
	// Settle is how long the first change after a quiet spell waits for the
	// rest of its save before it is reported; the window does not grow with
	// further events. 0 means 5ms: bench/savegaps, on a loaded 2-core
	// machine, saw every event of one save (Vim's rename away, create and
	// write; sed -i; truncate then write) within 1.1ms of the first, and of
	// a 200-file git checkout within 3ms (a larger checkout's rest comes in
	// the next Batch); 5ms is a twentieth of the 100ms in which a one-page
	// edit should reach the browser.
	Settle time.Duration
	// Debounce is the quiet time that ends a burst: a change after at least
	// this long without any starts a new one (and is reported after Settle);
	// changes within a burst, after its first Batch, are sent once Debounce
	// passes without a new one. 0 means 80ms.
	Debounce time.Duration
	// MaxDelay bounds how long changes may be held back: a Batch is sent at
	// most this long after the first change it holds even if changes keep
	// coming; 0 means 1s.
	MaxDelay time.Duration
	// PollInterval is how often the polling fallback looks; 0 means 500ms.
	PollInterval time.Duration
	// ForcePolling uses polling from the start: for tests, and for file
	// systems where inotify does not work (some network or WSL mounts).
	ForcePolling bool
	// Logf receives warnings (e.g. the watch limit); nil discards them.
	Logf func(format string, args ...any)

	// addHook, when set, replaces each call that adds a folder watch; add is
	// the real one. Tests use it to simulate the kernel's watch limit, which
	// cannot be lowered without root.
	addHook func(add func(string) error, dir string) error
}

// Batch is one coalesced burst of changes.
type Batch struct {
	// Paths are absolute, cleaned, deduplicated and sorted: every file or
	// folder created, written, removed or renamed in the burst.
	Paths []string
}

// Watcher reports changes under Options.Roots and to Options.Files as
// Batches. Its state belongs to one goroutine (run), so it needs no locks;
// the only things shared are the channels and the polling flag.
type Watcher struct {
	roots    []string        // absolute, cleaned, deduplicated
	files    []string        // absolute, cleaned, deduplicated
	isFile   map[string]bool // the same files, for lookups per event
	ignore   func(string) bool
	logf     func(format string, args ...any)
	settle   time.Duration
	debounce time.Duration
	maxDelay time.Duration
	interval time.Duration
	addHook  func(add func(string) error, dir string) error

	// fsnotify mode (see notify.go); fsw is nil once polling.
	fsw     *fsnotify.Watcher
	watched map[string]bool // folders added to fsw
	targets []*target       // folders that must be watched for Roots and Files
	running bool            // false while New sets up: nothing to report yet

	// polling mode (see poll.go).
	polling atomic.Bool
	snap    map[string]stamp
	ticker  *time.Ticker

	// coalescing: pending collects changes not flushed yet, since
	// pendingStart; leading says they began after a quiet spell, so they are
	// flushed Settle after their first change; lastChange ends the burst
	// once Debounce has passed since it. ready holds flushed paths until the
	// consumer takes them, growing if it is slow.
	pending      map[string]struct{}
	pendingStart time.Time
	leading      bool
	lastChange   time.Time
	timer        *time.Timer
	ready        map[string]struct{}
	readyBatch   Batch

	out       chan Batch
	done      chan struct{} // closed by Close: asks run to stop
	finished  chan struct{} // closed by run when everything is released
	closeOnce sync.Once
	closeErr  error // written by run before finished is closed
}

// New starts watching. When it returns, every existing folder is watched (or
// the polling baseline is taken), so any change made afterwards is reported.
// It fails only for unusable options, e.g. a root that is a file; when the
// kernel cannot watch, it falls back to polling and says so through Logf.
func New(opts Options) (*Watcher, error) {
	w := &Watcher{
		isFile:   map[string]bool{},
		ignore:   opts.Ignore,
		logf:     opts.Logf,
		settle:   opts.Settle,
		debounce: opts.Debounce,
		maxDelay: opts.MaxDelay,
		interval: opts.PollInterval,
		addHook:  opts.addHook,
		watched:  map[string]bool{},
		pending:  map[string]struct{}{},
		ready:    map[string]struct{}{},
		out:      make(chan Batch),
		done:     make(chan struct{}),
		finished: make(chan struct{}),
	}
	if w.ignore == nil {
		w.ignore = IgnoredName
	}
	if w.logf == nil {
		w.logf = func(string, ...any) {}
	}
	if w.settle <= 0 {
		w.settle = defaultSettle
	}
	if w.debounce <= 0 {
		w.debounce = defaultDebounce
	}
	if w.maxDelay <= 0 {
		w.maxDelay = defaultMaxDelay
	}
	if w.interval <= 0 {
		w.interval = defaultPollInterval
	}

	for _, r := range opts.Roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil, fmt.Errorf("watch: root %q: %w", r, err)
		}
		if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
			return nil, fmt.Errorf("watch: root %s is not a folder", abs)
		}
		if !slices.Contains(w.roots, abs) {
			w.roots = append(w.roots, abs)
		}
	}
	for _, f := range opts.Files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return nil, fmt.Errorf("watch: file %q: %w", f, err)
		}
		if !w.isFile[abs] {
			w.isFile[abs] = true
			w.files = append(w.files, abs)
		}
	}

	// The timer exists from the start so that markChanged can always Reset
	// it; since Go 1.23 a stopped timer delivers no stale tick.
	w.timer = time.NewTimer(time.Hour)
	w.timer.Stop()

	w.planTargets()
	if opts.ForcePolling {
		w.startPolling()
	} else if fsw, err := fsnotify.NewWatcher(); err != nil {
		w.logf("%s", limitMessage(err, 0, w.interval))
		w.startPolling()
	} else {
		w.fsw = fsw
		w.resolve(false)
	}

	w.running = true
	go w.run()
	return w, nil
}

// Batches delivers one Batch per burst of changes. It is unbuffered on
// purpose: a Batch the consumer has not taken yet keeps absorbing later
// changes, so a slow consumer gets fewer, larger batches and never loses one.
// It is closed after Close.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// Polling reports whether the Watcher polls instead of using kernel
// notifications: because ForcePolling was set, or because it fell back.
func (w *Watcher) Polling() bool { return w.polling.Load() }

// Close stops the Watcher. When it returns, all of the Watcher's goroutines
// (and fsnotify's) have ended and Batches is closed; changes not yet sent are
// discarded. It is safe to call more than once and from several goroutines.
func (w *Watcher) Close() error {
	w.closeOnce.Do(func() { close(w.done) })
	<-w.finished
	return w.closeErr
}

// run is the Watcher's only goroutine: it owns all state, so event handling,
// polling, coalescing and sending never race with each other.
func (w *Watcher) run() {
	defer close(w.finished)
	defer close(w.out)
	defer w.release()
	for {
		// A nil channel blocks forever, which switches select cases off.
		var (
			events <-chan fsnotify.Event
			errs   <-chan error
			ticks  <-chan time.Time
			fire   <-chan time.Time
			out    chan<- Batch
		)
		if w.fsw != nil {
			events, errs = w.fsw.Events, w.fsw.Errors
		}
		if w.ticker != nil {
			ticks = w.ticker.C
		}
		if len(w.pending) > 0 {
			fire = w.timer.C
		}
		if len(w.ready) > 0 {
			out = w.out
		}
		select {
		case <-w.done:
			return
		case ev, ok := <-events:
			if !ok {
				w.fallBack(errors.New("fsnotify stopped unexpectedly"))
				continue
			}
			w.handleEvent(ev)
		case err, ok := <-errs:
			if !ok {
				w.fallBack(errors.New("fsnotify stopped unexpectedly"))
				continue
			}
			w.handleError(err)
		case <-ticks:
			w.poll()
		case <-fire:
			w.flush()
		case out <- w.readyBatch:
			clear(w.ready)
			w.readyBatch = Batch{}
		}
	}
}

// release frees what run holds; fsnotify's Close waits for its own reader
// goroutine, which is what lets Close promise that nothing is left running.
func (w *Watcher) release() {
	w.timer.Stop()
	if w.ticker != nil {
		w.ticker.Stop()
	}
	if w.fsw != nil {
		w.closeErr = w.fsw.Close()
		w.fsw = nil
	}
}

// isDone reports whether Close was called, so long walks can stop early.
func (w *Watcher) isDone() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// markChanged adds a path to the pending changes and sets when they are
// flushed. The first change after a quiet spell is flushed Settle later, a
// fixed window: a rebuild can start while an editor is still saving, which
// is why every later change goes into the next flush instead. Those wait for
// Debounce without a change, as an editor's or git's remaining events come
// close together, but never longer than MaxDelay after the first of them.
// Nothing is reported while New sets up: the caller builds after New anyway.
func (w *Watcher) markChanged(path string) {
	if !w.running {
		return
	}
	now := time.Now()
	quietSpell := w.lastChange.IsZero() || now.Sub(w.lastChange) >= w.debounce
	w.lastChange = now
	if len(w.pending) == 0 {
		w.pendingStart = now
		w.leading = quietSpell
	}
	w.pending[path] = struct{}{}
	end := now.Add(w.debounce)
	if w.leading {
		end = w.pendingStart.Add(w.settle)
	}
	if limit := w.pendingStart.Add(w.maxDelay); limit.Before(end) {
		end = limit
	}
	w.timer.Reset(end.Sub(now))
}

// markAll reports the roots and files themselves, for the cases where the
// Watcher cannot know exactly what changed.
func (w *Watcher) markAll() {
	for _, r := range w.roots {
		w.markChanged(r)
	}
	for _, f := range w.files {
		w.markChanged(f)
	}
}

// flush ends the burst: its paths join those waiting for the consumer.
func (w *Watcher) flush() {
	if len(w.pending) == 0 {
		return
	}
	for p := range w.pending {
		w.ready[p] = struct{}{}
	}
	clear(w.pending)
	paths := make([]string, 0, len(w.ready))
	for p := range w.ready {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	w.readyBatch = Batch{Paths: paths}
}
