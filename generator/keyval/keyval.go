// Package keyval decodes TOML and YAML documents into plain Go values while
// remembering where each key was written, and fills structs from them strictly.
//
// Both the site configuration and page front matter pass through here, so that
// a typo or a wrong type anywhere is reported with the line and column of the
// key that caused it: the third-party decoders either lose positions (TOML) or
// keep them only in their syntax tree (YAML).
package keyval

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"lanmu/generator/messages"
)

// Pos is a 1-based line and column (in characters) within a document.
type Pos struct{ Line, Col int }

// Doc is a decoded document. Values holds maps (map[string]any), lists
// ([]any) and scalars (string, int64, float64, bool, time.Time, nil).
type Doc struct {
	Values map[string]any
	pos    map[string]Pos
	// reparse, set by ForgetPositions, decodes the document again.
	reparse func() *Doc
}

// ForgetPositions lets go of where each key was written, which costs a
// document about as much memory as its values, for a caller that holds
// many documents and seldom asks where a key was: Pos then finds it in
// the document reparse returns (nil when it cannot), each time it is
// asked.
func (d *Doc) ForgetPositions(reparse func() *Doc) { d.pos, d.reparse = nil, reparse }

// Pos returns where the value at path was written: path elements are map keys
// and list indexes. When that exact value has no recorded position the nearest
// enclosing one is used, and line 1 when nothing encloses it.
func (d *Doc) Pos(path ...string) Pos {
	pos := d.pos
	if pos == nil && d.reparse != nil {
		if again := d.reparse(); again != nil {
			pos = again.pos
		}
	}
	for n := len(path); n > 0; n-- {
		if p, ok := pos[joinPath(path[:n])]; ok {
			return p
		}
	}
	return Pos{Line: 1, Col: 1}
}

// Error is a problem found while decoding, at a position in the document.
type Error struct {
	Pos  Pos
	Msg  string        // in English
	Text messages.Text // the message, kept for translation
}

// Errorf returns an error at pos; its format is English and the key of
// its translation.
func Errorf(pos Pos, format string, args ...any) *Error {
	t := messages.Textf(format, args...)
	return &Error{Pos: pos, Msg: t.String(), Text: t}
}

func (e *Error) Error() string {
	return strconv.Itoa(e.Pos.Line) + ":" + strconv.Itoa(e.Pos.Col) + ": " + e.Msg
}

func joinPath(path []string) string { return strings.Join(path, "\x00") }

func childPath(parent []string, key string) []string {
	out := make([]string, len(parent), len(parent)+1)
	copy(out, parent)
	return append(out, key)
}

// CheckText reports the first byte of src that is not UTF-8, at its line
// and column. The decoders would keep such bytes, and a title saved in GBK
// by a Windows editor would reach the site garbled instead of failing.
func CheckText(src []byte) error {
	if utf8.Valid(src) {
		return nil
	}
	p := Pos{Line: 1, Col: 1}
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			return Errorf(p, "the file is not valid UTF-8 (was it saved as GBK?): save it as UTF-8")
		}
		if r == '\n' {
			p.Line, p.Col = p.Line+1, 1
		} else {
			p.Col++
		}
		src = src[size:]
	}
	return nil
}
