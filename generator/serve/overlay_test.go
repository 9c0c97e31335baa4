package serve

import (
	"strings"
	"testing"
)

func TestOverlay(t *testing.T) {
	s, ts := newTestServer(t, "/xxjy/")
	s.Publish(testSite(), Change{})
	if r := fetch(t, "GET", ts.URL+"/xxjy/__lanmu/errors.html"); r.status != 200 || r.body != "" {
		t.Fatalf("errors.html without errors: %d %q", r.status, r.body)
	}

	problems := []Problem{{
		File: "content/news/a.md", Line: 3, Col: 5, Msg: `date: "2016-13-45" is not a date`,
		Source: []SourceLine{
			{N: 2, Text: "title: 学习"},
			{N: 3, Text: "说明：<script>alert(1)</script>", Error: true},
			{N: 4, Text: "---"},
		},
	}, {
		File: "lanmu.toml", Line: 5, Msg: `unknown key "build.drafs"`,
	}}
	s.ShowErrors(problems)
	problems[0].Source[1].Text = "changed by the caller" // must not show

	frag := fetch(t, "GET", ts.URL+"/xxjy/__lanmu/errors.html")
	if frag.header.Get("Content-Type") != "text/html; charset=utf-8" || frag.header.Get("Cache-Control") != "no-store" {
		t.Errorf("errors.html headers: %v", frag.header)
	}
	o := frag.body
	for _, want := range []string{
		`role="alertdialog"`,
		`aria-labelledby="lanmu-overlay-title"`,
		`id="lanmu-overlay-title"`,
		"构建出错 · Build error",
		"修改并保存文件后，此提示会自动消失 / Fix the file and save; this goes away by itself",
		"data-lanmu-close",
		"Noto Sans CJK SC",
		"content/news/a.md:3:5: date: &#34;2016-13-45&#34; is not a date",
		"lanmu.toml:5: unknown key &#34;build.drafs&#34;",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		`<span class="lanmu-line lanmu-error"><span class="lanmu-n">3</span>说明：&lt;script&gt;`,
		// The caret under column 5: the first four characters, invisible.
		`<span class="lanmu-ghost">说明：&lt;</span><span class="lanmu-caret">^</span>`,
	} {
		if !strings.Contains(o, want) {
			t.Errorf("overlay lacks %s\n%s", want, o)
		}
	}
	if strings.Contains(o, "<script>alert") || strings.Contains(o, "changed by the caller") {
		t.Errorf("overlay not escaped or not copied:\n%s", o)
	}
	if strings.Count(o, "lanmu-caret\"") != 1 {
		t.Errorf("want one caret:\n%s", o)
	}

	// Every HTML page carries it, before the live script; other files not.
	for _, p := range []string{"/xxjy/", "/xxjy/readings/a/", "/xxjy/readings/plain.html", "/xxjy/nope/"} {
		r := fetch(t, "GET", ts.URL+p)
		i, j := strings.Index(r.body, o), strings.Index(r.body, "__lanmu/live.js")
		if i < 0 || j < i || strings.Count(r.body, `id="lanmu-overlay"`) != 1 {
			t.Errorf("%s: overlay missing or misplaced:\n%s", p, r.body)
		}
	}
	if r := fetch(t, "GET", ts.URL+"/xxjy/css/a.css"); strings.Contains(r.body, "lanmu-overlay") {
		t.Error("overlay in CSS")
	}

	// A successful build clears it.
	s.Publish(testSite(), Change{Paths: []string{"/readings/a/index.html"}})
	for _, p := range []string{"/xxjy/readings/a/", "/xxjy/__lanmu/errors.html"} {
		if r := fetch(t, "GET", ts.URL+p); strings.Contains(r.body, "lanmu-overlay") {
			t.Errorf("%s: overlay after Publish", p)
		}
	}

	// So does ShowErrors with nothing, and the site stays.
	s.ShowErrors(problems)
	s.ShowErrors([]Problem{})
	if r := fetch(t, "GET", ts.URL+"/xxjy/readings/a/"); strings.Contains(r.body, "lanmu-overlay") || !strings.Contains(r.body, "reading a") {
		t.Errorf("after ShowErrors(empty): %s", r.body)
	}
}

func TestOverlayKeepsSite(t *testing.T) {
	s, ts := newTestServer(t, "/")
	s.Publish(testSite(), Change{})
	s.ShowErrors([]Problem{{Msg: "only a message"}})
	r := fetch(t, "GET", ts.URL+"/readings/a/")
	if r.status != 200 || !strings.Contains(r.body, "reading a") || !strings.Contains(r.body, `<p class="lanmu-where">only a message</p>`) {
		t.Errorf("page under errors: %d %s", r.status, r.body)
	}
	if !strings.Contains(r.body, `data-lanmu-version="2"`) {
		t.Errorf("ShowErrors did not move the version: %s", r.body)
	}
}

func TestWhere(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.md", Line: 3, Col: 1, Msg: "m"}, "a.md:3:1: m"},
		{Problem{File: "a.md", Line: 3, Msg: "m"}, "a.md:3: m"},
		{Problem{File: "a.md", Msg: "m"}, "a.md: m"},
		{Problem{Msg: "m"}, "m"},
		{Problem{File: "a.md", Line: 9, Col: 1, Msg: "raw HTML", Warning: true}, "warning: a.md:9:1: raw HTML"},
	} {
		if got := where(tt.p); got != tt.want {
			t.Errorf("where(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
	if got := firstRunes("学习abc", 3); got != "学习a" {
		t.Errorf("firstRunes: %q", got)
	}
	if got := firstRunes("ab", 9); got != "ab" {
		t.Errorf("firstRunes past the end: %q", got)
	}
}
