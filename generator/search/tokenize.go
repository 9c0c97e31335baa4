package search

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tokenize returns the tokens of s in order, repeats included, by the rules
// in the package comment. A query and a page must be split alike, so
// search.js implements the same rules; the parity test compares the two.
func Tokenize(s string) []string {
	var out []string
	scan(s, func(tok []byte, key uint32) {
		if key != 0 {
			out = append(out, keyToken(key))
		} else {
			out = append(out, string(tok))
		}
	})
	return out
}

// scan calls emit with each token of s. The slice is reused between calls,
// so that counting tokens into a map (whose lookup by string(tok) does not
// allocate) costs no allocation per token. A token of one or two CJK
// characters of the Basic Multilingual Plane, nearly every token of Chinese
// text, also comes as a number, the characters' code points in its high
// and low 16 bits, which is cheaper to count than a string; other tokens
// come with 0.
func scan(s string, emit func(tok []byte, key uint32)) {
	s = toNFC(s)
	var (
		word    []byte // the open run of letters and digits, lower-cased
		prev    rune   // the previous character of the open CJK run
		cjkLen  int    // characters in the open CJK run
		tok     []byte
		folded  []rune
		scratch [utf8.UTFMax]byte
		nfkc    []byte
	)
	// emitPair emits a, or a and b, as a token.
	emitPair := func(a, b rune) {
		if key := pairKey(a, b); key != 0 {
			emit(nil, key)
			return
		}
		tok = utf8.AppendRune(tok[:0], a)
		if b != 0 {
			tok = utf8.AppendRune(tok, b)
		}
		emit(tok, 0)
	}
	flush := func() {
		if len(word) > 0 {
			emit(word, 0)
			word = word[:0]
		}
		if cjkLen == 1 {
			emitPair(prev, 0)
		}
		cjkLen = 0
	}
	cjk := func(c rune) {
		if len(word) > 0 {
			emit(word, 0)
			word = word[:0]
		}
		if cjkLen > 0 {
			emitPair(prev, c)
		}
		prev = c
		cjkLen++
	}
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		i += size
		if isCommonHan(r) {
			// Nearly every character of Chinese text: CJK, and its own
			// folded form (see fold).
			cjk(r)
			continue
		}
		folded, nfkc = fold(r, folded[:0], nfkc, scratch[:])
		for _, c := range folded {
			switch {
			case isCJK(c):
				cjk(c)
			case unicode.IsLetter(c) || unicode.IsNumber(c):
				if cjkLen > 0 {
					flush()
				}
				word = utf8.AppendRune(word, c)
			case unicode.IsMark(c) && (len(word) > 0 || cjkLen > 0):
				// A combining mark belongs to the letter before it. After
				// a CJK character (a variation selector, say) it is
				// dropped, so the bigram still joins its neighbours.
				if len(word) > 0 {
					word = utf8.AppendRune(word, c)
				}
			default:
				flush()
			}
		}
	}
	flush()
}

// fold appends to dst the characters r stands for in a token: its NFKC
// form, each character of which is lower-cased on its own with Unicode's
// simple mapping. Folding one character at a time (after NFC of the whole
// text) is what lets the browser map every token back to the characters it
// came from, to highlight them.
func fold(r rune, dst []rune, buf []byte, scratch []byte) ([]rune, []byte) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r), buf
	}
	if isCommonHan(r) {
		return append(dst, r), buf
	}
	if 0xFF01 <= r && r <= 0xFF5E {
		// Full-width ASCII, as in Chinese text's ，（）：; NFKC maps
		// each to its ASCII character.
		return append(dst, unicode.ToLower(r-0xFEE0)), buf
	}
	b := scratch[:utf8.EncodeRune(scratch, r)]
	if norm.NFKC.QuickSpan(b) < len(b) {
		buf = norm.NFKC.Append(buf[:0], b...)
		b = buf
	}
	for _, c := range string(b) {
		dst = append(dst, unicode.ToLower(c))
	}
	return dst, buf
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the three-byte form
// of the Basic Multilingual Plane, where Chinese is, decoded in line.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		// Overlong forms and surrogates are invalid; the slow path says so.
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isCJK reports whether c belongs to a script written without spaces
// between words, whose text is indexed as overlapping pairs of characters.
// The katakana prolonged sound mark (ー) has the Common script but is part
// of katakana words.
func isCJK(c rune) bool {
	if c < 0x1100 {
		return false
	}
	if isCommonHan(c) {
		return true
	}
	return c == 'ー' || unicode.In(c, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// isCommonHan reports whether c is in the main block of CJK Unified
// Ideographs, nearly every character of Chinese text. They are Han, have
// no NFKC mapping and no case, so they skip the table lookups.
func isCommonHan(c rune) bool { return 0x4E00 <= c && c <= 0x9FFF }

// toNFC returns s in NFC. Chinese text nearly always is, and it is cheaper
// to see that it holds only characters that cannot take part in a
// composition than to ask the normaliser.
func toNFC(s string) string {
	for i := 0; i < len(s); {
		r, size := decodeRune(s, i)
		i += size
		if r >= 0x300 && !isCommonHan(r) && !(0xFF01 <= r && r <= 0xFF5E) &&
			!(0x3000 <= r && r <= 0x3029) && !(0x2010 <= r && r <= 0x2027) {
			return norm.NFC.String(s)
		}
	}
	return s
}

// pairKey is the number of the token a, or of a followed by b; 0 when
// either is outside the Basic Multilingual Plane. No CJK character is
// below U+1100, so a key is never 0 by accident, and b = 0 (a lone
// character) cannot be a pair.
func pairKey(a, b rune) uint32 {
	if a > 0xFFFF || b > 0xFFFF {
		return 0
	}
	return uint32(a)<<16 | uint32(b)
}

// keyToken is the token a pairKey stands for.
func keyToken(k uint32) string {
	if k&0xFFFF == 0 {
		return string(rune(k >> 16))
	}
	return string([]rune{rune(k >> 16), rune(k & 0xFFFF)})
}
