package build

import (
	"fmt"
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
			row.Tasks = append(row.Tasks, tr)
		}
		v.TasksTotal += st.Total
		v.TasksDone += st.Done
		v.Standards = append(v.Standards, row)
	}
	v.Timeline = s.timeline(v)
	return v
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

// TimelineRow is one standard's line of deadlines.
type TimelineRow struct {
	Y      float64
	Number int
	Title  string
	Marks  []Mark
}

// Mark is one deadline: a one-off task's due day, or the end of one period
// of a recurring task, drawn with the status it has.
type Mark struct {
	X      float64
	DX, DY float64 // marks falling on one day are set in a small grid
	Status string
	Label  string // for the SVG <title>: task, day and status
	Anchor string // the task's row on the status page
}

const (
	timelineRowHeight = 26.0
	timelineLeft      = 64.0
	timelineRight     = 24.0
	timelineTop       = 34.0
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
	for i, row := range v.Standards {
		tr := TimelineRow{Y: tl.Top + timelineRowHeight*(float64(i)+0.5), Number: row.Number, Title: row.Title}
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
		stack(tr.Marks)
		tl.Rows = append(tl.Rows, tr)
	}
	tl.Bottom = tl.Top + timelineRowHeight*float64(len(v.Standards))
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

// stack sets marks that fall on the same day of one row in a grid of three
// rows within the lane, growing leftwards (into the time before the
// deadline), so none hides another.
func stack(marks []Mark) {
	seen := map[float64]int{}
	for i := range marks {
		k := seen[marks[i].X]
		seen[marks[i].X]++
		marks[i].DY = float64(k%3-1) * 7
		if k < 3 {
			marks[i].DY = []float64{0, -7, 7}[k]
		}
		marks[i].DX = -float64(k/3) * 8
	}
}
