package theme

import (
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese typesetting never leaves one character alone on the last line of
// a heading. Browsers with `text-wrap: balance` avoid it by themselves; for
// the others, a title's last two characters are glued together in a
// no-wrap span, so a line break can fall before them but never between.

// glueTail returns text, HTML-escaped, with its last two characters in a
// no-wrap span; text too short to break, or ending in a space, is only
// escaped.
func glueTail(text string) template.HTML {
	head, tail, ok := splitTail(text)
	if !ok {
		return template.HTML(template.HTMLEscapeString(text))
	}
	return template.HTML(template.HTMLEscapeString(head) + `<span class="nobr">` + template.HTMLEscapeString(tail) + `</span>`)
}

// splitTail splits off text's last two characters, when there are at least
// three and neither of the last two is a space.
func splitTail(text string) (head, tail string, ok bool) {
	if utf8.RuneCountInString(text) < 3 {
		return "", "", false
	}
	cut := len(text)
	for range 2 {
		r, size := utf8.DecodeLastRuneInString(text[:cut])
		if unicode.IsSpace(r) {
			return "", "", false
		}
		cut -= size
	}
	return text[:cut], text[cut:], true
}

// glueHeadingTails glues the last two characters of every h1–h3 in rendered
// HTML. Only a heading that ends in plain text is touched: one ending in an
// element (a link, code) or a character reference is left as it is, since
// splitting it would need a parser, and the balanced wrap covers it anyway.
//
// It runs over every page's text, so it scans by hand: a regular
// expression for the same headings took a tenth of a large site's render.
func glueHeadingTails(html template.HTML) template.HTML {
	s := string(html)
	var b strings.Builder
	done := 0 // s[:done] is in b, or nothing changed yet
	for at := 0; ; {
		open, inner, closing, end, ok := nextHeading(s, at)
		if !ok {
			break
		}
		at = end
		if s[closing+3] != s[open+2] {
			continue // closed at another level: left as it is
		}
		// Only the text after the heading's last tag is split; a heading
		// like "<code>x</code>为" ends in too little text and stays as it
		// is.
		start := inner + strings.LastIndexByte(s[inner:closing], '>') + 1
		head, tail, split := splitTail(s[start:closing])
		if !split || strings.ContainsRune(tail, ';') {
			// A tail ending a character reference (&amp;) cannot be split.
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 64)
		}
		b.WriteString(s[done:start])
		b.WriteString(head)
		b.WriteString(`<span class="nobr">`)
		b.WriteString(tail)
		b.WriteString(`</span>`)
		done = closing
	}
	if done == 0 {
		return html
	}
	b.WriteString(s[done:])
	return template.HTML(b.String())
}

// nextHeading finds the first h1–h3 at or after at: where its opening tag
// begins, where what it holds begins, where its closing tag (of any level
// from 1 to 3, the first one after) begins, and where the closing tag ends.
func nextHeading(s string, at int) (open, inner, closing, end int, ok bool) {
	for {
		i := strings.Index(s[at:], "<h")
		if i < 0 {
			return 0, 0, 0, 0, false
		}
		open = at + i
		at = open + 1
		if open+3 > len(s) || s[open+2] < '1' || s[open+2] > '3' || open+3 < len(s) && isWordByte(s[open+3]) {
			continue
		}
		gt := strings.IndexByte(s[open+3:], '>')
		if gt < 0 {
			continue
		}
		inner = open + 3 + gt + 1
		for from := inner; ; {
			c := strings.Index(s[from:], "</h")
			if c < 0 {
				break
			}
			c += from
			if c+4 < len(s) && s[c+3] >= '1' && s[c+3] <= '3' && s[c+4] == '>' {
				return open, inner, c, c + 5, true
			}
			from = c + 1
		}
	}
}

// isWordByte reports whether b is an ASCII letter, digit or underscore, as
// \b in a regular expression counts them.
func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
