package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"lanmu/internal/chrome"
)

// A6 is the pocket book's page size in points (105 × 148 mm), as Chromium
// writes it.
const a6W, a6H = 297.6378, 419.5276

// pdfBuilder assembles a PDF from numbered objects, written by hand so that
// tests control every byte that matters (boxes, rotation, outline
// encodings) and depend on nothing but the code under test to read it.
type pdfBuilder struct{ objs []string }

// add appends an object and returns its number.
func (b *pdfBuilder) add(body string) int {
	b.objs = append(b.objs, body)
	return len(b.objs)
}

// reserve returns the number of an object whose body is set later.
func (b *pdfBuilder) reserve() int { return b.add("") }

func (b *pdfBuilder) set(nr int, body string) { b.objs[nr-1] = body }

// bytes writes the PDF with object root as its catalog.
func (b *pdfBuilder) bytes(root int) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(b.objs))
	for i, body := range b.objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(b.objs)+1, root, xref)
	return out.Bytes()
}

func stream(data string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data)
}

func ref(nr int) string { return fmt.Sprintf("%d 0 R", nr) }

func rect(llx, lly, urx, ury float64) string {
	return fmt.Sprintf("[%s %s %s %s]", num(llx), num(lly), num(urx), num(ury))
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Where a test page draws its two labels, in points from the page's lower
// left corner: one near the top left, one near the bottom right, so that
// any scaling or shift of the page moves at least one of them.
const (
	labelSize   = 14
	topLabelX   = 24
	topLabelDY  = 40 // below the top edge
	markLabelDX = 110
	markLabelY  = 24
)

// testPage is a page of a hand-made test PDF.
type testPage struct {
	media  string // /MediaBox, "" to inherit the page tree's
	crop   string // /CropBox, "" for none
	rotate int
	labels bool // draw PAGE-k and MARK-k
}

// testDoc is a hand-made test PDF.
type testDoc struct {
	media   string // /MediaBox of the page tree, inherited by pages without one
	pages   []testPage
	catalog string // extra catalog entries
	// outline, when set, writes the outline items given the page object
	// numbers (pages[i] is object pageRefs[i]) and returns the catalog
	// entries that attach it.
	outline func(b *pdfBuilder, pageRefs []int) string
}

func (d testDoc) bytes(t testing.TB) []byte {
	t.Helper()
	var b pdfBuilder
	catalog := b.reserve()
	pagesNr := b.reserve()
	font := b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids []string
	var pageRefs []int
	for i, p := range d.pages {
		k := i + 1
		var content string
		if p.labels {
			// The page's height, for the top label, is its media box's.
			h := a6H
			if m := p.media; m != "" {
				var llx, lly, urx float64
				fmt.Sscanf(m, "[%g %g %g %g]", &llx, &lly, &urx, &h)
			}
			content = fmt.Sprintf("BT /F1 %d Tf 1 0 0 1 %d %s Tm (PAGE-%d) Tj ET\nBT /F1 %d Tf 1 0 0 1 %s %d Tm (MARK-%d) Tj ET",
				labelSize, topLabelX, num(h-topLabelDY), k, labelSize, num(a6W-markLabelDX), markLabelY, k)
		}
		contents := b.add(stream(content))
		entries := fmt.Sprintf("/Type /Page /Parent %s /Resources << /Font << /F1 %s >> >> /Contents %s",
			ref(pagesNr), ref(font), ref(contents))
		if p.media != "" {
			entries += " /MediaBox " + p.media
		}
		if p.crop != "" {
			entries += " /CropBox " + p.crop
		}
		if p.rotate != 0 {
			entries += fmt.Sprintf(" /Rotate %d", p.rotate)
		}
		nr := b.add("<< " + entries + " >>")
		pageRefs = append(pageRefs, nr)
		kids = append(kids, ref(nr))
	}
	pages := fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d", strings.Join(kids, " "), len(kids))
	if d.media != "" {
		pages += " /MediaBox " + d.media
	}
	b.set(pagesNr, pages+" >>")
	cat := "/Type /Catalog /Pages " + ref(pagesNr) + " " + d.catalog
	if d.outline != nil {
		cat += " " + d.outline(&b, pageRefs)
	}
	b.set(catalog, "<< "+cat+" >>")
	return b.bytes(catalog)
}

// makeBook returns an n-page book of A6 pages, page k labelled PAGE-k and
// MARK-k, without an outline.
func makeBook(t testing.TB, n int) []byte {
	t.Helper()
	d := testDoc{media: rect(0, 0, a6W, a6H)}
	for range n {
		d.pages = append(d.pages, testPage{labels: true})
	}
	return d.bytes(t)
}

// bookOutline is the outline bookWithOutline gives a book of at least five
// pages, flattened as Read returns it.
var bookOutline = []Bookmark{
	{"第一章 总则", 1, 1},
	{"第一条 学习目的", 1, 2},
	{"第二条 适用范围", 2, 2},
	{"第二章 学习要求", 3, 1},
	{"（一）读原著、学原文、悟原理", 3, 2},
	{"1. 每日一读 📖", 4, 3},
	{"附录：Café « 引号 »", 5, 1},
}

// bookWithOutline returns makeBook(n) with bookOutline added by pdfcpu,
// the way a chapter outline with Chinese titles comes out of a PDF writer.
func bookWithOutline(t testing.TB, n int) []byte {
	t.Helper()
	// pdfcpu takes a tree; build it from the flat list by level.
	var roots []pdfcpu.Bookmark
	var path []*pdfcpu.Bookmark // path[l-1] is the last bookmark of level l
	for _, bm := range bookOutline {
		item := pdfcpu.Bookmark{Title: bm.Title, PageFrom: bm.Page}
		siblings := &roots
		if bm.Level > 1 {
			siblings = &path[bm.Level-2].Kids
		}
		*siblings = append(*siblings, item)
		path = append(path[:bm.Level-1], &(*siblings)[len(*siblings)-1])
	}
	var out bytes.Buffer
	conf := newConfig(model.ADDBOOKMARKS)
	if err := api.AddBookmarks(bytes.NewReader(makeBook(t, n)), &out, roots, false, conf); err != nil {
		t.Fatalf("pdfcpu AddBookmarks: %v", err)
	}
	return out.Bytes()
}

// word is a word pdftotext found, with its box in points from the page's
// top left corner.
type word struct {
	Text                   string
	XMin, YMin, XMax, YMax float64
}

// pdfPage is a page as pdftotext -bbox sees it.
type pdfPage struct {
	Width, Height float64
	Words         []word
}

// needPdftotext returns the path of pdftotext (poppler-utils): the
// imposition tests see where pages land with it.
func needPdftotext(t *testing.T) string {
	t.Helper()
	return chrome.RequireCommand(t, "pdftotext", "poppler-utils")
}

var (
	bboxPage = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// textBoxes runs pdftotext -bbox on pdf and returns its pages.
func textBoxes(t *testing.T, pdf []byte) []pdfPage {
	t.Helper()
	bin := needPdftotext(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-bbox", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	var pages []pdfPage
	for _, line := range strings.Split(string(out), "\n") {
		if m := bboxPage.FindStringSubmatch(line); m != nil {
			pages = append(pages, pdfPage{Width: atof(t, m[1]), Height: atof(t, m[2])})
		} else if m := bboxWord.FindStringSubmatch(line); m != nil {
			if len(pages) == 0 {
				t.Fatalf("pdftotext: word before the first page: %s", line)
			}
			p := &pages[len(pages)-1]
			p.Words = append(p.Words, word{Text: m[5],
				XMin: atof(t, m[1]), YMin: atof(t, m[2]), XMax: atof(t, m[3]), YMax: atof(t, m[4])})
		}
	}
	return pages
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFixture checks the fixtures themselves: if pdftotext cannot find the
// labels where they are drawn, no imposition test means anything.
func TestFixture(t *testing.T) {
	pages := textBoxes(t, makeBook(t, 3))
	if len(pages) != 3 {
		t.Fatalf("pdftotext sees %d pages, want 3", len(pages))
	}
	for i, p := range pages {
		k := i + 1
		if !near(p.Width, a6W) || !near(p.Height, a6H) {
			t.Errorf("page %d is %g × %g, want A6", k, p.Width, p.Height)
		}
		if len(p.Words) != 2 {
			t.Fatalf("page %d: words %v, want PAGE-%d and MARK-%d", k, p.Words, k, k)
		}
		top, mark := p.Words[0], p.Words[1]
		if top.Text != fmt.Sprintf("PAGE-%d", k) || mark.Text != fmt.Sprintf("MARK-%d", k) {
			t.Errorf("page %d: words %q, %q", k, top.Text, mark.Text)
		}
		if !near(top.XMin, topLabelX) || mark.XMin < a6W-markLabelDX-0.5 || mark.XMax > a6W {
			t.Errorf("page %d: labels at %+v, %+v", k, top, mark)
		}
	}
}

func near(a, b float64) bool { return a-b < 0.02 && b-a < 0.02 }
