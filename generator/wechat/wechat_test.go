package wechat

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lanmu/generator/markup"
	"lanmu/internal/pasteable"
)

const article = "正文[^1]有[链接](https://example.org/a)、[站内](../b/)和[公众号](https://mp.weixin.qq.com/s/x)，" +
	"再引[链接](https://example.org/a)一次，[本页锚点](#x)。\n\n" +
	"![图](img/a.png)\n\n" +
	"```go\nfunc main() {\n\tx := 1 //  two spaces\n}\n```\n\n" +
	"- 一\n  - 二\n    - 三\n      - 四\n\n" +
	"- [x] 已完成\n- [ ] 未完成\n\n" +
	"| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n" +
	"三严三实\n: 严以修身\n\n" +
	"<span class=\"x\" style=\"color:red\">原始</span>\n\n" +
	"[^1]: 注释内容，见[出处](https://example.org/src)。\n"

// render converts Markdown as lanmu does and makes its copy.
func render(t *testing.T, md string) string {
	t.Helper()
	res, err := markup.New(markup.Options{}).Convert([]byte(md), nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Render(Article{Title: "标题", HTML: res.HTML, URL: "https://www.example.gov.cn/xxjy/readings/a/",
		ReadMore: "https://www.example.gov.cn/xxjy/s/abcdef/", QR: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><path d="M0 0h1v1h-1z"/></svg>`})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkPasteable checks a copy as the 公众号 editor would keep it (see
// internal/pasteable).
func checkPasteable(t *testing.T, out string) {
	t.Helper()
	problems, err := pasteable.Problems(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func TestCopyKeepsToWhatTheEditorKeeps(t *testing.T) {
	out := render(t, article)
	checkPasteable(t, out)
	// The links become notes in the order they are cited, a link cited
	// twice once; a link within the page is its text alone.
	marks := regexp.MustCompile(`>\[(\d+)\]<`).FindAllStringSubmatch(out, -1)
	var order []string
	for _, m := range marks {
		order = append(order, m[1])
	}
	if got := strings.Join(order, ","); got != "1,2,1,3" {
		t.Errorf("link marks %s, want 1,2,1,3 (the footnote's link is the third)", got)
	}
	for _, want := range []string{
		"[1] 链接：https://example.org/a</p>",
		"[2] 站内：https://www.example.gov.cn/xxjy/readings/b/</p>",
		"[3] 出处：https://example.org/src</p>",
		">注释</section>", "[注1] 注释内容，见出处<span style=\"" + styleSup + "\">[3]</span>。</p>",
		`<a href="https://mp.weixin.qq.com/s/x" style="color:#576b95;">公众号</a>`,
		`src="https://www.example.gov.cn/xxjy/readings/a/img/a.png"`,
		"func&nbsp;main()&nbsp;{<br>&nbsp;&nbsp;&nbsp;&nbsp;x&nbsp;:=&nbsp;1&nbsp;//&nbsp;&nbsp;two&nbsp;spaces<br>}",
		"四", "☑ 已完成", "☐ 未完成",
		`<p style="` + styleTerm + `">三严三实</p><p style="` + styleTermDef + `">严以修身</p>`,
		"阅读原文：https://www.example.gov.cn/xxjy/s/abcdef/", "<svg",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the copy lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "本页锚点<span") || strings.Contains(out, "color:red") || strings.Contains(out, "↩") {
		t.Errorf("an in-page link became a note, or raw HTML came through:\n%s", out)
	}
}

// The example column's readings, classes and news, as lanmu converts them,
// all make copies the editor keeps.
func TestExampleArticlesArePasteable(t *testing.T) {
	var files []string
	for _, dir := range []string{"readings", "classes", "news"} {
		found, _ := filepath.Glob(filepath.Join("../../content", dir, "*.md"))
		more, _ := filepath.Glob(filepath.Join("../../content", dir, "*", "index.md"))
		files = append(files, found...)
		files = append(files, more...)
	}
	if len(files) < 10 {
		t.Fatalf("found %d example articles", len(files))
	}
	for _, f := range files {
		if filepath.Base(f) == "_index.md" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// The body: what follows the front matter's closing line.
		body := string(src)
		for _, fence := range []string{"---\n", "+++\n"} {
			if strings.HasPrefix(body, fence) {
				if _, rest, ok := strings.Cut(body[len(fence):], "\n"+fence); ok {
					body = rest
				}
			}
		}
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			checkPasteable(t, render(t, body))
		})
	}
}

// An article nested deeper than the HTML parser's stack of 512 elements
// still makes a copy: its text, as paragraphs.
func TestDeepArticleBecomesParagraphs(t *testing.T) {
	md := strings.Repeat("> ", 600) + "深处的话\n\n表面的话\n"
	out := render(t, md)
	checkPasteable(t, out)
	for _, want := range []string{"深处的话</p>", "表面的话</p>"} {
		if !strings.Contains(out, want) {
			t.Errorf("the copy lacks %q:\n%.400s", want, out)
		}
	}
}
