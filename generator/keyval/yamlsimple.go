package keyval

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
	"unique"
)

// parseSimpleYAML reads the front matter nearly every page has, a few
// lines of "key: value", without the general parser, which takes some
// fifty microseconds for five lines: a site of ten thousand pages spent
// half a second on it. It returns ok false for anything it does not
// read exactly as the general parser would, which then reads it instead:
// every line must be a key at the start of the line, ": ", and one of
//
//   - text in double quotes without \ or ", or in single quotes without ';
//   - a plain value that holds a character beyond ASCII (YAML gives every
//     other meaning only to ASCII words) or is a simple ASCII word, path or
//     date;
//   - a whole number without sign or leading zero, true or false;
//   - a list of such values in brackets, separated by ", ";
//
// blank lines and lines that are only a comment are skipped. Whether the
// two parsers agree is checked by TestSimpleYAMLAgrees and FuzzYAML.
func parseSimpleYAML(src []byte) (*Doc, bool) {
	d := &Doc{Values: map[string]any{}, pos: map[string]Pos{}}
	line := 0
	for len(src) > 0 {
		line++
		var text []byte
		text, src, _ = bytes.Cut(src, []byte("\n"))
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		colon := bytes.Index(text, []byte(": "))
		if colon <= 0 || !isSimpleKey(text[:colon]) {
			return nil, false
		}
		// The same few keys start every page: one copy serves them all.
		key := unique.Make(string(text[:colon])).Value()
		if _, dup := d.Values[key]; dup {
			return nil, false
		}
		valueCol := colon + 3 // 1-based; the key is ASCII
		value := text[colon+2:]
		var v any
		if len(value) > 0 && value[0] == '[' {
			list, ok := simpleList(value, line, valueCol, key, d)
			if !ok {
				return nil, false
			}
			v = list
		} else {
			scalar, ok := simpleScalar(value)
			if !ok {
				return nil, false
			}
			v = scalar
		}
		d.Values[key] = v
		d.pos[key] = Pos{Line: line, Col: 1}
	}
	return d, true
}

// simpleList reads "[a, b, c]" whose first character is at column col,
// recording each item's position under key.
func simpleList(value []byte, line, col int, key string, d *Doc) ([]any, bool) {
	if len(value) < 2 || value[len(value)-1] != ']' {
		return nil, false
	}
	inner := value[1 : len(value)-1]
	if len(inner) == 0 {
		return []any{}, true
	}
	list := make([]any, 0, bytes.Count(inner, []byte(", "))+1)
	col++ // past "["
	for i := 0; ; i++ {
		item, rest, more := bytes.Cut(inner, []byte(", "))
		v, ok := simpleScalar(item)
		if !ok {
			return nil, false
		}
		if text, ok := v.(string); ok {
			// Items of lists are tags and the like, which pages share.
			v = unique.Make(text).Value()
		}
		list = append(list, v)
		d.pos[key+"\x00"+strconv.Itoa(i)] = Pos{Line: line, Col: col}
		if !more {
			return list, true
		}
		col += utf8.RuneCount(item) + 2
		inner = rest
	}
}

// simpleScalar reads one value, in or out of a list.
func simpleScalar(v []byte) (any, bool) {
	if len(v) == 0 || v[0] == ' ' {
		return nil, false
	}
	switch v[0] {
	case '"', '\'':
		q := v[0]
		if len(v) < 2 || v[len(v)-1] != q || bytes.IndexByte(v[1:len(v)-1], q) >= 0 ||
			q == '"' && bytes.IndexByte(v, '\\') >= 0 {
			return nil, false
		}
		return string(v[1 : len(v)-1]), true
	}
	switch {
	case isSimpleDate(v):
		// Text, for the content loader to read as a date in the site's
		// zone.
		return string(v), true
	case string(v) == "true":
		return true, true
	case string(v) == "false":
		return false, true
	}
	ascii := true
	for i, c := range v {
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
			// C1 controls (U+0080–U+009F, NEL among them), the line and
			// paragraph separators and the byte order mark: YAML 1.1
			// breaks lines at some of them.
			if c == 0xC2 && i+1 < len(v) && v[i+1] <= 0x9F ||
				c == 0xE2 && i+2 < len(v) && v[i+1] == 0x80 && (v[i+2] == 0xA8 || v[i+2] == 0xA9) ||
				c == 0xEF && i+2 < len(v) && v[i+1] == 0xBB && v[i+2] == 0xBF {
				return nil, false
			}
		case c == ' ' && (i == len(v)-1 || v[i+1] == '#'),
			strings.IndexByte("[]{},:#&*!|>'\"%@`\t\\", c) >= 0,
			c < ' ':
			return nil, false
		}
	}
	if !ascii {
		// No YAML meaning is spelt with other characters; the first one
		// may still not be an indicator such as "-" or "?".
		if strings.IndexByte("-?~", v[0]) >= 0 {
			return nil, false
		}
		return string(v), true
	}
	switch {
	case isWholeNumber(v):
		n, err := strconv.ParseInt(string(v), 10, 64)
		return n, err == nil
	case isSimpleWord(v):
		return string(v), true
	}
	return nil, false
}

// isSimpleKey reports whether k is a letter followed by letters, digits and
// underscores, and not a word YAML reads as something other than text.
func isSimpleKey(k []byte) bool {
	for i, c := range k {
		if !(isLetter(c) || i > 0 && (isDigit(c) || c == '_')) {
			return false
		}
	}
	return len(k) > 0 && !isSpecialWord(k)
}

func isWholeNumber(v []byte) bool {
	if len(v) == 0 || len(v) > 18 || v[0] == '0' && len(v) > 1 {
		return false
	}
	for _, c := range v {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// isSimpleDate reports a date, "2016-06-08", optionally followed by a time,
// " 08:30", "T05:38:00", with an offset, "+08:00", or "Z".
func isSimpleDate(v []byte) bool {
	shape := func(s []byte, pattern string) bool {
		if len(s) != len(pattern) {
			return false
		}
		for i := range s {
			if pattern[i] == '9' && !isDigit(s[i]) || pattern[i] != '9' && pattern[i] != s[i] {
				return false
			}
		}
		return true
	}
	if len(v) < 10 || !shape(v[:10], "9999-99-99") {
		return false
	}
	rest := v[10:]
	if len(rest) == 0 {
		return true
	}
	if rest[0] != ' ' && rest[0] != 'T' {
		return false
	}
	rest = rest[1:]
	switch {
	case len(rest) >= 8 && shape(rest[:8], "99:99:99"):
		rest = rest[8:]
	case len(rest) >= 5 && shape(rest[:5], "99:99"):
		rest = rest[5:]
	default:
		return false
	}
	return len(rest) == 0 || string(rest) == "Z" || shape(rest, "+99:99") || shape(rest, "-99:99")
}

// isSimpleWord reports an ASCII word, name or path that YAML reads as
// text: a letter, then letters, digits and . _ / -, and not one of the
// words YAML gives a meaning (true, null, yes, ...) in any case.
func isSimpleWord(v []byte) bool {
	if len(v) == 0 || !isLetter(v[0]) {
		return false
	}
	for _, c := range v {
		if !(isLetter(c) || isDigit(c) || strings.IndexByte("._/-", c) >= 0) {
			return false
		}
	}
	return !isSpecialWord(v)
}

// isSpecialWord reports the words that YAML 1.1 or 1.2 reads as a boolean,
// null or number, in any case.
func isSpecialWord(v []byte) bool {
	switch string(bytes.ToLower(v)) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf":
		return true
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
