package pdf

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
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
			out, err := Booklet(bookletBook(t, n))
			if err != nil {
				t.Fatal(err)
			}
			sheets := BookletOrder(n)
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
			out, err := Booklet(book)
			if err != nil {
				t.Fatal(err)
			}
			inPages, outPages := textBoxes(t, book), textBoxes(t, out)
			sheets := BookletOrder(n)
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
	if _, err := Booklet([]byte("not a PDF")); err == nil {
		t.Error("Booklet of garbage succeeded")
	}
}
