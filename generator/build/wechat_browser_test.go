package build

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"lanmu/internal/chrome"
	"lanmu/internal/pasteable"
	"lanmu/internal/testsite"
)

// weChatSample is an article with what the 公众号 editor cannot keep as it
// is: links out and within the column, a footnote with a link of its own,
// code with runs of spaces, and a list three levels deep.
const weChatSample = `---
title: 公众号复制样例
date: 2016-05-02
---

学习[共产党员网](http://www.12371.cn/)的专题[^1]，对照[十二项基本标准](学习党章.md)，
再看[公众号文章](https://mp.weixin.qq.com/s/abc)，回到[共产党员网](http://www.12371.cn/)。

` + "```text\n学习  安排：\n    第一周  读党章\n    第二周  读讲话\n```" + `

- 第一层
  - 第二层
    - 第三层
      - 第四层

[^1]: 见[人民网](http://cpc.people.com.cn/)的汇编。
`

// TestCopyForWeChatInChromium opens an article's wechat/ page in Chromium,
// presses 复制到公众号 and reads what the clipboard then holds, once by
// the asynchronous clipboard and once by the fallback for browsers without
// ClipboardItem. The copied HTML keeps to the editor's rules, its notes are
// the links of the article's own page in the order they first appear, and
// its code keeps the lines and spaces the page's code shows.
func TestCopyForWeChatInChromium(t *testing.T) {
	ctx := chrome.New(t, 90*time.Second)
	site := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	if err := os.WriteFile(filepath.Join(site, "content/readings/wechat-sample.md"), []byte(weChatSample), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(site, "public")
	if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/xxjy", http.FileServer(http.Dir(dest))))
	t.Cleanup(srv.Close)
	article := srv.URL + "/xxjy/readings/wechat-sample/"
	b := browserPage{t, ctx}
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		params := browser.SetPermissionParams{Permission: &browser.PermissionDescriptor{Name: name, AllowWithoutSanitization: true}, Setting: browser.PermissionSettingGranted, Origin: srv.URL}
		if _, err := chromedp.Call(ctx, browser.SetPermission, params); err != nil {
			t.Fatalf("granting %s: %v", name, err)
		}
	}
	// Only a focused page may use the clipboard; a headless one never is.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}

	// What the article's page shows: its links out, in order, each once,
	// and its code.
	b.open(article, 1366)
	var links, code []string
	b.eval(`(() => {
		// Resolved as the column's published address would resolve them.
		const canonical = document.querySelector("link[rel=canonical]").href;
		const seen = new Set();
		return [...document.querySelectorAll(".prose a[href]")]
			.filter(a => !a.getAttribute("href").startsWith("#") && !a.href.startsWith("https://mp.weixin.qq.com/"))
			.map(a => new URL(a.getAttribute("href"), canonical).href).filter(h => !seen.has(h) && seen.add(h));
	})()`, &links)
	b.eval(`[...document.querySelectorAll(".prose pre code")].map(c => c.textContent.replace(/\n$/, ""))`, &code)
	if len(links) != 3 || len(code) != 1 {
		t.Fatalf("the sample shows %d links out (%q) and %d code blocks, want 3 and 1", len(links), links, len(code))
	}

	for _, way := range []struct{ name, before string }{
		{"ClipboardItem", ""},
		{"execCommand", "delete window.ClipboardItem;"},
	} {
		t.Run(way.name, func(t *testing.T) {
			if way.before != "" {
				added, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: way.before})
				if err != nil {
					t.Fatal(err)
				}
				defer chromedp.Call(ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams(added))
			}
			b := browserPage{t, ctx}
			b.open(article+"wechat/", 1366)
			var copied string
			var emptied bool
			b.eval(`navigator.clipboard.writeText("").then(() => true)`, &emptied)
			err := chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS(".wechat__copy")),
				chromedp.WaitVisible(chromedp.CSS(".wechat__status--ok")),
			)
			if err != nil {
				var status string
				b.eval(`document.querySelector(".wechat__status").textContent`, &status)
				t.Fatalf("pressing 复制到公众号: %v (the page says %q)", err, status)
			}
			b.eval(`navigator.clipboard.read().then(items => items[0].getType("text/html")).then(blob => blob.text())`, &copied)
			checkWeChatCopy(t, copied, links, code)
		})
	}
}

// chromeMeta is what Chromium puts before HTML it writes to the clipboard.
var chromeMeta = regexp.MustCompile(`^<meta charset=['"]?utf-8['"]?>`)

// checkWeChatCopy checks copied HTML against the article it came from:
// links, its links out in order, and code, its code blocks.
func checkWeChatCopy(t *testing.T, copied string, links, code []string) {
	t.Helper()
	copied = chromeMeta.ReplaceAllString(copied, "")
	if !strings.Contains(copied, "公众号复制样例") || !strings.Contains(copied, "第四层") {
		t.Fatalf("the clipboard does not hold the article:\n%s", copied)
	}
	problems, err := pasteable.Problems(copied)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	nodes, err := pasteable.Parse(copied)
	if err != nil {
		t.Fatal(err)
	}
	text := lines(nodes)

	// The notes under 参考链接, numbered from 1, and the marks in the
	// text, whose first appearances count up from 1.
	notes := regexp.MustCompile(`^\[(\d+)\] .*?(https?://\S+)$`)
	var noted []string
	under := false
	for _, line := range text {
		switch {
		case line == "参考链接":
			under = true
		case line == "注释" || strings.HasPrefix(line, "阅读原文"):
			under = false
		case under:
			m := notes.FindStringSubmatch(line)
			if m == nil || m[1] != strconv.Itoa(len(noted)+1) {
				t.Errorf("note %d reads %q", len(noted)+1, line)
				continue
			}
			noted = append(noted, m[2])
		}
	}
	if !slices.Equal(noted, links) {
		t.Errorf("the notes give %q, the article links to %q", noted, links)
	}
	var firsts []string
	for _, m := range regexp.MustCompile(`\[(\d+)\]`).FindAllStringSubmatch(strings.Join(text[:slices.Index(text, "参考链接")], "\n"), -1) {
		if !slices.Contains(firsts, m[1]) {
			firsts = append(firsts, m[1])
		}
	}
	if want := []string{"1", "2", "3"}; !slices.Equal(firsts, want) {
		t.Errorf("the text marks its links %q in order of first appearance, want %q", firsts, want)
	}

	// Each block of code, as a phone shows it: lines at <br>, and the
	// spaces the editor would otherwise collapse.
	var blocks []string
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if style, _ := pasteable.Attr(n, "style"); n.Type == html.ElementNode && strings.Contains(style, "monospace") && strings.Contains(style, "white-space:nowrap") {
			blocks = append(blocks, strings.Join(lines([]*html.Node{n}), "\n"))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	for _, n := range nodes {
		find(n)
	}
	if !slices.Equal(blocks, code) {
		t.Errorf("the copy's code reads\n%q\nthe article's\n%q", blocks, code)
	}
}

// lines is the text of nodes as the editor shows it: a line for each block
// element and each <br>, with no-break spaces as spaces and other runs of
// white space collapsed as HTML does.
func lines(nodes []*html.Node) []string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			// Not strings.Fields: a no-break space is not white space here.
			b.WriteString(strings.Join(strings.FieldsFunc(n.Data, func(r rune) bool { return strings.ContainsRune(" \t\n\r\f", r) }), " "))
		case n.Type == html.ElementNode && n.Data == "br":
			b.WriteString("\n")
		case n.Type == html.ElementNode && n.Data == "svg":
			return
		}
		block := n.Type == html.ElementNode && slices.Contains([]string{"section", "p", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4"}, n.Data)
		if block {
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteString("\n")
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	var out []string
	for _, line := range strings.Split(b.String(), "\n") {
		if line = strings.ReplaceAll(line, "\u00a0", " "); strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	return out
}
