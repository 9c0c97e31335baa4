package serve

import (
	"io"
	"net/http"
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
		"/search/index.json": func() []byte { <-ready; return []byte(`{"new":true}`) },
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
