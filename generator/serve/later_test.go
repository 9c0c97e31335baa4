package serve

import (
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// A file still being made when the site is published is waited for, never
// answered from the build before.
func TestLaterFilesAreWaitedFor(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	old := testSite()
	old["/search/index.json"] = []byte(`{"old":true}`)
	s.Publish(old, Change{})

	ready := make(chan struct{})
	site := testSite()
	s.Publish(site, Change{Later: map[string]func() []byte{
		"/search/index.json":  func() []byte { <-ready; return []byte(`{"new":true}`) },
		"/search/failed.json": func() []byte { return nil },
	}})
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(ts.URL + "/xxjy/search/index.json")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		got <- string(body)
	}()
	select {
	case body := <-got:
		t.Fatalf("answered before the file was made: %s", body)
	case <-time.After(200 * time.Millisecond):
	}
	close(ready)
	select {
	case body := <-got:
		if body != `{"new":true}` {
			t.Errorf("answered %s", body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no answer 10 s after the file was made")
	}
	resp, err := http.Get(ts.URL + "/xxjy/search/failed.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a file that could not be made answers %s", resp.Status)
	}
}

// A file whose name is known only once it is made (a search shard named
// by its content) is waited for too, and one never made is not found.
func TestUnnamedFilesAreWaitedFor(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	ready := make(chan struct{})
	s.Publish(testSite(), Change{Unnamed: func(p string) ([]byte, bool) {
		<-ready
		if p == "/search/tokens/0-abc.json" {
			return []byte(`{"党员":"A"}`), true
		}
		return nil, false
	}})
	get := func(p string) (int, string) {
		resp, err := http.Get(ts.URL + "/xxjy" + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	type answer struct {
		code int
		body string
	}
	got := make(chan answer, 1)
	go func() { code, body := get("/search/tokens/0-abc.json"); got <- answer{code, body} }()
	select {
	case a := <-got:
		t.Fatalf("answered before the file was made: %v", a)
	case <-time.After(200 * time.Millisecond):
	}
	close(ready)
	if a := <-got; a.code != http.StatusOK || a.body != `{"党员":"A"}` {
		t.Errorf("answered %v", a)
	}
	if code, _ := get("/search/tokens/1-def.json"); code != http.StatusNotFound {
		t.Errorf("a file never made answers %d", code)
	}
	if code, _ := get("/readings/a/"); code != http.StatusOK {
		t.Errorf("a page published at once answers %d", code)
	}
}

// A browser's event stream names the page it shows, so that a build can
// make that page first.
func TestShownPages(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	s.Publish(testSite(), Change{})
	for _, page := range []string{"/xxjy/readings/a/", "/xxjy/readings/a/", "/elsewhere/", "/xxjy/readings/plain.html"} {
		resp, err := http.Get(ts.URL + "/xxjy/__lanmu/events?page=" + page)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		buf := make([]byte, 1)
		resp.Body.Read(buf) // the hello: the browser is registered
	}
	got := s.Shown()
	slices.Sort(got)
	if want := []string{"/readings/a/index.html", "/readings/plain.html"}; !slices.Equal(got, want) {
		t.Errorf("shown %v, want %v", got, want)
	}
}
