package pdf

import (
	"bytes"
	"fmt"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Info is what tests and the printer need to know about a PDF.
type Info struct {
	Pages     int
	Sizes     []Size     // per page, in points, as displayed, rounded to 0.01 pt
	Bookmarks []Bookmark // the outline, flattened in document order
}

// Size is the width and height of a page in points (1/72 in).
type Size struct{ Width, Height float64 }

// Bookmark is one item of a PDF's outline. Page is the 1-based page it
// leads to, or 0 when it leads nowhere in the document (a web link, a
// destination that does not resolve). Level is the depth in the outline,
// 1 for the top.
type Bookmark struct {
	Title string
	Page  int
	Level int
}

// Read returns the page count, the page sizes and the outline of a PDF.
//
// A page's size is that of its crop box (what viewers show and printers
// print) clipped to its media box, turned by the page's /Rotate: a
// portrait page rotated by 90° is landscape.
func Read(pdf []byte) (info *Info, err error) {
	// pdfcpu reports some failures by panicking with a fault.Panic; its own
	// API functions turn them into errors this way.
	defer fault.Catch(&err)

	// Parsed, not validated: Read reports facts, and pdfcpu's validation
	// rejects documents that are perfectly readable, among them any whose
	// outline has a title containing U+E000.
	ctx, err := api.ReadContext(bytes.NewReader(pdf), newConfig(model.VALIDATE))
	if err != nil {
		return nil, fmt.Errorf("pdf: read: %w", err)
	}
	pages, err := pageList(ctx)
	if err != nil {
		return nil, fmt.Errorf("pdf: read: %w", err)
	}
	info = &Info{Pages: len(pages), Sizes: make([]Size, len(pages))}
	for i, p := range pages {
		info.Sizes[i] = Size{Width: round2(p.dim.Width), Height: round2(p.dim.Height)}
	}
	if info.Bookmarks, err = outline(ctx, pages); err != nil {
		return nil, fmt.Errorf("pdf: read outline: %w", err)
	}
	return info, nil
}

// round2 rounds to hundredths of a point, so that sizes compare with the
// values people write down (A6 is 297.64 × 419.53) instead of with
// 297.6378 or whatever digits a producer chose.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// page is a leaf of the page tree.
type page struct {
	obj int       // object number of the page dictionary
	dim types.Dim // displayed size, unrounded
}

// inherited holds the page attributes a page takes from its ancestors in
// the page tree when it does not set them itself.
type inherited struct {
	media, crop *types.Rectangle
	rotate      int
}

// pageList walks the page tree and returns its pages in order.
//
// It does not use pdfcpu's PageBoundaries, which keeps the boxes it
// inherits in variables shared by the whole walk, so a CropBox (or
// MediaBox) set on one page also applies to the pages after it.
func pageList(ctx *model.Context) ([]page, error) {
	root, err := ctx.Pages()
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, fmt.Errorf("no page tree")
	}
	var pages []page
	seen := map[int]bool{}
	var walk func(ref types.IndirectRef, inh inherited) error
	walk = func(ref types.IndirectRef, inh inherited) error {
		nr := ref.ObjectNumber.Value()
		if seen[nr] {
			return fmt.Errorf("page tree node %d is reached twice", nr)
		}
		seen[nr] = true
		d, err := ctx.DereferenceDict(ref)
		if err != nil {
			return fmt.Errorf("page tree node %d: %w", nr, err)
		}
		if d == nil {
			return fmt.Errorf("page tree node %d is missing", nr)
		}
		// inh is a copy: what this node sets is inherited by its own
		// descendants only.
		if err := inh.update(ctx, d); err != nil {
			return fmt.Errorf("page tree node %d: %w", nr, err)
		}

		kids, found := d.Find("Kids")
		if t := d.Type(); t != nil && *t == "Page" || t == nil && !found {
			if inh.media == nil {
				return fmt.Errorf("page %d (object %d) has no media box", len(pages)+1, nr)
			}
			pages = append(pages, page{obj: nr, dim: inh.displayed()})
			return nil
		}
		arr, err := ctx.DereferenceArray(kids)
		if err != nil {
			return fmt.Errorf("page tree node %d: %w", nr, err)
		}
		for _, kid := range arr {
			kref, ok := kid.(types.IndirectRef)
			if !ok {
				return fmt.Errorf("page tree node %d has a kid that is a %T", nr, kid)
			}
			if err := walk(kref, inh); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(*root, inherited{}); err != nil {
		return nil, err
	}
	return pages, nil
}

// update takes over the inheritable attributes page tree node d sets.
func (inh *inherited) update(ctx *model.Context, d types.Dict) error {
	var err error
	if o, ok := d.Find("MediaBox"); ok {
		if inh.media, err = box(ctx, o); err != nil {
			return fmt.Errorf("/MediaBox: %w", err)
		}
	}
	if o, ok := d.Find("CropBox"); ok {
		if inh.crop, err = box(ctx, o); err != nil {
			return fmt.Errorf("/CropBox: %w", err)
		}
	}
	if o, ok := d.Find("Rotate"); ok {
		r, err := ctx.DereferenceNumber(o)
		if err != nil {
			return fmt.Errorf("/Rotate: %w", err)
		}
		inh.rotate = int(r)
	}
	return nil
}

// displayed returns the size of the page as shown: its crop box (which
// defaults to the media box) clipped to its media box, turned by /Rotate.
func (inh inherited) displayed() types.Dim {
	b := inh.media
	if c := inh.crop; c != nil {
		llx, lly := math.Max(c.LL.X, b.LL.X), math.Max(c.LL.Y, b.LL.Y)
		urx, ury := math.Min(c.UR.X, b.UR.X), math.Min(c.UR.Y, b.UR.Y)
		// A crop box outside the media box is an error that viewers
		// answer by showing the media box; so do we.
		if urx > llx && ury > lly {
			b = types.NewRectangle(llx, lly, urx, ury)
		}
	}
	d := types.Dim{Width: b.Width(), Height: b.Height()}
	if rot := (inh.rotate%360 + 360) % 360; rot == 90 || rot == 270 {
		d.Width, d.Height = d.Height, d.Width
	}
	return d
}

// box reads a rectangle. Its corners may come in any order.
func box(ctx *model.Context, o types.Object) (*types.Rectangle, error) {
	a, err := ctx.DereferenceArray(o)
	if err != nil {
		return nil, err
	}
	if len(a) != 4 {
		return nil, fmt.Errorf("rectangle of %d numbers", len(a))
	}
	var v [4]float64
	for i, x := range a {
		if v[i], err = ctx.DereferenceNumber(x); err != nil {
			return nil, err
		}
	}
	return types.NewRectangle(math.Min(v[0], v[2]), math.Min(v[1], v[3]), math.Max(v[0], v[2]), math.Max(v[1], v[3])), nil
}
