package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"lanmu/generator/search"
	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// searchIndex is a built search index read whole: every shard's tokens
// and every chunk's docs.
type searchIndex struct {
	*search.Manifest
	Docs   [][]any // url, title, date, text
	Tokens map[string]string
	files  search.Memory
}

// readIndex reads the search index of the site built in dest.
func readIndex(t *testing.T, dest string) searchIndex {
	t.Helper()
	files := search.Memory{}
	root := filepath.Join(dest, "search")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return decodeSearchIndex(t, files)
}

// sessionIndex reads the search index among a session's files.
func sessionIndex(t *testing.T, outputs map[string][]byte) searchIndex {
	t.Helper()
	files := search.Memory{}
	for p, data := range outputs {
		if rest, ok := strings.CutPrefix(p, searchDir); ok && strings.HasSuffix(p, ".json") {
			files[rest] = data
		}
	}
	return decodeSearchIndex(t, files)
}

func decodeSearchIndex(t *testing.T, files search.Memory) searchIndex {
	t.Helper()
	m, err := search.ReadManifest(files.Open)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string, v any) {
		t.Helper()
		if err := json.Unmarshal(files[name], v); err != nil {
			t.Fatalf("search/%s: %v", name, err)
		}
	}
	shards := slices.Concat(m.Tokens, m.Chars)
	if len(files) != 1+len(shards)+len(m.Docs) {
		t.Errorf("search/ holds %d files of the index; the manifest names %d", len(files), 1+len(shards)+len(m.Docs))
	}
	idx := searchIndex{Manifest: m, Tokens: map[string]string{}, files: files}
	for _, name := range shards {
		var shard map[string]string
		read(name, &shard)
		maps.Copy(idx.Tokens, shard)
	}
	for _, name := range m.Docs {
		var docs [][]any
		read(name, &docs)
		idx.Docs = append(idx.Docs, docs...)
	}
	return idx
}

// kindOf and sectionOf are a doc's labels, from the facets.
func (idx searchIndex) kindOf(doc int) string {
	return idx.Kinds[idx.Groups[idx.Group(doc)][0]]
}

func (idx searchIndex) sectionOf(doc int) string {
	return idx.Sections[idx.Groups[idx.Group(doc)][1]]
}

const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// docsWith returns the URLs of the docs whose postings hold token.
func (idx searchIndex) docsWith(token string) []string {
	var out []string
	doc, v, scale := -1, 0, 1
	for _, c := range []byte(idx.Tokens[token]) {
		d := strings.IndexByte(digits, c)
		v += (d & 31) * scale
		if d >= 32 {
			scale *= 32
			continue
		}
		doc += v / 8
		out = append(out, idx.Docs[doc][0].(string))
		v, scale = 0, 1
	}
	return out
}

func TestExampleSearchIndexHoldsThePublishedPages(t *testing.T) {
	dest := buildExample(t, Options{})
	idx := readIndex(t, dest)
	s, err := Load(Options{Source: exampleSite})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range s.view.regularPages {
		want = append(want, p.RelPermalink)
	}
	var got []string
	for _, d := range idx.Docs {
		got = append(got, d[0].(string))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("the index holds %d pages, want the %d regular pages newest first:\n got %q\nwant %q", len(got), len(want), got, want)
	}
	for _, u := range got {
		if !strings.HasPrefix(u, "/xxjy/") || strings.HasSuffix(u, "/readings/") || strings.Contains(u, "/tags/") || strings.Contains(u, "404") {
			t.Errorf("%s: not a page of the site's path, or a list", u)
		}
	}
	reading := "/xxjy/readings/jiang-dangke-gongzuo-zhiyin/"
	for i, d := range idx.Docs {
		if d[0] != reading {
			continue
		}
		if d[1] != "创新方式讲党课工作指引" || idx.kindOf(i) != "学习文章" || idx.sectionOf(i) != "必读文章" || d[2] != "2016年6月8日" {
			t.Errorf("the reading's entry is %v, a %s in %s", d[:3], idx.kindOf(i), idx.sectionOf(i))
		}
		if text := d[3].(string); !strings.HasPrefix(text, "创新方式讲党课标准主要包括建立“党课师资库”") || strings.Contains(text, "<") {
			t.Errorf("the reading's snippet is %q", text)
		}
	}
	for token, page := range map[string]string{
		"讲好": reading, // body text
		"海涛": reading, // the author, a keyword
		"工作": reading, // a tag (工作指引) and the body
		"田间": reading, // beyond the snippet
		"专栏": "/xxjy/news/xuexi-zhuanlan-kaitong/",
	} {
		if !slices.Contains(idx.docsWith(token), page) {
			t.Errorf("%q does not find %s: %q", token, page, idx.docsWith(token))
		}
	}
}

func TestExampleSearchPage(t *testing.T) {
	dest := buildExample(t, Options{})
	page := readOut(t, dest, "search/index.html")
	for _, want := range []string{
		`<body class="kind-search type-page">`,
		`<title>站内搜索 · 两学一做学习教育专栏</title>`,
		`<script src="/xxjy/js/search.js" defer></script>`,
		`data-search-index="/xxjy/search/index.json"`,
		`<form class="search-form" action="/xxjy/search/" method="get" role="search">`,
		`<label class="search-form__label" for="search-q">`,
		`name="q"`,
		`data-msg-count="找到 %d 篇相关文章。"`,
		`<p>搜索在您的浏览器中进行`,
		// Without JavaScript, the section lists to browse instead.
		`<li><a href="/xxjy/readings/">必读文章</a></li>`,
		`<li><a href="/xxjy/tags/">全部标签</a></li>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the search page lacks %s", want)
		}
	}
	if strings.Contains(page, `id="site-search-q"`) {
		t.Error("the search page repeats the header's search box")
	}
	readOut(t, dest, "js/search.js")
	home := readOut(t, dest, "index.html")
	for _, want := range []string{
		`<form class="site-search" action="/xxjy/search/" method="get" role="search">`,
		`<label class="visually-hidden" for="site-search-q">搜索本专栏</label>`,
		`<input class="site-search__input" id="site-search-q" type="search" name="q">`,
	} {
		if !strings.Contains(home, want) {
			t.Errorf("the header lacks %s", want)
		}
	}
}

func TestSearchTemplateIsOverridable(t *testing.T) {
	site := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	override := filepath.Join(site, "layouts", "search.html")
	os.MkdirAll(filepath.Dir(override), 0o755)
	os.WriteFile(override, []byte(`{{ define "main" }}<p class="own-search">{{ .Title }}</p>{{ end }}`), 0o644)
	if _, err := Build(Options{Source: site}); err != nil {
		t.Fatal(err)
	}
	if page := readOut(t, filepath.Join(site, "public"), "search/index.html"); !strings.Contains(page, `<p class="own-search">站内搜索</p>`) {
		t.Error("layouts/search.html did not replace the theme's search page")
	}
}

func TestNoSearchTemplateNoIndex(t *testing.T) {
	site := testsite.Write(t, map[string]string{
		"lanmu.toml":        "title = \"t\"\nbaseURL = \"https://example.org/\"\ntheme = \"bare\"\n",
		"content/news/a.md": "---\ntitle: 甲\n---\n正文。\n",
		"themes/bare/layouts/_default/baseof.html": `<!DOCTYPE html><title>{{ .Title }}</title>{{ block "main" . }}{{ end }}`,
		"themes/bare/layouts/_default/single.html": `{{ define "main" }}{{ .Content }}{{ end }}`,
		"themes/bare/layouts/_default/list.html":   `{{ define "main" }}{{ .Title }}{{ end }}`,
	})
	if _, err := Build(Options{Source: site}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "search", "index.json")); !os.IsNotExist(err) {
		t.Errorf("a theme without search.html still gets a search index (%v)", err)
	}
}

// TestSessionSearchIndexMatchesAFreshBuild edits, adds and removes pages
// under a live session, which re-reads only those for the index, and
// requires its index to be the one a fresh build writes.
func TestSessionSearchIndexMatchesAFreshBuild(t *testing.T) {
	site := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	s := NewSession(Options{Source: site})
	first, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	news := filepath.Join(site, "content/news/zhuti-dangri.md")
	src, _ := os.ReadFile(news)
	os.WriteFile(news, append(src, []byte("\n会后交流了鹦鹉螺式学习法。\n")...), 0o644)
	os.Remove(filepath.Join(site, "content/news/erjidu-jizhong-xuexi.md"))
	os.WriteFile(filepath.Join(site, "content/news/new.md"), []byte("---\ntitle: 新增的动态\ndate: 2016-07-01\n---\n独角兽计划启动。\n"), 0o644)
	again, err := s.Build()
	if err != nil {
		t.Fatal(err)
	}
	got := string(again.Files["/search/index.json"])
	if got == string(first.Files["/search/index.json"]) {
		t.Fatal("the index did not change")
	}
	if !slices.Contains(again.Changed, "/search/index.json") {
		t.Error("the session does not report the index as changed")
	}
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: site, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	idx := sessionIndex(t, again.Files)
	if want := readIndex(t, dest); !maps.EqualFunc(idx.files, want.files, bytes.Equal) {
		t.Errorf("the session's index (%d files) differs from a fresh build's (%d files)", len(idx.files), len(want.files))
	}
	for token, page := range map[string]string{"鹦鹉": "/xxjy/news/zhuti-dangri/", "独角": "/xxjy/news/new/"} {
		if docs := idx.docsWith(token); !slices.Equal(docs, []string{page}) {
			t.Errorf("%s finds %q, want %s", token, docs, page)
		}
	}
	for _, d := range idx.Docs {
		if strings.Contains(d[0].(string), "erjidu-jizhong-xuexi") {
			t.Error("a deleted page is still in the index")
		}
	}
}

// serveExample builds the example column and serves it at its base path on
// 127.0.0.1, returning the site's URL.
func serveExample(t *testing.T) string {
	t.Helper()
	dest := buildExample(t, Options{})
	srv := httptest.NewServer(http.StripPrefix("/xxjy", http.FileServer(http.Dir(dest))))
	t.Cleanup(srv.Close)
	return srv.URL + "/xxjy/"
}

// TestSearchInChromium searches the built example column in a real
// browser: from the header's box on the home page (a plain GET), then again
// on the search page, whose script keeps the loaded index.
func TestSearchInChromium(t *testing.T) {
	ctx := chrome.New(t, 60*time.Second)
	site := serveExample(t)
	evalString := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	reading := "/xxjy/readings/jiang-dangke-gongzuo-zhiyin/"

	// From the home page's header: the form opens /search/?q=….
	err := chromedp.Do(ctx,
		chromedp.Navigate(site),
		chromedp.SendKeys(chromedp.CSS("#site-search-q"), "把党课讲好"),
		chromedp.Submit(chromedp.CSS("#site-search-q")),
		chromedp.WaitVisible(chromedp.CSS(".search-result")),
	)
	if err != nil {
		t.Fatalf("searching from the header: %v", err)
	}
	if u := evalString(`location.pathname + location.search`); u != "/xxjy/search/?q="+"%E6%8A%8A%E5%85%9A%E8%AF%BE%E8%AE%B2%E5%A5%BD" {
		t.Errorf("the header form went to %s", u)
	}
	if href := evalString(`new URL(document.querySelector(".search-result a").href).pathname`); href != reading {
		t.Errorf("the first result is %s, want %s", href, reading)
	}
	if m := evalString(`Array.from(document.querySelectorAll(".search-result")[0].querySelectorAll(".search-result__snippet mark")).map(m => m.textContent).join("|")`); !strings.Contains(m, "把党课讲好") {
		t.Errorf("the snippet marks %q, want 把党课讲好 among them", m)
	}
	if m := evalString(`document.querySelector(".search-result__title mark").textContent`); m != "党课" {
		t.Errorf("the title marks %q", m)
	}
	if v := evalString(`document.querySelector("#search-q").value`); v != "把党课讲好" {
		t.Errorf("the search box shows %q", v)
	}
	if s := evalString(`document.querySelector("[data-search-status]").textContent`); !strings.HasPrefix(s, "找到 ") {
		t.Errorf("the status says %q", s)
	}
	if h := evalString(`String(document.querySelector("[data-search-nojs]").hidden)`); h != "true" {
		t.Error("the note for browsers without JavaScript shows although the script runs")
	}

	// On the search page, a new query replaces the results in place.
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.stillHere = true; document.querySelector("#search-q").value = ""`),
		chromedp.SendKeys(chromedp.CSS("#search-q"), "民主评议"),
		chromedp.Click(chromedp.CSS(".search-form__button")),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The shards and docs it needs are fetched: wait for its results.
	deadline := time.Now().Add(10 * time.Second)
	for evalString(`location.search + " " + document.querySelector("[data-search-index]").dataset.searchState`) != "?q="+"%E6%B0%91%E4%B8%BB%E8%AF%84%E8%AE%AE done" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if evalString(`String(window.stillHere)`) != "true" {
		t.Error("searching on the search page reloaded it")
	}
	titles := evalString(`Array.from(document.querySelectorAll(".search-result__title")).map(h => h.textContent).join("|")`)
	if !strings.Contains(titles, "民主评议") || strings.Contains(titles, "创新方式讲党课工作指引") {
		t.Errorf("results for 民主评议: %s", titles)
	}

	// With no query the page explains itself and lists nothing.
	err = chromedp.Do(ctx, chromedp.Navigate(site+"search/"), chromedp.WaitReady(chromedp.CSS("body")))
	if err != nil {
		t.Fatal(err)
	}
	if n := evalString(`String(document.querySelectorAll(".search-result").length)`); n != "0" {
		t.Errorf("%s results without a query", n)
	}
	if intro := evalString(`getComputedStyle(document.querySelector(".search__intro")).display + " " + document.querySelector(".search__intro").textContent`); !strings.HasPrefix(intro, "block 在本专栏全部文章") {
		t.Errorf("the explanation is %q", intro)
	}

	// Without JavaScript, the page says search needs it.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(site+"search/?q=党课"),
		chromedp.WaitReady(chromedp.CSS("body")),
	)
	if err != nil {
		t.Fatal(err)
	}
	nojs := evalString(`(document.querySelector("[data-search-nojs]").hidden ? "hidden " : "shown ") + document.querySelector("[data-search-nojs]").textContent.trim()`)
	if !strings.HasPrefix(nojs, "shown 搜索在您的浏览器中进行") || !strings.Contains(nojs, "需要启用 JavaScript") {
		t.Errorf("without JavaScript the note reads %q", nojs)
	}
	if n := evalString(`String(document.querySelectorAll(".search-result").length)`); n != "0" {
		t.Errorf("%s results without JavaScript", n)
	}
}

// TestSearchFiltersInChromium filters the results of a query by kind on
// the example column's search page and holds the choices, their counts
// and the filtered list to the Go reference search, split by the kinds the
// index gives each page.
func TestSearchFiltersInChromium(t *testing.T) {
	ctx := chrome.New(t, 60*time.Second)
	dest := buildExample(t, Options{})
	srv := httptest.NewServer(http.StripPrefix("/xxjy", http.FileServer(http.Dir(dest))))
	t.Cleanup(srv.Close)
	idx := readIndex(t, dest)
	const query = "学习"
	results, err := search.Search(idx.files.Open, query)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string][]string{}
	for _, r := range results {
		k := idx.kindOf(r.Doc)
		byKind[k] = append(byKind[k], idx.Docs[r.Doc][0].(string))
	}
	if len(byKind) < 3 {
		t.Fatalf("%q finds pages of %d kinds; the test needs several", query, len(byKind))
	}
	type state struct {
		State   string   `json:"state"`
		Choices []string `json:"choices"`
		Pressed string   `json:"pressed"`
		URLs    []string `json:"urls"`
		Total   string   `json:"total"`
		More    bool     `json:"more"`
	}
	read := func() state {
		t.Helper()
		var s state
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			s, err = chromedp.Run(ctx, chromedp.Evaluate[state](`(() => {
				const root = document.querySelector("[data-search-index]");
				const kind = root.querySelector('[data-search-filter="kind"]');
				return {state: root.dataset.searchState,
					choices: kind ? Array.from(kind.querySelectorAll("button")).map(b => b.textContent) : [],
					pressed: kind ? kind.querySelector('[aria-pressed="true"]').textContent : "",
					urls: Array.from(root.querySelectorAll(".search-result__title a")).map(a => a.getAttribute("href")),
					total: root.querySelector("[data-search-status]").dataset.searchTotal,
					more: !root.querySelector("[data-search-more-wrap]").hidden};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if s.State == "done" {
				break
			}
		}
		return s
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/xxjy/search/?q="+query)); err != nil {
		t.Fatal(err)
	}
	s := read()
	if s.Total != strconv.Itoa(len(results)) || !s.More || len(s.URLs) != 5 {
		t.Errorf("unfiltered: %d results of %s shown, more button %v; Go finds %d", len(s.URLs), s.Total, s.More, len(results))
	}
	// 全部 first, then each kind with its count, the largest first.
	want := []string{fmt.Sprintf("全部 (%d)", len(results))}
	kinds := slices.Collect(maps.Keys(byKind))
	slices.SortStableFunc(kinds, func(a, b string) int { return len(byKind[b]) - len(byKind[a]) })
	for _, k := range kinds {
		want = append(want, fmt.Sprintf("%s (%d)", k, len(byKind[k])))
	}
	got := slices.Clone(s.Choices)
	slices.Sort(got[1:])
	sorted := slices.Clone(want)
	slices.Sort(sorted[1:])
	if !slices.Equal(got, sorted) || s.Pressed != want[0] {
		t.Errorf("the kind filter offers %q (pressed %q), want %q", s.Choices, s.Pressed, want)
	}
	for i := 2; i < len(s.Choices); i++ {
		if count(s.Choices[i]) > count(s.Choices[i-1]) {
			t.Errorf("the choices are not largest first: %q", s.Choices)
		}
	}
	for _, k := range kinds {
		err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll('[data-search-filter="kind"] button')).find(b => b.textContent.startsWith(`+strconv.Quote(k+" (")+`)).click()`))
		if err != nil {
			t.Fatal(err)
		}
		s := read()
		wantURLs := byKind[k][:min(5, len(byKind[k]))]
		if s.Total != strconv.Itoa(len(byKind[k])) || !slices.Equal(s.URLs, wantURLs) || !strings.HasPrefix(s.Pressed, k) || s.More != (len(byKind[k]) > 5) {
			t.Errorf("filtered by %s: %s results, shown %q, pressed %q, more %v; want %d, %q", k, s.Total, s.URLs, s.Pressed, s.More, len(byKind[k]), wantURLs)
		}
	}
}

// count is the number in a filter choice's "label (n)".
func count(choice string) int {
	_, n, _ := strings.Cut(choice, "(")
	v, _ := strconv.Atoi(strings.TrimSuffix(n, ")"))
	return v
}
