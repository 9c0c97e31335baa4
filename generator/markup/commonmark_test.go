package markup

import (
	"bytes"
	"encoding/json"
	"fmt"
	stdhtml "html"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// The examples of the CommonMark spec 0.31.2 (testdata/commonmark, see its
// README) must render as the spec says, once lanmu's own additions are
// normalised away (normaliseRendered). The only other differences allowed
// are those of the extensions lanmu enables on purpose (specByExtension)
// and the known bugs (specBugs); both lists are exact, and each entry is
// proved by rendering the example with plain goldmark, without and with
// the extension named.
//
// lanmu's other additions never show here: no example has a task list
// item (task labels), a footnote (the word joiner before its mark), CJK
// text (line joining, CJK-friendly emphasis) or a `<!--more-->` line.

type specExample struct {
	Markdown  string `json:"markdown"`
	HTML      string `json:"html"`
	Example   int    `json:"example"`
	StartLine int    `json:"start_line"` // in spec.txt
	Section   string `json:"section"`
}

// specExtensions are the extensions of newMarkdown that change the
// rendering of some spec example, as goldmark's own extenders, so that an
// example can be rendered with one of them alone. The others (tables,
// strikethrough, task lists, footnotes, definition lists, `{...}`
// attributes, CJK-friendly emphasis) change no example: the spec has no
// example in their syntax.
var specExtensions = map[string]goldmark.Extender{
	"linkify":           extension.Linkify,
	"CJK escaped space": extension.NewCJK(extension.WithEscapedSpace()),
}

// specByExtension lists the examples that differ from the spec because an
// extension does what it is enabled for: example number → extension.
var specByExtension = map[int]string{
	// `\ ` is removed, so that `**强调**\ 后` closes the emphasis with no
	// visible space; the spec keeps a backslash before a space.
	13: "CJK escaped space",
	// GFM extended autolinks: a URL or e-mail address in running text is a
	// link, also between `< ` and ` >`, which CommonMark leaves as text.
	608: "linkify",
	611: "linkify",
	612: "linkify",
}

type specBug struct {
	ext   string // the extension without which the example passes
	cause string
}

// specBugs lists the examples that differ for no reason of the extension
// that causes the difference: to be fixed, then removed from here.
var specBugs = map[int]specBug{
	// 226 and 635 were here: spaces before a hard line break that
	// goldmark left when linkify ran at every space (trimBeforeHardBreaks).
}

func TestCommonMarkSpec(t *testing.T) {
	data, err := os.ReadFile("testdata/commonmark/spec.json")
	if err != nil {
		t.Fatal(err)
	}
	var examples []specExample
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatal(err)
	}
	// A truncated or other version of the file would change the score
	// without anyone noticing.
	if len(examples) != 652 {
		t.Fatalf("spec.json has %d examples, want 652 (CommonMark 0.31.2)", len(examples))
	}
	for n, bug := range specBugs {
		if _, ok := specByExtension[n]; ok {
			t.Errorf("example %d is listed both as an extension's and as a bug", n)
		}
		if specExtensions[bug.ext] == nil {
			t.Errorf("bug of example %d names extension %q, which specExtensions lacks", n, bug.ext)
		}
	}
	for n, ext := range specByExtension {
		if specExtensions[ext] == nil {
			t.Errorf("example %d names extension %q, which specExtensions lacks", n, ext)
		}
	}

	c := New(Options{Unsafe: true}) // the spec expects raw HTML kept
	plain := goldmark.New(goldmark.WithRendererOptions(html.WithUnsafe()))
	identical, normalised := 0, map[string]int{}
	byExtension := map[string]int{}
	bugs := 0
	for _, ex := range examples {
		src := []byte(ex.Markdown)
		res := mustConvertWith(t, c, ex.Markdown, nil)
		got, applied, err := normaliseRendered(res.HTML, fencedLanguages(c.md.Parser(), src))
		if err != nil {
			t.Errorf("example %d: %v", ex.Example, err)
			continue
		}
		ext, listed := specByExtension[ex.Example]
		bug, isBug := specBugs[ex.Example]
		if isBug {
			ext, listed = bug.ext, true
		}
		if !listed {
			if got != ex.HTML {
				t.Errorf("example %d (%s, line %d of the spec) differs\n  markdown %q\n  want     %q\n  got      %q\n  lanmu    %q",
					ex.Example, ex.Section, ex.StartLine, ex.Markdown, ex.HTML, got, res.HTML)
				continue
			}
			identical++
			for _, name := range applied {
				normalised[name]++
			}
			continue
		}

		// Listed: it must still differ, plain goldmark must render the
		// spec, and goldmark with the extension alone must render lanmu's
		// output, so the extension accounts for the whole difference.
		if got == ex.HTML {
			t.Errorf("example %d is listed (%s) but now renders as the spec says: remove it from the list", ex.Example, ext)
			continue
		}
		ref := renderNormalised(t, plain, src)
		withExt := renderNormalised(t, goldmark.New(
			goldmark.WithRendererOptions(html.WithUnsafe()),
			goldmark.WithExtensions(specExtensions[ext]),
		), src)
		if ref != ex.HTML {
			t.Errorf("example %d: goldmark without %s does not render the spec either, so %s does not explain it\n  want %q\n  got  %q",
				ex.Example, ext, ext, ex.HTML, ref)
			continue
		}
		if withExt != got {
			t.Errorf("example %d: goldmark with %s alone renders otherwise than lanmu, so %s does not explain it all\n  lanmu      %q\n  goldmark+%s %q",
				ex.Example, ext, ext, got, ext, withExt)
			continue
		}
		if isBug {
			bugs++
			t.Logf("known bug, example %d: %s", ex.Example, bug.cause)
		} else {
			byExtension[ext]++
		}
	}
	t.Logf("%d of %d examples identical after normalisation (%d needed it: %v)",
		identical, len(examples), sumCounts(normalised), normalised)
	t.Logf("%d differ by an extension on purpose: %v", sumCounts(byExtension), byExtension)
	t.Logf("%d differ by a known bug", bugs)
	// A normalisation that no longer applies to any example is dead and
	// may hide nothing or anything: it should go.
	for _, name := range []string{"heading ids", "void elements", "highlighted code"} {
		if normalised[name] == 0 {
			t.Errorf("normalisation %q applied to no example", name)
		}
	}
}

// renderNormalised renders src with md, normalised as lanmu's output is.
func renderNormalised(t *testing.T, md goldmark.Markdown, src []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := md.Convert(src, &buf); err != nil {
		t.Fatal(err)
	}
	out, _, err := normaliseRendered(buf.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// normaliseRendered undoes, in lanmu's rendering of an example, what lanmu
// adds on purpose, and returns the names of the normalisations that
// changed something. languages are those of the highlighted fenced blocks,
// in document order (fencedLanguages).
func normaliseRendered(s string, languages []string) (string, []string, error) {
	var applied []string
	apply := func(name, out string) {
		if out != s {
			applied = append(applied, name)
			s = out
		}
	}
	apply("heading ids", dropHeadingIDs(s))
	apply("void elements", closeVoidElements(s))
	plain, err := unhighlight(s, languages)
	if err != nil {
		return "", nil, err
	}
	apply("highlighted code", plain)
	return s, applied, nil
}

var headingID = regexp.MustCompile(`<(h[1-6]) id="[^"]*">`)

// dropHeadingIDs removes the id every heading gets, for the table of
// contents and links to sections; the spec's headings have none.
func dropHeadingIDs(s string) string {
	return headingID.ReplaceAllString(s, "<$1>")
}

var voidElement = regexp.MustCompile(`<(hr|br)>|<img ([^>]*[^/>])>`)

// closeVoidElements writes <hr>, <br> and <img …> as the spec does, with
// " />": lanmu writes HTML, not XHTML. The spec's own test runner
// (normalize.py) takes both forms as equal. Raw HTML in the examples
// never has such a tag without the slash.
func closeVoidElements(s string) string {
	return voidElement.ReplaceAllStringFunc(s, func(tag string) string {
		return strings.TrimSuffix(tag, ">") + " />"
	})
}

var (
	highlightedBlock = regexp.MustCompile(`(?s)<pre class="chroma"><code>(.*?)</code></pre>\n?`)
	chromaSpan       = regexp.MustCompile(`</?span[^>]*>`)
	specCodeEscaper  = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// unhighlight turns each block lanmu highlighted back into the spec's
// `<pre><code class="language-x">`: chroma drops the language class (put
// back from languages), wraps lines and tokens in <span>s, escapes ' and "
// as &#39; and &#34;, and ends the block without a newline.
func unhighlight(s string, languages []string) (string, error) {
	blocks := highlightedBlock.FindAllStringSubmatchIndex(s, -1)
	if len(blocks) != len(languages) {
		return "", fmt.Errorf("cannot match highlighted blocks to fences: %d highlighted, %d fences in a language chroma knows",
			len(blocks), len(languages))
	}
	var out strings.Builder
	last := 0
	for i, m := range blocks {
		out.WriteString(s[last:m[0]])
		code := stdhtml.UnescapeString(chromaSpan.ReplaceAllString(s[m[2]:m[3]], ""))
		out.WriteString(`<pre><code class="language-` + stdhtml.EscapeString(languages[i]) + `">`)
		out.WriteString(specCodeEscaper.Replace(code))
		out.WriteString("</code></pre>\n")
		last = m[1]
	}
	out.WriteString(s[last:])
	return out.String(), nil
}

// fencedLanguages returns the language of every fenced block of src that
// lanmu highlights (one in a language chroma knows), in document order, as
// lanmu's parser p reads them.
func fencedLanguages(p parser.Parser, src []byte) []string {
	var languages []string
	doc := p.Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fence, ok := n.(*ast.FencedCodeBlock); ok && entering {
			if lang := fence.Language(src); lang != nil && lexers.Get(string(lang)) != nil {
				languages = append(languages, string(lang))
			}
		}
		return ast.WalkContinue, nil
	})
	return languages
}
