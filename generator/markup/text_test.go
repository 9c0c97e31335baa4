package markup

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummaryAutomatic(t *testing.T) {
	long := strings.Repeat("学", 130)
	tests := []struct {
		name      string
		src       string
		want      string
		truncated bool
	}{
		{"collapses whitespace", "a   b\tc\n\nd", "a b c d", false},
		{"joins CJK lines without space", "第一行\n第二行\nEnglish\nline", "第一行第二行 English line", false},
		{"joins CJK paragraphs without space", "第一段。\n\n第二段。", "第一段。第二段。", false},
		{"keeps written space between CJK", "学习 教育", "学习 教育", false},
		{"skips headings code tables", "# 标题\n\n正文一。\n\n```go\ncode()\n```\n\n    indented\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n正文二。",
			"正文一。正文二。", false},
		{"list items count", "导语：\n\n- 第一项\n- 第二项 **加粗**\n\n1. one\n2. two", "导语：第一项第二项 加粗 one two", false},
		{"blockquote and definitions", "> 引文。\n\n术语\n: 定义。", "引文。术语定义。", false},
		{"inline markup is stripped", "**粗** *斜* `code` [链接](x.md) ~~删~~ <b>raw</b> a\\*b &amp; &copy; 脚注[^1]\n\n[^1]: 注释。",
			"粗 斜 code 链接 删 raw a*b & © 脚注", false},
		{"images are not text", "看![示意图](a.png)这里", "看这里", false},
		{"escaped space vanishes", "**强调**\\ 后", "强调后", false},
		{"footnotes are not summary", "正文[^n]。\n\n[^n]: 很长的脚注。", "正文。", false},
		{"empty", "", "", false},
		{"exactly the limit", strings.Repeat("字", 120), strings.Repeat("字", 120), false},
		{"hard cut", long, strings.Repeat("学", 120) + "…", true},
		{"cut after sentence end in window",
			strings.Repeat("甲", 90) + "。" + strings.Repeat("乙", 50),
			strings.Repeat("甲", 90) + "。…", true},
		{"closing quote stays with sentence",
			strings.Repeat("甲", 90) + "“好！”" + strings.Repeat("乙", 50),
			strings.Repeat("甲", 90) + "“好！”…", true},
		{"last sentence end in window wins",
			strings.Repeat("甲", 85) + "？" + strings.Repeat("乙", 20) + "；" + strings.Repeat("丙", 40),
			strings.Repeat("甲", 85) + "？" + strings.Repeat("乙", 20) + "；…", true},
		{"sentence end before window is ignored",
			strings.Repeat("甲", 50) + "。" + strings.Repeat("乙", 100),
			strings.Repeat("甲", 50) + "。" + strings.Repeat("乙", 69) + "…", true},
		{"english sentence", strings.Repeat("word ", 18) + "end. " + strings.Repeat("more ", 20),
			strings.Repeat("word ", 18) + "end.…", true},
		{"decimal point is not a sentence end", strings.Repeat("x", 100) + " 3.14 " + strings.Repeat("y", 30),
			strings.Repeat("x", 100) + " 3.14 " + strings.Repeat("y", 14) + "…", true},
		{"no trailing space before ellipsis", strings.Repeat("ab ", 39) + "cd efgh",
			strings.TrimSpace(strings.Repeat("ab ", 39)) + " cd…", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustConvert(t, tt.src)
			if res.Summary != tt.want || res.Truncated != tt.truncated {
				t.Errorf("Summary = %q (truncated %v)\n     want %q (truncated %v)",
					res.Summary, res.Truncated, tt.want, tt.truncated)
			}
			if n := utf8.RuneCountInString(strings.TrimSuffix(res.Summary, "…")); n > summaryLimit {
				t.Errorf("summary has %d runes before the ellipsis", n)
			}
		})
	}
}

func TestSummaryMarker(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want      string
		truncated bool
		html      string
	}{
		{"basic", "# 标题\n\n导语第一段。\n\n<!--more-->\n\n正文。", "导语第一段。", true,
			"<h1 id=\"标题\">标题</h1>\n<p>导语第一段。</p>\n<p>正文。</p>"},
		{"spaces inside", "导语。\n<!-- more -->\n正文。", "导语。", true, "<p>导语。</p>\n<p>正文。</p>"},
		{"indented with tabs inside", "导语。\n\n   <!--\tMORE\t-->\n\n正文。", "导语。", true, "<p>导语。</p>\n<p>正文。</p>"},
		{"at the end", "只有导语。\n\n<!--more-->\n", "只有导语。", false, "<p>只有导语。</p>"},
		{"at the start", "<!--more-->\n\n正文。", "", true, "<p>正文。</p>"},
		{"longer than automatic limit", strings.Repeat("长", 200) + "\n\n<!--more-->\n\n后文", strings.Repeat("长", 200), true, ""},
		{"code is not summary", "导语。\n\n```\ncode\n```\n\n<!--more-->\n\n后文", "导语。", true, ""},
		{"second marker also removed", "一。\n\n<!--more-->\n\n二。\n\n<!--more-->\n\n三。", "一。", true,
			"<p>一。</p>\n<p>二。</p>\n<p>三。</p>"},
		{"nested in list", "- 一\n\n  <!--more-->\n- 二", "一", true, "<ul>\n<li>\n<p>一</p>\n</li>\n<li>\n<p>二</p>\n</li>\n</ul>"},
		{"other comments are not markers", "一。\n\n<!-- more than this -->\n\n二。", "一。二。", false,
			"<p>一。</p>\n<!-- raw HTML omitted -->\n<p>二。</p>"},
	}
	for _, unsafe := range []bool{false, true} {
		c := New(Options{Unsafe: unsafe})
		for _, tt := range tests {
			res := mustConvertWith(t, c, tt.src, nil)
			if strings.Contains(strings.ToLower(string(res.HTML)), "more -->") ||
				strings.Contains(strings.ToLower(string(res.HTML)), "<!--more") {
				if tt.name != "other comments are not markers" {
					t.Errorf("%s (unsafe=%v): marker in HTML:\n%s", tt.name, unsafe, res.HTML)
				}
			}
			if res.Summary != tt.want || res.Truncated != tt.truncated {
				t.Errorf("%s (unsafe=%v): Summary = %q (truncated %v), want %q (truncated %v)",
					tt.name, unsafe, res.Summary, res.Truncated, tt.want, tt.truncated)
			}
			if tt.html != "" && !unsafe && body(res) != tt.html {
				t.Errorf("%s: HTML\n got %s\nwant %s", tt.name, body(res), tt.html)
			}
		}
	}
}

func TestWordCountAndReadingTime(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		words, mins int
	}{
		{"brief example", "学习 education 2016", 4, 1},
		{"empty", "", 0, 0},
		{"only code", "```go\nfunc main() {}\n```", 0, 0},
		{"only markup", "---\n\n<div>x</div>", 0, 0},
		{"one word", "hi", 1, 1},
		{"headings and lists count", "# 标题\n\n- one two\n- 三", 2 + 2 + 1, 1},
		{"code excluded inline code counted", "正文 `x := 1`\n\n```\nnot counted at all\n```", 2 + 2, 1},
		{"contractions and hyphens split", "don't well-known e-mail", 6, 1},
		{"kana and hangul", "ひらがなカタカナ한국어", 11, 1},
		{"prolonged sound mark", "コーヒー", 4, 1},
		{"numbers", "3.14 和 2,000", 4 + 1, 1},
		{"accented", "café naïve", 2, 1},
		{"400 CJK is one minute", strings.Repeat("字", 400), 400, 1},
		{"401 CJK is two minutes", strings.Repeat("字", 401), 401, 2},
		{"220 words is one minute", strings.Repeat("word ", 220), 220, 1},
		{"221 words is two minutes", strings.Repeat("word ", 221), 221, 2},
		{"mixed", strings.Repeat("字", 200) + " " + strings.Repeat("word ", 110), 310, 1},
		{"mixed over", strings.Repeat("字", 201) + " " + strings.Repeat("word ", 110), 311, 2},
		{"tables and footnotes count", "| 甲 | b |\n|---|---|\n\n文[^1]\n\n[^1]: note", 2 + 1 + 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustConvert(t, tt.src)
			if res.WordCount != tt.words || res.ReadingTime != tt.mins {
				t.Errorf("WordCount = %d, ReadingTime = %d; want %d, %d", res.WordCount, res.ReadingTime, tt.words, tt.mins)
			}
		})
	}
}

func TestPlainTextJoin(t *testing.T) {
	var p plainText
	p.writeString("  第一")
	p.breakLine()
	p.writeString("第二")
	p.breakLine()
	p.writeString("third")
	p.breakLine()
	p.writeString("  第四  \n  五 ")
	if got, want := p.String(), "第一第二 third 第四 五"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPlainTextRunsCopied checks that writeBytes, which copies runs of
// characters at once, writes what writing each character would.
func TestPlainTextRunsCopied(t *testing.T) {
	pieces := []string{" ", "\n", "\u3000", "\u00a0", "党", "a", "Go", "é", "，", "\uFFFD", "\xff", "\xe4\xb8", "😀", "한"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		src := []byte(b.String())
		for _, boundary := range []bool{false, true} {
			var bulk, each plainText
			bulk.writeString("前")
			each.writeString("前")
			if boundary {
				bulk.breakLine()
				each.breakLine()
			}
			bulk.writeBytes(src)
			for i := 0; i < len(src); {
				r, size := utf8.DecodeRune(src[i:])
				each.writeRune(r)
				i += size
			}
			if bulk.String() != each.String() || bulk.last != each.last || bulk.space != each.space {
				t.Fatalf("%q: bulk %q (last %q), one by one %q (last %q)", src, bulk.String(), bulk.last, each.String(), each.last)
			}
		}
	}
}
