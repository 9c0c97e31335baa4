package messages

import (
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
