package main

import (
	"io"
	"strings"
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

// Editing from other machines takes a password: --edit with a --bind
// beyond loopback and no --edit-password stops before serving; on
// loopback, or with a password, it goes on.
func TestEditBeyondLoopbackNeedsAPassword(t *testing.T) {
	for _, c := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"--edit"}, true},
		{[]string{"--edit", "--bind", "localhost"}, true},
		{[]string{"--edit", "--bind", "::1"}, true},
		{[]string{"--edit", "--bind", "0.0.0.0"}, false},
		{[]string{"--edit", "--bind", "192.168.1.20"}, false},
		{[]string{"--edit", "--bind", "0.0.0.0", "--edit-password", "党建2016"}, true},
		{[]string{"--bind", "0.0.0.0"}, true},
	} {
		cmd := newServe(io.Discard, io.Discard, english)
		if err := cmd.ParseFlags(c.args); err != nil {
			t.Fatal(err)
		}
		err := cmd.PreRunE(cmd, nil)
		if (err == nil) != c.ok {
			t.Errorf("%v: %v", c.args, err)
		}
		if err != nil && !strings.Contains(err.Error(), "--edit-password") {
			t.Errorf("%v: the message does not say what to add: %v", c.args, err)
		}
	}
}
