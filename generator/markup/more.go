package markup

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
)

// The summary marker is the HTML comment `<!--more-->` on a line of its own
// (`<!-- more -->` works too). Everything before the first marker is the
// page's summary. It is an authoring instruction, not content, so it is
// removed even when raw HTML is otherwise passed through.

// findSummaryMarkers returns every HTML block of the document that is a
// summary marker, in document order.
func findSummaryMarkers(doc ast.Node, src []byte) []ast.Node {
	var markers []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		if b, ok := n.(*ast.HTMLBlock); ok {
			if isSummaryMarker(b, src) {
				markers = append(markers, b)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return markers
}

func isSummaryMarker(b *ast.HTMLBlock, src []byte) bool {
	if b.HTMLBlockType != ast.HTMLBlockType2 {
		return false
	}
	var content []byte
	lines := b.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		content = append(content, seg.Value(src)...)
	}
	if b.HasClosure() {
		content = append(content, b.ClosureLine.Value(src)...)
	}
	return isMoreComment(bytes.TrimSpace(content))
}

// isMoreComment reports whether s is exactly `<!--`, optional whitespace,
// "more" in any case, optional whitespace and `-->`.
func isMoreComment(s []byte) bool {
	body, ok := bytes.CutPrefix(s, []byte("<!--"))
	if !ok {
		return false
	}
	body, ok = bytes.CutSuffix(body, []byte("-->"))
	return ok && bytes.EqualFold(bytes.TrimSpace(body), []byte("more"))
}

func removeNodes(nodes []ast.Node) {
	for _, n := range nodes {
		if p := n.Parent(); p != nil {
			p.RemoveChild(p, n)
		}
	}
}
