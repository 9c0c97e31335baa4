package theme

import (
	"html/template"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestGlueTail(t *testing.T) {
	for in, want := range map[string]template.HTML{
		"学党章守规矩":   `学党章守<span class="nobr">规矩</span>`,
		"A & B<x>": `A &amp; B&lt;<span class="nobr">x&gt;</span>`,
		"党章":       `党章`,
		"学习 党章 ":   `学习 党章 `,
		"":         ``,
	} {
		if got := glueTail(in); got != want {
			t.Errorf("glueTail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGlueHeadingTails(t *testing.T) {
	for in, want := range map[template.HTML]template.HTML{
		`<h2 id="a">一、为什么要学党章</h2><p>正文正文</p>`: `<h2 id="a">一、为什么要学<span class="nobr">党章</span></h2><p>正文正文</p>`,
		`<h3>（一）<em>重点</em>在于落实</h3>`:          `<h3>（一）<em>重点</em>在于<span class="nobr">落实</span></h3>`,
		`<h2>学习 <code>x</code></h2>`:           `<h2>学习 <code>x</code></h2>`,
		`<h2>党员&amp;</h2>`:                     `<h2>党员&amp;</h2>`,
		`<h4>四级标题不处理</h4>`:                     `<h4>四级标题不处理</h4>`,
		`<p>段落里的文字</p>`:                        `<p>段落里的文字</p>`,
	} {
		if got := glueHeadingTails(in); got != want {
			t.Errorf("glueHeadingTails(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}

// The hand scanner finds the headings that this regular expression, the
// first version's, found: random markup from heading-like pieces must come
// out the same from both.
var headingPattern = regexp.MustCompile(`(?s)(<h([1-3])\b[^>]*>)(.*?)(</h[1-3]>)`)

func glueByPattern(html string) string {
	return headingPattern.ReplaceAllStringFunc(html, func(h string) string {
		m := headingPattern.FindStringSubmatch(h)
		open, inner, closing := m[1], m[3], m[4]
		if closing != "</h"+m[2]+">" {
			return h
		}
		start := strings.LastIndexByte(inner, '>') + 1
		head, tail, ok := splitTail(inner[start:])
		if !ok || strings.ContainsRune(tail, ';') {
			return h
		}
		return open + inner[:start] + head + `<span class="nobr">` + tail + `</span>` + closing
	})
}

func TestHeadingScannerMatchesThePattern(t *testing.T) {
	pieces := []string{"<h1>", "<h2 id=\"a\">", "<h3>", "<h4>", "<h1x>", "<h2", "</h1>", "</h2>", "</h3>", "</h4>", "</h",
		"学习党章", "党规", "a b", "&amp;", "<code>x</code>", ">", "<", "\n", "为", " ", "h", "<hr>", "<h1_>", "<h3-1>"}
	rng := rand.New(rand.NewPCG(16, 1))
	for i := range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := b.String()
		if got, want := string(glueHeadingTails(template.HTML(in))), glueByPattern(in); got != want {
			t.Fatalf("case %d: %q\nscanner %q\npattern %q", i, in, got, want)
		}
	}
}
