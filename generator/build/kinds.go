package build

import (
	"slices"
	"sort"

	"lanmu/generator/content"
)

// OutlineItem is a heading of a class outline. It carries no number of its
// own: authors number their outlines in the Chinese way (一、（一）1.), and a
// second, automatic numbering beside theirs ("1 一、") only confuses.
type OutlineItem struct {
	Level int
	Depth int // 0 for the top level of the outline
	ID    string
	Text  string
}

// Outline lists the page's headings as an outline, the shallowest heading
// level present counting as the top.
func (p *Page) Outline() []OutlineItem {
	toc := p.TOC()
	if len(toc) == 0 {
		return nil
	}
	top := toc[0].Level
	for _, h := range toc {
		top = min(top, h.Level)
	}
	out := make([]OutlineItem, 0, len(toc))
	for _, h := range toc {
		out = append(out, OutlineItem{Level: h.Level, Depth: h.Level - top, ID: h.ID, Text: h.Text})
	}
	return out
}

// ResourceURL returns the URL of a file of the page's bundle.
func (p *Page) ResourceURL(name string) string {
	return p.site.relURL(content.PathDir(p.Path) + name)
}

// ResourcePermalink is ResourceURL as an absolute URL.
func (p *Page) ResourcePermalink(name string) string {
	return p.site.absURL(content.PathDir(p.Path) + name)
}

// Group is a named list of pages: a deck of cards, the teachers of a level
// or of a topic.
type Group struct {
	Key   string
	Slug  string // for anchors
	Pages []*Page
	// Total counts the whole group, which on one page of a paginated list
	// may hold more than the Pages shown there.
	Total int
	// URL, in a card list's index of decks, leads to the deck's heading
	// on the page of the list where the deck begins.
	URL string
}

// groupBy groups the regular pages of a list by the keys each carries, in
// order of first appearance unless order says otherwise.
func groupBy(pages []*Page, keys func(*Page) []string) []Group {
	var out []Group
	at := map[string]int{}
	for _, p := range pages {
		for _, k := range keys(p) {
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, Group{Key: k, Slug: content.Slugify(k)})
			}
			out[i].Pages = append(out[i].Pages, p)
			out[i].Total++
		}
	}
	return out
}

// RegularPages are a list page's children that are not lists themselves:
// on the home page, the pages at the top of content/, in no section.
func (p *Page) RegularPages() []*Page { return p.regular() }

// regular returns a list page's children that are not lists themselves.
func (p *Page) regular() []*Page {
	var out []*Page
	for _, c := range p.Pages() {
		if c.Kind == content.KindPage {
			out = append(out, c)
		}
	}
	return out
}

// Decks groups the cards on this page of a card list by deck, each
// counted whole: a deck that runs on over two pages says how many cards it
// has, not how many this page shows. The content loader has already
// ordered the section's cards deck by deck.
func (p *Page) Decks() []Group {
	pager := p.Pager()
	if pager == nil {
		return nil
	}
	totals := map[string]int{}
	for _, d := range p.DeckIndex() {
		totals[d.Key] = d.Total
	}
	var cards []*Page
	for _, c := range pager.Pages {
		if c.Kind == content.KindPage {
			cards = append(cards, c)
		}
	}
	decks := groupBy(cards, p.deckOf)
	for i := range decks {
		decks[i].Total = totals[decks[i].Key]
	}
	return decks
}

// DeckIndex lists every deck of a card list, whichever page shows it, with
// the number of its cards and the URL of its heading, for a deck index
// that works from every page of the list.
func (p *Page) DeckIndex() []Group {
	children := p.Pages()
	pager := p.Pager()
	decks := groupBy(p.regular(), p.deckOf)
	for i := range decks {
		decks[i].URL = "#deck-" + decks[i].Slug
		if pager == nil || pager.TotalPages < 2 {
			continue
		}
		at := slices.Index(children, decks[i].Pages[0])
		if n := at/pager.perPage + 1; n != pager.Number {
			decks[i].URL = pager.URLs[n-1] + decks[i].URL
		}
	}
	return decks
}

// deckOf names the deck of a card for grouping.
func (p *Page) deckOf(c *Page) []string {
	if c.Card == nil || c.Card.Deck == "" {
		return []string{p.site.translate("otherCards")}
	}
	return []string{c.Card.Deck}
}

// TeachersByLevel groups a teacher section's teachers by level, from
// province down to grassroots.
func (p *Page) TeachersByLevel() []Group {
	groups := groupBy(p.regular(), func(t *Page) []string {
		if t.Teacher == nil || t.Teacher.Level == "" {
			return nil
		}
		return []string{t.Teacher.Level}
	})
	rank := map[string]int{}
	for i, l := range content.Levels {
		rank[l] = i
	}
	sort.SliceStable(groups, func(i, j int) bool { return rank[groups[i].Key] < rank[groups[j].Key] })
	return groups
}

// TeachersByTopic groups a teacher section's teachers by the topics they
// teach, the most taught topics first.
func (p *Page) TeachersByTopic() []Group {
	groups := groupBy(p.regular(), func(t *Page) []string {
		if t.Teacher == nil {
			return nil
		}
		return t.Teacher.Topics
	})
	sort.SliceStable(groups, func(i, j int) bool { return len(groups[i].Pages) > len(groups[j].Pages) })
	return groups
}

// BranchPage returns the page of a class's branch, or nil.
func (p *Page) BranchPage() *Page {
	p.r.read(readBranch, p.Path)
	return p.r.page(p.branchPage())
}

func (p *Page) branchPage() *Page {
	if t := p.site.Content.Terms("branches", p.Page); len(t) > 0 {
		return p.site.views[t[0]]
	}
	return nil
}

// Speakers returns the teacher pages of a class.
func (p *Page) Speakers() []*Page {
	p.r.read(readSpeakers, p.Path)
	return p.r.list(p.speakers())
}

func (p *Page) speakers() []*Page {
	if p.Class == nil {
		return nil
	}
	return p.site.views1(p.Class.Speakers)
}

// ClassesGiven returns the classes a teacher gave, newest first.
func (p *Page) ClassesGiven() []*Page {
	p.r.read(readClasses, p.Path)
	return p.r.list(p.classesGiven())
}

func (p *Page) classesGiven() []*Page {
	if p.Teacher == nil {
		return nil
	}
	return p.site.views1(p.Teacher.Classes)
}

func (s *Site) views1(pages []*content.Page) []*Page {
	out := make([]*Page, 0, len(pages))
	for _, cp := range pages {
		if v := s.views[cp]; v != nil {
			out = append(out, v)
		}
	}
	return out
}
