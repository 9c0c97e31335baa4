package markup

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// linkPass applies the safety filter and the caller's LinkResolver to every
// link, image and autolink of a parsed document.
type linkPass struct {
	src      []byte
	pos      positions // of src
	unsafe   bool
	resolve  LinkResolver
	problems []Problem
	links    []Link
}

func (p *linkPass) walk(parent ast.Node) {
	for n := parent.FirstChild(); n != nil; {
		next := n.NextSibling()
		switch n := n.(type) {
		case *ast.Link:
			if p.dropDestination(n.Destination) {
				// The label stays visible as plain content, so continue with
				// its first node: it may itself hold an image to check.
				if first := unwrap(n); first != nil {
					next = first
				}
			} else {
				n.Destination = p.resolved(n, n.Destination)
				p.walk(n)
			}
		case *ast.Image:
			if p.dropDestination(n.Destination) {
				// Keep the description, so the sentence around it still reads.
				replaceWithText(n, []byte(inlineText(n, p.src)))
			} else {
				n.Destination = p.resolved(n, n.Destination)
			}
		case *ast.AutoLink:
			p.autoLink(n)
		default:
			if n.HasChildren() {
				p.walk(n)
			}
		}
		n = next
	}
}

func (p *linkPass) dropDestination(raw []byte) bool {
	return !p.unsafe && isDangerousURL(decodeDestination(raw))
}

func (p *linkPass) autoLink(n *ast.AutoLink) {
	url := n.URL(p.src)
	if !p.unsafe && isDangerousURL(url) {
		replaceWithText(n, n.Label(p.src))
		return
	}
	if p.resolve == nil {
		return
	}
	// Hand the resolver the address the reader would actually follow: an
	// e-mail autolink is a mailto: link, not a relative path named
	// "someone@example.org".
	href := string(url)
	if n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(href, "mailto:") {
		href = "mailto:" + href
	}
	resolved, err := p.resolve(href)
	if err != nil {
		p.problem(n, err)
		return
	}
	p.record(n, resolved)
	if resolved == href {
		return
	}
	// An autolink always prints its own text as the address; to point it
	// somewhere else it has to become an ordinary link with that text.
	link := ast.NewLink()
	link.Destination = escapeDestination(resolved)
	label := ast.NewString(bytes.Clone(n.Label(p.src)))
	label.SetRaw(true)
	link.AppendChild(link, label)
	link.SetPos(n.Pos())
	n.Parent().ReplaceChild(n.Parent(), n, link)
}

// resolved runs the resolver on the raw destination of link or image n and
// returns the destination to store in the node.
func (p *linkPass) resolved(n ast.Node, raw []byte) []byte {
	if p.resolve == nil {
		return raw
	}
	// The resolver sees the destination the way CommonMark defines it, with
	// backslash escapes and character references decoded, because that is
	// the path or URL the author meant (`a\_b.md` names the file a_b.md).
	decoded := string(decodeDestination(raw))
	resolved, err := p.resolve(decoded)
	if err != nil {
		p.problem(n, err)
		return raw
	}
	p.record(n, resolved)
	if resolved == decoded {
		return raw
	}
	return escapeDestination(resolved)
}

// record keeps an internal destination (a site path or a #fragment) for
// Result.Links; external addresses are not the site's to check.
func (p *linkPass) record(n ast.Node, dest string) {
	if !strings.HasPrefix(dest, "#") && (!strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//")) {
		return
	}
	line, col := p.pos.at(nodeOffset(n, p.src))
	_, image := n.(*ast.Image)
	p.links = append(p.links, Link{Dest: dest, Line: line, Col: col, Image: image})
}

func (p *linkPass) problem(n ast.Node, err error) {
	line, col := p.pos.at(nodeOffset(n, p.src))
	p.problems = append(p.problems, problemAt(line, col, "%v", err))
}

// nodeOffset returns the byte offset in src where an inline node starts.
//
// goldmark records the offset of the opening `[` of a link and of the `!`
// of an image, so those are exact. For an autolink it records where the
// inline parser was triggered: the `<` of `<https://…>`, but for a bare URL
// recognised by the linkify extension the space, `*`, `_`, `~` or `(`
// before it, which is stepped over here. When no offset was recorded the
// start of the first line of the enclosing block is used, which is right
// about the line but not the column.
func nodeOffset(n ast.Node, src []byte) int {
	if pos := n.Pos(); pos >= 0 && pos < len(src) {
		if _, ok := n.(*ast.AutoLink); ok && strings.IndexByte(" *_~(", src[pos]) >= 0 {
			pos++
		}
		return pos
	}
	for b := n.Parent(); b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
			return b.Lines().At(0).Start
		}
	}
	return 0
}

// decodeDestination applies the same decoding goldmark's renderer applies
// to a destination before printing it, so the safety check sees exactly the
// scheme the browser would see.
func decodeDestination(raw []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(raw)))
}

// escapeDestination is the inverse of decodeDestination: goldmark's renderer
// decodes the stored destination once more, so a resolved address is stored
// in a form that decodes back to itself.
func escapeDestination(s string) []byte {
	if !strings.ContainsAny(s, `\&`) {
		return []byte(s)
	}
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			b.WriteString(`\\`)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.Bytes()
}

// isDangerousURL reports whether dest uses a scheme that can run code or
// smuggle content past the page: javascript:, vbscript:, data: or file:.
//
// Browsers drop tabs and newlines anywhere in a URL and ignore leading
// control characters and spaces, so "java\tscript:" is still javascript:.
// All ASCII control characters and spaces are skipped here, which is
// stricter than any browser.
func isDangerousURL(dest []byte) bool {
	var scheme [len("javascript")]byte
	n := 0
	for _, c := range dest {
		switch {
		case c <= ' ' || c == 0x7f:
			continue
		case c == ':':
			switch string(scheme[:n]) {
			case "javascript", "vbscript", "data", "file":
				return true
			}
			return false
		case ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') ||
			(n > 0 && (('0' <= c && c <= '9') || c == '+' || c == '-' || c == '.')):
			if n == len(scheme) {
				return false // longer than every scheme we block
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			scheme[n] = c
			n++
		default:
			return false // not a scheme: a path, query or fragment
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// unwrap replaces n by its children and returns the first of them.
func unwrap(n ast.Node) ast.Node {
	parent := n.Parent()
	first := n.FirstChild()
	for c := first; c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
	return first
}

// replaceWithText replaces n by plain text that is HTML-escaped on output
// but otherwise printed literally.
func replaceWithText(n ast.Node, value []byte) {
	s := ast.NewString(bytes.Clone(value))
	s.SetRaw(true)
	n.Parent().ReplaceChild(n.Parent(), n, s)
}
