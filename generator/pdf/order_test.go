package pdf

import (
	"fmt"
	"reflect"
	"testing"
)

func TestBookletOrderTables(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want []Sheet
	}{
		{8, []Sheet{
			{Front: Side{8, 1}, Back: Side{2, 7}},
			{Front: Side{6, 3}, Back: Side{4, 5}},
		}},
		{12, []Sheet{
			{Front: Side{12, 1}, Back: Side{2, 11}},
			{Front: Side{10, 3}, Back: Side{4, 9}},
			{Front: Side{8, 5}, Back: Side{6, 7}},
		}},
		// Padded to 8 as [1 2 3 4 5 0 0 6]: the back cover stays outside.
		{6, []Sheet{
			{Front: Side{6, 1}, Back: Side{2, 0}},
			{Front: Side{0, 3}, Back: Side{4, 5}},
		}},
		{1, []Sheet{{Front: Side{0, 1}, Back: Side{0, 0}}}},
		{2, []Sheet{{Front: Side{2, 1}, Back: Side{0, 0}}}},
		{5, []Sheet{
			{Front: Side{5, 1}, Back: Side{2, 0}},
			{Front: Side{0, 3}, Back: Side{4, 0}},
		}},
	} {
		if got := BookletOrder(tc.n, true); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("BookletOrder(%d, true) = %v, want %v", tc.n, got, tc.want)
		}
	}
	// Without a back cover the text runs on and the blanks close the book.
	for _, tc := range []struct {
		n    int
		want []Sheet
	}{
		{6, []Sheet{
			{Front: Side{0, 1}, Back: Side{2, 0}},
			{Front: Side{6, 3}, Back: Side{4, 5}},
		}},
		{5, []Sheet{
			{Front: Side{0, 1}, Back: Side{2, 0}},
			{Front: Side{0, 3}, Back: Side{4, 5}},
		}},
		{8, []Sheet{
			{Front: Side{8, 1}, Back: Side{2, 7}},
			{Front: Side{6, 3}, Back: Side{4, 5}},
		}},
	} {
		if got := BookletOrder(tc.n, false); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("BookletOrder(%d, false) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

func TestPaddedOrderTables(t *testing.T) {
	for n, want := range map[int][]int{
		1: {1, 0, 0, 0},
		2: {1, 0, 0, 2},
		3: {1, 2, 0, 3},
		4: {1, 2, 3, 4},
		5: {1, 2, 3, 4, 0, 0, 0, 5},
		6: {1, 2, 3, 4, 5, 0, 0, 6},
		8: {1, 2, 3, 4, 5, 6, 7, 8},
	} {
		if got := PaddedOrder(n, true); !reflect.DeepEqual(got, want) {
			t.Errorf("PaddedOrder(%d, true) = %v, want %v", n, got, want)
		}
	}
	for n, want := range map[int][]int{
		1: {1, 0, 0, 0},
		2: {1, 2, 0, 0},
		3: {1, 2, 3, 0},
		6: {1, 2, 3, 4, 5, 6, 0, 0},
		8: {1, 2, 3, 4, 5, 6, 7, 8},
	} {
		if got := PaddedOrder(n, false); !reflect.DeepEqual(got, want) {
			t.Errorf("PaddedOrder(%d, false) = %v, want %v", n, got, want)
		}
	}
	for _, n := range []int{0, -1} {
		for _, back := range []bool{true, false} {
			if got := PaddedOrder(n, back); got != nil {
				t.Errorf("PaddedOrder(%d, %t) = %v, want nil", n, back, got)
			}
			if got := BookletOrder(n, back); got != nil {
				t.Errorf("BookletOrder(%d, %t) = %v, want nil", n, back, got)
			}
		}
	}
}

// TestBookletOrderProperties checks every book size a pocket book is likely
// to have against what saddle stitching needs.
func TestBookletOrderProperties(t *testing.T) {
	for _, back := range []bool{true, false} {
		t.Run(fmt.Sprintf("backCover=%t", back), func(t *testing.T) { checkBookletOrder(t, back) })
	}
}

func checkBookletOrder(t *testing.T, back bool) {
	for n := 1; n <= 40; n++ {
		padded := PaddedOrder(n, back)
		N := len(padded)
		sheets := BookletOrder(n, back)
		// The page kept on the outside of the booklet, 0 for none.
		backCover := 0
		if back && n > 1 {
			backCover = n
		}

		// Padded to the next multiple of 4, and no further.
		if N%4 != 0 || N < n || N-n >= 4 {
			t.Errorf("n=%d: padded to %d pages", n, N)
			continue
		}
		if len(sheets) != N/4 {
			t.Errorf("n=%d: %d sheets, want %d", n, len(sheets), N/4)
			continue
		}

		// The book's pages keep their places, blanks only after the text
		// and before the back cover, which stays last.
		for i, p := range padded {
			pos := i + 1
			var want int
			switch {
			case backCover != 0 && pos == N:
				want = n
			case backCover != 0 && pos < n, backCover == 0 && pos <= n:
				want = pos
			}
			if p != want {
				t.Errorf("n=%d: padded page %d is page %d, want %d (%v)", n, pos, p, want, padded)
				break
			}
		}

		// Every page exactly once, blanks making up the rest.
		seen := make(map[int]int)
		for _, s := range sheets {
			for _, p := range []int{s.Front.Left, s.Front.Right, s.Back.Left, s.Back.Right} {
				seen[p]++
			}
		}
		for p := 1; p <= n; p++ {
			if seen[p] != 1 {
				t.Errorf("n=%d: page %d is printed %d times", n, p, seen[p])
			}
		}
		if seen[0] != N-n || len(seen) != n+min(N-n, 1) {
			t.Errorf("n=%d: slots %v, want pages 1..%d and %d blanks", n, seen, n, N-n)
		}

		// The outside of the booklet: front cover on the right, back cover
		// on the left, or the last page when the book fills its sheets.
		first := sheets[0].Front
		if first.Right != 1 {
			t.Errorf("n=%d: first sheet's front right is %d, want 1", n, first.Right)
		}
		if N == n {
			backCover = n
		}
		if first.Left != backCover {
			t.Errorf("n=%d: first sheet's front left is %d, want %d", n, first.Left, backCover)
		}

		// Folding, on the padded book's numbering: facing slots of a side
		// are mirror pages, and turning the sheet over its short edge puts
		// the next page behind each page.
		ps := paddedSheets(N)
		for i, s := range ps {
			if s.Front.Left+s.Front.Right != N+1 || s.Back.Left+s.Back.Right != N+1 {
				t.Errorf("n=%d: sheet %d %v does not fold: sides must add up to %d", n, i+1, s, N+1)
			}
			if s.Back.Left != s.Front.Right+1 || s.Back.Right != s.Front.Left-1 {
				t.Errorf("n=%d: sheet %d %v: the back is not behind the front", n, i+1, s)
			}
			orig := Sheet{
				Front: Side{padded[s.Front.Left-1], padded[s.Front.Right-1]},
				Back:  Side{padded[s.Back.Left-1], padded[s.Back.Right-1]},
			}
			if orig != sheets[i] {
				t.Errorf("n=%d: sheet %d is %v, the padded sheet %v maps to %v", n, i+1, sheets[i], s, orig)
			}
		}

		// And the whole thing, by hand: nest the sheets (sheet 1 outside),
		// fold, and leaf through. The first half of the booklet is the
		// right of each front then the left of each back, going in; the
		// second half the right of each back then the left of each front,
		// coming out.
		var read []int
		for _, s := range sheets {
			read = append(read, s.Front.Right, s.Back.Left)
		}
		for i := len(sheets) - 1; i >= 0; i-- {
			read = append(read, sheets[i].Back.Right, sheets[i].Front.Left)
		}
		if !reflect.DeepEqual(read, padded) {
			t.Errorf("n=%d: the folded booklet reads %v, want %v", n, read, padded)
		}
	}
}
