package markup

import "unicode"

// isCJK reports whether r is a CJK character as the CJK-friendly
// amendment to CommonMark defines it (github.com/tats-u/markdown-cjk-friendly,
// specification.md): East Asian Width W, F or H and not shown as an emoji
// by default, or Hangul. The ranges are those the amendment lists for
// Unicode 17 (its ranges.md), so characters newer than Go's Unicode tables,
// such as CJK Extension I, count too. Ambiguous-width punctuation such as
// the curly quotes is not CJK: English uses it as well (see lineJoiner for
// how a quote next to Chinese text still joins lines).
func isCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case isCommonHan(r):
		return true
	}
	lo, hi := 0, len(cjkRanges)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case r < cjkRanges[m][0]:
			hi = m
		case r > cjkRanges[m][1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

// cjkRanges are the amendment's CJK characters for Unicode 17, in order.
var cjkRanges = [...][2]rune{
	{0x1100, 0x11FF}, {0x20A9, 0x20A9}, {0x2329, 0x232A}, {0x2630, 0x2637},
	{0x268A, 0x268F}, {0x2E80, 0x2E99}, {0x2E9B, 0x2EF3}, {0x2F00, 0x2FD5},
	{0x2FF0, 0x303E}, {0x3041, 0x3096}, {0x3099, 0x30FF}, {0x3105, 0x312F},
	{0x3131, 0x318E}, {0x3190, 0x31E5}, {0x31EF, 0x321E}, {0x3220, 0x3247},
	{0x3250, 0xA48C}, {0xA490, 0xA4C6}, {0xA960, 0xA97C}, {0xAC00, 0xD7A3},
	{0xD7B0, 0xD7C6}, {0xD7CB, 0xD7FB}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19},
	{0xFE30, 0xFE52}, {0xFE54, 0xFE66}, {0xFE68, 0xFE6B}, {0xFF01, 0xFFBE},
	{0xFFC2, 0xFFC7}, {0xFFCA, 0xFFCF}, {0xFFD2, 0xFFD7}, {0xFFDA, 0xFFDC},
	{0xFFE0, 0xFFE6}, {0xFFE8, 0xFFEE}, {0x16FE0, 0x16FE4}, {0x16FF0, 0x16FF6},
	{0x17000, 0x18CD5}, {0x18CFF, 0x18D1E}, {0x18D80, 0x18DF2}, {0x1AFF0, 0x1AFF3},
	{0x1AFF5, 0x1AFFB}, {0x1AFFD, 0x1AFFE}, {0x1B000, 0x1B122}, {0x1B132, 0x1B132},
	{0x1B150, 0x1B152}, {0x1B155, 0x1B155}, {0x1B164, 0x1B167}, {0x1B170, 0x1B2FB},
	{0x1D300, 0x1D356}, {0x1D360, 0x1D376}, {0x1F200, 0x1F200}, {0x1F202, 0x1F202},
	{0x1F210, 0x1F219}, {0x1F21B, 0x1F22E}, {0x1F230, 0x1F231}, {0x1F237, 0x1F237},
	{0x1F23B, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F260, 0x1F265}, {0x20000, 0x3FFFD},
}

// isCJKLetter reports whether r is a letter of a CJK script, i.e. something
// a reader counts as one word on its own because these scripts do not
// separate words with spaces.
func isCJKLetter(r rune) bool {
	if r < 0x1100 {
		return false
	}
	if isCommonHan(r) {
		return true
	}
	// U+30FC (the katakana-hiragana prolonged sound mark) belongs to the
	// Common script but only ever appears inside Japanese words.
	return r == 0x30FC ||
		unicode.Is(unicode.Han, r) ||
		unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r)
}

// isGeneralSelector reports whether r is a variation selector other than
// the emoji presentation selector U+FE0F: one that may follow a CJK
// character or punctuation without changing what it is.
func isGeneralSelector(r rune) bool { return r >= 0xFE00 && r <= 0xFE0E }

// isIdeographicSelector reports whether r selects a glyph variant of the
// ideograph before it (the Variation Selectors Supplement).
func isIdeographicSelector(r rune) bool { return r >= 0xE0100 && r <= 0xE01EF }

// isCurlyQuote reports whether r is one of the quotation marks Chinese and
// English share, whose width, and so whether they belong to CJK text,
// depends on the text around them.
func isCurlyQuote(r rune) bool { return r == '‘' || r == '’' || r == '“' || r == '”' }

// joinsLines reports whether r belongs to a script written without spaces
// between words, so that a line break next to it is not a word boundary.
// Hangul is excluded: Korean separates words with spaces.
func joinsLines(r rune) bool {
	return isCJK(r) && !unicode.Is(unicode.Hangul, r)
}

// isCommonHan reports whether r is in the main block of CJK Unified
// Ideographs, which holds nearly every character of Chinese text: a range
// check answers for them before any table lookup.
func isCommonHan(r rune) bool { return 0x4E00 <= r && r <= 0x9FFF }
