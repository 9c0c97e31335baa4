package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lanmu/generator/config"
	"lanmu/generator/content"
)

// newRun runs one command line and returns its exit status and output.
func newRun(args ...string) (code int, stdout, stderr string) {
	var out, errs bytes.Buffer
	code = run(args, &out, &errs)
	return code, out.String(), errs.String()
}

// newStarter makes a column with `lanmu new site` in a fresh folder.
func newStarter(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := newRun("new", "site", dir)
	if code != exitOK || stderr != "" {
		t.Fatalf("new site: exit %d\n%s", code, stderr)
	}
	for _, step := range []string{"cd " + dir, "lanmu.toml", "lanmu serve", "lanmu new reading 标题", "lanmu build"} {
		if !strings.Contains(stdout, step) {
			t.Errorf("the next steps do not mention %q:\n%s", step, stdout)
		}
	}
	return dir
}

// newBuildQuietly builds dir and fails the test unless the build succeeds with
// nothing on stderr: no error and no warning.
func newBuildQuietly(t *testing.T, dir string) {
	t.Helper()
	code, _, stderr := newRun("build", "-s", dir)
	if code != exitOK || stderr != "" {
		t.Fatalf("build: exit %d, stderr:\n%s", code, stderr)
	}
}

func newFileExists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}

func TestNewSiteBuildsAtOnce(t *testing.T) {
	dir := newStarter(t)
	newBuildQuietly(t, dir)
	public := filepath.Join(dir, "public")
	for _, p := range []string{
		"index.html", "readings/lanmu-shiyong-shuoming/index.html", "classes/shili-dangke-tigang/index.html",
		"teachers/zhang-hua/index.html", "cards/jichu-01/index.html", "cards/jichu-02/index.html",
		"standards/01-xuexi-jiaoyu/index.html", "standards/status.json", "news/zhuanlan-kaitong/index.html",
		"print/pocketbook/index.html",
	} {
		if !newFileExists(filepath.Join(public, p)) {
			t.Errorf("the starter column has no %s", p)
		}
	}
	// The class names the teacher as its speaker, and the teacher's page
	// lists the class: the cross reference works.
	teacher, err := os.ReadFile(filepath.Join(public, "teachers/zhang-hua/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(teacher), "示例党课提纲") {
		t.Error("the teacher's page does not list the class the teacher gave")
	}
	// The sample standard's evidence is met by the sample pages, so a new
	// column does not open with overdue work.
	code, stdout, stderr := newRun("status", "-s", dir, "--fail-on", "overdue")
	if code != exitOK {
		t.Errorf("status: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "done 3") {
		t.Errorf("want three tasks of the sample standard done:\n%s", stdout)
	}
}

func TestNewSiteRefusesANonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := newRun("new", "site", dir)
	if code != exitSite || !strings.Contains(stderr, dir+" is not empty") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("new site wrote into a non-empty folder: %d entries", len(entries))
	}
}

var newDraftLine = regexp.MustCompile(`(?m)^draft: true.*\n`)

func TestNewEveryKind(t *testing.T) {
	tests := []struct{ kind, section string }{
		{"reading", "readings"}, {"class", "classes"}, {"teacher", "teachers"},
		{"card", "cards"}, {"standard", "standards"}, {"news", "news"},
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	const title = "学习 体会：第一讲"
	const slug = "学习-体会-第一讲"
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			dir := newStarter(t)
			before := time.Now().In(shanghai).Format(time.DateOnly)
			code, stdout, stderr := newRun("new", tt.kind, title, "-s", dir)
			after := time.Now().In(shanghai).Format(time.DateOnly)
			rel := "content/" + tt.section + "/" + slug + ".md"
			file := filepath.Join(dir, filepath.FromSlash(rel))
			if code != exitOK || stderr != "" || !strings.Contains(stdout, "wrote "+file) {
				t.Fatalf("new %s: exit %d\nstdout: %s\nstderr: %s", tt.kind, code, stdout, stderr)
			}

			// Read the page back as the build does.
			cfg, err := config.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			site, err := content.Load(dir, cfg, content.Options{Drafts: true, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			p := site.PageByFile(rel)
			if p == nil {
				t.Fatalf("%s is not a page of the site", rel)
			}
			if p.Title != title || !p.Draft || string(p.Type) != tt.kind || p.Slug != slug {
				t.Errorf("title %q, draft %v, type %q, slug %q", p.Title, p.Draft, p.Type, p.Slug)
			}
			if _, offset := p.Date.Zone(); offset != 8*3600 {
				t.Errorf("date %v is not written in the site's zone", p.Date)
			}
			if day := p.Date.In(shanghai).Format(time.DateOnly); day != before && day != after {
				t.Errorf("date %v is not today in Asia/Shanghai (%s)", p.Date, before)
			}
			if tt.kind == "standard" && (p.Standard == nil || p.Standard.Number != 2) {
				t.Errorf("the new standard is not number 2, after the starter's 1: %+v", p.Standard)
			}

			out := filepath.Join(dir, "public", tt.section, slug, "index.html")
			newBuildQuietly(t, dir)
			if newFileExists(out) {
				t.Fatalf("the draft was published at %s", out)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			published := newDraftLine.ReplaceAll(data, nil)
			if bytes.Equal(published, data) {
				t.Fatalf("no draft line to remove in\n%s", data)
			}
			if err := os.WriteFile(file, published, 0o644); err != nil {
				t.Fatal(err)
			}
			newBuildQuietly(t, dir)
			html, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("once no longer a draft, the page is not built: %v", err)
			}
			if !strings.Contains(string(html), "学习 体会：第一讲") {
				t.Errorf("%s does not show the title", out)
			}
		})
	}
}

func TestNewRefusesToOverwrite(t *testing.T) {
	dir := newStarter(t)
	if code, _, stderr := newRun("new", "news", "通知", "-s", dir); code != exitOK {
		t.Fatalf("first new: exit %d\n%s", code, stderr)
	}
	file := filepath.Join(dir, "content", "news", "通知.md")
	if err := os.WriteFile(file, []byte("the editor's work"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := newRun("new", "news", "通知", "-s", dir)
	if code != exitSite || !strings.Contains(stderr, "content/news/通知.md already exists") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if data, _ := os.ReadFile(file); string(data) != "the editor's work" {
		t.Errorf("the page was overwritten: %q", data)
	}
	// A bundle of the same name would have the same URL.
	if err := os.MkdirAll(filepath.Join(dir, "content", "teachers", "王芳"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "teachers", "王芳", "index.md"), []byte("---\ntitle: 王芳\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = newRun("new", "teacher", "王芳", "-s", dir)
	if code != exitSite || !strings.Contains(stderr, "content/teachers/王芳/index.md already exists") {
		t.Errorf("a bundle of the same slug: exit %d, stderr:\n%s", code, stderr)
	}
}

func TestNewUsesTheSiteArchetype(t *testing.T) {
	dir := newStarter(t)
	archetype := "---\ntitle: {{ yaml .Title }}\ndate: {{ .Date }}\ntags: [{{ .Kind }}]\n---\n本单位模板：{{ .Section }}/{{ .Slug }}\n"
	if err := os.MkdirAll(filepath.Join(dir, "archetypes"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "archetypes", "news.md"), []byte(archetype), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := newRun("new", "news", "Monthly study", "-s", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.Contains(stdout, "draft") {
		t.Errorf("the page is not a draft, yet the output says it is:\n%s", stdout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "content", "news", "monthly-study.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "---\ntitle: Monthly study\ndate: ") || !strings.HasSuffix(string(data), "tags: [news]\n---\n本单位模板：news/monthly-study\n") {
		t.Errorf("the site's archetype was not used:\n%s", data)
	}
	// Its page is published at once: the site's archetype makes no draft.
	newBuildQuietly(t, dir)
	if !newFileExists(filepath.Join(dir, "public", "news", "monthly-study", "index.html")) {
		t.Error("the page made from the site's archetype was not built")
	}
}

func TestNewBadArchetypeIsPositioned(t *testing.T) {
	dir := newStarter(t)
	if err := os.MkdirAll(filepath.Join(dir, "archetypes"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := "---\ntitle: {{ yaml .Title }}\nspeaker: {{ .Speaker }}\n---\n"
	if err := os.WriteFile(filepath.Join(dir, "archetypes", "class.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := newRun("new", "class", "党课", "-s", dir)
	if code != exitSite || !strings.HasPrefix(stderr, "archetypes/class.md:3:13: <.Speaker>: can't evaluate field Speaker") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if newFileExists(filepath.Join(dir, "content", "classes", "党课.md")) {
		t.Error("a page was written from a broken archetype")
	}
}

func TestNewUsageErrors(t *testing.T) {
	dir := newStarter(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"new"}, "reading | class | teacher | card | standard | news"},
		{[]string{"new", "poem", "静夜思", "-s", dir}, `there is no kind "poem": choose site or one of reading | class | teacher | card | standard | news`},
		{[]string{"new", "reading", "-s", dir}, "new reading needs a title"},
		{[]string{"new", "reading", " ", "-s", dir}, "new reading needs a title"},
		{[]string{"new", "card", "？！", "-s", dir}, "has no letters or digits"},
		{[]string{"new", "site"}, "new site takes one folder"},
		{[]string{"new", "site", filepath.Join(dir, "x"), "-s", dir}, "-s is for new KIND TITLE"},
	} {
		code, _, stderr := newRun(tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("lanmu %q: exit %d, stderr:\n%s\nwant exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if newFileExists(filepath.Join(dir, "x")) {
		t.Error("new site went ahead despite the usage error")
	}
}

// TestNewClassOutlineIsNumberedTheChineseWay publishes the class `lanmu new
// class` writes and reads the page: every heading of the outline carries
// the author's number for its level (一、 for h2, （一） for h3, 1. for h4,
// the closing discussion excepted), and the outline beside it shows the
// headings as written, with no second numbering.
func TestNewClassOutlineIsNumberedTheChineseWay(t *testing.T) {
	dir := newStarter(t)
	code, _, stderr := newRun("new", "class", "党课提纲", "-s", dir)
	if code != exitOK {
		t.Fatalf("new class: exit %d\n%s", code, stderr)
	}
	file := filepath.Join(dir, "content", "classes", "党课提纲.md")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, newDraftLine.ReplaceAll(data, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	newBuildQuietly(t, dir)
	page, err := os.ReadFile(filepath.Join(dir, "public", "classes", "党课提纲", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	numbered := map[string]*regexp.Regexp{
		"h2": regexp.MustCompile(`^[一二三四五六七八九十]+、\S`),
		"h3": regexp.MustCompile(`^（[一二三四五六七八九十]+）\S`),
		"h4": regexp.MustCompile(`^[0-9]+\. \S`),
	}
	tags := regexp.MustCompile(`<[^>]+>`)
	heading := regexp.MustCompile(`<(h[234]) id="[^"]+">(.*?)</h[234]>`)
	levels := map[string]int{}
	var texts []string
	for _, m := range heading.FindAllStringSubmatch(string(page), -1) {
		text := tags.ReplaceAllString(m[2], "")
		texts = append(texts, text)
		levels[m[1]]++
		if text != "课后讨论" && !numbered[m[1]].MatchString(text) {
			t.Errorf("the %s %q is not numbered the Chinese way for its level", m[1], text)
		}
	}
	if levels["h2"] < 2 || levels["h3"] < 2 || levels["h4"] < 2 {
		t.Errorf("the outline has headings %v; want at least two of each level", levels)
	}
	var outline []string
	for _, m := range regexp.MustCompile(`<li class="outline__item[^"]*">(.*?)</li>`).FindAllStringSubmatch(string(page), -1) {
		outline = append(outline, tags.ReplaceAllString(m[1], ""))
	}
	if strings.Join(outline, "\n") != strings.Join(texts, "\n") {
		t.Errorf("the outline reads\n%q\nwant the headings as written\n%q", outline, texts)
	}
}
