package markup

import (
	"bytes"
	"strings"
	"testing"
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
