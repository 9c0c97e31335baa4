package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// cst is China Standard Time. A fixed zone keeps the tests independent of
// the tzdata installed on the machine.
var cst = time.FixedZone("CST", 8*60*60)

const (
	feedLink    = "https://www.example.gov.cn/xxjy/news/"
	rssSelfURL  = "https://www.example.gov.cn/xxjy/news/index.xml"
	atomSelfURL = "https://www.example.gov.cn/xxjy/news/atom.xml"
	jsonSelfURL = "https://www.example.gov.cn/xxjy/news/feed.json"
)

// sampleFeed returns a two-item Chinese feed. The first item is published
// late in the evening so that a UTC conversion would change its date, and
// its content carries CJK text, markup and a literal "]]>".
func sampleFeed() *Feed {
	return &Feed{
		Title:       "新闻动态",
		Description: "学习教育专栏的最新消息",
		Link:        feedLink,
		Language:    "zh-CN",
		Author:      "中共某某市委宣传部",
		Updated:     time.Date(2025, 6, 30, 23, 30, 0, 0, cst),
		Items: []Item{
			{
				Title:     "深入学习贯彻党的二十大精神",
				Link:      "https://www.example.gov.cn/xxjy/news/2025-06-30-xuexi/",
				ID:        "https://www.example.gov.cn/xxjy/news/2025-06-30-xuexi/",
				Published: time.Date(2025, 6, 30, 22, 15, 0, 0, cst),
				Updated:   time.Date(2025, 6, 30, 23, 30, 0, 0, cst),
				Summary:   "6月30日，市委理论学习中心组召开专题学习会。",
				Content:   `<p>6月30日，市委理论学习中心组召开专题学习会。</p><p>代码示例：<code>a[b[0]]]&gt;c</code> 与原文 ]]> 保留。</p><p><a href="https://www.example.gov.cn/xxjy/">返回专栏</a></p>`,
				Author:    "宣传科",
				Tags:      []string{"理论学习", "党的二十大"},
			},
			{
				Title:     "Study session & Q&A: 读书班😀",
				Link:      "https://www.example.gov.cn/xxjy/news/2025-06-20-dushuban/",
				ID:        "tag:www.example.gov.cn,2025:xxjy/news/dushuban",
				Published: time.Date(2025, 6, 20, 9, 0, 0, 0, cst),
				Updated:   time.Date(2025, 6, 20, 9, 0, 0, 0, cst),
				Summary:   "第一期读书班开班。",
				Content:   "<p>第一期读书班开班。</p>",
				Tags:      []string{"读书班"},
			},
		},
	}
}

type format struct {
	name   string
	write  func(*Feed, string) ([]byte, error)
	self   string
	offset string // how +08:00 is spelled in the format's dates
}

var formats = []format{
	{"RSS", RSS, rssSelfURL, "+0800"},
	{"Atom", Atom, atomSelfURL, "+08:00"},
	{"JSON", JSON, jsonSelfURL, "+08:00"},
}

func parse(t *testing.T, doc []byte) *gofeed.Feed {
	t.Helper()
	pf, err := gofeed.NewParser().ParseString(string(doc))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, doc)
	}
	return pf
}

func TestParsedByGofeed(t *testing.T) {
	for _, ft := range formats {
		t.Run(ft.name, func(t *testing.T) {
			f := sampleFeed()
			doc, err := ft.write(f, ft.self)
			if err != nil {
				t.Fatal(err)
			}
			pf := parse(t, doc)
			if pf.Title != f.Title {
				t.Errorf("title = %q, want %q", pf.Title, f.Title)
			}
			if pf.Link != f.Link {
				t.Errorf("link = %q, want %q", pf.Link, f.Link)
			}
			if pf.FeedLink != ft.self {
				t.Errorf("feed link = %q, want %q", pf.FeedLink, ft.self)
			}
			if pf.Language != "zh-CN" {
				t.Errorf("language = %q, want zh-CN", pf.Language)
			}
			if pf.Description != f.Description {
				t.Errorf("description = %q, want %q", pf.Description, f.Description)
			}
			if len(pf.Items) != len(f.Items) {
				t.Fatalf("%d items, want %d", len(pf.Items), len(f.Items))
			}
			for i, got := range pf.Items {
				want := f.Items[i]
				if got.Title != want.Title {
					t.Errorf("item %d title = %q, want %q", i, got.Title, want.Title)
				}
				if got.Link != want.Link {
					t.Errorf("item %d link = %q, want %q", i, got.Link, want.Link)
				}
				if got.GUID != want.ID {
					t.Errorf("item %d guid = %q, want %q", i, got.GUID, want.ID)
				}
				if got.PublishedParsed == nil || !got.PublishedParsed.Equal(want.Published) {
					t.Errorf("item %d published = %v, want %v", i, got.PublishedParsed, want.Published)
				}
				if !strings.HasSuffix(got.Published, ft.offset) {
					t.Errorf("item %d raw published = %q, want offset %s", i, got.Published, ft.offset)
				}
				if got.Content != want.Content {
					t.Errorf("item %d content = %q, want %q", i, got.Content, want.Content)
				}
				if strings.Join(got.Categories, "|") != strings.Join(want.Tags, "|") {
					t.Errorf("item %d categories = %q, want %q", i, got.Categories, want.Tags)
				}
			}
			// gofeed fills Author only from JSON Feed 1.0's deprecated
			// "author"; Authors covers 1.1 and the XML formats.
			if a := pf.Items[0].Authors; len(a) != 1 || a[0].Name != "宣传科" {
				t.Errorf("item 0 authors = %+v, want 宣传科", a)
			}
			if ft.name != "RSS" {
				// RSS has no item updated date (dc:modified aside).
				if u := pf.Items[0].UpdatedParsed; u == nil || !u.Equal(f.Items[0].Updated) {
					t.Errorf("item 0 updated = %v, want %v", u, f.Items[0].Updated)
				}
			}
		})
	}
}

// TestDatesKeepOffset checks the literal date strings, because a reader
// shows what is written and gofeed's parsed instants would also be equal
// after a UTC conversion.
func TestDatesKeepOffset(t *testing.T) {
	wants := map[string][]string{
		"RSS": {
			"<lastBuildDate>Mon, 30 Jun 2025 23:30:00 +0800</lastBuildDate>",
			"<pubDate>Mon, 30 Jun 2025 22:15:00 +0800</pubDate>",
		},
		"Atom": {
			"<updated>2025-06-30T23:30:00+08:00</updated>",
			"<published>2025-06-30T22:15:00+08:00</published>",
		},
		"JSON": {
			`"date_published": "2025-06-30T22:15:00+08:00"`,
			`"date_modified": "2025-06-30T23:30:00+08:00"`,
		},
	}
	for _, ft := range formats {
		doc, err := ft.write(sampleFeed(), ft.self)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wants[ft.name] {
			if !bytes.Contains(doc, []byte(w)) {
				t.Errorf("%s: missing %s", ft.name, w)
			}
		}
		if bytes.Contains(doc, []byte("2025-06-30T14:15:00Z")) || bytes.Contains(doc, []byte("+0000")) {
			t.Errorf("%s: dates converted to UTC", ft.name)
		}
	}
}

// decodeXML reads doc to the end with encoding/xml in strict mode and
// returns the start elements seen.
func decodeXML(t *testing.T, doc []byte) []xml.StartElement {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var starts []xml.StartElement
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return starts
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok {
			starts = append(starts, se.Copy())
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func TestRSSWellFormed(t *testing.T) {
	doc, err := RSS(sampleFeed(), rssSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n<rss ",
		`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/"`,
		`xmlns:dc="http://purl.org/dc/elements/1.1/"`,
		`<atom:link href="` + rssSelfURL + `" rel="self" type="application/rss+xml">`,
		`<language>zh-CN</language>`,
		`<generator>lanmu</generator>`,
		`<guid isPermaLink="true">https://www.example.gov.cn/xxjy/news/2025-06-30-xuexi/</guid>`,
		`<guid isPermaLink="false">tag:www.example.gov.cn,2025:xxjy/news/dushuban</guid>`,
		`<dc:creator>宣传科</dc:creator>`,
		`<category>理论学习</category>`,
		`<content:encoded><![CDATA[<p>6月30日`,
	} {
		if !bytes.Contains(doc, []byte(s)) {
			t.Errorf("missing %s", s)
		}
	}
	if bytes.Contains(doc, []byte("<author>")) {
		t.Error("RSS <author> must be an e-mail address; expected dc:creator instead")
	}
	starts := decodeXML(t, doc)
	var self int
	for _, se := range starts {
		if se.Name.Space == nsAtom && se.Name.Local == "link" && attr(se, "rel") == "self" {
			self++
			if attr(se, "href") != rssSelfURL {
				t.Errorf("self href = %q", attr(se, "href"))
			}
		}
	}
	if self != 1 {
		t.Errorf("%d atom:link rel=self elements, want 1", self)
	}
}

func TestAtomWellFormed(t *testing.T) {
	doc, err := Atom(sampleFeed(), atomSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">`,
		`<id>` + feedLink + `</id>`,
		`<link href="` + feedLink + `" rel="alternate" type="text/html">`,
		`<link href="` + atomSelfURL + `" rel="self" type="application/atom+xml">`,
		`<name>中共某某市委宣传部</name>`,
		`<generator>lanmu</generator>`,
		`<summary type="text">6月30日，`,
		`<content type="html">&lt;p&gt;6月30日`,
		`<category term="理论学习">`,
		`<id>tag:www.example.gov.cn,2025:xxjy/news/dushuban</id>`,
	} {
		if !bytes.Contains(doc, []byte(s)) {
			t.Errorf("missing %s", s)
		}
	}
	starts := decodeXML(t, doc)
	if root := starts[0]; root.Name.Space != nsAtom || root.Name.Local != "feed" {
		t.Errorf("root = %v", root.Name)
	}
	var self, entries int
	for _, se := range starts {
		switch {
		case se.Name.Local == "link" && attr(se, "rel") == "self":
			self++
		case se.Name.Local == "entry":
			entries++
		}
	}
	if self != 1 || entries != 2 {
		t.Errorf("%d self links, %d entries; want 1, 2", self, entries)
	}
}

func TestJSONValid(t *testing.T) {
	doc, err := JSON(sampleFeed(), jsonSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, doc)
	}
	for k, want := range map[string]string{
		"version":       "https://jsonfeed.org/version/1.1",
		"feed_url":      jsonSelfURL,
		"home_page_url": feedLink,
		"language":      "zh-CN",
		"title":         "新闻动态",
	} {
		if m[k] != want {
			t.Errorf("%s = %v, want %q", k, m[k], want)
		}
	}
	if _, ok := m["author"]; ok {
		t.Error("deprecated top-level author written")
	}
	authors, _ := m["authors"].([]any)
	if len(authors) != 1 || authors[0].(map[string]any)["name"] != "中共某某市委宣传部" {
		t.Errorf("authors = %v", m["authors"])
	}
	items, _ := m["items"].([]any)
	if len(items) != 2 {
		t.Fatalf("items = %v", m["items"])
	}
	it := items[0].(map[string]any)
	if _, ok := it["content_text"]; ok {
		t.Error("content_text written next to content_html")
	}
	if !strings.Contains(it["content_html"].(string), "]]>") {
		t.Error("content_html lost its ]]>")
	}
	if tags := it["tags"].([]any); len(tags) != 2 {
		t.Errorf("tags = %v", tags)
	}
	// No \u003c escapes: the content is written as is.
	if !bytes.Contains(doc, []byte(`"content_html": "<p>6月30日`)) {
		t.Errorf("content_html escaped for HTML:\n%s", doc)
	}
}

// hostile is text meant to break a naive writer: markup, ampersands,
// quotes, CJK, an emoji, characters XML 1.0 forbids and invalid UTF-8.
const hostile = "<script>alert(1)</script> & \"引号\" 'x' 😀\x00\x01\x08\x0b\x0c\x1f\ufffe\uffff\xff"

// hostileClean is hostile as it must come out of a parser.
const hostileClean = "<script>alert(1)</script> & \"引号\" 'x' 😀\ufffd"

func hostileFeed() *Feed {
	f := sampleFeed()
	f.Title = hostile
	f.Description = hostile
	f.Author = hostile
	for i := range f.Items {
		it := &f.Items[i]
		it.Title = hostile
		it.Summary = hostile
		it.Author = hostile
		it.Tags = []string{hostile}
		it.Content = "<p>" + hostile + "</p>]]>" + hostile
	}
	f.Items[0].Link += "?q=\x00<&>\""
	f.Items[0].ID = f.Items[0].Link
	return f
}

// forbidden matches characters that are not allowed in XML 1.0 documents.
var forbidden = regexp.MustCompile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

// cdata matches CDATA sections, the only place raw markup may appear.
var cdata = regexp.MustCompile(`(?s)<!\[CDATA\[.*?\]\]>`)

func TestEscaping(t *testing.T) {
	for _, ft := range formats {
		t.Run(ft.name, func(t *testing.T) {
			f := hostileFeed()
			doc, err := ft.write(f, ft.self)
			if err != nil {
				t.Fatal(err)
			}
			if loc := forbidden.FindIndex(doc); loc != nil {
				t.Errorf("forbidden character %q at %d", doc[loc[0]:loc[1]], loc[0])
			}
			if !utf8Valid(doc) {
				t.Error("output is not valid UTF-8")
			}
			if ft.name != "JSON" {
				decodeXML(t, doc)
				outside := cdata.ReplaceAll(doc, nil)
				if bytes.Contains(outside, []byte("<script>")) || bytes.Contains(outside, []byte(`"引号"`)) {
					t.Errorf("unescaped text outside CDATA:\n%s", outside)
				}
			} else {
				var m map[string]any
				if err := json.Unmarshal(doc, &m); err != nil {
					t.Fatal(err)
				}
			}
			pf := parse(t, doc)
			if pf.Title != hostileClean {
				t.Errorf("feed title = %q, want %q", pf.Title, hostileClean)
			}
			for i, it := range pf.Items {
				if it.Title != hostileClean {
					t.Errorf("item %d title = %q, want %q", i, it.Title, hostileClean)
				}
				if want := "<p>" + hostileClean + "</p>]]>" + hostileClean; it.Content != want {
					t.Errorf("item %d content = %q, want %q", i, it.Content, want)
				}
				if len(it.Categories) != 1 || it.Categories[0] != hostileClean {
					t.Errorf("item %d categories = %q", i, it.Categories)
				}
			}
			if want := "https://www.example.gov.cn/xxjy/news/2025-06-30-xuexi/?q=<&>\""; pf.Items[0].Link != want {
				t.Errorf("item 0 link = %q, want %q", pf.Items[0].Link, want)
			}
		})
	}
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "\x00") == string(b) }

// TestRSSDescriptionIsHTML checks that a plain-text summary is written as
// HTML text: RSS readers render <description> as HTML, so "<b>" in a
// summary must arrive as the characters, not as a bold tag.
func TestRSSDescriptionIsHTML(t *testing.T) {
	f := sampleFeed()
	f.Items[0].Summary = "a<b> & c"
	doc, err := RSS(f, rssSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("<description>a&amp;lt;b&amp;gt; &amp;amp; c</description>")) {
		t.Errorf("description not HTML-escaped:\n%s", doc)
	}
	if got := parse(t, doc).Items[0].Description; got != "a&lt;b&gt; &amp; c" {
		t.Errorf("parsed description = %q", got)
	}
}

func TestSummaryOnly(t *testing.T) {
	f := sampleFeed()
	for i := range f.Items {
		f.Items[i].Content = ""
	}
	rss, err := RSS(f, rssSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rss, []byte("content:encoded>")) {
		t.Error("RSS: content:encoded in summary-only mode")
	}
	if !bytes.Contains(rss, []byte("<description>6月30日，市委理论学习中心组召开专题学习会。</description>")) {
		t.Error("RSS: summary missing")
	}
	atom, err := Atom(f, atomSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(atom, []byte("<content")) {
		t.Error("Atom: content in summary-only mode")
	}
	if !bytes.Contains(atom, []byte(`<summary type="text">6月30日`)) {
		t.Error("Atom: summary missing")
	}
	js, err := JSON(f, jsonSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	for i, it := range m.Items {
		if _, ok := it["content_html"]; ok {
			t.Errorf("JSON item %d: content_html in summary-only mode", i)
		}
		if it["content_text"] != f.Items[i].Summary || it["summary"] != f.Items[i].Summary {
			t.Errorf("JSON item %d: content_text = %v, summary = %v", i, it["content_text"], it["summary"])
		}
	}
	for _, doc := range [][]byte{rss, atom, js} {
		pf := parse(t, doc)
		if len(pf.Items) != 2 || pf.Items[0].Description != f.Items[0].Summary {
			t.Errorf("%s: description = %q", pf.FeedType, pf.Items[0].Description)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, ft := range formats {
		a, err := ft.write(sampleFeed(), ft.self)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ft.write(sampleFeed(), ft.self)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: output differs between runs", ft.name)
		}
	}
}

func TestEmptyFeed(t *testing.T) {
	f := sampleFeed()
	f.Items = nil
	for _, ft := range formats {
		doc, err := ft.write(f, ft.self)
		if err != nil {
			t.Fatal(err)
		}
		if pf := parse(t, doc); len(pf.Items) != 0 || pf.Title != f.Title {
			t.Errorf("%s: %d items, title %q", ft.name, len(pf.Items), pf.Title)
		}
	}
	js, _ := JSON(f, jsonSelfURL)
	if !bytes.Contains(js, []byte(`"items": []`)) {
		t.Errorf("JSON Feed requires an items array:\n%s", js)
	}
}

func TestNilFeed(t *testing.T) {
	for _, ft := range formats {
		if _, err := ft.write(nil, ft.self); err == nil {
			t.Errorf("%s: no error for nil feed", ft.name)
		}
	}
}

// TestFallbacks covers the values derived when the caller leaves fields
// empty: the item ID, one of the two item dates, the feed date and author.
func TestFallbacks(t *testing.T) {
	f := sampleFeed()
	f.Author = ""
	f.Updated = time.Time{}
	f.Items[0].ID = ""
	f.Items[1].Updated = time.Time{}
	f.Items[1].Published, f.Items[1].Updated = time.Time{}, f.Items[1].Published
	f.Items[1].Summary, f.Items[1].Content = "", ""

	atom, err := Atom(f, atomSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	pf := parse(t, atom)
	if pf.Author == nil || pf.Author.Name != f.Title {
		t.Errorf("Atom author = %+v, want the feed title", pf.Author)
	}
	if pf.UpdatedParsed == nil || !pf.UpdatedParsed.Equal(f.Items[0].Updated) {
		t.Errorf("Atom updated = %v, want newest item date", pf.UpdatedParsed)
	}
	if pf.Items[0].GUID != f.Items[0].Link {
		t.Errorf("Atom id = %q, want the link", pf.Items[0].GUID)
	}
	if p := pf.Items[1].PublishedParsed; p == nil || !p.Equal(f.Items[1].Updated) {
		t.Errorf("Atom published = %v, want the updated date", p)
	}

	rss, err := RSS(f, rssSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(rss, []byte(`<guid isPermaLink="true">`+f.Items[0].Link+`</guid>`)) {
		t.Error("RSS guid does not fall back to the link")
	}
	if !bytes.Contains(rss, []byte("<lastBuildDate>Mon, 30 Jun 2025 23:30:00 +0800</lastBuildDate>")) {
		t.Errorf("RSS lastBuildDate does not fall back to the newest item:\n%s", rss)
	}
	if bytes.Contains(rss, []byte("<dc:creator>新闻动态")) {
		t.Error("RSS channel dc:creator should stay empty without an author")
	}

	js, err := JSON(f, jsonSelfURL)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Authors []any            `json:"authors"`
		Items   []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	if m.Authors != nil {
		t.Errorf("JSON authors = %v, want none", m.Authors)
	}
	if m.Items[1]["content_text"] != f.Items[1].Title {
		t.Errorf("JSON content_text = %v, want the title", m.Items[1]["content_text"])
	}
	if m.Items[1]["date_published"] != "2025-06-20T09:00:00+08:00" {
		t.Errorf("JSON date_published = %v", m.Items[1]["date_published"])
	}
}

// TestEnglish makes sure nothing assumes Chinese: an English feed with a
// UTC build time comes out with "en" and the times as given.
func TestEnglish(t *testing.T) {
	f := &Feed{
		Title:    "News",
		Link:     "https://example.org/news/",
		Language: "en",
		Updated:  time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Items: []Item{{
			Title:     "Hello, world",
			Link:      "https://example.org/news/hello/",
			ID:        "https://example.org/news/hello/",
			Published: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			Summary:   "Plain text.",
		}},
	}
	for _, ft := range formats {
		doc, err := ft.write(f, ft.self)
		if err != nil {
			t.Fatal(err)
		}
		pf := parse(t, doc)
		if pf.Language != "en" || len(pf.Items) != 1 || pf.Items[0].Title != "Hello, world" {
			t.Errorf("%s: language %q, items %d", ft.name, pf.Language, len(pf.Items))
		}
	}
}

func TestCleanNoAlloc(t *testing.T) {
	s := "深入学习贯彻党的二十大精神 <&> 😀\t\n"
	if got := clean(s); got != s {
		t.Errorf("clean(%q) = %q", s, got)
	}
	if n := testing.AllocsPerRun(100, func() { clean(s) }); n != 0 {
		t.Errorf("clean allocates %v times on clean input", n)
	}
	if got := clean("a\x00b\ufffec\xffd\U0010FFFF"); got != "abc\ufffdd\U0010FFFF" {
		t.Errorf("clean = %q", got)
	}
}

// bigFeed is 20 items of about 3 KB of Chinese article HTML each.
func bigFeed() *Feed {
	para := `<p>为深入学习贯彻习近平新时代中国特色社会主义思想，推动理论学习走深走实，<a href="https://www.example.gov.cn/xxjy/">学习专栏</a>持续更新。</p>` + "\n"
	var b strings.Builder
	for b.Len() < 3000 {
		b.WriteString(para)
	}
	f := sampleFeed()
	f.Items = nil
	for i := range 20 {
		f.Items = append(f.Items, Item{
			Title:     "理论学习中心组专题学习会",
			Link:      feedLink + "item/",
			ID:        feedLink + "item/",
			Published: time.Date(2025, 6, 30-i, 9, 0, 0, 0, cst),
			Updated:   time.Date(2025, 6, 30-i, 9, 0, 0, 0, cst),
			Summary:   "为深入学习贯彻习近平新时代中国特色社会主义思想，推动理论学习走深走实。",
			Content:   b.String(),
			Author:    "宣传科",
			Tags:      []string{"理论学习", "中心组"},
		})
	}
	return f
}

func benchmarkFormat(b *testing.B, write func(*Feed, string) ([]byte, error)) {
	f := bigFeed()
	doc, err := write(f, rssSelfURL)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := write(f, rssSelfURL); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRSS(b *testing.B)  { benchmarkFormat(b, RSS) }
func BenchmarkAtom(b *testing.B) { benchmarkFormat(b, Atom) }
func BenchmarkJSON(b *testing.B) { benchmarkFormat(b, JSON) }

// TestRandomText feeds strings built from awkward characters through every
// format and checks that the documents stay well-formed and round-trip the
// cleaned text. The seed is fixed so a failure is reproducible.
func TestRandomText(t *testing.T) {
	pieces := []string{
		"<", ">", "&", "\"", "'", "]]>", "]]", "]", "<![CDATA[", "-->", "<!--",
		"\x00", "\x07", "\x1f", "\r", "\r\n", "\t", "\ufffe", "\uffff", "\ufffd", "\xff", "\xe4\xb8",
		"学习", "😀", "\u2028", "\u00a0", "&amp;", "&#0;", "&#x1F600;", "a", " ",
	}
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	for range 300 {
		f := sampleFeed()
		f.Title, f.Description, f.Author = "T"+text(), text(), text()
		for i := range f.Items {
			it := &f.Items[i]
			it.Title, it.Summary, it.Content, it.Author = "T"+text(), text(), text(), text()
			it.Tags = []string{text()}
		}
		for _, ft := range formats {
			doc, err := ft.write(f, ft.self)
			if err != nil {
				t.Fatal(err)
			}
			if ft.name == "JSON" {
				if !json.Valid(doc) {
					t.Fatalf("invalid JSON:\n%s", doc)
				}
			} else {
				if loc := forbidden.FindIndex(doc); loc != nil {
					t.Fatalf("%s: forbidden character %q", ft.name, doc[loc[0]:loc[1]])
				}
				decodeXML(t, doc)
			}
			pf := parse(t, doc)
			// gofeed trims whitespace before decoding references, so an
			// escaped trailing "\r\n" (&#xD;&#xA;) survives; trim both.
			if want := strings.TrimSpace(clean(f.Title)); strings.TrimSpace(pf.Title) != want {
				t.Fatalf("%s: title %q, want %q", ft.name, pf.Title, want)
			}
			for i, it := range pf.Items {
				if want := strings.TrimSpace(clean(f.Items[i].Title)); strings.TrimSpace(it.Title) != want {
					t.Fatalf("%s: item title %q, want %q", ft.name, it.Title, want)
				}
			}
		}
	}
}
