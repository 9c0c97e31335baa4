// Package serve is the HTTP side of `lanmu serve`: it serves a site built
// into memory to editors previewing their Markdown, and keeps their browsers
// up to date while they type.
//
// The site lives in an immutable snapshot that Publish replaces in one step,
// so a request never mixes two builds. Every HTML page gets a small script
// (and, after a failed build, an error overlay) injected on the way out; the
// script listens on a Server-Sent Events stream and reloads the page, swaps
// changed stylesheets in place, or shows the build errors. Nothing of this is
// ever written into a built site: it exists only in the responses of serve.
//
// Missing pages get a 404 that helps an editor find the page they meant, and
// that reloads by itself once the page is built.
package serve

import (
	"maps"
	"net/http"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Server.
type Options struct {
	// BasePath is the site's base path with leading and trailing slash, e.g.
	// "/xxjy/" or "/"; the site is served under it and "/" redirects to it.
	// Missing slashes are added.
	BasePath string
	// Logf receives the few things worth telling the person running serve;
	// nil discards them.
	Logf func(format string, args ...any)
	// Limits bound what a slow, stalled or hostile client can hold on to;
	// zero fields take the defaults of DefaultLimits.
	Limits Limits
	// Bind is the address serve listens on as the user gave it. Requests
	// whose Host names it, localhost or an IP address are answered; any
	// other name is refused, so that a web page whose name an attacker
	// points at 127.0.0.1 (DNS rebinding) cannot read the preview.
	Bind string
	// Edit, when set, answers every request under EditPath, whatever its
	// method, after the Host check: the editing interface of serve --edit,
	// which guards its own writes.
	Edit http.Handler
}

// EditPath is where Options.Edit is served, the same whatever the site's
// base path, which lanmu.toml may change while serve runs.
const EditPath = "/__lanmu/edit/"

// Limits are the HTTP server's timeouts and sizes.
type Limits struct {
	// ReadHeaderTimeout is how long a client may take to send a request's
	// headers; it cuts off slow-loris clients that trickle them.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client may take to send a whole request;
	// it ends once the request is read, so the event stream, open for
	// hours, is not bound by it.
	ReadTimeout time.Duration
	// WriteTimeout is how long a response may go without progress: every
	// slice of a file and every event gets this long to reach the client,
	// so a peer that stops reading is dropped while a slow one that keeps
	// reading (a video on weak Wi-Fi) is not.
	WriteTimeout time.Duration
	// IdleTimeout is how long a kept-alive connection may wait for its
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the size of a request's headers.
	MaxHeaderBytes int
}

// DefaultLimits are generous for an editor's browser on the same machine
// or the office network, and still free a connection that hangs.
var DefaultLimits = Limits{
	ReadHeaderTimeout: 5 * time.Second,
	ReadTimeout:       15 * time.Second,
	WriteTimeout:      30 * time.Second,
	IdleTimeout:       2 * time.Minute,
	MaxHeaderBytes:    64 << 10,
}

// orDefault fills the zero fields of l from DefaultLimits.
func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.ReadHeaderTimeout > 0 {
		d.ReadHeaderTimeout = l.ReadHeaderTimeout
	}
	if l.ReadTimeout > 0 {
		d.ReadTimeout = l.ReadTimeout
	}
	if l.WriteTimeout > 0 {
		d.WriteTimeout = l.WriteTimeout
	}
	if l.IdleTimeout > 0 {
		d.IdleTimeout = l.IdleTimeout
	}
	if l.MaxHeaderBytes > 0 {
		d.MaxHeaderBytes = l.MaxHeaderBytes
	}
	return d
}

// Change says what a new version changed, so browsers do the least work.
type Change struct {
	// Paths are the site paths of the outputs that changed
	// ("/css/lanmu.css", "/readings/a/index.html"); nil means "everything".
	Paths []string
	// BasePath, when set, is the site's new base path: lanmu.toml changed
	// it, and the site is now served there.
	BasePath string
	// Later are files of the site still being made, each with a function
	// that waits for its bytes (nil if it could not be made): a request
	// for one waits, so that it is never answered from an older build.
	Later map[string]func() []byte
	// Unnamed, when set, waits for the files still being made and returns
	// one that Later could not name beforehand (a file whose name holds a
	// hash of its content: the search index's shards), if it was made.
	Unnamed func(p string) ([]byte, bool)
}

// Problem is a build error to show in the overlay.
type Problem struct {
	File      string // site-relative source path, e.g. "content/news/a.md"
	Line, Col int    // 1-based; 0 when unknown. Col counts characters.
	Msg       string
	// Warning marks what would not fail a build by itself (raw HTML left
	// out) but came with errors that did.
	Warning bool
	Source  []SourceLine // the lines around Line, may be empty
}

// SourceLine is one line of source shown under a Problem.
type SourceLine struct {
	N     int
	Text  string
	Error bool // marks the problem's line
}

// Server serves one in-memory site. Its methods are safe for concurrent use.
type Server struct {
	logf   func(format string, args ...any)
	limits Limits
	bind   string // see Options.Bind
	edit   http.Handler
	// id tells this process apart from an earlier serve, whose version
	// numbers a still-open browser tab may carry and which can coincide with
	// ours.
	id string

	snap atomic.Pointer[snapshot]
	// mu serialises Publish and ShowErrors so that versions and events go
	// out in order; readers never take it.
	mu sync.Mutex

	hub       hub
	heartbeat time.Duration
	// restyles are the recent versions that only changed stylesheets, with
	// their paths, so that a browser connecting from the version before
	// them (a page still loading when the stylesheet was saved) restyles
	// instead of reloading. Guarded by mu.
	restyles []restyle
}

// restyle is a version published with only stylesheets changed.
type restyle struct {
	version uint64
	paths   []string
}

// maxRestyles bounds the remembered restyles: a browser that missed more
// saves than that reloads.
const maxRestyles = 32

// restylesSince returns the stylesheets changed from version from to to,
// when every version between changed only stylesheets.
func (s *Server) restylesSince(from, to uint64) ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var paths []string
	for v := from + 1; v <= to; v++ {
		i := slices.IndexFunc(s.restyles, func(r restyle) bool { return r.version == v })
		if i < 0 {
			return nil, false
		}
		for _, p := range s.restyles[i].paths {
			if !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
	}
	return paths, true
}

// snapshot is one version of everything a request needs. It is never
// modified after it is stored, so a request that loads it once sees one
// consistent build for its whole response.
type snapshot struct {
	// base is the site's base path, "/xxjy/": it follows lanmu.toml.
	base string
	// later are the files still being made (see Change.Later).
	later    map[string]func() []byte
	unnamed  func(p string) ([]byte, bool) // see Change.Unnamed
	files    map[string][]byte
	version  uint64
	problems []Problem
	overlay  []byte // the rendered overlay; nil when there are no problems
	inject   []byte // overlay and live script, inserted into every HTML page
	// pages lists the URL paths of the HTML pages, sorted, for the 404
	// page; it is worked out when a 404 first asks, not on every save.
	pages func() []string
}

// New returns a Server with an empty site; until the first Publish every
// page is a 404 that reloads once the site is there.
func New(opts Options) *Server {
	s := &Server{
		logf:      opts.Logf,
		limits:    opts.Limits.orDefault(),
		id:        strconv.FormatInt(time.Now().UnixNano(), 36),
		heartbeat: 15 * time.Second,
		bind:      opts.Bind,
		edit:      opts.Edit,
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	s.hub.logf = s.logf
	s.snap.Store(s.newSnapshot(normalizeBase(opts.BasePath), map[string][]byte{}, 0, nil, nil))
	return s
}

func normalizeBase(b string) string {
	b = strings.Trim(b, "/")
	if b == "" {
		return "/"
	}
	return "/" + b + "/"
}

// Publish atomically replaces the whole site (site paths such as
// "/readings/a/index.html" to their bytes) and tells connected browsers: a
// full page reload, unless every changed path is a .css file, in which case
// browsers swap those stylesheets in place. It also clears any errors shown,
// since a successful build has fixed them.
//
// Publish keeps its own copy of the map, so the caller may reuse it, but not
// the byte slices, which must not be changed afterwards.
func (s *Server) Publish(files map[string][]byte, change Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	files = maps.Clone(files)
	if files == nil {
		files = map[string][]byte{}
	}
	prev := s.snap.Load()
	base := prev.base
	if change.BasePath != "" {
		base = normalizeBase(change.BasePath)
	}
	next := s.newSnapshot(base, files, prev.version+1, nil, nil)
	next.later, next.unnamed = change.Later, change.Unnamed
	s.snap.Store(next)

	if css, ok := onlyCSS(change.Paths); ok {
		s.restyles = append(s.restyles, restyle{next.version, css})
		if len(s.restyles) > maxRestyles {
			s.restyles = slices.Delete(s.restyles, 0, len(s.restyles)-maxRestyles)
		}
		s.hub.broadcast(eventCSS(next.version, css), next.version)
	} else {
		s.hub.broadcast(eventReload(next.version), next.version)
	}
}

// onlyCSS returns the changed paths, cleaned, when all of them are
// stylesheets. An empty but non-nil list counts: nothing to reload, and the
// event still moves browsers to the new version and clears their overlay.
func onlyCSS(paths []string) ([]string, bool) {
	if paths == nil {
		return nil, false
	}
	seen := make(map[string]bool, len(paths))
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		if !strings.EqualFold(path.Ext(p), ".css") {
			return nil, false
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, true
}

// ShowErrors keeps serving the last published site but overlays the
// problems on every HTML page, and tells browsers to show them now.
// ShowErrors(nil) clears them.
func (s *Server) ShowErrors(problems []Problem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.snap.Load()
	var overlay []byte
	if len(problems) > 0 {
		problems = cloneProblems(problems)
		overlay = renderOverlay(problems)
	} else {
		problems = nil
	}
	next := s.newSnapshotPages(prev.base, prev.files, prev.version+1, problems, overlay, prev.pages)
	next.later, next.unnamed = prev.later, prev.unnamed
	s.snap.Store(next)
	s.hub.broadcast(eventErrors(next.version, len(problems)), next.version)
}

// cloneProblems copies the problems deeply enough that the caller reusing
// its slices cannot change what a stored snapshot shows.
func cloneProblems(ps []Problem) []Problem {
	out := make([]Problem, len(ps))
	for i, p := range ps {
		p.Source = append([]SourceLine(nil), p.Source...)
		out[i] = p
	}
	return out
}

func (s *Server) newSnapshot(base string, files map[string][]byte, version uint64, problems []Problem, overlay []byte) *snapshot {
	return s.newSnapshotPages(base, files, version, problems, overlay, sync.OnceValue(func() []string { return listPages(files) }))
}

func (s *Server) newSnapshotPages(base string, files map[string][]byte, version uint64, problems []Problem, overlay []byte, pages func() []string) *snapshot {
	inject := make([]byte, 0, len(overlay)+160)
	inject = append(inject, overlay...)
	inject = append(inject, s.scriptTag(base, version)...)
	if s.edit != nil {
		// The 编辑 link; the script answers only a browser in the
		// editing session.
		inject = append(inject, `<script src="`+EditPath+`link.js" defer></script>`...)
	}
	return &snapshot{
		base:     base,
		files:    files,
		version:  version,
		problems: problems,
		overlay:  overlay,
		inject:   inject,
		pages:    pages,
	}
}

// listPages returns the URL paths (relative to the base, with a leading
// slash) of the HTML pages a 404 may suggest.
func listPages(files map[string][]byte) []string {
	var pages []string
	for p := range files {
		switch {
		case p == "/404.html":
		case strings.HasSuffix(p, "/index.html"):
			pages = append(pages, strings.TrimSuffix(p, "index.html"))
		case strings.HasSuffix(p, ".html"):
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	return pages
}
