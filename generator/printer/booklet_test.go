package printer

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lanmu/generator/build"
	"lanmu/generator/output"
	"lanmu/generator/pdf"
	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
	"lanmu/themes"
)

// printSite builds the site in dir and prints it.
func printSite(t *testing.T, dir string) (*build.Site, map[string][]byte) {
	t.Helper()
	s, _, pdfs := printSiteWith(t, dir, Options{})
	return s, pdfs
}

// printSiteWith builds the site in dir in memory and prints it with opts,
// returning the site, its files and the PDFs.
func printSiteWith(t *testing.T, dir string, opts Options) (*build.Site, map[string][]byte, map[string][]byte) {
	t.Helper()
	s, files := renderSite(t, dir)
	pdfs, err := Print(context.Background(), s, func(p string) ([]byte, bool) { d, ok := files[p]; return d, ok }, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, files, pdfs
}

// renderSite builds the site in dir in memory and returns its files.
func renderSite(t *testing.T, dir string) (*build.Site, map[string][]byte) {
	t.Helper()
	s, err := build.Load(build.Options{Source: dir})
	if err != nil {
		t.Fatal(err)
	}
	mem := output.NewMemory()
	if _, err := s.Render(mem); err != nil {
		t.Fatal(err)
	}
	return s, mem.Files()
}

// cropText returns the words pdftotext finds on one page of doc inside
// the box x, y, w, h (points from the top left corner), space-separated,
// line by line from the top as laid out, so a page's footer comes last.
func cropText(t *testing.T, file string, page int, x, y, w, h float64) string {
	t.Helper()
	args := []string{"-f", strconv.Itoa(page), "-l", strconv.Itoa(page),
		"-x", fmt.Sprint(int(x)), "-y", fmt.Sprint(int(y)), "-W", fmt.Sprint(int(w)), "-H", fmt.Sprint(int(h)), "-layout", file, "-"}
	out, err := exec.Command(requirePdftotext(t), args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// foldedBooklet leafs through a printed booklet PDF as if its sheets were
// printed double-sided, nested (sheet 1 outside) and folded: the right
// half of each front and the left half of each back going in, then the
// right half of each back and the left half of each front coming out. It
// returns the text of each booklet page in that reading order.
func foldedBooklet(t *testing.T, booklet []byte) []string {
	t.Helper()
	info, err := pdf.Read(booklet)
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages%2 != 0 {
		t.Fatalf("the booklet has %d sides: not whole sheets", info.Pages)
	}
	file := filepath.Join(t.TempDir(), "booklet.pdf")
	os.WriteFile(file, booklet, 0o644)
	half := func(side int, right bool) string {
		size := info.Sizes[side-1]
		x := 0.0
		if right {
			x = size.Width / 2
		}
		// One point in from the fold, so that a word on the other half is
		// never cut into this one.
		return cropText(t, file, side, x+1, 0, size.Width/2-2, size.Height)
	}
	var in, out []string
	for front := 1; front < info.Pages; front += 2 {
		back := front + 1
		in = append(in, half(front, true), half(back, false))
		out = append([]string{half(back, true), half(front, false)}, out...)
	}
	return append(in, out...)
}

// checkFolds checks that the booklet of a printed pocket book reads, once
// folded, as the book: its pages 1…N in order, each (but the covers)
// ending with its number, then only blank pages, then the back cover
// showing the unit. A book without a back cover (unit "") must read
// 1…N, then blanks to the end.
func checkFolds(t *testing.T, book, booklet []byte, unit string) {
	t.Helper()
	info, err := pdf.Read(book)
	if err != nil {
		t.Fatal(err)
	}
	n := info.Pages
	read := foldedBooklet(t, booklet)
	if len(read) != (n+3)/4*4 {
		t.Fatalf("a book of %d pages folds into %d pages, want %d", n, len(read), (n+3)/4*4)
	}
	bookFile := filepath.Join(t.TempDir(), "book.pdf")
	os.WriteFile(bookFile, book, 0o644)
	text := n - 1 // pages before the blanks
	if unit == "" {
		text = n
	}
	for i := 1; i <= text; i++ {
		got := read[i-1]
		if i > 1 && !strings.HasSuffix(got, " "+strconv.Itoa(i)) {
			t.Errorf("folded page %d does not end with its number %d: %.200q", i, i, got)
		}
		want := cropText(t, bookFile, i, 1, 0, info.Sizes[i-1].Width-2, info.Sizes[i-1].Height)
		if got != want {
			t.Errorf("folded page %d reads %.120q, book page %d %.120q", i, got, i, want)
		}
	}
	blanks := len(read)
	if unit != "" {
		blanks-- // the back cover
	}
	for i := text + 1; i <= blanks; i++ {
		if read[i-1] != "" {
			t.Errorf("folded page %d, after the text of a %d-page book, is not blank: %.120q", i, n, read[i-1])
		}
	}
	if unit == "" {
		return
	}
	last := read[len(read)-1]
	if !strings.Contains(strings.ReplaceAll(last, " ", ""), strings.ReplaceAll(unit, " ", "")) || strings.HasSuffix(last, " "+strconv.Itoa(n)) {
		t.Errorf("the outside back of the folded booklet is not the back cover: %.200q", last)
	}
}

// oddTitles are reading titles that Chromium writes into the outline
// otherwise than the Markdown spells them: runs of spaces and tabs
// collapsed, markup-like text escaped on the way in.
var oddTitles = []string{
	"学习  党章　党规",
	"学习\t系列讲话",
	`<script>alert(1)</script> & "x"`,
}

// TestOddTitlesPrintAndFold prints a pocket book whose titles hold double
// spaces, a tab and markup-like text, checks that every article's number
// in the contents is found, and leafs through the folded booklet.
func TestOddTitlesPrintAndFold(t *testing.T) {
	chrome.Require(t)
	files := oddTitleSite()
	s, pdfs := printSite(t, testsite.Write(t, files))
	book := pdfs[PocketBookPDF]
	info, err := pdf.Read(book)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the pocket book has %d pages (4k+%d)", info.Pages, info.Pages%4)
	toc := []rune(strings.Join(strings.Fields(pageText(t, book, 2)), " "))
	_, titles := s.BookAnchors()
	prev := 2
	for _, title := range titles {
		start := tocNumber(toc, []rune(strings.Join(strings.Fields(title), "")))
		if start <= prev {
			t.Errorf("the contents give %q page %d, after page %d:\n%s", title, start, prev, string(toc))
		}
		prev = start
	}
	cover := strings.Join(strings.Fields(pageText(t, book, 1)), "")
	if !strings.Contains(cover, "2016年12月31日") {
		t.Errorf("the cover does not show [print] date 2016-12-31: %q", cover)
	}
	checkFolds(t, book, pdfs[BookletPDF], "中共测试委员会")
}

// TestOwnLayoutWithoutBackCover prints the same book through a site's own
// pocketbook layout, the built-in one without its back cover: the last
// page is text, so the booklet must keep it in place and put the blanks
// after it.
func TestOwnLayoutWithoutBackCover(t *testing.T) {
	chrome.Require(t)
	layout, err := fs.ReadFile(themes.FS, "default/layouts/print/pocketbook.html")
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(string(layout), `<section class="book-back"`)
	_, after, ok2 := strings.Cut(rest, "</section>")
	if !ok || !ok2 {
		t.Fatal("the built-in pocketbook layout has no back cover section to leave out")
	}
	files := oddTitleSite()
	files["layouts/print/pocketbook.html"] = before + after
	// One more page of text, so the book is not a multiple of 4 pages.
	files["content/readings/r4.md"] = "---\ntitle: 第四篇\norder: 4\n---\n短文。\n"
	_, pdfs := printSite(t, testsite.Write(t, files))
	info, err := pdf.Read(pdfs[PocketBookPDF])
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages%4 == 0 {
		t.Fatalf("the book has %d pages, a multiple of 4: no blanks to place", info.Pages)
	}
	last := strings.Join(strings.Fields(pageText(t, pdfs[PocketBookPDF], info.Pages)), "")
	if strings.Contains(last, "中共测试委员会") {
		t.Fatalf("the book printed from a layout without a back cover ends with one: %q", last)
	}
	checkFolds(t, pdfs[PocketBookPDF], pdfs[BookletPDF], "")
}

// oddTitleSite is a small column of three readings with oddTitles.
func oddTitleSite() map[string]string {
	files := map[string]string{
		"lanmu.toml":        "title = \"标题测试专栏\"\nunit = \"中共测试委员会\"\n[print]\ndate = \"2016-12-31\"\n",
		"content/_index.md": "---\ntitle: 首页\n---\n欢迎。\n",
	}
	para := strings.Repeat("全面从严治党，基础在全面，关键在严，要害在治。", 12) + "\n\n"
	for i, title := range oddTitles {
		q := strconv.Quote(title) // YAML reads Go's double-quoted escapes
		files[fmt.Sprintf("content/readings/r%d.md", i+1)] = fmt.Sprintf("---\ntitle: %s\norder: %d\n---\n%s", q, i+1, strings.Repeat(para, 1+2*i))
	}
	return files
}
