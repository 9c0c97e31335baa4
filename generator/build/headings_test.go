package build

import (
	"slices"
	"testing"

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
		if got := readHeadings(appendHeadings(nil, headings)); !slices.Equal(got, headings) {
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
		if got := readLinks(appendLinks(nil, links)); !slices.Equal(got, links) {
			t.Errorf("read back %+v, want %+v", got, links)
		}
	}
}
