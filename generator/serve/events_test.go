package serve

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

type eventData struct {
	Version uint64   `json:"version"`
	Server  string   `json:"server"`
	Paths   []string `json:"paths"`
	Errors  int      `json:"errors"`
}

func decode(t *testing.T, ev sseEvent) eventData {
	t.Helper()
	var d eventData
	if err := json.Unmarshal([]byte(ev.data), &d); err != nil {
		t.Fatalf("event %s: data %q: %v", ev.name, ev.data, err)
	}
	return d
}

func expect(t *testing.T, c *sseClient, name string) eventData {
	t.Helper()
	ev := c.next(t)
	if ev.name != name {
		t.Fatalf("got event %s %s, want %s", ev.name, ev.data, name)
	}
	return decode(t, ev)
}

func TestEvents(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	site := testSite()
	s.Publish(site, Change{})

	a := openEvents(t, ts.URL+"/xxjy/__lanmu/events")
	b := openEvents(t, ts.URL+"/xxjy/__lanmu/events")
	for _, c := range []*sseClient{a, b} {
		if d := expect(t, c, "hello"); d.Version != 1 || d.Server != s.id || d.Errors != 0 {
			t.Fatalf("hello: %+v", d)
		}
	}
	waitFor(t, time.Second, "two clients registered", func() bool { return s.hub.count() == 2 })

	last := uint64(1)
	check := func(d eventData) {
		t.Helper()
		if d.Version <= last {
			t.Errorf("version %d after %d", d.Version, last)
		}
		last = d.Version
	}

	// An HTML change reloads.
	s.Publish(site, Change{Paths: []string{"/readings/a/index.html", "/css/a.css"}})
	da, db := expect(t, a, "reload"), expect(t, b, "reload")
	check(da)
	if db.Version != da.Version {
		t.Errorf("clients disagree: %d, %d", da.Version, db.Version)
	}

	// Everything (nil) reloads.
	s.Publish(site, Change{})
	check(expect(t, a, "reload"))
	expect(t, b, "reload")

	// Only stylesheets: swapped in place.
	s.Publish(site, Change{Paths: []string{"/css/a.css", "css/b.CSS", "/css/a.css"}})
	d := expect(t, a, "css")
	check(d)
	if !slices.Equal(d.Paths, []string{"/css/a.css", "/css/b.CSS"}) {
		t.Errorf("css paths %q", d.Paths)
	}
	if d := expect(t, b, "css"); !slices.Contains(d.Paths, "/css/a.css") {
		t.Errorf("client b: css paths %q", d.Paths)
	}

	// Errors.
	s.ShowErrors([]Problem{{File: "content/news/a.md", Line: 3, Col: 1, Msg: "bad date"}})
	d = expect(t, a, "errors")
	check(d)
	if d.Errors != 1 {
		t.Errorf("errors event: %+v", d)
	}
	expect(t, b, "errors")
	s.ShowErrors(nil)
	d = expect(t, a, "errors")
	check(d)
	if d.Errors != 0 {
		t.Errorf("cleared: %+v", d)
	}
	expect(t, b, "errors")

	// A CSS-only fix of an error also clears the overlay.
	s.ShowErrors([]Problem{{Msg: "broken"}})
	expect(t, a, "errors")
	expect(t, b, "errors")
	s.Publish(site, Change{Paths: []string{"/css/a.css"}})
	if d := expect(t, a, "css"); d.Errors != 0 {
		t.Errorf("css after errors: %+v", d)
	}
	expect(t, b, "css")

	// An empty list changes nothing on the page, but still brings it to
	// the new version.
	s.Publish(site, Change{Paths: []string{}})
	if d := expect(t, a, "css"); len(d.Paths) != 0 {
		t.Errorf("empty change: %+v", d)
	}

	// A client that goes away is removed.
	a.close()
	waitFor(t, time.Second, "client removed", func() bool { return s.hub.count() == 1 })
	b.close()
	waitFor(t, time.Second, "client removed", func() bool { return s.hub.count() == 0 })
	s.Publish(site, Change{}) // nobody left to tell; must not block
}

// A browser that reconnects learns the current version in its first
// message, so a page that missed a build can reload.
func TestHelloCarriesCurrentState(t *testing.T) {
	s, ts := newTestServer(t, "/")
	s.Publish(testSite(), Change{})
	s.Publish(testSite(), Change{})
	s.ShowErrors([]Problem{{Msg: "x"}, {Msg: "y"}})
	c := openEvents(t, ts.URL+"/__lanmu/events")
	if d := expect(t, c, "hello"); d.Version != 3 || d.Errors != 2 {
		t.Errorf("hello: %+v", d)
	}
	// The page served now carries the same version.
	if r := fetch(t, "GET", ts.URL+"/"); !strings.Contains(r.body, `data-lanmu-version="3"`) {
		t.Errorf("page version: %s", r.body)
	}
}

// A browser whose page is from a build that only stylesheets have changed
// since (it was loading when a stylesheet was saved) is sent those
// stylesheets before hello, so it restyles instead of reloading; one that
// missed any other change, or is from another serve, gets hello alone.
func TestMissedStylesheetsRestyle(t *testing.T) {
	s, ts := newTestServer(t, "/")
	s.Publish(testSite(), Change{})                              // 1
	s.Publish(testSite(), Change{Paths: []string{"/css/a.css"}}) // 2
	s.Publish(testSite(), Change{Paths: []string{"css/b.css"}})  // 3
	s.Publish(testSite(), Change{Paths: []string{"/css/a.css"}}) // 4
	events := func(query string) *sseClient { return openEvents(t, ts.URL+"/__lanmu/events?page=/"+query) }

	c := events("&v=1&s=" + s.id)
	if d := expect(t, c, "css"); d.Version != 4 || !slices.Equal(d.Paths, []string{"/css/a.css", "/css/b.css"}) {
		t.Errorf("the stylesheets missed: %+v", d)
	}
	if d := expect(t, c, "hello"); d.Version != 4 {
		t.Errorf("hello after them: %+v", d)
	}
	c.close()
	for _, query := range []string{"&v=0&s=" + s.id, "&v=1&s=another-serve", "&v=4&s=" + s.id, ""} {
		c := events(query)
		if d := expect(t, c, "hello"); d.Version != 4 {
			t.Errorf("%q: hello %+v", query, d)
		}
		c.close()
	}
	// Errors shown in between need the page's overlay: a reload.
	s.ShowErrors([]Problem{{Msg: "x"}})                          // 5
	s.Publish(testSite(), Change{Paths: []string{"/css/a.css"}}) // 6
	c = events("&v=4&s=" + s.id)
	if d := expect(t, c, "hello"); d.Version != 6 {
		t.Errorf("after errors: hello %+v", d)
	}
	c.close()
}

func TestHeartbeat(t *testing.T) {
	s := New(Options{BasePath: "/"})
	s.heartbeat = 20 * time.Millisecond
	ts := newHTTPTest(t, s)
	c := openEvents(t, ts+"/__lanmu/events")
	expect(t, c, "hello")
	timeout := time.After(5 * time.Second)
	for beats := 0; beats < 2; {
		select {
		case ev := <-c.events:
			if ev.name == ":" {
				beats++
			}
		case <-timeout:
			t.Fatal("no heartbeat")
		}
	}
}

func TestEventsHead(t *testing.T) {
	_, ts := newTestServer(t, "/")
	r := fetch(t, "HEAD", ts.URL+"/__lanmu/events")
	if r.status != 200 || r.header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("HEAD events: %d %v", r.status, r.header)
	}
}

// A browser that does not keep up must not hold up Publish, and must end
// up reloading rather than missing an update.
func TestSlowClientResyncs(t *testing.T) {
	var h hub
	h.logf = t.Logf
	slow := h.add("")
	fast := h.add("")
	done := make(chan struct{})
	go func() {
		for i := uint64(1); i <= 3*clientBuffer; i++ {
			h.broadcast(eventCSS(i, []string{"/a.css"}), i)
			<-fast.ch
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("broadcast blocked on a slow client")
	}
	var got []string
	for len(slow.ch) > 0 {
		got = append(got, string(<-slow.ch))
	}
	if len(got) == 0 || len(got) > clientBuffer {
		t.Fatalf("slow client has %d queued", len(got))
	}
	// Whatever is queued, a reload to a version at least as new as the
	// last one dropped is among it.
	found := false
	for _, m := range got {
		if strings.HasPrefix(m, "event: reload\n") {
			found = true
		}
	}
	if !found {
		t.Errorf("no reload queued after overflow: %q", got)
	}
	last := got[len(got)-1]
	if !strings.Contains(last, `"version":24`) {
		t.Errorf("last queued event is not the newest version: %q", last)
	}
	h.remove(slow)
	h.remove(fast)
	if h.count() != 0 {
		t.Error("clients left")
	}
}

// newHTTPTest serves an already configured Server and returns its URL.
func newHTTPTest(t *testing.T, s *Server) string {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}
