package frontedit

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// front is a file's front matter parsed by lanmu's own parser, the oracle
// of every test here: what an edit wrote must read back as asked.
func front(t *testing.T, file []byte) map[string]any {
	t.Helper()
	text := strings.ReplaceAll(strings.TrimPrefix(string(file), "\uFEFF"), "\r\n", "\n")
	f, err := split([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := f.parse(f.front)
	if err != nil {
		t.Fatalf("the edited front matter does not parse: %v\n%s", err, file)
	}
	return doc.Values
}

// changedLines lists the lines of b that a does not have at the same
// place, by a longest-common-subsequence diff.
func changedLines(a, b string) (removed, added []string) {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i++
			j++
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			added = append(added, y[j])
			j++
		default:
			removed = append(removed, x[i])
			i++
		}
	}
	return removed, added
}

const yamlPage = "---\n" +
	"# 学习文章\n" +
	"title: 学党章\n" +
	"date: 2016-05-01   # 发布日期\n" +
	"tags:\n" +
	"    - 党章\n" +
	"    - 学习\n" +
	"\n" +
	"# 作者和来源\n" +
	"author: \"张三\"\n" +
	"source: 某某县委组织部\n" +
	"required: true\n" +
	"params:\n" +
	"  color: red\n" +
	"---\n" +
	"\n正文。\n"

const tomlPage = "+++\n" +
	"# 学习文章\n" +
	"title = \"学党章\"\n" +
	"date = 2016-05-01  # 发布日期\n" +
	"tags = [\n" +
	"  \"党章\",\n" +
	"  \"学习\",\n" +
	"]\n" +
	"\n" +
	"author = '张三'\n" +
	"\n" +
	"[params]\n" +
	"color = \"red\"\n" +
	"+++\n" +
	"正文。\n"

// Each change rewrites the lines of its key and no other, keeps the
// comment after a one-line value and a block list's indentation, and reads
// back as asked while every other key reads as before.
func TestSetChangesOnlyItsKey(t *testing.T) {
	tricky := []string{"含: 冒号", "带 # 井号", " 前后空格 ", "yes", "123", "2016-05-01", "null", "引号\"和'撇号", "反斜杠\\", "两行\n文字", "- 开头", "[方括号]", "逗号, 分隔", "*星号", "~", ""}
	for _, page := range []struct{ name, text string }{{"yaml", yamlPage}, {"toml", tomlPage}} {
		for _, c := range []struct {
			name    string
			change  Change
			removed []string // the old lines the change must replace, exactly
		}{
			{"title", Change{"title", "学好党章党规"}, []string{"title"}},
			{"date keeps its comment", Change{"date", time.Date(2016, 6, 2, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))}, []string{"date"}},
			{"tags", Change{"tags", []string{"党章", "党规", "讲话"}}, []string{"tags"}},
			{"no tags", Change{"tags", []string{}}, []string{"tags"}},
			{"remove author", Change{"author", nil}, []string{"author"}},
			{"a bool", Change{"required", false}, []string{"required"}},
			{"a new key", Change{"weight", 3}, nil},
		} {
			t.Run(page.name+"/"+c.name, func(t *testing.T) {
				before := front(t, []byte(page.text))
				if _, ok := before[c.change.Key]; !ok && c.removed != nil && page.name == "toml" {
					t.Skip("the TOML page has no such key")
				}
				out, err := Set([]byte(page.text), c.change)
				if err != nil {
					t.Fatal(err)
				}
				after := front(t, out)
				for k, v := range before {
					if k != c.change.Key && !reflect.DeepEqual(after[k], v) {
						t.Errorf("%s changed from %#v to %#v", k, v, after[k])
					}
				}
				if c.change.Value == nil {
					if _, ok := after[c.change.Key]; ok {
						t.Errorf("%s is still there", c.change.Key)
					}
				} else if !equalValues(after[c.change.Key], asRead(c.change.Value)) {
					t.Errorf("%s reads %#v, want %#v", c.change.Key, after[c.change.Key], c.change.Value)
				}
				removed, _ := changedLines(page.text, string(out))
				for _, line := range removed {
					if !strings.HasPrefix(strings.TrimLeft(line, " "), c.change.Key) && !startsListItem(line) {
						t.Errorf("the change to %s also rewrote %q:\n%s", c.change.Key, line, out)
					}
				}
				for _, keep := range []string{"# 学习文章", "# 发布日期", "正文。"} {
					if !strings.Contains(string(out), keep) {
						t.Errorf("%q was lost:\n%s", keep, out)
					}
				}
				if c.name == "tags" && page.name == "yaml" && !strings.Contains(string(out), "\n    - 讲话\n") {
					t.Errorf("the block list lost its indentation:\n%s", out)
				}
				if c.name == "a new key" && page.name == "toml" && strings.Index(string(out), "weight") > strings.Index(string(out), "[params]") {
					t.Errorf("the new key went into the table [params]:\n%s", out)
				}
			})
		}
		t.Run(page.name+"/tricky text", func(t *testing.T) {
			for _, s := range tricky {
				out, err := Set([]byte(page.text), Change{"title", s}, Change{"tags", []string{s, "甲"}})
				if err != nil {
					t.Errorf("%q: %v", s, err)
					continue
				}
				after := front(t, out)
				if after["title"] != s || !reflect.DeepEqual(after["tags"], []any{s, "甲"}) {
					t.Errorf("%q reads back as %#v and %#v:\n%s", s, after["title"], after["tags"], out)
				}
			}
		})
	}
}

func startsListItem(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "\"") || t == "]"
}

// An edit that changes nothing leaves the file's bytes as they were, line
// ends, byte order mark and all; CRLF files keep CRLF.
func TestSetKeepsTheFileAsWritten(t *testing.T) {
	crlf := "\uFEFF" + strings.ReplaceAll(yamlPage, "\n", "\r\n")
	out, err := Set([]byte(crlf), Change{"title", "学党章"})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != crlf {
		t.Errorf("setting a key to its value changed the file:\n%q\n%q", crlf, out)
	}
	out, err = Set([]byte(crlf), Change{"source", "县委"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "\uFEFF---\r\n") || strings.Count(string(out), "\n") != strings.Count(string(out), "\r\n") {
		t.Errorf("the CRLF file came back with other line ends:\n%q", out)
	}
}

// A file without front matter gets a YAML block before its text.
func TestSetAddsFrontMatter(t *testing.T) {
	out, err := Set([]byte("正文。\n"), Change{"title", "新文章"}, Change{"date", time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "---\ntitle: 新文章\ndate: 2016-05-01\n---\n正文。\n"; string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A table is not edited as a value, and front matter that does not parse
// is not touched: both are refused, not guessed at.
func TestSetRefusesWhatItCannotEditSafely(t *testing.T) {
	for _, c := range []struct {
		name, file string
		change     Change
	}{
		{"a table", yamlPage, Change{"params", "x"}},
		{"broken YAML", "---\ntitle: [甲\n---\n", Change{"title", "乙"}},
		{"unclosed", "---\ntitle: 甲\n", Change{"title", "乙"}},
		{"a key with a dot", yamlPage, Change{"a.b", "乙"}},
		{"a value of another kind", yamlPage, Change{"title", map[string]any{"a": 1}}},
	} {
		if out, err := Set([]byte(c.file), c.change); err == nil {
			t.Errorf("%s: no error, and wrote\n%s", c.name, out)
		}
	}
}

// Every page of the example column can have each of its top-level keys
// set to the value it has, and then to another, and reads back as asked
// with its other keys as they were.
func TestSetOnTheExampleColumn(t *testing.T) {
	var files []string
	filepath.WalkDir("../../content", func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if len(files) < 50 {
		t.Fatalf("found %d pages", len(files))
	}
	edits := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		before := front(t, src)
		for key, v := range before {
			var change Change
			switch v := v.(type) {
			case string:
				change = Change{key, v + "（改）"}
			case bool:
				change = Change{key, !v}
			case int64:
				change = Change{key, v + 1}
			case time.Time:
				change = Change{key, v.AddDate(0, 0, 1)}
			case []any:
				var list []string
				for _, item := range v {
					if s, ok := item.(string); ok {
						list = append(list, s)
					}
				}
				if len(list) != len(v) {
					continue // a list of tables: a standard's tasks
				}
				change = Change{key, append(list, "新")}
			default:
				continue
			}
			out, err := Set(src, change)
			if err != nil {
				t.Errorf("%s: setting %s: %v", name, key, err)
				continue
			}
			edits++
			after := front(t, out)
			if !equalValues(after[key], asRead(change.Value)) {
				t.Errorf("%s: %s reads %#v, want %#v", name, key, after[key], change.Value)
			}
			for k, old := range before {
				if k != key && !reflect.DeepEqual(after[k], old) {
					t.Errorf("%s: setting %s changed %s", name, key, k)
				}
			}
			if !strings.HasSuffix(string(out), string(bodyOf(t, src))) {
				t.Errorf("%s: setting %s changed the text", name, key)
			}
		}
	}
	if edits < 200 {
		t.Errorf("only %d edits made", edits)
	}
}

func bodyOf(t *testing.T, src []byte) []byte {
	t.Helper()
	f, err := split(src)
	if err != nil {
		t.Fatal(err)
	}
	return f.body
}

// A standard's tasks are a list of records. Writing them keeps the key's
// other neighbours, the comments before the first task and each task's
// own comments, and reads back as set.
func TestSetTasks(t *testing.T) {
	src := "---\nnumber: 3\ntitle: 标准三\ntasks:\n  # 每项任务要有 id。\n  - id: task-1\n    title: 旧任务\n    due: 2026-12-31\n    # 做完后写 status: done\ndraft: true  # 草稿\n---\n\n正文\n"
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	tasks := []Record{
		{{Key: "id", Value: "study"}, {Key: "title", Value: "学习: 第一次"}, {Key: "due", Value: due}, {Key: "status", Value: nil}},
		{{Key: "id", Value: "report"}, {Key: "title", Value: "每月报告"}, {Key: "every", Value: "month"},
			{Key: "from", Value: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
			{Key: "evidence", Value: Record{{Key: "section", Value: "news"}, {Key: "tags", Value: []string{"月报", "a,b"}}, {Key: "min", Value: 2}}}},
	}
	got, err := Set([]byte(src), Change{Key: "tasks", Value: tasks})
	if err != nil {
		t.Fatal(err)
	}
	want := "---\nnumber: 3\ntitle: 标准三\ntasks:\n  # 每项任务要有 id。\n  - id: study\n    title: \"学习: 第一次\"\n    due: 2027-03-31\n    # 做完后写 status: done\n" +
		"  - id: report\n    title: 每月报告\n    every: month\n    from: 2027-01-01\n    evidence:\n      section: news\n      tags: [月报, \"a,b\"]\n      min: 2\ndraft: true  # 草稿\n---\n\n正文\n"
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	read := front(t, got)["tasks"].([]any)
	if ev := read[1].(map[string]any)["evidence"].(map[string]any); ev["min"] != int64(2) || len(ev["tags"].([]any)) != 2 {
		t.Fatalf("evidence read back as %#v", ev)
	}

	// TOML: an array of inline tables, placed before the first table.
	toml := "+++\ntitle = \"标准\"\nnumber = 1\n\n[params]\nx = 1\n+++\n正文\n"
	got, err = Set([]byte(toml), Change{Key: "tasks", Value: tasks[1:]})
	if err != nil {
		t.Fatal(err)
	}
	want = "+++\ntitle = \"标准\"\nnumber = 1\ntasks = [\n  { id = \"report\", title = \"每月报告\", every = \"month\", from = 2027-01-01, evidence = { section = \"news\", tags = [\"月报\", \"a,b\"], min = 2 } },\n]\n\n[params]\nx = 1\n+++\n正文\n"
	if string(got) != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// Tasks written as [[tasks]] tables are not rewritten.
	tables := "+++\ntitle = \"标准\"\n\n[[tasks]]\nid = \"a\"\ntitle = \"A\"\n+++\n"
	if _, err := Set([]byte(tables), Change{Key: "tasks", Value: tasks}); err == nil {
		t.Fatal("[[tasks]] tables were rewritten")
	}
	// No tasks at all.
	got, err = Set([]byte(src), Change{Key: "tasks", Value: []Record{}})
	if err != nil || !strings.Contains(string(got), "tasks: []\ndraft") {
		t.Fatalf("%v\n%s", err, got)
	}
}
