package spill

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestPutAndGetFromManyGoroutines(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	texts := make([]string, 200)
	refs := make([]Ref, len(texts))
	var wg sync.WaitGroup
	for i := range texts {
		texts[i] = strings.Repeat(fmt.Sprintf("第%d页，", i), i%17)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := s.Put(texts[i])
			if err != nil {
				t.Error(err)
			}
			refs[i] = r
		}()
	}
	wg.Wait()
	for i, r := range refs {
		if got := s.Get(r); got != texts[i] {
			t.Fatalf("text %d: got %q, want %q", i, got, texts[i])
		}
	}
	if s.Err() != nil || s.Get(Ref{}) != "" {
		t.Errorf("err %v, empty ref %q", s.Err(), s.Get(Ref{}))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the store left %v behind", entries)
	}
}

// A failed read is kept for Err, and Get returns "".
func TestAFailureIsKept(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Put("正文")
	s.f.Close() // the file is gone from under it
	if got := s.Get(r); got != "" || s.Err() == nil {
		t.Errorf("a read from a closed file: %q, err %v", got, s.Err())
	}
	if _, err := s.Put("更多"); err == nil {
		t.Errorf("a Put after a failure succeeded")
	}
}
