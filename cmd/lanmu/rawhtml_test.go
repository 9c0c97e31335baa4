package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

// pastedHTML is a reading as an editor pastes it from a word processor:
// raw HTML that a safe site leaves out, after a summary marker that must
// stay silent. Its front matter is five lines, so the body's first line is
// line 6 of the file.
const pastedHTML = "---\ntitle: 粘贴的文章\ndate: 2016-05-02\nsource: 人民日报\n---\n" +
	"摘要。\n\n" + // 6
	"<!--more-->\n\n" + // 8
	"<p style=\"color:red\">红字</p>\n\n" + // 10
	"<table>\n<tr><td>表格甲</td></tr>\n</table>\n\n" + // 12–14
	"第一行<br>第二行。\n" // 16: col 4

func TestBuildWarnsWhereRawHTMLIsLeftOut(t *testing.T) {
	site := goodSite()
	site["content/readings/pasted.md"] = pastedHTML
	dir := testsite.Write(t, site)
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d, want 0 (raw HTML is a warning); stderr:\n%s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n")
	want := []string{
		"warning: content/readings/pasted.md:10:1: raw HTML <p> is left out of the page: write it as plain Markdown text",
		"warning: content/readings/pasted.md:12:1: raw HTML <table> is left out of the page: write a Markdown table instead",
		`warning: content/readings/pasted.md:16:4: raw HTML <br> is left out of the page: end the line with \ instead`,
	}
	if len(lines) != len(want) {
		t.Fatalf("stderr has %d lines, want %d (one per element, none for <!--more-->):\n%s", len(lines), len(want), errOut.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) || !strings.HasSuffix(lines[i], "or keep raw HTML with unsafeHTML = true under [build] in lanmu.toml (only for content you trust)") {
			t.Errorf("line %d is\n%s\nwant it to start with\n%s\nand say how to keep it", i+1, lines[i], w)
		}
	}
	if !regexp.MustCompile(`(?m)^\s*warnings\s+3$`).MatchString(out.String()) {
		t.Errorf("the summary does not count 3 warnings:\n%s", out.String())
	}
	page, err := os.ReadFile(filepath.Join(dir, "public", "readings", "pasted", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"红字", "表格甲", "color:red", "<br>"} {
		if bytes.Contains(page, []byte(gone)) {
			t.Errorf("the page keeps %q, which the warning says is left out", gone)
		}
	}
	if !bytes.Contains(page, []byte("第一行")) || !bytes.Contains(page, []byte("第二行。")) {
		t.Errorf("the text around the <br> is lost")
	}
}

func TestCheckReportsRawHTML(t *testing.T) {
	site := goodSite()
	site["content/readings/pasted.md"] = pastedHTML
	dir := testsite.Write(t, site)
	var out, errOut bytes.Buffer
	if code := run([]string{"check", "-s", dir}, &out, &errOut); code != exitSite {
		t.Fatalf("exit %d, want 1; stdout %s", code, out.String())
	}
	for _, w := range []string{"content/readings/pasted.md:10:1: raw HTML <p>", "content/readings/pasted.md:12:1: raw HTML <table>", "content/readings/pasted.md:16:4: raw HTML <br>"} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("check does not report %q:\n%s", w, errOut.String())
		}
	}
	// With errors elsewhere, check still reports it in the same run, and
	// build shows it as a warning among the errors.
	site["content/news/bad.md"] = "---\ntitle: 坏\ndate: 昨天\n---\n"
	dir = testsite.Write(t, site)
	got := problemLines(t, dir, "check")
	if len(got) != 4 || !strings.HasPrefix(got[0], "content/news/bad.md:3:1: date:") || !strings.HasPrefix(got[1], "content/readings/pasted.md:10:1: raw HTML <p>") {
		t.Errorf("check with an error elsewhere reported:\n%s", strings.Join(got, "\n"))
	}
	var bout, berr bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &bout, &berr); code != exitSite {
		t.Fatalf("build: exit %d, want 1", code)
	}
	if s := berr.String(); !strings.Contains(s, "\nwarning: content/readings/pasted.md:10:1: raw HTML <p>") || !strings.HasSuffix(s, "lanmu: 1 error and 3 warnings; nothing was written\n") {
		t.Errorf("build with an error and raw HTML printed:\n%s", s)
	}
}

func TestUnsafeHTMLKeepsRawHTMLWithoutWarning(t *testing.T) {
	site := goodSite()
	site["lanmu.toml"] = goodConfig + "\n[build]\nunsafeHTML = true\n"
	site["content/readings/pasted.md"] = pastedHTML
	dir := testsite.Write(t, site)
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitOK || errOut.Len() != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut.String())
	}
	page, err := os.ReadFile(filepath.Join(dir, "public", "readings", "pasted", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, kept := range []string{`<p style="color:red">红字</p>`, "<td>表格甲</td>", "<br>"} {
		if !bytes.Contains(page, []byte(kept)) {
			t.Errorf("with unsafeHTML the page lacks %q", kept)
		}
	}
}
