package build

import (
	"fmt"
	"html/template"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"time"
	"unsafe"

	"lanmu/generator/content"
	"lanmu/generator/deps"
	"lanmu/generator/markup"
)

// What a template can read, recorded while a live session renders (see
// package deps). Each page view an output reaches is a copy that reports
// to the output's recorder: reaching a page reads its front matter and
// place; calling a method reads what the method returns (another page's
// text, a section's members in order, a tag's pages). The fields of a view
// are its front matter and place, read when the page is reached; what
// depends on other pages or on the text is a method, so that it is
// recorded. valueOf says, for each kind, what its value is now.
const (
	readGlobal    deps.Kind = iota + 1 // configuration, strings, print links
	readLayout                         // the template files an output of a layout is made from, by layout
	readPage                           // a page's front matter and place, by path
	readContent                        // a page's converted text
	readBody                           // what else comes of its text: summary, TOC, word count
	readChildren                       // a list page's children, in order
	readParent                         // the section above a page
	readAncestors                      // the sections above a page, up to home
	readPrev                           // a page's neighbour before it
	readNext                           // and after it
	readTagPages                       // the term pages of a page's tags
	readSpeakers                       // a class's teachers
	readClasses                        // a teacher's classes
	readBranch                         // a class's branch page
	readStatusRow                      // a standard page's status row
	readStatus                         // the standards' status (.Site.Status)
	readRegular                        // every regular page, newest first
	readSections                       // the top-level sections, in menu order
	readHome                           // the home page
	readTags                           // every tag and its pages
	readData                           // all the data of an output that is not a page, by path
	// The front matter and place of every page of a collection, read by
	// ranging over it: of a page's children (by the page's path), of the
	// regular pages (""), of a tag's pages (by tag, after a NUL).
	readMembers
)

// outputReads is one output's view of the site while it renders: the pages it
// reached, each a copy that records what is read of it.
type outputReads struct {
	rec   *deps.Recorder
	pages map[*Page]*Page
	site  *SiteView
	// lists holds the copies of whole collections, by what they are the
	// members of (as readMembers names them), so a collection ranged twice
	// is the same pages.
	lists map[string][]*Page
}

func newOutputReads() *outputReads {
	return &outputReads{rec: deps.NewRecorder(), pages: map[*Page]*Page{}, lists: map[string][]*Page{}}
}

func (r *outputReads) read(kind deps.Kind, of string) {
	if r != nil {
		r.rec.Read(deps.Key{Kind: kind, Of: of})
	}
}

// page returns the output's copy of a shared view, recording that the
// output reached it; without a outputReads (a one-off build), the view itself.
func (r *outputReads) page(v *Page) *Page {
	if r == nil || v == nil {
		return v
	}
	if c, ok := r.pages[v]; ok {
		return c
	}
	r.read(readPage, v.Path)
	c := *v
	c.r = r
	c.Site = r.siteView(v.Site)
	r.pages[v] = &c
	return &c
}

// list returns the output's copies of a few pages, each read as page
// does.
func (r *outputReads) list(vs []*Page) []*Page {
	if r == nil || vs == nil {
		return vs
	}
	out := make([]*Page, len(vs))
	for i, v := range vs {
		out[i] = r.page(v)
	}
	return out
}

// members returns the output's copies of a whole collection, which may
// hold thousands of pages: one read stands for the front matter and place
// of all of them (readMembers, of), and the copies are made in one
// allocation.
func (r *outputReads) members(of string, vs []*Page) []*Page {
	if r == nil || len(vs) == 0 {
		return vs
	}
	r.read(readMembers, of)
	if out, ok := r.lists[of]; ok {
		return out
	}
	copies := make([]Page, len(vs))
	out := make([]*Page, len(vs))
	for i, v := range vs {
		if c, ok := r.pages[v]; ok {
			out[i] = c
			continue
		}
		copies[i] = *v
		copies[i].r = r
		copies[i].Site = r.siteView(v.Site)
		out[i] = &copies[i]
	}
	r.lists[of] = out
	return out
}

// siteView returns the output's copy of .Site.
func (r *outputReads) siteView(v *SiteView) *SiteView {
	if r == nil || v == nil {
		return v
	}
	if r.site == nil {
		c := *v
		c.r = r
		r.site = &c
	}
	return r.site
}

// Recorder is the recorder of the output this view is read by, for
// template functions that record on its behalf (partialCached).
func (p *Page) Recorder() *deps.Recorder {
	if p.r == nil {
		return nil
	}
	return p.r.rec
}

// Recorder is as for Page.
func (v *SiteView) Recorder() *deps.Recorder {
	if v.r == nil {
		return nil
	}
	return v.r.rec
}

// Content is the page's text converted to HTML.
func (p *Page) Content() template.HTML {
	p.r.read(readContent, p.Path)
	return p.contentHTML()
}

// TOC lists the headings of the page's text.
func (p *Page) TOC() []markup.Heading {
	p.r.read(readBody, p.Path)
	return p.headings()
}

// Summary is the front matter's summary, else the text's first paragraph.
func (p *Page) Summary() string {
	p.r.read(readBody, p.Path)
	return p.summaryText()
}

// Truncated reports whether the summary leaves out some of the text.
func (p *Page) Truncated() bool {
	p.r.read(readBody, p.Path)
	return p.truncated
}

// WordCount counts the words of the text, each Chinese character as one.
func (p *Page) WordCount() int {
	p.r.read(readBody, p.Path)
	return int(p.wordCount)
}

// ReadingTime is the minutes the text takes to read.
func (p *Page) ReadingTime() int {
	p.r.read(readBody, p.Path)
	return int(p.readingTime)
}

// Description is what the page says about itself in meta tags: its
// summary, else the site's description, else the site's title.
func (p *Page) Description() string {
	p.r.read(readBody, p.Path)
	return p.site.description(p)
}

// Parent is the section the page belongs to.
func (p *Page) Parent() *Page {
	p.r.read(readParent, p.Path)
	return p.r.page(p.parent)
}

// Pages are a list page's children.
func (p *Page) Pages() []*Page {
	p.r.read(readChildren, p.Path)
	return p.r.members(p.Path, p.pages)
}

// Count is how many children a list page has, for "12 pages" without
// ranging over them.
func (p *Page) Count() int {
	p.r.read(readChildren, p.Path)
	return len(p.pages)
}

// Prev is the page before this one in its section's list.
func (p *Page) Prev() *Page {
	p.r.read(readPrev, p.Path)
	return p.r.page(p.prev)
}

// Next is the page after this one in its section's list.
func (p *Page) Next() *Page {
	p.r.read(readNext, p.Path)
	return p.r.page(p.next)
}

// Pager is set on list pages: the children shown on this page of the list
// and the links to the other pages.
func (p *Page) Pager() *Pager {
	if p.pager == nil || p.r == nil {
		return p.pager
	}
	p.r.read(readChildren, p.Path)
	c := *p.pager
	c.Pages = p.r.list(c.Pages)
	return &c
}

// Ancestors are the sections above the page, from the home page down.
func (p *Page) Ancestors() []*Page {
	p.r.read(readAncestors, p.Path)
	return p.r.list(p.place.ancestors)
}

// TagPages are the term pages of the page's tags.
func (p *Page) TagPages() []*Page {
	p.r.read(readTagPages, p.Path)
	return p.r.list(p.tagPages)
}

// Feeds are the feeds the page advertises: the home feed, and its
// section's when the section has one. They are named after those pages.
func (p *Page) Feeds() []FeedLink {
	p.readFeedOwners()
	return p.place.feeds
}

// SectionFeeds are the feeds of the page's section alone, for a subscribe
// link on the section's list; nil when it has none.
func (p *Page) SectionFeeds() []FeedLink {
	p.readFeedOwners()
	return p.place.sectionFeeds
}

func (p *Page) readFeedOwners() {
	p.r.read(readPage, "/")
	if p.Section != "" {
		p.r.read(readPage, "/"+p.Section+"/")
	}
}

// Home is the home page.
func (v *SiteView) Home() *Page {
	v.r.read(readHome, "")
	return v.r.page(v.home)
}

// Sections are the top-level sections, in menu order.
func (v *SiteView) Sections() []*Page {
	v.r.read(readSections, "")
	return v.r.members("\x00sections", v.sections)
}

// RegularPages are all pages that are not lists, newest first.
func (v *SiteView) RegularPages() []*Page {
	v.r.read(readRegular, "")
	return v.r.members("", v.regularPages)
}

// Tags maps each tag to its pages.
func (v *SiteView) Tags() map[string][]*Page {
	v.r.read(readTags, "")
	if v.r == nil {
		return v.tags
	}
	out := make(map[string][]*Page, len(v.tags))
	for t, pages := range v.tags {
		out[t] = v.r.members("\x00"+t, pages)
	}
	return out
}

// Taxonomies maps each taxonomy that has terms ("tags", "branches") to its
// terms, each to its pages, newest first, as Hugo's .Site.Taxonomies does:
// {{ range $tag, $pages := .Site.Taxonomies.tags }}.
func (v *SiteView) Taxonomies() map[string]map[string][]*Page {
	out := map[string]map[string][]*Page{}
	for _, tax := range content.Taxonomies {
		list := v.site.views[v.site.Content.PageByPath("/"+tax+"/")]
		if list == nil {
			continue
		}
		v.r.read(readChildren, list.Path)
		terms := map[string][]*Page{}
		for _, t := range list.pages {
			t = v.r.page(t) // its title is the term's name
			terms[t.Title] = v.r.members(t.Path, t.pages)
		}
		out[tax] = terms
	}
	return out
}

// Status is the standards' status on the as-of day; nil when the site has
// no standards.
func (v *SiteView) Status() *StatusView {
	v.r.read(readStatus, "")
	if v.r == nil || v.status == nil {
		return v.status
	}
	c := *v.status
	c.Standards = make([]*StandardRow, len(v.status.Standards))
	for i, row := range v.status.Standards {
		c.Standards[i] = v.r.statusRow(row)
	}
	return &c
}

// statusRow copies a row of the status so that the pages in it record
// what is read of them.
func (r *outputReads) statusRow(row *StandardRow) *StandardRow {
	if r == nil || row == nil {
		return row
	}
	c := *row
	c.Page = r.page(row.Page)
	c.Tasks = make([]*TaskRow, len(row.Tasks))
	for i, t := range row.Tasks {
		tc := *t
		tc.EvidencePages = r.list(t.EvidencePages)
		tc.PeriodRows = make([]*PeriodRow, len(t.PeriodRows))
		for j, pr := range t.PeriodRows {
			pc := *pr
			pc.EvidencePages = r.list(pr.EvidencePages)
			tc.PeriodRows[j] = &pc
		}
		c.Tasks[i] = &tc
	}
	return &c
}

// valueOf is the value of a key in this site now: equal values mean an
// output that read the key would read the same.
func (s *Site) valueOf(k deps.Key) deps.Value {
	h := deps.NewHasher()
	switch k.Kind {
	case readGlobal:
		return s.globalValue()
	case readLayout:
		for _, f := range s.Theme.Files(k.Of) {
			h.String(f).Uint(s.Theme.SourceHash(f))
		}
		return h.Sum()
	case readRegular:
		return pathsValue(h, s.view.regularPages)
	case readSections:
		return pathsValue(h, s.view.sections)
	case readHome:
		return pathsValue(h, []*Page{s.view.home})
	case readTags:
		for _, t := range slices.Sorted(maps.Keys(s.view.tags)) {
			h.String(t)
			h.Uint(pathsValue(deps.NewHasher(), s.view.tags[t]))
		}
		return h.Sum()
	case readStatus:
		return s.deepValue(h, reflect.ValueOf(s.view.status), false)
	case readMembers:
		var pages []*Page
		switch {
		case k.Of == "":
			pages = s.view.regularPages
		case k.Of == "\x00sections":
			pages = s.view.sections
		case k.Of[0] == 0:
			pages = s.view.tags[k.Of[1:]]
		default:
			if v := s.views[s.Content.PageByPath(k.Of)]; v != nil {
				pages = v.pages
			}
		}
		h.Uint(uint64(len(pages)))
		for _, p := range pages {
			h.Uint(s.valueOf(deps.Key{Kind: readPage, Of: p.Path}))
		}
		return h.Sum()
	case readData:
		j := s.jobs[k.Of]
		if j == nil {
			return 0
		}
		return s.deepValue(h, reflect.ValueOf(j.make.(rendered).data), true)
	}
	cp := s.Content.PageByPath(k.Of)
	v := s.views[cp]
	if v == nil {
		return 0
	}
	switch k.Kind {
	case readPage:
		if v.live != nil && v.live.meta != 0 {
			return v.live.meta
		}
		return s.metaValue(cp, v)
	case readContent:
		if v.live != nil && v.live.html != 0 {
			return v.live.html
		}
		return h.String(string(v.contentHTML())).Sum()
	case readBody:
		h.String(v.summaryText()).String(v.site.description(v)).Uint(uint64(v.wordCount)).Uint(uint64(v.readingTime))
		if v.truncated {
			h.String("truncated")
		}
		if v.live != nil && v.live.toc != 0 {
			return h.Uint(v.live.toc).Sum()
		}
		return h.Uint(tocValue(v.headings())).Sum()
	case readChildren:
		return pathsValue(h, v.pages)
	case readParent:
		return pathsValue(h, []*Page{v.parent})
	case readAncestors:
		return pathsValue(h, v.place.ancestors)
	case readPrev:
		return pathsValue(h, []*Page{v.prev})
	case readNext:
		return pathsValue(h, []*Page{v.next})
	case readTagPages:
		return pathsValue(h, v.tagPages)
	case readSpeakers:
		return pathsValue(h, v.speakers())
	case readClasses:
		return pathsValue(h, v.classesGiven())
	case readBranch:
		return pathsValue(h, []*Page{v.branchPage()})
	case readStatusRow:
		return s.deepValue(h, reflect.ValueOf(v.standardStatus()), false)
	}
	panic(fmt.Sprintf("build: no value for reads of kind %d", k.Kind))
}

// metaValue is the value of a page's front matter and place.
func (s *Site) metaValue(cp *content.Page, v *Page) deps.Value {
	h := deps.NewHasher()
	h.Uint(cp.FrontHash).String(cp.File).String(v.Path).String(string(v.Kind)).String(v.Type).String(v.Section)
	h.String(v.Title).String(v.RelPermalink).String(v.Permalink)
	h.Uint(uint64(cp.Date.UnixNano())).Uint(uint64(cp.Lastmod.UnixNano())).Uint(uint64(cp.Weight))
	for _, r := range cp.Resources {
		h.String(r)
	}
	if ph := s.photos[cp]; ph != nil {
		h.String(ph.key)
	}
	return h.Sum()
}

// computeMetaValues works out every page's metaValue at once, in
// parallel, since a live session compares most of them after every save.
func (s *Site) computeMetaValues() {
	pages := s.Content.Pages
	parallel(len(pages), func(i int) {
		if v := s.views[pages[i]]; v != nil {
			if v.live == nil {
				v.live = &liveValues{}
			}
			v.live.meta = s.metaValue(pages[i], v)
			v.live.path = deps.NewHasher().String(v.Path).Sum()
		}
	})
}

// tocValue is the value of a table of contents.
func tocValue(toc []markup.Heading) deps.Value {
	h := deps.NewHasher()
	for _, t := range toc {
		h.Uint(uint64(t.Level)).String(t.ID).String(t.Text)
	}
	return h.Sum()
}

// pathsValue is the value of a list of pages: which pages, in which order.
func pathsValue(h *deps.Hasher, pages []*Page) deps.Value {
	h.Uint(uint64(len(pages)))
	for _, p := range pages {
		switch {
		case p == nil:
			h.Uint(0)
		case p.live != nil && p.live.path != 0:
			h.Uint(p.live.path)
		default:
			h.Uint(deps.NewHasher().String(p.Path).Sum())
		}
	}
	return h.Sum()
}

// globalValue is what every output reads: the configuration, the theme's
// strings, and which print pages exist (every page's links show them).
func (s *Site) globalValue() deps.Value {
	h := deps.NewHasher()
	cfg := *s.Config
	cfg.Location = nil // a pointer: its address changes on every load
	h.String(fmt.Sprintf("%+v", cfg)).String(s.Config.Location.String())
	for _, k := range slices.Sorted(maps.Keys(s.i18n)) {
		h.String(k).String(s.i18n[k])
	}
	h.String(fmt.Sprintf("%+v %t", s.view.Print, s.printPDF))
	return h.Sum()
}

var (
	viewType    = reflect.TypeFor[*Page]()
	contentType = reflect.TypeFor[*content.Page]()
	timeType    = reflect.TypeFor[time.Time]()
	siteType    = reflect.TypeFor[*Site]()
)

// unsafePointer is the address of a struct value deepValue walks, which
// may sit in an unexported field that reflect does not let it read as
// itself; it only reads it.
func unsafePointer(v reflect.Value) unsafe.Pointer {
	if v.CanAddr() {
		return v.Addr().UnsafePointer()
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c.Addr().UnsafePointer()
}

// deepValue hashes everything a value holds, following pointers. A page
// counts only as which page it is, since the output's copy of it records
// what is read of it, unless pages is set: then its front matter, place
// and text count too, for data whose pages are not copied for an output
// (the print pages').
func (s *Site) deepValue(h *deps.Hasher, v reflect.Value, pages bool) deps.Value {
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Invalid:
			h.String("\x00invalid")
		case reflect.Pointer, reflect.Interface:
			if v.IsNil() {
				h.String("\x00nil")
				return
			}
			if v.Kind() == reflect.Pointer {
				switch v.Type() {
				case viewType:
					p := (*Page)(v.UnsafePointer())
					h.String(p.Path)
					if pages {
						for _, k := range []deps.Kind{readPage, readContent, readBody} {
							h.Uint(s.valueOf(deps.Key{Kind: k, Of: p.Path}))
						}
					}
					return
				case contentType:
					// The status's own records of pages, behind the
					// views' copies: they count what the status shows.
					p := (*content.Page)(v.UnsafePointer())
					h.String(p.Path).Uint(p.FrontHash).String(p.Title)
					return
				case siteType:
					// The site view's way back to the site, whose
					// parts its methods record when they read them.
					return
				}
				if seen[v.Pointer()] {
					h.String("\x00seen")
					return
				}
				seen[v.Pointer()] = true
			}
			walk(v.Elem())
		case reflect.Struct:
			if v.Type() == timeType {
				// Its location is a pointer that differs between loads.
				h.Uint(uint64((*time.Time)(unsafePointer(v)).UnixNano()))
				return
			}
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			h.Uint(uint64(v.Len()))
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			keys := v.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
			for _, k := range keys {
				walk(k)
				walk(v.MapIndex(k))
			}
		case reflect.String:
			h.String(v.String())
		case reflect.Bool:
			if v.Bool() {
				h.Uint(1)
			} else {
				h.Uint(0)
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			h.Uint(uint64(v.Int()))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			h.Uint(v.Uint())
		case reflect.Float32, reflect.Float64:
			h.Uint(math.Float64bits(v.Float()))
		default:
			h.String(v.Type().String())
		}
	}
	walk(v)
	return h.Sum()
}
