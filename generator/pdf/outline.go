package pdf

import (
	"bytes"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// outline flattens the document outline in document order (depth first,
// the way a viewer lists it when every item is open).
//
// It walks the outline itself instead of using pdfcpu's Bookmarks, which
// needs a validated document, drops an item together with all its children
// when the item has no title or no destination, and decodes titles with a
// guessing decoder (see decodeText).
func outline(ctx *model.Context, pages []page) ([]Bookmark, error) {
	root, err := ctx.Catalog()
	if err != nil {
		return nil, err
	}
	outlines, err := ctx.DereferenceDict(root["Outlines"])
	if err != nil || outlines == nil {
		return nil, err
	}
	w := outlineWalker{ctx: ctx, root: root, seen: map[int]bool{}, pageOf: map[int]int{}, pages: len(pages)}
	for i, p := range pages {
		w.pageOf[p.obj] = i + 1
	}
	if err := w.items(outlines["First"], 1); err != nil {
		return nil, err
	}
	return w.bookmarks, nil
}

type outlineWalker struct {
	ctx       *model.Context
	root      types.Dict // the catalog
	bookmarks []Bookmark
	seen      map[int]bool // outline items visited, against cycles
	pageOf    map[int]int  // page object number → page number
	pages     int
}

// items appends the outline item o, its descendants and its following
// siblings at the given level.
func (w *outlineWalker) items(o types.Object, level int) error {
	for o != nil {
		ref, ok := o.(types.IndirectRef)
		if !ok {
			// Outline items point at each other, so they are always
			// indirect objects.
			return fmt.Errorf("outline item is a %T, not an indirect reference", o)
		}
		nr := ref.ObjectNumber.Value()
		if w.seen[nr] {
			return fmt.Errorf("outline item %d is reached twice", nr)
		}
		w.seen[nr] = true
		d, err := w.ctx.DereferenceDict(ref)
		if err != nil {
			return fmt.Errorf("outline item %d: %w", nr, err)
		}
		if d == nil {
			return fmt.Errorf("outline item %d is missing", nr)
		}

		bm := Bookmark{Level: level, Page: w.destPage(d)}
		// A title that is missing or not a string stays empty: the item
		// still has its place in the outline.
		if t, err := w.ctx.Dereference(d["Title"]); err == nil && t != nil {
			if b, err := textString(t); err == nil {
				bm.Title = decodeText(b)
			}
		}
		w.bookmarks = append(w.bookmarks, bm)

		if err := w.items(d["First"], level+1); err != nil {
			return err
		}
		o = d["Next"]
	}
	return nil
}

// destPage returns the page an outline item leads to: its /Dest, or the
// destination of its GoTo action. Anything else, and destinations that do
// not resolve, give 0: a broken link in an outline is not a reason to fail
// reading the document.
func (w *outlineWalker) destPage(item types.Dict) int {
	dest, found := item["Dest"]
	if !found {
		a, err := w.ctx.DereferenceDict(item["A"])
		if err != nil || a == nil {
			return 0
		}
		if s, ok := a["S"].(types.Name); !ok || s != "GoTo" {
			return 0
		}
		dest = a["D"]
	}
	arr := w.destArray(dest)
	if len(arr) == 0 {
		return 0
	}
	switch p := arr[0].(type) {
	case types.IndirectRef:
		return w.pageOf[p.ObjectNumber.Value()]
	case types.Integer:
		// Page indexes belong in remote destinations, where they count
		// from 0; read a stray one the same way.
		if i := p.Value(); i >= 0 && i < w.pages {
			return i + 1
		}
	}
	return 0
}

// destArray resolves a destination to its array [page /Fit …], nil if it
// does not resolve.
func (w *outlineWalker) destArray(dest types.Object) types.Array {
	dest, err := w.ctx.Dereference(dest)
	if err != nil {
		return nil
	}
	switch d := dest.(type) {
	case types.Name:
		// A PDF 1.1 named destination, in the catalog's /Dests.
		dests, _ := w.ctx.DereferenceDict(w.root["Dests"])
		dest = dests[d.Value()]
	case types.StringLiteral, types.HexLiteral:
		// A named destination in the /Dests name tree.
		dest = nil
		if key, err := textString(d); err == nil {
			names, _ := w.ctx.DereferenceDict(w.root["Names"])
			dest = w.lookup(names["Dests"], key, map[int]bool{})
		}
	}
	// The value of a named destination is the array, or a dictionary
	// holding it under /D. (Not another name: no chains, no loops.)
	dest, err = w.ctx.Dereference(dest)
	if err != nil {
		return nil
	}
	switch d := dest.(type) {
	case types.Array:
		return d
	case types.Dict:
		arr, _ := w.ctx.DereferenceArray(d["D"])
		return arr
	}
	return nil
}

// lookup returns the value for key in the name tree node, nil if there is
// none.
//
// pdfcpu's name tree (model.Node) is only filled in by validation, which
// Read skips, so the tree is searched here. Keys are byte strings and
// compare as such; a book's few destinations do not call for using
// /Limits to prune.
func (w *outlineWalker) lookup(node types.Object, key []byte, seen map[int]bool) types.Object {
	if ref, ok := node.(types.IndirectRef); ok {
		if seen[ref.ObjectNumber.Value()] {
			return nil
		}
		seen[ref.ObjectNumber.Value()] = true
	}
	d, err := w.ctx.DereferenceDict(node)
	if err != nil || d == nil {
		return nil
	}
	names, _ := w.ctx.DereferenceArray(d["Names"])
	for i := 0; i+1 < len(names); i += 2 {
		if k, err := textString(names[i]); err == nil && bytes.Equal(k, key) {
			return names[i+1]
		}
	}
	kids, _ := w.ctx.DereferenceArray(d["Kids"])
	for _, kid := range kids {
		if v := w.lookup(kid, key, seen); v != nil {
			return v
		}
	}
	return nil
}
