package deps

import (
	"slices"
	"sync"
	"testing"
)

func TestTableRendersOnlyWhatReadAChange(t *testing.T) {
	values := map[Key]Value{{1, "a"}: 1, {1, "b"}: 2, {2, ""}: 3}
	value := func(k Key) Value { return values[k] }
	tab := NewTable()
	outputs := []string{"/a/", "/b/", "/ab/"}
	if stale := tab.Begin(outputs, value); len(stale) != 3 {
		t.Fatalf("a first build must render everything: %v", stale)
	}
	tab.Record("/a/", []Key{{1, "a"}, {2, ""}})
	tab.Record("/b/", []Key{{1, "b"}})
	tab.Record("/ab/", []Key{{1, "a"}, {1, "b"}})
	tab.Commit(map[string]bool{"/a/": true, "/b/": true, "/ab/": true})

	if stale := tab.Begin(outputs, value); len(stale) != 0 {
		t.Errorf("nothing changed, yet %v are stale", stale)
	}
	tab.Commit(map[string]bool{"/a/": true, "/b/": true, "/ab/": true})

	values[Key{1, "b"}] = 20
	stale := tab.Begin(append(outputs, "/new/"), value)
	if len(stale) != 3 || !stale["/b/"] || !stale["/ab/"] || !stale["/new/"] {
		t.Errorf("after b changed: %v", stale)
	}
	tab.Record("/b/", []Key{{1, "b"}})
	tab.Record("/ab/", []Key{{1, "a"}, {1, "b"}})
	tab.Record("/new/", []Key{{2, ""}})
	// /a/ is gone: it is forgotten, and made again if it comes back.
	tab.Commit(map[string]bool{"/b/": true, "/ab/": true, "/new/": true})
	if tab.Reads("/a/") != nil {
		t.Errorf("a removed output is remembered")
	}
	delete(values, Key{2, ""}) // the thing read no longer exists
	stale = tab.Begin([]string{"/a/", "/b/", "/ab/", "/new/"}, value)
	if len(stale) != 2 || !stale["/a/"] || !stale["/new/"] {
		t.Errorf("after a removal: %v", stale)
	}
}

// BeginSome asks only the keys that may have changed, and the others keep
// their values, asked or not, until a full Begin.
func TestTableBeginSomeAsksOnlyWhatMayChange(t *testing.T) {
	values := map[Key]Value{{1, "a"}: 1, {1, "b"}: 2}
	asked := map[Key]int{}
	value := func(k Key) Value { asked[k]++; return values[k] }
	tab := NewTable()
	outputs := []string{"/a/", "/b/"}
	tab.Begin(outputs, value)
	tab.Record("/a/", []Key{{1, "a"}})
	tab.Record("/b/", []Key{{1, "b"}})
	tab.Commit(map[string]bool{"/a/": true, "/b/": true})

	values[Key{1, "a"}], values[Key{1, "b"}] = 10, 20
	clear(asked)
	stale := tab.BeginSome(outputs, value, func(k Key) bool { return k.Of == "b" })
	if len(stale) != 1 || !stale["/b/"] || asked[Key{1, "a"}] != 0 || asked[Key{1, "b"}] != 1 {
		t.Errorf("BeginSome for b: stale %v, asked %v", stale, asked)
	}
	tab.Record("/b/", []Key{{1, "b"}})
	tab.Commit(map[string]bool{"/a/": true, "/b/": true})
	// a kept its old value: a full Begin finds it changed.
	if stale := tab.Begin(outputs, value); len(stale) != 1 || !stale["/a/"] {
		t.Errorf("a full Begin after BeginSome: stale %v", stale)
	}
}

func TestCaptureHandsOnRepeatedReads(t *testing.T) {
	r := NewRecorder()
	r.Read(Key{1, "x"})
	stop := r.Capture()
	r.Read(Key{1, "x"}) // read before too: a reuser still needs it
	r.Read(Key{1, "y"})
	got := stop()
	r.Read(Key{1, "z"})
	if want := []Key{{1, "x"}, {1, "y"}}; !slices.Equal(got, want) {
		t.Errorf("captured %v, want %v", got, want)
	}
	if want := []Key{{1, "x"}, {1, "y"}, {1, "z"}}; !slices.Equal(r.Keys(), want) {
		t.Errorf("recorded %v, want %v", r.Keys(), want)
	}
	var nilRec *Recorder
	nilRec.Read(Key{1, "x"}) // a one-off build records nothing, and must not fail
}

func TestRecorderUnderConcurrentReads(t *testing.T) {
	r := NewRecorder()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stop := r.Capture()
			for i := range 100 {
				r.Read(Key{Kind(g), string(rune('a' + i%26))})
			}
			stop()
		}()
	}
	wg.Wait()
	if n := len(r.Keys()); n != 4*26 {
		t.Errorf("recorded %d distinct keys, want %d", n, 4*26)
	}
}
