package cards

import (
	"fmt"
	"math"
	"testing"

	"lanmu/generator/config"
)

var (
	a4       = config.Size{Width: 210, Height: 297}
	a3       = config.Size{Width: 297, Height: 420}
	bankCard = config.Size{Width: 85, Height: 54}
)

// near compares lengths rounded to a hundredth of a millimetre.
func near(a, b float64) bool { return math.Abs(a-b) < 0.011 }

// TestGridFitsTheSheet checks, for several sheets and cards, that the grid
// stays inside the printer's 8 mm edge with its bleed, that no card's
// bleed reaches a neighbour's, that the grid is centred, and that one more
// column or row would not have fitted.
func TestGridFitsTheSheet(t *testing.T) {
	for _, tc := range []struct {
		sheet, card config.Size
		bleed       float64
		cols, rows  int
	}{
		{a4, bankCard, 2, 2, 4},
		{a3, bankCard, 3, 2, 6},
		{a4, config.Size{Width: 105, Height: 148}, 0, 1, 1},
		{a4, config.Size{Width: 60, Height: 40}, 2, 2, 5},
	} {
		l := NewLayout(tc.sheet, tc.card, tc.bleed, "long")
		name := fmt.Sprintf("%v cards of %v, bleed %g", tc.sheet, tc.card, tc.bleed)
		if l.Cols != tc.cols || l.Rows != tc.rows || l.PerSheet() != tc.cols*tc.rows {
			t.Errorf("%s: %d × %d, want %d × %d", name, l.Cols, l.Rows, tc.cols, tc.rows)
		}
		if l.Gutter < 2*tc.bleed+2*l.Mark {
			t.Errorf("%s: a gutter of %g mm has no room for two bleeds and the marks", name, l.Gutter)
		}
		sides, _ := Impose(l, make([]int, l.PerSheet()), func(int) int { return 0 })
		front := sides[0].Slots
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for i, a := range front {
			minX, minY = min(minX, a.X-tc.bleed), min(minY, a.Y-tc.bleed)
			maxX, maxY = max(maxX, a.X+tc.card.Width+tc.bleed), max(maxY, a.Y+tc.card.Height+tc.bleed)
			for _, b := range front[i+1:] {
				apartX := a.X+tc.card.Width+tc.bleed <= b.X-tc.bleed+0.01 || b.X+tc.card.Width+tc.bleed <= a.X-tc.bleed+0.01
				apartY := a.Y+tc.card.Height+tc.bleed <= b.Y-tc.bleed+0.01 || b.Y+tc.card.Height+tc.bleed <= a.Y-tc.bleed+0.01
				if !apartX && !apartY {
					t.Errorf("%s: the bleeds of %s and %s overlap", name, a.Code, b.Code)
				}
			}
		}
		if minX < 8-0.01 || minY < 8-0.01 || maxX > tc.sheet.Width-8+0.01 || maxY > tc.sheet.Height-8+0.01 {
			t.Errorf("%s: the cards and their bleed span %.2f..%.2f × %.2f..%.2f, outside the printable area", name, minX, maxX, minY, maxY)
		}
		if !near(minX, tc.sheet.Width-maxX) || !near(minY, tc.sheet.Height-maxY) {
			t.Errorf("%s: the grid is not centred: margins %.2f/%.2f and %.2f/%.2f", name, minX, tc.sheet.Width-maxX, minY, tc.sheet.Height-maxY)
		}
		wider := float64(l.Cols+1)*tc.card.Width + float64(l.Cols)*l.Gutter
		taller := float64(l.Rows+1)*tc.card.Height + float64(l.Rows)*l.Gutter
		if tc.cols > 1 && wider <= tc.sheet.Width-16 || tc.rows > 1 && taller <= tc.sheet.Height-16 {
			t.Errorf("%s: another column or row would have fitted", name)
		}
	}
}

// TestBacksLandBehindFronts turns every front over, as a duplex printer
// does, and checks that its back is there: turned over the long edge of
// a portrait sheet, a point at x comes back at width - x; over the short
// edge, a point at y comes back at height - y.
func TestBacksLandBehindFronts(t *testing.T) {
	for _, duplex := range []string{"long", "short"} {
		l := NewLayout(a4, bankCard, 2, duplex)
		deck := make([]string, 19) // two full sheets and three cards
		for i := range deck {
			deck[i] = fmt.Sprint("card ", i)
		}
		sides, _ := Impose(l, deck, func(string) int { return 10 })
		if len(sides) != 6 {
			t.Fatalf("%s: %d sides for 19 cards at 8 a sheet, want 6", duplex, len(sides))
		}
		seen := 0
		for i := 0; i < len(sides); i += 2 {
			front, back := sides[i], sides[i+1]
			if front.Back || !back.Back || front.Number != i/2+1 || back.Number != front.Number {
				t.Errorf("%s: sides %d and %d are not the front and back of sheet %d", duplex, i, i+1, i/2+1)
			}
			if len(front.Slots) != len(back.Slots) {
				t.Fatalf("%s: sheet %d has %d fronts and %d backs", duplex, front.Number, len(front.Slots), len(back.Slots))
			}
			for j, f := range front.Slots {
				b := back.Slots[j]
				if b.Card != f.Card || b.Code != f.Code || f.Code != fmt.Sprintf("C-%02d", seen+1) || f.Card != deck[seen] {
					t.Errorf("%s: slot %d of sheet %d: front %s %q, back %s %q", duplex, j, front.Number, f.Code, f.Card, b.Code, b.Card)
				}
				wantX, wantY := a4.Width-f.X-bankCard.Width, f.Y
				if duplex == "short" {
					wantX, wantY = f.X, a4.Height-f.Y-bankCard.Height
				}
				if !near(b.X, wantX) || !near(b.Y, wantY) {
					t.Errorf("%s: %s's front at (%.2f, %.2f) has its back at (%.2f, %.2f), want (%.2f, %.2f)", duplex, f.Code, f.X, f.Y, b.X, b.Y, wantX, wantY)
				}
				if f.Fit != Normal {
					t.Errorf("%s: the front of %s is set %s", duplex, f.Code, f.Fit)
				}
				seen++
			}
		}
		if seen != len(deck) {
			t.Errorf("%s: %d cards laid out, want %d", duplex, seen, len(deck))
		}
	}
}

// TestCropMarksStayClearOfTheCards checks that every trim edge has its
// marks, that no mark touches a card or its bleed, and that every mark
// lies on the sheet.
func TestCropMarksStayClearOfTheCards(t *testing.T) {
	l := NewLayout(a4, bankCard, 2, "long")
	sides, _ := Impose(l, make([]int, l.PerSheet()), func(int) int { return 0 })
	marks := l.CropMarks()
	for _, m := range marks {
		if m.X1 < 0 || m.Y1 < 0 || m.X2 > a4.Width || m.Y2 > a4.Height || (m.X1 != m.X2 && m.Y1 != m.Y2) {
			t.Errorf("mark %v is off the sheet or not straight", m)
		}
		for _, s := range sides[0].Slots {
			x0, y0 := s.X-l.Bleed, s.Y-l.Bleed
			x1, y1 := s.X+bankCard.Width+l.Bleed, s.Y+bankCard.Height+l.Bleed
			if max(m.X1, x0) < min(m.X2, x1)+0.01 && max(m.Y1, y0) < min(m.Y2, y1)+0.01 {
				t.Errorf("mark %v touches %s's bleed", m, s.Code)
			}
		}
	}
	// Every card edge continues, across the bands around the grid, as
	// marks on the same line.
	for _, s := range sides[0].Slots {
		for _, edge := range []struct {
			vertical bool
			at       float64
		}{{true, s.X}, {true, s.X + bankCard.Width}, {false, s.Y}, {false, s.Y + bankCard.Height}} {
			n := 0
			for _, m := range marks {
				if edge.vertical && m.X1 == m.X2 && near(m.X1, edge.at) || !edge.vertical && m.Y1 == m.Y2 && near(m.Y1, edge.at) {
					n++
				}
			}
			if want := l.Rows + 1; edge.vertical && n != want {
				t.Errorf("%s: %d marks on the vertical trim line at %.2f, want %d", s.Code, n, edge.at, want)
			}
			if want := l.Cols + 1; !edge.vertical && n != want {
				t.Errorf("%s: %d marks on the horizontal trim line at %.2f, want %d", s.Code, n, edge.at, want)
			}
		}
	}
}

// TestLongAnswersShrinkThenAreFlagged sets answers of growing length on a
// bank card and on a card of twice its area.
func TestLongAnswersShrinkThenAreFlagged(t *testing.T) {
	for _, tc := range []struct {
		n    int
		card config.Size
		want Fit
	}{
		{0, bankCard, Normal}, {90, bankCard, Normal}, {91, bankCard, Small}, {140, bankCard, Small},
		{141, bankCard, Smaller}, {200, bankCard, Smaller}, {201, bankCard, TooLong},
		{180, config.Size{Width: 170, Height: 54}, Normal}, {400, config.Size{Width: 170, Height: 54}, Smaller},
	} {
		if got := FitFor(tc.n, tc.card, 0); got != tc.want {
			t.Errorf("%d characters on %v: %s, want %s", tc.n, tc.card, got, tc.want)
		}
	}
	// A 15 mm QR code takes about a twelfth of a bank card's answer: 82
	// characters still fit, 85 no longer do.
	if got := FitFor(82, bankCard, 15); got != Normal {
		t.Errorf("82 characters beside a QR code: %s", got)
	}
	if got := FitFor(85, bankCard, 15); got != Small {
		t.Errorf("85 characters beside a QR code: %s", got)
	}
	l := NewLayout(a4, bankCard, 2, "long")
	lengths := map[string]int{"short": 20, "long": 150, "endless": 500, "also endless": 201}
	deck := []string{"short", "endless", "long", "also endless"}
	sides, tooLong := Impose(l, deck, func(c string) int { return lengths[c] })
	if fmt.Sprint(tooLong) != "[endless also endless]" {
		t.Errorf("too long: %q, want the two endless answers in print order", tooLong)
	}
	for _, s := range sides[1].Slots {
		if want := FitFor(lengths[s.Card], bankCard, 0); s.Fit != want {
			t.Errorf("the back of %q is set %s, want %s", s.Card, s.Fit, want)
		}
	}
}
