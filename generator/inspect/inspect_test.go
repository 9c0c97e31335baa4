package inspect

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

var shanghai = time.FixedZone("CST", 8*3600)

// day is a page's date, d days before the as-of day of column, at 17:30.
func day(d int) time.Time { return asOf.AddDate(0, 0, -d).Add(17*time.Hour + 30*time.Minute) }

var asOf = time.Date(2016, 7, 15, 0, 0, 0, 0, shanghai)

// column is a clean column: news 3 days old, readings 100, teachers
// undated, every page of a dated kind dated.
func column() Column {
	return Column{
		AsOf:    asOf,
		Windows: Windows{Home: 14, News: 14, Notice: 180},
		Home:    "content/_index.md",
		Sections: []Section{
			{File: "content/news/_index.md", Title: "工作动态", Fresh: News, Pages: []time.Time{day(3), day(40)}},
			{File: "content/readings/_index.md", Title: "必读文章", Fresh: Notice, Pages: []time.Time{day(100)}},
			{Path: "/teachers/", Title: "党课师资库", Fresh: Timeless, Pages: []time.Time{{}, {}}},
		},
		DatedKinds: []Page{{File: "content/news/a.md", Dated: true}, {File: "content/readings/b.md", Dated: true}},
	}
}

func rules(r Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Rule)+" "+f.Path)
	}
	return out
}

func TestCleanColumn(t *testing.T) {
	if r := Inspect(column()); len(r.Findings) > 0 || r.Veto {
		t.Errorf("a clean column: %v, veto %v", r.Findings, r.Veto)
	}
}

// Each window holds on its last day and fails the day after, for the
// home page (which changes when any page is new), news and other dated
// sections.
func TestWindowEdges(t *testing.T) {
	for _, c := range []struct {
		name     string
		edit     func(*Column, int)
		window   int
		rule     Rule
		path     string
		vetoable bool
	}{
		{"home", func(c *Column, d int) {
			c.Sections[0].Pages = []time.Time{day(d)}
			c.Sections[1].Pages = []time.Time{day(d)}
			c.Windows.News = 1000
		}, 14, HomeStale, "content/_index.md", true},
		{"news", func(c *Column, d int) {
			c.Sections[0].Pages = []time.Time{day(d)}
			c.Windows.Home = 1000 // the news are the newest pages
		}, 14, NewsStale, "content/news/_index.md", false},
		{"notice", func(c *Column, d int) { c.Sections[1].Pages = []time.Time{day(d)} }, 180, SectionStale, "content/readings/_index.md", false},
	} {
		inside := column()
		c.edit(&inside, c.window)
		if r := Inspect(inside); len(r.Findings) > 0 {
			t.Errorf("%s, %d days old (the window's last day): %v", c.name, c.window, r.Findings)
		}
		outside := column()
		c.edit(&outside, c.window+1)
		r := Inspect(outside)
		if got, want := rules(r), []string{string(c.rule) + " " + c.path}; !slices.Equal(got, want) {
			t.Errorf("%s, %d days old: %v, want %v", c.name, c.window+1, got, want)
			continue
		}
		if f := r.Findings[0]; f.DaysStale != c.window+1 || !strings.Contains(f.Message, "for 15 days") && c.window == 14 {
			t.Errorf("%s: %+v", c.name, f)
		}
		if r.Veto != c.vetoable {
			t.Errorf("%s stale: veto %v, want %v", c.name, r.Veto, c.vetoable)
		}
	}
}

func TestEmptySectionsUndatedPagesAndVeto(t *testing.T) {
	c := column()
	c.DatedKinds = append(c.DatedKinds, Page{File: "content/classes/c.md"})
	for _, title := range []string{"党课提纲", "知识卡片", "基本标准", "其他"} {
		c.Sections = append(c.Sections, Section{Path: "/" + title + "/", Title: title, Fresh: Notice})
	}
	r := Inspect(c)
	want := []string{"empty-section /党课提纲/", "empty-section /知识卡片/", "empty-section /基本标准/", "empty-section /其他/", "undated content/classes/c.md"}
	if got := rules(r); !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if r.Veto {
		t.Error("four empty sections veto the column; it takes five")
	}
	c.Sections[0].Pages = []time.Time{day(20), day(30)} // and news goes stale: five
	if r := Inspect(c); !r.Veto {
		t.Errorf("four empty sections and a stale one do not veto the column: %v", rules(r))
	}
	if f := r.Findings[4]; f.Line != 1 || f.Col != 1 || f.String() != "content/classes/c.md:1:1: "+f.Message+" [undated]" {
		t.Errorf("the undated page's finding: %q", f.String())
	}
}

// An archived column is not held to being updated, but its empty
// sections and undated pages are still findings.
func TestArchivedSkipsFreshness(t *testing.T) {
	c := column()
	c.Windows.Archived = true
	c.Sections[0].Pages = []time.Time{day(3000)}
	c.Sections[1].Pages = []time.Time{day(3000)}
	c.Sections = append(c.Sections, Section{Path: "/cards/", Title: "知识卡片", Fresh: Timeless})
	c.DatedKinds[0].Dated = false
	r := Inspect(c)
	if got, want := rules(r), []string{"empty-section /cards/", "undated content/news/a.md"}; !slices.Equal(got, want) || r.Veto {
		t.Errorf("archived: %v (veto %v), want %v", got, r.Veto, want)
	}
}

// The findings of the rules the build checks come in the report in their
// rule's place, and the JSON carries what a CI step needs.
func TestCheckedFindingsAndJSON(t *testing.T) {
	c := column()
	c.Checked = []Finding{
		{Path: "lanmu.toml", Line: 30, Col: 1, Rule: GovernmentKeys, Message: "government.icp is missing"},
		{Path: "content/news/a.md", Line: 9, Col: 4, Rule: Insecure, Message: "http:// image"},
	}
	c.Sections[0].Pages = []time.Time{day(15)}
	c.Windows.Home = 30
	r := Inspect(c)
	if got, want := rules(r), []string{"news-stale content/news/_index.md", "insecure content/news/a.md", "government-key lanmu.toml"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if counts := r.Counts(); counts[1] != 1 || counts[6] != 1 || counts[8] != 1 {
		t.Errorf("counts %v", counts)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Findings []map[string]any
		Veto     bool
	}
	if err := json.Unmarshal(data, &back); err != nil || len(back.Findings) != 3 || back.Findings[0]["rule"] != "news-stale" || back.Findings[0]["daysStale"] != 15.0 || back.Findings[1]["line"] != 9.0 {
		t.Errorf("JSON %s: %v", data, err)
	}
	for _, rule := range Rules {
		if rule.Name() == string(rule) {
			t.Errorf("rule %s has no Chinese name", rule)
		}
	}
}

func TestScanPage(t *testing.T) {
	doc := []byte(`<html><head><link rel="stylesheet" href="http://cdn.example.com/a.css"><script src="HTTP://x.example.com/a.js"></script></head>
<body><a href="http://www.gov.cn/">gov</a><a href="https://www.gov.cn/">ok</a>
<img src="/a.png" alt="会场"><img src="/b.png"><img src="/c.png" alt=" "><img src="/d.png" alt="" aria-hidden="true"><svg><image href="/e.png"/></svg></body></html>`)
	var got []string
	for _, issue := range ScanPage(doc) {
		got = append(got, string(issue.Rule)+" "+issue.Address)
	}
	want := []string{"insecure http://cdn.example.com/a.css", "insecure HTTP://x.example.com/a.js", "insecure http://www.gov.cn/", "image-alt /b.png", "image-alt /c.png"}
	if !slices.Equal(got, want) {
		t.Errorf("ScanPage: %q, want %q", got, want)
	}
}
