package markup

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// headingIDs is the per-document registry of element ids. It implements
// parser.IDs so that anything in goldmark asking the parse context for an id
// shares one namespace with the heading anchors.
//
// goldmark's own generator drops every non-ASCII byte, which would leave a
// Chinese heading with the meaningless id "heading"; this one keeps letters
// and digits of any script so that anchors stay readable and stable.
type headingIDs struct {
	used map[string]bool
	// suffix remembers the last number appended to a base id so that many
	// repeats of one heading do not rescan from -1 each time.
	suffix map[string]int
}

var _ parser.IDs = (*headingIDs)(nil)

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, suffix: map[string]int{}}
}

// Generate derives an unused id from value (the heading's plain text).
func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := slugify(value)
	if base == "" {
		base = "id"
		if kind == ast.KindHeading {
			base = "heading"
		}
	}
	if !s.used[base] {
		s.used[base] = true
		return []byte(base)
	}
	for n := s.suffix[base] + 1; ; n++ {
		id := base + "-" + strconv.Itoa(n)
		if !s.used[id] {
			s.used[id] = true
			s.suffix[base] = n
			return []byte(id)
		}
	}
}

// Put reserves an id chosen by the author, e.g. with `{#id}`.
func (s *headingIDs) Put(value []byte) {
	s.used[string(value)] = true
}

// slugify keeps letters and digits of every script (lower-cased, full-width
// Latin too), joins everything else into single hyphens and trims hyphens
// at both ends. Combining marks stay attached to the letter before them, as
// splitting "é" written with a combining accent would tear the word apart.
func slugify(value []byte) string {
	out := make([]byte, 0, len(value))
	pendingHyphen := false
	for i := 0; i < len(value); {
		r, size := utf8.DecodeRune(value[i:])
		i += size
		keep := unicode.IsLetter(r) || unicode.IsDigit(r) ||
			(unicode.IsMark(r) && len(out) > 0 && !pendingHyphen)
		if !keep || r == utf8.RuneError {
			pendingHyphen = true
			continue
		}
		if pendingHyphen && len(out) > 0 {
			out = append(out, '-')
		}
		pendingHyphen = false
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		} else if r >= utf8.RuneSelf {
			r = unicode.ToLower(r)
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}
