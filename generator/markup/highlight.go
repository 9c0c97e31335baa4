package markup

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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

// CodeHighlighting is the goldmark extension that renders fenced code
// through chroma in style style, as a Converter does. A fence without a
// language, or with one chroma does not know, renders as plain escaped
// code. It is exported for programs that set goldmark up themselves: the
// benchmark's floor measures with it how much of lanmu's lead comes from
// rendering code.
func CodeHighlighting(style string) goldmark.Extender {
	return codeExtension{style: styles.Get(highlightStyle(style))}
}

// highlightCSS builds the stylesheet for style.
func highlightCSS(style string) []byte {
	var buf bytes.Buffer
	// Writing to a bytes.Buffer cannot fail, and the style is known to exist.
	_ = chromahtml.New(chromaOptions()...).WriteCSS(&buf, styles.Get(style))
	return buf.Bytes()
}

type codeExtension struct{ style *chroma.Style }

func (e codeExtension) Extend(m goldmark.Markdown) {
	// Ahead of goldmark's own fenced-code renderer (priority 1000).
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&codeRenderer{style: e.style}, 200)))
}

// codeRenderer writes fenced code the way chroma's HTML formatter does with
// CSS classes, for the same markup and stylesheet, but without its costs
// per block: the formatter builds a table of the style's CSS each time it
// is made and formats every token with fmt, which together took as long
// as lexing the code. A fence with options for line numbers or
// highlighted lines ({linenos=true hl_lines=[2]}) is rare and goes
// through chroma's formatter itself, made for that block.
type codeRenderer struct{ style *chroma.Style }

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderFencedCode)
}

func (r *codeRenderer) renderFencedCode(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	language := n.Language(source)
	var info []byte
	if n.Info != nil {
		info = n.Info.Segment.Value(source)
	}
	opts, style, highlight := fenceOptions(n, info)
	if style == nil {
		style = r.style
	}
	var lexer chroma.Lexer
	if language != nil && highlight {
		lexer = lexers.Get(string(language))
	}
	lines := n.Lines()
	var tokens chroma.Iterator
	if p, ok := prepared.LoadAndDelete(n); ok {
		// Convert lexed the block ahead, within its limits.
		if p.(preparedCode).plain {
			lexer = nil
		} else {
			tokens = chroma.Literator(p.(preparedCode).tokens...)
		}
	}
	if lexer == nil {
		writePlainCode(w, source, language, lines)
		return ast.WalkContinue, nil
	}
	if tokens == nil {
		var err error
		tokens, err = chroma.Coalesce(lexer).Tokenise(nil, blockCode(n, source))
		if err != nil {
			writePlainCode(w, source, language, lines)
			return ast.WalkContinue, nil
		}
	}
	if opts != nil {
		err := chromahtml.New(append(chromaOptions(), opts...)...).Format(w, style, tokens)
		return ast.WalkContinue, err
	}
	writeHighlighted(w, tokens)
	return ast.WalkContinue, nil
}

// writePlainCode writes code that is not highlighted, escaped, as goldmark
// writes a fenced block.
func writePlainCode(w util.BufWriter, source, language []byte, lines *text.Segments) {
	_, _ = w.WriteString("<pre><code")
	if language != nil {
		_, _ = w.WriteString(` class="language-`)
		html.DefaultWriter.Write(w, language)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	for i := range lines.Len() {
		seg := lines.At(i)
		html.DefaultWriter.RawWrite(w, seg.Value(source))
	}
	_, _ = w.WriteString("</code></pre>\n")
}

// writeHighlighted writes tokens as chroma's HTML formatter does with
// classes and no line numbers: a <pre class="chroma"><code>, each line in
// <span class="line"><span class="cl">, each token with a class in a
// <span> of it, and text escaped as html.EscapeString escapes it.
func writeHighlighted(w util.BufWriter, next chroma.Iterator) {
	_, _ = w.WriteString(`<pre class="chroma"><code>`)
	open := false // a line is open
	// A line is written once it has a token, so that a last, empty line
	// (code ending in a newline) gets no span, as in chroma.
	startLine := func() {
		if !open {
			_, _ = w.WriteString(`<span class="line"><span class="cl">`)
			open = true
		}
	}
	for t := next(); t != chroma.EOF; t = next() {
		cls := tokenClass(t.Type)
		for v := t.Value; v != ""; {
			part, rest := v, ""
			if i := strings.IndexByte(v, '\n'); i >= 0 {
				part, rest = v[:i+1], v[i+1:]
			}
			startLine()
			if cls != "" {
				_, _ = w.WriteString(`<span class="`)
				_, _ = w.WriteString(cls)
				_, _ = w.WriteString(`">`)
				writeEscaped(w, []byte(part))
				_, _ = w.WriteString(`</span>`)
			} else {
				writeEscaped(w, []byte(part))
			}
			if rest != "" || strings.HasSuffix(part, "\n") {
				_, _ = w.WriteString(`</span></span>`)
				open = false
			}
			v = rest
		}
	}
	if open {
		_, _ = w.WriteString(`</span></span>`)
	}
	_, _ = w.WriteString(`</code></pre>`)
}

// tokenClass is the CSS class of a token type: its own, or that of the
// nearest more general type that has one.
func tokenClass(t chroma.TokenType) string {
	for ; t != 0; t = t.Parent() {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
	}
	return chroma.StandardTypes[t]
}

// writeEscaped escapes the five characters html.EscapeString escapes, with
// the same entities.
func writeEscaped(w util.BufWriter, s []byte) {
	last := 0
	for i, c := range s {
		var esc string
		switch c {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		_, _ = w.Write(s[last:i])
		_, _ = w.WriteString(esc)
		last = i + 1
	}
	_, _ = w.Write(s[last:])
}

// fenceOptions reads the options written after a fence's language, in
// braces: linenos (true, table or inline), linenostart, hl_lines (numbers
// and "a-b" ranges), style and nohl. It returns chroma formatter options
// for them (nil when there are none), the style asked for, and whether to
// highlight at all.
func fenceOptions(n *ast.FencedCodeBlock, info []byte) ([]chromahtml.Option, *chroma.Style, bool) {
	var attrs parser.Attributes
	if own := n.Attributes(); own != nil {
		for _, a := range own {
			attrs = append(attrs, parser.Attribute{Name: a.Name, Value: a.Value})
		}
	} else {
		start := bytes.IndexByte(info, '{')
		if start <= 0 {
			return nil, nil, true
		}
		parsed, ok := parser.ParseAttributes(text.NewReader(info[start:]))
		if !ok {
			return nil, nil, true
		}
		attrs = parsed
	}
	var (
		opts  []chromahtml.Option
		style *chroma.Style
		base  = 1
	)
	get := func(name string) (any, bool) { return attrs.Find([]byte(name)) }
	if v, ok := get("linenostart"); ok {
		if f, ok := v.(float64); ok {
			base = int(f)
			opts = append(opts, chromahtml.BaseLineNumber(base))
		}
	}
	if v, ok := get("hl_lines"); ok {
		if list, ok := v.([]any); ok {
			var ranges [][2]int
			for _, item := range list {
				switch item := item.(type) {
				case float64:
					ranges = append(ranges, [2]int{int(item) + base - 1, int(item) + base - 1})
				case []byte:
					from, to, _ := strings.Cut(string(item), "-")
					lo, err := strconv.Atoi(from)
					if err != nil {
						continue
					}
					hi := lo
					if to != "" {
						if hi, err = strconv.Atoi(to); err != nil {
							continue
						}
					}
					ranges = append(ranges, [2]int{lo + base - 1, hi + base - 1})
				}
			}
			opts = append(opts, chromahtml.HighlightLines(ranges))
		}
	}
	if v, ok := get("style"); ok {
		if name, ok := v.([]byte); ok {
			style = styles.Get(string(name))
		}
	}
	_, nohl := get("nohl")
	if v, ok := get("linenos"); ok {
		switch v := v.(type) {
		case bool:
			opts = append(opts, chromahtml.WithLineNumbers(v))
		case []byte:
			opts = append(opts, chromahtml.WithLineNumbers(true))
			switch string(v) {
			case "table":
				opts = append(opts, chromahtml.LineNumbersInTable(true))
			case "inline":
				opts = append(opts, chromahtml.LineNumbersInTable(false))
			}
		}
	}
	if opts == nil {
		// Braces without formatter options (style, nohl, or others) still
		// take the fast path.
		return nil, style, !nohl
	}
	return opts, style, !nohl
}

// Limits of highlighting (SPEC, Limits). A block larger than
// highlightLimit is shown plain. Some of chroma's lexers take time that
// grows with the square of a block on input such as a comment left open (a
// Go block of 54 KB took 6 s): a page's highlighting stops when it has
// taken highlightBudget, and the blocks left are shown plain. No page
// comes near that budget otherwise, so the output does not depend on the
// machine's speed except on such input, and the build says so.
const (
	highlightLimit  = 128 << 10
	highlightBudget = 2 * time.Second
)

// preparedCode is what Convert lexed of a fenced block ahead of rendering
// it: its tokens, or that it is to be shown plain. It waits in prepared,
// by block, until the block is rendered.
type preparedCode struct {
	tokens []chroma.Token
	plain  bool
}

var prepared sync.Map // *ast.FencedCodeBlock → preparedCode

// prepareCode lexes the fenced blocks of doc that are to be highlighted,
// within highlightLimit and highlightBudget, and returns the blocks it
// prepared (for dropCode) and a warning for each block it left plain.
func prepareCode(doc ast.Node, src []byte, pos *positions) (blocks []ast.Node, warnings []Problem) {
	deadline := time.Now().Add(highlightBudget)
	overBudget := false
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		n, ok := node.(*ast.FencedCodeBlock)
		if !entering || !ok || n.Lines().Len() == 0 {
			return ast.WalkContinue, nil
		}
		language := n.Language(src)
		var info []byte
		if n.Info != nil {
			info = n.Info.Segment.Value(src)
		}
		_, _, highlight := fenceOptions(n, info)
		if language == nil || !highlight {
			return ast.WalkContinue, nil
		}
		lexer := lexers.Get(string(language))
		if lexer == nil {
			return ast.WalkContinue, nil
		}
		code := blockCode(n, src)
		// The fence is the line above the code.
		line, _ := pos.at(n.Lines().At(0).Start)
		warn := func(format string, args ...any) {
			warnings = append(warnings, problemAt(max(line-1, 1), 1, format, args...))
		}
		p := preparedCode{plain: true}
		switch {
		case overBudget:
		case len(code) > highlightLimit:
			warn("this code block is %d KB, over the %d KB that are highlighted: it is shown without colours", (len(code)+1023)>>10, highlightLimit>>10)
		default:
			tokens, ok := lexWithin(lexer, code, deadline)
			if ok {
				p = preparedCode{tokens: tokens}
			} else {
				overBudget = true
				warn("highlighting the code of this page took over %v, so this block and those after it are shown without colours (a comment or string left open can make it slow)", highlightBudget)
			}
		}
		prepared.Store(n, p)
		blocks = append(blocks, n)
		return ast.WalkSkipChildren, nil
	})
	return blocks, warnings
}

// dropCode forgets what prepareCode kept of blocks that were not rendered.
func dropCode(blocks []ast.Node) {
	for _, n := range blocks {
		prepared.Delete(n)
	}
}

// lexWithin lexes code, giving up at deadline.
func lexWithin(lexer chroma.Lexer, code string, deadline time.Time) ([]chroma.Token, bool) {
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return nil, false
	}
	var tokens []chroma.Token
	for t := it(); t != chroma.EOF; t = it() {
		tokens = append(tokens, t)
		if len(tokens)%32 == 0 && time.Now().After(deadline) {
			return nil, false
		}
	}
	return tokens, !time.Now().After(deadline)
}

// blockCode returns the code of a fenced block.
func blockCode(n *ast.FencedCodeBlock, src []byte) string {
	var code strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		code.Write(seg.Value(src))
	}
	return code.String()
}
