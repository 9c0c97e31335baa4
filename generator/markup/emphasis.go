package markup

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// CommonMark decides whether `*`, `_` and GFM's `~` runs open or close
// emphasis from the characters on either side. Its punctuation clauses
// assume words are separated by spaces, so in Chinese or Japanese a run
// squeezed between punctuation and an ideograph, as in `**「强调」**后`, can
// neither open nor close and the asterisks leak into the page. The parsers
// below follow the CJK-friendly amendment to those clauses
// (github.com/tats-u/markdown-cjk-friendly, specification.md): only
// punctuation that is not CJK blocks a run, a CJK character on the far side
// is accepted where CommonMark asks for whitespace or punctuation, and a
// variation selector is read together with the character before it. Text
// without CJK characters parses exactly as CommonMark and GFM specify.

// cjkEmphasisParser replaces goldmark's emphasis parser for `*` and `_`.
type cjkEmphasisParser struct{}

// emphasisDelimiters turns matched `*`/`_` runs into emphasis nodes. Pairing
// and the "rule of three" are left to goldmark's generic delimiter algorithm
// (parser.ProcessDelimiters); only the flanking classification differs.
type emphasisDelimiters struct{}

func (emphasisDelimiters) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (emphasisDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisDelimiters) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

func (cjkEmphasisParser) Trigger() []byte { return []byte{'*', '_'} }

func (cjkEmphasisParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	d := scanEmphasisRun(line, precedingSequence(block), emphasisDelimiters{})
	if d == nil {
		return nil
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// cjkStrikethroughParser replaces GFM's strikethrough parser: `~~删除~~`
// with the same CJK-friendly flanking rules as emphasis, so that
// `~~「删除」~~后` is struck through.
type cjkStrikethroughParser struct{}

// strikethroughDelimiters turns matched `~` runs into GFM strikethrough
// nodes, which goldmark's strikethrough renderer writes as <del>.
type strikethroughDelimiters struct{}

func (strikethroughDelimiters) IsDelimiter(b byte) bool { return b == '~' }

func (strikethroughDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (strikethroughDelimiters) OnMatch(int) ast.Node { return extast.NewStrikethrough() }

func (cjkStrikethroughParser) Trigger() []byte { return []byte{'~'} }

func (cjkStrikethroughParser) Parse(_ ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	before := precedingSequence(block)
	// GFM strikes through with one or two tildes; longer runs are text.
	if len(line) == 0 || before.base == '~' {
		return nil
	}
	d := scanEmphasisRun(line, before, strikethroughDelimiters{})
	if d == nil || d.OriginalLength > 2 {
		return nil
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// sequence is what precedes a delimiter run: a character, and the
// variation selector that follows it, if any.
type sequence struct {
	base     rune
	selector rune // 0, or a general-use variation selector after base
}

// precedingSequence returns what precedes the reader's position. An
// ideographic variation selector stands alone: the amendment treats it as
// CJK whatever precedes it.
func precedingSequence(block text.Reader) sequence {
	r := block.PrecendingCharacter()
	if !isGeneralSelector(r) {
		return sequence{base: r}
	}
	src := block.Source()
	_, seg := block.Position()
	end := seg.Start - utf8.RuneLen(r)
	if end <= 0 || end > len(src) {
		return sequence{base: '\n', selector: r}
	}
	base, _ := utf8.DecodeLastRune(src[:end])
	return sequence{base: base, selector: r}
}

// space reports whether the sequence is Unicode whitespace; a selector
// after a space is not.
func (s sequence) space() bool { return s.selector == 0 && util.IsSpaceRune(s.base) }

// punct reports whether the sequence is a Unicode punctuation sequence.
func (s sequence) punct() bool { return util.IsPunctRune(s.base) }

// cjk reports whether the sequence is a CJK sequence, or an ideographic
// variation selector.
func (s sequence) cjk() bool { return isCJK(s.base) || isIdeographicSelector(s.base) }

// nonCJKPunct reports whether the sequence is a non-CJK punctuation
// sequence. A curly quote followed by U+FE01 asks for its full-width form,
// which makes it CJK punctuation.
func (s sequence) nonCJKPunct() bool {
	return s.punct() && !isCJK(s.base) && !(s.selector == 0xFE01 && isCurlyQuote(s.base))
}

// scanEmphasisRun measures the delimiter run at the start of line and
// classifies it as "left-flanking" (may open) and "right-flanking" (may
// close), with the CJK-friendly amendment applied.
func scanEmphasisRun(line []byte, before sequence, delimiters parser.DelimiterProcessor) *parser.Delimiter {
	c := line[0]
	if !delimiters.IsDelimiter(c) {
		return nil
	}
	n := 1
	for n < len(line) && line[n] == c {
		n++
	}

	// The end of the line counts as whitespace. PeekLine includes the line
	// ending, so this only triggers for the last line without one.
	after := ' '
	if n < len(line) {
		after, _ = utf8.DecodeRune(line[n:])
	}
	afterSpace := util.IsSpaceRune(after)
	afterPunct := util.IsPunctRune(after)
	afterNonCJKPunct := afterPunct && !isCJK(after)

	leftFlanking := !afterSpace &&
		(!afterNonCJKPunct || before.space() || before.nonCJKPunct() || before.cjk())
	rightFlanking := !before.space() &&
		(!before.nonCJKPunct() || afterSpace || afterNonCJKPunct || isCJK(after))

	var canOpen, canClose bool
	if c == '_' {
		// CommonMark forbids intraword `_` emphasis (snake_case_names). A CJK
		// neighbour is a letter here, so the amendment does not relax this
		// rule: it only widens the flanking tests above.
		canOpen = leftFlanking && (!rightFlanking || before.punct())
		canClose = rightFlanking && (!leftFlanking || afterPunct)
	} else {
		canOpen = leftFlanking
		canClose = rightFlanking
	}
	return parser.NewDelimiter(canOpen, canClose, n, c, delimiters)
}
