package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"lanmu/generator/config"
	"lanmu/internal/testsite"
)

// htmlPage is what the tests read of a built page: its meta tags by name
// (each name's values, to catch one given twice), the kind its <body>
// says it is, and its canonical URL.
type htmlPage struct {
	meta      map[string][]string
	bodyClass string
	canonical string
	// published is the datetime of the first <time> in the page's
	// page-meta line: the date the page shows its readers.
	published string
}

func parseHTMLPage(t *testing.T, file string) htmlPage {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	page := htmlPage{meta: map[string][]string{}}
	var walk func(n *html.Node, inMeta bool)
	walk = func(n *html.Node, inMeta bool) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch n.Data {
			case "meta":
				if name, ok := attr["name"]; ok {
					page.meta[name] = append(page.meta[name], attr["content"])
				}
			case "body":
				page.bodyClass = attr["class"]
			case "link":
				if attr["rel"] == "canonical" {
					page.canonical = attr["href"]
				}
			case "time":
				if inMeta && page.published == "" {
					page.published = attr["datetime"]
				}
			}
			inMeta = inMeta || strings.Contains(" "+attr["class"]+" ", " page-meta ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inMeta)
		}
	}
	walk(doc, false)
	return page
}

// The meta tags of 《政府网站网页设计规范》 on every page of the example, in
// both themes: the site's everywhere, the column's on list pages, the
// article's on pages of a kind, each name once, PubDate as the 规范 writes
// it, and the values those of lanmu.toml. What a page is comes from its
// <body> class, which the themes set from the page's kind.
func TestGovernmentMetaOnEveryPage(t *testing.T) {
	cfg, err := config.Load(exampleSite)
	if err != nil {
		t.Fatal(err)
	}
	g := cfg.Government
	if !g.Enabled() || g.SiteIDCode == "" || g.SiteName == "" || g.SiteDomain == "" {
		t.Fatal("the example column has no [government] block to test")
	}
	pubDate := regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`)
	siteTags := []string{"SiteName", "SiteDomain", "SiteIDCode"}
	listTags := []string{"ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"}
	articleTags := []string{"ColumnName", "ColumnType", "ArticleTitle", "ContentSource", "Url"}
	for _, theme := range []string{"default", "ink"} {
		t.Run(theme, func(t *testing.T) {
			site := testsite.CopyExample(t, exampleSite, func(c string) string {
				return strings.Replace(c, `theme    = "default"`, `theme    = "`+theme+`"`, 1)
			})
			if _, err := Build(Options{Source: site}); err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(site, "public")
			counts := map[string]int{}
			err := filepath.WalkDir(dest, func(file string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(file, ".html") {
					return err
				}
				rel, _ := filepath.Rel(dest, file)
				rel = filepath.ToSlash(rel)
				page := parseHTMLPage(t, file)
				if strings.HasPrefix(rel, "print/") || page.bodyClass == "" {
					return nil // the print pages and redirects are not pages of the site
				}
				for name, values := range page.meta {
					if len(values) > 1 && name[0] >= 'A' && name[0] <= 'Z' {
						t.Errorf("%s: meta %s is given %d times", rel, name, len(values))
					}
				}
				want := map[string]string{"SiteName": g.SiteName, "SiteDomain": g.SiteDomain, "SiteIDCode": g.SiteIDCode}
				for _, name := range siteTags {
					if got := page.meta[name]; len(got) == 0 || got[0] != want[name] {
						t.Errorf("%s: meta %s = %q, want %q", rel, name, got, want[name])
					}
				}
				var kind string
				for _, c := range strings.Fields(page.bodyClass) {
					if k, ok := strings.CutPrefix(c, "kind-"); ok {
						kind = k
					}
				}
				required, absent := []string(nil), []string(nil)
				switch kind {
				case "home", "section", "taxonomy", "term":
					required, absent = listTags, []string{"ArticleTitle", "PubDate", "Url"}
				case "page":
					required, absent = articleTags, []string{"ColumnDescription", "ColumnKeywords"}
				default:
					return nil // 404 and search: the site's tags only
				}
				counts[kind]++
				for _, name := range required {
					if len(page.meta[name]) == 0 || page.meta[name][0] == "" {
						t.Errorf("%s (%s page): no meta %s", rel, kind, name)
					}
				}
				for _, name := range absent {
					if len(page.meta[name]) > 0 {
						t.Errorf("%s (%s page): meta %s does not belong on it", rel, kind, name)
					}
				}
				if got := page.meta["ColumnType"]; len(got) > 0 && got[0] != g.ColumnType {
					t.Errorf("%s: ColumnType %q, want %q", rel, got[0], g.ColumnType)
				}
				if kind == "page" {
					if got := page.meta["Url"]; len(got) > 0 && got[0] != page.canonical {
						t.Errorf("%s: Url %q is not the canonical %q", rel, got[0], page.canonical)
					}
					got := page.meta["PubDate"]
					if len(got) > 0 && !pubDate.MatchString(got[0]) {
						t.Errorf("%s: PubDate %q is not YYYY-MM-DD HH:MM", rel, got[0])
					}
					// A page that shows its readers a date says it in
					// PubDate too, in the site's zone.
					if page.published != "" {
						shown, err := time.Parse(time.RFC3339, page.published)
						if err != nil {
							t.Fatalf("%s: <time datetime=%q>: %v", rel, page.published, err)
						}
						if want := shown.In(cfg.Location).Format("2006-01-02 15:04"); len(got) == 0 || got[0] != want {
							t.Errorf("%s: PubDate %q, want %q (the date it shows)", rel, got, want)
						}
						counts["dated"]++
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// A news item shows its 来源 and 作者 beside its 发布时间, and its
			// meta tags carry them.
			news, err := os.ReadFile(filepath.Join(dest, "news", "zhuti-dangri", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"发布时间：<time", "来源：示例县委组织部（虚构）</span>", "作者：组织科</span>",
				`<meta name="ContentSource" content="示例县委组织部（虚构）">`, `<meta name="Author" content="组织科">`} {
				if !strings.Contains(string(news), want) {
					t.Errorf("news/zhuti-dangri/ lacks %s", want)
				}
			}
			for _, kind := range []string{"home", "section", "term", "page", "dated"} {
				if counts[kind] == 0 {
					t.Errorf("no %s page was checked", kind)
				}
			}
		})
	}
}

// The footer of a government column shows each [government] item exactly
// when it is set, links the filing numbers to their records, runs no
// script the configuration does not name, and keeps the marks as plain
// links for a reader without JavaScript.
func TestGovernmentFooter(t *testing.T) {
	full := `siteName = "某县人民政府网站"
siteDomain = "www.example.gov.cn"
siteIDCode = "5101000001"
icp = "蜀ICP备12345678号"
police = "川公网安备51010402000001号"
conac = "ABC123"
conacScript = "https://dcs.conac.cn/js/51/000/0000/60000000/CA510000000600000000001.js"
jiucuo = true
sponsor = "某县人民政府办公室"
organizer = "某县大数据中心"
contact = "028-12345678"
`
	items := []struct {
		key  string // the [government] line that sets it
		want []string
	}{
		{"sponsor", []string{"主办单位：某县人民政府办公室"}},
		{"organizer", []string{"承办单位：某县大数据中心"}},
		{"contact", []string{"联系方式：028-12345678"}},
		{"siteIDCode", []string{"网站标识码：5101000001"}},
		{"icp", []string{`<a class="nobr" href="https://beian.miit.gov.cn/" rel="noopener">蜀ICP备12345678号</a>`}},
		{"police", []string{`href="https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=51010402000001"`, `<svg class="gov-footer__badge"`, "川公网安备51010402000001号</a>"}},
		{"conac ", []string{`<span id="_ideConac"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=ABC123" rel="noopener">党政机关网站标识</a></span>`}},
		{"conacScript", []string{`<script src="https://dcs.conac.cn/js/51/000/0000/60000000/CA510000000600000000001.js"></script>`}},
		{"jiucuo", []string{`<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101000001&amp;url=https%3a%2f%2fwww.example.gov.cn%2fxxjy%2f" rel="noopener">我为政府网站找错</a>`, `<script id="_jiucuo_" sitecode="5101000001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>`}},
	}
	build := func(government string) string {
		t.Helper()
		site := testsite.Write(t, map[string]string{
			"lanmu.toml":        "title = \"专栏\"\nbaseURL = \"https://www.example.gov.cn/xxjy/\"\nunit = \"某县委组织部\"\n[government]\n" + government,
			"content/_index.md": "---\ntitle: 首页\n---\n",
		})
		if _, err := Build(Options{Source: site}); err != nil {
			t.Fatal(err)
		}
		home, err := os.ReadFile(filepath.Join(site, "public", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(string(home), `<div class="gov-footer">`)
		if i < 0 {
			t.Fatalf("no government footer with\n%s", government)
		}
		return string(home[i:])
	}
	all := build(full)
	for _, item := range items {
		for _, want := range item.want {
			if !strings.Contains(all, want) {
				t.Errorf("%s set: the footer lacks %s", item.key, want)
			}
		}
	}
	if n := strings.Count(all, "<script"); n != 2 {
		t.Errorf("the footer has %d scripts, want the 2 that are named", n)
	}
	// Each item left out in turn: it goes, and nothing else does.
	for _, item := range items {
		var lines []string
		for _, line := range strings.Split(full, "\n") {
			// jiucuo needs siteIDCode, and goes with it.
			if !strings.HasPrefix(line, item.key) && !(item.key == "siteIDCode" && strings.HasPrefix(line, "jiucuo")) {
				lines = append(lines, line)
			}
		}
		footer := build(strings.Join(lines, "\n"))
		for _, want := range item.want {
			if strings.Contains(footer, want) {
				t.Errorf("%s unset: the footer still has %s", item.key, want)
			}
		}
		for _, other := range items {
			if other.key == item.key || item.key == "siteIDCode" && other.key == "jiucuo" {
				continue
			}
			for _, want := range other.want {
				if !strings.Contains(footer, want) {
					t.Errorf("%s unset: the footer lost %s", item.key, want)
				}
			}
		}
	}
	// Without a sponsor the unit is the sponsor; without any script the
	// marks are links all the same.
	plain := build("conac = \"ABC123\"\n")
	if !strings.Contains(plain, "主办单位：某县委组织部") {
		t.Error("without a sponsor, the footer does not name the unit as 主办单位")
	}
	if strings.Contains(plain, "<script") || !strings.Contains(plain, `<a href="https://bszs.conac.cn/sitename?method=show&amp;id=ABC123"`) {
		t.Errorf("the conac mark without its script is not a plain link:\n%s", plain)
	}
}
