package content

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"lanmu/generator/config"
	"lanmu/generator/diag"
	"lanmu/generator/keyval"
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
func Load(siteDir string, cfg *config.Config, opts Options) (*Site, error) {
	var problems diag.List
	tree, err := scan(siteDir, &problems)
	if err != nil {
		return nil, err
	}
	pages, unreadable := parseAll(siteDir, tree.pages, cfg, &problems)
	s := &Site{
		Config:     cfg,
		Files:      map[string]string{},
		byFile:     map[string]*Page{},
		byPath:     map[string]*Page{},
		hidden:     map[string]string{},
		unreadable: unreadable,
	}
	s.assemble(pages, tree, opts, &problems)
	s.readKinds(&problems)
	s.buildTaxonomies(&problems)
	return s, problems.Err()
}

// tree is what scanning content/ finds: page files, the folders that are
// leaf bundles, and every other file.
type tree struct {
	pages   []string        // content-relative .md files that are pages
	bundles map[string]bool // content-relative folders holding index.md
	files   []string        // content-relative files that are not pages
}

func scan(siteDir string, problems *diag.List) (*tree, error) {
	root := filepath.Join(siteDir, Dir)
	t := &tree{bundles: map[string]bool{}}
	var all []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			if d.Type()&fs.ModeSymlink != 0 {
				// WalkDir does not enter a root that is a link: say why
				// the site has no pages rather than build an empty one.
				if _, err := ResolveInSite(siteDir, p); err != nil {
					problems.Addf(Dir, 0, 0, "%v", err)
				}
			}
			return nil
		}
		if Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if _, err := ResolveInSite(siteDir, p); err != nil {
				problems.Addf(Dir+"/"+rel, 0, 0, "%v", err)
				return nil
			}
		} else if d.IsDir() {
			return nil
		}
		all = append(all, rel)
		if path.Base(rel) == "index.md" {
			t.bundles[path.Dir(rel)] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", Dir, err)
	}
	for _, rel := range all {
		if strings.HasSuffix(rel, ".md") && (path.Base(rel) == "index.md" || t.bundleOf(rel) == "") {
			t.pages = append(t.pages, rel)
		} else {
			t.files = append(t.files, rel)
		}
	}
	return t, nil
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

// parseAll reads and decodes page files in parallel; a file that cannot be
// read or decoded is reported and left out, and returned among the
// unreadable.
func parseAll(siteDir string, files []string, cfg *config.Config, problems *diag.List) (pages []*Page, unreadable map[string]bool) {
	pages = make([]*Page, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				file := Dir + "/" + files[i]
				src, err := os.ReadFile(filepath.Join(siteDir, filepath.FromSlash(file)))
				if err != nil {
					problems.Addf(file, 0, 0, "%v", err)
					continue
				}
				pages[i] = parse(file, src, cfg.Location, problems)
			}
		}()
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	out := pages[:0]
	unreadable = map[string]bool{}
	for i, p := range pages {
		if p != nil {
			out = append(out, p)
		} else {
			unreadable[Dir+"/"+files[i]] = true
		}
	}
	return out, unreadable
}

// Parse decodes one page file. file is its site-relative path; problems
// are reported against it. A field with a wrong value is reported and left
// out of the page; parse returns nil only when the file is not text or its
// front matter cannot be parsed at all.
func parse(file string, src []byte, loc *time.Location, problems *diag.List) *Page {
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
		problems.Addf(file, notText.Pos.Line, notText.Pos.Col, "%s", notText.Msg)
		return nil
	}
	fmText, format, fmLine, body, bodyLine, err := split(src)
	frontHash := maphash.Bytes(frontSeed, fmText)
	report := func(err error, lineOffset int) {
		var ke *keyval.Error
		if errors.As(err, &ke) {
			problems.Addf(file, ke.Pos.Line+lineOffset, ke.Pos.Col, "%s", explainYAML(ke.Msg, lineOffset))
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
	p := &Page{File: file, Body: body, BodyLine: bodyLine, FrontHash: frontHash, fm: doc, fmLine: fmLine, Params: doc.Values, loc: loc}
	var fm frontMatter
	for _, e := range doc.Decode(&fm) {
		report(e, fmLine-1)
	}
	p.Title = strings.TrimSpace(fm.Title)
	p.Summary = fm.Summary
	p.Draft = fm.Draft
	p.Tags = fm.Tags
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
			problems.Addf(file, line, col, "%s: %v", d.key, err)
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
	return p
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
