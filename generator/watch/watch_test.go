package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// waitLimit bounds every wait for a batch. It is generous because the tests
// must pass on a loaded 2-core machine under -race; a passing test never
// waits for it.
const waitLimit = 5 * time.Second

// testDebounce is longer than the default so that the few syscalls of one
// test step cannot be split into two bursts by scheduling delays.
const testDebounce = 100 * time.Millisecond

// logRecorder collects Logf lines; Logf is called from the watcher's
// goroutine while the test reads, hence the lock.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}

// start creates a watcher with test-friendly defaults and closes it when the
// test ends.
func start(t *testing.T, opts Options) (*Watcher, *logRecorder) {
	t.Helper()
	logs := &logRecorder{}
	if opts.Logf == nil {
		opts.Logf = logs.logf
	}
	if opts.Debounce == 0 {
		opts.Debounce = testDebounce
	}
	// Most tests compare whole batches with what one step did; a step of
	// several syscalls must not be split because the scheduler paused the
	// test for longer than the default Settle. The tests of the quick first
	// batch set Settle themselves.
	if opts.Settle == 0 {
		opts.Settle = testDebounce
	}
	if opts.MaxDelay == 0 {
		opts.MaxDelay = waitLimit
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	w, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w, logs
}

// next returns the next batch, failing the test if none comes in time.
func next(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b, ok := <-w.Batches():
		if !ok {
			t.Fatal("Batches closed unexpectedly")
		}
		return b
	case <-time.After(waitLimit):
		t.Fatalf("no batch within %s", waitLimit)
		return Batch{}
	}
}

// expectBatch checks that the next batch holds exactly want.
func expectBatch(t *testing.T, w *Watcher, want ...string) {
	t.Helper()
	got := next(t, w).Paths
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("batch:\n got %q\nwant %q", got, want)
	}
}

// collect receives batches until together they hold every path of want, and
// checks that they hold nothing else. It is for steps made of several events
// that a slow machine may legitimately spread over more than one burst.
func collect(t *testing.T, w *Watcher, want ...string) {
	t.Helper()
	seen := map[string]bool{}
	deadline := time.After(waitLimit)
	for {
		missing := false
		for _, p := range want {
			if !seen[p] {
				missing = true
			}
		}
		if !missing {
			break
		}
		select {
		case b, ok := <-w.Batches():
			if !ok {
				t.Fatal("Batches closed unexpectedly")
			}
			for _, p := range b.Paths {
				seen[p] = true
			}
		case <-deadline:
			t.Fatalf("within %s saw %q, want %q", waitLimit, keys(seen), want)
		}
	}
	for p := range seen {
		if !slices.Contains(want, p) {
			t.Fatalf("saw %q, want only %q", keys(seen), want)
		}
	}
}

// expectQuiet checks that no batch comes within d.
func expectQuiet(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Fatalf("unexpected batch %q", b.Paths)
	case <-time.After(d):
	}
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// save writes a file the way editors save atomically: a temp file renamed
// over the real one. The watcher sees a single relevant event, which keeps
// test steps exact even when polling catches a write half-way.
func save(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdirAll(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	w, err := New(Options{ForcePolling: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.settle != 5*time.Millisecond || w.debounce != 80*time.Millisecond || w.maxDelay != time.Second || w.interval != 500*time.Millisecond {
		t.Errorf("defaults: settle %s, debounce %s, max delay %s, poll interval %s", w.settle, w.debounce, w.maxDelay, w.interval)
	}
	if w.ignore == nil || !w.ignore("x.swp") {
		t.Error("nil Ignore should mean IgnoredName")
	}
	if !w.Polling() {
		t.Error("ForcePolling: Polling() = false")
	}
}

func TestRootThatIsAFileIsAnError(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "x.md")
	writeFile(t, file, "x")
	if w, err := New(Options{Roots: []string{file}}); err == nil {
		w.Close()
		t.Fatal("New accepted a root that is a file")
	}
}

func TestNewFolderWithPage(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	w, logs := start(t, Options{Roots: []string{root}})
	if w.Polling() {
		t.Fatal("polling without being asked to")
	}

	// The folders and the page are created faster than the watcher can add
	// watches: the page must be found by walking the new folder.
	a, b := filepath.Join(root, "a"), filepath.Join(root, "a", "b")
	mkdirAll(t, b)
	writeFile(t, filepath.Join(b, "x.md"), "# x")
	collect(t, w, a, b, filepath.Join(b, "x.md"))

	// The new folder's own watch works.
	save(t, filepath.Join(b, "y.md"), "# y")
	expectBatch(t, w, filepath.Join(b, "y.md"))

	// Deeper, and with the page already in place before the first event is read.
	c := filepath.Join(root, "c", "d", "e")
	mkdirAll(t, c)
	save(t, filepath.Join(c, "z.md"), "# z")
	collect(t, w, filepath.Join(root, "c"), filepath.Join(root, "c", "d"), c, filepath.Join(c, "z.md"))
	save(t, filepath.Join(c, "z.md"), "# z again")
	expectBatch(t, w, filepath.Join(c, "z.md"))

	if l := logs.all(); len(l) > 0 {
		t.Errorf("unexpected log: %q", l)
	}
}

func TestAtomicSaveIsOneBatch(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	page := filepath.Join(root, "x.md")
	writeFile(t, page, "old")
	// With the short default Settle: only the rename is a change to report,
	// so "exactly one batch" does not depend on how the steps are spaced.
	w, _ := start(t, Options{Roots: []string{root}, Settle: defaultSettle})

	swp, tmp := filepath.Join(root, ".x.md.swp"), filepath.Join(root, "x.md.tmp")
	writeFile(t, swp, "swap")
	writeFile(t, tmp, "new content")
	if err := os.Rename(tmp, page); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(swp); err != nil {
		t.Fatal(err)
	}
	expectBatch(t, w, page)
	expectQuiet(t, w, 600*time.Millisecond)
}

// writeBurst writes the pages one after another from its own goroutine,
// pausing gap after each, until all are written or stop is closed. done
// receives how many were written.
func writeBurst(t *testing.T, pages []string, gap time.Duration, stop <-chan struct{}) (done <-chan int) {
	t.Helper()
	written := make(chan int, 1)
	go func() {
		n := 0
		defer func() { written <- n }()
		for i, p := range pages {
			select {
			case <-stop:
				return
			default:
			}
			// Not writeFile: t.Fatal must not be called off the test goroutine.
			if err := os.WriteFile(p, []byte(strings.Repeat("x", i+1)), 0o644); err != nil {
				t.Error(err)
				return
			}
			n++
			if gap > 0 {
				time.Sleep(gap)
			}
		}
	}()
	return written
}

// receiveUntil receives batches until together they hold every path of
// want and then quiet passes without another. It fails if a batch holds a
// path not in allowed (nil means want). It returns the batches in order.
// Batches after want is complete are allowed: a file's creation and its
// write may fall on either side of a flush, as may the two halves of one
// save, and the second is then reported again.
func receiveUntil(t *testing.T, w *Watcher, want, allowed []string, quiet time.Duration) []Batch {
	t.Helper()
	if allowed == nil {
		allowed = want
	}
	var batches []Batch
	seen := map[string]bool{}
	deadline := time.After(waitLimit)
	for {
		var silence <-chan time.Time
		if containsAll(seen, want) {
			silence = time.After(quiet)
		}
		select {
		case b, ok := <-w.Batches():
			if !ok {
				t.Fatal("Batches closed unexpectedly")
			}
			batches = append(batches, b)
			for _, p := range b.Paths {
				if !slices.Contains(allowed, p) {
					t.Fatalf("unexpected path %s in batch %d", p, len(batches))
				}
				seen[p] = true
			}
		case <-silence:
			return batches
		case <-deadline:
			t.Fatalf("within %s got %q in %d batches, want %q and then quiet", waitLimit, keys(seen), len(batches), want)
		}
	}
}

func containsAll(seen map[string]bool, want []string) bool {
	for _, p := range want {
		if !seen[p] {
			return false
		}
	}
	return true
}

func pagesIn(root string, n int) []string {
	pages := make([]string, n)
	for i := range pages {
		pages[i] = filepath.Join(root, fmt.Sprintf("page-%04d.md", i))
	}
	return pages
}

// A git checkout or a script writing many files: the first change is
// reported at once, everything after it in one more batch, and nothing is
// lost.
func TestBurstIsCoalescedAfterItsFirstBatch(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	const debounce = 300 * time.Millisecond
	w, _ := start(t, Options{Roots: []string{root}, Settle: defaultSettle, Debounce: debounce})

	pages := pagesIn(root, 200)
	done := writeBurst(t, pages, 0, nil)
	batches := receiveUntil(t, w, pages, nil, 2*debounce)
	if n := <-done; n != len(pages) {
		t.Fatalf("wrote %d of %d pages", n, len(pages))
	}
	// Usually two: the first change alone (or with the few that fit in
	// Settle), then the rest. A third only if the writer stalled for longer
	// than Debounce between two pages.
	if len(batches) > 3 {
		t.Errorf("200 writes in quick succession gave %d batches, want at most 3", len(batches))
	}
	if first := batches[0].Paths; first[0] != pages[0] {
		t.Errorf("first batch %q does not start with the first page written", first)
	}
	if last := batches[len(batches)-1].Paths; !slices.Contains(last, pages[len(pages)-1]) {
		t.Errorf("last batch %q lacks the last page written", last)
	}
}

// The first change after a quiet spell does not wait for the burst it
// starts to end: with a Debounce that the writer's pauses never reach and no
// MaxDelay, a batch still arrives while the writer is writing.
func TestFirstChangeIsReportedBeforeTheBurstEnds(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	const debounce = 500 * time.Millisecond
	w, _ := start(t, Options{Roots: []string{root}, Settle: defaultSettle, Debounce: debounce, MaxDelay: time.Hour})

	// A thousand pages 2ms apart take at least 2s: far longer than Settle.
	pages := pagesIn(root, 1000)
	stop := make(chan struct{})
	done := writeBurst(t, pages, 2*time.Millisecond, stop)
	var first Batch
	select {
	case first = <-w.Batches():
	case n := <-done:
		t.Fatalf("no batch while %d pages were written", n)
	}
	close(stop)
	n := <-done
	if n == len(pages) {
		t.Fatalf("the first batch came only after all %d pages were written", n)
	}
	if !slices.Contains(first.Paths, pages[0]) {
		t.Fatalf("first batch %q lacks the first page written", first.Paths)
	}
	// The rest of the burst comes in the next batch; the last page written
	// is always reported, in the last batch. (On a slow machine the writer
	// may have been stopped within Settle: then there may be no rest.)
	var left []string
	for _, p := range pages[:n] {
		if !slices.Contains(first.Paths, p) {
			left = append(left, p)
		}
	}
	batches := append([]Batch{first}, receiveUntil(t, w, left, pages[:n], 2*debounce)...)
	if len(batches) > 3 {
		t.Errorf("the burst came in %d batches, want 2 (3 if the writer stalled)", len(batches))
	}
	if last := batches[len(batches)-1].Paths; !slices.Contains(last, pages[n-1]) {
		t.Errorf("last batch %q lacks the last page written, %s", last, pages[n-1])
	}
}

// An editor that truncates the file and then writes it may be reported in
// between; the write that follows must then be reported too, so that the
// preview ends on the whole file and not on an empty page.
func TestTruncatedSaveIsFollowedByItsWrite(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	page := filepath.Join(root, "x.md")
	writeFile(t, page, "# old text")
	w, _ := start(t, Options{Roots: []string{root}, Settle: defaultSettle})

	f, err := os.OpenFile(page, os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The file is empty until the batch has been received.
	expectBatch(t, w, page)
	if _, err := f.WriteString("# new text"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	expectBatch(t, w, page)
	expectQuiet(t, w, 3*testDebounce)
}

// Vim's default save on Linux (seen with strace and fsnotify, see
// bench/savegaps): it probes the folder with a file named 4913, renames the
// page to page~, writes a new page, sets its mode and removes page~. Only
// the page is reported, and the last batch comes after the new page exists.
func TestVimSaveReportsOnlyThePage(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	page, backup, probe := filepath.Join(root, "x.md"), filepath.Join(root, "x.md~"), filepath.Join(root, "4913")
	writeFile(t, page, "# old text")
	w, _ := start(t, Options{Roots: []string{root}, Settle: defaultSettle})

	writeFile(t, probe, "")
	if err := os.Chmod(probe, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(probe); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(page, backup); err != nil {
		t.Fatal(err)
	}
	writeFile(t, page, "# new text")
	if err := os.Chmod(page, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(backup); err != nil {
		t.Fatal(err)
	}
	// Usually one batch; a second if the scheduler paused this test between
	// the rename and the write for longer than Settle.
	batches := receiveUntil(t, w, []string{page}, nil, 3*testDebounce)
	if len(batches) > 2 {
		t.Errorf("one save gave %d batches", len(batches))
	}
}

func TestChmodAndIgnoredNamesAreNotReported(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	page := filepath.Join(root, "x.md")
	writeFile(t, page, "x")
	w, _ := start(t, Options{Roots: []string{root}, Settle: defaultSettle})

	if err := os.Chmod(page, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(page, time.Now(), time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"x.md~", ".x.md.swp", "x.md.swx", "x.md.swpx", "x.md.bck", "x.md.tmp", "4913",
		".#x.md", "#x.md#", ".goutputstream-XYZ", "jb_tmp___", "x.md___jb_old___", ".hidden",
	} {
		writeFile(t, filepath.Join(root, name), "junk")
		if err := os.Remove(filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	// Hidden folders are not watched at all, nor is what they hold.
	mkdirAll(t, filepath.Join(root, ".git", "refs"))
	writeFile(t, filepath.Join(root, ".git", "refs", "HEAD"), "ref")

	// Events arrive in order: if any of the above were reported, it would be
	// in this batch or in one before it.
	sentinel := filepath.Join(root, "sentinel.md")
	save(t, sentinel, "s")
	expectBatch(t, w, sentinel)

	// Still not watched after a while (the walk of a new hidden folder would
	// have added watches).
	writeFile(t, filepath.Join(root, ".git", "refs", "HEAD"), "ref2")
	save(t, sentinel, "s2")
	expectBatch(t, w, sentinel)
}

func TestFiles(t *testing.T) {
	t.Parallel()
	site := t.TempDir()
	content := filepath.Join(site, "content")
	mkdirAll(t, content)
	config := filepath.Join(site, "lanmu.toml")
	writeFile(t, config, "title = 'a'")
	later := filepath.Join(site, "config", "extra.toml") // folder missing at start
	w, _ := start(t, Options{Roots: []string{content}, Files: []string{config, later}})

	// A sibling that is neither in Files nor in a root is not reported.
	writeFile(t, filepath.Join(site, "notes.txt"), "n")
	writeFile(t, config, "title = 'b'") // in place
	expectBatch(t, w, config)

	// Replaced by rename (atomic save).
	tmp := filepath.Join(site, "lanmu.toml.tmp")
	writeFile(t, tmp, "title = 'c'")
	if err := os.Rename(tmp, config); err != nil {
		t.Fatal(err)
	}
	expectBatch(t, w, config)

	// Its parent folder appears later.
	mkdirAll(t, filepath.Dir(later))
	save(t, later, "x = 1")
	collect(t, w, later)
	writeFile(t, filepath.Join(filepath.Dir(later), "other.toml"), "y")

	writeFile(t, filepath.Join(site, "notes.txt"), "n2")
	sentinel := filepath.Join(content, "sentinel.md")
	save(t, sentinel, "s")
	expectBatch(t, w, sentinel)
}

func TestRootCreatedLater(t *testing.T) {
	t.Parallel()
	site := t.TempDir()
	static := filepath.Join(site, "static")
	deep := filepath.Join(site, "assets", "deep") // two levels missing
	w, _ := start(t, Options{Roots: []string{filepath.Join(site, "content"), static, deep}})

	mkdirAll(t, static)
	save(t, filepath.Join(static, "a.css"), "a")
	collect(t, w, static, filepath.Join(static, "a.css"))
	save(t, filepath.Join(static, "b.css"), "b")
	expectBatch(t, w, filepath.Join(static, "b.css"))

	// mkdir -p through a missing parent, with a file inside at once.
	mkdirAll(t, filepath.Join(deep, "img"))
	save(t, filepath.Join(deep, "img", "x.png"), "png")
	collect(t, w, deep, filepath.Join(deep, "img"), filepath.Join(deep, "img", "x.png"))

	// Removed and recreated: watched again.
	if err := os.RemoveAll(static); err != nil {
		t.Fatal(err)
	}
	collect(t, w, static, filepath.Join(static, "a.css"), filepath.Join(static, "b.css"))
	mkdirAll(t, static)
	save(t, filepath.Join(static, "c.css"), "c")
	collect(t, w, static, filepath.Join(static, "c.css"))
	save(t, filepath.Join(static, "c.css"), "c2")
	expectBatch(t, w, filepath.Join(static, "c.css"))
}

func TestRemovedAndRenamedFolders(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	sub := filepath.Join(root, "sub")
	mkdirAll(t, filepath.Join(sub, "inner"))
	writeFile(t, filepath.Join(sub, "x.md"), "x")
	writeFile(t, filepath.Join(sub, "inner", "y.md"), "y")
	old := filepath.Join(root, "old")
	mkdirAll(t, filepath.Join(old, "nested"))
	writeFile(t, filepath.Join(old, "nested", "z.md"), "z")
	w, logs := start(t, Options{Roots: []string{root}})

	if err := os.RemoveAll(sub); err != nil {
		t.Fatal(err)
	}
	collect(t, w, sub, filepath.Join(sub, "x.md"), filepath.Join(sub, "inner"), filepath.Join(sub, "inner", "y.md"))
	save(t, filepath.Join(root, "after.md"), "a")
	expectBatch(t, w, filepath.Join(root, "after.md"))

	// A renamed folder: reported under both names, and later changes in it
	// come under the new name only (the kernel keeps the moved folders'
	// watches, which would report the old names).
	renamed := filepath.Join(root, "new")
	if err := os.Rename(old, renamed); err != nil {
		t.Fatal(err)
	}
	collect(t, w, old, renamed, filepath.Join(renamed, "nested"), filepath.Join(renamed, "nested", "z.md"))
	save(t, filepath.Join(renamed, "nested", "w.md"), "w")
	expectBatch(t, w, filepath.Join(renamed, "nested", "w.md"))

	// Moved out of the root: no longer reported.
	outside := filepath.Join(t.TempDir(), "gone")
	if err := os.Rename(renamed, outside); err != nil {
		t.Fatal(err)
	}
	collect(t, w, renamed)
	save(t, filepath.Join(outside, "nested", "v.md"), "v")
	sentinel := filepath.Join(root, "sentinel.md")
	save(t, sentinel, "s")
	expectBatch(t, w, sentinel)

	if l := logs.all(); len(l) > 0 {
		t.Errorf("unexpected log: %q", l)
	}
}

// limitHook simulates the kernel refusing more watches: from the failAt-th
// call on (or once failing is set) it returns ENOSPC as fsnotify would.
type limitHook struct {
	calls   atomic.Int64
	failAt  int64
	failing atomic.Bool
}

func (h *limitHook) add(add func(string) error, dir string) error {
	n := h.calls.Add(1)
	if h.failing.Load() || (h.failAt > 0 && n >= h.failAt) {
		return fmt.Errorf("inotify_add_watch %s: %w", dir, syscall.ENOSPC)
	}
	return add(dir)
}

func checkLimitLog(t *testing.T, logs *logRecorder) {
	t.Helper()
	l := logs.all()
	if len(l) != 1 || !strings.Contains(l[0], "fs.inotify.max_user_watches") || !strings.Contains(l[0], "sudo sysctl") {
		t.Fatalf("want one log line naming fs.inotify.max_user_watches, got %q", l)
	}
}

func TestWatchLimitAtStart(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, d := range []string{"a", "b", "c", "d", "e"} {
		mkdirAll(t, filepath.Join(root, d))
	}
	hook := &limitHook{failAt: 3}
	w, logs := start(t, Options{Roots: []string{root}, addHook: hook.add})

	if !w.Polling() {
		t.Fatal("Polling() = false after the watch limit")
	}
	checkLimitLog(t, logs)
	if !strings.Contains(logs.all()[0], "watching 3 folders") {
		t.Errorf("log does not say how many folders: %q", logs.all()[0])
	}
	// A folder that never got a watch, and one that did.
	save(t, filepath.Join(root, "e", "x.md"), "x")
	expectBatch(t, w, filepath.Join(root, "e", "x.md"))
	save(t, filepath.Join(root, "new.md"), "n")
	expectBatch(t, w, filepath.Join(root, "new.md"))
	if n := hook.calls.Load(); n != 3 {
		t.Errorf("%d add calls, want 3 (no more after falling back)", n)
	}
	checkLimitLog(t, logs)
}

func TestWatchLimitWhileRunning(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	hook := &limitHook{}
	w, logs := start(t, Options{Roots: []string{root}, addHook: hook.add})
	if w.Polling() {
		t.Fatal("polling before the limit was hit")
	}

	hook.failing.Store(true)
	mkdirAll(t, filepath.Join(root, "new"))
	// The watcher cannot know what happened between its last event and its
	// first poll, so it reports the root itself: "rebuild everything".
	seen := map[string]bool{}
	for !seen[root] {
		for _, p := range next(t, w).Paths {
			seen[p] = true
		}
	}
	if !w.Polling() {
		t.Fatal("Polling() = false after the watch limit")
	}
	checkLimitLog(t, logs)

	save(t, filepath.Join(root, "new", "x.md"), "x")
	expectBatch(t, w, filepath.Join(root, "new", "x.md"))
}

func TestSlowConsumerGetsMergedBatch(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	w, _ := start(t, Options{Roots: []string{root}, Debounce: 30 * time.Millisecond})

	a, b := filepath.Join(root, "a.md"), filepath.Join(root, "b.md")
	save(t, a, "a")
	time.Sleep(200 * time.Millisecond) // a's burst ends; nobody receives
	save(t, b, "b")
	time.Sleep(200 * time.Millisecond)
	// Usually one merged batch; on a very slow machine b may still be in
	// its burst, which is fine as long as nothing is lost.
	collect(t, w, a, b)
}

func TestMaxDelayFlushesLongBursts(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	w, _ := start(t, Options{Roots: []string{root}, Debounce: 500 * time.Millisecond, MaxDelay: 200 * time.Millisecond})

	page := filepath.Join(root, "busy.md")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				// Not writeFile: t.Fatal must not be called off the test goroutine.
				if err := os.WriteFile(page, []byte(strings.Repeat("x", i%50)), 0o644); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	// The first write is reported after Settle. With writes every 20ms,
	// the 500ms quiet time never passes after that; only MaxDelay can end
	// the burst, and the writer goes on until both batches are in.
	first, second := next(t, w), next(t, w)
	close(stop)
	wg.Wait()
	for _, b := range []Batch{first, second} {
		if !slices.Equal(b.Paths, []string{page}) {
			t.Fatalf("batch %q, want %q", b.Paths, page)
		}
	}
}

func TestCloseLeavesNothingRunning(t *testing.T) {
	for _, polling := range []bool{false, true} {
		t.Run(fmt.Sprintf("polling=%v", polling), func(t *testing.T) {
			baseline := runtime.NumGoroutine()
			root := t.TempDir()
			w, err := New(Options{Roots: []string{root}, ForcePolling: polling, PollInterval: 20 * time.Millisecond, Debounce: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			save(t, filepath.Join(root, "x.md"), "x")
			expectBatch(t, w, filepath.Join(root, "x.md"))
			// Leave a batch waiting for a consumer that never comes: Close
			// must not wait for it.
			save(t, filepath.Join(root, "y.md"), "y")
			time.Sleep(100 * time.Millisecond)

			if err := w.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
			for {
				_, ok := <-w.Batches()
				if !ok {
					break // drained whatever was buffered: none, it is unbuffered
				}
			}
			deadline := time.Now().Add(time.Second)
			for runtime.NumGoroutine() > baseline {
				if time.Now().After(deadline) {
					buf := make([]byte, 1<<16)
					t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

func TestRootRemovedAndRecreated(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "content")
	mkdirAll(t, filepath.Join(root, "posts"))
	w, logs := start(t, Options{Roots: []string{root}})

	// Only the root's own watch sees this: its parent is not watched.
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	collect(t, w, root, filepath.Join(root, "posts"))
	mkdirAll(t, filepath.Join(root, "posts"))
	save(t, filepath.Join(root, "posts", "x.md"), "x")
	collect(t, w, root, filepath.Join(root, "posts"), filepath.Join(root, "posts", "x.md"))
	save(t, filepath.Join(root, "posts", "x.md"), "x2")
	expectBatch(t, w, filepath.Join(root, "posts", "x.md"))
	if l := logs.all(); len(l) > 0 {
		t.Errorf("unexpected log: %q", l)
	}
}

func TestCustomIgnore(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	w, _ := start(t, Options{Roots: []string{root}, Ignore: func(name string) bool { return name == "drafts" || name == "skip.md" }})

	// Not save: its ".tmp" name is not junk for this Ignore.
	mkdirAll(t, filepath.Join(root, "drafts"))
	writeFile(t, filepath.Join(root, "drafts", "a.md"), "a")
	writeFile(t, filepath.Join(root, "skip.md"), "s")
	// Custom Ignore replaces IgnoredName: hidden files now count.
	writeFile(t, filepath.Join(root, ".hidden.md"), "h")
	collect(t, w, filepath.Join(root, ".hidden.md"))
}

func TestNotificationErrors(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	config := filepath.Join(t.TempDir(), "lanmu.toml")
	w, logs := start(t, Options{Roots: []string{root}, Files: []string{config}})
	// fsnotify reports errors on this channel; sending on it stands in for
	// the kernel, whose queue cannot be overflowed on purpose reliably.
	errs := w.fsw.Errors

	errs <- errors.New("boom")
	errs <- fsnotify.ErrEventOverflow
	// Lost events: everything is reported, and new folders are picked up.
	expectBatch(t, w, config, root)
	l := logs.all()
	if len(l) != 2 || !strings.Contains(l[0], "boom") || !strings.Contains(l[1], "overflow") {
		t.Fatalf("log %q", l)
	}
	save(t, filepath.Join(root, "x.md"), "x")
	expectBatch(t, w, filepath.Join(root, "x.md"))
}
