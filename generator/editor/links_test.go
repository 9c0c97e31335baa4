package editor

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A move rewrites the links that lead to the moved page, in every form a
// page links to another (relative, to a bundle's folder, with an anchor,
// a title, angle brackets, a reference definition), and leaves other
// links, absolute paths, addresses and code alone.
func TestMoveLinks(t *testing.T) {
	text := "见[党课](../classes/a.md)和[同一篇](../classes/a.md#提纲 \"标题\")，" +
		"![图](photo.png)，[别的](../classes/b.md)，[网址](https://example.org/classes/a.md)，[站内](/classes/a/)。\n" +
		"[引用]: ../classes/a.md\n" +
		"```\n[代码](../classes/a.md)\n```\n" +
		"[尖括号](<../classes/a.md>)\n"
	got, n := moveLinks(text, "content/readings/r.md", "content/classes/a.md", "content/classes/第一讲 党章.md")
	want := "见[党课](<../classes/第一讲 党章.md>)和[同一篇](<../classes/第一讲 党章.md#提纲> \"标题\")，" +
		"![图](photo.png)，[别的](../classes/b.md)，[网址](https://example.org/classes/a.md)，[站内](/classes/a/)。\n" +
		"[引用]: <../classes/第一讲 党章.md>\n" +
		"```\n[代码](../classes/a.md)\n```\n" +
		"[尖括号](<../classes/第一讲 党章.md>)\n"
	if got != want || n != 4 {
		t.Errorf("%d links changed:\n%s\nwant\n%s", n, got, want)
	}

	// A page of one file becoming a bundle: links to it follow, and a
	// link to a bundle's folder stays a folder link.
	got, n = moveLinks("[师](../teachers/wang.md)\n", "content/classes/a.md", "content/teachers/wang.md", "content/teachers/wang/index.md")
	if got != "[师](../teachers/wang/index.md)\n" || n != 1 {
		t.Errorf("to a bundle: %d %q", n, got)
	}
	got, _ = moveLinks("[师](../teachers/wang/)\n", "content/classes/a.md", "content/teachers/wang/index.md", "content/teachers/li/index.md")
	if got != "[师](../teachers/li/)\n" {
		t.Errorf("a folder link: %q", got)
	}

	// The moved page's own links lead where they led.
	got, n = moveOwnLinks("[课](../classes/a.md) [自己](wang.md) [锚](#一)\n", "content/teachers/wang.md", "content/teachers/wang/index.md")
	if got != "[课](../../classes/a.md) [自己](index.md) [锚](#一)\n" || n != 2 {
		t.Errorf("own links: %d %q", n, got)
	}
}

// A rename asked to fix links rewrites them in the pages the last build
// found linking to the page, and says which it changed.
func TestRenameFixesLinks(t *testing.T) {
	site := t.TempDir()
	files := map[string]string{
		"content/classes/a.md":    "---\ntitle: 甲\n---\n[乙](b.md)\n",
		"content/classes/b.md":    "---\ntitle: 乙\n---\n见[甲](a.md#一)。\n",
		"content/readings/r.md":   "---\ntitle: 读\n---\n[甲](../classes/a.md)\n",
		"content/readings/off.md": "---\ntitle: 无关\n---\n[甲](../classes/a.md)\n",
	}
	for name, text := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(site, name)), 0o755)
		os.WriteFile(filepath.Join(site, name), []byte(text), 0o644)
	}
	token := NewToken()
	// off.md is not among the build's linking pages, so it is left.
	e, err := New(Options{Site: site, Token: token, LinksTo: func(string) []string { return []string{"content/classes/b.md", "content/readings/r.md"} }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/__lanmu/edit", e.Handler()))
	defer srv.Close()
	body, _ := json.Marshal(moveRequest{Path: "content/classes/a.md", To: "content/classes/jia/index.md", Version: Version([]byte(files["content/classes/a.md"])), FixLinks: true})
	req, _ := http.NewRequest("POST", srv.URL+"/__lanmu/edit/rename", strings.NewReader(string(body)))
	req.Header.Set(TokenHeader, token)
	req.Header.Set("Origin", srv.URL)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var answer moveAnswer
	json.NewDecoder(resp.Body).Decode(&answer)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Join(answer.Fixed, " ") != "content/classes/jia/index.md content/classes/b.md content/readings/r.md" {
		t.Fatalf("rename: %d %+v", resp.StatusCode, answer)
	}
	for name, want := range map[string]string{
		"content/classes/jia/index.md": "---\ntitle: 甲\n---\n[乙](../b.md)\n",
		"content/classes/b.md":         "---\ntitle: 乙\n---\n见[甲](jia/index.md#一)。\n",
		"content/readings/r.md":        "---\ntitle: 读\n---\n[甲](../classes/jia/index.md)\n",
		"content/readings/off.md":      files["content/readings/off.md"],
	} {
		if got, _ := os.ReadFile(filepath.Join(site, name)); string(got) != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
		}
	}
}
