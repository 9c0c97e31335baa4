// Package scaffold starts new things in a column: `lanmu new site DIR`
// writes a starter column that builds at once, and `lanmu new KIND TITLE`
// writes a draft page of one kind, its front matter filled in from the
// kind's archetype.
//
// An archetype is the text a new page starts as, run through Go's
// text/template. The built-in archetypes can be replaced by a site:
// archetypes/KIND.md (reading.md, class.md, teacher.md, card.md,
// standard.md, news.md) replaces one kind's, and archetypes/default.md
// replaces those of every kind that has no file of its own. An archetype
// sees these fields:
//
//	.Title     the title as given on the command line
//	.Kind      reading, class, teacher, card, standard or news
//	.Section   the content folder the page goes into: readings, classes, …
//	.Slug      the page's file name without .md, made from the title
//	.Date      now, in RFC 3339 in the site's time zone: 2016-06-16T09:32:00+08:00
//	.Today     today in the site's time zone: 2016-06-16
//	.Year      this year in the site's time zone: 2016
//	.Number    one more than the highest number any standard has, drafts included
//	.Teachers  the slugs of the site's teachers that are not drafts
//	.Decks     the decks that content/cards/_index.md lists under decks:
//
// and these functions:
//
//	yaml   a string as a YAML value, quoted only when it has to be
//	quote  a string in double quotes, valid in YAML and in TOML
//	join   a list of strings joined by a separator: join .Teachers "、"
//
// .Teachers and .Decks are empty when the site's content has errors; a
// standard then cannot be made, since its number could clash.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"lanmu/generator/config"
	"lanmu/generator/content"
	"lanmu/generator/diag"
	"lanmu/generator/insite"
	"lanmu/generator/keyval"
	"lanmu/generator/messages"
)

// Kinds are the kinds of page `lanmu new` makes, in the SPEC's order.
var Kinds = func() []string {
	var out []string
	for _, t := range content.ColumnTypes {
		out = append(out, string(t))
	}
	return out
}()

// ArchetypeDir is the folder of a site that holds its own archetypes.
const ArchetypeDir = "archetypes"

//go:embed archetypes
var builtin embed.FS

// ArgError is a mistake in what was asked for (a kind that does not exist, a
// title that makes no file name) rather than a problem with the site, so
// that the command line can answer it as a usage error.
type ArgError struct{ Msg string }

func (e *ArgError) Error() string { return e.Msg }

// Page is what an archetype is executed with; the package comment
// describes each field.
type Page struct {
	Title    string
	Kind     string
	Section  string
	Slug     string
	Date     string
	Today    string
	Year     int
	Number   int
	Teachers []string
	Decks    []string
}

// maxSlugRunes keeps file names made from long titles well inside the
// 255-byte limit of common file systems (a Chinese character is 3 bytes).
const maxSlugRunes = 60

// NewPage writes a draft page of kind, titled title, into the site at
// siteDir, and returns the path of the new file (siteDir joined with its
// site-relative path). It never overwrites a file.
func NewPage(siteDir, kind, title string, now time.Time) (string, error) {
	section := sectionOf(kind)
	if section == "" {
		return "", &ArgError{fmt.Sprintf("there is no kind %q: choose one of %s", kind, strings.Join(Kinds, ", "))}
	}
	title = strings.TrimSpace(title)
	if title == "" {
		return "", &ArgError{fmt.Sprintf("a new %s needs a title: lanmu new %s \"标题\"", kind, kind)}
	}
	slug := slugOf(title)
	if slug == "" {
		return "", &ArgError{fmt.Sprintf("the title %q has no letters or digits to make a file name from", title)}
	}
	if siteDir == "" {
		siteDir = "."
	}
	cfg, err := config.Load(siteDir)
	if err != nil {
		return "", err
	}
	rel := path.Join(content.Dir, section, slug+".md")
	for _, taken := range []string{rel, path.Join(content.Dir, section, slug, "index.md")} {
		if _, err := os.Stat(filepath.Join(siteDir, filepath.FromSlash(taken))); err == nil {
			return "", messages.Errorf("%s already exists: lanmu new never overwrites a page; edit it, or choose another title", taken)
		}
	}

	local := now.In(cfg.Location)
	data := Page{
		Title:   title,
		Kind:    kind,
		Section: section,
		Slug:    slug,
		Date:    local.Truncate(time.Second).Format(time.RFC3339),
		Today:   local.Format(time.DateOnly),
		Year:    local.Year(),
	}
	if err := data.learnSite(siteDir, cfg, now); err != nil && content.Type(kind) == content.TypeStandard {
		var problems diag.List
		problems.Add(err)
		problems.Add(messages.Errorf("lanmu new cannot choose a number for the standard until the problems below are fixed"))
		return "", problems.Err()
	}

	name, text, err := archetype(siteDir, kind)
	if err != nil {
		return "", err
	}
	page, err := execute(name, text, data)
	if err != nil {
		return "", err
	}
	full := filepath.Join(siteDir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return "", err
	}
	// O_EXCL closes the gap between the check above and the write: a file
	// that appears in between is still never overwritten.
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", messages.Errorf("%s already exists: lanmu new never overwrites a page; edit it, or choose another title", rel)
	}
	if err != nil {
		return "", err
	}
	_, err = f.Write(page)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(full)
		return "", err
	}
	return full, nil
}

// sectionOf returns the content folder of a kind, or "" for an unknown kind.
func sectionOf(kind string) string {
	for section, k := range content.Types {
		if string(k) == kind {
			return section
		}
	}
	return ""
}

func slugOf(title string) string {
	slug := content.Slugify(title)
	if utf8.RuneCountInString(slug) > maxSlugRunes {
		slug = string([]rune(slug)[:maxSlugRunes])
		slug = strings.TrimRight(slug, "-")
	}
	return slug
}

// learnSite fills in what an archetype may want to know about the site's
// content. Drafts and pages dated in the future are read too: a draft
// standard's number is taken as surely as a published one's.
func (d *Page) learnSite(siteDir string, cfg *config.Config, now time.Time) error {
	site, err := content.Load(siteDir, cfg, content.Options{Drafts: true, Future: true, Expired: true, Now: now})
	if err != nil {
		return err
	}
	d.Number = 1
	for _, p := range site.Pages {
		switch {
		case p.Standard != nil:
			d.Number = max(d.Number, p.Standard.Number+1)
		case p.Teacher != nil && !p.Draft:
			d.Teachers = append(d.Teachers, p.Slug)
		case p.Kind == content.KindSection && p.Type == content.TypeCard && p.Parent == site.Home:
			decks, _ := p.Params["decks"].([]any)
			for _, deck := range decks {
				if s, ok := deck.(string); ok {
					d.Decks = append(d.Decks, s)
				}
			}
		}
	}
	slices.Sort(d.Teachers)
	return nil
}

// archetype returns the archetype for kind and the name its errors are
// reported under: the site's own file when it has one, else the built-in.
func archetype(siteDir, kind string) (name string, text []byte, err error) {
	for _, file := range []string{kind + ".md", "default.md"} {
		rel := path.Join(ArchetypeDir, file)
		text, err := fs.ReadFile(insite.FS(siteDir, ArchetypeDir), file)
		if err == nil {
			return rel, text, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return "", nil, fmt.Errorf("%s: %w", rel, err)
		}
	}
	text, err = builtin.ReadFile(path.Join(ArchetypeDir, kind+".md"))
	return "built-in archetype " + kind + ".md", text, err
}

var funcs = template.FuncMap{
	"yaml":  yamlValue,
	"quote": keyval.Quote,
	"join":  strings.Join,
}

// execute runs an archetype (or a starter file) named name. Its errors are
// positioned in name, so that an editor can jump to the broken action.
func execute(name string, text []byte, data any) ([]byte, error) {
	t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(string(text))
	if err != nil {
		return nil, templateError(name, text, err)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return nil, templateError(name, text, err)
	}
	return out.Bytes(), nil
}

// templateAt matches the position text/template puts at the front of its
// messages: "template: NAME:LINE: …" when parsing, "template: NAME:LINE:COL:
// executing "NAME" at <…>: …" when executing.
var templateAt = regexp.MustCompile(`^template: (.*?):(\d+):(?:(\d+):)? (?:executing ".*?" at )?(.*)$`)

func templateError(name string, text []byte, err error) error {
	m := templateAt.FindStringSubmatch(err.Error())
	if m == nil || m[1] != name {
		return diag.Errorf(name, 0, 0, "%v", err)
	}
	line, _ := strconv.Atoi(m[2])
	msg := m[4]
	var col int
	if m[3] == "" {
		col = actionColumn(text, line)
	} else {
		// text/template gives a 0-based byte offset; editors count
		// characters from 1.
		offset, _ := strconv.Atoi(m[3])
		col = charColumn(text, line, offset)
	}
	switch {
	case strings.Contains(msg, "can't evaluate field"):
		msg += "; an archetype has .Title, .Kind, .Section, .Slug, .Date, .Today, .Year, .Number, .Teachers and .Decks"
	case strings.Contains(msg, "unexpected EOF"):
		msg += ": an {{if}}, {{range}}, {{with}} or {{define}} is missing its {{end}}"
	}
	return diag.Errorf(name, line, col, "%s", msg)
}

// actionColumn finds, for a parse error (which text/template reports by
// line only), the column of the action at fault on that line: the first
// one that does not parse on its own for a reason other than wanting the
// rest of its block ({{if}} without {{end}}, or the other way round). It
// falls back to the line's first action, and to the start of the line when
// it has none (the end of the file, for a block left open).
func actionColumn(text []byte, line int) int {
	lines := strings.Split(string(text), "\n")
	if line < 1 || line > len(lines) {
		return 1
	}
	s := lines[line-1]
	first := -1
	for off := 0; ; {
		i := strings.Index(s[off:], "{{")
		if i < 0 {
			break
		}
		start := off + i
		if first < 0 {
			first = start
		}
		action := s[start:]
		if end := strings.Index(action, "}}"); end >= 0 {
			action = action[:end+2]
		}
		_, err := template.New("").Funcs(funcs).Parse(action)
		if err != nil && !wantsBlock(err.Error()) {
			return utf8.RuneCountInString(s[:start]) + 1
		}
		off = start + 2
	}
	if first < 0 {
		return 1
	}
	return utf8.RuneCountInString(s[:first]) + 1
}

func wantsBlock(msg string) bool {
	for _, s := range []string{"unexpected EOF", "unexpected {{end}}", "unexpected {{else", "outside {{range}}"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// charColumn turns a 0-based byte offset within a line into a 1-based
// character column.
func charColumn(text []byte, line, byteCol int) int {
	lines := strings.Split(string(text), "\n")
	if line < 1 || line > len(lines) || byteCol > len(lines[line-1]) {
		return byteCol + 1
	}
	return utf8.RuneCountInString(lines[line-1][:byteCol]) + 1
}

// yamlValue writes s as a YAML scalar: a plain title (学习党章) stays
// plain; anything YAML could read as something else is quoted.
func yamlValue(s string) string { return keyval.YAMLString(s, false) }
