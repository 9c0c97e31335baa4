package keyval

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTOMLPositions(t *testing.T) {
	src := "title = \"栏目\"\n# comment\n[print]\n  cardSize = \"85mm 54mm\"\nnote = \"\"\"\nfake = 1\n\"\"\"\n[[menu.main]]\nname = \"一\"\n[[menu.main]]\nname = \"二\"\n\"quoted key\" = 1\n"
	doc, err := ParseTOML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path []string
		want Pos
	}{
		{[]string{"title"}, Pos{1, 1}},
		{[]string{"print", "cardSize"}, Pos{4, 3}},
		{[]string{"print", "note"}, Pos{5, 1}},
		{[]string{"menu", "main", "0", "name"}, Pos{9, 1}},
		{[]string{"menu", "main", "1", "name"}, Pos{11, 1}},
		{[]string{"menu", "main", "1", "quoted key"}, Pos{12, 1}},
		{[]string{"print", "missing"}, Pos{3, 1}}, // falls back to the table
	} {
		if got := doc.Pos(c.path...); got != c.want {
			t.Errorf("Pos(%v) = %v, want %v", c.path, got, c.want)
		}
	}
	if _, ok := doc.Values["fake"]; ok {
		t.Errorf("a key inside a multi-line string was taken for a key")
	}
}

func TestYAMLPositionsAndValues(t *testing.T) {
	src := "title: 学习\ndate: 2016-06-16\ntasks:\n  - id: a\n    due: 2016-04-30\n  - id: b\n    evidence: { section: news, min: 2 }\nweight: 3\nratio: 0.5\ndraft: true\n"
	doc, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Pos("tasks", "1", "evidence", "min"); got.Line != 7 {
		t.Errorf("tasks[1].evidence.min at line %d, want 7", got.Line)
	}
	if got := doc.Pos("tasks", "0", "due"); got != (Pos{5, 5}) {
		t.Errorf("tasks[0].due at %v, want 5:5", got)
	}
	if doc.Values["title"] != "学习" || doc.Values["weight"] != int64(3) || doc.Values["ratio"] != 0.5 || doc.Values["draft"] != true {
		t.Errorf("scalars decoded wrongly: %#v", doc.Values)
	}
	if d, ok := doc.Values["date"].(string); !ok && !isTime(doc.Values["date"]) {
		t.Errorf("date decoded as %T %v", doc.Values["date"], d)
	}
}

func isTime(v any) bool { _, ok := v.(time.Time); return ok }

func TestYAMLErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      Pos
		msg       string // a part of the message
	}{
		{"duplicate key", "a: 1\na: 2\n", Pos{2, 1}, `mapping key "a" already defined`},
		{"unclosed flow list, noticed a line later", "a: [1, 2\nb: 3\n", Pos{1, 4}, "the [ here is never closed"},
		{"unclosed flow list at the end", "a: 1\nb: [1, 2\n", Pos{2, 4}, "the [ here is never closed"},
		{"unclosed mapping inside a list", "a: [1, {b: 2]\n", Pos{1, 8}, "the { here is never closed"},
		{"tab indentation", "a: 1\n\tb: 2\n", Pos{2, 1}, "YAML:"},
		{"not a mapping", "- a\n- b\n", Pos{1, 1}, "key: value"},
		{"colon in a Chinese value", "date: 2016-06-16\ntitle: 两学一做: 学习要点\n", Pos{2, 8}, `must be quoted, like title: "两学一做: 学习要点"`},
		{"key indented under a plain value", "title: 好\n  date: 2016-06-16\n", Pos{2, 3}, "indented more than the line above"},
		{"unclosed double quote", "a: 1\ntitle: \"学习\ndate: 2\n", Pos{2, 8}, `add the closing "`},
		{"reserved character", "title: @学习\n", Pos{1, 8}, "put the value in quotes"},
		{"GBK bytes", "a: 1\ntitle: 学习\xb5\xb3\xd5\xc2\n", Pos{2, 10}, "not valid UTF-8"},
		{"flow lists nested too deep", "a: 1\nb: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", Pos{2, 104}, "nested more than 100 deep"},
		{"block entries nested too deep on one line", "a:\n" + strings.Repeat("- ", 10000) + "x\n", Pos{2, 201}, "nested more than 100 deep"},
		{"mappings nested too deep by indentation", "a:\n" + nestedByIndent(150), Pos{101, 101}, "nested more than 100 deep"},
	} {
		_, err := ParseYAML([]byte(c.src))
		ke, ok := err.(*Error)
		if !ok {
			t.Errorf("%s: error %v is not positioned", c.name, err)
			continue
		}
		if ke.Pos != c.want || !strings.Contains(ke.Msg, c.msg) {
			t.Errorf("%s: %d:%d: %s; want %d:%d and %q", c.name, ke.Pos.Line, ke.Pos.Col, ke.Msg, c.want.Line, c.want.Col, c.msg)
		}
	}
}

// nestedByIndent writes n mappings each one space deeper than the last.
func nestedByIndent(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}

func TestTOMLErrors(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      Pos
		msg       string
	}{
		{"key set twice", "title = \"学习教育\"\nunit = \"县委\"\ntitle = \"又\"\n", Pos{3, 1}, "title is set twice; it was first set on line 1"},
		{"table set twice", "[build]\ndrafts = true\n[build]\nfuture = true\n", Pos{3, 1}, "build is set twice; it was first set on line 1"},
		{"unquoted Chinese text", "title = \"x\"\nunit = 中共某县委\n", Pos{2, 8}, `like unit = "中共某县委"`},
		{"table name never closed", "title = \"x\"\n[build\ndrafts = true\n", Pos{2, 7}, "to end table name, but got the end of the line"},
		{"unclosed string", "title = \"学习\nunit = \"x\"\n", Pos{1, 12}, "is the closing quote missing?"},
		{"GBK bytes", "title = \"学\xb5\xb3\"\n", Pos{1, 11}, "not valid UTF-8"},
	} {
		_, err := ParseTOML([]byte(c.src))
		ke, ok := err.(*Error)
		if !ok {
			t.Errorf("%s: error %v is not positioned", c.name, err)
			continue
		}
		if ke.Pos != c.want || !strings.Contains(ke.Msg, c.msg) {
			t.Errorf("%s: %d:%d: %s; want %d:%d and %q", c.name, ke.Pos.Line, ke.Pos.Col, ke.Msg, c.want.Line, c.want.Col, c.msg)
		}
	}
	// The parser counts columns in bytes; a line with Chinese text must
	// point where the same line in ASCII does.
	_, chinese := ParseTOML([]byte("title = \"学习\" x\n"))
	_, ascii := ParseTOML([]byte("title = \"ab\" x\n"))
	if c, a := chinese.(*Error), ascii.(*Error); c.Pos != a.Pos {
		t.Errorf("after Chinese text the column is %d, after ASCII %d", c.Pos.Col, a.Pos.Col)
	}
}

func TestYAMLAliasBombIsCapped(t *testing.T) {
	src := `a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
`
	_, err := ParseYAML([]byte(src))
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("an alias bomb was expanded: %v", err)
	}
}

type sample struct {
	Title string
	Count int
	Ratio float64
	Tags  []string
	Print struct {
		Duplex string
	}
	Items []struct {
		Name string
	}
	Rest map[string]any `key:",remain"`
}

func TestDecodeFillsAndReportsTypeErrors(t *testing.T) {
	doc, err := ParseTOML([]byte("title = \"x\"\ncount = \"many\"\ntags = [\"a\", 2]\nextra = 1\n[print]\nduplex = 3\n[[items]]\nname = \"n\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	var s sample
	errs := doc.Decode(&s)
	if s.Title != "x" || len(s.Items) != 1 || s.Items[0].Name != "n" || s.Rest["extra"] != int64(1) {
		t.Errorf("decoded %+v", s)
	}
	want := map[string]int{"count must be a whole number": 2, "tags[1] must be a string": 3, "print.duplex must be a string": 6}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(errs), len(want), errs)
	}
	for _, e := range errs {
		found := false
		for prefix, line := range want {
			if strings.HasPrefix(e.Msg, prefix) {
				found = true
				if e.Pos.Line != line {
					t.Errorf("%q at line %d, want %d", e.Msg, e.Pos.Line, line)
				}
			}
		}
		if !found {
			t.Errorf("unexpected error %q", e.Msg)
		}
	}
}

func TestDecodeUnknownKeySuggests(t *testing.T) {
	doc, _ := ParseTOML([]byte("titel = \"x\"\n[print]\nduplx = \"long\"\nzzzzzz = 1\n"))
	var s struct {
		Title string
		Print struct{ Duplex string }
	}
	errs := doc.Decode(&s)
	msgs := []string{}
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	got := strings.Join(msgs, "\n")
	for _, want := range []string{
		`1:1: unknown key "titel" (did you mean "title"?)`,
		`3:1: unknown key "print.duplx" (did you mean "duplex"?)`,
		`4:1: unknown key "print.zzzzzz"` + "\n",
	} {
		if !strings.Contains(got+"\n", want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

func TestDecodePointersAndMaps(t *testing.T) {
	doc, _ := ParseYAML([]byte("required: false\ntasks:\n  - id: a\n  - just a string\n"))
	var s struct {
		Required *bool
		Missing  *bool
		Tasks    []map[string]any
	}
	errs := doc.Decode(&s)
	if s.Required == nil || *s.Required || s.Missing != nil {
		t.Errorf("pointers: required %v, missing %v", s.Required, s.Missing)
	}
	if len(errs) != 1 || errs[0].Pos.Line != 4 || !strings.Contains(errs[0].Msg, "tasks[1] must be a table of keys") {
		t.Errorf("errors %v", errs)
	}
}

func TestMisspelt(t *testing.T) {
	known := Keys(&struct {
		Title   string
		Date    any
		Tags    []string
		URL     string         `key:"url"`
		Skipped string         `key:"-"`
		Other   map[string]any `key:",remain"`
	}{})
	if strings.Join(known, " ") != "date tags title url" {
		t.Fatalf("Keys = %v", known)
	}
	for k, want := range map[string]string{
		"titel": "title", // neighbours swapped
		"Title": "title", // letter case
		"tag":   "tags",  // a letter dropped
		"dates": "date",  // a letter added
		"data":  "date",  // a letter changed
		"URL":   "url",
		"ulr":   "", // url is too short to guess at
		"tl":    "", // too short to be a slip
		"taste": "", // two changes: another word
		"cover": "",
		"title": "title",
	} {
		if got := Misspelt(k, known); got != want {
			t.Errorf("Misspelt(%q) = %q, want %q", k, got, want)
		}
	}
}

// TOML nested past maxTOMLDepth, or with a key of more parts, is refused
// at once and at its place: the parser's time grows with the square of
// the depth. Nesting up to the cap, and TOML that only looks deep (inside
// strings and comments), still parses.
func TestTOMLNestingIsCapped(t *testing.T) {
	deep := func(open, close string, n int) string {
		return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
	}
	for name, src := range map[string]string{
		"arrays":        "title = \"x\"\nx = " + deep("[", "]", 5000) + "\n",
		"inline tables": "title = \"x\"\nx = " + deep("{a = ", "}", 5000) + "\n",
		"dotted key":    "title = \"x\"\n" + strings.Repeat("a.", 5000) + "a = 1\n",
		"table header":  "title = \"x\"\n[" + strings.Repeat("a.", 5000) + "a]\nx = 1\n",
		"mixed":         "title = \"x\"\nx = " + deep("[{a = ", "}]", 2600) + "\n",
	} {
		start := time.Now()
		_, err := ParseTOML([]byte(src))
		var ke *Error
		if !errors.As(err, &ke) || ke.Pos.Line != 2 || !strings.Contains(ke.Msg, "100") {
			t.Errorf("%s: %v, want an error on line 2 naming the cap", name, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: refused only after %v", name, took)
		}
	}
	for name, src := range map[string]string{
		"at the cap":  "x = " + deep("[", "]", maxTOMLDepth) + "\n",
		"in a string": "x = \"" + strings.Repeat("[{.", 500) + "\"\ny = '''\n" + strings.Repeat("[", 500) + "\n'''\n",
		"in comments": "# " + strings.Repeat("[{.", 500) + "\nx = 1 # " + strings.Repeat("{", 500) + "\n",
		"floats":      "x = [" + strings.Repeat("1.5, ", 500) + "2.5]\n[a.b]\nc = {d.e = 1.5, f = [1.5, {g = 2.5}]}\n",
	} {
		if _, err := ParseTOML([]byte(src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
