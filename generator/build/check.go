package build

import (
	"net/url"
	"slices"
	"sort"
	"strings"

	"lanmu/generator/diag"
	"lanmu/generator/linkcheck"
	"lanmu/generator/messages"
)

// reader is the part of an output target that can give back what was
// written; link anchors are only checked on targets that have it.
type reader interface {
	Read(p string) ([]byte, bool)
}

// linkSite returns the rendered site, as the link checker sees it.
func (s *Site) linkSite(jobs []*job, read func(string) ([]byte, bool)) *linkcheck.Site {
	files := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		files[j.path] = true
	}
	return &linkcheck.Site{BasePath: s.Config.BasePath, Exists: func(p string) bool { return files[p] }, Read: read}
}

// filesSite is a site rendered into files (site path → bytes), as the
// link checker sees it.
func (s *Site) filesSite(files map[string][]byte) *linkcheck.Site {
	return &linkcheck.Site{BasePath: s.Config.BasePath,
		Exists: func(p string) bool { _, ok := files[p]; return ok },
		Read:   func(p string) ([]byte, bool) { data, ok := files[p]; return data, ok }}
}

// contentLinkProblems checks every internal link and image written in the
// Markdown against the rendered site: the path must be a page or file of
// the site and the #fragment an id on that page. They are warnings in a
// build and errors in lanmu check.
func (s *Site) contentLinkProblems(site *linkcheck.Site) []*diag.Error {
	var out []*diag.Error
	for _, cp := range s.Content.Pages {
		for _, l := range s.views[cp].contentLinks() {
			link := linkcheck.Link{Source: cp.File, Line: l.Line + cp.BodyLine - 1, Col: l.Col,
				Page: outputFile(cp.Path), Dest: l.Dest, Image: l.Image}
			if msg := site.Problem(link); msg.Format != "" {
				out = append(out, diag.At(link.Source, link.Line, link.Col, msg))
			}
		}
	}
	return out
}

// undatedFeedItems lists the pages of the feed sections that have no date:
// feeds order and show items by date, so such a page is left out of them,
// which an editor would not expect.
func (s *Site) undatedFeedItems() []*diag.Error {
	var out []*diag.Error
	for _, p := range s.view.regularPages {
		if p.Date.IsZero() && inFeedSection(p.Section) {
			out = append(out, diag.Errorf(p.File, 0, 0, "this page has no date, so the feeds leave it out: add date: to its front matter"))
		}
	}
	return out
}

// CheckOutput looks through every rendered HTML page for internal links
// made by the templates (menus, lists, pagers, the theme's own anchors)
// that lead nowhere. Links written in Markdown are checked by the build
// itself, against their source line, and are left out here. A broken
// link in a template shows on many pages; it is reported once, with the
// number of pages.
func (s *Site) CheckOutput(files map[string][]byte) []*diag.Error {
	fromContent := map[[2]string]bool{}
	for _, cp := range s.Content.Pages {
		for _, l := range s.views[cp].contentLinks() {
			fromContent[[2]string{outputFile(cp.Path), unescape(l.Dest)}] = true
		}
	}
	site := s.filesSite(files)
	pages := make([]string, 0, len(files))
	for p := range files {
		// The print pages hold the readings' and cards' Markdown, whose
		// links were checked at their source; the rest of their links
		// are the book's own anchors.
		if strings.HasSuffix(p, ".html") && !strings.HasPrefix(p, "/print/") {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	type finding struct {
		first string
		msg   messages.Text
		count int
	}
	var order []string
	found := map[string]*finding{}
	for _, p := range pages {
		for _, l := range linkcheck.Links(p, files[p]) {
			if fromContent[[2]string{p, unescape(l.Dest)}] {
				continue
			}
			msg := site.Problem(l)
			if msg.Format == "" {
				continue
			}
			key := msg.String()
			if strings.HasPrefix(l.Dest, "#") {
				key = p + " " + key // an in-page anchor is its own page's problem
			}
			if f := found[key]; f != nil {
				f.count++
				continue
			}
			found[key] = &finding{first: p, msg: msg, count: 1}
			order = append(order, key)
		}
	}
	out := make([]*diag.Error, 0, len(order))
	for _, key := range order {
		f := found[key]
		if f.count > 1 {
			out = append(out, diag.Errorf("", 0, 0, "in the templates' output on %s and %d other pages: %s", f.first, f.count-1, f.msg))
		} else {
			out = append(out, diag.Errorf("", 0, 0, "in the templates' output on %s: %s", f.first, f.msg))
		}
	}
	return out
}

// unescape undoes the percent-encoding a renderer may add to a link, so
// that "#%E5%8F%82" and "#参" compare equal.
func unescape(dest string) string {
	if u, err := url.PathUnescape(dest); err == nil {
		return u
	}
	return dest
}

// IncomingLinks maps the source file of each page that other pages' Markdown
// links to (images included) to those pages' files, sorted: what a rename
// or a deletion of the page would break.
func (s *Site) IncomingLinks() map[string][]string {
	byURL := map[string]string{}
	for _, cp := range s.Content.Pages {
		if cp.File != "" {
			byURL[unescape(cp.RelPermalink)] = cp.File
		}
	}
	out := map[string][]string{}
	for _, cp := range s.Content.Pages {
		if cp.File == "" {
			continue
		}
		seen := map[string]bool{}
		for _, l := range s.views[cp].contentLinks() {
			dest, _, _ := strings.Cut(l.Dest, "#")
			dest, _, _ = strings.Cut(dest, "?")
			target := byURL[unescape(dest)]
			if target != "" && target != cp.File && !seen[target] {
				seen[target] = true
				out[target] = append(out[target], cp.File)
			}
		}
	}
	for _, files := range out {
		slices.Sort(files)
	}
	return out
}
