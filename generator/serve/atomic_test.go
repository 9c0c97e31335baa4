package serve

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// versionPage is a page large enough that a response torn between two
// versions would be caught, with its version all through it.
func versionPage(name string, v int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>%s</title></head><body>", name)
	for range 500 {
		fmt.Fprintf(&b, "<p>v=%d</p>", v)
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

var (
	contentVersion = regexp.MustCompile(`v=(\d+)`)
	tagVersion     = regexp.MustCompile(`data-lanmu-version="(\d+)"`)
)

// pageVersion checks that body is one complete version, whose injected
// script names the same version, and returns it.
func pageVersion(body string) (int, error) {
	var v int = -1
	for _, m := range contentVersion.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[1])
		if v >= 0 && n != v {
			return 0, fmt.Errorf("versions %d and %d in one page", v, n)
		}
		v = n
	}
	if n := strings.Count(body, "<p>v="); n != 500 {
		return 0, fmt.Errorf("%d paragraphs, want 500", n)
	}
	tags := tagVersion.FindAllStringSubmatch(body, -1)
	if len(tags) != 1 || tags[0][1] != strconv.Itoa(v) {
		return 0, fmt.Errorf("page of version %d has script tags %q", v, tags)
	}
	return v, nil
}

func TestPublishIsAtomic(t *testing.T) {
	s, ts := newTestServer(t, "/")
	publish := func(v int) {
		s.Publish(map[string][]byte{
			"/a/index.html": versionPage("a", v),
			"/b/index.html": versionPage("b", v),
		}, Change{})
	}
	publish(1)

	client := &http.Client{Timeout: 10 * time.Second}
	get := func(path string) (int, error) {
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, err
		}
		if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
			return 0, fmt.Errorf("Content-Length %s for %d bytes", cl, len(body))
		}
		return pageVersion(string(body))
	}

	var stop atomic.Bool
	var fetches atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := 0
			for !stop.Load() {
				va, err := get("/a/")
				if err != nil {
					errs <- fmt.Errorf("/a/: %v", err)
					return
				}
				vb, err := get("/b/")
				if err != nil {
					errs <- fmt.Errorf("/b/: %v", err)
					return
				}
				// Versions only move forward, also from one page to the next.
				if va < seen || vb < va {
					errs <- fmt.Errorf("went back: saw %d, then a=%d, b=%d", seen, va, vb)
					return
				}
				seen = vb
				fetches.Add(2)
			}
		}()
	}
	for v := 2; v <= 200; v++ {
		publish(v)
		if v%20 == 0 {
			time.Sleep(time.Millisecond) // let readers in between bursts
		}
	}
	t.Logf("%d pages fetched while publishing", fetches.Load())
	// Readers keep going a little, and must see the last version.
	waitFor(t, 5*time.Second, "readers see the last version", func() bool {
		v, err := get("/a/")
		return err == nil && v == 200
	})
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if fetches.Load() == 0 {
		t.Error("no page fetched")
	}
}
