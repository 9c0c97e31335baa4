package content

import (
	"cmp"
	"path"
	"slices"
	"strconv"
	"strings"

	"lanmu/generator/diag"
)

// assemble places parsed pages in the section tree, applies the publishing
// rules, gives every page its output path and checks that no two outputs
// share one.
func (s *Site) assemble(pages []*Page, t *tree, opts Options, problems *diag.List) {
	sections := map[string]*Page{} // content-relative folder → section page
	var regular []*Page
	for _, p := range pages {
		rel := strings.TrimPrefix(p.File, Dir+"/")
		switch {
		case rel == "_index.md":
			p.Kind = KindHome
			sections["."] = p
		case path.Base(rel) == "_index.md":
			p.Kind = KindSection
			sections[path.Dir(rel)] = p
		default:
			p.Kind = KindPage
			p.Bundle = path.Base(rel) == "index.md"
			regular = append(regular, p)
		}
	}
	home := sections["."]
	if home == nil {
		home = &Page{Kind: KindHome}
		sections["."] = home
	}
	if home.Title == "" {
		home.Title = s.Config.Title
	}
	home.Path = "/"
	s.Home = home

	// Every top-level folder is a section; deeper folders are sections only
	// when they have an _index.md, as in Hugo.
	for _, p := range regular {
		dir := p.dir()
		if top := topFolder(dir); top != "." && sections[top] == nil {
			sections[top] = &Page{Kind: KindSection}
		}
	}
	for dir, sec := range sections {
		if dir == "." {
			continue
		}
		if sec.Title == "" {
			sec.Title = path.Base(dir)
		}
		if sec.Path == "" {
			sec.Path = folderPath(dir)
		}
		sec.Section = topFolder(dir)
		sec.Parent = nearestSection(sections, path.Dir(dir))
	}
	// Most pages share their folder with many others.
	folders := map[string]string{}
	for _, p := range regular {
		if p.Title == "" && !hasNonText(p.Params["title"]) {
			problems.Addf(p.File, 1, 1, "the page has no title: add title: to its front matter")
		}
		dir := p.dir()
		p.Parent = nearestSection(sections, dir)
		p.Section = topFolder(dir)
		if p.Section == "." {
			p.Section = ""
		}
		if p.Path == "" {
			slug := p.Slug
			if slug == "" {
				slug = path.Base(strings.TrimSuffix(strings.TrimPrefix(p.File, Dir+"/"), ".md"))
				if p.Bundle {
					slug = path.Base(path.Dir(p.File))
				}
			}
			seg := Slugify(slug)
			if seg == "" {
				problems.Addf(p.File, 1, 1, "cannot make a URL from the file name %q: give the page a slug", path.Base(p.File))
				continue
			}
			p.Slug = seg
			folder, ok := folders[dir]
			if !ok {
				folder = folderPath(dir)
				folders[dir] = folder
			}
			p.Path = folder + seg + "/"
		} else if p.Slug == "" {
			p.Slug = path.Base(strings.TrimSuffix(p.Path, "/"))
		}
	}
	all := append(regular, home)
	for dir, sec := range sections {
		if dir != "." {
			all = append(all, sec)
		}
	}
	for _, p := range all {
		if p.Type == "" {
			p.Type = TypePage
			if t, ok := Types[p.Section]; ok {
				p.Type = t
			}
		}
	}
	s.publish(all, opts, problems)
	s.placeFiles(t)
}

// hasNonText reports whether a front matter value is set and is not a
// string: a title of the wrong type is reported where it was written.
func hasNonText(v any) bool {
	_, isText := v.(string)
	return v != nil && !isText
}

// dir returns the content-relative folder a regular page lives in (for a
// bundle, the folder that holds the bundle).
func (p *Page) dir() string {
	dir := path.Dir(strings.TrimPrefix(p.File, Dir+"/"))
	if p.Bundle {
		dir = path.Dir(dir)
	}
	return dir
}

func topFolder(dir string) string {
	top, _, _ := strings.Cut(dir, "/")
	return top
}

// folderPath is the output path of a content folder: each name slugified.
func folderPath(dir string) string {
	if dir == "." || dir == "" {
		return "/"
	}
	var b strings.Builder
	for _, seg := range strings.Split(dir, "/") {
		b.WriteString("/" + Slugify(seg))
	}
	return b.String() + "/"
}

func nearestSection(sections map[string]*Page, dir string) *Page {
	for ; ; dir = path.Dir(dir) {
		if s := sections[dir]; s != nil {
			return s
		}
		if dir == "." || dir == "/" || dir == "" {
			return sections["."]
		}
	}
}

// publish applies the draft, future and expiry rules, fills in URLs, and
// records every published output path, failing on duplicates.
func (s *Site) publish(all []*Page, opts Options, problems *diag.List) {
	base := strings.TrimSuffix(s.Config.BasePath, "/")
	origin := s.Config.Origin
	// Sections lanmu makes up have no file: two on one path (the folders
	// "a b" and "a-b") are told apart by their folder, so that the same
	// one is reported whatever order the sections came in.
	slices.SortFunc(all, func(a, b *Page) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), strings.Compare(a.File, b.File), strings.Compare(a.Section, b.Section))
	})
	for _, p := range all {
		if p.Path == "" {
			continue // its URL could not be made; already reported
		}
		if why := p.hiddenBecause(opts); why != "" {
			if p.File != "" {
				s.hidden[p.File] = why
			}
			continue
		}
		// One string for both: the relative URL is the end of the
		// absolute one, and a large site holds a hundred bytes less a
		// page.
		p.Permalink = origin + escapePath(base+p.Path)
		p.RelPermalink = p.Permalink[len(origin):]
		for _, at := range append([]string{p.Path}, p.Aliases...) {
			if other := s.byPath[at]; other != nil {
				reportClash(at, p, other, problems)
				continue
			}
			s.byPath[at] = p
		}
		if p.File != "" {
			s.byFile[p.File] = p
		}
		s.Pages = append(s.Pages, p)
	}
	// A section, or the home page, lists its published children; a
	// section whose _index.md is unpublished takes its pages with it.
	for _, p := range s.Pages {
		if p == s.Home {
			continue
		}
		parent := p.Parent
		if parent != nil && parent != s.Home && s.byPath[parent.Path] != parent {
			delete(s.byPath, p.Path)
			delete(s.byFile, p.File)
			s.hidden[p.File] = "its section is not published"
			continue
		}
		if parent != nil {
			parent.Pages = append(parent.Pages, p)
		}
	}
	kept := s.Pages[:0]
	for _, p := range s.Pages {
		if p == s.Home || s.byPath[p.Path] == p {
			kept = append(kept, p)
		}
	}
	s.Pages = kept
	for _, p := range s.Pages {
		orderPages(p.Pages, true, func(m *memo) *int { return &m.inSection })
	}
}

// reportClash reports two pages on one URL once, at the page that moved
// onto the other's URL: the one whose url:, slug: or aliases: asks for it,
// or the later one when both or neither do.
func reportClash(at string, p, other *Page, problems *diag.List) {
	blamed, named := p, other
	if p.claim(at) == nil && other.claim(at) != nil || p.File == "" && other.File != "" {
		blamed, named = other, p
	}
	line, col := blamed.URLPosition(at)
	problems.Addf(blamed.fileOrSection(), line, col, "%s is also the URL of %s", at, named.describe())
}

// URLPosition returns where in its file the page asks for the output path
// at: its url:, slug: or aliases: entry, or the file's start when the path
// comes from the file's own name and folder.
func (p *Page) URLPosition(at string) (line, col int) {
	if key := p.claim(at); key != nil {
		return p.Position(key...)
	}
	return 1, 1
}

// claim returns the front matter key by which a page asks for the output
// path at, or nil when the path comes from the page's file name.
func (p *Page) claim(at string) []string {
	if at != p.Path {
		for i, a := range p.Aliases {
			if a == at {
				return []string{"aliases", strconv.Itoa(i)}
			}
		}
	}
	for _, key := range []string{"url", "slug"} {
		if _, ok := p.Params[key]; ok && p.File != "" {
			return []string{key}
		}
	}
	return nil
}

// describe names a page for a message about another: its file, or what
// lanmu made it for.
func (p *Page) describe() string {
	switch {
	case p.File != "":
		return p.File
	case p.Kind == KindHome:
		return "the home page"
	case p.Kind == KindSection:
		return "the list lanmu makes for the " + Dir + "/" + p.Section + "/ folder"
	}
	return p.Path
}

func (p *Page) hiddenBecause(opts Options) string {
	switch {
	case p.Draft && !opts.Drafts:
		return "it is a draft"
	case !opts.Future && !p.PublishDate.IsZero() && p.PublishDate.After(opts.Now):
		return "its publish date " + p.PublishDate.Format("2006-01-02 15:04") + " is in the future"
	case !opts.Expired && !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(opts.Now):
		return "it expired on " + p.ExpiryDate.Format("2006-01-02 15:04")
	}
	return ""
}

// fileOrSection names a page for messages: its file, or its path when it
// was made up.
func (p *Page) fileOrSection() string {
	if p.File != "" {
		return p.File
	}
	return p.Path
}

// SortPages orders pages by weight (unweighted last), then date (newest
// first), then title, then path, so that lists never depend on file order.
func SortPages(pages []*Page) { orderPages(pages, true, nil) }

// orderPages sorts pages stably by weight (when weighted; unweighted
// last), date (newest first) and title, then, when weighted, by path. It
// compares keys taken out of the pages once, and breaks the remaining ties
// by the pages' places before sorting, which is what a stable sort keeps:
// sections and terms of 10,000 pages are sorted on every load of a live
// preview.
//
// With last, which points at where a page's memo keeps its place in the
// previous load's list, the pages are first put in that order and their
// new places kept. As the ties are broken by the places before that, the
// order is the same either way; sorting what an edit left nearly sorted
// is only quicker. Only loads touch the memos, and a Loader's loads come
// one at a time.
func orderPages(pages []*Page, weighted bool, last func(*memo) *int) {
	type keyed struct {
		p          *Page
		unweighted bool
		weight     int
		sec        int64
		nsec       int
		at         int
	}
	all := make([]keyed, len(pages))
	for i, p := range pages {
		all[i] = keyed{p: p, sec: p.Date.Unix(), nsec: p.Date.Nanosecond(), at: i}
		if weighted {
			all[i].unweighted, all[i].weight = p.Weight == 0, p.Weight
		}
	}
	if last != nil {
		all = inLastOrder(all, func(k keyed) int {
			if k.p.memo == nil {
				return 0
			}
			return *last(k.p.memo)
		})
	}
	slices.SortFunc(all, func(a, b keyed) int {
		if a.unweighted != b.unweighted {
			if a.unweighted {
				return 1
			}
			return -1
		}
		if c := cmp.Or(cmp.Compare(a.weight, b.weight), cmp.Compare(b.sec, a.sec), cmp.Compare(b.nsec, a.nsec),
			strings.Compare(a.p.Title, b.p.Title)); c != 0 {
			return c
		}
		if weighted {
			if c := strings.Compare(a.p.Path, b.p.Path); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.at, b.at)
	})
	for i, k := range all {
		pages[i] = k.p
		if last != nil && k.p.memo != nil {
			*last(k.p.memo) = i + 1
		}
	}
}

// inLastOrder puts items in the order of their places in a last list
// (counted from 1; 0 for an item that was not in it, which goes last),
// by counting: it takes linear time.
func inLastOrder[T any](items []T, place func(T) int) []T {
	most := 0
	for _, it := range items {
		most = max(most, place(it))
	}
	if most > 4*len(items)+16 {
		// Places from a list much longer than this one: counting would
		// cost more than it saves.
		return items
	}
	starts := make([]int, most+2)
	for _, it := range items {
		starts[place(it)+1]++
	}
	// Items with no place count as coming after every placed one.
	unplaced := starts[1]
	starts[1] = 0
	for i := 2; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	out := make([]T, len(items))
	next := len(items) - unplaced
	for _, it := range items {
		if at := place(it); at == 0 {
			out[next] = it
			next++
		} else {
			out[starts[at]] = it
			starts[at]++
		}
	}
	return out
}

// placeFiles decides where each non-page file is written: a bundle's files
// beside its page, any other file at its folder's output path.
func (s *Site) placeFiles(t *tree) {
	for _, rel := range t.files {
		src := Dir + "/" + rel
		if b := t.bundleOf(rel); b != "" {
			owner := s.byFile[Dir+"/"+b+"/index.md"]
			if owner == nil {
				continue // the bundle's page is not published: neither are its files
			}
			inner := strings.TrimPrefix(rel, b+"/")
			owner.Resources = append(owner.Resources, inner)
			s.Files[src] = PathDir(owner.Path) + inner
			continue
		}
		if strings.HasSuffix(rel, ".md") {
			continue
		}
		s.Files[src] = folderPath(path.Dir(rel)) + path.Base(rel)
	}
}

// PathDir is the folder of an output path: the path itself when it names a
// folder ("/a/b/"), its parent when it names a file ("/a/b.html").
func PathDir(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	return path.Dir(p) + "/"
}
