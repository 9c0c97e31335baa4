// Package minify makes a site's text outputs smaller: HTML, CSS,
// JavaScript, JSON, XML (feeds, the sitemap) and SVG, chosen by file
// extension, using github.com/tdewolff/minify. It wraps an output target,
// so every output is minified in one place, whatever made it.
package minify

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"

	"lanmu/generator/output"
)

// mediaTypes maps the extensions lanmu minifies to the minifier's media
// types; other files (images, PDFs, fonts) pass through unchanged.
var mediaTypes = map[string]string{
	".html": "text/html",
	".css":  "text/css",
	".js":   "application/javascript",
	".json": "application/json",
	".xml":  "application/xml",
	".svg":  "image/svg+xml",
}

// Minifier minifies files by their extension. It is safe for concurrent
// use.
type Minifier struct{ m *minify.M }

// New returns a Minifier with lanmu's settings.
func New() *Minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{
		// The document and end tags stay: lanmu serve injects its live
		// reload script before </body>, and print staff open the pocket
		// book's source to check it, so a page must keep its outline.
		KeepDocumentTags: true,
		KeepEndTags:      true,
		// Comments can carry notes for editors; none of the theme's
		// markup depends on them, so they go.
		KeepSpecialComments: false,
	})
	m.Add("text/css", &css.Minifier{})
	m.Add("application/javascript", &js.Minifier{})
	m.Add("application/json", &json.Minifier{})
	// RSS and Atom are plain XML; the sitemap too.
	m.AddRegexp(regexp.MustCompile(`[/+]xml$`), &xml.Minifier{})
	m.Add("image/svg+xml", &svg.Minifier{})
	return &Minifier{m: m}
}

// Bytes returns data minified by the rules for the file at site path p,
// or data itself for a file it does not minify.
func (mf *Minifier) Bytes(p string, data []byte) ([]byte, error) {
	mt, ok := mediaTypes[path.Ext(p)]
	if !ok {
		return data, nil
	}
	var out bytes.Buffer
	out.Grow(len(data))
	if err := mf.m.Minify(mt, &out, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("minifying %s: %w", p, err)
	}
	return out.Bytes(), nil
}

// Target is an output target that minifies what it is given before
// passing it on.
type Target struct {
	output.Target
	Minifier *Minifier
}

// Write minifies data and writes it to the wrapped target.
func (t Target) Write(p string, data []byte) error {
	small, err := t.Minifier.Bytes(p, data)
	if err != nil {
		return err
	}
	return t.Target.Write(p, small)
}

// Copy minifies a copied file whose kind it knows (a theme's or the
// site's static CSS and JavaScript) and copies anything else as it is.
func (t Target) Copy(p string, fsys fs.FS, name string) error {
	if _, ok := mediaTypes[path.Ext(p)]; !ok {
		return t.Target.Copy(p, fsys, name)
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return t.Write(p, data)
}

// Read returns a file written so far, when the wrapped target can.
func (t Target) Read(p string) ([]byte, bool) {
	if r, ok := t.Target.(interface{ Read(string) ([]byte, bool) }); ok {
		return r.Read(p)
	}
	return nil, false
}
