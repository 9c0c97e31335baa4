package feeds

import (
	"bytes"
	"encoding/json"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// jsonFeedVersion is the version URL a JSON Feed 1.1 document declares.
const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

// jsonDoc is gorilla's JSONFeed with its items field replaced: gorilla tags
// items "omitempty", but JSON Feed requires the array even for a column
// that has no pages yet. encoding/json prefers the shallower field, so this
// Items wins over the embedded one and is written last.
type jsonDoc struct {
	*gfeeds.JSONFeed
	Items []*gfeeds.JSONItem `json:"items"`
}

// JSON returns f as a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1),
// indented with two spaces. self is the absolute URL the document is
// published at; it becomes feed_url.
//
// Items carry content_html when Content is set and content_text otherwise
// (the spec requires one of the two): the summary, or the title for an item
// with neither. HTML characters in strings are not
// escaped as \u003c: the file is served as JSON, never embedded in HTML.
func JSON(f *Feed, self string) ([]byte, error) {
	if f == nil {
		return nil, errNilFeed
	}
	doc := jsonDoc{
		JSONFeed: &gfeeds.JSONFeed{
			Version:     jsonFeedVersion,
			Title:       clean(f.Title),
			Language:    clean(f.Language),
			HomePageUrl: clean(f.Link),
			FeedUrl:     clean(self),
			Description: clean(f.Description),
		},
		Items: make([]*gfeeds.JSONItem, 0, len(f.Items)),
	}
	if f.Author != "" {
		doc.Authors = []*gfeeds.JSONAuthor{{Name: clean(f.Author)}}
	}
	for i := range f.Items {
		it := &f.Items[i]
		item := &gfeeds.JSONItem{
			Id:            clean(it.id()),
			Url:           clean(it.Link),
			Title:         clean(it.Title),
			Summary:       clean(it.Summary),
			PublishedDate: jsonTime(it.published()),
			ModifiedDate:  jsonTime(it.updated()),
			Tags:          cleanAll(it.Tags),
		}
		switch {
		case it.Content != "":
			item.ContentHTML = clean(it.Content)
		case it.Summary != "":
			item.ContentText = item.Summary
		default:
			// gorilla drops an empty content_text, which would leave the
			// item without the content the spec requires; the title is
			// the only text such an item has.
			item.ContentText = item.Title
		}
		if it.Author != "" {
			item.Authors = []*gfeeds.JSONAuthor{{Name: clean(it.Author)}}
		}
		doc.Items = append(doc.Items, item)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// jsonTime returns a pointer for gorilla's optional date fields, nil for
// the zero time. time.Time marshals as RFC 3339 in its own location, which
// keeps the site's "+08:00".
func jsonTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
