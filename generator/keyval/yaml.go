package keyval

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// maxYAMLValues caps how many values a YAML document may expand to, so that
// an alias bomb (aliases of aliases of lists) fails fast instead of eating
// the machine's memory.
const maxYAMLValues = 100_000

// maxYAMLDepth caps how deeply lists and mappings may nest. The parser's
// time and memory grow with the square of the depth (ten thousand nested
// [ cost a gigabyte), and no front matter needs more than a few levels.
const maxYAMLDepth = 100

// ParseYAML decodes a YAML document whose top level is a mapping (or empty).
func ParseYAML(src []byte) (doc *Doc, err error) {
	// YAML reads CRLF and a lone CR as line breaks, but go-yaml counts a
	// comment's CRLF as two lines: with LF only, its lines are the file's.
	src = bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	if err := CheckText(src); err != nil {
		return nil, err
	}
	if d, ok := parseSimpleYAML(src); ok {
		return d, nil
	}
	return parseFullYAML(src)
}

// parseFullYAML is ParseYAML by the general parser, for valid UTF-8 with
// LF line ends.
func parseFullYAML(src []byte) (doc *Doc, err error) {
	tokens := lexer.Tokenize(string(src))
	if err := checkNesting(tokens); err != nil {
		return nil, err
	}
	file, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, yamlError(err, src, tokens)
	}
	d := &Doc{Values: map[string]any{}, pos: map[string]Pos{}}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return d, nil
	}
	if len(file.Docs) > 1 {
		return nil, Errorf(nodePos(file.Docs[1]), "YAML: front matter must be a single document")
	}
	b := yamlBuilder{doc: d}
	v, err := b.value(file.Docs[0].Body, nil)
	if err != nil {
		return nil, err
	}
	switch m := v.(type) {
	case map[string]any:
		d.Values = m
	case nil:
	default:
		return nil, Errorf(nodePos(file.Docs[0].Body), "YAML: expected key: value pairs at the top level")
	}
	return d, nil
}

// checkNesting refuses a document nested deeper than maxYAMLDepth before
// the parser spends its quadratic effort on it. Flow brackets count, and so
// do block entries that open on one line ("- - - a"); deeper nesting by
// indentation needs a file as large as its square and is caught while
// building values.
func checkNesting(tokens token.Tokens) error {
	flow, line, entries := 0, 0, 0
	for _, t := range tokens {
		if t.Position.Line != line {
			line, entries = t.Position.Line, 0
		}
		switch t.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		case token.SequenceEntryType, token.MappingKeyType:
			entries++
		default:
			continue
		}
		if flow+entries > maxYAMLDepth {
			return tooDeep(tokenPos(t))
		}
	}
	return nil
}

func tooDeep(at Pos) *Error {
	return Errorf(at, "YAML: lists and mappings are nested more than %d deep here", maxYAMLDepth)
}

// yamlError turns a parser error into one at the place an editor must look,
// in words an editor understands: the parser often notices a mistake only
// on a later line, and names it in its own terms.
func yamlError(err error, src []byte, tokens token.Tokens) error {
	var tokErr interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if !errors.As(err, &tokErr) || tokErr.GetToken() == nil {
		return Errorf(Pos{Line: 1, Col: 1}, "YAML: %s", err)
	}
	tk, msg := tokErr.GetToken(), tokErr.GetMessage()
	switch {
	case strings.Contains(msg, "must be specified") || strings.Contains(msg, "end token"):
		// An unclosed [ or { is noticed where the parser gives up, often at
		// the next key; the bracket itself is what needs fixing.
		if open := unclosedBracket(tokens, tk); open != nil {
			if open.Type == token.SequenceStartType {
				return Errorf(tokenPos(open), "YAML: the [ here is never closed: add the ] that ends the list")
			}
			return Errorf(tokenPos(open), "YAML: the { here is never closed: add the } that ends it")
		}
	case strings.Contains(msg, "mapping value is not allowed") && strings.Contains(strings.TrimRight(tk.Origin, " \t\n"), "\n"):
		// A plain value that runs on into a more indented "key: value"
		// line: the mistake is that line's indentation, not a colon.
		lines := strings.Split(strings.TrimRight(tk.Origin, " \t\n"), "\n")
		last := lines[len(lines)-1]
		indent := len(last) - len(strings.TrimLeft(last, " \t"))
		return Errorf(Pos{Line: tk.Position.Line + len(lines) - 1, Col: utf8.RuneCountInString(last[:indent]) + 1},
			"YAML: this line is indented more than the line above it: keys of the same level must start in the same column")
	case strings.Contains(msg, "mapping value is not allowed"):
		// A colon and a space inside a value, as in "title: 学习: 要点":
		// show the editor their own line, quoted.
		lines := strings.Split(string(src), "\n")
		if n := tk.Position.Line; n >= 1 && n <= len(lines) {
			key, value, _ := strings.Cut(lines[n-1], ":")
			if value = strings.TrimSpace(value); value != "" && !strings.ContainsAny(value[:1], `"'`) {
				return Errorf(tokenPos(tk), `YAML: %s: a value that contains ": " must be quoted, like %s: %s`, msg, strings.TrimSpace(key), strconv.Quote(value))
			}
		}
	case strings.Contains(msg, "could not find end character of double-quoted text"):
		return Errorf(tokenPos(tk), `YAML: the text in double quotes that starts here is never closed: add the closing "`)
	case strings.Contains(msg, "could not find end character of single-quoted text"):
		return Errorf(tokenPos(tk), "YAML: the text in single quotes that starts here is never closed: add the closing '")
	case strings.Contains(msg, "is a reserved character"):
		return Errorf(tokenPos(tk), "YAML: %s: put the value in quotes", msg)
	}
	return Errorf(tokenPos(tk), "YAML: %s", msg)
}

// unclosedBracket returns the innermost [ or { still open where the parser
// stopped at tk, or nil.
func unclosedBracket(tokens token.Tokens, tk *token.Token) *token.Token {
	var open []*token.Token
	for _, t := range tokens {
		if t.Position.Line > tk.Position.Line || t.Position.Line == tk.Position.Line && t.Position.Column > tk.Position.Column {
			break
		}
		switch t.Type {
		case token.SequenceStartType, token.MappingStartType:
			open = append(open, t)
		case token.SequenceEndType, token.MappingEndType:
			atStop := t.Position.Line == tk.Position.Line && t.Position.Column == tk.Position.Column
			if !atStop && len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	if len(open) == 0 {
		return nil
	}
	return open[len(open)-1]
}

func tokenPos(t *token.Token) Pos {
	return Pos{Line: max(t.Position.Line, 1), Col: max(t.Position.Column, 1)}
}

func nodePos(n ast.Node) Pos {
	// A document's token is its body's, and an empty document ("a: 1\n---")
	// has none: go-yaml's GetToken would dereference the nil body.
	if d, ok := n.(*ast.DocumentNode); ok {
		if d.Start != nil {
			return Pos{Line: max(d.Start.Position.Line, 1), Col: max(d.Start.Position.Column, 1)}
		}
		n = d.Body
	}
	if n == nil || n.GetToken() == nil {
		return Pos{Line: 1, Col: 1}
	}
	p := n.GetToken().Position
	return Pos{Line: max(p.Line, 1), Col: max(p.Column, 1)}
}

type yamlBuilder struct {
	doc   *Doc
	count int
	// anchors maps anchor names to their nodes in document order: an alias
	// names its anchor only, and YAML defines anchors before their aliases.
	anchors map[string]ast.Node
}

func (b *yamlBuilder) value(n ast.Node, path []string) (any, error) {
	b.count++
	if b.count > maxYAMLValues {
		return nil, Errorf(nodePos(n), "YAML: the document expands to more than %d values (aliases nested too deep?)", maxYAMLValues)
	}
	switch t := n.(type) {
	case *ast.DocumentNode:
		return b.value(t.Body, path)
	case *ast.MappingNode:
		m := map[string]any{}
		for _, kv := range t.Values {
			if err := b.pair(m, kv, path); err != nil {
				return nil, err
			}
		}
		return m, nil
	case *ast.MappingValueNode:
		m := map[string]any{}
		return m, b.pair(m, t, path)
	case *ast.SequenceNode:
		list := make([]any, 0, len(t.Values))
		for i, e := range t.Values {
			p := childPath(path, strconv.Itoa(i))
			if len(p) > maxYAMLDepth {
				return nil, tooDeep(nodePos(e))
			}
			b.doc.pos[joinPath(p)] = nodePos(e)
			v, err := b.value(e, p)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case *ast.AnchorNode:
		if b.anchors == nil {
			b.anchors = map[string]ast.Node{}
		}
		b.anchors[t.Name.String()] = t.Value
		return b.value(t.Value, path)
	case *ast.AliasNode:
		if target, ok := b.anchors[t.Value.String()]; ok {
			return b.value(target, path)
		}
		return nil, Errorf(nodePos(t), "YAML: alias to an unknown anchor")
	case *ast.TagNode:
		return b.value(t.Value, path)
	case *ast.NullNode, nil:
		return nil, nil
	case *ast.LiteralNode:
		return t.Value.Value, nil
	case *ast.StringNode:
		return t.Value, nil
	case *ast.IntegerNode:
		switch i := t.Value.(type) {
		case int64:
			return i, nil
		case uint64:
			if i > math.MaxInt64 {
				return float64(i), nil
			}
			return int64(i), nil
		}
		return t.Value, nil
	case *ast.FloatNode:
		return t.Value, nil
	case *ast.BoolNode:
		return t.Value, nil
	case *ast.InfinityNode:
		return t.Value, nil
	case *ast.NanNode:
		return math.NaN(), nil
	case ast.ScalarNode:
		v := t.GetValue()
		if tm, ok := v.(time.Time); ok {
			return tm, nil
		}
		return fmt.Sprint(v), nil
	}
	return nil, Errorf(nodePos(n), "YAML: unsupported value %s", n.Type())
}

func (b *yamlBuilder) pair(m map[string]any, kv *ast.MappingValueNode, path []string) error {
	if _, merge := kv.Key.(*ast.MergeKeyNode); merge {
		v, err := b.value(kv.Value, path)
		if err != nil {
			return err
		}
		merged, ok := v.(map[string]any)
		if !ok {
			return Errorf(nodePos(kv.Value), "YAML: << must merge a mapping")
		}
		for k, e := range merged {
			if _, exists := m[k]; !exists {
				m[k] = e
			}
		}
		return nil
	}
	keyValue, err := b.value(kv.Key, path)
	if err != nil {
		return err
	}
	key := fmt.Sprint(keyValue)
	p := childPath(path, key)
	if len(p) > maxYAMLDepth {
		return tooDeep(nodePos(kv.Key))
	}
	b.doc.pos[joinPath(p)] = nodePos(kv.Key)
	v, err := b.value(kv.Value, p)
	if err != nil {
		return err
	}
	m[key] = v
	return nil
}
