package content

import (
	"slices"
	"testing"
	"time"

	"lanmu/generator/keyval"
)

// The loader decodes the common keys with its own struct; the model the
// editor's forms are made from must name the same keys.
func TestCommonFieldsAreTheLoadersKeys(t *testing.T) {
	model := fieldKeys(CommonFields)
	slices.Sort(model)
	if loader := keyval.Keys(&frontMatter{}); !slices.Equal(model, loader) {
		t.Fatalf("CommonFields has %v, the loader reads %v", model, loader)
	}
}

// Every field the model gives a kind is read by its checker: a value of
// the wrong type is reported at its key, for every kind and field.
func TestEveryModelFieldIsChecked(t *testing.T) {
	wrong := map[FieldType]string{
		FieldText: "[1, 2]", FieldLongText: "[1, 2]", FieldNumber: `"many"`, FieldBool: `"often"`,
		FieldChoice: `"nonsense"`, FieldTags: "{a: 1}", FieldList: "{a: 1}", FieldPhoto: `"missing.jpg"`,
		FieldTeachers: "{a: 1}", FieldGroup: `"one"`, FieldRecord: `"one"`,
	}
	for _, typ := range ColumnTypes {
		for _, f := range kindFields[typ] {
			if f.Loose {
				continue
			}
			src := "---\ntitle: T\n" + f.Key + ": " + wrong[f.Type] + "\n---\nbody\n"
			if typ == TypeStandard && f.Key != "number" {
				src = "---\ntitle: T\nnumber: 1\n" + f.Key + ": " + wrong[f.Type] + "\n---\nbody\n"
			}
			problems := kindProblems(t, typ, src)
			if len(problems) == 0 {
				t.Errorf("%s: %s: %s was taken without a word", typ, f.Key, wrong[f.Type])
			}
		}
	}
	// A task's fields, and its evidence's.
	for _, f := range taskFields {
		if f.Type == FieldRecord {
			for _, e := range f.Fields {
				src := "---\ntitle: T\nnumber: 1\ntasks:\n  - id: a\n    title: A\n    due: 2026-01-01\n    evidence:\n      " + e.Key + ": " + wrong[e.Type] + "\n---\nbody\n"
				if len(kindProblems(t, TypeStandard, src)) == 0 {
					t.Errorf("evidence.%s: %s was taken", e.Key, wrong[e.Type])
				}
			}
			continue
		}
		value := wrong[f.Type]
		if f.Type == FieldDate {
			value = `"the day after"`
		}
		src := "---\ntitle: T\nnumber: 1\ntasks:\n  - id: a\n    title: A\n    " + f.Key + ": " + value + "\n---\nbody\n"
		if f.Key == "id" || f.Key == "title" {
			src = "---\ntitle: T\nnumber: 1\ntasks:\n  - " + f.Key + ": " + value + "\n---\nbody\n"
		}
		if len(kindProblems(t, TypeStandard, src)) == 0 {
			t.Errorf("tasks[0].%s: %s was taken", f.Key, value)
		}
	}
}

// kindProblems are the problems reading a page of the type reports.
func kindProblems(t *testing.T, typ Type, src string) []string {
	t.Helper()
	fm, _, _, _, _, err := split([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := decode(fm, "yaml")
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	p := &Page{File: "content/x/a.md", Kind: KindPage, Type: typ, Params: doc.Values, fm: doc, fmLine: 2, loc: time.UTC}
	var out []string
	for _, e := range p.readKind().problems {
		out = append(out, e.Error())
	}
	return out
}
