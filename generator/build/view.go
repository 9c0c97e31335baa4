package build

import (
	"encoding/binary"
	"html/template"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"lanmu/generator/config"
	"lanmu/generator/content"
	"lanmu/generator/deps"
	"lanmu/generator/markup"
	"lanmu/generator/spill"
)

// SiteView is .Site in templates.
type SiteView struct {
	Title    string
	Unit     string
	Language string
	BaseURL  string
	Params   map[string]any
	Config   *config.Config
	home     *Page
	// sections are the top-level sections, in menu-like order.
	sections []*Page
	// regularPages are all pages that are not lists.
	regularPages []*Page
	// Menu is the main menu.
	Menu []MenuEntry
	// tags maps each tag to its pages.
	tags map[string][]*Page
	// status is the standards' status on the as-of day; nil when the site
	// has no standards.
	status *StatusView
	// PrintPDF is Options.PrintPDF: the PDFs of Print are in this build.
	PrintPDF bool
	// Print links the print pages this build writes.
	Print PrintLinks
	// Feeds are the home page's feeds, the column's own, for a subscribe
	// link on every page.
	Feeds []FeedLink

	// r is the output this copy is read by, or nil (see reads.go).
	r *outputReads
	// site is the site it shows.
	site *Site
}

// PrintLinks are the URLs of the print pages and of their PDFs, ready for
// href, each "" when this build does not write it: the pocket book needs a
// required reading, the card sheets a card, and the PDFs Site.PrintPDF.
type PrintLinks struct {
	PocketBook, PocketBookPDF, BookletPDF string
	Cards, CardsPDF                       string
}

// MenuEntry is one item of the main menu, its URL ready for href.
type MenuEntry struct {
	Name string
	URL  string
	// Path is the site path the entry points to ("/readings/"), or "" for
	// an external link; templates compare it to mark the current section.
	Path string
}

// Page is a page in templates: the content page plus what the build made
// of it. Fields here shadow the content page's of the same name.
type Page struct {
	*content.Page
	// The content page's most used fields, copied: text/template looks a
	// field up by name each time it is used, and finds the view's own
	// fields at once where a promoted field costs a search through the
	// embedded page, with allocations, on every use.
	Kind                       content.Kind
	Title, Type, Section, Path string
	RelPermalink, Permalink    string
	Date                       time.Time
	Tags                       []string
	Params                     map[string]any
	// IsHome and IsSection answer the content page's methods of the same
	// names, as fields: a template calls a method through reflection,
	// which costs many times a field's lookup, and these two are asked on
	// every page, several times.
	IsHome, IsSection bool

	Site *SiteView
	// text is what converting the page's Markdown gave, held by a live
	// session; a one-off build keeps it in its spill file instead, where
	// spilled finds it (see Site.texts). Neither is set for a page lanmu
	// makes up.
	text    *pageText
	spilled textRefs
	// Small, for a view of a large site's every page: no page has two
	// billion words.
	wordCount, readingTime int32
	truncated              bool
	parent                 *Page
	// pages are a list page's children.
	pages []*Page
	// prev and next are the neighbours within the section's list.
	prev, next *Page
	// pager is set on list pages: the children shown on this page of the
	// list and the links to the other pages.
	pager *Pager

	// These are made once every view exists (see Site.derive). Menu and
	// MenuState are fields rather than methods for the reason IsHome is.

	// place is what the page shares with the others of its section.
	place *place
	// Menu is the main menu with the entries that lead to this page
	// marked. The home page is not among them: themes link it on their
	// own.
	Menu []MenuLink
	// MenuState names how the page stands in the menu, the Current of
	// each entry in turn: pages with the same state show the same menu.
	MenuState string
	// tagPages are the term pages of the page's tags.
	tagPages []*Page

	site *Site
	// r is the output this copy is read by, or nil for the shared view
	// (see reads.go).
	r *outputReads
	// live holds the values a live session compares save by save (see
	// reads.go); nil in a one-off build.
	live *liveValues
}

// liveValues are the values of a page that a live session works out once
// per build, each 0 until it is.
type liveValues struct {
	// meta is the value of the page's front matter and place.
	meta deps.Value
	// html is the value of its converted text, taken when it was
	// converted; toc, of its table of contents, likewise.
	html, toc deps.Value
	// path is the value of its path, for the lists it is in.
	path deps.Value
}

// newPage makes the view of a content page.
func (s *Site) newPage(cp *content.Page) *Page {
	v := new(Page)
	s.initPage(v, cp)
	return v
}

// initPage fills in the view of a content page.
func (s *Site) initPage(v *Page, cp *content.Page) {
	title := cp.Title
	if tax := string(cp.Type); cp.Kind == content.KindTaxonomy && tax != "" {
		// A taxonomy page is made by lanmu, titled with its key ("tags");
		// readers see its name in the site's language (标签).
		key := "taxonomy" + strings.ToUpper(tax[:1]) + tax[1:]
		if t := s.translate(key); t != key {
			title = t
		}
	}
	*v = Page{
		Page: cp, Site: s.view, site: s,
		Title: title, Kind: cp.Kind, Type: string(cp.Type), Section: cp.Section, Path: cp.Path,
		RelPermalink: cp.RelPermalink, Permalink: cp.Permalink,
		Date: cp.Date, Tags: cp.Tags, Params: cp.Params,
		IsHome: cp.IsHome(), IsSection: cp.IsSection(),
	}
}

// setText fills in what the page's converted Markdown gives. A summary
// written in the front matter stands, and the text is then more than it.
func (v *Page) setText(r *markup.Result) {
	v.wordCount = int32(r.WordCount)
	v.readingTime = int32(r.ReadingTime)
	v.truncated = r.Truncated || v.Page.Summary != ""
	if !v.isSpilled() {
		v.text = &pageText{html: template.HTML(r.HTML), plain: r.Text, summary: r.Summary, toc: r.TOC, links: r.Links}
	}
}

// pageText is what converting a page's Markdown gave that templates and
// checks read later.
type pageText struct {
	html template.HTML
	// plain is the text as a reader reads it, for the search index.
	plain string
	// summary is taken from the text, whether or not the front matter
	// has one.
	summary string
	toc     []markup.Heading
	// links are the internal links written in the Markdown, for the
	// link check.
	links []markup.Link
}

// The parts of a page's text in the spill file, in their order there.
const (
	partHTML = iota
	partPlain
	partSummary
	partTOC
	partLinks
	textParts
)

// textRefs are where a one-off build keeps a page's pageText: one record
// in the spill file, each part ending where ends says (the last at the
// record's end).
type textRefs struct {
	record spill.Ref
	ends   [textParts - 1]uint32
}

// part is where part i of the text is.
func (r *textRefs) part(i int) spill.Ref {
	from, to := int64(0), r.record.Len()
	if i > 0 {
		from = int64(r.ends[i-1])
	}
	if i < len(r.ends) {
		to = int64(r.ends[i])
	}
	return r.record.Slice(from, to)
}

// spillText puts what converting a page gave in store, as one record.
func spillText(store *spill.Store, r *markup.Result) (textRefs, error) {
	var refs textRefs
	record := make([]byte, 0, len(r.HTML)+len(r.Text)+len(r.Summary)+64)
	for i := range textParts {
		switch i {
		case partHTML:
			record = append(record, r.HTML...)
		case partPlain:
			record = append(record, r.Text...)
		case partSummary:
			record = append(record, r.Summary...)
		case partTOC:
			record = appendHeadings(record, r.TOC)
		case partLinks:
			record = appendLinks(record, r.Links)
		}
		if i < len(refs.ends) {
			refs.ends[i] = uint32(len(record))
		}
	}
	var err error
	refs.record, err = store.PutBytes(record)
	return refs, err
}

// isSpilled reports whether the page's text waits in the spill file.
func (p *Page) isSpilled() bool { return p.site != nil && p.site.texts != nil }

// textPart is part i of the page's text: read from the spill file by
// fromSpill, or held in memory and taken by held, or the zero value for a
// page lanmu makes up.
func textPart[T any](p *Page, i int, fromSpill func(string) T, held func(*pageText) T) T {
	switch {
	case p.isSpilled():
		return fromSpill(p.site.texts.Get(p.spilled.part(i)))
	case p.text != nil:
		return held(p.text)
	}
	var none T
	return none
}

// headings are the headings of the page's text.
func (p *Page) headings() []markup.Heading {
	return textPart(p, partTOC, readHeadings, func(t *pageText) []markup.Heading { return t.toc })
}

// contentLinks are the internal links written in the page's Markdown.
func (p *Page) contentLinks() []markup.Link {
	return textPart(p, partLinks, readLinks, func(t *pageText) []markup.Link { return t.links })
}

// appendHeadings appends headings to dst as readHeadings reads them.
func appendHeadings(dst []byte, headings []markup.Heading) []byte {
	w := recordWriter(dst)
	for _, h := range headings {
		w.uint(h.Level)
		w.string(h.ID)
		w.string(h.Text)
	}
	return w
}

// readHeadings reads what appendHeadings wrote; nil for no headings.
func readHeadings(b string) []markup.Heading {
	var out []markup.Heading
	for r := recordReader(b); len(r) > 0; {
		out = append(out, markup.Heading{Level: r.uint(), ID: r.string(), Text: r.string()})
	}
	return out
}

// appendLinks appends links to dst as readLinks reads them.
func appendLinks(dst []byte, links []markup.Link) []byte {
	w := recordWriter(dst)
	for _, l := range links {
		w.string(l.Dest)
		w.uint(l.Line)
		w.uint(l.Col)
		image := 0
		if l.Image {
			image = 1
		}
		w.uint(image)
	}
	return w
}

// readLinks reads what appendLinks wrote; nil for no links.
func readLinks(b string) []markup.Link {
	var out []markup.Link
	for r := recordReader(b); len(r) > 0; {
		out = append(out, markup.Link{Dest: r.string(), Line: r.uint(), Col: r.uint(), Image: r.uint() == 1})
	}
	return out
}

// recordWriter appends numbers and strings, which a recordReader reads
// back in the same order: how a page's headings and links wait in the
// spill file.
type recordWriter []byte

func (w *recordWriter) uint(n int) { *w = binary.AppendUvarint(*w, uint64(n)) }

func (w *recordWriter) string(s string) {
	w.uint(len(s))
	*w = append(*w, s...)
}

type recordReader string

// uint reads a number that binary.AppendUvarint wrote.
func (r *recordReader) uint() int {
	var v uint64
	for shift := 0; len(*r) > 0; shift += 7 {
		c := (*r)[0]
		*r = (*r)[1:]
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	return int(v)
}

func (r *recordReader) string() string {
	n := min(r.uint(), len(*r))
	s := string((*r)[:n])
	*r = (*r)[n:]
	return s
}

// contentHTML is the page's converted Markdown.
func (p *Page) contentHTML() template.HTML {
	return textPart(p, partHTML, func(s string) template.HTML { return template.HTML(s) },
		func(t *pageText) template.HTML { return t.html })
}

// summaryText is the front matter's summary, else the text's first
// paragraph.
func (p *Page) summaryText() string {
	if p.Page.Summary != "" {
		return p.Page.Summary
	}
	return textPart(p, partSummary, asIs, func(t *pageText) string { return t.summary })
}

// plainText is the page's text as a reader reads it, for the search index.
func (p *Page) plainText() string {
	return textPart(p, partPlain, asIs, func(t *pageText) string { return t.plain })
}

func asIs(s string) string { return s }

// TOCLevels returns the headings of the table of contents whose levels lie
// from from to to, for a theme that lists only some of them:
// {{ range .TOCLevels 2 3 }}. Asking once costs a template less than
// testing every heading.
func (p *Page) TOCLevels(from, to int) []markup.Heading {
	var out []markup.Heading
	for _, h := range p.headings() {
		if from <= h.Level && h.Level <= to {
			out = append(out, h)
		}
	}
	return out
}

// MenuLink is an entry of the main menu as one page shows it.
type MenuLink struct {
	MenuEntry
	// Current is the entry's aria-current value: "page" on the page it
	// links to, "true" on the pages below it, else "".
	Current string
}

// derive fills in what a view takes from the others: its ancestors, menu,
// tag pages and feeds. feeds holds each section's list of feeds, which
// its pages share.
func (s *Site) derive(p *Page, feeds map[string][]FeedLink) {
	d := s.derived
	// Pages of one section share their place, and pages that stand alike
	// in the menu share one menu: thousands of pages, a few of each.
	key := placeKey{p.parent, p.Section, p.IsHome}
	pl, ok := d.places[key]
	if !ok {
		pl = &place{}
		for a := p.parent; a != nil; a = a.parent {
			pl.ancestors = append(pl.ancestors, a)
		}
		slices.Reverse(pl.ancestors)
		f, ok := feeds[p.Section]
		if !ok {
			f = p.makeFeeds()
			feeds[p.Section] = f
		}
		pl.feeds = f
		// makeFeeds lists the home page's feeds first, then the section's.
		if !p.IsHome && len(f) > len(feedFormats) {
			pl.sectionFeeds = f[len(feedFormats):]
		}
		d.places[key] = pl
	}
	p.place = pl
	var state strings.Builder
	for i, e := range s.view.Menu {
		if i > 0 {
			state.WriteByte(',')
		}
		state.WriteString(menuCurrent(p, e))
	}
	p.MenuState = state.String()
	menu, ok := d.menus[p.MenuState]
	if !ok {
		for _, e := range s.view.Menu {
			menu = append(menu, MenuLink{MenuEntry: e, Current: menuCurrent(p, e)})
		}
		d.menus[p.MenuState] = menu
	}
	p.Menu = menu
	p.tagPages = s.views1(s.Content.Terms("tags", p.Page))
}

// place is what the pages of one section share: the sections above them
// and the feeds they advertise.
type place struct {
	// ancestors are the sections above the page, from the home page down.
	ancestors []*Page
	// feeds are the feeds the page advertises: the home feed, and its
	// section's when the section has one.
	feeds []FeedLink
	// sectionFeeds are the feeds of the page's section alone, for a
	// subscribe link on the section's list; nil when it has none.
	sectionFeeds []FeedLink
}

// placeKey tells the places apart.
type placeKey struct {
	parent  *Page
	section string
	home    bool
}

// menuCurrent is how a page stands to a menu entry, as aria-current says
// it: "page" on the page the entry links to, "true" below it, else "".
func menuCurrent(p *Page, e MenuEntry) string {
	switch {
	case e.Path == "/" || !p.InSection(e.Path):
		return ""
	case p.Path == e.Path:
		return "page"
	}
	return "true"
}

// derivedShared holds what derive made once for many pages.
type derivedShared struct {
	places map[placeKey]*place
	menus  map[string][]MenuLink
}

// InSection reports whether the page is s or lies below it (for menus).
func (p *Page) InSection(path string) bool {
	return path != "" && (p.Path == path || path != "/" && strings.HasPrefix(p.Path, path))
}

// Pager is one page of a paginated list.
type Pager struct {
	Number     int // 1-based
	TotalPages int
	Pages      []*Page
	URLs       []string // the URL of each page of the list, for numbered links
	Prev, Next string   // URLs, "" at the ends
	// perPage is how many children each page shows, to tell on which
	// page a child is.
	perPage int
}

// PagerLink is one link of a pager's numbered list; Gap marks an ellipsis
// between runs of numbers.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// Links returns the numbered links to show: the first and last pages and
// two on either side of this one, with gaps between. A list of a thousand
// pages thus links seven or so, not a thousand, from each of its pages,
// which keeps paginated lists linear in size.
func (p *Pager) Links() []PagerLink {
	shown := func(n int) bool {
		near := n >= p.Number-2 && n <= p.Number+2
		// A gap of a single page shows that page rather than "…".
		fills := (n == 2 && p.Number-2 == 3) || (n == p.TotalPages-1 && p.Number+2 == p.TotalPages-2)
		return n == 1 || n == p.TotalPages || near || fills
	}
	var out []PagerLink
	last := 0
	for n := 1; n <= p.TotalPages; n++ {
		if !shown(n) {
			continue
		}
		if last != 0 && n > last+1 {
			out = append(out, PagerLink{Gap: true})
		}
		out = append(out, PagerLink{Number: n, URL: p.URLs[n-1], Current: n == p.Number})
		last = n
	}
	return out
}

// pagePath is the output path of page n of a list at base.
func pagePath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// buildViews wraps every content page for templates once its Markdown is
// converted, linking parents, children and neighbours.
func (s *Site) buildViews(results []*markup.Result, htmlValues, tocValues []deps.Value, refs []textRefs) {
	cfg := s.Config
	s.view = &SiteView{
		Title: cfg.Title, Unit: cfg.Unit, Language: cfg.Language, BaseURL: cfg.BaseURL,
		Params: cfg.Params, Config: cfg, tags: map[string][]*Page{}, site: s,
	}
	s.views = make(map[*content.Page]*Page, len(s.Content.Pages))
	// One allocation for all the views: a live session makes them anew
	// after every save.
	block := make([]Page, len(s.Content.Pages))
	for i, cp := range s.Content.Pages {
		v := &block[i]
		s.initPage(v, cp)
		if htmlValues != nil {
			v.live = &liveValues{html: htmlValues[i], toc: tocValues[i]}
		}
		if r := results[i]; r != nil {
			v.setText(r)
		}
		if refs != nil {
			v.spilled = refs[i]
		}
		s.views[cp] = v
	}
	for cp, v := range s.views {
		v.parent = s.views[cp.Parent]
		for _, child := range cp.Pages {
			if cv := s.views[child]; cv != nil {
				v.pages = append(v.pages, cv)
			}
		}
	}
	// Neighbours come from the page's own section only: taxonomy terms list
	// pages of many sections and must not change them.
	for cp, v := range s.views {
		if cp.Kind != content.KindSection && cp.Kind != content.KindHome {
			continue
		}
		regular := v.regular()
		for i, c := range regular {
			if i > 0 {
				c.prev = regular[i-1]
			}
			if i+1 < len(regular) {
				c.next = regular[i+1]
			}
		}
	}
	s.view.home = s.views[s.Content.Home]
	for _, c := range s.view.home.pages {
		if c.IsSection {
			s.view.sections = append(s.view.sections, c)
		}
	}
	for _, cp := range s.Content.RegularPages() {
		v := s.views[cp]
		s.view.regularPages = append(s.view.regularPages, v)
		for _, t := range cp.Tags {
			s.view.tags[t] = append(s.view.tags[t], v)
		}
	}
	sort.SliceStable(s.view.regularPages, func(i, j int) bool {
		return s.view.regularPages[i].Date.After(s.view.regularPages[j].Date)
	})
	s.view.sections = menuOrder(s.view.sections, cfg.Menu.Main)
	s.view.status = s.statusView()
	for _, item := range cfg.Menu.Main {
		e := MenuEntry{Name: item.Name, URL: item.URL}
		if strings.HasPrefix(item.URL, "/") {
			e.Path = item.URL
			e.URL = s.relURL(item.URL)
		}
		s.view.Menu = append(s.view.Menu, e)
	}
	s.sectionFeeds = map[string][]FeedLink{}
	s.derived = &derivedShared{places: map[placeKey]*place{}, menus: map[string][]MenuLink{}}
	for _, v := range s.views {
		s.derive(v, s.sectionFeeds)
	}
	s.view.Feeds = s.view.home.place.feeds
	s.view.PrintPDF = s.printPDF
	s.view.Print = s.printLinks()
}

// printLinks finds which print pages this build writes, by the same rules
// as plan, so that no page links a print page that is not there.
func (s *Site) printLinks() PrintLinks {
	var l PrintLinks
	if len(s.bookReadings()) > 0 && s.Theme.Lookup("print/pocketbook.html") != "" {
		l.PocketBook = s.relURL("/print/pocketbook/")
		if s.printPDF {
			l.PocketBookPDF = s.relURL("/print/pocketbook.pdf")
			l.BookletPDF = s.relURL("/print/pocketbook-booklet.pdf")
		}
	}
	if len(s.cardsToPrint()) > 0 && s.Theme.Lookup("print/cards.html") != "" {
		l.Cards = s.relURL("/print/cards/")
		if s.printPDF {
			l.CardsPDF = s.relURL("/print/cards.pdf")
		}
	}
	return l
}

// menuOrder puts sections in the order the main menu lists them; sections
// the menu does not name keep their order after those.
func menuOrder(sections []*Page, menu []config.MenuItem) []*Page {
	rank := func(p *Page) int {
		for i, item := range menu {
			if item.URL == p.Path {
				return i
			}
		}
		return len(menu)
	}
	out := append([]*Page(nil), sections...)
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}
