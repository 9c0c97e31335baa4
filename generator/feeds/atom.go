package feeds

import (
	"encoding/xml"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// atomFeed is the Atom <feed>. gorilla's AtomFeed has a single link (no
// room for both rel="alternate" and rel="self"), no xml:lang and no
// generator, and its entries write categories as element text where Atom
// wants a term attribute, so feed and entry are defined here; gorilla's
// link, author, summary and content elements are reused.
type atomFeed struct {
	XMLName   xml.Name           `xml:"feed"`
	Xmlns     string             `xml:"xmlns,attr"`
	Lang      string             `xml:"xml:lang,attr,omitempty"`
	Title     string             `xml:"title"`
	Subtitle  string             `xml:"subtitle,omitempty"`
	ID        string             `xml:"id"`
	Updated   string             `xml:"updated"`
	Links     []gfeeds.AtomLink  `xml:"link"`
	Author    *gfeeds.AtomAuthor `xml:"author"`
	Generator string             `xml:"generator"`
	Entries   []atomEntry        `xml:"entry"`
}

type atomEntry struct {
	Title      string              `xml:"title"`
	ID         string              `xml:"id"`
	Links      []gfeeds.AtomLink   `xml:"link"`
	Published  string              `xml:"published,omitempty"`
	Updated    string              `xml:"updated"`
	Author     *gfeeds.AtomAuthor  `xml:"author"`
	Summary    *gfeeds.AtomSummary `xml:"summary"`
	Content    *gfeeds.AtomContent `xml:"content"`
	Categories []atomCategory      `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// Atom returns f as an Atom 1.0 (RFC 4287) document. self is the absolute
// URL the document is published at; it becomes <link rel="self">.
//
// The feed's id is f.Link. The feed author is f.Author, or f.Title when
// that is empty, because Atom requires an author on the feed unless every
// entry has one. Dates are RFC 3339 in each time's own location.
func Atom(f *Feed, self string) ([]byte, error) {
	if f == nil {
		return nil, errNilFeed
	}
	author := f.Author
	if author == "" {
		author = f.Title
	}
	doc := atomFeed{
		Xmlns:     nsAtom,
		Lang:      clean(f.Language),
		Title:     clean(f.Title),
		Subtitle:  clean(f.Description),
		ID:        clean(f.Link),
		Updated:   atomTime(f.updated()),
		Links:     []gfeeds.AtomLink{{Href: clean(f.Link), Rel: "alternate", Type: "text/html"}},
		Author:    &gfeeds.AtomAuthor{AtomPerson: gfeeds.AtomPerson{Name: clean(author)}},
		Generator: generator,
		Entries:   make([]atomEntry, 0, len(f.Items)),
	}
	if self != "" {
		doc.Links = append(doc.Links, gfeeds.AtomLink{Href: clean(self), Rel: "self", Type: "application/atom+xml"})
	}
	for i := range f.Items {
		it := &f.Items[i]
		e := atomEntry{
			Title:   clean(it.Title),
			ID:      clean(it.id()),
			Links:   []gfeeds.AtomLink{{Href: clean(it.Link), Rel: "alternate", Type: "text/html"}},
			Updated: atomTime(it.updated()),
		}
		if t := it.published(); !t.IsZero() {
			e.Published = atomTime(t)
		}
		if it.Author != "" {
			e.Author = &gfeeds.AtomAuthor{AtomPerson: gfeeds.AtomPerson{Name: clean(it.Author)}}
		}
		if it.Summary != "" {
			e.Summary = &gfeeds.AtomSummary{Type: "text", Content: clean(it.Summary)}
		}
		if it.Content != "" {
			// type="html" content is escaped markup: encoding/xml escapes
			// it as character data, so no CDATA (and no "]]>" issue) here.
			e.Content = &gfeeds.AtomContent{Type: "html", Content: clean(it.Content)}
		}
		for _, tag := range it.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: clean(tag)})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(&doc)
}

// atomTime formats t as an RFC 3339 date-time in t's own location.
// Fractional seconds are kept when present (RFC 3339 allows them) so the
// instant is exact; whole-second times print as "2006-01-02T15:04:05+08:00".
// Atom requires a date, so the zero time prints as itself rather than "".
func atomTime(t time.Time) string {
	return t.Format(time.RFC3339Nano)
}
