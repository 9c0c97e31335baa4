package serve

import (
	"bytes"
	_ "embed"
	"html"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// liveJS is the script every HTML page loads in serve mode.
//
//go:embed live.js
var liveJS []byte

// internal is the folder, under the base path, of serve's own endpoints.
// The leading "__" keeps it clear of anything a site makes.
const internal = "__lanmu/"

// Handler returns the http.Handler serving everything: the site under the
// base path, serve's own endpoints under BasePath+"__lanmu/", and a helpful
// 404 for the rest.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// hostAllowed reports whether a request's Host is one serve answers: an IP
// address (a DNS name an attacker controls never is one), localhost, or
// the name serve was told to listen on. A request without a Host comes
// from no browser, and is answered.
func (s *Server) hostAllowed(host string) bool {
	if host == "" {
		return true
	}
	name, _, err := net.SplitHostPort(host)
	if err != nil {
		name = host
	}
	name = strings.TrimSuffix(strings.Trim(name, "[]"), ".")
	return strings.EqualFold(name, "localhost") || net.ParseIP(name) != nil ||
		(s.bind != "" && strings.EqualFold(name, strings.Trim(s.bind, "[]")))
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	// Every answer, errors and redirects too: an editor must never see a
	// stale page. The event stream alone overrides it.
	w.Header().Set("Cache-Control", "no-store")
	if !s.hostAllowed(r.Host) {
		http.Error(w, "403 forbidden: lanmu serve answers only requests for localhost or the address it listens on, not "+strconv.Quote(r.Host), http.StatusForbidden)
		return
	}
	if s.edit != nil && strings.HasPrefix(r.URL.Path, EditPath) {
		http.StripPrefix(strings.TrimSuffix(EditPath, "/"), s.edit).ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: serve only answers GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || badPath(p) {
		http.Error(w, "400 bad request: path not allowed", http.StatusBadRequest)
		return
	}
	// One snapshot for the whole response, so that the page, its injected
	// version and its overlay all come from the same build.
	snap := s.snap.Load()

	if !strings.HasPrefix(p, snap.base) {
		switch {
		case p == "/", p+"/" == snap.base:
			s.redirect(w, r, snap.base)
		default:
			s.notFound(w, r, snap, p, false)
		}
		return
	}
	rest := p[len(snap.base)-1:] // the site path, with a leading slash

	if name, ok := strings.CutPrefix(rest, "/"+internal); ok {
		s.serveInternal(w, r, snap, name)
		return
	}

	lookup := rest
	if strings.HasSuffix(lookup, "/") {
		lookup += "index.html"
	}
	data, ok := snap.files[lookup]
	if later, pending := snap.later[lookup]; !ok && pending {
		data = later()
		ok = data != nil
	} else if !ok && snap.unnamed != nil {
		data, ok = snap.unnamed(lookup)
	}
	if !ok {
		if !strings.HasSuffix(rest, "/") {
			if _, ok := snap.files[rest+"/index.html"]; ok {
				s.redirect(w, r, p+"/")
				return
			}
		}
		s.notFound(w, r, snap, rest, true)
		return
	}
	ctype := contentType(lookup)
	if isHTML(ctype) {
		data = inject(data, snap.inject)
	}
	s.write(w, r, ctype, data)
}

// write sends data. ServeContent adds HEAD, Range (audio and video in
// readings need it to seek) and the Content-Length; the zero modification
// time keeps it from adding validators, which no-store makes pointless.
func (s *Server) write(w http.ResponseWriter, r *http.Request, ctype string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	dw := &deadlineWriter{ResponseWriter: w, rc: http.NewResponseController(w), wait: s.limits.WriteTimeout}
	http.ServeContent(dw, r, "", time.Time{}, bytes.NewReader(data))
}

// deadlineSlice is how much of a response goes out under one write
// deadline.
const deadlineSlice = 32 << 10

// deadlineWriter sends a response in slices, each with its own write
// deadline: one deadline for the whole response would cut off a large
// video or PDF on a slow link, none at all would let a peer that stops
// reading hold its connection and handler forever.
type deadlineWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	wait time.Duration
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		part := p[:min(len(p), deadlineSlice)]
		// Not every ResponseWriter supports deadlines (httptest's
		// recorder does not); without one the slice is simply written.
		d.rc.SetWriteDeadline(time.Now().Add(d.wait))
		m, err := d.ResponseWriter.Write(part)
		n += m
		if err != nil {
			return n, err
		}
		p = p[len(part):]
	}
	return n, nil
}

// Unwrap lets http.ResponseController reach the real writer.
func (d *deadlineWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }

func (s *Server) serveInternal(w http.ResponseWriter, r *http.Request, snap *snapshot, name string) {
	switch name {
	case "live.js":
		s.write(w, r, "text/javascript; charset=utf-8", liveJS)
	case "events":
		s.events(w, r)
	case "errors.html":
		// The bare overlay, or nothing: the script puts it into the page.
		s.write(w, r, "text/html; charset=utf-8", snap.overlay)
	default:
		s.notFound(w, r, snap, "/"+internal+name, true)
	}
}

// redirect uses 302, not 301: browsers remember a 301 for good, and in a
// preview the page at that address may change from folder to file.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to string) {
	loc := (&url.URL{Path: to}).EscapedPath()
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, loc, http.StatusFound)
}

// badPath reports whether p, decoded once by net/http, tries to leave the
// site or names something no site can hold: a ".." segment, a backslash, a
// NUL, bytes that are not UTF-8 (such as the overlong "%c0%ae" for ".",
// which old decoders turned into a dot) or a Windows drive ("/C:/Windows").
// The site is an in-memory map, so nothing could escape anyway, but a clear
// 400 is better than a lookup of nonsense, and further layers of
// percent-encoding are peeled off so that "%252e%252e" cannot sneak past a
// proxy or a later decoder either; a path that is still encoded after four
// layers is refused as well.
func badPath(p string) bool {
	for range 4 {
		if strings.ContainsAny(p, "\\\x00") || !utf8.ValidString(p) || badSegment(p) {
			return true
		}
		if !strings.Contains(p, "%") {
			return false
		}
		u, err := url.PathUnescape(p)
		if err != nil || u == p {
			// A literal "%" in a file name is allowed.
			return false
		}
		p = u
	}
	// Still encoded after that many layers: no file is named like this.
	return true
}

// badSegment reports a ".." segment, or one that is a Windows drive ("C:"),
// which no site can publish since Windows forbids ":" in file names.
func badSegment(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." {
			return true
		}
		if len(seg) == 2 && seg[1] == ':' && ('a' <= seg[0]|0x20 && seg[0]|0x20 <= 'z') {
			return true
		}
	}
	return false
}

// contentType is fixed for the formats a site is made of, because
// mime.TypeByExtension reads the system's tables, which differ between
// machines (a .js file is application/javascript on some).
func contentType(p string) string {
	if path.Base(p) == "feed.json" {
		return "application/feed+json"
	}
	ext := strings.ToLower(path.Ext(p))
	switch ext {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".xml":
		return "application/xml"
	case ".svg":
		return "image/svg+xml"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	case ".webmanifest":
		return "application/manifest+json"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".ico":
		return "image/vnd.microsoft.icon"
	case ".pdf":
		return "application/pdf"
	case ".woff":
		return "font/woff"
	case ".woff2":
		return "font/woff2"
	case ".ttf":
		return "font/ttf"
	case ".otf":
		return "font/otf"
	case ".mp3":
		return "audio/mpeg"
	case ".mp4":
		return "video/mp4"
	case ".webm":
		return "video/webm"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func isHTML(ctype string) bool {
	return strings.HasPrefix(ctype, "text/html")
}

// inject inserts extra before the page's last </body>, or appends it when
// there is none (a fragment or a sloppy template). The last one, because
// text that merely mentions "</body>" is escaped, so an earlier match can
// only sit in a script or a comment.
func inject(page, extra []byte) []byte {
	i := lastIndexFold(page, "</body")
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(extra))
	out = append(out, page[:i]...)
	out = append(out, extra...)
	return append(out, page[i:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case, without copying a
// large page to lower-case it.
func lastIndexFold(s []byte, sub string) int {
	b := []byte(sub)
	for i := len(s) - len(b); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(b)], b) {
			return i
		}
	}
	return -1
}

// scriptTag is the live script's tag for a page of the given version. The
// version and the server's id ride along so that the script, on connecting,
// can tell whether the page is already out of date.
func (s *Server) scriptTag(base string, version uint64) string {
	src := (&url.URL{Path: base + internal + "live.js"}).EscapedPath()
	return `<script src="` + html.EscapeString(src) +
		`" data-lanmu-version="` + strconv.FormatUint(version, 10) +
		`" data-lanmu-server="` + s.id + `" defer></script>`
}
