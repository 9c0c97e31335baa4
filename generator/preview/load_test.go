package preview

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lanmu/internal/testsite"
)

// The load test's site: two news pages, a and b, that every edit rewrites
// together, each carrying the edit's number in its title ("ta-7"), summary
// ("sa-7") and body ("ba-7"). Every output that shows them (the pages
// themselves, the home page and section list with both titles, the feeds
// with both bodies, the helpful 404 with the titles of similar pages)
// then says which version of each file it was built from.
const loadConfig = `title = "负载测试"
baseURL = "https://www.example.gov.cn/xxjy/"
[feeds]
fullContent = true
`

func loadPage(name, letter string, v int, date string) string {
	return fmt.Sprintf("---\ntitle: %s t%s-%d\ndate: %s\nsummary: %s s%s-%d\n---\n\n正文 b%s-%d。\n", name, letter, v, date, name, letter, v, letter, v)
}

func writeLoadSite(t *testing.T) string {
	return testsite.Write(t, map[string]string{
		"lanmu.toml":             loadConfig,
		"content/_index.md":      "---\ntitle: 首页\n---\n\n首页。\n",
		"content/news/_index.md": "---\ntitle: 动态\n---\n",
		"content/news/a.md":      loadPage("甲", "a", 0, "2016-05-01"),
		"content/news/b.md":      loadPage("乙", "b", 0, "2016-05-02"),
		"content/news/c.md":      "---\ntitle: 丙\ndate: 2016-04-01\n---\n\n不变。\n",
	})
}

// saveAtomically writes a file the way most editors save: to a temporary
// name that the watcher ignores, then renamed over the page, so that a
// build never reads half a file.
func saveAtomically(path, text string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

var (
	versionMark = regexp.MustCompile(`\b[tsb]([ab])-(\d+)\b`)
	buildMark   = regexp.MustCompile(`data-lanmu-version="(\d+)"`)
)

// marks returns, for "a" and "b", the one edit number a response shows of
// that page; it fails when a response mixes two edits of one file, which a
// single build never does since each file is read once.
func marks(body string) (map[string]int, error) {
	out := map[string]int{}
	for _, m := range versionMark.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[2])
		if old, ok := out[m[1]]; ok && old != n {
			return nil, fmt.Errorf("edits %d and %d of page %s in one response", old, n, m[1])
		}
		out[m[1]] = n
	}
	return out, nil
}

// ledger records what each build (the version serve injects into every
// page) showed, across all clients: one build must always show the same
// edit of a page, wherever it appears.
type ledger struct {
	mu        sync.Mutex
	builds    map[uint64]map[string]int
	torn      []string // the first few
	tornCount int
}

func (l *ledger) record(build uint64, seen map[string]int, what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.builds == nil {
		l.builds = map[uint64]map[string]int{}
	}
	known := l.builds[build]
	if known == nil {
		known = map[string]int{}
		l.builds[build] = known
	}
	for page, n := range seen {
		if old, ok := known[page]; ok && old != n {
			if l.tornCount++; l.tornCount <= 20 {
				l.torn = append(l.torn, fmt.Sprintf("build %d showed edit %d of page %s, and edit %d in %s", build, old, page, n, what))
			}
			continue
		}
		known[page] = n
	}
}

// regressions lists builds that show an older edit of a page than an
// earlier build did: builds run one after another and each reads the files
// afresh, so a later build can only have read later edits.
func (l *ledger) regressions() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	ids := slices.Sorted(func(yield func(uint64) bool) {
		for id := range l.builds {
			if !yield(id) {
				return
			}
		}
	})
	for _, page := range []string{"a", "b"} {
		last, lastID := -1, uint64(0)
		for _, id := range ids {
			n, ok := l.builds[id][page]
			if !ok {
				continue
			}
			if n < last {
				out = append(out, fmt.Sprintf("build %d shows edit %d of page %s, build %d showed %d", id, n, page, lastID, last))
			}
			last, lastID = n, id
		}
	}
	return out
}

// nextEvent reads the event stream up to the next event and returns the
// build it announces; heartbeats are skipped.
func nextEvent(r *bufio.Reader) (uint64, error) {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return 0, err
		}
		data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: ")
		if !ok {
			continue
		}
		var ev struct {
			Version uint64 `json:"version"`
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return 0, fmt.Errorf("%q: %v", data, err)
		}
		return ev.Version, nil
	}
}

// running is a preview started by runPreview.
type running struct {
	url  string // the site's URL, ending in the base path
	out  *syncBuffer
	stop func() // cancels Run and waits for it
}

func runPreview(t *testing.T, opts Options) *running {
	t.Helper()
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opts.Stdout, opts.Stderr = out, out
	opts.Ready = func(url string) { ready <- url }
	go func() { done <- Run(ctx, opts) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve ended with %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Errorf("serve did not stop within 10 s of cancel")
			}
		})
	}
	t.Cleanup(stop)
	select {
	case u := <-ready:
		return &running{url: u, out: out, stop: stop}
	case err := <-done:
		t.Fatalf("serve failed: %v\n%s", err, out)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start\n%s", out)
	}
	return nil
}

// openFDs counts this process's open file descriptors, or returns -1 where
// /proc/self/fd does not exist.
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// loadStats are the figures of one load run.
type loadStats struct {
	requests, pages, notFound, feeds, css, refused, streams atomic.Int64
	maxLatency                                              atomic.Int64 // nanoseconds
}

func (s *loadStats) latency(d time.Duration) {
	for {
		old := s.maxLatency.Load()
		if int64(d) <= old || s.maxLatency.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// TestLoadWhileEditing serves a site through the whole preview pipeline
// (watcher, build session, server) on loopback while an editor saves its
// pages again and again and many clients fetch pages, stylesheets, feeds,
// missing pages and event streams. No answer may be a server error or a
// page mixed from two builds, the last edit must be served once the edits
// stop, and stopping the preview must leave no goroutine or file open.
func TestLoadWhileEditing(t *testing.T) {
	const (
		clients       = 16
		edits         = 60
		minPerClient  = 200 // requests each client makes at least
		overallBudget = 40 * time.Second
	)
	if testing.Short() {
		t.Skip("a load test that takes about ten seconds")
	}
	// The first network use opens the runtime's poller for good; do it
	// before counting what is open.
	if ln, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		ln.Close()
	}
	goroutinesBefore, fdsBefore := runtime.NumGoroutine(), openFDs()
	began := time.Now()

	site := writeLoadSite(t)
	p := runPreview(t, Options{Source: site})
	base := p.url
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/xxjy/") {
		t.Fatalf("served at %s, want http://127.0.0.1:PORT/xxjy/", base)
	}

	transport := &http.Transport{MaxIdleConnsPerHost: clients * 2, DisableCompression: true}
	client := &http.Client{
		Transport:     transport,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	var (
		stats    loadStats
		book     ledger
		errMu    sync.Mutex
		failures []string
	)
	fail := func(format string, args ...any) {
		errMu.Lock()
		defer errMu.Unlock()
		if len(failures) < 30 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}

	// get fetches one path and checks what every answer must satisfy.
	get := func(path string) (int, http.Header, string, error) {
		start := time.Now()
		resp, err := client.Get(base + path)
		if err != nil {
			return 0, nil, "", err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		stats.latency(time.Since(start))
		stats.requests.Add(1)
		if err != nil {
			return 0, nil, "", fmt.Errorf("%s: reading the body: %v", path, err)
		}
		if resp.StatusCode >= 500 {
			fail("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return resp.StatusCode, resp.Header, string(body), nil
	}

	// checkHTML checks that an HTML answer is one whole page of one build
	// and returns that build.
	checkHTML := func(path, body string) uint64 {
		if !strings.HasPrefix(body, "<!DOCTYPE html>") || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
			fail("GET %s: not a complete page (%d bytes, ends %q)", path, len(body), body[max(0, len(body)-40):])
			return 0
		}
		tags := buildMark.FindAllStringSubmatch(body, -1)
		if len(tags) != 1 {
			fail("GET %s: %d live-script tags", path, len(tags))
			return 0
		}
		build, _ := strconv.ParseUint(tags[0][1], 10, 64)
		seen, err := marks(body)
		if err != nil {
			fail("GET %s (build %d): %v", path, build, err)
			return build
		}
		book.record(build, seen, path)
		return build
	}

	checkFeed := func(path, body string) {
		if strings.HasSuffix(path, ".json") {
			var feed struct {
				Items []json.RawMessage `json:"items"`
			}
			if err := json.Unmarshal([]byte(body), &feed); err != nil || len(feed.Items) != 3 {
				fail("GET %s: %d items, %v", path, len(feed.Items), err)
				return
			}
		} else if !strings.HasSuffix(strings.TrimSpace(body), "</rss>") && !strings.HasSuffix(strings.TrimSpace(body), "</feed>") {
			fail("GET %s: not a complete feed (ends %q)", path, body[max(0, len(body)-40):])
			return
		}
		if _, err := marks(body); err != nil {
			fail("GET %s: %v", path, err)
		}
	}

	var css string
	var cssOnce sync.Once

	// stream opens the event stream and reads its hello; when wait is set
	// it also waits a little for the next event. Then it hangs up, which
	// the server must notice whether or not it is sending at that moment.
	stream := func(lastBuild uint64, wait bool) error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, "GET", base+"__lanmu/events", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		stats.requests.Add(1)
		stats.streams.Add(1)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
			fail("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			return nil
		}
		r := bufio.NewReader(resp.Body)
		hello, err := nextEvent(r)
		if err != nil {
			fail("events: no hello: %v", err)
			return nil
		}
		if hello < lastBuild {
			fail("events: hello says build %d after this client saw build %d", hello, lastBuild)
		}
		if wait {
			hangUp := time.AfterFunc(150*time.Millisecond, cancel)
			defer hangUp.Stop()
			// A build published while the stream opened may come both in
			// hello and as an event; an older one may not.
			if next, err := nextEvent(r); err == nil && next < hello {
				fail("events: build %d announced after hello with build %d", next, hello)
			}
		}
		return nil
	}

	var editsDone atomic.Bool
	var wg sync.WaitGroup
	hardStop := time.Now().Add(overallBudget)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lastBuild uint64
			for i := 0; ; i++ {
				if (editsDone.Load() && i >= minPerClient) || time.Now().After(hardStop) {
					return
				}
				var err error
				switch (i + c) % 10 {
				case 0, 1, 2, 3:
					path := []string{"", "news/", "news/a/", "news/b/"}[(i/10+c)%4]
					var code int
					var body string
					code, _, body, err = get(path)
					if err == nil {
						if code != 200 {
							fail("GET %s: %d", path, code)
							break
						}
						stats.pages.Add(1)
						if b := checkHTML(path, body); b < lastBuild {
							fail("GET %s: build %d after build %d", path, b, lastBuild)
						} else {
							lastBuild = b
						}
					}
				case 4:
					var code int
					var h http.Header
					var body string
					code, h, body, err = get("css/lanmu.css")
					if err == nil {
						stats.css.Add(1)
						cssOnce.Do(func() { css = body })
						if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") || body == "" || body != css {
							fail("GET css: %d %s, %d bytes (first had %d)", code, h.Get("Content-Type"), len(body), len(css))
						}
					}
				case 5, 6:
					path := []string{"index.xml", "feed.json", "news/atom.xml", "news/feed.json"}[(i/10+c)%4]
					var code int
					var body string
					code, _, body, err = get(path)
					if err == nil {
						stats.feeds.Add(1)
						if code != 200 {
							fail("GET %s: %d", path, code)
							break
						}
						checkFeed(path, body)
					}
				case 7:
					path := fmt.Sprintf("news/missing-%d-%d/", c, i)
					var code int
					var body string
					code, _, body, err = get(path)
					if err == nil {
						stats.notFound.Add(1)
						if code != 404 || !strings.Contains(body, "这个页面还不存在") {
							fail("GET %s: %d", path, code)
							break
						}
						if b := checkHTML(path, body); b < lastBuild {
							fail("GET %s: build %d after build %d", path, b, lastBuild)
						} else {
							lastBuild = b
						}
					}
				case 8:
					// Traversal attempts are refused, never a server error.
					path := []string{"%2e%2e/lanmu.toml", "..%2f..%2flanmu.toml", "%252e%252e/x", "%c0%ae%c0%ae/x"}[(i/10+c)%4]
					var code int
					code, _, _, err = get(path)
					if err == nil {
						stats.refused.Add(1)
						if code != 400 {
							fail("GET %s: %d, want 400", path, code)
						}
					}
				case 9:
					err = stream(lastBuild, (i/10+c)%3 == 0)
				}
				if err != nil {
					fail("client %d: %v", c, err)
					return
				}
			}
		}()
	}

	// The editor: each edit saves a and then b with the next number, at
	// uneven intervals so that some saves fall into one burst of the
	// watcher, some into a build in progress, and some land alone.
	pause := []time.Duration{20 * time.Millisecond, 60 * time.Millisecond, 130 * time.Millisecond, 5 * time.Millisecond, 200 * time.Millisecond}
	editing := time.Now()
	for k := 1; k <= edits; k++ {
		if err := saveAtomically(filepath.Join(site, "content", "news", "a.md"), loadPage("甲", "a", k, "2016-05-01")); err != nil {
			t.Fatal(err)
		}
		if err := saveAtomically(filepath.Join(site, "content", "news", "b.md"), loadPage("乙", "b", k, "2016-05-02")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(pause[k%len(pause)])
	}
	editTime := time.Since(editing)
	editsDone.Store(true)

	// Once the edits stop, the last one is served everywhere.
	settle := time.Now()
	deadline := settle.Add(10 * time.Second)
	for {
		final := true
		for _, path := range []string{"", "news/", "news/a/", "news/b/", "feed.json"} {
			_, _, body, err := get(path)
			seen, merr := marks(body)
			if err != nil || merr != nil || seen["a"] != edits || seen["b"] != edits {
				final = false
				break
			}
		}
		if final {
			break
		}
		if time.Now().After(deadline) {
			_, _, home, _ := get("")
			t.Errorf("the last edit (%d) is not served 10 s after the edits stopped; home page shows %v\nterminal:\n%s", edits, versionMark.FindAllString(home, -1), p.out)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	settled := time.Since(settle)
	wg.Wait()

	for _, f := range failures {
		t.Error(f)
	}
	for _, f := range book.torn {
		t.Errorf("torn: %s", f)
	}
	if book.tornCount > len(book.torn) {
		t.Errorf("torn: %d responses in all", book.tornCount)
	}
	for _, f := range book.regressions() {
		t.Errorf("went back: %s", f)
	}
	if n := stats.requests.Load(); n < clients*minPerClient {
		t.Errorf("only %d requests made", n)
	}
	// Every save was whole, so no build may fail and nothing else is worth
	// telling the editor.
	for line := range strings.Lines(p.out.String()) {
		switch {
		case strings.HasPrefix(line, "Serving "), strings.HasPrefix(line, "Watching for changes"),
			strings.HasPrefix(line, "Built "), strings.Contains(line, " rebuilt in "),
			strings.Contains(line, "a browser fell behind"):
		default:
			t.Errorf("terminal: %s", strings.TrimSpace(line))
		}
	}
	rebuilds := strings.Count(p.out.String(), " rebuilt in ")
	if rebuilds < 2 {
		t.Errorf("only %d rebuilds for %d edits:\n%s", rebuilds, edits, p.out)
	}

	// Stop everything, then look for what was left behind.
	stopping := time.Now()
	p.stop()
	// The client still holds connections, some never used: they must not
	// hold up stopping.
	if d := time.Since(stopping); d > 2*time.Second {
		t.Errorf("stopping the preview took %v", d)
	}
	transport.CloseIdleConnections()
	leakDeadline := time.Now().Add(5 * time.Second)
	goroutines := runtime.NumGoroutine()
	for goroutines > goroutinesBefore && time.Now().Before(leakDeadline) {
		time.Sleep(20 * time.Millisecond)
		goroutines = runtime.NumGoroutine()
	}
	if goroutines > goroutinesBefore {
		buf := make([]byte, 1<<20)
		t.Errorf("goroutines: %d before, %d after stopping\n%s", goroutinesBefore, goroutines, buf[:runtime.Stack(buf, true)])
	}
	fds := openFDs()
	if fdsBefore >= 0 {
		// A small tolerance for descriptors the runtime opens once and
		// keeps (none are expected after the warm-up above).
		const tolerance = 2
		for fds > fdsBefore+tolerance && time.Now().Before(leakDeadline) {
			time.Sleep(20 * time.Millisecond)
			fds = openFDs()
		}
		if fds > fdsBefore+tolerance {
			entries, _ := os.ReadDir("/proc/self/fd")
			var targets []string
			for _, e := range entries {
				target, _ := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
				targets = append(targets, e.Name()+" → "+target)
			}
			t.Errorf("file descriptors: %d before, %d after stopping:\n%s", fdsBefore, fds, strings.Join(targets, "\n"))
		}
	}

	t.Logf("%d requests from %d clients (%d pages, %d 404s, %d feeds, %d stylesheets, %d refused traversals, %d event streams); max latency %v",
		stats.requests.Load(), clients, stats.pages.Load(), stats.notFound.Load(), stats.feeds.Load(), stats.css.Load(), stats.refused.Load(), stats.streams.Load(),
		time.Duration(stats.maxLatency.Load()).Round(time.Millisecond))
	t.Logf("%d edits (each saving two pages) in %v; %d rebuilds; %d builds seen by clients; last edit served everywhere %v after the edits stopped",
		edits, editTime.Round(time.Millisecond), rebuilds, len(book.builds), settled.Round(time.Millisecond))
	t.Logf("goroutines %d → %d, file descriptors %d → %d; %v in all", goroutinesBefore, goroutines, fdsBefore, fds, time.Since(began).Round(time.Millisecond))
}
