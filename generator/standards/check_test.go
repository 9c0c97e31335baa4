package standards

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"lanmu/generator/config"
	"lanmu/generator/content"
	"lanmu/internal/testsite"
)

// loadSite loads a tiny site from content-relative files, as the build
// does, so that pages carry real front matter positions.
func loadSite(t *testing.T, files map[string]string) *content.Site {
	t.Helper()
	inContent := map[string]string{}
	for name, text := range files {
		inContent["content/"+name] = text
	}
	dir := testsite.Write(t, inContent)
	cfg, err := config.Parse([]byte("title = \"站\"\nbaseURL = \"https://a.org/\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := content.Load(dir, cfg, content.Options{Now: time.Date(2016, 7, 15, 12, 0, 0, 0, cfg.Location)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// siteParts returns a loaded site's standards and its sections.
func siteParts(s *content.Site) (standards []*content.Page, sections map[string]bool) {
	sections = map[string]bool{}
	for _, p := range s.Pages {
		// Taxonomy pages (/tags/, /branches/) have a section of their own
		// but hold no content: evidence cannot come from them.
		if p.Section != "" && (p.Kind == content.KindPage || p.Kind == content.KindSection) {
			sections[p.Section] = true
		}
		if p.Standard != nil {
			standards = append(standards, p)
		}
	}
	return standards, sections
}

const mistakes = `---
title: 标准一
number: 1
tasks:
  - id: nothing
    title: 无期限
  - id: both
    title: 两者
    due: 2016-12-31
    every: quarter
    from: 2016-04-01
    to: 2016-12-31
  - id: open-ended
    title: 无起止
    every: month
  - id: backwards
    title: 倒序
    every: year
    from: 2016-12-31
    to: 2016-01-01
  - id: bad-section
    title: 错栏目
    due: 2016-06-30
    evidence: { section: newz, tags: [集中学习] }
  - id: zero-min
    title: 零
    due: 2016-06-30
    evidence:
      section: news
      min: 0
  - id: no-section
    title: 无栏目
    due: 2016-06-30
    evidence: { tags: [集中学习], min: -1 }
  - id: fine
    title: 正常
    every: quarter
    from: 2016-04-01
    to: 2016-12-31
    evidence: { section: news, tags: [集中学习], min: 2 }
---
`

func TestCheck(t *testing.T) {
	s := loadSite(t, map[string]string{
		"standards/s1.md": mistakes,
		"standards/s2.md": "---\ntitle: 标准二\nnumber: 2\ntasks:\n  - id: ok\n    title: 好\n    due: 2016-04-30\n    evidence: { section: classes, per: branch }\n---\n",
		"news/n.md":       "---\ntitle: 新闻\ndate: 2016-06-01\n---\n",
		"classes/c.md":    "---\ntitle: 党课\ndate: 2016-06-01\nbranch: 一支部\n---\n",
	})
	standards, sections := siteParts(s)
	got := Check(standards, sections, asOf2016)
	const f = "content/standards/s1.md"
	want := []struct{ at, msg string }{
		{f + ":5:7", `task "nothing" has neither due nor every: write due: 2016-12-31 for a one-off task, or every: month, quarter or year with from: and to: for a recurring one`},
		{f + ":9:5", `task "both" has both due and every: a recurring task is due at the end of each period, so remove due (or remove every, from and to to make it a one-off task)`},
		{f + ":13:7", `task "open-ended" repeats every month but has no from: write from: with the first day to track, e.g. from: 2016-04-01`},
		{f + ":13:7", `task "open-ended" repeats every month but has no to: write to: with the last day to track, e.g. to: 2016-12-31`},
		{f + ":20:5", `task "backwards": to 2016-01-01 is before from 2016-12-31: write a to on or after 2016-12-31`},
		{f + ":24:17", `task "bad-section": evidence.section "newz" is not a section of the site: write one of classes, news, standards`},
		{f + ":30:7", `task "zero-min": evidence.min 0 asks for no pages: write min: 1 or more, or leave it out for 1`},
		{f + ":34:5", `task "no-section": evidence needs a section: write section: with one of classes, news, standards`},
		{f + ":34:31", `task "no-section": evidence.min -1 asks for no pages: write min: 1 or more, or leave it out for 1`},
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d:", len(got), len(want))
		for _, p := range got {
			t.Log(p)
		}
	}
	for i := range min(len(got), len(want)) {
		if s := got[i].String(); s != want[i].at+": "+want[i].msg {
			t.Errorf("problem %d:\n got %s\nwant %s: %s", i, s, want[i].at, want[i].msg)
		}
		if !strings.Contains(got[i].Msg, "write") && !strings.Contains(got[i].Msg, "remove") {
			t.Errorf("problem %d does not say what to write instead: %s", i, got[i].Msg)
		}
	}
}

func TestCheckPositionsAreTheKeys(t *testing.T) {
	// Each problem points at the key that is wrong; only a missing key falls
	// back to the task. Checked against the page's own positions so that a
	// change in line layout cannot hide a wrong key.
	s := loadSite(t, map[string]string{"standards/s1.md": mistakes, "news/n.md": "---\ntitle: 新闻\n---\n"})
	standards, sections := siteParts(s)
	p := standards[0]
	at := func(key ...string) string {
		line, col := p.Position(key...)
		return strings.Join([]string{p.File, strconv.Itoa(line), strconv.Itoa(col)}, ":")
	}
	want := []string{
		at("tasks", "0"),
		at("tasks", "1", "due"),
		at("tasks", "2"), at("tasks", "2"),
		at("tasks", "3", "to"),
		at("tasks", "4", "evidence", "section"),
		at("tasks", "5", "evidence", "min"),
		at("tasks", "6", "evidence"), // section not written: the evidence mapping
		at("tasks", "6", "evidence", "min"),
	}
	got := Check(standards, sections, asOf2016)
	for i := range min(len(got), len(want)) {
		if pos := strings.Join([]string{got[i].File, strconv.Itoa(got[i].Line), strconv.Itoa(got[i].Col)}, ":"); pos != want[i] {
			t.Errorf("problem %d at %s, want %s (%s)", i, pos, want[i], got[i].Msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d", len(got), len(want))
	}
}

func TestCheckEdges(t *testing.T) {
	// Pages built directly have no front matter: problems fall back to the
	// first line rather than failing.
	p := std(7, content.Task{ID: "x", Evidence: &content.Evidence{Section: "news", Min: 1}})
	got := Check([]*content.Page{p, news("2016-01-01"), nil}, map[string]bool{"news": true, "old": false}, asOf2016)
	if len(got) != 1 || got[0].Line != 1 || got[0].Col != 1 || got[0].File != p.File {
		t.Errorf("problems %v, want one at line 1", got)
	}
	// Sections marked false are not sections; with none, the message says so.
	q := std(8, content.Task{ID: "y", Due: d("2016-06-30"), Evidence: &content.Evidence{Section: "old", Min: 1}})
	got = Check([]*content.Page{q}, map[string]bool{"old": false}, asOf2016)
	if len(got) != 1 || !strings.Contains(got[0].Msg, "it has none yet: add a folder under content/") {
		t.Errorf("problems %v", got)
	}
	// To on the same day as From, written with another offset, is fine.
	r := std(9, content.Task{ID: "z", Every: "year", From: d("2016-07-01"), To: d("2016-06-30T16:30:00Z")})
	if got := Check([]*content.Page{r}, nil, asOf2016); len(got) != 0 {
		t.Errorf("same-day from and to reported: %v", got)
	}
	if got := Check(nil, nil, asOf2016); len(got) != 0 {
		t.Errorf("no standards, problems %v", got)
	}
}

// asOf2016 is the as-of day of the check tests.
var asOf2016 = time.Date(2016, 7, 15, 0, 0, 0, 0, time.UTC)

// A recurring task of more than MaxPeriods periods, and a date a century
// from the as-of day, are errors at their keys; Evaluate then tracks no
// periods of the task rather than listing a hundred thousand of them.
func TestCheckBoundsSpans(t *testing.T) {
	s := loadSite(t, map[string]string{
		"standards/s.md": "---\ntitle: 标准\nnumber: 1\ntasks:\n" +
			"  - id: forever\n    title: 永远\n    every: month\n    from: 0001-01-01\n    to: 9999-12-31\n" +
			"  - id: typo\n    title: 笔误\n    due: 9016-12-31\n" +
			"  - id: long\n    title: 长期\n    every: year\n    from: 2016-01-01\n    to: 2049-12-31\n---\n",
		"news/n.md": "---\ntitle: 新闻\ndate: 2016-06-01\n---\n",
	})
	standards, sections := siteParts(s)
	got := Check(standards, sections, asOf2016)
	var msgs []string
	for _, p := range got {
		msgs = append(msgs, p.String())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		`content/standards/s.md:8:5: task "forever": from 0001-01-01 is more than 100 years from the as-of day 2016-07-15`,
		`content/standards/s.md:9:5: task "forever": to 9999-12-31 is more than 100 years`,
		`content/standards/s.md:9:5: task "forever" repeats every month from 0001-01-01 to 9999-12-31: 119988 periods, more than the 240`,
		`content/standards/s.md:12:5: task "typo": due 9016-12-31 is more than 100 years`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	for _, p := range got {
		if strings.Contains(p.Msg, `"long"`) && !p.Warning {
			t.Errorf("a yearly task to 2049 was refused: %s", p)
		}
	}
	start := time.Now()
	report := Evaluate(standards, nil, Options{AsOf: asOf2016, Location: time.UTC})
	if took := time.Since(start); took > 5*time.Second || report == nil {
		t.Errorf("Evaluate took %v", took)
	}
}

// A date more than ten years from the as-of day, but within a century, is
// a warning, not an error: a year typed wrong by a digit lands there.
func TestCheckWarnsOfOddYears(t *testing.T) {
	s := loadSite(t, map[string]string{
		"standards/s.md": "---\ntitle: 标准\nnumber: 1\ntasks:\n" +
			"  - id: odd\n    title: 奇怪\n    due: 2061-06-30\n" +
			"  - id: fine\n    title: 正常\n    due: 2017-06-30\n---\n",
		"news/n.md": "---\ntitle: 新闻\ndate: 2016-06-01\n---\n",
	})
	standards, sections := siteParts(s)
	got := Check(standards, sections, asOf2016)
	if len(got) != 1 || !got[0].Warning || got[0].String() != `content/standards/s.md:7:5: task "odd": due 2061-06-30 is more than 10 years from the as-of day 2016-07-15: is its year right?` {
		t.Errorf("problems %+v, want one warning about task odd", got)
	}
}
