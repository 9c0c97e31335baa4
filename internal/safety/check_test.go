package safety

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// basePath is the sub-path of every test site's baseURL.
const basePath = "/xxjy/"

// origin is the scheme and host of every test site's baseURL.
const origin = "https://www.example.gov.cn"

// knownElements are the elements that the themes and the Markdown
// converter write. Anything else in a page (iframe, object, embed, base,
// math, marquee, a made-up <xss>) can only have come from raw HTML in
// content, which the default configuration omits. script, style, link and
// meta are allowed here and checked more closely.
var knownElements = map[string]bool{}

func init() {
	for _, name := range strings.Fields(`
		html head body title meta link script style noscript
		header footer main nav article section aside div span p hr br
		h1 h2 h3 h4 h5 h6 a img picture source figure figcaption
		ul ol li dl dt dd blockquote pre code kbd samp var em strong b i u s del ins
		sub sup small mark abbr cite q time data dfn
		table caption colgroup col thead tbody tfoot tr th td
		details summary progress meter output
		form label input button fieldset legend search
		svg g defs symbol use title desc rect circle ellipse line polyline polygon path text tspan`) {
		knownElements[name] = true
	}
}

// urlAttributes are the attributes whose value a browser fetches or
// follows. Each is checked for a scheme that runs code.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "srcset": true, "poster": true,
	"data": true, "background": true, "cite": true, "longdesc": true, "dynsrc": true, "lowsrc": true,
	"codebase": true, "manifest": true, "ping": true, "icon": true, "profile": true, "usemap": true,
	"xlink:href": true, "imagesrcset": true,
}

var schemeName = regexp.MustCompile(`^[a-z][a-z0-9+.-]*$`)

// dangerousScheme reports whether a URL, as the browser would read it,
// uses a scheme that runs code or carries a whole document. Browsers drop
// ASCII whitespace and control characters before the scheme and tabs and
// newlines anywhere, so all of them are dropped here. Raster data: images
// are harmless and allowed.
func dangerousScheme(raw string) bool {
	var b strings.Builder
	for _, r := range raw {
		if r > ' ' && r != 0x7f {
			b.WriteRune(r)
		}
	}
	s := strings.ToLower(b.String())
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || !schemeName.MatchString(scheme) {
		return false
	}
	switch scheme {
	case "data":
		for _, img := range []string{"data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;"} {
			if strings.HasPrefix(s, img) {
				return false
			}
		}
		return true
	case "javascript", "vbscript", "file", "livescript", "mocha", "jar":
		return true
	}
	return false
}

// dangerousCSS reports CSS that can run script or fetch from elsewhere in
// some browser: expressions, behaviours and bindings, imports, url() and
// escapes that could spell any of them, outside string literals. Inside a
// string (the pocket book's running heads are `content: "title"`) such
// words are only text, but a raw newline would end the string early.
func dangerousCSS(css string) bool {
	var outside strings.Builder
	var quote rune
	escaped := false
	for _, r := range css {
		switch {
		case quote == 0 && (r == '"' || r == '\''):
			quote = r
			outside.WriteString("''")
		case quote == 0:
			outside.WriteRune(r)
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '\n' || r == '\r' || r == '\f':
			return true
		case r == quote:
			quote = 0
		}
	}
	if quote != 0 {
		return true
	}
	lower := strings.ToLower(outside.String())
	for _, bad := range []string{"expression", "javascript", "vbscript", "behavior", "binding", "@import", "url(", `\`, "</"} {
		if strings.Contains(lower, bad) {
			return true
		}
	}
	return false
}

// refresh matches the only meta refresh lanmu writes: the alias pages'
// immediate redirect to the page's own site path.
var refresh = regexp.MustCompile(`^0; url=(/[^/\\\s][^\s]*)$`)

// htmlProblems parses a page and lists everything in it that could run
// script, load something from an unsafe URL, or that only raw HTML from
// content could have produced.
func htmlProblems(data []byte) []string {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return []string{"does not parse: " + err.Error()}
	}
	return nodeProblems(doc)
}

// fragmentProblems is htmlProblems for the HTML of a feed item.
func fragmentProblems(fragment string) []string {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		return []string{"does not parse: " + err.Error()}
	}
	var out []string
	for _, n := range nodes {
		body.AppendChild(n)
	}
	out = append(out, nodeProblems(body)...)
	return out
}

func nodeProblems(root *html.Node) []string {
	var out []string
	report := func(n *html.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("<%s> ", n.Data)+fmt.Sprintf(format, args...))
	}
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if !knownElements[n.Data] {
			report(n, "is not an element lanmu writes: raw HTML got through")
		}
		for _, a := range n.Attr {
			name := a.Key
			if a.Namespace != "" {
				name = a.Namespace + ":" + a.Key
			}
			switch {
			case strings.HasPrefix(name, "on"):
				report(n, "has the event handler %s=%q", name, a.Val)
			case name == "srcdoc":
				report(n, "has srcdoc=%q", a.Val)
			case name == "style" && dangerousCSS(a.Val):
				report(n, "has style=%q", a.Val)
			case name == "srcset" || name == "imagesrcset":
				for _, candidate := range strings.Split(a.Val, ",") {
					if f := strings.Fields(candidate); len(f) > 0 && dangerousScheme(f[0]) {
						report(n, "has %s=%q", name, a.Val)
					}
				}
			case urlAttributes[name] && dangerousScheme(a.Val):
				report(n, "has %s=%q", name, a.Val)
			}
		}
		switch n.Data {
		case "script":
			src, hasSrc := attr(n, "src")
			typ, _ := attr(n, "type")
			switch {
			case hasSrc && (!internalURL(src) || path.Ext(src) != ".js"):
				// Only templates can write a <script>; what matters is
				// that none loads from elsewhere and none is inline.
				report(n, "loads %q, which is not a script of the site", src)
			case hasSrc && n.FirstChild != nil:
				report(n, "has both src and inline text")
			case !hasSrc && (typ == "application/json" || typ == "application/ld+json"):
				if text := textOf(n); !json.Valid([]byte(text)) || strings.Contains(strings.ToLower(text), "</script") {
					report(n, "holds data that is not valid JSON: %q", text)
				}
			case !hasSrc:
				report(n, "is an inline script: %q", textOf(n))
			}
		case "style":
			if css := textOf(n); dangerousCSS(css) {
				report(n, "holds unsafe CSS: %q", css)
			}
		case "link":
			rel, _ := attr(n, "rel")
			switch strings.ToLower(rel) {
			case "stylesheet", "canonical", "alternate", "icon", "preload", "prev", "next", "license":
			default:
				report(n, "has rel=%q", rel)
			}
		case "meta":
			if equiv, ok := attr(n, "http-equiv"); ok {
				content, _ := attr(n, "content")
				if !strings.EqualFold(equiv, "refresh") || !refresh.MatchString(content) {
					report(n, "has http-equiv=%q content=%q", equiv, content)
				}
			}
		case "form":
			if action, _ := attr(n, "action"); !internalURL(action) {
				report(n, "submits to %q, outside the site", action)
			}
		}
	}
	return out
}

// internalURL reports whether u is a path on the test site (or empty,
// which is the page itself).
func internalURL(u string) bool {
	if u == "" {
		return true
	}
	parsed, err := url.Parse(u)
	return err == nil && parsed.Scheme == "" && parsed.Host == "" && strings.HasPrefix(u, basePath)
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// textOf is the text directly inside an element (a script or style holds
// one text node).
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// texts returns every text node of a document, in order.
func texts(data []byte) []string {
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	var out []string
	for n := range doc.Descendants() {
		if n.Type == html.TextNode {
			out = append(out, n.Data)
		}
	}
	return out
}

// hasText reports whether a text node of the document contains want: the
// text arrived as text, escaped, rather than as markup. Runs of white
// space count as one space, as a browser shows them (and as a minifier
// writes them).
func hasText(data []byte, want string) bool {
	want = strings.Join(strings.Fields(want), " ")
	for _, t := range texts(data) {
		if strings.Contains(strings.Join(strings.Fields(t), " "), want) {
			return true
		}
	}
	return false
}

// withoutAttributeValues is an HTML document with its tags reduced to
// their names and attribute names. Inside a quoted attribute value "<" is
// only text, and a minifier writes it unescaped there; anywhere else in
// what remains, an editor's "<script>" written out as it is would be
// markup.
func withoutAttributeValues(data []byte) []byte {
	z := html.NewTokenizer(bytes.NewReader(data))
	var b bytes.Buffer
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.Bytes()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			b.WriteByte('<')
			b.Write(name)
			for more {
				var key []byte
				key, _, more = z.TagAttr()
				b.WriteByte(' ')
				b.Write(key)
			}
			b.WriteByte('>')
		default:
			b.Write(z.Raw())
		}
	}
}

// wellFormedXML reports the first error of an XML document, or nil.
func wellFormedXML(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// feedItem is what the checks need of one item of any feed format.
type feedItem struct {
	Title   string
	Summary string   // plain text
	HTML    []string // the content and, in RSS, the description
	Other   []string // authors and categories
}

// parseFeed reads an RSS or Atom document with gofeed, as a feed reader
// would, and returns its title, description and items. An RSS item's
// description is HTML (readers render it); an Atom summary is text.
func parseFeed(data []byte, rss bool) (head []string, items []feedItem, err error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	head = []string{f.Title, f.Description}
	for _, a := range f.Authors {
		head = append(head, a.Name)
	}
	for _, it := range f.Items {
		item := feedItem{Title: it.Title, Summary: it.Description, Other: it.Categories}
		for _, a := range it.Authors {
			item.Other = append(item.Other, a.Name)
		}
		if it.Content != "" {
			item.HTML = append(item.HTML, it.Content)
		}
		if rss {
			item.HTML = append(item.HTML, it.Description)
			item.Summary = strings.Join(fragmentTexts(it.Description), "")
		}
		items = append(items, item)
	}
	return head, items, nil
}

func fragmentTexts(fragment string) []string {
	var out []string
	nodes, _ := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	for _, n := range nodes {
		if n.Type == html.TextNode {
			out = append(out, n.Data)
		}
		for d := range n.Descendants() {
			if d.Type == html.TextNode {
				out = append(out, d.Data)
			}
		}
	}
	return out
}

// jsonFeed is the part of a JSON Feed the checks read.
type jsonFeed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Items       []struct {
		Title       string   `json:"title"`
		Summary     string   `json:"summary"`
		ContentHTML string   `json:"content_html"`
		ContentText string   `json:"content_text"`
		Tags        []string `json:"tags"`
	} `json:"items"`
}

// sitemapProblems lists the <loc>s of a sitemap that are not absolute URLs
// on the site.
func sitemapProblems(data []byte) []string {
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &set); err != nil {
		return []string{err.Error()}
	}
	var out []string
	for _, u := range set.URLs {
		if !strings.HasPrefix(u.Loc, origin+basePath) || strings.ContainsAny(u.Loc, "<>\"' \t\n") {
			out = append(out, fmt.Sprintf("<loc> %q is not a clean URL on the site", u.Loc))
		}
	}
	return out
}

// isHTML reports whether a site path is an HTML page.
func isHTML(p string) bool { return path.Ext(p) == ".html" }
