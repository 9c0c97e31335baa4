package keyval

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// ParseTOML decodes a TOML document.
func ParseTOML(src []byte) (*Doc, error) {
	if err := CheckText(src); err != nil {
		return nil, err
	}
	if err := checkTOMLNesting(string(src)); err != nil {
		return nil, err
	}
	values := map[string]any{}
	if _, err := toml.Decode(string(src), &values); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, tomlError(string(src), pe)
		}
		return nil, Errorf(Pos{Line: 1, Col: 1}, "TOML: %s", err)
	}
	return &Doc{Values: normalize(values).(map[string]any), pos: tomlKeyPositions(string(src))}, nil
}

// maxTOMLDepth caps how deeply arrays and inline tables may nest, and how
// many parts a dotted key may have: the parser's time grows with the
// square of either (inline tables 5,000 deep, 25 KB, took 6 s), and no
// front matter or lanmu.toml comes near a hundred.
const maxTOMLDepth = 100

// checkTOMLNesting refuses a document nested deeper than maxTOMLDepth, or
// with a key of more parts, before the parser spends its effort on it. It
// reads only brackets, braces, dots, equals signs, strings and comments: a
// document it misreads is one the parser then refuses anyway.
func checkTOMLNesting(src string) *Error {
	line, lineStart := 1, 0
	var open []byte // the arrays and inline tables open here
	inKey, parts := true, 1
	at := func(i int) Pos { return Pos{Line: line, Col: utf8.RuneCountInString(src[lineStart:i]) + 1} }
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '\n':
			line, lineStart = line+1, i+1
			if len(open) == 0 {
				inKey, parts = true, 1
			}
		case '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			end := stringEnd(src, i)
			for j := i; j < end; j++ {
				if src[j] == '\n' {
					line, lineStart = line+1, j+1
				}
			}
			i = end - 1
		case '=':
			inKey = false
		case '.':
			if inKey {
				if parts++; parts > maxTOMLDepth {
					return Errorf(at(i), "TOML: a key of more than %d parts", maxTOMLDepth)
				}
			}
		case ',':
			if len(open) > 0 && open[len(open)-1] == '{' {
				inKey, parts = true, 1
			}
		case '[', '{':
			if inKey && c == '[' {
				continue // a table header, read as a key
			}
			open = append(open, c)
			if len(open) > maxTOMLDepth {
				return Errorf(at(i), "TOML: arrays and inline tables are nested more than %d deep here", maxTOMLDepth)
			}
			inKey, parts = c == '{', 1
		case ']', '}':
			if len(open) > 0 && (c == '}' || !inKey) {
				open = open[:len(open)-1]
				inKey = false
			}
		}
	}
	return nil
}

// stringEnd returns the index just past the TOML string that starts at
// src[i] (a quote), or len(src) when it never ends.
func stringEnd(src string, i int) int {
	q := src[i]
	if strings.HasPrefix(src[i:], strings.Repeat(string(q), 3)) {
		end := strings.Index(src[i+3:], strings.Repeat(string(q), 3))
		if end < 0 {
			return len(src)
		}
		end += i + 6
		// A closing run may hold up to two more quotes of the string's own.
		for n := 0; n < 2 && end < len(src) && src[end] == q; n++ {
			end++
		}
		return end
	}
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if q == '"' {
				j++
			}
		case q:
			return j + 1
		case '\n':
			return j // unterminated: the parser will say so
		}
	}
	return len(src)
}

// tomlDuplicate matches the parser's message for a key or table set twice.
var tomlDuplicate = regexp.MustCompile(`^Key '(.*)' has already been defined\.$`)

// tomlError restates a parser error for an editor: with its column counted
// in characters rather than bytes, a key set twice pointing back at the
// first, and unquoted text shown quoted.
func tomlError(src string, pe toml.ParseError) *Error {
	lines := strings.Split(src, "\n")
	at := Pos{Line: max(pe.Position.Line, 1), Col: max(pe.Position.Col, 1)}
	if start := pe.Position.Start; start >= 0 && start < len(src) && src[start] == '\n' {
		// Having read the newline, the parser counts the next line: the
		// problem is at the end of this one ("[build" never closed).
		at.Line = strings.Count(src[:start], "\n") + 1
		at.Col = len(lines[at.Line-1]) + 1
	}
	text := ""
	if at.Line <= len(lines) {
		text = lines[at.Line-1]
		at.Col = utf8.RuneCountInString(text[:min(at.Col-1, len(text))]) + 1
	}
	msg := strings.ReplaceAll(pe.Message, `'\n'`, "the end of the line")
	msg = strings.ReplaceAll(msg, "but got end of file", "but reached the end")
	switch m := tomlDuplicate.FindStringSubmatch(msg); {
	case m != nil:
		indent := len(text) - len(strings.TrimLeft(text, " \t"))
		at.Col = utf8.RuneCountInString(text[:indent]) + 1
		before := tomlKeyPositions(strings.Join(lines[:min(at.Line-1, len(lines))], "\n"))
		if first, ok := before[joinPath(splitKey(m[1]))]; ok {
			return Errorf(at, "TOML: %s is set twice; it was first set on line %d", m[1], first.Line)
		}
		return Errorf(at, "TOML: %s is set twice", m[1])
	case strings.HasPrefix(msg, "expected value but found"):
		key, value, ok := strings.Cut(text, "=")
		value = strings.TrimSpace(value)
		if ok && value != "" && !strings.ContainsAny(value[:1], "\"'[{") {
			return Errorf(at, "TOML: %s: text must be in quotes, like %s = %q", msg, strings.TrimSpace(key), value)
		}
	case msg == "strings cannot contain newlines":
		return Errorf(at, "TOML: a text runs on past the end of its line: is the closing quote missing?")
	}
	return Errorf(at, "TOML: %s", msg)
}

// normalize turns the TOML decoder's typed slices into []any so that both
// formats share one shape.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalize(e)
		}
		return t
	case []map[string]any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = normalize(e)
		}
		return t
	case int:
		return int64(t)
	}
	return v
}

// tomlKeyPositions finds where each key is written. BurntSushi/toml records
// this but does not export it, so we scan the lines ourselves: table headers,
// arrays of tables (numbered in order), and key = value lines, skipping the
// inside of multi-line strings.
func tomlKeyPositions(src string) map[string]Pos {
	pos := map[string]Pos{}
	var table []string
	arrays := map[string]int{}
	inString := ""
	for n, line := range strings.Split(src, "\n") {
		lineNo := n + 1
		if inString != "" {
			if strings.Contains(line, inString) {
				inString = ""
			}
			continue
		}
		trimmed := strings.TrimLeft(line, " \t")
		col := utf8.RuneCountInString(line[:len(line)-len(trimmed)]) + 1
		switch {
		case trimmed == "" || trimmed[0] == '#':
			continue
		case strings.HasPrefix(trimmed, "[["):
			end := strings.Index(trimmed, "]]")
			if end < 0 {
				continue
			}
			name := splitKey(trimmed[2:end])
			key := joinPath(name)
			idx := arrays[key]
			arrays[key]++
			table = append(name, strconv.Itoa(idx))
			at := Pos{Line: lineNo, Col: col}
			if _, seen := pos[key]; !seen {
				pos[key] = at
			}
			pos[joinPath(table)] = at
			continue
		case trimmed[0] == '[':
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				continue
			}
			table = splitKey(trimmed[1:end])
			pos[joinPath(table)] = Pos{Line: lineNo, Col: col}
			continue
		}
		eq := keyEnd(trimmed)
		if eq < 0 {
			continue
		}
		key := append(append([]string(nil), table...), splitKey(trimmed[:eq])...)
		pos[joinPath(key)] = Pos{Line: lineNo, Col: col}
		value := strings.TrimLeft(trimmed[eq+1:], " \t")
		for _, quote := range []string{`"""`, `'''`} {
			if strings.HasPrefix(value, quote) && !strings.Contains(value[3:], quote) {
				inString = quote
			}
		}
	}
	return pos
}

// keyEnd returns the index of the '=' that ends a key, or -1 when the line
// does not start with a key.
func keyEnd(s string) int {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return i
		case c == '{' || c == '[' || c == ',' || c == '#':
			return -1
		}
	}
	return -1
}

// splitKey splits a dotted TOML key into its parts, unquoting quoted parts.
func splitKey(s string) []string {
	var parts []string
	var cur strings.Builder
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		case c == ' ' || c == '\t':
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, strings.TrimSpace(cur.String()))
}
