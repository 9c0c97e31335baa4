package theme

import (
	"html/template"
	"regexp"
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

// contentHeading is an h1–h3 of rendered Markdown: its opening tag, what it
// holds, and its closing tag.
var contentHeading = regexp.MustCompile(`(?s)(<h([1-3])\b[^>]*>)(.*?)(</h[1-3]>)`)

// glueHeadingTails glues the last two characters of every h1–h3 in rendered
// HTML. Only a heading that ends in plain text is touched: one ending in an
// element (a link, code) or a character reference is left as it is, since
// splitting it would need a parser, and the balanced wrap covers it anyway.
func glueHeadingTails(html template.HTML) template.HTML {
	out := contentHeading.ReplaceAllStringFunc(string(html), func(h string) string {
		m := contentHeading.FindStringSubmatch(h)
		open, inner, closing := m[1], m[3], m[4]
		if closing != "</h"+m[2]+">" {
			return h
		}
		// Only the text after the heading's last tag is split; a heading
		// like "<code>x</code>为" ends in too little text and stays as it
		// is.
		start := strings.LastIndexByte(inner, '>') + 1
		head, tail, ok := splitTail(inner[start:])
		if !ok || strings.ContainsRune(tail, ';') {
			// A tail ending a character reference (&amp;) cannot be split.
			return h
		}
		return open + inner[:start] + head + `<span class="nobr">` + tail + `</span>` + closing
	})
	return template.HTML(out)
}
