package bench

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"lanmu/bench/internal/corpus"
	"lanmu/generator/build"
	"lanmu/generator/search"
	"lanmu/internal/chrome"
)

// searchPagesEnv sets the size of the corpus the search tests build: 2,000
// pages by default, as CI runs them; issue 20's figures are at 10,000.
//
//	LANMU_SEARCH_PAGES=10000 go test ./bench -run Search -v
const searchPagesEnv = "LANMU_SEARCH_PAGES"

// maxQueryBytes is what one query may download at 10,000 pages, gzipped:
// the manifest, the shards of its tokens and the docs of the results it
// shows (SPEC, Search). A phrase of longPhrase or more Chinese characters
// is as many tokens less one, each in its own shard, and may download up
// to maxPhraseBytes: the one departure from the SPEC's bound (see the
// README's Search section).
const (
	maxQueryBytes  = 300 << 10
	longPhrase     = 8
	maxPhraseBytes = 400 << 10
)

// longestHanRun is the most Han characters in a row in s.
func longestHanRun(s string) int {
	most, run := 0, 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			run++
			most = max(most, run)
		} else {
			run = 0
		}
	}
	return most
}

// searchQueries are the fixed queries the search page is held to the Go
// reference with, drawn from the corpus's vocabulary: Chinese of one, two
// and five or more characters, English words in any case, digits, mixed
// text, queries that find nothing, and tokens in nearly every page.
var searchQueries = []string{
	// very common tokens
	"党员", "学习", "工作", "党员干部", "学习教育", "开展", "的", "党",
	// one character
	"村", "镇", "廉", "课", "网", "议", "志", "乡", "督", "宣", "治", "岗", "书", "评", "会", "县",
	// two characters
	"支部", "党课", "整改", "台账", "网格", "廉政", "振兴", "民主", "调查", "换届",
	"典型", "积分", "阵地", "笔记", "竞赛", "驻村", "督导", "帮扶", "冬春", "宣讲",
	// five characters or more
	"专题组织生活会", "主题党日活动", "理论学习中心组学习", "软弱涣散党组织整顿", "乡村振兴驻村帮扶",
	"青年理论学习小组活动", "批评与自我批评", "线上学习与线下研讨相结合", "形成了长效机制", "打牢了思想基础",
	"县委组织部召开", "河西村党支部", "离退休干部党支部", "学做结合、以学促做", "守正创新务求实效",
	"党员先锋岗评选", "流动党员教育管理", "红色教育基地参观", "党史知识竞赛", "先进典型宣讲",
	// English, any case
	"PPT", "ppt", "app", "APP", "Markdown", "markdown", "QR code", "qr", "WeChat", "wechat",
	"Wi-Fi", "wifi", "e-learning", "MOOC", "online", "HTML", "css", "YAML", "Git", "OKR",
	// digits
	"5G", "5", "2016", "2024", "10", "100", "H5",
	// mixed
	"5G平台", "App小程序", "PDF学习包", "Excel台账", "QR code二维码", "WeChat专栏", "AI看板", "Web系统",
	// nothing
	"量子纠缠", "zzzz", "12345678", "、。！", "没有的词语", "blockchain",
	// several words
	"党员 学习", "支部 整改 台账", "廉政 警示", "志愿服务 社区",
}

// searchSite builds a corpus of n pages and returns its output folder and
// base path.
func searchSite(t *testing.T) (dest, base string, pages int) {
	t.Helper()
	pages = 2000
	if v := os.Getenv(searchPagesEnv); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q is not a page count", searchPagesEnv, v)
		}
		pages = n
	}
	dir := t.TempDir()
	if err := corpus.Write(dir, pages, 1); err != nil {
		t.Fatal(err)
	}
	dest = filepath.Join(dir, "public")
	if _, err := build.Build(build.Options{Source: filepath.Join(dir, "lanmu"), Dest: dest}); err != nil {
		t.Fatal(err)
	}
	return dest, "/col/", pages
}

// gzipServer serves dest at base on 127.0.0.1, gzipped to browsers that
// take it, as a web server of a real site does, and counts the bytes it
// sends for the search index's files.
type gzipServer struct {
	*httptest.Server
	mu    sync.Mutex
	bytes int
	files []string
}

func newGzipServer(t *testing.T, dest, base string) *gzipServer {
	s := &gzipServer{}
	files := http.StripPrefix(strings.TrimSuffix(base, "/"), http.FileServer(http.Dir(dest)))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		counted := strings.HasPrefix(r.URL.Path, base+"search/") && strings.HasSuffix(r.URL.Path, ".json")
		cw := &countingWriter{ResponseWriter: w}
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			gz := gzip.NewWriter(cw)
			w.Header().Set("Content-Encoding", "gzip")
			files.ServeHTTP(gzipResponse{cw, gz}, r)
			gz.Close()
		} else {
			files.ServeHTTP(cw, r)
		}
		if counted {
			s.mu.Lock()
			s.bytes += cw.n
			s.files = append(s.files, r.URL.Path)
			s.mu.Unlock()
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// take returns the bytes and files counted since the last call.
func (s *gzipServer) take() (int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, files := s.bytes, s.files
	s.bytes, s.files = 0, nil
	return n, files
}

type countingWriter struct {
	http.ResponseWriter
	n int
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += n
	return n, err
}

type gzipResponse struct {
	*countingWriter
	gz *gzip.Writer
}

func (w gzipResponse) Write(b []byte) (int, error) { return w.gz.Write(b) }

// WriteHeader drops the length of the file, which gzip changes.
func (w gzipResponse) WriteHeader(code int) {
	w.Header().Del("Content-Length")
	w.countingWriter.WriteHeader(code)
}

// reference is the Go reference search over a built site's index: the
// URLs of the results, best first, and their number.
func reference(t *testing.T, dest string, query string, shown int) ([]string, int) {
	t.Helper()
	dir := filepath.Join(dest, "search")
	open := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, filepath.FromSlash(name))) }
	results, err := search.Search(open, query)
	if err != nil {
		t.Fatal(err)
	}
	m, err := search.ReadManifest(open)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, r := range results[:min(len(results), shown)] {
		data, err := open(m.Docs[r.Doc/m.PerChunk])
		if err != nil {
			t.Fatal(err)
		}
		var docs [][]any
		json.Unmarshal(data, &docs)
		urls = append(urls, docs[r.Doc%m.PerChunk][0].(string))
	}
	return urls, len(results)
}

// pageOfResults is how many results the search page shows at first, and
// morePages how many it adds with its button.
const (
	pageOfResults = 5
	moreResults   = 10
)

// shownResults waits until the search page has answered query, then
// returns the URLs it lists and the count it gives.
func shownResults(t *testing.T, ctx context.Context, query string) ([]string, int) {
	t.Helper()
	type shown struct {
		State string   `json:"state"`
		Query string   `json:"query"`
		URLs  []string `json:"urls"`
		Total string   `json:"total"`
	}
	var got shown
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var err error
		got, err = chromedp.Run(ctx, chromedp.Evaluate[shown](`(() => {
			const root = document.querySelector("[data-search-index]");
			return {state: root.dataset.searchState || "", query: root.dataset.searchQuery || "",
				urls: Array.from(root.querySelectorAll(".search-result__title a")).map(a => a.getAttribute("href")),
				total: document.querySelector("[data-search-status]").dataset.searchTotal || "0"};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if got.State == "done" && got.Query == query {
			total, _ := strconv.Atoi(got.Total)
			if strings.TrimSpace(query) == "" {
				total = 0
			}
			return got.URLs, total
		}
		if got.State == "error" {
			t.Fatalf("%q: the search page reports an error", query)
		}
	}
	t.Fatalf("%q: no answer in 20 s (state %q for %q)", query, got.State, got.Query)
	return nil, 0
}

// TestSearchPageAgreesWithGo types each fixed query into the real search
// page of a generated site, in headless Chromium, and requires the results
// it lists, in order, and their count, to be the Go reference search's.
func TestSearchPageAgreesWithGo(t *testing.T) {
	if len(searchQueries) < 100 {
		t.Fatalf("%d queries; issue 20 asks for at least 100", len(searchQueries))
	}
	ctx := chrome.New(t, 10*time.Minute)
	dest, base, _ := searchSite(t)
	srv := newGzipServer(t, dest, base)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+base+"search/")); err != nil {
		t.Fatal(err)
	}
	found, none := 0, 0
	for _, q := range searchQueries {
		err := chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#search-q").value = ""`),
			chromedp.SendKeys(chromedp.CSS("#search-q"), q+"\r"),
		)
		if err != nil {
			t.Fatalf("typing %q: %v", q, err)
		}
		urls, total := shownResults(t, ctx, q)
		wantURLs, wantTotal := reference(t, dest, q, pageOfResults)
		if total != wantTotal || !slices.Equal(urls, wantURLs) {
			t.Errorf("%q: the page lists %d of %d results %q;\nGo finds %d, first %q", q, len(urls), total, urls, wantTotal, wantURLs)
			continue
		}
		if total > pageOfResults {
			// The button shows the next ten.
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("[data-search-more]"))); err != nil {
				t.Fatal(err)
			}
			more := pageOfResults + moreResults
			for deadline := time.Now().Add(10 * time.Second); len(urls) < min(total, more) && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				urls, _ = shownResults(t, ctx, q)
			}
			if wantURLs, _ := reference(t, dest, q, more); !slices.Equal(urls, wantURLs) {
				t.Errorf("%q: after the button the page lists %q;\nGo finds %q", q, urls, wantURLs)
			}
		}
		if wantTotal > 0 {
			found++
		} else {
			none++
		}
	}
	if found < 80 || none < 5 {
		t.Errorf("%d queries find pages and %d none: the set does not test what it should", found, none)
	}
}

// TestSearchQueryBytes loads the search page afresh for each fixed query,
// with the browser's cache off, and counts the gzipped bytes of the
// index's files it fetches: at most maxQueryBytes at 10,000 pages. A
// query's cost does not shrink with the site (a shard and a chunk of docs
// hold about as many pages at any size, as the number of files grows with
// it), so a smaller site is held to the same bound; the figures at each
// size are in the closing note of issue 20.
func TestSearchQueryBytes(t *testing.T) {
	ctx := chrome.New(t, 10*time.Minute)
	dest, base, pages := searchSite(t)
	srv := newGzipServer(t, dest, base)
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	worst, worstQuery := 0, ""
	for _, q := range searchQueries {
		if strings.TrimSpace(q) == "" {
			continue
		}
		srv.take()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+base+"search/?q="+url.QueryEscape(q))); err != nil {
			t.Fatal(err)
		}
		shownResults(t, ctx, q)
		n, files := srv.take()
		if !slices.Contains(files, base+"search/index.json") {
			t.Fatalf("%q fetched %q, not the manifest", q, files)
		}
		sizes = append(sizes, n)
		if n > worst {
			worst, worstQuery = n, q
		}
		limit := maxQueryBytes
		if longestHanRun(q) >= longPhrase {
			limit = maxPhraseBytes
			t.Logf("%q, a phrase of %d characters, downloads %d KB (%d files)", q, longestHanRun(q), n>>10, len(files))
		}
		if n > limit {
			t.Errorf("%q downloads %d KB of the index (%d files), over %d KB", q, n>>10, len(files), limit>>10)
		}
	}
	slices.Sort(sizes)
	total, count := indexSize(t, dest)
	t.Logf("%d pages: the index is %d files, %.1f MB; a query downloads %.1f KB at the median, %.1f KB at most (%q)",
		pages, count, float64(total)/(1<<20), float64(sizes[len(sizes)/2])/1024, float64(worst)/1024, worstQuery)
}

// indexSize is the bytes and the number of the index's files.
func indexSize(t *testing.T, dest string) (total int64, count int) {
	err := filepath.WalkDir(filepath.Join(dest, "search"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
			count++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := search.ReadManifest(func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dest, "search", name)) })
	if err != nil {
		t.Fatal(err)
	}
	if limit := max(4, m.Count/search.PagesPerFile); count > limit {
		t.Errorf("the index has %d files, over %d", count, limit)
	}
	return total, count
}
