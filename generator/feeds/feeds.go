// Package feeds writes the syndication documents of a lanmu site: RSS 2.0,
// Atom 1.0 and JSON Feed 1.1, one document per list page.
//
// The caller builds a [Feed] (items already sorted newest first and already
// cut to the configured length) and asks for each format with [RSS], [Atom]
// or [JSON]. Every function returns the complete document as bytes, ready to
// be written next to the HTML page the feed belongs to.
//
// The output is meant to be correct for what a strict reader or validator
// checks, not just for what lenient readers accept:
//
//   - Dates keep the time zone of the input (a site in China publishes
//     "+08:00" / "+0800"), because readers show the offset as written and a
//     UTC conversion would move late-evening articles to the previous day.
//   - Characters that XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are
//     removed and invalid UTF-8 becomes U+FFFD, so one stray byte pasted from
//     a word processor cannot make the whole feed unparseable.
//   - Full-text HTML goes into CDATA (RSS) or escaped text (Atom) and must
//     already carry absolute URLs; use [Absolutize] on it first, since feed
//     readers have no base URL to resolve "/xxjy/a/" against.
//   - The same input always produces the same bytes, so unchanged feeds do
//     not show up as changed in a deploy.
//
// github.com/gorilla/feeds supplies the JSON Feed structs and several of the
// RSS/Atom building blocks; the document roots are defined here because
// gorilla's generic types have no channel language, no rel="self" link and
// only a single category per item.
package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// generator is what the documents name as the software that wrote them.
const generator = "lanmu"

// Feed is one feed: the metadata of a list page and its newest pages.
//
// All strings are plain text except Item.Content. When Updated is zero the
// newest item date is used (not the clock, which would break
// reproducibility).
type Feed struct {
	Title       string
	Description string
	Link        string    // absolute URL of the HTML page the feed belongs to (e.g. "https://www.example.gov.cn/xxjy/news/")
	Language    string    // BCP 47, e.g. "zh-CN" or "en"
	Author      string    // the publishing unit, may be ""
	Updated     time.Time // newest item's date (or build time); keep its time zone in output
	Items       []Item    // already sorted newest first and already limited by the caller
}

// Item is one page of the feed.
//
// Every format needs an id, so an empty ID falls back to Link; when one of
// Published and Updated is zero the other stands in for it. Content should
// already have gone through [Absolutize].
type Item struct {
	Title     string
	Link      string    // absolute URL
	ID        string    // stable id; callers pass the permalink
	Published time.Time // in the site's time zone; output must keep that offset (+08:00), not convert to UTC
	Updated   time.Time // may equal Published
	Summary   string    // plain text
	Content   string    // HTML of the full article, or "" when the site publishes summaries only
	Author    string    // may be ""
	Tags      []string
}

var errNilFeed = errors.New("feeds: nil *Feed")

// id returns the item's identifier. Every format requires one, and the
// permalink is the only stable fallback when a caller leaves ID empty.
func (it *Item) id() string {
	if it.ID != "" {
		return it.ID
	}
	return it.Link
}

// published returns the item's publication date, falling back to Updated
// so that an item with only one date still gets one everywhere.
func (it *Item) published() time.Time {
	if !it.Published.IsZero() {
		return it.Published
	}
	return it.Updated
}

// updated returns the item's last-modified date, falling back to Published
// (Atom requires <updated> on every entry).
func (it *Item) updated() time.Time {
	if !it.Updated.IsZero() {
		return it.Updated
	}
	return it.Published
}

// updated returns the feed's date. Callers normally set Feed.Updated; when
// they don't, the newest item date is the honest answer, and it is computed
// from the items rather than time.Now so the output stays reproducible.
func (f *Feed) updated() time.Time {
	if !f.Updated.IsZero() {
		return f.Updated
	}
	var newest time.Time
	for i := range f.Items {
		if t := f.Items[i].updated(); t.After(newest) {
			newest = t
		}
	}
	return newest
}

// formatTime formats t with layout in t's own location, or returns "" for
// the zero time so that omitempty drops the element.
func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(layout)
}

// isXMLChar reports whether r may appear in an XML 1.0 document
// (production [2] Char of the XML 1.0 specification).
func isXMLChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// clean removes characters that XML 1.0 does not allow and replaces invalid
// UTF-8 with U+FFFD. encoding/xml would turn forbidden characters into
// U+FFFD in escaped text but writes CDATA sections unchecked, so every
// string is cleaned here instead, uniformly for all three formats (a title
// should not carry a NUL in the JSON feed that the XML feeds dropped).
// Clean input, the normal case, is returned without allocating.
func clean(s string) string {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isXMLChar(r) || (r == utf8.RuneError && w == 1) {
			return cleanFrom(s, i)
		}
		i += w
	}
	return s
}

// cleanFrom is the slow path of clean; s[:start] is known to be clean.
func cleanFrom(s string, start int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:start])
	for i := start; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && w == 1:
			b.WriteRune(utf8.RuneError)
		case isXMLChar(r):
			b.WriteString(s[i : i+w])
		}
		i += w
	}
	return b.String()
}

// cleanAll cleans every string of ss into a new slice, so that the caller's
// Tags are never modified.
func cleanAll(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return out
}

// marshalXML encodes v as an indented XML document with a declaration on
// its own line and a final newline. gorilla's ToXML would put the root
// element on the declaration line and return a string; the document is
// otherwise the same.
func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
