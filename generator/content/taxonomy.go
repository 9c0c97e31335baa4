package content

import (
	"slices"
	"sort"
	"strings"

	"lanmu/generator/diag"
	"lanmu/generator/messages"
)

// Taxonomies are the ways pages are grouped: "tags" from every page's
// tags:, "branches" from every class's branch:.
var Taxonomies = []string{"tags", "branches"}

// termsOf returns the terms a page carries in a taxonomy.
func termsOf(taxonomy string, p *Page) []string {
	switch taxonomy {
	case "tags":
		return p.Tags
	case "branches":
		if p.Class != nil && p.Class.Branch != "" {
			return []string{p.Class.Branch}
		}
	}
	return nil
}

// buildTaxonomies makes the taxonomy and term pages. A taxonomy with no
// terms gets no pages.
func (s *Site) buildTaxonomies(problems *diag.List) {
	base := strings.TrimSuffix(s.Config.BasePath, "/")
	origin := s.Config.Origin
	add := func(p *Page) bool {
		if other := s.byPath[p.Path]; other != nil {
			line, col := other.URLPosition(p.Path)
			problems.Addf(other.fileOrSection(), line, col, "%s is also the URL of the %s page lanmu makes for %q; move this page", p.Path, kindName(p.Kind), p.Title)
			return false
		}
		p.RelPermalink = escapePath(base + p.Path)
		p.Permalink = origin + p.RelPermalink
		s.byPath[p.Path] = p
		s.Pages = append(s.Pages, p)
		return true
	}
	regular := s.RegularPages()
	published := len(s.Pages)
	// Each term lists its pages newest first. Handing the terms their
	// pages from one list sorted that way gives each the list sorting its
	// own would (what a stable sort keeps, a filter keeps too), for one
	// sort instead of one per term.
	newest := slices.Clone(regular)
	orderPages(newest, false, func(m *memo) *int { return &m.newest })
	// A site has few terms, each on many pages; Terms asks again for every
	// page.
	slugs := map[string]string{}
	s.slugs = slugs
	slugOf := func(term string) string {
		slug, ok := slugs[term]
		if !ok {
			slug = Slugify(term)
			slugs[term] = slug
		}
		return slug
	}
	for _, tax := range Taxonomies {
		terms := map[string]*Page{}
		// In path order: a term written two ways takes its title from the
		// first page.
		for _, p := range regular {
			for _, term := range termsOf(tax, p) {
				if slug := slugOf(term); slug != "" && terms[slug] == nil {
					terms[slug] = &Page{Kind: KindTerm, Type: Type(tax), Section: tax, Title: term, Slug: slug, Path: "/" + tax + "/" + slug + "/"}
				}
			}
		}
		for _, p := range newest {
			for _, term := range termsOf(tax, p) {
				t := terms[slugOf(term)]
				if t == nil {
					continue
				}
				if n := len(t.Pages); n == 0 || t.Pages[n-1] != p {
					t.Pages = append(t.Pages, p)
				}
			}
		}
		if len(terms) == 0 {
			continue
		}
		list := &Page{Kind: KindTaxonomy, Type: Type(tax), Section: tax, Title: tax, Slug: tax, Path: "/" + tax + "/", Parent: s.Home}
		if !add(list) {
			continue
		}
		for _, t := range terms {
			t.Parent = list
			if add(t) {
				list.Pages = append(list.Pages, t)
			}
		}
		// Most used first, as a reader scanning a tag cloud expects.
		sort.SliceStable(list.Pages, func(i, j int) bool {
			a, b := list.Pages[i], list.Pages[j]
			if len(a.Pages) != len(b.Pages) {
				return len(a.Pages) > len(b.Pages)
			}
			return a.Title < b.Title
		})
	}
	// The pages before these are in path order already: only the new ones
	// need sorting, and then a merge keeps the sort stable.
	added := s.Pages[published:]
	slices.SortStableFunc(added, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	merged := make([]*Page, 0, len(s.Pages))
	old := s.Pages[:published]
	for len(old) > 0 && len(added) > 0 {
		if added[0].Path < old[0].Path {
			merged, added = append(merged, added[0]), added[1:]
		} else {
			merged, old = append(merged, old[0]), old[1:]
		}
	}
	s.Pages = append(append(merged, old...), added...)
}

// Terms returns the pages of a page's terms in a taxonomy ("tags" or
// "branches"), for linking to them.
func (s *Site) Terms(taxonomy string, p *Page) []*Page {
	var out []*Page
	for _, term := range termsOf(taxonomy, p) {
		slug, ok := s.slugs[term]
		if !ok {
			slug = Slugify(term)
		}
		if t := s.byPath["/"+taxonomy+"/"+slug+"/"]; t != nil {
			out = append(out, t)
		}
	}
	return out
}

// kindName names the kind of a page lanmu makes for the tags, in a
// message.
func kindName(k Kind) messages.Text {
	if k == KindTaxonomy {
		return messages.Textf("tag index")
	}
	return messages.Textf("tag")
}
