package content

import (
	"reflect"
	"strconv"
	"strings"
	"sync"

	"lanmu/generator/diag"
	"lanmu/generator/keyval"
	"lanmu/generator/messages"
)

// FieldType is what a front matter value is. It says both how the checker
// reads the value and how the editor's form asks for it, so that the two
// never disagree about a kind's fields.
type FieldType string

// The field types.
const (
	FieldText     FieldType = "text"     // one line of text
	FieldLongText FieldType = "longtext" // a paragraph (a summary)
	FieldNumber   FieldType = "number"   // a whole number
	FieldBool     FieldType = "bool"     // yes or no
	FieldDate     FieldType = "date"     // a day, or a moment
	FieldChoice   FieldType = "choice"   // one of Field.Choices
	FieldTags     FieldType = "tags"     // a list of the site's tags
	FieldList     FieldType = "list"     // a list of short texts
	FieldTeachers FieldType = "teachers" // teacher slugs: one, or a list
	FieldPhoto    FieldType = "photo"    // a file of the page's bundle
	FieldGroup    FieldType = "group"    // a list of records of Field.Fields
	FieldRecord   FieldType = "record"   // one record of Field.Fields
)

// Field is one front matter key of a content kind.
type Field struct {
	Key  string
	Type FieldType
	// Choices are a choice field's values, in the order a form offers them.
	Choices []string
	// Fields are the keys of a group's records, or of a record.
	Fields []Field
	// Required fields are reported when missing (a task's id and title, a
	// standard's number); a form marks them.
	Required bool
	// Loose fields take any single value and read it as text: a class's
	// duration may be written 90 or "90分钟".
	Loose bool
	// Rare fields are ones few pages set; a form folds them away.
	Rare bool
	// Default is the value a page has when the key is not written: a
	// reading is required unless it says otherwise.
	Default any
}

// CommonFields are the keys every page may carry, in the order a form shows
// them. The loader decodes them with its own struct, frontMatter, for
// speed; a test holds the two to the same keys.
var CommonFields = []Field{
	{Key: "title", Type: FieldText, Required: true},
	{Key: "date", Type: FieldDate},
	{Key: "draft", Type: FieldBool},
	{Key: "summary", Type: FieldLongText},
	{Key: "tags", Type: FieldTags},
	{Key: "weight", Type: FieldNumber, Rare: true},
	{Key: "slug", Type: FieldText, Rare: true},
	{Key: "url", Type: FieldText, Rare: true},
	{Key: "aliases", Type: FieldList, Rare: true},
	{Key: "lastmod", Type: FieldDate, Rare: true},
	{Key: "publishDate", Type: FieldDate, Rare: true},
	{Key: "expiryDate", Type: FieldDate, Rare: true},
	{Key: "type", Type: FieldText, Rare: true},
	{Key: "layout", Type: FieldText, Rare: true},
}

// Forms are the ways a party class may be given.
var Forms = []string{"leader", "expert", "model", "secretary", "member"}

// Levels are the levels a teacher may teach at.
var Levels = []string{"province", "city", "county", "grassroots"}

// TaskStatuses are the statuses a task may declare.
var TaskStatuses = []string{"done", "in-progress", "not-started"}

// Periods are the recurrences a task may have.
var Periods = []string{"month", "quarter", "year"}

// kindFields are each column kind's own keys: what its checker reads and
// what the editor's form for it asks.
var kindFields = map[Type][]Field{
	TypeReading: {
		{Key: "source", Type: FieldText},
		{Key: "author", Type: FieldText},
		{Key: "required", Type: FieldBool, Default: true},
		{Key: "order", Type: FieldNumber},
	},
	TypeNews: {
		{Key: "source", Type: FieldText},
		{Key: "author", Type: FieldText},
	},
	TypeClass: {
		{Key: "speaker", Type: FieldTeachers},
		{Key: "branch", Type: FieldText},
		{Key: "form", Type: FieldChoice, Choices: Forms},
		{Key: "duration", Type: FieldText, Loose: true},
		{Key: "place", Type: FieldText},
	},
	TypeTeacher: {
		{Key: "position", Type: FieldText},
		{Key: "unit", Type: FieldText},
		{Key: "level", Type: FieldChoice, Choices: Levels},
		{Key: "topics", Type: FieldList},
		{Key: "photo", Type: FieldPhoto},
	},
	TypeCard: {
		{Key: "deck", Type: FieldText},
		{Key: "order", Type: FieldNumber},
	},
	TypeStandard: {
		{Key: "number", Type: FieldNumber, Required: true},
		{Key: "tasks", Type: FieldGroup, Fields: []Field{
			{Key: "id", Type: FieldText, Required: true},
			{Key: "title", Type: FieldText, Required: true},
			{Key: "due", Type: FieldDate},
			{Key: "status", Type: FieldChoice, Choices: TaskStatuses},
			{Key: "done", Type: FieldDate},
			{Key: "every", Type: FieldChoice, Choices: Periods},
			{Key: "from", Type: FieldDate},
			{Key: "to", Type: FieldDate},
			{Key: "evidence", Type: FieldRecord, Fields: []Field{
				{Key: "section", Type: FieldText},
				{Key: "tags", Type: FieldTags},
				{Key: "branch", Type: FieldText},
				{Key: "min", Type: FieldNumber},
				{Key: "per", Type: FieldChoice, Choices: []string{"branch"}},
			}},
		}},
	},
}

// KindFields are the keys a page of type t may carry: the common ones, then
// its kind's own. The slice is shared: do not change it.
func KindFields(t Type) []Field {
	if f, ok := allFields[t]; ok {
		return f
	}
	return CommonFields
}

// allFields are KindFields' answers, made once, so that each kind's record
// type is made once too.
var allFields = func() map[Type][]Field {
	all := map[Type][]Field{}
	for t, own := range kindFields {
		all[t] = append(CommonFields[:len(CommonFields):len(CommonFields)], own...)
	}
	return all
}()

// fieldOf is the field of fields with the key.
func fieldOf(fields []Field, key string) Field {
	for _, f := range fields {
		if f.Key == key {
			return f
		}
	}
	panic("content: no field " + key)
}

// fieldKeys are the keys of fields.
func fieldKeys(fields []Field) []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.Key
	}
	return keys
}

// record is front matter decoded by a list of fields: a struct made from
// the fields, one member each, so that keyval reports a value of the wrong
// type exactly as it does for the loader's own structs.
type record struct {
	v      reflect.Value // the struct, or invalid when the record is absent
	fields []Field
}

// recordTypes are the structs made for lists of fields, made once each.
var recordTypes sync.Map // *Field list's first element → reflect.Type

// recordType is the struct that decodes fields; remain adds a member for
// the keys no field claims, which a page keeps as params.
func recordType(fields []Field, remain bool) reflect.Type {
	type cacheKey struct {
		first  *Field
		remain bool
	}
	key := cacheKey{&fields[0], remain}
	if t, ok := recordTypes.Load(key); ok {
		return t.(reflect.Type)
	}
	members := make([]reflect.StructField, 0, len(fields)+1)
	for i, f := range fields {
		members = append(members, reflect.StructField{
			Name: "F" + strconv.Itoa(i),
			Type: goType(f),
			Tag:  reflect.StructTag(`key:"` + f.Key + `"`),
		})
	}
	if remain {
		members = append(members, reflect.StructField{Name: "Other", Type: reflect.TypeFor[map[string]any](), Tag: `key:",remain"`})
	}
	t := reflect.StructOf(members)
	recordTypes.Store(key, t)
	return t
}

// goType is the type a field's value is decoded into. Numbers and booleans
// are pointers, so that an absent one is told from zero.
func goType(f Field) reflect.Type {
	switch {
	case f.Loose:
		return reflect.TypeFor[any]()
	case f.Type == FieldNumber:
		return reflect.TypeFor[*int]()
	case f.Type == FieldBool:
		return reflect.TypeFor[*bool]()
	case f.Type == FieldDate || f.Type == FieldTeachers:
		return reflect.TypeFor[any]()
	case f.Type == FieldTags || f.Type == FieldList:
		return reflect.TypeFor[[]string]()
	case f.Type == FieldGroup:
		return reflect.TypeFor[[]map[string]any]()
	case f.Type == FieldRecord:
		return reflect.PointerTo(recordType(f.Fields, false))
	}
	return reflect.TypeFor[string]()
}

// member is the decoded value of key, or an invalid Value when the record
// has no such field or is absent.
func (r record) member(key string) reflect.Value {
	if !r.v.IsValid() {
		return reflect.Value{}
	}
	for i, f := range r.fields {
		if f.Key == key {
			return r.v.Field(i)
		}
	}
	panic("content: no field " + key)
}

func (r record) text(key string) string {
	if m := r.member(key); m.IsValid() {
		return m.String()
	}
	return ""
}

func (r record) number(key string) *int {
	if m := r.member(key); m.IsValid() && !m.IsNil() {
		return m.Interface().(*int)
	}
	return nil
}

func (r record) flag(key string) *bool {
	if m := r.member(key); m.IsValid() && !m.IsNil() {
		return m.Interface().(*bool)
	}
	return nil
}

func (r record) raw(key string) any {
	if m := r.member(key); m.IsValid() {
		return m.Interface()
	}
	return nil
}

func (r record) list(key string) []string {
	if m := r.member(key); m.IsValid() {
		return m.Interface().([]string)
	}
	return nil
}

func (r record) count(key string) int {
	if m := r.member(key); m.IsValid() {
		return m.Len()
	}
	return 0
}

// sub is the record a record field holds.
func (r record) sub(key string) record {
	out := record{fields: fieldOf(r.fields, key).Fields}
	if m := r.member(key); m.IsValid() && !m.IsNil() {
		out.v = m.Elem()
	}
	return out
}

// present reports whether the record was written at all.
func (r record) present() bool { return r.v.IsValid() }

// fields decodes the front matter at path by the fields, reporting every
// value of the wrong type where it was written, then every choice that is
// not one of its field's.
func (c *checker) fields(fields []Field, remain bool, path ...string) record {
	v := reflect.New(recordType(fields, remain))
	if len(path) == 0 {
		c.keys = fieldKeys(fields)
	}
	if c.p.fm != nil {
		for _, e := range c.p.fm.Decode(v.Interface(), path...) {
			c.problems.Add(diag.At(c.p.File, e.Pos.Line+c.p.fmLine-1, e.Pos.Col, e.Text))
			c.failed = true
		}
	}
	r := record{v: v.Elem(), fields: fields}
	c.choices(r, path)
	return r
}

// choices reports each choice of r, and of the records in it, that is not
// one its field offers.
func (c *checker) choices(r record, path []string) {
	if !r.present() {
		return
	}
	for _, f := range r.fields {
		switch f.Type {
		case FieldChoice:
			v := r.text(f.Key)
			if v != "" && !oneOf(v, f.Choices) {
				key := append(append([]string(nil), path...), f.Key)
				c.at("%s %q is not one of %s", []any{messages.Field(keyval.KeyName(ownPart(key))), v, strings.Join(f.Choices, ", ")}, key...)
			}
		case FieldRecord:
			c.choices(r.sub(f.Key), append(append([]string(nil), path...), f.Key))
		}
	}
}

// ownPart is the part of a key path after its last list index: a task's
// status is named "status", as the editor wrote it, not "tasks[2].status".
func ownPart(path []string) []string {
	for i := len(path) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(path[i]); err == nil {
			return path[i+1:]
		}
	}
	return path
}
