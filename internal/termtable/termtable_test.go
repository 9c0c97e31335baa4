package termtable

import (
	"strings"
	"testing"
)

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "学习": 4, "a学b": 4, "（一）": 6, "e\u0301": 1, "２０": 4, "": 0} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{{"准备动员部署标准", 9, "准备动员…"}, {"准备动员部署标准", 16, "准备动员部署标准"}, {"abcdef", 4, "abc…"}, {"学a", 2, "…"}} {
		if got := Truncate(c.in, c.max); got != c.want || Width(got) > c.max {
			t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestWriteAlignsByDisplayWidth(t *testing.T) {
	var b strings.Builder
	Write(&b, [][]string{{"1", "准备动员部署标准", "open"}, {"12", "Standard", "done"}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// The third column starts at the same display cell on every line.
	col := func(line string) int { return Width(line[:strings.LastIndex(line, "  ")+2]) }
	if col(lines[0]) != col(lines[1]) {
		t.Errorf("columns not aligned:\n%s", b.String())
	}
}
