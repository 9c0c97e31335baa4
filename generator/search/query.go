package search

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// Result is one page a query finds: its place in the index's docs, how
// many of the query's tokens it holds, in its title and in all, and its
// score.
type Result struct {
	Doc     int
	Matched int
	Title   int
	Score   float64
}

// Search is the reference search: what search.js finds for query in an
// index that Index wrote, best first, by the same rules, so that tests can
// hold the browser to it. open reads a file of the index by name, as the
// browser fetches it: the manifest, then the shards of the query's tokens.
//
// A result holds every token of the query if any page does, else as many
// as the best page holds. Among those, pages with more query tokens in the
// title come first, then the higher score: the sum over tokens of the
// token's weight in the page times its rarity, ln(1 + pages / pages with
// the token); then the index's order. A query's lone CJK character, which
// the text gives only inside pairs, matches every pair it is part of: the
// index holds its list already joined.
func Search(open func(name string) ([]byte, error), query string) ([]Result, error) {
	m, err := ReadManifest(open)
	if err != nil {
		return nil, err
	}
	shards := map[string]map[string]string{}
	n := float64(m.Count)
	hits := map[int]*Result{}
	for _, tok := range unique(Tokenize(query)) {
		name := m.ShardOf(tok)
		if shards[name] == nil {
			data, err := open(name)
			if err != nil {
				return nil, err
			}
			var shard map[string]string
			if err := json.Unmarshal(data, &shard); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			shards[name] = shard
		}
		best := map[int]int{}
		for doc, w := range postings(shards[name][tok]) {
			best[doc] = w
		}
		rarity := math.Log(1 + n/float64(max(len(best), 1)))
		for doc, w := range best {
			h := hits[doc]
			if h == nil {
				h = &Result{Doc: doc}
				hits[doc] = h
			}
			h.Matched++
			if w&titleWeight != 0 {
				h.Title++
			}
			h.Score += float64(w) * rarity
		}
	}
	most := 0
	for _, h := range hits {
		most = max(most, h.Matched)
	}
	var out []Result
	for _, h := range hits {
		if h.Matched == most {
			out = append(out, *h)
		}
	}
	slices.SortFunc(out, func(a, b Result) int {
		return cmp.Or(cmp.Compare(b.Title, a.Title), cmp.Compare(b.Score, a.Score), cmp.Compare(a.Doc, b.Doc))
	})
	return out, nil
}

// unique keeps the first of each token, in order.
func unique(tokens []string) []string {
	var out []string
	for _, t := range tokens {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// postings yields each doc of a token's postings with its weight.
func postings(list string) func(yield func(doc, weight int) bool) {
	return func(yield func(doc, weight int) bool) {
		doc := -1
		for b := []byte(list); len(b) > 0; {
			v, n := readVarint(b)
			b = b[n:]
			doc += v >> weightBits
			if !yield(doc, v&(1<<weightBits-1)) {
				return
			}
		}
	}
}
