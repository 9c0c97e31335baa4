package build

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"lanmu/generator/standards"
)

// StatusView is .Site.Status in templates: the standards' status on the
// as-of day, ready to show.
type StatusView struct {
	AsOf      time.Time
	Standards []*StandardRow
	// Tasks and ByStandard count tasks and standards per status, worst
	// status first.
	Tasks      []StatusCount
	ByStandard []StatusCount
	TasksTotal int
	TasksDone  int // done or late
	Timeline   *Timeline
	// URL is the status page.
	URL string
}

// StandardRow is one standard on the status page.
type StandardRow struct {
	*standards.StandardStatus
	Page    *Page
	Percent int // done-or-late tasks as a whole percentage
	Tasks   []*TaskRow
}

// TaskRow is one task with its evidence pages as template pages.
type TaskRow struct {
	*standards.TaskStatus
	EvidencePages []*Page
	// Periods are, for a recurring task, the periods begun by the as-of
	// day, each with the pages it counted; the count shown for the task is
	// the current period's, so its pages are shown beside it.
	PeriodRows []*PeriodRow
}

// PeriodRow is one begun period of a recurring task on the status page.
type PeriodRow struct {
	*standards.PeriodStatus
	Label         string // 2016年第二季度, 2016年7月, 2016年
	Current       bool   // the period the task's count is for
	Status        string // done, overdue or open, as on the timeline
	EvidencePages []*Page
}

// StatusCount is how many tasks or standards have a status.
type StatusCount struct {
	Status string
	N      int
}

// OnTrack counts the standards with no overdue task.
func (v *StatusView) OnTrack() int {
	n := 0
	for _, c := range v.ByStandard {
		if c.Status != string(standards.Overdue) {
			n += c.N
		}
	}
	return n
}

// Count returns the number of standards with a status.
func (v *StatusView) Count(status string) int {
	for _, c := range v.ByStandard {
		if c.Status == status {
			return c.N
		}
	}
	return 0
}

func counts(m map[standards.Status]int) []StatusCount {
	out := make([]StatusCount, 0, len(standards.Statuses))
	for _, st := range standards.Statuses {
		out = append(out, StatusCount{Status: string(st), N: m[st]})
	}
	return out
}

// statusView wraps the report for templates; nil when the site has no
// standards.
func (s *Site) statusView() *StatusView {
	r := s.status
	if r == nil || len(r.Standards) == 0 {
		return nil
	}
	v := &StatusView{AsOf: r.AsOf, Tasks: counts(r.Tasks), ByStandard: counts(r.ByStandard)}
	if sec := s.views[s.Content.PageByPath("/standards/")]; sec != nil {
		v.URL = sec.RelPermalink
	}
	for i := range r.Standards {
		st := &r.Standards[i]
		row := &StandardRow{StandardStatus: st, Page: s.views[st.Page]}
		if st.Total > 0 {
			row.Percent = st.Done * 100 / st.Total
		}
		for j := range st.Tasks {
			t := &st.Tasks[j]
			tr := &TaskRow{TaskStatus: t}
			if t.Evidence != nil {
				tr.EvidencePages = s.views1(t.Evidence.Pages)
			}
			tr.PeriodRows = s.periodRows(t, r.AsOf)
			row.Tasks = append(row.Tasks, tr)
		}
		v.TasksTotal += st.Total
		v.TasksDone += st.Done
		v.Standards = append(v.Standards, row)
	}
	v.Timeline = s.timeline(v)
	return v
}

// periodRows lists the periods of a recurring task that have begun by
// asOf; periods still to come have nothing to show yet.
func (s *Site) periodRows(t *standards.TaskStatus, asOf time.Time) []*PeriodRow {
	var out []*PeriodRow
	for i := range t.Periods {
		p := &t.Periods[i]
		if p.Start.After(asOf) {
			break
		}
		out = append(out, &PeriodRow{PeriodStatus: p, Label: s.periodLabel(t.Task.Every, p.Start),
			Status: periodStatus(*p), EvidencePages: s.views1(p.Pages)})
	}
	// The current period is the one holding the as-of day, else (after
	// the last period ended) the last one: the same period whose count
	// the task's evidence reports.
	if n := len(out); n > 0 {
		cur := n - 1
		for i, p := range out {
			if !p.Ended {
				cur = i
				break
			}
		}
		out[cur].Current = true
	}
	return out
}

// periodLabel names the calendar month, quarter or year a period falls in.
// A period clipped by the task's from or to is still that month, quarter
// or year, so it is named by its first day.
func (s *Site) periodLabel(every string, start time.Time) string {
	y, m := start.Year(), int(start.Month())
	switch every {
	case "month":
		return s.translate("period.month", y, m)
	case "quarter":
		q := (m-1)/3 + 1
		// Chinese names quarters in Chinese numerals (第二季度); the
		// language file picks the form it needs.
		return s.translate("period.quarter", y, q, string([]rune("一二三四")[q-1]))
	}
	return s.translate("period.year", y)
}

// StandardStatus returns the status row of a standard page, or nil.
func (p *Page) StandardStatus() *StandardRow {
	if p.Standard == nil || p.Site.Status == nil {
		return nil
	}
	for _, row := range p.Site.Status.Standards {
		if row.StandardStatus.Page == p.Page {
			return row
		}
	}
	return nil
}

// Timeline is the SVG timeline of every deadline, drawn in a fixed
// coordinate space that the SVG scales to its width.
type Timeline struct {
	Width, Height float64
	Left, Right   float64 // the plot's x range
	Top, Bottom   float64 // the plot's y range
	Months        []Tick
	AsOfX         float64
	Rows          []TimelineRow
}

// Tick is a month boundary on the time axis.
type Tick struct {
	X     float64
	Label string
}

// TimelineRow is one standard's lane of deadlines. A lane is as tall as
// its tallest stack of marks, so lanes with year-end piles grow instead of
// drawing marks over one another.
type TimelineRow struct {
	Y      float64 // the lane's middle
	Top    float64 // the lane's upper edge
	Height float64
	// Shaded lanes alternate, so that a tall stack of marks reads as one
	// standard's.
	Shaded bool
	Number int
	Title  string
	Marks  []Mark
}

// Mark is one deadline: a one-off task's due day, or the end of one period
// of a recurring task, drawn with the status it has.
type Mark struct {
	X      float64
	DY     float64 // marks on the same or nearby days are stacked across the lane
	Status string
	Label  string // for the SVG <title>: task, day and status
	Anchor string // the task's row on the status page
}

const (
	timelineRowHeight = 26.0
	timelineLeft      = 64.0
	timelineRight     = 24.0
	timelineTop       = 34.0
	// timelineMarkPitch is the distance between the centres of stacked
	// marks: the 12-unit mark and a gap, so stacked marks never touch.
	timelineMarkPitch = 15.0
)

// timeline lays out every deadline of every standard between the first
// and last month any of them touches, the as-of day included.
func (s *Site) timeline(v *StatusView) *Timeline {
	first, last := v.AsOf, v.AsOf
	widen := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	for _, row := range v.Standards {
		for _, t := range row.Tasks {
			widen(t.Due)
			widen(t.Task.Due)
			for _, p := range t.Periods {
				widen(p.End)
			}
		}
	}
	loc := s.Config.Location
	start := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, loc)
	end := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, loc)
	tl := &Timeline{Width: 960, Left: timelineLeft, Right: 960 - timelineRight, Top: timelineTop}
	span := end.Sub(start).Hours()
	x := func(t time.Time) float64 {
		return tl.Left + (tl.Right-tl.Left)*t.Sub(start).Hours()/span
	}
	for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
		// The year is named where the axis starts and at each January.
		withYear := m.Month() == time.January || m.Equal(start)
		var label string
		switch {
		case s.Config.Language == "en" && withYear:
			label = m.Format("2006 Jan")
		case s.Config.Language == "en":
			label = m.Format("Jan")
		case withYear:
			label = fmt.Sprintf("%d年%d月", m.Year(), m.Month())
		default:
			label = fmt.Sprintf("%d月", m.Month())
		}
		tl.Months = append(tl.Months, Tick{X: x(m), Label: label})
	}
	tl.AsOfX = x(v.AsOf.Add(12 * time.Hour))
	y := tl.Top
	for _, row := range v.Standards {
		tr := TimelineRow{Number: row.Number, Title: row.Title}
		for _, t := range row.Tasks {
			anchor := fmt.Sprintf("task-%d-%s", row.Number, t.Task.ID)
			if len(t.Periods) == 0 {
				if !t.Due.IsZero() {
					tr.Marks = append(tr.Marks, Mark{X: x(t.Due.Add(12 * time.Hour)), Status: string(t.Status), Anchor: anchor,
						Label: fmt.Sprintf("%s · %s · %s", t.Task.Title, s.formatDate(t.Due), s.translate("status."+string(t.Status)))})
				}
				continue
			}
			for _, p := range t.Periods {
				st := periodStatus(p)
				tr.Marks = append(tr.Marks, Mark{X: x(p.End.Add(12 * time.Hour)), Status: st, Anchor: anchor,
					Label: fmt.Sprintf("%s · %s · %s", t.Task.Title, s.formatDate(p.End), s.translate("status."+st))})
			}
		}
		tallest := stack(tr.Marks)
		tr.Height = max(timelineRowHeight, float64(tallest)*timelineMarkPitch+8)
		tr.Y, tr.Top = y+tr.Height/2, y
		tr.Shaded = len(tl.Rows)%2 == 1
		y += tr.Height
		tl.Rows = append(tl.Rows, tr)
	}
	tl.Bottom = y
	tl.Height = tl.Bottom + 30
	return tl
}

// periodStatus is how one period of a recurring task shows on the
// timeline.
func periodStatus(p standards.PeriodStatus) string {
	switch {
	case p.Met:
		return string(standards.Done)
	case p.Ended:
		return string(standards.Overdue)
	}
	return string(standards.Open)
}

// stack sorts a lane's marks by day and stacks across the lane every run of
// marks closer together than a mark is wide (the same day, or days a few
// apart on a year-long axis), centring each stack on the lane. It returns
// the height of the tallest stack in marks. Marks in different runs are at
// least a pitch apart along the axis, and marks in one run a pitch apart
// across it, so no mark covers another.
func stack(marks []Mark) int {
	slices.SortStableFunc(marks, func(a, b Mark) int { return cmp.Compare(a.X, b.X) })
	tallest := 0
	for i := 0; i < len(marks); {
		j := i + 1
		for j < len(marks) && marks[j].X-marks[j-1].X < timelineMarkPitch {
			j++
		}
		n := j - i
		for k := range n {
			marks[i+k].DY = (float64(k) - float64(n-1)/2) * timelineMarkPitch
		}
		tallest = max(tallest, n)
		i = j
	}
	return tallest
}
