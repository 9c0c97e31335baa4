package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"lanmu/generator/diag"
	"lanmu/generator/insite"
	"lanmu/generator/keyval"
)

// loadI18n reads the theme's strings for a language, then the site's own
// i18n/LANG.toml over them. Each file maps keys to strings.
func loadI18n(siteDir, lang string, themeI18n []fs.FS) (map[string]string, error) {
	strs := map[string]string{}
	var problems diag.List
	read := func(fsys fs.FS, label string) {
		if fsys == nil {
			return
		}
		data, err := fs.ReadFile(fsys, lang+".toml")
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		file := label + "/" + lang + ".toml"
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			problems.Addf(file, 0, 0, "%v", err)
			return
		}
		doc, err := keyval.ParseTOML(data)
		var ke *keyval.Error
		if errors.As(err, &ke) {
			problems.Add(diag.At(file, ke.Pos.Line, ke.Pos.Col, ke.Text))
			return
		}
		flatten(doc, nil, doc.Values, func(key string, pos keyval.Pos) {
			problems.Addf(file, pos.Line, pos.Col, "%s must be a string", key)
		}, strs)
	}
	for _, fsys := range themeI18n {
		read(fsys, "theme i18n")
	}
	if info, err := os.Stat(filepath.Join(siteDir, "i18n")); err == nil && info.IsDir() {
		read(insite.FS(siteDir, "i18n"), "i18n")
	}
	return strs, problems.Err()
}

// translate returns the string for key in the site language, or the key
// itself so that a missing translation shows rather than breaks the page.
func (s *Site) translate(key string, args ...any) string {
	str, ok := s.i18n[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(str, args...)
	}
	return str
}

// flatten stores every string of a TOML document under its dotted key, so
// that `form.leader = "…"` (a table in TOML) is looked up as "form.leader".
func flatten(doc *keyval.Doc, path []string, m map[string]any, bad func(string, keyval.Pos), out map[string]string) {
	for k, v := range m {
		p := append(append([]string(nil), path...), k)
		switch t := v.(type) {
		case string:
			out[strings.Join(p, ".")] = t
		case map[string]any:
			flatten(doc, p, t, bad, out)
		default:
			bad(strings.Join(p, "."), doc.Pos(p...))
		}
	}
}
