package markup

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
)

func TestHighlightUsesClasses(t *testing.T) {
	res := mustConvert(t, "```go\nfunc main() { println(\"<hi>\") }\n```")
	got := string(res.HTML)
	for _, want := range []string{
		`<pre class="chroma"><code>`,
		`<span class="kd">func</span>`,
		`<span class="nf">main</span>`,
		`&lt;hi&gt;`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("highlighted code lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "style=") {
		t.Errorf("highlighted code has inline styles:\n%s", got)
	}
}

func TestUnhighlightedCodeIsEscaped(t *testing.T) {
	tests := []struct{ src, want string }{
		{"```nosuchlanguage\n<script>alert(1)</script>\n```",
			"<pre><code class=\"language-nosuchlanguage\">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>"},
		{"```\n<b>a & b</b>\n```", "<pre><code>&lt;b&gt;a &amp; b&lt;/b&gt;\n</code></pre>"},
		{"    <i>indented</i>", "<pre><code>&lt;i&gt;indented&lt;/i&gt;\n</code></pre>"},
	}
	for _, tt := range tests {
		if got := body(mustConvert(t, tt.src)); got != tt.want {
			t.Errorf("Convert(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestHighlightCSS(t *testing.T) {
	github := New(Options{}).HighlightCSS()
	if !bytes.Contains(github, []byte(".chroma .kd {")) || !bytes.Contains(github, []byte(".chroma {")) {
		t.Fatalf("stylesheet lacks .chroma rules:\n%s", github)
	}
	if named := New(Options{HighlightStyle: "GitHub"}).HighlightCSS(); !bytes.Equal(named, github) {
		t.Error(`HighlightStyle "GitHub" differs from the default`)
	}
	if unknown := New(Options{HighlightStyle: "no-such-style"}).HighlightCSS(); !bytes.Equal(unknown, github) {
		t.Error("an unknown style does not fall back to github")
	}
	if monokai := New(Options{HighlightStyle: "monokai"}).HighlightCSS(); bytes.Equal(monokai, github) {
		t.Error("monokai stylesheet equals github's")
	}

	c := New(Options{})
	css := c.HighlightCSS()
	css[0] = 'X'
	if c.HighlightCSS()[0] == 'X' {
		t.Error("HighlightCSS returns the converter's own buffer")
	}
}

// referenceCode renders Markdown with goldmark-highlighting, which lanmu
// used before its own code renderer: the markup must not have changed.
func referenceCode(t testing.TB, src string) string {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(highlighting.NewHighlighting(
		highlighting.WithStyle(defaultHighlightStyle),
		highlighting.WithFormatOptions(chromaOptions()...),
	)))
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// ownCode renders Markdown with lanmu's code renderer and nothing else of
// lanmu's, to compare with referenceCode.
func ownCode(t testing.TB, src string) string {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(CodeHighlighting(defaultHighlightStyle)))
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// fences are code blocks in many languages and shapes; the corpus and the
// example column use go, yaml and bash.
var fences = []string{
	"```go\npackage main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"党建 <b>&'\\\"\")\n}\n```",
	"```yaml\n# 学习安排\nactivity:\n  title: 三会一课\n  date: 2021-01-13\n  steps:\n    - 重温入党誓词\n```",
	"```bash\n#!/bin/bash\nfor f in *.md; do echo \"$f\" > /dev/null; done # 注释\n```",
	"```python\ndef f(x):\n    return x ** 2  # square\n\n\n```",
	"```js\nconst a = `x${1}` && '<y>';\n```",
	"```html\n<p class=\"a\">&amp; 中文</p>\n```",
	"```css\n.a > b { color: #fff; }\n```",
	"```json\n{\"a\": [1, 2.5, true, null]}\n```",
	"```toml\n[build]\nminify = true\n```",
	"```sql\nSELECT * FROM t WHERE a = 'x';\n```",
	"```diff\n- old\n+ new\n```",
	"```go\n```",
	"```go\n\n\n```",
	"```go\nx := 1",
	"```go\r\nx := 1\r\ny := 2\r\n```",
	"```go\n\tindented\n\t\ttwice\n```",
	"```Go\nfunc A() {}\n```",
	"```nosuchlanguage\n<script>alert(1)</script>\n```",
	"```\nplain & <code>\n```",
	"```go {linenos=true}\na := 1\nb := 2\n```",
	"```go {linenos=table, hl_lines=[1, \"2-3\"], linenostart=5}\na\nb\nc\nd\n```",
	"```go {linenos=inline}\na\n```",
	"```go {hl_lines=[2]}\na\nb\n```",
	"```go {nohl}\nfunc main() {}\n```",
	"```go {style=monokai}\nfunc main() {}\n```",
	"```go {.class #id}\nfunc main() {}\n```",
	"```go {\nfunc main() {}\n```",
	"~~~bash\necho ~\n~~~",
	"- item\n\n  ```go\n  x := 1\n  ```",
	"> ```yaml\n> a: b\n> ```",
}

func TestCodeRendererMatchesChroma(t *testing.T) {
	for _, src := range fences {
		if got, want := ownCode(t, src), referenceCode(t, src); got != want {
			t.Errorf("%q:\n got %s\nwant %s", src, got, want)
		}
	}
}

// FuzzCodeRendererMatchesChroma checks lanmu's code renderer against
// chroma's formatter on arbitrary code in common languages. (Arbitrary
// language names reach lexers whose patterns backtrack for minutes on
// some inputs, in both renderers alike.)
func FuzzCodeRendererMatchesChroma(f *testing.F) {
	langs := []string{"go", "yaml", "bash", "python", "js", "html", "css", "json", "toml", "sql", "diff", "", "nosuchlanguage", "go {linenos=true}", "go {hl_lines=[1]}"}
	for i, src := range fences {
		_, code, _ := strings.Cut(strings.TrimPrefix(src, "```"), "\n")
		f.Add(uint8(i), strings.TrimSuffix(code, "```"))
	}
	f.Fuzz(func(t *testing.T, lang uint8, code string) {
		src := "```" + langs[int(lang)%len(langs)] + "\n" + code + "\n```\n"
		if got, want := ownCode(t, src), referenceCode(t, src); got != want {
			t.Errorf("%q:\n got %s\nwant %s", src, got, want)
		}
	})
}

// BenchmarkCodeBlock renders a page's worth of fenced code with lanmu's
// renderer (own) and with goldmark-highlighting (reference), which write
// the same markup.
func BenchmarkCodeBlock(b *testing.B) {
	src := []byte(strings.Join(fences[:3], "\n\n"))
	for _, bc := range []struct {
		name string
		md   goldmark.Markdown
	}{
		{"own", goldmark.New(goldmark.WithExtensions(CodeHighlighting(defaultHighlightStyle)))},
		{"reference", goldmark.New(goldmark.WithExtensions(highlighting.NewHighlighting(
			highlighting.WithStyle(defaultHighlightStyle), highlighting.WithFormatOptions(chromaOptions()...))))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := bc.md.Convert(src, &buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
