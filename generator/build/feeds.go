package build

import (
	"fmt"
	"path"
	"sync"

	"lanmu/generator/content"
	"lanmu/generator/feeds"
)

// FeedSections are the sections that have feeds of their own; the home
// feed carries all of them together.
var FeedSections = []string{"readings", "classes", "news"}

// FeedLink is a feed of a page, for <link rel="alternate"> and subscribe
// links.
type FeedLink struct {
	Type  string // MIME type
	Title string
	URL   string
	// Format names the format for a visible link: RSS, Atom, JSON Feed.
	Format string
}

// feedFormats are the documents written for every feed, by file name.
var feedFormats = []struct {
	file, mime, label string
	write             func(*feeds.Feed, string) ([]byte, error)
}{
	{"index.xml", "application/rss+xml", "RSS", feeds.RSS},
	{"atom.xml", "application/atom+xml", "Atom", feeds.Atom},
	{"feed.json", "application/feed+json", "JSON Feed", feeds.JSON},
}

// feedOwners returns the pages that have feeds: the home page and the feed
// sections that exist.
func (s *Site) feedOwners() []*Page {
	owners := []*Page{s.view.home}
	for _, sec := range FeedSections {
		if p := s.views[s.Content.PageByPath("/"+sec+"/")]; p != nil && p.Kind == content.KindSection {
			owners = append(owners, p)
		}
	}
	return owners
}

// feedItems returns the dated pages a feed lists, newest first, cut to the
// configured limit.
func (s *Site) feedItems(owner *Page) []*Page {
	var items []*Page
	for _, p := range s.view.regularPages { // already newest first
		if p.Date.IsZero() {
			continue
		}
		if owner.IsHome && inFeedSection(p.Section) || p.Section == owner.Section && !owner.IsHome {
			items = append(items, p)
		}
	}
	if limit := s.Config.Feeds.Limit; limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	return items
}

func inFeedSection(section string) bool {
	for _, f := range FeedSections {
		if f == section {
			return true
		}
	}
	return false
}

// feedJobs writes every feed of the site in every format.
func (s *Site) feedJobs() []*job {
	var jobs []*job
	origin := s.Config.Origin
	for _, owner := range s.feedOwners() {
		// The feed is made when the first of its formats is written, not
		// while planning: a live session writes feeds after the pages.
		feed := sync.OnceValue(func() *feeds.Feed {
			f := &feeds.Feed{
				Title:       owner.feedTitle(),
				Description: s.description(owner),
				Link:        owner.Permalink,
				Language:    s.Config.Language,
				Author:      s.Config.Unit,
			}
			for _, p := range s.feedItems(owner) {
				item := feeds.Item{
					Title:     p.Title,
					Link:      p.Permalink,
					ID:        p.Permalink,
					Published: p.Date.In(s.Config.Location),
					Updated:   p.Lastmod.In(s.Config.Location),
					Summary:   p.summaryText(),
					Tags:      p.Tags,
				}
				if p.Reading != nil {
					item.Author = p.Reading.Author
				}
				if s.Config.Feeds.FullContent {
					item.Content = feeds.Absolutize(string(p.contentHTML()), origin)
				}
				if item.Updated.After(f.Updated) {
					f.Updated = item.Updated
				}
				if item.Published.After(f.Updated) {
					f.Updated = item.Published
				}
				f.Items = append(f.Items, item)
			}
			return f
		})
		for _, format := range feedFormats {
			self := s.absURL(owner.Path + format.file)
			jobs = append(jobs, &job{path: owner.Path + format.file, make: madeWhole(func() ([]byte, error) { return format.write(feed(), self) }),
				source: fmt.Sprintf("the %s feed of %s", format.label, owner.fileOrPath())})
		}
	}
	return jobs
}

// feedTitle is "column title" for the home feed and "section · column" for
// a section's.
func (p *Page) feedTitle() string {
	if p.IsHome {
		return p.Site.Title
	}
	return p.Title + " · " + p.Site.Title
}

// makeFeeds lists the feeds a page advertises (see Page.Feeds).
func (p *Page) makeFeeds() []FeedLink {
	var out []FeedLink
	owners := []*Page{p.site.view.home}
	if inFeedSection(p.Section) {
		if sec := p.site.views[p.site.Content.PageByPath("/"+p.Section+"/")]; sec != nil && sec.Kind == content.KindSection {
			owners = append(owners, sec)
		}
	}
	for _, o := range owners {
		for _, format := range feedFormats {
			out = append(out, FeedLink{Type: format.mime, Title: o.feedTitle() + " (" + format.label + ")", URL: p.site.relURL(o.Path + format.file), Format: format.label})
		}
	}
	return out
}

// isFeed reports whether a generated output at site path p is a feed.
func isFeed(p string) bool {
	base := path.Base(p)
	for _, f := range feedFormats {
		if f.file == base {
			return true
		}
	}
	return false
}
