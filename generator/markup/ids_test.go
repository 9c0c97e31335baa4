package markup

import (
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"学习 教育", "学习-教育"},
		{"Hello, World!", "hello-world"},
		{"  第一章：总论  ", "第一章-总论"},
		{"C++ 与 Go 1.26", "c-与-go-1-26"},
		{"snake_case and kebab-case", "snake-case-and-kebab-case"},
		{"「十四五」规划", "十四五-规划"},
		{"日本語のテキスト", "日本語のテキスト"},
		{"한국어 제목", "한국어-제목"},
		{"Ünïcödé Straße", "ünïcödé-straße"},
		{"ＡＢＣ公司 ＸＹＺ", "ａｂｃ公司-ｘｙｚ"},
		{"cafe\u0301 au lait", "cafe\u0301-au-lait"},
		{"２０２４年", "２０２４年"},
		{"!!!", ""},
		{"", ""},
		{"\xff\xfe", ""},
	}
	for _, tt := range tests {
		if got := slugify([]byte(tt.in)); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeadingIDsDeduplicate(t *testing.T) {
	ids := newHeadingIDs()
	ids.Put([]byte("学习-教育-2"))
	var got []string
	for _, v := range []string{"学习 教育", "学习 教育", "学习 教育", "", "", "学习-教育-1"} {
		got = append(got, string(ids.Generate([]byte(v), ast.KindHeading)))
	}
	want := []string{"学习-教育", "学习-教育-1", "学习-教育-3", "heading", "heading-1", "学习-教育-1-1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := string(ids.Generate(nil, ast.KindParagraph)); got != "id" {
		t.Errorf("empty non-heading id = %q, want id", got)
	}
}

func TestTOC(t *testing.T) {
	src := "# 学习 教育\n\n" +
		"## 学习 教育\n\n" +
		"## Hello **World** [link](x.md) `code` ![img](a.png)\n\n" +
		"### 自定义 {#custom}\n\n" +
		"## 提前占用\n\n" +
		"## 后面的显式 ID {#提前占用}\n\n" +
		"## {#empty-explicit}\n\n" +
		"##\n\n" +
		"Setext 标题\n---------\n\n" +
		"> ## 引用里的标题\n\n" +
		"## 数字 ID {id=42}\n\n" +
		"## 空 ID {#}\n"
	res := mustConvert(t, src)
	want := []Heading{
		{1, "学习-教育", "学习 教育"},
		{2, "学习-教育-1", "学习 教育"},
		{2, "hello-world-link-code", "Hello World link code"},
		{3, "custom", "自定义"},
		// "提前占用" is reserved by a later explicit id, so the generated
		// one moves aside instead of duplicating it.
		{2, "提前占用-1", "提前占用"},
		{2, "提前占用", "后面的显式 ID"},
		{2, "empty-explicit", ""},
		{2, "heading", ""},
		{2, "setext-标题", "Setext 标题"},
		{2, "引用里的标题", "引用里的标题"},
		{2, "42", "数字 ID"},
		{2, "空-id", "空 ID"},
	}
	if !reflect.DeepEqual(res.TOC, want) {
		t.Errorf("TOC\n got %+v\nwant %+v", res.TOC, want)
	}
	for _, frag := range []string{
		`<h1 id="学习-教育">学习 教育</h1>`,
		`<h2 id="学习-教育-1">学习 教育</h2>`,
		`<h3 id="custom">自定义</h3>`,
		`<h2 id="提前占用-1">提前占用</h2>`,
		`<h2 id="提前占用">后面的显式 ID</h2>`,
		`<h2 id="42">数字 ID</h2>`,
	} {
		if !strings.Contains(string(res.HTML), frag) {
			t.Errorf("HTML lacks %s:\n%s", frag, res.HTML)
		}
	}
}

// Ids are per document: converting a page twice, or after another page
// with the same headings, gives the same ids.
func TestHeadingIDsPerDocument(t *testing.T) {
	c := New(Options{})
	src := "## 学习 教育\n\n## 学习 教育\n"
	first := mustConvertWith(t, c, src, nil)
	second := mustConvertWith(t, c, src, nil)
	if !reflect.DeepEqual(first.TOC, second.TOC) || string(first.HTML) != string(second.HTML) {
		t.Errorf("second conversion differs:\n%+v\n%+v", first.TOC, second.TOC)
	}
	if first.TOC[1].ID != "学习-教育-1" {
		t.Errorf("second heading id = %q", first.TOC[1].ID)
	}
}

func TestHeadingIDWithSpaces(t *testing.T) {
	got := body(mustConvert(t, "## 要点 {id=\"学习 要点\"}\n\n[见](#学习-要点)"))
	if !strings.Contains(got, `<h2 id="学习-要点">要点</h2>`) {
		t.Errorf("an author's id with a space: %s", got)
	}
}

func TestHeadingAttributesFiltered(t *testing.T) {
	src := `## 标题 {#t .note style="position:fixed" onclick="x()" tabindex=1 lang=zh data-x=1}`
	got := body(mustConvert(t, src))
	want := `<h2 id="t" class="note" lang="zh">标题</h2>`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}
