// Package frontedit changes the top-level keys of a page's front matter
// the way a person editing the file would: the keys keep their order, the
// comments and the keys it was not asked about keep their bytes, the format
// (YAML between ---, TOML between +++) and the line ends stay as they were,
// and a new key goes after the others. A list of records (a standard's
// tasks) is written whole, keeping the comments inside it. The forms of
// `lanmu serve --edit` save through it, so that saving a form never
// rewrites a file wholesale.
//
// No library does this for both formats: goccy/go-yaml can print an edited
// syntax tree, but normalises what it prints, and BurntSushi/toml keeps no
// comments at all. So the file is edited as lines, found by the positions
// lanmu's own parser (package keyval) records, and every edit is checked by
// parsing the result again: a change that would alter anything but the
// keys it names is refused, never written.
package frontedit

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"lanmu/generator/keyval"
)

// Change sets a top-level key. Value is a string, bool, int, int64,
// float64, time.Time (written as a date when its clock reads midnight),
// []string, a Record, a []Record (a standard's tasks), or nil to remove the
// key.
type Change struct {
	Key   string
	Value any
}

// Record is a table of keys written in the order given; a Change in it
// with a nil Value is left out.
type Record []Change

// Set returns src, a page's whole file, with the changes made to its front
// matter. A file without front matter gets a YAML block. The body is left
// as it is.
func Set(src []byte, changes ...Change) ([]byte, error) {
	if len(changes) == 0 {
		return src, nil
	}
	for _, c := range changes {
		if !validKey(c.Key) {
			return nil, fmt.Errorf("frontedit: %q is not a key lanmu writes", c.Key)
		}
	}
	text, restore := plain(src)
	f, err := split(text)
	if err != nil {
		return nil, err
	}
	edited, err := f.edit(changes)
	if err != nil {
		return nil, err
	}
	out := []byte(f.open + edited + f.close)
	return restore(append(out, f.body...)), nil
}

// plain is a file without its byte-order mark and with LF line ends, and
// the function that gives an edited text back the mark and line ends the
// file had.
func plain(src []byte) (text []byte, restore func([]byte) []byte) {
	bom := bytes.HasPrefix(src, []byte("\uFEFF"))
	text = bytes.TrimPrefix(src, []byte("\uFEFF"))
	crlf := bytes.Contains(text, []byte("\r\n"))
	text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	return text, func(out []byte) []byte {
		if crlf {
			out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
		}
		if bom {
			out = append([]byte("\uFEFF"), out...)
		}
		return out
	}
}

// file is a page's file cut at its front matter's fences.
type file struct {
	format      string // "yaml" or "toml"
	open, close string // the fence lines, with their line ends
	front       string // between the fences, each line ending in \n
	body        []byte
}

// split cuts a file with LF line ends at its front matter, or makes an
// empty YAML block for a file that has none.
func split(text []byte) (*file, error) {
	first, rest, found := bytes.Cut(text, []byte("\n"))
	fence := string(bytes.TrimRight(first, " \t"))
	format := map[string]string{"---": "yaml", "+++": "toml"}[fence]
	if format == "" || !found {
		return &file{format: "yaml", open: "---\n", close: "---\n", body: text}, nil
	}
	offset := 0
	for offset < len(rest) {
		end := bytes.IndexByte(rest[offset:], '\n')
		next := len(rest)
		line := rest[offset:]
		if end >= 0 {
			line, next = rest[offset:offset+end], offset+end+1
		}
		if string(bytes.TrimRight(line, " \t")) == fence {
			closing := string(rest[offset:next])
			if !strings.HasSuffix(closing, "\n") {
				closing += "\n"
			}
			return &file{format: format, open: string(first) + "\n", close: closing, front: string(rest[:offset]), body: rest[next:]}, nil
		}
		offset = next
	}
	return nil, fmt.Errorf("frontedit: the front matter opened with %s is never closed", fence)
}

// parse decodes front matter text in the file's format.
func (f *file) parse(text string) (*keyval.Doc, error) {
	if f.format == "toml" {
		return keyval.ParseTOML([]byte(text))
	}
	return keyval.ParseYAML([]byte(text))
}

// edit returns the front matter with the changes made, checked by parsing.
func (f *file) edit(changes []Change) (string, error) {
	before, err := f.parse(f.front)
	if err != nil {
		return "", fmt.Errorf("frontedit: the front matter does not parse, so it is not changed: %w", err)
	}
	lines := strings.SplitAfter(f.front, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	regions := f.regions(before, lines)
	for _, c := range changes {
		r, ok := regions[c.Key]
		if _, records := c.Value.([]Record); records && ok {
			// Indented comments after the last record are its own.
			for r.to < len(lines) && strings.HasPrefix(strings.TrimLeft(lines[r.to], " \t"), "#") && strings.TrimLeft(lines[r.to], " \t") != lines[r.to] {
				r.to++
			}
		}
		var old []string
		if ok {
			old = lines[r.from:r.to]
		}
		if !ok && c.Value == nil {
			continue
		}
		if ok && r.table {
			return "", fmt.Errorf("frontedit: %s is a table; only plain values and lists are changed here", c.Key)
		}
		if _, records := c.Value.([]Record); records && ok && f.format == "toml" && strings.HasPrefix(strings.TrimSpace(old[0]), "[") {
			return "", fmt.Errorf("frontedit: %s is written as [[%s]] tables; change it in the file's text", c.Key, c.Key)
		}
		repl, err := f.write(c.Key, c.Value, old)
		if err != nil {
			return "", err
		}
		if !ok {
			// After the last key of the top level (in TOML, before the
			// first table, whose keys would otherwise take it in).
			at := regionsEnd(regions, lines, f.format)
			lines = slices.Insert(lines, at, repl...)
			shift(regions, at, len(repl))
			regions[c.Key] = region{from: at, to: at + len(repl)}
			continue
		}
		lines = slices.Replace(lines, r.from, r.to, repl...)
		shift(regions, r.to, len(repl)-(r.to-r.from))
		if c.Value == nil {
			delete(regions, c.Key)
		} else {
			regions[c.Key] = region{from: r.from, to: r.from + len(repl)}
		}
	}
	out := strings.Join(lines, "")
	if err := f.check(before, out, changes); err != nil {
		return "", err
	}
	return out, nil
}

// region is the lines [from, to) that hold a top-level key and its value;
// a table (TOML [name], or a YAML mapping) is not edited here.
type region struct {
	from, to int
	table    bool
}

// regions finds the lines of each top-level key: from its own line to the
// next key's, less the blank and comment lines just before that, which
// belong to what follows.
func (f *file) regions(doc *keyval.Doc, lines []string) map[string]region {
	type start struct {
		key  string
		line int // 0-based
	}
	var starts []start
	for k := range doc.Values {
		starts = append(starts, start{k, doc.Pos(k).Line - 1})
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].line < starts[j].line })
	out := map[string]region{}
	for i, s := range starts {
		end := len(lines)
		if i+1 < len(starts) {
			end = starts[i+1].line
		}
		if f.format == "toml" {
			// A key's value never runs into a table's header.
			for j := s.line + 1; j < end; j++ {
				if strings.HasPrefix(strings.TrimSpace(lines[j]), "[") && isTableHeader(lines[j]) {
					end = j
					break
				}
			}
		}
		for end > s.line+1 && isBlankOrComment(lines[end-1]) {
			end--
		}
		_, isMap := doc.Values[s.key].(map[string]any)
		out[s.key] = region{from: s.line, to: end, table: isMap}
	}
	return out
}

// regionsEnd is where a new top-level key goes: after the last key's lines,
// and in TOML before the first table.
func regionsEnd(regions map[string]region, lines []string, format string) int {
	end := 0
	for _, r := range regions {
		if r.table && format == "toml" {
			continue
		}
		end = max(end, r.to)
	}
	if format == "toml" {
		for _, r := range regions {
			if r.table && r.from < end {
				end = r.from
			}
		}
		return end
	}
	if end == 0 {
		return len(lines)
	}
	return end
}

// shift moves the regions at or after line at by n lines.
func shift(regions map[string]region, at, n int) {
	for k, r := range regions {
		if r.from >= at {
			r.from += n
			r.to += n
			regions[k] = r
		}
	}
}

// isTableHeader reports whether a TOML line opens a table: [name] or
// [[name]].
func isTableHeader(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "[") && !strings.Contains(t[:strings.IndexByte(t+"=", '=')], "\"")
}

func isBlankOrComment(line string) bool {
	t := strings.TrimSpace(line)
	return t == "" || strings.HasPrefix(t, "#")
}

// write is the lines that set key to v, in the file's format, keeping from
// the old lines the key as it was spelled, a comment after a one-line
// value, and a block list's indentation.
func (f *file) write(key string, v any, old []string) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	sep, keyText := ": ", key
	if f.format == "toml" {
		sep = " = "
	}
	comment := ""
	if len(old) > 0 {
		first := strings.TrimSuffix(old[0], "\n")
		mark := ":"
		if f.format == "toml" {
			mark = "="
		}
		if i := strings.Index(first, mark); i > 0 {
			keyText = strings.TrimRight(first[:i], " \t")
			rest := first[i+1:]
			sep = first[len(keyText):i+1] + leadingSpace(rest, " ")
			if len(old) == 1 {
				comment = trailingComment(rest)
			}
		}
	}
	if records, ok := v.([]Record); ok {
		return f.writeRecords(keyText, sep, records, old)
	}
	if list, ok := v.([]string); ok && f.format == "yaml" && len(old) > 1 {
		if indent, ok := blockIndent(old[1:]); ok {
			out := []string{keyText + strings.TrimRight(sep, " ") + "\n"}
			for _, item := range list {
				out = append(out, indent+"- "+keyval.YAMLString(item, false)+"\n")
			}
			if len(list) > 0 {
				return out, nil
			}
		}
	}
	value, err := f.scalar(v)
	if err != nil {
		return nil, fmt.Errorf("frontedit: %s: %w", key, err)
	}
	return []string{keyText + sep + value + comment + "\n"}, nil
}

// leadingSpace is the space s starts with, or def when it has none.
func leadingSpace(s, def string) string {
	n := len(s) - len(strings.TrimLeft(s, " \t"))
	if n == 0 {
		return def
	}
	return s[:n]
}

// trailingComment is the comment after a one-line value, with the space
// before it, or "": a # that starts a comment is outside quotes and follows
// white space.
func trailingComment(value string) string {
	var quote rune
	prev := ' '
	for i, r := range value {
		switch {
		case quote != 0:
			if r == quote && (quote == '\'' || prev != '\\') {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			start := i
			for start > 0 && (value[start-1] == ' ' || value[start-1] == '\t') {
				start--
			}
			return value[start:]
		}
		prev = r
	}
	return ""
}

// blockIndent is the indentation of a YAML block list's items, when the
// lines are one.
func blockIndent(lines []string) (string, bool) {
	for _, l := range lines {
		t := strings.TrimLeft(l, " ")
		if strings.HasPrefix(t, "- ") || t == "-\n" {
			return l[:len(l)-len(t)], true
		}
		if !isBlankOrComment(l) {
			return "", false
		}
	}
	return "", false
}

// scalar writes a value on one line in the file's format.
func (f *file) scalar(v any) (string, error) {
	toml := f.format == "toml"
	switch v := v.(type) {
	case string:
		if toml {
			return keyval.Quote(v), nil
		}
		return keyval.YAMLString(v, false), nil
	case bool:
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case time.Time:
		return TimeText(v), nil
	case Record:
		return f.inlineRecord(v)
	case []string:
		items := make([]string, len(v))
		for i, s := range v {
			if toml {
				items[i] = keyval.Quote(s)
			} else {
				items[i] = keyval.YAMLString(s, true)
			}
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	}
	return "", fmt.Errorf("a %T is not a value frontedit writes", v)
}

// check parses the edited front matter and compares it with the old: the
// changed keys must read as their new values, and every other key as it
// did.
func (f *file) check(before *keyval.Doc, text string, changes []Change) error {
	after, err := f.parse(text)
	if err != nil {
		return fmt.Errorf("frontedit: the edit would not parse, so it is not made: %w", err)
	}
	want := maps.Clone(before.Values)
	for _, c := range changes {
		if c.Value == nil {
			delete(want, c.Key)
		} else {
			want[c.Key] = asRead(c.Value)
		}
	}
	for k, v := range want {
		if !equalValues(after.Values[k], v) {
			return fmt.Errorf("frontedit: %s would read as %#v, not %#v, so the edit is not made", k, after.Values[k], v)
		}
	}
	for k := range after.Values {
		if _, ok := want[k]; !ok {
			return fmt.Errorf("frontedit: the edit would add %s, so it is not made", k)
		}
	}
	return nil
}

// asRead is a value as keyval decodes what write wrote for it.
func asRead(v any) any {
	switch v := v.(type) {
	case Record:
		m := map[string]any{}
		for _, c := range v {
			if c.Value != nil {
				m[c.Key] = asRead(c.Value)
			}
		}
		return m
	case []Record:
		out := make([]any, len(v))
		for i, r := range v {
			out[i] = asRead(r)
		}
		return out
	case int:
		return int64(v)
	case []string:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out
	}
	return v
}

// equalValues compares a decoded value with the value set; a time compares
// as it is written, so that a date set in the site's time zone matches the
// zone-less date the parser reads back.
func equalValues(a, b any) bool {
	switch b := b.(type) {
	case map[string]any:
		a, ok := a.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range b {
			if !equalValues(a[k], v) {
				return false
			}
		}
		return true
	case []any:
		a, ok := a.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range b {
			if !equalValues(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	if tb, ok := b.(time.Time); ok {
		switch a := a.(type) {
		case time.Time:
			return TimeText(a) == TimeText(tb)
		case string:
			// YAML's dates stay text until a page's field reads them.
			return a == TimeText(tb)
		}
		return false
	}
	return reflect.DeepEqual(a, b)
}

// TimeText is a time as the front matter holds it: a date when its clock
// reads midnight, else the moment with its offset.
func TimeText(t time.Time) string {
	h, m, s := t.Clock()
	if h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// validKey reports whether a key is written bare in both formats.
func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r == '_' || r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// writeRecords is the lines that set a key to a list of records. YAML gets
// a block list of mappings, TOML an array of inline tables, one a line.
// The comments of the old lines are kept: those before the first item
// stay there, and each item's stay with the item at its place.
func (f *file) writeRecords(keyText, sep string, records []Record, old []string) ([]string, error) {
	indent := "  "
	var lead []string
	var itemComments [][]string
	if len(old) > 1 {
		if in, ok := blockIndent(old[1:]); ok && in != "" {
			indent = in
		}
		item := -1
		for _, l := range old[1:] {
			t := strings.TrimLeft(l, " ")
			if f.format == "yaml" && strings.HasPrefix(t, "- ") && len(l)-len(t) == len(indent) {
				item++
				itemComments = append(itemComments, nil)
			}
			if !strings.HasPrefix(t, "#") {
				continue
			}
			if item < 0 {
				lead = append(lead, l)
			} else {
				itemComments[item] = append(itemComments[item], l)
			}
		}
	}
	if f.format == "toml" {
		out := []string{keyText + sep + "[\n"}
		out = append(out, lead...)
		for _, r := range records {
			line, err := f.inlineRecord(r)
			if err != nil {
				return nil, err
			}
			out = append(out, indent+line+",\n")
		}
		return append(out, "]\n"), nil
	}
	if len(records) == 0 {
		return []string{keyText + sep + "[]\n"}, nil
	}
	out := []string{keyText + strings.TrimRight(sep, " ") + "\n"}
	out = append(out, lead...)
	for i, r := range records {
		lines, err := f.yamlRecord(r, indent+"  ")
		if err != nil {
			return nil, err
		}
		if len(lines) == 0 {
			lines = []string{indent + "  {}\n"}
		}
		lines[0] = indent + "- " + strings.TrimPrefix(lines[0], indent+"  ")
		out = append(out, lines...)
		if i < len(itemComments) {
			out = append(out, itemComments[i]...)
		}
	}
	return out, nil
}

// yamlRecord is a record's keys as YAML block lines at the indent; a
// record inside goes below its key, further in.
func (f *file) yamlRecord(r Record, indent string) ([]string, error) {
	var out []string
	for _, c := range r {
		if c.Value == nil {
			continue
		}
		if !validKey(c.Key) {
			return nil, fmt.Errorf("frontedit: %q is not a key lanmu writes", c.Key)
		}
		if sub, ok := c.Value.(Record); ok {
			lines, err := f.yamlRecord(sub, indent+"  ")
			if err != nil {
				return nil, err
			}
			if len(lines) == 0 {
				continue
			}
			out = append(out, indent+c.Key+":\n")
			out = append(out, lines...)
			continue
		}
		v, err := f.scalar(c.Value)
		if err != nil {
			return nil, fmt.Errorf("frontedit: %s: %w", c.Key, err)
		}
		out = append(out, indent+c.Key+": "+v+"\n")
	}
	return out, nil
}

// inlineRecord is a record on one line: { key: value, … } in YAML,
// { key = value, … } in TOML.
func (f *file) inlineRecord(r Record) (string, error) {
	sep := ": "
	if f.format == "toml" {
		sep = " = "
	}
	var parts []string
	for _, c := range r {
		if c.Value == nil {
			continue
		}
		if !validKey(c.Key) {
			return "", fmt.Errorf("frontedit: %q is not a key lanmu writes", c.Key)
		}
		v, err := f.scalar(c.Value)
		if err != nil {
			return "", fmt.Errorf("frontedit: %s: %w", c.Key, err)
		}
		if s, isText := c.Value.(string); isText && f.format == "yaml" {
			v = keyval.YAMLString(s, true)
		}
		parts = append(parts, c.Key+sep+v)
	}
	if len(parts) == 0 {
		return "{}", nil
	}
	return "{ " + strings.Join(parts, ", ") + " }", nil
}

// Front is a page's file as a form shows it.
type Front struct {
	Format string // "yaml" or "toml"
	Values map[string]any
	Body   []byte
	// BodyLine is the file's line the body starts on.
	BodyLine int
	doc      *keyval.Doc
}

// Read parses a page's file: a file without front matter has none, in
// YAML, the format a new key would be written in.
func Read(src []byte) (*Front, error) {
	text, _ := plain(src)
	f, err := split(text)
	if err != nil {
		return nil, err
	}
	doc, err := f.parse(f.front)
	if err != nil {
		return nil, err
	}
	line := 1 + bytes.Count(text[:len(text)-len(f.body)], []byte("\n"))
	return &Front{Format: f.format, Values: doc.Values, Body: f.body, BodyLine: line, doc: doc}, nil
}

// KeyAt is the key written on a line of the file, as a dotted path
// ("tasks.1.due"): the deepest one that starts there, or "" when none does.
func (fr *Front) KeyAt(line int) string {
	if fr.BodyLine == 1 || line < 2 || line >= fr.BodyLine {
		return ""
	}
	best, depth := "", 0
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		if len(path) > depth && fr.doc.Pos(path...).Line+1 == line {
			best, depth = strings.Join(path, "."), len(path)
		}
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(x, append(slices.Clip(path), k))
			}
		case []any:
			for i, x := range v {
				walk(x, append(slices.Clip(path), strconv.Itoa(i)))
			}
		}
	}
	walk(fr.Values, nil)
	return best
}

// SetBody returns src with its body (what follows the front matter)
// replaced, the front matter's bytes and the file's line ends kept.
func SetBody(src []byte, body string) ([]byte, error) {
	text, restore := plain(src)
	f, err := split(text)
	if err != nil {
		return nil, err
	}
	// Without front matter, the body is the whole file.
	head := text[:len(text)-len(f.body)]
	body = strings.ReplaceAll(body, "\r\n", "\n")
	return restore(append(slices.Clip(head), body...)), nil
}
