package build

import (
	"html/template"
	"net/url"
	"strings"
	"time"

	"lanmu/generator/qr"
)

// funcSite is the site the template functions work for. A live session
// keeps its parsed templates while only content changes, and hands them
// each new site through it, so that they never hold on to an old one.
type funcSite struct{ site *Site }

// funcs are the template functions that need the site: URLs under the base
// path, dates in the site language, and translated theme strings.
func (f *funcSite) funcs() template.FuncMap {
	return template.FuncMap{
		"relURL": func(p string) string { return f.site.relURL(p) },
		"absURL": func(p string) string { return f.site.absURL(p) },
		"date":   func(t time.Time) string { return f.site.formatDate(t) },
		"T":      func(key string, args ...any) string { return f.site.translate(key, args...) },
		// description is the text for a page's meta description.
		"description": func(p *Page) string { return p.Description() },
		// qr and wechat call the site of the build that runs, not the one
		// these functions were made for.
		"qr":     func(address string) (template.HTML, error) { return f.site.qrCode(address) },
		"wechat": func(p *Page) (template.HTML, error) { return f.site.weChatCopy(p) },
	}
}

// qrCode is the QR code of an absolute address as an SVG element, for
// print; nothing when [print] qr is false or the address is not absolute
// (a baseURL without a host), since a phone can open only a full URL.
// Codes are kept: the cards and the book draw the same ones on every
// build.
func (s *Site) qrCode(address string) (template.HTML, error) {
	if !s.Config.Print.QR || !isAbsolute(address) {
		return "", nil
	}
	if svg, ok := s.qrCodes.Load(address); ok {
		return svg.(template.HTML), nil
	}
	code, err := qr.Encode(address)
	if err != nil {
		return "", err
	}
	svg := template.HTML(code.SVG)
	s.qrCodes.Store(address, svg)
	return svg, nil
}

// isAbsolute reports whether an address names its scheme and host, which
// a phone needs to open it from a QR code.
func isAbsolute(address string) bool {
	return strings.HasPrefix(address, "http://") || strings.HasPrefix(address, "https://")
}

// relURL puts the base path in front of a site path ("/css/a.css" →
// "/xxjy/css/a.css") and escapes it; other URLs are returned as they are.
func (s *Site) relURL(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return p
	}
	return (&url.URL{Path: strings.TrimSuffix(s.Config.BasePath, "/") + p}).EscapedPath()
}

// absURL is relURL with the scheme and host of the base URL.
func (s *Site) absURL(p string) string {
	rel := s.relURL(p)
	if !strings.HasPrefix(rel, "/") {
		return rel
	}
	return s.Config.Origin + rel
}

// description is what a page says about itself in meta tags and feeds: its
// summary, else the site's description, else the site's title.
func (s *Site) description(p *Page) string {
	summary := p.summaryText()
	switch {
	case summary != "":
		return summary
	case s.Config.Description != "":
		return s.Config.Description
	}
	return s.Config.Title
}

// formatDate writes a date the way readers of the site language expect:
// 2016年6月16日, or June 16, 2016.
func (s *Site) formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(s.Config.Location)
	if s.Config.Language == "en" {
		return t.Format("January 2, 2006")
	}
	return t.Format("2006年1月2日")
}
