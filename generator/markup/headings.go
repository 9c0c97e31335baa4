package markup

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// safeHeadingAttributes are the `{...}` attributes a heading keeps when raw
// HTML is not trusted. goldmark would also pass on style, tabindex,
// contenteditable, autofocus and the like, which let an author restyle or
// hijack the page around the article body.
var safeHeadingAttributes = map[string]bool{
	"id": true, "class": true, "lang": true, "dir": true, "title": true,
}

// assignHeadingIDs gives every heading an id and returns the table of
// contents in document order. Ids the author wrote with `{#id}` are reserved
// first, so that a generated id never duplicates one that appears later in
// the document.
func assignHeadingIDs(doc ast.Node, src []byte, ids parser.IDs, unsafe bool) []Heading {
	var headings []*ast.Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(headings) == 0 {
		return nil
	}

	for _, h := range headings {
		if !unsafe {
			filterAttributes(h, safeHeadingAttributes)
		}
		if v, ok := h.AttributeString("id"); ok {
			// Attribute values may be numbers or lists (`{id=3}`); store the
			// string form so that the page and the TOC agree. An id holds
			// no white space (HTML forbids it, and a link to it would
			// break), so `{id="学习 要点"}` names 学习-要点.
			id := bytes.Join(bytes.Fields(attributeBytes(v)), []byte("-"))
			if len(id) == 0 {
				// `{#}` names nothing; the heading gets a generated id.
				removeAttribute(h, "id")
				continue
			}
			h.SetAttributeString("id", id)
			ids.Put(id)
		}
	}

	toc := make([]Heading, 0, len(headings))
	for _, h := range headings {
		plain := inlineText(h, src)
		var id []byte
		if v, ok := h.AttributeString("id"); ok {
			id = v.([]byte)
		} else {
			id = ids.Generate([]byte(plain), ast.KindHeading)
			h.SetAttributeString("id", id)
		}
		toc = append(toc, Heading{Level: h.Level, ID: string(id), Text: plain})
	}
	return toc
}

func attributeBytes(v any) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	default:
		return fmt.Append(nil, v)
	}
}

// filterAttributes removes every attribute of n whose name is not allowed.
func filterAttributes(n ast.Node, allowed map[string]bool) {
	keepAttributes(n, func(name string) bool { return allowed[name] })
}

func removeAttribute(n ast.Node, name string) {
	keepAttributes(n, func(a string) bool { return a != name })
}

// keepAttributes removes the attributes of n for which keep is false.
func keepAttributes(n ast.Node, keep func(name string) bool) {
	attrs := n.Attributes()
	if len(attrs) == 0 {
		return
	}
	kept := make([]ast.Attribute, 0, len(attrs))
	for _, a := range attrs {
		if keep(string(a.Name)) {
			kept = append(kept, a)
		}
	}
	if len(kept) == len(attrs) {
		return
	}
	n.RemoveAttributes()
	for _, a := range kept {
		n.SetAttribute(a.Name, a.Value)
	}
}
