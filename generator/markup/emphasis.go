package markup

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// CommonMark decides whether `*` and `_` runs open or close emphasis from
// the characters on either side. Its punctuation clauses assume words are
// separated by spaces, so in Chinese or Japanese a run squeezed between
// punctuation and an ideograph, as in `**「强调」**后`, can neither open nor
// close and the asterisks leak into the page. The parser below follows the
// CJK-friendly amendment to those clauses: where CommonMark asks for
// whitespace or punctuation on the far side of the run, a CJK character is
// accepted as well. Text without CJK characters parses exactly as CommonMark
// specifies.

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
	before, beforeCJK := precedingRune(block)
	d := scanEmphasisRun(line, before, beforeCJK)
	if d == nil {
		return nil
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// precedingRune returns the character before the reader's position and
// whether it counts as CJK. A variation selector is looked through, so that
// an ideographic variation sequence counts as the ideograph it modifies.
func precedingRune(block text.Reader) (rune, bool) {
	r := block.PrecendingCharacter()
	if !isVariationSelector(r) {
		return r, isCJK(r)
	}
	src := block.Source()
	_, seg := block.Position()
	end := seg.Start - utf8.RuneLen(r)
	if end <= 0 || end > len(src) {
		return r, false
	}
	base, _ := utf8.DecodeLastRune(src[:end])
	return r, isCJK(base)
}

// scanEmphasisRun measures the delimiter run at the start of line and
// classifies it as CommonMark's "left-flanking" (may open) and
// "right-flanking" (may close), with the CJK amendment applied.
func scanEmphasisRun(line []byte, before rune, beforeCJK bool) *parser.Delimiter {
	c := line[0]
	if c != '*' && c != '_' {
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

	beforeSpace := util.IsSpaceRune(before)
	beforePunct := util.IsPunctRune(before)
	afterSpace := util.IsSpaceRune(after)
	afterPunct := util.IsPunctRune(after)
	afterCJK := isCJK(after)

	leftFlanking := !afterSpace &&
		(!afterPunct || beforeSpace || beforePunct || beforeCJK)
	rightFlanking := !beforeSpace &&
		(!beforePunct || afterSpace || afterPunct || afterCJK)

	var canOpen, canClose bool
	if c == '_' {
		// CommonMark forbids intraword `_` emphasis (snake_case_names). A CJK
		// neighbour is a letter here, so the amendment deliberately does not
		// relax this rule: it only widens the flanking tests above.
		canOpen = leftFlanking && (!rightFlanking || beforePunct)
		canClose = rightFlanking && (!leftFlanking || afterPunct)
	} else {
		canOpen = leftFlanking
		canClose = rightFlanking
	}
	return parser.NewDelimiter(canOpen, canClose, n, c, emphasisDelimiters{})
}
