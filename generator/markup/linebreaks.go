package markup

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// Chinese and Japanese put no spaces between words, so a paragraph wrapped
// over several source lines must not get a space where the source has a
// line break: "学习\n教育" reads 学习教育. Browsers render the newline as a
// space, so soft line breaks between two such characters are removed.
//
// goldmark's own East Asian line break option is not used: in v1.8.7 it
// drops the break entirely when the next line starts with markup
// ("word\n**bold**" becomes "wordbold"), it keeps the break after
// full-width punctuation such as "，" (the most common line end in Chinese
// prose) and it joins Korean lines, although Korean separates words with
// spaces.

// joinSoftLineBreaks clears the soft line break flag of every Text node of
// doc whose break sits between two characters of a script without word
// spaces. The renderer then prints nothing there, and the plain text
// extraction joins the lines the same way.
func joinSoftLineBreaks(doc ast.Node, src []byte) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		if first := n.FirstChild(); first != nil && first.Type() == ast.TypeInline {
			j := lineJoiner{src: src}
			j.inlines(n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// lineJoiner follows the visible text of one block in reading order.
type lineJoiner struct {
	src []byte
	// last is the last visible character so far, 0 after something that
	// is not text (an image, raw HTML) or at the start.
	last rune
	// pending is a Text node ending in a soft line break whose fate
	// depends on the next visible character.
	pending *ast.Text
}

func (j *lineJoiner) inlines(parent ast.Node) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Text:
			value := n.Segment.Value(j.src)
			if !n.IsRaw() {
				value = unescapeText(value)
			}
			j.text(value)
			if n.SoftLineBreak() && !n.HardLineBreak() && j.last != 0 {
				j.pending = n
			}
		case *ast.String:
			j.text(n.Value)
		case *ast.AutoLink:
			j.text(n.Label(j.src))
		case *ast.Image:
			j.opaque()
		default:
			// Emphasis, links, strikethrough and code spans show their
			// children; raw HTML, footnote references and checkboxes have
			// none and are not text.
			if n.HasChildren() {
				j.inlines(n)
			} else {
				j.opaque()
			}
		}
	}
}

// text records visible text, deciding a pending line break by its first
// character.
func (j *lineJoiner) text(value []byte) {
	if len(value) == 0 {
		return
	}
	first := edgeRune(value, false)
	if first == 0 {
		// Only quotation marks: what they quote decides.
		return
	}
	if j.pending != nil {
		if joinsLines(j.last) && joinsLines(first) {
			j.pending.SetSoftLineBreak(false)
		}
		j.pending = nil
	}
	j.last = edgeRune(value, true)
}

// edgeRune returns the first (or last) character of value that decides
// whether a line break before (or after) it joins the lines, or 0 if there
// is none. Chinese and English share the curly quotes, so a quote goes
// with the text it quotes: 结束。\n“引文” joins, “yes”\n“no” keeps its space.
func edgeRune(value []byte, last bool) rune {
	for len(value) > 0 {
		var r rune
		var size int
		if last {
			r, size = utf8.DecodeLastRune(value)
			value = value[:len(value)-size]
		} else {
			r, size = utf8.DecodeRune(value)
			value = value[size:]
		}
		if !isCurlyQuote(r) {
			return r
		}
	}
	return 0
}

// opaque records something visible that is not text: a line break next to
// it stays.
func (j *lineJoiner) opaque() {
	j.pending = nil
	j.last = 0
}

// trimBeforeHardBreaks drops the spaces left before a hard line break.
// goldmark trims them only from the text after the last place an inline
// parser was tried, and lanmu's linkify is tried at every space, so
// "aaa␣␣␣␣␣" before a break kept two of its five spaces (CommonMark
// examples 226 and 635).
func trimBeforeHardBreaks(doc ast.Node, src []byte) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok || !t.HardLineBreak() || t.IsRaw() {
			return ast.WalkContinue, nil
		}
		// The spaces may span the break's node and the text nodes before it.
		for cur := t; cur != nil; {
			seg := cur.Segment
			for seg.Stop > seg.Start && src[seg.Stop-1] == ' ' {
				seg.Stop--
			}
			cur.Segment = seg
			if seg.Stop > seg.Start {
				break
			}
			prev, ok := cur.PreviousSibling().(*ast.Text)
			if !ok || prev.IsRaw() || prev.SoftLineBreak() || prev.HardLineBreak() {
				break
			}
			cur = prev
		}
		return ast.WalkContinue, nil
	})
}
