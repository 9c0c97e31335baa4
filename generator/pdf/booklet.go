package pdf

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/fault"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Booklet writes the saddle-stitched imposition of a book PDF.
//
// Every side of a sheet holds two book pages side by side at their own size
// (no scaling): the sheet is exactly twice as wide as the book's first page
// and as high, e.g. A6 pages (297.64 × 419.53 pt) on A5 landscape sheets
// (595.28 × 419.53). The sides come in the order front of sheet 1, back of
// sheet 1, front of sheet 2, …, following BookletOrder; blank slots stay
// empty. A page of another size than the first is centred in its half,
// scaled down if it does not fit. Printed double-sided, flipping on the short edge (the sheets are
// landscape), then folded and stapled, the result reads in order.
//
// backCover says that the book's last page is its back cover, to stay on
// the outside of the booklet with the blanks before it (see PaddedOrder).
//
// The imposed PDF is for printing only: the outline, links and tagged
// structure of the book refer to its pages, which it no longer has, so they
// are left out.
func Booklet(book []byte, backCover bool) (out []byte, err error) {
	// pdfcpu reports some failures by panicking with a fault.Panic; its own
	// API functions turn them into errors this way.
	defer fault.Catch(&err)

	// This is api.ReadValidateAndOptimize with a step in between: what
	// the imposition leaves out goes before validation, which saves
	// validating Chromium's large structure tree, and which spares the
	// book pdfcpu's rejection of outline titles it cannot decode.
	ctx, err := api.ReadContext(bytes.NewReader(book), newConfig(model.NUP))
	if err != nil {
		return nil, fmt.Errorf("pdf: booklet: read: %w", err)
	}
	if err := dropPageReferences(ctx); err != nil {
		return nil, fmt.Errorf("pdf: booklet: %w", err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		return nil, fmt.Errorf("pdf: booklet: validate: %w", err)
	}
	if err := api.OptimizeContext(ctx); err != nil {
		return nil, fmt.Errorf("pdf: booklet: optimize: %w", err)
	}

	pages, err := pageList(ctx)
	if err != nil {
		return nil, fmt.Errorf("pdf: booklet: %w", err)
	}
	if len(pages) == 0 {
		return nil, errors.New("pdf: booklet: the book has no pages")
	}
	if len(pages) != ctx.PageCount {
		return nil, fmt.Errorf("pdf: booklet: the page tree holds %d pages, pdfcpu counts %d", len(pages), ctx.PageCount)
	}
	if err := impose(ctx, BookletOrder(len(pages), backCover), pages[0].dim); err != nil {
		return nil, fmt.Errorf("pdf: booklet: %w", err)
	}
	var buf bytes.Buffer
	if err := api.WriteContext(ctx, &buf); err != nil {
		return nil, fmt.Errorf("pdf: booklet: write: %w", err)
	}
	return buf.Bytes(), nil
}

// dropPageReferences removes from the catalog everything that points at
// the book's pages: the outline, named destinations (in /Dests and the
// /Names tree), the structure tree of the tagged PDF Chromium writes, page
// labels, the open action, form fields, article threads. Left in, they
// would drag the book's pages into the imposed PDF, or point at pages that
// are not there.
func dropPageReferences(ctx *model.Context) error {
	root, err := ctx.Catalog()
	if err != nil {
		return err
	}
	for _, k := range []string{"Outlines", "PageMode", "Dests", "Names", "StructTreeRoot", "MarkInfo",
		"PageLabels", "OpenAction", "AcroForm", "Threads"} {
		root.Delete(k)
	}
	// pdfcpu writes the name trees it has loaded back into the catalog.
	ctx.Names = map[string]*model.Node{}
	return nil
}

// impose replaces the page tree of ctx with one page per sheet side, each
// holding the side's two book pages, left at x = 0 and right at x = page
// width.
//
// This is what pdfcpu's n-up does, minus two things that make n-up unfit
// here: it takes the pages in ascending order, each once, and it can only
// leave blanks at the very end. So the pages of each side are placed with
// the tiling step n-up itself uses (TilePDFBytesForImposition: the page
// becomes a form XObject drawn into a cell), and blank slots are simply not
// drawn; no blank pages have to be inserted into the book first.
func impose(ctx *model.Context, sheets []Sheet, page types.Dim) error {
	w, h := page.Width, page.Height
	cells := [2]*types.Rectangle{
		types.NewRectangle(0, 0, w, h),   // left
		types.NewRectangle(w, 0, 2*w, h), // right
	}
	// With no margin a cell is exactly a page, and pdfcpu fits a page that
	// fits its cell without scaling it, centred: at 1:1 and flush with the
	// cell. Enforce off keeps a page that does not fit (a landscape page in
	// a portrait book) upright, scaled down, instead of turning it.
	tile := &model.NUp{Margin: 0, Border: false, Enforce: false}
	sheetBox := types.RectForDim(2*w, h).Array()

	pages := types.Dict{
		"Type":     types.Name("Pages"),
		"Kids":     types.Array{},
		"Count":    types.Integer(0),
		"MediaBox": sheetBox,
	}
	pagesRef, err := ctx.IndRefForNewObject(pages)
	if err != nil {
		return err
	}

	for i, sheet := range sheets {
		for j, side := range [2]Side{sheet.Front, sheet.Back} {
			var content bytes.Buffer
			forms := types.NewDict()
			for k, p := range [2]int{side.Left, side.Right} {
				if p == 0 {
					continue // a blank
				}
				if err := ctx.TilePDFBytesForImposition("booklet", p, forms, &content, cells[k], tile, false); err != nil {
					return fmt.Errorf("sheet %d side %d: %w", i+1, j+1, err)
				}
			}
			if err := addSheetPage(ctx, pagesRef, pages, sheetBox, forms, content.Bytes()); err != nil {
				return fmt.Errorf("sheet %d side %d: %w", i+1, j+1, err)
			}
		}
	}

	root, err := ctx.Catalog()
	if err != nil {
		return err
	}
	root.Update("Pages", *pagesRef)
	ctx.PageCount = 2 * len(sheets)
	return nil
}

// addSheetPage appends a sheet side to the page tree pages (object
// pagesRef): a page drawing the given form XObjects with content. The media
// box is inheritable, but spelled out on every page as pdfcpu's n-up does,
// for the printer drivers that look no further.
func addSheetPage(ctx *model.Context, pagesRef *types.IndirectRef, pages types.Dict, mediaBox types.Array, forms types.Dict, content []byte) error {
	resRef, err := ctx.IndRefForNewObject(types.Dict{"XObject": forms})
	if err != nil {
		return err
	}
	sd, err := ctx.NewStreamDictForBuf(content)
	if err != nil {
		return err
	}
	if err := sd.Encode(); err != nil {
		return err
	}
	contentRef, err := ctx.IndRefForNewObject(*sd)
	if err != nil {
		return err
	}
	pageRef, err := ctx.IndRefForNewObject(types.Dict{
		"Type":      types.Name("Page"),
		"Parent":    *pagesRef,
		"MediaBox":  mediaBox,
		"Resources": *resRef,
		"Contents":  *contentRef,
	})
	if err != nil {
		return err
	}
	return model.AppendPageTree(pageRef, 1, pages)
}
