package printer

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lanmu/generator/content"
	"lanmu/internal/chrome"
	"lanmu/internal/qrscan"
	"lanmu/internal/testsite"
)

// scanPDF rasterises every page of a PDF at 300 dpi, as a print shop's
// proof would be, and returns the QR codes zbarimg reads on them.
func scanPDF(t *testing.T, name string, doc []byte) []string {
	t.Helper()
	pdftoppm := chrome.RequireCommand(t, "pdftoppm", "poppler-utils")
	dir := t.TempDir()
	file := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-r", "300", "-gray", "-png", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if len(pages) == 0 {
		t.Fatalf("pdftoppm made no pages of %s", name)
	}
	return qrscan.Decode(t, pages...)
}

var redirect = regexp.MustCompile(`<meta http-equiv="refresh" content="0; url=([^"]+)">`)

// Every QR code printed decodes, with zbarimg, to the absolute short
// address of the right page: each card's back to the card, each article
// of the pocket book to the article and the book's covers to the column.
// Following the address in the built site leads to that page.
func TestPrintedQRCodesLeadToTheirPages(t *testing.T) {
	chrome.Require(t)
	dir := testsite.CopyExample(t, "../..", func(c string) string { return c })
	s, files, pdfs := printSiteWith(t, dir, Options{})
	origin := s.Config.Origin

	var wantCards []string
	for _, p := range s.Content.RegularPages() {
		if p.Type == content.TypeCard {
			wantCards = append(wantCards, p.ShortLink)
		}
	}
	home := s.Content.Home.ShortLink
	wantBook := []string{home, home}
	for _, a := range s.PocketBook(nil).Articles {
		wantBook = append(wantBook, a.Page.ShortLink)
	}
	slices.Sort(wantCards)
	slices.Sort(wantBook)
	for _, c := range []struct {
		name string
		doc  []byte
		want []string
	}{{"cards", pdfs[CardsPDF], wantCards}, {"pocketbook", pdfs[PocketBookPDF], wantBook}} {
		got := scanPDF(t, c.name, c.doc)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s.pdf: zbarimg read %d codes\n%s\nwant %d\n%s", c.name, len(got), strings.Join(got, "\n"), len(c.want), strings.Join(c.want, "\n"))
		}
	}
	if len(wantCards) < 10 || len(wantBook) < 4 {
		t.Fatalf("the example has %d cards and %d codes in the book: too few to test", len(wantCards), len(wantBook))
	}

	// Follow each address: its page sends the reader on to the page whose
	// short address it is.
	base := strings.TrimSuffix(s.Config.BasePath, "/")
	for _, link := range slices.Concat(wantCards, wantBook) {
		short := strings.TrimPrefix(strings.TrimPrefix(link, origin), base)
		m := redirect.FindSubmatch(files[short+"index.html"])
		if m == nil {
			t.Errorf("%s: no page at %sindex.html", link, short)
			continue
		}
		to, err := url.PathUnescape(strings.TrimPrefix(string(m[1]), base))
		if err != nil {
			t.Fatal(err)
		}
		p := s.Content.PageByPath(to)
		if p == nil || p.ShortLink != link || files[to+"index.html"] == nil {
			t.Errorf("%s leads to %s, which is not the page the code was printed for", link, to)
		}
	}
}

// [print] qr = false prints no codes.
func TestQRCodesCanBeTurnedOff(t *testing.T) {
	dir := testsite.CopyExample(t, "../..", func(c string) string {
		return strings.Replace(c, "[print]\n", "[print]\nqr = false\n", 1)
	})
	_, files := renderSite(t, dir)
	if !strings.Contains(string(files["/print/cards/index.html"]), "card--back") {
		t.Fatal("no card backs to look at")
	}
	for _, p := range []string{"/print/cards/index.html", "/print/pocketbook/index.html"} {
		if strings.Contains(string(files[p]), "<svg xmlns") {
			t.Errorf("%s has a QR code with qr = false", p)
		}
	}
}
