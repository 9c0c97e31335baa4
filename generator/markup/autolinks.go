package markup

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// GFM's linkify takes only ASCII into a URL's path, so
// https://zh.wikipedia.org/wiki/党章 linked https://zh.wikipedia.org/wiki/
// and left 党章 as text. lanmu lets the path hold letters, digits and marks
// of any script. Punctuation, Chinese included, still ends it, so
// https://a.cn/b，谢谢 links https://a.cn/b.

// urlPath is the characters GFM allows in a URL's path, and letters, digits
// and marks of every script.
const urlPath = "[-a-zA-Z0-9@:%_+.~#$!?&/=\\(\\);,'\">\\^{}\\[\\]`\\p{L}\\p{N}\\p{M}]"

var (
	linkifyURL     = regexp.MustCompile(`^(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?(?:[/#?]` + urlPath + `*)?`)
	linkifyWWW     = regexp.MustCompile(`^www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?:[/#?]` + urlPath + `*)?`)
	linkifyOptions = []extension.LinkifyOption{extension.WithLinkifyURLRegexp(linkifyURL), extension.WithLinkifyWWWRegexp(linkifyWWW)}
)

// cjkLinkify is GFM's linkify with the wider paths.
type cjkLinkify struct{}

func (cjkLinkify) Extend(m goldmark.Markdown) { extension.NewLinkify(linkifyOptions...).Extend(m) }

// linkifyAfterCJK links the bare URLs that follow a CJK character with no
// space, as Chinese writes them (详见https://www.gov.cn/…). GFM links a URL
// only after a space, a line start or one of `*_~(`, and goldmark tries
// its inline parsers only at punctuation and spaces, so these are found in
// the text goldmark left: the same patterns, and GFM's trimming of what
// may end a URL.
func linkifyAfterCJK(doc ast.Node, src []byte) {
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.CodeSpan, *ast.Image:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering && !n.IsRaw() {
				texts = append(texts, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		for t != nil {
			t = linkifyOne(t, src)
		}
	}
}

// urlStarts are what a bare URL begins with.
var urlStarts = [][]byte{[]byte("https://"), []byte("http://"), []byte("ftp://"), []byte("www.")}

// linkifyOne links the first URL after a CJK character in t, splitting t
// around it, and returns the text after it to look at next, or nil.
func linkifyOne(t *ast.Text, src []byte) *ast.Text {
	seg := t.Segment
	value := src[seg.Start:seg.Stop]
	for i := 1; i < len(value); i++ {
		c := value[i]
		if c != 'h' && c != 'f' && c != 'w' {
			continue
		}
		before, _ := utf8.DecodeLastRune(value[:i])
		if !isCJK(before) {
			continue
		}
		rest := value[i:]
		var m []int
		www := false
		for _, start := range urlStarts {
			if bytes.HasPrefix(rest, start) {
				www = start[0] == 'w'
				pattern := linkifyURL
				if www {
					pattern = linkifyWWW
				}
				m = pattern.FindIndex(rest)
				break
			}
		}
		if m == nil || m[0] != 0 {
			continue
		}
		end := trimURLEnd(rest[:m[1]])
		if end == 0 {
			continue
		}
		start, stop := seg.Start+i, seg.Start+i+end
		link := ast.NewAutoLink(ast.AutoLinkURL, ast.NewTextSegment(text.NewSegment(start, stop)))
		if www {
			link.Protocol = []byte("http")
		}
		link.SetPos(start) // for messages about the link
		after := ast.NewTextSegment(text.NewSegment(stop, seg.Stop))
		after.SetSoftLineBreak(t.SoftLineBreak())
		after.SetHardLineBreak(t.HardLineBreak())
		t.Segment = seg.WithStop(start)
		t.SetSoftLineBreak(false)
		t.SetHardLineBreak(false)
		parent := t.Parent()
		parent.InsertAfter(parent, t, link)
		parent.InsertAfter(parent, link, after)
		return after
	}
	return nil
}

// trimURLEnd drops from a matched URL what GFM leaves out of a link:
// trailing ? ! . , : * _ ~, a ) that closes nothing in the URL, and an
// entity reference (&amp;) at the end. It returns the length kept.
func trimURLEnd(url []byte) int {
	opening, closing := bytes.Count(url, []byte("(")), bytes.Count(url, []byte(")"))
	i := len(url)
	for i > 1 {
		switch url[i-1] {
		case '?', '!', '.', ',', ':', '*', '_', '~':
			i--
			continue
		case ')':
			if closing <= opening {
				return i
			}
			closing--
			i--
			continue
		case ';':
			j := i - 2
			for j > 0 && (url[j] >= 'a' && url[j] <= 'z' || url[j] >= 'A' && url[j] <= 'Z' || url[j] >= '0' && url[j] <= '9') {
				j--
			}
			if j == i-2 || url[j] != '&' {
				return i
			}
			i = j
			continue
		}
		return i
	}
	return i
}
