package markup

import (
	"bytes"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

const (
	// summaryLimit is the longest automatic summary, in runes, before "…".
	summaryLimit = 120
	// summaryWindow is how far back from the limit a sentence end is looked
	// for, so that a summary ends on a full sentence when one is close.
	summaryWindow = 40

	cjkCharsPerMinute   = 400
	otherWordsPerMinute = 220
)

// plainText accumulates text with every run of whitespace collapsed into a
// single space. Boundaries that are not written whitespace (a soft line
// break, the end of a paragraph) become a space too, except between two
// Chinese or Japanese characters, which read as one run (see
// joinSoftLineBreaks).
type plainText struct {
	buf      []byte
	last     rune
	space    bool // whitespace was written since the last character
	boundary bool // a line or block boundary was passed since the last character
	// spacedBlocks puts a space at every block boundary, Chinese or not,
	// so that a heading and the paragraph after it stay two runs of text
	// for search, rather than one with a pair of characters across them.
	spacedBlocks bool
}

func (p *plainText) writeString(s string) {
	for _, r := range s {
		p.writeRune(r)
	}
}

func (p *plainText) writeBytes(b []byte) {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		p.writeRune(r)
		i += size
		if p.space || r == utf8.RuneError {
			continue
		}
		// The characters up to the next space are copied as they are:
		// only the first of a run needs writeRune's decisions.
		j := i
		for j < len(b) {
			r, size := utf8.DecodeRune(b[j:])
			if isSpace(r) || r == utf8.RuneError {
				break
			}
			p.last = r
			j += size
		}
		p.buf = append(p.buf, b[i:j]...)
		i = j
	}
}

// isSpace is unicode.IsSpace with the answer for Chinese text first.
func isSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == ' ' || '\t' <= r && r <= '\r'
	case isCommonHan(r):
		return false
	}
	return unicode.IsSpace(r)
}

func (p *plainText) writeRune(r rune) {
	if isSpace(r) {
		p.space = true
		return
	}
	if len(p.buf) > 0 && (p.space || (p.boundary && (p.spacedBlocks || !(joinsLines(p.last) && joinsLines(r))))) {
		p.buf = append(p.buf, ' ')
	}
	p.space, p.boundary = false, false
	if r < utf8.RuneSelf {
		p.buf = append(p.buf, byte(r))
	} else {
		p.buf = utf8.AppendRune(p.buf, r)
	}
	p.last = r
}

// writeBlock writes the text of a block that another plainText collected,
// after a boundary: as writing its characters one by one would, since that
// text has its whitespace collapsed already, but copied at once.
func (p *plainText) writeBlock(text []byte) {
	if len(text) == 0 {
		return
	}
	p.breakLine()
	first, size := utf8.DecodeRune(text)
	p.writeRune(first)
	p.buf = append(p.buf, text[size:]...)
	p.last, _ = utf8.DecodeLastRune(text)
}

// breakLine records a boundary that separates text without being written
// whitespace.
func (p *plainText) breakLine() { p.boundary = true }

func (p *plainText) String() string { return string(p.buf) }

// take returns the text and lets go of it: the string shares the buffer,
// which is why nothing may be written after (as strings.Builder does, for
// a page's text that would otherwise be copied whole).
func (p *plainText) take() string {
	s := unsafe.String(unsafe.SliceData(p.buf), len(p.buf))
	p.buf = nil
	return s
}

// inlineText returns the plain text of the inline content of n, as a reader
// sees it in the rendered page.
func inlineText(n ast.Node, src []byte) string {
	var p plainText
	writeInlines(&p, n, src)
	return p.String()
}

func writeInlines(p *plainText, parent ast.Node, src []byte) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Text:
			if n.IsRaw() {
				p.writeBytes(n.Segment.Value(src))
			} else {
				p.writeBytes(unescapeText(n.Segment.Value(src)))
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				p.breakLine()
			}
		case *ast.String:
			p.writeBytes(n.Value)
		case *ast.AutoLink:
			p.writeBytes(n.Label(src))
		case *ast.Image, *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
			// Not prose: an image's description is only read when the image
			// cannot be shown, the rest is markup.
		default:
			writeInlines(p, n, src)
		}
	}
}

// unescapeText turns the source of a Text node into what the HTML renderer
// prints: backslash escapes and character references resolved, and an
// escaped space (which the CJK extension uses to separate emphasis from a
// following ideograph without a visible gap) removed.
func unescapeText(b []byte) []byte {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			if b[i+1] == ' ' {
				i++
				continue
			}
			if util.IsPunct(b[i+1]) {
				i++
			}
		}
		out = append(out, b[i])
	}
	return util.ResolveEntityNames(util.ResolveNumericReferences(out))
}

// textStats is the plain-text view of a document: what the summary and the
// reading statistics are computed from.
type textStats struct {
	src     []byte
	markers []ast.Node

	all       plainText // everything a reader reads, for counting
	block     plainText // the text of the block being read
	paragraph plainText // paragraph text, for the automatic summary
	before    plainText // paragraph text before the first summary marker
	seenMark  bool
	afterMark bool // a block follows the first summary marker
}

func collectText(doc ast.Node, src []byte, markers []ast.Node) *textStats {
	t := &textStats{src: src, markers: markers}
	// The readable text is at most as long as the source.
	t.all.buf = make([]byte, 0, len(src))
	t.all.spacedBlocks = true
	t.blocks(doc, false)
	return t
}

// blocks walks the block structure. excluded is set inside tables and the
// footnote list, whose text is counted but kept out of the summary.
func (t *textStats) blocks(parent ast.Node, excluded bool) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		if t.isMarker(n) {
			t.seenMark = true
			continue
		}
		if t.seenMark {
			t.afterMark = true
		}
		switch {
		case n.IsRaw():
			// Code and raw HTML: not prose, not counted.
		case n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeInline:
			t.leaf(n, excluded)
		default:
			switch n.(type) {
			case *east.Table, *east.FootnoteList:
				t.blocks(n, true)
			default:
				t.blocks(n, excluded)
			}
		}
	}
}

// leaf records a block whose children are inline content: a paragraph, a
// tight list item's text, a heading, a table cell, a definition term.
func (t *textStats) leaf(n ast.Node, excluded bool) {
	t.block.buf = t.block.buf[:0]
	t.block.space, t.block.boundary = false, false
	writeInlines(&t.block, n, t.src)
	text := t.block.buf
	if len(text) == 0 {
		return
	}
	t.all.writeBlock(text)
	// A summary is shown under the page title, so headings (usually that
	// title or a section name) would only repeat or interrupt it.
	if _, heading := n.(*ast.Heading); heading || excluded {
		return
	}
	// Once the automatic summary certainly exceeds its limit (every rune
	// takes at most 4 bytes), more text cannot change it.
	if len(t.paragraph.buf) <= 4*(summaryLimit+1) {
		t.paragraph.writeBlock(text)
	}
	// Text before a <!--more--> marker is the summary only when there is
	// one; without one, copying the whole document again would be waste.
	if !t.seenMark && len(t.markers) > 0 {
		t.before.writeBlock(text)
	}
}

func (t *textStats) isMarker(n ast.Node) bool {
	for _, m := range t.markers {
		if m == n {
			return true
		}
	}
	return false
}

// summary returns the page summary and whether it leaves content out.
func (t *textStats) summary() (string, bool) {
	if len(t.markers) > 0 {
		return t.before.String(), t.afterMark
	}
	return cutSummary(t.paragraph.String(), summaryLimit, summaryWindow)
}

// cutSummary shortens s to at most limit runes, plus a trailing "…" when
// anything was cut. A cut just after a sentence end within the last window
// runes is preferred to a cut in the middle of a sentence.
func cutSummary(s string, limit, window int) (string, bool) {
	if utf8.RuneCountInString(s) <= limit {
		return s, false
	}
	runes := []rune(s)
	cut := limit
	for i := limit - 1; i >= limit-window && i >= 0; i-- {
		if isSentenceEnd(runes, i) {
			cut = i + 1
			// Keep a closing quote or bracket with its sentence: 他说：“好。”
			for cut < limit && isClosingMark(runes[cut]) {
				cut++
			}
			break
		}
	}
	out := strings.TrimRightFunc(string(runes[:cut]), unicode.IsSpace)
	return out + "…", true
}

// isSentenceEnd reports whether runes[i] ends a sentence. The ASCII marks
// only count before a space (or the end), so that "3.14" and "node.js" are
// not mistaken for sentence ends.
func isSentenceEnd(runes []rune, i int) bool {
	switch runes[i] {
	case '。', '！', '？', '；':
		return true
	case '.', '!', '?':
		return i+1 == len(runes) || unicode.IsSpace(runes[i+1]) || isClosingMark(runes[i+1])
	}
	return false
}

func isClosingMark(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '》', '〉', '】', '"', '\'':
		return true
	}
	return false
}

// wordCount counts the words of plain text. A CJK character is a word on its
// own, since those scripts do not mark word boundaries; any other run of
// letters and digits is one word. The two kinds are returned separately
// because they are read at different speeds.
func wordCount(s string) (cjk, other int) {
	inWord := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9' {
				if !inWord {
					other++
					inWord = true
				}
			} else {
				inWord = false
			}
		case isCJKLetter(r):
			cjk++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsNumber(r) || (inWord && unicode.IsMark(r)):
			if !inWord {
				other++
				inWord = true
			}
		default:
			inWord = false
		}
	}
	return cjk, other
}

// readingTime estimates minutes of reading: about 400 CJK characters or 220
// words of other scripts per minute, rounded up, at least one minute for a
// non-empty text.
func readingTime(cjk, other int) int {
	if cjk+other == 0 {
		return 0
	}
	minutes := int(math.Ceil(float64(cjk)/cjkCharsPerMinute + float64(other)/otherWordsPerMinute))
	return max(minutes, 1)
}
