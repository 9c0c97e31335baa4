package build

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"lanmu/generator/output"
	"lanmu/internal/testsite"
)

// TestPocketBookDate builds a 2016 column in 2026: the pocket book's front
// and back covers must carry the column's own date, [print] date when
// set, else the date of its newest page, never the day of the build.
func TestPocketBookDate(t *testing.T) {
	files := map[string]string{
		"content/_index.md":           "---\ntitle: 首页\n---\n欢迎。\n",
		"content/readings/a.md":       "---\ntitle: 必读\ndate: 2016-05-01\n---\n正文。\n",
		"content/news/newest.md":      "---\ntitle: 最新动态\ndate: 2016-11-20 09:30\n---\n正文。\n",
		"content/news/older.md":       "---\ntitle: 较早动态\ndate: 2016-06-16\n---\n正文。\n",
		"content/readings/undated.md": "---\ntitle: 无日期必读\n---\n正文。\n",
	}
	coverDates := regexp.MustCompile(`class="book-(?:cover|back)__date"><time datetime="([^"]+)"`)
	for _, tc := range []struct {
		config, want string
	}{
		{"title = \"专栏\"\n", "2016-11-20"},
		{"title = \"专栏\"\n[print]\ndate = \"2016-12-31\"\n", "2016-12-31"},
	} {
		files["lanmu.toml"] = tc.config
		s, err := Load(Options{Source: testsite.Write(t, files), Now: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		mem := output.NewMemory()
		if _, err := s.Render(mem); err != nil {
			t.Fatal(err)
		}
		page := string(mem.Files()["/print/pocketbook/index.html"])
		got := coverDates.FindAllStringSubmatch(page, -1)
		if len(got) != 2 {
			t.Fatalf("%q: %d dated covers in the pocket book, want front and back", tc.config, len(got))
		}
		for _, m := range got {
			if !strings.HasPrefix(m[1], tc.want+"T") {
				t.Errorf("%q: a cover is dated %s, want %s", tc.config, m[1], tc.want)
			}
		}
		if !strings.Contains(page, "data-back-cover") {
			t.Errorf("the back cover is not marked for the printer")
		}
	}
}
