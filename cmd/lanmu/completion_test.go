package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompletionScripts(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "__start_lanmu",
		"zsh":        "#compdef lanmu",
		"fish":       "complete -c lanmu",
		"powershell": "Register-ArgumentCompleter",
	} {
		var out, errOut bytes.Buffer
		if code := run([]string{"completion", shell}, &out, &errOut); code != exitOK {
			t.Fatalf("completion %s: exit %d: %s", shell, code, errOut.String())
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("completion %s lacks %q", shell, want)
		}
	}
}

// complete runs the hidden command the shell scripts call and returns the
// suggestions, one per line, without the trailing directive.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append([]string{"__complete"}, args...), &out, &errOut); code != exitOK {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errOut.String())
	}
	var got []string
	for line := range strings.Lines(out.String()) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, ":") {
			continue
		}
		name, _, _ := strings.Cut(line, "\t")
		got = append(got, name)
	}
	return got
}

func TestCompletionSuggestsCommandsKindsAndFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{""}, []string{"build", "check", "new", "serve", "status", "print", "version"}},
		{[]string{"new", ""}, []string{"site", "reading", "class", "teacher", "card", "standard", "news"}},
		{[]string{"build", "--m"}, []string{"--minify"}},
	} {
		got := strings.Join(complete(t, c.args...), " ")
		for _, w := range c.want {
			if !strings.Contains(" "+got+" ", " "+w+" ") {
				t.Errorf("__complete %q = %q, lacks %q", c.args, got, w)
			}
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"help", "build"}, {"check", "--help"}, {"new", "-h"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != exitOK {
			t.Fatalf("%q: exit %d: %s", args, code, errOut.String())
		}
		if !strings.Contains(out.String(), "Usage:") {
			t.Errorf("%q prints no usage:\n%s", args, out.String())
		}
	}
	var out, errOut bytes.Buffer
	run([]string{"help", "new"}, &out, &errOut)
	if !strings.Contains(out.String(), "Examples:\n  lanmu new site") {
		t.Errorf("help new has no examples:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"version"}, &out, &errOut); code != exitOK || !strings.HasPrefix(out.String(), "lanmu ") {
		t.Errorf("version: exit %d, %q", code, out.String())
	}
}
