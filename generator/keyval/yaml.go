package keyval

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// maxYAMLValues caps how many values a YAML document may expand to, so that
// an alias bomb (aliases of aliases of lists) fails fast instead of eating
// the machine's memory.
const maxYAMLValues = 100_000

// ParseYAML decodes a YAML document whose top level is a mapping (or empty).
func ParseYAML(src []byte) (doc *Doc, err error) {
	file, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlError(err)
	}
	d := &Doc{Values: map[string]any{}, pos: map[string]Pos{}}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return d, nil
	}
	if len(file.Docs) > 1 {
		return nil, &Error{Pos: nodePos(file.Docs[1]), Msg: "YAML: front matter must be a single document"}
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
		return nil, &Error{Pos: nodePos(file.Docs[0].Body), Msg: "YAML: expected key: value pairs at the top level"}
	}
	return d, nil
}

func yamlError(err error) error {
	var tokErr interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &tokErr) && tokErr.GetToken() != nil {
		p := tokErr.GetToken().Position
		return &Error{Pos: Pos{Line: max(p.Line, 1), Col: max(p.Column, 1)}, Msg: "YAML: " + tokErr.GetMessage()}
	}
	return &Error{Pos: Pos{Line: 1, Col: 1}, Msg: "YAML: " + err.Error()}
}

func nodePos(n ast.Node) Pos {
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
		return nil, &Error{Pos: nodePos(n), Msg: fmt.Sprintf("YAML: the document expands to more than %d values (aliases nested too deep?)", maxYAMLValues)}
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
		return nil, &Error{Pos: nodePos(t), Msg: "YAML: alias to an unknown anchor"}
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
	return nil, &Error{Pos: nodePos(n), Msg: "YAML: unsupported value " + n.Type().String()}
}

func (b *yamlBuilder) pair(m map[string]any, kv *ast.MappingValueNode, path []string) error {
	if _, merge := kv.Key.(*ast.MergeKeyNode); merge {
		v, err := b.value(kv.Value, path)
		if err != nil {
			return err
		}
		merged, ok := v.(map[string]any)
		if !ok {
			return &Error{Pos: nodePos(kv.Value), Msg: "YAML: << must merge a mapping"}
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
	b.doc.pos[joinPath(p)] = nodePos(kv.Key)
	v, err := b.value(kv.Value, p)
	if err != nil {
		return err
	}
	m[key] = v
	return nil
}
