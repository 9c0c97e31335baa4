package vnu

import (
	"cmp"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lanmu/generator/build"
	"lanmu/internal/testsite"
)

// repoRoot is the example site, seen from this package's folder.
const repoRoot = "../.."

// siteCases are the builds whose every HTML page must be valid.
//
// Other engineers add cases here as the features they build land: for
// example the site with another theme, or with language = "en". A case
// whose lanmu.toml differs from the example site's sets site, which returns
// the folder of a site it writes (see lanmu/internal/testsite); Source and
// Dest in opts are always filled in by the test.
var siteCases = []struct {
	name string
	site func(t *testing.T) string // the site folder; nil is the example site at the repository root
	opts build.Options
}{
	{name: "example", opts: build.Options{}},
	// Links without the /xxjy/ sub-path of the example site's baseURL.
	{name: "example-localhost", opts: build.Options{BaseURL: "http://localhost/"}},
	// --minify: unquoted attributes and collapsed space must stay valid.
	{name: "example-minified", opts: build.Options{Minify: true}},
	{name: "ink", site: withConfig(`theme    = "default"`, `theme    = "ink"`)},
	{name: "english", site: withConfig(`language = "zh-CN"`, `language = "en"`)},
}

// withConfig returns a site function that copies the example column with
// one line of its lanmu.toml replaced.
func withConfig(old, new string) func(t *testing.T) string {
	return func(t *testing.T) string {
		return testsite.CopyExample(t, repoRoot, func(c string) string {
			if !strings.Contains(c, old) {
				t.Fatalf("lanmu.toml has no line %q", old)
			}
			return strings.Replace(c, old, new, 1)
		})
	}
}

// TestExampleSiteIsValidHTML builds every case of siteCases and checks
// every HTML file they produce with the Nu HTML Checker, in one JVM.
func TestExampleSiteIsValidHTML(t *testing.T) {
	Require(t)
	t.Parallel()
	type output struct {
		name, dir string
		files     []string
	}
	var outputs []output
	var all []string
	for _, c := range siteCases {
		opts := c.opts
		opts.Source = repoRoot
		if c.site != nil {
			opts.Source = c.site(t)
		}
		opts.Dest = filepath.Join(t.TempDir(), "public")
		if _, err := build.Build(opts); err != nil {
			t.Errorf("%s: the build failed:\n%v", c.name, err)
			continue
		}
		files := htmlFiles(t, opts.Dest)
		if len(files) == 0 {
			t.Errorf("%s: the build wrote no HTML file into %s", c.name, opts.Dest)
			continue
		}
		outputs = append(outputs, output{c.name, opts.Dest, files})
		all = append(all, files...)
	}
	if len(all) == 0 {
		t.FailNow()
	}

	start := time.Now()
	msgs, err := Check(all)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the Nu HTML Checker checked %d HTML files of %d builds in %v, JVM start included",
		len(all), len(outputs), time.Since(start).Round(time.Millisecond))
	byFile := map[string][]Message{}
	for _, m := range msgs {
		byFile[m.File] = append(byFile[m.File], m)
	}

	for _, out := range outputs {
		t.Run(out.name, func(t *testing.T) {
			var lines []string
			pages := 0
			// The same template mistake shows on many pages: the summary
			// counts each distinct message and quotes its first occurrence.
			var distinct []string // messages in order of first occurrence
			first := map[string]string{}
			count := map[string]int{}
			for _, f := range out.files {
				ms := byFile[f]
				if len(ms) == 0 {
					continue
				}
				pages++
				rel, err := filepath.Rel(out.dir, f)
				if err != nil {
					rel = f
				}
				slices.SortStableFunc(ms, func(a, b Message) int {
					return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
				})
				for _, m := range ms {
					line := fmt.Sprintf("%s:%d:%d: %s%s", filepath.ToSlash(rel), m.Line, m.Col, m.Message, near(m.Extract))
					lines = append(lines, line)
					if count[m.Message] == 0 {
						distinct = append(distinct, m.Message)
						first[m.Message] = line
					}
					count[m.Message]++
				}
			}
			if len(lines) == 0 {
				return
			}
			summary := make([]string, len(distinct))
			for i, m := range distinct {
				summary[i] = fmt.Sprintf("%d× %s", count[m], first[m])
			}
			t.Errorf("%d HTML errors in %d of the %d pages (path:line:col relative to the output):\n%s\n\n%d distinct messages (count× first occurrence):\n%s",
				len(lines), pages, len(out.files), strings.Join(lines, "\n"), len(summary), strings.Join(summary, "\n"))
		})
	}
}

// htmlFiles returns the .html files under dir, sorted.
func htmlFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".html") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// near quotes the checker's extract of the source on one line.
func near(extract string) string {
	if extract = strings.Join(strings.Fields(extract), " "); extract == "" {
		return ""
	}
	return " [near: " + extract + "]"
}
