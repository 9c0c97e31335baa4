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
