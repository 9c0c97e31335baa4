package serve

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// nextPorts is how many ports after the asked-for one Listen tries.
const nextPorts = 20

// shutdownWait bounds how long Serve waits for requests in flight before it
// closes their connections.
const shutdownWait = 5 * time.Second

// Listen opens a TCP listener on bind:port. When the port is taken and next
// is true it tries the next ports (up to 20) and returns the first it gets;
// when next is false the error says that the port is in use and how to
// choose another.
func Listen(bind string, port int, next bool) (net.Listener, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("port %d is not a port number: choose one from 1 to 65535 with --port", port)
	}
	last := port
	if next && port != 0 {
		last = min(port+nextPorts, 65535)
	}
	for p := port; p <= last; p++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(p)))
		if err == nil {
			return ln, nil
		}
		if !addrInUse(err) {
			return nil, fmt.Errorf("cannot listen on %s: %w (choose another address with --bind or another port with --port)", net.JoinHostPort(bind, strconv.Itoa(p)), err)
		}
	}
	if last == port {
		return nil, fmt.Errorf("port %d is already in use (%s; is another lanmu serve running?): stop that program or choose another port, e.g. --port %d", port, net.JoinHostPort(bind, strconv.Itoa(port)), port+1)
	}
	return nil, fmt.Errorf("ports %d to %d on %s are all in use: choose a free port with --port", port, last, displayBind(bind))
}

func displayBind(bind string) string {
	if bind == "" {
		return "all addresses"
	}
	return bind
}

// addrInUse reports whether a listen failed because the port is taken.
// Windows, where many of lanmu's users are, reports WSAEADDRINUSE (10048),
// which syscall.EADDRINUSE does not match there.
func addrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, syscall.Errno(10048))
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully and
// returns nil; it returns an error only when serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	l := s.limits
	fresh := &freshConns{conns: map[net.Conn]struct{}{}}
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: l.ReadHeaderTimeout,
		ReadTimeout:       l.ReadTimeout,
		// A backstop for the small answers (errors, redirects) that do not
		// set their own deadline: files extend it slice by slice and the
		// event stream event by event (see deadlineWriter and events).
		WriteTimeout:   l.WriteTimeout,
		IdleTimeout:    l.IdleTimeout,
		MaxHeaderBytes: l.MaxHeaderBytes,
		// Every request's context ends with ctx. Shutdown waits for active
		// requests and never interrupts them, so this is what makes the
		// event streams end and Shutdown return.
		BaseContext: func(net.Listener) context.Context { return ctx },
		ConnState:   fresh.track,
		ErrorLog:    log.New(logWriter(s.logf), "", 0),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fresh.closeAll()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		s.logf("serve: closing connections that did not finish: %v", err)
		hs.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// freshConns tracks the connections that have not sent a request yet.
// Browsers open such connections ahead of need and keep them, and
// http.Server.Shutdown waits for them as if they were busy (for up to five
// seconds), which would hold up Ctrl+C; nothing is lost by closing them.
type freshConns struct {
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool
}

func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if state != http.StateNew {
		delete(f.conns, c)
		return
	}
	if f.closing {
		// Accepted after closeAll, before Shutdown closed the listener.
		c.Close()
		return
	}
	f.conns[c] = struct{}{}
}

// closeAll closes the fresh connections and every one accepted later.
func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closing = true
	for c := range f.conns {
		c.Close()
	}
	clear(f.conns)
}

// logWriter passes the http.Server's own complaints to Logf.
type logWriter func(format string, args ...any)

func (l logWriter) Write(p []byte) (int, error) {
	l("serve: %s", bytesTrimNewline(p))
	return len(p), nil
}

func bytesTrimNewline(p []byte) string {
	if n := len(p); n > 0 && p[n-1] == '\n' {
		p = p[:n-1]
	}
	return string(p)
}
