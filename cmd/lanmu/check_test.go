package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

// brokenLinksSite has one of each problem lanmu check looks for, written
// where an editor would write it.
func brokenLinksSite() map[string]string {
	site := goodSite()
	site["lanmu.toml"] = goodConfig + "\n[[menu.main]]\nname = \"旧栏目\"\nurl = \"/old-column/\"\n"
	site["content/readings/links.md"] = "---\ntitle: 链接\ndate: 2016-05-02\n---\n" +
		"见[动态](../news/first.md#学习-教育)，正常。\n\n" + // line 5: fine
		"见[动态](../news/first.md#学习教育)。\n\n" + // line 7: anchor typo
		"见[本页](#参考)与[本页](#本页小节)。\n\n" + // line 9: second is fine
		"## 本页小节\n\n" +
		"![图](/images/missing.png)\n\n" + // line 13: missing image
		"见[旧址](/readings/gone/)。\n" // line 15: no such page
	site["content/news/undated.md"] = "---\ntitle: 无日期动态\n---\n正文。\n"
	return site
}

func TestCheckReportsBrokenLinksAnchorsAndUndatedItems(t *testing.T) {
	dir := testsite.Write(t, brokenLinksSite())
	var out, errOut bytes.Buffer
	if code := run([]string{"check", "-s", dir}, &out, &errOut); code != exitSite {
		t.Fatalf("exit %d, want 1; stdout %s stderr %s", code, out.String(), errOut.String())
	}
	got := errOut.String()
	for _, want := range []string{
		"content/readings/links.md:7:2: broken anchor: /xxjy/news/first/ has no element with id \"学习教育\" (did you mean #学习-教育?)",
		"content/readings/links.md:9:2: broken anchor: this page has no element with id \"参考\"",
		"content/readings/links.md:13:1: broken image: /xxjy/images/missing.png is not a page or file of the site",
		"content/readings/links.md:15:2: broken link: /xxjy/readings/gone/ is not a page or file of the site",
		"content/news/undated.md: this page has no date, so the feeds leave it out",
		"in the templates' output on /404.html and 8 other pages: broken link: /xxjy/old-column/ is not a page or file of the site",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "links.md:5:") || strings.Contains(got, "本页小节") {
		t.Errorf("a good link was reported:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("check wrote public/ (stat: %v)", err)
	}
}

func TestBuildOnlyWarnsAboutBrokenAnchors(t *testing.T) {
	dir := testsite.Write(t, brokenLinksSite())
	var out, errOut bytes.Buffer
	if code := run([]string{"build", "-s", dir}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d, want 0; stderr %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "warning: content/readings/links.md:7:2: broken anchor") {
		t.Errorf("no warning for the broken anchor:\n%s", errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "readings", "links", "index.html")); err != nil {
		t.Error(err)
	}
}

func TestCheckPassesTheExampleSite(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"check", "-s", "../.."}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "no problems") {
		t.Errorf("stdout %q", out.String())
	}
}

func TestCheckReportsReferencesTitlesAndDuplicateURLs(t *testing.T) {
	site := goodSite()
	site["content/classes/one.md"] = "---\ntitle: 党课\ndate: 2016-05-03\nspeaker: wang-wu\n---\n提纲。\n"
	site["content/news/notitle.md"] = "---\ndate: 2016-05-04\n---\n正文。\n"
	site["content/news/same.md"] = "---\ntitle: 同址\ndate: 2016-05-05\naliases: [/news/first/]\n---\n正文。\n"
	dir := testsite.Write(t, site)
	var out, errOut bytes.Buffer
	if code := run([]string{"check", "-s", dir}, &out, &errOut); code != exitSite {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut.String())
	}
	for _, want := range []string{
		`content/classes/one.md:4:1: speaker "wang-wu"`,
		"content/news/notitle.md:1:1: ",
		"content/news/same.md:4:",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("missing %q in\n%s", want, errOut.String())
		}
	}
}
