package messages

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	for _, c := range []struct {
		flag, site string
		env        map[string]string
		want       Lang
	}{
		{"", "", nil, English},
		{"zh", "", map[string]string{EnvName: "en"}, Chinese},
		{"", "", map[string]string{EnvName: "zh-CN", "LANG": "en_US.UTF-8"}, Chinese},
		{"", "en", map[string]string{"LANG": "zh_CN.UTF-8"}, English},
		{"", "zh-CN", map[string]string{"LANG": "C"}, Chinese},
		{"", "", map[string]string{"LANG": "zh_TW.UTF-8"}, Chinese},
		{"", "", map[string]string{"LC_MESSAGES": "en_GB", "LANG": "zh_CN"}, English},
		{"", "", map[string]string{"LC_ALL": "zh_CN.GB18030", "LC_MESSAGES": "C"}, Chinese},
		// A language lanmu does not speak, in the environment or the site,
		// gives way to the next rule.
		{"", "fr", map[string]string{EnvName: "de", "LANG": "zh_CN.UTF-8"}, Chinese},
	} {
		got, err := Choose(c.flag, func(k string) string { return c.env[k] }, c.site)
		if err != nil || got != c.want {
			t.Errorf("Choose(%q, %v, %q) = %q, %v; want %q", c.flag, c.env, c.site, got, err, c.want)
		}
	}
	if _, err := Choose("fr", func(string) string { return "" }, ""); err == nil || !strings.Contains(err.Error(), "zh or en") {
		t.Errorf("--lang fr: %v", err)
	}
}

// A format keeps its verbs in Chinese; a fixed text with a % in it is
// printed as it is rather than read as a format.
func TestPrinterAndText(t *testing.T) {
	if got := For(Chinese).Sprintf("help for %s", "build"); got != "build 的帮助" {
		t.Errorf("Sprintf = %q", got)
	}
	if got := For(English).Sprintf("help for %s", "build"); got != "help for build" {
		t.Errorf("English Sprintf = %q", got)
	}
	if got := Plain(Chinese, "Help about any command"); got != "查看任一命令的说明" {
		t.Errorf("Text = %q", got)
	}
	if got := Plain(Chinese, "100% untranslated"); got != "100% untranslated" {
		t.Errorf("Text of a text with %% = %q", got)
	}
	if got := Plain(Chinese, "no such text"); got != "no such text" {
		t.Errorf("Text without a translation = %q", got)
	}
}

// formatArgs lists, for each argument a format uses, the verb it is
// printed with, in argument order; explicit indexes (%[2]s) are followed,
// as fmt follows them.
func formatArgs(format string) []string {
	var out []string
	next := 0
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			next, _ = strconv.Atoi(m[1])
			next--
		}
		for len(out) <= next {
			out = append(out, "")
		}
		out[next] = m[2]
		next++
	}
	return out
}

var verb = regexp.MustCompile(`%[-+# 0]*(?:\[(\d+)\])?[0-9.]*([a-zA-Z%])`)

// A translation prints the same arguments with the same verbs as its
// English, whatever order Chinese puts them in: a lost %s would drop a
// file's name from a message, a %d for a %s would print %!d(string=…).
func TestTranslationsKeepTheirVerbs(t *testing.T) {
	if got := formatArgs("%[2]s 在 %[1]d 行，共 %[3]q"); !slices.Equal(got, []string{"d", "s", "q"}) {
		t.Fatalf("formatArgs reads indexes wrong: %q", got)
	}
	for id, tr := range translations {
		if want, got := formatArgs(id), formatArgs(tr); !slices.Equal(want, got) {
			t.Errorf("%q\n  translated as %q\n  prints %q, want %q", id, tr, got, want)
		}
	}
}

// A message kept for later is printed in the printer's language, its
// nested messages too, and in English by String and a nil printer.
func TestTextIsTranslatedWhenPrinted(t *testing.T) {
	inner := Textf("task %q", "t1")
	outer := Textf("%s has neither due nor every: write due: 2016-12-31 for a one-off task, or every: month, quarter or year with from: and to: for a recurring one", inner)
	if got := outer.String(); !strings.HasPrefix(got, `task "t1" has neither due nor every`) {
		t.Errorf("String = %q", got)
	}
	zh := For(Chinese).Text(outer)
	if !strings.Contains(zh, `任务 "t1"`) || strings.Contains(zh, "has neither") {
		t.Errorf("Chinese = %q", zh)
	}
	if got := For(Chinese).Text(Textf("the page has more than %d footnotes: split it into pages", 2026)); strings.Contains(got, "2,026") || !strings.Contains(got, "2026") {
		t.Errorf("numbers are grouped: %q", got)
	}
	if got := For(Chinese).Text(Textf("no such message %d", 3)); got != "no such message 3" {
		t.Errorf("a text without a translation = %q", got)
	}
	err := Errorf("task %q", "t2")
	if got := For(Chinese).Text(Textf("%s: %v", "a.md", err)); got != `a.md：任务 "t2"` {
		t.Errorf("an error argument = %q", got)
	}
}

// A key named in a message gets its Chinese name in Chinese, by its last
// part, and stays bare in English and where it has none.
func TestFieldsAreNamedInChinese(t *testing.T) {
	for field, want := range map[Field]string{
		"date":            "date（日期）",
		"tasks[2].due":    "tasks[2].due（截止日期）",
		"speaker[1]":      "speaker[1]（主讲人）",
		"print.style":     "print.style（排版样式）",
		"params.whatever": "params.whatever",
	} {
		if got := For(Chinese).Text(Textf("%s: %v", field, "x")); got != want+"：x" {
			t.Errorf("%s in Chinese: %q, want %q", field, got, want+"：x")
		}
		if got := Textf("%s", field).String(); got != string(field) {
			t.Errorf("%s in English: %q", field, got)
		}
	}
}
