package content

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"lanmu/generator/config"
)

// writeBenchSite writes a column of n pages, most of them news as in the
// benchmark corpus, with a few of every other kind, and returns its folder.
func writeBenchSite(b *testing.B, n int) (dir string, cfg *config.Config) {
	b.Helper()
	dir = b.TempDir()
	tags := []string{"党章", "党史", "组织生活会", "志愿服务", "乡村振兴", "主题党日", "理论学习"}
	body := strings.Repeat("各级党组织立足“学做结合、以学促做”的要求，坚持专题辅导与交流发言相结合，主动加强政治理论学习。\n\n", 30)
	write := func(rel, text string) {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("content/_index.md", "---\ntitle: 首页\n---\n")
	for i := range n {
		day := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%1500)
		fm := fmt.Sprintf("title: \"第%d篇\"\ndate: %s\ntags: [%s, %s]\n", i, day.Format("2006-01-02T15:04:05+08:00"), tags[i%len(tags)], tags[(i/7)%len(tags)])
		switch i % 100 {
		case 1:
			write(fmt.Sprintf("content/readings/r%05d.md", i), "---\n"+fm+"source: 人民日报\nauthor: 评论员\n---\n"+body)
		case 2:
			write(fmt.Sprintf("content/classes/c%05d.md", i), "---\n"+fm+fmt.Sprintf("speaker: t%05d\nbranch: 第%d支部\nform: expert\n---\n", i+1, i%5)+body)
		case 3:
			write(fmt.Sprintf("content/teachers/t%05d/index.md", i), "---\n"+fm+"level: county\nphoto: photo.jpg\n---\n"+body)
			write(fmt.Sprintf("content/teachers/t%05d/photo.jpg", i), "jpg")
		case 4:
			write(fmt.Sprintf("content/cards/k%05d.md", i), "---\n"+fm+fmt.Sprintf("deck: 第%d组\norder: %d\n---\n答案。\n", i%3, i))
		case 5:
			if i < 1000 {
				write(fmt.Sprintf("content/standards/s%05d.md", i), "---\n"+fm+fmt.Sprintf("number: %d\ntasks:\n  - id: a\n    title: 学习\n    every: quarter\n    evidence:\n      section: classes\n      tags: [党史]\n---\n", i/100+1)+body)
				continue
			}
			fallthrough
		default:
			write(fmt.Sprintf("content/news/%05d.md", i), "---\n"+fm+"---\n"+body)
		}
	}
	cfg, err := config.Parse([]byte("title = \"基准\"\nbaseURL = \"https://bench.example.org/col/\"\n"))
	if err != nil {
		b.Fatal(err)
	}
	return dir, cfg
}

var benchSizes = []int{1000, 10000}

// BenchmarkLoad is a full load, as lanmu build does and as a live preview
// did after every save.
func BenchmarkLoad(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			dir, cfg := writeBenchSite(b, n)
			opts := Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			runtime.GC()
			b.ResetTimer()
			for range b.N {
				if _, err := Load(dir, cfg, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoaderOneEdit is the load after an editor saves one page: the
// file is rewritten (untimed) and the Loader told its path.
func BenchmarkLoaderOneEdit(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			dir, cfg := writeBenchSite(b, n)
			l := NewLoader(dir, Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
			if _, err := l.Load(cfg, nil); err != nil {
				b.Fatal(err)
			}
			edited := filepath.Join(dir, "content", "news", fmt.Sprintf("%05d.md", 10))
			// Writing the site and the first load leave garbage that is
			// theirs to collect, not the edits'.
			runtime.GC()
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				text := fmt.Sprintf("---\ntitle: 改了%d次\ndate: 2021-03-04\ntags: [党章]\n---\n正文\n", i)
				if err := os.WriteFile(edited, []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s, err := l.Load(cfg, []string{edited})
				if err != nil {
					b.Fatal(err)
				}
				if p := s.PageByFile("content/news/00010.md"); p == nil || p.Title != fmt.Sprintf("改了%d次", i) {
					b.Fatalf("the edit was not loaded: %+v", p)
				}
			}
		})
	}
}
