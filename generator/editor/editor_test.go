package editor

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/generator/messages"
)

const page = "---\ntitle: 学党章\n---\n正文。\n"

// served starts an editor on a small site at 127.0.0.1 and returns its
// address, the site's folder and the token.
func served(t *testing.T) (base, site, token string) {
	t.Helper()
	site = t.TempDir()
	os.MkdirAll(filepath.Join(site, "content/readings"), 0o755)
	os.MkdirAll(filepath.Join(site, "static"), 0o755)
	os.MkdirAll(filepath.Join(site, "layouts"), 0o755)
	os.WriteFile(filepath.Join(site, "content/readings/a.md"), []byte(page), 0o640)
	os.WriteFile(filepath.Join(site, "layouts/base.html"), []byte("<html>"), 0o644)
	os.WriteFile(filepath.Join(site, "lanmu.toml"), []byte("title = \"专栏\"\n"), 0o644)
	token = NewToken()
	links := func(file string) []string {
		if file == "content/readings/a.md" {
			return []string{"content/news/b.md", "content/readings/c.md"}
		}
		return nil
	}
	e, err := New(Options{Site: site, Token: token, Say: messages.For(messages.Chinese), LinksTo: links})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/__lanmu/edit", e.Handler()))
	t.Cleanup(srv.Close)
	return srv.URL + "/__lanmu/edit/", site, token
}

type call struct {
	method, url, body string
	token             string // sent in the header
	cookie            string // sent as the cookie
	origin            string
}

func (c call) do(t *testing.T) (int, map[string]string, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set(TokenHeader, c.token)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: CookieName, Value: c.cookie})
	}
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]string
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp
}

func saveBody(path, text, version string) string {
	b, _ := json.Marshal(saveRequest{Path: path, Text: text, Version: version})
	return string(b)
}

// A file is read with its version and saved from it, byte for byte, in
// place, keeping its permissions and leaving no temporary file.
func TestLoadAndSave(t *testing.T) {
	base, site, token := served(t)
	origin := strings.TrimSuffix(base, "/__lanmu/edit/")
	status, got, _ := call{method: "GET", url: base + "file?path=content/readings/a.md", token: token}.do(t)
	if status != 200 || got["text"] != page || got["version"] == "" {
		t.Fatalf("loading: %d %v", status, got)
	}
	edited := strings.Replace(page, "正文。", "新的正文。\r\n保留 CRLF。", 1)
	status, saved, _ := call{method: "PUT", url: base + "file", body: saveBody("content/readings/a.md", edited, got["version"]), token: token, origin: origin}.do(t)
	if status != 200 {
		t.Fatalf("saving: %d %v", status, saved)
	}
	data, _ := os.ReadFile(filepath.Join(site, "content/readings/a.md"))
	if string(data) != edited {
		t.Errorf("the file holds %q, want %q", data, edited)
	}
	if info, _ := os.Stat(filepath.Join(site, "content/readings/a.md")); info.Mode().Perm() != 0o640 {
		t.Errorf("the file's mode became %v", info.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(site, "content/readings/.lanmu-edit-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	// A new file, in a folder that does not exist yet.
	status, _, _ = call{method: "PUT", url: base + "file", body: saveBody("content/news/n.md", page, ""), token: token, origin: origin}.do(t)
	if data, _ := os.ReadFile(filepath.Join(site, "content/news/n.md")); status != 200 || string(data) != page {
		t.Errorf("a new file: %d, %q", status, data)
	}
}

// A file changed on disk since it was opened is not overwritten: the
// answer is a conflict that carries both texts, and the message is in the
// user's language.
func TestConflictKeepsBothTexts(t *testing.T) {
	base, site, token := served(t)
	origin := strings.TrimSuffix(base, "/__lanmu/edit/")
	_, got, _ := call{method: "GET", url: base + "file?path=content/readings/a.md", token: token}.do(t)
	theirs := strings.Replace(page, "正文。", "别人改过的正文。", 1)
	os.WriteFile(filepath.Join(site, "content/readings/a.md"), []byte(theirs), 0o644)
	yours := strings.Replace(page, "正文。", "我的正文。", 1)
	status, answer, _ := call{method: "PUT", url: base + "file", body: saveBody("content/readings/a.md", yours, got["version"]), token: token, origin: origin}.do(t)
	if status != http.StatusConflict || answer["theirs"] != theirs || answer["yours"] != yours || !strings.Contains(answer["error"], "磁盘") {
		t.Errorf("a stale save: %d %v", status, answer)
	}
	if data, _ := os.ReadFile(filepath.Join(site, "content/readings/a.md")); string(data) != theirs {
		t.Errorf("the stale save overwrote the file: %q", data)
	}
	// A new file's save finds one there already.
	status, _, _ = call{method: "PUT", url: base + "file", body: saveBody("content/readings/a.md", yours, ""), token: token, origin: origin}.do(t)
	if status != http.StatusConflict {
		t.Errorf("creating over an existing file: %d", status)
	}
}

// Every write without the token, from another origin, or to a path outside
// content/ and static/ is refused, and nothing is written.
func TestWritesAreGuarded(t *testing.T) {
	base, site, token := served(t)
	origin := strings.TrimSuffix(base, "/__lanmu/edit/")
	outside := t.TempDir()
	os.Symlink(outside, filepath.Join(site, "content/escape"))
	for _, c := range []struct {
		name   string
		call   call
		status int
	}{
		{"no token", call{method: "PUT", url: base + "file", body: saveBody("content/x.md", "x", ""), origin: origin}, 403},
		{"a wrong token", call{method: "PUT", url: base + "file", body: saveBody("content/x.md", "x", ""), token: NewToken(), origin: origin}, 403},
		{"another site's page", call{method: "PUT", url: base + "file", body: saveBody("content/x.md", "x", ""), cookie: token, origin: "http://evil.example"}, 403},
		{"no origin", call{method: "PUT", url: base + "file", body: saveBody("content/x.md", "x", ""), token: token}, 403},
		{"../", call{method: "PUT", url: base + "file", body: saveBody("content/../layouts/base.html", "x", ""), token: token, origin: origin}, 400},
		{"up and out", call{method: "PUT", url: base + "file", body: saveBody("../x.md", "x", ""), token: token, origin: origin}, 400},
		{"absolute", call{method: "PUT", url: base + "file", body: saveBody("/etc/x", "x", ""), token: token, origin: origin}, 400},
		{"layouts", call{method: "PUT", url: base + "file", body: saveBody("layouts/base.html", "x", ""), token: token, origin: origin}, 400},
		{"lanmu.toml", call{method: "PUT", url: base + "file", body: saveBody("lanmu.toml", "x", ""), token: token, origin: origin}, 400},
		{"a backslash", call{method: "PUT", url: base + "file", body: saveBody(`content\..\x`, "x", ""), token: token, origin: origin}, 400},
		{"a link out", call{method: "PUT", url: base + "file", body: saveBody("content/escape/x.md", "x", ""), token: token, origin: origin}, 400},
		{"a folder", call{method: "PUT", url: base + "file", body: saveBody("content/readings", "x", ""), token: token, origin: origin}, 400},
		{"reading without a token", call{method: "GET", url: base + "file?path=content/readings/a.md"}, 403},
		{"reading a link out", call{method: "GET", url: base + "file?path=content/escape/x.md", token: token}, 400},
	} {
		status, answer, _ := c.call.do(t)
		if status != c.status || answer["error"] == "" {
			t.Errorf("%s: %d %v, want %d with a message", c.name, status, answer, c.status)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(site, "layouts/base.html")); string(data) != "<html>" {
		t.Errorf("layouts/base.html was written: %q", data)
	}
	for _, p := range []string{filepath.Join(site, "content/x.md"), filepath.Join(outside, "x.md"), filepath.Join(site, "x.md")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}
}

// The address lanmu prints sets the token's cookie, HttpOnly and
// SameSite=Strict, and takes the token out of the address; a wrong token
// sets nothing. The cookie then admits a save.
func TestSessionCookie(t *testing.T) {
	base, _, token := served(t)
	origin := strings.TrimSuffix(base, "/__lanmu/edit/")
	status, _, resp := call{method: "GET", url: base + "session?token=" + token}.do(t)
	cookies := resp.Cookies()
	if status != http.StatusSeeOther || len(cookies) != 1 || cookies[0].Value != token || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("session: %d %+v", status, cookies)
	}
	if loc := resp.Header.Get("Location"); strings.Contains(loc, token) {
		t.Errorf("the token stays in the address: %s", loc)
	}
	status, _, resp = call{method: "GET", url: base + "session?token=" + NewToken()}.do(t)
	if status != 403 || len(resp.Cookies()) != 0 {
		t.Errorf("a wrong token: %d %v", status, resp.Cookies())
	}
	_, got, _ := call{method: "GET", url: base + "file?path=content/readings/a.md", cookie: token}.do(t)
	status, _, _ = call{method: "PUT", url: base + "file", body: saveBody("content/readings/a.md", "x", got["version"]), cookie: token, origin: origin}.do(t)
	if status != 200 {
		t.Errorf("a save with the cookie: %d", status)
	}
}

// With a password, the token alone starts no session: the address shows a
// form, a wrong password is refused, and the right one, posted from the
// form's own origin, sets the cookie.
func TestPasswordBeforeSession(t *testing.T) {
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	token := NewToken()
	e, err := New(Options{Site: site, Token: token, Password: "党建2016"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/__lanmu/edit", e.Handler()))
	defer srv.Close()
	base := srv.URL + "/__lanmu/edit/"
	form := func(password string) string {
		return url.Values{"token": {token}, "password": {password}}.Encode()
	}
	post := func(body, origin string) *http.Response {
		req, _ := http.NewRequest("POST", base+"session", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	status, _, resp := call{method: "GET", url: base + "session?token=" + token}.do(t)
	if status != 200 || len(resp.Cookies()) != 0 {
		t.Errorf("the token alone: %d %v, want the password form and no cookie", status, resp.Cookies())
	}
	if r := post(form("错误"), srv.URL); r.StatusCode != 403 || len(r.Cookies()) != 0 {
		t.Errorf("a wrong password: %d %v", r.StatusCode, r.Cookies())
	}
	if r := post(form("党建2016"), "http://evil.example"); r.StatusCode != 403 || len(r.Cookies()) != 0 {
		t.Errorf("the password posted from another site: %d %v", r.StatusCode, r.Cookies())
	}
	if r := post(form("党建2016"), srv.URL); r.StatusCode != http.StatusSeeOther || len(r.Cookies()) != 1 {
		t.Errorf("the right password: %d %v", r.StatusCode, r.Cookies())
	}
}

// 新建 makes a draft from the kind's archetype, as lanmu new does, behind
// the same guard as a save; it never overwrites a page.
func TestNewPage(t *testing.T) {
	base, site, token := served(t)
	origin := strings.TrimSuffix(base, "/__lanmu/edit/")
	body := `{"kind": "news", "title": "新的动态"}`
	if status, _, _ := (call{method: "POST", url: base + "new", body: body, origin: origin}).do(t); status != 403 {
		t.Errorf("without the token: %d", status)
	}
	status, got, _ := call{method: "POST", url: base + "new", body: body, token: token, origin: origin}.do(t)
	data, err := os.ReadFile(filepath.Join(site, "content/news/新的动态.md"))
	if status != 200 || got["path"] != "content/news/新的动态.md" || err != nil || !strings.Contains(string(data), "title: 新的动态") || got["text"] != string(data) {
		t.Errorf("a new news item: %d %v %v\n%s", status, got, err, data)
	}
	for _, again := range []string{body, `{"kind": "poem", "title": "诗"}`, `{"kind": "news", "title": ""}`} {
		if status, got, _ := (call{method: "POST", url: base + "new", body: again, token: token, origin: origin}).do(t); status != 400 || got["error"] == "" {
			t.Errorf("%s: %d %v, want 400 with a message", again, status, got)
		}
	}
	if now, _ := os.ReadFile(filepath.Join(site, "content/news/新的动态.md")); string(now) != string(data) {
		t.Error("a second 新建 of the same title overwrote the page")
	}
}

// An image goes into a bundle page's folder under its name, or a numbered
// one beside a file already there; its bytes decide its type; too large,
// the wrong kind, or a page with no folder of its own are refused.
func TestUpload(t *testing.T) {
	base, site, token := served(t)
	origin := strings.TrimSuffix(base, "/__lanmu/edit/")
	os.MkdirAll(filepath.Join(site, "content/teachers/li"), 0o755)
	os.WriteFile(filepath.Join(site, "content/teachers/li/index.md"), []byte(page), 0o644)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	up := func(query string, body []byte, token string) (int, map[string]string) {
		status, got, _ := call{method: "POST", url: base + "upload?" + query, body: string(body), token: token, origin: origin}.do(t)
		return status, got
	}
	status, got := up("path=content/teachers/li/index.md&name=photo.png", png, token)
	if data, _ := os.ReadFile(filepath.Join(site, "content/teachers/li/photo.png")); status != 200 || got["name"] != "photo.png" || string(data) != string(png) {
		t.Errorf("an upload: %d %v", status, got)
	}
	status, got = up("path=content/teachers/li/index.md&name=photo.png", png, token)
	if status != 200 || got["name"] != "photo-2.png" || got["path"] != "content/teachers/li/photo-2.png" {
		t.Errorf("a second photo.png: %d %v, want photo-2.png beside the first", status, got)
	}
	for _, c := range []struct {
		name, query string
		body        []byte
		token       string
		status      int
	}{
		{"no token", "path=content/teachers/li/index.md&name=a.png", png, "", 403},
		{"text named .png", "path=content/teachers/li/index.md&name=a.png", []byte("<script>alert(1)</script>"), token, 415},
		{"an svg", "path=content/teachers/li/index.md&name=a.svg", []byte("<svg/>"), token, 415},
		{"a hidden name", "path=content/teachers/li/index.md&name=.png", png, token, 415},
		{"not a bundle", "path=content/readings/a.md&name=a.png", png, token, 400},
		{"outside content", "path=layouts/index.md&name=a.png", png, token, 400},
		{"too large", "path=content/teachers/li/index.md&name=big.png", append(png, make([]byte, MaxUpload)...), token, 413},
	} {
		if status, got := up(c.query, c.body, c.token); status != c.status || got["error"] == "" {
			t.Errorf("%s: %d %v, want %d with a message", c.name, status, got, c.status)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "content/teachers/li/a.png")); err == nil {
		t.Error("a refused upload was written")
	}
	// The name's folders are dropped: ../x.png lands beside the page.
	if status, got := up("path=content/teachers/li/index.md&name=../../x.png", png, token); status != 200 || got["path"] != "content/teachers/li/x.png" {
		t.Errorf("a name with folders: %d %v", status, got)
	}
}

// Deleting and moving a page: the pages that link to it are listed first;
// each needs the token, the page's origin and the version shown, and a
// move keeps to its folder of the site and never lands on a file.
func TestDeleteAndRename(t *testing.T) {
	base, site, token := served(t)
	origin := strings.TrimSuffix(base, "/__lanmu/edit/")
	var links struct{ Files []string }
	req, _ := http.NewRequest("GET", base+"links?path=content/readings/a.md", nil)
	req.Header.Set(TokenHeader, token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&links)
	resp.Body.Close()
	if strings.Join(links.Files, ",") != "content/news/b.md,content/readings/c.md" {
		t.Errorf("the pages linking here: %v", links.Files)
	}
	_, got, _ := call{method: "GET", url: base + "file?path=content/readings/a.md", token: token}.do(t)
	v := got["version"]
	move := func(method, url, body string) int {
		status, _, _ := call{method: method, url: base + url, body: body, token: token, origin: origin}.do(t)
		return status
	}
	body := func(to, version string) string {
		b, _ := json.Marshal(moveRequest{Path: "content/readings/a.md", To: to, Version: version})
		return string(b)
	}
	os.WriteFile(filepath.Join(site, "content/readings/taken.md"), []byte("x"), 0o644)
	for _, c := range []struct {
		name, method, url, body string
		status                  int
	}{
		{"a stale version", "DELETE", "file", body("", "0000"), 409},
		{"onto a file", "POST", "rename", body("content/readings/taken.md", v), 409},
		{"out of content", "POST", "rename", body("static/a.md", v), 400},
		{"another extension", "POST", "rename", body("content/readings/a.txt", v), 400},
		{"up and out", "POST", "rename", body("content/../a.md", v), 400},
	} {
		if status := move(c.method, c.url, c.body); status != c.status {
			t.Errorf("%s: %d, want %d", c.name, status, c.status)
		}
	}
	if status, _, _ := (call{method: "DELETE", url: base + "file", body: body("", v), origin: origin}).do(t); status != 403 {
		t.Errorf("a delete without the token: %d", status)
	}
	if status := move("POST", "rename", body("content/news/a.md", v)); status != 200 {
		t.Fatalf("a rename: %d", status)
	}
	if data, err := os.ReadFile(filepath.Join(site, "content/news/a.md")); err != nil || string(data) != page {
		t.Errorf("the moved file: %v %q", err, data)
	}
	if _, err := os.Stat(filepath.Join(site, "content/readings/a.md")); err == nil {
		t.Error("the file is still at its old path")
	}
	b, _ := json.Marshal(moveRequest{Path: "content/news/a.md", Version: v})
	if status := move("DELETE", "file", string(b)); status != 200 {
		t.Errorf("a delete: %d", status)
	}
	if _, err := os.Stat(filepath.Join(site, "content/news/a.md")); err == nil {
		t.Error("the deleted file is still there")
	}
}
