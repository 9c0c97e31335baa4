package markup

import (
	"bytes"
	"unicode/utf8"
)

// lineCol converts a byte offset in src into a 1-based line and column.
// The column counts characters, not bytes, because that is what editors
// show for Chinese text; a tab counts as one.
func lineCol(src []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(src))
	before := src[:offset]
	line = 1 + bytes.Count(before, []byte{'\n'})
	start := bytes.LastIndexByte(before, '\n') + 1
	col = 1 + utf8.RuneCount(before[start:])
	return line, col
}
