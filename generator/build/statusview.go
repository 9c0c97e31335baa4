package build

import (
	"fmt"
	"time"

	"lanmu/generator/standards"
	"lanmu/generator/timeline"
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
	Timeline   *timeline.Timeline
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
	v.Timeline = s.layoutTimeline(v)
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
			Status: periodStatus(*p), EvidencePages: s.views1(p.Pages), Current: i == t.Current})
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
	p.r.read(readStatusRow, p.Path)
	return p.r.statusRow(p.standardStatus())
}

func (p *Page) standardStatus() *StandardRow {
	if p.Standard == nil || p.Site.status == nil {
		return nil
	}
	for _, row := range p.Site.status.Standards {
		if row.StandardStatus.Page == p.Page {
			return row
		}
	}
	return nil
}

// layoutTimeline hands every deadline of every standard, with the words to show
// for it, to the timeline's layout.
func (s *Site) layoutTimeline(v *StatusView) *timeline.Timeline {
	in := timeline.Input{AsOf: v.AsOf, Location: s.Config.Location, MonthLabel: s.monthLabel}
	for _, row := range v.Standards {
		lane := timeline.Lane{Number: row.Number, Title: row.Title}
		for _, t := range row.Tasks {
			in.Extent = append(in.Extent, t.Due, t.Task.Due)
			for _, p := range t.Periods {
				in.Extent = append(in.Extent, p.End)
			}
			anchor := fmt.Sprintf("task-%d-%s", row.Number, t.Task.ID)
			if len(t.Periods) == 0 {
				if !t.Due.IsZero() {
					lane.Deadlines = append(lane.Deadlines, timeline.Deadline{Day: t.Due, Status: string(t.Status), Anchor: anchor,
						Label: fmt.Sprintf("%s · %s · %s", t.Task.Title, s.formatDate(t.Due), s.translate("status."+string(t.Status)))})
				}
				continue
			}
			for _, p := range t.Periods {
				st := periodStatus(p)
				lane.Deadlines = append(lane.Deadlines, timeline.Deadline{Day: p.End, Status: st, Anchor: anchor,
					Label: fmt.Sprintf("%s · %s · %s", t.Task.Title, s.formatDate(p.End), s.translate("status."+st))})
			}
		}
		in.Lanes = append(in.Lanes, lane)
	}
	return timeline.Layout(in)
}

// monthLabel names a month on the timeline's axis in the site's language.
func (s *Site) monthLabel(m time.Time, withYear bool) string {
	switch {
	case s.Config.Language == "en" && withYear:
		return m.Format("2006 Jan")
	case s.Config.Language == "en":
		return m.Format("Jan")
	case withYear:
		return fmt.Sprintf("%d年%d月", m.Year(), m.Month())
	}
	return fmt.Sprintf("%d月", m.Month())
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
