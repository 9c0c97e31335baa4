// Package wechat turns an article into HTML that survives being pasted
// into the 公众号 (WeChat Official Account) editor.
//
// The editor keeps what it is given only in a narrow form (the facts come
// from doocs/md's rules and issues): styles inline on section, p, span,
// strong, em, img and table, never classes or style sheets; no links but
// to mp.weixin.qq.com; code whose lines are held by <br> and whose spaces
// are &nbsp;, since white space is collapsed; lists no deeper than two
// levels; images by absolute URL. So the article's links become numbered
// notes under 参考链接, its footnotes numbered notes under 注释, and it
// ends with a 阅读原文 line: the page's short address and its QR code.
package wechat

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Article is what a copy is made from.
type Article struct {
	Title string
	// HTML is the article's body as lanmu renders it from Markdown.
	HTML string
	// URL is the page's absolute address: relative links and images are
	// resolved against it.
	URL string
	// ReadMore is the page's short address, for the 阅读原文 line; QR is
	// its QR code as an svg element, or empty.
	ReadMore, QR string
	// Words are the copy's own words in the column's language; those left
	// empty are Chinese.
	Words Words
}

// Words are what a copy says itself.
type Words struct {
	ReadMore string // before the short address: "阅读原文："
	Links    string // over the links' notes: "参考链接"
	Notes    string // over the footnotes: "注释"
	Note     string // before a footnote's number: "注", so "[注1]"
	Colon    string // between a link's text and its address: "："
}

// orChinese fills the words left empty with the Chinese ones.
func (w Words) orChinese() Words {
	w.ReadMore = cmp.Or(w.ReadMore, "阅读原文：")
	w.Links = cmp.Or(w.Links, "参考链接")
	w.Notes = cmp.Or(w.Notes, "注释")
	w.Note = cmp.Or(w.Note, "注")
	w.Colon = cmp.Or(w.Colon, "：")
	return w
}

// The styles, one per kind of element: the look of the column's pages in
// the few properties the editor keeps.
const (
	styleRoot      = "margin:0;padding:0 4px;font-size:16px;line-height:1.8;color:#222;letter-spacing:0.5px;word-break:break-word;text-align:justify;"
	styleTitle     = "margin:0 0 20px;font-size:22px;line-height:1.5;font-weight:bold;color:#a4161a;text-align:center;"
	styleP         = "margin:0 0 16px;font-size:16px;line-height:1.8;color:#222;text-indent:2em;"
	styleH2        = "margin:28px 0 14px;padding:0 0 6px;font-size:18px;line-height:1.5;font-weight:bold;color:#a4161a;border-bottom:1px solid #c8a24a;"
	styleH3        = "margin:22px 0 12px;font-size:17px;line-height:1.5;font-weight:bold;color:#333;"
	styleStrong    = "font-weight:bold;color:#a4161a;"
	styleEm        = "font-style:italic;"
	styleDel       = "text-decoration:line-through;color:#777;"
	styleCode      = "padding:1px 4px;font-family:Menlo,Consolas,monospace;font-size:14px;background:#f3f3f3;border-radius:3px;"
	styleBlockCode = "margin:0 0 16px;padding:12px;font-family:Menlo,Consolas,monospace;font-size:13px;line-height:1.6;color:#333;background:#f6f6f6;border-radius:4px;overflow-x:auto;white-space:nowrap;"
	styleTerms     = "margin:0 0 16px;"
	styleTerm      = "margin:0;font-size:16px;line-height:1.8;font-weight:bold;color:#a4161a;"
	styleTermDef   = "margin:0 0 10px;padding:0 0 0 2em;font-size:16px;line-height:1.8;color:#222;"
	styleQuote     = "margin:0 0 16px;padding:8px 12px;color:#555;background:#faf7ef;border-left:3px solid #c8a24a;"
	styleList      = "margin:0 0 16px;padding:0 0 0 2em;"
	styleItem      = "margin:0 0 6px;line-height:1.8;"
	styleImg       = "display:block;max-width:100%;height:auto;margin:8px auto;"
	styleTable     = "width:100%;margin:0 0 16px;border-collapse:collapse;font-size:14px;"
	styleCell      = "padding:6px 8px;border:1px solid #ddd;text-align:left;vertical-align:top;"
	styleHead      = "padding:6px 8px;border:1px solid #ddd;text-align:left;vertical-align:top;font-weight:bold;background:#f6f6f6;"
	styleRule      = "margin:24px 0;border-top:1px solid #ddd;"
	styleSup       = "font-size:12px;line-height:0;color:#a4161a;"
	styleLink      = "color:#576b95;"
	styleNotesHead = "margin:28px 0 10px;font-size:15px;font-weight:bold;color:#333;"
	styleNote      = "margin:0 0 6px;font-size:13px;line-height:1.6;color:#666;word-break:break-all;"
	styleReadMore  = "margin:28px 0 0;padding:12px 0 0;font-size:14px;line-height:1.6;color:#666;border-top:1px solid #ddd;text-align:center;"
	styleQR        = "display:block;width:120px;height:120px;margin:8px auto 0;"
	styleReadLink  = "word-break:break-all;"
)

// MaxListDepth is how deep lists may nest in the editor; deeper items are
// set as lines inside the item of the second level.
const MaxListDepth = 2

// note is a numbered note: a link's text and address, or a footnote.
type note struct {
	text, url string
}

type writer struct {
	words    Words
	base     *url.URL
	b        *bytes.Buffer
	links    []note
	linkNum  map[string]int
	notes    []string // the ids of the footnotes, in the order they are cited
	noteNum  map[string]int
	footnote map[string]*html.Node // id → the footnote's <li>
}

// Render returns the article as the editor keeps it: one section, every
// element styled inline.
func Render(a Article) (string, error) {
	base, err := url.Parse(a.URL)
	if err != nil {
		return "", fmt.Errorf("wechat: the page's address %q: %w", a.URL, err)
	}
	root := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"}
	nodes, err := html.ParseFragment(strings.NewReader(a.HTML), root)
	if err != nil {
		// Nested past what the parser holds (512 elements): the editor
		// could not show such depth either, so the text goes as plain
		// paragraphs.
		nodes = paragraphs(a.HTML)
	}
	w := &writer{words: a.Words.orChinese(), b: new(bytes.Buffer), base: base, linkNum: map[string]int{}, noteNum: map[string]int{}, footnote: map[string]*html.Node{}}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	w.collectFootnotes(root)
	w.open("section", styleRoot)
	if a.Title != "" {
		w.open("p", styleTitle)
		w.text(a.Title)
		w.close("p")
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		w.node(c, 0)
	}
	w.endNotes()
	if a.ReadMore != "" {
		w.open("section", styleReadMore)
		w.open("span", styleReadLink)
		w.text(w.words.ReadMore + a.ReadMore)
		w.close("span")
		if a.QR != "" {
			w.open("section", styleQR)
			w.b.WriteString(a.QR)
			w.close("section")
		}
		w.close("section")
	}
	w.close("section")
	return w.b.String(), nil
}

func (w *writer) open(tag, style string, attrs ...string) {
	w.b.WriteString("<" + tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		fmt.Fprintf(w.b, ` %s="%s"`, attrs[i], html.EscapeString(attrs[i+1]))
	}
	if style != "" {
		fmt.Fprintf(w.b, ` style="%s"`, style)
	}
	w.b.WriteString(">")
}

func (w *writer) close(tag string) { w.b.WriteString("</" + tag + ">") }

// wrap writes what n holds inside an element of the tag and style.
func (w *writer) wrap(tag, style string, n *html.Node, depth int) {
	w.open(tag, style)
	w.children(n, depth)
	w.close(tag)
}

func (w *writer) text(s string) { w.b.WriteString(html.EscapeString(s)) }

// collectFootnotes finds the footnotes' list, which the notes replace.
func (w *writer) collectFootnotes(root *html.Node) {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Div && hasClass(c, "footnotes") {
			for li := range c.Descendants() {
				if li.DataAtom == atom.Li {
					if id := attr(li, "id"); id != "" {
						w.footnote[id] = li
					}
				}
			}
		}
	}
}

func (w *writer) children(n *html.Node, depth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c, depth)
	}
}

// node writes n and what it holds; depth is how many lists enclose it.
func (w *writer) node(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.P:
		w.wrap("p", styleP, n, depth)
	case atom.H1, atom.H2:
		w.wrap("p", styleH2, n, depth)
	case atom.H3, atom.H4, atom.H5, atom.H6:
		w.wrap("p", styleH3, n, depth)
	case atom.Strong, atom.B:
		w.wrap("strong", styleStrong, n, depth)
	case atom.Em, atom.I:
		w.wrap("em", styleEm, n, depth)
	case atom.Del, atom.S:
		w.wrap("span", styleDel, n, depth)
	case atom.Code:
		w.open("span", styleCode)
		w.text(textOf(n))
		w.close("span")
	case atom.Pre:
		w.codeBlock(n)
	case atom.Blockquote:
		w.wrap("section", styleQuote, n, depth)
	case atom.Ul, atom.Ol:
		w.list(n, depth)
	case atom.Dl:
		// A term and its meaning each on lines of their own, the meaning
		// set in: run together, the terms would be lost in the text.
		w.open("section", styleTerms)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				w.node(c, depth)
			}
		}
		w.close("section")
	case atom.Dt:
		w.wrap("p", styleTerm, n, depth)
	case atom.Dd:
		w.wrap("p", styleTermDef, n, depth)
	case atom.Li:
		// An item outside a list: its text as a paragraph.
		w.wrap("p", styleP, n, depth)
	case atom.A:
		w.link(n, depth)
	case atom.Img:
		src := w.absolute(attr(n, "src"))
		w.open("img", styleImg, "src", src, "alt", attr(n, "alt"))
	case atom.Table:
		w.wrap("table", styleTable, n, depth)
	case atom.Thead, atom.Tbody, atom.Tfoot, atom.Tr:
		w.wrap(n.Data, "", n, depth)
	case atom.Th, atom.Td:
		style := styleCell
		if n.DataAtom == atom.Th {
			style = styleHead
		}
		var span []string
		for _, k := range []string{"colspan", "rowspan"} {
			if v := attr(n, k); v != "" {
				span = append(span, k, v)
			}
		}
		w.open(n.Data, style, span...)
		w.children(n, depth)
		w.close(n.Data)
	case atom.Hr:
		w.open("section", styleRule)
		w.close("section")
	case atom.Sup:
		if ref := footnoteRef(n); ref != "" {
			w.cite(ref)
			return
		}
		w.wrap("span", styleSup, n, depth)
	case atom.Input:
		if attr(n, "type") == "checkbox" {
			if _, done := attrOK(n, "checked"); done {
				w.text("☑")
			} else {
				w.text("☐")
			}
		}
	case atom.Div:
		if hasClass(n, "footnotes") {
			return // set as the notes at the end
		}
		w.children(n, depth)
	case atom.Br:
		w.b.WriteString("<br>")
	case atom.Script, atom.Style, atom.Iframe, atom.Object, atom.Embed, atom.Svg:
		// Nothing the editor would keep.
	default:
		// Spans, labels and the like: their content, without them.
		w.children(n, depth)
	}
}

// list writes a list within the depth the editor shows; the items of a
// list deeper than that become lines of the item that holds it.
func (w *writer) list(n *html.Node, depth int) {
	if depth >= MaxListDepth {
		for li := n.FirstChild; li != nil; li = li.NextSibling {
			if li.DataAtom != atom.Li {
				continue
			}
			w.b.WriteString("<br>")
			w.text(strings.Repeat("　", depth-MaxListDepth+1) + "– ")
			w.children(li, depth+1)
		}
		return
	}
	tag := n.Data
	w.open(tag, styleList)
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.DataAtom != atom.Li {
			continue
		}
		w.open("li", styleItem)
		w.children(li, depth+1)
		w.close("li")
	}
	w.close(tag)
}

// codeBlock writes a code block's text line by line, its spaces kept.
func (w *writer) codeBlock(n *html.Node) {
	w.open("section", styleBlockCode)
	lines := strings.Split(strings.TrimRight(textOf(n), "\n"), "\n")
	for i, line := range lines {
		if i > 0 {
			w.b.WriteString("<br>")
		}
		line = strings.ReplaceAll(line, "\t", "    ")
		w.b.WriteString(strings.ReplaceAll(html.EscapeString(line), " ", "&nbsp;"))
	}
	w.close("section")
}

// link writes a link the editor keeps (to mp.weixin.qq.com) as a link,
// and any other as its text and the number of its note.
func (w *writer) link(n *html.Node, depth int) {
	href := attr(n, "href")
	if hasClass(n, "footnote-backref") {
		return // the way back from a footnote, which the notes do not need
	}
	if strings.HasPrefix(href, "#") {
		w.children(n, depth) // within the article: its text alone
		return
	}
	abs := w.absolute(href)
	if u, err := url.Parse(abs); err == nil && u.Host == "mp.weixin.qq.com" {
		w.open("a", styleLink, "href", abs)
		w.children(n, depth)
		w.close("a")
		return
	}
	w.children(n, depth)
	num, ok := w.linkNum[abs]
	if !ok {
		w.links = append(w.links, note{text: strings.TrimSpace(textOf(n)), url: abs})
		num = len(w.links)
		w.linkNum[abs] = num
	}
	w.open("span", styleSup)
	fmt.Fprintf(w.b, "[%d]", num)
	w.close("span")
}

// cite writes a footnote's mark as the number of its note.
func (w *writer) cite(id string) {
	num, ok := w.noteNum[id]
	if !ok {
		w.notes = append(w.notes, id)
		num = len(w.notes)
		w.noteNum[id] = num
	}
	w.open("span", styleSup)
	fmt.Fprintf(w.b, "[%s%d]", w.words.Note, num)
	w.close("span")
}

// endNotes writes the footnotes and then the links, numbered.
func (w *writer) endNotes() {
	if len(w.notes) > 0 {
		w.notesHead(w.words.Notes)
		// Written before the links' list, so that a link in a footnote
		// is numbered after those of the text, as a reader meets it.
		for i, id := range w.notes {
			w.open("p", styleNote)
			fmt.Fprintf(w.b, "[%s%d] ", w.words.Note, i+1)
			// The footnote's paragraphs run together into one note,
			// without the space before the way back.
			saved := w.b
			w.b = new(bytes.Buffer)
			if li := w.footnote[id]; li != nil {
				for c := li.FirstChild; c != nil; c = c.NextSibling {
					if c.DataAtom == atom.P {
						w.children(c, 0)
					} else {
						w.node(c, 0)
					}
				}
			}
			text := strings.TrimSpace(w.b.String())
			w.b = saved
			w.b.WriteString(text)
			w.close("p")
		}
	}
	if len(w.links) > 0 {
		w.notesHead(w.words.Links)
		for i, l := range w.links {
			w.open("p", styleNote)
			if l.text != "" && l.text != l.url {
				w.text(fmt.Sprintf("[%d] %s%s%s", i+1, l.text, w.words.Colon, l.url))
			} else {
				w.text(fmt.Sprintf("[%d] %s", i+1, l.url))
			}
			w.close("p")
		}
	}
}

// notesHead writes the heading of a list of notes.
func (w *writer) notesHead(title string) {
	w.open("section", styleNotesHead)
	w.text(title)
	w.close("section")
}

// absolute resolves an address against the page's.
func (w *writer) absolute(ref string) string {
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return w.base.ResolveReference(u).String()
}

// footnoteRef returns the id of the footnote a <sup> cites, or "".
func footnoteRef(sup *html.Node) string {
	for c := range sup.Descendants() {
		if c.DataAtom == atom.A && hasClass(c, "footnote-ref") {
			return strings.TrimPrefix(attr(c, "href"), "#")
		}
	}
	return ""
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// textOf is the text n holds.
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// paragraphs is the text of an HTML fragment as paragraphs, one for each
// block the fragment's tags open or close, read by the tokenizer, which
// keeps no stack of elements.
func paragraphs(fragment string) []*html.Node {
	var out []*html.Node
	var text strings.Builder
	flush := func() {
		if s := strings.TrimSpace(text.String()); s != "" {
			p := &html.Node{Type: html.ElementNode, DataAtom: atom.P, Data: "p"}
			p.AppendChild(&html.Node{Type: html.TextNode, Data: s})
			out = append(out, p)
		}
		text.Reset()
	}
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return out
		case html.TextToken:
			text.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.P, atom.Li, atom.Div, atom.Blockquote, atom.Pre, atom.Tr, atom.Dt, atom.Dd, atom.Br,
				atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Dl, atom.Table:
				flush()
			}
		}
	}
}
