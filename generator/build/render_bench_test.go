package build

import (
	"bytes"
	"testing"
)

// BenchmarkTemplates renders every page of the example column through the
// built-in theme, into memory: the templates' share of a build, without
// the Markdown, which Load has converted outside the timer.
func BenchmarkTemplates(b *testing.B) {
	site, err := Load(Options{Source: exampleSite, AsOf: "2016-06-01"})
	if err != nil {
		b.Fatal(err)
	}
	jobs, err := site.plan()
	if err != nil {
		b.Fatal(err)
	}
	var pages []*job
	for _, j := range jobs {
		if j.recordable() {
			pages = append(pages, j)
		}
	}
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		for _, j := range pages {
			buf.Reset()
			if err := site.Theme.Execute(&buf, j.layout(), j.make.(rendered).templateData(site)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(pages)), "pages/op")
}
