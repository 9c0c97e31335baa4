package editor

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"lanmu/generator/messages"
	"lanmu/generator/scaffold"
)

// Page is a page of the site as the list of pages shows it.
type Page struct {
	File  string // its source, "content/readings/a.md"
	Title string
	Kind  string // its type: reading, class, teacher, card, standard, news, page
	Date  time.Time
	Draft bool
	URL   string // where the preview shows it
	// Slug names a teacher in a class's speaker; Section is the page's
	// top folder; Tags and Deck are what the page uses, offered to others.
	Slug, Section string
	Tags          []string
	Deck          string
	// Photo is a teacher's photo as the build resized it for a list.
	Photo string
}

// pageTemplates are the interface's pages, parsed once: ui/head.html is
// the head they share.
var pageTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	},
}).ParseFS(ui, "ui/*.html"))

//go:embed ui/*.html
var ui embed.FS

//go:embed ui/editor.css
var editorCSS []byte

//go:embed ui/edit.js
var editJS []byte

//go:embed ui/form.js
var formJS []byte

// codemirrorJS is CodeMirror 6, bundled from npm by
// ui/codemirror/bundle.sh; its licences are in ui/vendor/LICENSES.txt.
//
//go:embed ui/vendor/codemirror.js
var codemirrorJS []byte

// linkJS is the script that puts an 编辑 link on a page of the preview;
// its two %s are the link's text and title, as JSON strings.
const linkJS = `(function () {
  // Not inside the editing page's own view of the page.
  if (window.top !== window) {
    return;
  }
  var script = document.currentScript;
  var style = document.createElement("style");
  style.textContent = ".lanmu-edit-link{position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:8px 18px;border-radius:20px;background:#b3202a;color:#fff;font:15px/1.4 sans-serif;text-decoration:none;box-shadow:0 2px 6px rgba(0,0,0,.3)}.lanmu-edit-link:focus{outline:3px solid #f5c000}@media print{.lanmu-edit-link{display:none}}";
  var a = document.createElement("a");
  a.href = new URL("goto?url=" + encodeURIComponent(location.pathname), script.src).href;
  a.textContent = %s;
  a.title = %s;
  a.className = "lanmu-edit-link";
  document.head.appendChild(style);
  document.body.appendChild(a);
})();
`

// kindOrder is the order of the list's groups: the column's kinds as its
// menu has them, then plain pages.
var kindOrder = []string{"reading", "class", "teacher", "card", "standard", "news", "page"}

// kindName names a kind in the list's headings.
func (e *Editor) kindName(kind string) string {
	switch kind {
	case "reading":
		return e.say.Sprintf("Readings")
	case "class":
		return e.say.Sprintf("Party classes")
	case "teacher":
		return e.say.Sprintf("Teachers")
	case "card":
		return e.say.Sprintf("Knowledge cards")
	case "standard":
		return e.say.Sprintf("Standards")
	case "news":
		return e.say.Sprintf("News")
	}
	return e.say.Sprintf("Other pages")
}

// group is a kind's pages in the list, newest first.
type group struct {
	Kind, Name string
	Pages      []Page
	// New offers a new page of the kind, from its archetype.
	New bool
}

// labels are the interface's words in the user's language.
func (e *Editor) labels() map[string]string {
	say := e.say
	return map[string]string{
		"title":         say.Sprintf("Edit the column"),
		"pages":         say.Sprintf("Pages"),
		"search":        say.Sprintf("Find a page"),
		"draft":         say.Sprintf("draft"),
		"edit":          say.Sprintf("Edit"),
		"view":          say.Sprintf("View"),
		"noDate":        say.Sprintf("no date"),
		"save":          say.Sprintf("Save"),
		"saved":         say.Sprintf("Saved. The preview is rebuilding."),
		"unsaved":       say.Sprintf("Not saved yet"),
		"back":          say.Sprintf("All pages"),
		"conflict":      say.Sprintf("The file was changed on disk. Its text there is below; your text is in the editor. Keep one, or merge them, then save again."),
		"theirs":        say.Sprintf("The text on disk"),
		"useTheirs":     say.Sprintf("Use the text on disk"),
		"failed":        say.Sprintf("Not saved"),
		"loading":       say.Sprintf("Loading…"),
		"leaveAsk":      say.Sprintf("Your changes are not saved. Leave anyway?"),
		"new":           say.Sprintf("New"),
		"problems":      say.Sprintf("What the build says about this page"),
		"image":         say.Sprintf("Insert an image"),
		"delete":        say.Sprintf("Delete"),
		"rename":        say.Sprintf("Rename"),
		"renameTo":      say.Sprintf("Move the file to (a path in the same folder of the site):"),
		"linkedFrom":    say.Sprintf("These pages link here, and their links will lead nowhere until you fix them:"),
		"linksFollow":   say.Sprintf("These pages link here; their links will be changed to the new path:"),
		"sureDelete":    say.Sprintf("Delete this page's file?"),
		"imageAlt":      say.Sprintf("what the image shows"),
		"newTitle":      say.Sprintf("Title of the new page"),
		"password":      say.Sprintf("Editing password"),
		"enter":         say.Sprintf("Enter"),
		"wrongPassword": say.Sprintf("That is not the editing password."),
		"editorHelp":    say.Sprintf("The front matter between the --- lines holds the page's fields; the text below it is Markdown."),
		"rawText":       say.Sprintf("Edit the file as text"),
		"reloadTheirs":  say.Sprintf("Load the text on disk (your changes are dropped)"),
		"fields":        say.Sprintf("About the page"),
		"moreFields":    say.Sprintf("More settings"),
		"body":          say.Sprintf("Text"),
		"liveView":      say.Sprintf("As the page will show it"),
		"viewText":      say.Sprintf("The text, as you type"),
		"viewPage":      say.Sprintf("The whole page, as saved"),
		"tbHeading":     say.Sprintf("Heading"),
		"tbSubheading":  say.Sprintf("Subheading"),
		"tbBold":        say.Sprintf("Bold"),
		"tbList":        say.Sprintf("List"),
		"tbNumbered":    say.Sprintf("Numbered list"),
		"tbQuote":       say.Sprintf("Quote"),
		"tbLink":        say.Sprintf("Link to a page"),
		"tbImage":       say.Sprintf("Image"),
		"tbTable":       say.Sprintf("Table"),
		"pickPage":      say.Sprintf("Link to a page of the column"),
		"cancel":        say.Sprintf("Cancel"),
	}
}

// formLabels are the words the form's script puts on the page.
func (e *Editor) formLabels() map[string]string {
	say := e.say
	return map[string]string{
		"remove":         say.Sprintf("Remove"),
		"draft":          say.Sprintf("draft"),
		"notATeacher":    say.Sprintf("not in the teachers"),
		"noTeachers":     say.Sprintf("There are no teachers yet: add one under Teachers first."),
		"uploadPhoto":    say.Sprintf("Upload a photo"),
		"missingFile":    say.Sprintf("no such file"),
		"thumbByBuild":   say.Sprintf("The thumbnail the build made, as the column shows it."),
		"thumbAfterSave": say.Sprintf("Save to see the thumbnail the build makes."),
		"item":           say.Sprintf("Task"),
		"moveUp":         say.Sprintf("Move up"),
		"moveDown":       say.Sprintf("Move down"),
		"removeItem":     say.Sprintf("Remove this task"),
		"addItem":        say.Sprintf("Add a task"),
		"evidenceHelp":   say.Sprintf("Count the published pages that show the task is done"),
		"nowBundle":      say.Sprintf("The page now has a folder of its own for images:"),
		"boldText":       say.Sprintf("bold text"),
		"tableHead":      say.Sprintf("Heading"),
	}
}

// list shows the site's pages by kind, each with its date, whether it is a
// draft, and links to edit it and to see it.
func (e *Editor) list(w http.ResponseWriter, r *http.Request) {
	var pages []Page
	if e.pages != nil {
		pages = e.pages()
	}
	byKind := map[string][]Page{}
	for _, p := range pages {
		byKind[p.Kind] = append(byKind[p.Kind], p)
	}
	var groups []group
	for _, k := range kindOrder {
		ps := byKind[k]
		creatable := slices.Contains(scaffold.Kinds, k)
		if len(ps) == 0 && !creatable {
			continue
		}
		slices.SortStableFunc(ps, func(a, b Page) int {
			return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.File, b.File))
		})
		groups = append(groups, group{Kind: k, Name: e.kindName(k), Pages: ps, New: creatable})
	}
	labels := e.labels()
	e.render(w, http.StatusOK, "list.html", map[string]any{"Title": labels["title"], "Groups": groups, "Lang": e.say.Lang, "L": labels})
}

// edit shows a file's text to edit and save.
func (e *Editor) edit(w http.ResponseWriter, r *http.Request) {
	rel := r.URL.Query().Get("path")
	if _, err := e.resolve(rel); err != nil {
		e.fail(w, http.StatusBadRequest, err)
		return
	}
	page, _ := e.page(rel)
	labels := e.labels()
	values := map[string]any{"Title": labels["edit"] + " · " + cmp.Or(page.Title, rel), "Path": rel, "Page": page, "Lang": e.say.Lang, "L": labels, "UseTheirs": labels["useTheirs"]}
	if editable(rel) && r.URL.Query().Get("raw") == "" {
		values["UseTheirs"] = labels["reloadTheirs"]
		words, err := json.Marshal(e.formLabels())
		if err != nil {
			e.fail(w, http.StatusInternalServerError, err)
			return
		}
		values["Labels"] = string(words)
		e.render(w, http.StatusOK, "form.html", values)
		return
	}
	e.render(w, http.StatusOK, "edit.html", values)
}

func (e *Editor) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		e.fail(w, http.StatusInternalServerError, messages.Errorf("the editing page could not be shown: %v", err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func asset(ctype string, data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-store")
		w.Write(data)
	}
}
