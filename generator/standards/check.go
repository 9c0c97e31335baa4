package standards

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"lanmu/generator/content"
	"lanmu/generator/messages"
)

// Problem is a mistake in a standard's tasks, at the front matter key that
// is wrong (or at the task, when a key is missing).
type Problem struct {
	File      string // site-relative, as in content.Page.File
	Line, Col int
	Msg       string        // in English
	Text      messages.Text // the message, kept for translation
	// Warning marks a problem that does not stop the build: a date that
	// is far from the as-of day but may be meant.
	Warning bool
}

// String formats the problem as file:line:col: message, the form editors
// jump from.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Msg)
}

// Check validates the tasks of standards (pages without a Standard are
// skipped) against the rules Evaluate needs to give a meaningful status, and
// returns one problem per mistake, ordered by file and position. sections
// are the site's existing sections, which evidence must come from.
//
// content.Load has already rejected what cannot be read at all (bad dates,
// unknown status or every, duplicate ids); Check catches declarations that
// read fine but cannot be tracked, and dates so far from asOf that their
// year must be mistyped (farYears).
func Check(standards []*content.Page, sections map[string]bool, asOf time.Time) []Problem {
	var out []Problem
	for _, p := range standards {
		if p == nil || p.Standard == nil {
			continue
		}
		for i, t := range p.Standard.Tasks {
			c := taskCheck{p: p, index: strconv.Itoa(frontMatterIndex(p, i, t)), out: &out, asOf: asOf}
			c.check(t, sections)
		}
	}
	slices.SortStableFunc(out, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return out
}

// frontMatterIndex finds which item of the front matter's tasks list a task
// came from. content drops a task it cannot read, which would shift every
// later index and point problems at the wrong task; the task's recorded line
// tells the items apart. Dropping only ever moves a task to a higher index,
// so the search starts at i.
func frontMatterIndex(p *content.Page, i int, t content.Task) int {
	list, _ := p.Params["tasks"].([]any)
	for j := i; j < len(list); j++ {
		if line, _ := p.Position("tasks", strconv.Itoa(j)); line == t.Line {
			return j
		}
	}
	return i
}

type taskCheck struct {
	p     *content.Page
	index string
	out   *[]Problem
	asOf  time.Time
}

// farYears is how far from the as-of day a task's date may lie: further,
// the year is taken to be mistyped (to: 9016-12-31). A standard's tasks
// fall within a few years of the day they are judged on; a century leaves
// room for any plan.
const farYears = 100

// oddYears is how far from the as-of day a date draws a warning: a
// standard's tasks are due within a term or a few years, and a year typed
// wrong by a digit (2061 for 2016) lands further than this.
const oddYears = 10

// at records a problem at a key of the task; with no key, at the task.
func (c taskCheck) at(msg messages.Text, key ...string) {
	line, col := c.p.Position(append([]string{"tasks", c.index}, key...)...)
	*c.out = append(*c.out, Problem{File: c.p.File, Line: line, Col: col, Msg: msg.String(), Text: msg})
}

// warn records a warning at a key of the task.
func (c taskCheck) warn(msg messages.Text, key ...string) {
	c.at(msg, key...)
	(*c.out)[len(*c.out)-1].Warning = true
}

func (c taskCheck) check(t content.Task, sections map[string]bool) {
	name := messages.Textf("task %q", t.ID)
	switch {
	case t.Every == "" && t.Due.IsZero():
		c.at(messages.Textf("%s has neither due nor every: write due: 2016-12-31 for a one-off task, or every: month, quarter or year with from: and to: for a recurring one", name))
	case t.Every != "" && !t.Due.IsZero():
		c.at(messages.Textf("%s has both due and every: a recurring task is due at the end of each period, so remove due (or remove every, from and to to make it a one-off task)", name), "due")
	}
	if t.Every != "" {
		if t.From.IsZero() {
			c.at(messages.Textf("%s repeats every %s but has no from: write from: with the first day to track, e.g. from: 2016-04-01", name, t.Every))
		}
		if t.To.IsZero() {
			c.at(messages.Textf("%s repeats every %s but has no to: write to: with the last day to track, e.g. to: 2016-12-31", name, t.Every))
		}
	}
	for _, d := range []struct {
		key  string
		date time.Time
	}{{"due", t.Due}, {"from", t.From}, {"to", t.To}} {
		if d.date.IsZero() || c.asOf.IsZero() {
			continue
		}
		switch {
		case d.date.Before(c.asOf.AddDate(-farYears, 0, 0)) || d.date.After(c.asOf.AddDate(farYears, 0, 0)):
			c.at(messages.Textf("%s: %s %s is more than %d years from the as-of day %s: is its year mistyped?",
				name, d.key, d.date.Format(time.DateOnly), farYears, c.asOf.Format(time.DateOnly)), d.key)
		case d.date.Before(c.asOf.AddDate(-oddYears, 0, 0)) || d.date.After(c.asOf.AddDate(oddYears, 0, 0)):
			c.warn(messages.Textf("%s: %s %s is more than %d years from the as-of day %s: is its year right?",
				name, d.key, d.date.Format(time.DateOnly), oddYears, c.asOf.Format(time.DateOnly)), d.key)
		}
	}
	// Counted on From's clock, as the order of from and to is below.
	if n := PeriodCount(t, t.From.Location()); n > MaxPeriods {
		c.at(messages.Textf("%s repeats every %s from %s to %s: %d periods, more than the %d a task may track; a standard runs a year or a term, so check the year of to, or split the task",
			name, t.Every, t.From.Format(time.DateOnly), t.To.Format(time.DateOnly), n, MaxPeriods), "to")
	}
	if !t.From.IsZero() && !t.To.IsZero() {
		// Both were read in the site's zone, unless written with an offset;
		// comparing dates on From's clock keeps this a comparison of days.
		loc := t.From.Location()
		if dayOf(t.To, loc) < dayOf(t.From, loc) {
			from, to := t.From.Format(time.DateOnly), t.To.In(loc).Format(time.DateOnly)
			c.at(messages.Textf("%s: to %s is before from %s: write a to on or after %s", name, to, from, from), "to")
		}
	}
	if ev := t.Evidence; ev != nil {
		switch {
		case ev.Section == "":
			c.at(messages.Textf("%s: evidence needs a section: write section: with one of %s", name, list(sections)), "evidence", "section")
		case !sections[ev.Section]:
			c.at(messages.Textf("%s: evidence.section %q is not a section of the site: write one of %s", name, ev.Section, list(sections)), "evidence", "section")
		}
		if ev.Min < 1 {
			c.at(messages.Textf("%s: evidence.min %d asks for no pages: write min: 1 or more, or leave it out for 1", name, ev.Min), "evidence", "min")
		}
	}
}

func list(sections map[string]bool) string {
	var names []string
	for s, ok := range sections {
		if ok {
			names = append(names, s)
		}
	}
	if len(names) == 0 {
		return "the site's sections (it has none yet: add a folder under content/)"
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
