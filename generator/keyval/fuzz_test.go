package keyval

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// fuzzMaxInput keeps one fuzz input from taking seconds: the YAML value cap
// bounds alias expansion, but the third-party parsers are not linear in
// every pathological input, and front matter is never this long.
const fuzzMaxInput = 64 << 10

// fuzzTarget has a field of every kind the front matter and the site
// configuration decode into.
type fuzzTarget struct {
	Title   string
	Draft   bool
	Weight  int
	Count   int64
	Ratio   float64
	Tags    []string
	Date    any
	Stamp   time.Time
	Author  *string
	Print   *fuzzNested
	Menu    []fuzzNested
	Params  map[string]any
	Renamed string         `key:"url"`
	Skipped string         `key:"-"`
	Other   map[string]any `key:",remain"`
}

type fuzzNested struct {
	Name    string
	Weight  *int
	Enabled *bool
	Sizes   []float64
	Inner   struct{ Value any }
}

// strictTarget has no remain field, so every unknown key is an error with a
// position (and maybe a suggestion).
type strictTarget struct {
	Title string
	Tags  []string
	Print fuzzNested
}

var fuzzSeedsTOML = []string{
	"",
	"title = \"学习\"\ndraft = true\nweight = 3\ntags = [\"党章\", \"党规\"]\ndate = 2016-06-16\n",
	"stamp = 2016-06-16T09:32:00+08:00\ndate = 2016-06-16T09:32:00\nratio = 1.5\ncount = 9223372036854775807\n",
	"[print]\nname = \"卡片\"\nweight = 2\nsizes = [85, 54.5]\n[print.inner]\nvalue = { a = 1 }\n",
	"[[menu]]\nname = \"一\"\n[[menu]]\nname = \"二\"\nenabled = false\n[params]\n\"quoted.key\" = 1\n",
	"url = \"/a/\"\nskipped = \"x\"\ntitel = \"typo\"\n",
	"note = \"\"\"\nfake = 1\n\"\"\"\ntitle = '''\n多行'''\n",
	"title = 1\ntags = \"one\"\nweight = 1.5\nprint = 3\nmenu = [1, \"a\"]\n",
	"a = \n",
	"[a\nb = 1",
	"a.b.c = 1\na.b.d = 2\n[a.b]\n",
	"x = inf\ny = nan\nz = -0.0\nw = 0x10\nt = 07:32:00\n",
	"\ufefftitle = \"bom\"\r\ndraft = true\r\n",
}

var fuzzSeedsYAML = []string{
	"",
	"title: 学习\ndraft: true\nweight: 3\ntags: [党章, 党规]\ndate: 2016-06-16\n",
	"title: \"学习: 要点\"\ntitle2: 学习: 要点\n",
	"print:\n  name: 卡片\n  weight: 2\n  sizes: [85, 54.5]\n  inner:\n    value: {a: 1}\n",
	"menu:\n  - name: 一\n  - name: 二\n    enabled: false\nparams:\n  \"quoted.key\": 1\n",
	"base: &b {weight: 1}\nprint:\n  <<: *b\n  name: x\nalias: *missing\n",
	"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
	"a: 1\n---\nb: 2\n",
	"- one\n- two\n",
	"just a string",
	"\ttitle: tab\n",
	"title: 1\ntags: one\nweight: 1.5\nprint: 3\nmenu: [1, a]\ncount: 18446744073709551615\n",
	"x: .inf\ny: .nan\nz: -.Inf\nw: 0x10\no: 0o17\nn: ~\nt: !!str 12\nb: !!binary aGk=\n",
	"text: |\n  多行\n  文本\nfolded: >-\n  a\n  b\n",
	"? complex\n: key\n[1, 2]: flow\n",
	"title: a\rdraft: true\r",
	"{a: [b, {c: d}], e: }",
	"&x a: *x",
}

func FuzzTOML(f *testing.F) {
	for _, s := range fuzzSeedsTOML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > fuzzMaxInput {
			t.Skip()
		}
		checkParsed(t, src)(ParseTOML(src))
	})
}

func FuzzYAML(f *testing.F) {
	for _, s := range fuzzSeedsYAML {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > fuzzMaxInput {
			t.Skip()
		}
		checkParsed(t, src)(ParseYAML(src))
		checkSimpleYAML(t, src)
	})
}

// checkParsed returns a function that checks one parse result: an error
// is a positioned *Error inside the source; a document holds only the value
// types Doc promises and decodes into structs without panicking, with every
// decoding problem positioned inside the source too.
func checkParsed(t *testing.T, src []byte) func(*Doc, error) {
	lines := countLines(src)
	checkPos := func(what string, e *Error) {
		t.Helper()
		if e.Pos.Line < 1 || e.Pos.Line > lines || e.Pos.Col < 1 {
			t.Fatalf("%s at %d:%d, outside %d lines: %s\nsource %q", what, e.Pos.Line, e.Pos.Col, lines, e.Msg, src)
		}
		if e.Msg == "" {
			t.Fatalf("%s at %d:%d has no message", what, e.Pos.Line, e.Pos.Col)
		}
	}
	return func(doc *Doc, err error) {
		t.Helper()
		if err != nil {
			var ke *Error
			if !errors.As(err, &ke) {
				t.Fatalf("error %T is not a *keyval.Error: %v", err, err)
			}
			if doc != nil {
				t.Fatalf("a document and an error: %v", err)
			}
			checkPos("parse error", ke)
			return
		}
		if doc == nil || doc.Values == nil {
			t.Fatalf("no error and no document for %q", src)
		}
		checkValue(t, doc.Values, 0)
		for _, p := range doc.pos {
			if p.Line < 1 || p.Line > lines || p.Col < 1 {
				t.Fatalf("a key recorded at %d:%d, outside %d lines\nsource %q", p.Line, p.Col, lines, src)
			}
		}

		var loose fuzzTarget
		for _, e := range doc.Decode(&loose) {
			checkPos("decode error", e)
		}
		if loose.Skipped != "" {
			t.Fatalf("a key:\"-\" field was filled: %q", loose.Skipped)
		}
		for k := range loose.Other {
			if k == "title" || k == "print" || k == "url" {
				t.Fatalf("a claimed key %q reached the remain map", k)
			}
		}
		var strict strictTarget
		known := map[string]bool{"title": true, "tags": true, "print": true}
		errs := doc.Decode(&strict)
		for _, e := range errs {
			checkPos("decode error", e)
		}
		for k := range doc.Values {
			if !known[k] && len(errs) == 0 {
				t.Fatalf("unknown key %q decoded without an error", k)
			}
		}
		for _, e := range doc.Decode(&strict, "print") {
			checkPos("decode error", e)
		}
		for _, e := range doc.Decode(&strict, "menu", "0") {
			checkPos("decode error", e)
		}
	}
}

// countLines counts lines as YAML and editors do: LF, CRLF and a lone CR
// each end one.
func countLines(src []byte) int {
	return bytes.Count(src, []byte{'\n'}) + bytes.Count(src, []byte{'\r'}) - bytes.Count(src, []byte("\r\n")) + 1
}

// checkValue walks a decoded value and fails on any type outside the set
// Doc documents, which the struct decoder and templates rely on.
func checkValue(t *testing.T, v any, depth int) {
	t.Helper()
	if depth > 10_000 {
		t.Fatal("values nested deeper than 10000")
	}
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			checkValue(t, e, depth+1)
		}
	case []any:
		for _, e := range x {
			checkValue(t, e, depth+1)
		}
	case string, int64, float64, bool, time.Time, nil:
	default:
		t.Fatalf("a value of type %T: %#v", v, v)
	}
}
