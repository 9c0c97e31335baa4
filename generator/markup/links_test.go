package markup

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestIsDangerousURL(t *testing.T) {
	tests := []struct {
		dest string
		want bool
	}{
		{"javascript:alert(1)", true},
		{"JaVaScRiPt:alert(1)", true},
		{"  javascript:alert(1)", true},
		{"\x01\x02javascript:alert(1)", true},
		{"java\tscript:alert(1)", true},
		{"java\nscript:alert(1)", true},
		{"java\x00script:alert(1)", true},
		{"javascript\t:alert(1)", true},
		{"vbscript:msgbox", true},
		{"VBScript:msgbox", true},
		{"data:text/html;base64,PHNjcmlwdD4=", true},
		{"DATA:image/png;base64,iVBOR", true},
		{"file:///etc/passwd", true},
		{"FILE:C:/x", true},
		{"https://example.org/javascript:x", false},
		{"http://x.org", false},
		{"mailto:a@b.org", false},
		{"../classes/a.md#提纲", false},
		{"/readings/", false},
		{"a.md#x:y", false},
		{"#javascript:x", false},
		{"?javascript:x", false},
		{"./javascript:x", false},
		{"javascripts:x", false},
		{"xjavascript:x", false},
		{"javascript", false},
		{"jav%61script:x", false},
		{"\u00a0javascript:x", false}, // not ignored by browsers: a relative path
		{"", false},
		{":", false},
	}
	for _, tt := range tests {
		if got := isDangerousURL([]byte(tt.dest)); got != tt.want {
			t.Errorf("isDangerousURL(%q) = %v, want %v", tt.dest, got, tt.want)
		}
	}
}

func TestUnsafeLinksDropped(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"javascript", "[点我](javascript:alert(1))", "<p>点我</p>"},
		{"mixed case", "[x](JaVaScRiPt:alert(1))", "<p>x</p>"},
		{"decimal entity", "[x](&#106;avascript:alert(1))", "<p>x</p>"},
		{"hex entity", "[x](&#x6A;avascript:alert(1))", "<p>x</p>"},
		{"escaped entity", `[x](\&#106;avascript:alert(1))`, "<p>x</p>"},
		{"named entity tab", "[x](java&Tab;script:alert(1))", "<p>x</p>"},
		{"numeric tab", "[x](java&#9;script:alert(1))", "<p>x</p>"},
		{"tab in pointy destination", "[x](<java\tscript:alert(1)>)", "<p>x</p>"},
		{"leading space in pointy destination", "[x](< javascript:alert(1)>)", "<p>x</p>"},
		{"vbscript", "[x](vbscript:msgbox(1))", "<p>x</p>"},
		{"data", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>"},
		{"file", "[x](file:///etc/passwd)", "<p>x</p>"},
		{"formatted label", "[**粗体** x](javascript:x)", "<p><strong>粗体</strong> x</p>"},
		{"reference", "[x][r]\n\n[r]: javascript:alert(1)", "<p>x</p>"},
		{"shortcut reference", "[r]\n\n[r]: <java\tscript:alert(1)>", "<p>r</p>"},
		{"with title", `[x](javascript:alert(1) "t")`, "<p>x</p>"},
		{"image", "前![图片](javascript:alert(1))后", "<p>前图片后</p>"},
		{"image alt escaped", "![a<b & c](data:image/png;base64,xx)", "<p>a&lt;b &amp; c</p>"},
		{"image formatted alt", "![*a* b](file:///x.png)", "<p>a b</p>"},
		{"autolink", "<javascript:alert(1)>", "<p>javascript:alert(1)</p>"},
		{"autolink upper", "<JAVASCRIPT:alert(1)>", "<p>JAVASCRIPT:alert(1)</p>"},
		{"autolink data", "<data:text/html,x>", "<p>data:text/html,x</p>"},
		{"image inside dropped link", "[![i](p.png)](javascript:x)", `<p><img src="p.png" alt="i"></p>`},
		{"safe link kept", "[x](https://example.org)", `<p><a href="https://example.org">x</a></p>`},
		{"path with colon kept", "[x](a/b:c.md)", `<p><a href="a/b:c.md">x</a></p>`},
	}
	c := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []string
			res := mustConvertWith(t, c, tt.src, func(dest string) (string, error) {
				calls = append(calls, dest)
				return dest, nil
			})
			if got := body(res); got != tt.want {
				t.Errorf("Convert(%q)\n got %s\nwant %s", tt.src, got, tt.want)
			}
			for _, d := range calls {
				if isDangerousURL([]byte(d)) {
					t.Errorf("resolver called with dropped destination %q", d)
				}
			}
		})
	}
}

func TestUnsafeOptionKeepsLinks(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[x](javascript:alert(1))", `<p><a href="javascript:alert(1)">x</a></p>`},
		{"![i](data:image/svg+xml,x)", `<p><img src="data:image/svg+xml,x" alt="i"></p>`},
		{"<javascript:alert(1)>", `<p><a href="javascript:alert(1)">javascript:alert(1)</a></p>`},
		{"<b onclick=\"x()\">raw</b>", `<p><b onclick="x()">raw</b></p>`},
		{"<div>\nblock\n</div>", "<div>\nblock\n</div>"},
		{"## 标题 {style=\"color:red\" #t}", `<h2 style="color:red" id="t">标题</h2>`},
	}
	c := New(Options{Unsafe: true})
	for _, tt := range tests {
		if got := body(mustConvertWith(t, c, tt.src, nil)); got != tt.want {
			t.Errorf("Convert(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestResolverSeesDestinations(t *testing.T) {
	src := "见[提纲](../classes/a.md#提纲)、[书目](/readings/)和[外链](https://x.org)。\n\n" +
		"![图](img/a.png \"标题\")\n\n" +
		"[引用][ref]\n\n[ref]: other.md\n\n" +
		"[转义](a\\_b.md) [空格](<a b.md>) [实体](a&amp;b.md)\n\n" +
		"<https://auto.example/x> 和 www.example.com 以及 <someone@example.org>\n\n" +
		"[x](javascript:alert(1))"
	var got []string
	mustConvertWith(t, New(Options{}), src, func(dest string) (string, error) {
		got = append(got, dest)
		return dest, nil
	})
	want := []string{
		"../classes/a.md#提纲", "/readings/", "https://x.org",
		"img/a.png",
		"other.md",
		"a_b.md", "a b.md", "a&b.md",
		"https://auto.example/x", "http://www.example.com", "mailto:someone@example.org",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("resolver calls\n got %q\nwant %q", got, want)
	}
}

func TestResolverRewritesDestinations(t *testing.T) {
	rewrite := map[string]string{
		"../classes/a.md#提纲": "/classes/a/#提纲",
		"img/a.png":          "/static/a.png",
		"a.md":               "/a/?x=1&y=2",
		"b.md":               `/b\c/`,
		"mailto:a@b.org":     "mailto:contact@b.org",
	}
	resolve := func(dest string) (string, error) {
		if r, ok := rewrite[dest]; ok {
			return r, nil
		}
		return dest, nil
	}
	tests := []struct{ src, want string }{
		{"[提纲](../classes/a.md#提纲)", `<p><a href="/classes/a/#%E6%8F%90%E7%BA%B2">提纲</a></p>`},
		{"![图](img/a.png)", `<p><img src="/static/a.png" alt="图"></p>`},
		{"[a](a.md)", `<p><a href="/a/?x=1&amp;y=2">a</a></p>`},
		{"[b](b.md)", `<p><a href="/b%5Cc/">b</a></p>`},
		{"[same](https://x.org \"t\")", `<p><a href="https://x.org" title="t">same</a></p>`},
		{"<a@b.org>", `<p><a href="mailto:contact@b.org">a@b.org</a></p>`},
		{"<https://x.org>", `<p><a href="https://x.org">https://x.org</a></p>`},
	}
	c := New(Options{})
	for _, tt := range tests {
		if got := body(mustConvertWith(t, c, tt.src, resolve)); got != tt.want {
			t.Errorf("Convert(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestEscapeDestinationRoundTrip(t *testing.T) {
	for _, s := range []string{
		"", "/a/", `a\b`, `a\_b`, "a&b", "a&amp;b", "&#106;", `\&#106;`, "&copy;", `\\`, "/中文/#提纲",
	} {
		if got := string(decodeDestination(escapeDestination(s))); got != s {
			t.Errorf("decode(escape(%q)) = %q", s, got)
		}
	}
}

func TestNilResolverKeepsDestinations(t *testing.T) {
	got := body(mustConvert(t, "[a](../b.md#c) ![i](x.png)"))
	want := `<p><a href="../b.md#c">a</a> <img src="x.png" alt="i"></p>`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestBrokenLinkProblems(t *testing.T) {
	broken := func(dest string) (string, error) {
		if strings.Contains(dest, "missing") || strings.Contains(dest, "bad.example") {
			return "", errors.New("broken link: " + dest)
		}
		return dest, nil
	}
	tests := []struct {
		name     string
		src      string
		want     []Problem
		wantHTML string
	}{
		{
			name:     "first line",
			src:      "[坏链](missing.md)",
			want:     []Problem{{Line: 1, Col: 1, Msg: "broken link: missing.md"}},
			wantHTML: `<p><a href="missing.md">坏链</a></p>`,
		},
		{
			name: "column counts characters",
			src:  "第一行\n\n中文[坏链](missing.md#提纲)",
			want: []Problem{{Line: 3, Col: 3, Msg: "broken link: missing.md#提纲"}},
		},
		{
			name: "image points at the bang",
			src:  "前言 ![图](missing.png)",
			want: []Problem{{Line: 1, Col: 4, Msg: "broken link: missing.png"}},
		},
		{
			name: "several on one line",
			src:  "[a](missing-a.md) 和 [b](ok.md) 和 [c](missing-c.md)",
			want: []Problem{{Line: 1, Col: 1, Msg: "broken link: missing-a.md"}, {Line: 1, Col: 34, Msg: "broken link: missing-c.md"}},
		},
		{
			name: "inside emphasis",
			src:  "正文\n**重点 [x](missing.md)**",
			want: []Problem{{Line: 2, Col: 6, Msg: "broken link: missing.md"}},
		},
		{
			name: "list item",
			src:  "- 一\n- 二 [x](missing.md)",
			want: []Problem{{Line: 2, Col: 5, Msg: "broken link: missing.md"}},
		},
		{
			name: "blockquote",
			src:  "> 引文\n> 见 [x](missing.md)",
			want: []Problem{{Line: 2, Col: 5, Msg: "broken link: missing.md"}},
		},
		{
			name: "table cell",
			src:  "| a | b |\n|---|---|\n| 1 | [x](missing.md) |",
			want: []Problem{{Line: 3, Col: 7, Msg: "broken link: missing.md"}},
		},
		{
			name: "reference usage",
			src:  "文 [x][r]\n\n[r]: missing.md",
			want: []Problem{{Line: 1, Col: 3, Msg: "broken link: missing.md"}},
		},
		{
			name: "autolink",
			src:  "见 <https://bad.example/x>",
			want: []Problem{{Line: 1, Col: 3, Msg: "broken link: https://bad.example/x"}},
		},
		{
			name: "bare URL",
			src:  "见 https://bad.example/y 页",
			want: []Problem{{Line: 1, Col: 3, Msg: "broken link: https://bad.example/y"}},
		},
		{
			name: "CRLF line endings",
			src:  "a\r\n\r\nb [x](missing.md)",
			want: []Problem{{Line: 3, Col: 3, Msg: "broken link: missing.md"}},
		},
		{
			name: "dropped link is not resolved",
			src:  "[x](javascript:missing)",
			want: nil,
		},
	}
	c := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustConvertWith(t, c, tt.src, broken)
			if !reflect.DeepEqual(inEnglish(res.Problems), tt.want) {
				t.Errorf("Problems = %+v, want %+v", res.Problems, tt.want)
			}
			if tt.wantHTML != "" && body(res) != tt.wantHTML {
				t.Errorf("HTML = %s, want %s", body(res), tt.wantHTML)
			}
		})
	}
}

func TestLineCol(t *testing.T) {
	src := []byte("ab\n中文x\n\ty")
	tests := []struct{ off, line, col int }{
		{-5, 1, 1}, {0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {6, 2, 2}, {9, 2, 3},
		{10, 2, 4}, {11, 3, 1}, {12, 3, 2}, {100, 3, 3},
	}
	for _, tt := range tests {
		if line, col := lineCol(src, tt.off); line != tt.line || col != tt.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
	}
}
