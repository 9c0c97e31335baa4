package printer

import (
	"bytes"
	"strings"
	"testing"

	"lanmu/internal/chrome"
	"lanmu/internal/testsite"
)

// printFonts prints a copy of the example column with the given
// [print] style and returns what lanmu print says of the book's fonts.
func printFonts(t *testing.T, style string) string {
	t.Helper()
	chrome.Require(t)
	dir := testsite.CopyExample(t, "../..", func(c string) string {
		return strings.Replace(c, "[print]\n", "[print]\nstyle = \""+style+"\"\n", 1)
	})
	var progress bytes.Buffer
	_, files, _ := printSiteWith(t, dir, Options{Progress: &progress})
	if html := string(files["/print/pocketbook/index.html"]); !strings.Contains(html, `class="book book--`+style+`"`) {
		t.Fatalf("the pocket book page is not marked with its style %s", style)
	}
	_, fonts, ok := strings.Cut(progress.String(), "the pocket book's fonts (print.style = "+style+"):\n")
	if !ok {
		t.Fatalf("lanmu print does not say which fonts the book got:\n%s", progress.String())
	}
	return fonts
}

// The gongwen style asks for the official fonts of each role and, on a
// machine without them (this one has fonts-noto-cjk), says which free
// font stood in; Chromium's own account of the glyphs it drew is the
// oracle.
func TestGongwenStyleFonts(t *testing.T) {
	gongwen := printFonts(t, "gongwen")
	for _, want := range []string{
		"  title: Noto Serif CJK SC (the stylesheet asks first for 方正小标宋简体)",
		"  text: Noto Serif CJK SC (the stylesheet asks first for 仿宋_GB2312)",
		"  heading: Noto Sans CJK SC (the stylesheet asks first for 黑体)",
		"  subheading: ", "(the stylesheet asks first for 楷体_GB2312)",
	} {
		if !strings.Contains(gongwen, want) {
			t.Errorf("the gongwen book's fonts lack %q:\n%s", want, gongwen)
		}
	}
	t.Logf("gongwen:\n%s", gongwen)
	standard := printFonts(t, "standard")
	if !strings.Contains(standard, "  text: Noto Serif CJK SC\n") || !strings.Contains(standard, "  heading: Noto Serif CJK SC\n") {
		t.Errorf("the standard book's fonts:\n%s", standard)
	}
}
