// Package standards works out, for an as-of day, the status of every task of
// a column's basic standards (基本标准) and of every standard as a whole.
//
// A task's status comes from two kinds of facts: what the standard's front
// matter declares (a due date, `status: done` with a `done:` date, a
// recurrence), and which published pages count as evidence for it (news or
// class outlines carrying the right section, tags and branch). Leaders and
// inspectors read the resulting status page as a record, so every rule is
// judged by calendar day in the site's time zone, never by instant: a report
// published at 23:59 on the due day is on time, and one published at 00:30
// the next day is late, wherever the machine building the site happens to be.
//
// The package does no I/O: the build passes in the loaded pages and renders
// the Report; Check reports the mistakes in the declarations that would make
// a status meaningless.
package standards

import (
	"cmp"
	"slices"
	"sort"
	"time"

	"lanmu/generator/content"
)

// Status is where a task or a standard stands on the as-of day.
type Status string

// The five statuses. Each is given the type explicitly: in a const block
// written `Late = "late"`, Late would be an untyped string, not a Status.
const (
	Done    Status = "done"     // done on or before the due day
	Late    Status = "late"     // done, but after the due day
	Overdue Status = "overdue"  // not done and the due day has passed
	DueSoon Status = "due-soon" // not done, due within the due-soon window
	Open    Status = "open"     // not done, not yet pressing
)

// Statuses lists the statuses from worst to best: overdue, due-soon, open,
// late, done. A standard takes the worst status of its tasks.
var Statuses = []Status{Overdue, DueSoon, Open, Late, Done}

// rank is a status's place in Statuses; lower is worse. An unknown status
// ranks worst, so that a bug can never make a standard look better.
func rank(s Status) int {
	for i, t := range Statuses {
		if s == t {
			return i
		}
	}
	return -1
}

// Options say on which day, and in which time zone, statuses are judged.
type Options struct {
	// AsOf is the as-of day; only its calendar date in Location matters.
	AsOf time.Time
	// Location is the site's time zone; every date is compared as a
	// calendar day in it. Nil means UTC.
	Location *time.Location
	// DueSoonDays is the due-soon window: an unfinished one-off task is due
	// soon when its due day is at most this many days after the as-of day.
	// A negative window counts as 0, so the due day itself is always due soon.
	DueSoonDays int
}

// Report is the status of every standard on the as-of day.
type Report struct {
	AsOf       time.Time        // the start of the as-of day in Location (midnight, or when a DST jump skips it, the jump's end)
	Standards  []StandardStatus // sorted by Number
	Tasks      map[Status]int   // tasks per status, every status present
	ByStandard map[Status]int   // standards per status, every status present
}

// StandardStatus is the status of one standard.
type StandardStatus struct {
	Number int
	Title  string
	URL    string
	Page   *content.Page
	// Status is the worst status of the tasks (Statuses order); Done when
	// the standard has no tasks, since nothing is left to do.
	Status Status
	// Done counts the tasks that are done or late; Total counts all tasks.
	Done, Total int
	Tasks       []TaskStatus // in declared order
}

// TaskStatus is the status of one task.
type TaskStatus struct {
	Task   content.Task
	Status Status
	// Due is, for a one-off task, its due day; for a recurring task, the last
	// day of the current period (before the first period, the first
	// period's last day; after To, the day of To). Zero when the
	// task declares no usable due day or period.
	Due time.Time
	// DoneOn is the day the task was done, declared or from evidence; zero
	// when it was not done by the as-of day, or was declared done without a
	// date.
	DoneOn   time.Time
	Evidence *EvidenceStatus // nil when the task has no evidence rule
	Periods  []PeriodStatus  // recurring tasks only, from From to To in order
	// Current is the index in Periods of the current period, whose count
	// Evidence reports: the one holding the as-of day, the last one after
	// To; -1 before From and for a one-off task.
	Current int
}

// EvidenceStatus is what the published pages show for a task.
type EvidenceStatus struct {
	// Count is how many pages count: for a one-off task all qualifying pages;
	// for a recurring task those in the current period (after To the last
	// period, before From 0). Per branch, it is the count of the branch with
	// the fewest pages.
	Count int
	// Min is how many pages are needed (per period, per branch).
	Min int
	// Pages are the qualifying pages up to the as-of day, oldest first; for
	// a recurring task, those of all periods so far.
	Pages []*content.Page
	// Branches are the per-branch counts (same scope as Count) for
	// `per: branch`, every branch present; nil otherwise.
	Branches map[string]int
}

// PeriodStatus is one period of a recurring task.
type PeriodStatus struct {
	Start, End time.Time // first and last day, each at its start in Location
	Count      int       // qualifying pages in the period (per branch: the fewest)
	Met        bool
	MetOn      time.Time // the day of the page that completed the period
	Ended      bool      // the period's last day is before the as-of day
	// Pages are the qualifying pages dated in the period up to the as-of
	// day, oldest first. A recurring task's evidence is judged period by
	// period, so a reader shown "1/1" must be shown the page that counts
	// for that period, not every page of the year.
	Pages []*content.Page
}

// Evaluate works out the status of every standard among standards (pages
// without a Standard are skipped) on opt.AsOf, counting as evidence the
// published regular pages among evidence.
func Evaluate(standards []*content.Page, evidence []*content.Page, opt Options) *Report {
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	e := &evaluator{loc: loc, asOf: dayOf(opt.AsOf, loc), soon: day(max(opt.DueSoonDays, 0))}
	e.index(evidence)
	r := &Report{AsOf: e.asOf.in(loc), Tasks: zeroCounts(), ByStandard: zeroCounts()}
	for _, p := range standards {
		if p == nil || p.Standard == nil {
			continue
		}
		s := e.standard(p)
		for _, t := range s.Tasks {
			r.Tasks[t.Status]++
		}
		r.ByStandard[s.Status]++
		r.Standards = append(r.Standards, s)
	}
	// Numbers are unique in a valid site; the file breaks ties so that the
	// order never depends on the order pages were passed in.
	slices.SortStableFunc(r.Standards, func(a, b StandardStatus) int {
		return cmp.Or(cmp.Compare(a.Number, b.Number), cmp.Compare(a.Page.File, b.Page.File))
	})
	return r
}

func zeroCounts() map[Status]int {
	m := make(map[Status]int, len(Statuses))
	for _, s := range Statuses {
		m[s] = 0
	}
	return m
}

// day is a calendar date, counted in days since 1970-01-01. Rules compare
// days, never instants: that is what keeps a page written late on the due
// day on time, and it is immune to daylight-saving days of 23 or 25 hours.
type day int64

// noDay is before every real day, for "no lower bound".
const noDay day = -1 << 62

func civil(y int, m time.Month, d int) day {
	// time.Date normalises out-of-range months and days (day 0 is the last
	// day of the previous month), which the period arithmetic relies on.
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dayOf is the calendar date of t on the wall clocks of loc.
func dayOf(t time.Time, loc *time.Location) day {
	y, m, d := t.In(loc).Date()
	return civil(y, m, d)
}

func (d day) date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// in is the first instant of the day in loc: midnight, or the end of the
// daylight-saving jump where a zone skips midnight (São Paulo began
// 2016-10-16 at 01:00).
func (d day) in(loc *time.Location) time.Time {
	y, m, dd := d.date()
	t := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	// For a wall time inside a jump, time.Date keeps the offset from before
	// it, which lands on the previous evening: 2016-10-15 23:00 in São
	// Paulo. Shown as a date, that would be the wrong day, so move to where
	// the jump ends, the first instant that really is on this day. (Where a
	// whole day was skipped, as in Samoa on 2011-12-30, that is the next
	// day's start, the nearest there is.)
	if _, _, got := t.Date(); got != dd {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			return end
		}
	}
	return t
}

// dated is an evidence page with its day, worked out once per Evaluate.
type dated struct {
	p   *content.Page
	day day
}

type evaluator struct {
	loc  *time.Location
	asOf day
	soon day
	// pages are the evidence pages that can ever count, oldest first.
	pages []dated
	// branches are the branches named in the site's classes, sorted: the
	// branches a `per: branch` rule needs evidence from.
	branches []string
}

func (e *evaluator) index(evidence []*content.Page) {
	seen := map[string]bool{}
	for _, p := range evidence {
		if p == nil {
			continue
		}
		// The branch set is every branch a class names, whatever the class's
		// date or tags: a branch that has given no class yet still owes one.
		if p.Class != nil && p.Class.Branch != "" && !seen[p.Class.Branch] {
			seen[p.Class.Branch] = true
			e.branches = append(e.branches, p.Class.Branch)
		}
		// An undated page cannot be placed on or before a due day, so it
		// never counts; lists (sections, home, terms) are not evidence.
		if p.Kind != content.KindPage || p.Date.IsZero() {
			continue
		}
		e.pages = append(e.pages, dated{p, dayOf(p.Date, e.loc)})
	}
	sort.Strings(e.branches)
	// Oldest first, by instant, so the Min-th page is well defined; the URL
	// and file break ties for a stable order.
	slices.SortStableFunc(e.pages, func(a, b dated) int {
		return cmp.Or(a.p.Date.Compare(b.p.Date), cmp.Compare(a.p.RelPermalink, b.p.RelPermalink), cmp.Compare(a.p.File, b.p.File))
	})
}

func (e *evaluator) standard(p *content.Page) StandardStatus {
	s := StandardStatus{
		Number: p.Standard.Number,
		Title:  p.Title,
		URL:    p.RelPermalink,
		Page:   p,
		Status: Done,
		Total:  len(p.Standard.Tasks),
		Tasks:  make([]TaskStatus, 0, len(p.Standard.Tasks)),
	}
	for _, t := range p.Standard.Tasks {
		ts := e.task(t)
		if ts.Status == Done || ts.Status == Late {
			s.Done++
		}
		if rank(ts.Status) < rank(s.Status) {
			s.Status = ts.Status
		}
		s.Tasks = append(s.Tasks, ts)
	}
	return s
}

func (e *evaluator) task(t content.Task) TaskStatus {
	if t.Every != "" {
		return e.recurring(t)
	}
	return e.oneOff(t)
}

// declared reports what `status: done` says on the as-of day: done on a day,
// done without a date, or nothing (not declared done, or done after the
// as-of day, which does not count yet).
func (e *evaluator) declared(t content.Task) (on day, dated, undated bool) {
	if t.Status != "done" {
		return 0, false, false
	}
	if t.Done.IsZero() {
		return 0, false, true
	}
	if d := dayOf(t.Done, e.loc); d <= e.asOf {
		return d, true, false
	}
	return 0, false, false
}

func (e *evaluator) oneOff(t content.Task) TaskStatus {
	ts := TaskStatus{Task: t, Current: -1}
	doneOn, done, undated := e.declared(t)
	if ev := t.Evidence; ev != nil {
		from := noDay
		if !t.From.IsZero() {
			from = dayOf(t.From, e.loc)
		}
		pages := e.qualifying(ev, from, e.asOf)
		tl := e.meet(pages, ev)
		ts.Evidence = &EvidenceStatus{Count: tl.count, Min: need(ev), Pages: pagesOf(pages), Branches: tl.branches}
		// Whichever of the declaration and the evidence shows the task done
		// first is when it was done.
		if tl.met && (!done || tl.on < doneOn) {
			doneOn, done = tl.on, true
		}
	}
	hasDue := !t.Due.IsZero()
	var due day
	if hasDue {
		due = dayOf(t.Due, e.loc)
		ts.Due = due.in(e.loc)
	}
	switch {
	case undated:
		// `status: done` without a date is taken at its word: done in time.
		ts.Status = Done
	case done:
		ts.DoneOn = doneOn.in(e.loc)
		ts.Status = Done
		if hasDue && doneOn > due {
			ts.Status = Late
		}
	case !hasDue:
		// Check reports a task with neither due nor every; until it is
		// fixed there is no deadline to be overdue against.
		ts.Status = Open
	case e.asOf > due:
		ts.Status = Overdue
	case due-e.asOf <= e.soon:
		ts.Status = DueSoon
	default:
		ts.Status = Open
	}
	return ts
}

// span is one period: its first and last day, both inclusive.
type span struct{ start, end day }

// MaxPeriods is how many periods a recurring task may track: twenty years
// of months. A task from year 1 to 9999 every month made the status page
// run out of memory; Check reports a task over the limit, and Evaluate
// tracks none of its periods.
const MaxPeriods = 240

// PeriodCount is how many periods of t.Every lie from t.From to t.To, in
// loc, counted without listing them; 0 for a task that does not recur.
func PeriodCount(t content.Task, loc *time.Location) int {
	if t.From.IsZero() || t.To.IsZero() {
		return 0
	}
	fy, fm, _ := dayOf(t.From, loc).date()
	ty, tm, _ := dayOf(t.To, loc).date()
	months := (ty-fy)*12 + int(tm) - int(fm)
	switch t.Every {
	case "month":
		return max(months+1, 0)
	case "quarter":
		return max((ty*4+(int(tm)-1)/3)-(fy*4+(int(fm)-1)/3)+1, 0)
	case "year":
		return max(ty-fy+1, 0)
	}
	return 0
}

// periods are the calendar months, quarters or years from From to To,
// clipped to them; nil when the recurrence or its range is unusable (Check
// reports why).
func (e *evaluator) periods(t content.Task) []span {
	if t.From.IsZero() || t.To.IsZero() || PeriodCount(t, e.loc) > MaxPeriods {
		return nil
	}
	from, to := dayOf(t.From, e.loc), dayOf(t.To, e.loc)
	var out []span
	for s := from; s <= to; {
		y, m, _ := s.date()
		var end day
		switch t.Every {
		case "month":
			end = civil(y, m+1, 0)
		case "quarter":
			end = civil(y, (m-1)/3*3+4, 0)
		case "year":
			end = civil(y, 12, 31)
		default:
			return nil
		}
		end = min(end, to)
		out = append(out, span{s, end})
		s = end + 1
	}
	return out
}

func (e *evaluator) recurring(t content.Task) TaskStatus {
	ts := TaskStatus{Task: t}
	ps := e.periods(t)
	ev := t.Evidence
	var pages []dated
	if ev != nil && len(ps) > 0 {
		// Pages outside every period count for none, so they are not shown.
		pages = e.qualifying(ev, ps[0].start, min(e.asOf, ps[len(ps)-1].end))
	}
	tallies := make([]tally, len(ps))
	ts.Periods = make([]PeriodStatus, len(ps))
	overdue, allMet := false, len(ps) > 0
	rest := pages
	for i, sp := range ps {
		n := 0
		for n < len(rest) && rest[n].day <= sp.end {
			n++
		}
		in := rest[:n]
		rest = rest[n:]
		p := PeriodStatus{Start: sp.start.in(e.loc), End: sp.end.in(e.loc), Ended: sp.end < e.asOf, Pages: pagesOf(in)}
		if ev != nil {
			tallies[i] = e.meet(in, ev)
			p.Count, p.Met = tallies[i].count, tallies[i].met
			if p.Met {
				p.MetOn = tallies[i].on.in(e.loc)
			}
		}
		// Without an evidence rule nothing can meet a period: such a task
		// is only ever done by declaring it done.
		if p.Ended && !p.Met {
			overdue = true
		}
		allMet = allMet && p.Met
		ts.Periods[i] = p
	}

	// The current period: the one holding the as-of day, the last one after
	// To, none before From (when nothing can have been counted yet).
	cur := -1
	if len(ps) > 0 {
		cur = len(ps) - 1
		for i, sp := range ps {
			if e.asOf <= sp.end {
				cur = i
				break
			}
		}
		ts.Due = ps[cur].end.in(e.loc)
		if e.asOf < ps[0].start {
			cur = -1
		}
	}
	ts.Current = cur
	if ev != nil {
		es := &EvidenceStatus{Min: need(ev), Pages: pagesOf(pages)}
		if cur >= 0 {
			es.Count, es.Branches = tallies[cur].count, tallies[cur].branches
		} else if ev.Per == "branch" {
			es.Branches = e.zeroBranches()
		}
		ts.Evidence = es
	}

	doneOn, done, undated := e.declared(t)
	switch {
	case done || undated:
		// A declaration overrides the periods: whoever wrote `status: done`
		// answers for it.
		ts.Status = Done
		if done {
			ts.DoneOn = doneOn.in(e.loc)
		}
	case overdue:
		ts.Status = Overdue
	case allMet && ps[len(ps)-1].end < e.asOf:
		// Done when the last period was met: periods run in order and
		// each is met within itself, so that is the latest MetOn.
		ts.Status = Done
		ts.DoneOn = tallies[len(ps)-1].on.in(e.loc)
	default:
		ts.Status = Open
	}
	return ts
}

// need is how many pages a rule asks for. Check reports a min below 1; until
// it is fixed, at least one page is still required, so that a typo cannot
// mark a task done with no evidence at all.
func need(ev *content.Evidence) int { return max(ev.Min, 1) }

// qualifying returns, oldest first, the evidence pages that match the rule
// and fall within [from, to] as days.
func (e *evaluator) qualifying(ev *content.Evidence, from, to day) []dated {
	var out []dated
	for _, d := range e.pages {
		if d.day < from || d.day > to || !matches(d.p, ev) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// matches reports whether a page is of the rule's section, carries all its
// tags, and, when the rule names a branch, is a class of that branch.
func matches(p *content.Page, ev *content.Evidence) bool {
	if p.Section != ev.Section {
		return false
	}
	for _, tag := range ev.Tags {
		if !slices.Contains(p.Tags, tag) {
			return false
		}
	}
	if ev.Branch != "" && (p.Class == nil || p.Class.Branch != ev.Branch) {
		return false
	}
	return true
}

// tally is what a run of qualifying pages adds up to.
type tally struct {
	count    int
	met      bool
	on       day // the day the rule was met, when met
	branches map[string]int
}

// meet counts pages (oldest first) against a rule: the rule is met on the
// day of the Min-th page, or per branch on the day the last branch reaches
// its Min-th page.
func (e *evaluator) meet(pages []dated, ev *content.Evidence) tally {
	n := need(ev)
	if ev.Per != "branch" {
		t := tally{count: len(pages)}
		if len(pages) >= n {
			t.met, t.on = true, pages[n-1].day
		}
		return t
	}
	t := tally{branches: e.zeroBranches()}
	reached := 0
	for _, d := range pages {
		if d.p.Class == nil {
			continue
		}
		b := d.p.Class.Branch
		if _, ok := t.branches[b]; !ok {
			continue
		}
		t.branches[b]++
		if t.branches[b] == n {
			reached++
			// Pages come oldest first, so the branch completing the set
			// does so on the latest of the branches' days.
			if reached == len(e.branches) {
				t.met, t.on = true, d.day
			}
		}
	}
	// With no branches at all the loop never completes the set: nobody can
	// show the work was done everywhere, so the rule is never met rather
	// than vacuously met.
	for i, b := range e.branches {
		if c := t.branches[b]; i == 0 || c < t.count {
			t.count = c
		}
	}
	return t
}

func (e *evaluator) zeroBranches() map[string]int {
	m := make(map[string]int, len(e.branches))
	for _, b := range e.branches {
		m[b] = 0
	}
	return m
}

func pagesOf(ds []dated) []*content.Page {
	out := make([]*content.Page, len(ds))
	for i, d := range ds {
		out[i] = d.p
	}
	return out
}
