// Package pasteable checks an HTML fragment against what the 公众号
// (WeChat Official Account) editor keeps when it is pasted there: the
// rules of SPEC.md's "WeChat copies", written apart from the renderer
// (generator/wechat) so that the tests of the one are not the other read
// back.
package pasteable

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxListDepth is how deeply lists may nest.
const MaxListDepth = 2

// Parse reads a fragment as the editor's body would hold it.
func Parse(fragment string) ([]*html.Node, error) {
	body := &html.Node{Type: html.ElementNode, DataAtom: atom.Body, Data: "body"}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	return nodes, nil
}

// Problems lists where a fragment breaks the rules: an element without an
// inline style (a line break and a table's row groups and rows need none;
// an svg is drawn by its own attributes), one with a class, a link other
// than to mp.weixin.qq.com, a list more than MaxListDepth deep.
func Problems(fragment string) ([]string, error) {
	nodes, err := Parse(fragment)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(n *html.Node, lists int)
	walk = func(n *html.Node, lists int) {
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Svg {
				return
			}
			if _, ok := Attr(n, "style"); !ok && n.DataAtom != atom.Br && n.DataAtom != atom.Thead && n.DataAtom != atom.Tbody && n.DataAtom != atom.Tr {
				out = append(out, fmt.Sprintf("<%s> has no inline style", n.Data))
			}
			if class, ok := Attr(n, "class"); ok {
				out = append(out, fmt.Sprintf("<%s> has a class, %q", n.Data, class))
			}
			if href, _ := Attr(n, "href"); n.DataAtom == atom.A && !strings.HasPrefix(href, "https://mp.weixin.qq.com/") {
				out = append(out, fmt.Sprintf("a link to %q", href))
			}
			if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
				lists++
				if lists > MaxListDepth {
					out = append(out, fmt.Sprintf("a list %d levels deep", lists))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, lists)
		}
	}
	for _, n := range nodes {
		walk(n, 0)
	}
	return out, nil
}

// Attr returns an attribute's value and whether the element has it.
func Attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}
