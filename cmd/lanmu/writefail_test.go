package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"lanmu/generator/diag"
	"lanmu/internal/testsite"
)

// These tests make writes fail for real: a full disk and a read-only one
// are small tmpfs mounts, which need Linux and root. Without them the
// tests skip, except under CI, which runs as root and must run them.

// skipOrFail skips a test that cannot run here, or fails it under CI.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; CI runs as root on Linux and must run this test", why)
	}
	t.Skip(why)
}

// mountTmpfs mounts a new tmpfs with the given options (size=1200k) and
// unmounts it when the test ends.
func mountTmpfs(t *testing.T, options string) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		skipOrFail(t, "mounting a small file system needs Linux")
	}
	if os.Geteuid() != 0 {
		skipOrFail(t, "mounting a small file system needs root (run the tests as root to fill a disk for real)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", options, "lanmu-test", dir).CombinedOutput(); err != nil {
		skipOrFail(t, fmt.Sprintf("cannot mount a tmpfs: %v: %s", err, bytes.TrimSpace(out)))
	}
	// Registered after TempDir's removal, so it runs before it.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// smallSite copies the corpus's base site, whose output is a few hundred
// kilobytes, into a new folder.
func smallSite(t *testing.T) string {
	site := filepath.Join(t.TempDir(), "site")
	copyTree(t, filepath.Join(corpus, "_base"), site)
	return site
}

// buildInto builds site into dest and returns the exit status and stderr.
func buildInto(site, dest string) (int, string) {
	var out, errOut bytes.Buffer
	code := run([]string{"build", "-s", site, "-d", dest}, &out, &errOut)
	return code, errOut.String()
}

// checkFailedCleanly asserts that a build failed with one clear message
// containing wants, that dest is as before, and that no temporary folder
// was left beside it.
func checkFailedCleanly(t *testing.T, code int, stderr, dest string, before map[string]entry, wants ...string) {
	t.Helper()
	if code != exitSite {
		t.Errorf("exit status %d, want %d:\n%s", code, exitSite, stderr)
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Errorf("the build panicked:\n%s", stderr)
	}
	for _, w := range wants {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 {
		t.Errorf("%d lines of errors, want the one that matters:\n%s", lines, stderr)
	}
	if before != nil {
		if now := treeSnapshot(t, dest); !maps.Equal(before, now) {
			t.Errorf("the failed build changed %s: %s", dest, treeDiff(before, now))
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.lanmu-*")); len(left) > 0 {
		t.Errorf("the failed build left %v behind", left)
	}
}

func TestFullDiskLeavesThePreviousOutput(t *testing.T) {
	// Room for the small site's few hundred kilobytes, but not for the
	// example column's megabytes beside them.
	mnt := mountTmpfs(t, "size=1200k")
	dest := filepath.Join(mnt, "public")
	if code, stderr := buildInto(smallSite(t), dest); code != exitOK {
		t.Fatalf("the small site does not fit in the tmpfs (%d):\n%s", code, stderr)
	}
	before := treeSnapshot(t, dest)
	example := testsite.CopyExample(t, "../..", func(c string) string { return c })
	code, stderr := buildInto(example, dest)
	checkFailedCleanly(t, code, stderr, dest, before,
		"cannot write "+dest+string(filepath.Separator), "the disk is full (no space left on device)", "nothing in "+dest+" was changed")
	if first, _, _ := strings.Cut(stderr, "\n"); !strings.HasPrefix(first, "cannot write "+dest) {
		t.Errorf("the message does not start with the file that could not be written: %s", first)
	}
}

func TestReadOnlyDiskLeavesThePreviousOutput(t *testing.T) {
	mnt := mountTmpfs(t, "size=4m")
	dest := filepath.Join(mnt, "public")
	site := smallSite(t)
	if code, stderr := buildInto(site, dest); code != exitOK {
		t.Fatalf("first build (%d):\n%s", code, stderr)
	}
	before := treeSnapshot(t, dest)
	if out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput(); err != nil {
		skipOrFail(t, fmt.Sprintf("cannot remount the tmpfs read-only: %v: %s", err, out))
	}
	code, stderr := buildInto(site, dest)
	checkFailedCleanly(t, code, stderr, dest, before,
		"cannot write the site into "+dest+": the disk is mounted read-only (read-only file system)")
}

func TestDestinationThatIsOrIsInsideAFile(t *testing.T) {
	site := smallSite(t)
	file := filepath.Join(t.TempDir(), "www")
	if err := os.WriteFile(file, []byte("a file, not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := buildInto(site, filepath.Join(file, "xxjy", "public"))
	checkFailedCleanly(t, code, stderr, filepath.Join(file, "xxjy", "public"), nil,
		"cannot write the site into "+filepath.Join(file, "xxjy", "public")+": "+file+" is a file, not a folder")
	code, stderr = buildInto(site, file)
	checkFailedCleanly(t, code, stderr, file, nil, "cannot write the site into "+file+": it is a file, not a folder")
	if data, _ := os.ReadFile(file); string(data) != "a file, not a folder" {
		t.Errorf("the file in the way was changed: %q", data)
	}
}

func TestUnwritableFolderLeavesThePreviousOutput(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes through permissions; TestReadOnlyDiskLeavesThePreviousOutput covers root")
	}
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	site := smallSite(t)
	if code, stderr := buildInto(site, dest); code != exitOK {
		t.Fatalf("first build (%d):\n%s", code, stderr)
	}
	before := treeSnapshot(t, dest)
	if err := os.Chmod(parent, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(parent, 0o755) })
	code, stderr := buildInto(site, dest)
	checkFailedCleanly(t, code, stderr, dest, before, "cannot write the site into "+dest+": lanmu may not write there")
}

// A file of the user's own in public/ where lanmu writes one of its
// outputs is replaced, with a warning at its path that says how to
// publish it properly.
func TestOwnFileReplacedByAnOutputIsNamed(t *testing.T) {
	site := smallSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	os.MkdirAll(dest, 0o755)
	os.WriteFile(filepath.Join(dest, "robots.txt"), []byte("User-agent: *\nDisallow: /\n"), 0o644)
	os.WriteFile(filepath.Join(dest, "CNAME"), []byte("www.example.gov.cn"), 0o644)
	code, stderr := buildInto(site, dest)
	if code != exitOK {
		t.Fatalf("exit status %d:\n%s", code, stderr)
	}
	want := filepath.Join(dest, "robots.txt") + ": lanmu did not make this file, and replaced it with its own; to publish yours, put it at static/robots.txt"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if strings.Contains(stderr, "CNAME") {
		t.Errorf("a file lanmu does not make is named:\n%s", stderr)
	}
	// lanmu's own robots.txt from now on: no warning the second time.
	if code, stderr := buildInto(site, dest); code != exitOK || strings.Contains(stderr, "robots.txt") {
		t.Errorf("second build (%d) warns again:\n%s", code, stderr)
	}
}

// Control characters in a problem (a file name can hold an escape
// sequence) reach the terminal as \u escapes, never raw.
func TestProblemsAreTerminalSafe(t *testing.T) {
	for _, colour := range []bool{false, true} {
		var out bytes.Buffer
		printProblem(&out, english, &diag.Error{Path: "content/news/a\x1b[2Jb.md", Line: 2, Col: 1, Msg: "title \x07 bad\tok"}, false, colour)
		got := out.String()
		if strings.ContainsAny(strings.NewReplacer(bold, "", red, "", reset, "").Replace(got), "\x1b\x07") {
			t.Errorf("colour %v: raw control characters in %q", colour, got)
		}
		if !strings.Contains(got, `a\u001b[2Jb.md`) || !strings.Contains(got, `\u0007`) || !strings.Contains(got, "bad\tok") {
			t.Errorf("colour %v: %q does not show the escapes", colour, got)
		}
	}
}
