package markup

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"

	"lanmu/generator/messages"
)

// Raw HTML pasted into Markdown (from a word processor or another site,
// usually) is left out of the page unless unsafeHTML is set. Left out
// silently, a table or a red paragraph would vanish and the editor would
// not know why, so each piece is reported with what to write instead.

// tagName matches the name of the first tag of a piece of raw HTML; a
// closing tag has "/" before its name.
var tagName = regexp.MustCompile(`^<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)`)

// rawHTMLWarnings returns a warning for each HTML block and each inline
// HTML element of doc: one per element, at its opening tag. Comments are
// not content (the summary marker is one) and closing tags end an element
// already reported, so neither is reported.
func rawHTMLWarnings(doc ast.Node, src []byte) []Problem {
	var out []Problem
	pos := positions{src: src}
	warn := func(offset int, piece []byte) {
		if bytes.HasPrefix(piece, []byte("<!--")) {
			return
		}
		m := tagName.FindSubmatch(piece)
		if m != nil && len(m[1]) > 0 {
			return
		}
		name := ""
		if m != nil {
			name = strings.ToLower(string(m[2]))
		}
		line, col := pos.at(offset)
		out = append(out, problemAt(line, col, "%s is left out of the page: %s, or keep raw HTML with unsafeHTML = true under [build] in lanmu.toml (only for content you trust)", rawHTMLWhat(name), rawHTMLInstead(name, piece)))
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock:
			if n.HTMLBlockType == ast.HTMLBlockType2 || n.Lines().Len() == 0 {
				return ast.WalkSkipChildren, nil
			}
			var block []byte
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				block = append(block, seg.Value(src)...)
			}
			start := n.Lines().At(0).Start
			lead := len(block) - len(bytes.TrimLeft(block, " \t"))
			warn(start+lead, block[lead:])
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if n.Segments.Len() == 0 {
				return ast.WalkSkipChildren, nil
			}
			var piece []byte
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				piece = append(piece, seg.Value(src)...)
			}
			warn(n.Segments.At(0).Start, piece)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

// rawHTMLWhat names the HTML whose first tag is name.
func rawHTMLWhat(name string) messages.Text {
	if name != "" {
		return messages.Textf("raw HTML <%s>", name)
	}
	return messages.Textf("raw HTML")
}

// rawHTMLInstead says what to write instead of the HTML whose first tag
// is name. whole is the HTML, for a block that starts with another tag but
// holds a table.
func rawHTMLInstead(name string, whole []byte) messages.Text {
	switch {
	case slices.Contains([]string{"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"}, name),
		bytes.Contains(bytes.ToLower(whole), []byte("<table")):
		return messages.Textf("write a Markdown table instead (| 列 | 列 |, a line |---|---|, then a line per row)")
	case name == "br":
		return messages.Textf(`end the line with \ instead`)
	case name == "img":
		return messages.Textf("write ![说明](地址) instead")
	case name == "a":
		return messages.Textf("write [文字](地址) instead")
	case name == "b", name == "strong":
		return messages.Textf("write **文字** instead")
	case name == "i", name == "em":
		return messages.Textf("write *文字* instead")
	case len(name) == 2 && name[0] == 'h' && '1' <= name[1] && name[1] <= '6':
		return messages.Textf("write a heading line such as ## 标题 instead")
	case name == "ul", name == "ol", name == "li":
		return messages.Textf("write a list, each item on a line starting with - or 1., instead")
	case name == "hr":
		return messages.Textf("write a line of --- instead")
	}
	return messages.Textf("write it as plain Markdown text")
}
