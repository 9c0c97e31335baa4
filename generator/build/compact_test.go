package build

import (
	"slices"
	"testing"
	"time"

	"lanmu/generator/markup"
)

// A one-off build keeps a page's headings in its spill file: they must
// come back as they went, empty ids and long Chinese texts included.
func TestHeadingsRoundTrip(t *testing.T) {
	long := string(slices.Repeat([]rune("学习"), 200))
	for _, headings := range [][]markup.Heading{
		nil,
		{{Level: 2, ID: "主要做法", Text: "主要做法"}},
		{{Level: 1, ID: "", Text: ""}, {Level: 6, ID: "a-b", Text: long}, {Level: 3, ID: "x", Text: "Go 与 YAML"}},
	} {
		if got := readHeadings(string(appendHeadings(nil, headings))); !slices.Equal(got, headings) {
			t.Errorf("read back %+v, want %+v", got, headings)
		}
	}
}

// Likewise a page's links, which the link check reads after rendering.
func TestLinksRoundTrip(t *testing.T) {
	for _, links := range [][]markup.Link{
		nil,
		{{Dest: "/xxjy/readings/学习/#提纲", Line: 3, Col: 17}},
		{{Dest: "", Line: 1, Col: 1, Image: true}, {Dest: "../a.png", Line: 100000, Col: 4000, Image: true}, {Dest: "/b/", Line: 2, Col: 2}},
	} {
		if got := readLinks(string(appendLinks(nil, links))); !slices.Equal(got, links) {
			t.Errorf("read back %+v, want %+v", got, links)
		}
	}
}

// A job's lastmod is kept to the second; the zero time stays the zero
// time, which the sitemap leaves out, and a job that sets none has it.
func TestStampKeepsTheSecond(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	for _, when := range []time.Time{
		time.Date(2016, 6, 22, 10, 0, 0, 0, shanghai),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1921, 7, 1, 9, 30, 15, 999, shanghai),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	} {
		if got := stampOf(when).time(); !got.Equal(when.Truncate(time.Second)) {
			t.Errorf("%v came back as %v", when, got)
		}
	}
	if got := stampOf(time.Time{}).time(); !got.IsZero() {
		t.Errorf("the zero time came back as %v", got)
	}
	if got := (job{}).lastmod.time(); !got.IsZero() {
		t.Errorf("a job without a lastmod has %v", got)
	}
}
