// Package timeline lays deadlines out on the status page's SVG timeline:
// the time axis from the first to the last month any deadline touches,
// its month ticks, one lane per standard, and marks on nearby days stacked
// across their lane so that none covers another. It is geometry only: the
// build gives it the days, statuses and words to show, in the site's
// language, and templates draw what it returns.
package timeline

import (
	"cmp"
	"slices"
	"time"
)

// Timeline is the laid-out timeline, in a fixed coordinate space that the
// SVG scales to its width.
type Timeline struct {
	Width, Height float64
	Left, Right   float64 // the plot's x range
	Top, Bottom   float64 // the plot's y range
	Months        []Tick
	AsOfX         float64
	Rows          []Row
}

// Tick is a month boundary on the time axis.
type Tick struct {
	X     float64
	Label string
}

// Row is one standard's lane of deadlines. A lane is as tall as its
// tallest stack of marks, so lanes with year-end piles grow instead of
// drawing marks over one another.
type Row struct {
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

// Lane is what the build knows of one standard's deadlines.
type Lane struct {
	Number    int
	Title     string
	Deadlines []Deadline
}

// Deadline is one mark to place: Day is the deadline's day at midnight in
// the site's zone; the mark sits at its noon, in the middle of the day.
type Deadline struct {
	Day    time.Time
	Status string
	Label  string
	Anchor string
}

// Input is everything the layout needs.
type Input struct {
	// AsOf is the day the status is for; the axis always shows it.
	AsOf time.Time
	// Extent are further days the axis must reach, beyond the deadlines'
	// own (a task's due day that has no mark of its own, for example);
	// zero days are ignored.
	Extent   []time.Time
	Lanes    []Lane
	Location *time.Location
	// MonthLabel names a month on the axis; withYear is set where the
	// axis starts and at each January, where the year must be named.
	MonthLabel func(month time.Time, withYear bool) string
}

const (
	width     = 960.0
	rowHeight = 26.0
	left      = 64.0
	right     = 24.0
	top       = 34.0
	// MarkPitch is the distance between the centres of stacked marks:
	// the 12-unit mark and a gap, so stacked marks never touch.
	MarkPitch = 15.0
)

// Layout lays out every deadline of every lane between the first and last
// month any of them touches, the as-of day included.
func Layout(in Input) *Timeline {
	first, last := in.AsOf, in.AsOf
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
	for _, t := range in.Extent {
		widen(t)
	}
	for _, lane := range in.Lanes {
		for _, d := range lane.Deadlines {
			widen(d.Day)
		}
	}
	loc := in.Location
	start := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, loc)
	end := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, loc)
	tl := &Timeline{Width: width, Left: left, Right: width - right, Top: top}
	span := end.Sub(start).Hours()
	x := func(t time.Time) float64 {
		return tl.Left + (tl.Right-tl.Left)*t.Sub(start).Hours()/span
	}
	for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
		withYear := m.Month() == time.January || m.Equal(start)
		tl.Months = append(tl.Months, Tick{X: x(m), Label: in.MonthLabel(m, withYear)})
	}
	tl.AsOfX = x(in.AsOf.Add(12 * time.Hour))
	y := tl.Top
	for _, lane := range in.Lanes {
		row := Row{Number: lane.Number, Title: lane.Title}
		for _, d := range lane.Deadlines {
			row.Marks = append(row.Marks, Mark{X: x(d.Day.Add(12 * time.Hour)), Status: d.Status, Label: d.Label, Anchor: d.Anchor})
		}
		tallest := stack(row.Marks)
		row.Height = max(rowHeight, float64(tallest)*MarkPitch+8)
		row.Y, row.Top = y+row.Height/2, y
		row.Shaded = len(tl.Rows)%2 == 1
		y += row.Height
		tl.Rows = append(tl.Rows, row)
	}
	tl.Bottom = y
	tl.Height = tl.Bottom + 30
	return tl
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
		for j < len(marks) && marks[j].X-marks[j-1].X < MarkPitch {
			j++
		}
		n := j - i
		for k := range n {
			marks[i+k].DY = (float64(k) - float64(n-1)/2) * MarkPitch
		}
		tallest = max(tallest, n)
		i = j
	}
	return tallest
}
