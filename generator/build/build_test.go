package build

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"lanmu/internal/testsite"
)

// exampleSite is the example column at the repository root.
const exampleSite = "../.."

func buildExample(t *testing.T, opts Options) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	opts.Source = exampleSite
	opts.Dest = dest
	if _, err := Build(opts); err != nil {
		t.Fatalf("building the example site: %v", err)
	}
	return dest
}

func readOut(t *testing.T, dest, p string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
	if err != nil {
		t.Fatalf("expected output %s: %v", p, err)
	}
	return string(data)
}

func TestExampleSiteHasEveryKindAtItsURL(t *testing.T) {
	dest := buildExample(t, Options{})
	for _, p := range []string{
		"index.html", "404.html", "css/lanmu.css", "css/chroma.css",
		"readings/index.html", "classes/index.html", "teachers/index.html",
		"cards/index.html", "standards/index.html", "news/index.html",
		"readings/学习党章/index.html",
		"readings/shijian-jiedian/index.html",
		"classes/jiandang-95-lixiang-xinnian/index.html",
		"teachers/li-hongmei/index.html", "teachers/wang-shulan/index.html",
		"cards/biaozhun-01/index.html", "cards/yaoqiu-04/index.html",
		"standards/01-zhunbei-dongyuan/index.html", "standards/12-luoshi-zeren/index.html",
		"news/zhuti-dangri/index.html",
		"tags/基本标准/page/2/index.html",
	} {
		readOut(t, dest, p)
	}
	// Every published Markdown file has a page: count them independently
	// of the build, by reading the files.
	want := 0
	filepath.WalkDir(filepath.Join(exampleSite, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || d.Name() == "_index.md" {
			return err
		}
		src, _ := os.ReadFile(p)
		if !bytes.Contains(src, []byte("\ndraft: true")) && !bytes.Contains(src, []byte("\ndraft = true")) {
			want++
		}
		return nil
	})
	got := 0
	filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		taxonomy := strings.HasPrefix(rel, "tags/") || strings.HasPrefix(rel, "branches/") || strings.HasPrefix(rel, "print/")
		if d.Name() == "index.html" && strings.Count(rel, "/") == 2 && !strings.Contains(rel, "/page/") && !taxonomy {
			if data, _ := os.ReadFile(p); !bytes.Contains(data, []byte(`http-equiv="refresh"`)) {
				got++
			}
		}
		return nil
	})
	if want < 60 || got != want {
		t.Errorf("published pages: %d in the output, %d Markdown files that are not drafts", got, want)
	}
}

func TestExampleSiteMarkdownFeatures(t *testing.T) {
	dest := buildExample(t, Options{})
	dangzhang := readOut(t, dest, "readings/学习党章/index.html")
	for _, want := range []string{
		`<h2 id="学习-教育">学习 <span class="nobr">教育</span></h2>`, // Chinese heading IDs keep the characters; the last two stay on one line
		`<strong>「学党章党规」</strong>是基础`,                         // emphasis next to Chinese punctuation
		`<dt>两学一做</dt>`,          // definition lists
		`class="footnote-ref"`,   // footnotes
		`href="/xxjy/readings/"`, // menu and breadcrumbs under the sub-path
		`<html lang="zh-CN">`,    // language from the config
		`中共示例县委组织部（虚构示例单位）`,      // the unit in the footer
	} {
		if !strings.Contains(dangzhang, want) {
			t.Errorf("readings/学习党章 lacks %s", want)
		}
	}
	jiedu := readOut(t, dest, "readings/shier-xiang-jiben-biaozhun-jiedu/index.html")
	if !strings.Contains(jiedu, `id="工作要求"`) || !strings.Contains(jiedu, `id="工作要求-1"`) {
		t.Errorf("repeated headings are not de-duplicated with -1")
	}
	if css := readOut(t, dest, "css/chroma.css"); !strings.Contains(css, ".chroma") {
		t.Errorf("css/chroma.css has no .chroma rules")
	}
	zhiyin := readOut(t, dest, "readings/jiang-dangke-gongzuo-zhiyin/index.html")
	if !strings.Contains(zhiyin, `href="/xxjy/classes/jiandang-95-lixiang-xinnian/#`) {
		t.Errorf("a relative link to a Markdown file did not become that page's URL")
	}
	bundle := readOut(t, dest, "readings/shijian-jiedian/index.html")
	if !strings.Contains(bundle, `src="/xxjy/readings/shijian-jiedian/chart.png"`) {
		t.Errorf("the bundle image is not referenced under the sub-path")
	}
	srcImg, _ := os.ReadFile(filepath.Join(exampleSite, "content/readings/shijian-jiedian/chart.png"))
	if outImg := readOut(t, dest, "readings/shijian-jiedian/chart.png"); len(srcImg) == 0 || outImg != string(srcImg) {
		t.Errorf("the bundle image was not copied as it is")
	}
}

// markupSite is a fixture with raw HTML and code in its pages, which the
// example column, meant to be real, does not carry.
const markupSite = "../../testdata/sites/markup"

func TestRawHTMLIsOmittedWithAWarning(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	report, err := Build(Options{Source: markupSite, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	raw := readOut(t, dest, "readings/raw-html/index.html")
	for _, kept := range []string{"下面几处原始 HTML 在默认配置下不会输出，文字照常显示。", "表格之前。", "之后的文字照常显示。"} {
		if !strings.Contains(raw, kept) {
			t.Errorf("the page with raw HTML lost its text %q", kept)
		}
	}
	for _, gone := range []string{"不应出现", "color:red", "<table", "<b>", "javascript:"} {
		if strings.Contains(raw, gone) {
			t.Errorf("the page keeps %q", gone)
		}
	}
	// One warning per element, at its line in the file (front matter
	// counted), and none for the <!--more--> marker on line 13.
	var got []string
	for _, w := range report.Warnings {
		got = append(got, fmt.Sprintf("%s:%d:%d", w.Path, w.Line, w.Col))
	}
	want := []string{"content/readings/raw-html.md:9:1", "content/readings/raw-html.md:11:1", "content/readings/raw-html.md:17:1", "content/readings/raw-html.md:21:3", "content/readings/raw-html.md:21:13"}
	if !slices.Equal(got, want) {
		t.Errorf("warnings at %v, want %v", got, want)
	}
	walkHTML(t, dest, func(p, doc string) {
		onlyThemeScripts(t, p, doc)
	})
}

// onlyThemeScripts fails when the page doc at p runs a script other than
// the theme's own files under /js/, or carries script from content.
func onlyThemeScripts(t *testing.T, p, doc string) {
	t.Helper()
	for _, s := range elements(t, doc, "script") {
		if !strings.HasPrefix(s["src"], "/xxjy/js/") {
			t.Errorf("%s carries a script that is not the theme's: %v", p, s)
		}
	}
	if strings.Contains(doc, "alert(") {
		t.Errorf("%s carries script from content", p)
	}
}

func TestCodeIsHighlightedAndNotIndexed(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: markupSite, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	news := readOut(t, dest, "news/code/index.html")
	if !strings.Contains(news, `class="chroma"`) || strings.Contains(news, `style="color`) {
		t.Errorf("fenced code is not highlighted with CSS classes")
	}
	if css := readOut(t, dest, "css/chroma.css"); !strings.Contains(css, ".chroma") {
		t.Errorf("css/chroma.css has no .chroma rules")
	}
	// The prose of the page is indexed; the TOML in its code block is not.
	idx := readIndex(t, dest)
	if docs := idx.docsWith("配置"); !slices.Contains(docs, "/xxjy/news/code/") {
		t.Errorf("the page's prose is not indexed: 配置 finds %q", docs)
	}
	if docs := idx.docsWith("baseurl"); len(docs) > 0 {
		t.Errorf("code is indexed: baseurl finds %q", docs)
	}
}

// TestExampleSiteIsCleanAndOmitsDrafts builds the example column, which is
// meant to be a real one: no warnings, no script but the theme's, no draft.
func TestExampleSiteIsCleanAndOmitsDrafts(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	report, err := Build(Options{Source: exampleSite, Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range report.Warnings {
		t.Errorf("warning: %v", w)
	}
	walkHTML(t, dest, func(p, doc string) {
		onlyThemeScripts(t, p, doc)
		if strings.Contains(doc, "__lanmu") || strings.Contains(doc, "EventSource") {
			t.Errorf("%s carries lanmu serve's live-reload script", p)
		}
		if strings.Contains(doc, "（草稿）") {
			t.Errorf("%s shows a draft", p)
		}
	})
	if _, err := os.Stat(filepath.Join(dest, "news/caogao-sanjidu-ducha")); err == nil {
		t.Errorf("the draft was published")
	}
	withDrafts := buildExample(t, Options{Drafts: true})
	if !strings.Contains(readOut(t, withDrafts, "news/caogao-sanjidu-ducha/index.html"), "（草稿）") {
		t.Errorf("--drafts did not publish the draft")
	}
}

// TestExampleSiteHasNoBrokenInternalLinks follows every href and src of
// every page: each must stay under the base path and name a file the build
// wrote.
func TestExampleSiteHasNoBrokenInternalLinks(t *testing.T) {
	dest := buildExample(t, Options{})
	checked := 0
	walkHTML(t, dest, func(p, doc string) {
		for _, link := range links(t, doc) {
			u, err := url.Parse(link)
			if err != nil {
				t.Errorf("%s: bad URL %q", p, link)
				continue
			}
			if u.Scheme != "" || u.Host != "" || u.Path == "" {
				continue
			}
			if !strings.HasPrefix(u.Path, "/xxjy/") {
				t.Errorf("%s: link %q ignores the base path /xxjy/", p, link)
				continue
			}
			target := strings.TrimPrefix(u.Path, "/xxjy/")
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(target))); err != nil {
				t.Errorf("%s: link %q goes nowhere", p, link)
			}
			checked++
		}
	})
	if checked < 500 {
		t.Errorf("only %d internal links checked; the walk is broken", checked)
	}
}

func TestBaseURLOverride(t *testing.T) {
	dest := buildExample(t, Options{BaseURL: "http://localhost:8080/"})
	home := readOut(t, dest, "index.html")
	if !strings.Contains(home, `href="/css/lanmu.css"`) || strings.Contains(home, "/xxjy/") {
		t.Errorf("--baseURL did not replace the base path")
	}
	if !strings.Contains(home, `<link rel="canonical" href="http://localhost:8080/">`) {
		t.Errorf("canonical link does not use the overriding base URL")
	}
}

func walkHTML(t *testing.T, dest string, fn func(p, doc string)) {
	t.Helper()
	n := 0
	filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dest, p)
			fn(filepath.ToSlash(rel), string(data))
			n++
		}
		return nil
	})
	if n == 0 {
		t.Fatalf("no HTML under %s", dest)
	}
}

// elements returns the attributes of every element with the given tag.
func elements(t *testing.T, doc, tag string) []map[string]string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
			}
			out = append(out, attrs)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	return out
}

// links returns the href and src attributes of a document.
func links(t *testing.T, doc string) []string {
	t.Helper()
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "href" || a.Key == "src" {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	return out
}

func TestAliasRedirectsToThePage(t *testing.T) {
	dest := buildExample(t, Options{})
	alias := readOut(t, dest, "readings/xuexi-dangzhang/index.html")
	target := "/xxjy/readings/%E5%AD%A6%E4%B9%A0%E5%85%9A%E7%AB%A0/"
	if !strings.Contains(alias, `<meta http-equiv="refresh" content="0; url=`+target+`">`) || !strings.Contains(alias, `href="`+target+`"`) {
		t.Errorf("the alias does not redirect to the page:\n%s", alias)
	}
}

func TestSiteStaticOverridesThemeStatic(t *testing.T) {
	site := testsite.Write(t, map[string]string{
		"lanmu.toml":            "title = \"站\"\nbaseURL = \"/sub/\"\n",
		"content/_index.md":     "---\ntitle: 首页\n---\n",
		"static/css/lanmu.css":  "/* the site's own */",
		"static/files/plan.pdf": "%PDF-1.4",
		"static/.hidden":        "secret",
		"layouts/404.html":      "<!DOCTYPE html><title>404</title><p>site 404</p>",
	})
	dest := filepath.Join(site, "public")
	if _, err := Build(Options{Source: site}); err != nil {
		t.Fatal(err)
	}
	if got := readOut(t, dest, "css/lanmu.css"); got != "/* the site's own */" {
		t.Errorf("static/ did not override the theme's file: %q", got)
	}
	if got := readOut(t, dest, "files/plan.pdf"); got != "%PDF-1.4" {
		t.Errorf("static file not copied: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dest, ".hidden")); err == nil {
		t.Errorf("a hidden static file was published")
	}
	if got := readOut(t, dest, "404.html"); !strings.Contains(got, "site 404") {
		t.Errorf("layouts/404.html did not override the theme's: %q", got)
	}
	if home := readOut(t, dest, "index.html"); !strings.Contains(home, `href="/sub/css/lanmu.css"`) {
		t.Errorf("a bare-path baseURL is not used for links")
	}
}

// TestThemes builds the example column with each built-in theme, and with
// a site template that overrides one template of the theme.
func TestThemes(t *testing.T) {
	for _, theme := range []struct{ name, marker string }{{"default", `<body class="kind-home`}, {"ink", `<body class="theme-ink kind-home`}} {
		t.Run(theme.name, func(t *testing.T) {
			site := testsite.CopyExample(t, exampleSite, func(c string) string {
				return strings.Replace(c, `theme    = "default"`, `theme    = "`+theme.name+`"`, 1)
			})
			override := filepath.Join(site, "layouts", "teacher", "single.html")
			os.MkdirAll(filepath.Dir(override), 0o755)
			os.WriteFile(override, []byte(`{{ define "main" }}<p class="site-override">{{ .Title }}：{{ len .ClassesGiven }}</p>{{ end }}`), 0o644)
			if _, err := Build(Options{Source: site}); err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(site, "public")
			if home := readOut(t, dest, "index.html"); !strings.Contains(home, theme.marker) {
				t.Errorf("the home page is not the %s theme's", theme.name)
			}
			// Kind templates come from default in both themes.
			class := readOut(t, dest, "classes/jiandang-95-lixiang-xinnian/index.html")
			if !strings.Contains(class, `class="outline"`) || !strings.Contains(class, "领导干部讲党课") {
				t.Errorf("%s: the class page lacks its outline or form", theme.name)
			}
			// Every theme's pages carry the meta tags and feed discovery.
			for _, want := range []string{`<meta property="og:title"`, `<meta name="description"`, `<link rel="alternate" type="application/rss&#43;xml"`} {
				if !strings.Contains(class, want) {
					t.Errorf("%s: the class page lacks %s", theme.name, want)
				}
			}
			teacher := readOut(t, dest, "teachers/li-hongmei/index.html")
			if !strings.Contains(teacher, `<p class="site-override">李红梅：1</p>`) {
				t.Errorf("%s: layouts/teacher/single.html did not override the theme", theme.name)
			}
			if theme.name == "ink" {
				if !strings.Contains(teacher, `href="/xxjy/css/ink.css"`) {
					t.Errorf("ink pages do not load ink.css")
				}
				readOut(t, dest, "css/ink.css")
				readOut(t, dest, "css/lanmu.css") // inherited from default
			}
		})
	}
}

// TestTemplateViewFields checks the values templates read from a page
// view: the headings of chosen levels, the description, and the ancestors,
// menu and tag pages made once for every page.
func TestTemplateViewFields(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"lanmu.toml": "title = \"栏\"\nbaseURL = \"https://example.org/x/\"\ndescription = \"站点简介\"\n" +
			"[[menu.main]]\nname = \"动态\"\nurl = \"/news/\"\n",
		"content/news/_index.md": "---\ntitle: 动态\n---\n",
		"content/news/a.md":      "---\ntitle: 甲\ndate: 2016-06-01\ntags: [党章, 党规]\n---\n# 一\n\n## 二\n\n### 三\n\n#### 四\n\n## 五\n\n正文。\n",
		"content/news/b.md":      "---\ntitle: 乙\ndate: 2016-06-02\n---\n",
		"layouts/_default/single.html": `{{ range .TOCLevels 2 3 }}[{{ .Level }}{{ .Text }}]{{ end }}|{{ .Description }}|` +
			`{{ range .Ancestors }}{{ .Title }}/{{ end }}|{{ range .Menu }}{{ .Name }}={{ .Current }}{{ end }}|{{ range .TagPages }}{{ .Title }},{{ end }}|{{ .MenuState }}`,
		"layouts/_default/list.html": `{{ range .Menu }}{{ .Name }}={{ .Current }}{{ end }}|{{ .MenuState }}`,
		"layouts/index.html":         `{{ range .Menu }}{{ .Name }}={{ .Current }}{{ end }}|{{ .MenuState }}`,
	})
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: dir, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	if got, want := readOut(t, dest, "news/a/index.html"), "[2二][3三][2五]|正文。|栏/动态/|动态=true|党章,党规,|true"; got != want {
		t.Errorf("a:\n got %s\nwant %s", got, want)
	}
	// No summary: the site's description.
	if got, want := readOut(t, dest, "news/b/index.html"), "|站点简介|栏/动态/|动态=true||true"; got != want {
		t.Errorf("b:\n got %s\nwant %s", got, want)
	}
	if got, want := readOut(t, dest, "news/index.html"), "动态=page|page"; got != want {
		t.Errorf("section: got %s, want %s", got, want)
	}
	if got := readOut(t, dest, "index.html"); got != "动态=|" {
		t.Errorf("home: got %s, want 动态=|", got)
	}
}
