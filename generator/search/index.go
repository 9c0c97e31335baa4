package search

import (
	"bytes"
	"runtime"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"lanmu/generator/spill"
)

// Doc is one page as the index sees it.
type Doc struct {
	URL   string // the page's href, base path included
	Title string
	Kind  string // what the page is, shown with a result and a filter: 必读文章, 工作动态
	// Section is the section the page is in, another filter.
	Section string
	Date    string // the date as the site prints it, or "" for an undated page
	Text    string // the body as plain text
	// ReadText, when set and Text is not, gives the text as the index
	// reads the page, so that a caller need not hold every page's text.
	ReadText func() string
	// Keywords are indexed like the body but never shown: tags, an author.
	Keywords string
	// Key, when not 0, stands for the Title, Text and Keywords: a Cache
	// that has read a doc with this key reuses what it read, and Text need
	// not be set (see Cache.Has).
	Key uint64
}

// SnippetRunes is how much of a page's text the index keeps for the
// result's snippet. The text is the larger part of the index (a Chinese
// character takes three bytes, a posting one or two), so it is kept to 300
// characters: the lead paragraph or two, where news items and readings say
// what they are about, and room for a window of about a hundred
// characters around a match found there. A match further in still finds
// the page; its snippet is then the page's opening.
const SnippetRunes = 120

// Weights of a token in a page: occurrences in the body count up to
// maxBody, and a title occurrence adds titleWeight, so that one title hit
// outweighs any number of body hits. The sum fits in weightBits bits.
const (
	maxBody     = 3
	titleWeight = 4
	weightBits  = 3
)

// Version is the index format's version, written as "v" so that a cached
// old search.js can tell an index it cannot read.
const Version = 2

// Index builds the search index of docs, in the given order (a result's
// tie-break), as files by name; see the package comment for the format.
func Index(docs []Doc) Memory { return (*Cache)(nil).Index(docs) }

// A Cache keeps what Index read from each page between indexes of the same
// site, as lanmu serve makes after every save, so that a rebuild reads only
// the pages that changed: about 5 bytes per distinct token of a page, and
// its snippet. A nil *Cache keeps nothing. A Cache is not safe for
// concurrent use.
type Cache struct {
	pages map[uint64]*page
}

// Has reports whether the cache holds the doc with this key, whose Text
// then need not be made.
func (c *Cache) Has(key uint64) bool {
	return c != nil && key != 0 && c.pages[key] != nil
}

// page is what the index keeps of a doc: its snippet, and its distinct
// tokens with their weights.
type page struct {
	snippet string
	keys    []uint32 // CJK tokens, by number (see scan)
	words   []string // the other tokens
	weights []uint8  // of keys, then of words
}

// indexChunk is how many docs are read at a time. Docs are read in order,
// a chunk in parallel, and each page's tokens go into the posting lists as
// soon as its chunk is read; what was read of a page is then dropped
// (unless a Cache keeps it), so the index holds the postings and never every
// page's tokens beside them: at 100,000 pages those were 400 MB.
const indexChunk = 1024

// Index is Index, reusing the pages the cache read before. Only the pages
// of this call stay in the cache.
func (c *Cache) Index(docs []Doc) Memory {
	files := Memory{}
	c.WriteIndex(files, len(docs), func(i int) Doc { return docs[i] }, nil) // Memory does not fail
	return files
}

// WriteIndex writes the index of n docs to files as it is made, so that it
// is never whole in memory: at 100,000 pages it is 170 MB. doc(i) makes
// the i-th doc, in the index's order, a chunk at a time, so that the
// caller need not hold them all; it is called in parallel. The postings
// wait in store until they are merged, or in memory when store is nil; a
// shard is held whole only while it is written. It returns the first
// error of files or of store.
func (c *Cache) WriteIndex(files Files, n int, doc func(i int) Doc, store *spill.Store) error {
	var kept map[uint64]*page
	if c != nil {
		kept = make(map[uint64]*page, n)
	}
	sh := shapeFor(n)
	m := newManifest(n)
	done := runs{store: store}
	chunkOut := make([]byte, 0, 64<<10)
	pages := make([]*page, indexChunk)
	chunk := make([]Doc, indexChunk)
	var todo []int
	for start := 0; start < n; start += indexChunk {
		chunk := chunk[:min(indexChunk, n-start)]
		parallel(len(chunk), func(i int) { chunk[i] = doc(start + i) })
		postings := newChunkPostings()
		todo = todo[:0]
		for i := range chunk {
			if c.Has(chunk[i].Key) {
				pages[i] = c.pages[chunk[i].Key]
			} else {
				todo = append(todo, i)
			}
		}
		parallel(len(todo), func(k int) {
			// A copy, so that the text read is dropped with it.
			d := chunk[todo[k]]
			if d.Text == "" && d.ReadText != nil {
				d.Text = d.ReadText()
			}
			pages[todo[k]] = read(&d)
		})
		for i := range chunk {
			d, p := &chunk[i], pages[i]
			pages[i] = nil
			postings.post(start+i, p)
			if kept != nil && d.Key != 0 {
				kept[d.Key] = p
			}
			m.addDoc(d.Kind, d.Section)
			if (start+i)%sh.perChunk == 0 {
				chunkOut = append(chunkOut[:0], '[')
			} else {
				chunkOut = append(chunkOut, ',')
			}
			chunkOut = append(chunkOut, '[')
			chunkOut = appendString(chunkOut, d.URL)
			chunkOut = append(chunkOut, ',')
			chunkOut = appendString(chunkOut, toNFC(d.Title))
			chunkOut = append(chunkOut, ',')
			chunkOut = appendString(chunkOut, d.Date)
			chunkOut = append(chunkOut, ',')
			chunkOut = appendString(chunkOut, p.snippet)
			chunkOut = append(chunkOut, ']')
			if end := start + i + 1; end%sh.perChunk == 0 || end == n {
				chunkOut = append(chunkOut, "]\n"...)
				name := fileName("docs", len(m.chunks), chunkOut)
				if err := files.Write(name, chunkOut); err != nil {
					return err
				}
				m.chunks = append(m.chunks, name)
			}
		}
		clear(chunk) // the texts read
		if err := done.add(postings.run(sh)); err != nil {
			return err
		}
	}
	if c != nil {
		c.pages = kept
	}
	// The runs come out a shard at a time; each shard is written when the
	// next begins, and those with no token are written empty.
	shardOut := []byte{'{'}
	err := done.merge(func(s int, token string, postings []byte) error {
		for len(m.shards) < s {
			if err := finishShard(files, m, sh, &shardOut); err != nil {
				return err
			}
		}
		if shardOut[len(shardOut)-1] != '{' {
			shardOut = append(shardOut, ',')
		}
		shardOut = appendString(shardOut, token)
		shardOut = append(shardOut, ':', '"')
		shardOut = append(shardOut, postings...)
		shardOut = append(shardOut, '"')
		return nil
	})
	for err == nil && len(m.shards) < sh.shards() {
		err = finishShard(files, m, sh, &shardOut)
	}
	if err != nil {
		return err
	}
	return files.Write(ManifestName, m.json(sh))
}

// finishShard writes the open shard, the next of m.shards, and opens
// another.
func finishShard(files Files, m *manifest, sh shape, out *[]byte) error {
	*out = append(*out, "}\n"...)
	shard := len(m.shards)
	name := fileName("tokens", shard, *out)
	if shard >= sh.tokens {
		name = fileName("chars", shard-sh.tokens, *out)
	}
	m.shards = append(m.shards, name)
	err := files.Write(name, *out)
	*out = append((*out)[:0], '{')
	return err
}

// reader holds the tables read uses for one page, kept between pages so
// that each page does not grow its own from nothing.
type reader struct {
	pairs  keyWeights // CJK tokens by number, lone characters among them
	chars  keyWeights // the page's CJK characters (see joinCharacters)
	byWord map[string]int32
	words  []string
	wordW  []uint8
}

var readers = sync.Pool{New: func() any {
	return &reader{pairs: keyWeights{table: newKeyTable(2048)}, chars: keyWeights{table: newKeyTable(1024)}, byWord: map[string]int32{}}
}}

// read returns what the index keeps of a doc.
func read(d *Doc) *page {
	// Most tokens repeat, so the maps give a token's place and a repeat
	// costs one lookup.
	r := readers.Get().(*reader)
	defer readers.Put(r)
	r.pairs.reset()
	clear(r.byWord)
	r.words, r.wordW = r.words[:0], r.wordW[:0]
	find := func(tok []byte, key uint32) *uint8 {
		if key != 0 {
			return r.pairs.weight(key)
		}
		i, ok := r.byWord[string(tok)]
		if !ok {
			i = int32(len(r.words))
			w := string(tok)
			r.byWord[w] = i
			r.words = append(r.words, w)
			r.wordW = append(r.wordW, 0)
		}
		return &r.wordW[i]
	}
	body := func(tok []byte, key uint32) {
		if w := find(tok, key); *w < maxBody {
			*w++
		}
	}
	scan(d.Text, body)
	scan(d.Keywords, body)
	scan(d.Title, func(tok []byte, key uint32) { *find(tok, key) |= titleWeight })
	r.joinCharacters()
	return &page{
		snippet: snippet(d.Text),
		keys:    slices.Clone(r.pairs.keys),
		words:   slices.Clone(r.words),
		weights: slices.Concat(r.pairs.weights, r.wordW),
	}
}

// joinCharacters gives each CJK character of the page a token of its own,
// with the best weight of every token it is part of: a query's lone
// character matches every pair it is in, and so needs one list, in one
// shard, not the lists of every pair, spread over all of them. The text's
// own lone characters are part of it.
func (r *reader) joinCharacters() {
	r.chars.reset()
	var wide map[string]uint8 // characters outside the Basic Multilingual Plane, rare
	add := func(c rune, w uint8) {
		if c > 0xFFFF {
			if wide == nil {
				wide = map[string]uint8{}
			}
			wide[string(c)] = max(wide[string(c)], w)
			return
		}
		if cw := r.chars.weight(uint32(c) << 16); *cw < w {
			*cw = w
		}
	}
	// The pairs stay; the lone characters go, to come back joined.
	pairs := &r.pairs
	keys, keyW := pairs.keys[:0], pairs.weights[:0]
	for i, k := range pairs.keys {
		add(rune(k>>16), pairs.weights[i])
		if k&0xFFFF != 0 {
			add(rune(k&0xFFFF), pairs.weights[i])
			keys, keyW = append(keys, k), append(keyW, pairs.weights[i])
		}
	}
	words, wordW := r.words[:0], r.wordW[:0]
	for i, w := range r.words {
		first, size := utf8.DecodeRuneInString(w)
		if !isCJK(first) {
			words, wordW = append(words, w), append(wordW, r.wordW[i])
			continue
		}
		// One or two CJK characters, one of them outside the BMP.
		add(first, r.wordW[i])
		if size < len(w) {
			second, _ := utf8.DecodeRuneInString(w[size:])
			add(second, r.wordW[i])
			words, wordW = append(words, w), append(wordW, r.wordW[i])
		}
	}
	// The pairs' table no longer matches; it is reset before the next page.
	pairs.keys, pairs.weights = append(keys, r.chars.keys...), append(keyW, r.chars.weights...)
	for c, w := range wide {
		words, wordW = append(words, c), append(wordW, w)
	}
	r.words, r.wordW = words, wordW
}

// keyWeights are the distinct keys of a page, each with its weight.
type keyWeights struct {
	table   *keyTable // key → index in keys
	keys    []uint32
	weights []uint8
}

func (kw *keyWeights) reset() {
	kw.table.reset()
	kw.keys, kw.weights = kw.keys[:0], kw.weights[:0]
}

// weight returns the weight of key k, which starts at 0.
func (kw *keyWeights) weight(k uint32) *uint8 {
	i, ok := kw.table.get(k)
	if !ok {
		i = int32(len(kw.keys))
		kw.table.put(k, i)
		kw.keys = append(kw.keys, k)
		kw.weights = append(kw.weights, 0)
	}
	return &kw.weights[i]
}

// postingList is one token's postings, already encoded.
type postingList struct {
	last int
	data []byte
}

// add appends page doc (greater than any before) with weight w.
func (p *postingList) add(doc int, w uint8) {
	gap := doc - p.last
	p.last = doc
	p.data = appendVarint(p.data, gap<<weightBits|int(w))
}

// digits are the 64 characters of the postings' encoding, none of which
// JSON escapes.
const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// appendVarint writes v five bits per character, least significant first;
// every character but the last has the sixth bit (32) set.
func appendVarint(dst []byte, v int) []byte {
	for v >= 32 {
		dst = append(dst, digits[32|v&31])
		v >>= 5
	}
	return append(dst, digits[v])
}

// snippet is the start of a page's text kept for its result: NFC, so that
// the browser's offsets into it match its tokens, with "…" when cut.
func snippet(text string) string {
	// Only the start matters, and pages are long: the first 4×SnippetRunes
	// characters hold SnippetRunes unless most of them are spaces.
	cut := false
	n := 0
	for i := range text {
		if n == 4*SnippetRunes {
			text, cut = text[:i], true
			break
		}
		n++
	}
	// Runs of white space become one space, with none at either end, and
	// the text stops at SnippetRunes characters: one pass, one copy.
	out := make([]byte, 0, min(len(text), 4*SnippetRunes)+len("…"))
	n = 0
	space := false
	for _, r := range toNFC(text) {
		if unicode.IsSpace(r) {
			space = len(out) > 0
			continue
		}
		if space {
			if n == SnippetRunes {
				cut = true
				break
			}
			out = append(out, ' ')
			n++
			space = false
		}
		if n == SnippetRunes {
			// A character follows that does not fit; the cut may leave
			// a space at the end.
			out, cut = bytes.TrimRight(out, " "), true
			break
		}
		out = utf8.AppendRune(out, r)
		n++
	}
	if cut {
		out = append(out, "…"...)
	}
	return string(out)
}

// appendString writes s as a JSON string. Only what JSON requires is
// escaped: Chinese text stays as it is, three bytes a character.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			dst = append(dst, c)
		}
		i++
	}
	return append(dst, '"')
}

// parallel calls fn for 0..n-1 on as many goroutines as there are cores.
func parallel(n int, fn func(i int)) {
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Go(func() {
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= n {
					return
				}
				fn(k)
			}
		})
	}
	wg.Wait()
}
