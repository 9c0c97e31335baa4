package standards

import (
	"fmt"
	"time"

	"lanmu/generator/content"
)

// sh is the site zone of the example column; the rules are judged in it.
var sh = mustLocation("Asia/Shanghai")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("the tests need the tz database entry %s: %v", name, err))
	}
	return loc
}

// d reads a date as front matter does: a bare 2016-04-30 is midnight in
// Shanghai, an RFC 3339 instant is that instant; "" is the zero time.
func d(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	t, err := time.ParseInLocation(time.DateOnly, s, sh)
	if err != nil {
		panic(err)
	}
	return t
}

var pageSeq int

// page is a published regular page of a section.
func page(section, date string, tags ...string) *content.Page {
	pageSeq++
	return &content.Page{
		Kind:         content.KindPage,
		Section:      section,
		Date:         d(date),
		Tags:         tags,
		File:         fmt.Sprintf("content/%s/p%d.md", section, pageSeq),
		RelPermalink: fmt.Sprintf("/%s/p%d/", section, pageSeq),
	}
}

func news(date string, tags ...string) *content.Page { return page("news", date, tags...) }

// class is a party-class outline given by a branch.
func class(date, branch string, tags ...string) *content.Page {
	p := page("classes", date, tags...)
	p.Class = &content.Class{Branch: branch}
	return p
}

// std is a standard page with the given tasks.
func std(number int, tasks ...content.Task) *content.Page {
	return &content.Page{
		Kind:         content.KindPage,
		Section:      "standards",
		Title:        fmt.Sprintf("标准%d", number),
		File:         fmt.Sprintf("content/standards/%02d.md", number),
		RelPermalink: fmt.Sprintf("/standards/%02d/", number),
		Standard:     &content.Standard{Number: number, Tasks: tasks},
	}
}

// ymd formats a time as its day in Shanghai, "" for the zero time.
func ymd(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(sh).Format(time.DateOnly)
}
