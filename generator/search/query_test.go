package search

import (
	"slices"
	"testing"
)

// rankingDocs and rankingCases are the ranking rules by example; the
// browser test holds search.js to the same table.
var rankingDocs = []Doc{
	/* 0 */ {Title: "工作动态", Text: "党员学习党章一次。"},
	/* 1 */ {Title: "学习党章党规", Text: "本文谈学习方法。"},
	/* 2 */ {Title: "工作动态", Text: "党章党章党章，党员逐条学习党章。"},
	/* 3 */ {Title: "Party Constitution", Text: "Reading the party constitution together."},
	/* 4 */ {Title: "其他", Text: "组织生活会。"},
	/* 5 */ {Title: "工作动态", Text: "党员学习党章一次。"},
}

var rankingCases = []struct {
	query string
	want  []int
}{
	// Title hits first, then more body hits, then index order.
	{"党章", []int{1, 2, 0, 5}},
	// Pages holding every token of the query; 学习 alone is not enough.
	{"学习党章", []int{1, 2, 0, 5}},
	{"党规", []int{1}},
	// A lone character matches the pairs it is part of.
	{"规", []int{1}},
	{"会", []int{4}},
	// English ignores case; title hits first.
	{"CONSTITUTION", []int{3}},
	{"party", []int{3}},
	// Full-width letters fold to the same tokens.
	{"ｐａｒｔｙ", []int{3}},
	// When no page holds every token, the pages holding the most.
	{"党章 不存在", []int{1, 2, 0, 5}},
	{"没有的词", nil},
	{"、。！", nil},
	// Object properties are not tokens.
	{"constructor __proto__", nil},
}

func TestSearchRanking(t *testing.T) {
	index := Index(rankingDocs)
	for _, c := range rankingCases {
		got, err := Search(index.Open, c.query)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, r := range got {
			ids = append(ids, r.Doc)
		}
		if !slices.Equal(ids, c.want) {
			t.Errorf("Search(%q) = %v, want %v (%+v)", c.query, ids, c.want, got)
		}
	}
	if _, err := Search(Memory{ManifestName: []byte(`{"v":99}`)}.Open, "党"); err == nil {
		t.Error("an index of another version was searched")
	}
}

// referenceQueries are the fixed queries the browser's search is held to
// the Go reference with, on benchDocs: Chinese of one, two and five or
// more characters, English words, digits, mixed, queries that find
// nothing, and tokens in nearly every page.
func referenceQueries() []string {
	qs := []string{
		// very common tokens, and the most common pair
		"党员", "学习", "党员干部", "学习教育",
		// no hit
		"没有的词", "zzzz", "量子纠缠", "12345678", "、。！", "",
		// English words, any case, and digits
		"markdown", "Markdown", "MARKDOWN", "qr", "code", "QR code", "wi", "fi", "wi-fi", "Wi-Fi", "5g", "5G", "5",
		// mixed
		"5G党员", "Markdown学习", "党课 markdown", "QR code 专题", "Wi-Fi服务群众",
		// titles: 第N期
		"第1期", "第12期", "第100期", "第299期", "期",
	}
	words := []string{"党员", "干部", "学习", "教育", "支部", "组织", "生活", "专题", "党课", "讲话",
		"精神", "落实", "推进", "基层", "服务", "群众", "制度", "建设"}
	// every word alone, each of its characters alone, and runs of words
	for i, w := range words {
		r := []rune(w)
		qs = append(qs, w, string(r[0]), string(r[1]), w+words[(i+1)%len(words)], w+words[(i+5)%len(words)]+words[(i+7)%len(words)])
	}
	return qs
}

func TestReferenceQueriesCoverTheKinds(t *testing.T) {
	qs := referenceQueries()
	if len(qs) < 100 {
		t.Fatalf("%d reference queries; the browser parity test asks for at least 100", len(qs))
	}
	index := Index(benchDocs(300))
	found, none := 0, 0
	for _, q := range qs {
		got, err := Search(index.Open, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			none++
		} else {
			found++
		}
	}
	if none < 5 || found < 80 {
		t.Errorf("%d queries find pages and %d none: the set does not test what it should", found, none)
	}
}
