package standards

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"lanmu/generator/content"
)

// fuzzZones are site zones with different hazards: Shanghai (the usual
// zone, no DST since 1991), UTC, São Paulo (DST jumps at midnight) and
// Chatham (+12:45/+13:45), where a day starts far from UTC midnight.
var fuzzZones = []*time.Location{sh, time.UTC, mustLocation("America/Sao_Paulo"), mustLocation("Pacific/Chatham")}

var fuzzBranches = []string{"", "一支部", "二支部", "三支部"}

// fuzzInput is what one fuzz run decodes into.
type fuzzInput struct {
	loc       *time.Location
	base      time.Time // 2015-12-01 in loc; offsets count days from it
	asOf      time.Time
	soon      int
	standards []*content.Page
	pages     []*content.Page
}

// at is the instant `hour` hours into the day `offset` days after base, so
// that page times land anywhere in a day, including just before midnight.
func (in *fuzzInput) at(offset, hour int) time.Time {
	y, m, d := in.base.Date()
	return time.Date(y, m, d+offset, hour, 59, 0, 0, in.loc)
}

func decodeFuzz(zone uint8, asOf, due, from, span int16, every uint8, minPages int8, soon int8, declared uint8, done int16, per bool, raw []byte) *fuzzInput {
	in := &fuzzInput{loc: fuzzZones[int(zone)%len(fuzzZones)], soon: int(soon) % 40}
	in.base = time.Date(2015, 12, 1, 12, 0, 0, 0, in.loc)
	off := func(v int16) int { return int(v) % 900 }
	in.asOf = in.at(off(asOf), int(uint16(asOf)>>10)%24)
	ev := &content.Evidence{Section: "news", Tags: []string{"学"}, Min: int(minPages) % 5}
	if per {
		ev.Section, ev.Per = "classes", "branch"
	}
	if declared&16 != 0 {
		ev.Section, ev.Branch = "classes", fuzzBranches[1]
	}
	status := []string{"", "done", "in-progress", "not-started"}[declared%4]
	doneAt := time.Time{}
	if declared&4 == 0 {
		doneAt = in.at(off(done), int(declared>>3)%24)
	}
	oneOff := content.Task{ID: "o", Due: in.at(off(due), int(every>>3)%24), Status: status, Done: doneAt, Evidence: ev}
	if declared&8 != 0 {
		oneOff.From = in.at(off(from), 0)
	}
	kinds := []string{"month", "quarter", "year", "fortnight"}
	rec := content.Task{
		ID: "r", Every: kinds[int(every)%len(kinds)], Status: status, Done: doneAt, Evidence: ev,
		From: in.at(off(from), int(every>>2)%24), To: in.at(off(from)+int(span)%500, int(every>>4)%24),
	}
	bare := content.Task{ID: "b", Due: in.at(off(due), 0), Status: status, Done: doneAt}
	bareRec := content.Task{ID: "c", Every: rec.Every, From: rec.From, To: rec.To, Status: status, Done: doneAt}
	in.standards = []*content.Page{std(2, oneOff, rec), std(1, bare, bareRec), std(3)}
	for i := 0; i+2 < len(raw) && len(in.pages) < 48; i += 3 {
		flags := raw[i+2]
		section := "news"
		if flags&1 != 0 {
			section = "classes"
		}
		p := &content.Page{
			Kind: content.KindPage, Section: section,
			Date:         in.at(int(raw[i])*3-40, int(raw[i+1])%24),
			RelPermalink: fmt.Sprintf("/p/%d/", i),
		}
		if flags&2 != 0 {
			p.Tags = []string{"学"}
		}
		if b := fuzzBranches[flags>>2&3]; b != "" || flags&16 != 0 {
			p.Class = &content.Class{Branch: b}
		}
		if flags&32 != 0 {
			p.Date = time.Time{}
		}
		in.pages = append(in.pages, p)
	}
	return in
}

func FuzzEvaluate(f *testing.F) {
	f.Add(uint8(0), int16(212), int16(212), int16(122), int16(274), uint8(1), int8(1), int8(14), uint8(0), int16(0), false, []byte{60, 3, 2, 70, 23, 2})
	f.Add(uint8(2), int16(320), int16(319), int16(0), int16(400), uint8(0), int8(2), int8(0), uint8(1), int16(319), true, []byte{100, 1, 7, 101, 23, 11, 102, 0, 15, 1, 1, 19})
	f.Add(uint8(1), int16(-50), int16(90), int16(90), int16(-10), uint8(2), int8(0), int8(-3), uint8(13), int16(80), false, []byte{})
	f.Add(uint8(3), int16(700), int16(200), int16(60), int16(29), uint8(6), int8(-2), int8(7), uint8(5), int16(10), true, []byte{255, 255, 255, 0, 0, 0})
	// São Paulo's clocks skipped 2016-10-16 00:00 and repeated the hour
	// before 2016-02-21: a quarter starting 2016-10-01 with pages, a due
	// day and an as-of late in the day it began.
	f.Add(uint8(2), int16(23720), int16(320), int16(305), int16(91), uint8(1), int8(1), int8(3), uint8(8), int16(320), false, []byte{120, 0, 2, 120, 23, 3, 115, 12, 6})
	f.Add(uint8(2), int16(82), int16(82), int16(0), int16(90), uint8(0), int8(1), int8(1), uint8(1), int16(83), false, []byte{41, 0, 2, 41, 23, 2})
	// Chatham's clocks went forward 2016-09-25 and back 2017-04-02, at
	// 02:45 and 03:45 (+12:45/+13:45): a year task and a fortnight task.
	f.Add(uint8(3), int16(299), int16(299), int16(31), int16(365), uint8(2), int8(1), int8(0), uint8(0), int16(299), false, []byte{113, 2, 3})
	f.Add(uint8(3), int16(488), int16(488), int16(305), int16(200), uint8(3), int8(1), int8(5), uint8(2), int16(487), true, []byte{176, 3, 2})
	// Months across a year end, per branch, two pages each, in UTC.
	f.Add(uint8(1), int16(430), int16(400), int16(366), int16(62), uint8(0), int8(2), int8(10), uint8(3), int16(0), true, []byte{135, 1, 7, 136, 1, 11, 137, 1, 15, 140, 1, 3, 141, 1, 7, 142, 1, 11})
	f.Fuzz(func(t *testing.T, zone uint8, asOf, due, from, span int16, every uint8, minPages int8, soon int8, declared uint8, done int16, per bool, raw []byte) {
		in := decodeFuzz(zone, asOf, due, from, span, every, minPages, soon, declared, done, per, raw)
		opt := Options{AsOf: in.asOf, Location: in.loc, DueSoonDays: in.soon}
		r := Evaluate(in.standards, in.pages, opt)
		checkInvariants(t, in, opt, r)

		// Only the as-of day matters, not the hour: the first and last
		// minute of the day give the same report.
		y, m, dd := in.asOf.In(in.loc).Date()
		first := time.Date(y, m, dd, 0, 0, 0, 0, in.loc)
		for first.Day() != dd {
			first = first.Add(time.Hour) // São Paulo's clocks skipped some midnights
		}
		for _, asOf := range []time.Time{first, time.Date(y, m, dd, 23, 59, 0, 0, in.loc)} {
			opt.AsOf = asOf
			if again := Evaluate(in.standards, in.pages, opt); !sameStatuses(r, again) {
				t.Fatalf("the report changes with the hour of the as-of day (%v vs %v)", in.asOf, opt.AsOf)
			}
		}
	})
}

func sameStatuses(a, b *Report) bool {
	if len(a.Standards) != len(b.Standards) {
		return false
	}
	for i := range a.Standards {
		for j := range a.Standards[i].Tasks {
			x, y := a.Standards[i].Tasks[j], b.Standards[i].Tasks[j]
			if x.Status != y.Status || !x.Due.Equal(y.Due) || !x.DoneOn.Equal(y.DoneOn) {
				return false
			}
		}
	}
	return true
}

func checkInvariants(t *testing.T, in *fuzzInput, opt Options, r *Report) {
	t.Helper()
	day := func(t time.Time) string { return t.In(in.loc).Format(time.DateOnly) }
	asOf := day(opt.AsOf)
	if day(r.AsOf) != asOf {
		t.Fatalf("report AsOf %v is not the day %s", r.AsOf, asOf)
	}
	tasks, standards := 0, 0
	for _, s := range Statuses {
		if _, ok := r.Tasks[s]; !ok {
			t.Fatalf("Tasks lacks %s", s)
		}
		if _, ok := r.ByStandard[s]; !ok {
			t.Fatalf("ByStandard lacks %s", s)
		}
		tasks += r.Tasks[s]
		standards += r.ByStandard[s]
	}
	if len(r.Tasks) != len(Statuses) || len(r.ByStandard) != len(Statuses) || standards != len(r.Standards) {
		t.Fatalf("counts %v %v for %d standards", r.Tasks, r.ByStandard, len(r.Standards))
	}
	total := 0
	for i, s := range r.Standards {
		if i > 0 && r.Standards[i-1].Number > s.Number {
			t.Fatalf("standards not sorted by number")
		}
		doneOrLate, worst := 0, Done
		for _, ts := range s.Tasks {
			if rank(ts.Status) < 0 {
				t.Fatalf("task %s: status %q is not one of the five", ts.Task.ID, ts.Status)
			}
			if ts.Status == Done || ts.Status == Late {
				doneOrLate++
			}
			if rank(ts.Status) < rank(worst) {
				worst = ts.Status
			}
			want := oracle(in, opt, ts.Task)
			if ts.Status != want {
				t.Fatalf("task %s (%+v) at %s in %s: status %s, the oracle says %s", ts.Task.ID, ts.Task, asOf, in.loc, ts.Status, want)
			}
			if ts.Task.Every != "" {
				checkRecurring(t, in, opt, ts)
			} else {
				checkOneOff(t, in, opt, ts)
			}
			if ev := ts.Evidence; ev != nil {
				for k, p := range ev.Pages {
					if day(p.Date) > asOf || (k > 0 && p.Date.Before(ev.Pages[k-1].Date)) {
						t.Fatalf("task %s: evidence pages after D or not oldest first", ts.Task.ID)
					}
				}
				if (ev.Branches != nil) != (ts.Task.Evidence.Per == "branch") {
					t.Fatalf("task %s: Branches %v for per %q", ts.Task.ID, ev.Branches, ts.Task.Evidence.Per)
				}
			}
		}
		if s.Done != doneOrLate || s.Total != len(s.Tasks) || s.Status != worst {
			t.Fatalf("standard %d: done %d/%d status %s; tasks say %d/%d %s", s.Number, s.Done, s.Total, s.Status, doneOrLate, len(s.Tasks), worst)
		}
		total += len(s.Tasks)
	}
	if tasks != total {
		t.Fatalf("Tasks counts %d tasks, standards hold %d", tasks, total)
	}
}

func checkOneOff(t *testing.T, in *fuzzInput, opt Options, ts TaskStatus) {
	t.Helper()
	day := func(t time.Time) string { return t.In(in.loc).Format(time.DateOnly) }
	asOf, due := day(opt.AsOf), day(ts.Due)
	switch ts.Status {
	case Late:
		if ts.DoneOn.IsZero() || day(ts.DoneOn) <= due || day(ts.DoneOn) > asOf {
			t.Fatalf("late task %s done %v, due %s, D %s", ts.Task.ID, ts.DoneOn, due, asOf)
		}
	case Done:
		if !ts.DoneOn.IsZero() && (day(ts.DoneOn) > asOf || (!ts.Due.IsZero() && day(ts.DoneOn) > due)) {
			t.Fatalf("done task %s done %v, due %s, D %s", ts.Task.ID, ts.DoneOn, due, asOf)
		}
	case Overdue:
		if ts.Due.IsZero() || due >= asOf || !ts.DoneOn.IsZero() {
			t.Fatalf("overdue task %s due %s, D %s", ts.Task.ID, due, asOf)
		}
	case DueSoon:
		if ts.Due.IsZero() || due < asOf || !ts.DoneOn.IsZero() {
			t.Fatalf("due-soon task %s due %s, D %s", ts.Task.ID, due, asOf)
		}
	}
	if ts.Periods != nil {
		t.Fatalf("one-off task %s has periods", ts.Task.ID)
	}
}

func checkRecurring(t *testing.T, in *fuzzInput, opt Options, ts TaskStatus) {
	t.Helper()
	day := func(t time.Time) string { return t.In(in.loc).Format(time.DateOnly) }
	if ts.Status == DueSoon || ts.Status == Late {
		t.Fatalf("recurring task %s is %s", ts.Task.ID, ts.Status)
	}
	asOf := day(opt.AsOf)
	for i, p := range ts.Periods {
		start, end := day(p.Start), day(p.End)
		if start > end || p.Ended != (end < asOf) {
			t.Fatalf("period %d %s..%s ended %v at %s", i, start, end, p.Ended, asOf)
		}
		if i == 0 && start != day(ts.Task.From) || i == len(ts.Periods)-1 && end != day(ts.Task.To) {
			t.Fatalf("periods %s.. ..%s do not run from %s to %s", start, end, day(ts.Task.From), day(ts.Task.To))
		}
		if i > 0 && day(ts.Periods[i-1].End.AddDate(0, 0, 1).Add(2*time.Hour)) != start {
			t.Fatalf("period %d starts %s, not the day after %s", i, start, day(ts.Periods[i-1].End))
		}
		if p.Met != !p.MetOn.IsZero() || p.Met && (day(p.MetOn) < start || day(p.MetOn) > end || day(p.MetOn) > asOf) {
			t.Fatalf("period %d %s..%s met %v on %v", i, start, end, p.Met, p.MetOn)
		}
		if day(p.Start)[:4] != day(p.End)[:4] {
			t.Fatalf("period %s..%s spans two years", start, end)
		}
	}
}

// oracle works a task's status out again, independently of the package: it
// compares days as "2006-01-02" strings, walks periods day by day, and
// counts pages afresh.
func oracle(in *fuzzInput, opt Options, task content.Task) Status {
	loc := in.loc
	day := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
	asOf := day(opt.AsOf)
	need := 1
	if task.Evidence != nil {
		need = max(task.Evidence.Min, 1)
	}
	var branches []string
	for _, p := range in.pages {
		if p.Class != nil && p.Class.Branch != "" && !slices.Contains(branches, p.Class.Branch) {
			branches = append(branches, p.Class.Branch)
		}
	}
	// metOn is the day pages dated within [lo, hi] (and up to D) meet the
	// rule, "" when they do not.
	metOn := func(lo, hi string) string {
		ev := task.Evidence
		if ev == nil {
			return ""
		}
		var days []string
		byBranch := map[string][]string{}
		for _, p := range in.pages {
			pd := day(p.Date)
			if p.Date.IsZero() || pd < lo || pd > hi || pd > asOf || p.Section != ev.Section {
				continue
			}
			ok := true
			for _, tag := range ev.Tags {
				ok = ok && slices.Contains(p.Tags, tag)
			}
			if !ok || ev.Branch != "" && (p.Class == nil || p.Class.Branch != ev.Branch) {
				continue
			}
			days = append(days, pd)
			if p.Class != nil {
				byBranch[p.Class.Branch] = append(byBranch[p.Class.Branch], pd)
			}
		}
		if ev.Per != "branch" {
			slices.Sort(days)
			if len(days) >= need {
				return days[need-1]
			}
			return ""
		}
		if len(branches) == 0 {
			return ""
		}
		last := ""
		for _, b := range branches {
			ds := byBranch[b]
			slices.Sort(ds)
			if len(ds) < need {
				return ""
			}
			last = max(last, ds[need-1])
		}
		return last
	}
	declaredDay, declaredUndated := "", false
	if task.Status == "done" {
		if task.Done.IsZero() {
			declaredUndated = true
		} else if d := day(task.Done); d <= asOf {
			declaredDay = d
		}
	}

	if task.Every == "" {
		if declaredUndated {
			return Done
		}
		lo := "0000-00-00"
		if !task.From.IsZero() {
			lo = day(task.From)
		}
		doneDay := declaredDay
		if m := metOn(lo, "9999-99-99"); m != "" && (doneDay == "" || m < doneDay) {
			doneDay = m
		}
		if task.Due.IsZero() {
			if doneDay != "" {
				return Done
			}
			return Open
		}
		due := day(task.Due)
		switch {
		case doneDay != "" && doneDay <= due:
			return Done
		case doneDay != "":
			return Late
		case asOf > due:
			return Overdue
		}
		// Due soon when D plus the window reaches the due day, counted on
		// the calendar, not in 24-hour steps.
		y, m, d := opt.AsOf.In(loc).Date()
		if time.Date(y, m, d+max(opt.DueSoonDays, 0), 12, 0, 0, 0, time.UTC).Format(time.DateOnly) >= due {
			return DueSoon
		}
		return Open
	}

	if declaredUndated || declaredDay != "" {
		return Done
	}
	if task.From.IsZero() || task.To.IsZero() || !slices.Contains([]string{"month", "quarter", "year"}, task.Every) {
		return Open
	}
	from, to := day(task.From), day(task.To)
	if from > to {
		return Open
	}
	key := func(d string) string {
		switch task.Every {
		case "month":
			return d[:7]
		case "quarter":
			return d[:5] + string("1234"[(int(d[5]-'0')*10+int(d[6]-'0')-1)/3])
		}
		return d[:4]
	}
	// Walk the calendar from From to To, cutting a period wherever the
	// month, quarter or year changes.
	type period struct{ start, end string }
	var periods []period
	y, m, d := task.From.In(loc).Date()
	for c := time.Date(y, m, d, 12, 0, 0, 0, time.UTC); c.Format(time.DateOnly) <= to; c = c.AddDate(0, 0, 1) {
		s := c.Format(time.DateOnly)
		if len(periods) == 0 || key(periods[len(periods)-1].start) != key(s) {
			periods = append(periods, period{s, s})
		}
		periods[len(periods)-1].end = s
	}
	allEnded := true
	for _, p := range periods {
		ended := p.end < asOf
		allEnded = allEnded && ended
		if ended && metOn(p.start, p.end) == "" {
			return Overdue
		}
	}
	if allEnded {
		return Done
	}
	return Open
}
