package printer

import (
	"encoding/xml"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lanmu/generator/build"
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
	return printSite(t, testsite.CopyExample(t, "../..", edit))
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
			if duplex == "long" {
				checkCardFronts(t, pdfs[CardsPDF], layout)
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

// checkCardFronts looks at the first sheet of card fronts: no word on a
// card may run into its code (as the unit did), and
// the deck label must sit inside the red band, with band above and below
// it on the page as pdftoppm renders it.
func checkCardFronts(t *testing.T, cards []byte, layout *build.CardSheets) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "cards.pdf")
	os.WriteFile(file, cards, 0o644)
	out, err := exec.Command(requirePdftotext(t), "-f", "1", "-l", "1", "-bbox", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	type box struct {
		Text string  `xml:",chardata"`
		XMin float64 `xml:"xMin,attr"`
		YMin float64 `xml:"yMin,attr"`
		XMax float64 `xml:"xMax,attr"`
		YMax float64 `xml:"yMax,attr"`
	}
	var boxes struct {
		Pages []struct {
			Words []box `xml:"word"`
		} `xml:"body>doc>page"`
	}
	if err := xml.Unmarshal(out, &boxes); err != nil || len(boxes.Pages) != 1 {
		t.Fatalf("pdftotext -bbox: %v, %d pages", err, len(boxes.Pages))
	}
	ppm := chrome.RequireCommand(t, "pdftoppm", "poppler-utils")
	const dpi = 200
	if err := exec.Command(ppm, "-f", "1", "-l", "1", "-r", strconv.Itoa(dpi), "-png", "-singlefile", file, filepath.Join(dir, "front")).Run(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "front.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	red := func(xPt, yPt float64) bool {
		r, g, b, _ := img.At(int(xPt/72*dpi), int(yPt/72*dpi)).RGBA()
		return r>>8 > 130 && g>>8 < 60 && b>>8 < 60
	}
	mm := func(v float64) float64 { return v / 25.4 * 72 }
	front := layout.Pages[0]
	for _, slot := range front.Slots {
		x0, y0 := mm(slot.X), mm(slot.Y)
		x1, y1 := x0+mm(layout.Card.Width), y0+mm(layout.Card.Height)
		var on []box
		for _, w := range boxes.Pages[0].Words {
			if w.XMin >= x0 && w.XMax <= x1 && w.YMin >= y0 && w.YMax <= y1 {
				on = append(on, w)
			}
		}
		if len(on) < 4 {
			t.Errorf("%s: only %d words on the card: %v", slot.Code, len(on), on)
			continue
		}
		// pdftotext's boxes span a font's whole height, so the lines of
		// one paragraph touch; the code must touch nothing.
		for _, a := range on {
			if a.Text != slot.Code {
				continue
			}
			for _, b := range on {
				if b != a && a.XMin < b.XMax && b.XMin < a.XMax && a.YMin < b.YMax && b.YMin < a.YMax {
					t.Errorf("%s: %q and %q overlap (%v, %v)", slot.Code, a.Text, b.Text, a, b)
				}
			}
		}
		deck := slot.Card.Card.Deck
		found := false
		for _, w := range on {
			if !strings.Contains(deck, w.Text) || w.YMin > y0+mm(15) {
				continue
			}
			found = true
			cx := (w.XMin + w.XMax) / 2
			if !red(cx, w.YMin-mm(0.7)) || !red(cx, w.YMax+mm(0.7)) {
				t.Errorf("%s: the deck label %q is not inside the red band (%.1f–%.1f mm from the card's top)", slot.Code, w.Text, (w.YMin-y0)/72*25.4, (w.YMax-y0)/72*25.4)
			}
		}
		if !found {
			t.Errorf("%s: no deck label %q near the top of the card", slot.Code, deck)
		}
	}
}
