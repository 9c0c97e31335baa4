// Package content turns a site's content/ folder into Page values: it splits
// and decodes front matter, reads dates in the site's time zone, decides each
// page's kind, section, slug and URL, finds page bundles and their files,
// applies the draft, future and expiry rules, and resolves links between
// pages. It produces no HTML: rendering is the build's job.
package content

import (
	"time"

	"lanmu/generator/keyval"
	"lanmu/generator/spill"
)

// Kind is what role a page plays in the site's tree (as in Hugo): the
// home page, a section, a regular page, a taxonomy's list or one of its
// terms, and the pages lanmu makes besides (the search page, the 404 page).
// Templates see it as a string: {{ if eq .Kind "page" }}.
type Kind string

// The page kinds.
const (
	KindHome     Kind = "home"
	KindSection  Kind = "section"
	KindPage     Kind = "page"
	KindTaxonomy Kind = "taxonomy"
	KindTerm     Kind = "term"
	KindSearch   Kind = "search"
	KindNotFound Kind = "404"
)

// Type is a page's content kind: one of the column's kinds of the SPEC,
// TypePage for any other page, or, for a taxonomy's list and term pages,
// the taxonomy's name ("tags"). A page's type comes from its top section or
// from `type:` in its front matter.
type Type string

// The content types.
const (
	TypeReading  Type = "reading"
	TypeClass    Type = "class"
	TypeTeacher  Type = "teacher"
	TypeCard     Type = "card"
	TypeStandard Type = "standard"
	TypeNews     Type = "news"
	// TypePage is the type of a page outside the six column sections.
	TypePage Type = "page"
)

// ColumnTypes are the column's own kinds, in the SPEC's order.
var ColumnTypes = []Type{TypeReading, TypeClass, TypeTeacher, TypeCard, TypeStandard, TypeNews}

// Types maps each column section to the type of its pages.
var Types = map[string]Type{
	"readings":  TypeReading,
	"classes":   TypeClass,
	"teachers":  TypeTeacher,
	"cards":     TypeCard,
	"standards": TypeStandard,
	"news":      TypeNews,
}

// Page is one page of the site: a Markdown file, a section's _index.md, or a
// section or home page made up because its _index.md is missing.
type Page struct {
	// File is the source path relative to the site root, slash-separated
	// ("content/readings/a.md"); empty for a made-up section page.
	File string
	// Kind is KindHome, KindSection or KindPage, or for a taxonomy's
	// pages, KindTaxonomy or KindTerm.
	Kind Kind
	// Type is the content kind: reading, class, teacher, card, standard,
	// news, or page; a taxonomy's pages have the taxonomy's name.
	Type Type
	// Section is the top-level section ("readings"); empty for the home page
	// and for pages at the root of content/.
	Section string
	// Bundle is true for a page bundle (a folder with index.md).
	Bundle bool
	// Resources are a bundle's other files, relative to the bundle folder.
	Resources []string

	Title       string
	Summary     string // from front matter; the build fills in a derived one
	Date        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Draft       bool
	Slug        string
	Tags        []string
	Weight      int
	// Params holds every front matter key, known or not, for templates.
	Params map[string]any

	// Path is where the page is written, relative to the site root, with a
	// leading slash: "/readings/a/" (a folder holding index.html) or
	// "/about.html". It is not escaped.
	Path string
	// RelPermalink is Path under the site's base path, percent-escaped.
	RelPermalink string
	// Permalink is the absolute URL of the page, percent-escaped.
	Permalink string
	// Aliases are extra paths that redirect to this page (same form as Path).
	Aliases []string
	// ShortPath is the page's short address, "/s/CODE/", which redirects
	// to it (see package shortcode); ShortLink is its absolute URL, what
	// the page's QR codes encode.
	ShortPath, ShortLink string

	// Parent is the section the page belongs to (nil for the home page).
	Parent *Page
	// Pages are a section's or the home page's direct children, sorted by
	// weight, then date (newest first), then title.
	Pages []*Page

	// Body is the Markdown after the front matter, nil when it waits in
	// Options.Bodies (see Markdown); BodyLine is the line of the file on
	// which it starts.
	Body     []byte
	BodyLine int
	// blank is set when the Markdown is only white space.
	blank bool
	// bodies holds the Markdown at bodyRef when Body is nil.
	bodies  *spill.Store
	bodyRef spill.Ref
	// FrontHash is a hash of the front matter as written, for telling an
	// edit of a page's fields from an edit of its text (0 for a page lanmu
	// makes). It is compared only within one run.
	FrontHash uint64

	// The kind-specific fields; only the one matching Type is set.
	Reading  *Reading
	News     *News
	Class    *Class
	Teacher  *Teacher
	Card     *Card
	Standard *Standard

	fm     *keyval.Doc
	fmLine int
	loc    *time.Location
	// memo is shared by the copies a Loader makes of one parse: what one
	// load worked out about the page that the next may reuse.
	memo *memo
}

// Markdown returns the page's Markdown after the front matter, from Body
// or from the store it waits in.
func (p *Page) Markdown() []byte {
	if p.Body != nil || p.bodies == nil {
		return p.Body
	}
	return p.bodies.GetBytes(p.bodyRef)
}

// Source is where a reading or a news item comes from (来源), or "".
func (p *Page) Source() string {
	source, _ := p.byline()
	return source
}

// Author is who wrote a reading or a news item (作者), or "".
func (p *Page) Author() string {
	_, author := p.byline()
	return author
}

func (p *Page) byline() (source, author string) {
	switch {
	case p.Reading != nil:
		return p.Reading.Source, p.Reading.Author
	case p.News != nil:
		return p.News.Source, p.News.Author
	}
	return "", ""
}

// IsSection reports whether the page lists other pages (a section or home).
func (p *Page) IsSection() bool { return p.Kind != KindPage }

// IsHome reports whether the page is the home page.
func (p *Page) IsHome() bool { return p.Kind == KindHome }

// Param returns a front matter value by key, or nil.
func (p *Page) Param(key string) any { return p.Params[key] }

// Position returns the line and column in p.File where a front matter key
// was written (the nearest enclosing key when that one was not), or the
// first line of the front matter.
func (p *Page) Position(key ...string) (line, col int) {
	if p.fm == nil {
		return 1, 1
	}
	pos := p.fm.Pos(key...)
	return pos.Line + p.fmLine - 1, pos.Col
}

// Ancestors returns the sections above the page, from the home page down.
func (p *Page) Ancestors() []*Page {
	var out []*Page
	for s := p.Parent; s != nil; s = s.Parent {
		out = append([]*Page{s}, out...)
	}
	return out
}
