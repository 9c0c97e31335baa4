package markup

import (
	"regexp"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// GFM's linkify takes only ASCII into a URL's path, so
// https://zh.wikipedia.org/wiki/党章 linked https://zh.wikipedia.org/wiki/
// and left 党章 as text. lanmu lets the path hold letters, digits and marks
// of any script. Punctuation, Chinese included, still ends it, so
// https://a.cn/b，谢谢 links https://a.cn/b.

// urlPath is the characters GFM allows in a URL's path, and letters, digits
// and marks of every script.
const urlPath = "[-a-zA-Z0-9@:%_+.~#$!?&/=\\(\\);,'\">\\^{}\\[\\]`\\p{L}\\p{N}\\p{M}]"

var linkifyOptions = []extension.LinkifyOption{
	extension.WithLinkifyURLRegexp(regexp.MustCompile(`^(?:http|https|ftp)://[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?::\d+)?(?:[/#?]` + urlPath + `*)?`)),
	extension.WithLinkifyWWWRegexp(regexp.MustCompile(`^www\.[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-z]+(?:[/#?]` + urlPath + `*)?`)),
}

// cjkLinkify is GFM's linkify with the wider paths.
type cjkLinkify struct{}

func (cjkLinkify) Extend(m goldmark.Markdown) { extension.NewLinkify(linkifyOptions...).Extend(m) }
