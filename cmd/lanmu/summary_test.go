package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"lanmu/generator/diag"
	"lanmu/internal/testsite"
)

func TestBuildSummaryQuietAndVerbose(t *testing.T) {
	dir := testsite.Write(t, goodSite())
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	summary := out.String()
	for _, re := range []string{
		`(?m)^  reading pages +1$`,
		`(?m)^  news pages +1$`,
		`(?m)^  list pages +\d+$`,
		`(?m)^  feeds +9$`, // home, readings and news: RSS, Atom and JSON each
		`(?m)^  warnings +0$`,
		`(?m)^built \d+ pages, \d+ files in `,
	} {
		if !regexp.MustCompile(re).MatchString(summary) {
			t.Errorf("summary lacks %s:\n%s", re, summary)
		}
	}
	if strings.Contains(summary, "render and write") {
		t.Errorf("stage times without --verbose:\n%s", summary)
	}

	out.Reset()
	if code := run([]string{"build", "-s", dir, "--verbose"}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !regexp.MustCompile(`(?m)^  render and write +\d`).MatchString(out.String()) {
		t.Errorf("--verbose shows no stage times:\n%s", out.String())
	}

	out.Reset()
	if code := run([]string{"build", "-s", dir, "-q"}, &out, &errOut); code != exitOK || out.Len() != 0 {
		t.Errorf("--quiet: exit %d, stdout %q", code, out.String())
	}
	if code := run([]string{"build", "-s", dir, "-q", "-v"}, &out, &errOut); code != exitUsage {
		t.Errorf("--quiet --verbose: exit %d, want 2", code)
	}
}

func TestColoursOnlyOnATerminalWithoutNO_COLOR(t *testing.T) {
	tty, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0) // a character device, like a terminal
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
	if !colours(tty) {
		t.Error("no colours on a character device")
	}
	if colours(&bytes.Buffer{}) {
		t.Error("colours into a buffer")
	}
	file, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if colours(file) {
		t.Error("colours into a file")
	}
	t.Setenv("NO_COLOR", "1")
	if colours(tty) {
		t.Error("colours despite NO_COLOR")
	}

	var plain, coloured bytes.Buffer
	p := diag.Errorf("content/a.md", 3, 1, "bad")
	printProblem(&plain, english, p, true, false)
	printProblem(&coloured, english, p, true, true)
	if plain.String() != "warning: content/a.md:3:1: bad\n" {
		t.Errorf("plain %q", plain.String())
	}
	if !strings.Contains(coloured.String(), "\x1b[33mwarning: \x1b[0m\x1b[1mcontent/a.md:3:1: \x1b[0mbad") {
		t.Errorf("coloured %q", coloured.String())
	}
}
