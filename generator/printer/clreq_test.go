package printer

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// W3C clreq's line-start and line-end prohibitions: no line of Chinese
// text begins with closing punctuation or ends with opening punctuation.
const (
	noLineStart = "，。、；：？！）》」』】…"
	noLineEnd   = "（《「『【"
)

// provokingReading is a required reading whose sentences put punctuation
// at every offset from a line's start: sentences of 3 to 11 characters,
// each closed by a different mark, quotes and brackets opened and closed
// mid-line, and ellipses, so that breaking anywhere a browser may break
// between ideographs would put one of them at a line's edge.
func provokingReading() string {
	var b strings.Builder
	b.WriteString("---\ntitle: 标点避头尾测试\ndate: 2016-06-30\nrequired: true\norder: 1\n---\n\n")
	words := []rune("学习党章党规学习系列讲话做合格党员坚持问题导向")
	closers := []rune("，。、；：？！")
	opens := [][2]string{{"（", "）"}, {"《", "》"}, {"「", "」"}, {"『", "』"}, {"【", "】"}}
	for para := range 6 {
		for s := range 24 {
			n := 3 + (para*24+s)%9
			start := (para*7 + s*5) % (len(words) - n)
			sentence := words[start : start+n]
			text := string(sentence)
			if s%3 == 0 {
				// A bracket opened mid-sentence and closed at its end.
				o := opens[(para+s)%len(opens)]
				text = string(sentence[:n/2]) + o[0] + string(sentence[n/2:]) + o[1]
			}
			if s%5 == 4 {
				text += "……"
			}
			b.WriteString(text)
			b.WriteRune(closers[(para+s)%len(closers)])
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// TestPocketBookKeepsClreqLineBreaks prints the pocket book with a reading
// written to provoke bad line breaks and reads every line of it back with
// pdftotext -layout.
func TestPocketBookKeepsClreqLineBreaks(t *testing.T) {
	chrome.Require(t)
	site := testsite.CopyExample(t, "../..", func(c string) string { return c })
	if err := os.WriteFile(filepath.Join(site, "content", "readings", "clreq.md"), []byte(provokingReading()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, pdfs := printSite(t, site)
	f := filepath.Join(t.TempDir(), "book.pdf")
	os.WriteFile(f, pdfs[PocketBookPDF], 0o644)
	out, err := exec.Command(requirePdftotext(t), "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines, checked := strings.Split(string(out), "\n"), 0
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(line)
		last, _ := utf8.DecodeLastRuneInString(line)
		if strings.ContainsRune(noLineStart, first) {
			t.Errorf("line %d starts with %c: %s\n(after %q)", i+1, first, line, strings.TrimSpace(lines[max(0, i-1)]))
		}
		if strings.ContainsRune(noLineEnd, last) {
			t.Errorf("line %d ends with %c: %s", i+1, last, line)
		}
		checked++
	}
	if !strings.Contains(string(out), "标点避头尾测试") || checked < 200 {
		t.Fatalf("the book's text holds %d lines and not the test reading:\n%s", checked, out)
	}
	t.Logf("%d lines checked", checked)
}
