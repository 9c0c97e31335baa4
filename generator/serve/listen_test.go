package serve

import (
	"context"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestListenPortInUse(t *testing.T) {
	taken, err := Listen("127.0.0.1", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port

	_, err = Listen("127.0.0.1", port, false)
	if err == nil {
		t.Fatal("listened on a port in use")
	}
	msg := err.Error()
	if !strings.Contains(msg, strconv.Itoa(port)) || !strings.Contains(msg, "in use") || !strings.Contains(msg, "--port") {
		t.Errorf("unhelpful error: %s", msg)
	}

	ln, err := Listen("127.0.0.1", port, true)
	if err != nil {
		// The next 20 ports may all be busy on a crowded machine, but then
		// the error must still say what to do.
		if !strings.Contains(err.Error(), "--port") {
			t.Fatalf("next: %v", err)
		}
		t.Skipf("no free port after %d: %v", port, err)
	}
	defer ln.Close()
	got := ln.Addr().(*net.TCPAddr).Port
	if got == port || got < port || got > port+nextPorts {
		t.Errorf("next port %d, asked for %d", got, port)
	}
}

func TestListenBadPort(t *testing.T) {
	for _, p := range []int{-1, 70000} {
		if _, err := Listen("127.0.0.1", p, false); err == nil || !strings.Contains(err.Error(), "--port") {
			t.Errorf("port %d: %v", p, err)
		}
	}
}

// Serve stops promptly when its context ends, even with a browser
// connected to the event stream, and leaves no goroutine behind.
func TestServeShutdown(t *testing.T) {
	before := runtime.NumGoroutine()

	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf})
	s.Publish(testSite(), Change{})
	ln, err := Listen("127.0.0.1", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	transport := &http.Transport{}
	client := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()

	resp, err := client.Get(base + "/xxjy/readings/a/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "reading a") {
		t.Fatalf("page: %d %s", resp.StatusCode, body)
	}

	stream, err := client.Get(base + "/xxjy/__lanmu/events")
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 64)
	if _, err := stream.Body.Read(first); err != nil {
		t.Fatalf("event stream: %v", err)
	}
	waitFor(t, time.Second, "client registered", func() bool { return s.hub.count() == 1 })
	streamDone := make(chan struct{})
	go func() {
		io.Copy(io.Discard, stream.Body)
		stream.Body.Close()
		close(streamDone)
	}()

	start := time.Now()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Serve did not return within 2s of cancel")
	}
	t.Logf("Serve returned in %v", time.Since(start))
	select {
	case <-streamDone:
	case <-time.After(2 * time.Second):
		t.Error("the event stream was not closed")
	}
	if n := s.hub.count(); n != 0 {
		t.Errorf("%d clients left", n)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still listening")
	}
	transport.CloseIdleConnections()

	var now int
	deadline := time.Now().Add(2 * time.Second)
	for {
		now = runtime.NumGoroutine()
		if now <= before || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if now > before {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after\n%s", before, now, buf[:runtime.Stack(buf, true)])
	}
}

// Serve reports a listener that fails instead of pretending to serve.
func TestServeClosedListener(t *testing.T) {
	s := New(Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background(), ln) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("no error for a closed listener")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Serve hung on a closed listener")
	}
}

// Browsers open connections ahead of need; one that never carried a request
// must not hold up stopping serve (http.Server.Shutdown alone waits five
// seconds for it).
func TestServeShutdownWithUnusedConnection(t *testing.T) {
	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf})
	s.Publish(testSite(), Change{})
	ln, err := Listen("127.0.0.1", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	unused, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()
	// And one that has been used and now waits for its next request.
	idle, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	io.WriteString(idle, "GET /xxjy/readings/a/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle.Read(make([]byte, 4096)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // let the server see both

	start := time.Now()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("Serve waited for a connection that never sent a request")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Serve took %v to stop", d)
	}
	unused.SetReadDeadline(time.Now().Add(2 * time.Second))
	if n, err := unused.Read(make([]byte, 1)); err == nil || n != 0 {
		t.Errorf("the unused connection is still open: %d, %v", n, err)
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Error("the unused connection was not closed")
	}
}

// Over real HTTP, serve answers requests for localhost, an IP address and
// the name it was told to listen on, and refuses any other Host, as a page
// of another site reaching 127.0.0.1 through DNS rebinding would send.
func TestServeRefusesOtherHosts(t *testing.T) {
	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf, Bind: "preview.lan"})
	s.Publish(testSite(), Change{})
	ln, err := Listen("127.0.0.1", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-served }()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	client := &http.Client{Timeout: 10 * time.Second}
	for host, want := range map[string]int{
		"127.0.0.1:" + port: 200, "localhost:" + port: 200, "LOCALHOST": 200, "[::1]:" + port: 200,
		"preview.lan:" + port: 200, "192.168.1.20:" + port: 200,
		"evil.example:" + port: 403, "localhost.evil.example": 403, "127.0.0.1.nip.io:" + port: 403,
	} {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/xxjy/readings/a/", nil)
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
		if want == 403 && strings.Contains(string(body), "reading a") {
			t.Errorf("Host %s: the page was sent with the refusal", host)
		}
	}
}
