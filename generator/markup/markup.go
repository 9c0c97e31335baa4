// Package markup converts the Markdown of a lanmu page into the HTML body of
// that page, together with what the rest of the site needs to know about it:
// the table of contents, a plain-text summary for list pages and feeds, word
// count and reading time, and the links that could not be resolved.
//
// The dialect is CommonMark with the GitHub extensions (tables,
// strikethrough, autolinks, task lists), footnotes, definition lists and
// `{#id}` heading attributes. It is tuned for Chinese: soft line breaks
// between CJK characters disappear instead of turning into spaces, heading
// ids keep their Chinese characters, and emphasis next to CJK punctuation
// works as writers expect (`**「强调」**后` is bold). Fenced code is
// highlighted with CSS classes; the matching stylesheet comes from
// Converter.HighlightCSS.
//
// Unless Options.Unsafe is set, raw HTML is omitted and links that could run
// script (javascript:, vbscript:, data:, file:) are reduced to their text, so
// content from many authors can be published without review of its markup.
package markup

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"lanmu/generator/messages"
)

// Options configures a Converter.
type Options struct {
	// Unsafe keeps raw HTML, javascript:, vbscript:, data: and file: links
	// and every `{...}` heading attribute. Only set it for trusted content.
	Unsafe bool
	// HighlightStyle is the chroma style whose stylesheet HighlightCSS
	// returns. Empty or unknown names mean "github".
	HighlightStyle string
}

// LinkResolver is called for every link and image destination that survives
// the safety filter, including its #fragment, as written in the Markdown
// (with CommonMark backslash escapes and character references decoded), e.g.
// "../classes/a.md#提纲", "/readings/" or "https://x.org". Autolinks are
// passed as the address they link to ("mailto:a@b.org" for <a@b.org>).
//
// It returns the destination to emit. A non-nil error means the destination
// is broken (a missing file, say): Convert records a Problem at the link and
// emits the destination unchanged.
type LinkResolver func(dest string) (string, error)

// Heading is an entry of the table of contents.
type Heading struct {
	Level int    // 1 to 6
	ID    string // the id attribute of the rendered heading
	Text  string // plain text of the heading
}

// Problem is something wrong with the source that did not stop conversion,
// such as a link the resolver rejected.
type Problem struct {
	Line, Col int           // 1-based position in the source; Col counts characters
	Msg       string        // in English
	Text      messages.Text // the message, kept for translation
}

// problemAt returns a problem whose format is English and the key of its
// translation.
func problemAt(line, col int, format string, args ...any) Problem {
	t := messages.Textf(format, args...)
	return Problem{Line: line, Col: col, Msg: t.String(), Text: t}
}

// Result is a converted page.
type Result struct {
	HTML string    // the rendered body
	TOC  []Heading // every heading in document order

	// Summary is plain text (no tags) taken from the page's paragraphs,
	// list items and quotes; headings, code and tables are left out. With a
	// `<!--more-->` line it is all such text before that line, otherwise
	// the first 120 characters (ending after a sentence if one ends near
	// the limit) followed by "…" when cut.
	Summary string
	// Truncated reports that the page has more than the Summary, so a
	// "read more" link makes sense: content follows `<!--more-->`, or the
	// automatic summary was cut.
	Truncated bool

	// WordCount counts each CJK character and each run of other letters
	// and digits as one word; code blocks are not counted.
	WordCount int
	// ReadingTime is in minutes: 400 CJK characters or 220 other words a
	// minute, rounded up; 0 only for a page without words.
	ReadingTime int

	// Problems lists the links and images the resolver rejected, in
	// document order, preceded by a note if the source is not valid UTF-8.
	Problems []Problem

	// Warnings lists what did not stop the page but is not shown as the
	// author wrote it: each piece of raw HTML left out because
	// Options.Unsafe is off, with what to write instead. Comments, the
	// summary marker among them, are not reported.
	Warnings []Problem

	// Text is everything a reader reads, as plain text: the text of every
	// paragraph, heading, list, table and footnote, with blocks separated
	// by a space; code blocks and raw HTML are left out. Search indexes it.
	Text string

	// Links lists every internal link and image destination (a site path
	// or a #fragment) the resolver accepted, as emitted, with where it was
	// written, so that a checker can look
	// for broken links and anchors in the rendered site and point back
	// at the Markdown. It is empty when Convert was given no resolver.
	Links []Link
}

// Link is a link or image destination of a converted document.
type Link struct {
	Dest      string // the destination as emitted, e.g. "/sub/classes/a/#提纲"
	Line, Col int    // 1-based position in the source; Col counts characters
	Image     bool
}

// Converter turns Markdown into a Result. It is safe for concurrent use.
type Converter struct {
	md     goldmark.Markdown
	unsafe bool
	css    []byte
}

// New returns a Converter for opts. The Markdown engine is built once here;
// Convert only creates per-document state.
func New(opts Options) *Converter {
	style := highlightStyle(opts.HighlightStyle)
	return &Converter{
		md:     newMarkdown(opts.Unsafe, style, true),
		unsafe: opts.Unsafe,
		css:    highlightCSS(style),
	}
}

// newMarkdown builds the goldmark engine. cjkEmphasis false keeps goldmark's
// own emphasis parser; the tests use that to check that the replacement
// changes nothing for text without CJK characters.
func newMarkdown(unsafe bool, style string, cjkEmphasis bool) goldmark.Markdown {
	inlines := util.PrioritizedSlice(parser.DefaultInlineParsers())
	// GFM with lanmu's linkify (see cjkLinkify), without its
	// strikethrough, which comes below.
	gfm := []goldmark.Extender{extension.Table, extension.TaskList, cjkLinkify{}}
	if cjkEmphasis {
		// Same priority as the parsers they replace, so they run at the
		// same point relative to code spans, links and raw HTML.
		inlines = inlines.Remove(parser.NewEmphasisParser())
		inlines = append(inlines, util.Prioritized(cjkEmphasisParser{}, 500), util.Prioritized(cjkStrikethroughParser{}, 500))
		gfm = append(gfm, strikethroughRenderer{})
	} else {
		gfm = append(gfm, extension.Strikethrough)
	}
	p := parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
		parser.WithAttribute(),
	)
	var rendererOpts []renderer.Option
	if unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithParser(p),
		goldmark.WithRendererOptions(rendererOpts...),
		goldmark.WithExtensions(gfm...),
		goldmark.WithExtensions(
			taskLabels{},
			extension.Footnote,
			&footnoteMarks{},
			extension.DefinitionList,
			// Only the escaped space (`**强调**\ 后`) is taken from the CJK
			// extension; soft line breaks are handled by joinSoftLineBreaks.
			extension.NewCJK(extension.WithEscapedSpace()),
			CodeHighlighting(style),
		),
	)
}

// strikethroughRenderer renders the strikethrough nodes of
// cjkStrikethroughParser with GFM's own renderer.
type strikethroughRenderer struct{}

func (strikethroughRenderer) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
	))
}

// Convert converts one Markdown document. resolve may be nil, in which case
// link destinations are emitted unchanged. Problems with the content are
// reported in Result.Problems; an error means the document could not be
// converted at all (an internal failure of the Markdown or highlighting
// library).
func (c *Converter) Convert(src []byte, resolve LinkResolver) (res *Result, err error) {
	// goldmark and chroma are third-party parsers fed with arbitrary input;
	// one pathological page must fail its own build step, not crash a
	// parallel build. Panics from the caller's resolver are not hidden.
	inResolver := false
	defer func() {
		if r := recover(); r != nil {
			if inResolver {
				panic(r)
			}
			res, err = nil, fmt.Errorf("markup: internal error converting document: %v", r)
		}
	}()

	var problems []Problem
	src, invalid := toValidUTF8(src)
	if invalid >= 0 {
		line, col := lineCol(src, invalid)
		problems = append(problems, problemAt(line, col, invalidUTF8Message))
	}
	if pr := checkConstructs(src); pr != nil {
		// Not parsed: the problem stops the build, and the time the
		// parser would take is what the bound is for.
		return &Result{Problems: append(problems, *pr)}, nil
	}

	ids := newHeadingIDs()
	pc := parser.NewContext(parser.WithIDs(ids))
	doc := c.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	linkifyAfterCJK(doc, src)

	var warnings []Problem
	if !c.unsafe {
		warnings = rawHTMLWarnings(doc, src)
	}
	markers := findSummaryMarkers(doc, src)
	links := &linkPass{src: src, pos: positions{src: src}, unsafe: c.unsafe, problems: problems}
	if resolve != nil {
		links.resolve = func(dest string) (string, error) {
			// Deliberately not reset in a defer: if resolve panics, the flag
			// must still be set when the recover above looks at it.
			inResolver = true
			resolved, err := resolve(dest)
			inResolver = false
			return resolved, err
		}
	}
	links.walk(doc)
	joinSoftLineBreaks(doc, src)
	trimBeforeHardBreaks(doc, src)
	toc := assignHeadingIDs(doc, src, pc.IDs(), c.unsafe)
	stats := collectText(doc, src, markers)
	removeNodes(markers)
	code, codeWarnings := prepareCode(doc, src, &positions{src: src})
	defer dropCode(code)
	warnings = append(warnings, codeWarnings...)

	// A strings.Builder hands the page over as a string without copying
	// it, and the page is kept as a string (template.HTML) until written.
	var buf strings.Builder
	buf.Grow(len(src) + len(src)/2)
	if err := c.md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, fmt.Errorf("markup: rendering: %w", err)
	}

	summary, truncated := stats.summary()
	text := stats.all.take()
	cjk, other := wordCount(text)
	return &Result{
		HTML:        buf.String(),
		TOC:         toc,
		Summary:     summary,
		Truncated:   truncated,
		WordCount:   cjk + other,
		ReadingTime: readingTime(cjk, other),
		Problems:    links.problems,
		Warnings:    warnings,
		Links:       links.links,
		Text:        text,
	}, nil
}

// HighlightCSS returns the stylesheet for highlighted code (CSS classes under
// ".chroma") in the style chosen by Options.HighlightStyle.
func (c *Converter) HighlightCSS() []byte {
	return slices.Clone(c.css)
}
