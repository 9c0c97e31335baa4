package build

import (
	"hash/maphash"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"lanmu/generator/content"
	"lanmu/generator/search"
)

// KindSearch is the kind of the search page.
const KindSearch = "search"

// searchJobs writes the search page and its index. A theme without a
// search.html has no search page, and then no index either.
func (s *Site) searchJobs(fps *fingerprinter) []*job {
	t := s.Theme.Lookup("search.html")
	if t == "" {
		return nil
	}
	// A live session keeps each page's tokens, so that a save re-reads
	// only the pages it changed rather than the whole site.
	var cache *search.Cache
	if s.session != nil {
		cache = &s.session.search
	}
	return []*job{
		{path: "/search/index.json", bytes: cache.Index(s.searchDocs(cache)), source: "the search index"},
		{path: "/search/index.html", template: t, data: s.searchPage(), source: "search.html", fp: fps.of(nil)},
	}
}

// searchSeed keys the pages in a search.Cache; it only needs to last as
// long as the process.
var searchSeed = maphash.MakeSeed()

// searchDocs lists the published regular pages for the index, newest
// first, which is also how equally good results are ordered. The text of
// a page the cache already holds is not made again.
func (s *Site) searchDocs(cache *search.Cache) []search.Doc {
	docs := make([]search.Doc, len(s.view.RegularPages))
	parallel(len(docs), func(i int) {
		p := s.view.RegularPages[i]
		d := search.Doc{
			URL:      p.RelPermalink,
			Title:    p.Title,
			Date:     s.formatDate(p.Date),
			Keywords: strings.Join(p.Tags, " "),
		}
		if sec := s.Content.PageByPath("/" + p.Section + "/"); p.Section != "" && sec != nil {
			d.Kind = sec.Title
		}
		if r := p.Reading; r != nil {
			d.Keywords += " " + r.Author + " " + r.Source
		}
		if t := p.Teacher; t != nil {
			d.Keywords += " " + t.Position + " " + t.Unit + " " + strings.Join(t.Topics, " ")
		}
		if cache != nil {
			var h maphash.Hash
			h.SetSeed(searchSeed)
			for _, f := range []string{d.Title, d.Keywords, string(p.Content)} {
				h.WriteString(f)
				h.WriteByte(0)
			}
			d.Key = h.Sum64() | 1 // never 0, which means no key
		}
		if !cache.Has(d.Key) {
			d.Text = searchText(string(p.Content))
		}
		docs[i] = d
	})
	return docs
}

// searchText is the text of a page's HTML that a reader reads. Code blocks
// are left out: their identifiers would crowd the index and snippets.
// Block elements end in a space, so that the last word of one paragraph
// and the first of the next do not make a token together.
func searchText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip := 0 // depth inside elements whose text is not prose
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Pre, atom.Script, atom.Style, atom.Template, atom.Svg:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.P, atom.Li, atom.Td, atom.Th, atom.Tr, atom.Dt, atom.Dd, atom.Br, atom.Div,
				atom.Blockquote, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Figcaption, atom.Hr:
				b.WriteByte(' ')
			}
		}
	}
}

// searchPage is the data of /search/: a page of its own, like the 404
// page, so that no menu item is marked as current.
func (s *Site) searchPage() *Page {
	cp := &content.Page{
		Kind: KindSearch, Type: content.TypePage, Title: s.translate("search.title"), Path: "/search/",
		RelPermalink: s.relURL("/search/"), Permalink: s.absURL("/search/"), Parent: s.Content.Home,
	}
	return &Page{Page: cp, Site: s.view, Parent: s.view.Home, site: s}
}
