package content

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"lanmu/generator/config"
	"lanmu/generator/diag"
	"lanmu/internal/testsite"
)

// siteSnapshot is a Site written out as plain values, so that two Sites
// made by different loads compare with reflect.DeepEqual, and a Site can
// be compared with itself at an earlier moment.
type siteSnapshot struct {
	Home       string
	Pages      []pageSnapshot
	Files      map[string]string
	ByFile     map[string]string
	ByPath     map[string]string
	Hidden     map[string]string
	Unreadable map[string]bool
	Problems   []string
}

type pageSnapshot struct {
	File, Kind, Type, Section, Title, Summary, Slug string
	Dates                                           [4]string
	Draft, Bundle                                   bool
	Resources, Tags, Aliases                        []string
	Weight                                          int
	Params                                          string
	Path, RelPermalink, Permalink                   string
	Parent                                          string
	Children                                        []string
	Body                                            string
	BodyLine                                        int
	Kinds                                           string
}

func snapshot(s *Site, err error) siteSnapshot {
	var snap siteSnapshot
	for _, e := range diag.Of(err) {
		snap.Problems = append(snap.Problems, e.Error())
	}
	if s == nil {
		return snap
	}
	id := func(p *Page) string {
		if p == nil {
			return "<nil>"
		}
		return string(p.Kind) + " " + p.Path + " " + p.File
	}
	ids := func(pages []*Page) []string {
		out := []string{}
		for _, p := range pages {
			out = append(out, id(p))
		}
		return out
	}
	date := func(t time.Time) string { return t.Format(time.RFC3339Nano) + " " + t.Location().String() }
	snap.Home = id(s.Home)
	snap.Files, snap.Hidden, snap.Unreadable = s.Files, s.hidden, s.unreadable
	snap.ByFile, snap.ByPath = map[string]string{}, map[string]string{}
	for k, p := range s.byFile {
		snap.ByFile[k] = id(p)
	}
	for k, p := range s.byPath {
		snap.ByPath[k] = id(p)
	}
	for _, p := range s.Pages {
		kinds := ""
		if r := p.Reading; r != nil {
			kinds += fmt.Sprintf("reading %+v\n", *r)
		}
		if c := p.Class; c != nil {
			kinds += fmt.Sprintf("class %q %q %q %q %q %q\n", c.SpeakerSlugs, ids(c.Speakers), c.Branch, c.Form, c.Duration, c.Place)
		}
		if t := p.Teacher; t != nil {
			kinds += fmt.Sprintf("teacher %q %q %q %q %q %q\n", t.Position, t.Unit, t.Level, t.Topics, t.Photo, ids(t.Classes))
		}
		if c := p.Card; c != nil {
			kinds += fmt.Sprintf("card %+v\n", *c)
		}
		if st := p.Standard; st != nil {
			kinds += fmt.Sprintf("standard %d\n", st.Number)
			for _, task := range st.Tasks {
				ev := "none"
				if task.Evidence != nil {
					ev = fmt.Sprintf("%+v", *task.Evidence)
				}
				kinds += fmt.Sprintf("task %q %q %s %q %s %q %s %s %d %s\n", task.ID, task.Title, date(task.Due), task.Status,
					date(task.Done), task.Every, date(task.From), date(task.To), task.Line, ev)
			}
		}
		snap.Pages = append(snap.Pages, pageSnapshot{
			File: p.File, Kind: string(p.Kind), Type: string(p.Type), Section: p.Section, Title: p.Title, Summary: p.Summary, Slug: p.Slug,
			Dates: [4]string{date(p.Date), date(p.Lastmod), date(p.PublishDate), date(p.ExpiryDate)},
			Draft: p.Draft, Bundle: p.Bundle, Resources: slices.Clone(p.Resources), Tags: slices.Clone(p.Tags),
			Aliases: slices.Clone(p.Aliases), Weight: p.Weight, Params: fmt.Sprint(p.Params),
			Path: p.Path, RelPermalink: p.RelPermalink, Permalink: p.Permalink,
			Parent: id(p.Parent), Children: ids(p.Pages), Body: string(p.Body), BodyLine: p.BodyLine, Kinds: kinds,
		})
	}
	// Maps are copied: the snapshot must not follow later changes.
	snap.Files, snap.Hidden, snap.Unreadable = copyMap(snap.Files), copyMap(snap.Hidden), copyMap(snap.Unreadable)
	return snap
}

func copyMap[V any](m map[string]V) map[string]V {
	out := map[string]V{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// diffSnapshots says where two snapshots first differ.
func diffSnapshots(got, want siteSnapshot) string {
	if !reflect.DeepEqual(got.Problems, want.Problems) {
		return fmt.Sprintf("problems:\n got %q\nwant %q", got.Problems, want.Problems)
	}
	if len(got.Pages) != len(want.Pages) {
		var g, w []string
		for _, p := range got.Pages {
			g = append(g, p.Path)
		}
		for _, p := range want.Pages {
			w = append(w, p.Path)
		}
		return fmt.Sprintf("pages:\n got %q\nwant %q", g, w)
	}
	for i := range got.Pages {
		if !reflect.DeepEqual(got.Pages[i], want.Pages[i]) {
			return fmt.Sprintf("page %d:\n got %+v\nwant %+v", i, got.Pages[i], want.Pages[i])
		}
	}
	return fmt.Sprintf("site:\n got %+v\nwant %+v", got, want)
}

// editor makes random edits to a small column site of the kinds editors
// make, and reports the paths it touched as a file watcher would.
type editor struct {
	t   *testing.T
	dir string
	rnd *rand.Rand
	// extra are paths an edit changed on the way, reported with it.
	extra []string
}

var (
	sections  = []string{"readings", "classes", "teachers", "cards", "standards", "news", "misc", "readings/deep"}
	teacherNo = []string{"li", "wang", "zhang"}
	tagWords  = []string{"党章", "党史", "两学一做", "Go Lang", "go-lang", "学习"}
)

func (e *editor) abs(rel string) string { return filepath.Join(e.dir, filepath.FromSlash(rel)) }

func (e *editor) write(rel, text string) {
	e.t.Helper()
	// A file where a folder must go is replaced by the folder, and
	// reported changed too.
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if info, err := os.Lstat(e.abs(dir)); err == nil && !info.IsDir() {
			os.Remove(e.abs(dir))
			e.extra = append(e.extra, dir)
		}
	}
	if err := os.MkdirAll(filepath.Dir(e.abs(rel)), 0o755); err != nil {
		e.t.Fatal(err)
	}
	// Editors save by writing a new file and renaming it over the old
	// one, which replaces a link rather than writing through it.
	if info, err := os.Lstat(e.abs(rel)); err == nil && info.Mode()&os.ModeSymlink != 0 {
		os.Remove(e.abs(rel))
	}
	if err := os.WriteFile(e.abs(rel), []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// existing lists the site-relative files under content/, links included.
func (e *editor) existing(filter func(rel string, d os.DirEntry) bool) []string {
	var out []string
	filepath.WalkDir(e.abs(Dir), func(p string, d os.DirEntry, err error) error {
		if err != nil || p == e.abs(Dir) {
			return nil
		}
		rel, _ := filepath.Rel(e.dir, p)
		if filter(filepath.ToSlash(rel), d) {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (e *editor) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[e.rnd.IntN(len(list))]
}

func (e *editor) pageText() string {
	r := e.rnd
	var b strings.Builder
	b.WriteString("---\n")
	if r.IntN(10) > 0 {
		fmt.Fprintf(&b, "title: 页%d\n", r.IntN(6))
	}
	if r.IntN(3) > 0 {
		fmt.Fprintf(&b, "date: 2016-0%d-1%d\n", 1+r.IntN(9), r.IntN(10))
	}
	if r.IntN(3) == 0 {
		fmt.Fprintf(&b, "weight: %d\n", r.IntN(3))
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "tags: [%s, %s]\n", e.pick(tagWords), e.pick(tagWords))
	}
	switch r.IntN(12) {
	case 0:
		b.WriteString("draft: true\n")
	case 1:
		b.WriteString("publishDate: 2030-01-01\n")
	case 2:
		fmt.Fprintf(&b, "slug: s%d\n", r.IntN(3))
	case 3:
		fmt.Fprintf(&b, "aliases: [/old/%d/]\n", r.IntN(3))
	case 4:
		b.WriteString("titel: typo\n")
	case 5:
		b.WriteString("type: card\ndeck: 甲\n")
	}
	// Kind-specific fields, read whatever section the page lands in.
	fmt.Fprintf(&b, "speaker: %s\nbranch: 支部%d\n", e.pick(append(teacherNo, "nobody")), r.IntN(2))
	fmt.Fprintf(&b, "level: %s\ndeck: 卡%d\norder: %d\n", e.pick([]string{"city", "county", "planet"}), r.IntN(2), r.IntN(3))
	if r.IntN(2) == 0 {
		b.WriteString("photo: photo.jpg\n")
	}
	fmt.Fprintf(&b, "number: %d\ntasks:\n  - id: t%d\n    title: 任务\n    due: 2016-0%d-01\n    evidence:\n      section: classes\n      tags: [%s]\n",
		1+r.IntN(2), r.IntN(2), 1+r.IntN(9), e.pick(tagWords))
	b.WriteString("---\n")
	fmt.Fprintf(&b, "正文 %d\n", r.IntN(100))
	return b.String()
}

func (e *editor) brokenText() string {
	return e.pick([]string{
		"---\ntitle: 学习: 要点\n---\n",
		"---\ntitle: x\n",
		"---\ndate: 2016-13-45\ntitle: 坏日期\n---\n",
		"---\ntitle: [unclosed\n---\n",
		"\xff\xfe\x00t",
	})
}

// edit makes one random change and returns the paths a watcher reports.
func (e *editor) edit() []string {
	e.extra = nil
	changed := e.change()
	return append(changed, e.extra...)
}

func (e *editor) change() []string {
	r := e.rnd
	pages := e.existing(func(rel string, d os.DirEntry) bool { return strings.HasSuffix(rel, ".md") && !d.IsDir() })
	dirs := e.existing(func(rel string, d os.DirEntry) bool { return d.IsDir() })
	bundles := e.existing(func(rel string, d os.DirEntry) bool { return path.Base(rel) == "index.md" })
	newPage := func() string {
		sec := e.pick(sections)
		if sec == "teachers" && r.IntN(2) == 0 {
			return Dir + "/teachers/" + e.pick(teacherNo) + ".md"
		}
		return fmt.Sprintf("%s/%s/p%d.md", Dir, sec, r.IntN(8))
	}
	switch op := r.IntN(100); {
	case op < 25: // write a page, new or not
		p := e.pick(pages)
		if p == "" || r.IntN(3) == 0 {
			p = newPage()
		}
		e.write(p, e.pageText())
		return []string{p}
	case op < 32: // break a page's front matter
		p := e.pick(pages)
		if p == "" {
			p = newPage()
		}
		e.write(p, e.brokenText())
		return []string{p}
	case op < 38: // delete a file
		all := e.existing(func(rel string, d os.DirEntry) bool { return !d.IsDir() })
		p := e.pick(all)
		if p == "" {
			return nil
		}
		os.Remove(e.abs(p))
		return []string{p}
	case op < 46: // a new bundle, or a bundle's index.md back
		dir := fmt.Sprintf("%s/%s/b%d", Dir, e.pick(sections), r.IntN(4))
		if r.IntN(2) == 0 {
			dir = Dir + "/teachers/" + e.pick(teacherNo)
		}
		e.write(dir+"/index.md", e.pageText())
		changed := []string{dir + "/index.md"}
		if r.IntN(3) == 0 {
			// WalkDir's order, not the bytes', puts img/ before img-2.png.
			e.write(dir+"/img-2.png", "png")
			e.write(dir+"/img/a.png", "png")
			changed = append(changed, dir+"/img-2.png", dir+"/img/a.png")
		}
		if r.IntN(2) == 0 {
			e.write(dir+"/photo.jpg", "jpg")
			e.write(dir+"/notes.md", "---\ntitle: 附\n---\n")
			changed = append(changed, dir+"/photo.jpg", dir+"/notes.md")
		}
		if r.IntN(3) == 0 {
			return []string{dir} // a watcher may report the folder alone
		}
		return changed
	case op < 52: // add a file to a bundle or a folder
		at := e.pick(append(bundles, dirs...))
		if at == "" {
			return nil
		}
		if strings.HasSuffix(at, "index.md") {
			at = path.Dir(at)
		}
		name := e.pick([]string{"photo.jpg", "img/a.png", "more.md", "img-2.png", "x.md~", ".hidden.md", "#autosave#"})
		p := at + "/" + name
		e.write(p, e.pageText())
		return []string{p}
	case op < 58: // delete a bundle's index.md: its files become pages
		p := e.pick(bundles)
		if p == "" {
			return nil
		}
		os.Remove(e.abs(p))
		return []string{p}
	case op < 68: // rename a folder
		from := e.pick(dirs)
		if from == "" {
			return nil
		}
		to := fmt.Sprintf("%s/%s/r%d", Dir, e.pick(sections[:6]), r.IntN(3))
		if r.IntN(4) == 0 {
			to = fmt.Sprintf("%s/.trash%d", Dir, r.IntN(2)) // an ignored name
		}
		if strings.HasPrefix(to+"/", from+"/") || e.existsPath(to) {
			return nil
		}
		if os.MkdirAll(filepath.Dir(e.abs(to)), 0o755) != nil {
			return nil
		}
		if os.Rename(e.abs(from), e.abs(to)) != nil {
			return nil // onto a file, say: nothing changed
		}
		return []string{from, to}
	case op < 74: // rename a file
		from := e.pick(pages)
		if from == "" {
			return nil
		}
		to := newPage()
		if e.existsPath(to) {
			return nil
		}
		if os.MkdirAll(filepath.Dir(e.abs(to)), 0o755) != nil {
			return nil
		}
		if os.Rename(e.abs(from), e.abs(to)) != nil {
			return nil // onto a file, say: nothing changed
		}
		return []string{from, to}
	case op < 78: // delete a folder
		d := e.pick(dirs)
		if d == "" {
			return nil
		}
		os.RemoveAll(e.abs(d))
		return []string{d}
	case op < 84: // a section's _index.md, written or removed
		p := Dir + "/" + e.pick(append(sections, "")) + "/_index.md"
		p = strings.Replace(p, "//", "/", 1)
		if e.existsPath(p) && r.IntN(2) == 0 {
			os.Remove(e.abs(p))
		} else {
			text := fmt.Sprintf("---\ntitle: 栏目%d\ndecks: [卡1, 卡0]\n", r.IntN(3))
			if r.IntN(5) == 0 {
				text += "draft: true\n"
			}
			e.write(p, text+"---\n")
		}
		return []string{p}
	case op < 92: // a link into the site, or a change to what it points at
		target := "shared/linked.md"
		if r.IntN(2) == 0 {
			e.write(target, e.pageText())
			return []string{target}
		}
		link := fmt.Sprintf("%s/%s/link%d.md", Dir, e.pick(sections), r.IntN(2))
		if e.existsPath(link) {
			return nil
		}
		if os.MkdirAll(filepath.Dir(e.abs(link)), 0o755) != nil {
			return nil
		}
		to, _ := filepath.Rel(filepath.Dir(e.abs(link)), e.abs(target))
		if r.IntN(4) == 0 {
			to = "../../../nowhere.md" // a broken link, reported every time
		}
		if os.Symlink(to, e.abs(link)) != nil {
			return nil
		}
		return []string{link}
	case op < 95: // a folder replaced by a file of the same name, or back
		d := e.pick(dirs)
		if d == "" {
			return nil
		}
		os.RemoveAll(e.abs(d))
		e.write(d, "---\ntitle: 文件\n---\n")
		return []string{d}
	default: // an ignored file, or one outside content/
		p := e.pick([]string{Dir + "/readings/.a.md.swp", Dir + "/4913", "lanmu.toml.bak", "static/x.css"})
		e.write(p, "x")
		return []string{p}
	}
}

func (e *editor) existsPath(rel string) bool {
	_, err := os.Lstat(e.abs(rel))
	return err == nil
}

// TestLoaderMatchesFreshLoad makes hundreds of random edits to a site and
// checks, after each, that a Loader told the changed paths gives the same
// Site and problems as a fresh Load, and that no Site it gave earlier has
// changed since.
func TestLoaderMatchesFreshLoad(t *testing.T) {
	seed := uint64(20161201)
	if s := os.Getenv("LANMU_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	edits := 300
	if testing.Short() {
		edits = 60
	}
	dir := testsite.Write(t, map[string]string{
		"content/_index.md":                "---\ntitle: 首页\n---\n",
		"content/readings/_index.md":       "---\ntitle: 必读\n---\n",
		"content/readings/a.md":            "---\ntitle: A\ndate: 2016-06-01\ntags: [党章]\n---\n",
		"content/readings/b/index.md":      "---\ntitle: B\n---\n",
		"content/readings/b/pic.png":       "png",
		"content/readings/b/notes.md":      "不是页面",
		"content/classes/c1.md":            "---\ntitle: 课\nspeaker: li\nbranch: 一支部\ntags: [党史]\n---\n",
		"content/teachers/li/index.md":     "---\ntitle: 李\nphoto: photo.jpg\n---\n",
		"content/teachers/li/photo.jpg":    "jpg",
		"content/cards/k1.md":              "---\ntitle: 问\ndeck: 甲\n---\n答\n",
		"content/standards/s1.md":          "---\ntitle: 标准\nnumber: 1\ntasks:\n  - id: a\n    title: 学\n    evidence:\n      tags: [党史]\n---\n",
		"content/misc/deep/_index.md":      "---\ntitle: 深\n---\n",
		"content/misc/deep/x.md":           "---\ntitle: X\n---\n",
		"shared/linked.md":                 "---\ntitle: 链\n---\n",
		"lanmu.toml":                       "title = \"站\"\n",
		"content/news/2016/07/headline.md": "---\ntitle: 新闻\ndate: 2016-07-01\n---\n",
	})
	cfgs := make([]*config.Config, 2)
	for i, text := range []string{
		"title = \"站\"\nbaseURL = \"https://a.org/sub/\"\n",
		"title = \"另一站\"\nbaseURL = \"https://b.org/\"\ntimezone = \"Asia/Urumqi\"\n",
	} {
		c, err := config.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		cfgs[i] = c
	}
	opts := Options{Now: time.Date(2016, 7, 15, 12, 0, 0, 0, cfgs[0].Location)}
	e := &editor{t: t, dir: dir, rnd: rand.New(rand.NewPCG(seed, 1))}
	l := NewLoader(dir, opts)
	cfg := cfgs[0]
	type kept struct {
		site *Site
		snap siteSnapshot
		at   int
	}
	var earlier []kept
	check := func(step int, changed []string) {
		t.Helper()
		got, gotErr := l.Load(cfg, changed)
		want, wantErr := Load(dir, cfg, opts)
		if got != nil {
			checkTerms(t, got)
		}
		g, w := snapshot(got, gotErr), snapshot(want, wantErr)
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("seed %d, edit %d (changed %q): the Loader's site differs from a fresh Load's: %s", seed, step, changed, diffSnapshots(g, w))
		}
		if step%(edits/15) == 0 {
			earlier = append(earlier, kept{got, g, step})
		}
	}
	if err := os.Symlink("../../shared/linked.md", e.abs(Dir+"/readings/linked.md")); err != nil {
		t.Fatal(err)
	}
	check(0, nil)
	for step := 1; step <= edits; step++ {
		changed := e.edit()
		// Watchers give absolute paths; a caller may give them relative.
		for i, c := range changed {
			if e.rnd.IntN(2) == 0 {
				changed[i] = e.abs(c)
			}
		}
		if step%37 == 0 {
			cfg = cfgs[(step/37)%2]
		}
		if changed == nil {
			changed = []string{}
		}
		check(step, changed)
	}
	for _, k := range earlier {
		if now := snapshot(k.site, nil); !reflect.DeepEqual(now.Pages, k.snap.Pages) || !reflect.DeepEqual(now.Files, k.snap.Files) ||
			!reflect.DeepEqual(now.ByPath, k.snap.ByPath) || !reflect.DeepEqual(now.Hidden, k.snap.Hidden) {
			t.Errorf("seed %d: the site loaded after edit %d changed under later loads: %s", seed, k.at, diffSnapshots(now, siteSnapshot{Problems: now.Problems, Pages: k.snap.Pages}))
		}
	}
	sort.Slice(earlier, func(i, j int) bool { return earlier[i].at < earlier[j].at })
	if len(earlier) < 10 {
		t.Errorf("only %d sites were kept to check for later changes", len(earlier))
	}
}

// TestLoaderReadsOnlyWhatChanged checks the point of a Loader: an edit
// costs the files it touched, plus the files whose role it changed.
func TestLoaderReadsOnlyWhatChanged(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"content/readings/a.md":        "---\ntitle: A\n---\n",
		"content/readings/b.md":        "---\ntitle: B\n---\n",
		"content/readings/c/index.md":  "---\ntitle: C\n---\n",
		"content/readings/c/pic.png":   "png",
		"content/readings/c/more.md":   "---\ntitle: 附\n---\n",
		"content/news/d.md":            "---\ntitle: D\ndate: 2016-06-01 09:00\n---\n",
		"content/news/e.md":            "---\ntitle: E\ndraft: true\n---\n",
		"content/teachers/li/index.md": "---\ntitle: 李\nphoto: photo.jpg\n---\n",
		"lanmu.toml":                   "title = \"站\"\n",
	})
	parseConfig := func(text string) *config.Config {
		c, err := config.Parse([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cfg := parseConfig("title = \"站\"\n")
	opts := Options{Now: time.Date(2016, 7, 15, 12, 0, 0, 0, cfg.Location)}
	l := NewLoader(dir, opts)
	step := func(what string, changed []string, wantParses int) *Site {
		t.Helper()
		before := l.parses
		got, err := l.Load(cfg, changed)
		want, wantErr := Load(dir, cfg, opts)
		if g, w := snapshot(got, err), snapshot(want, wantErr); !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: the Loader's site differs from a fresh Load's: %s", what, diffSnapshots(g, w))
		}
		if n := l.parses - before; n != wantParses {
			t.Errorf("%s: %d files parsed, want %d", what, n, wantParses)
		}
		return got
	}
	step("first load", nil, 6)
	if err := os.WriteFile(filepath.Join(dir, "content/readings/a.md"), []byte("---\ntitle: A2\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := step("one page edited", []string{filepath.Join(dir, "content/readings/a.md")}, 1); s.PageByFile("content/readings/a.md").Title != "A2" {
		t.Errorf("the edit was not loaded")
	}
	step("a bundle file touched", []string{"content/readings/c/pic.png"}, 0)
	// The teacher's photo is checked against the bundle's files: adding
	// the file changes the page's problems without changing its parse.
	if err := os.WriteFile(filepath.Join(dir, "content/teachers/li/photo.jpg"), []byte("jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("a teacher's photo added", []string{"content/teachers/li/photo.jpg"}, 0)
	step("a file outside content/", []string{"lanmu.toml", filepath.Join(dir, "static/x.css")}, 0)
	step("nothing", []string{}, 0)
	if err := os.Remove(filepath.Join(dir, "content/readings/c/index.md")); err != nil {
		t.Fatal(err)
	}
	if s := step("a bundle's index.md removed", []string{"content/readings/c/index.md"}, 1); s.PageByFile("content/readings/c/more.md") == nil {
		t.Errorf("more.md did not become a page when its folder stopped being a bundle")
	}
	opts = Options{Drafts: true, Future: true, Now: opts.Now.AddDate(1, 0, 0)}
	l.SetOptions(opts)
	if s := step("drafts and future pages published", []string{}, 0); s.PageByFile("content/news/e.md") == nil {
		t.Errorf("a draft was not published with drafts on")
	}
	step("the site folder named", []string{dir}, 6)
	step("content/ named", []string{"content"}, 6)
	// A watcher on a site folder reached through a link may give paths
	// through the link.
	link := filepath.Join(t.TempDir(), "site")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content/readings/b.md"), []byte("---\ntitle: B2\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("a page edited, named through a link", []string{filepath.Join(link, "content/readings/b.md")}, 1)
	l = NewLoader(link, opts)
	step("a loader through a link", nil, 6)
	if err := os.WriteFile(filepath.Join(dir, "content/readings/b.md"), []byte("---\ntitle: B3\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("a page edited, named without the link", []string{filepath.Join(dir, "content/readings/b.md")}, 1)
	l = NewLoader(dir, opts)
	step("back to the site folder", nil, 6)
	cfg = parseConfig("title = \"另一个名字\"\n")
	step("the config reloaded, same zone", []string{"lanmu.toml"}, 0)
	cfg = parseConfig("title = \"站\"\ntimezone = \"Asia/Urumqi\"\n")
	s := step("another time zone", []string{"lanmu.toml"}, 6)
	if d := s.PageByFile("content/news/d.md").Date; d.Location().String() != "Asia/Urumqi" {
		t.Errorf("after the zone changed, a date was read in %s", d.Location())
	}
	// content/ itself gone, and back.
	moved := filepath.Join(dir, "content.moved")
	if err := os.Rename(filepath.Join(dir, "content"), moved); err != nil {
		t.Fatal(err)
	}
	if s := step("content/ removed", []string{filepath.Join(dir, "content")}, 0); len(s.RegularPages()) != 0 {
		t.Errorf("pages are left after content/ was removed")
	}
	step("a file written where content/ was", []string{"content/readings/a.md"}, 0)
	if err := os.Rename(moved, filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	step("content/ back", []string{"content"}, 6)
}

// TestOrderPagesIsTheStableSort checks the page sorts against
// sort.SliceStable with the rules written out plainly, on lists full of
// ties.
func TestOrderPagesIsTheStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for round := range 200 {
		pages := make([]*Page, r.IntN(60))
		for i := range pages {
			p := &Page{Title: fmt.Sprint("题", r.IntN(4)), Path: fmt.Sprintf("/p%d/", r.IntN(8)), Weight: r.IntN(4) - 1}
			if r.IntN(5) > 0 {
				p.Date = time.Date(2016, 6, 1+r.IntN(3), 0, 0, 0, r.IntN(2), sh)
			}
			pages[i] = p
		}
		byRules := slices.Clone(pages)
		sort.SliceStable(byRules, func(i, j int) bool {
			a, b := byRules[i], byRules[j]
			if a.Weight != b.Weight {
				if a.Weight == 0 || b.Weight == 0 {
					return b.Weight == 0
				}
				return a.Weight < b.Weight
			}
			if !a.Date.Equal(b.Date) {
				return a.Date.After(b.Date)
			}
			if a.Title != b.Title {
				return a.Title < b.Title
			}
			return a.Path < b.Path
		})
		byDate := slices.Clone(pages)
		sort.SliceStable(byDate, func(i, j int) bool {
			if !byDate[i].Date.Equal(byDate[j].Date) {
				return byDate[i].Date.After(byDate[j].Date)
			}
			return byDate[i].Title < byDate[j].Title
		})
		got := slices.Clone(pages)
		SortPages(got)
		if !slices.Equal(got, byRules) {
			t.Fatalf("round %d: SortPages differs from the stable sort by its rules", round)
		}
		got = slices.Clone(pages)
		SortByDate(got)
		if !slices.Equal(got, byDate) {
			t.Fatalf("round %d: SortByDate differs from the stable sort by date and title", round)
		}
		// A Loader sorts from the last load's order: whatever that was
		// (here, places at random, some repeated, some missing, some past
		// the end), the order must come out the same.
		for _, p := range pages {
			p.memo = &memo{inSection: r.IntN(len(pages) + 3), newest: r.IntN(len(pages) + 3)}
		}
		got = slices.Clone(pages)
		orderPages(got, true, func(m *memo) *int { return &m.inSection })
		if !slices.Equal(got, byRules) {
			t.Fatalf("round %d: sorting from a last order changed the order of a section's pages", round)
		}
		got = slices.Clone(pages)
		orderPages(got, false, func(m *memo) *int { return &m.newest })
		if !slices.Equal(got, byDate) {
			t.Fatalf("round %d: sorting from a last order changed the order of pages by date", round)
		}
		for i, p := range got {
			if p.memo.newest != i+1 {
				t.Fatalf("round %d: page %d kept place %d", round, i, p.memo.newest)
			}
		}
	}
}

// checkTerms checks each term page against its definition: the published
// regular pages carrying the term, newest first, then by title, in path
// order where both are equal; titled as the first of them in path order
// writes the term.
func checkTerms(t *testing.T, s *Site) {
	t.Helper()
	for _, term := range s.Pages {
		if term.Kind != KindTerm {
			continue
		}
		var want []*Page
		title := ""
		for _, p := range s.Pages {
			if p.Kind != KindPage {
				continue
			}
			for _, written := range termsOf(term.Section, p) {
				if Slugify(written) == term.Slug {
					if title == "" {
						title = written
					}
					want = append(want, p)
					break
				}
			}
		}
		sort.SliceStable(want, func(i, j int) bool {
			if !want[i].Date.Equal(want[j].Date) {
				return want[i].Date.After(want[j].Date)
			}
			return want[i].Title < want[j].Title
		})
		if !slices.Equal(term.Pages, want) || term.Title != title {
			t.Fatalf("term %s: titled %q with pages %q, want %q with %q", term.Path, term.Title, pagePaths(term.Pages), title, pagePaths(want))
		}
	}
}

func pagePaths(pages []*Page) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.Path)
	}
	return out
}

// Rewritten accepts a change that rewrote pages' text below an unchanged
// front matter, and nothing else; after it, a Load gives what a fresh Load
// does without parsing those files again.
func TestLoaderRewrittenTakesOnlyTextEdits(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"content/readings/a.md":  "---\ntitle: A\n---\n正文。\n",
		"content/cards/k.md":     "---\ntitle: 卡\n---\n背面。\n",
		"content/news/later.md":  "---\ntitle: 后\npublishDate: 2016-08-01 09:00\n---\n",
		"content/news/linked.md": "---\ntitle: 链\n---\n",
		"lanmu.toml":             "title = \"站\"\n",
	})
	cfg, err := config.Parse([]byte("title = \"站\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2016, 7, 15, 12, 0, 0, 0, cfg.Location)
	l := NewLoader(dir, Options{Now: now})
	if _, err := l.Load(cfg, nil); err != nil {
		t.Fatal(err)
	}
	write := func(rel, text string) string {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, rel)
	}
	a := write("content/readings/a.md", "---\ntitle: A\n---\n新的正文。\n")
	pages, ok := l.Rewritten([]string{a}, now)
	if !ok || len(pages) != 1 || string(pages[0].Body) != "新的正文。\n" || pages[0].File != "content/readings/a.md" {
		t.Fatalf("a text edit: ok %v, pages %v", ok, pages)
	}
	before := l.parses
	got, err := l.Load(cfg, []string{})
	want, wantErr := Load(dir, cfg, Options{Now: now})
	if g, w := snapshot(got, err), snapshot(want, wantErr); !reflect.DeepEqual(g, w) {
		t.Fatalf("a Load after Rewritten differs from a fresh Load: %s", diffSnapshots(g, w))
	}
	if string(got.PageByFile("content/readings/a.md").Body) != "新的正文。\n" || l.parses != before {
		t.Errorf("the Load after Rewritten did not keep its parse")
	}

	refused := func(what string, changed []string, at time.Time) {
		t.Helper()
		if _, ok := l.Rewritten(changed, at); ok {
			t.Errorf("%s was taken for a text edit", what)
		}
		l.Load(cfg, changed) // as a session then does; a card without a back is an error

	}
	refused("a title edit", []string{write("content/readings/a.md", "---\ntitle: A2\n---\n新的正文。\n")}, now)
	refused("a card's back emptied", []string{write("content/cards/k.md", "---\ntitle: 卡\n---\n\n")}, now)
	refused("a new page", []string{write("content/readings/b.md", "---\ntitle: B\n---\n")}, now)
	refused("a folder", []string{filepath.Join(dir, "content/readings")}, now)
	refused("a file outside content/", []string{filepath.Join(dir, "lanmu.toml")}, now)
	refused("nothing", []string{}, now)
	// Once later.md's publish date has come, a save may publish it.
	linked := write("content/news/linked.md", "---\ntitle: 链\n---\n有了正文。\n")
	refused("a text edit after a publish date came", []string{linked}, time.Date(2016, 8, 2, 0, 0, 0, 0, cfg.Location))
	if _, ok := l.Rewritten([]string{linked}, now); !ok {
		t.Errorf("a text edit before the publish date was refused")
	}
}
