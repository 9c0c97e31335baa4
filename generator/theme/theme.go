// Package theme finds and parses a site's templates. Templates are looked up
// in the site's layouts/, then in themes/NAME/layouts/, then in the theme
// built into the binary, so a site can override any single template. Each
// page template may fill the blocks of _default/baseof.html; partials live in
// partials/ and are called with {{ partial "name.html" . }}.
package theme

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"lanmu/generator/deps"
	"lanmu/generator/diag"
	"lanmu/generator/insite"
	"lanmu/generator/keyval"
	"lanmu/generator/messages"
	"lanmu/generator/spill"
	"lanmu/themes"
)

// BaseName is the base template that page templates fill in.
const BaseName = "_default/baseof.html"

// layer is one place templates and static files come from.
type layer struct {
	fs    fs.FS  // rooted at the theme or site folder
	label string // how paths in it are shown in errors: "layouts", "themes/default"
}

// Set is a parsed set of templates, ready to execute concurrently.
type Set struct {
	templates map[string]*template.Template // layout name → its own clone
	useBase   map[string]bool               // layout name → executes the base
	display   map[string]string             // layout name → source path for messages
	sources   map[string][]byte             // layout name → source, to count columns in
	// Static holds the static/ folders of the theme and the themes it
	// extends, the theme it extends first; later folders override earlier
	// ones, and the site's own static/ is copied over them all.
	Static []fs.FS
	// I18n holds the i18n/ folders in the same order.
	I18n []fs.FS
	// cached holds what partialCached rendered, by partial and variants,
	// for as long as the set is used: one build.
	cached partialCache
	// files holds what Files found, by layout.
	files sync.Map
	// Recording is set by a build that records what each output reads
	// (see package deps); partialCached then hands a shared partial's reads
	// to every output that uses it.
	Recording bool
	// Spill, when set, keeps the longer partials partialCached rendered out
	// of memory: a list's entry is cached once per page, and a large site
	// has many pages.
	Spill *spill.Store
}

// spillAt is the length from which a cached partial waits in Spill: below
// it, the reference to it would cost about as much as the text.
const spillAt = 128

// maxExtends bounds a chain of themes extending themes, so that a cycle is
// an error rather than a hang.
const maxExtends = 8

// Load parses the templates of a site and its theme. funcs are added to the
// functions every template can call.
func Load(siteDir, themeName string, funcs template.FuncMap) (*Set, error) {
	chain, err := themeChain(siteDir, themeName)
	if err != nil {
		return nil, err
	}
	layers := append([]layer{{fs: insite.FS(siteDir, "."), label: "."}}, chain...)
	files := map[string]string{} // layout name → display path
	sources := map[string][]byte{}
	// Later layers are read first so that earlier ones override them.
	for i := len(layers) - 1; i >= 0; i-- {
		l := layers[i]
		err := fs.WalkDir(l.fs, "layouts", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") || !strings.HasSuffix(p, ".html") && !strings.HasSuffix(p, ".xml") && !strings.HasSuffix(p, ".txt") && !strings.HasSuffix(p, ".json") {
				return nil
			}
			data, err := fs.ReadFile(l.fs, p)
			if err != nil {
				return err
			}
			name := strings.TrimPrefix(p, "layouts/")
			files[name] = path.Join(l.label, p)
			sources[name] = data
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading templates of %s: %w", l.label, err)
		}
	}
	s := &Set{templates: map[string]*template.Template{}, useBase: map[string]bool{}, display: files, sources: sources}
	for i := len(chain) - 1; i >= 0; i-- {
		if sub, err := fs.Sub(chain[i].fs, "static"); err == nil {
			s.Static = append(s.Static, sub)
		}
		if sub, err := fs.Sub(chain[i].fs, "i18n"); err == nil {
			s.I18n = append(s.I18n, sub)
		}
	}
	if err := s.parse(files, sources, funcs); err != nil {
		return nil, err
	}
	return s, nil
}

// themeChain returns the theme and the themes it extends, nearest first.
// A theme extends another by naming it in its theme.toml: extends = "default".
func themeChain(siteDir, name string) ([]layer, error) {
	var chain []layer
	for name != "" {
		if len(chain) == maxExtends {
			return nil, diag.Errorf("lanmu.toml", 0, 0, "themes extend each other in a loop or more than %d deep", maxExtends)
		}
		l, err := findTheme(siteDir, name)
		if err != nil {
			return nil, err
		}
		chain = append(chain, l)
		name, err = parentTheme(l)
		if err != nil {
			return nil, err
		}
	}
	return chain, nil
}

// parentTheme reads the name of the theme a theme extends, or "".
func parentTheme(l layer) (string, error) {
	data, err := fs.ReadFile(l.fs, "theme.toml")
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	doc, err := keyval.ParseTOML(data)
	file := l.label + "/theme.toml"
	var ke *keyval.Error
	if errors.As(err, &ke) {
		return "", diag.At(file, ke.Pos.Line, ke.Pos.Col, ke.Text)
	}
	var meta struct {
		Name        string
		Description string
		Extends     string
	}
	if errs := doc.Decode(&meta); len(errs) > 0 {
		return "", diag.At(file, errs[0].Pos.Line, errs[0].Pos.Col, errs[0].Text)
	}
	return meta.Extends, nil
}

func findTheme(siteDir, name string) (layer, error) {
	local := filepath.Join(siteDir, "themes", name)
	if info, err := os.Stat(local); err == nil && info.IsDir() {
		return layer{fs: insite.FS(siteDir, filepath.Join("themes", name)), label: "themes/" + name}, nil
	}
	if sub, err := fs.Sub(themes.FS, name); err == nil {
		if _, err := fs.Stat(sub, "layouts"); err == nil {
			return layer{fs: sub, label: "themes/" + name}, nil
		}
	}
	var builtIn []string
	entries, _ := fs.ReadDir(themes.FS, ".")
	for _, e := range entries {
		if e.IsDir() {
			builtIn = append(builtIn, e.Name())
		}
	}
	return layer{}, diag.Errorf("lanmu.toml", 0, 0, "theme %q not found: there is no themes/%s folder and the built-in themes are %s", name, name, strings.Join(builtIn, ", "))
}

func (s *Set) parse(files map[string]string, sources map[string][]byte, funcs template.FuncMap) error {
	var problems diag.List
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)

	// The base holds baseof.html and every partial; each page template gets
	// its own clone of it, so two templates may fill the same block.
	var partials *template.Template
	partial := func(name string, data any) (template.HTML, error) {
		var buf bytes.Buffer
		if partials.Lookup("partials/"+name) == nil {
			return "", messages.Errorf("partial %q not found in layouts/partials/", name)
		}
		err := partials.ExecuteTemplate(&buf, "partials/"+name, data)
		return template.HTML(buf.String()), err
	}
	all := template.FuncMap{
		"partial": partial,
		// partialCached renders a partial once per build for each set of
		// variants and reuses the result, for parts of the page that are
		// the same on many pages: {{ partialCached "footer.html" . }} on
		// every page, {{ partialCached "feeds.html" . .Section }} once a
		// section. The variants must name everything the output depends
		// on.
		"partialCached": func(name string, data any, variants ...any) (template.HTML, error) {
			rec := deps.Of(data)
			if rec == nil && s.Recording {
				// What it reads could be told to no output but the
				// first: render it every time instead.
				return partial(name, data)
			}
			key := cacheKey(name, variants)
			if c, ok := s.cached.load(key); ok {
				// The output reuses what the first caller rendered, and
				// so reads what it read.
				for _, k := range c.reads {
					rec.Read(k)
				}
				if c.ref.Len() > 0 {
					return template.HTML(s.Spill.Get(c.ref)), nil
				}
				return c.html, nil
			}
			var stop func() []deps.Key
			if rec != nil {
				stop = rec.Capture()
			}
			out, err := partial(name, data)
			var reads []deps.Key
			if stop != nil {
				reads = stop()
			}
			if err == nil {
				c := cachedPartial{html: out, reads: reads}
				if s.Spill != nil && len(out) >= spillAt {
					if ref, err := s.Spill.Put(string(out)); err == nil {
						c = cachedPartial{ref: ref, reads: reads}
					}
				}
				s.cached.store(key, c)
			}
			return out, err
		},
	}
	for k, v := range builtinFuncs() {
		all[k] = v
	}
	for k, v := range funcs {
		all[k] = v
	}
	base := template.New("").Funcs(all)
	for _, name := range names {
		if name == BaseName || strings.HasPrefix(name, "partials/") {
			if _, err := base.New(name).Parse(string(sources[name])); err != nil {
				problems.Add(positioned(err, files, sources, ""))
			}
		}
	}
	if problems.Len() > 0 {
		return problems.Err()
	}
	for _, name := range names {
		if name == BaseName || strings.HasPrefix(name, "partials/") {
			continue
		}
		clone, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := clone.New(name).Parse(string(sources[name])); err != nil {
			problems.Add(positioned(err, files, sources, ""))
			continue
		}
		s.templates[name] = clone
		s.useBase[name] = base.Lookup(BaseName) != nil && definesBlocks(sources[name])
	}
	var err error
	if partials, err = base.Clone(); err != nil {
		return err
	}
	return problems.Err()
}

// SourceHash returns a hash of a template file's source ("partials/x.html"),
// or 0 when the set has no such file. Hashes are compared within one run.
func (s *Set) SourceHash(name string) uint64 {
	src, ok := s.sources[name]
	if !ok {
		return 0
	}
	return maphash.Bytes(sourceSeed, src) | 1
}

var sourceSeed = maphash.MakeSeed()

var (
	partialCall = regexp.MustCompile(`\bpartial(?:Cached)?\s+("[^"]*"|\S)`)
	templateUse = regexp.MustCompile(`\{\{-?\s*template\s+"([^"]*)"`)
	definition  = regexp.MustCompile(`\{\{-?\s*(?:define|block)\s+"([^"]*)"`)
)

// Files lists the template files an output of the given layout may be
// made from: the layout, the base, and the partials they call, followed
// through the partials. It reads the calls in the sources, so no list is
// kept by hand; a partial named by anything but a quoted name, or a
// template called by a name the files found do not define, may be any
// partial, and then every partial is listed.
func (s *Set) Files(layout string) []string {
	if f, ok := s.files.Load(layout); ok {
		return f.([]string)
	}
	in := map[string]bool{layout: true}
	queue := []string{layout}
	if _, ok := s.sources[BaseName]; ok {
		in[BaseName] = true
		queue = append(queue, BaseName)
	}
	all := false
	defined := map[string]bool{}
	var used []string
	for len(queue) > 0 && !all {
		src := s.sources[queue[0]]
		queue = queue[1:]
		for _, m := range definition.FindAllSubmatch(src, -1) {
			defined[string(m[1])] = true
		}
		for _, m := range templateUse.FindAllSubmatch(src, -1) {
			used = append(used, string(m[1]))
		}
		for _, m := range partialCall.FindAllSubmatch(src, -1) {
			if m[1][0] != '"' {
				all = true
				break
			}
			name := "partials/" + string(m[1][1:len(m[1])-1])
			if _, ok := s.sources[name]; ok && !in[name] {
				in[name] = true
				queue = append(queue, name)
			}
		}
	}
	for _, u := range used {
		if !defined[u] && !in[u] {
			all = true
		}
	}
	if all {
		for name := range s.sources {
			if strings.HasPrefix(name, "partials/") {
				in[name] = true
			}
		}
	}
	out := make([]string, 0, len(in))
	for name := range in {
		out = append(out, name)
	}
	sort.Strings(out)
	s.files.Store(layout, out)
	return out
}

// cachedPartial is a partial rendered once, and what it read.
type cachedPartial struct {
	html template.HTML
	// ref holds the HTML instead when it is not empty (see Set.Spill).
	ref   spill.Ref
	reads []deps.Key
}

// partialCache is a map guarded by a lock: a large site caches an entry
// of its lists for each page, and a map holds one in a third of the
// memory a sync.Map's nodes and boxed keys and values take.
type partialCache struct {
	mu sync.RWMutex
	m  map[partialKey]cachedPartial
}

func (c *partialCache) load(k partialKey) (cachedPartial, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.m[k]
	return p, ok
}

func (c *partialCache) store(k partialKey, p cachedPartial) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[partialKey]cachedPartial{}
	}
	c.m[k] = p
}

// ResetCache forgets what partialCached rendered, for a new build with the
// same templates.
func (s *Set) ResetCache() {
	s.cached.mu.Lock()
	defer s.cached.mu.Unlock()
	s.cached.m = nil
}

// partialKey names a partial rendered with variants. Up to three of
// simple types, as nearly every call has, are compared as they are; other
// variants are spelt out after the name, with n -1.
type partialKey struct {
	name string
	n    int
	v    [3]any
}

// cacheKey names a partial rendered with variants.
func cacheKey(name string, variants []any) partialKey {
	if len(variants) <= len(partialKey{}.v) && simpleValues(variants) {
		k := partialKey{name: name, n: len(variants)}
		copy(k.v[:], variants)
		return k
	}
	var b strings.Builder
	b.WriteString(name)
	for _, v := range variants {
		// A NUL cannot occur in a partial's name, so keys of different
		// lengths never meet; %#v tells "1" from 1.
		b.WriteByte(0)
		fmt.Fprintf(&b, "%#v", v)
	}
	return partialKey{name: b.String(), n: -1}
}

// simpleValues reports whether every value is of a type that compares as
// it is, so that it can be part of a partialKey (a slice would panic): a
// number, text, a boolean, or a pointer, which names the value it points
// to, such as a page.
func simpleValues(vs []any) bool {
	for _, v := range vs {
		switch v.(type) {
		case string, bool, int, int64, uint64, float64, nil:
		default:
			if reflect.TypeOf(v).Kind() != reflect.Pointer {
				return false
			}
		}
	}
	return true
}

// definesBlocks tells a template that fills the base's blocks from one that
// is a whole document by itself (an RSS template, a redirect page).
func definesBlocks(src []byte) bool {
	return regexp.MustCompile(`\{\{-?\s*define\s`).Match(src)
}

// Lookup returns the first of names that the set has, or "".
func (s *Set) Lookup(names ...string) string {
	for _, n := range names {
		if _, ok := s.templates[n]; ok {
			return n
		}
	}
	return ""
}

// Execute renders the template with the given layout name.
func (s *Set) Execute(w io.Writer, name string, data any) error {
	t := s.templates[name]
	if t == nil {
		return messages.Errorf("no template %q", name)
	}
	entry := name
	if s.useBase[name] {
		entry = BaseName
	}
	if err := t.ExecuteTemplate(w, entry, data); err != nil {
		return positioned(err, s.display, s.sources, name)
	}
	return nil
}

// templateErr matches "template: NAME:LINE:COL: message". Escaping errors
// from html/template leave out the space, and the line and column when
// they have no node to point at.
var templateErr = regexp.MustCompile(`(?s)^(?:html/)?template: ?([^:\s]+)(?::(\d+))?(?::(\d+))?: (.*)$`)

// positioned turns a template error into a diag.Error at the template's
// source path, so that a broken override points at the file to fix. layout
// is the template being executed, or "" while parsing.
func positioned(err error, display map[string]string, sources map[string][]byte, layout string) error {
	m := templateErr.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	show := func(name string) string {
		if file := display[name]; file != "" {
			return file
		}
		return name
	}
	name, msg := m[1], explainTemplate(m[4])
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	if m[3] != "" {
		col = charColumn(sources[name], line, col)
	}
	if line == 0 && layout != "" && name != layout {
		// html/template notices HTML that one template leaves open only
		// where another goes on writing, usually the shared base. The
		// culprit is likelier the site's own file than the theme's, and
		// else the template rendered, as the base works with all others.
		own := func(name string) bool { return strings.HasPrefix(show(name), "layouts/") }
		if own(name) && !own(layout) {
			return diag.Errorf(show(name), 0, 0, "%s (is a quote, tag or <script> left open?)", msg)
		}
		return diag.Errorf(show(layout), 0, 0, "%s (noticed in %s: is a quote, tag or <script> left open in this template?)", msg, show(name))
	}
	return diag.Errorf(show(name), line, col, "%s", msg)
}

// charColumn turns the template packages' column, a count of bytes from
// the start of the line and from 0, into one of characters and from 1.
func charColumn(src []byte, line, col int) int {
	lines := bytes.Split(src, []byte("\n"))
	if line < 1 || line > len(lines) {
		return col + 1
	}
	text := lines[line-1]
	return utf8.RuneCount(text[:min(col, len(text))]) + 1
}

var (
	// escapeContexts are html/template's dumps of its parser state, which
	// mean nothing to a template author.
	escapeContexts = regexp.MustCompile(`:? ?\{state\w*[^}]*\}(?:, \{state\w*[^}]*\})?`)
	noField        = regexp.MustCompile(`can't evaluate field (\S+) in type \*?(?:\w+\.)?(\w+)$`)
)

// explainTemplate restates the template packages' messages that need
// knowing Go to read.
func explainTemplate(msg string) string {
	msg = escapeContexts.ReplaceAllString(msg, "")
	msg = noField.ReplaceAllString(msg, "$2 has no field $1")
	switch {
	case msg == "unexpected EOF":
		msg += ": an {{ if }}, {{ range }}, {{ with }}, {{ block }} or {{ define }} is missing its {{ end }}"
	case strings.HasPrefix(msg, "unexpected \"}\" in operand"):
		msg += ": an action is written between {{ and }}, two braces each side"
	case strings.Contains(msg, "branches end in different contexts"):
		msg += ": one of them leaves a quote or tag open"
	}
	return msg
}
