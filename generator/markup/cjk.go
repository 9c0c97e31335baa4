package markup

import "unicode"

// isCJK reports whether r belongs to the CJK writing systems in the broad
// sense used for emphasis flanking and for joining lines of plain text:
// ideographs, kana, hangul, bopomofo, the CJK symbol and punctuation blocks,
// full-width and half-width forms, and the curly double quotes that Chinese
// typesetting uses as its own quotation marks.
func isCJK(r rune) bool {
	switch {
	case r < 0x2E80:
		// Below the CJK radicals only the Chinese-style double quotes qualify;
		// the early return keeps ASCII and Latin text on the fast path.
		return r == '“' || r == '”'
	case r <= 0x2FDF: // CJK radicals supplement, Kangxi radicals
		return true
	case r >= 0x3000 && r <= 0x30FF: // CJK symbols and punctuation, hiragana, katakana
		return true
	case r >= 0x3100 && r <= 0x31FF: // bopomofo, hangul compatibility jamo, kanbun, katakana extensions
		return true
	case r >= 0x3200 && r <= 0x33FF: // enclosed CJK letters, CJK compatibility
		return true
	case r >= 0xFE10 && r <= 0xFE1F: // vertical forms
		return true
	case r >= 0xFE30 && r <= 0xFE4F: // CJK compatibility forms
		return true
	case r >= 0xFF00 && r <= 0xFFEF: // half-width and full-width forms
		return true
	}
	return isCJKLetter(r)
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

// isVariationSelector reports whether r is a non-emoji variation selector.
// Ideographic variation sequences (a Han character followed by a selector)
// must behave like the Han character itself when deciding whether an
// emphasis delimiter touches CJK text.
func isVariationSelector(r rune) bool {
	return (r >= 0xFE00 && r <= 0xFE0E) || (r >= 0xE0100 && r <= 0xE01EF)
}

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
