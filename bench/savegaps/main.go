// Command savegaps measures how real saves look to a file watcher: for each
// way of saving (Vim's two modes, sed -i, a program's atomic rename, a plain
// truncate-then-write, a git checkout of many files) it saves a file in a
// watched folder many times and reports how far apart the events that the
// watcher reports (chmod-only events and editor junk left out, as
// generator/watch does) arrive.
//
//	go run ./bench/savegaps [-n 30] [-files 200]
//
// The span of one save (first reported event to last) is what the watcher's
// first, short quiet period (watch.Options.Settle) must cover so that the
// first rebuild after a quiet spell sees the whole save, and not, say, Vim's
// page renamed away before the new one is written.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"lanmu/generator/watch"
)

// quiet is how long after a save returns the events are still collected:
// far longer than any save's own events take to arrive.
const quiet = 300 * time.Millisecond

// method is one way of saving; save changes the page for the i-th time.
type method struct {
	name string
	save func(dir, page string, i int) error
}

func main() {
	n := flag.Int("n", 30, "saves per method")
	files := flag.Int("files", 200, "files the git checkout changes")
	flag.Parse()

	methods := []method{
		{"vim (rename, backupcopy=auto)", vimSave("auto")},
		{"vim (in place, backupcopy=yes)", vimSave("yes")},
		{"sed -i (temp file, rename)", func(_, page string, i int) error {
			return run("sed", "-i", fmt.Sprintf("$a 第%d次编辑。", i), page)
		}},
		{"atomic rename (page.md.tmp)", func(_, page string, i int) error {
			tmp := page + ".tmp"
			if err := os.WriteFile(tmp, content(i), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, page)
		}},
		{"truncate, then write", func(_, page string, i int) error {
			return os.WriteFile(page, content(i), 0o644)
		}},
		{fmt.Sprintf("git checkout (%d files)", *files), gitCheckout(*files)},
	}
	fmt.Printf("%-34s %7s %10s %10s %10s %12s\n", "save", "events", "span p50", "span p90", "span max", "max gap")
	for _, m := range methods {
		if err := measure(m, *n); err != nil {
			fmt.Fprintf(os.Stderr, "savegaps: %s: %v\n", m.name, err)
			os.Exit(1)
		}
	}
}

// measure saves n times and prints the distribution of the spans.
func measure(m method, n int) error {
	dir, err := os.MkdirTemp("", "savegaps-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "page.md")
	if err := os.WriteFile(page, content(0), 0o644); err != nil {
		return err
	}
	// Setup (git init, the branches) happens before the watch starts.
	if err := m.save(dir, page, 0); err != nil {
		return err
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer fsw.Close()
	if err := fsw.Add(dir); err != nil {
		return err
	}
	var spans []time.Duration
	var maxGap time.Duration
	events := 0
	for i := 1; i <= n; i++ {
		if err := m.save(dir, page, i); err != nil {
			return err
		}
		times, err := collect(fsw)
		if err != nil {
			return err
		}
		if len(times) == 0 {
			return errors.New("a save produced no reported event")
		}
		events = max(events, len(times))
		spans = append(spans, times[len(times)-1].Sub(times[0]))
		for j := 1; j < len(times); j++ {
			maxGap = max(maxGap, times[j].Sub(times[j-1]))
		}
	}
	slices.Sort(spans)
	fmt.Printf("%-34s %7d %10s %10s %10s %12s\n", m.name, events,
		round(spans[len(spans)/2]), round(spans[len(spans)*9/10]), round(spans[len(spans)-1]), round(maxGap))
	return nil
}

// collect returns the arrival times of the reported events until quiet
// passes without one.
func collect(fsw *fsnotify.Watcher) ([]time.Time, error) {
	var times []time.Time
	for {
		select {
		case ev := <-fsw.Events:
			if ev.Op&^fsnotify.Chmod == 0 || watch.IgnoredName(filepath.Base(ev.Name)) {
				continue
			}
			times = append(times, time.Now())
		case err := <-fsw.Errors:
			return nil, err
		case <-time.After(quiet):
			return times, nil
		}
	}
}

// vimSave appends a line with Vim, started without any user configuration
// but not Vi-compatible, so that its Linux defaults apply ('writebackup' on,
// the given 'backupcopy'). 'backupskip' is emptied because its default skips
// the backup, and so the rename, for files under /tmp, where this runs but
// where no site lives.
func vimSave(backupcopy string) func(string, string, int) error {
	return func(_, page string, i int) error {
		return run("vim", "-N", "-u", "NONE", "-i", "NONE", "-es",
			"-c", "set backupskip= backupcopy="+backupcopy,
			"-c", fmt.Sprintf("normal! Go第%d次编辑。", i), "-c", "wq", page)
	}
}

// gitCheckout switches between two branches that differ in files files; the
// first call (i == 0) makes the repository.
func gitCheckout(files int) func(string, string, int) error {
	return func(dir, _ string, i int) error {
		git := func(args ...string) error {
			return run("git", append([]string{"-C", dir, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"}, args...)...)
		}
		if i > 0 {
			// Setup leaves b checked out.
			return git("checkout", "-q", []string{"b", "a"}[i%2])
		}
		if err := git("init", "-q", "-b", "a"); err != nil {
			return err
		}
		for _, branch := range []string{"a", "b"} {
			if branch == "b" {
				if err := git("checkout", "-q", "-b", "b"); err != nil {
					return err
				}
			}
			for f := range files {
				text := fmt.Sprintf("# 第%d页\n\n分支 %s 的内容。\n", f, branch)
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%04d.md", f)), []byte(text), 0o644); err != nil {
					return err
				}
			}
			if err := git("add", "-A"); err != nil {
				return err
			}
			if err := git("commit", "-q", "-m", branch); err != nil {
				return err
			}
		}
		return nil
	}
}

// content is a page of about 6 KB, a typical article, different each time.
func content(i int) []byte {
	return []byte(fmt.Sprintf("---\ntitle: 第%d次\n---\n\n%s\n", i, strings.Repeat("学习教育专栏的正文。", 200)))
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", name, err, out)
	}
	return nil
}

func round(d time.Duration) time.Duration {
	if d > time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
