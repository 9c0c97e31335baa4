package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/internal/termtable"
	"lanmu/internal/testsite"
)

// snapshot hashes every file under dir, so that a test can tell whether a
// failed build touched the previous output.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = "dir"
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const goodConfig = "title = \"测试专栏\"\nbaseURL = \"https://www.example.gov.cn/xxjy/\"\n"

func goodSite() map[string]string {
	return map[string]string{
		"lanmu.toml":                goodConfig,
		"content/_index.md":         "---\ntitle: 首页\n---\n欢迎。\n",
		"content/news/first.md":     "---\ntitle: 第一条动态\ndate: 2016-06-16 09:32\n---\n## 学习 教育\n\n正文。\n",
		"content/readings/intro.md": "+++\ntitle = \"必读\"\ndate = 2016-05-01\n+++\n正文，见[动态](../news/first.md#学习-教育)。\n",
	}
}

func TestBuildErrorsArePositionedAndLeaveOutputAlone(t *testing.T) {
	cases := []struct {
		name  string
		file  string
		text  string
		wants []string // each must appear in stderr
	}{
		{"bad YAML", "content/news/bad.md", "---\ntitle: 好\ntags: [a, b\ndate: 2016-06-16\n---\n",
			[]string{"content/news/bad.md:3:7: YAML: the [ here is never closed"}},
		{"colon in an unquoted Chinese value", "content/news/bad.md", "---\ntitle: 学习: 要点\n---\n",
			[]string{"content/news/bad.md:2:8: YAML: mapping value is not allowed", "must be quoted"}},
		{"tab in YAML", "content/news/bad.md", "---\ntitle: 好\n\tdate: 2016-06-16\n---\n",
			[]string{"content/news/bad.md:3:1: YAML:", "never tabs"}},
		{"bad TOML", "content/news/bad.md", "+++\ntitle = \"好\"\ndate = \n+++\n",
			[]string{"content/news/bad.md:3:8: TOML: expected value"}},
		{"bad date", "content/news/bad.md", "---\ntitle: 好\ndate: 2016-13-45\n---\n",
			[]string{`content/news/bad.md:3:1: date: "2016-13-45" is not a date`}},
		{"bad date in TOML", "content/news/bad.md", "+++\ntitle = \"好\"\ndate = \"昨天\"\n+++\n",
			[]string{`content/news/bad.md:3:1: date: "昨天" is not a date`}},
		{"unknown config key", "lanmu.toml", goodConfig + "\n[build]\ndrafs = true\n",
			[]string{`lanmu.toml:5:1: unknown key "build.drafs" (did you mean "drafts"?)`}},
		{"mistyped config value", "lanmu.toml", goodConfig + "paginate = \"十\"\n",
			[]string{`lanmu.toml:3:1: paginate must be a whole number, not the string "十"`}},
		{"url leaving the site", "content/news/bad.md", "---\ntitle: 好\nurl: ../../etc/\n---\n",
			[]string{`content/news/bad.md:3:1: url: "../../etc/" may not contain . or .. segments`}},
		{"url with a scheme", "content/news/bad.md", "---\ntitle: 好\nurl: \"javascript:alert(1)\"\n---\n",
			[]string{`content/news/bad.md:3:1: url: "javascript:alert(1)" has a scheme`}},
		{"slug with a path", "content/news/bad.md", "---\ntitle: 好\nslug: a/../../b\n---\n",
			[]string{`content/news/bad.md:3:1: slug "a/../../b" may not contain /`}},
		{"front matter never closed", "content/news/bad.md", "---\ntitle: 好\n",
			[]string{"content/news/bad.md:1:1: front matter opened with --- is never closed"}},
		{"link to a missing file", "content/news/bad.md", "---\ntitle: 好\n---\n\n见 [缺失](missing.md) 文\n",
			[]string{`content/news/bad.md:5:3: link "missing.md" goes to content/news/missing.md, which does not exist`}},
		{"two pages on one URL", "content/news/bad.md", "---\ntitle: 好\nurl: /news/first/\n---\n",
			[]string{"/news/first/ is also the URL of content/news"}},
		{"no title", "content/news/bad.md", "---\ndate: 2016-06-16\n---\n",
			[]string{"content/news/bad.md:1:1: the page has no title"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := testsite.Write(t, goodSite())
			var out, errOut bytes.Buffer
			if code := run([]string{"build", "-s", dir}, &out, &errOut); code != 0 {
				t.Fatalf("the good site does not build (%d): %s", code, errOut.String())
			}
			// A file lanmu did not make must survive every build.
			if err := os.WriteFile(filepath.Join(dir, "public", "CNAME"), []byte("www.example.gov.cn"), 0o644); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, filepath.Join(dir, "public"))
			if err := os.WriteFile(filepath.Join(dir, c.file), []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			errOut.Reset()
			code := run([]string{"build", "-s", dir}, &out, &errOut)
			if code != exitSite {
				t.Errorf("exit status %d, want %d", code, exitSite)
			}
			for _, want := range c.wants {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
				}
			}
			if after := snapshot(t, filepath.Join(dir, "public")); !maps.Equal(before, after) {
				t.Errorf("a failed build changed public/")
			}
			if leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.lanmu-*")); len(leftovers) > 0 {
				t.Errorf("a failed build left %v behind", leftovers)
			}
		})
	}
}

func TestEveryErrorIsReported(t *testing.T) {
	files := goodSite()
	files["content/news/a.md"] = "---\ntitle: 好\ndate: 不是日期\n---\n"
	files["content/news/b.md"] = "---\ntitle: [\n---\n"
	files["content/news/c.md"] = "---\ntitle: 好\nurl: //evil.example/\n---\n"
	dir := testsite.Write(t, files)
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitSite {
		t.Fatalf("exit status %d, want %d", code, exitSite)
	}
	for _, want := range []string{"content/news/a.md:3:1:", "content/news/b.md:", "content/news/c.md:3:1:", "3 errors"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("a failed first build created public/")
	}
}

func TestRebuildRemovesOnlyWhatLanmuMade(t *testing.T) {
	dir := testsite.Write(t, goodSite())
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != 0 {
		t.Fatalf("build failed: %s", errOut.String())
	}
	pub := filepath.Join(dir, "public")
	os.WriteFile(filepath.Join(pub, "CNAME"), []byte("x"), 0o644)
	os.MkdirAll(filepath.Join(pub, "downloads"), 0o755)
	os.WriteFile(filepath.Join(pub, "downloads", "plan.pdf"), []byte("%PDF"), 0o644)
	os.Remove(filepath.Join(dir, "content/news/first.md"))
	os.WriteFile(filepath.Join(dir, "content/readings/intro.md"), []byte("---\ntitle: 必读\n---\n正文。\n"), 0o644)
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != 0 {
		t.Fatalf("rebuild failed: %s", errOut.String())
	}
	for _, keep := range []string{"CNAME", "downloads/plan.pdf", "readings/intro/index.html"} {
		if _, err := os.Stat(filepath.Join(pub, keep)); err != nil {
			t.Errorf("%s is gone after a rebuild", keep)
		}
	}
	if _, err := os.Stat(filepath.Join(pub, "news/first/index.html")); err == nil {
		t.Errorf("the page of a deleted file is still in public/")
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"build", "extra"}, {"build", "--no-such-flag"}, {"no-such-command"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != exitUsage {
			t.Errorf("lanmu %v: exit status %d, want %d (%s)", args, code, exitUsage, errOut.String())
		}
	}
}

func TestRefusesDangerousDestinations(t *testing.T) {
	dir := testsite.Write(t, goodSite())
	for _, dest := range []string{dir, filepath.Dir(dir), "/", filepath.Join(dir, "content", "out")} {
		var out, errOut bytes.Buffer
		if code := run([]string{"build", "-s", dir, "-d", dest}, &out, &errOut); code != exitSite {
			t.Errorf("-d %s: exit status %d, want %d", dest, code, exitSite)
		}
		if !strings.Contains(errOut.String(), "refusing") {
			t.Errorf("-d %s: no refusal in %q", dest, errOut.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "news", "first.md")); err != nil {
		t.Errorf("a refused build damaged the site: %v", err)
	}
}

func TestStatusCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"status", "-s", "../..", "--as-of", "2016-05-25"}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	table := out.String()
	for _, want := range []string{"as of 2016-05-25", "主题党日活动标准", "overdue", "due-soon", "tasks: overdue 1 due-soon"} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	// Rows with Chinese and rows with ASCII put the STATUS column at the
	// same display cell.
	col := -1
	for _, line := range strings.Split(table, "\n") {
		for _, status := range []string{"  overdue", "  done", "  open"} {
			if i := strings.Index(line, status); i >= 0 {
				c := termtable.Width(line[:i])
				if col >= 0 && c != col {
					t.Errorf("status column at %d, elsewhere at %d: %q", c, col, line)
				}
				col = c
			}
		}
	}
	out.Reset()
	if code := run([]string{"status", "-s", "../..", "--as-of", "2016-05-25", "--json"}, &out, &errOut); code != exitOK {
		t.Fatalf("--json exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "{\n  \"asOf\": \"2016-05-25\",") {
		t.Errorf("--json printed %.80q", out.String())
	}
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"status", "-s", "../..", "--fail-on", "overdue"}, exitOverdue},
		{[]string{"status", "-s", "../..", "--as-of", "2016-04-20", "--fail-on", "overdue"}, exitOK},
		{[]string{"status", "-s", "../..", "--as-of", "25/05/2016"}, exitUsage},
		{[]string{"status", "-s", "../..", "--fail-on", "late"}, exitUsage},
		{[]string{"build", "-s", "../..", "--as-of", "昨天"}, exitUsage},
	} {
		out.Reset()
		errOut.Reset()
		if code := run(c.args, &out, &errOut); code != c.want {
			t.Errorf("lanmu %v: exit %d, want %d (%s)", c.args, code, c.want, errOut.String())
		}
	}
}

func TestStandardsMistakesFailTheBuild(t *testing.T) {
	files := goodSite()
	files["content/standards/s.md"] = "---\ntitle: 标准\nnumber: 1\ntasks:\n  - id: a\n    title: 无期限\n  - id: b\n    title: 周期\n    every: quarter\n    from: 2016-04-01\n  - id: c\n    title: 佐证\n    due: 2016-06-30\n    evidence: { section: meetings, tags: [x] }\n---\n"
	dir := testsite.Write(t, files)
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitSite {
		t.Fatalf("exit %d, want %d", code, exitSite)
	}
	for _, want := range []string{"content/standards/s.md:5:7: task \"a\" has neither due nor every", "content/standards/s.md:7:7: task \"b\" repeats every quarter but has no to", "content/standards/s.md:14:17: task \"c\": evidence.section \"meetings\" is not a section"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}

func TestPrintWithoutChromiumSaysHowToInstall(t *testing.T) {
	dir := testsite.Write(t, goodSite())
	t.Setenv("PATH", t.TempDir()) // no chromium anywhere
	for _, args := range [][]string{{"print", "-s", dir}, {"build", "-s", dir, "--pdf"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != exitSite {
			t.Errorf("lanmu %v: exit %d, want %d", args, code, exitSite)
		}
		if !strings.Contains(errOut.String(), "apt-get install chromium") {
			t.Errorf("lanmu %v does not say how to install Chromium: %s", args, errOut.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("build --pdf without Chromium wrote public/")
	}
}

func TestLongCardAnswerWarns(t *testing.T) {
	files := goodSite()
	files["content/cards/long.md"] = "---\ntitle: 长答案？\ndeck: 测试\n---\n" + strings.Repeat("这是一段很长的答案。", 40) + "\n"
	dir := testsite.Write(t, files)
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "warning: content/cards/long.md: the card's back is too long") {
		t.Errorf("no warning for a card too long to print: %q", errOut.String())
	}
}
