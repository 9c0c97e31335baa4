package markup

import (
	"bytes"
	"strings"
	"testing"
)

func TestEmphasisCJK(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"corner brackets then ideograph", "**「强调」**后", "<p><strong>「强调」</strong>后</p>"},
		{"ideograph before corner bracket", "这是**「强调」**后的文字", "<p>这是<strong>「强调」</strong>后的文字</p>"},
		{"full stop inside", "中文**强调。**后", "<p>中文<strong>强调。</strong>后</p>"},
		{"single star fullwidth parens", "前*（注释）*后", "<p>前<em>（注释）</em>后</p>"},
		{"curly quotes", "他说**“你好”**然后走了", "<p>他说<strong>“你好”</strong>然后走了</p>"},
		{"book title marks", "**《论语》**是经典", "<p><strong>《论语》</strong>是经典</p>"},
		{"comma before closer", "学习**理论，**实践", "<p>学习<strong>理论，</strong>实践</p>"},
		{"ascii quotes between ideographs", `中文**"quoted"**中文`, "<p>中文<strong>&quot;quoted&quot;</strong>中文</p>"},
		{"ascii full stop then ideograph", "**English.**中文", "<p><strong>English.</strong>中文</p>"},
		{"japanese", "日本語の**「強調」**です", "<p>日本語の<strong>「強調」</strong>です</p>"},
		{"katakana", "**『カタカナ』**と", "<p><strong>『カタカナ』</strong>と</p>"},
		{"hangul", "한국어 **「강조」**입니다", "<p>한국어 <strong>「강조」</strong>입니다</p>"},
		{"fullwidth letters", "ＡＢＣ**（注）**后", "<p>ＡＢＣ<strong>（注）</strong>后</p>"},
		{"ideographic variation sequence", "葛\U000E0100**「葛」**です", "<p>葛\U000E0100<strong>「葛」</strong>です</p>"},
		{"nested", "这是***「重点」***内容", "<p>这是<em><strong>「重点」</strong></em>内容</p>"},
		{"plain ideographs", "中文**强调**中文", "<p>中文<strong>强调</strong>中文</p>"},
		{"underscore between punctuation", "「_强调_」后", "<p>「<em>强调</em>」后</p>"},
		// `_` keeps CommonMark's intraword rule, and an ideograph is a letter.
		{"underscore intraword", "中文_强调_中文", "<p>中文_强调_中文</p>"},
		{"underscore after ideograph", "_「强调」_后", "<p>_「强调」_后</p>"},
		// CJK punctuation inside the run does not block it, whatever is
		// outside (the amendment's cases strong.md#23, #76).
		{"latin letters around CJK punctuation", "a**「b」**c", "<p>a<strong>「b」</strong>c</p>"},
		{"CJK colon then a Latin word", "**推荐几个框架：**React", "<p><strong>推荐几个框架：</strong>React</p>"},
		{"ASCII punctuation still blocks", "a**\"b\"**c", "<p>a**&quot;b&quot;**c</p>"},
		{"strikethrough", "~~「删除」~~后", "<p><del>「删除」</del>后</p>"},
		{"Hangul Jamo", "ᅡ**(a)**", "<p>ᅡ<strong>(a)</strong></p>"},
		{"CJK Extension I", "\U0002EE5D**(简)**", "<p>\U0002EE5D<strong>(简)</strong></p>"},
		{"selector after CJK punctuation", "。\uFE01_Traditional._", "<p>。\uFE01<em>Traditional.</em></p>"},
		{"spaces still prevent flanking", "中文 ** 强调 ** 中文", "<p>中文 ** 强调 ** 中文</p>"},
		{"unclosed", "**「强调」后", "<p>**「强调」后</p>"},
	}
	c := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := body(mustConvertWith(t, c, tt.src, nil)); got != tt.want {
				t.Errorf("Convert(%q)\n got %s\nwant %s", tt.src, got, tt.want)
			}
		})
	}
}

func TestEmphasisCommonMark(t *testing.T) {
	tests := []struct{ src, want string }{
		{"*a*", "<p><em>a</em></p>"},
		{"**b**", "<p><strong>b</strong></p>"},
		{"_c_", "<p><em>c</em></p>"},
		{"__d__", "<p><strong>d</strong></p>"},
		{"***e***", "<p><em><strong>e</strong></em></p>"},
		{"foo*bar*baz", "<p>foo<em>bar</em>baz</p>"},
		{"foo_bar_baz", "<p>foo_bar_baz</p>"},
		{"snake_case_name", "<p>snake_case_name</p>"},
		{`a**"b"**c`, "<p>a**&quot;b&quot;**c</p>"},
		{`a*"b"*c`, "<p>a*&quot;b&quot;*c</p>"},
		{`**"b"**`, "<p><strong>&quot;b&quot;</strong></p>"},
		{"a * b *", "<p>a * b *</p>"},
		{"*foo bar *", "<p>*foo bar *</p>"},
		{"*(*foo*)*", "<p><em>(<em>foo</em>)</em></p>"},
		{"*foo**bar**baz*", "<p><em>foo<strong>bar</strong>baz</em></p>"},
		{"*foo**bar*", "<p><em>foo**bar</em></p>"},
		{"**foo*", "<p>*<em>foo</em></p>"},
		{"*foo**", "<p><em>foo</em>*</p>"},
		{"_foo_bar_", "<p><em>foo_bar</em></p>"},
		{"__foo, __bar__, baz__", "<p><strong>foo, <strong>bar</strong>, baz</strong></p>"},
		{"*a `*`*", "<p><em>a <code>*</code></em></p>"},
		{"**a<http://foo.bar/?q=**>", `<p>**a<a href="http://foo.bar/?q=**">http://foo.bar/?q=**</a></p>`},
		{`\*not\*`, "<p>*not*</p>"},
	}
	c := New(Options{})
	for _, tt := range tests {
		if got := body(mustConvertWith(t, c, tt.src, nil)); got != tt.want {
			t.Errorf("Convert(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// Without CJK characters the replacement parser must agree with goldmark's
// own CommonMark emphasis parser on every input.
func TestEmphasisMatchesGoldmarkWithoutCJK(t *testing.T) {
	inputs := []string{
		"*a*", "**b**", "_c_", "foo*bar*baz", "foo_bar_baz", `a**"b"**c`,
		"*foo bar*", "a * foo bar*", `a*"foo"*`, "* a *", "foo*bar*", "5*6*78",
		"_foo bar_", "_ foo bar_", `a_"foo"_`, "foo_bar_", "5_6_78", "пристаням_стремятся_",
		`aa_"bb"_cc`, "foo-_(bar)_", "_foo*", "*foo bar *", "*(*foo)", "*(*foo*)*", "*foo*bar",
		"_foo bar _", "_(_foo)", "_(_foo_)_", "_foo_bar", "_пристаням_стремятся", "_foo_bar_baz_",
		"_(bar)_.", "**foo bar**", "** foo bar**", `a**"foo"**`, "foo**bar**", "__foo bar__",
		"__ foo bar__", "__\nfoo bar__", `a__"foo"__`, "foo__bar__", "5__6__78", "__foo, __bar__, baz__",
		"foo-__(bar)__", "**foo bar **", "**(**foo)", "*(**foo**)*", "**foo \"*bar*\" foo**",
		"**foo*bar**", "*foo _bar_ baz*", "__foo_ bar_", "*foo *bar**", "*foo**bar**baz*",
		"*foo**bar*", "***foo** bar*", "*foo **bar***", "foo***bar***baz", "foo******bar*********baz",
		"*foo **bar *baz* bim** bop*", "** is not an empty emphasis", "**** is not an empty strong emphasis",
		"foo ***", `foo *\**`, "foo *_*", "foo *****", `foo **\***`, "**foo*", "*foo**", "***foo**",
		"****foo*", "**foo***", "*foo****", "_____foo_", "*foo _bar* baz_", "*foo __bar *baz bim__ bam*",
		"**foo **bar baz**", "*foo *bar baz*", "*[bar*](/url)", "_foo [bar_](/url)", "*<img src=\"foo\" title=\"*\"/>",
		"**<a href=\"**\">", "__<a href=\"__\">", "*a `*`*", "_a `_`_", "**a<http://foo.bar/?q=**>",
		"__a<http://foo.bar/?q=__>", "*£*bravo.", "*€*charlie.", "a\u00a0*b*\u00a0c", "α*β*γ",
		"**foo\nbar**", "*foo\n*bar", "~~x~~ *y* ~~*z*~~", "[*link*](u) **[b](u)**", "*a\\\nb*",
		"https://x.org/*a*_b_ www.example.com/_x_ *http://y.org*",
	}
	ours := newMarkdown(false, defaultHighlightStyle, true)
	ref := newMarkdown(false, defaultHighlightStyle, false)
	for _, in := range inputs {
		if containsCJK(in) {
			t.Fatalf("test input %q contains CJK", in)
		}
		var got, want bytes.Buffer
		if err := ours.Convert([]byte(in), &got); err != nil {
			t.Fatal(err)
		}
		if err := ref.Convert([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("Convert(%q)\n got %s\nwant %s", in, got.String(), want.String())
		}
	}
}

func containsCJK(s string) bool {
	return strings.ContainsFunc(s, isCJK)
}

func TestScanEmphasisRunFlanking(t *testing.T) {
	tests := []struct {
		line            string
		before          rune
		open, close     bool
		wantDelimiterOK bool
	}{
		{"**「", '\n', true, false, true},
		{"**后", '」', true, true, true},
		{"**「", '是', true, true, true},
		{"**后", '。', true, true, true},
		{"**\"", 'a', false, true, true},
		{"**c", '"', true, false, true},
		{"** ", 'a', false, true, true},
		{"_强", '文', false, false, true},
		{"__a", ' ', true, false, true},
		{"_a", 'a', false, false, true},
		{"_「", '文', false, true, true},
		{"x", ' ', false, false, false},
	}
	for _, tt := range tests {
		d := scanEmphasisRun([]byte(tt.line), sequence{base: tt.before}, emphasisDelimiters{})
		if (d != nil) != tt.wantDelimiterOK {
			t.Fatalf("scanEmphasisRun(%q, %q) = %v", tt.line, tt.before, d)
		}
		if d == nil {
			continue
		}
		if d.CanOpen != tt.open || d.CanClose != tt.close {
			t.Errorf("scanEmphasisRun(%q, %q): open=%v close=%v, want open=%v close=%v",
				tt.line, tt.before, d.CanOpen, d.CanClose, tt.open, tt.close)
		}
	}
}
