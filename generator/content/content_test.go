package content

import (
	"slices"
	"strings"
	"testing"
	"time"

	"lanmu/generator/config"
	"lanmu/internal/testsite"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"学习党章":           "学习党章",
		"Hello, World!":  "hello-world",
		"学习 教育":          "学习-教育",
		"  两学一做（2016）  ": "两学一做-2016",
		"a_b.c":          "a-b-c",
		"---":            "",
		"Café 咖啡":        "café-咖啡",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanURL(t *testing.T) {
	for in, want := range map[string]string{
		"/about/": "/about/", "about": "/about/", "/old/page.html": "/old/page.html", "/学习/": "/学习/", "/a/b": "/a/b/",
		"/v1.2/": "/v1.2/", "/a/b.html": "/a/b.html",
	} {
		got, err := CleanURL(in)
		if err != nil || got != want {
			t.Errorf("CleanURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{
		"../x", "/a/../../b", "/a/%2e%2e/b", "//evil.example/", "https://evil.example/", "javascript:alert(1)",
		`\windows\x`, "/a\x00b", "C:/x", "/a?b=1", "", "/./a",
		"/.lanmu-manifest", "/.htaccess", "/a/.git/config", "/%2ehtaccess", ".well-known/x/",
		"/" + strings.Repeat("长", 86) + "/",
	} {
		if got, err := CleanURL(bad); err == nil {
			t.Errorf("CleanURL(%q) = %q, accepted", bad, got)
		}
	}
}

func TestParseDateInSiteZone(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for in, want := range map[string]time.Time{
		"2016-06-16":                time.Date(2016, 6, 16, 0, 0, 0, 0, sh),
		"2016-06-16 09:32":          time.Date(2016, 6, 16, 9, 32, 0, 0, sh),
		"2016-06-16T09:32:00":       time.Date(2016, 6, 16, 9, 32, 0, 0, sh),
		"2016-07-01T00:30:00+08:00": time.Date(2016, 7, 1, 0, 30, 0, 0, sh),
		"2016-06-30T16:30:00Z":      time.Date(2016, 7, 1, 0, 30, 0, 0, sh),
	} {
		got, err := ParseDate(in, sh)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []any{"2016-13-01", "昨天", "16/06/2016", int64(20160616), true} {
		if _, err := ParseDate(bad, sh); err == nil {
			t.Errorf("ParseDate(%v) accepted", bad)
		}
	}
}

func TestParseDateWhereMidnightIsSkipped(t *testing.T) {
	// In São Paulo, clocks went from 00:00 to 01:00 on 2016-10-16: the day
	// starts at 01:00, and must not fall back to the 15th.
	sp, err := time.LoadLocation("America/Sao_Paulo")
	if err != nil {
		t.Skip("no time zone data for America/Sao_Paulo")
	}
	d, err := ParseDate("2016-10-16", sp)
	if err != nil || d.Day() != 16 || d.Hour() != 1 {
		t.Errorf("ParseDate(2016-10-16) in São Paulo = %v, %v; want 2016-10-16 01:00", d, err)
	}
	if d, _ := ParseDate("2016-10-17", sp); d.Hour() != 0 || d.Day() != 17 {
		t.Errorf("an ordinary day moved: %v", d)
	}
}

func TestSplit(t *testing.T) {
	cases := []struct {
		name, src, format, fm, body string
		bodyLine                    int
	}{
		{"yaml", "---\ntitle: a\n---\nbody\n", "yaml", "title: a\n", "body\n", 4},
		{"toml with trailing spaces", "+++  \ntitle = 'a'\n+++\nbody", "toml", "title = 'a'\n", "body", 4},
		{"BOM", "\uFEFF---\ntitle: a\n---\n", "yaml", "title: a\n", "", 4},
		{"no front matter", "# 标题\n", "", "", "# 标题\n", 1},
		{"empty front matter", "---\n---\nx", "yaml", "", "x", 3},
	}
	for _, c := range cases {
		fm, format, _, body, bodyLine, err := split([]byte(c.src))
		if err != nil || format != c.format || string(fm) != c.fm || string(body) != c.body || bodyLine != c.bodyLine {
			t.Errorf("%s: split = %q, %q, %q, line %d, %v", c.name, fm, format, body, bodyLine, err)
		}
	}
	if _, _, _, _, _, err := split([]byte("---\ntitle: a\n")); err == nil {
		t.Errorf("an unclosed front matter was accepted")
	}
}

func loadSite(t *testing.T, files map[string]string, opts Options) (*Site, error) {
	t.Helper()
	inContent := map[string]string{}
	for name, text := range files {
		inContent["content/"+name] = text
	}
	dir := testsite.Write(t, inContent)
	cfg, err := config.Parse([]byte("title = \"站\"\nbaseURL = \"https://a.org/sub/\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Date(2016, 7, 15, 12, 0, 0, 0, cfg.Location)
	}
	return Load(dir, cfg, opts)
}

func TestLoadTreeKindsAndPublishing(t *testing.T) {
	files := map[string]string{
		"readings/_index.md":          "---\ntitle: 必读文章\n---\n",
		"readings/a.md":               "---\ntitle: A\ndate: 2016-06-01\nweight: 2\n---\n",
		"readings/b.md":               "---\ntitle: B\ndate: 2016-06-02\nslug: 自定义\n---\n",
		"readings/draft.md":           "---\ntitle: D\ndraft: true\n---\n",
		"readings/future.md":          "---\ntitle: F\ndate: 2016-08-01\n---\n",
		"readings/expired.md":         "---\ntitle: E\nexpiryDate: 2016-07-01\n---\n",
		"readings/bundle/index.md":    "---\ntitle: Bundle\n---\n![图](pic.png)\n",
		"readings/bundle/pic.png":     "png",
		"readings/bundle/notes.md":    "not a page",
		"news/2016/c.md":              "---\ntitle: C\ntype: reading\naliases: [/old/c/]\n---\n",
		"about.md":                    "---\ntitle: 关于\nurl: /guanyu/\n---\n",
		"teachers/li-hongmei.md":      "---\ntitle: 李红梅\n---\n",
		"cards/loose-image-dir/x.jpg": "jpg",
	}
	s, err := loadSite(t, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]string{}
	for _, p := range s.Pages {
		paths[p.File] = p.Path
	}
	for file, want := range map[string]string{
		"content/readings/_index.md":       "/readings/",
		"content/readings/a.md":            "/readings/a/",
		"content/readings/b.md":            "/readings/自定义/",
		"content/readings/bundle/index.md": "/readings/bundle/",
		"content/news/2016/c.md":           "/news/2016/c/",
		"content/about.md":                 "/guanyu/",
		"content/teachers/li-hongmei.md":   "/teachers/li-hongmei/",
	} {
		if paths[file] != want {
			t.Errorf("%s at %q, want %q", file, paths[file], want)
		}
	}
	for _, hidden := range []string{"content/readings/draft.md", "content/readings/future.md", "content/readings/expired.md", "content/readings/bundle/notes.md"} {
		if _, ok := paths[hidden]; ok {
			t.Errorf("%s was published", hidden)
		}
	}
	a := s.PageByFile("content/readings/a.md")
	if a.Type != "reading" || a.Section != "readings" || a.Parent.Path != "/readings/" || a.RelPermalink != "/sub/readings/a/" || a.Permalink != "https://a.org/sub/readings/a/" {
		t.Errorf("reading a: type %q section %q parent %q rel %q abs %q", a.Type, a.Section, a.Parent.Path, a.RelPermalink, a.Permalink)
	}
	if got := s.PageByFile("content/readings/b.md").RelPermalink; got != "/sub/readings/%E8%87%AA%E5%AE%9A%E4%B9%89/" {
		t.Errorf("Unicode slug escaped as %q", got)
	}
	c := s.PageByFile("content/news/2016/c.md")
	if c.Type != "reading" || c.Parent.Path != "/news/" || s.PageByPath("/old/c/") != c {
		t.Errorf("type: override, nested folder or alias wrong: %q %q", c.Type, c.Parent.Path)
	}
	var order []string
	for _, p := range s.PageByPath("/readings/").Pages {
		order = append(order, p.Title)
	}
	if strings.Join(order, ",") != "A,B,Bundle" {
		t.Errorf("section order %v: weighted first, then newest", order)
	}
	if s.Files["content/readings/bundle/pic.png"] != "/readings/bundle/pic.png" || s.Files["content/cards/loose-image-dir/x.jpg"] != "/cards/loose-image-dir/x.jpg" {
		t.Errorf("files placed at %v", s.Files)
	}
	if s.Home.Title != "站" || s.Home.Path != "/" {
		t.Errorf("made-up home page: %+v", s.Home)
	}

	all, err := loadSite(t, files, Options{Drafts: true, Future: true, Expired: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"content/readings/draft.md", "content/readings/future.md", "content/readings/expired.md"} {
		if all.PageByFile(f) == nil {
			t.Errorf("%s not published with --drafts --future --expired", f)
		}
	}
}

func TestResolveLink(t *testing.T) {
	s, err := loadSite(t, map[string]string{
		"readings/a.md":            "---\ntitle: A\n---\n",
		"readings/draft.md":        "---\ntitle: D\ndraft: true\n---\n",
		"readings/bundle/index.md": "---\ntitle: B\n---\n",
		"readings/bundle/pic.png":  "png",
		"classes/学习.md":            "---\ntitle: 学\n---\n",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	from := s.PageByFile("content/readings/a.md")
	bundle := s.PageByFile("content/readings/bundle/index.md")
	for _, c := range []struct {
		from      *Page
		dest, out string
	}{
		{from, "https://x.org/a", "https://x.org/a"},
		{from, "mailto:a@b.c", "mailto:a@b.c"},
		{from, "#提纲", "#提纲"},
		{from, "/readings/", "/sub/readings/"},
		{from, "../classes/学习.md#提纲", "/sub/classes/%E5%AD%A6%E4%B9%A0/#%E6%8F%90%E7%BA%B2"},
		{from, "bundle/index.md", "/sub/readings/bundle/"},
		{from, "bundle/", "/sub/readings/bundle/"},
		{bundle, "pic.png", "/sub/readings/bundle/pic.png"},
		{bundle, "../a.md", "/sub/readings/a/"},
	} {
		got, err := s.ResolveLink(c.from, c.dest)
		if err != nil || got != c.out {
			t.Errorf("ResolveLink(%s, %q) = %q, %v; want %q", c.from.File, c.dest, got, err, c.out)
		}
	}
	for dest, want := range map[string]string{
		"missing.md":       "does not exist",
		"draft.md":         "not published: it is a draft",
		"../../../etc/x":   "leaves the content folder",
		"bundle/other.png": "does not exist",
	} {
		if _, err := s.ResolveLink(from, dest); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ResolveLink(%q) error %v, want %q", dest, err, want)
		}
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := loadSite(t, map[string]string{
		"news/a.md": "---\ntitle: A\nurl: /same/\n---\n",
		"news/b.md": "---\ntitle: B\nurl: /same/\n---\n",
		"news/c.md": "---\ntitle: C\ntype: lecture\n---\n",
		"news/d.md": "---\ntitle: D\nslug: \"..\"\n---\n",
		"news/e.md": "bin\x00ary",
	}, Options{})
	if err == nil {
		t.Fatal("problems not reported")
	}
	for _, want := range []string{
		"content/news/b.md:3:1: /same/ is also the URL of content/news/a.md",
		`content/news/c.md:3:1: type "lecture" is not one of`,
		"content/news/d.md:3:1: slug",
		"content/news/e.md:1:1: this is not a text file",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func TestIgnoredNames(t *testing.T) {
	for _, name := range []string{".hidden.md", "a.md~", ".a.md.swp", "4913", "#a.md#", "x.tmp", "jb_old___", ".#a.md"} {
		if !Ignored(name) {
			t.Errorf("%q not ignored", name)
		}
	}
	for _, name := range []string{"a.md", "学习.md", "index.md", "photo.png"} {
		if Ignored(name) {
			t.Errorf("%q ignored", name)
		}
	}
}

func TestKindValidation(t *testing.T) {
	_, err := loadSite(t, map[string]string{
		"teachers/li.md":   "---\ntitle: 李老师\nlevel: county\n---\n简介。\n",
		"teachers/wang.md": "---\ntitle: 王老师\nlevel: village\nphoto: missing.png\n---\n",
		"classes/a.md":     "---\ntitle: 党课\nspeaker: zhang\nform: lecture\nbranch: 一支部\n---\n",
		"classes/b.md":     "---\ntitle: 党课二\nspeaker:\n  - li\n  - nobody\nform: expert\n---\n",
		"cards/empty.md":   "---\ntitle: 问题？\ndeck: 基本\n---\n\n   \n",
		"standards/s1.md":  "---\ntitle: 标准一\nnumber: 1\ntasks:\n  - id: a\n    title: 任务甲\n    due: 2016-04-30\n  - id: a\n    title: 任务乙\n    due: 2016-05-30\n  - id: c\n    title: 任务丙\n    status: finished\n    due: 2016-13-01\n---\n",
		"standards/s2.md":  "---\ntitle: 标准二\nnumber: 1\n---\n",
	}, Options{})
	if err == nil {
		t.Fatal("invalid kinds accepted")
	}
	for _, want := range []string{
		`content/teachers/wang.md:3:1: level "village" is not one of province, city, county, grassroots`,
		`content/teachers/wang.md:4:1: photo "missing.png" is not a file of this page's bundle`,
		`content/classes/a.md:3:1: speaker "zhang" names no teacher`,
		`content/classes/a.md:4:1: form "lecture" is not one of leader, expert, model, secretary, member`,
		`content/classes/b.md:5:5: speaker "nobody" names no teacher`,
		"content/cards/empty.md:5:1: the card has no back",
		`content/standards/s1.md:8:5: task id "a" is used twice in this standard (first at line 5)`,
		`content/standards/s1.md:13:5: status "finished" is not one of done, in-progress, not-started`,
		`content/standards/s1.md:14:5: due: "2016-13-01" is not a date`,
		"content/standards/s2.md:3:1: standard number 1 is also the number of content/standards/s1.md",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func TestKindsAndCrossReferences(t *testing.T) {
	s, err := loadSite(t, map[string]string{
		"teachers/li/index.md": "---\ntitle: 李老师\nlevel: county\ntopics: [党史]\nphoto: p.png\n---\n",
		"teachers/li/p.png":    "png",
		"classes/a.md":         "---\ntitle: 甲\ndate: 2016-06-01\nspeaker: li\nform: expert\nbranch: 一支部\nduration: 90\n---\n",
		"classes/b.md":         "---\ntitle: 乙\ndate: 2016-06-20\nspeaker: [li]\nbranch: 一支部\n---\n",
		"readings/r.md":        "---\ntitle: 读\nrequired: false\norder: 3\ntags: [学习 教育, 党史]\n---\n",
		"readings/default.md":  "---\ntitle: 读二\n---\n",
		"cards/_index.md":      "---\ntitle: 卡片\ndecks: [乙组, 甲组]\n---\n",
		"cards/1.md":           "---\ntitle: 一？\ndeck: 甲组\norder: 1\n---\n答。\n",
		"cards/2.md":           "---\ntitle: 二？\ndeck: 乙组\norder: 2\n---\n答。\n",
		"cards/3.md":           "---\ntitle: 三？\ndeck: 乙组\norder: 1\n---\n答。\n",
		"standards/_index.md":  "---\ntitle: 标准\n---\n",
		"standards/s.md":       "---\ntitle: 标准\nnumber: 1\ntasks:\n  - id: q\n    title: 每季度\n    every: quarter\n    from: 2016-04-01\n    to: 2016-12-31\n    evidence: { section: news, tags: [集中学习], min: 2 }\n---\n",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	li := s.PageByFile("content/teachers/li/index.md")
	if li.Teacher.Level != "county" || li.Teacher.Photo != "p.png" || len(li.Teacher.Classes) != 2 || li.Teacher.Classes[0].Title != "乙" {
		t.Errorf("teacher: %+v", li.Teacher)
	}
	a := s.PageByFile("content/classes/a.md")
	if a.Class.Form != "expert" || a.Class.Duration != "90" || len(a.Class.Speakers) != 1 || a.Class.Speakers[0] != li {
		t.Errorf("class: %+v", a.Class)
	}
	if r := s.PageByFile("content/readings/r.md").Reading; r.Required || r.Order != 3 {
		t.Errorf("reading: %+v", r)
	}
	if r := s.PageByFile("content/readings/default.md").Reading; !r.Required {
		t.Errorf("a reading is required unless it says otherwise")
	}
	var order []string
	for _, c := range s.PageByPath("/cards/").Pages {
		order = append(order, c.Title)
	}
	if strings.Join(order, "") != "三？二？一？" {
		t.Errorf("cards ordered %v: decks in the section's order, then by order", order)
	}
	task := s.PageByFile("content/standards/s.md").Standard.Tasks[0]
	if task.Every != "quarter" || task.Evidence == nil || task.Evidence.Min != 2 || task.Evidence.Tags[0] != "集中学习" || task.From.Month() != 4 || task.Line != 5 {
		t.Errorf("task: %+v %+v", task, task.Evidence)
	}
	// Taxonomies: Unicode terms, slugged; branches from classes.
	term := s.PageByPath("/tags/学习-教育/")
	if term == nil || term.Kind != KindTerm || term.Title != "学习 教育" || len(term.Pages) != 1 {
		t.Fatalf("tag term page: %+v", term)
	}
	if term.RelPermalink != "/sub/tags/%E5%AD%A6%E4%B9%A0-%E6%95%99%E8%82%B2/" {
		t.Errorf("term URL %q", term.RelPermalink)
	}
	branch := s.PageByPath("/branches/一支部/")
	if branch == nil || len(branch.Pages) != 2 || branch.Pages[0].Title != "乙" {
		t.Errorf("branch term page: %+v", branch)
	}
	if tags := s.PageByPath("/tags/"); tags == nil || tags.Kind != KindTaxonomy || len(tags.Pages) != 2 {
		t.Errorf("tags taxonomy page: %+v", tags)
	}
}

// TestLoadKeepsPagesWithBadFields checks what lets a build report every
// mistake in one run: a page with a wrong field is kept without that field,
// its kind is still read (so its references are checked), and a file whose
// front matter does not parse is left out without its readers being
// blamed for naming it.
func TestLoadKeepsPagesWithBadFields(t *testing.T) {
	s, err := loadSite(t, map[string]string{
		"news/a.md":             "---\ntitle: A\ndate: 2016-13-45\ntags: 3\nslug: \"..\"\ntype: lecture\n---\n正文。\n",
		"news/untitled.md":      "---\ntitle: [列表]\n---\n",
		"teachers/li/index.md":  "---\ntitle: 李四\nlevel: [县\n---\n",
		"teachers/li/photo.png": "png",
		"classes/c.md":          "---\ntitle: 课\ndate: 2016-05-03\nspeaker: [li, wang]\nform: 3\n---\n",
	}, Options{})
	if err == nil {
		t.Fatal("problems not reported")
	}
	if s == nil {
		t.Fatal("no site came back with the problems")
	}
	a := s.PageByFile("content/news/a.md")
	if a == nil {
		t.Fatalf("the page with bad fields was left out")
	}
	if !a.Date.IsZero() || a.Tags != nil || a.Path != "/news/a/" || a.Type != "news" || string(a.Body) != "正文。\n" {
		t.Errorf("the bad fields were not left out: date %v, tags %v, path %s, type %s, body %q", a.Date, a.Tags, a.Path, a.Type, a.Body)
	}
	c := s.PageByFile("content/classes/c.md")
	if c == nil || c.Class == nil || !slices.Equal(c.Class.SpeakerSlugs, []string{"li", "wang"}) {
		t.Fatalf("the class with a bad form was not read as a class: %+v", c)
	}
	if s.PageByFile("content/teachers/li/index.md") != nil || !s.Unreadable() {
		t.Errorf("a page whose front matter does not parse was kept")
	}
	if _, err := s.ResolveLink(c, "../teachers/li/photo.png"); err != nil {
		t.Errorf("a link into the unreadable bundle was blamed: %v", err)
	}
	if _, err := s.ResolveLink(c, "../teachers/zhang.md"); err == nil {
		t.Errorf("a link to a missing file was not reported")
	}
	msg := err.Error()
	for _, want := range []string{
		`content/news/a.md:3:1: date: "2016-13-45" is not a date`,
		"content/news/a.md:4:1: tags must be a list",
		"content/news/a.md:5:1: slug",
		`content/news/a.md:6:1: type "lecture" is not one of`,
		"content/news/untitled.md:2:1: title must be a string",
		"content/teachers/li/index.md:3:8: YAML",
		"content/classes/c.md:5:1: form must be a string",
		`content/classes/c.md:4:15: speaker "wang" names no teacher`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in\n%s", want, msg)
		}
	}
	for _, unwanted := range []string{`speaker "li"`, "untitled.md:1:1: the page has no title"} {
		if strings.Contains(msg, unwanted) {
			t.Errorf("%q is reported, though its cause is reported already:\n%s", unwanted, msg)
		}
	}
}

// A file whose name cannot be a name on the web (a backslash, bytes that
// are not UTF-8, a control character) is reported at the file, in words,
// not as a path the output refuses to write.
func TestBadFileNamesAreReported(t *testing.T) {
	_, err := loadSite(t, map[string]string{
		"news/a.md":           "---\ntitle: A\n---\n",
		"news/b/index.md":     "---\ntitle: B\n---\n",
		`news/b/x\y.png`:      "png",
		"news/b/\xb2\xe2.png": "png",
		"news/c\x07.md":       "---\ntitle: C\n---\n",
	}, Options{})
	for _, want := range []string{
		`content/news/b/x\y.png: the file name contains \, which Windows and web servers read as a folder separator: rename the file`,
		"content/news/b/\uFFFD.png: the file name is not UTF-8 (it was saved in another encoding, such as GBK): rename the file",
		"content/news/c\x07.md: the file name contains a control character: rename the file",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

// A branch name, like a tag, becomes a folder of public/ (/branches/NAME/):
// one over 255 bytes is an error at its field.
func TestLongBranchName(t *testing.T) {
	_, err := loadSite(t, map[string]string{
		"classes/a.md": "---\ntitle: 党课\ndate: 2016-06-01\nbranch: " + strings.Repeat("支部", 50) + "\n---\n",
	}, Options{})
	if err == nil || !strings.Contains(err.Error(), "content/classes/a.md:4:1: branch") || !strings.Contains(err.Error(), "300 bytes, over the 255") {
		t.Errorf("%v", err)
	}
}

// A control character in the summary, like one in the title, is an error
// at its field, and the page keeps the text without it.
func TestControlCharacterInSummary(t *testing.T) {
	_, err := loadSite(t, map[string]string{
		"news/a.md": "---\ntitle: 新闻\nsummary: \"摘要\\e[2J\"\n---\n",
	}, Options{})
	if err == nil || !strings.Contains(err.Error(), "content/news/a.md:3:1: summary contains the control character U+001B") {
		t.Errorf("%v", err)
	}
}

// A news item, like a reading, says where it comes from and who wrote it
// (来源, 作者), which a government column shows and its meta tags carry;
// a key of the wrong type is reported at its line.
func TestNewsSourceAndAuthor(t *testing.T) {
	site, err := loadSite(t, map[string]string{
		"news/a.md":     "---\ntitle: 动态\ndate: 2016-06-01\nsource: 县委组织部\nauthor: 王明\n---\n正文\n",
		"readings/b.md": "---\ntitle: 文章\nsource: 人民日报\nauthor: 李华\n---\n正文\n",
		"news/c.md":     "---\ntitle: 无来源\n---\n正文\n",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][2]string{"/news/a/": {"县委组织部", "王明"}, "/readings/b/": {"人民日报", "李华"}, "/news/c/": {"", ""}} {
		p := site.PageByPath(path)
		if p == nil {
			t.Fatalf("no page %s", path)
		}
		if got := [2]string{p.Source(), p.Author()}; got != want {
			t.Errorf("%s: source and author %q, want %q", path, got, want)
		}
	}
	if p := site.PageByPath("/news/a/"); p.News == nil || p.News.Source != "县委组织部" {
		t.Errorf("the news item's fields: %+v", p.News)
	}
	_, err = loadSite(t, map[string]string{"news/d.md": "---\ntitle: 错\nsource: [1, 2]\n---\n"}, Options{})
	if err == nil || !strings.Contains(err.Error(), "content/news/d.md:3:") {
		t.Errorf("a list for source: %v", err)
	}
}
