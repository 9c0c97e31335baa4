package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lanmu/generator/messages"
)

// helpTexts lists every help text of lanmu's own commands: descriptions,
// examples with a comment in them, and flags. cobra's completion commands
// are left out but for their one-line descriptions.
func helpTexts() []string {
	root := newRoot(io.Discard, io.Discard)
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

// The catalogue translates every help text, and nothing else that no
// message uses: a text added in English without its Chinese fails here.
func TestCatalogueIsComplete(t *testing.T) {
	texts := helpTexts()
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
