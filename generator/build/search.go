package build

import (
	"hash/maphash"
	"strings"
	"time"

	"lanmu/generator/content"
	"lanmu/generator/search"
)

// searchJobs writes the search index, first, and the search page. A theme without a
// search.html has no search page, and then no index either.
func (s *Site) searchJobs() []*job {
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
	// The index is made as a job of its own, first in the queue: merging
	// every page's tokens is one long serial step, which thus overlaps the
	// rendering of the pages instead of holding it up.
	makeIndex := func(write func(name string, data []byte) error) error {
		pages := s.view.regularPages
		doc := func(i int) search.Doc {
			d := s.searchDoc(pages[i], cache)
			if s.session == nil {
				// A one-off build needs the page's text only here; the
				// index lets go of it once read, so that the text and the
				// tokens read from it are not in memory at once.
				if t := pages[i].text; t != nil {
					t.plain = ""
				}
			}
			return d
		}
		start := time.Now()
		err := cache.WriteIndex(searchFiles(write), len(pages), doc, s.texts)
		s.searchTook = time.Since(start)
		return err
	}
	return []*job{
		{path: searchDir + search.ManifestName, make: madeFiles(makeIndex), source: "the search index"},
		{path: "/search/index.html", make: rendered{t, s.searchPage()}, source: "search.html", forReaders: true},
	}
}

// searchDir is the folder of the search index's files.
const searchDir = "/search/"

// searchFiles puts the index's files in searchDir.
type searchFiles func(p string, data []byte) error

func (f searchFiles) Write(name string, data []byte) error { return f(searchDir+name, data) }

// searchSeed keys the pages in a search.Cache; it only needs to last as
// long as the process.
var searchSeed = maphash.MakeSeed()

// searchDoc is a published regular page as the index reads it; the pages
// go to the index newest first, which is also how equally good results
// are ordered. The text of a page the cache already holds is not made
// again.
func (s *Site) searchDoc(p *Page, cache *search.Cache) search.Doc {
	d := search.Doc{
		URL:      p.RelPermalink,
		Title:    p.Title,
		Date:     s.formatDate(p.Date),
		Keywords: strings.Join(p.Tags, " "),
	}
	d.Kind = s.translate("kind." + string(p.Type))
	if sec := s.Content.PageByPath("/" + p.Section + "/"); p.Section != "" && sec != nil {
		d.Section = sec.Title
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
		for _, f := range []string{d.Title, d.Keywords, string(p.contentHTML())} {
			h.WriteString(f)
			h.WriteByte(0)
		}
		d.Key = h.Sum64() | 1 // never 0, which means no key
	}
	if !cache.Has(d.Key) {
		if s.texts != nil {
			// Read when the index reads the page, so that the texts
			// are not all in memory at once.
			d.ReadText = p.plainText
		} else {
			d.Text = p.plainText()
		}
	}
	return d
}

// searchPage is the data of /search/: a page of its own, like the 404
// page, so that no menu item is marked as current.
func (s *Site) searchPage() *Page {
	cp := &content.Page{
		Kind: content.KindSearch, Type: content.TypePage, Title: s.translate("search.title"), Path: "/search/",
		RelPermalink: s.relURL("/search/"), Permalink: s.absURL("/search/"), Parent: s.Content.Home,
	}
	v := s.newPage(cp)
	v.parent = s.view.home
	s.derive(v, s.sectionFeeds)
	return v
}
