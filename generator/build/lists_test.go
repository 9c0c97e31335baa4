package build

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

// cardLinks returns the card pages a built list page links, once each.
func cardLinks(t *testing.T, doc, cardsURL string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, href := range anchors(t, doc) {
		if rest, ok := strings.CutPrefix(href, cardsURL); ok && rest != "" && !strings.HasPrefix(rest, "page/") && !strings.HasPrefix(rest, "#") {
			out[rest] = true
		}
	}
	return out
}

var deckCount = regexp.MustCompile(`id="deck-[^"]*-title">([^<]+?) <span class="deck__count">(\d+) 张</span>`)

// TestExampleCardListShowsEveryCardByWholeDeck reads the card files of the
// example column and finds each card on /cards/, under its deck, with the
// deck counted whole.
func TestExampleCardListShowsEveryCardByWholeDeck(t *testing.T) {
	dest := buildExample(t, Options{})
	want := map[string]int{}
	files, _ := filepath.Glob(filepath.Join(exampleSite, "content", "cards", "*.md"))
	cards := 0
	for _, f := range files {
		if filepath.Base(f) == "_index.md" {
			continue
		}
		src, _ := os.ReadFile(f)
		// YAML (deck: 基本标准) or TOML (deck = "工作要求").
		m := regexp.MustCompile(`(?m)^deck *[:=] *"?([^"\n]+)"?$`).FindSubmatch(src)
		if m == nil {
			t.Fatalf("%s has no deck", f)
		}
		want[strings.TrimSpace(string(m[1]))]++
		cards++
	}
	list := readOut(t, dest, "cards/index.html")
	if got := len(cardLinks(t, list, "/xxjy/cards/")); got != cards {
		t.Errorf("/cards/ links %d cards, want all %d", got, cards)
	}
	if _, err := os.Stat(filepath.Join(dest, "cards", "page")); err == nil {
		t.Errorf("a column of %d cards has a second card page", cards)
	}
	got := map[string]int{}
	for _, m := range deckCount.FindAllStringSubmatch(list, -1) {
		var n int
		fmt.Sscan(m[2], &n)
		got[m[1]] = n
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("deck counts on /cards/ are %v, want %v", got, want)
	}
}

// TestLargeCardListPagesWithWholeDecks gives a card list more cards than
// one page holds: it pages, each page links the others, and a deck that
// runs on over the break is counted whole on both pages.
func TestLargeCardListPagesWithWholeDecks(t *testing.T) {
	files := map[string]string{
		"lanmu.toml":              "title = \"栏\"\nbaseURL = \"https://a.org/x/\"\n",
		"content/cards/_index.md": "---\ntitle: 知识卡片\ndecks: [甲组, 乙组]\n---\n",
	}
	n := cardsPerPage + 20
	for i := range n {
		deck := "甲组"
		if i >= 60 {
			deck = "乙组"
		}
		files[fmt.Sprintf("content/cards/c%03d.md", i)] = fmt.Sprintf("---\ntitle: 问%d？\ndeck: %s\norder: %d\n---\n答%d。\n", i, deck, i, i)
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: testsite.Write(t, files), Dest: dest}); err != nil {
		t.Fatal(err)
	}
	first, second := readOut(t, dest, "cards/index.html"), readOut(t, dest, "cards/page/2/index.html")
	seen := map[string]bool{}
	for _, page := range []string{first, second} {
		for c := range cardLinks(t, page, "/x/cards/") {
			if seen[c] {
				t.Errorf("card %s is on both pages", c)
			}
			seen[c] = true
		}
	}
	if len(seen) != n || len(cardLinks(t, first, "/x/cards/")) != cardsPerPage {
		t.Errorf("the two pages show %d cards (%d on the first), want %d (%d)", len(seen), len(cardLinks(t, first, "/x/cards/")), n, cardsPerPage)
	}
	if !strings.Contains(first, `href="/x/cards/page/2/"`) || !strings.Contains(second, `href="/x/cards/"`) {
		t.Errorf("the card pages do not link each other")
	}
	for name, page := range map[string]string{"https://a.org/x/cards/": first, "https://a.org/x/cards/page/2/": second} {
		if !strings.Contains(page, `<link rel="canonical" href="`+name+`">`) {
			t.Errorf("the card page %s is not its own canonical URL", name)
		}
	}
	for name, page := range map[string]string{"page 1": first, "page 2": second} {
		counts := deckCount.FindAllStringSubmatch(page, -1)
		for _, m := range counts {
			if want := map[string]string{"甲组": "60", "乙组": "60"}[m[1]]; m[2] != want {
				t.Errorf("%s counts deck %s as %s cards, want %s", name, m[1], m[2], want)
			}
		}
		if len(counts) == 0 {
			t.Errorf("%s has no deck headings", name)
		}
	}
	// The deck index on page 2 leads back to page 1 for the deck that
	// begins there.
	if !strings.Contains(second, `href="/x/cards/#deck-%e7%94%b2%e7%bb%84"`) {
		t.Errorf("page 2's deck index does not lead to 甲组 on page 1")
	}
}

// TestPrintLinks finds the links to the print pages, and to their PDFs
// only when the build prints them, on the readings and card lists of both
// themes; a column with neither required readings nor cards links neither.
func TestPrintLinks(t *testing.T) {
	for _, theme := range []string{"default", "ink"} {
		site := testsite.CopyExample(t, exampleSite, func(c string) string {
			return strings.Replace(c, `theme    = "default"`, `theme    = "`+theme+`"`, 1)
		})
		for _, pdf := range []bool{false, true} {
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := Build(Options{Source: site, Dest: dest, PrintPDF: pdf}); err != nil {
				t.Fatal(err)
			}
			check := func(page string, want []string, pdfs []string) {
				hrefs := strings.Join(anchors(t, readOut(t, dest, page)), " ")
				for _, h := range want {
					if !strings.Contains(hrefs, h) {
						t.Errorf("%s, PrintPDF %t: %s lacks a link to %s", theme, pdf, page, h)
					}
				}
				for _, h := range pdfs {
					if strings.Contains(hrefs, h) != pdf {
						t.Errorf("%s, PrintPDF %t: %s links %s: %t", theme, pdf, page, h, !pdf)
					}
				}
			}
			check("readings/index.html", []string{"/xxjy/print/pocketbook/"}, []string{"/xxjy/print/pocketbook.pdf", "/xxjy/print/pocketbook-booklet.pdf"})
			check("cards/index.html", []string{"/xxjy/print/cards/"}, []string{"/xxjy/print/cards.pdf"})
			if page := readOut(t, dest, "news/index.html"); strings.Contains(page, "/print/") {
				t.Errorf("%s: the news list links print pages", theme)
			}
		}
	}
	bare := testsite.Write(t, map[string]string{
		"lanmu.toml":              "title = \"栏\"\nbaseURL = \"https://a.org/x/\"\n",
		"content/readings/a.md":   "---\ntitle: 选读\ndate: 2016-06-01\nrequired: false\n---\n正文。\n",
		"content/cards/_index.md": "---\ntitle: 知识卡片\n---\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: bare, Dest: dest, PrintPDF: true}); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"readings/index.html", "cards/index.html"} {
		if doc := readOut(t, dest, page); strings.Contains(doc, "/print/") {
			t.Errorf("%s links a print page the build did not write", page)
		}
	}
}

// TestVisibleFeedLinks finds subscribe links to the column's feeds in the
// footer of every page and to a section's own on its list, in both themes.
func TestVisibleFeedLinks(t *testing.T) {
	for _, theme := range []string{"default", "ink"} {
		site := testsite.CopyExample(t, exampleSite, func(c string) string {
			return strings.Replace(c, `theme    = "default"`, `theme    = "`+theme+`"`, 1)
		})
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
			t.Fatal(err)
		}
		for page, want := range map[string][]string{
			"index.html":                   {"/xxjy/index.xml", "/xxjy/atom.xml", "/xxjy/feed.json"},
			"cards/biaozhun-01/index.html": {"/xxjy/index.xml"},
			"readings/index.html":          {"/xxjy/index.xml", "/xxjy/readings/index.xml", "/xxjy/readings/atom.xml", "/xxjy/readings/feed.json"},
			"news/index.html":              {"/xxjy/news/index.xml"},
			"classes/index.html":           {"/xxjy/classes/feed.json"},
		} {
			hrefs := " " + strings.Join(anchors(t, readOut(t, dest, page)), " ") + " "
			for _, h := range want {
				if !strings.Contains(hrefs, " "+h+" ") {
					t.Errorf("%s: %s has no visible link to %s", theme, page, h)
				}
			}
		}
	}
}

// TestTaxonomyNamesAreTranslated checks the breadcrumbs and titles of tag
// and branch pages in Chinese and English.
func TestTaxonomyNamesAreTranslated(t *testing.T) {
	for _, lang := range []struct{ code, tags, branches string }{{"zh-CN", "标签", "党支部"}, {"en", "Tags", "Party branches"}} {
		site := testsite.Write(t, map[string]string{
			"lanmu.toml":            "title = \"栏\"\nlanguage = \"" + lang.code + "\"\nbaseURL = \"https://a.org/x/\"\n",
			"content/teachers/a.md": "---\ntitle: 甲\n---\n",
			"content/classes/c.md":  "---\ntitle: 课\ndate: 2016-06-16\nspeaker: a\nbranch: 一支部\ntags: [党史]\n---\n正文。\n",
		})
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
			t.Fatal(err)
		}
		for page, want := range map[string]string{
			"tags/党史/index.html":      `<li><a href="/x/tags/">` + lang.tags + `</a></li>`,
			"tags/index.html":         `<span aria-current="page">` + lang.tags + `</span>`,
			"branches/一支部/index.html": `<li><a href="/x/branches/">` + lang.branches + `</a></li>`,
			"branches/index.html":     `<span aria-current="page">` + lang.branches + `</span>`,
		} {
			doc := readOut(t, dest, page)
			if !strings.Contains(doc, want) {
				t.Errorf("%s: %s lacks %s", lang.code, page, want)
			}
			if strings.Contains(doc, ">tags<") || strings.Contains(doc, ">branches<") {
				t.Errorf("%s: %s shows an untranslated taxonomy name", lang.code, page)
			}
		}
	}
}

// TestHomeBlocksShowWhatMatters: on the home page of both themes, teachers
// show their position and cards their deck, not a date.
func TestHomeBlocksShowWhatMatters(t *testing.T) {
	for _, theme := range []string{"default", "ink"} {
		site := testsite.Write(t, map[string]string{
			"lanmu.toml":            "title = \"栏\"\ntheme = \"" + theme + "\"\nbaseURL = \"https://a.org/x/\"\n",
			"content/teachers/a.md": "---\ntitle: 王老师\nposition: 县委党校讲师\ndate: 2016-06-01\n---\n",
			"content/cards/q.md":    "---\ntitle: 问题？\ndeck: 党章知识\ndate: 2016-06-02\n---\n答案。\n",
			"content/news/n.md":     "---\ntitle: 一条动态\ndate: 2016-06-03\n---\n正文。\n",
			"content/about.md":      "---\ntitle: 关于本栏\n---\n说明。\n",
		})
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
			t.Fatal(err)
		}
		home := readOut(t, dest, "index.html")
		for _, want := range []string{
			`<a href="/x/teachers/a/">王老师</a> <span class="home-note">县委党校讲师</span>`,
			`<a href="/x/cards/q/">问题？</a> <span class="home-note">党章知识</span>`,
			`<a href="/x/news/n/">一条动态</a> <time datetime="2016-06-03`,
			`<a href="/x/about/">关于本栏</a>`,
		} {
			if !strings.Contains(home, want) {
				t.Errorf("%s: the home page lacks %s", theme, want)
			}
		}
		for _, date := range []string{"2016年6月1日", "2016年6月2日"} {
			if strings.Contains(home, date) {
				t.Errorf("%s: the home page shows a teacher's or a card's date %s", theme, date)
			}
		}
	}
}
