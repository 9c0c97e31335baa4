package search

import (
	"context"
	"encoding/json"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"lanmu/generator/minify"
	"lanmu/internal/chrome"
	"lanmu/themes"
)

// openScript opens an empty page in Chromium that loads the theme's
// search.js, with Intl.Segmenter deleted as old browsers lack it, and
// returns the browser context and the page's URL. URL+"min" is the same
// page with the script as lanmu build --minify writes it. The indexes are
// served at /ix/NAME/.
func openScript(t *testing.T, indexes map[string]Memory) (context.Context, string) {
	t.Helper()
	ctx := chrome.New(t, 120*time.Second)
	script, err := fs.ReadFile(themes.FS, "default/static/js/search.js")
	if err != nil {
		t.Fatal(err)
	}
	small, err := minify.New().Bytes("/js/search.js", script)
	if err != nil {
		t.Fatal(err)
	}
	if len(small) >= len(script)*3/4 {
		t.Fatalf("minifying search.js left %d of %d bytes", len(small), len(script))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/ix/"); ok {
			name, file, _ := strings.Cut(rest, "/")
			if data, ok := indexes[name][file]; ok {
				w.Header().Set("Content-Type", "application/json")
				w.Write(data)
			} else {
				http.NotFound(w, r)
			}
			return
		}
		js := map[string][]byte{"/search.js": script, "/search.min.js": small}
		if data, ok := js[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(data)
			return
		}
		src := "/search.js"
		if r.URL.Path == "/min" {
			src = "/search.min.js"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>t</title>` +
			`<script>delete Intl.Segmenter</script><script src="` + src + `"></script>`))
	}))
	t.Cleanup(srv.Close)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	return ctx, srv.URL + "/"
}

// evalJSON runs fn(arg) in the page, arg and result passing as JSON; a
// promise is waited for.
func evalJSON[T any](t *testing.T, ctx context.Context, fn string, arg any) T {
	t.Helper()
	in, err := json.Marshal(arg)
	if err != nil {
		t.Fatal(err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[T]("("+fn+")("+string(in)+")", func(p *runtime.EvaluateParams) {
		await := true
		p.AwaitPromise = &await
	}))
	if err != nil {
		t.Fatalf("evaluating %s: %v", fn, err)
	}
	return out
}

// TestSearchJS runs the theme's search.js in Chromium, one browser for
// all its parts.
func TestSearchJS(t *testing.T) {
	ctx, url := openScript(t, map[string]Memory{"ranking": Index(rankingDocs), "bench": Index(benchDocs(300))})
	t.Run("tokens equal Go's", func(t *testing.T) { testTokenizeParity(t, ctx) })
	t.Run("tokens of every character equal Go's", func(t *testing.T) { testTokenizeEveryCharacter(t, ctx) })
	t.Run("ranking", func(t *testing.T) { testRanking(t, ctx) })
	t.Run("the same results as the Go reference", func(t *testing.T) { testReferenceParity(t, ctx) })
	t.Run("highlights", func(t *testing.T) { testHighlights(t, ctx) })
	// A site built with minify = true serves the minified script, which
	// must behave the same.
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"min")); err != nil {
		t.Fatal(err)
	}
	if src := evalJSON[string](t, ctx, `() => document.querySelector("script[src]").src`, nil); !strings.HasSuffix(src, "/search.min.js") {
		t.Fatalf("the page loads %s", src)
	}
	t.Run("minified tokens equal Go's", func(t *testing.T) { testTokenizeParity(t, ctx) })
	t.Run("minified ranking", func(t *testing.T) { testRanking(t, ctx) })
	t.Run("minified highlights", func(t *testing.T) { testHighlights(t, ctx) })
}

// testTokenizeParity runs search.js's tokeniser over the Go test table and
// over the example column's Markdown, and requires the browser's tokens to
// equal Go's exactly.
func testTokenizeParity(t *testing.T, ctx context.Context) {
	var inputs []string
	for _, c := range tokenCases {
		inputs = append(inputs, c.in)
	}
	files, _ := filepath.Glob("../../content/*/*.md")
	more, _ := filepath.Glob("../../content/*/*/index.md")
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(data))
	}
	if len(inputs) < len(tokenCases)+50 {
		t.Fatalf("only %d inputs: the example column's content was not found", len(inputs))
	}
	got := evalJSON[[][]string](t, ctx, `xs => xs.map(x => lanmuSearch.tokenize(x))`, inputs)
	if len(got) != len(inputs) {
		t.Fatalf("the browser returned %d token lists for %d inputs", len(got), len(inputs))
	}
	tokens := 0
	for i, in := range inputs {
		want := Tokenize(in)
		tokens += len(want)
		if !slices.Equal(got[i], want) && !(len(got[i]) == 0 && len(want) == 0) {
			t.Errorf("input %d %.40q:\n browser %q\n Go      %q", i, in, first(got[i], 30), first(want, 30))
		}
	}
	if tokens < 10000 {
		t.Errorf("only %d tokens compared", tokens)
	}
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// testTokenizeEveryCharacter puts every character Go's Unicode
// tables assign (planes 0 to 3, and the variation selectors) after a
// letter, before a Han character and doubled, and requires the browser to
// split the lot as Go does. Characters assigned after Go's Unicode
// version are left out: a newer browser knows them and Go does not.
func testTokenizeEveryCharacter(t *testing.T, ctx context.Context) {
	var b strings.Builder
	n := 0
	for _, span := range [][2]rune{{0, 0x32400}, {0xE0000, 0xE0200}} {
		for r := span[0]; r < span[1]; r++ {
			if unicode.Is(unicode.Cs, r) || unicode.Is(unassigned, r) {
				continue
			}
			// The trailing space ends every run, so each character's
			// tokens are its own.
			b.WriteString("x" + string(r) + "中" + string(r) + string(r) + " ")
			n++
		}
	}
	if n < 140000 {
		t.Fatalf("only %d characters", n)
	}
	text := b.String()
	want := Tokenize(text)
	got := evalJSON[[]string](t, ctx, `x => lanmuSearch.tokenize(x)`, text)
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("token %d: browser %q, Go %q; Go's tokens there: %q", i, got[i], want[i], want[max(0, i-3):min(len(want), i+3)])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the browser made %d tokens, Go %d", len(got), len(want))
	}
}

// unassigned is Go's table of code points no character is assigned to.
var unassigned = unicode.Categories["Cn"]

type jsResult struct {
	Doc     int     `json:"doc"`
	Matched int     `json:"matched"`
	Title   int     `json:"title"`
	Score   float64 `json:"score"`
}

// testRanking searches a small index made by Index with
// search.js and checks which pages come back, in which order.
func testRanking(t *testing.T, ctx context.Context) {
	for _, c := range rankingCases {
		got := evalJSON[[]jsResult](t, ctx, `q => lanmuSearch.open("/ix/ranking/index.json").then(ix => ix.search(q)).then(f => f.results)`, c.query)
		var ids []int
		for _, r := range got {
			ids = append(ids, r.Doc)
		}
		if !slices.Equal(ids, c.want) {
			t.Errorf("search %q = %v, want %v (%+v)", c.query, ids, c.want, got)
		}
	}
}

// testReferenceParity runs every reference query through search.js and
// through the Go reference search, on an index of 300 pages, and requires
// the same pages in the same order, with the same counts and scores.
func testReferenceParity(t *testing.T, ctx context.Context) {
	index := Index(benchDocs(300))
	queries := referenceQueries()
	got := evalJSON[[][]jsResult](t, ctx, `qs => lanmuSearch.open("/ix/bench/index.json").then(ix => Promise.all(qs.map(q => ix.search(q).then(f => f.results))))`, queries)
	for i, q := range queries {
		want, err := Search(index.Open, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got[i]) != len(want) {
			t.Errorf("%q: the browser finds %d pages, Go %d", q, len(got[i]), len(want))
			continue
		}
		for k, w := range want {
			g := got[i][k]
			if g.Doc != w.Doc || g.Matched != w.Matched || g.Title != w.Title || math.Abs(g.Score-w.Score) > 1e-9*math.Abs(w.Score) {
				t.Errorf("%q, result %d: the browser has %+v, Go %+v", q, k+1, g, w)
				break
			}
		}
	}
}

// testHighlights checks the ranges search.js marks in a title or
// snippet, including for text that normalisation changes.
func testHighlights(t *testing.T, ctx context.Context) {
	type hl struct {
		Text   string   `json:"text"`
		Ranges [][2]int `json:"ranges"`
	}
	for _, c := range []struct {
		text, query string
		want        []string
	}{
		{"为帮助各党支部把党课讲好、讲活，制定本指引。", "把党课讲好", []string{"把党课讲好"}},
		{"学习党章，学好党章", "党章", []string{"党章", "党章"}},
		{"利用App和5G课件", "app 课件", []string{"App", "课件"}},
		{"ＡＢＣ公司", "abc", []string{"ＡＢＣ"}},
		{"党员干部", "员", []string{"员"}},
		{"𠮷野家の牛丼", "吉野家", []string{"野家"}},
		{"𠮷野家の牛丼", "𠮷野", []string{"𠮷野"}},
		{"Cafe\u0301 au lait", "café", []string{"Café"}},
	} {
		got := evalJSON[hl](t, ctx, `a => lanmuSearch.highlights(a.text, lanmuSearch.queryTokens(a.query))`,
			map[string]string{"text": c.text, "query": c.query})
		var marked []string
		u := utf16.Encode([]rune(got.Text))
		for _, r := range got.Ranges {
			marked = append(marked, string(utf16.Decode(u[r[0]:r[1]])))
		}
		if !slices.Equal(marked, c.want) {
			t.Errorf("highlights(%q, %q) marks %q, want %q", c.text, c.query, marked, c.want)
		}
	}
}
