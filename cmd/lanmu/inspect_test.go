package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

// inspectSite is a small government column that passes every rule as of
// 2016-07-15: news two days old, a reading a month old, a teacher with no
// date (teachers need none), a full [government] block.
func inspectSite() map[string]string {
	return map[string]string{
		"lanmu.toml": `title = "专栏"
baseURL = "https://www.example.gov.cn/xxjy/"
unit = "某县委组织部"
[government]
siteName = "某县人民政府网站"
siteDomain = "www.example.gov.cn"
siteIDCode = "5101000001"
icp = "蜀ICP备12345678号"
police = "川公网安备51010402000001号"
conac = "ABC123"
contact = "028-12345678"
[inspect]
homeDays = 14
newsDays = 14
noticeDays = 180
`,
		"content/_index.md":          "---\ntitle: 首页\n---\n",
		"content/news/_index.md":     "---\ntitle: 工作动态\n---\n",
		"content/news/a.md":          "---\ntitle: 动态\ndate: 2016-07-13\n---\n正文。\n",
		"content/readings/_index.md": "---\ntitle: 必读文章\n---\n",
		"content/readings/b.md":      "---\ntitle: 文章\ndate: 2016-06-15\n---\n正文，见[新闻](/news/a/)。\n",
		"content/teachers/_index.md": "---\ntitle: 师资\n---\n",
		"content/teachers/c.md":      "---\ntitle: 王老师\n---\n简介。\n",
	}
}

// runInspect runs lanmu inspect on a site made of files, returning its
// exit status and output.
func runInspect(t *testing.T, files map[string]string, args ...string) (int, string) {
	t.Helper()
	site := testsite.Write(t, files)
	var out, errOut bytes.Buffer
	code := run(append([]string{"inspect", "-s", site}, args...), &out, &errOut)
	return code, out.String() + errOut.String()
}

// findings are the lines of output that are findings.
func findings(out string) []string {
	var got []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, "]") && strings.Contains(line, ": ") {
			got = append(got, line)
		}
	}
	return got
}

func TestInspectCleanColumn(t *testing.T) {
	code, out := runInspect(t, inspectSite(), "--as-of", "2016-07-15")
	if code != exitOK || len(findings(out)) > 0 || !strings.Contains(out, "verdict: passes, no findings") || !strings.Contains(out, "空白栏目") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// Each rule broken once, each alone: the exact finding, and the exit
// status (3 only for what vetoes a column).
func TestInspectEachRule(t *testing.T) {
	for _, c := range []struct {
		name string
		edit map[string]string // files replaced ("" deletes)
		asOf string
		want string
		code int
	}{
		{"news a day past its window", map[string]string{"lanmu.toml": strings.Replace(inspectSite()["lanmu.toml"], "homeDays = 14", "homeDays = 100", 1)}, "2016-07-28",
			`content/news/_index.md:1:1: section "工作动态" has had no new item for 15 days; it must within 14 [news-stale]`, exitOK},
		{"home page past its window", map[string]string{"lanmu.toml": strings.Replace(inspectSite()["lanmu.toml"], "newsDays = 14", "newsDays = 100", 1)}, "2016-07-28",
			`content/_index.md:1:1: the home page has not changed for 15 days; it must within 14 [home-stale]`, exitVeto},
		{"reading past noticeDays", map[string]string{"lanmu.toml": strings.Replace(inspectSite()["lanmu.toml"], "noticeDays = 180", "noticeDays = 20", 1)}, "2016-07-15",
			`content/readings/_index.md:1:1: section "必读文章" has had no new page for 30 days; it must within 20 [section-stale]`, exitOK},
		{"an empty section", map[string]string{"content/classes/_index.md": "---\ntitle: 党课提纲\n---\n"}, "2016-07-15",
			`content/classes/_index.md:1:1: section "党课提纲" has no published page (空白栏目) [empty-section]`, exitOK},
		{"an undated reading", map[string]string{"content/readings/d.md": "---\ntitle: 无日期\n---\n正文。\n"}, "2016-07-15",
			`content/readings/d.md:1:1: the page has no date: a page without a visible publishing time counts as never updated; add date: to its front matter [undated]`, exitOK},
		{"a broken link", map[string]string{"content/readings/b.md": "---\ntitle: 文章\ndate: 2016-06-15\n---\n正文，见[新闻](/news/gone/)。\n"}, "2016-07-15",
			`content/readings/b.md:5:5: broken link: /xxjy/news/gone/ is not a page or file of the site [broken-link]`, exitOK},
		{"an http:// image", map[string]string{"content/news/a.md": "---\ntitle: 动态\ndate: 2016-07-13\n---\n正文。\n\n![会场](http://img.example.com/a.jpg)\n"}, "2016-07-15",
			`content/news/a.md:7:7: <img src="http://img.example.com/a.jpg"> is fetched by http://: on an https site browsers block or flag it; use https:// [insecure]`, exitOK},
		{"an image without alt text", map[string]string{"content/news/a.md": "---\ntitle: 动态\ndate: 2016-07-13\n---\n正文。\n\n![](https://img.example.com/a.jpg)\n"}, "2016-07-15",
			`content/news/a.md:7:5: the image https://img.example.com/a.jpg has an empty alt text: say what it shows, as ![说明](https://img.example.com/a.jpg) [image-alt]`, exitOK},
		{"no ICP number", map[string]string{"lanmu.toml": strings.Replace(inspectSite()["lanmu.toml"], "icp = \"蜀ICP备12345678号\"\n", "", 1)}, "2016-07-15",
			`lanmu.toml:4:1: [government] has no icp: its ICP filing number (ICP备案号) [government-key]`, exitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := inspectSite()
			maps.Copy(files, c.edit)
			code, out := runInspect(t, files, "--as-of", c.asOf)
			got := findings(out)
			if len(got) != 1 || !strings.HasPrefix(got[0], c.want) {
				t.Errorf("findings %q, want one starting %q\n%s", got, c.want, out)
			}
			if code != c.code {
				t.Errorf("exit %d, want %d", code, c.code)
			}
		})
	}
}

// The day before the window ends passes, and archived = true turns the
// freshness rules off, not the others.
func TestInspectWindowEdgeAndArchived(t *testing.T) {
	if code, out := runInspect(t, inspectSite(), "--as-of", "2016-07-27"); code != exitOK || len(findings(out)) > 0 {
		t.Errorf("news 14 days old: exit %d\n%s", code, out)
	}
	files := inspectSite()
	files["lanmu.toml"] += "archived = true\n"
	files["content/cards/_index.md"] = "---\ntitle: 知识卡片\n---\n"
	code, out := runInspect(t, files, "--as-of", "2020-01-01")
	if got := findings(out); code != exitOK || len(got) != 1 || !strings.Contains(got[0], "[empty-section]") {
		t.Errorf("archived, years later: exit %d, findings %q", code, got)
	}
}

// --json carries the findings, the verdict and the summary with each
// rule's Chinese name; five stale or empty sections veto the column.
func TestInspectJSONAndVeto(t *testing.T) {
	files := inspectSite()
	for _, sec := range []string{"a", "b", "c", "d"} {
		files["content/"+sec+"/_index.md"] = "---\ntitle: 空栏目" + sec + "\n---\n"
	}
	code, out := runInspect(t, files, "--as-of", "2016-07-15", "--json")
	if code != exitOK {
		t.Fatalf("four empty sections: exit %d\n%s", code, out)
	}
	files["content/e/_index.md"] = "---\ntitle: 空栏目e\n---\n"
	code, out = runInspect(t, files, "--as-of", "2016-07-15", "--json")
	if code != exitVeto {
		t.Errorf("five empty sections: exit %d, want %d", code, exitVeto)
	}
	var r struct {
		AsOf     string `json:"asOf"`
		Veto     bool   `json:"veto"`
		Findings []struct {
			Path, Rule string
			Line, Col  int
		} `json:"findings"`
		Summary []struct {
			Rule, Name string
			Findings   int
		} `json:"summary"`
	}
	jsonPart := out[:strings.LastIndex(out, "}")+1]
	if err := json.Unmarshal([]byte(jsonPart), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if r.AsOf != "2016-07-15" || !r.Veto || len(r.Findings) != 5 || r.Findings[0].Rule != "empty-section" || r.Findings[0].Line != 1 {
		t.Errorf("JSON read as %+v", r)
	}
	if len(r.Summary) != 9 || r.Summary[3].Name != "空白栏目" || r.Summary[3].Findings != 5 {
		t.Errorf("summary %+v", r.Summary)
	}
}
