package markup

import (
	"bytes"
	"strings"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
)

// defaultHighlightStyle is used when Options.HighlightStyle is empty or
// names a style chroma does not know.
const defaultHighlightStyle = "github"

// Code is highlighted with CSS classes rather than inline styles: pages stay
// small, a strict Content-Security-Policy without 'unsafe-inline' styles
// keeps working, and the colours live in one stylesheet that the build
// writes once (Converter.HighlightCSS).

// highlightStyle returns the chroma style name to use for name.
func highlightStyle(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if _, ok := styles.Registry[name]; !ok {
		return defaultHighlightStyle
	}
	return name
}

// chromaOptions are shared by the code renderer and the stylesheet so that
// the classes in the pages and the rules in the CSS always agree.
func chromaOptions() []chromahtml.Option {
	return []chromahtml.Option{chromahtml.WithClasses(true)}
}

// highlightExtension renders fenced code through chroma. A fence without a
// language, or with one chroma does not know, renders as plain escaped code.
func highlightExtension(style string) goldmark.Extender {
	return highlighting.NewHighlighting(
		highlighting.WithStyle(style),
		highlighting.WithFormatOptions(chromaOptions()...),
	)
}

// highlightCSS builds the stylesheet for style.
func highlightCSS(style string) []byte {
	var buf bytes.Buffer
	// Writing to a bytes.Buffer cannot fail, and the style is known to exist.
	_ = chromahtml.New(chromaOptions()...).WriteCSS(&buf, styles.Get(style))
	return buf.Bytes()
}
