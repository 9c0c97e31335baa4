package build

import (
	"fmt"
	"hash/fnv"
	"sort"

	"lanmu/generator/content"
)

// Fingerprints let a live rebuild skip outputs whose inputs did not change.
// A fingerprint of an output hashes everything its template can read: the
// page's own source, its neighbours', the pages it lists, and the site-wide
// state (configuration, templates, strings, and the map of every page to its
// URL, since any Markdown link may resolve against it). A change to any of
// those gives a new fingerprint and the output is rendered again.

// fingerprinter hashes pages once per build. A one-off build renders every
// output anyway, so it makes a fingerprinter that does nothing and returns
// 0 ("render").
type fingerprinter struct {
	site   *Site
	off    bool
	global uint64
	pages  map[*content.Page]uint64
}

func newFingerprinter(s *Site, on bool) *fingerprinter {
	f := &fingerprinter{site: s, off: !on, pages: map[*content.Page]uint64{}}
	if f.off {
		return f
	}
	h := fnv.New64a()
	cfg := *s.Config
	cfg.Location = nil // a pointer: its address changes on every load
	// Which print pages exist shows on the lists that link them.
	fmt.Fprintf(h, "%+v\x00%d\x00%+v\x00", cfg, s.Theme.Fingerprint, s.view.Print)
	keys := make([]string, 0, len(s.i18n))
	for k := range s.i18n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%s\x00", k, s.i18n[k])
	}
	// Where every page is: Markdown links anywhere may resolve against it.
	// Titles are not here: each output that shows a page hashes that page.
	for _, p := range s.Content.Pages { // sorted by path
		fmt.Fprintf(h, "%s\x00%s\x00", p.File, p.Path)
	}
	if s.status != nil {
		fmt.Fprintf(h, "%v", s.status.ByStandard)
	}
	f.global = h.Sum64()
	return f
}

// page hashes one page's own source: its front matter and body.
func (f *fingerprinter) page(p *content.Page) uint64 {
	if p == nil {
		return 0
	}
	if v, ok := f.pages[p]; ok {
		return v
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%v\x00%v\x00", p.File, p.Path, p.Title, p.Params, p.Date)
	h.Write(p.Body)
	if ph := f.site.photos[p]; ph != nil {
		// A new photo under the same name may change the sizes shown.
		fmt.Fprintf(h, "%s\x00", ph.key)
	}
	v := h.Sum64()
	f.pages[p] = v
	return v
}

// of combines the global state with the given pages' hashes and any extra
// values.
func (f *fingerprinter) of(pages []*content.Page, extra ...any) uint64 {
	if f.off {
		return 0
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00", f.global)
	for _, p := range pages {
		fmt.Fprintf(h, "%d\x00", f.page(p))
	}
	for _, e := range extra {
		fmt.Fprintf(h, "%v\x00", e)
	}
	return h.Sum64()
}

// forPage is the fingerprint of a page's own output: the page, its
// section chain (breadcrumbs), its neighbours, and the pages its kind shows.
func (f *fingerprinter) forPage(v *Page) uint64 {
	if f.off {
		return 0
	}
	deps := []*content.Page{v.Page}
	for a := v.Page.Parent; a != nil; a = a.Parent {
		deps = append(deps, a)
	}
	for _, n := range []*Page{v.Prev, v.Next} {
		if n != nil {
			deps = append(deps, n.Page)
		}
	}
	if v.Class != nil {
		deps = append(deps, v.Class.Speakers...)
	}
	if v.Teacher != nil {
		deps = append(deps, v.Teacher.Classes...)
	}
	var extra []any
	if row := v.StandardStatus(); row != nil {
		extra = append(extra, statusOf(row))
		for _, t := range row.Tasks {
			for _, e := range t.EvidencePages {
				deps = append(deps, e.Page)
			}
		}
	}
	return f.of(deps, extra...)
}

// forList is the fingerprint of one page of a list: the list page, the
// pages shown on it, and (for kinds that group or summarise the whole
// section) every child.
func (f *fingerprinter) forList(v *Page, shown []*Page, number, total int) uint64 {
	if f.off {
		return 0
	}
	deps := []*content.Page{v.Page}
	for a := v.Page.Parent; a != nil; a = a.Parent {
		deps = append(deps, a)
	}
	children := shown
	if v.IsHome || v.Page.Type == content.TypeTeacher || v.Page.Type == content.TypeStandard || v.Page.Type == content.TypeCard || v.Kind == content.KindTaxonomy {
		children = v.Pages
	}
	for _, c := range children {
		deps = append(deps, c.Page)
		if v.IsHome {
			for _, g := range first(c.Pages, 5) {
				deps = append(deps, g.Page)
			}
		}
		if v.Kind == content.KindTaxonomy {
			deps = append(deps, c.Page.Pages...)
		}
	}
	extra := []any{number, total}
	if (v.IsHome || v.Page.Type == content.TypeStandard) && v.Site.Status != nil {
		for _, row := range v.Site.Status.Standards {
			extra = append(extra, statusOf(row))
		}
	}
	return f.of(deps, extra...)
}

func first(pages []*Page, n int) []*Page {
	return pages[:min(n, len(pages))]
}

// statusOf is the part of a standard's status that its pages show.
func statusOf(row *StandardRow) string {
	s := fmt.Sprintf("%s %d/%d", row.Status, row.Done, row.Total)
	for _, t := range row.Tasks {
		s += fmt.Sprintf(" %s:%s:%s:%s", t.Task.ID, t.Status, t.Due.Format("20060102"), t.DoneOn.Format("20060102"))
		if t.Evidence != nil {
			s += fmt.Sprintf(":%d/%d", t.Evidence.Count, t.Evidence.Min)
		}
	}
	return s
}
