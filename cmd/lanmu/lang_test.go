package main

import (
	"bytes"
	"go/ast"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lanmu/generator/build"
	"lanmu/generator/content"
	"lanmu/generator/messages"
	"lanmu/generator/printer"
	"lanmu/generator/standards"
)

// helpTexts lists every help text of lanmu's own commands: descriptions,
// examples with a comment in them, and flags. cobra's completion commands
// are left out but for their one-line descriptions.
func helpTexts() []string {
	root := newRoot(io.Discard, io.Discard, messages.For(messages.English))
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	var walk func(c *cobra.Command, cobras bool)
	walk = func(c *cobra.Command, cobras bool) {
		add(c.Short)
		if cobras {
			return
		}
		add(c.Long)
		if strings.Contains(c.Example, "#") {
			add(c.Example)
		}
		flags := func(f *pflag.Flag) {
			if f.Name != "help" {
				add(f.Usage)
			}
		}
		c.LocalFlags().VisitAll(flags)
		c.PersistentFlags().VisitAll(flags)
		for _, sub := range c.Commands() {
			walk(sub, cobras || sub.Name() == "completion" || sub.Name() == "help")
		}
	}
	walk(root, false)
	return append(out, "help for %s")
}

// sayFormats are the formats lanmu prints through the user's language:
// every literal given to a say.Sprintf in cmd and in the packages it hands
// its printer to, found in their source, and the names it builds: the
// summary's and the pocket book's roles.
func sayFormats(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, f := range parseSources(t, ".", "../../generator/preview", "../../generator/printer", "../../generator/editor") {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			// say.Sprintf(format, …), opts.Say.Sprintf(…), and the printer's
			// progress(format, …), which calls say.Sprintf.
			switch fun := call.Fun.(type) {
			case *ast.Ident:
				if fun.Name != "progress" {
					return true
				}
			case *ast.SelectorExpr:
				var recv string
				switch x := fun.X.(type) {
				case *ast.Ident:
					recv = x.Name
				case *ast.SelectorExpr:
					recv = x.Sel.Name
				}
				if fun.Sel.Name != "Sprintf" || (recv != "say" && recv != "Say") {
					return true
				}
			default:
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, s)
			}
			return true
		})
	}
	if len(out) < 5 {
		t.Fatalf("found %d say.Sprintf formats: the scan is broken", len(out))
	}
	for _, ty := range append(slices.Clone(content.ColumnTypes), content.TypePage) {
		out = append(out, string(ty)+" pages")
	}
	out = append(out, printer.Roles()...)
	for _, st := range standards.Statuses {
		out = append(out, string(st))
	}
	for _, c := range summaryCounts(&build.Report{}) {
		out = append(out, c.name)
	}
	return out
}

// The catalogue translates every help text, everything cmd says through
// the user's language and every problem's message, and nothing that no
// message uses: a text added in
// English without its Chinese fails here.
func TestCatalogueIsComplete(t *testing.T) {
	texts := append(helpTexts(), sayFormats(t)...)
	texts = append(texts, problemFormats(t)...)
	for _, s := range texts {
		if !messages.Has(s) {
			t.Errorf("no Chinese for %q", s)
		}
	}
	for _, k := range messages.Keys() {
		if !slices.Contains(texts, k) {
			t.Errorf("the catalogue translates %q, which nothing says any more", k)
		}
	}
}

// runIn runs lanmu in dir with the environment given, the rest of the
// language variables unset, and returns what it printed.
func runIn(t *testing.T, dir string, env map[string]string, args ...string) string {
	t.Helper()
	for _, name := range []string{messages.EnvName, "LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(name, env[name])
	}
	t.Chdir(dir)
	var out bytes.Buffer
	if code := run(args, &out, &out); code != 0 {
		t.Fatalf("lanmu %s: exit %d\n%s", strings.Join(args, " "), code, out.String())
	}
	return out.String()
}

// The help is in the language the SPEC's rule picks: --lang, else
// LANMU_LANG, else the site's language, else the locale, else English.
func TestHelpLanguage(t *testing.T) {
	empty := t.TempDir()
	english := "Usage:\n  lanmu [flags]"
	chinese := "用法：\n  lanmu [选项]"
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"a zh_CN locale", map[string]string{"LANG": "zh_CN.UTF-8"}, nil, chinese},
		{"LC_ALL before LANG", map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, nil, english},
		{"LANMU_LANG before the locale", map[string]string{messages.EnvName: "zh", "LANG": "en_US.UTF-8"}, nil, chinese},
		{"--lang before LANMU_LANG", map[string]string{messages.EnvName: "zh"}, []string{"--lang", "en"}, english},
		{"no language set", nil, nil, english},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := runIn(t, empty, c.env, append(c.args, "--help")...)
			if !strings.Contains(got, c.want) {
				t.Errorf("lanmu --help says\n%s\nwant %q in it", got, c.want)
			}
		})
	}
	// A Chinese site's help is Chinese under an English locale, and its
	// flags and defaults are too.
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "lanmu.toml"), []byte("title = \"栏目\"\nbaseURL = \"https://example.org/\"\nlanguage = \"zh-CN\"\n"), 0o644)
	got := runIn(t, site, map[string]string{"LANG": "en_US.UTF-8"}, "serve", "--help")
	for _, want := range []string{"用法：", "选项：", "（默认 1313）", "通用选项："} {
		if !strings.Contains(got, want) {
			t.Errorf("lanmu serve --help in a Chinese site lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Preview the site") || strings.Contains(got, "(default ") {
		t.Errorf("lanmu serve --help in a Chinese site has English in it:\n%s", got)
	}
}

func TestLangFlagMustNameALanguage(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"--lang", "fr", "--help"}, &out, &out); code != exitUsage || !strings.Contains(out.String(), "--lang must be zh or en") {
		t.Errorf("--lang fr: exit %d, %s", code, out.String())
	}
}

// english is how lanmu speaks when no language is chosen.
var english = messages.For(messages.English)

// A build of a broken site in Chinese keeps every path:line:col: as it is
// and says the rest in Chinese (so far the framing: the warning mark and
// the closing count; the messages themselves are next).
func TestBrokenBuildInChinese(t *testing.T) {
	site := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		os.MkdirAll(filepath.Dir(filepath.Join(site, name)), 0o755)
		if err := os.WriteFile(filepath.Join(site, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lanmu.toml", "title = \"栏目\"\nbaseURL = \"https://example.org/\"\n")
	// A problem from each place problems are found: a date's parser, the
	// front matter's decoder, a link's resolver, the Markdown converter
	// (a warning) and a standard's check.
	write("content/news/a.md", "---\ntitle: 甲\ndate: 2016-13-45\n---\n\n正文<b>粗</b>。\n")
	write("content/news/b.md", "---\ntitle: 乙\ndate: 2016-05-01\ndraft: 3\n---\n\n见[丙](c.md)。\n")
	write("content/standards/s.md", "---\ntitle: 标准\nnumber: 1\ntasks:\n  - id: t1\n    title: 任务\n---\n")
	runs := map[string][]string{}
	for _, lang := range []string{"zh", "en"} {
		t.Setenv(messages.EnvName, lang)
		var out, errOut bytes.Buffer
		if code := run([]string{"build", "-s", site}, &out, &errOut); code != exitSite {
			t.Fatalf("exit %d\n%s", code, errOut.String())
		}
		runs[lang] = strings.Split(strings.TrimSpace(errOut.String()), "\n")
	}
	zh, en := runs["zh"], runs["en"]
	if len(zh) != len(en) || len(en) != 6 {
		t.Fatalf("zh says\n%s\nen says\n%s\nwant five problems and the closing line in each", strings.Join(zh, "\n"), strings.Join(en, "\n"))
	}
	if last := zh[len(zh)-1]; last != "lanmu：共 4 个错误、1 个警告，没有写入任何文件" {
		t.Errorf("closing line %q", last)
	}
	position := regexp.MustCompile(`^(?:警告：|warning: )?(content/[a-z/]+\.md:\d+:\d+: )(.*)$`)
	for i := range len(en) - 1 {
		z, e := position.FindStringSubmatch(zh[i]), position.FindStringSubmatch(en[i])
		if z == nil || e == nil {
			t.Errorf("no position in\n  %s\n  %s", zh[i], en[i])
			continue
		}
		if z[1] != e[1] {
			t.Errorf("the position changed with the language: %q against %q", z[1], e[1])
		}
		if z[2] == e[2] || !strings.ContainsFunc(z[2], func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("not said in Chinese: %s", zh[i])
		}
	}
	for _, want := range []string{"content/news/a.md:3:1: ", "警告：content/news/a.md:6:3: ", "content/news/b.md:4:1: ", "content/news/b.md:7:2: ", "content/standards/s.md:5:7: "} {
		if !slices.ContainsFunc(zh, func(l string) bool { return strings.HasPrefix(l, want) }) {
			t.Errorf("no problem at %q in\n%s", want, strings.Join(zh, "\n"))
		}
	}
}
