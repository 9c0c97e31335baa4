// Package linkcheck finds internal links that lead nowhere in a rendered
// site: a path that is no page or file of the site, or a #fragment that no
// element of the target page carries as its id.
//
// It works on the output rather than on the sources because that is what a
// reader follows: the ids of Chinese headings, of footnotes and of the
// theme's own sections only exist once a page is rendered. The caller says
// where each link was written, so problems point back at the Markdown.
package linkcheck

import (
	"bytes"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"lanmu/generator/diag"
	"lanmu/generator/messages"
)

// Link is one internal link or image destination to check.
type Link struct {
	Source    string // where it is written, relative to the site root
	Line, Col int    // 1-based; 0 when unknown
	Page      string // site path of the output file holding it: "/readings/a/index.html"
	Dest      string // the destination as emitted: "/xxjy/classes/b/#提纲", "#注释"
	Image     bool
}

// Site is the rendered site the links are checked against.
type Site struct {
	// BasePath is the path of baseURL: "/" or "/xxjy/". Every internal
	// link starts with it.
	BasePath string
	// Exists reports whether the site has an output file at site path p.
	Exists func(p string) bool
	// Read returns an output file's bytes, to find its ids. When nil,
	// fragments are not checked.
	Read func(p string) ([]byte, bool)

	mu  sync.Mutex
	ids map[string]map[string]bool
}

// Problem returns what is wrong with l, or a Text with no Format when it
// leads somewhere.
func (s *Site) Problem(l Link) messages.Text {
	dest, frag, _ := strings.Cut(l.Dest, "#")
	dest, _, _ = strings.Cut(dest, "?")
	target := l.Page
	if dest != "" {
		p, err := url.PathUnescape(dest)
		if err != nil {
			return messages.Textf("%s is not a valid address: %v", l.Dest, err)
		}
		if !strings.HasPrefix(p, "/") {
			p = path.Join(s.BasePath, path.Dir(l.Page), p)
			if strings.HasSuffix(dest, "/") {
				p += "/"
			}
		}
		if p+"/" == s.BasePath {
			p = s.BasePath
		}
		rest, ok := strings.CutPrefix(p, s.BasePath)
		if !ok {
			return messages.Textf("%s is outside the site, which is published under %s", l.Dest, s.BasePath)
		}
		target = s.file("/" + rest)
		if target == "" {
			if l.Image {
				return messages.Textf("broken image: %s is not a page or file of the site", l.Dest)
			}
			return messages.Textf("broken link: %s is not a page or file of the site", l.Dest)
		}
	}
	if frag == "" || s.Read == nil || !strings.HasSuffix(target, ".html") {
		return messages.Text{}
	}
	id, err := url.PathUnescape(frag)
	if err != nil {
		id = frag
	}
	ids := s.idsOf(target)
	if ids == nil || ids[id] {
		return messages.Text{}
	}
	near := diag.Closest(id, slices.Collect(maps.Keys(ids)))
	if dest == "" {
		if near != "" {
			return messages.Textf("broken anchor: this page has no element with id %q (did you mean #%s?)", id, near)
		}
		return messages.Textf("broken anchor: this page has no element with id %q", id)
	}
	where := strings.TrimSuffix(s.BasePath+strings.TrimPrefix(target, "/"), "index.html")
	if near != "" {
		return messages.Textf("broken anchor: %s has no element with id %q (did you mean #%s?)", where, id, near)
	}
	return messages.Textf("broken anchor: %s has no element with id %q", where, id)
}

// file returns the output file a site path is served from, or "".
func (s *Site) file(p string) string {
	switch {
	case strings.HasSuffix(p, "/"):
		p += "index.html"
	case s.Exists(p):
		return p
	default:
		p += "/index.html"
	}
	if s.Exists(p) {
		return p
	}
	return ""
}

// idsOf returns the ids in an HTML output file, reading it once.
func (s *Site) idsOf(p string) map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ids, ok := s.ids[p]; ok {
		return ids
	}
	var ids map[string]bool
	if data, ok := s.Read(p); ok {
		ids = IDs(data)
	}
	if s.ids == nil {
		s.ids = map[string]map[string]bool{}
	}
	s.ids[p] = ids
	return ids
}

// IDs returns every id an HTML document gives its elements, and the names
// of its <a name> anchors, which browsers also scroll to.
func IDs(doc []byte) map[string]bool {
	ids := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ids
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			isA := atom.Lookup(name) == atom.A
			for more {
				var key, val []byte
				key, val, more = z.TagAttr()
				if string(key) == "id" || (isA && string(key) == "name") {
					ids[string(val)] = true
				}
			}
		}
	}
}

// Links returns the internal links of an HTML output file at site path
// page: the href of <a>, <area> and <link>, and the src of <img>,
// <script>, <source>, <audio> and <video>. Addresses with a scheme or a
// host are not the site's and are left out.
func Links(page string, doc []byte) []Link {
	var out []Link
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			var want string
			tag := atom.Lookup(name)
			switch tag {
			case atom.A, atom.Area, atom.Link:
				want = "href"
			case atom.Img, atom.Script, atom.Source, atom.Audio, atom.Video:
				want = "src"
			default:
				continue
			}
			for more {
				var key, val []byte
				key, val, more = z.TagAttr()
				if string(key) == want && internal(string(val)) {
					out = append(out, Link{Page: page, Dest: string(val), Image: tag == atom.Img})
				}
			}
		}
	}
}

// internal reports whether an address points into the site.
func internal(dest string) bool {
	if dest == "" || strings.HasPrefix(dest, "//") {
		return false
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme == "" && u.Host == ""
}
