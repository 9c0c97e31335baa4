package printer

import (
	"context"
	"encoding/xml"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lanmu/generator/build"
	"lanmu/generator/output"
	"lanmu/generator/pdf"
	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// requirePdftotext finds poppler's pdftotext, which the tests use to see
// where text landed on paper.
func requirePdftotext(t *testing.T) string {
	t.Helper()
	return chrome.RequireCommand(t, "pdftotext", "poppler-utils")
}

// printExample builds a copy of the example column (its lanmu.toml passed
// through edit) and prints it.
func printExample(t *testing.T, edit func(string) string) (*build.Site, map[string][]byte) {
	t.Helper()
	chrome.Require(t)
	site := testsite.CopyExample(t, "../..", edit)
	s, err := build.Load(build.Options{Source: site})
	if err != nil {
		t.Fatal(err)
	}
	mem := output.NewMemory()
	if _, err := s.Render(mem); err != nil {
		t.Fatal(err)
	}
	files := mem.Files()
	pdfs, err := Print(context.Background(), s, func(p string) ([]byte, bool) { d, ok := files[p]; return d, ok }, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, pdfs
}

// pageText returns the text of one page of a PDF.
func pageText(t *testing.T, doc []byte, page int) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(f, doc, 0o644)
	out, err := exec.Command(requirePdftotext(t), "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestPocketBook(t *testing.T) {
	s, pdfs := printExample(t, func(c string) string { return c })
	book := pdfs[PocketBookPDF]
	info, err := pdf.Read(book)
	if err != nil {
		t.Fatal(err)
	}
	if info.Pages < 12 {
		t.Fatalf("the pocket book has %d pages", info.Pages)
	}
	for i, size := range info.Sizes {
		if size != (pdf.Size{Width: 297.64, Height: 419.53}) {
			t.Fatalf("page %d is %v pt, not A6 (297.64 × 419.53)", i+1, size)
		}
	}
	// The contents page lists each article with a number; that page must
	// be the one whose text starts the article.
	_, titles := s.BookAnchors()
	if len(titles) != 5 {
		t.Fatalf("%d required readings in the book, want 5", len(titles))
	}
	toc := []rune(strings.Join(strings.Fields(pageText(t, book, 2)), " "))
	prev := 2
	for _, title := range titles {
		compact := []rune(strings.Join(strings.Fields(title), ""))
		start := tocNumber(toc, compact)
		if start == 0 {
			t.Fatalf("the contents page lacks %q or its number:\n%s", title, string(toc))
		}
		if start <= prev || start > info.Pages {
			t.Fatalf("%q: contents say page %d, after page %d of %d", title, start, prev, info.Pages)
		}
		body := strings.Join(strings.Fields(pageText(t, book, start)), "")
		if !strings.Contains(body, string(compact)) {
			t.Errorf("contents say %q starts on page %d, but that page reads:\n%.300s", title, start, body)
		}
		// Every page of an article carries its title as the running head:
		// the page before the start must not, or the number is too high.
		before := strings.Join(strings.Fields(pageText(t, book, start-1)), "")
		if start-1 > 2 && strings.Contains(before, string(compact)) {
			t.Errorf("contents say %q starts on page %d, but page %d is already part of it", title, start, start-1)
		}
		prev = start
	}
	// Running head and page number on an article page.
	third := pageText(t, book, 3)
	if !strings.Contains(third, "\n") || !regexp.MustCompile(`\s3\s*$`).MatchString(strings.TrimRight(third, "\f\n ")) {
		t.Errorf("page 3 does not end with its page number:\n%s", third)
	}

	booklet, err := pdf.Read(pdfs[BookletPDF])
	if err != nil {
		t.Fatal(err)
	}
	sheets := (info.Pages + 3) / 4
	if booklet.Pages != 2*sheets || booklet.Sizes[0] != (pdf.Size{Width: 595.28, Height: 419.53}) {
		t.Errorf("the booklet has %d pages of %v, want %d of 595.28 × 419.53", booklet.Pages, booklet.Sizes[0], 2*sheets)
	}
	// Folded, the booklet reads as the book, its back cover outside.
	checkFolds(t, book, pdfs[BookletPDF], s.Config.Unit)
	// Sheet 1's front carries the back cover (the book's last page) on the
	// left and page 1 (the cover) on the right.
	front := strings.Join(strings.Fields(pageText(t, pdfs[BookletPDF], 1)), "")
	if !strings.Contains(front, "学习口袋书") {
		t.Errorf("the first sheet does not carry the cover")
	}
}

type bboxPage struct {
	Words []struct {
		Text string  `xml:",chardata"`
		XMin float64 `xml:"xMin,attr"`
		YMin float64 `xml:"yMin,attr"`
	} `xml:"word"`
}

// codes finds the card codes (C-01 …) on each page and where they are, in mm.
func codes(t *testing.T, doc []byte) []map[string][2]float64 {
	t.Helper()
	f := filepath.Join(t.TempDir(), "cards.pdf")
	os.WriteFile(f, doc, 0o644)
	out, err := exec.Command(requirePdftotext(t), "-bbox", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// pdftotext writes XHTML; its <doc> holds one <page> per page.
	var parsed struct {
		Pages []bboxPage `xml:"body>doc>page"`
	}
	if err := xml.Unmarshal(out, &parsed); err != nil {
		t.Fatal(err)
	}
	var pages []map[string][2]float64
	for _, p := range parsed.Pages {
		m := map[string][2]float64{}
		for _, w := range p.Words {
			if strings.HasPrefix(w.Text, "C-") {
				m[w.Text] = [2]float64{w.XMin / 72 * 25.4, w.YMin / 72 * 25.4}
			}
		}
		pages = append(pages, m)
	}
	return pages
}

// TestCardBacksLandBehindFronts prints the cards for both duplex modes and
// checks, on the PDF, that every card's back is where its front will be
// once the sheet is turned over: mirrored across the long edge (columns
// swap) or the short edge (rows swap).
func TestCardBacksLandBehindFronts(t *testing.T) {
	for _, duplex := range []string{"long", "short"} {
		t.Run(duplex, func(t *testing.T) {
			s, pdfs := printExample(t, func(c string) string {
				return strings.Replace(c, `duplex = "long"`, `duplex = "`+duplex+`"`, 1)
			})
			layout := s.CardSheets()
			info, err := pdf.Read(pdfs[CardsPDF])
			if err != nil {
				t.Fatal(err)
			}
			if info.Pages != 2*((37+7)/8) || info.Sizes[0] != (pdf.Size{Width: 595.28, Height: 841.89}) {
				t.Fatalf("cards.pdf: %d pages of %v", info.Pages, info.Sizes[0])
			}
			if layout.Cols != 2 || layout.Rows != 4 {
				t.Fatalf("an A4 sheet holds %d × %d bank cards, want 2 × 4", layout.Cols, layout.Rows)
			}
			pages := codes(t, pdfs[CardsPDF])
			step := [2]float64{layout.Card.Width + layout.Gutter, layout.Card.Height + layout.Gutter}
			gridW := float64(layout.Cols)*step[0] - layout.Gutter
			gridH := float64(layout.Rows)*step[1] - layout.Gutter
			off := [2]float64{(layout.Sheet.Width - gridW) / 2, (layout.Sheet.Height - gridH) / 2}
			slot := func(pos [2]float64) (int, int) {
				return int(math.Floor((pos[1] - off[1]) / step[1])), int(math.Floor((pos[0] - off[0]) / step[0]))
			}
			checked := 0
			for sheet := 0; sheet+1 < len(pages); sheet += 2 {
				for code, fpos := range pages[sheet] {
					bpos, ok := pages[sheet+1][code]
					if !ok {
						t.Errorf("sheet %d: card %s has no back on the next page", sheet/2+1, code)
						continue
					}
					fr, fc := slot(fpos)
					br, bc := slot(bpos)
					wr, wc := fr, layout.Cols-1-fc
					if duplex == "short" {
						wr, wc = layout.Rows-1-fr, fc
					}
					if br != wr || bc != wc {
						t.Errorf("%s: front at row %d col %d, back at row %d col %d, want row %d col %d", code, fr, fc, br, bc, wr, wc)
					}
					checked++
				}
			}
			if checked != 37 {
				t.Errorf("checked %d cards, want all 37", checked)
			}
		})
	}
}

// tocNumber reads the page number of one contents entry: the title's
// characters in order (spaces between them ignored, since a long title
// wraps), with its number wherever the layout put it, even inside a wrapped
// title. A space ends a number, so a following entry's or the footer's
// digits are not taken. It returns 0 when the entry is not found.
func tocNumber(text, title []rune) int {
	for start := range text {
		var digits []rune
		i := 0
		for _, r := range text[start:] {
			switch {
			case r == ' ':
				if i == len(title) && len(digits) > 0 {
					n, _ := strconv.Atoi(string(digits))
					return n
				}
			case i < len(title) && r == title[i]:
				i++
			case i > 0 && r >= '0' && r <= '9':
				digits = append(digits, r)
			default:
				if i == len(title) && len(digits) > 0 {
					n, _ := strconv.Atoi(string(digits))
					return n
				}
				i = -1
			}
			if i < 0 {
				break
			}
		}
		if i == len(title) && len(digits) > 0 {
			n, _ := strconv.Atoi(string(digits))
			return n
		}
	}
	return 0
}
