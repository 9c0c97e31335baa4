package editor

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/generator/messages"
)

const classPage = `---
title: 党课
date: 2016-05-01
speaker: []          # 授课人
form: ""             # 方式
custom: 保留          # 主题自用的键
# 备注：不要删
---

正文。
`

const standardPage = `+++
title = "标准一"
number = 1
+++
正文
`

// formServed starts an editor on a site with a class, a TOML standard and
// a teacher, which the last build listed, and whose problems it reports.
func formServed(t *testing.T, problems []Problem) (base, origin, site, token string) {
	t.Helper()
	site = t.TempDir()
	for name, text := range map[string]string{
		"content/classes/a.md":     classPage,
		"content/standards/s.md":   standardPage,
		"content/teachers/wang.md": "---\ntitle: 王老师\n---\n",
		"lanmu.toml":               "title = \"专栏\"\n",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(site, name)), 0o755)
		os.WriteFile(filepath.Join(site, name), []byte(text), 0o644)
	}
	pages := []Page{
		{File: "content/classes/a.md", Title: "党课", Kind: "class", URL: "/classes/a/", Tags: []string{"讲党课"}},
		{File: "content/standards/s.md", Title: "标准一", Kind: "standard", URL: "/standards/s/"},
		{File: "content/teachers/wang.md", Title: "王老师", Kind: "teacher", Slug: "wang", URL: "/teachers/wang/", Tags: []string{"师资"}},
	}
	token = NewToken()
	e, err := New(Options{Site: site, Token: token, Say: messages.For(messages.Chinese),
		Pages:  func() []Page { return pages },
		Build:  func() Build { return Build{Problems: problems} },
		Render: func(file string, md []byte) (string, error) { return "<p>" + file + ":" + string(md) + "</p>", nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/__lanmu/edit", e.Handler()))
	t.Cleanup(srv.Close)
	return srv.URL + "/__lanmu/edit/", srv.URL, site, token
}

// get decodes a JSON answer into v.
func get(t *testing.T, url, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set(TokenHeader, token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(v)
	return resp.StatusCode
}

// The form for a class is the content model's: the speaker picked from
// the site's teachers, the form a choice named in Chinese; its values are
// the file's, and the site's tags are offered.
func TestFormIsTheContentModel(t *testing.T) {
	base, _, _, token := formServed(t, nil)
	var f formAnswer
	if status := get(t, base+"form?path=content/classes/a.md", token, &f); status != 200 {
		t.Fatalf("form: %d", status)
	}
	byKey := map[string]formField{}
	for _, ff := range f.Fields {
		byKey[ff.Key] = ff
	}
	if byKey["speaker"].Type != "teachers" || byKey["title"].Label != "标题" || !byKey["title"].Required {
		t.Errorf("fields: %+v", f.Fields)
	}
	if form := byKey["form"]; len(form.Choices) != 5 || form.Choices[1] != (choice{Value: "expert", Label: "专家学者讲"}) {
		t.Errorf("form's choices: %+v", form.Choices)
	}
	if len(f.Teachers) != 1 || f.Teachers[0] != (choice{Value: "wang", Label: "王老师"}) {
		t.Errorf("teachers offered: %+v", f.Teachers)
	}
	if strings.Join(f.Tags, ",") != "讲党课,师资" || f.Values["date"] != "2016-05-01" || f.Body != "\n正文。\n" || f.BodyLine != 9 {
		t.Errorf("answer: tags %v, values %v, body %q at %d", f.Tags, f.Values, f.Body, f.BodyLine)
	}
	var std formAnswer
	get(t, base+"form?path=content/standards/s.md", token, &std)
	if std.Format != "toml" || std.Fields[len(std.Fields)-1].Key != "tasks" || len(std.Fields[len(std.Fields)-1].Fields) != 9 {
		t.Errorf("the standard's form: %+v", std)
	}
}

// A form's save changes only the keys the form changed, as a person
// would, in YAML and TOML; a stale version, a key the form has no field
// for, no token, another origin and a path out of content/ are refused.
func TestFormSave(t *testing.T) {
	base, origin, site, token := formServed(t, nil)
	file := filepath.Join(site, "content/classes/a.md")
	put := func(body any, tok, org string) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("PUT", base+"form", strings.NewReader(string(b)))
		if tok != "" {
			req.Header.Set(TokenHeader, tok)
		}
		if org != "" {
			req.Header.Set("Origin", org)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	version := Version([]byte(classPage))
	body := "\n正文，改过。\n"
	status, got := put(map[string]any{"path": "content/classes/a.md", "version": version,
		"set": map[string]any{"speaker": []string{"wang"}, "form": "expert", "place": "会议室", "date": "2016-05-02"}, "body": body}, token, origin)
	if status != 200 {
		t.Fatalf("save: %d %v", status, got)
	}
	want := "---\ntitle: 党课\ndate: 2016-05-02\nspeaker: [wang]          # 授课人\nform: expert             # 方式\ncustom: 保留          # 主题自用的键\nplace: 会议室\n# 备注：不要删\n---\n\n正文，改过。\n"
	if now, _ := os.ReadFile(file); string(now) != want {
		t.Fatalf("the file:\n%s\nwant\n%s", now, want)
	}
	if got["version"] != Version([]byte(want)) {
		t.Errorf("the answer's version %v", got["version"])
	}
	// The same version again is stale now.
	if status, _ := put(map[string]any{"path": "content/classes/a.md", "version": version, "set": map[string]any{"form": "model"}}, token, origin); status != http.StatusConflict {
		t.Errorf("a stale save: %d", status)
	}
	for name, c := range map[string]struct {
		body       map[string]any
		tok, org   string
		wantStatus int
	}{
		"unknown key": {map[string]any{"path": "content/classes/a.md", "version": Version([]byte(want)), "set": map[string]any{"secret": "x"}}, token, origin, 400},
		"no token":    {map[string]any{"path": "content/classes/a.md", "version": Version([]byte(want)), "set": map[string]any{"form": "model"}}, "", origin, 403},
		"bad origin":  {map[string]any{"path": "content/classes/a.md", "version": Version([]byte(want)), "set": map[string]any{"form": "model"}}, token, "http://evil.example", 403},
		"no origin":   {map[string]any{"path": "content/classes/a.md", "version": Version([]byte(want)), "set": map[string]any{"form": "model"}}, token, "", 403},
		"up and out":  {map[string]any{"path": "content/../lanmu.toml", "version": "", "set": map[string]any{"title": "x"}}, token, origin, 400},
		"not a page":  {map[string]any{"path": "static/a.css", "version": "", "set": map[string]any{"title": "x"}}, token, origin, 400},
	} {
		if status, _ := put(c.body, c.tok, c.org); status != c.wantStatus {
			t.Errorf("%s: %d, want %d", name, status, c.wantStatus)
		}
	}
	if now, _ := os.ReadFile(file); string(now) != want {
		t.Errorf("a refused save changed the file:\n%s", now)
	}

	// TOML: tasks as inline tables, dates bare.
	std := filepath.Join(site, "content/standards/s.md")
	tasks := []map[string]any{{"id": "a", "title": "任务甲", "due": "2016-12-31"}, {"id": "b", "title": "任务乙", "every": "month", "from": "2016-01-01", "evidence": map[string]any{"section": "news", "min": 2}}}
	status, got = put(map[string]any{"path": "content/standards/s.md", "version": Version([]byte(standardPage)), "set": map[string]any{"tasks": tasks}}, token, origin)
	if status != 200 {
		t.Fatalf("saving tasks: %d %v", status, got)
	}
	want = "+++\ntitle = \"标准一\"\nnumber = 1\ntasks = [\n  { id = \"a\", title = \"任务甲\", due = 2016-12-31 },\n  { id = \"b\", title = \"任务乙\", every = \"month\", from = 2016-01-01, evidence = { section = \"news\", min = 2 } },\n]\n+++\n正文\n"
	if now, _ := os.ReadFile(std); string(now) != want {
		t.Errorf("the standard:\n%s\nwant\n%s", now, want)
	}
}

// A build's problem is placed at the field on its line: a task's due, in
// the second task.
func TestProblemsNameTheirField(t *testing.T) {
	text := "---\ntitle: 标准\nnumber: 1\ntasks:\n  - id: a\n    title: 甲\n    due: 2016-12-31\n  - id: b\n    title: 乙\n    due: 2106-12-31\n---\n正文\n"
	problems := []Problem{
		{File: "content/standards/t.md", Line: 10, Col: 5, Message: "年份对吗？"},
		{File: "content/standards/t.md", Line: 12, Col: 1, Message: "正文的问题"},
	}
	base, _, site, token := formServed(t, problems)
	os.WriteFile(filepath.Join(site, "content/standards/t.md"), []byte(text), 0o644)
	var got problemsAnswer
	get(t, base+"problems?path=content/standards/t.md", token, &got)
	if len(got.Problems) != 2 || got.Problems[0].Field != "tasks.1.due" || got.Problems[1].Field != "" {
		t.Errorf("problems: %+v", got.Problems)
	}
}

// The view beside the text is what the build's converter makes; 编辑 on a
// preview page leads to its form; the link script adds the link only in
// the session, and images are served only in it.
func TestRenderGotoAndLink(t *testing.T) {
	base, origin, site, token := formServed(t, nil)
	req, _ := http.NewRequest("POST", base+"render?path=content/classes/a.md", strings.NewReader("**粗**"))
	req.Header.Set(TokenHeader, token)
	req.Header.Set("Origin", origin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var view struct {
		HTML string
		Base string
	}
	json.NewDecoder(resp.Body).Decode(&view)
	resp.Body.Close()
	if view.HTML != "<p>content/classes/a.md:**粗**</p>" || view.Base != "/classes/a/" {
		t.Errorf("render: %+v", view)
	}
	status, _, r := call{method: "GET", url: base + "goto?url=/classes/a/", token: token}.do(t)
	if status != http.StatusSeeOther || r.Header.Get("Location") != "page?path=content%2Fclasses%2Fa.md" {
		t.Errorf("goto: %d %s", status, r.Header.Get("Location"))
	}
	linkJS := func(cookie string) string {
		req, _ := http.NewRequest("GET", base+"link.js", nil)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: CookieName, Value: cookie})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		js, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
			t.Errorf("link.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		return string(js)
	}
	if js := linkJS(token); !strings.Contains(js, `"编辑"`) {
		t.Errorf("link.js in the session:\n%s", js)
	}
	for _, cookie := range []string{"", "wrong"} {
		if js := linkJS(cookie); strings.Contains(js, "编辑\"") || strings.Contains(js, "createElement") {
			t.Errorf("link.js without the session (cookie %q) adds the link:\n%s", cookie, js)
		}
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	os.WriteFile(filepath.Join(site, "content/teachers/p.png"), png, 0o644)
	if status, _, _ := (call{method: "GET", url: base + "raw?path=content/teachers/p.png", token: token}).do(t); status != 200 {
		t.Errorf("an image: %d", status)
	}
	if status, _, _ := (call{method: "GET", url: base + "raw?path=content/teachers/p.png"}).do(t); status != 403 {
		t.Errorf("an image without the session: %d", status)
	}
	if status, _, _ := (call{method: "GET", url: base + "raw?path=content/classes/a.md", token: token}).do(t); status != http.StatusUnsupportedMediaType {
		t.Errorf("a page through raw: %d", status)
	}
}

// The link picker finds pages by every word typed, never the page itself.
func TestPick(t *testing.T) {
	base, _, _, token := formServed(t, nil)
	var found []pageLink
	get(t, base+"pick?path=content/classes/a.md&q="+url.QueryEscape("王 teachers"), token, &found)
	if len(found) != 1 || found[0].File != "content/teachers/wang.md" {
		t.Errorf("王 teachers: %+v", found)
	}
	get(t, base+"pick?path=content/classes/a.md&q=", token, &found)
	if len(found) != 2 {
		t.Errorf("every page but the class: %+v", found)
	}
}
