package corpus

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// readTree returns every file under root by its slash path.
func readTree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := Write(d, 60, 7); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(c, 60, 8); err != nil {
		t.Fatal(err)
	}
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(ta) != len(tb) {
		t.Fatalf("%d files, then %d", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	page := "lanmu/content/news/00001.md"
	if bytes.Equal(ta[page], tc[page]) {
		t.Errorf("%s is the same with seeds 7 and 8", page)
	}
}

func TestSameContentForBothSites(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, 30, 1); err != nil {
		t.Fatal(err)
	}
	l, h := readTree(t, filepath.Join(dir, "lanmu", "content")), readTree(t, filepath.Join(dir, "hugo", "content"))
	if len(l) != 32 || len(l) != len(h) {
		t.Fatalf("content files: lanmu %d, hugo %d, want 32 each", len(l), len(h))
	}
	for name, data := range l {
		if !bytes.Equal(data, h[name]) {
			t.Errorf("content/%s differs between the sites", name)
		}
	}
	for _, f := range []string{"hugo/hugo.toml", "hugo/layouts/_default/baseof.html", "hugo/layouts/_default/_markup/render-link.html", "hugo/static/css/lanmu.css", "hugo/static/css/chroma.css", "lanmu/lanmu.toml", Marker} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestTitlesPrefix(t *testing.T) {
	short, long := Titles(50, 3), Titles(100, 3)
	if !slices.Equal(short, long[:50]) {
		t.Error("the titles of 50 pages are not the first titles of 100 pages")
	}
}

var (
	frontMatter = regexp.MustCompile(`\A---\ntitle: "([^"\n]+)"\ndate: (\S+)\ntags: \[([^\]]+)\]\n---\n\n`)
	heading     = regexp.MustCompile(`(?m)^(##|###) (.+)$`)
	crossLink   = regexp.MustCompile(`\]\(/news/(\d{5})/\)`)
)

func TestPages(t *testing.T) {
	const n = 300
	titles := Titles(n, 1)
	seen := map[string]bool{}
	links := 0
	for num := 1; num <= n; num++ {
		src := string(Page(num, n, 1, titles[num-1]))
		m := frontMatter.FindStringSubmatch(src)
		if m == nil {
			t.Fatalf("page %d: front matter not as expected:\n%.300s", num, src)
		}
		title, body := m[1], src[len(m[0]):]
		if l := utf8.RuneCountInString(title); l < 10 || l > 25 {
			t.Errorf("page %d: title %q has %d characters", num, title, l)
		}
		if seen[title] {
			t.Errorf("page %d: title %q is used twice", num, title)
		}
		seen[title] = true
		date, err := time.Parse(time.RFC3339, m[2])
		if err != nil || date.Year() < 2016 || date.Year() > 2024 || !strings.HasSuffix(m[2], "+08:00") {
			t.Errorf("page %d: date %s", num, m[2])
		}
		pageTags := strings.Split(m[3], ", ")
		if len(pageTags) != 3 || pageTags[0] == pageTags[1] || pageTags[1] == pageTags[2] || pageTags[0] == pageTags[2] {
			t.Errorf("page %d: tags %q", num, pageTags)
		}
		for _, tag := range pageTags {
			if !slices.Contains(tags, tag) {
				t.Errorf("page %d: unknown tag %q", num, tag)
			}
		}
		if h := len(heading.FindAllString(body, -1)); h < 3 || h > 5 {
			t.Errorf("page %d: %d headings", num, h)
		}
		if c := hanCount(body); c < 1000 {
			t.Errorf("page %d: %d Chinese characters", num, c)
		}
		for _, want := range []string{"\n- ", "| --- |", "**「", "」**"} {
			if !strings.Contains(body, want) {
				t.Errorf("page %d: no %q", num, want)
			}
		}
		if !regexp.MustCompile("(?m)^```(go|yaml|bash)$").MatchString(body) {
			t.Errorf("page %d: no fenced code with a language", num)
		}
		for _, l := range crossLink.FindAllStringSubmatch(body, -1) {
			links++
			to, _ := strconv.Atoi(l[1])
			if to < 1 || to > n || to == num {
				t.Errorf("page %d: link to page %d", num, to)
			}
		}
	}
	if links < n/10 {
		t.Errorf("only %d cross links in %d pages", links, n)
	}
}

func TestRepeatedHeadings(t *testing.T) {
	titles := Titles(200, 1)
	repeats := 0
	for num := 1; num <= 200; num++ {
		hs := heading.FindAllStringSubmatch(string(Page(num, 200, 1, titles[num-1])), -1)
		set := map[string]bool{}
		for _, h := range hs {
			if set[h[2]] {
				repeats++
				break
			}
			set[h[2]] = true
		}
	}
	if repeats < 20 {
		t.Errorf("only %d of 200 pages repeat a heading", repeats)
	}
}

func TestReplacesOnlyItsOwnCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, 20, 1); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, 10, 1); err != nil {
		t.Fatalf("rewriting an earlier corpus: %v", err)
	}
	news, _ := os.ReadDir(filepath.Join(dir, "lanmu", "content", "news"))
	if len(news) != 11 {
		t.Errorf("%d files in news/ after rewriting 20 pages as 10, want 11", len(news))
	}
	if data, _ := os.ReadFile(filepath.Join(dir, Marker)); string(data) != MarkerText(10, 1) {
		t.Errorf("marker %q", data)
	}

	other := t.TempDir()
	if err := os.MkdirAll(filepath.Join(other, "hugo"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(other, 10, 1); err == nil {
		t.Error("Write replaced a hugo folder it did not make")
	}
	if _, err := os.Stat(filepath.Join(other, "hugo")); err != nil {
		t.Error("the foreign folder is gone")
	}
}
