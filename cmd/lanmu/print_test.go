package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lanmu/generator/output"
	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// newestSource returns the modification time of the newest file under
// the site's content/ folder and its lanmu.toml.
func newestSource(t *testing.T, dir string) time.Time {
	t.Helper()
	st, err := os.Stat(filepath.Join(dir, "lanmu.toml"))
	if err != nil {
		t.Fatal(err)
	}
	newest := st.ModTime()
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil && info.ModTime().After(newest) {
				newest = info.ModTime()
			}
		}
		return err
	})
	return newest
}

// stalePDFs returns the PDFs under pub older than the newest source, and
// how many PDFs there are. A copy of the site's own static file is a
// source itself, never stale: it is counted, not judged.
func stalePDFs(t *testing.T, pub string, newest time.Time) (stale []string, all int) {
	t.Helper()
	filepath.WalkDir(pub, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".pdf") {
			all++
			if info, err := d.Info(); err == nil && info.ModTime().Before(newest) && filepath.Base(p) != "guide.pdf" {
				stale = append(stale, p)
			}
		}
		return err
	})
	return stale, all
}

// TestPrintIsBuildPlusPDFs prints a site, edits a reading and builds it
// again without --pdf: print must write the site and the PDFs through the
// build's output (listed in the manifest), and the build must remove the
// PDFs rather than keep them as the user's own files, and say so.
func TestPrintIsBuildPlusPDFs(t *testing.T) {
	chrome.Require(t)
	files := goodSite()
	files["content/cards/q1.md"] = "---\ntitle: 党章规定的入党誓词是什么？\ndeck: 党章\n---\n我志愿加入中国共产党。\n"
	// The site's own PDF under static/print/: lanmu copies it and lists it
	// in the manifest, but no print made it, so builds never report it.
	files["static/print/guide.pdf"] = "%PDF"
	dir := testsite.Write(t, files)
	future := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(dir, "static/print/guide.pdf"), future, future)
	pub := filepath.Join(dir, "public")
	// A user's own PDF beside lanmu's: kept throughout.
	os.MkdirAll(filepath.Join(pub, "downloads"), 0o755)
	os.WriteFile(filepath.Join(pub, "downloads", "plan.pdf"), []byte("%PDF"), 0o644)
	os.Chtimes(filepath.Join(pub, "downloads", "plan.pdf"), time.Now().Add(time.Hour), time.Now().Add(time.Hour))

	var out, errOut bytes.Buffer
	if code := run([]string{"print", "-s", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("print: exit %d: %s", code, errOut.String())
	}
	listed := output.Listed(pub)
	for _, want := range []string{"/print/pocketbook.pdf", "/print/pocketbook-booklet.pdf", "/print/cards.pdf", "/readings/intro/index.html", "/print/pocketbook/index.html"} {
		if !slices.Contains(listed, want) {
			t.Errorf("after print the manifest lacks %s", want)
		}
		if _, err := os.Stat(filepath.Join(pub, filepath.FromSlash(want))); err != nil {
			t.Errorf("print did not write %s", want)
		}
	}
	if stale, n := stalePDFs(t, pub, newestSource(t, dir)); len(stale) > 0 || n != 5 {
		t.Errorf("after print: %d PDFs, stale %v", n, stale)
	}
	if !strings.Contains(out.String(), "pocketbook-booklet.pdf") {
		t.Errorf("print does not say what it printed:\n%s", out.String())
	}

	// An editor fixes a reading, later than the print.
	time.Sleep(20 * time.Millisecond)
	reading := filepath.Join(dir, "content/readings/intro.md")
	os.WriteFile(reading, []byte("+++\ntitle = \"必读\"\ndate = 2016-05-01\n+++\n改过的正文。\n"), 0o644)
	later := time.Now().Add(time.Second)
	os.Chtimes(reading, later, later)

	out.Reset()
	errOut.Reset()
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("build: exit %d: %s", code, errOut.String())
	}
	stale, n := stalePDFs(t, pub, newestSource(t, dir))
	if len(stale) > 0 {
		t.Errorf("after build, PDFs older than the sources are left in public/: %v", stale)
	}
	if n != 2 {
		t.Errorf("after build: %d PDFs in public/, want only the user's own and the site's static one", n)
	}
	for _, p := range output.Listed(pub) {
		if strings.HasSuffix(p, ".pdf") && p != "/print/guide.pdf" {
			t.Errorf("after build the manifest still lists %s", p)
		}
	}
	msg := errOut.String()
	if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "print/pocketbook.pdf") || !strings.Contains(msg, "lanmu print") || strings.Contains(msg, "guide.pdf") {
		t.Errorf("build does not say in one line that it removed the PDFs:\n%s", msg)
	}

	// Only a build that removes PDFs says so.
	errOut.Reset()
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("second build: exit %d: %s", code, errOut.String())
	}
	if errOut.Len() > 0 {
		t.Errorf("a build after a build talks about PDFs:\n%s", errOut.String())
	}
}

// TestPrintRefusesDangerousDestinations: print checks its destination as
// build does, before printing anything.
func TestPrintRefusesDangerousDestinations(t *testing.T) {
	chrome.Require(t)
	dir := testsite.Write(t, goodSite())
	for _, dest := range []string{dir, "/", filepath.Join(dir, "content", "out")} {
		var out, errOut bytes.Buffer
		if code := run([]string{"print", "-s", dir, "-d", dest}, &out, &errOut); code != exitSite {
			t.Errorf("print -d %s: exit status %d, want %d", dest, code, exitSite)
		}
		if !strings.Contains(errOut.String(), "refusing") || strings.Contains(errOut.String(), "printing") {
			t.Errorf("print -d %s: %q, want a refusal before any printing", dest, errOut.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "news", "first.md")); err != nil {
		t.Errorf("a refused print damaged the site: %v", err)
	}
}
