// Package inspect applies the rules of the national government-website
// inspections (政府网站检查) to a column, at an as-of day: how fresh the
// home page and the sections are, which sections are empty, which pages
// of a kind carry no date, and which keys of [government] a published
// column lacks. It is pure: the build describes the column as a Column,
// and Inspect returns the findings; lanmu inspect prints them.
package inspect

import (
	"fmt"
	"slices"
	"time"

	"lanmu/generator/messages"
)

// Rule names one inspection rule.
type Rule string

// The rules, in the order the summary lists them.
const (
	HomeStale      Rule = "home-stale"
	NewsStale      Rule = "news-stale"
	SectionStale   Rule = "section-stale"
	EmptySection   Rule = "empty-section"
	Undated        Rule = "undated"
	BrokenLink     Rule = "broken-link"
	Insecure       Rule = "insecure"
	ImageAlt       Rule = "image-alt"
	GovernmentKeys Rule = "government-key"
)

// Rules lists every rule, in the summary's order.
var Rules = []Rule{HomeStale, NewsStale, SectionStale, EmptySection, Undated, BrokenLink, Insecure, ImageAlt, GovernmentKeys}

// Name is the rule's name as the inspections call it.
func (r Rule) Name() string {
	switch r {
	case HomeStale:
		return "首页更新"
	case NewsStale:
		return "动态类栏目更新"
	case SectionStale:
		return "其他栏目更新"
	case EmptySection:
		return "空白栏目"
	case Undated:
		return "未注明发布时间"
	case BrokenLink:
		return "链接和图片可用"
	case Insecure:
		return "HTTPS 混合内容"
	case ImageAlt:
		return "图片替代文本"
	case GovernmentKeys:
		return "网站标识信息"
	}
	return string(r)
}

// Finding is one problem, at a place in the column's sources (Line and
// Col 0 when no line says more than the file).
type Finding struct {
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	Rule      Rule   `json:"rule"`
	Message   string `json:"message"` // in English
	DaysStale int    `json:"daysStale,omitempty"`
	// Text is the message kept for translation; Message is its English,
	// which Inspect writes out from it.
	Text messages.Text `json:"-"`
}

func (f Finding) String() string { return f.In(nil) }

// In formats the finding as path:line:col: message [rule], its message in
// the printer's language.
func (f Finding) In(say *messages.Printer) string {
	msg := f.Message
	if f.Text.Format != "" {
		msg = say.Text(f.Text)
	}
	return fmt.Sprintf("%s:%d:%d: %s [%s]", f.Path, f.Line, f.Col, msg, f.Rule)
}

// Windows are the freshness rules' windows, in days ([inspect]).
type Windows struct {
	Home, News, Notice int
	// Archived marks a finished column: no freshness rule applies.
	Archived bool
}

// Freshness is how a section is held to being updated.
type Freshness int

const (
	// Timeless sections (the teachers, the cards) are not dated.
	Timeless Freshness = iota
	// News sections must have a new item within Windows.News.
	News
	// Notice sections (readings, classes, standards) within Windows.Notice.
	Notice
)

// Section is a section of the column, as the rules see it.
type Section struct {
	File  string // its _index.md, or "" for a section lanmu made up
	Path  string // its URL path, for messages when it has no file
	Title string
	Fresh Freshness
	// Pages are its published pages' dates; a zero date is an undated page.
	Pages []time.Time
}

// Page is a published page of a kind that must carry a date.
type Page struct {
	File  string
	Dated bool
}

// Column is what the rules inspect.
type Column struct {
	AsOf    time.Time // midnight of the as-of day, in the site's zone
	Windows Windows
	// Home is the home page's file ("content/_index.md", or "" when lanmu
	// made it up).
	Home     string
	Sections []Section
	// DatedKinds are the pages of the kinds that must carry a date.
	DatedKinds []Page
	// Findings of the rules the build checks itself (links, mixed content,
	// alt text, [government] keys), added to the report as they are.
	Checked []Finding
}

// Report is the outcome of an inspection.
type Report struct {
	Findings []Finding `json:"findings"`
	// Veto is set when a finding would fail the column in an inspection:
	// a stale home page, or VetoSections or more stale or empty sections.
	Veto bool `json:"veto"`
}

// VetoSections is how many stale or empty sections fail a column, as
// the national checks' 单项否决 counts them.
const VetoSections = 5

// Inspect applies the rules to c.
func Inspect(c Column) Report {
	var r Report
	add := func(f Finding) { r.Findings = append(r.Findings, f) }
	days := func(t time.Time) int { return int(c.AsOf.Sub(midnight(t, c.AsOf.Location())).Hours() / 24) }
	failing := 0
	var newestOfAll time.Time
	for _, s := range c.Sections {
		where, line := orPath(s.File, s.Path), fileLine(s.File)
		var newest time.Time // zero for a section of undated pages
		for _, d := range s.Pages {
			if d.After(newest) {
				newest = d
			}
		}
		if newest.After(newestOfAll) {
			newestOfAll = newest
		}
		switch {
		case len(s.Pages) == 0:
			add(Finding{Path: where, Line: line, Col: line, Rule: EmptySection, Text: messages.Textf("section %q has no published page (空白栏目)", s.Title)})
			failing++
		case c.Windows.Archived || s.Fresh == Timeless || newest.IsZero():
		case s.Fresh == News && days(newest) > c.Windows.News:
			add(Finding{Path: where, Line: line, Col: line, Rule: NewsStale, DaysStale: days(newest),
				Text: messages.Textf("section %q has had no new item for %d days; it must within %d", s.Title, days(newest), c.Windows.News)})
			failing++
		case s.Fresh == Notice && days(newest) > c.Windows.Notice:
			add(Finding{Path: where, Line: line, Col: line, Rule: SectionStale, DaysStale: days(newest),
				Text: messages.Textf("section %q has had no new page for %d days; it must within %d", s.Title, days(newest), c.Windows.Notice)})
			failing++
		}
	}
	// The home page changes whenever any page is new.
	if n := days(newestOfAll); !c.Windows.Archived && (newestOfAll.IsZero() || n > c.Windows.Home) {
		msg := messages.Textf("the home page has not changed for %d days; it must within %d", n, c.Windows.Home)
		if newestOfAll.IsZero() {
			msg, n = messages.Textf("the home page shows no dated page at all"), 0
		}
		line := fileLine(c.Home)
		add(Finding{Path: orPath(c.Home, "/"), Line: line, Col: line, Rule: HomeStale, Text: msg, DaysStale: n})
		r.Veto = true
	}
	for _, p := range c.DatedKinds {
		if !p.Dated {
			add(Finding{Path: p.File, Line: 1, Col: 1, Rule: Undated,
				Text: messages.Textf("the page has no date: a page without a visible publishing time counts as never updated; add date: to its front matter")})
		}
	}
	r.Findings = append(r.Findings, c.Checked...)
	// A finding made with a Text has its English written out here, once,
	// for the JSON report and whoever reads Message.
	for i, f := range r.Findings {
		if f.Text.Format != "" {
			r.Findings[i].Message = f.Text.String()
		}
	}
	if failing >= VetoSections {
		r.Veto = true
	}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return slices.Index(Rules, a.Rule) - slices.Index(Rules, b.Rule)
	})
	return r
}

// Counts are the findings of each rule, in the order of Rules.
func (r Report) Counts() []int {
	out := make([]int, len(Rules))
	for _, f := range r.Findings {
		if i := slices.Index(Rules, f.Rule); i >= 0 {
			out[i]++
		}
	}
	return out
}

// fileLine is 1 for a finding about a whole file, so that an editor can
// jump to it, and 0 for a page lanmu made up, which has none.
func fileLine(file string) int {
	if file == "" {
		return 0
	}
	return 1
}

func orPath(file, path string) string {
	if file != "" {
		return file
	}
	return path
}

// midnight is the start of t's day in loc: freshness is counted in whole
// days, as an inspector reads dates.
func midnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
