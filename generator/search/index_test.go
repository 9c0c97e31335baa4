package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"lanmu/generator/spill"
)

// decoded is an index read back the way search.js reads it, every shard
// and chunk of it.
type decoded struct {
	V        int
	Count    int
	Docs     [][]any // url, title, date, text
	Kinds    []string
	Sections []string
	DocKinds []string // each doc's, from the facets
	Tokens   map[string]string
}

// decodeIndex reads an index's files back and checks their form: every
// file the manifest names is there and nothing else, each name holds the
// hash of its content, each token is in its shard, sorted, and there are
// no more files than PagesPerFile allows.
func decodeIndex(t *testing.T, files Memory) decoded {
	t.Helper()
	m, err := ReadManifest(files.Open)
	if err != nil {
		t.Fatal(err)
	}
	unmarshal := func(name string, v any) {
		t.Helper()
		data, ok := files[name]
		if !ok {
			t.Fatalf("the manifest names %s, which is missing", name)
		}
		if !utf8.Valid(data) {
			t.Errorf("%s is not valid UTF-8", name)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s is not valid JSON: %v\n%s", name, err, data)
		}
		if name != ManifestName {
			i, _ := strconv.Atoi(name[strings.IndexByte(name, '/')+1 : strings.IndexByte(name, '-')])
			if want := fileName(name[:strings.IndexByte(name, '/')], i, data); name != want {
				t.Errorf("file %s should be named %s", name, want)
			}
		}
	}
	d := decoded{V: m.V, Count: m.Count, Kinds: m.Kinds, Sections: m.Sections, Tokens: map[string]string{}}
	if len(m.Tokens) == 0 || len(m.Chars) == 0 {
		t.Fatal("the manifest names no token or character shard")
	}
	if n := 1 + len(m.Tokens) + len(m.Chars) + len(m.Docs); n > max(minFiles, m.Count/PagesPerFile) || n != len(files) {
		t.Errorf("%d files for %d docs; the manifest names %d", len(files), m.Count, n)
	}
	for i, name := range slices.Concat(m.Tokens, m.Chars) {
		shards := m.Tokens
		if i >= len(m.Tokens) {
			shards, i = m.Chars, i-len(m.Tokens)
		}
		// The shard's keys in their order, and the postings.
		data := files[name]
		var shard map[string]string
		unmarshal(name, &shard)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.Token()
		var keys []string
		for dec.More() {
			k, _ := dec.Token()
			keys = append(keys, k.(string))
			dec.Token()
		}
		if !slices.IsSorted(keys) {
			t.Errorf("shard %d's tokens are not sorted: %q", i, keys[:min(5, len(keys))])
		}
		for tok, list := range shard {
			if want := shardOf(tok, len(shards)); want != i || loneCJK(tok) != (len(shards) == len(m.Chars) && &shards[0] == &m.Chars[0]) {
				t.Errorf("token %q is in %s, not in shard %d of the %s", tok, name, want, map[bool]string{true: "characters", false: "tokens"}[loneCJK(tok)])
			}
			d.Tokens[tok] = list
		}
	}
	for i, name := range m.Docs {
		var docs [][]any
		unmarshal(name, &docs)
		if len(docs) != m.PerChunk && i < len(m.Docs)-1 || len(docs) > m.PerChunk {
			t.Errorf("chunk %d has %d docs, not %d", i, len(docs), m.PerChunk)
		}
		d.Docs = append(d.Docs, docs...)
	}
	if len(d.Docs) != m.Count {
		t.Errorf("%d docs in the chunks, %d in the manifest", len(d.Docs), m.Count)
	}
	if width := facetDigits(len(m.Groups)); len(m.Facets) != width*m.Count {
		t.Fatalf("facets of %d characters for %d docs of %d groups", len(m.Facets), m.Count, len(m.Groups))
	}
	for i := range m.Count {
		d.DocKinds = append(d.DocKinds, m.Kinds[m.Groups[m.Group(i)][0]])
	}
	return d
}

type posting struct{ doc, weight int }

// postingsOf decodes a token's postings by the rules in the package
// comment, independently of the encoder.
func postingsOf(t *testing.T, s string) []posting {
	t.Helper()
	var out []posting
	doc, v, scale := -1, 0, 1
	for _, c := range []byte(s) {
		d := strings.IndexByte(digits, c)
		if d < 0 {
			t.Fatalf("postings %q hold %q, which is not a digit", s, c)
		}
		v += (d & 31) * scale
		if d >= 32 {
			scale *= 32
			continue
		}
		doc += v / 8
		out = append(out, posting{doc, v % 8})
		v, scale = 0, 1
	}
	if scale != 1 {
		t.Fatalf("postings %q end inside a number", s)
	}
	return out
}

func TestIndexDocsAndWeights(t *testing.T) {
	docs := []Doc{
		{URL: "/xxjy/readings/a/", Title: "学习党章", Kind: "必读文章", Date: "2016年6月8日",
			Text: "学习党章党规。党章是根本大法，学习党章要逐条学。", Keywords: "党建 Party"},
		{URL: "/xxjy/news/b/", Title: "工作动态", Kind: "工作动态", Date: "",
			Text: "各党支部组织党员学习党章。"},
		{URL: "/xxjy/readings/c/", Title: "Party work", Kind: "必读文章", Date: "2016年7月1日",
			Text: "party party party party party"},
	}
	d := decodeIndex(t, Index(docs))
	if d.V != Version {
		t.Errorf("v = %d, want %d", d.V, Version)
	}
	if want := []string{"必读文章", "工作动态"}; !slices.Equal(d.Kinds, want) {
		t.Errorf("kinds = %q, want %q", d.Kinds, want)
	}
	if want := []string{"必读文章", "工作动态", "必读文章"}; !slices.Equal(d.DocKinds, want) {
		t.Errorf("the docs' kinds = %q, want %q", d.DocKinds, want)
	}
	wantDocs := [][]any{
		{"/xxjy/readings/a/", "学习党章", "2016年6月8日", "学习党章党规。党章是根本大法，学习党章要逐条学。"},
		{"/xxjy/news/b/", "工作动态", "", "各党支部组织党员学习党章。"},
		{"/xxjy/readings/c/", "Party work", "2016年7月1日", "party party party party party"},
	}
	if fmt.Sprint(d.Docs) != fmt.Sprint(wantDocs) {
		t.Errorf("docs = %v\nwant   %v", d.Docs, wantDocs)
	}
	for token, want := range map[string][]posting{
		// In doc 0's title and three times in its body (capped at 3),
		// once in doc 1's body.
		"党章": {{0, titleWeight + 3}, {1, 1}},
		// Title only.
		"动态": {{1, titleWeight}},
		// Keywords count as body text.
		"党建": {{0, 1}},
		// English is lower-cased: a keyword of doc 0, and doc 2's title
		// plus five body hits, capped.
		"party": {{0, 1}, {2, titleWeight + 3}},
		"学习":    {{0, titleWeight + 2}, {1, 1}},
		// A lone character has the best weight of the tokens it is in:
		// 党章 in doc 0, and 党支, 织党, 党员, 党章 (each once) in doc 1.
		"党": {{0, titleWeight + 3}, {1, 1}},
		// 规 is only in 党规 and 规。
		"规": {{0, 1}},
	} {
		got := postingsOf(t, d.Tokens[token])
		if !slices.Equal(got, want) {
			t.Errorf("postings of %q = %v, want %v", token, got, want)
		}
	}
	if _, ok := d.Tokens["Party"]; ok {
		t.Error("tokens are not lower-cased")
	}
	// Every token of every doc is indexed, and every character of a CJK
	// token, and nothing else.
	want := map[string]bool{}
	for tok := range wantPostings(docs) {
		want[tok] = true
	}
	if len(d.Tokens) != len(want) {
		t.Errorf("%d tokens indexed, want %d", len(d.Tokens), len(want))
	}
	for tok := range want {
		if _, ok := d.Tokens[tok]; !ok {
			t.Errorf("token %q is missing", tok)
		}
	}
}

func TestIndexPostingsAcrossManyDocs(t *testing.T) {
	// Gaps of every size, so that numbers of one to four characters occur.
	var docs []Doc
	var want []posting
	for i := range 12000 {
		d := Doc{URL: fmt.Sprintf("/p/%d/", i), Title: "页", Text: "正文"}
		if i == 0 || i == 3 || i == 4 || i == 200 || i == 5000 || i == 11999 {
			d.Text += " 稀有"
			want = append(want, posting{i, 1})
		}
		docs = append(docs, d)
	}
	d := decodeIndex(t, Index(docs))
	if got := postingsOf(t, d.Tokens["稀有"]); !slices.Equal(got, want) {
		t.Errorf("postings = %v, want %v", got, want)
	}
	// A token in every page costs one character a page.
	if n := len(d.Tokens["正文"]); n != len(docs) {
		t.Errorf("a token in all %d pages takes %d characters", len(docs), n)
	}
	all := postingsOf(t, d.Tokens["页"])
	if len(all) != len(docs) || all[len(all)-1] != (posting{len(docs) - 1, titleWeight}) {
		t.Errorf("the title token's postings end %v after %d", all[len(all)-1], len(all))
	}
}

func TestVarintRoundTrip(t *testing.T) {
	for _, v := range []int{0, 1, 7, 8, 31, 32, 33, 1023, 1024, 32767, 32768, 1 << 20, 1<<31 - 1} {
		s := string(appendVarint(nil, v))
		got := postingsOf(t, s)
		if len(got) != 1 || got[0].doc*8+8+got[0].weight != v {
			t.Errorf("%d encodes as %q, which decodes to %v", v, s, got)
		}
	}
}

func TestIndexSnippet(t *testing.T) {
	long := strings.Repeat("党员干部要带头学习。", 100) // 1,000 characters
	short := "第一段。\n\n  第二段\t有空白。"
	d := decodeIndex(t, Index([]Doc{{Title: "长", Text: long}, {Title: "短", Text: short}, {Title: "Cafe\u0301", Text: "Cafe\u0301"}}))
	snip := d.Docs[0][3].(string)
	if n := utf8.RuneCountInString(snip); n != SnippetRunes+1 || !strings.HasSuffix(snip, "…") || !strings.HasPrefix(long, strings.TrimSuffix(snip, "…")) {
		t.Errorf("a long text's snippet has %d characters: %q", n, snip)
	}
	if got, want := d.Docs[1][3], "第一段。 第二段 有空白。"; got != want {
		t.Errorf("snippet = %q, want %q (whitespace collapsed, not cut)", got, want)
	}
	if d.Docs[2][1] != "Café" || d.Docs[2][3] != "Café" {
		t.Errorf("title and snippet are not NFC: %q, %q", d.Docs[2][1], d.Docs[2][3])
	}
	// The whole text is indexed, not only the snippet.
	if _, ok := d.Tokens["学习"]; !ok {
		t.Error("the text is not indexed")
	}
	late := strings.Repeat("前文", 400) + "末尾关键"
	d = decodeIndex(t, Index([]Doc{{Title: "x", Text: late}}))
	if _, ok := d.Tokens["关键"]; !ok {
		t.Error("a word after the snippet's end is not indexed")
	}
}

func TestIndexEscapesStrings(t *testing.T) {
	title := "He said \"x\\y\"\t<b>&\x01\xff end"
	d := decodeIndex(t, Index([]Doc{{URL: "/a?b=\"c\"", Title: title, Kind: "k\"", Text: "line\u2028sep"}}))
	if got, want := d.Docs[0][1], strings.ToValidUTF8(title, "\ufffd"); got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if d.Docs[0][0] != "/a?b=\"c\"" || d.Kinds[0] != "k\"" {
		t.Errorf("url or kind garbled: %v %q", d.Docs[0], d.Kinds)
	}
}

func TestIndexIsDeterministic(t *testing.T) {
	var docs []Doc
	for i := range 2000 {
		docs = append(docs, Doc{URL: fmt.Sprint(i), Title: fmt.Sprintf("第%d篇 学习", i), Kind: []string{"a", "b", "c"}[i%3],
			Text: strings.Repeat(fmt.Sprintf("内容%d 党员干部 ", i%17), 5)})
	}
	first := Index(docs)
	for range 3 {
		if !maps.EqualFunc(Index(docs), first, bytes.Equal) {
			t.Fatal("two indexes of the same docs differ")
		}
	}
	// decodeIndex checks that each shard's tokens are sorted.
	if d := decodeIndex(t, first); len(d.Tokens) < 10 {
		t.Errorf("%d tokens", len(d.Tokens))
	}
}

func TestIndexEmpty(t *testing.T) {
	d := decodeIndex(t, Index(nil))
	if len(d.Docs) != 0 || len(d.Tokens) != 0 || d.V != Version {
		t.Errorf("empty index = %+v", d)
	}
}

// benchDocs are n pages of about 1,500 characters of mixed text, varied so
// that pages share some pairs and not others.
func benchDocs(n int) []Doc {
	words := []string{"党员", "干部", "学习", "教育", "支部", "组织", "生活", "专题", "党课", "讲话",
		"精神", "落实", "推进", "基层", "服务", "群众", "制度", "建设", "Markdown", "QR code", "5G", "Wi-Fi"}
	docs := make([]Doc, n)
	for i := range docs {
		var b strings.Builder
		for j := 0; b.Len() < 4500; j++ {
			b.WriteString(words[(i*7+j*j)%len(words)])
			b.WriteString(words[(i+j*3)%len(words)])
			if j%9 == 8 {
				b.WriteString("。")
			}
		}
		docs[i] = Doc{URL: fmt.Sprintf("/news/%05d/", i), Title: fmt.Sprintf("第%d期%s%s", i, words[i%len(words)], words[(i/3)%len(words)]),
			Kind: "工作动态", Date: "2016年6月8日", Text: b.String(), Key: uint64(i + 1)}
	}
	return docs
}

func BenchmarkIndex1000(b *testing.B) {
	docs := benchDocs(1000)
	b.ResetTimer()
	for range b.N {
		Index(docs)
	}
}

// BenchmarkIndex1000Cached is the rebuild of lanmu serve: every page is in
// the cache, so only the postings are merged and written again.
func BenchmarkIndex1000Cached(b *testing.B) {
	docs := benchDocs(1000)
	var c Cache
	c.Index(docs)
	b.ResetTimer()
	for range b.N {
		c.Index(docs)
	}
}

func TestCacheReusesPagesAndMatchesIndex(t *testing.T) {
	docs := benchDocs(50)
	var c Cache
	if got, want := c.Index(docs), Index(docs); !maps.EqualFunc(got, want, bytes.Equal) {
		t.Fatal("a cache's first index differs from Index")
	}
	if !c.Has(docs[7].Key) || c.Has(0) || c.Has(999) || (*Cache)(nil).Has(docs[7].Key) {
		t.Error("Has does not report what the cache holds")
	}
	// An edited page (new key), a removed one and an added one; the pages
	// the cache holds come without their text, which it does not need.
	next := slices.Clone(docs)
	next[3].Text += " 新增的独特段落"
	next[3].Key = 1000
	next = slices.Delete(next, 10, 11)
	next = append(next, Doc{URL: "/new/", Title: "新页", Text: "全新内容", Key: 1001})
	want := Index(next)
	for i := range next {
		if c.Has(next[i].Key) {
			next[i].Text = ""
		}
	}
	if next[0].Text != "" || next[3].Text == "" {
		t.Fatal("the cache holds the wrong pages")
	}
	if got := c.Index(next); !maps.EqualFunc(got, want, bytes.Equal) {
		t.Error("the cache's index after edits differs from a fresh index")
	}
	if c.Has(docs[10].Key) || c.Has(docs[3].Key) {
		t.Error("the cache keeps pages that are gone")
	}
	if _, ok := decodeIndex(t, want).Tokens["独特"]; !ok {
		t.Error("the edit is not indexed")
	}
}

// snippetByFields is the snippet as first written, with the text split
// into fields and joined again: snippet must give the same text.
func snippetByFields(text string) string {
	cut := false
	n := 0
	for i := range text {
		if n == 4*SnippetRunes {
			text, cut = text[:i], true
			break
		}
		n++
	}
	text = strings.Join(strings.FieldsFunc(toNFC(text), unicode.IsSpace), " ")
	n = 0
	for i := range text {
		if n == SnippetRunes {
			text, cut = strings.TrimRightFunc(text[:i], unicode.IsSpace), true
			break
		}
		n++
	}
	if cut {
		text += "…"
	}
	return text
}

func TestSnippetMatchesFields(t *testing.T) {
	// Spaces of several kinds, Chinese, Latin, a combining accent that NFC
	// composes, and a full-width space.
	alphabet := []string{" ", "  ", "\n", "\u3000", "\t", "党", "建", "a", "Go", "e\u0301", "，", "…"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(4 * SnippetRunes) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		text := b.String()
		if got, want := snippet(text), snippetByFields(text); got != want {
			t.Fatalf("snippet(%q)\n got %q\nwant %q", text, got, want)
		}
	}
}

// The index is merged from runs of indexChunk docs, spilled to a file in
// a one-off build: across several runs, with the runs on disk, every
// token's postings must be those worked out page by page from Tokenize,
// and the index the same as with the runs in memory.
func TestIndexMergedFromSpilledRuns(t *testing.T) {
	docs := benchDocs(2*indexChunk + 300)
	for i := range docs {
		docs[i].Key = 0
		if i%97 == 0 {
			// A token that skips whole runs, and one page's own word.
			docs[i].Keywords = "稀见 " + fmt.Sprintf("only%d", i)
		}
	}
	want := wantPostings(docs)
	store, err := spill.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	spilled := Memory{}
	if err := (*Cache)(nil).WriteIndex(spilled, len(docs), func(i int) Doc { return docs[i] }, store); err != nil {
		t.Fatal(err)
	}
	if store.Size() == 0 {
		t.Fatal("no run was spilled")
	}
	if !maps.EqualFunc(spilled, Index(docs), bytes.Equal) {
		t.Error("the index merged from spilled runs differs from the one merged in memory")
	}
	got := decodeIndex(t, spilled).Tokens
	if len(got) != len(want) {
		t.Errorf("%d tokens, want %d", len(got), len(want))
	}
	for tok, w := range want {
		if p := postingsOf(t, got[tok]); !slices.Equal(p, w) {
			t.Errorf("token %q: postings %v, want %v", tok, p, w)
		}
	}
}

// wantPostings works out every token's postings page by page from
// Tokenize, by the rules in the package comment: a CJK character's are
// the best weight in each page of the tokens it is part of.
func wantPostings(docs []Doc) map[string][]posting {
	want := map[string][]posting{}
	for i, d := range docs {
		weights := map[string]int{}
		for _, field := range []string{d.Text, d.Keywords} {
			for _, tok := range Tokenize(field) {
				weights[tok] = min(weights[tok]+1, maxBody)
			}
		}
		for _, tok := range Tokenize(d.Title) {
			weights[tok] |= titleWeight
		}
		chars := map[string]int{}
		for tok, w := range weights {
			for _, c := range tok {
				if isCJK(c) {
					chars[string(c)] = max(chars[string(c)], w)
				}
			}
		}
		maps.Copy(weights, chars)
		for tok, w := range weights {
			want[tok] = append(want[tok], posting{i, w})
		}
	}
	return want
}

// A site of more than 64 kinds and sections together takes two digits a
// doc in the facets.
func TestFacetsOfManyGroups(t *testing.T) {
	var docs []Doc
	for i := range 150 {
		docs = append(docs, Doc{URL: fmt.Sprint(i), Title: "页", Kind: fmt.Sprintf("类%d", i%70), Section: fmt.Sprintf("栏%d", i%3)})
	}
	d := decodeIndex(t, Index(docs))
	for i, k := range d.DocKinds {
		if want := fmt.Sprintf("类%d", i%70); k != want {
			t.Fatalf("doc %d is a %s, want %s", i, k, want)
		}
	}
	if facetDigits(64) != 1 || facetDigits(65) != 2 || facetDigits(4096) != 2 || facetDigits(4097) != 3 {
		t.Error("facetDigits miscounts")
	}
}
