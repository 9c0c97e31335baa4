package shortcode

import (
	"fmt"
	"strings"
	"testing"
)

func TestCodesAreShortAndReadable(t *testing.T) {
	for i := range 1000 {
		c := Candidate(fmt.Sprintf("content/readings/%d.md", i), 0)
		if len(c) != Length || strings.Trim(c, Alphabet) != "" {
			t.Fatalf("code %q is not %d characters of %s", c, Length, Alphabet)
		}
	}
	if Candidate("a", 0) == Candidate("a", 1) {
		t.Errorf("the second choice is the first")
	}
	// Codes are printed on paper that outlives any version of lanmu: the
	// way a key becomes a code must never change.
	for key, want := range map[string]string{
		"content/readings/学习党章.md": "33b3gt",
		"content/_index.md":        "eafm5i",
		"path:/tags/":              "i57t62",
	} {
		if got := Candidate(key, 0); got != want {
			t.Errorf("%s: code %s, was %s in every earlier build", key, got, want)
		}
	}
	if got := Candidate("content/_index.md", 1); got != "3cgkv4" {
		t.Errorf("the second choice changed: %s", got)
	}
}

// findCollision returns two keys whose first codes meet, by brute force:
// with 2³⁰ codes, a few tens of thousands of keys hold a pair.
func findCollision(t *testing.T) (string, string) {
	t.Helper()
	seen := map[string]string{}
	for i := range 1 << 20 {
		k := fmt.Sprintf("content/news/%d.md", i)
		c := Candidate(k, 0)
		if other, ok := seen[c]; ok {
			return other, k
		}
		seen[c] = k
	}
	t.Fatal("no collision in a million keys")
	return "", ""
}

// Two keys on one code are parted by the order of the keys, whatever order
// they come in; a reserved code is passed over; and the others keep their
// first choice, so adding a page moves no other page's code.
func TestCollisionsAreParted(t *testing.T) {
	a, b := findCollision(t)
	if a > b {
		a, b = b, a
	}
	first := Candidate(a, 0)
	for _, keys := range [][]string{{a, b, "x.md"}, {b, "x.md", a}} {
		got := Assign(keys, nil)
		if got[a] != first || got[b] != Candidate(b, 1) || got[a] == got[b] {
			t.Errorf("keys %q: got %v; want %s to keep %s and %s to take its second choice", keys, got, a, first, b)
		}
		if got["x.md"] != Candidate("x.md", 0) {
			t.Errorf("x.md lost its code")
		}
	}
	reserved := Assign([]string{"x.md"}, func(c string) bool { return c == Candidate("x.md", 0) })
	if reserved["x.md"] != Candidate("x.md", 1) {
		t.Errorf("a reserved code was given out: %v", reserved)
	}
}

// Ten thousand pages get ten thousand codes, and a page added later moves
// none of them but by a collision with a key before it.
func TestCodesAreStableAsTheSiteGrows(t *testing.T) {
	var keys []string
	for i := range 10000 {
		keys = append(keys, fmt.Sprintf("content/readings/%05d.md", i))
	}
	before := Assign(keys, nil)
	codes := map[string]bool{}
	for _, c := range before {
		codes[c] = true
	}
	if len(codes) != len(keys) {
		t.Fatalf("%d codes for %d keys", len(codes), len(keys))
	}
	after := Assign(append(keys, "content/news/new.md"), nil)
	moved := 0
	for k, c := range before {
		if after[k] != c {
			moved++
		}
	}
	if moved > 0 && !codes[Candidate("content/news/new.md", 0)] {
		t.Errorf("adding a page whose code meets none moved %d codes", moved)
	}
}
