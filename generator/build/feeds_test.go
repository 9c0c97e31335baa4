package build

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"lanmu/internal/testsite"
)

// TestExampleFeedsParse reads every feed of the example column with gofeed,
// the parser many feed readers use, and checks what a reader would show.
func TestExampleFeedsParse(t *testing.T) {
	dest := buildExample(t, Options{})
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	cases := []struct {
		dir, title string
		minItems   int
		sections   []string
	}{
		{"", "两学一做学习教育专栏", 18, []string{"readings", "classes", "news"}},
		{"readings/", "必读文章 · 两学一做学习教育专栏", 6, []string{"readings"}},
		{"classes/", "党课提纲 · 两学一做学习教育专栏", 7, []string{"classes"}},
		{"news/", "工作动态 · 两学一做学习教育专栏", 6, []string{"news"}},
	}
	for _, c := range cases {
		for _, file := range []string{"index.xml", "atom.xml", "feed.json"} {
			name := c.dir + file
			raw := readOut(t, dest, name)
			feed, err := gofeed.NewParser().ParseString(raw)
			if err != nil {
				t.Errorf("%s does not parse: %v", name, err)
				continue
			}
			if feed.Title != c.title {
				t.Errorf("%s: title %q, want %q", name, feed.Title, c.title)
			}
			if feed.Language != "zh-CN" && file != "atom.xml" {
				t.Errorf("%s: language %q", name, feed.Language)
			}
			if want := "https://www.example.gov.cn/xxjy/" + c.dir; feed.Link != want {
				t.Errorf("%s: link %q, want %q", name, feed.Link, want)
			}
			if feed.FeedLink != "https://www.example.gov.cn/xxjy/"+name {
				t.Errorf("%s: self link %q", name, feed.FeedLink)
			}
			if len(feed.Items) < c.minItems || len(feed.Items) > 20 {
				t.Errorf("%s: %d items, want %d to the limit of 20", name, len(feed.Items), c.minItems)
			}
			for i, item := range feed.Items {
				if !strings.HasPrefix(item.Link, "https://www.example.gov.cn/xxjy/") {
					t.Errorf("%s: item link %q is not absolute under the sub-path", name, item.Link)
				}
				inSection := false
				for _, s := range c.sections {
					inSection = inSection || strings.HasPrefix(item.Link, "https://www.example.gov.cn/xxjy/"+s+"/")
				}
				if !inSection {
					t.Errorf("%s: item %q does not belong in this feed", name, item.Link)
				}
				if item.PublishedParsed == nil || item.PublishedParsed.Year() != 2016 {
					t.Errorf("%s: item %q has no 2016 date", name, item.Title)
				} else if i > 0 && feed.Items[i-1].PublishedParsed.Before(*item.PublishedParsed) {
					t.Errorf("%s: items not newest first", name)
				}
				if strings.Contains(item.Title, "草稿") {
					t.Errorf("%s: a draft is in the feed", name)
				}
				if strings.Contains(item.Content, `href="/`) || strings.Contains(item.Content, `src="/`) {
					t.Errorf("%s: item %q has root-relative links a reader cannot resolve", name, item.Title)
				}
			}
		}
	}
	// The class dated 00:30 on 1 July in Shanghai must stay on 1 July.
	rss := readOut(t, dest, "classes/index.xml")
	if !strings.Contains(rss, "Fri, 01 Jul 2016 00:30:00 +0800") {
		t.Errorf("the class of 2016-07-01T00:30+08:00 lost its time zone in RSS")
	}
	feed, _ := gofeed.NewParser().ParseString(readOut(t, dest, "classes/atom.xml"))
	for _, item := range feed.Items {
		if strings.Contains(item.Title, "七一") && item.PublishedParsed.In(shanghai).Day() != 1 {
			t.Errorf("七一 class published on %v", item.PublishedParsed.In(shanghai))
		}
	}
	for _, file := range []string{"index.xml", "atom.xml", "sitemap.xml"} {
		dec := xml.NewDecoder(strings.NewReader(readOut(t, dest, file)))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s is not well-formed XML: %v", file, err)
				break
			}
		}
	}
	alternates := map[string]string{}
	for _, l := range elements(t, readOut(t, dest, "news/zhuti-dangri/index.html"), "link") {
		if l["rel"] == "alternate" {
			alternates[l["href"]] = l["type"] + " " + l["title"]
		}
	}
	for href, want := range map[string]string{
		"/xxjy/index.xml":      "application/rss+xml 两学一做学习教育专栏 (RSS)",
		"/xxjy/news/atom.xml":  "application/atom+xml 工作动态 · 两学一做学习教育专栏 (Atom)",
		"/xxjy/news/feed.json": "application/feed+json 工作动态 · 两学一做学习教育专栏 (JSON Feed)",
	} {
		if alternates[href] != want {
			t.Errorf("feed discovery for %s is %q, want %q", href, alternates[href], want)
		}
	}
	if len(alternates) != 6 {
		t.Errorf("a news page advertises %d feeds, want 6 (home and news, 3 formats each)", len(alternates))
	}
}

func TestSitemapAndRobots(t *testing.T) {
	dest := buildExample(t, Options{})
	sitemap := readOut(t, dest, "sitemap.xml")
	for _, want := range []string{
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`,
		"<loc>https://www.example.gov.cn/xxjy/</loc>",
		"<loc>https://www.example.gov.cn/xxjy/readings/%E5%AD%A6%E4%B9%A0%E5%85%9A%E7%AB%A0/</loc>",
		"<lastmod>2016-06-22T10:00:00+08:00</lastmod>",
	} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	// The later pages of a list are the only links to its older entries.
	if !strings.Contains(sitemap, "<loc>https://www.example.gov.cn/xxjy/tags/%E5%9F%BA%E6%9C%AC%E6%A0%87%E5%87%86/page/2/</loc>") {
		t.Errorf("the sitemap leaves out page 2 of the tag 基本标准")
	}
	if strings.Contains(sitemap, "xuexi-dangzhang") || strings.Contains(sitemap, "404.html") {
		t.Errorf("the sitemap lists a redirect or 404.html")
	}
	if robots := readOut(t, dest, "robots.txt"); !strings.Contains(robots, "Sitemap: https://www.example.gov.cn/xxjy/sitemap.xml") {
		t.Errorf("robots.txt does not point at the sitemap: %q", robots)
	}
	meta := map[string]string{}
	for _, m := range elements(t, readOut(t, dest, "teachers/li-hongmei/index.html"), "meta") {
		meta[m["property"]+m["name"]] = m["content"]
	}
	for key, want := range map[string]string{
		"og:title":  "李红梅",
		"og:image":  "https://www.example.gov.cn/xxjy/teachers/li-hongmei/photo.png",
		"og:locale": "zh_CN",
		"og:type":   "article",
		"og:url":    "https://www.example.gov.cn/xxjy/teachers/li-hongmei/",
	} {
		if meta[key] != want {
			t.Errorf("teacher page %s = %q, want %q", key, meta[key], want)
		}
	}
	if meta["description"] == "" || meta["og:description"] != meta["description"] {
		t.Errorf("teacher page description %q, og:description %q", meta["description"], meta["og:description"])
	}
}

// TestTaxonomyAndPaginationURLs uses Chinese terms and more pages than fit
// on one list page.
func TestTaxonomyAndPaginationURLs(t *testing.T) {
	files := map[string]string{
		"lanmu.toml":        "title = \"站\"\nbaseURL = \"https://a.org/学习/\"\npaginate = 5\n",
		"content/_index.md": "---\ntitle: 首页\n---\n",
	}
	for i := range 12 {
		files["content/news/n"+strconv.Itoa(i)+".md"] = "---\ntitle: 动态" + strconv.Itoa(i) + "\ndate: 2016-06-" + strconv.Itoa(10+i) + "\ntags: [集中学习, 建党95周年]\n---\n正文。\n"
	}
	files["content/news/future.md"] = "---\ntitle: 未来\ndate: 2099-01-01\ntags: [集中学习]\n---\n"
	files["content/news/draft.md"] = "---\ntitle: 草稿\ndate: 2016-06-30\ndraft: true\n---\n"
	site := testsite.Write(t, files)
	if _, err := Build(Options{Source: site}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(site, "public")
	for _, feed := range []string{"index.xml", "news/atom.xml", "news/feed.json"} {
		if doc := readOut(t, dest, feed); strings.Contains(doc, "未来") || strings.Contains(doc, "草稿") || strings.Count(doc, "动态") < 12 {
			t.Errorf("%s lists a future page or a draft, or lost a page", feed)
		}
	}
	for _, p := range []string{
		"tags/index.html", "tags/集中学习/index.html", "tags/集中学习/page/2/index.html", "tags/集中学习/page/3/index.html",
		"news/page/2/index.html", "news/page/3/index.html",
	} {
		readOut(t, dest, p)
	}
	if _, err := os.Stat(filepath.Join(dest, "tags/集中学习/page/4")); err == nil {
		t.Errorf("12 pages at 5 a page made a fourth page")
	}
	second := readOut(t, dest, "tags/集中学习/page/2/index.html")
	prev := `href="/%E5%AD%A6%E4%B9%A0/tags/%E9%9B%86%E4%B8%AD%E5%AD%A6%E4%B9%A0/"`
	next := `href="/%E5%AD%A6%E4%B9%A0/tags/%E9%9B%86%E4%B8%AD%E5%AD%A6%E4%B9%A0/page/3/"`
	if !strings.Contains(second, prev) || !strings.Contains(second, next) {
		t.Errorf("page 2 of a Chinese term lacks its pager links")
	}
	if strings.Count(second, `class="entry"`) != 5 || !strings.Contains(second, "动态6") || strings.Contains(second, "动态11") {
		t.Errorf("page 2 does not hold the 6th to 10th newest pages")
	}
	tags := readOut(t, dest, "tags/index.html")
	if !strings.Contains(tags, "建党95周年") || !strings.Contains(tags, `<span class="chip__count">12</span>`) {
		t.Errorf("the tags page does not list the terms with counts")
	}
}

func TestEnglishSite(t *testing.T) {
	site := testsite.Write(t, map[string]string{
		"lanmu.toml":            "title = \"Study column\"\nlanguage = \"en\"\nbaseURL = \"https://a.org/col/\"\nunit = \"Example Bureau\"\n",
		"content/_index.md":     "---\ntitle: Home\n---\nWelcome.\n",
		"content/teachers/a.md": "---\ntitle: Ann Lee\nlevel: city\n---\nA teacher.\n",
		"content/classes/c.md":  "---\ntitle: On history\ndate: 2016-06-16\nspeaker: a\nform: expert\n---\n## First part\n\nText.\n",
	})
	if _, err := Build(Options{Source: site}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(site, "public")
	class := readOut(t, dest, "classes/c/index.html")
	for _, want := range []string{`<html lang="en">`, "June 16, 2016", "Class by an expert", ">Speaker<", `href="/col/teachers/a/">Ann Lee</a>`, "Published by Example Bureau"} {
		if !strings.Contains(class, want) {
			t.Errorf("English class page lacks %q", want)
		}
	}
	teacher := readOut(t, dest, "teachers/a/index.html")
	if !strings.Contains(teacher, "Classes given") || !strings.Contains(teacher, `href="/col/classes/c/">On history</a>`) || !strings.Contains(teacher, ">City<") {
		t.Errorf("English teacher page lacks its classes or level")
	}
	feed, err := gofeed.NewParser().ParseString(readOut(t, dest, "index.xml"))
	if err != nil || feed.Language != "en" || len(feed.Items) != 1 {
		t.Errorf("English feed: %v %+v", err, feed)
	}
}

// TestEnglishPagesUseAnEnglishColon builds an English column, in both
// themes, whose own text has no full-width colon: none may then appear,
// since the themes put one between a label and its value only in Chinese.
func TestEnglishPagesUseAnEnglishColon(t *testing.T) {
	for _, theme := range []string{"default", "ink"} {
		site := testsite.Write(t, map[string]string{
			"lanmu.toml":            "title = \"Study column\"\nlanguage = \"en\"\ntheme = \"" + theme + "\"\nbaseURL = \"https://a.org/col/\"\nunit = \"Example Bureau\"\n",
			"content/_index.md":     "---\ntitle: Home\n---\nWelcome.\n",
			"content/readings/r.md": "---\ntitle: On the charter\ndate: 2016-06-16\nauthor: Ann Lee\nsource: Example Bureau\ntags: [charter]\n---\nText.\n",
			"content/cards/q.md":    "---\ntitle: What is a branch?\ndeck: Basics\n---\nThe basic unit.\n",
			"content/standards/s.md": "---\nnumber: 1\ntitle: Preparation\ntasks:\n  - id: plan\n    title: Make a plan\n    due: 2016-04-30\n" +
				"    status: done\n    done: 2016-04-20\n---\nThe first standard.\n",
		})
		dest := filepath.Join(site, "public")
		if _, err := Build(Options{Source: site, Dest: dest, AsOf: "2016-05-01"}); err != nil {
			t.Fatal(err)
		}
		walkHTML(t, dest, func(p, doc string) {
			if i := strings.Index(doc, "："); i >= 0 {
				t.Errorf("%s: %s has a full-width colon: …%s…", theme, p, doc[max(0, i-60):i+3])
			}
		})
	}
}
