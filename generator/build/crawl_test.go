package build

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lanmu/generator/scaffold"
	"lanmu/internal/testsite"
)

// builtSite is a site of the test suite, built, with the base URL its
// links are written for.
type builtSite struct {
	name, dest, base string
}

// crawlSites builds every kind of site the suite has: the example column
// in both themes, a column made by lanmu new site, and a column large
// enough that every kind of list pages.
func crawlSites(t *testing.T) []builtSite {
	t.Helper()
	var sites []builtSite
	build := func(name, src, base string) {
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := Build(Options{Source: src, Dest: dest, BaseURL: base}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sites = append(sites, builtSite{name, dest, base})
	}
	build("example", exampleSite, "https://www.example.gov.cn/xxjy/")
	ink := testsite.CopyExample(t, exampleSite, func(c string) string {
		return strings.Replace(c, `theme    = "default"`, `theme    = "ink"`, 1)
	})
	build("example in ink", ink, "https://www.example.gov.cn/xxjy/")
	fresh := filepath.Join(t.TempDir(), "column")
	if err := scaffold.NewSite(fresh, time.Date(2016, 6, 16, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	build("new site", fresh, "https://dangjian.example.cn/学习/专栏/")
	big := bigColumn(t)
	build("large column", big, "https://dangjian.example.cn/学习/专栏/")
	withInk := filepath.Join(big, "lanmu.toml")
	cfg, _ := os.ReadFile(withInk)
	os.WriteFile(withInk, append(cfg, "theme = \"ink\"\n"...), 0o644)
	build("large column in ink", big, "https://dangjian.example.cn/学习/专栏/")
	return sites
}

// bigColumn writes a column with more of everything than one list page
// holds at paginate = 3: cards past the one-page limit of a card list, many
// teachers, tags, branches and news, and a page outside any section.
func bigColumn(t *testing.T) string {
	files := map[string]string{
		"lanmu.toml":                 "title = \"大栏目\"\nbaseURL = \"https://a.org/\"\npaginate = 3\n",
		"content/_index.md":          "---\ntitle: 首页\n---\n",
		"content/about.md":           "---\ntitle: 关于本专栏\ndate: 2016-06-01\n---\n说明。\n",
		"content/cards/_index.md":    "---\ntitle: 知识卡片\ndecks: [甲组, 乙组]\n---\n",
		"content/readings/_index.md": "---\ntitle: 必读文章\n---\n",
	}
	for i := range cardsPerPage + 30 {
		deck := "甲组"
		if i%3 == 0 {
			deck = "乙组"
		}
		files[fmt.Sprintf("content/cards/c%03d.md", i)] = fmt.Sprintf("---\ntitle: 问题%d？\ndeck: %s\norder: %d\n---\n答案%d。\n", i, deck, i, i)
	}
	for i := range 8 {
		files[fmt.Sprintf("content/teachers/t%d.md", i)] = fmt.Sprintf("---\ntitle: 教师%d\nposition: 讲师\nlevel: county\ntopics: [党章, 党史%d]\n---\n简介。\n", i, i%2)
	}
	for i := range 7 {
		files[fmt.Sprintf("content/classes/k%d.md", i)] = fmt.Sprintf("---\ntitle: 党课%d\ndate: 2016-06-%02d\nspeaker: t%d\nbranch: 第%d党支部\ntags: [讲党课]\n---\n## 一\n\n正文。\n", i, 10+i, i, i)
	}
	for i := range 10 {
		files[fmt.Sprintf("content/news/n%d.md", i)] = fmt.Sprintf("---\ntitle: 动态%d\ndate: 2016-05-%02d\ntags: [集中学习, 标签%d]\n---\n正文。\n", i, 10+i, i)
	}
	for i := range 5 {
		files[fmt.Sprintf("content/readings/r%d.md", i)] = fmt.Sprintf("---\ntitle: 文章%d\ndate: 2016-04-%02d\nrequired: %t\n---\n正文。\n", i, 10+i, i%2 == 0)
	}
	return testsite.Write(t, files)
}

// TestEveryPageIsReachableAndInTheSitemap crawls each built site from its
// home page through <a href> alone, as a reader or a search engine would,
// and finds every HTML page but redirects and 404.html; the sitemap must
// list exactly the pages meant for readers.
func TestEveryPageIsReachableAndInTheSitemap(t *testing.T) {
	for _, site := range crawlSites(t) {
		t.Run(site.name, func(t *testing.T) {
			pages := htmlOutputs(t, site.dest)
			reached := crawl(t, site)
			var orphans []string
			for p, kind := range pages {
				if kind == pageForReaders || kind == pageNoindex {
					if !reached[p] {
						orphans = append(orphans, p)
					}
				}
			}
			slices.Sort(orphans)
			for _, p := range orphans {
				t.Errorf("%s is linked from no page reachable from the home page", p)
			}
			if len(reached) < 10 {
				t.Fatalf("the crawl reached only %d pages: %v", len(reached), reached)
			}
			listed := sitemapFiles(t, site)
			for p := range reached {
				if pages[p] == pageForReaders && !listed[p] {
					t.Errorf("the sitemap leaves out %s", p)
				}
			}
			for p := range listed {
				switch pages[p] {
				case pageForReaders:
				case "":
					t.Errorf("the sitemap lists %s, which the build did not write", p)
				default:
					t.Errorf("the sitemap lists %s, a %s", p, pages[p])
				}
			}
		})
	}
}

// Kinds of HTML output, told from the files themselves.
const (
	pageForReaders = "page"
	pageRedirect   = "redirect"
	pageNoindex    = "noindex page"
	pageNotFound   = "404 page"
)

// htmlOutputs finds every HTML file of a built site and what it is, by
// reading it: a meta refresh is a redirect, a robots noindex keeps a page
// out of the sitemap.
func htmlOutputs(t *testing.T, dest string) map[string]string {
	t.Helper()
	out := map[string]string{}
	walkHTML(t, dest, func(p, doc string) {
		out[p] = pageForReaders
		for _, m := range elements(t, doc, "meta") {
			switch {
			case strings.EqualFold(m["http-equiv"], "refresh"):
				out[p] = pageRedirect
			case m["name"] == "robots" && strings.Contains(m["content"], "noindex") && out[p] != pageRedirect:
				out[p] = pageNoindex
			}
		}
	})
	if _, ok := out["404.html"]; ok {
		out["404.html"] = pageNotFound
	}
	return out
}

// crawl follows the <a href> links of a built site from its home page and
// returns the HTML files it reached. A link into the site that leaves the
// base path, or names no file, is an error.
func crawl(t *testing.T, site builtSite) map[string]bool {
	t.Helper()
	base, err := url.Parse(site.base)
	if err != nil {
		t.Fatal(err)
	}
	reached := map[string]bool{"index.html": true}
	queue := []string{"index.html"}
	for len(queue) > 0 {
		file := queue[0]
		queue = queue[1:]
		data, err := os.ReadFile(filepath.Join(site.dest, filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		here := base.JoinPath(strings.TrimSuffix(file, "index.html"))
		if strings.HasSuffix(file, "index.html") {
			here.Path += "/"
		}
		for _, href := range anchors(t, string(data)) {
			target, ok := siteFile(t, base, here, href)
			if !ok {
				continue
			}
			if _, err := os.Stat(filepath.Join(site.dest, filepath.FromSlash(target))); err != nil {
				t.Errorf("%s: the link %q goes nowhere", file, href)
				continue
			}
			if strings.HasSuffix(target, ".html") && !reached[target] {
				reached[target] = true
				queue = append(queue, target)
			}
		}
	}
	return reached
}

// siteFile resolves a link on the page at here to the file of the site it
// names, or reports false for a link that leaves the site.
func siteFile(t *testing.T, base, here *url.URL, href string) (string, bool) {
	t.Helper()
	ref, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		t.Errorf("%s: bad link %q", here, href)
		return "", false
	}
	u := here.ResolveReference(ref)
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return "", false
	}
	if !strings.HasPrefix(u.Path, base.Path) {
		t.Errorf("%s: the link %q leaves the base path %s", here, href, base.Path)
		return "", false
	}
	file := strings.TrimPrefix(u.Path, base.Path)
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	return file, true
}

// anchors returns the href of every <a> of a document.
func anchors(t *testing.T, doc string) []string {
	t.Helper()
	var out []string
	for _, a := range elements(t, doc, "a") {
		if href, ok := a["href"]; ok {
			out = append(out, href)
		}
	}
	return out
}

// sitemapFiles reads a built site's sitemap.xml and returns the files its
// URLs name; a URL outside the site, or listed twice, is an error.
func sitemapFiles(t *testing.T, site builtSite) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(site.dest, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &set); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	base, _ := url.Parse(site.base)
	out := map[string]bool{}
	for _, u := range set.URLs {
		loc, err := url.Parse(u.Loc)
		if err != nil || !loc.IsAbs() {
			t.Errorf("the sitemap has %q, not an absolute URL", u.Loc)
			continue
		}
		file, ok := siteFile(t, base, base, u.Loc)
		if !ok {
			t.Errorf("the sitemap lists %s, outside the site", u.Loc)
			continue
		}
		if out[file] {
			t.Errorf("the sitemap lists %s twice", u.Loc)
		}
		out[file] = true
	}
	return out
}
