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
// outputs are stale.
type Table struct {
	values  map[Key]Value
	outputs map[string][]Key // output path → the keys it read
	// now holds this build's values, each asked for once.
	now   map[Key]Value
	value func(Key) Value
	// commits counts builds, for the occasional clean-up in Commit.
	commits int
}

// NewTable returns an empty table: every output is stale.
func NewTable() *Table {
	return &Table{values: map[Key]Value{}, outputs: map[string][]Key{}}
}

// Begin starts a build whose keys have the values value gives, and
// returns the outputs among these that must be rendered again: those never
// recorded and those that read a key whose value changed.
func (t *Table) Begin(outputs []string, value func(Key) Value) map[string]bool {
	t.now = make(map[Key]Value, len(t.values))
	t.value = value
	changed := make(map[Key]bool, len(t.values))
	for k, old := range t.values {
		changed[k] = t.valueNow(k) != old
	}
	stale := map[string]bool{}
	for _, o := range outputs {
		keys, ok := t.outputs[o]
		if !ok {
			stale[o] = true
			continue
		}
		for _, k := range keys {
			if changed[k] {
				stale[o] = true
				break
			}
		}
	}
	return stale
}

func (t *Table) valueNow(k Key) Value {
	v, ok := t.now[k]
	if !ok {
		v = t.value(k)
		t.now[k] = v
	}
	return v
}

// Record says what an output rendered in this build read.
func (t *Table) Record(output string, keys []Key) {
	t.outputs[output] = keys
	for _, k := range keys {
		t.valueNow(k)
	}
}

// Forget drops what an output read, so that it is stale next time.
func (t *Table) Forget(output string) { delete(t.outputs, output) }

// Commit ends a build that brought every output in keep up to date: the
// values of this build become the ones to compare with next time, and
// outputs no longer made are forgotten. Keys no output reads any more are
// dropped now and then, when they may have come to outnumber the rest.
func (t *Table) Commit(keep map[string]bool) {
	for o := range t.outputs {
		if !keep[o] {
			delete(t.outputs, o)
		}
	}
	t.values, t.now, t.value = t.now, nil, nil
	if t.commits++; t.commits%64 != 0 {
		return
	}
	used := make(map[Key]Value, len(t.values))
	for _, keys := range t.outputs {
		for _, k := range keys {
			used[k] = t.values[k]
		}
	}
	t.values = used
}

// Reads returns the keys an output read when it was last rendered.
func (t *Table) Reads(output string) []Key { return t.outputs[output] }
