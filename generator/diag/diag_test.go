package diag

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

func TestErrorFormats(t *testing.T) {
	for _, c := range []struct {
		e    Error
		want string
	}{
		{Error{Path: "content/a.md", Line: 3, Col: 7, Msg: "bad"}, "content/a.md:3:7: bad"},
		{Error{Path: "content/a.md", Line: 3, Col: 0, Msg: "bad"}, "content/a.md:3: bad"},
		{Error{Path: "content/a.md", Line: 0, Col: 0, Msg: "bad"}, "content/a.md: bad"},
		{Error{Path: "", Line: 0, Col: 0, Msg: "bad"}, "bad"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("%#v formats as %q, want %q", c.e, got, c.want)
		}
	}
}

func TestListSortsMergesAndDeduplicates(t *testing.T) {
	var l List
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Addf("b.md", i%5+1, 1, "problem %d", i%5)
		}()
	}
	wg.Wait()
	l.Add(nil)
	l.Add(errors.New("plain"))
	var inner List
	inner.Addf("a.md", 2, 1, "from another list")
	l.Add(fmt.Errorf("wrapped: %w", inner.Err()))
	got := l.Problems()
	if len(got) != 7 {
		t.Fatalf("got %d problems, want 7 (5 unique + plain + merged): %v", len(got), got)
	}
	if got[0].Msg != "plain" || got[1].Path != "a.md" || got[2].Line != 1 || got[6].Line != 5 {
		t.Errorf("not sorted by path and line: %v", got)
	}
	if Of(l.Err())[1].Error() != "a.md:2:1: from another list" {
		t.Errorf("Of lost the positions")
	}
	var empty List
	if empty.Err() != nil {
		t.Errorf("an empty list is an error")
	}
}
