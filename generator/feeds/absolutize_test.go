package feeds

import (
	"fmt"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"
)

const origin = "https://www.example.gov.cn"

func TestAbsolutize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"double quotes",
			`<p>请阅读<a href="/xxjy/a/">学习材料</a>。</p>`,
			`<p>请阅读<a href="https://www.example.gov.cn/xxjy/a/">学习材料</a>。</p>`},
		{"single quotes",
			`<a href='/xxjy/a/'>学习</a>`,
			`<a href='https://www.example.gov.cn/xxjy/a/'>学习</a>`},
		{"unquoted",
			`<a href=/xxjy/a/ class=x>学习</a>`,
			`<a href=https://www.example.gov.cn/xxjy/a/ class=x>学习</a>`},
		{"unquoted at end of tag",
			`<a href=/xxjy/a/>学习</a>`,
			`<a href=https://www.example.gov.cn/xxjy/a/>学习</a>`},
		{"spaces around equals and odd case kept",
			`<A  HREF = "/xxjy/a/"  Title="标题">x</A>`,
			`<A  HREF = "https://www.example.gov.cn/xxjy/a/"  Title="标题">x</A>`},
		{"img src self-closing",
			`<img src="/static/图片.png" alt="图片"/><br/><img src=/a.png />`,
			`<img src="https://www.example.gov.cn/static/图片.png" alt="图片"/><br/><img src=https://www.example.gov.cn/a.png />`},
		{"root itself",
			`<a href="/">首页</a>`,
			`<a href="https://www.example.gov.cn/">首页</a>`},
		{"leading whitespace browsers ignore",
			`<a href=" /a">x</a>`,
			`<a href=" https://www.example.gov.cn/a">x</a>`},
		{"query and entity kept",
			`<a href="/search?q=学习&amp;page=2#top">搜索 &amp; 查询&nbsp;&lt;1&gt;</a>`,
			`<a href="https://www.example.gov.cn/search?q=学习&amp;page=2#top">搜索 &amp; 查询&nbsp;&lt;1&gt;</a>`},
		{"slash spelled as a character reference",
			`<a href="&#47;xxjy/a/" id=k>x</a><a href=&sol;b>y</a>`,
			`<a href="https://www.example.gov.cn/xxjy/a/" id=k>x</a><a href="https://www.example.gov.cn/b">y</a>`},
		{"srcset",
			`<img srcset="/img/a-1x.jpg 1x, /img/a-2x.jpg 2x" src="/img/a.jpg">`,
			`<img srcset="https://www.example.gov.cn/img/a-1x.jpg 1x, https://www.example.gov.cn/img/a-2x.jpg 2x" src="https://www.example.gov.cn/img/a.jpg">`},
		{"srcset mixed, width descriptors, newlines",
			"<source srcset=\"https://cdn.example.com/a.jpg 480w,\n  /b.jpg 800w,/c.jpg\">",
			"<source srcset=\"https://cdn.example.com/a.jpg 480w,\n  https://www.example.gov.cn/b.jpg 800w,https://www.example.gov.cn/c.jpg\">"},
		{"srcset data URL with commas",
			`<img srcset="data:image/png;base64,iVBOR,w0K 1x, /x.png 2x">`,
			`<img srcset="data:image/png;base64,iVBOR,w0K 1x, https://www.example.gov.cn/x.png 2x">`},
		{"only the first of duplicated attributes counts",
			`<a href="/a" href="/b">x</a>`,
			`<a href="https://www.example.gov.cn/a" href="/b">x</a>`},
		{"other URL attributes untouched",
			`<video poster="/p.jpg" data-src="/v.mp4"><source src="/v.mp4"></video><form action="/s"></form>`,
			`<video poster="/p.jpg" data-src="/v.mp4"><source src="https://www.example.gov.cn/v.mp4"></video><form action="/s"></form>`},
		{"link and script elements",
			`<link rel="stylesheet" href="/css/a.css"><script src="/js/a.js"></script>`,
			`<link rel="stylesheet" href="https://www.example.gov.cn/css/a.css"><script src="https://www.example.gov.cn/js/a.js"></script>`},
		{"attribute named like a URL attribute",
			`<a data-href="/x" hreflang="zh" xlink:href="/y">x</a>`,
			`<a data-href="/x" hreflang="zh" xlink:href="/y">x</a>`},
		{"slash between name and attribute, as browsers read it",
			`<a/href="/x">`,
			`<a/href="https://www.example.gov.cn/x">`},
		{"mixed with unchanged links in one tag",
			`<img src="/a.png" srcset="https://cdn.example.com/a.png 2x">`,
			`<img src="https://www.example.gov.cn/a.png" srcset="https://cdn.example.com/a.png 2x">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Absolutize(tt.in, origin); got != tt.want {
				t.Errorf("Absolutize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			// Rewritten output has nothing left to rewrite.
			if got := Absolutize(tt.want, origin); got != tt.want {
				t.Errorf("not idempotent: %q", got)
			}
		})
	}
}

// TestAbsolutizeUnchanged lists inputs that must come back byte for byte.
func TestAbsolutizeUnchanged(t *testing.T) {
	for _, in := range []string{
		``,
		`纯文本，没有标签。`,
		`<a href="https://www.example.gov.cn/xxjy/">绝对</a>`,
		`<a href="//cdn.example.com/x.js">协议相对</a>`,
		`<a href="/\evil.example/">反斜杠</a>`,
		"<a href=\"/\t/evil.example/\">制表符</a>",
		`<a href="#section-2">锚点</a><a href="?page=2">查询</a><a href="a/b.html">相对</a><a href="../up/">上级</a>`,
		`<a href="mailto:xxjy@example.gov.cn">邮件</a><a href="tel:010-12345678">电话</a>`,
		`<a href>空</a><a href="">空值</a><a href=''>x</a>`,
		`<!-- <a href="/in/comment/"> 注释 -->`,
		`<script>var s = '<a href="/in/script/">';</script>`,
		`<style>a[href="/x"]{background:url(/in/style.png)}</style>`,
		`<textarea><img src="/in/textarea.png"></textarea>`,
		`<title><a href="/in/title/"></title>`,
		`<p>href="/not/an/attribute/" src=/nor/this</p>`,
		`<![CDATA[<a href="/x">]]>`,
		`<!DOCTYPE html><?xml version="1.0"?>`,
		`</a href="/end/tag/">`,
		`<p>未闭合 <a href="/x/"`,
		`<a href="/x/`,
		`<p>&lt;a href=&quot;/x/&quot;&gt; 实体中的标签</p>`,
		`< a href="/x">不是标签</a>`,
		`<a =href="/x">等号开头的属性名</a>`,
	} {
		if got := Absolutize(in, origin); got != in {
			t.Errorf("Absolutize(%q) = %q, want unchanged", in, got)
		}
	}
}

func TestAbsolutizeOrigin(t *testing.T) {
	in := `<a href="/a">x</a>`
	if got, want := Absolutize(in, origin+"/"), `<a href="https://www.example.gov.cn/a">x</a>`; got != want {
		t.Errorf("trailing slash: got %q, want %q", got, want)
	}
	if got := Absolutize(in, ""); got != in {
		t.Errorf("empty origin: got %q", got)
	}
	// An origin that cannot sit in an unquoted value gets quoted.
	if got, want := Absolutize(`<a href=/a>`, "https://x.example/a b"), `<a href="https://x.example/a b/a">`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := Absolutize(`<a href="/a">`, `https://x.example/"&`), `<a href="https://x.example/&#34;&amp;/a">`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestAbsolutizeLongDocument checks a realistic article end to end,
// including content longer than the tokenizer's initial buffer.
func TestAbsolutizeLongDocument(t *testing.T) {
	var in, want strings.Builder
	for i := range 500 {
		fmt.Fprintf(&in, "<p>第%d段：<a href=\"/xxjy/%d/\">链接</a><img src='https://cdn.example.com/%d.png'></p>\n", i, i, i)
		fmt.Fprintf(&want, "<p>第%d段：<a href=\"%s/xxjy/%d/\">链接</a><img src='https://cdn.example.com/%d.png'></p>\n", i, origin, i, i)
	}
	if got := Absolutize(in.String(), origin); got != want.String() {
		t.Error("long document not rewritten as expected")
	}
}

func ExampleAbsolutize() {
	html := `<p>详见<a href="/xxjy/2025/notice/">通知</a>。<img src="/static/logo.png" alt="标志"/></p>`
	fmt.Println(Absolutize(html, "https://www.example.gov.cn"))
	// Output:
	// <p>详见<a href="https://www.example.gov.cn/xxjy/2025/notice/">通知</a>。<img src="https://www.example.gov.cn/static/logo.png" alt="标志"/></p>
}

// tokens returns the tokens of s as x/net/html reads them.
func tokens(s string) []xhtml.Token {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var out []xhtml.Token
	for z.Next() != xhtml.ErrorToken {
		out = append(out, z.Token())
	}
	return out
}

func isURLAttr(key string) bool { return key == "href" || key == "src" || key == "srcset" }

func FuzzAbsolutize(f *testing.F) {
	for _, s := range []string{
		`<p>请阅读<a href="/xxjy/a/">学习材料</a>。</p>`,
		`<a href='/a' HREF=/b src = "/c"/>`,
		`<img srcset="/a.jpg 1x, //cdn/b.jpg 2x,/c.jpg" src=&#47;d>`,
		`<!-- <a href="/x"> --><script>"<a href='/y'>"</script>`,
		`<a href="/search?q=学习&amp;p=2">&lt;&amp;&gt;</a><br/>`,
		"<a href=\"/\t/x\">\x00</a><a href=\" /y\">",
		`<a href="/x`,
		`<a =href=/x/>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Absolutize(in, origin)

		// With no URL attribute containing "/" there is nothing
		// root-relative, so the input must come back unchanged.
		candidate := false
		for _, tok := range tokens(in) {
			for _, a := range tok.Attr {
				if isURLAttr(a.Key) && strings.Contains(a.Val, "/") {
					candidate = true
				}
			}
		}
		if !candidate && out != in {
			t.Fatalf("changed without a candidate:\n in %q\nout %q", in, out)
		}
		if out == in {
			return
		}

		// Otherwise the document must tokenize the same way, with only
		// URL attributes changed and only by gaining the origin.
		ti, to := tokens(in), tokens(out)
		if len(ti) != len(to) {
			t.Fatalf("token count %d -> %d:\n in %q\nout %q", len(ti), len(to), in, out)
		}
		for i := range ti {
			a, b := ti[i], to[i]
			if a.Type != b.Type || a.Data != b.Data || len(a.Attr) != len(b.Attr) {
				t.Fatalf("token %d: %v -> %v\n in %q\nout %q", i, a, b, in, out)
			}
			for j := range a.Attr {
				x, y := a.Attr[j], b.Attr[j]
				if x.Key != y.Key {
					t.Fatalf("attr key %q -> %q", x.Key, y.Key)
				}
				if x.Val == y.Val {
					continue
				}
				ok := false
				switch x.Key {
				case "href", "src":
					// The origin goes in front of the leading "/".
					ok = y.Val == strings.Replace(x.Val, "/", origin+"/", 1)
				case "srcset":
					ok = strings.ReplaceAll(y.Val, origin, "") == strings.ReplaceAll(x.Val, origin, "")
				}
				if !ok {
					t.Fatalf("attr %s: %q -> %q\n in %q\nout %q", x.Key, x.Val, y.Val, in, out)
				}
			}
		}
		if again := Absolutize(out, origin); again != out {
			t.Fatalf("not idempotent:\n in %q\nout %q\nagain %q", in, out, again)
		}
	})
}

func BenchmarkAbsolutize(b *testing.B) {
	html := bigFeed().Items[0].Content
	html = strings.ReplaceAll(html, origin+"/", "/")
	b.SetBytes(int64(len(html)))
	b.ReportAllocs()
	for b.Loop() {
		Absolutize(html, origin)
	}
}

// TestAbsolutizeManyAttributes guards against quadratic work on a tag with
// very many (here: distinct and duplicated) attributes.
func TestAbsolutizeManyAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString("<img")
	for i := range 20000 {
		fmt.Fprintf(&b, " data-%d=x DATA-%d=y", i, i)
	}
	b.WriteString(` src="/a.png">`)
	in := b.String()
	want := strings.Replace(in, `src="/a.png"`, `src="https://www.example.gov.cn/a.png"`, 1)
	start := time.Now()
	if got := Absolutize(in, origin); got != want {
		t.Error("src after many attributes not rewritten")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestAbsolutizeNonASCIINames checks that attribute names differing only
// beyond ASCII stay distinct, as they are to the tokenizer, also past the
// point where duplicates are tracked in a map.
func TestAbsolutizeNonASCIINames(t *testing.T) {
	var b strings.Builder
	b.WriteString("<img")
	for i := range 20 {
		fmt.Fprintf(&b, " a%d=x", i)
	}
	b.WriteString(" É=1 é=2 \xff=3 \xfe=4 SRC=/a.png src=/b.png>")
	in := b.String()
	want := strings.Replace(in, "SRC=/a.png", "SRC=https://www.example.gov.cn/a.png", 1)
	if got := Absolutize(in, origin); got != want {
		t.Errorf("got %q", got)
	}
}
