package markup

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// wordJoiner (U+2060) forbids a line break on either side of it without
// taking any room.
const wordJoiner = "\u2060"

// footnoteMarks glues every footnote mark to the character before it:
// clreq forbids a line to start with a footnote mark, but between a Han
// character and a digit browsers may break, in print and on screen alike.
// A word joiner written before the mark's <sup> removes that break; the
// mark itself is rendered by goldmark's footnote extension as before.
type footnoteMarks struct {
	// link is the footnote extension's own renderer of the mark.
	link renderer.NodeRendererFunc
}

func (f *footnoteMarks) Extend(m goldmark.Markdown) {
	// The footnote extension registers its renderer at priority 500;
	// goldmark lets the lowest priority number win a node kind.
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(f, 499)))
}

func (f *footnoteMarks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	extension.NewFootnoteHTMLRenderer().RegisterFuncs(captureLink{&f.link})
	reg.Register(east.KindFootnoteLink, f.render)
}

func (f *footnoteMarks) render(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(wordJoiner)
	}
	return f.link(w, source, n, entering)
}

// captureLink keeps the footnote extension's renderer of marks and drops
// its other renderers, which stay registered by the extension itself.
type captureLink struct{ link *renderer.NodeRendererFunc }

func (c captureLink) Register(kind ast.NodeKind, fn renderer.NodeRendererFunc) {
	if kind == east.KindFootnoteLink {
		*c.link = fn
	}
}
