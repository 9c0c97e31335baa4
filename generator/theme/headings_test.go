package theme

import (
	"html/template"
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
