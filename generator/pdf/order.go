package pdf

// Side is one side of a printed sheet: two book pages next to each other.
// Left and Right are 1-based page numbers of the original book; 0 is a blank
// slot.
type Side struct{ Left, Right int }

// Sheet is one sheet of paper of a saddle-stitched booklet, printed on both
// sides.
type Sheet struct{ Front, Back Side }

// BookletOrder returns, for a book of n pages (n >= 1), the imposition for
// saddle stitching. The page count is padded to a multiple of 4 with blank
// pages (see PaddedOrder), and sheet
// s = 1..N/4 of the padded book of N pages carries
//
//	front: [N−2s+2 | 2s−1]    back: [2s | N−2s+1]    (left | right)
//
// with the padded page numbers mapped back to the original book's, 0 for a
// blank. Sheet 1 is the outermost: its front holds the last page of the
// padded book (left: the back cover, when the book has one) and the front
// cover (right). Printed double-sided with the sheet turned over
// its short edge, the back of each half is the next page in reading order,
// so the stacked, folded and stapled sheets read 1, 2, …, n.
//
// BookletOrder returns nil for n < 1.
func BookletOrder(n int, backCover bool) []Sheet {
	if n < 1 {
		return nil
	}
	padded := PaddedOrder(n, backCover)
	sheets := paddedSheets(len(padded))
	// orig maps a padded page number (1-based) to the original book's.
	orig := func(p int) int { return padded[p-1] }
	for i, s := range sheets {
		sheets[i] = Sheet{
			Front: Side{Left: orig(s.Front.Left), Right: orig(s.Front.Right)},
			Back:  Side{Left: orig(s.Back.Left), Right: orig(s.Back.Right)},
		}
	}
	return sheets
}

// paddedSheets is the imposition of a book of N pages, N a multiple of 4, in
// the book's own page numbers: the formula of BookletOrder before blanks are
// mapped. It is kept apart so that tests can check the folding arithmetic
// (the two pages of a side add up to N+1) on the numbering it holds for.
func paddedSheets(N int) []Sheet {
	sheets := make([]Sheet, N/4)
	for i := range sheets {
		s := i + 1
		sheets[i] = Sheet{
			Front: Side{Left: N - 2*s + 2, Right: 2*s - 1},
			Back:  Side{Left: 2 * s, Right: N - 2*s + 1},
		}
	}
	return sheets
}

// PaddedOrder maps the pages 1..N of the padded book (N = n rounded up to a
// multiple of 4) to the pages of the original book of n pages, 0 for a
// blank: element i is the original page printed as padded page i+1.
//
// Blank pages follow the text. When backCover is true, the book's last
// page is its back cover (封底), which must stay on the outside of the
// booklet, so the blanks go between the last page of text and it: for
// n = 6, N = 8, it is [1 2 3 4 5 0 0 6]. Without one, the last page is
// text and the blanks come after it: [1 2 3 4 5 6 0 0]; moving it to the
// outside would put the end of the text on the back of the booklet, after
// blank pages. A single page is a cover and nothing else: [1 0 0 0].
//
// Only the caller knows whether the last page is a back cover (the
// printer asks the page it prints), so it is told, never guessed.
//
// PaddedOrder returns nil for n < 1.
func PaddedOrder(n int, backCover bool) []int {
	if n < 1 {
		return nil
	}
	N := (n + 3) / 4 * 4
	order := make([]int, N)
	text := n // pages before the blanks
	if backCover && n > 1 {
		text = n - 1
		order[N-1] = n
	}
	for p := 1; p <= text; p++ {
		order[p-1] = p
	}
	return order
}
