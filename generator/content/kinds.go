package content

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"lanmu/generator/diag"
	"lanmu/generator/keyval"
	"lanmu/generator/messages"
)

// Reading is what a reading (必读文章) declares.
type Reading struct {
	Source   string
	Author   string
	Required bool // in the pocket book; true unless the page says false
	Order    int  // place in the pocket book; 0 when not given
}

// News is what a news item (工作动态) declares: where it comes from and who
// wrote it, which a government column shows (来源, 作者) and its meta tags
// carry.
type News struct {
	Source string
	Author string
}

// Class is what a party-class outline (党课提纲) declares, with its
// speakers resolved to teacher pages.
type Class struct {
	SpeakerSlugs []string
	Speakers     []*Page // the teacher pages, in the order given
	Branch       string
	Form         string // leader | expert | model | secretary | member
	Duration     string
	Place        string
}

// Teacher is what a teacher profile (党课师资库) declares, with the classes
// the teacher gave.
type Teacher struct {
	Position string
	Unit     string
	Level    string // province | city | county | grassroots
	Topics   []string
	Photo    string  // a bundle file, relative to the bundle; "" when none
	Classes  []*Page // classes naming this teacher as speaker, newest first
}

// Card is what a knowledge card (知识卡片) declares: the title is the front,
// the body the back.
type Card struct {
	Deck  string
	Order int
}

// Standard is what a standard (基本标准) declares.
type Standard struct {
	Number int
	Tasks  []Task
}

// Task is one task of a standard, as declared.
type Task struct {
	ID       string
	Title    string
	Due      time.Time // one-off tasks
	Status   string    // done | in-progress | not-started | ""
	Done     time.Time
	Every    string // month | quarter | year, for recurring tasks
	From, To time.Time
	Evidence *Evidence
	Line     int // where the task starts in the page's file
}

// Evidence says which published pages show a task is met.
type Evidence struct {
	Section string
	Tags    []string
	Branch  string
	Min     int
	Per     string // "branch": Min pages for every branch named in classes
}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

// checker reports problems in one page's kind-specific front matter.
type checker struct {
	p        *Page
	problems *diag.List
	failed   bool
	// keys are the front matter keys the page's kind reads, once decoded.
	keys []string
}

// at reports a problem at a front matter key (the nearest written one).
func (c *checker) at(format string, args []any, key ...string) {
	line, col := c.p.Position(key...)
	c.problems.Addf(c.p.File, line, col, format, args...)
	c.failed = true
}

// commonKeys are the front matter keys every page may carry.
var commonKeys = keyval.Keys(&frontMatter{})

// typos reports front matter keys that lanmu does not read but that look
// like a slip for one it does ("titel", "Date", "tag"). Kept quietly as a
// param, such a key would leave the page without its title or date, or
// with the value the editor meant to replace, and the editor none the
// wiser.
func (c *checker) typos() {
	known := append(slices.Clip(commonKeys), c.keys...)
	// Nearly every key is a known one: only the others need sorting.
	var unknown []string
	for k := range c.p.Params {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		want := keyval.Misspelt(k, known)
		if want == "" {
			continue
		}
		if _, has := c.p.Params[want]; has {
			line, _ := c.p.Position(want)
			c.at("unknown field %q (did you mean %q? it is set on line %d too, and this value is not used)", []any{k, want, line}, k)
			continue
		}
		c.at("unknown field %q (did you mean %q?)", []any{k, want}, k)
	}
}

// readKinds decodes each published page's kind-specific fields, checks
// them, and links classes and teachers both ways.
func (s *Site) readKinds(problems *diag.List) {
	teachers := map[string]*Page{}
	for _, p := range s.Pages {
		r := p.readKind()
		for _, e := range r.problems {
			problems.Add(e)
		}
		// Each load gets its own copies: the links between classes and
		// teachers are made afresh, and an earlier site keeps its own.
		if r.reading != nil {
			v := *r.reading
			p.Reading = &v
		}
		if r.news != nil {
			v := *r.news
			p.News = &v
		}
		if r.class != nil {
			v := *r.class
			v.Speakers = nil
			p.Class = &v
		}
		if r.teacher != nil {
			v := *r.teacher
			v.Classes = nil
			p.Teacher = &v
			teachers[p.Slug] = p
		}
		if r.card != nil {
			v := *r.card
			p.Card = &v
		}
		if r.standard != nil {
			v := *r.standard
			v.Tasks = slices.Clone(v.Tasks)
			p.Standard = &v
		}
	}
	for _, p := range s.Pages {
		if p.Class == nil {
			continue
		}
		for i, slug := range p.Class.SpeakerSlugs {
			t := teachers[slug]
			if t == nil && s.unreadableTeacher(slug) {
				continue
			}
			if t == nil {
				key := []string{"speaker"}
				if _, isList := p.Params["speaker"].([]any); isList {
					key = append(key, strconv.Itoa(i))
				}
				(&checker{p: p, problems: problems}).at("speaker %q names no teacher: add content/teachers/%s.md or use one of %s", []any{slug, slug, names(teachers)}, key...)
				continue
			}
			p.Class.Speakers = append(p.Class.Speakers, t)
			t.Teacher.Classes = append(t.Teacher.Classes, p)
		}
	}
	for _, t := range teachers {
		SortByDate(t.Teacher.Classes)
	}
	for _, p := range s.Pages {
		if p.Kind == KindSection && p.Type == TypeCard {
			sortCards(p)
		}
	}
	s.checkStandardNumbers(problems)
}

// memo is what one load worked out about a parsed page that the next
// may reuse: only a Loader's loads share one.
type memo struct {
	// kind is the last kind read of the page.
	kind *kindRead
	// inSection and newest are the page's places, counted from 1, in the
	// last load's list of its section's pages and of all pages newest
	// first: sorting from the last order takes close to linear time when
	// an edit moved few pages.
	inSection, newest int
}

// kindRead is what reading a page's kind-specific front matter gave. It
// depends on the parse and on what assembly decided: the page's kind and
// type, and its bundle's files (a teacher's photo must be one of them).
type kindRead struct {
	kind      Kind
	typ       Type
	resources string
	reading   *Reading
	news      *News
	class     *Class
	teacher   *Teacher
	card      *Card
	standard  *Standard
	problems  []*diag.Error
}

// readKind reads the page's kind-specific fields, or returns what the last
// read of the same parse gave when kind, type and bundle files are the same.
func (p *Page) readKind() *kindRead {
	resources := strings.Join(p.Resources, "\x00")
	if m := p.memo; m != nil && m.kind != nil && m.kind.kind == p.Kind && m.kind.typ == p.Type && m.kind.resources == resources {
		return m.kind
	}
	var problems diag.List
	r := &kindRead{kind: p.Kind, typ: p.Type, resources: resources}
	c := &checker{p: p, problems: &problems}
	if p.Kind == KindPage {
		switch p.Type {
		case TypeReading:
			r.reading = c.reading()
		case TypeNews:
			r.news = c.news()
		case TypeClass:
			r.class = c.class()
		case TypeTeacher:
			r.teacher = c.teacher()
		case TypeCard:
			r.card = c.card()
			if p.blank {
				problems.Addf(p.File, max(p.BodyLine, 1), 1, "the card has no back: write the answer below the front matter")
			}
		case TypeStandard:
			r.standard = c.standard()
		}
	}
	c.typos()
	r.problems = problems.Problems()
	if p.memo != nil {
		p.memo.kind = r
	}
	return r
}

// unreadableTeacher reports whether slug is the file name of a teacher page
// whose front matter could not be parsed: the speaker may well be right,
// and the teacher's file is reported already.
func (s *Site) unreadableTeacher(slug string) bool {
	for file := range s.unreadable {
		rel, ok := strings.CutPrefix(file, Dir+"/teachers/")
		if !ok {
			continue
		}
		name := strings.TrimSuffix(rel, ".md")
		if path.Base(name) == "index" {
			name = path.Dir(name)
		}
		if Slugify(path.Base(name)) == slug {
			return true
		}
	}
	return false
}

func names(pages map[string]*Page) messages.Text {
	if len(pages) == 0 {
		return messages.Textf("(no teachers yet)")
	}
	out := make([]string, 0, len(pages))
	for slug := range pages {
		out = append(out, slug)
	}
	sort.Strings(out)
	return messages.Textf("%s", strings.Join(out, ", "))
}

// SortByDate orders pages newest first, then by title.
func SortByDate(pages []*Page) { orderPages(pages, false, nil) }

func (c *checker) reading() *Reading {
	fm := c.fields(KindFields(TypeReading), true)
	r := &Reading{Source: fm.text("source"), Author: fm.text("author"), Required: true}
	if o := fm.number("order"); o != nil {
		r.Order = *o
	}
	if req := fm.flag("required"); req != nil {
		r.Required = *req
	}
	if r.Order < 0 {
		c.at("order must be 1 or more", nil, "order")
	}
	return r
}

func (c *checker) news() *News {
	fm := c.fields(KindFields(TypeNews), true)
	return &News{Source: fm.text("source"), Author: fm.text("author")}
}

func (c *checker) class() *Class {
	cl := &Class{}
	fm := c.fields(KindFields(TypeClass), true)
	switch sp := fm.raw("speaker").(type) {
	case nil:
	case string:
		cl.SpeakerSlugs = []string{sp}
	case []any:
		for i, v := range sp {
			str, ok := v.(string)
			if !ok {
				c.at("speaker[%d] must be a teacher's slug", []any{i}, "speaker", strconv.Itoa(i))
				continue
			}
			cl.SpeakerSlugs = append(cl.SpeakerSlugs, str)
		}
	default:
		c.at("speaker must be a teacher's slug or a list of them", nil, "speaker")
	}
	cl.Branch, cl.Form, cl.Place = strings.TrimSpace(fm.text("branch")), fm.text("form"), fm.text("place")
	if d := fm.raw("duration"); d != nil {
		cl.Duration = fmt.Sprint(d)
	}
	if msg := longFolderName(messages.Textf("branch"), cl.Branch); msg.Format != "" {
		c.at("%s", []any{msg}, "branch")
		cl.Branch = ""
	}
	return cl
}

func (c *checker) teacher() *Teacher {
	fm := c.fields(KindFields(TypeTeacher), true)
	t := &Teacher{Position: fm.text("position"), Unit: fm.text("unit"), Level: fm.text("level"), Topics: fm.list("topics"), Photo: fm.text("photo")}
	if t.Photo != "" && !c.p.hasResource(t.Photo) {
		c.at("photo %q is not a file of this page's bundle (put it beside index.md)", []any{t.Photo}, "photo")
	}
	return t
}

func (p *Page) hasResource(name string) bool {
	for _, r := range p.Resources {
		if r == name {
			return true
		}
	}
	return false
}

func (c *checker) card() *Card {
	fm := c.fields(KindFields(TypeCard), true)
	card := &Card{Deck: strings.TrimSpace(fm.text("deck"))}
	if o := fm.number("order"); o != nil {
		card.Order = *o
	}
	return card
}

// taskFields are the keys of a standard's task.
var taskFields = fieldOf(kindFields[TypeStandard], "tasks").Fields

func (c *checker) standard() *Standard {
	fm := c.fields(KindFields(TypeStandard), true)
	st := &Standard{}
	if n := fm.number("number"); n != nil {
		st.Number = *n
	}
	// A number of the wrong type is reported by decode already.
	if _, isInt := c.p.Params["number"].(int64); st.Number < 1 && (isInt || c.p.Params["number"] == nil) {
		c.at("a standard needs a number of 1 or more", nil, "number")
	}
	seen := map[string]int{}
	for i := range fm.count("tasks") {
		key := []string{"tasks", strconv.Itoa(i)}
		task, ok := c.task(key)
		if !ok {
			continue
		}
		if first, dup := seen[task.ID]; dup {
			c.at("task id %q is used twice in this standard (first at line %d)", []any{task.ID, first}, append(key, "id")...)
			continue
		}
		seen[task.ID] = task.Line
		st.Tasks = append(st.Tasks, task)
	}
	return st
}

func (c *checker) task(key []string) (Task, bool) {
	c.failed = false
	fm := c.fields(taskFields, false, key...)
	line, _ := c.p.Position(key...)
	t := Task{ID: fm.text("id"), Title: fm.text("title"), Status: fm.text("status"), Every: fm.text("every"), Line: line}
	fail := func(format string, args []any, k ...string) {
		c.at(format, args, append(append([]string(nil), key...), k...)...)
	}
	if t.ID == "" {
		fail("every task needs an id", nil)
	}
	if t.Title == "" {
		fail("task %q needs a title", []any{t.ID})
	} else if r, ok := controlIn(t.Title); ok {
		fail("task %q: the title contains the control character %U, which no page or terminal should show: remove it", []any{t.ID, r}, "title")
		t.Title = stripControl(t.Title)
	}
	for _, d := range []struct {
		name string
		raw  any
		dst  *time.Time
	}{{"due", fm.raw("due"), &t.Due}, {"done", fm.raw("done"), &t.Done}, {"from", fm.raw("from"), &t.From}, {"to", fm.raw("to"), &t.To}} {
		v, err := ParseDate(d.raw, c.p.loc)
		if err != nil {
			fail("%s: %v", []any{messages.Field(d.name), err}, d.name)
		}
		*d.dst = v
	}
	if e := fm.sub("evidence"); e.present() {
		t.Evidence = &Evidence{Section: e.text("section"), Tags: e.list("tags"), Branch: e.text("branch"), Min: 1, Per: e.text("per")}
		if m := e.number("min"); m != nil {
			t.Evidence.Min = *m
		}
	}
	return t, !c.failed
}

func (s *Site) checkStandardNumbers(problems *diag.List) {
	seen := map[int]*Page{}
	for _, p := range s.Pages {
		if p.Standard == nil || p.Standard.Number < 1 {
			continue
		}
		if other := seen[p.Standard.Number]; other != nil {
			(&checker{p: p, problems: problems}).at("standard number %d is also the number of %s", []any{p.Standard.Number, other.File}, "number")
			continue
		}
		seen[p.Standard.Number] = p
	}
}

// sortCards orders a card section deck by deck, then by each card's order.
// Decks come in the order the section's `decks:` lists them, others after
// in order of first appearance by file name.
func sortCards(section *Page) {
	rank := map[string]int{}
	if decks, ok := section.Params["decks"].([]any); ok {
		for i, d := range decks {
			if name, ok := d.(string); ok {
				rank[name] = i
			}
		}
	}
	byFile := append([]*Page(nil), section.Pages...)
	sort.SliceStable(byFile, func(i, j int) bool { return byFile[i].File < byFile[j].File })
	for _, c := range byFile {
		if c.Card == nil {
			continue
		}
		if _, ok := rank[c.Card.Deck]; !ok {
			rank[c.Card.Deck] = len(rank) + 1000
		}
	}
	deckOf := func(p *Page) (int, int) {
		if p.Card == nil {
			return 1 << 30, 0
		}
		return rank[p.Card.Deck], p.Card.Order
	}
	sort.SliceStable(section.Pages, func(i, j int) bool {
		di, oi := deckOf(section.Pages[i])
		dj, oj := deckOf(section.Pages[j])
		if di != dj {
			return di < dj
		}
		return oi < oj
	})
}
