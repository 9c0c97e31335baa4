package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clientBuffer is how many events a browser may fall behind before its
// queue is replaced by one reload. Builds come at typing speed, so a
// browser that is this far behind is stuck, and a reload is all it needs.
const clientBuffer = 8

// hub fans events out to the connected browsers.
type hub struct {
	logf    func(format string, args ...any)
	mu      sync.Mutex
	clients map[*client]struct{}
}

type client struct {
	ch chan []byte // formatted SSE messages
	// page is the site path of the page the browser shows
	// ("/news/a/index.html"), or "".
	page string
}

func (h *hub) add(page string) *client {
	c := &client{ch: make(chan []byte, clientBuffer), page: page}
	h.mu.Lock()
	if h.clients == nil {
		h.clients = make(map[*client]struct{})
	}
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// pages lists the pages the connected browsers show, each once.
func (h *hub) pages() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for c := range h.clients {
		if c.page != "" && !slices.Contains(out, c.page) {
			out = append(out, c.page)
		}
	}
	return out
}

// count reports how many browsers are connected; tests use it to see that
// a browser that went away was cleaned up.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// broadcast queues msg for every browser without ever waiting for one, so a
// slow browser cannot hold up Publish.
func (h *hub) broadcast(msg []byte, version uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.ch <- msg:
		default:
			// Its queued events are stale anyway: replace them with one
			// reload, which brings the page fully up to date. We are the
			// only sender and hold the lock, so after draining there is
			// room.
			for drained := false; !drained; {
				select {
				case <-c.ch:
				default:
					drained = true
				}
			}
			c.ch <- eventReload(version)
			h.logf("serve: a browser fell behind; it will reload")
		}
	}
}

// The events. Every one carries the version it brings the page to, so that
// a page knows which version it shows; the script compares it when it
// reconnects.

func eventReload(version uint64) []byte {
	return event("reload", struct {
		Version uint64 `json:"version"`
	}{version})
}

func eventCSS(version uint64, paths []string) []byte {
	return event("css", struct {
		Version uint64   `json:"version"`
		Paths   []string `json:"paths"`
		Errors  int      `json:"errors"` // always 0: a Publish clears them
	}{version, paths, 0})
}

func eventErrors(version uint64, n int) []byte {
	return event("errors", struct {
		Version uint64 `json:"version"`
		Errors  int    `json:"errors"`
	}{version, n})
}

func eventHello(version uint64, server string, n int) []byte {
	return event("hello", struct {
		Version uint64 `json:"version"`
		Server  string `json:"server"`
		Errors  int    `json:"errors"`
	}{version, server, n})
}

func event(name string, data any) []byte {
	// json.Marshal never writes a newline, which would end the data field.
	b, err := json.Marshal(data)
	if err != nil {
		panic(err) // only fixed struct types are passed
	}
	return fmt.Appendf(nil, "event: %s\ndata: %s\n\n", name, b)
}

// Shown lists the site files the connected browsers show
// ("/news/a/index.html"), for a build to make first.
func (s *Server) Shown() []string { return s.hub.pages() }

// shownPage turns the URL path a browser reports into the site file it
// shows, or "" when it is not a page of the site.
func shownPage(base, urlPath string) string {
	rest, ok := strings.CutPrefix(urlPath, base)
	if !ok || badPath(urlPath) {
		return ""
	}
	rest = "/" + rest
	if strings.HasSuffix(rest, "/") {
		rest += "index.html"
	}
	return rest
}

// events streams the events to one browser until it goes away or the
// server shuts down (Serve cancels every request's context).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	// Proxies such as nginx buffer responses unless told not to, which
	// would hold events back.
	h.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		return
	}
	rc := http.NewResponseController(w)

	// Register before reading the snapshot: a Publish stores its snapshot
	// before it broadcasts, so whatever happens in between, this browser
	// either sees the new version in hello or receives its event.
	snap := s.snap.Load()
	c := s.hub.add(shownPage(snap.base, r.URL.Query().Get("page")))
	defer s.hub.remove(c)
	snap = s.snap.Load()

	// The server's WriteTimeout, set once per request, would fail the
	// first write after it, so every event gets a deadline of its own.
	// (net/http already lifts the read deadline while a handler runs.)
	wait := s.limits.WriteTimeout
	// The end of the chunked body is written after we return; it must not
	// wait forever on a peer that stopped reading either.
	defer func() { rc.SetWriteDeadline(time.Now().Add(wait)) }()
	send := func(msg []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(wait))
		if _, err := w.Write(msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}

	// A page from a build that only stylesheets have changed since (it
	// was still loading when one was saved) restyles, and then hears that
	// it is up to date.
	q := r.URL.Query()
	if from, err := strconv.ParseUint(q.Get("v"), 10, 64); err == nil && q.Get("s") == s.id && from < snap.version {
		if paths, ok := s.restylesSince(from, snap.version); ok && !send(eventCSS(snap.version, paths)) {
			return
		}
	}
	// retry makes a browser come back quickly after serve restarts.
	hello := append([]byte("retry: 1000\n"), eventHello(snap.version, s.id, len(snap.problems))...)
	if !send(hello) {
		return
	}
	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg := <-c.ch:
			if !send(msg) {
				return
			}
		case <-tick.C:
			// A comment line: browsers ignore it, proxies see traffic and
			// keep the stream open, and a dead peer is noticed.
			if !send([]byte(": ping\n\n")) {
				return
			}
		}
	}
}
