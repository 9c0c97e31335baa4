package build

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"lanmu/generator/config"
)

// PocketBook is the data of /print/pocketbook/: every required reading, in
// order, as one document laid out for paper.
type PocketBook struct {
	Site     *SiteView
	Title    string
	Date     time.Time // the column's date: [print] date, else its newest page's
	Size     config.Size
	Articles []*BookArticle
	// StartPages, when known (after a first printing), give the page on
	// which each article starts, for the table of contents.
	StartPages map[string]int
}

// BookArticle is one reading in the pocket book.
type BookArticle struct {
	Anchor  string // "r1", the prefix of every id inside the article
	Number  int
	Page    *Page
	Content template.HTML // the article with ids prefixed and links made in-book
}

// StartPage returns the page an article starts on, or 0 when not known.
func (b *PocketBook) StartPage(a *BookArticle) int { return b.StartPages[a.Anchor] }

// Readings returns the required readings in pocket-book order: by order,
// then by date, then by title.
func (s *Site) bookReadings() []*Page {
	var out []*Page
	for _, p := range s.view.RegularPages {
		if p.Reading != nil && p.Reading.Required {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		oa, ob := a.Reading.Order, b.Reading.Order
		if (oa == 0) != (ob == 0) {
			return ob == 0
		}
		if oa != ob {
			return oa < ob
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.Title < b.Title
	})
	return out
}

// PocketBook assembles the pocket book, or nil when no reading is required.
func (s *Site) PocketBook(startPages map[string]int) *PocketBook {
	readings := s.bookReadings()
	if len(readings) == 0 {
		return nil
	}
	book := &PocketBook{Site: s.view, Title: s.Config.Title, Date: s.bookDate(), Size: s.Config.Print.PocketbookMM, StartPages: startPages}
	inBook := map[string]string{} // a reading's URL path → its anchor
	for i, p := range readings {
		anchor := fmt.Sprintf("r%d", i+1)
		inBook[p.RelPermalink] = anchor
		book.Articles = append(book.Articles, &BookArticle{Anchor: anchor, Number: i + 1, Page: p})
	}
	for _, a := range book.Articles {
		a.Content = template.HTML(inBookHTML(string(a.Page.Content), a.Anchor, inBook, s.Config.Origin))
	}
	return book
}

// bookDate is the date on the pocket book's covers: the column's, not the
// day someone happened to print it, or a 2016 column reprinted today
// would look new. [print] date sets it (checked when the config was
// read); otherwise it is the date of the newest published page.
func (s *Site) bookDate() time.Time {
	if d := s.Config.Print.CoverDay; !d.IsZero() {
		return d
	}
	var newest time.Time
	for _, p := range s.view.RegularPages {
		if p.Date.After(newest) {
			newest = p.Date
		}
	}
	if newest.IsZero() {
		return s.now.In(s.Config.Location)
	}
	return newest.In(s.Config.Location)
}

// inBookHTML rewrites an article for the pocket book: every id gets the
// article's prefix so that footnotes and headings of different articles
// never clash; links to places in the same article, or to another reading
// of the book, become links inside the book; other site links become
// absolute, since a PDF has no site around it.
func inBookHTML(src, prefix string, inBook map[string]string, origin string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b bytes.Buffer
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			b.Write(z.Raw())
			continue
		}
		tok := z.Token()
		for i, a := range tok.Attr {
			switch a.Key {
			case "id":
				tok.Attr[i].Val = prefix + "-" + a.Val
			case "href":
				tok.Attr[i].Val = inBookLink(a.Val, prefix, inBook, origin)
			}
		}
		b.WriteString(tok.String())
	}
	return b.String()
}

func inBookLink(href, prefix string, inBook map[string]string, origin string) string {
	if strings.HasPrefix(href, "#") {
		return "#" + prefix + "-" + strings.TrimPrefix(href, "#")
	}
	if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
		return href
	}
	u, err := url.Parse(href)
	if err != nil {
		return href
	}
	if other, ok := inBook[u.EscapedPath()]; ok {
		if u.Fragment != "" {
			return "#" + other + "-" + u.Fragment
		}
		return "#" + other
	}
	return origin + href
}

// CardSheets is the data of /print/cards/: cards laid out on sheets, fronts
// and backs on alternate pages so that duplex printing puts every back
// behind its front.
type CardSheets struct {
	Site   *SiteView
	Sheet  config.Size // mm
	Card   config.Size // mm
	Bleed  float64     // mm
	Gutter float64     // mm between cards: room for the bleed and the crop marks
	Mark   float64     // crop mark length, mm
	Cols   int
	Rows   int
	Duplex string
	Pages  []CardPage
	// TooLong lists the cards whose back does not fit even at the smallest
	// type size; the build warns about them.
	TooLong []*Page
}

// CardPage is one side of one sheet.
type CardPage struct {
	Back   bool
	Number int // the sheet's number, from 1
	Slots  []CardSlot
}

// CardSlot is one card on a page: where its trimmed edge starts, in mm
// from the page's top-left corner.
type CardSlot struct {
	X, Y     float64
	Row, Col int
	// Code numbers the card in print order ("C-07") on both faces, so cut
	// cards can be sorted and a back matched to its front.
	Code string
	Card *Page
	Fit  string // "normal", "small", "smaller" or "too-long": the type size that fits the text
}

const (
	cardMarkGap = 1.0 // between the bleed and a crop mark, mm
	cardMarkLen = 3.0 // crop mark length, mm
	sheetMargin = 8.0 // the printer's unprintable edge, mm
)

// CardSheets lays out every card, or returns nil when there are none.
func (s *Site) CardSheets() *CardSheets {
	var cards []*Page
	if sec := s.views[s.Content.PageByPath("/cards/")]; sec != nil {
		cards = sec.regular() // deck by deck, in order
	} else {
		for _, p := range s.view.RegularPages {
			if p.Card != nil {
				cards = append(cards, p)
			}
		}
	}
	if len(cards) == 0 {
		return nil
	}
	sheet, card, bleed := s.Config.Print.SheetMM, s.Config.Print.CardMM, s.Config.Print.BleedMM
	cs := &CardSheets{Site: s.view, Sheet: sheet, Card: card, Bleed: bleed, Mark: cardMarkLen, Duplex: s.Config.Print.Duplex}
	cs.Gutter = 2 * (bleed + cardMarkGap + cardMarkLen)
	cs.Cols = max(1, int(math.Floor((sheet.Width-2*sheetMargin+cs.Gutter)/(card.Width+cs.Gutter))))
	cs.Rows = max(1, int(math.Floor((sheet.Height-2*sheetMargin+cs.Gutter)/(card.Height+cs.Gutter))))
	gridW := float64(cs.Cols)*card.Width + float64(cs.Cols-1)*cs.Gutter
	gridH := float64(cs.Rows)*card.Height + float64(cs.Rows-1)*cs.Gutter
	offX, offY := (sheet.Width-gridW)/2, (sheet.Height-gridH)/2
	at := func(r, c int) (float64, float64) {
		return round2(offX + float64(c)*(card.Width+cs.Gutter)), round2(offY + float64(r)*(card.Height+cs.Gutter))
	}
	per := cs.Cols * cs.Rows
	for start, n := 0, 1; start < len(cards); start, n = start+per, n+1 {
		front := CardPage{Number: n}
		back := CardPage{Number: n, Back: true}
		for i, c := range cards[start:min(start+per, len(cards))] {
			r, col := i/cs.Cols, i%cs.Cols
			x, y := at(r, col)
			code := fmt.Sprintf("C-%02d", start+i+1)
			front.Slots = append(front.Slots, CardSlot{X: x, Y: y, Row: r, Col: col, Code: code, Card: c, Fit: "normal"})
			// The back lands behind the front once the sheet is turned over
			// its long edge (columns swap) or its short edge (rows swap).
			br, bc := r, cs.Cols-1-col
			if cs.Duplex == "short" {
				br, bc = cs.Rows-1-r, col
			}
			bx, by := at(br, bc)
			fit := fitFor(c, card)
			if fit == "too-long" {
				cs.TooLong = append(cs.TooLong, c)
			}
			back.Slots = append(back.Slots, CardSlot{X: bx, Y: by, Row: br, Col: bc, Code: code, Card: c, Fit: fit})
		}
		cs.Pages = append(cs.Pages, front, back)
	}
	return cs
}

// fitFor picks the type size a card's back needs: the text is measured in
// characters against the card's area, so a long answer shrinks a little,
// and one too long for the smallest size is flagged rather than clipped.
func fitFor(c *Page, card config.Size) string {
	n := utf8.RuneCountInString(plainText(string(c.Content)))
	capacity := card.Width * card.Height / (85 * 54) // relative to a bank card
	switch {
	case float64(n) <= 90*capacity:
		return "normal"
	case float64(n) <= 140*capacity:
		return "small"
	case float64(n) <= 200*capacity:
		return "smaller"
	}
	return "too-long"
}

// plainText strips tags from an HTML fragment.
func plainText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Line is a crop mark, in mm from the page's top-left corner.
type Line struct{ X1, Y1, X2, Y2 float64 }

// CropMarks returns the crop marks of a sheet: at every trim edge, a short
// line centred in each gutter and margin band it crosses, clear of the
// bleed, so the guillotine operator can cut along them.
func (c *CardSheets) CropMarks() []Line {
	gridW := float64(c.Cols)*c.Card.Width + float64(c.Cols-1)*c.Gutter
	gridH := float64(c.Rows)*c.Card.Height + float64(c.Rows-1)*c.Gutter
	offX, offY := (c.Sheet.Width-gridW)/2, (c.Sheet.Height-gridH)/2
	var xs, ys, xBands, yBands []float64 // trim edges; centres of the bands between and around cards
	for col := 0; col < c.Cols; col++ {
		x := offX + float64(col)*(c.Card.Width+c.Gutter)
		xs = append(xs, x, x+c.Card.Width)
		xBands = append(xBands, x-c.Gutter/2)
	}
	xBands = append(xBands, offX+gridW+c.Gutter/2)
	for r := 0; r < c.Rows; r++ {
		y := offY + float64(r)*(c.Card.Height+c.Gutter)
		ys = append(ys, y, y+c.Card.Height)
		yBands = append(yBands, y-c.Gutter/2)
	}
	yBands = append(yBands, offY+gridH+c.Gutter/2)
	var out []Line
	half := c.Mark / 2
	for _, x := range xs {
		for _, yb := range yBands {
			out = append(out, Line{round2(x), round2(yb - half), round2(x), round2(yb + half)})
		}
	}
	for _, y := range ys {
		for _, xb := range xBands {
			out = append(out, Line{round2(xb - half), round2(y), round2(xb + half), round2(y)})
		}
	}
	return out
}

// RenderPocketBook renders /print/pocketbook/ again with the pages on which
// each article starts, which only a first printing can tell.
func (s *Site) RenderPocketBook(startPages map[string]int) ([]byte, error) {
	book := s.PocketBook(startPages)
	t := s.Theme.Lookup("print/pocketbook.html")
	if book == nil || t == "" {
		return nil, fmt.Errorf("this site has no pocket book: no reading is required")
	}
	var buf bytes.Buffer
	err := s.Theme.Execute(&buf, t, book)
	return buf.Bytes(), err
}

// BookAnchors returns each article's anchor and title, in book order, so a
// printer can find where each starts in the PDF's outline.
func (s *Site) BookAnchors() (anchors, titles []string) {
	if book := s.PocketBook(nil); book != nil {
		for _, a := range book.Articles {
			anchors = append(anchors, a.Anchor)
			titles = append(titles, a.Page.Title)
		}
	}
	return anchors, titles
}
