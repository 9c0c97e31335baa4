package build

import (
	"fmt"
	"io"
	"strings"
	"time"

	"lanmu/generator/content"
	"lanmu/generator/diag"
)

// plan lists every output of the site, one job per file.
func (s *Site) plan() ([]*job, error) {
	var problems diag.List
	// Photos first: the values of teachers' pages include them.
	jobs := s.photoJobs(&problems)
	alias := s.Theme.Lookup("alias.html")
	for _, cp := range s.Content.Pages {
		v := s.views[cp]
		names := s.layoutsFor(cp)
		layout := s.Theme.Lookup(names...)
		if layout == "" {
			problems.Addf(cp.File, 0, 0, "no template for this page: looked for %v in layouts/ and the theme", names)
			continue
		}
		if cp.IsSection() {
			jobs = append(jobs, s.listJobs(v, layout)...)
		} else {
			jobs = append(jobs, &job{path: outputFile(cp.Path), make: rendered{layout, v}, source: cp.File,
				forReaders: true, lastmod: stampOf(cp.Lastmod)})
		}
		if j := s.weChatJob(cp, v); j != nil {
			jobs = append(jobs, j)
		}
		for _, a := range cp.Aliases {
			jobs = append(jobs, &job{path: outputFile(a), make: rendered{alias, v}, source: cp.File})
		}
	}
	if nf := s.Theme.Lookup("404.html"); nf != "" {
		jobs = append(jobs, &job{path: "/404.html", make: rendered{nf, s.notFoundPage()}, source: "404.html"})
	}
	jobs = append(s.searchJobs(), jobs...)
	jobs = append(jobs, &job{path: "/css/chroma.css", make: generated(s.markup.HighlightCSS())})
	jobs = append(jobs, s.feedJobs()...)
	if book := s.PocketBook(nil); book != nil {
		if t := s.Theme.Lookup("print/pocketbook.html"); t != "" {
			var deps []*Page
			for _, a := range book.Articles {
				deps = append(deps, a.Page)
			}
			jobs = append(jobs, &job{path: "/print/pocketbook/index.html", make: rendered{t, book}, source: "the pocket book",
				forReaders: true, lastmod: stampOf(newest(deps))})
		}
	}
	s.cards = s.CardSheets()
	if cards := s.cards; cards != nil {
		if t := s.Theme.Lookup("print/cards.html"); t != "" {
			var deps []*Page
			for _, pg := range cards.Pages {
				for _, slot := range pg.Slots {
					deps = append(deps, slot.Card)
				}
			}
			jobs = append(jobs, &job{path: "/print/cards/index.html", make: rendered{t, cards}, source: "the card sheets",
				forReaders: true, lastmod: stampOf(newest(deps))})
		}
	}
	if j := s.shortJob(); j != nil {
		jobs = append(jobs, j)
	}
	jobs = append(jobs, &job{path: "/robots.txt", make: generated(s.robots())})
	if sec := s.Content.PageByPath("/standards/"); sec != nil && len(s.status.Standards) > 0 {
		data, err := s.StatusJSON()
		j := &job{path: "/standards/status.json", make: generated(data), source: "the standards' status"}
		if err != nil {
			j.make = failed{err}
		}
		jobs = append(jobs, j)
	}
	jobs = append(jobs, staticJobs(s.Dir, s.Theme.Static)...)
	for src, out := range s.Content.Files {
		jobs = append(jobs, &job{path: out, make: copied{fsys: siteFS(s.Dir), name: src}})
	}
	// Last, once every page is planned: the sitemap lists them.
	planned := jobs
	jobs = append(jobs, &job{path: "/sitemap.xml", make: madeLater(func(w io.Writer) error { return s.sitemap(w, planned) }), source: "the sitemap"})
	seen := map[string]*job{}
	for _, j := range jobs {
		// Jobs run in parallel: two writing one file would leave either.
		// Only copies may meet, where a later static folder overrides.
		_, copy := j.make.(copied)
		if other := seen[j.path]; other != nil && !(copy && isCopy(other)) {
			s.reportOverlap(j, other, &problems)
		}
		seen[j.path] = j
	}
	return jobs, problems.Err()
}

// reportOverlap reports two jobs writing one file, at the page that asks
// for that path when there is one (a page with url: /index.xml), since the
// files lanmu makes itself cannot move.
func (s *Site) reportOverlap(j, other *job, problems *diag.List) {
	from := func(j *job) string {
		switch {
		case j.source != "":
			return j.source
		case isCopy(j):
			return j.make.(copied).name
		}
		return "a file lanmu makes itself"
	}
	at := j.path
	if p := s.Content.PageByPath(at); p == nil && strings.HasSuffix(at, "/index.html") {
		at = strings.TrimSuffix(at, "index.html")
	}
	if p := s.Content.PageByPath(at); p != nil && p.File != "" {
		if from(j) == p.File {
			j, other = other, j
		}
		line, col := p.URLPosition(at)
		problems.Addf(p.File, line, col, "%s is also written for %s: give this page another URL", j.path, from(j))
		return
	}
	problems.Addf(from(j), 0, 0, "%s would overwrite %s, made from %s", j.path, j.path, from(other))
}

// layoutsFor lists the templates a page may use, most specific first.
func (s *Site) layoutsFor(p *content.Page) []string {
	var names []string
	dir := string(p.Type) // a type's layouts are in a folder named after it
	if l, ok := p.Params["layout"].(string); ok && l != "" {
		names = append(names, dir+"/"+l+".html", "_default/"+l+".html")
	}
	switch p.Kind {
	case content.KindTaxonomy:
		return append(names, dir+"/taxonomy.html", "_default/taxonomy.html", "_default/list.html")
	case content.KindTerm:
		return append(names, dir+"/term.html", "_default/term.html", "_default/list.html")
	case content.KindHome:
		return append(names, "index.html", "_default/list.html")
	case content.KindSection:
		return append(names, dir+"/list.html", "section/"+p.Section+".html", "_default/list.html")
	}
	return append(names, dir+"/single.html", "_default/single.html")
}

// cardsPerPage is the fewest cards a page of a card list shows.
const cardsPerPage = 100

// listPageSize is how many children each page of a list shows.
func (s *Site) listPageSize(v *Page) int {
	all := max(len(v.pages), 1)
	switch {
	case v.IsHome, v.Page.Type == content.TypeStandard, v.Kind == content.KindTaxonomy:
		// The home page shows each section's newest pages rather than a
		// list of its own; the standards section is the status page; a
		// taxonomy is a cloud of short chips a reader takes in at a glance.
		// Each is one page, whatever its length.
		return all
	case v.Page.Type == content.TypeCard:
		// A reader goes through a deck to test themselves, so a deck cut
		// at every tenth card (the article lists' paginate) serves nobody:
		// a column's few dozen cards go on one page, grouped by deck, and
		// only a large column pages, many small cards at a time.
		return max(s.Config.Paginate, cardsPerPage)
	}
	return s.Config.Paginate
}

// listJobs renders a list page and, when its children need more than one
// page, the further pages at base/page/N/. Each page's view is made when
// it is rendered (see listPage), so that planning holds none of them.
func (s *Site) listJobs(v *Page, layout string) []*job {
	list := &pagedList{of: v, per: s.listPageSize(v)}
	list.total = max(1, (len(v.pages)+list.per-1)/list.per)
	list.urls = make([]string, list.total)
	for n := 1; n <= list.total; n++ {
		list.urls[n-1] = s.relURL(pagePath(v.Path, n))
	}
	jobs := make([]*job, list.total)
	for n := 1; n <= list.total; n++ {
		shown := list.shown(n)
		lastmod := v.Lastmod
		if t := newest(shown); t.After(lastmod) {
			lastmod = t
		}
		jobs[n-1] = &job{path: outputFile(pagePath(v.Path, n)), make: rendered{layout, listPage{list, n}},
			source:     fmt.Sprintf("%s (page %d)", v.fileOrPath(), n),
			forReaders: true, lastmod: stampOf(lastmod)}
	}
	return jobs
}

// pagedList is a list page cut into pages of per children.
type pagedList struct {
	of         *Page
	per, total int
	urls       []string
}

// shown are the children on page n.
func (l *pagedList) shown(n int) []*Page {
	children := l.of.pages
	return children[min((n-1)*l.per, len(children)):min(n*l.per, len(children))]
}

// listPage is page n of a list, as a job's data. Its view, a copy of the
// list's with its own pager, is made when the page is rendered: a site of
// 10,000 pages has thousands of list pages, and views held from planning
// to rendering cost each of them a kilobyte of the heap.
type listPage struct {
	list *pagedList
	n    int
}

// view makes the page's view.
func (lp listPage) view(s *Site) *Page {
	l, n := lp.list, lp.n
	pv := *l.of
	pager := &Pager{Number: n, TotalPages: l.total, URLs: l.urls, perPage: l.per, Pages: l.shown(n)}
	if n > 1 {
		pager.Prev = l.urls[n-2]
		// Its own canonical URL: page 2 is no copy of page 1, and the
		// sitemap lists it.
		pv.Permalink = s.absURL(pagePath(l.of.Path, n))
	}
	if n < l.total {
		pager.Next = l.urls[n]
	}
	pv.pager = pager
	return &pv
}

// newest is the latest Lastmod of views, or zero.
func newest(views []*Page) time.Time {
	var t time.Time
	for _, v := range views {
		if v.Lastmod.After(t) {
			t = v.Lastmod
		}
	}
	return t
}

func (p *Page) fileOrPath() string {
	if p.File != "" {
		return p.File
	}
	return p.Path
}

// notFoundPage is the data of /404.html: a page of its own, so that
// templates neither mark the home page as current nor treat it as home.
func (s *Site) notFoundPage() *Page {
	cp := &content.Page{
		Kind: content.KindNotFound, Type: content.TypePage, Title: s.translate("notFoundTitle"), Path: "/404.html",
		RelPermalink: s.relURL("/404.html"), Permalink: s.absURL("/404.html"), Parent: s.Content.Home,
	}
	v := s.newPage(cp)
	v.parent = s.view.home
	s.derive(v, s.sectionFeeds)
	return v
}
