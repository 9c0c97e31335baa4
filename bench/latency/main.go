// Command latency measures how long a live preview takes to bring a change
// to the browser: from the moment a file is written until the server's
// reload (or stylesheet) event has arrived and the page (or stylesheet) the
// browser then asks for has come back showing the change. The browser is
// one that shows the edited page, as an editor's does. It runs lanmu serve
// and hugo server on copies of the same benchmark corpus, side by side, for
// a one-page edit, a template edit and a stylesheet edit.
//
//	go run ./bench/latency -corpus DIR [-runs 5] [-lanmu BIN] [-hugo BIN]
//
// DIR is a corpus made by bench/corpus (with lanmu/ and hugo/ inside).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/websocket"
)

func main() {
	corpus := flag.String("corpus", "", "a corpus made by bench/corpus")
	runs := flag.Int("runs", 5, "edits of each kind per server")
	lanmu := flag.String("lanmu", "/tmp/lanmu-bench", "the lanmu binary")
	hugo := flag.String("hugo", "hugo", "the hugo binary")
	only := flag.String("servers", "lanmu,hugo", "which servers to measure")
	flag.BoolVar(&verbose, "v", false, "print each edit's time to the event and to the page")
	flag.Parse()
	if *corpus == "" {
		fmt.Fprintln(os.Stderr, "latency: -corpus DIR is required (make one with go run ./bench/corpus)")
		os.Exit(2)
	}
	results := map[string]map[string][]time.Duration{}
	for _, srv := range []server{lanmuServer(*lanmu), hugoServer(*hugo)} {
		if !strings.Contains(*only, srv.name) {
			continue
		}
		r, err := measure(srv, filepath.Join(*corpus, srv.name), *runs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "latency: %s: %v\n", srv.name, err)
			os.Exit(1)
		}
		results[srv.name] = r
	}
	fmt.Printf("%-10s %14s %14s %14s\n", "median", "one page", "template", "stylesheet")
	for _, name := range []string{"lanmu", "hugo"} {
		r, ok := results[name]
		if !ok {
			continue
		}
		fmt.Printf("%-10s %14v %14v %14v\n", name, median(r["page"]), median(r["template"]), median(r["css"]))
	}
	if len(results) == 2 {
		fmt.Printf("%-10s %13.2fx %13.2fx %13.2fx\n", "lanmu/hugo",
			ratio(results, "page"), ratio(results, "template"), ratio(results, "css"))
	}
}

// server is one preview server under test.
type server struct {
	name     string
	start    func(dir string, port int) *exec.Cmd
	prepare  func(dir string) error // files the edits will change
	template string                 // site-relative template to edit
	// editTemplate writes the template anew with a mark that every page
	// using it shows.
	editTemplate func(file, mark string) error
	listen       func(ctx context.Context, dir string, port int, page string, events chan<- string) error
}

func lanmuServer(bin string) server {
	return server{
		name: "lanmu",
		start: func(dir string, port int) *exec.Cmd {
			return exec.Command(bin, "serve", "-s", dir, "--port", fmt.Sprint(port))
		},
		prepare: func(dir string) error {
			// The built-in theme is embedded: give the site its own footer
			// template (the theme's, unchanged) so there is a file to edit.
			return os.MkdirAll(filepath.Join(dir, "layouts", "partials"), 0o755)
		},
		template: "layouts/partials/footer.html",
		editTemplate: func(file, mark string) error {
			return os.WriteFile(file, []byte(`<footer class="site-footer"><p>{{ .Site.Title }}</p><p hidden>`+mark+"</p></footer>\n"), 0o644)
		},
		listen: listenSSE,
	}
}

func hugoServer(bin string) server {
	return server{
		name: "hugo",
		start: func(dir string, port int) *exec.Cmd {
			return exec.Command(bin, "server", "-s", dir, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--disableFastRender", "--quiet")
		},
		prepare:  func(string) error { return nil },
		template: "layouts/_default/single.html",
		editTemplate: func(file, mark string) error {
			src, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			edited := hugoMark.ReplaceAllString(string(src), `{{ define "main" }}<p hidden>`+mark+`</p>`)
			return os.WriteFile(file, []byte(edited), 0o644)
		},
		listen: listenLiveReload,
	}
}

// hugoMark is the opening of single.html's main block, with the mark of
// the last edit if there is one.
var hugoMark = regexp.MustCompile(`\{\{ define "main" \}\}(<p hidden>[^<]*</p>)?`)

// measure copies a site, starts its server, and times each kind of edit.
// verbose prints every edit's times, to see where they go.
var verbose bool

func measure(srv server, src string, runs int) (map[string][]time.Duration, error) {
	dir, err := os.MkdirTemp("", "latency-"+srv.name+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := copyTree(src, dir); err != nil {
		return nil, err
	}
	if err := srv.prepare(dir); err != nil {
		return nil, err
	}
	css := filepath.Join(dir, "static", "css", "bench.css")
	os.MkdirAll(filepath.Dir(css), 0o755)
	os.WriteFile(css, []byte("body { margin: 0; }\n"), 0o644)
	tmpl := filepath.Join(dir, filepath.FromSlash(srv.template))
	if err := srv.editTemplate(tmpl, "start"); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := srv.start(dir, port)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	if err := waitUp(port, 3*time.Minute); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan string, 64)
	base := basePath(port)
	if srv.name == "hugo" {
		base = hugoBasePath(dir)
	}
	pageURL := fmt.Sprintf("http://127.0.0.1:%d%snews/00042/", port, base)
	cssURL := fmt.Sprintf("http://127.0.0.1:%d%scss/bench.css", port, base)
	go srv.listen(ctx, dir, port, base+"news/00042/", events)
	time.Sleep(2 * time.Second) // let the listener connect and the first build settle
	drain(events)

	page := filepath.Join(dir, "content", "news", "00042.md")
	out := map[string][]time.Duration{}
	for i := range runs {
		for _, kind := range []string{"page", "template", "css"} {
			mark := fmt.Sprintf("编辑%d-%d", i, time.Now().UnixNano()%1000)
			url := pageURL
			edit := func() error { return appendTo(page, "\n\n"+mark+"。\n") }
			switch kind {
			case "template":
				edit = func() error { return srv.editTemplate(tmpl, mark) }
			case "css":
				url = cssURL
				mark = fmt.Sprintf(".edit-%d-%d", i, time.Now().UnixNano()%1000)
				edit = func() error { return appendTo(css, "\n"+mark+" { color: red; }\n") }
			}
			drain(events)
			start := time.Now()
			if err := edit(); err != nil {
				return nil, err
			}
			var event time.Duration
			select {
			case <-events:
				event = time.Since(start)
			case <-time.After(2 * time.Minute):
				return nil, fmt.Errorf("no reload event within 2 minutes after a %s edit", kind)
			}
			body, err := get(url)
			if err != nil {
				return nil, err
			}
			if !strings.Contains(body, mark) {
				return nil, fmt.Errorf("after a %s edit, the event came but %s does not show %s", kind, url, mark)
			}
			out[kind] = append(out[kind], time.Since(start))
			if verbose {
				fmt.Fprintf(os.Stderr, "%s %-8s event after %v, page after %v\n", srv.name, kind, event.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
			}
			// Let trailing events pass, and the pages lanmu serve renders
			// after the page shown (every page, after a template edit)
			// finish, so that each edit is timed on its own.
			rest := 2 * time.Second
			if kind == "template" {
				rest = 10 * time.Second
			}
			time.Sleep(rest)
		}
	}
	return out, nil
}

// listenSSE follows lanmu serve's event stream, as the live script of the
// page at path does, passing on reload and stylesheet events.
func listenSSE(ctx context.Context, _ string, port int, page string, events chan<- string) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("http://127.0.0.1:%d%s__lanmu/events?page=%s", port, basePath(port), url.QueryEscape(page)), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if e, ok := strings.CutPrefix(line, "event: "); ok {
			event = e
		}
		if strings.HasPrefix(line, "data: ") && (event == "reload" || event == "css") {
			events <- event
		}
	}
	return sc.Err()
}

// listenLiveReload speaks the LiveReload protocol that hugo server uses,
// over a WebSocket, passing on reload commands.
func listenLiveReload(ctx context.Context, dir string, port int, _ string, events chan<- string) error {
	// hugo server puts its LiveReload endpoint under the base path.
	ws, err := websocket.Dial(fmt.Sprintf("ws://127.0.0.1:%d%slivereload", port, hugoBasePath(dir)), "", fmt.Sprintf("http://127.0.0.1:%d/", port))
	if err != nil {
		return err
	}
	defer ws.Close()
	go func() { <-ctx.Done(); ws.Close() }()
	websocket.JSON.Send(ws, map[string]any{"command": "hello", "protocols": []string{"http://livereload.com/protocols/official-7"}})
	for {
		var msg map[string]any
		if err := websocket.JSON.Receive(ws, &msg); err != nil {
			return err
		}
		if msg["command"] == "reload" {
			events <- "reload"
		}
	}
}

// hugoBasePath reads the path of baseURL from a Hugo site's hugo.toml.
func hugoBasePath(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "hugo.toml"))
	if err != nil {
		return "/"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "baseURL" {
			u := strings.Trim(strings.TrimSpace(v), `"`)
			if i := strings.Index(u, "://"); i >= 0 {
				u = u[i+3:]
				if j := strings.IndexByte(u, '/'); j >= 0 {
					return "/" + strings.Trim(u[j:], "/") + "/"
				}
			}
		}
	}
	return "/"
}

// basePath finds the path a server serves the site under: lanmu redirects
// "/" to it.
func basePath(port int) string {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
	if err != nil {
		return "/"
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "/") {
		return loc
	}
	return "/"
}

func waitUp(port int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
		if err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.New("the server did not come up")
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// get fetches a URL as a browser reloading would.
func get(u string) (string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

func appendTo(file, text string) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func drain(events chan string) {
	for {
		select {
		case <-events:
		default:
			return
		}
	}
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2].Round(time.Millisecond)
}

func ratio(r map[string]map[string][]time.Duration, kind string) float64 {
	h := median(r["hugo"][kind])
	if h == 0 {
		return 0
	}
	return float64(median(r["lanmu"][kind])) / float64(h)
}
