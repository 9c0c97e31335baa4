package axe

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lanmu/internal/chrome"
)

// A page that breaks three rules a theme can break, each in one known place.
const brokenPage = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>broken</title></head>
<body>
<main>
<h1>标题</h1>
<p id="pale" style="color:#bbbbbb;background:#ffffff">浅灰色的正文</p>
<img id="noalt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">
</main>
</body>
</html>`

// The same content, accessible.
const cleanPage = `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>clean</title></head>
<body>
<main>
<h1>标题</h1>
<p style="color:#1f1f1f;background:#ffffff">深色的正文</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10" alt="示意图">
</main>
</body>
</html>`

func TestCheckFindsViolations(t *testing.T) {
	c := Require(t)
	ctx := chrome.New(t, 2*time.Minute)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/broken":
			w.Write([]byte(brokenPage))
		case "/clean":
			w.Write([]byte(cleanPage))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	vs, err := c.Check(ctx, srv.URL+"/broken")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // rule → the selector of the one element breaking it
		"html-has-lang":  "html",
		"color-contrast": "#pale",
		"image-alt":      "#noalt",
	}
	for _, v := range vs {
		sel, ok := want[v.ID]
		if !ok {
			continue
		}
		delete(want, v.ID)
		if !v.Serious() {
			t.Errorf("%s has impact %q; want serious or critical", v.ID, v.Impact)
		}
		if v.Help == "" || !strings.HasPrefix(v.HelpURL, "https://") {
			t.Errorf("%s: no help (%q, %q)", v.ID, v.Help, v.HelpURL)
		}
		if len(v.Nodes) != 1 || !slices.Equal(v.Nodes[0].Target, []string{sel}) {
			t.Errorf("%s: nodes %+v; want the one element %s", v.ID, v.Nodes, sel)
			continue
		}
		if v.Nodes[0].Failure == "" {
			t.Errorf("%s: no failure summary", v.ID)
		}
		if v.ID == "color-contrast" && !strings.Contains(v.Nodes[0].Failure, "4.5:1") {
			t.Errorf("color-contrast failure %q does not name the 4.5:1 threshold", v.Nodes[0].Failure)
		}
		if out := Format("/broken", v); !strings.Contains(out, "/broken: "+v.ID) || !strings.Contains(out, sel) {
			t.Errorf("Format leaves out the page, rule or selector:\n%s", out)
		}
	}
	for id := range want {
		t.Errorf("axe-core did not report %s on the broken page; it reported %+v", id, vs)
	}

	vs, err = c.Check(ctx, srv.URL+"/clean")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("clean page: %s", Format("/clean", v))
	}
}

// Text that is dark on white, and pale on dark only when the dark scheme is
// asked for.
const darkOnlyPage = `<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>dark</title>
<style>
body { color: #1f1f1f; background: #ffffff; }
@media (prefers-color-scheme: dark) { body { color: #eeeeee; background: #202020; } #text { color: #444444; } }
</style></head>
<body><main><h1>标题</h1><p id="text">正文</p></main></body>
</html>`

func TestPreferColorScheme(t *testing.T) {
	c := Require(t)
	ctx := chrome.New(t, 2*time.Minute)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(darkOnlyPage))
	}))
	t.Cleanup(srv.Close)
	contrast := func() []Node {
		t.Helper()
		vs, err := c.Check(ctx, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.ID == "color-contrast" {
				return v.Nodes
			}
		}
		return nil
	}
	if nodes := contrast(); nodes != nil {
		t.Errorf("light scheme: contrast violations %+v; want none", nodes)
	}
	if err := PreferColorScheme(ctx, "dark"); err != nil {
		t.Fatal(err)
	}
	if nodes := contrast(); len(nodes) != 1 || !slices.Equal(nodes[0].Target, []string{"#text"}) {
		t.Errorf("dark scheme: contrast violations %+v; want #text only", nodes)
	}
}

func TestCheckRefusesHTTPErrors(t *testing.T) {
	c := Require(t)
	ctx := chrome.New(t, time.Minute)
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	if _, err := c.Check(ctx, srv.URL+"/missing/"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("Check on a 404: err = %v; want one naming the status", err)
	}
}

func TestScriptEnvOverride(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "axe.min.js")
	t.Setenv(ScriptEnv, missing)
	if _, err := Script(); err == nil || !strings.Contains(err.Error(), ScriptEnv) {
		t.Errorf("Script() with %s pointing at a missing file: err = %v; want one naming %s", ScriptEnv, err, ScriptEnv)
	}
	if err := os.WriteFile(missing, []byte("not axe"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Script()
	if err != nil || p != missing {
		t.Errorf("Script() = %q, %v; want %q", p, err, missing)
	}
	if _, err := Load(p); err == nil {
		t.Errorf("Load accepted a file that is not axe-core")
	}
}
