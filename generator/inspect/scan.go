package inspect

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"

	"lanmu/generator/messages"
)

// PageIssue is a problem found in a rendered page: the rule, the address
// it is about (for finding it in the page's source), and what is wrong.
type PageIssue struct {
	Rule    Rule
	Address string
	Message messages.Text
}

// ScanPage looks through a rendered page for addresses by http:// (mixed
// content, which browsers block or flag on an https site) in links,
// images, scripts, stylesheets and frames, and for images without alt
// text that are not marked as decoration.
func ScanPage(doc []byte) []PageIssue {
	var out []PageIssue
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attr := map[string]string{}
		has := map[string]bool{}
		for _, a := range tok.Attr {
			attr[a.Key], has[a.Key] = a.Val, true
		}
		for _, key := range []string{"href", "src"} {
			if v := strings.TrimSpace(attr[key]); len(v) >= 7 && strings.EqualFold(v[:7], "http://") {
				out = append(out, PageIssue{Insecure, v, messages.Textf("<%s %s=%q> is fetched by http://: on an https site browsers block or flag it; use https://", tok.Data, key, v)})
			}
		}
		if tok.Data == "img" && attr["aria-hidden"] != "true" && attr["role"] != "presentation" && strings.TrimSpace(attr["alt"]) == "" {
			src := attr["src"]
			if has["alt"] {
				out = append(out, PageIssue{ImageAlt, src, messages.Textf("the image %s has an empty alt text: say what it shows, as ![说明](%s)", src, src)})
			} else {
				out = append(out, PageIssue{ImageAlt, src, messages.Textf("the image %s has no alt text: say what it shows, as ![说明](%s)", src, src)})
			}
		}
	}
}
