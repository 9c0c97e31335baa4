package markup

import (
	"fmt"
	"strings"
	"testing"
)

func TestRawHTMLIsReportedOncePerElementAtItsTag(t *testing.T) {
	src := strings.Join([]string{
		"第一段。",                          // 1
		"",                              // 2
		`<p style="color:red">红</p>`,    // 3: a block
		"",                              // 4
		"<table>",                       // 5: one block, one warning
		"<tr><td>甲</td><td>乙</td></tr>", // 6
		"</table>",                      // 7
		"",                              // 8
		"<!--more-->",                   // 9: the summary marker
		"",                              // 10
		"粗体<b>字</b>，换行<br>与<!-- 注释 -->图<img src=\"a.png\">。", // 11: three inline elements
		"",                            // 12
		"- 项目 <a href=\"/x/\">链接</a>", // 13
		"",                            // 14
		"   <div>",                    // 15: indented block
		"   内容",                       // 16
		"   </div>",                   // 17
		"",                            // 18
		"`<b>代码</b>` 与",               // 19: code, not HTML
		"",                            // 20
		"```",                         // 21
		"<table>",                     // 22: code, not HTML
		"```",                         // 23
	}, "\n") + "\n"
	res := mustConvert(t, src)
	var got []string
	for _, w := range res.Warnings {
		got = append(got, fmt.Sprintf("%d:%d %s", w.Line, w.Col, w.Msg[:strings.Index(w.Msg, ":")]))
	}
	want := []string{
		"3:1 raw HTML <p> is left out of the page",
		"5:1 raw HTML <table> is left out of the page",
		"11:3 raw HTML <b> is left out of the page",
		"11:14 raw HTML <br> is left out of the page",
		"11:31 raw HTML <img> is left out of the page",
		"13:6 raw HTML <a> is left out of the page",
		"15:4 raw HTML <div> is left out of the page",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Each points at a "<" in the source, where the editor must look.
	lines := strings.Split(src, "\n")
	for _, w := range res.Warnings {
		if r := []rune(lines[w.Line-1]); w.Col > len(r) || r[w.Col-1] != '<' {
			t.Errorf("warning at %d:%d does not point at a tag in %q", w.Line, w.Col, lines[w.Line-1])
		}
	}
	for _, leak := range []string{"color:red", "<table", "<b>", "<br", "<img", "<div", "甲"} {
		if strings.Contains(res.HTML, leak) {
			t.Errorf("the output keeps %q:\n%s", leak, res.HTML)
		}
	}
}

func TestRawHTMLWarningsSayWhatToWriteInstead(t *testing.T) {
	for _, c := range []struct{ src, advice string }{
		{"<table><tr><td>甲</td></tr></table>\n", "write a Markdown table instead"},
		{"<div><table><tr><td>甲</td></tr></table></div>\n", "write a Markdown table instead"},
		{"行<br>下一行\n", `end the line with \ instead`},
		{"见<img src=\"a.png\">\n", "write ![说明](地址) instead"},
		{"见<a href=\"/x/\">此</a>\n", "write [文字](地址) instead"},
		{"很<strong>重要</strong>\n", "write **文字** instead"},
		{"很<b>重要</b>\n", "write **文字** instead"},
		{"<p align=\"center\">居中</p>\n", "write it as plain Markdown text"},
		{"<script>alert(1)</script>\n", "write it as plain Markdown text"},
	} {
		res := mustConvert(t, c.src)
		if len(res.Warnings) != 1 {
			t.Errorf("%q: %d warnings, want 1: %v", c.src, len(res.Warnings), res.Warnings)
			continue
		}
		msg := res.Warnings[0].Msg
		if !strings.Contains(msg, c.advice) || !strings.Contains(msg, "unsafeHTML = true under [build] in lanmu.toml") {
			t.Errorf("%q: warning %q lacks %q or how to keep it", c.src, msg, c.advice)
		}
	}
}

func TestNoRawHTMLWarningsWhenUnsafeOrOnlyComments(t *testing.T) {
	src := "<p style=\"color:red\">红</p>\n\n文字<b>粗</b>\n"
	if res := mustConvertWith(t, New(Options{Unsafe: true}), src, nil); len(res.Warnings) != 0 {
		t.Errorf("with Unsafe, warnings %v", res.Warnings)
	} else if !strings.Contains(res.HTML, `<p style="color:red">红</p>`) {
		t.Errorf("with Unsafe, the HTML is not kept: %s", res.HTML)
	}
	for _, src := range []string{"摘要。\n\n<!--more-->\n\n正文。\n", "摘要。\n<!-- more -->\n", "文字<!-- 注释 -->文字\n", "<!--\n多行\n注释\n-->\n"} {
		if res := mustConvert(t, src); len(res.Warnings) != 0 {
			t.Errorf("%q: comments reported: %v", src, res.Warnings)
		}
	}
}

func TestRawHTMLPositionsInsideContainers(t *testing.T) {
	for _, c := range []struct {
		src       string
		line, col int
	}{
		{"> 引文\n>\n> <div>\n> x\n> </div>\n", 3, 3},
		{"- 项\n- <div>\n  x\n  </div>\n", 2, 3},
		{"1. 项\n\n   <table><tr><td>a</td></tr></table>\n", 3, 4},
		{"| 甲 | 乙 |\n|---|---|\n| 丙<b>x</b> | y |\n", 3, 4},
	} {
		res := mustConvert(t, c.src)
		if len(res.Warnings) != 1 || res.Warnings[0].Line != c.line || res.Warnings[0].Col != c.col {
			t.Errorf("%q: warnings %v, want one at %d:%d", c.src, res.Warnings, c.line, c.col)
		}
	}
}
