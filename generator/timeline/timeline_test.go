package timeline

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// checkLanes checks in the SVG's own units that no two 12-unit marks of a
// lane overlap, that every mark stays inside its lane, and that each lane
// starts where the one above it ends.
func checkLanes(t *testing.T, name string, rows []Row) {
	t.Helper()
	for i, r := range rows {
		for j, a := range r.Marks {
			if top, bottom := r.Y+a.DY-6, r.Y+a.DY+6; top < r.Top || bottom > r.Top+r.Height {
				t.Errorf("%s, lane %d: a mark at %.1f..%.1f leaves its lane %.1f..%.1f", name, r.Number, top, bottom, r.Top, r.Top+r.Height)
			}
			for _, b := range r.Marks[j+1:] {
				if dx, dy := a.X-b.X, a.DY-b.DY; dx*dx < 144 && dy*dy < 144 {
					t.Errorf("%s, lane %d: marks %q and %q overlap", name, r.Number, a.Label, b.Label)
				}
			}
		}
		if i > 0 && r.Top != rows[i-1].Top+rows[i-1].Height {
			t.Errorf("%s: lane %d starts at %.1f, not where lane %d ends", name, r.Number, r.Top, rows[i-1].Number)
		}
	}
}

// TestCrowdedLanesStack gives a lane six deadlines on one day and three a
// few units on, a run of nine that must stack into a lane nine marks tall,
// and marks far apart that stay on the lane's middle.
func TestCrowdedLanesStack(t *testing.T) {
	marks := make([]Mark, 0, 12)
	for i := range 6 {
		marks = append(marks, Mark{X: 500, Label: fmt.Sprint("same day ", i)})
	}
	for i := range 3 {
		marks = append(marks, Mark{X: 505 + 4*float64(i), Label: fmt.Sprint("nearby ", i)})
	}
	marks = append(marks, Mark{X: 100, Label: "alone"}, Mark{X: 800, Label: "alone too"}, Mark{X: 811, Label: "close to it"})
	tallest := stack(marks)
	if tallest != 9 {
		t.Errorf("the tallest stack is %d marks, want 9", tallest)
	}
	for _, m := range marks {
		if m.Label == "alone" && m.DY != 0 {
			t.Errorf("a mark with no neighbour is moved %.1f off the lane's middle", m.DY)
		}
	}
	h := float64(tallest)*MarkPitch + 8
	checkLanes(t, "crowded", []Row{{Y: h / 2, Height: h, Marks: marks}})
}

// TestAxisAndLanes lays out three lanes around an as-of day and checks the
// axis against dates worked out here: it runs from the first day of the
// earliest month touched to the first day after the latest, ticks every
// month with the year named at the start and at January, and puts each
// mark and the as-of line at noon of its day, in proportion.
func TestAxisAndLanes(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	asOf := day(2016, 7, 15)
	var lanes []Lane
	for n, days := range [][]time.Time{
		{day(2016, 5, 31), day(2016, 12, 31), day(2016, 12, 31), day(2016, 12, 30)},
		{},
		{day(2017, 1, 10)},
	} {
		lane := Lane{Number: n + 1, Title: fmt.Sprint("standard ", n+1)}
		for i, d := range days {
			lane.Deadlines = append(lane.Deadlines, Deadline{Day: d, Status: "open", Label: fmt.Sprint(n+1, "/", i), Anchor: fmt.Sprint("task-", n+1)})
		}
		lanes = append(lanes, lane)
	}
	tl := Layout(Input{
		AsOf:     asOf,
		Extent:   []time.Time{{}, day(2016, 3, 20)}, // a due day without a mark; a zero day
		Lanes:    lanes,
		Location: loc,
		MonthLabel: func(m time.Time, withYear bool) string {
			if withYear {
				return m.Format("2006-01")
			}
			return m.Format("01")
		},
	})
	start, end := day(2016, 3, 1), day(2017, 2, 1)
	x := func(t time.Time) float64 {
		return tl.Left + (tl.Right-tl.Left)*float64(t.Sub(start))/float64(end.Sub(start))
	}
	var labels []string
	for i, m := range tl.Months {
		labels = append(labels, m.Label)
		if want := x(start.AddDate(0, i, 0)); math.Abs(m.X-want) > 1e-9 {
			t.Errorf("tick %s at %.3f, want %.3f", m.Label, m.X, want)
		}
	}
	if got := fmt.Sprint(labels); got != "[2016-03 04 05 06 07 08 09 10 11 12 2017-01]" {
		t.Errorf("month ticks %s", got)
	}
	if want := x(asOf.Add(12 * time.Hour)); math.Abs(tl.AsOfX-want) > 1e-9 {
		t.Errorf("the as-of line at %.3f, want %.3f", tl.AsOfX, want)
	}
	if len(tl.Rows) != 3 || tl.Rows[0].Top != tl.Top || tl.Bottom != tl.Rows[2].Top+tl.Rows[2].Height || tl.Height <= tl.Bottom {
		t.Fatalf("lanes %+v between %.1f and %.1f, height %.1f", tl.Rows, tl.Top, tl.Bottom, tl.Height)
	}
	for i, r := range tl.Rows {
		if r.Shaded != (i%2 == 1) || r.Number != i+1 || r.Y != r.Top+r.Height/2 {
			t.Errorf("lane %d: %+v", i+1, r)
		}
		for _, m := range r.Marks {
			var d time.Time
			for _, dl := range lanes[i].Deadlines {
				if dl.Label == m.Label {
					d = dl.Day
				}
			}
			if want := x(d.Add(12 * time.Hour)); math.Abs(m.X-want) > 1e-9 || m.Status != "open" || m.Anchor != fmt.Sprint("task-", i+1) {
				t.Errorf("mark %s at %.3f (%s, %s), want %.3f", m.Label, m.X, m.Status, m.Anchor, want)
			}
		}
	}
	// Three marks within two days of each other at year's end make the
	// first lane three marks tall; a lane with no mark keeps the least
	// height.
	if r := tl.Rows[0]; r.Height != 3*MarkPitch+8 {
		t.Errorf("the first lane is %.1f tall, want %.1f", r.Height, 3*MarkPitch+8)
	}
	if r := tl.Rows[1]; r.Height != rowHeight || len(r.Marks) != 0 {
		t.Errorf("the empty lane is %.1f tall with %d marks", r.Height, len(r.Marks))
	}
	checkLanes(t, "three lanes", tl.Rows)
}
