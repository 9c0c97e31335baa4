// Package editor is the server side of `lanmu serve --edit`: it reads a
// site's source files for the browser and writes them back, and it guards
// every request, since a page on any other site the editor's browser has
// open could otherwise post to it.
//
// A request must carry the session's token, in the cookie that the
// session's address sets (HttpOnly, SameSite=Strict) or in a header; a
// write must also come from the page's own origin. Paths stay inside the
// site's content/ and static/ folders, symbolic links included. A save
// names the version it was made from, and a file changed on disk since is
// never overwritten: the answer is a conflict with both texts. Files are
// written whole or not at all.
//
// The interface is served from the binary: the list of pages, a form for
// each page drawn from the content model (package content) with the body
// in CodeMirror beside the build's rendering of it, and the file as text.
// Forms save through package frontedit, which changes only the keys they
// changed.
package editor

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"lanmu/generator/frontedit"
	"lanmu/generator/messages"
	"lanmu/generator/scaffold"
)

// CookieName is the cookie that carries the session's token.
const CookieName = "lanmu_edit"

// TokenHeader is the header a script may carry the token in instead.
const TokenHeader = "X-Lanmu-Token"

// MaxText bounds a saved file, as [build] maxPageSize's default bounds a
// page: a larger body is refused before it is read whole.
const MaxText = 4 << 20

// roots are the folders of a site the editor reads and writes.
var roots = []string{"content", "static"}

// Options configure an Editor.
type Options struct {
	// Site is the site's folder.
	Site string
	// Token is the session's secret; NewToken makes one.
	Token string
	// Say speaks the user's language in the answers' messages.
	Say *messages.Printer
	// Password, when set, must be given with the token before the session
	// starts: serve --edit on an address other machines can reach needs
	// one, since the token alone travels in a link.
	Password string
	// Pages lists the site's pages as the last build found them.
	Pages func() []Page
	// Now is the time new pages are dated with; nil is time.Now.
	Now func() time.Time
	// Build is the last build: its problems and warnings, and the
	// versions of the files it read again.
	Build func() Build
	// LinksTo lists the source files of the pages that link to the page
	// in a file, as the last build found them.
	LinksTo func(file string) []string
	// Render converts a page's Markdown as the build would, for the view
	// beside the editor: the HTML of its body, with links resolved from
	// the page in file.
	Render func(file string, markdown []byte) (string, error)
	// Stylesheets are the site's style sheets, for that view.
	Stylesheets func() []string
}

// Build is what the editing interface knows of a build.
type Build struct {
	Problems []Problem
	// Read holds, by site-relative path, the version (see Version) of each
	// source file as the last build to read it found it: a save's
	// problems are those of the build that read what it saved.
	Read map[string]string
}

// Problem is a problem of the last build, as the build printed it.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"` // in the user's language
	Warning bool   `json:"warning"`
	// Field is the front matter key the problem is at ("tasks.1.due"),
	// for the form to show it there; "" for one in the body.
	Field string `json:"field,omitempty"`
}

// Editor answers the editing interface's requests.
type Editor struct {
	site  string // absolute, symbolic links resolved
	token string
	say   *messages.Printer
	// password, see Options.Password; pages, Options.Pages.
	password string
	pages    func() []Page
	now      func() time.Time
	build    func() Build
	linksTo  func(string) []string
	convert  func(string, []byte) (string, error)
	styles   func() []string
	// mu makes each save's check and write one step, so that two saves
	// of one version cannot both pass the check.
	mu sync.Mutex
}

// New returns an Editor for a site.
func New(opts Options) (*Editor, error) {
	if len(opts.Token) < 32 {
		return nil, errors.New("editor: the token is too short to be a secret")
	}
	site, err := filepath.Abs(opts.Site)
	if err == nil {
		site, err = filepath.EvalSymlinks(site)
	}
	if err != nil {
		return nil, err
	}
	say := opts.Say
	if say == nil {
		say = messages.For(messages.English)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Editor{site: site, token: opts.Token, say: say, password: opts.Password, pages: opts.Pages, now: now, build: opts.Build, linksTo: opts.LinksTo, convert: opts.Render, styles: opts.Stylesheets}, nil
}

// NewToken returns a fresh random token.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Handler answers, relative to where it is mounted (strip the prefix):
//
//	GET  session?token=T   sets the token's cookie and sends the browser to the interface;
//	                       with a password, shows the form that POSTs it with the token
//	GET  /                 the site's pages by kind
//	GET  page?path=P       the page to edit a file in
//	GET  file?path=P       a file's text and version
//	PUT  file              saves {path, text, version}; version "" makes a new file
//	POST new               makes a page {kind, title} from its archetype, as lanmu new does
//	POST upload?path=P&name=N  stores the body, an image, beside the bundle page P as N
//	GET  links?path=P      the files of the pages that link to the page in P
//	DELETE file            deletes {path, version}
//	POST rename            moves {path, to, version}
//	GET  problems?path=P&version=V  the problems of P in the build that read P at version V
//	                       (waiting up to problemsWait for it), or in the last build
//	GET  form?path=P       the form for the page in P: its fields, values and body
//	PUT  form              saves {path, version, set, body}: the changed fields and the body
//	GET  pick?q=Q&path=P   the pages (but P) whose title or file has every word of Q, for a link
//	POST render?path=P     the body's HTML as the build would make it, for the view beside it
//	GET  goto?url=U        sends the browser to the editing page of the page at U
//	GET  raw?path=P        an image of the site's, to show in the form
//	GET  link.js           the script the preview adds to each page: an 编辑 link
func (e *Editor) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /session", e.session)
	mux.HandleFunc("POST /session", e.session)
	mux.HandleFunc("GET /{$}", e.guard(false, e.list))
	mux.HandleFunc("GET /page", e.guard(false, e.edit))
	mux.HandleFunc("GET /editor.css", asset("text/css; charset=utf-8", editorCSS))
	mux.HandleFunc("GET /edit.js", asset("text/javascript; charset=utf-8", editJS))
	mux.HandleFunc("GET /file", e.guard(false, e.load))
	mux.HandleFunc("PUT /file", e.guard(true, e.save))
	mux.HandleFunc("POST /new", e.guard(true, e.create))
	mux.HandleFunc("GET /problems", e.guard(false, e.problemsOf))
	mux.HandleFunc("POST /upload", e.guard(true, e.upload))
	mux.HandleFunc("GET /links", e.guard(false, e.links))
	mux.HandleFunc("DELETE /file", e.guard(true, e.remove))
	mux.HandleFunc("POST /rename", e.guard(true, e.rename))
	mux.HandleFunc("GET /form", e.guard(false, e.form))
	mux.HandleFunc("GET /pick", e.guard(false, e.pick))
	mux.HandleFunc("PUT /form", e.guard(true, e.saveForm))
	mux.HandleFunc("POST /render", e.guard(true, e.renderBody))
	mux.HandleFunc("GET /goto", e.guard(false, e.goTo))
	mux.HandleFunc("GET /link.js", e.linkScript)
	mux.HandleFunc("GET /form.js", asset("text/javascript; charset=utf-8", formJS))
	mux.HandleFunc("GET /raw", e.guard(false, e.image))
	mux.HandleFunc("GET /codemirror.js", asset("text/javascript; charset=utf-8", codemirrorJS))
	return mux
}

// problem is an answer's error, in the user's language.
type problem struct {
	Error string `json:"error"`
}

func (e *Editor) fail(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, problem{Error: e.say.Error(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// session checks the token of the address lanmu printed, and the password
// when there is one, and keeps the token in a cookie that no other site's
// page can send.
func (e *Editor) session(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	if r.Method == http.MethodPost {
		token = r.PostFormValue("token")
	}
	if !e.tokenIs(token) {
		e.fail(w, http.StatusForbidden, messages.Errorf("this editing address has no valid token: open the address lanmu serve --edit printed"))
		return
	}
	if e.password != "" {
		given := r.PostFormValue("password")
		if r.Method != http.MethodPost || subtle.ConstantTimeCompare([]byte(given), []byte(e.password)) != 1 {
			status := http.StatusOK
			if r.Method == http.MethodPost {
				status = http.StatusForbidden
			}
			e.passwordForm(w, status, token, r.Method == http.MethodPost)
			return
		}
		if !sameOrigin(r) {
			e.fail(w, http.StatusForbidden, messages.Errorf("a change must come from the editing page itself, not from %q", r.Header.Get("Origin")))
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: e.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	// The token leaves the address bar and the history. Not
	// http.Redirect, which would resolve "./" against the path the
	// mount point was stripped from: the browser resolves it against its
	// own address.
	w.Header().Set("Location", "./")
	w.WriteHeader(http.StatusSeeOther)
}

// passwordForm asks for the editing password.
func (e *Editor) passwordForm(w http.ResponseWriter, status int, token string, wrong bool) {
	labels := e.labels()
	e.render(w, status, "password.html", map[string]any{"Title": labels["title"], "Token": token, "Wrong": wrong, "Lang": e.say.Lang, "L": labels})
}

// tokenIs compares in constant time.
func (e *Editor) tokenIs(s string) bool {
	return s != "" && subtle.ConstantTimeCompare([]byte(s), []byte(e.token)) == 1
}

// guard admits a request that carries the token, and for a write one that
// comes from the page's own origin.
func (e *Editor) guard(write bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get(TokenHeader)
		if c, err := r.Cookie(CookieName); token == "" && err == nil {
			token = c.Value
		}
		if !e.tokenIs(token) {
			e.fail(w, http.StatusForbidden, messages.Errorf("no valid editing token: open the address lanmu serve --edit printed"))
			return
		}
		if write && !sameOrigin(r) {
			e.fail(w, http.StatusForbidden, messages.Errorf("a change must come from the editing page itself, not from %q", r.Header.Get("Origin")))
			return
		}
		next(w, r)
	}
}

// sameOrigin reports whether a request names its origin and the origin is
// the host the request went to. Browsers send Origin with every PUT and
// POST, and a page cannot forge it.
func sameOrigin(r *http.Request) bool {
	o, err := url.Parse(r.Header.Get("Origin"))
	return err == nil && (o.Scheme == "http" || o.Scheme == "https") && o.Host != "" && strings.EqualFold(o.Host, r.Host) && o.Path == ""
}

// fileAnswer is a file as the interface edits it.
type fileAnswer struct {
	Path string `json:"path"`
	Text string `json:"text"`
	// Version names the text: the interface sends it back with a save.
	Version string `json:"version"`
}

func (e *Editor) load(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	_, data, ok := e.read(w, rel, false)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, fileAnswer{Path: rel, Text: string(data), Version: Version(data)})
}

// read reads the file a request names, answering the request when it
// cannot: a path the editor may not touch, a page only when asked for one,
// a file that is not there or cannot be read.
func (e *Editor) read(w http.ResponseWriter, rel string, page bool) (full string, data []byte, ok bool) {
	resolve := e.resolve
	if page {
		resolve = e.resolvePage
	}
	full, err := resolve(rel)
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return "", nil, false
	}
	data, err = os.ReadFile(full)
	if errors.Is(err, fs.ErrNotExist) {
		e.fail(w, http.StatusNotFound, messages.Errorf("%s does not exist", rel))
		return "", nil, false
	}
	if err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s cannot be read: %v", rel, err))
		return "", nil, false
	}
	return full, data, true
}

// saveRequest is a save: the text, and the version it was edited from.
type saveRequest struct {
	Path    string `json:"path"`
	Text    string `json:"text"`
	Version string `json:"version"`
}

// conflict answers a save made from a version the file no longer has.
type conflict struct {
	Error   string `json:"error"`
	Theirs  string `json:"theirs"` // the file as it is now
	Yours   string `json:"yours"`  // the text the save brought
	Version string `json:"version"`
}

func (e *Editor) save(w http.ResponseWriter, r *http.Request) {
	var req saveRequest
	body := http.MaxBytesReader(w, r.Body, MaxText+64<<10)
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			e.fail(w, http.StatusRequestEntityTooLarge, messages.Errorf("the text is larger than %d MB", MaxText>>20))
			return
		}
		e.fail(w, http.StatusBadRequest, messages.Errorf("the save could not be read: %v", err))
		return
	}
	if len(req.Text) > MaxText {
		e.fail(w, http.StatusRequestEntityTooLarge, messages.Errorf("the text is larger than %d MB", MaxText>>20))
		return
	}
	full, err := e.resolve(req.Path)
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.unchangedSince(w, req.Path, full, req.Version, req.Text); !ok {
		return
	}
	if err := writeAtomic(full, []byte(req.Text)); err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s could not be saved, and is as it was: %v", req.Path, err))
		return
	}
	writeJSON(w, http.StatusOK, fileAnswer{Path: req.Path, Text: req.Text, Version: Version([]byte(req.Text))})
}

// unchangedSince reads a file a save is to replace and checks that it is
// at the version the save was made from ("" for a file that did not
// exist); when it is not, it answers with a conflict holding both texts.
// e.mu must be held, so that the check and the write are one step.
func (e *Editor) unchangedSince(w http.ResponseWriter, rel, full, version, yours string) ([]byte, bool) {
	now, err := os.ReadFile(full)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s cannot be read: %v", rel, err))
		return nil, false
	}
	if versionOf(exists, now) == version {
		return now, true
	}
	msg := messages.Errorf("%s was changed on disk since it was opened here: keep one text, or merge them, and save again", rel)
	if !exists {
		msg = messages.Errorf("%s was deleted on disk since it was opened here", rel)
	}
	writeJSON(w, http.StatusConflict, conflict{Error: e.say.Error(msg), Theirs: string(now), Yours: yours, Version: versionOf(exists, now)})
	return nil, false
}

// Version names a file's bytes, as the interface and Build.Read do.
func Version(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// versionOf is a file's version, or "" for a file that does not exist.
func versionOf(exists bool, data []byte) string {
	if !exists {
		return ""
	}
	return Version(data)
}

// resolve turns a site-relative path the interface sent into the file it
// names, refusing any path that is not clean and slash-separated, not in
// content/ or static/, or that leads out of them by a symbolic link.
func (e *Editor) resolve(rel string) (string, error) {
	refused := messages.Errorf("%q is not a file the editor may touch: only files in content/ and static/ are", rel)
	if rel == "" || strings.ContainsAny(rel, "\\\x00") || path.IsAbs(rel) || path.Clean(rel) != rel || strings.HasPrefix(rel, "../") || rel == ".." {
		return "", refused
	}
	top, _, found := strings.Cut(rel, "/")
	if !found || !isRoot(top) {
		return "", refused
	}
	full := filepath.Join(e.site, filepath.FromSlash(rel))
	// The deepest folder that exists, with its links resolved, must lie
	// in the root: a new file's folders may not exist yet.
	dir := filepath.Dir(full)
	for {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			root := filepath.Join(e.site, top)
			if real != root && !strings.HasPrefix(real, root+string(filepath.Separator)) {
				return "", refused
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) || dir == e.site {
			return "", refused
		}
		dir = filepath.Dir(dir)
	}
	if info, err := os.Lstat(full); err == nil && !info.Mode().IsRegular() {
		return "", refused
	}
	return full, nil
}

func isRoot(name string) bool {
	for _, r := range roots {
		if name == r {
			return true
		}
	}
	return false
}

// writeAtomic replaces a file by a new one renamed over it, so that a
// reader (the preview's watcher, the build) sees the old bytes or the new,
// never half; the file keeps its permissions.
func writeAtomic(full string, data []byte) error {
	mode := fs.FileMode(0o644)
	if info, err := os.Stat(full); err == nil {
		mode = info.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(full), ".lanmu-edit-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		return err
	}
	done = true
	return nil
}

// newRequest asks for a new page.
type newRequest struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
}

// create makes a draft page from the kind's archetype, as lanmu new does,
// and answers with its path.
func (e *Editor) create(w http.ResponseWriter, r *http.Request) {
	var req newRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		e.fail(w, http.StatusBadRequest, messages.Errorf("the save could not be read: %v", err))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	full, err := scaffold.NewPage(e.site, req.Kind, req.Title, e.now())
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	rel, err := filepath.Rel(e.site, full)
	if err != nil {
		e.fail(w, http.StatusInternalServerError, err)
		return
	}
	data, err := os.ReadFile(full)
	if err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s cannot be read: %v", rel, err))
		return
	}
	writeJSON(w, http.StatusOK, fileAnswer{Path: filepath.ToSlash(rel), Text: string(data), Version: Version(data)})
}

// problemsWait bounds how long a request for the problems of a build still
// to come waits for it: the build after a save starts once the watcher
// has seen the file, and a large site's takes a while.
const problemsWait = 20 * time.Second

// problemsAnswer is a file's problems in one build.
type problemsAnswer struct {
	Problems []Problem `json:"problems"`
	// Current is false when the build that read the version asked for
	// did not come within problemsWait: the problems are older.
	Current bool `json:"current"`
}

// problemsOf answers with a file's problems, as the build that read the
// file at a given version found them: right after a save, the editing
// page asks with the version it saved, and waits for the build the save
// set off, however many builds of earlier saves finish first.
func (e *Editor) problemsOf(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	want := r.URL.Query().Get("version")
	answer := problemsAnswer{Problems: []Problem{}, Current: true}
	if e.build == nil {
		writeJSON(w, http.StatusOK, answer)
		return
	}
	deadline := time.Now().Add(problemsWait)
	b := e.build()
	for want != "" && b.Read[rel] != want {
		if time.Now().After(deadline) {
			answer.Current = false
			break
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
		b = e.build()
	}
	var front *frontedit.Front
	if full, err := e.resolve(rel); err == nil {
		if data, err := os.ReadFile(full); err == nil {
			front, _ = frontedit.Read(data)
		}
	}
	for _, p := range b.Problems {
		if p.File == rel {
			if front != nil {
				p.Field = front.KeyAt(p.Line)
			}
			answer.Problems = append(answer.Problems, p)
		}
	}
	writeJSON(w, http.StatusOK, answer)
}

// MaxUpload bounds an uploaded image: a phone's photo fits, a video does
// not.
const MaxUpload = 10 << 20

// imageTypes are the images a page may hold, by extension, as the browser
// would sniff them.
var imageTypes = map[string]string{".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}

// uploadAnswer names the stored image, relative to its page's folder.
type uploadAnswer struct {
	Path string `json:"path"`
	Name string `json:"name"`
}

// upload stores an image in a bundle page's folder, where the page's
// Markdown finds it by its name alone. The type is judged by the bytes,
// not the name or the header; an existing file is never replaced, the new
// one taking a numbered name instead.
func (e *Editor) upload(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	page, err := e.resolve(rel)
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	if base := path.Base(rel); base != "index.md" && base != "_index.md" {
		e.fail(w, http.StatusBadRequest, messages.Errorf("%s is not a bundle, so it has no folder for images: move it to a folder of its own as index.md first", rel))
		return
	}
	name := path.Base(r.URL.Query().Get("name"))
	ext := strings.ToLower(path.Ext(name))
	want, ok := imageTypes[ext]
	if !ok || strings.HasPrefix(name, ".") || strings.ContainsAny(name, "\\/\x00") || name != strings.TrimSpace(name) {
		e.fail(w, http.StatusUnsupportedMediaType, messages.Errorf("%q is not an image lanmu keeps: use a .jpg, .png, .gif or .webp file", name))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUpload))
	if err != nil {
		e.fail(w, http.StatusRequestEntityTooLarge, messages.Errorf("the image is larger than %d MB", MaxUpload>>20))
		return
	}
	if got := http.DetectContentType(data); got != want {
		e.fail(w, http.StatusUnsupportedMediaType, messages.Errorf("%s does not hold the image its name says (its bytes are %s)", name, got))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	dir := filepath.Dir(page)
	stem := strings.TrimSuffix(name, path.Ext(name))
	for n := 2; ; n++ {
		if _, err := os.Lstat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = stem + "-" + strconv.Itoa(n) + path.Ext(name)
	}
	if err := writeAtomic(filepath.Join(dir, name), data); err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s could not be saved, and is as it was: %v", name, err))
		return
	}
	writeJSON(w, http.StatusOK, uploadAnswer{Path: path.Join(path.Dir(rel), name), Name: name})
}

// linksAnswer lists the pages that link to a page.
type linksAnswer struct {
	Files []string `json:"files"`
}

// links answers with the pages that would lose a link if the page went
// or moved: the interface shows them before it asks to go on.
func (e *Editor) links(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	if _, err := e.resolve(rel); err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	answer := linksAnswer{Files: []string{}}
	if e.linksTo != nil {
		answer.Files = append(answer.Files, e.linksTo(rel)...)
	}
	writeJSON(w, http.StatusOK, answer)
}

// moveRequest deletes a file (To empty) or moves it, from the version the
// interface showed.
type moveRequest struct {
	Path    string `json:"path"`
	To      string `json:"to"`
	Version string `json:"version"`
	// FixLinks asks a move to rewrite the links to the page in the pages
	// that link to it, and the page's own relative links.
	FixLinks bool `json:"fixLinks"`
}

// moveAnswer is a moved file, with the pages whose links followed it.
type moveAnswer struct {
	fileAnswer
	Fixed []string `json:"fixed"`
}

// unchanged reads a move's request and checks that the file is still at
// the version it names, answering and returning false when it is not.
func (e *Editor) unchanged(w http.ResponseWriter, r *http.Request) (moveRequest, string, bool) {
	var req moveRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		e.fail(w, http.StatusBadRequest, messages.Errorf("the save could not be read: %v", err))
		return req, "", false
	}
	full, err := e.resolve(req.Path)
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return req, "", false
	}
	now, err := os.ReadFile(full)
	if errors.Is(err, fs.ErrNotExist) {
		e.fail(w, http.StatusNotFound, messages.Errorf("%s does not exist", req.Path))
		return req, "", false
	}
	if err != nil || Version(now) != req.Version {
		writeJSON(w, http.StatusConflict, conflict{Error: e.say.Error(messages.Errorf("%s was changed on disk since it was opened here: keep one text, or merge them, and save again", req.Path)), Theirs: string(now), Version: Version(now)})
		return req, "", false
	}
	return req, full, true
}

// remove deletes a file the interface showed, if it is unchanged since.
func (e *Editor) remove(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	req, full, ok := e.unchanged(w, r)
	if !ok {
		return
	}
	if err := os.Remove(full); err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s could not be deleted: %v", req.Path, err))
		return
	}
	writeJSON(w, http.StatusOK, fileAnswer{Path: req.Path})
}

// rename moves a file the interface showed, if it is unchanged since, to a
// path where nothing is, within the same folder of the site.
func (e *Editor) rename(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	req, full, ok := e.unchanged(w, r)
	if !ok {
		return
	}
	to, err := e.resolve(req.To)
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	if top, _, _ := strings.Cut(req.To, "/"); !strings.HasPrefix(req.Path, top+"/") || path.Ext(req.To) != path.Ext(req.Path) {
		e.fail(w, http.StatusBadRequest, messages.Errorf("%s can move within its folder of the site and keep its extension, not become %s", req.Path, req.To))
		return
	}
	if _, err := os.Lstat(to); err == nil {
		e.fail(w, http.StatusConflict, messages.Errorf("%s already exists: choose another name", req.To))
		return
	}
	err = os.MkdirAll(filepath.Dir(to), 0o755)
	if err == nil {
		err = os.Rename(full, to)
	}
	if err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s could not be moved: %v", req.Path, err))
		return
	}
	answer := moveAnswer{Fixed: []string{}}
	if req.FixLinks && path.Ext(req.Path) == ".md" {
		answer.Fixed = e.followMove(req.Path, req.To)
	}
	data, _ := os.ReadFile(to)
	answer.fileAnswer = fileAnswer{Path: req.To, Text: string(data), Version: Version(data)}
	writeJSON(w, http.StatusOK, answer)
}

// followMove rewrites the links that led to a page moved from old to to:
// in each page the last build found linking to it, and the page's own
// relative links. It returns the pages it changed. A page that cannot be
// read or written keeps its links, which the next build reports.
func (e *Editor) followMove(old, to string) []string {
	fixed := []string{}
	rewrite := func(file string, edit func(string) (string, int)) bool {
		full, err := e.resolve(file)
		if err != nil {
			return false
		}
		data, err := os.ReadFile(full)
		if err != nil {
			return false
		}
		text, n := edit(string(data))
		return n > 0 && writeAtomic(full, []byte(text)) == nil
	}
	if rewrite(to, func(text string) (string, int) { return moveOwnLinks(text, old, to) }) {
		fixed = append(fixed, to)
	}
	if e.linksTo == nil {
		return fixed
	}
	for _, file := range e.linksTo(old) {
		if file == old || file == to {
			continue
		}
		if rewrite(file, func(text string) (string, int) { return moveLinks(text, file, old, to) }) {
			fixed = append(fixed, file)
		}
	}
	return fixed
}
