package main

import (
	"io"
	"testing"
)

// serve listens on loopback unless told otherwise: an editor's half-written
// pages are nobody else's business, so reaching it from the network takes
// an explicit --bind.
func TestServeListensOnLoopbackByDefault(t *testing.T) {
	cmd := newServe(io.Discard, io.Discard, english)
	if err := cmd.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	f := cmd.Flags()
	if bind, err := f.GetString("bind"); err != nil || bind != "127.0.0.1" {
		t.Errorf("--bind defaults to %q (%v), want 127.0.0.1", bind, err)
	}
	if port, err := f.GetInt("port"); err != nil || port != 1313 {
		t.Errorf("--port defaults to %d (%v), want 1313", port, err)
	}
	if err := cmd.ParseFlags([]string{"--bind", "0.0.0.0"}); err != nil {
		t.Fatal(err)
	}
	if bind, _ := f.GetString("bind"); bind != "0.0.0.0" {
		t.Errorf("--bind 0.0.0.0 gives %q", bind)
	}
}
