package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"unicode/utf8"
)

// Files receives the index's files, named relative to the folder of the
// manifest (ManifestName), with "/" between folders.
type Files interface {
	Write(name string, data []byte) error
}

// Memory is Files held in a map, by name.
type Memory map[string][]byte

// Write keeps a copy of data under name.
func (m Memory) Write(name string, data []byte) error {
	m[name] = append([]byte(nil), data...)
	return nil
}

// Open returns the file of that name, for Search.
func (m Memory) Open(name string) ([]byte, error) {
	data, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return data, nil
}

// ManifestName is the file search.js fetches first, fresh each time: it
// names every other file of the index, and each of those names holds a
// hash of the file's content, so that they can be cached for good.
const ManifestName = "index.json"

// PagesPerFile is how many pages one file of the index stands for at
// least: an index of n pages has at most n/PagesPerFile files, and never
// fewer than minFiles. One file per page would cost every query the
// fewest bytes, but static hosts limit the number of files a site may
// have, and uploads slow down with it.
const PagesPerFile = 50

// minFiles is the files of a small site's index: the manifest, a token
// shard, a character shard and one chunk of docs.
const minFiles = 4

// shape is how an index of a given size is split.
type shape struct {
	tokens   int // shards of tokens other than lone CJK characters
	chars    int // shards of lone CJK characters
	perChunk int // docs per chunk of doc metadata
}

// shapeFor splits an index of n docs into at most max(minFiles,
// n/PagesPerFile) files. A query fetches one shard per token and one chunk
// per result it shows, so the bytes of a query of k tokens showing r
// results are about k/tokens of the postings plus r/chunks of the docs.
// Most queries are of pairs and words, and their shards take three
// quarters of the files. A lone character's list joins the lists of every
// pair it is in, so the characters, a quarter of the postings, have
// shards of their own, which a query of pairs never fetches; a query
// rarely holds more than one or two lone characters, so a tenth of the
// files do. The chunks of docs take the rest: measured on the benchmark
// corpus at 10,000 pages, that split gives the fewest bytes for queries
// of several pairs (bench/search_test.go).
func shapeFor(n int) shape {
	files := max(minFiles, n/PagesPerFile) - 1 // and the manifest
	chars := max(1, files/10)
	tokens := min(max(1, files*3/4), files-chars-1)
	chunks := files - tokens - chars
	per := max(1, (n+chunks-1)/chunks)
	return shape{tokens: tokens, chars: chars, perChunk: per}
}

// shards is the number of shards of both kinds.
func (sh shape) shards() int { return sh.tokens + sh.chars }

// shardOfToken is the shard a token is in, counting the tokens' shards
// first, then the characters'.
func (sh shape) shardOfToken(token string) int {
	if loneCJK(token) {
		return sh.tokens + shardOf(token, sh.chars)
	}
	return shardOf(token, sh.tokens)
}

// loneCJK reports whether a token is a single CJK character.
func loneCJK(tok string) bool {
	r, size := utf8.DecodeRuneInString(tok)
	return size == len(tok) && isCJK(r)
}

// shardOf is the shard of a token: a hash of its code points, which
// search.js computes the same way (FNV-1a, then Murmur3's finaliser, so
// that tokens differing in their last character spread too).
func shardOf(token string, shards int) int {
	h := uint32(2166136261)
	for _, r := range token {
		h ^= uint32(r)
		h *= 16777619
	}
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return int(h % uint32(shards))
}

// fileName is the name of the i-th file of a part of the index (tokens,
// chars or docs), with a hash of its content, so that a file whose content changed
// has a new name and a browser never holds a stale one.
func fileName(part string, i int, data []byte) string {
	sum := sha256.Sum256(data)
	return part + "/" + strconv.Itoa(i) + "-" + hex.EncodeToString(sum[:5]) + ".json"
}

// facetDigits is how many digits of the postings' alphabet each doc's
// group takes in the manifest's facets.
func facetDigits(groups int) int {
	n := 1
	for size := 64; size < groups; size *= 64 {
		n++
	}
	return n
}

// manifest is what the index's manifest says, gathered as the index is
// written.
type manifest struct {
	kinds    names
	sections names
	groups   map[[2]int]int // (kind, section) → group
	order    [][2]int       // the groups, by number
	docs     []int          // each doc's group
	shards   []string       // file names: the tokens' shards, then the characters'
	chunks   []string
}

// names numbers strings in the order they come.
type names struct {
	byName map[string]int
	list   []string
}

func (n *names) number(s string) int {
	if i, ok := n.byName[s]; ok {
		return i
	}
	if n.byName == nil {
		n.byName = map[string]int{}
	}
	n.byName[s] = len(n.list)
	n.list = append(n.list, s)
	return len(n.list) - 1
}

func newManifest(n int) *manifest {
	return &manifest{groups: map[[2]int]int{}, docs: make([]int, 0, n)}
}

// addDoc records the kind and section of the next doc.
func (m *manifest) addDoc(kind, section string) {
	key := [2]int{m.kinds.number(kind), m.sections.number(section)}
	g, ok := m.groups[key]
	if !ok {
		g = len(m.order)
		m.groups[key] = g
		m.order = append(m.order, key)
	}
	m.docs = append(m.docs, g)
}

// json is the manifest as search.js reads it; see the package comment.
func (m *manifest) json(sh shape) []byte {
	out := []byte(`{"v":`)
	out = strconv.AppendInt(out, Version, 10)
	out = append(out, `,"count":`...)
	out = strconv.AppendInt(out, int64(len(m.docs)), 10)
	out = append(out, `,"perChunk":`...)
	out = strconv.AppendInt(out, int64(sh.perChunk), 10)
	list := func(key string, items []string) {
		out = append(out, `,"`...)
		out = append(out, key...)
		out = append(out, `":[`...)
		for i, s := range items {
			if i > 0 {
				out = append(out, ',')
			}
			out = appendString(out, s)
		}
		out = append(out, ']')
	}
	list("kinds", m.kinds.list)
	list("sections", m.sections.list)
	out = append(out, `,"groups":[`...)
	for i, g := range m.order {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '[')
		out = strconv.AppendInt(out, int64(g[0]), 10)
		out = append(out, ',')
		out = strconv.AppendInt(out, int64(g[1]), 10)
		out = append(out, ']')
	}
	out = append(out, `],"facets":"`...)
	width := facetDigits(len(m.order))
	for _, g := range m.docs {
		for range width {
			out = append(out, digits[g&63])
			g >>= 6
		}
	}
	out = append(out, '"')
	list("tokens", m.shards[:sh.tokens])
	list("chars", m.shards[sh.tokens:])
	list("docs", m.chunks)
	return append(out, "}\n"...)
}

// Manifest is the manifest as a reader of the index sees it; see the
// package comment.
type Manifest struct {
	V        int      `json:"v"`
	Count    int      `json:"count"` // docs
	PerChunk int      `json:"perChunk"`
	Kinds    []string `json:"kinds"`
	Sections []string `json:"sections"`
	Groups   [][2]int `json:"groups"` // kind and section
	Facets   string   `json:"facets"`
	Tokens   []string `json:"tokens"` // shard files
	Chars    []string `json:"chars"`
	Docs     []string `json:"docs"` // chunk files
}

// ReadManifest reads the manifest of an index through open, which reads a
// file of the index by name.
func ReadManifest(open func(name string) ([]byte, error)) (*Manifest, error) {
	data, err := open(ManifestName)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestName, err)
	}
	if m.V != Version {
		return nil, fmt.Errorf("search index version %d, not %d", m.V, Version)
	}
	return &m, nil
}

// Group is the number of doc's (kind, section) group in Groups.
func (m *Manifest) Group(doc int) int {
	width := facetDigits(len(m.Groups))
	g := 0
	for k := width - 1; k >= 0; k-- {
		g = g*64 + int(digitValues[m.Facets[doc*width+k]])
	}
	return g
}

// ShardOf is the file of the shard that holds a token.
func (m *Manifest) ShardOf(token string) string {
	if loneCJK(token) {
		return m.Chars[shardOf(token, len(m.Chars))]
	}
	return m.Tokens[shardOf(token, len(m.Tokens))]
}
