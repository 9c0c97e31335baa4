package build

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// findNodes returns the elements under n, n included, for which match is
// true, in document order.
func findNodes(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return out
}

func nodeAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeHasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(nodeAttr(n, "class")), class)
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	for _, t := range findNodes(n, func(*html.Node) bool { return true }) {
		for c := t.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
		}
	}
	return b.String()
}

// TestRecurringTaskCountsMatchTheirPages reads the quarterly study task of
// standard 3 as shown on its page and on the status page: every begun
// quarter shows a count and exactly as many pages as it counts, those pages
// are the news tagged 集中学习 dated in that quarter (worked out here from
// the pages' dates), and the current quarter's count is status.json's.
func TestRecurringTaskCountsMatchTheirPages(t *testing.T) {
	dest := buildExample(t, Options{})
	s, err := Load(Options{Source: exampleSite})
	if err != nil {
		t.Fatal(err)
	}
	// The oracle: news tagged 集中学习 by quarter of 2016, up to the as-of
	// day 2016-07-15, in the site's zone.
	asOf := time.Date(2016, 7, 15, 0, 0, 0, 0, s.Config.Location)
	want := map[string][]string{}
	for _, p := range s.view.regularPages {
		d := p.Date.In(s.Config.Location)
		if p.Section != "news" || !slices.Contains(p.Tags, "集中学习") || d.After(asOf.AddDate(0, 0, 1)) || d.Before(time.Date(2016, 4, 1, 0, 0, 0, 0, s.Config.Location)) {
			continue
		}
		q := fmt.Sprintf("2016年第%s季度", string([]rune("一二三四")[(d.Month()-1)/3]))
		want[q] = append(want[q], p.RelPermalink)
	}
	if len(want) != 2 {
		t.Fatalf("the example should have study news in two quarters: %v", want)
	}
	var doc statusDoc
	if err := json.Unmarshal([]byte(readOut(t, dest, "standards/status.json")), &doc); err != nil {
		t.Fatal(err)
	}
	jsonCount := doc.Standards[2].Tasks[0].Evidence.Count

	count := regexp.MustCompile(`^(\d+)/(\d+) 篇$`)
	for _, page := range []string{"standards/03-zhuanti-xuexi/index.html", "standards/index.html"} {
		root, err := html.Parse(strings.NewReader(readOut(t, dest, page)))
		if err != nil {
			t.Fatal(err)
		}
		rows := findNodes(root, func(n *html.Node) bool { return nodeAttr(n, "id") == "task-3-committee-quarterly-study" })
		if len(rows) != 1 {
			t.Fatalf("%s: %d rows for the quarterly task", page, len(rows))
		}
		periods := findNodes(rows[0], func(n *html.Node) bool { return nodeHasClass(n, "tasks__period") })
		if len(periods) != 2 {
			t.Errorf("%s: %d periods shown, want the two begun by 15 July", page, len(periods))
		}
		got := map[string][]string{}
		for _, li := range periods {
			name := nodeText(findNodes(li, func(n *html.Node) bool { return nodeHasClass(n, "tasks__period-name") })[0])
			m := count.FindStringSubmatch(nodeText(findNodes(li, func(n *html.Node) bool { return nodeHasClass(n, "tasks__count") })[0]))
			var links []string
			for _, a := range findNodes(li, func(n *html.Node) bool { return n.Data == "a" }) {
				links = append(links, nodeAttr(a, "href"))
			}
			if m == nil || m[1] != fmt.Sprint(len(links)) || m[2] != "1" {
				t.Errorf("%s: %s shows the count %v beside %d pages", page, name, m, len(links))
			}
			current := nodeHasClass(li, "tasks__period--current")
			if current != strings.HasSuffix(name, "（本期）") || current && m != nil && m[1] != fmt.Sprint(jsonCount) {
				t.Errorf("%s: %s (current %v) counts %v, status.json counts %d for the current period", page, name, current, m, jsonCount)
			}
			got[strings.TrimSuffix(name, "（本期）")] = links
		}
		for q, pages := range want {
			if !slices.Equal(got[q], pages) {
				t.Errorf("%s: %s lists %q, want %q", page, q, got[q], pages)
			}
		}
	}
}

// TestClassOutlinesCarryOnlyTheAuthorsNumbers reads every example class:
// its outline lists the headings' own text, with no number of the theme's
// in front ("1 一、…").
func TestClassOutlinesCarryOnlyTheAuthorsNumbers(t *testing.T) {
	dest := buildExample(t, Options{})
	s, err := Load(Options{Source: exampleSite})
	if err != nil {
		t.Fatal(err)
	}
	classes := 0
	for _, p := range s.view.regularPages {
		if p.Section != "classes" {
			continue
		}
		classes++
		file := strings.TrimPrefix(p.RelPermalink, "/xxjy/") + "index.html"
		root, err := html.Parse(strings.NewReader(readOut(t, dest, file)))
		if err != nil {
			t.Fatal(err)
		}
		var headings []string
		for _, h := range findNodes(root, func(n *html.Node) bool { return (n.Data == "h2" || n.Data == "h3") && nodeAttr(n, "id") != "" }) {
			if nodeAttr(h, "id") != "outline-title" {
				headings = append(headings, nodeText(h))
			}
		}
		var outline []string
		for _, li := range findNodes(root, func(n *html.Node) bool { return nodeHasClass(n, "outline__item") }) {
			outline = append(outline, nodeText(li))
		}
		if len(headings) < 3 || !slices.Equal(outline, headings) {
			t.Errorf("%s: the outline reads\n%q\nwant the headings\n%q", file, outline, headings)
		}
	}
	if classes < 5 {
		t.Errorf("only %d classes", classes)
	}
}

// TestExampleTimelineMarksNeverOverlap lays out the example's timeline and
// checks in the SVG's own units that no two 12-unit marks of a lane
// overlap, that every mark stays inside its lane, and that each lane starts
// where the one above it ends.
func TestExampleTimelineMarksNeverOverlap(t *testing.T) {
	s, err := Load(Options{Source: exampleSite})
	if err != nil {
		t.Fatal(err)
	}
	tl := s.view.status.Timeline
	marks := 0
	for _, r := range tl.Rows {
		marks += len(r.Marks)
		for i, a := range r.Marks {
			if top, bottom := r.Y+a.DY-6, r.Y+a.DY+6; top < r.Top || bottom > r.Top+r.Height {
				t.Errorf("standard %d: a mark at %.1f..%.1f leaves its lane %.1f..%.1f", r.Number, top, bottom, r.Top, r.Top+r.Height)
			}
			for _, b := range r.Marks[i+1:] {
				if dx, dy := a.X-b.X, a.DY-b.DY; dx*dx < 144 && dy*dy < 144 {
					t.Errorf("standard %d: marks %q and %q overlap", r.Number, a.Label, b.Label)
				}
			}
		}
	}
	if len(tl.Rows) != 12 || marks < 12 {
		t.Errorf("the example's timeline has %d lanes and %d marks, want the 12 standards and their deadlines", len(tl.Rows), marks)
	}
	for i, r := range tl.Rows[1:] {
		if prev := tl.Rows[i]; r.Top != prev.Top+prev.Height {
			t.Errorf("standard %d's lane starts at %.1f, not where standard %d's ends", r.Number, r.Top, prev.Number)
		}
	}
}
