package markup

import (
	"bytes"
	stdhtml "html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"",
	"详见https://a.cn/党章（注），再看www.b.cn/x)。\n**强调https://c.cn**_见ftp://d.cn_",
	"**「强调」**后",
	"这是**「强调」**后的文字 中文**强调。**后 a**\"b\"**c",
	"***「未闭合**强调*_混_合_",
	"*a **b *c** d* e**",
	"葛\U000E0100**「葛」**\n\n\uFE00**x**",
	"## 学习 教育\n## 学习 教育 {#学习-教育-1}\n## {#}\n## {id=1 .a}",
	"Setext\n===\n\n> # 引用\n> - [ ] 任务 [x](javascript:alert(1))",
	"[x](javascript:alert(1)) [y](<java\tscript:x>) [z](&#106;avascript:x) [w](\\&#x6A;avascript:x)",
	"![a](data:text/html,<script>alert(1)</script>) <JAVASCRIPT:alert(1)> <vbscript:x>",
	"[r]\n\n[r]: file:///etc/passwd \"t\"",
	"<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\ntext <script>x</script> <a href=\"javascript:x\">a</a>",
	"<!--more-->\n\n<!-- more -->\n- <!--more-->\n> <!--MORE-->",
	"正文[^1][^2][^missing]\n\n[^1]: 注释 **粗** [l](javascript:x)\n[^2]:\n    多段\n\n    第二段",
	"| a | b |\n|---|---|\n| [x](bad.md) | ![i](j.png) |\n| `|` | \\| |",
	"术语\n: 定义\n: 第二个定义\n\n另一个\n:   - 列表",
	"```go {linenos=true hl_lines=[1,\"2-3\"] linenostart=99999999999}\npackage main\n```\n```\n<b>\n```\n~~~unknown\nx\n~~~",
	"```{style=monokai nohl}\nx\n```",
	"www.example.com/**a** https://x.org/_b_ a@b.org <a@b.org> ~~del~~",
	"行一\n行二  \n行三\\\n行四\\ 后",
	"&amp; &copy; &#0; &#xFFFFFFFF; &#99999999; &bogus;",
	"\x00\xff\xfe\r\n\r\r\n\t\v\f",
	"[a](<b)c>) [d](e \"f) [g][h] [i][] [j]: k",
	strings.Repeat("*", 100) + strings.Repeat("_", 100) + strings.Repeat("[", 50),
	strings.Repeat("> ", 40) + "深",
	strings.Repeat("- ", 40) + "深",
	"。**强调**，“**引号**”（**括号**）**中文**English**English**中文 __下划__线 *斜体*。",
	"**中文**！**中文！**好 ~~删除~~。 「*斜*」 《**书名**》",
	"## 第一章：总则（试行）\n## 第一章：总则（试行）\n## Ｆｕｌｌ　ｗｉｄｔｈ\n## 学习 {#自定义-标识}\n## `代码` 与 *强调*",
	"[链接](javascript：alert(1)) [a](JaVaScRiPt:alert(1)) [b](java\nscript:x) [c](%6Aavascript:x) [d]( javascript:x)",
	"<a href=javascript&colon;alert(1)>x</a> <iframe src=x></iframe> <style>*{}</style> <svg onload=alert(1)>\n\n<div onclick=\"x\">块</div>",
	"见https://www.example.com/路径。和www.example.com，以及 x@example.com。",
}

func FuzzConvert(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	safe := New(Options{})
	unsafe := New(Options{Unsafe: true})
	f.Fuzz(func(t *testing.T, src []byte, withResolver bool) {
		var resolve LinkResolver
		if withResolver {
			resolve = func(dest string) (string, error) {
				if len(dest)%3 == 0 {
					return "", errBroken
				}
				return "/r/" + dest, nil
			}
		}
		orig := bytes.Clone(src)

		res, err := safe.Convert(src, resolve)
		if err != nil {
			t.Fatalf("Convert: %v", err)
		}
		checkSafeHTML(t, []byte(res.HTML))
		checkResult(t, src, res)

		checkRawHTMLWarnings(t, src, res.Warnings)

		kept, err := unsafe.Convert(src, resolve)
		if err != nil {
			t.Fatalf("Convert (unsafe): %v", err)
		}
		if len(kept.Warnings) > 0 {
			t.Fatalf("raw HTML kept, yet warned about: %v", kept.Warnings)
		}
		if !bytes.Equal(src, orig) {
			t.Fatal("Convert modified its input")
		}
	})
}

var errBroken = brokenLinkError{}

type brokenLinkError struct{}

func (brokenLinkError) Error() string { return "broken" }

var (
	tagPattern  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)
	attrPattern = regexp.MustCompile(`\s([^\s=]+)="([^"]*)"`)
	// Every element goldmark, its extensions and chroma can produce.
	allowedTags = map[string]bool{
		"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"a": true, "img": true, "em": true, "strong": true, "del": true, "code": true, "pre": true,
		"span": true, "blockquote": true, "ul": true, "ol": true, "li": true, "hr": true, "br": true,
		"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
		"input": true, "label": true, "dl": true, "dt": true, "dd": true, "sup": true, "div": true,
	}
)

// checkSafeHTML asserts what Options.Unsafe == false promises: no element
// or attribute can run script. Plain text such as "javascript:" may appear
// (e.g. the text of a dropped link); it is escaped and inert.
func checkSafeHTML(t *testing.T, out []byte) {
	t.Helper()
	s := string(out)
	if strings.Contains(strings.ToLower(s), "<script") {
		t.Fatalf("output contains <script:\n%s", s)
	}
	for _, m := range tagPattern.FindAllStringSubmatch(s, -1) {
		name := strings.ToLower(m[2])
		if !allowedTags[name] {
			t.Fatalf("output contains element <%s>:\n%s", name, s)
		}
		for _, a := range attrPattern.FindAllStringSubmatch(m[3], -1) {
			attr := strings.ToLower(a[1])
			if strings.HasPrefix(attr, "on") || attr == "style" && name != "th" && name != "td" {
				t.Fatalf("output contains attribute %s on <%s>:\n%s", attr, name, s)
			}
			if attr == "href" || attr == "src" {
				value := stdhtml.UnescapeString(a[2])
				if browserScheme(value) != "" {
					t.Fatalf("output contains %s=%q:\n%s", attr, value, s)
				}
			}
		}
	}
}

var schemePattern = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.\-]*):`)

// browserScheme returns the dangerous scheme a browser would find in href,
// following the WHATWG URL parser rather than the code under test: leading
// and trailing C0 controls and spaces are stripped, tabs and newlines
// removed anywhere, and a scheme must start with a letter.
func browserScheme(href string) string {
	href = strings.TrimFunc(href, func(r rune) bool { return r <= ' ' })
	href = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(href)
	m := schemePattern.FindStringSubmatch(href)
	if m == nil {
		return ""
	}
	switch scheme := strings.ToLower(m[1]); scheme {
	case "javascript", "vbscript", "data", "file":
		return scheme
	}
	return ""
}

func checkResult(t *testing.T, src []byte, res *Result) {
	t.Helper()
	if !utf8.ValidString(res.Summary) {
		t.Errorf("Summary is not valid UTF-8: %q", res.Summary)
	}
	if !bytes.Contains(bytes.ToLower(src), []byte("more")) {
		if n := utf8.RuneCountInString(strings.TrimSuffix(res.Summary, "…")); n > summaryLimit {
			t.Errorf("Summary has %d runes", n)
		}
	}
	if res.WordCount < 0 || (res.WordCount == 0) != (res.ReadingTime == 0) {
		t.Errorf("WordCount = %d, ReadingTime = %d", res.WordCount, res.ReadingTime)
	}
	lines := bytes.Count(src, []byte{'\n'}) + 1
	for _, p := range res.Problems {
		if p.Line < 1 || p.Line > lines || p.Col < 1 {
			t.Errorf("Problem position %d:%d outside the source", p.Line, p.Col)
		}
	}
	for _, h := range res.TOC {
		if h.ID == "" || h.Level < 1 || h.Level > 6 {
			t.Errorf("bad TOC entry %+v", h)
		}
	}
}

// FuzzEmphasisCommonMark checks that the CJK-friendly emphasis parser is a
// strict extension: on text without CJK characters it must produce exactly
// what goldmark's CommonMark emphasis parser produces.
func FuzzEmphasisCommonMark(f *testing.F) {
	for _, s := range fuzzSeeds {
		if !containsCJK(s) {
			f.Add(s)
		}
	}
	for _, s := range []string{"*a*", "a**\"b\"**c", "foo*bar*baz", "_a_b_", "***a** b*", "**a*b***c"} {
		f.Add(s)
	}
	ours := newMarkdown(false, defaultHighlightStyle, true)
	ref := newMarkdown(false, defaultHighlightStyle, false)
	f.Fuzz(func(t *testing.T, src string) {
		if containsCJK(src) || strings.ContainsFunc(src, func(r rune) bool { return isGeneralSelector(r) || isIdeographicSelector(r) }) {
			t.Skip()
		}
		// Invalid UTF-8 crashes goldmark itself; Convert sanitizes it the
		// same way before parsing.
		valid, _ := toValidUTF8([]byte(src))
		var got, want bytes.Buffer
		if err := ours.Convert(valid, &got); err != nil {
			t.Fatal(err)
		}
		if err := ref.Convert(valid, &want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("Convert(%q)\n got %s\nwant %s", src, got.String(), want.String())
		}
	})
}

// checkRawHTMLWarnings checks that each raw HTML warning points at a "<"
// of the source that does not open a comment or a closing tag, and that
// they come in document order, at most one per position.
func checkRawHTMLWarnings(t *testing.T, src []byte, warnings []Problem) {
	t.Helper()
	if !utf8.Valid(src) {
		return // columns count the characters of the repaired text
	}
	lines := strings.Split(string(src), "\n")
	last := Problem{}
	for _, w := range warnings {
		if w.Line < 1 || w.Line > len(lines) {
			t.Fatalf("warning on line %d of %d: %q", w.Line, len(lines), w.Msg)
		}
		line := []rune(lines[w.Line-1])
		if w.Col < 1 || w.Col > len(line) || line[w.Col-1] != '<' {
			t.Fatalf("warning at %d:%d does not point at a < in %q", w.Line, w.Col, lines[w.Line-1])
		}
		rest := string(line[w.Col-1:])
		if strings.HasPrefix(rest, "<!--") || strings.HasPrefix(rest, "</") {
			t.Fatalf("warning at %d:%d for a comment or closing tag: %q", w.Line, w.Col, rest)
		}
		if w.Line < last.Line || w.Line == last.Line && w.Col <= last.Col {
			t.Fatalf("warning at %d:%d after one at %d:%d", w.Line, w.Col, last.Line, last.Col)
		}
		last = w
	}
}
