package search

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"lanmu/generator/spill"
)

// chunkPostings are the posting lists of one chunk of docs. The index is
// made a chunk at a time: each chunk's lists are sorted by token and put
// aside as a run (in a spill store when there is one), and the runs are
// merged into the index's token table at the end. So the postings of the
// whole site, 0.9 KB a page, are never in memory at once.
type chunkPostings struct {
	byKey    *keyTable // CJK tokens, nearly all of them, go to lists by number
	keyLists []postingList
	byWord   map[string]*postingList
}

func newChunkPostings() *chunkPostings {
	return &chunkPostings{byKey: newKeyTable(1 << 14), byWord: map[string]*postingList{}}
}

// post adds page p, doc number i (greater than any before), to the lists
// of its tokens.
func (c *chunkPostings) post(i int, p *page) {
	for j, k := range p.keys {
		n, ok := c.byKey.get(k)
		if !ok {
			n = int32(len(c.keyLists))
			c.byKey.put(k, n)
			c.keyLists = append(c.keyLists, postingList{last: -1})
		}
		c.keyLists[n].add(i, p.weights[j])
	}
	for j, w := range p.words {
		pl := c.byWord[w]
		if pl == nil {
			pl = &postingList{last: -1}
			c.byWord[w] = pl
		}
		pl.add(i, p.weights[len(p.keys)+j])
	}
}

// run returns the chunk's lists sorted by shard (see shape), then by
// token, each as the shard, the token, the last doc in it, and its
// postings, which count the first doc from -1:
//
//	uvarint(shard) uvarint(len(token)) token uvarint(last) uvarint(len(postings)) postings
//
// The merge thus finishes one shard before it begins the next.
func (c *chunkPostings) run(sh shape) []byte {
	type entry struct {
		shard int
		token string
		list  *postingList
	}
	tokens := make([]entry, 0, c.byKey.count+len(c.byWord))
	add := func(token string, list *postingList) {
		tokens = append(tokens, entry{sh.shardOfToken(token), token, list})
	}
	c.byKey.each(func(k uint32, n int32) { add(keyToken(k), &c.keyLists[n]) })
	for w, pl := range c.byWord {
		add(w, pl)
	}
	slices.SortFunc(tokens, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.shard, b.shard), strings.Compare(a.token, b.token))
	})
	var out []byte
	for _, e := range tokens {
		out = binary.AppendUvarint(out, uint64(e.shard))
		out = binary.AppendUvarint(out, uint64(len(e.token)))
		out = append(out, e.token...)
		out = binary.AppendUvarint(out, uint64(e.list.last))
		out = binary.AppendUvarint(out, uint64(len(e.list.data)))
		out = append(out, e.list.data...)
	}
	return out
}

// runs holds the runs made so far: in store, or in memory without one.
type runs struct {
	store *spill.Store
	refs  []spill.Ref
	held  [][]byte
}

func (r *runs) add(run []byte) error {
	if r.store == nil {
		r.held = append(r.held, run)
		return nil
	}
	ref, err := r.store.PutBytes(run)
	r.refs = append(r.refs, ref)
	return err
}

// readers reads each run from its start, in the order they were added.
func (r *runs) readers() []*runReader {
	var out []*runReader
	for i, run := range r.held {
		out = append(out, &runReader{r: bufio.NewReader(bytes.NewReader(run)), run: i})
	}
	for i, ref := range r.refs {
		out = append(out, &runReader{r: bufio.NewReaderSize(r.store.Reader(ref), 16<<10), run: i})
	}
	return out
}

// runReader reads a run's lists one at a time.
type runReader struct {
	r     *bufio.Reader
	run   int
	err   error
	shard int
	tok   string
	last  int
	data  []byte
}

// next reads the next list, and reports whether there was one.
func (rr *runReader) next() bool {
	shard, err := binary.ReadUvarint(rr.r)
	if err == io.EOF {
		return false
	}
	var n uint64
	if err == nil {
		n, err = binary.ReadUvarint(rr.r)
	}
	tok := make([]byte, n)
	if err == nil {
		_, err = io.ReadFull(rr.r, tok)
	}
	var last, size uint64
	if err == nil {
		last, err = binary.ReadUvarint(rr.r)
	}
	if err == nil {
		size, err = binary.ReadUvarint(rr.r)
	}
	if err == nil {
		rr.data = slices.Grow(rr.data[:0], int(size))[:size]
		_, err = io.ReadFull(rr.r, rr.data)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		rr.err = fmt.Errorf("reading the search index's postings back: %w", err)
		return false
	}
	rr.shard, rr.tok, rr.last = int(shard), string(tok), int(last)
	return true
}

// byToken orders the runs' current lists by shard and token, then by run,
// which is the order of their docs.
type byToken []*runReader

func (h byToken) Len() int { return len(h) }
func (h byToken) Less(i, j int) bool {
	if h[i].shard != h[j].shard {
		return h[i].shard < h[j].shard
	}
	if h[i].tok != h[j].tok {
		return h[i].tok < h[j].tok
	}
	return h[i].run < h[j].run
}
func (h byToken) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *byToken) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *byToken) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// merge calls emit with each token of the runs, in the order of the runs
// (by shard, then token), and its whole posting list: the runs' lists of
// it joined, in the order of their docs. postings is reused from one call
// to the next.
func (r *runs) merge(emit func(shard int, token string, postings []byte) error) error {
	all := r.readers()
	h := make(byToken, 0, len(all))
	for _, rr := range all {
		if rr.next() {
			h = append(h, rr)
		} else if rr.err != nil {
			return rr.err
		}
	}
	heap.Init(&h)
	var postings []byte
	for len(h) > 0 {
		shard, token := h[0].shard, h[0].tok
		postings = postings[:0]
		last := -1
		for len(h) > 0 && h[0].shard == shard && h[0].tok == token {
			rr := h[0]
			postings = joinPostings(postings, last, rr.data)
			last = rr.last
			if rr.next() {
				heap.Fix(&h, 0)
			} else {
				if rr.err != nil {
					return rr.err
				}
				heap.Pop(&h)
			}
		}
		if err := emit(shard, token, postings); err != nil {
			return err
		}
	}
	return nil
}

// joinPostings appends to dst the postings of a run, whose first doc is
// counted from -1, after postings whose last doc was last: only the first
// number changes.
func joinPostings(dst []byte, last int, run []byte) []byte {
	v, n := readVarint(run)
	doc := v>>weightBits - 1
	dst = appendVarint(dst, (doc-last)<<weightBits|v&(1<<weightBits-1))
	return append(dst, run[n:]...)
}

// digitValues maps each of digits back to its value; -1 elsewhere.
var digitValues = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := range len(digits) {
		t[digits[i]] = int8(i)
	}
	return t
}()

// readVarint reads the first number of postings written by appendVarint,
// returning it and how many characters it took.
func readVarint(b []byte) (v, n int) {
	shift := 0
	for n < len(b) {
		d := int(digitValues[b[n]])
		n++
		v |= d & 31 << shift
		if d < 32 {
			break
		}
		shift += 5
	}
	return v, n
}
