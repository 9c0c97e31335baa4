package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lanmu/internal/testsite"
)

// The bad-input corpus lives in testdata/bad at the repository root. _base
// is a small valid site; every other folder is one case, NN-name, holding
// the files it writes over the base site (and a recipe for files too large
// or too odd to check in), and a want file:
//
//   - every line of want must appear in the build's error output, and the
//     first names the file the case broke (path:line:col: or path:line:);
//   - lines starting with # are comments; a case whose message can name no
//     line says so in a comment containing "no line";
//   - "exit 0" instead marks an input that must build, in bounded time and
//     memory (see checkBuilds), and "within 20s" bounds its time more
//     tightly.
const corpus = "../../testdata/bad"

// entry is what a snapshot records of one file or folder.
type entry struct {
	mode  fs.FileMode
	size  int64
	mtime int64
	sum   [sha256.Size]byte
}

// treeSnapshot records every path under dir with its mode, size, mtime and
// contents, so that a test can tell that a failed build touched nothing.
func treeSnapshot(t *testing.T, dir string) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		e := entry{mode: info.Mode(), mtime: info.ModTime().UnixNano()}
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.size, e.sum = info.Size(), sha256.Sum256(data)
		}
		out[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyTree copies src to dst keeping modes and modification times, so
// that a copy of a built public/ snapshots the same as the original.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, rel)
			return os.MkdirAll(target, info.Mode().Perm())
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			return err
		}
		return os.Chtimes(target, info.ModTime(), info.ModTime())
	})
	if err != nil {
		t.Fatal(err)
	}
	// Folders last and deepest first: filling a folder changes its mtime.
	for _, rel := range slices.Backward(dirs) {
		info, err := os.Stat(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(dst, rel), info.ModTime(), info.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
}

// badCase is one folder of the corpus.
type badCase struct {
	dir   string
	files []string // site-relative paths the case writes
	want  []string
	noPos bool // the message can name the file but no line
	build bool // the input must build
	// within bounds the time of an input that must build more tightly
	// than buildTimeLimit ("within 20s" in want).
	within time.Duration
}

func readCase(t *testing.T, dir string) badCase {
	t.Helper()
	c := badCase{dir: dir}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel = filepath.ToSlash(rel); rel != "want" && rel != "recipe" {
			c.files = append(c.files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if recipe, err := os.ReadFile(filepath.Join(dir, "recipe")); err == nil {
		for _, step := range parseRecipe(t, string(recipe)) {
			if !slices.Contains(c.files, step.file) {
				c.files = append(c.files, step.file)
			}
		}
	}
	want, err := os.ReadFile(filepath.Join(dir, "want"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimRight(string(want), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
			c.noPos = c.noPos || strings.Contains(line, "no line")
		case line == "exit 0":
			c.build = true
		case strings.HasPrefix(line, "within "):
			d, err := time.ParseDuration(strings.TrimPrefix(line, "within "))
			if err != nil {
				t.Fatalf("%s/want: %v", dir, err)
			}
			c.within = d
		case strings.TrimSpace(line) != "":
			c.want = append(c.want, line)
		}
	}
	if !c.build && len(c.want) == 0 {
		t.Fatalf("%s/want expects nothing", dir)
	}
	return c
}

// recipeStep appends text to a generated file.
type recipeStep struct {
	file string
	text string
}

// parseRecipe reads a recipe: "file PATH" starts a file, "text Q" appends
// the Go-quoted string Q to it, "repeat N Q" appends Q N times.
func parseRecipe(t *testing.T, src string) []recipeStep {
	t.Helper()
	var steps []recipeStep
	file := ""
	for n, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		count := 1
		switch word {
		case "file":
			file = rest
			steps = append(steps, recipeStep{file: file})
			continue
		case "repeat":
			num, q, _ := strings.Cut(rest, " ")
			var err error
			if count, err = strconv.Atoi(num); err != nil {
				t.Fatalf("recipe line %d: %v", n+1, err)
			}
			rest = q
		case "text":
		default:
			t.Fatalf("recipe line %d: unknown step %q", n+1, word)
		}
		text, err := strconv.Unquote(rest)
		if err != nil || file == "" {
			t.Fatalf("recipe line %d: %q is not a quoted string after a file line (%v)", n+1, rest, err)
		}
		steps = append(steps, recipeStep{file: file, text: strings.Repeat(text, count)})
	}
	return steps
}

// apply writes the case's files over the site in dir.
func (c badCase) apply(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(c.dir, p)
		if rel == "want" || rel == "recipe" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	recipe, err := os.ReadFile(filepath.Join(c.dir, "recipe"))
	if err != nil {
		return
	}
	made := map[string]*bytes.Buffer{}
	var order []string
	for _, s := range parseRecipe(t, string(recipe)) {
		if made[s.file] == nil {
			made[s.file] = new(bytes.Buffer)
			order = append(order, s.file)
		}
		made[s.file].WriteString(s.text)
	}
	for _, name := range order {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, made[name].Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// position is the path:line:col: or path:line: that starts a message.
var position = regexp.MustCompile(`^([^:\s]+):\d+:(\d+:)?( |$)`)

func TestBadInputs(t *testing.T) {
	base := filepath.Join(t.TempDir(), "base")
	copyTree(t, filepath.Join(corpus, "_base"), base)
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", base}, &out, &errOut); code != exitOK {
		t.Fatalf("the base site does not build (%d):\n%s", code, errOut.String())
	}
	pristine := treeSnapshot(t, filepath.Join(base, "public"))

	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "_base" {
			names = append(names, e.Name())
		}
	}
	if len(names) < 45 {
		t.Errorf("the corpus has %d cases, want at least 45", len(names))
	}
	for _, name := range names {
		c := readCase(t, filepath.Join(corpus, name))
		t.Run(name, func(t *testing.T) {
			// Inputs that must build are measured alone; the others run
			// side by side.
			if !c.build {
				t.Parallel()
			}
			site := filepath.Join(t.TempDir(), "site")
			copyTree(t, base, site)
			c.apply(t, site)
			if c.build {
				checkBuilds(t, site, c)
				return
			}
			var out, errOut bytes.Buffer
			code := run([]string{"build", "-s", site}, &out, &errOut)
			stderr := errOut.String()
			if code != exitSite {
				t.Errorf("exit status %d, want %d", code, exitSite)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Errorf("the build panicked:\n%s", stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			// The first message must name the file the case broke, where
			// an editor would jump to it.
			file, _, _ := strings.Cut(c.want[0], ":")
			if !slices.Contains(c.files, file) {
				t.Errorf("want names %s, which the case does not write (it writes %v)", file, c.files)
			}
			if !c.noPos && !position.MatchString(c.want[0]) {
				t.Errorf("want's first line %q has no path:line: position", c.want[0])
			}
			if first, _, _ := strings.Cut(stderr, "\n"); !strings.HasPrefix(first, file+":") {
				t.Errorf("the first line of stderr does not start with %s:\n%s", file, stderr)
			}
			if now := treeSnapshot(t, filepath.Join(site, "public")); !maps.Equal(pristine, now) {
				t.Errorf("a failed build changed public/: %s", treeDiff(pristine, now))
			}
			if left, _ := filepath.Glob(filepath.Join(site, ".public*")); len(left) > 0 {
				t.Errorf("a failed build left %v behind", left)
			}
		})
	}
}

// treeDiff names the first few paths that differ between two snapshots.
func treeDiff(a, b map[string]entry) string {
	var diffs []string
	for _, p := range slices.Sorted(maps.Keys(a)) {
		if e, ok := b[p]; !ok {
			diffs = append(diffs, p+" is gone")
		} else if e != a[p] {
			diffs = append(diffs, p+" changed")
		}
	}
	for _, p := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[p]; !ok {
			diffs = append(diffs, p+" is new")
		}
	}
	if len(diffs) > 5 {
		diffs = append(diffs[:5], "…")
	}
	return strings.Join(diffs, ", ")
}

// Limits for the inputs that build, enforced on a lanmu process of their
// own: the kernel refuses it more address space than buildMemoryLimit (Go
// reserves about 1 GB before it uses any), and it is killed after
// buildTimeLimit, or after the case's own "within" limit. They are not
// speed targets: they tell a build that works from one that hangs or
// swallows the machine.
const (
	buildTimeLimit   = 2 * time.Minute
	buildMemoryLimit = 3 << 30
)

// checkBuilds builds an input that must build, in a child process bounded
// as above, and checks that it did so without a panic, and that each page
// the case added was written.
func checkBuilds(t *testing.T, site string, c badCase) {
	if runtime.GOOS == "windows" {
		t.Skip("bounding a child process's memory needs ulimit")
	}
	limit := buildTimeLimit
	if c.within > 0 {
		limit = c.within
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", fmt.Sprintf(`ulimit -v %d && exec "$0" "$@"`, buildMemoryLimit>>10),
		os.Args[0], "build", "-s", site)
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("the build did not finish in %v", limit)
	}
	if err != nil || strings.Contains(errOut.String(), "panic") {
		t.Fatalf("the build failed (%v), within %d MB of address space:\n%s", err, buildMemoryLimit>>20, errOut.String())
	}
	t.Logf("built in %v", took.Round(time.Millisecond))
	for _, f := range c.files {
		if !strings.HasPrefix(f, "content/") || !strings.HasSuffix(f, ".md") {
			continue // lanmu.toml and the like are not pages
		}
		page := strings.TrimSuffix(strings.TrimPrefix(f, "content/"), ".md")
		html, err := os.ReadFile(filepath.Join(site, "public", filepath.FromSlash(page), "index.html"))
		if err != nil {
			t.Errorf("%s was not written: %v", f, err)
			continue
		}
		if !bytes.Contains(html, []byte("</html>")) {
			t.Errorf("the page of %s is cut short", f)
		}
	}
}

// TestBOMAndCRLFAreHandled builds a site whose files carry a byte order
// mark and Windows line endings, as Notepad saves them, and checks that
// they read as if they had neither.
func TestBOMAndCRLFAreHandled(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	copyTree(t, filepath.Join(corpus, "_base"), site)
	files := map[string]string{
		"lanmu.toml":                  "\ufefftitle = \"换行测试专栏\"\r\nbaseURL = \"https://www.example.gov.cn/xxjy/\"\r\n\r\n[standards]\r\nasOf = \"2016-07-15\"\r\n",
		"content/news/windows.md":     "\ufeff---\r\ntitle: 记事本保存的动态\r\ndate: 2016-06-20\r\ntags: [集中学习]\r\n---\r\n第一段。\r\n\r\n## 学习 要点\r\n\r\n第二段。\r\n",
		"content/readings/windows.md": "\ufeff+++\r\ntitle = \"记事本保存的必读\"\r\ndate = 2016-05-02\r\n+++\r\n正文。\r\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(site, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", site}, &out, &errOut); code != exitOK {
		t.Fatalf("exit status %d:\n%s", code, errOut.String())
	}
	read := func(p string) string {
		data, err := os.ReadFile(filepath.Join(site, "public", filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	news := read("news/windows/index.html")
	for _, want := range []string{"记事本保存的动态", `id="学习-要点"`, "第二段。", "2016年6月20日", "换行测试专栏"} {
		if !strings.Contains(news, want) {
			t.Errorf("news/windows/index.html lacks %q", want)
		}
	}
	if strings.Contains(news, "\r") || strings.Contains(news, "\ufeff") {
		t.Errorf("a carriage return or byte order mark reached the page")
	}
	if !strings.Contains(read("readings/windows/index.html"), "记事本保存的必读") {
		t.Errorf("the TOML page with a BOM and CRLF lost its title")
	}
	// The tag came through the CRLF front matter as a tag, not "集中学习\r".
	if !strings.Contains(read("tags/集中学习/index.html"), "记事本保存的动态") {
		t.Errorf("the tag list lacks the CRLF page")
	}
}

// TestCorpusCasesAreNumbered keeps the corpus tidy: NN-name folders,
// numbered without gaps, each with a want file.
func TestCorpusCasesAreNumbered(t *testing.T) {
	entries, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^(\d{2,3})-[a-z0-9]+(-[a-z0-9]+)*$`)
	// In the order of their numbers: 100 comes after 99, not after 10.
	number := func(e os.DirEntry) int { n, _ := strconv.Atoi(strings.SplitN(e.Name(), "-", 2)[0]); return n }
	slices.SortStableFunc(entries, func(a, b os.DirEntry) int { return number(a) - number(b) })
	n := 0
	for _, e := range entries {
		if e.Name() == "_base" {
			continue
		}
		n++
		m := name.FindStringSubmatch(e.Name())
		if m == nil || m[1] != fmt.Sprintf("%02d", n) {
			t.Errorf("%s: want a name like %02d-short-name", e.Name(), n)
		}
		f, err := os.Open(filepath.Join(corpus, e.Name(), "want"))
		if err != nil {
			t.Errorf("%s has no want file", e.Name())
			continue
		}
		if !bufio.NewScanner(f).Scan() {
			t.Errorf("%s/want is empty", e.Name())
		}
		f.Close()
	}
}

// problemLines runs lanmu with args on the site in dir, which must fail, and
// returns the problems it printed, one per line, without the closing count.
func problemLines(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append(args, "-s", dir), &out, &errOut); code != exitSite {
		t.Fatalf("lanmu %v: exit status %d, want %d; stderr:\n%s", args, code, exitSite, errOut.String())
	}
	lines := strings.Split(strings.TrimRight(errOut.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	errs, warnings := 0, 0
	for _, l := range lines[:len(lines)-1] {
		if strings.HasPrefix(l, "warning: ") {
			warnings++
		} else {
			errs++
		}
	}
	want := fmt.Sprintf("lanmu: %d errors; nothing was written", errs)
	if warnings > 0 {
		want = fmt.Sprintf("lanmu: %s and %s; nothing was written", plural(errs, "error"), plural(warnings, "warning"))
	}
	if last != want {
		t.Errorf("lanmu %v: the last line is %q, want %q", args, last, want)
	}
	return lines[:len(lines)-1]
}

// TestMistakesAreReportedInOneRound gives pages several kinds of mistake at
// once, front matter, fields, references and links, and checks that one
// run of build, and one of check, names every one of them, in file and
// line order, each once, and writes nothing. An editor should not need a
// build per mistake.
func TestMistakesAreReportedInOneRound(t *testing.T) {
	fourInOne := "---\ntitle: 坏\ndate: 2016-13-45\ntags: 3\ntitel: x\n---\n见[这里](../readings/nope.md)。\n"
	cases := []struct {
		name  string
		files map[string]string
		want  []string // the problems, exactly, in order
		// warned are the lines of want that build prints as warnings and
		// check as errors.
		warned []int
	}{
		{"four mistakes in one file", map[string]string{"content/news/bad.md": fourInOne}, []string{
			`content/news/bad.md:3:1: date: "2016-13-45" is not a date: write 2016-06-16, 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00`,
			`content/news/bad.md:4:1: tags must be a list, not the number 3`,
			`content/news/bad.md:5:1: unknown field "titel" (did you mean "title"? it is set on line 2 too, and this value is not used)`,
			`content/news/bad.md:7:2: link "../readings/nope.md" goes to content/readings/nope.md, which does not exist`,
		}, nil},
		{"mistakes in two files", map[string]string{
			"content/news/bad.md": fourInOne,
			// A class whose speaker names no teacher, with a title of the
			// wrong type (reported once, not again as a missing title) and
			// a broken link further down.
			"content/classes/c.md": "---\ntitle: [党课]\ndate: 2016-05-03\nspeaker: wang-wu\n---\n提纲。\n\n见[动态](../news/gone.md)。\n",
		}, []string{
			`content/classes/c.md:2:1: title must be a string, not a list`,
			`content/classes/c.md:4:1: speaker "wang-wu" names no teacher: add content/teachers/wang-wu.md or use one of (no teachers yet)`,
			`content/classes/c.md:8:2: link "../news/gone.md" goes to content/news/gone.md, which does not exist`,
			`content/news/bad.md:3:1: date: "2016-13-45" is not a date: write 2016-06-16, 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00`,
			`content/news/bad.md:4:1: tags must be a list, not the number 3`,
			`content/news/bad.md:5:1: unknown field "titel" (did you mean "title"? it is set on line 2 too, and this value is not used)`,
			`content/news/bad.md:7:2: link "../readings/nope.md" goes to content/readings/nope.md, which does not exist`,
		}, nil},
		{"front matter that does not parse stops only its own file", map[string]string{
			"content/teachers/li-si.md": "---\ntitle: 李四\nposition: [讲师\n---\n",
			"content/readings/r.md":     "---\ntitle: 读\ndate: 2016-05-03\n---\n见[李四](../teachers/li-si.md)与[别处](missing.md)。\n\n又见[李四](/teachers/li-si/)。\n",
			"content/classes/c.md":      "---\ntitle: 课\ndate: 2016-05-03\nspeaker: li-si\n---\n提纲。\n",
		}, []string{
			// The class and the link name li-si rightly; only the file
			// that cannot be read, and the one real broken link, are
			// reported.
			`content/readings/r.md:5:29: link "missing.md" goes to content/readings/missing.md, which does not exist`,
			`content/teachers/li-si.md:3:11: YAML: the [ here is never closed: add the ] that ends the list`,
		}, nil},
		{"what rendering would warn about comes with the errors", map[string]string{
			"content/news/bad.md": "---\ntitle: 坏\ndate: 昨天\n---\n见[旧址](/readings/gone/)与[必读](/readings/intro/)。\n\n<table><tr><td>甲</td></tr></table>\n",
			// A photo that is not an image is found when the outputs are
			// planned, after loading.
			"content/teachers/wu/index.md": "---\ntitle: 吴\nphoto: p.jpg\n---\n",
			"content/teachers/wu/p.jpg":    "not a JPEG",
		}, []string{
			`content/news/bad.md:3:1: date: "昨天" is not a date: write 2016-06-16, 2016-06-16 09:32 or 2016-06-16T09:32:00+08:00`,
			`content/news/bad.md:5:2: broken link: /xxjy/readings/gone/ is not a page or file of the site`,
			`content/news/bad.md:7:1: raw HTML <table> is left out of the page: write a Markdown table instead (| 列 | 列 |, a line |---|---|, then a line per row), or keep raw HTML with unsafeHTML = true under [build] in lanmu.toml (only for content you trust)`,
			`content/teachers/wu/index.md:3:1: photo "p.jpg": not a JPEG, PNG, GIF or WebP image`,
		}, []int{1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := goodSite()
			maps.Copy(site, c.files)
			dir := testsite.Write(t, site)
			for _, cmd := range []string{"build", "check"} {
				got := problemLines(t, dir, cmd)
				want := slices.Clone(c.want)
				for _, i := range c.warned {
					if cmd == "build" {
						want[i] = "warning: " + want[i]
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("lanmu %s reported\n%s\nwant\n%s", cmd, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
					t.Errorf("lanmu %s with errors wrote public/ (stat: %v)", cmd, err)
				}
			}
		})
	}
}
