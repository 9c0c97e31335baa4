package axe

import (
	"cmp"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lanmu/generator/build"
	"lanmu/generator/config"
	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// repoRoot is the example site, seen from this package's folder.
const repoRoot = "../.."

// kindSections are the sections whose single pages each have a template of
// their own; one page of each is checked.
var kindSections = []string{"readings", "classes", "teachers", "cards", "standards", "news"}

// defaultPages are the site paths (relative to the base path) checked with
// the default theme: every list template, every kind of page, the print
// pages and the 404 page. The richest page of each kind is added by
// richestPage.
var defaultPages = []string{
	"", // home
	"readings/", "classes/", "teachers/", "cards/", "news/",
	"standards/", // also the status page
	"tags/", "branches/",
	"404.html",
	"print/pocketbook/", "print/cards/",
}

// darkScheme finds a dark colour scheme in a stylesheet.
var darkScheme = regexp.MustCompile(`prefers-color-scheme\s*:\s*dark`)

// TestExampleSiteIsAccessible builds the example column with the default
// and the ink theme, serves each on 127.0.0.1 and runs axe-core over a page
// of every template in headless Chromium. A serious or critical violation
// fails the test; moderate and minor ones are logged. A theme with a dark
// colour scheme is checked a second time in it.
func TestExampleSiteIsAccessible(t *testing.T) {
	axe := Require(t)
	ctx := chrome.New(t, 8*time.Minute)

	cases := []struct {
		theme string
		pages func(dest string) []string
	}{
		{"default", func(dest string) []string {
			pages := slices.Clone(defaultPages)
			for _, sec := range kindSections {
				pages = append(pages, richestPage(t, dest, sec))
			}
			pages = append(pages, richestPage(t, dest, "tags"), richestPage(t, dest, "branches"))
			// The search page comes with its own template and form.
			if isFile(filepath.Join(dest, "search", "index.html")) == nil {
				pages = append(pages, "search/")
			}
			return pages
		}},
		{"ink", func(dest string) []string {
			return []string{"", "readings/", richestPage(t, dest, "readings")}
		}},
	}
	for _, c := range cases {
		t.Run(c.theme, func(t *testing.T) {
			src := repoRoot
			if c.theme != "default" {
				src = testsite.CopyExample(t, repoRoot, func(conf string) string {
					const line = `theme    = "default"`
					if !strings.Contains(conf, line) {
						t.Fatalf("lanmu.toml has no line %q", line)
					}
					return strings.Replace(conf, line, `theme    = "`+c.theme+`"`, 1)
				})
			}
			base, dest := buildSite(t, src)
			srv := httptest.NewServer(http.StripPrefix(strings.TrimSuffix(base, "/"), http.FileServer(http.Dir(dest))))
			t.Cleanup(srv.Close)

			pages := c.pages(dest)
			t.Logf("checking %d pages of the %s theme: /%s", len(pages), c.theme, strings.Join(pages, " /"))
			schemes := []string{"light"}
			if hasDarkScheme(t, dest) {
				schemes = append(schemes, "dark")
			} else {
				t.Logf("the %s theme's stylesheets have no prefers-color-scheme: dark, so its pages are checked in the light scheme only", c.theme)
			}
			for _, scheme := range schemes {
				if err := PreferColorScheme(ctx, scheme); err != nil {
					t.Fatal(err)
				}
				for _, p := range pages {
					checkPage(t, ctx, axe, srv.URL+base+p, scheme)
				}
			}
			if err := PreferColorScheme(ctx, "light"); err != nil {
				t.Fatal(err)
			}
			// 关怀模式, as its switch's link turns it on: larger type and
			// stronger colours must pass the same rules.
			for _, p := range pages {
				checkPage(t, ctx, axe, srv.URL+base+p+"#care", "关怀模式")
			}
		})
	}
}

// checkPage fails t for each serious or critical violation on url and logs
// the others.
func checkPage(t *testing.T, ctx context.Context, axe *Checker, url, scheme string) {
	t.Helper()
	vs, err := axe.Check(ctx, url)
	if err != nil {
		t.Error(err)
		return
	}
	where := url
	if scheme != "light" {
		where += " (" + scheme + " scheme)"
	}
	for _, v := range vs {
		if v.Serious() {
			t.Errorf("%s", Format(where, v))
		} else {
			t.Logf("%s", Format(where, v))
		}
	}
}

// buildSite builds the site at src into a temporary folder and returns its
// base path ("/xxjy/") and the folder.
func buildSite(t *testing.T, src string) (base, dest string) {
	t.Helper()
	conf, err := config.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	dest = filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(build.Options{Source: src, Dest: dest}); err != nil {
		t.Fatalf("the build failed:\n%v", err)
	}
	return conf.BasePath, dest
}

// richestPage returns the site path of the largest page directly under
// section: the longest page of a kind uses most of its template (a table of
// contents, tables, a photo), so it exposes the most to the checker.
func richestPage(t *testing.T, dest, section string) string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dest, section))
	if err != nil {
		t.Fatal(err)
	}
	type page struct {
		path string
		size int64
	}
	var pages []page
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "page" { // page/ holds a list's later pages
			continue
		}
		fi, err := os.Stat(filepath.Join(dest, section, e.Name(), "index.html"))
		if err != nil {
			continue
		}
		pages = append(pages, page{section + "/" + e.Name() + "/", fi.Size()})
	}
	if len(pages) == 0 {
		t.Fatalf("the build wrote no page under %s/", section)
	}
	best := slices.MaxFunc(pages, func(a, b page) int {
		return cmp.Or(cmp.Compare(a.size, b.size), strings.Compare(b.path, a.path))
	})
	return best.path
}

// hasDarkScheme reports whether any stylesheet the build wrote has a dark
// colour scheme.
func hasDarkScheme(t *testing.T, dest string) bool {
	t.Helper()
	sheets, err := filepath.Glob(filepath.Join(dest, "css", "*.css"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) == 0 {
		t.Fatalf("the build wrote no stylesheet into %s/css", dest)
	}
	for _, s := range sheets {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		if darkScheme.Match(b) {
			return true
		}
	}
	return false
}
