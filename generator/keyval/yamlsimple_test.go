package keyval

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// checkSimpleYAML fails when the simple reader takes src but reads it
// otherwise than the general parser.
func checkSimpleYAML(t *testing.T, src []byte) {
	t.Helper()
	src = bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	if CheckText(src) != nil {
		return
	}
	simple, ok := parseSimpleYAML(src)
	if !ok {
		return
	}
	full, err := parseFullYAML(src)
	if err != nil {
		t.Fatalf("%q: the simple reader took what the parser refuses: %v", src, err)
	}
	if !reflect.DeepEqual(simple.Values, full.Values) {
		t.Fatalf("%q:\nsimple %#v\n  full %#v", src, simple.Values, full.Values)
	}
	if !reflect.DeepEqual(simple.pos, full.pos) {
		t.Fatalf("%q: positions\nsimple %v\n  full %v", src, simple.pos, full.pos)
	}
}

// simplePieces are values in and around what the simple reader takes.
var simplePieces = []string{
	`学习`, `三会一课`, `学习 教育`, `党章, 党规`, `"县妇联开展先进典型宣讲"`, `"学习: 要点"`, `'单引号'`, `"a\\"b"`, `'it''s'`,
	`2016-06-08`, `false`, `FALSE`, `2016-06-18 08:30`, `2021-01-13T05:38:00+08:00`, `2016-06-08T09:00:00Z`, `2016-6-8`, `2016-06-08 8:30`,
	`county`, `photo.png`, `/readings/a/`, `a-b_c`, `true`, `True`, `no`, `NULL`, `null`, `~`, `y`, `Off`, `.inf`, `NaN`,
	`0`, `3`, `42`, `007`, `-1`, `1.5`, `1e3`, `0x10`, `123456789012345678`, `1234567890123456789`,
	`[党章, 党规]`, `[]`, `[a, b]`, `[1, 2]`, `[学习,教育]`, `[ 学习 ]`, `[学习, [嵌套]]`, `["引号", 学习]`, `[true, 学习]`,
	`学习 # 注释`, `学习 `, ` 学习`, `-学习`, `?学习`, `*学习`, `&学习`, `!学习`, `学习:要点`, "学\u0085习", "学\u2028习", "\ufeff学",
	`é`, `Å`, "\u00a0学", `ｔｒｕｅ`, `１２`, `—`, `学习]`, `{a: 1}`, `|`, `>`, ``,
}

var simpleKeys = []string{"title", "date", "tags", "weight", "a_b", "x1", "true", "null", "Yes", "on", "_x", "1a", "a-b", "标题", "a b"}

func TestSimpleYAMLAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	took := 0
	for range 30000 {
		var b strings.Builder
		for range 1 + rng.IntN(5) {
			switch rng.IntN(12) {
			case 0:
				b.WriteString("\n")
			case 1:
				b.WriteString("# 注释\n")
			case 2:
				b.WriteString("  indented: 1\n")
			default:
				b.WriteString(simpleKeys[rng.IntN(len(simpleKeys))] + ": " + simplePieces[rng.IntN(len(simplePieces))] + "\n")
			}
		}
		src := []byte(b.String())
		if _, ok := parseSimpleYAML(src); ok {
			took++
		}
		checkSimpleYAML(t, src)
	}
	// The reader must take the usual front matter, or it saves nothing.
	if took < 1000 {
		t.Errorf("the simple reader took only %d of 30000 documents", took)
	}
}

// TestSimpleYAMLTakesTheExample reads the example column's front matter:
// the simple reader must agree with the parser on all it takes, and take
// most of it.
func TestSimpleYAMLTakesTheExample(t *testing.T) {
	root := filepath.Join("..", "..", "content")
	files, took := 0, 0
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		parts := strings.SplitN(string(data), "---\n", 3)
		if len(parts) < 3 || parts[0] != "" {
			return nil
		}
		files++
		if _, ok := parseSimpleYAML([]byte(parts[1])); ok {
			took++
		}
		checkSimpleYAML(t, []byte(parts[1]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 || took < files/2 {
		t.Errorf("the simple reader took %d of %d front matters", took, files)
	}
	t.Logf("the simple reader took %d of %d front matters", took, files)
}

// frontMatter is a news page's front matter, as most pages have it.
const frontMatter = "title: \"县妇联开展先进典型宣讲\"\ndate: 2021-01-13T05:38:00+08:00\ntags: [系列讲话, 三会一课, 乡村振兴]\n"

// BenchmarkParseYAML reads typical front matter the way ParseYAML does
// (simple) and with the general parser it falls back on (full).
func BenchmarkParseYAML(b *testing.B) {
	for _, bc := range []struct {
		name  string
		parse func([]byte) (*Doc, error)
	}{
		{"simple", ParseYAML},
		{"full", parseFullYAML},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.parse([]byte(frontMatter)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
