package serve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// shortLimits make every timeout small enough to see it act in a test.
var shortLimits = Limits{
	ReadHeaderTimeout: 200 * time.Millisecond,
	ReadTimeout:       300 * time.Millisecond,
	WriteTimeout:      300 * time.Millisecond,
	IdleTimeout:       300 * time.Millisecond,
	MaxHeaderBytes:    4 << 10,
}

// serveReal runs s.Serve, with its real http.Server and timeouts, on a
// loopback port until the test ends, and returns the address.
func serveReal(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := Listen("127.0.0.1", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, s, ln)
}

func serveOn(t *testing.T, s *Server, ln net.Listener) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Serve did not stop")
		}
	})
	return ln.Addr().String()
}

// smallSendBuffers gives every accepted connection a small send buffer.
// Linux grows it to megabytes otherwise, and wakes a blocked writer only
// once half of it has drained, so the server's writes would say little
// about how fast the client reads.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(32 << 10)
	}
	return c, err
}

func TestDefaultLimits(t *testing.T) {
	l := New(Options{}).limits
	if l != DefaultLimits {
		t.Errorf("zero Limits give %+v, want %+v", l, DefaultLimits)
	}
	if l.ReadHeaderTimeout <= 0 || l.ReadTimeout <= 0 || l.WriteTimeout <= 0 || l.IdleTimeout <= 0 || l.MaxHeaderBytes <= 0 {
		t.Errorf("a default leaves something unbounded: %+v", l)
	}
	if l.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("slow-loris clients may hold a connection for %v", l.ReadHeaderTimeout)
	}
	l = New(Options{Limits: Limits{ReadHeaderTimeout: time.Second}}).limits
	want := DefaultLimits
	want.ReadHeaderTimeout = time.Second
	if l != want {
		t.Errorf("one field set gives %+v, want %+v", l, want)
	}
}

// A client that sends its headers a few bytes at a time, never finishing,
// is cut off after ReadHeaderTimeout instead of holding the connection.
func TestSlowLorisCutOff(t *testing.T) {
	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf, Limits: shortLimits})
	s.Publish(testSite(), Change{})
	addr := serveReal(t, s)

	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "GET /xxjy/ HTTP/1.1\r\nHost: localhost\r\n"); err != nil {
		t.Fatal(err)
	}
	// Trickle a header line every 30ms for up to 3s: far longer than the
	// header timeout, and each write well inside it.
	go func() {
		for i := range 100 {
			time.Sleep(30 * time.Millisecond)
			if _, err := fmt.Fprintf(conn, "X-Slow-%d: %d\r\n", i, i); err != nil {
				return
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(make([]byte, 1024))
	elapsed := time.Since(start)
	if n != 0 {
		t.Errorf("the server answered %d bytes to headers that never ended", n)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the slow client was still connected after %v", elapsed)
	}
	if err == nil {
		t.Fatal("read succeeded")
	}
	if elapsed < shortLimits.ReadHeaderTimeout/2 || elapsed > 2*time.Second {
		t.Errorf("cut off after %v, want about %v", elapsed, shortLimits.ReadHeaderTimeout)
	}
	t.Logf("slow-loris client cut off after %v (%v)", elapsed.Round(time.Millisecond), err)

	// The server still answers everyone else.
	if r := rawGet(t, addr, "/xxjy/readings/a/"); r.status != 200 || !strings.Contains(r.body, "reading a") {
		t.Errorf("after the slow client: %d %q", r.status, r.body)
	}
}

func TestHeadersTooLarge(t *testing.T) {
	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf, Limits: shortLimits})
	s.Publish(testSite(), Change{})
	addr := serveReal(t, s)
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	// net/http allows 4 KiB over MaxHeaderBytes; 64 KiB is far over.
	fmt.Fprintf(conn, "GET /xxjy/ HTTP/1.1\r\nHost: localhost\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 64<<10))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("oversized headers: %d, want 431", resp.StatusCode)
	}
}

// A kept-alive connection that sends nothing more is closed after
// IdleTimeout.
func TestIdleConnectionClosed(t *testing.T) {
	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf, Limits: shortLimits})
	s.Publish(testSite(), Change{})
	addr := serveReal(t, s)
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(conn, "GET /xxjy/readings/a/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("first request: %d, close %v", resp.StatusCode, resp.Close)
	}
	start := time.Now()
	_, err = br.ReadByte()
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("the server sent bytes nobody asked for")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("idle connection still open after %v", elapsed)
	}
	if elapsed > 2*time.Second {
		t.Errorf("idle connection closed after %v, want about %v", elapsed, shortLimits.IdleTimeout)
	}
}

// The event stream stays open, and keeps delivering, long after the read
// and write timeouts, which are meant for ordinary requests.
func TestEventStreamOutlivesTimeouts(t *testing.T) {
	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf, Limits: shortLimits})
	s.heartbeat = 100 * time.Millisecond
	s.Publish(testSite(), Change{})
	addr := serveReal(t, s)

	c := openEvents(t, "http://"+addr+"/xxjy/__lanmu/events")
	if d := expect(t, c, "hello"); d.Version != 1 {
		t.Fatalf("hello: %+v", d)
	}
	// Four times the longest timeout, with heartbeats flowing.
	wait := 4 * max(shortLimits.ReadTimeout, shortLimits.WriteTimeout)
	deadline := time.After(wait)
	for done := false; !done; {
		select {
		case ev := <-c.events:
			if ev.name != ":" {
				t.Fatalf("unexpected event %s %s", ev.name, ev.data)
			}
		case <-c.done:
			t.Fatalf("the stream ended while idle, before %v", wait)
		case <-deadline:
			done = true
		}
	}
	s.Publish(testSite(), Change{})
	if d := expect(t, c, "reload"); d.Version != 2 {
		t.Errorf("reload after %v: %+v", wait, d)
	}
	if n := s.hub.count(); n != 1 {
		t.Errorf("%d clients, want 1", n)
	}
}

// bigSite has one file far larger than the socket buffers of loopback.
func bigSite(size int) map[string][]byte {
	site := testSite()
	site["/media/talk.mp4"] = []byte(strings.Repeat("0123456789abcdef", size/16))
	return site
}

// bigFileServer serves bigSite(size) with small send buffers and returns
// a connection to it that has asked for the big file.
func bigFileServer(t *testing.T, size int) net.Conn {
	t.Helper()
	s := New(Options{BasePath: "/xxjy/", Logf: t.Logf, Limits: shortLimits})
	s.Publish(bigSite(size), Change{})
	ln, err := Listen("127.0.0.1", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	addr := serveOn(t, s, smallSendBuffers{ln})
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	io.WriteString(conn, "GET /xxjy/media/talk.mp4 HTTP/1.1\r\nHost: localhost\r\n\r\n")
	return conn
}

// readResponse reads a response's head and then its body at the pace that
// pause sets, returning the body bytes that arrived and the declared length.
func readResponse(t *testing.T, conn net.Conn, pause func(read int) time.Duration) (int, int) {
	t.Helper()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	br := bufio.NewReaderSize(conn, 16<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	want, _ := strconv.Atoi(resp.Header.Get("Content-Length"))
	buf := make([]byte, 16<<10)
	got := 0
	for {
		if d := pause(got); d > 0 {
			time.Sleep(d)
		}
		n, err := resp.Body.Read(buf)
		got += n
		if err != nil {
			return got, want
		}
	}
}

// A client that stops reading a large file is dropped after WriteTimeout,
// not held forever.
func TestStalledReaderDropped(t *testing.T) {
	const size = 8 << 20
	conn := bigFileServer(t, size)
	stall := 5 * shortLimits.WriteTimeout
	got, want := readResponse(t, conn, func(read int) time.Duration {
		if read == 0 {
			return stall
		}
		return 0
	})
	if want != size {
		t.Fatalf("Content-Length %d, want %d", want, size)
	}
	if got >= want {
		t.Errorf("a client that stopped reading for %v still got the whole file", stall)
	}
	t.Logf("stalled client got %d of %d bytes before it was dropped", got, want)
}

// A client that reads a large file slowly but steadily gets all of it,
// although that takes far longer than WriteTimeout.
func TestSlowReaderServed(t *testing.T) {
	const size = 4 << 20
	conn := bigFileServer(t, size)
	start := time.Now()
	next := 0
	got, want := readResponse(t, conn, func(read int) time.Duration {
		// A pause after every 128 KiB: each well inside WriteTimeout, all
		// together several times longer.
		if read >= next {
			next += 128 << 10
			return 40 * time.Millisecond
		}
		return 0
	})
	elapsed := time.Since(start)
	if got != want || want != size {
		t.Errorf("slow reader got %d of %d bytes (file %d)", got, want, size)
	}
	if elapsed < 2*shortLimits.WriteTimeout {
		t.Errorf("the read took only %v, which does not show that a long transfer survives", elapsed)
	}
	t.Logf("slow reader got %d bytes in %v", got, elapsed.Round(time.Millisecond))
}
