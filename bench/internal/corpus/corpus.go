// Package corpus writes the benchmark corpus: one set of news pages in
// Markdown, written twice, as a lanmu site (DIR/lanmu) and as a Hugo site
// with layouts that do the same work as lanmu's built-in theme (DIR/hugo).
//
// The corpus depends only on the page count and the seed: the same
// arguments give byte-identical files, on any machine and any Go release.
// Each page is generated from its own random stream (seed and page number),
// so the first N pages of a 2N-page corpus are the N-page corpus, except for
// the targets of cross links, which are drawn from all pages.
package corpus

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"

	"lanmu/themes"
)

// BaseURL is the baseURL of both sites. It has a sub-path, so that every
// link has to be made relative to it.
const BaseURL = "https://bench.example.org/col/"

// Title is the title of both sites.
const Title = "示例县党建学习专栏（基准测试）"

// Marker is the file Write leaves in DIR when it has finished. Its content
// says what was generated ("n=10000 seed=1\n"), so a script can reuse a
// corpus; its presence lets Write replace an earlier corpus in DIR.
const Marker = ".bench-corpus"

// MarkerText is the content of the Marker file for n pages and seed.
func MarkerText(n int, seed int64) string {
	return fmt.Sprintf("n=%d seed=%d\n", n, seed)
}

//go:embed all:hugo
var hugoFiles embed.FS

// Write generates n news pages with seed into dir/lanmu and dir/hugo. An
// earlier corpus in dir is replaced; any other existing dir/lanmu or
// dir/hugo is an error, so that Write never deletes what it did not make.
func Write(dir string, n int, seed int64) error {
	if n < 1 {
		return fmt.Errorf("corpus: the page count must be at least 1, not %d", n)
	}
	lanmuDir, hugoDir := filepath.Join(dir, "lanmu"), filepath.Join(dir, "hugo")
	if err := removeOld(dir, lanmuDir, hugoDir); err != nil {
		return err
	}
	for _, d := range []string{lanmuDir, hugoDir} {
		if err := os.MkdirAll(filepath.Join(d, "content", "news"), 0o755); err != nil {
			return err
		}
	}

	if err := writeFile(filepath.Join(lanmuDir, "lanmu.toml"), []byte(lanmuConfig)); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(hugoDir, "hugo.toml"), []byte(hugoConfig)); err != nil {
		return err
	}
	if err := writeHugoTheme(hugoDir); err != nil {
		return err
	}
	for name, text := range map[string]string{"_index.md": homeIndex, "news/_index.md": newsIndex} {
		if err := writeBoth(lanmuDir, hugoDir, name, []byte(text)); err != nil {
			return err
		}
	}

	titles := Titles(n, seed)
	// The pages are independent, so they are generated and written in
	// parallel; the result does not depend on the order.
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for num := range next {
				name := path.Join("news", PageName(num))
				if err := writeBoth(lanmuDir, hugoDir, name, Page(num, n, seed, titles[num-1])); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for num := 1; num <= n; num++ {
		next <- num
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return writeFile(filepath.Join(dir, Marker), []byte(MarkerText(n, seed)))
}

// removeOld removes a corpus that Write made earlier in dir, and refuses to
// touch anything else.
func removeOld(dir string, sites ...string) error {
	marker := filepath.Join(dir, Marker)
	_, err := os.Stat(marker)
	made := err == nil
	for _, site := range sites {
		if _, err := os.Stat(site); errors.Is(err, os.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		if !made {
			return fmt.Errorf("corpus: %s exists and was not made by the corpus generator (no %s beside it); remove it or choose another folder", site, Marker)
		}
	}
	if !made {
		return nil
	}
	// The marker goes first: an interrupted Write leaves no marker, so the
	// half-written corpus is never taken for a finished one.
	if err := os.Remove(marker); err != nil {
		return err
	}
	for _, site := range sites {
		if err := os.RemoveAll(site); err != nil {
			return err
		}
	}
	return nil
}

// PageName is the file name of page num: "00042.md".
func PageName(num int) string { return fmt.Sprintf("%05d.md", num) }

// PageURL is the site path of page num, the same in both sites: "/news/00042/".
func PageURL(num int) string { return fmt.Sprintf("/news/%05d/", num) }

func writeBoth(lanmuDir, hugoDir, name string, data []byte) error {
	for _, d := range []string{lanmuDir, hugoDir} {
		if err := writeFile(filepath.Join(d, "content", filepath.FromSlash(name)), data); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// writeHugoTheme writes the Hugo layouts, lanmu's own stylesheet (so that
// both sites look alike) and the chroma stylesheet lanmu writes at build
// time.
func writeHugoTheme(hugoDir string) error {
	err := fs.WalkDir(hugoFiles, "hugo", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := hugoFiles.ReadFile(p)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(hugoDir, filepath.FromSlash(strings.TrimPrefix(p, "hugo/"))), data)
	})
	if err != nil {
		return err
	}
	css, err := themes.FS.ReadFile("default/static/css/lanmu.css")
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(hugoDir, "static", "css", "lanmu.css"), css); err != nil {
		return err
	}
	var chroma bytes.Buffer
	if err := html.New(html.WithClasses(true)).WriteCSS(&chroma, styles.Get("github")); err != nil {
		return err
	}
	return writeFile(filepath.Join(hugoDir, "static", "css", "chroma.css"), chroma.Bytes())
}

// Titles returns the n page titles, all different. They are drawn in one
// sequence, as uniqueness is a property of the whole set.
func Titles(n int, seed int64) []string {
	r := newRNG(seed, 0)
	seen := make(map[string]bool, n)
	titles := make([]string, 0, n)
	for len(titles) < n {
		var t string
		for try := 0; ; try++ {
			t = titleCandidate(r)
			if try >= 100 {
				// Only reached when n approaches the number of combinations.
				t = fmt.Sprintf("%s（之%d）", t, len(titles)+1)
			}
			if !seen[t] {
				break
			}
		}
		seen[t] = true
		titles = append(titles, t)
	}
	return titles
}

func titleCandidate(r *rng) string {
	for {
		topic := pick(r, titleTopics)
		suffix := pick(r, titleSuffixes)
		if strings.HasSuffix(topic, suffix) || strings.HasSuffix(topic, "会") && strings.HasSuffix(suffix, "会") {
			suffix = ""
		}
		t := pick(r, titleUnits) + pick(r, titleActions) + topic + suffix
		if l := utf8.RuneCountInString(t); l >= 10 && l <= 25 {
			return t
		}
	}
}

// The dates of the pages are spread over 2016–2024, in China Standard Time.
var (
	cst       = time.FixedZone("CST", 8*3600)
	firstDate = time.Date(2016, 1, 1, 0, 0, 0, 0, cst)
	lastDate  = time.Date(2024, 12, 31, 23, 59, 0, 0, cst)
)

// Page returns the Markdown of page num (1-based) of an n-page corpus.
func Page(num, n int, seed int64, title string) []byte {
	r := newRNG(seed, uint64(num))
	g := &gen{r: r}
	minutes := int(lastDate.Sub(firstDate) / time.Minute)
	date := firstDate.Add(time.Duration(r.intn(minutes+1)) * time.Minute)

	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: \"%s\"\n", title)
	fmt.Fprintf(&b, "date: %s\n", date.Format("2006-01-02T15:04:05-07:00"))
	fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(g.tags(), ", "))
	b.WriteString("---\n\n")
	g.body(&b, num, n, date)
	return []byte(b.String())
}

// gen generates the body of one page.
type gen struct {
	r *rng
}

func (g *gen) tags() []string {
	order := make([]int, len(tags))
	for i := range order {
		order[i] = i
	}
	// A partial Fisher–Yates shuffle picks three different tags.
	out := make([]string, 3)
	for i := range out {
		j := i + g.r.intn(len(order)-i)
		order[i], order[j] = order[j], order[i]
		out[i] = tags[order[i]]
	}
	return out
}

// section is one heading of the page with what goes under it.
type section struct {
	heading string
	level   int
	paras   []string
	list    bool
	table   bool
	code    bool
}

func (g *gen) body(b *strings.Builder, num, n int, date time.Time) {
	r := g.r
	// Headings: the first is a main heading; later ones are main headings
	// (never repeated) or sub-headings, which often repeat one used before.
	count := r.between(3, 5)
	sections := make([]*section, count)
	usedMain := map[string]bool{}
	var subs []string
	for i := range sections {
		s := &section{level: 2}
		if i == 0 || r.chance(50) {
			for {
				s.heading = pick(r, mainHeadings)
				if !usedMain[s.heading] {
					break
				}
			}
			usedMain[s.heading] = true
		} else {
			s.level = 3
			if len(subs) > 0 && r.chance(50) {
				s.heading = pick(r, subs)
			} else {
				s.heading = pick(r, subHeadings)
			}
			subs = append(subs, s.heading)
		}
		sections[i] = s
	}
	pick(r, sections).list = true
	pick(r, sections).table = true
	pick(r, sections).code = true

	// Paragraphs: an introduction (which opens with the bold term, and
	// becomes the summary), then at least one per section, then more in
	// random sections until the text reaches its length.
	target := r.between(1000, 1500)
	intro := g.paragraph(true)
	total := hanCount(intro)
	for _, s := range sections {
		p := g.paragraph(false)
		s.paras = append(s.paras, p)
		total += hanCount(p)
	}
	for total < target {
		p := g.paragraph(false)
		s := pick(r, sections)
		s.paras = append(s.paras, p)
		total += hanCount(p)
	}
	if n > 1 && r.chance(30) {
		to := 1 + r.intn(n-1)
		if to >= num {
			to++
		}
		s := pick(r, sections)
		i := r.intn(len(s.paras))
		s.paras[i] += fmt.Sprintf("详见[%s](%s)。", pick(r, linkTexts), PageURL(to))
	}

	b.WriteString(intro)
	b.WriteString("\n\n")
	for _, s := range sections {
		fmt.Fprintf(b, "%s %s\n\n", strings.Repeat("#", s.level), s.heading)
		for i, p := range s.paras {
			b.WriteString(p)
			b.WriteString("\n\n")
			if i == 0 && s.list {
				g.list(b)
			}
		}
		if s.table {
			g.table(b, date)
		}
		if s.code {
			g.code(b, date)
		}
	}
}

var linkTexts = []string{"相关报道", "此前报道", "相关", "上一期动态", "工作简报"}

// paragraph returns 3–5 sentences. The introduction starts with the bold
// key term in corner brackets followed directly by Chinese text, the case
// that needs lanmu's CJK emphasis rule.
func (g *gen) paragraph(intro bool) string {
	var b strings.Builder
	if intro {
		b.WriteString(g.emphasis())
	}
	for range g.r.between(3, 5) {
		b.WriteString(g.sentence())
	}
	if !intro && g.r.chance(15) {
		b.WriteString(g.emphasis())
	}
	return b.String()
}

func (g *gen) emphasis() string {
	r := g.r
	return fmt.Sprintf("**「%s」**%s%s%s，%s%s。",
		pick(r, keyTerms), pick(r, keyTails), pick(r, adverbs), pick(r, verbs), pick(r, subjects), pick(r, results))
}

func (g *gen) sentence() string {
	r := g.r
	switch r.intn(8) {
	case 0:
		return fmt.Sprintf("%s，%s%s%s%s，%s。",
			pick(r, openers), pick(r, subjects), pick(r, adverbs), pick(r, verbs), pick(r, objects), pick(r, results))
	case 1:
		return fmt.Sprintf("%s%s“%s”的要求，坚持%s，%s%s%s。",
			pick(r, subjects), pick(r, connectors), pick(r, aims), pick(r, measures), pick(r, adverbs), pick(r, verbs), pick(r, objects))
	case 2:
		return fmt.Sprintf("%s，全县共%s%s%d%s，参与党员%d人次，%s。",
			pick(r, openers), pick(r, verbs), pick(r, objects), r.between(3, 260), pick(r, units), r.between(40, 9000), pick(r, results))
	case 3:
		return fmt.Sprintf("%s利用 %s %s%s%s，%s。",
			pick(r, subjects), pick(r, english), pick(r, englishUses), pick(r, verbs), pick(r, objects), pick(r, results))
	case 4:
		return fmt.Sprintf("针对%s中存在的薄弱环节，%s%s%s%s，%s。",
			pick(r, objects), pick(r, subjects), pick(r, adverbs), pick(r, verbs), pick(r, objects), pick(r, results))
	case 5:
		return fmt.Sprintf("%s在%s方面%s%s，做到%s。",
			pick(r, subjects), pick(r, objects), pick(r, adverbs), pick(r, verbs), pick(r, aims))
	case 6:
		return fmt.Sprintf("%s，%s把%s与%s结合起来，%s%s，%s。",
			pick(r, openers), pick(r, subjects), pick(r, objects), pick(r, objects), pick(r, adverbs), pick(r, verbs), pick(r, results))
	default:
		return fmt.Sprintf("大家表示，要以此次%s为契机，%s%s%s，在 %s 和 %s 的支持下%s%s。",
			pick(r, objects), pick(r, adverbs), pick(r, verbs), pick(r, objects), pick(r, english), pick(r, english), pick(r, adverbs), pick(r, verbs))
	}
}

func (g *gen) list(b *strings.Builder) {
	r := g.r
	k := r.between(3, 5)
	start := r.intn(len(listItems))
	for i := range k {
		fmt.Fprintf(b, "- %s\n", listItems[(start+i)%len(listItems)])
	}
	b.WriteString("\n")
}

func (g *gen) table(b *strings.Builder, date time.Time) {
	r := g.r
	b.WriteString("| 序号 | 工作事项 | 责任人 | 完成时限 |\n| --- | --- | :---: | --- |\n")
	for i := range r.between(3, 5) {
		due := date.AddDate(0, 0, r.between(7, 90))
		fmt.Fprintf(b, "| %d | %s | %s | %s |\n", i+1, pick(r, tableItems), pick(r, people), due.Format("2006年1月2日"))
	}
	b.WriteString("\n")
}

func (g *gen) code(b *strings.Builder, date time.Time) {
	r := g.r
	unitA, unitB := pick(r, titleUnits), pick(r, titleUnits)
	switch r.intn(3) {
	case 0:
		fmt.Fprintf(b, "```go\npackage main\n\nimport \"fmt\"\n\n// 统计各支部参加%s的人数\nfunc main() {\n"+
			"\tbranches := map[string]int{%q: %d, %q: %d}\n\ttotal := 0\n\tfor name, n := range branches {\n"+
			"\t\tfmt.Printf(\"%%s：%%d 人\\n\", name, n)\n\t\ttotal += n\n\t}\n\tfmt.Println(\"合计\", total)\n}\n```\n\n",
			pick(r, objects), unitA, r.between(10, 80), unitB, r.between(10, 80))
	case 1:
		fmt.Fprintf(b, "```yaml\n# %s安排\nactivity:\n  title: %s\n  date: %s\n  place: %s\n  participants: %d\n"+
			"  steps:\n    - 重温入党誓词\n    - %s\n    - 交流研讨\n```\n\n",
			pick(r, titleTopics), pick(r, keyTerms), date.Format("2006-01-02"), unitA+"会议室", r.between(12, 120), pick(r, tableItems))
	default:
		fmt.Fprintf(b, "```bash\n#!/usr/bin/env bash\n# 备份%s的学习台账\nset -euo pipefail\nsrc=\"/data/taizhang/%d\"\n"+
			"tar -czf \"taizhang-%s.tar.gz\" \"$src\"\necho \"备份完成：$(date +%%F)\"\n```\n\n",
			unitA, date.Year(), date.Format("2006-01"))
	}
}

// hanCount counts the Chinese characters in s.
func hanCount(s string) int {
	n := 0
	for _, c := range s {
		if unicode.Is(unicode.Han, c) {
			n++
		}
	}
	return n
}

const lanmuConfig = `# Benchmark corpus, generated by bench/corpus.
title    = "` + Title + `"
baseURL  = "` + BaseURL + `"
language = "zh-CN"
timezone = "Asia/Shanghai"
unit     = "中共示例县委组织部（虚构示例单位）"
description = "基准测试用的学习教育专栏：工作动态。"
paginate = 10

[feeds]
limit = 20

[[menu.main]]
name = "工作动态"
url = "/news/"
`

const hugoConfig = `# Benchmark corpus, generated by bench/corpus. The same site as ../lanmu,
# with settings chosen to make Hugo do the same work as lanmu.
baseURL = "` + BaseURL + `"
title = "` + Title + `"
languageCode = "zh-CN"
timeZone = "Asia/Shanghai"
paginate = 10
hasCJKLanguage = true
summaryLength = 120
enableRobotsTXT = true
disableKinds = []

[params]
unit = "中共示例县委组织部（虚构示例单位）"
description = "基准测试用的学习教育专栏：工作动态。"

[taxonomies]
tag = "tags"

# lanmu writes RSS, Atom and JSON Feed for the home page and the sections,
# and no feeds for tags.
[outputs]
home = ["HTML", "RSS", "Atom", "JSONFeed"]
section = ["HTML", "RSS", "Atom", "JSONFeed"]
taxonomy = ["HTML"]
term = ["HTML"]

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]
[mediaTypes."application/feed+json"]
suffixes = ["json"]

[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "atom"
isPlainText = false
rel = "alternate"
[outputFormats.JSONFeed]
mediaType = "application/feed+json"
baseName = "feed"
isPlainText = true
rel = "alternate"

[services.rss]
limit = 20

[markup.goldmark.renderer]
unsafe = false
[markup.goldmark.extensions]
typographer = false
[markup.goldmark.parser]
autoHeadingID = true
autoHeadingIDType = "github"
[markup.highlight]
noClasses = false
codeFences = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3

[[menu.main]]
name = "工作动态"
pageRef = "/news"
`

const homeIndex = `---
title: "` + Title + `"
date: 2016-01-01T00:00:00+08:00
---

本专栏是基准测试用的示例栏目，发布示例县学习教育的工作动态。文中单位和人物均为虚构。
`

const newsIndex = `---
title: 工作动态
---

本栏目发布示例县学习教育的工作进展和基层动态。
`
