package content

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"lanmu/generator/config"
	"lanmu/generator/diag"
	"lanmu/generator/keyval"
	"lanmu/generator/messages"
	"lanmu/generator/spill"
)

// frontSeed hashes front matter; the hashes are compared within one
// process only.
var frontSeed = maphash.MakeSeed()

// Dir is the folder of a site that holds its pages.
const Dir = "content"

// Options choose which pages are published.
type Options struct {
	Drafts  bool // publish pages with draft: true
	Future  bool // publish pages whose publish date is after Now
	Expired bool // publish pages whose expiry date is at or before Now
	// Now is the moment the future and expiry rules are judged at.
	Now time.Time
	// Bodies, when set, takes each page's Markdown as soon as the page is
	// parsed, so that a site's sources are never all in memory at once;
	// Page.Markdown reads it back. A live session, which compares the
	// Markdown of every save with the last, leaves it nil.
	Bodies *spill.Store
}

// Site is the loaded content of a site.
type Site struct {
	Config *config.Config
	// Home is the home page.
	Home *Page
	// Pages are all published pages, sections and the home page included,
	// sorted by Path.
	Pages []*Page
	// Files maps each file under content/ that is not a page (bundle files
	// and loose files) from its site-relative source path to its output path.
	Files map[string]string

	byFile map[string]*Page
	byPath map[string]*Page
	// slugs holds each term's slug, made once per load.
	slugs map[string]string
	// hidden maps the source path of each unpublished page to the reason.
	hidden map[string]string
	// unreadable holds the source paths of the page files whose front
	// matter could not be parsed at all. They are reported once, at
	// themselves; links and speakers naming them are not reported again.
	unreadable map[string]bool
}

// PageByFile returns the published page made from a site-relative source
// path ("content/readings/a.md"), or nil.
func (s *Site) PageByFile(file string) *Page { return s.byFile[file] }

// PageByPath returns the published page written at an output path, or nil.
func (s *Site) PageByPath(p string) *Page { return s.byPath[p] }

// Unreadable reports whether some page file was left out because its
// front matter could not be parsed; the site then lacks outputs it will
// have once that is fixed.
func (s *Site) Unreadable() bool { return len(s.unreadable) > 0 }

// RegularPages returns the published pages that are not lists, in Pages order.
func (s *Site) RegularPages() []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if p.Kind == KindPage {
			out = append(out, p)
		}
	}
	return out
}

// Load reads every page under siteDir/content. It reports every problem it
// finds, as a *diag.Errors, rather than stopping at the first.
//
// With problems, the site is still returned when content/ could be read:
// a page whose front matter has a wrong field is kept without that field,
// so that the caller can go on to find the problems in its links in the
// same run. Only a file whose front matter cannot be parsed at all is left
// out. Such a site is for finding more problems, never for publishing.
//
// A live preview that loads the same site after every save uses a Loader,
// which reads only the files that changed.
func Load(siteDir string, cfg *config.Config, opts Options) (*Site, error) {
	return NewLoader(siteDir, opts).Load(cfg, nil)
}

// tree is what scanning content/ finds: page files, the folders that are
// leaf bundles, and every other file.
type tree struct {
	pages   []string        // content-relative .md files that are pages
	bundles map[string]bool // content-relative folders holding index.md
	files   []string        // content-relative files that are not pages
}

// bundleOf returns the leaf bundle folder that holds a content-relative
// file (not counting a bundle's own index.md), or "".
func (t *tree) bundleOf(rel string) string {
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if t.bundles[dir] && rel != dir+"/index.md" {
			return dir
		}
	}
	return ""
}

// Ignored reports whether a file or folder name is one lanmu never reads:
// hidden files and the temporary files that editors leave behind.
func Ignored(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".bck"), strings.HasSuffix(name, ".tmp"), name == "4913",
		strings.HasPrefix(name, "jb_") && strings.HasSuffix(name, "___"):
		return true
	}
	return false
}

// Parse decodes one page file. file is its site-relative path; problems
// are reported against it. A field with a wrong value is reported and left
// out of the page; parse returns nil only when the file is not text or its
// front matter cannot be parsed at all. With bodies set, the page's texts
// wait there (see spillTexts).
func parse(file string, src []byte, loc *time.Location, bodies *spill.Store, problems *diag.List) *Page {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		problems.Addf(file, 1, 1, "the file is saved as UTF-16: save it as UTF-8")
		return nil
	}
	if bytes.IndexByte(src, 0) >= 0 {
		problems.Addf(file, 1, 1, "this is not a text file (it contains NUL bytes)")
		return nil
	}
	// A lone CR ends a line for goldmark, YAML and editors alike, so it
	// must for split too, or front matter goes unseen and lines drift.
	// Most files have none, and are not copied.
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	// The whole file, not only its front matter: text in GBK must be
	// found at its own line, before any of it reaches the site garbled.
	var notText *keyval.Error
	if errors.As(keyval.CheckText(src), &notText) {
		problems.Add(diag.At(file, notText.Pos.Line, notText.Pos.Col, notText.Text))
		return nil
	}
	fmText, format, fmLine, body, bodyLine, err := split(src)
	frontHash := maphash.Bytes(frontSeed, fmText)
	report := func(err error, lineOffset int) {
		var ke *keyval.Error
		if errors.As(err, &ke) {
			// The parser's own words, explained, stay English; ours are
			// translated.
			if explained := explainYAML(ke.Msg, lineOffset); explained != ke.Msg {
				problems.Addf(file, ke.Pos.Line+lineOffset, ke.Pos.Col, "%s", explained)
			} else {
				problems.Add(diag.At(file, ke.Pos.Line+lineOffset, ke.Pos.Col, ke.Text))
			}
			return
		}
		problems.Addf(file, 1, 1, "%v", err)
	}
	if err != nil {
		report(err, 0)
		return nil
	}
	doc, err := decode(fmText, format)
	if err != nil {
		report(err, fmLine-1)
		return nil
	}
	p := &Page{File: file, Body: body, blank: isBlank(body), BodyLine: bodyLine, FrontHash: frontHash, fm: doc, fmLine: fmLine, Params: doc.Values, loc: loc}
	if bodies == nil {
		// Only a Loader that loads again, for a live session, uses what
		// the memo remembers; a one-off build (which spills) does not.
		p.memo = &memo{}
	}
	var fm frontMatter
	for _, e := range doc.Decode(&fm) {
		report(e, fmLine-1)
	}
	p.Title = strings.TrimSpace(fm.Title)
	p.Summary = fm.Summary
	for _, f := range []struct {
		key string
		v   *string
	}{{"title", &p.Title}, {"summary", &p.Summary}} {
		if r, ok := controlIn(*f.v); ok {
			line, col := p.Position(f.key)
			problems.Addf(file, line, col, "%s contains the control character %U, which no page or terminal should show: remove it", f.key, r)
			*f.v = stripControl(*f.v)
		}
	}
	// A control character gone may leave white space at an end.
	p.Title = strings.TrimSpace(p.Title)
	p.Draft = fm.Draft
	p.Tags = fm.Tags
	for i, tag := range p.Tags {
		if msg := longFolderName(messages.Textf("tag"), tag); msg.Format != "" {
			line, col := p.Position("tags", strconv.Itoa(i))
			problems.Addf(file, line, col, "%s", msg)
		}
	}
	p.Weight = fm.Weight
	p.Slug = fm.Slug
	p.Type = Type(fm.Type)
	for _, d := range []struct {
		key string
		raw any
		dst *time.Time
	}{
		{"date", fm.Date, &p.Date}, {"lastmod", fm.Lastmod, &p.Lastmod},
		{"publishDate", fm.PublishDate, &p.PublishDate}, {"expiryDate", fm.ExpiryDate, &p.ExpiryDate},
	} {
		t, err := ParseDate(d.raw, loc)
		if err != nil {
			line, col := p.Position(d.key)
			problems.Addf(file, line, col, "%s: %v", messages.Field(d.key), err)
			t = time.Time{}
		}
		*d.dst = t
	}
	if p.Lastmod.IsZero() {
		p.Lastmod = p.Date
	}
	if p.PublishDate.IsZero() {
		p.PublishDate = p.Date
	}
	if p.Slug != "" {
		if err := checkSlug(p.Slug); err != nil {
			line, col := p.Position("slug")
			problems.Addf(file, line, col, "%v", err)
			p.Slug = ""
		}
	}
	if fm.URL != "" {
		clean, err := CleanURL(fm.URL)
		if err != nil {
			line, col := p.Position("url")
			problems.Addf(file, line, col, "url: %v", err)
			clean = ""
		}
		p.Path = clean
	}
	for i, a := range fm.Aliases {
		clean, err := CleanURL(a)
		if err != nil {
			line, col := p.Position("aliases", fmt.Sprint(i))
			problems.Addf(file, line, col, "aliases: %v", err)
			continue
		}
		p.Aliases = append(p.Aliases, clean)
	}
	if p.Type != "" && p.Type != TypePage && !knownType(p.Type) {
		line, col := p.Position("type")
		problems.Addf(file, line, col, "type %q is not one of reading, class, teacher, card, standard, news, page", p.Type)
		p.Type = ""
	}
	if bodies != nil {
		if err := p.spillTexts(bodies, fmText, format); err != nil {
			problems.Addf(file, 0, 0, "%v", err)
		}
	}
	return p
}

// spillTexts moves the page's Markdown and its front matter as written to
// bodies. The heap then holds only the decoded values: where each key was
// written, which cost as much again, is worked out from the text the few
// times a message needs it.
func (p *Page) spillTexts(bodies *spill.Store, front []byte, format string) error {
	ref, err := bodies.PutBytes(p.Body)
	if err != nil {
		return err
	}
	p.Body, p.bodies, p.bodyRef = nil, bodies, ref
	if len(front) == 0 {
		return nil
	}
	frontRef, err := bodies.PutBytes(front)
	if err != nil {
		return err
	}
	p.fm.ForgetPositions(func() *keyval.Doc {
		doc, _ := decode(bodies.GetBytes(frontRef), format)
		return doc
	})
	return nil
}

func knownType(t Type) bool { return slices.Contains(ColumnTypes, t) }

// yamlAt matches the positions goccy/go-yaml puts inside its messages,
// and keyval's own for a TOML key set twice, which count from the start of
// the front matter, not of the file.
var yamlAt = regexp.MustCompile(`at \[(\d+):(\d+)\]|first set on line (\d+)`)

// explainYAML makes a YAML parser message speak of file lines and adds a
// hint for the mistakes editors make most.
func explainYAML(msg string, lineOffset int) string {
	msg = yamlAt.ReplaceAllStringFunc(msg, func(m string) string {
		sub := yamlAt.FindStringSubmatch(m)
		if sub[3] != "" {
			line, _ := strconv.Atoi(sub[3])
			return "first set on line " + strconv.Itoa(line+lineOffset)
		}
		line, _ := strconv.Atoi(sub[1])
		return "on line " + strconv.Itoa(line+lineOffset)
	})
	switch {
	case strings.Contains(msg, "mapping value is not allowed") && !strings.Contains(msg, "must be quoted"):
		msg += " (a value that contains \": \" must be quoted: title: \"学习: 要点\")"
	case strings.Contains(msg, "cannot start any token") && strings.Contains(msg, "\t"):
		msg = strings.ReplaceAll(msg, "'\t'", "a tab") + " (YAML is indented with spaces, never tabs)"
	}
	return msg
}
