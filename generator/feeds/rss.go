package feeds

import (
	"encoding/xml"
	"strings"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// Namespaces declared on <rss>. They are always declared, used or not, so
// that the root element looks the same for every feed of a site.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

// rssDoc is the <rss> root. gorilla's RssFeedXml declares only the content
// namespace, and its RssFeed/RssItem have no atom:link, no dc:creator and a
// single category, so the document and its channel and items are defined
// here; gorilla's guid and content:encoded elements are reused as they are.
type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Generator     string    `xml:"generator"`
	Creator       string    `xml:"dc:creator,omitempty"`
	Self          *rssSelf  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

// rssSelf is <atom:link rel="self">, which RSS validators expect so that a
// reader can tell where the document itself lives.
type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string             `xml:"title"`
	Link        string             `xml:"link"`
	GUID        *gfeeds.RssGuid    `xml:"guid"`
	PubDate     string             `xml:"pubDate,omitempty"`
	Description string             `xml:"description,omitempty"`
	Content     *gfeeds.RssContent `xml:"content:encoded"`
	Creator     string             `xml:"dc:creator,omitempty"`
	Categories  []string           `xml:"category"`
}

// htmlEscaper escapes the characters that make plain text read as markup.
// RSS <description> is interpreted as HTML by readers (RSS Best Practices
// Profile), so a plain-text summary such as "a<b & c" must be written as
// HTML text, and then encoding/xml escapes that once more for XML.
var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// RSS returns f as an RSS 2.0 document. self is the absolute URL the
// document is published at; it becomes <atom:link rel="self">.
//
// Dates are RFC 1123 with a numeric zone ("Mon, 02 Jan 2006 15:04:05
// +0800") in each time's own location. The item <description> is the
// summary written as HTML text, since readers render it as HTML. Authors
// (the item's, and the feed's on the channel) are written as dc:creator
// because RSS <author> must be an e-mail address. An empty self omits the
// atom:link, as it does in the other formats.
func RSS(f *Feed, self string) ([]byte, error) {
	if f == nil {
		return nil, errNilFeed
	}
	ch := rssChannel{
		Title:         clean(f.Title),
		Link:          clean(f.Link),
		Description:   clean(f.Description),
		Language:      clean(f.Language),
		LastBuildDate: formatTime(f.updated(), time.RFC1123Z),
		Generator:     generator,
		Creator:       clean(f.Author),
		Items:         make([]rssItem, 0, len(f.Items)),
	}
	if self != "" {
		ch.Self = &rssSelf{Href: clean(self), Rel: "self", Type: "application/rss+xml"}
	}
	for i := range f.Items {
		it := &f.Items[i]
		id := it.id()
		guid := &gfeeds.RssGuid{Id: clean(id), IsPermaLink: "false"}
		// isPermaLink="true" promises that the guid is a URL a reader may
		// open, which only holds when it is the item's link.
		if id == it.Link {
			guid.IsPermaLink = "true"
		}
		item := rssItem{
			Title:       clean(it.Title),
			Link:        clean(it.Link),
			GUID:        guid,
			PubDate:     formatTime(it.published(), time.RFC1123Z),
			Description: htmlEscaper.Replace(clean(it.Summary)),
			Creator:     clean(it.Author),
			Categories:  cleanAll(it.Tags),
		}
		if it.Content != "" {
			// encoding/xml writes ",cdata" fields as CDATA and splits any
			// "]]>" in the content across two sections, so article HTML
			// that happens to contain "]]>" cannot end the section early.
			item.Content = &gfeeds.RssContent{Content: clean(it.Content)}
		}
		ch.Items = append(ch.Items, item)
	}
	return marshalXML(&rssDoc{
		Version:   "2.0",
		NSAtom:    nsAtom,
		NSContent: nsContent,
		NSDC:      nsDC,
		Channel:   ch,
	})
}
