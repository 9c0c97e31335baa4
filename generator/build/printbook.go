package build

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"lanmu/generator/cards"
	"lanmu/generator/config"
	"lanmu/generator/messages"
)

// PocketBook is the data of /print/pocketbook/: every required reading, in
// order, as one document laid out for paper.
type PocketBook struct {
	Site  *SiteView
	Title string
	Date  time.Time // the column's date: [print] date, else its newest page's
	Size  config.Size
	// Style is [print] style: "standard", or "gongwen" after GB/T 9704.
	Style    string
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

// cardQRSide is the side, in mm, of the QR code on a card's back, as the
// default theme's print.css draws it.
const cardQRSide = 15

// Readings returns the required readings in pocket-book order: by order,
// then by date, then by title.
func (s *Site) bookReadings() []*Page {
	var out []*Page
	for _, p := range s.view.regularPages {
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
	book := &PocketBook{Site: s.view, Title: s.Config.Title, Date: s.bookDate(), Size: s.Config.Print.PocketbookMM, Style: s.Config.Print.Style, StartPages: startPages}
	inBook := map[string]string{} // a reading's URL path → its anchor
	for i, p := range readings {
		anchor := fmt.Sprintf("r%d", i+1)
		inBook[p.RelPermalink] = anchor
		book.Articles = append(book.Articles, &BookArticle{Anchor: anchor, Number: i + 1, Page: p})
	}
	for _, a := range book.Articles {
		a.Content = template.HTML(inBookHTML(string(a.Page.contentHTML()), a.Anchor, inBook, s.Config.Origin))
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
	for _, p := range s.view.regularPages {
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
// behind its front. The layout's fields (Sheet, Card, Bleed, Gutter, Mark,
// Cols, Rows, Duplex) and CropMarks are the template's too.
type CardSheets struct {
	Site *SiteView
	cards.Layout
	Pages []CardPage
	// TooLong lists the cards whose back does not fit even at the smallest
	// type size; the build warns about them.
	TooLong []*Page
}

// CardPage is one side of one sheet.
type CardPage = cards.Side[*Page]

// CardSlot is one card on a side.
type CardSlot = cards.Slot[*Page]

// CardSheets lays out every card, or returns nil when there are none.
func (s *Site) CardSheets() *CardSheets {
	toPrint := s.cardsToPrint()
	if len(toPrint) == 0 {
		return nil
	}
	pr := s.Config.Print
	cs := &CardSheets{Site: s.view, Layout: cards.NewLayout(pr.SheetMM, pr.CardMM, pr.BleedMM, pr.Duplex)}
	if pr.QR {
		cs.Layout.QR = cardQRSide
	}
	cs.Pages, cs.TooLong = cards.Impose(cs.Layout, toPrint, answerLen)
	return cs
}

// cardsToPrint are the cards the sheets carry, deck by deck in order: the
// card section's, else every card of the site. Asking whether there are
// any costs no imposition.
func (s *Site) cardsToPrint() []*Page {
	if sec := s.views[s.Content.PageByPath("/cards/")]; sec != nil {
		return sec.regular()
	}
	var out []*Page
	for _, p := range s.view.regularPages {
		if p.Card != nil {
			out = append(out, p)
		}
	}
	return out
}

// answerLen is the length of a card's answer, its back, in characters.
func answerLen(c *Page) int { return utf8.RuneCountInString(plainText(string(c.contentHTML()))) }

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

// RenderPocketBook renders /print/pocketbook/ again with the pages on which
// each article starts, which only a first printing can tell.
func (s *Site) RenderPocketBook(startPages map[string]int) ([]byte, error) {
	book := s.PocketBook(startPages)
	t := s.Theme.Lookup("print/pocketbook.html")
	if book == nil || t == "" {
		return nil, messages.Errorf("this site has no pocket book: no reading is required")
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
