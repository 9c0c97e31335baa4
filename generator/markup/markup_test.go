package markup

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConvertFeatures(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"paragraph", "你好，世界", "<p>你好，世界</p>"},
		{"east asian line break", "第一行\n第二行", "<p>第一行第二行</p>"},
		{"latin line break kept", "first\nsecond", "<p>first\nsecond</p>"},
		{"mixed line break kept", "中文\nEnglish", "<p>中文\nEnglish</p>"},
		{"escaped space", "**强调**\\ 后", "<p><strong>强调</strong>后</p>"},
		{"strikethrough", "~~删除~~", "<p><del>删除</del></p>"},
		{"table", "| 左 | 右 |\n|:--|--:|\n| a | b |",
			"<table>\n<thead>\n<tr>\n<th style=\"text-align:left\">左</th>\n<th style=\"text-align:right\">右</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td style=\"text-align:left\">a</td>\n<td style=\"text-align:right\">b</td>\n</tr>\n</tbody>\n</table>"},
		{"task list", "- [ ] 待办\n- [x] 完成",
			"<ul>\n<li><label><input disabled=\"\" type=\"checkbox\"> 待办</label></li>\n<li><label><input checked=\"\" disabled=\"\" type=\"checkbox\"> 完成</label></li>\n</ul>"},
		{"loose task list with a link", "- [x] 见[通知](/n/)\n  第二行\n\n  第二段\n- 普通项",
			"<ul>\n<li>\n<p><label><input checked=\"\" disabled=\"\" type=\"checkbox\"> 见<a href=\"/n/\">通知</a>第二行</label></p>\n<p>第二段</p>\n</li>\n<li>\n<p>普通项</p>\n</li>\n</ul>"},
		{"linkify", "见 https://example.org 和 www.example.com",
			`<p>见 <a href="https://example.org">https://example.org</a> 和 <a href="http://www.example.com">www.example.com</a></p>`},
		{"linkify keeps a Chinese path, stops at Chinese punctuation", "见 https://zh.wikipedia.org/wiki/党章，和 www.example.com/路径 后",
			`<p>见 <a href="https://zh.wikipedia.org/wiki/%E5%85%9A%E7%AB%A0">https://zh.wikipedia.org/wiki/党章</a>，和 <a href="http://www.example.com/%E8%B7%AF%E5%BE%84">www.example.com/路径</a> 后</p>`},
		{"linkify right after Chinese", "详见https://www.gov.cn/zhengce/党章。再看www.example.com/a）和`见https://x.cn`，及[见https://y.cn](/z/)",
			`<p>详见<a href="https://www.gov.cn/zhengce/%E5%85%9A%E7%AB%A0">https://www.gov.cn/zhengce/党章</a>。再看<a href="http://www.example.com/a">www.example.com/a</a>）和<code>见https://x.cn</code>，及<a href="/z/">见https://y.cn</a></p>`},
		{"linkify after Chinese, trailing punctuation and a line break", "见https://a.cn/b?.\n后文**强调https://c.cn/d**",
			"<p>见<a href=\"https://a.cn/b\">https://a.cn/b</a>?.\n后文<strong>" + `强调<a href="https://c.cn/d">https://c.cn/d</a></strong></p>`},
		{"autolink email", "<a@example.org>", `<p><a href="mailto:a@example.org">a@example.org</a></p>`},
		{"definition list", "术语\n: 解释", "<dl>\n<dt>术语</dt>\n<dd>解释</dd>\n</dl>"},
		{"footnote", "正文[^1]\n\n[^1]: 注释",
			"<p>正文\u2060<sup id=\"fnref:1\"><a href=\"#fn:1\" class=\"footnote-ref\" role=\"doc-noteref\">1</a></sup></p>\n" +
				"<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>\n<li id=\"fn:1\">\n" +
				"<p>注释&#160;<a href=\"#fnref:1\" class=\"footnote-backref\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a></p>\n</li>\n</ol>\n</div>"},
		{"explicit heading id", "## 标题 {#custom}", `<h2 id="custom">标题</h2>`},
		{"raw html block omitted", "<script>alert(1)</script>", "<!-- raw HTML omitted -->"},
		{"raw inline html omitted", "a <img src=x onerror=alert(1)> b", "<p>a <!-- raw HTML omitted --> b</p>"},
		{"code span escapes", "`<script>`", "<p><code>&lt;script&gt;</code></p>"},
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

func TestConvertEmptyAndNil(t *testing.T) {
	c := New(Options{})
	for _, src := range [][]byte{nil, {}, []byte("\n\n  \n")} {
		res, err := c.Convert(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.HTML) != 0 || res.TOC != nil || res.Summary != "" || res.Truncated ||
			res.WordCount != 0 || res.ReadingTime != 0 || res.Problems != nil {
			t.Errorf("Convert(%q) = %+v", src, res)
		}
	}
}

func TestConvertBenchDocument(t *testing.T) {
	src, err := os.ReadFile("testdata/bench.md")
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	res := mustConvertWith(t, New(Options{}), string(src), func(dest string) (string, error) {
		calls = append(calls, dest)
		if strings.HasSuffix(dest, "hw3.md") {
			return "", fmt.Errorf("%s: no such file", dest)
		}
		return strings.Replace(dest, ".md", "/", 1), nil
	})
	if want := "本讲是「数据素养」系列学习栏目的第三讲。我们将从一个真实的问题出发，介绍如何用 Python 和 SQL 整理、分析和展示数据。阅读前请先完成第二讲的练习。"; res.Summary != want || !res.Truncated {
		t.Errorf("Summary = %q (truncated %v)", res.Summary, res.Truncated)
	}
	if want := []Problem{{Line: 74, Col: 17, Msg: "../assignments/hw3.md: no such file"}}; !reflect.DeepEqual(inEnglish(res.Problems), want) {
		t.Errorf("Problems = %+v, want %+v", res.Problems, want)
	}
	if len(res.TOC) != 7 || res.TOC[1] != (Heading{2, "goals", "学习目标"}) || res.TOC[3] != (Heading{3, "1-1-基本概念", "1.1 基本概念"}) {
		t.Errorf("TOC = %+v", res.TOC)
	}
	for _, want := range []string{
		`<a href="../classes/lecture-02/#%E8%AF%BE%E5%90%8E%E7%BB%83%E4%B9%A0">第二讲</a>`,
		`<strong>「数据素养」</strong>系列`,
		`<span class="kn">import</span>`,
		`href="../assignments/hw3.md"`,
	} {
		if !strings.Contains(string(res.HTML), want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	// 487 Han characters and 102 other words (list numbers, code, link
	// destinations and image descriptions are not read as text).
	if res.WordCount != 589 || res.ReadingTime != 2 {
		t.Errorf("WordCount = %d, ReadingTime = %d", res.WordCount, res.ReadingTime)
	}
	if len(calls) != 8 {
		t.Errorf("resolver called %d times: %q", len(calls), calls)
	}
}

// A build converts pages in parallel with one Converter; every goroutine
// must get exactly what a lone conversion produces.
func TestConvertConcurrent(t *testing.T) {
	bench, err := os.ReadFile("testdata/bench.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := []string{
		string(bench),
		"## 学习 教育\n\n## 学习 教育\n\n[坏](missing.md) **「强调」**后",
		"```go\npackage main\n```\n\n```js\nconsole.log(1)\n```\n\n<!--more-->\n\n正文",
		"[x](javascript:alert(1)) ![y](data:x) <javascript:z> 脚注[^a]\n\n[^a]: 注",
	}
	resolve := func(dest string) (string, error) {
		if strings.Contains(dest, "missing") {
			return "", fmt.Errorf("missing %s", dest)
		}
		return "/r/" + dest, nil
	}
	for _, opts := range []Options{{}, {Unsafe: true, HighlightStyle: "monokai"}} {
		c := New(opts)
		want := make([]*Result, len(docs))
		for i, d := range docs {
			want[i] = mustConvertWith(t, c, d, resolve)
		}
		const workers = 8
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for round := range 20 {
					i := (w + round) % len(docs)
					got, err := c.Convert([]byte(docs[i]), resolve)
					if err != nil {
						errs <- err
						return
					}
					if !reflect.DeepEqual(got, want[i]) {
						errs <- fmt.Errorf("worker %d doc %d: result differs from sequential conversion", w, i)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}

// Convert must not retain or modify the caller's source.
func TestConvertLeavesSourceAlone(t *testing.T) {
	src := []byte("# 标题\n\n[a](b.md) **「强调」**后 <!--x-->\n\n<!--more-->\n")
	orig := bytes.Clone(src)
	mustConvertWith(t, New(Options{}), string(src), func(d string) (string, error) { return "/x/", nil })
	if _, err := New(Options{}).Convert(src, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, orig) {
		t.Errorf("source modified: %q", src)
	}
}

func BenchmarkConvert(b *testing.B) {
	src, err := os.ReadFile("testdata/bench.md")
	if err != nil {
		b.Fatal(err)
	}
	c := New(Options{})
	resolve := func(dest string) (string, error) { return dest, nil }
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Convert(src, resolve); err != nil {
			b.Fatal(err)
		}
	}
}

func TestConvertInvalidUTF8(t *testing.T) {
	// "不对" in GBK is B2 BB B6 D4: the first two bytes are UTF-8
	// continuation bytes, which used to crash goldmark's renderer.
	src := "标题行\n\xb2\xbb\xb6\xd4\n0"
	res := mustConvert(t, src)
	if want := "<p>标题行\n\uFFFD\uFFFD\uFFFD\uFFFD\n0</p>"; body(res) != want {
		t.Errorf("HTML = %q, want %q", body(res), want)
	}
	if want := []Problem{{Line: 2, Col: 1, Msg: invalidUTF8Message}}; !reflect.DeepEqual(inEnglish(res.Problems), want) {
		t.Errorf("Problems = %+v, want %+v", res.Problems, want)
	}
	res = mustConvertWith(t, New(Options{}), "中\xff[x](missing.md)", func(string) (string, error) {
		return "", fmt.Errorf("missing")
	})
	want := []Problem{{Line: 1, Col: 2, Msg: invalidUTF8Message}, {Line: 1, Col: 3, Msg: "missing"}}
	if !reflect.DeepEqual(inEnglish(res.Problems), want) {
		t.Errorf("Problems = %+v, want %+v", res.Problems, want)
	}
}

// A bug in the caller's resolver must surface as the caller's panic, not be
// disguised as a conversion error.
func TestResolverPanicPropagates(t *testing.T) {
	defer func() {
		if r := recover(); r != "resolver bug" {
			t.Errorf("recovered %v, want the resolver's panic", r)
		}
	}()
	_, err := New(Options{}).Convert([]byte("[a](b.md)"), func(string) (string, error) {
		panic("resolver bug")
	})
	t.Errorf("Convert returned (err %v) instead of panicking", err)
}

func TestTextForSearch(t *testing.T) {
	c := New(Options{})
	for _, tc := range []struct{ md, want string }{
		{"## 学习 教育\n\n第一段\n第二行\n\n第二段", "学习 教育 第一段第二行 第二段"},
		{"前\n\n```go\nfunc main() {}\n```\n\n后", "前 后"},
		{"- 一\n- 二\n\n| 格一 | 格二 |\n|---|---|\n| 甲 | 乙 |", "一 二 格一 格二 甲 乙"},
		{"**「术语」**后文[链接](https://x.org/) A &amp; B `code`", "「术语」后文链接 A & B code"},
		{"<script>alert(1)</script>\n\n正文", "正文"},
	} {
		res, err := c.Convert([]byte(tc.md), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Text != tc.want {
			t.Errorf("Text of %q = %q, want %q", tc.md, res.Text, tc.want)
		}
	}
}

// positions gives what lineCol gives, whatever order offsets come in.
func TestPositionsMatchLineCol(t *testing.T) {
	src := []byte("一行\n第二行 ab\n\n三 x\nend")
	p := positions{src: src}
	// Node starts, the offsets asked for, lie between characters.
	var starts []int
	for i := range string(src) {
		starts = append(starts, i)
	}
	order := append(append([]int{}, starts...), len(src), 3, 0)
	for i := len(starts) - 1; i >= 0; i-- {
		order = append(order, starts[i])
	}
	for _, off := range append(order, -1, len(src)+5, 10, 13) {
		gotL, gotC := p.at(off)
		wantL, wantC := lineColFromStart(src, off)
		if gotL != wantL || gotC != wantC {
			t.Errorf("offset %d: %d:%d, want %d:%d", off, gotL, gotC, wantL, wantC)
		}
	}
}

// lineColFromStart counts from the start of src, the way positions must
// agree with.
func lineColFromStart(src []byte, offset int) (int, int) {
	offset = min(max(offset, 0), len(src))
	line, col := 1, 1
	for _, r := range string(src[:offset]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// A fenced block over highlightLimit is shown plain, and so is every block
// after highlighting ran over highlightBudget on its page; each such block
// gets a warning at its fence, and the page converts in bounded time.
func TestHighlightingLimits(t *testing.T) {
	c := New(Options{})
	big := "```yaml\n" + strings.Repeat("key: value\n", 13000) + "```\n"
	res, err := c.Convert([]byte("# 大\n\n"+big), nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.HTML, `class="chroma"`) || !strings.Contains(res.HTML, `<pre><code class="language-yaml">key: value`) {
		t.Errorf("a block over %d KB was highlighted", highlightLimit>>10)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Line != 3 || !strings.Contains(res.Warnings[0].Msg, "over the 128 KB") {
		t.Errorf("warnings %+v, want one at line 3", res.Warnings)
	}

	// Go comments left open: chroma's Go lexer takes time growing with
	// the square of such a block.
	slow := "```go\n/*" + strings.Repeat("a /* b\n", 8000) + "```\n\n"
	small := "```go\nfunc main() {}\n```\n"
	start := time.Now()
	res, err = c.Convert([]byte(small+"\n"+slow+slow+slow+small), nil)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took > highlightBudget+3*time.Second {
		t.Errorf("the page took %v to convert", took)
	}
	if n := strings.Count(res.HTML, `class="chroma"`); n < 1 || n > 2 {
		t.Errorf("%d blocks highlighted, want the first small one and at most the first slow one", n)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Msg, "took over 2s") {
		t.Errorf("warnings %+v, want one saying highlighting ran out of time", res.Warnings)
	}
	t.Logf("converted in %v", took)
}

// Pages over the bounds of checkConstructs are refused, at once and at the
// right line, before goldmark spends minutes on them; pages under them,
// and brackets in fenced code, are converted as ever.
func TestConstructBounds(t *testing.T) {
	c := New(Options{})
	var footnotes, definitions strings.Builder
	for i := range 60_000 {
		fmt.Fprintf(&footnotes, "x[^%d]\n\n", i)
	}
	for i := range 60_000 {
		fmt.Fprintf(&footnotes, "[^%d]: n\n", i)
	}
	for i := range 200_000 {
		fmt.Fprintf(&definitions, "[r%d]: /u%d\n", i, i)
	}
	for name, tc := range map[string]struct {
		src  string
		line int
		msg  string
	}{
		"unclosed links":        {"# 标题\n\n" + strings.Repeat("[a](", 80_000), 3, "more than 10000 ["},
		"paragraphs of them":    {strings.Repeat(strings.Repeat("[a](", 9_000)+"\n\n", 30), 3, "hold too many ["},
		"footnotes":             {footnotes.String(), 2*60_000 + 1_001, "more than 1000 footnotes"},
		"reference definitions": {definitions.String(), 10_001, "more than 10000 link reference definitions"},
	} {
		start := time.Now()
		res, err := c.Convert([]byte(tc.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%s: refused only after %v", name, took)
		}
		if len(res.Problems) != 1 || res.Problems[0].Line != tc.line || !strings.Contains(res.Problems[0].Msg, tc.msg) {
			t.Errorf("%s: problems %+v, want one at line %d saying %q", name, res.Problems, tc.line, tc.msg)
		}
	}
	for name, src := range map[string]string{
		"links under the bound":  strings.Repeat("[甲](#a) ", 9_000),
		"brackets in code":       "```text\n" + strings.Repeat("[[[[[[[[[[", 5_000) + "\n```\n\n~~~~\n" + strings.Repeat("[^1]: x\n", 2_000) + "~~~~\n",
		"many short paragraphs":  strings.Repeat("[甲](#a)\n\n", 30_000),
		"footnotes at the bound": strings.Repeat("x[^a]\n\n", 10) + strings.Repeat("[^a]: n\n\n", 1_000),
	} {
		res, err := c.Convert([]byte(src), nil)
		if err != nil || len(res.Problems) > 0 || res.HTML == "" {
			t.Errorf("%s: %v, problems %+v", name, err, res.Problems)
		}
	}
}

// inEnglish drops the problems' translatable texts, to compare their
// English messages.
func inEnglish(ps []Problem) []Problem {
	if ps == nil {
		return nil
	}
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem{Line: p.Line, Col: p.Col, Msg: p.Msg}
	}
	return out
}
