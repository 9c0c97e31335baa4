package pdf

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// bookletBook returns the test book of n pages: with the Chinese outline
// when it has the pages for it, since that is what Chromium hands Booklet.
func bookletBook(t *testing.T, n int) []byte {
	if n >= 5 {
		return bookWithOutline(t, n)
	}
	return makeBook(t, n)
}

// TestBookletLayout imposes books and checks the result's pages: how many,
// how large, and (in TestBookletText) what is on which half.
func TestBookletLayout(t *testing.T) {
	for _, n := range []int{8, 12, 6, 1, 3} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			out, err := Booklet(bookletBook(t, n), true)
			if err != nil {
				t.Fatal(err)
			}
			sheets := BookletOrder(n, true)
			info, err := Read(out)
			if err != nil {
				t.Fatal(err)
			}
			if info.Pages != 2*len(sheets) {
				t.Errorf("%d pages, want %d (2 per sheet)", info.Pages, 2*len(sheets))
			}
			for i, s := range info.Sizes {
				// Twice A6 side by side: A5 landscape.
				if s != (Size{595.28, 419.53}) {
					t.Errorf("page %d is %v, want 595.28 × 419.53", i+1, s)
				}
			}
			if len(info.Bookmarks) != 0 {
				t.Errorf("the imposed PDF has an outline: %v", info.Bookmarks)
			}
			if err := api.Validate(bytes.NewReader(out), newConfig(model.VALIDATE)); err != nil {
				t.Errorf("pdfcpu finds the imposed PDF invalid: %v", err)
			}
			checkMatrices(t, out, sheets)
		})
	}
}

var formDraw = regexp.MustCompile(`q ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) cm /(\w+) Do Q`)

// checkMatrices reads the content streams of the imposed PDF: every page of
// the book must be drawn unscaled and unturned, at x = 0 for a left slot
// and x = page width for a right one, y = 0, and nothing for a blank.
func checkMatrices(t *testing.T, out []byte, sheets []Sheet) {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(out), newConfig(model.VALIDATE))
	if err != nil {
		t.Fatal(err)
	}
	pages, err := pageList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pages {
		side := sheets[i/2].Front
		if i%2 == 1 {
			side = sheets[i/2].Back
		}
		var want []float64
		if side.Left != 0 {
			want = append(want, 0)
		}
		if side.Right != 0 {
			want = append(want, a6W)
		}
		d, err := ctx.DereferenceDict(*types.NewIndirectRef(pages[i].obj, 0))
		if err != nil {
			t.Fatal(err)
		}
		content, err := ctx.PageContent(d, i+1)
		if err != nil && len(want) > 0 {
			t.Fatalf("page %d: %v", i+1, err)
		}
		var got []float64
		for _, m := range formDraw.FindAllStringSubmatch(string(content), -1) {
			var v [6]float64
			for k := range v {
				v[k], _ = strconv.ParseFloat(m[k+1], 64)
			}
			if v[0] != 1 || v[1] != 0 || v[2] != 0 || v[3] != 1 || v[5] != 0 {
				t.Errorf("page %d: %s drawn with matrix %v, want 1 0 0 1 x 0", i+1, m[7], v)
			}
			got = append(got, v[4])
		}
		slices.Sort(got)
		if len(got) != len(want) {
			t.Errorf("page %d (%v): pages drawn at x = %v, want %v", i+1, side, got, want)
			continue
		}
		for k := range got {
			// pdfcpu writes matrices with 5 decimals.
			if math.Abs(got[k]-want[k]) > 0.00001 {
				t.Errorf("page %d (%v): pages drawn at x = %v, want %v", i+1, side, got, want)
			}
		}
	}
}

// TestBookletText finds each book page's labels on the imposed sheets with
// pdftotext: on the half BookletOrder puts the page on, exactly where the
// page has them, shifted right by a page width on a right half.
func TestBookletText(t *testing.T) {
	needPdftotext(t)
	for _, n := range []int{8, 12, 6} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			book := bookletBook(t, n)
			out, err := Booklet(book, true)
			if err != nil {
				t.Fatal(err)
			}
			inPages, outPages := textBoxes(t, book), textBoxes(t, out)
			sheets := BookletOrder(n, true)
			if len(outPages) != 2*len(sheets) {
				t.Fatalf("pdftotext sees %d pages, want %d", len(outPages), 2*len(sheets))
			}
			for i, got := range outPages {
				side := sheets[i/2].Front
				name := fmt.Sprintf("sheet %d front", i/2+1)
				if i%2 == 1 {
					side = sheets[i/2].Back
					name = fmt.Sprintf("sheet %d back", i/2+1)
				}
				if math.Abs(got.Width-2*a6W) > 0.01 || math.Abs(got.Height-a6H) > 0.01 {
					t.Errorf("%s is %g × %g", name, got.Width, got.Height)
				}
				// The words the side must show, where it must show them.
				var want []word
				for _, slot := range []struct {
					page int
					dx   float64
				}{{side.Left, 0}, {side.Right, a6W}} {
					if slot.page == 0 {
						continue
					}
					for _, w := range inPages[slot.page-1].Words {
						w.XMin += slot.dx
						w.XMax += slot.dx
						want = append(want, w)
					}
				}
				if !sameWords(got.Words, want) {
					t.Errorf("%s %v:\n got %v\nwant %v", name, side, got.Words, want)
				}
			}
		})
	}
}

// sameWords reports whether a and b hold the same words at the same places,
// in any order, to within pdftotext's rounding.
func sameWords(a, b []word) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
next:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && x.Text == y.Text && near(x.XMin, y.XMin) && near(x.XMax, y.XMax) &&
				near(x.YMin, y.YMin) && near(x.YMax, y.YMax) {
				used[j] = true
				continue next
			}
		}
		return false
	}
	return true
}

func TestBookletError(t *testing.T) {
	if _, err := Booklet([]byte("not a PDF"), true); err == nil {
		t.Error("Booklet of garbage succeeded")
	}
}

// TestBookletFolds imposes books of 4k, 4k+1, 4k+2 and 4k+3 pages, with
// and without a back cover, and leafs through the folded result as read
// by pdftotext: nest the printed sheets (sheet 1 outside), fold, and read
// the right half of each front and the left half of each back going in,
// then the right half of each back and the left half of each front coming
// out. The pages must run 1…n, then only blanks, then the back cover.
func TestBookletFolds(t *testing.T) {
	needPdftotext(t)
	for _, n := range []int{8, 9, 10, 11} {
		for _, back := range []bool{true, false} {
			t.Run(fmt.Sprintf("%d/backCover=%t", n, back), func(t *testing.T) {
				out, err := Booklet(makeBook(t, n), back)
				if err != nil {
					t.Fatal(err)
				}
				read := foldedLabels(t, textBoxes(t, out))
				if len(read) != (n+3)/4*4 {
					t.Fatalf("%d pages folded, want %d", len(read), (n+3)/4*4)
				}
				var want []string
				text := n
				if back {
					text = n - 1
				}
				for k := 1; k <= text; k++ {
					want = append(want, fmt.Sprintf("PAGE-%d", k))
				}
				for len(want) < len(read)-min(n-text, 1) {
					want = append(want, "")
				}
				if back {
					want = append(want, fmt.Sprintf("PAGE-%d", n))
				}
				if !slices.Equal(read, want) {
					t.Errorf("folded, the booklet reads\n %q\nwant\n %q", read, want)
				}
			})
		}
	}
}

// foldedLabels returns the PAGE-k label on each page of the folded booklet
// made of the sheet sides sides (front 1, back 1, front 2, …), "" for a
// blank page, in reading order.
func foldedLabels(t *testing.T, sides []pdfPage) []string {
	t.Helper()
	if len(sides)%2 != 0 {
		t.Fatalf("%d sheet sides: not whole sheets", len(sides))
	}
	half := func(side pdfPage, right bool) string {
		var label []string
		for _, w := range side.Words {
			if (w.XMin >= side.Width/2) == right && strings.HasPrefix(w.Text, "PAGE-") {
				label = append(label, w.Text)
			}
		}
		if len(label) > 1 {
			t.Fatalf("one half page shows %v", label)
		}
		return strings.Join(label, "")
	}
	var in, outward []string
	for s := 0; s < len(sides); s += 2 {
		front, back := sides[s], sides[s+1]
		in = append(in, half(front, true), half(back, false))
		outward = append([]string{half(back, true), half(front, false)}, outward...)
	}
	return append(in, outward...)
}
