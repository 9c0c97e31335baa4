package markup

import (
	"unicode/utf8"
)

// Markdown files from Windows machines in China are still often saved as
// GBK. goldmark assumes UTF-8 and, with East Asian line breaks enabled,
// v1.8.7 even panics on a line made only of UTF-8 continuation bytes (which
// GBK text easily is). Invalid bytes are therefore replaced before parsing,
// and the author is told where the first one is.

// invalidUTF8Message is reported at the first byte that is not UTF-8.
const invalidUTF8Message = "the file is not valid UTF-8 (was it saved as GBK?); invalid bytes are shown as \uFFFD"

// toValidUTF8 returns src with every byte that is not part of a valid UTF-8
// sequence replaced by U+FFFD, and the offset of the first such byte (-1 if
// src is valid, in which case src itself is returned). Each invalid byte
// becomes exactly one replacement character, so that line and column
// numbers, which count characters, are the same in the original file.
func toValidUTF8(src []byte) ([]byte, int) {
	if utf8.Valid(src) {
		return src, -1
	}
	first := -1
	out := make([]byte, 0, len(src)+len(src)/4)
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			if first < 0 {
				first = i
			}
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, src[i:i+size]...)
		}
		i += size
	}
	return out, first
}
