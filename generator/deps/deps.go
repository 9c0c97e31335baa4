// Package deps records what each output of a build read while it was
// rendered, so that a live session renders again exactly the outputs whose
// inputs changed. The values templates see (page views, collections, the
// site) report each read to the Recorder of the output being rendered;
// after a change, a Key whose value differs from the one recorded makes the
// outputs that read it stale. It knows nothing of pages or templates: the
// build says what a key names and how to find its value.
package deps

import (
	"hash/maphash"
	"runtime"
	"slices"
	"sync"
)

// Kind says what of a thing a key names: a page's front matter, its
// converted text, the members of one of its collections, and so on. The
// build defines the kinds.
type Kind uint8

// Key names one thing an output can read: the kind of read and what it is
// of (a page's path, a tag's name, or "" for the site).
type Key struct {
	Kind Kind
	Of   string
}

// Recorder collects the keys one output reads. One output renders on one
// goroutine, but a partial rendered once and shared (partialCached) hands
// its reads to every output that uses it, so a recorder is safe for
// concurrent use.
type Recorder struct {
	mu       sync.Mutex
	keys     []Key
	seen     map[Key]struct{}
	captures []*[]Key
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{seen: map[Key]struct{}{}} }

// Read records that the output read k. A nil recorder records nothing: a
// one-off build renders every output anyway.
func (r *Recorder) Read(k Key) {
	if r == nil {
		return
	}
	r.mu.Lock()
	if _, ok := r.seen[k]; !ok {
		r.seen[k] = struct{}{}
		r.keys = append(r.keys, k)
	}
	for _, c := range r.captures {
		*c = append(*c, k)
	}
	r.mu.Unlock()
}

// Capture starts collecting, besides the record, every key read from now
// on, repeats included; stop ends it and returns them. A shared partial is
// rendered under a capture, so that the outputs that reuse it can be given
// all it read, including what its first caller had read before.
func (r *Recorder) Capture() (stop func() []Key) {
	c := new([]Key)
	r.mu.Lock()
	r.captures = append(r.captures, c)
	r.mu.Unlock()
	return func() []Key {
		r.mu.Lock()
		defer r.mu.Unlock()
		for i, o := range r.captures {
			if o == c {
				r.captures = append(r.captures[:i], r.captures[i+1:]...)
				break
			}
		}
		return *c
	}
}

// Keys returns every key read, in the order first read.
func (r *Recorder) Keys() []Key {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Key(nil), r.keys...)
}

// Carrier is template data that knows the recorder of the output it is
// rendered for: a template function handed such a value can record on the
// output's behalf.
type Carrier interface {
	Recorder() *Recorder
}

// Of returns the recorder data carries, or nil.
func Of(data any) *Recorder {
	if c, ok := data.(Carrier); ok {
		return c.Recorder()
	}
	return nil
}

// Value is the state of a key at one moment, as a hash: equal values mean
// the thing read is the same. Zero means it does not exist.
type Value = uint64

// seed is fixed for the process: values are compared within one session,
// never stored.
var seed = maphash.MakeSeed()

// Hasher builds a Value from the parts of a thing.
type Hasher struct{ h maphash.Hash }

// NewHasher returns an empty hasher.
func NewHasher() *Hasher {
	h := &Hasher{}
	h.h.SetSeed(seed)
	return h
}

// String adds a string, ended so that "ab","c" and "a","bc" differ.
func (h *Hasher) String(s string) *Hasher {
	h.h.WriteString(s)
	h.h.WriteByte(0)
	return h
}

// Bytes adds bytes, ended as String does.
func (h *Hasher) Bytes(b []byte) *Hasher {
	h.h.Write(b)
	h.h.WriteByte(0)
	return h
}

// Uint adds a number.
func (h *Hasher) Uint(v uint64) *Hasher {
	var b [8]byte
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	h.h.Write(b[:])
	return h
}

// Sum returns the value, never zero (zero means absent).
func (h *Hasher) Sum() Value {
	if v := h.h.Sum64(); v != 0 {
		return v
	}
	return 1
}

// Table remembers, between builds, what each output read and the values
// those keys had when it was rendered, so a later build can tell which
// outputs are stale. Keys are numbered as they are first seen, so that
// checking a site's outputs costs an array lookup per read.
type Table struct {
	ids     map[Key]int32
	keys    []Key
	values  []Value            // by key number: the value last committed
	outputs map[string][]int32 // output path → the keys it read
	// now holds this build's values and known which of them are computed.
	now   []Value
	known []bool
	value func(Key) Value
	// commits counts builds, for the occasional clean-up in Commit.
	commits int
}

// NewTable returns an empty table: every output is stale.
func NewTable() *Table {
	return &Table{ids: map[Key]int32{}, outputs: map[string][]int32{}}
}

// Begin starts a build whose keys have the values value gives, and
// returns the outputs among these that must be rendered again: those never
// recorded and those that read a key whose value changed. value is asked
// once per key, from several goroutines at once.
func (t *Table) Begin(outputs []string, value func(Key) Value) map[string]bool {
	return t.begin(outputs, value, nil)
}

// BeginSome is Begin for a change known to leave every key that may not
// keep its value: value is asked only of those, and the others keep the
// values they had. A live session uses it when a save rewrote a page's text
// and nothing else, where evaluating every key of a large site would cost
// more than the rest of the build.
func (t *Table) BeginSome(outputs []string, value func(Key) Value, may func(Key) bool) map[string]bool {
	return t.begin(outputs, value, may)
}

func (t *Table) begin(outputs []string, value func(Key) Value, may func(Key) bool) map[string]bool {
	t.value = value
	t.known = make([]bool, len(t.keys))
	var todo []int32
	if may == nil {
		t.now = make([]Value, len(t.keys))
		todo = make([]int32, len(t.keys))
		for i := range todo {
			todo[i] = int32(i)
		}
	} else {
		t.now = slices.Clone(t.values)
		for i, k := range t.keys {
			if may(k) {
				todo = append(todo, int32(i))
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(todo)/1024))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(todo); i += workers {
				t.now[todo[i]] = value(t.keys[todo[i]])
			}
		}()
	}
	wg.Wait()
	for i := range t.known {
		t.known[i] = true
	}
	changed := make([]bool, len(t.keys))
	someChanged := false
	for _, id := range todo {
		if t.now[id] != t.values[id] {
			changed[id], someChanged = true, true
		}
	}
	stale := map[string]bool{}
	for _, o := range outputs {
		ids, ok := t.outputs[o]
		if !ok {
			stale[o] = true
			continue
		}
		if !someChanged {
			continue
		}
		for _, id := range ids {
			if changed[id] {
				stale[o] = true
				break
			}
		}
	}
	return stale
}

// Record says what an output rendered in this build read.
func (t *Table) Record(output string, keys []Key) {
	ids := make([]int32, len(keys))
	for i, k := range keys {
		id, ok := t.ids[k]
		if !ok {
			id = int32(len(t.keys))
			t.ids[k] = id
			t.keys = append(t.keys, k)
			t.values = append(t.values, 0)
			t.now = append(t.now, 0)
			t.known = append(t.known, false)
		}
		if !t.known[id] {
			t.now[id], t.known[id] = t.value(k), true
		}
		ids[i] = id
	}
	t.outputs[output] = ids
}

// Forget drops what an output read, so that it is stale next time.
func (t *Table) Forget(output string) { delete(t.outputs, output) }

// Commit ends a build that brought every output in keep up to date: the
// values of this build become the ones to compare with next time, and
// outputs no longer made are forgotten. Keys no output reads any more are
// dropped now and then.
func (t *Table) Commit(keep map[string]bool) {
	for o := range t.outputs {
		if !keep[o] {
			delete(t.outputs, o)
		}
	}
	t.values, t.now, t.known, t.value = t.now, nil, nil, nil
	if t.commits++; t.commits%64 != 0 {
		return
	}
	renumber := make([]int32, len(t.keys))
	for i := range renumber {
		renumber[i] = -1
	}
	var keys []Key
	var values []Value
	ids := map[Key]int32{}
	for _, read := range t.outputs {
		for i, id := range read {
			if renumber[id] < 0 {
				renumber[id] = int32(len(keys))
				ids[t.keys[id]] = renumber[id]
				keys = append(keys, t.keys[id])
				values = append(values, t.values[id])
			}
			read[i] = renumber[id]
		}
	}
	t.ids, t.keys, t.values = ids, keys, values
}

// Reads returns the keys an output read when it was last rendered.
func (t *Table) Reads(output string) []Key {
	ids, ok := t.outputs[output]
	if !ok {
		return nil
	}
	out := make([]Key, len(ids))
	for i, id := range ids {
		out[i] = t.keys[id]
	}
	return out
}

// Size counts the keys the table holds values of and the reads of all
// outputs together, for benchmarks.
func (t *Table) Size() (keys, reads int) {
	for _, ids := range t.outputs {
		reads += len(ids)
	}
	return len(t.keys), reads
}
