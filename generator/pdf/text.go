package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// textString returns the bytes of a PDF string object (a literal or a hex
// string), with the literal's escapes resolved.
func textString(o types.Object) ([]byte, error) {
	switch s := o.(type) {
	case types.StringLiteral:
		return types.Unescape(s.Value())
	case types.HexLiteral:
		return s.Bytes()
	}
	return nil, fmt.Errorf("not a string: %T", o)
}

// decodeText decodes the bytes of a PDF text string (ISO 32000-2, 7.9.2.2)
// to a Go string.
//
// pdfcpu has a decoder of its own, but it guesses: a string that is valid
// UTF-8 is taken as UTF-8 even without the byte order mark PDF 2.0 requires,
// which misreads PDFDocEncoded text whose bytes happen to form UTF-8, and it
// rejects U+E000. Text strings have exactly three encodings, told apart by
// their first bytes, so this decodes by the rule instead.
func decodeText(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		// UTF-16BE, which is how Chromium writes every outline title.
		b = b[2:]
		u := make([]uint16, len(b)/2) // an odd last byte is dropped
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		// utf16.Decode turns unpaired surrogates into U+FFFD.
		return string(utf16.Decode(u))
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		// UTF-8, new in PDF 2.0.
		return strings.ToValidUTF8(string(b[3:]), string(utf8.RuneError))
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		sb.WriteRune(pdfDocRune(c))
	}
	return sb.String()
}

// pdfDocRune maps a byte of PDFDocEncoding (ISO 32000-2, Table D.2) to its
// rune; bytes the encoding leaves undefined become U+FFFD.
func pdfDocRune(c byte) rune {
	switch {
	case c == '\t' || c == '\n' || c == '\r':
		return rune(c)
	case c >= 0x18 && c <= 0x1F:
		return pdfDocLow[c-0x18]
	case c >= 0x20 && c <= 0x7E:
		return rune(c)
	case c >= 0x80 && c <= 0xA0:
		return pdfDocHigh[c-0x80]
	case c >= 0xA1 && c != 0xAD:
		// The rest agrees with ISO Latin-1.
		return rune(c)
	}
	return utf8.RuneError
}

// pdfDocLow holds the accents PDFDocEncoding puts at 0x18–0x1F.
var pdfDocLow = [8]rune{'˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'}

// pdfDocHigh holds the punctuation and letters at 0x80–0xA0, where
// PDFDocEncoding departs from Latin-1; 0x9F is undefined.
var pdfDocHigh = [33]rune{
	'•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘',
	'’', '‚', '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', utf8.RuneError,
	'€',
}
