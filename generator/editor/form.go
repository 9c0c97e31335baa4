package editor

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"lanmu/generator/content"
	"lanmu/generator/frontedit"
	"lanmu/generator/messages"
)

// formField is a field of the form for a page, as the script draws it: the
// content model's field (package content), labelled in the user's
// language.
type formField struct {
	Key      string      `json:"key"`
	Type     string      `json:"type"`
	Label    string      `json:"label"`
	Choices  []choice    `json:"choices,omitempty"`
	Fields   []formField `json:"fields,omitempty"`
	Required bool        `json:"required,omitempty"`
	Rare     bool        `json:"rare,omitempty"`
	Default  any         `json:"default,omitempty"`
}

// choice is a value a field offers, with what it means.
type choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// formAnswer is what the form for a page needs: its fields, their values,
// the body, and what the site offers to choose from.
type formAnswer struct {
	Path    string         `json:"path"`
	Version string         `json:"version"`
	Kind    string         `json:"kind"`
	Format  string         `json:"format"` // yaml or toml
	Fields  []formField    `json:"fields"`
	Values  map[string]any `json:"values"`
	Body    string         `json:"body"`
	// BodyLine is the file's line the body starts on, to place a
	// problem of the body in the Markdown editor.
	BodyLine int `json:"bodyLine"`
	// Bundle is true for a page with a folder of its own (index.md),
	// which can hold images.
	Bundle   bool     `json:"bundle"`
	Files    []string `json:"files"` // a bundle's images
	Teachers []choice `json:"teachers"`
	Tags     []string `json:"tags"`
	Decks    []string `json:"decks"`
	Sections []string `json:"sections"`
	// Photo is a teacher's photo as the build resized it, to show.
	Photo string `json:"photo"`
	URL   string `json:"url"`
}

// pageLink is a page the link picker offers.
type pageLink struct {
	File  string `json:"file"`
	Title string `json:"title"`
	Kind  string `json:"kind"`
	// Draft pages are marked: the column's build does not publish
	// them, so a link to one fails it.
	Draft bool `json:"draft,omitempty"`
}

// kindOf is the type of the page in a file: as the last build found it,
// else as its section says.
func (e *Editor) kindOf(rel string) (content.Type, Page) {
	if p, ok := e.page(rel); ok {
		return content.Type(p.Kind), p
	}
	parts := strings.Split(rel, "/")
	if len(parts) > 2 && parts[0] == content.Dir && path.Base(rel) != "_index.md" {
		if t, ok := content.Types[parts[1]]; ok {
			return t, Page{}
		}
	}
	return content.TypePage, Page{}
}

func (e *Editor) allPages() []Page {
	if e.pages == nil {
		return nil
	}
	return e.pages()
}

// page is the page in a file as the last build found it.
func (e *Editor) page(rel string) (Page, bool) {
	for _, p := range e.allPages() {
		if p.File == rel {
			return p, true
		}
	}
	return Page{}, false
}

// editable reports whether a file is a page the form can edit.
func editable(rel string) bool {
	return strings.HasPrefix(rel, content.Dir+"/") && strings.HasSuffix(rel, ".md")
}

// resolvePage is resolve for a page the form edits.
func (e *Editor) resolvePage(rel string) (string, error) {
	full, err := e.resolve(rel)
	if err == nil && !editable(rel) {
		err = messages.Errorf("%s is not a page: edit it as text", rel)
	}
	return full, err
}

// form answers with the form for a page.
func (e *Editor) form(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	full, data, ok := e.read(w, rel, true)
	if !ok {
		return
	}
	front, err := frontedit.Read(data)
	if err != nil {
		e.fail(w, http.StatusUnprocessableEntity, messages.Errorf("the front matter of %s does not parse, so it is edited as text: %v", rel, err))
		return
	}
	kind, page := e.kindOf(rel)
	answer := formAnswer{
		Path: rel, Version: Version(data), Kind: string(kind), Format: front.Format,
		Fields: e.formFields(content.KindFields(kind)), Values: jsonValues(front.Values),
		Body: string(front.Body), BodyLine: front.BodyLine,
		Bundle: path.Base(rel) == "index.md" || path.Base(rel) == "_index.md",
		Photo:  page.Photo, URL: page.URL,
		Files: []string{}, Teachers: []choice{}, Tags: []string{}, Decks: []string{}, Sections: []string{},
	}
	if answer.Bundle {
		entries, _ := os.ReadDir(filepath.Dir(full))
		for _, en := range entries {
			if _, image := imageTypes[strings.ToLower(path.Ext(en.Name()))]; image && en.Type().IsRegular() {
				answer.Files = append(answer.Files, en.Name())
			}
		}
	}
	e.offer(&answer)
	writeJSON(w, http.StatusOK, answer)
}

// offer fills in what the site's pages offer a form: the teachers to name
// as speakers, the tags and decks in use, and the sections.
func (e *Editor) offer(a *formAnswer) {
	tags := map[string]bool{}
	decks := map[string]bool{}
	sections := map[string]bool{}
	for _, p := range e.allPages() {
		for _, t := range p.Tags {
			tags[t] = true
		}
		if p.Deck != "" {
			decks[p.Deck] = true
		}
		if p.Section != "" {
			sections[p.Section] = true
		}
		if p.Kind == string(content.TypeTeacher) && p.Slug != "" {
			a.Teachers = append(a.Teachers, choice{Value: p.Slug, Label: p.Title})
		}
	}
	// In the order a Chinese reader looks things up: by pinyin.
	order := collate.New(language.Chinese)
	slices.SortFunc(a.Teachers, func(x, y choice) int { return order.CompareString(x.Label, y.Label) })
	for _, set := range []struct {
		from map[string]bool
		to   *[]string
	}{{tags, &a.Tags}, {decks, &a.Decks}, {sections, &a.Sections}} {
		for k := range set.from {
			*set.to = append(*set.to, k)
		}
		order.SortStrings(*set.to)
	}
}

// formFields are the model's fields labelled for the form.
func (e *Editor) formFields(fields []content.Field) []formField {
	out := make([]formField, 0, len(fields))
	for _, f := range fields {
		ff := formField{Key: f.Key, Type: string(f.Type), Label: e.fieldLabel(f.Key), Required: f.Required, Rare: f.Rare, Default: f.Default}
		for _, c := range f.Choices {
			ff.Choices = append(ff.Choices, choice{Value: c, Label: e.choiceLabel(f.Key, c)})
		}
		if len(f.Fields) > 0 {
			ff.Fields = e.formFields(f.Fields)
		}
		out = append(out, ff)
	}
	return out
}

// fieldLabel names a key in the user's language: in Chinese by the name
// messages give it (标题), else the key as the file spells it.
func (e *Editor) fieldLabel(key string) string {
	if e.say.Lang == messages.Chinese {
		if name := messages.FieldName(key); name != "" {
			return name
		}
	}
	return key
}

// choiceLabel says what a choice means, in the user's language; a value
// it does not know is shown as it is.
func (e *Editor) choiceLabel(key, value string) string {
	say := e.say
	switch key + "=" + value {
	case "form=leader":
		return say.Sprintf("given by a leading cadre")
	case "form=expert":
		return say.Sprintf("given by an expert or scholar")
	case "form=model":
		return say.Sprintf("given by a model worker")
	case "form=secretary":
		return say.Sprintf("given by the branch secretary")
	case "form=member":
		return say.Sprintf("given by a member")
	case "level=province":
		return say.Sprintf("province")
	case "level=city":
		return say.Sprintf("city")
	case "level=county":
		return say.Sprintf("county")
	case "level=grassroots":
		return say.Sprintf("grassroots")
	case "status=done":
		return say.Sprintf("done")
	case "status=in-progress":
		return say.Sprintf("in progress")
	case "status=not-started":
		return say.Sprintf("not started")
	case "every=month":
		return say.Sprintf("every month")
	case "every=quarter":
		return say.Sprintf("every quarter")
	case "every=year":
		return say.Sprintf("every year")
	case "per=branch":
		return say.Sprintf("for every branch")
	}
	return value
}

// jsonValues are front matter values as the script reads them: dates as
// the file writes them.
func jsonValues(values map[string]any) map[string]any {
	out := make(map[string]any, len(values))
	for k, v := range values {
		out[k] = jsonValue(v)
	}
	return out
}

func jsonValue(v any) any {
	switch v := v.(type) {
	case time.Time:
		return frontedit.TimeText(v)
	case map[string]any:
		return jsonValues(v)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = jsonValue(x)
		}
		return out
	}
	return v
}

// formSave is a form's save: the fields changed, by key (null removes
// one), the body, and the version the form was filled from.
type formSave struct {
	Path    string                     `json:"path"`
	Version string                     `json:"version"`
	Set     map[string]json.RawMessage `json:"set"`
	Body    *string                    `json:"body"`
}

// saveForm writes a form's changes into the page's file, changing only the
// keys the form changed, the way a person would (package frontedit), and
// the body.
func (e *Editor) saveForm(w http.ResponseWriter, r *http.Request) {
	var req formSave
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxText+64<<10)).Decode(&req); err != nil {
		e.fail(w, http.StatusBadRequest, messages.Errorf("the save could not be read: %v", err))
		return
	}
	full, err := e.resolvePage(req.Path)
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	kind, _ := e.kindOf(req.Path)
	changes, err := e.changes(content.KindFields(kind), req.Set)
	if err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// A form edits a file that exists: a version is never "".
	now, ok := e.unchangedSince(w, req.Path, full, req.Version, "")
	if !ok || req.Version == "" {
		if ok {
			e.fail(w, http.StatusBadRequest, messages.Errorf("%s does not exist", req.Path))
		}
		return
	}
	text, err := frontedit.Set(now, changes...)
	if err == nil && req.Body != nil {
		text, err = frontedit.SetBody(text, *req.Body)
	}
	if err != nil {
		e.fail(w, http.StatusUnprocessableEntity, messages.Errorf("%s is not changed: %v", req.Path, err))
		return
	}
	if len(text) > MaxText {
		e.fail(w, http.StatusRequestEntityTooLarge, messages.Errorf("the text is larger than %d MB", MaxText>>20))
		return
	}
	if err := writeAtomic(full, text); err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("%s could not be saved, and is as it was: %v", req.Path, err))
		return
	}
	writeJSON(w, http.StatusOK, fileAnswer{Path: req.Path, Text: string(text), Version: Version(text)})
}

// changes turns a form's values into front matter changes, by the types
// the model gives the keys: a date becomes a date, a number a number, and
// an emptied field leaves the file, as a person would delete its line.
// Keys the model does not know are refused: the form has no field for
// them.
func (e *Editor) changes(fields []content.Field, set map[string]json.RawMessage) ([]frontedit.Change, error) {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	// In the model's order, so that new keys land as the form shows them.
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(fieldIndex(fields, a), fieldIndex(fields, b)) })
	var out []frontedit.Change
	for _, k := range keys {
		i := fieldIndex(fields, k)
		if i == len(fields) {
			return nil, messages.Errorf("the form has no field %q", k)
		}
		var raw any
		if err := json.Unmarshal(set[k], &raw); err != nil {
			return nil, messages.Errorf("the save could not be read: %v", err)
		}
		v, err := fieldValue(fields[i], raw)
		if err != nil {
			return nil, err
		}
		out = append(out, frontedit.Change{Key: k, Value: v})
	}
	return out, nil
}

func fieldIndex(fields []content.Field, key string) int {
	for i, f := range fields {
		if f.Key == key {
			return i
		}
	}
	return len(fields)
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// fieldValue is a form's value as frontedit writes it, or nil when the
// field is empty (or, for a yes/no field, at its default).
func fieldValue(f content.Field, raw any) (any, error) {
	if raw == nil {
		return nil, nil
	}
	bad := func() error {
		return messages.Errorf("%s: the form sent %v, which is not a value of this field", messages.Field(f.Key), raw)
	}
	switch f.Type {
	case content.FieldBool:
		b, ok := raw.(bool)
		if !ok {
			return nil, bad()
		}
		if def, _ := f.Default.(bool); b == def {
			return nil, nil
		}
		return b, nil
	case content.FieldNumber:
		switch n := raw.(type) {
		case float64:
			if n != float64(int(n)) {
				return nil, bad()
			}
			return int(n), nil
		case string:
			n = strings.TrimSpace(n)
			if n == "" {
				return nil, nil
			}
			if i, err := strconv.Atoi(n); err == nil {
				return i, nil
			}
			// Written as typed: the build will say what is wrong.
			return n, nil
		}
		return nil, bad()
	case content.FieldDate:
		s, ok := raw.(string)
		if !ok {
			return nil, bad()
		}
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			return nil, nil
		case dateOnly.MatchString(s):
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				return t, nil
			}
		default:
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				return t, nil
			}
		}
		// A date that is no date is written as the text typed, for the
		// build to report at its line, as it would from the file.
		return s, nil
	case content.FieldTags, content.FieldList, content.FieldTeachers:
		items, ok := raw.([]any)
		if !ok {
			return nil, bad()
		}
		var list []string
		for _, it := range items {
			s, ok := it.(string)
			if !ok {
				return nil, bad()
			}
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		if len(list) == 0 {
			return nil, nil
		}
		return list, nil
	case content.FieldGroup:
		items, ok := raw.([]any)
		if !ok {
			return nil, bad()
		}
		records := []frontedit.Record{}
		for _, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				return nil, bad()
			}
			rec, err := recordValue(f.Fields, m)
			if err != nil {
				return nil, err
			}
			records = append(records, rec)
		}
		return records, nil
	case content.FieldRecord:
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, bad()
		}
		rec, err := recordValue(f.Fields, m)
		if err != nil || len(rec) == 0 {
			return nil, err
		}
		return rec, nil
	}
	s, ok := raw.(string)
	if !ok {
		if f.Loose {
			return fmt.Sprint(raw), nil
		}
		return nil, bad()
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return s, nil
}

// recordValue is one record of a group (a task) in its fields' order,
// without the fields left empty.
func recordValue(fields []content.Field, m map[string]any) (frontedit.Record, error) {
	for k := range m {
		if fieldIndex(fields, k) == len(fields) {
			return nil, messages.Errorf("the form has no field %q", k)
		}
	}
	var rec frontedit.Record
	for _, f := range fields {
		v, err := fieldValue(f, m[f.Key])
		if err != nil {
			return nil, err
		}
		if v != nil {
			rec = append(rec, frontedit.Change{Key: f.Key, Value: v})
		}
	}
	return rec, nil
}

// renderBody answers with a page's Markdown as HTML, converted by the
// build's own converter, so that the view beside the editor shows what
// the build will write.
func (e *Editor) renderBody(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	if _, err := e.resolve(rel); err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	text, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxText))
	if err != nil {
		e.fail(w, http.StatusRequestEntityTooLarge, messages.Errorf("the text is larger than %d MB", MaxText>>20))
		return
	}
	answer := struct {
		HTML   string   `json:"html"`
		Styles []string `json:"styles"`
		Base   string   `json:"base"`
	}{Styles: []string{}}
	if e.convert != nil {
		answer.HTML, err = e.convert(rel, text)
		if err != nil {
			e.fail(w, http.StatusUnprocessableEntity, err)
			return
		}
	}
	if e.styles != nil {
		answer.Styles = e.styles()
	}
	page, _ := e.page(rel)
	answer.Base = page.URL
	writeJSON(w, http.StatusOK, answer)
}

// goTo sends the browser from a page of the preview to its editing page.
func (e *Editor) goTo(w http.ResponseWriter, r *http.Request) {
	want := r.URL.Query().Get("url")
	for _, p := range e.allPages() {
		if p.URL == want || strings.TrimSuffix(p.URL, "/") == strings.TrimSuffix(strings.TrimSuffix(want, "index.html"), "/") {
			w.Header().Set("Location", "page?path="+url.QueryEscape(p.File))
			w.WriteHeader(http.StatusSeeOther)
			return
		}
	}
	w.Header().Set("Location", "./")
	w.WriteHeader(http.StatusSeeOther)
}

// linkScript adds, to a page of the preview, a link to edit its source.
// Only a browser with the session's cookie gets it. The preview adds the
// script to every page, so anyone else gets a script that does nothing,
// not an error in the console of every page they preview.
func (e *Editor) linkScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if c, err := r.Cookie(CookieName); err != nil || !e.tokenIs(c.Value) {
		fmt.Fprintln(w, "// Not in the editing session: no 编辑 link.")
		return
	}
	label, _ := json.Marshal(e.say.Sprintf("Edit"))
	title, _ := json.Marshal(e.say.Sprintf("Edit this page's source"))
	fmt.Fprintf(w, linkJS, label, title)
}

// image answers with an image of content/ or static/, for the form to show
// a photo before the build has resized it.
func (e *Editor) image(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	ctype, ok := imageTypes[strings.ToLower(path.Ext(rel))]
	if !ok {
		e.fail(w, http.StatusUnsupportedMediaType, messages.Errorf("%q is not an image lanmu keeps: use a .jpg, .png, .gif or .webp file", path.Base(rel)))
		return
	}
	_, data, ok := e.read(w, rel, false)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(data)
}

// pickLimit bounds the pages the link picker shows at once: enough to
// choose from, and a column of 10,000 pages is not sent whole.
const pickLimit = 50

// pick answers the link picker with the pages whose title or file has
// every word of q, but the page being edited, by file name.
func (e *Editor) pick(w http.ResponseWriter, r *http.Request) {
	words := strings.Fields(strings.ToLower(r.URL.Query().Get("q")))
	self := r.URL.Query().Get("path")
	found := []pageLink{}
	for _, p := range e.allPages() {
		if p.File == self {
			continue
		}
		text := strings.ToLower(p.Title + " " + p.File)
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) }) {
			found = append(found, pageLink{File: p.File, Title: p.Title, Kind: p.Kind, Draft: p.Draft})
		}
	}
	order := collate.New(language.Chinese)
	slices.SortFunc(found, func(x, y pageLink) int { return order.CompareString(x.Title, y.Title) })
	writeJSON(w, http.StatusOK, found[:min(len(found), pickLimit)])
}
