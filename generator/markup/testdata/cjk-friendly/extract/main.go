//go:build ignore

// Command extract writes cases.json from a checkout or bare mirror of
// https://github.com/tats-u/markdown-cjk-friendly.
//
// Upstream tests render whole files and compare them with vitest snapshots,
// so the files are split here into one case per paragraph: paragraph i of
// the input pairs with line i of the snapshot, which holds one <p> per
// paragraph. The micromark snapshots are the reference; the markdown-it and
// remark snapshots of the same files must agree with them line for line.
//
//	go run extract/main.go -git-dir /path/to/markdown-cjk-friendly/.git -rev HEAD > cases.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strings"
)

// Case is one entry of cases.json.
type Case struct {
	ID       string `json:"id"`
	File     string `json:"file"`  // upstream path of the Markdown
	Line     int    `json:"line"`  // 1-based line of the paragraph in File
	Index    int    `json:"index"` // 1-based paragraph number in File
	GFM      bool   `json:"gfm"`   // expected output made with GFM and the CJK-friendly strikethrough
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
}

type snap struct{ file, key string }

type source struct {
	file   string // upstream Markdown
	readme bool   // take the ```md block of a README
	gfm    bool
	ref    snap   // expected output
	checks []snap // other implementations that must agree
}

const (
	mm      = "packages/micromark-extension-cjk-friendly/test/__snapshots__/micromark.spec.ts.snap"
	mmS     = "packages/micromark-extension-cjk-friendly-gfm-strikethrough/test/__snapshots__/micromarkStrikethrough.spec.ts.snap"
	mdit    = "packages/markdown-it-cjk-friendly/test/__snapshots__/markdownIt.spec.ts.snap"
	remark  = "packages/remark-cjk-friendly/test/__snapshots__/remark.spec.ts.snap"
	remarkS = "packages/remark-cjk-friendly-gfm-strikethrough/test/__snapshots__/remarkStrikethrough.spec.ts.snap"
)

func sources() []source {
	var out []source
	for _, s := range []struct{ file, test string }{
		{"testcases/strong.md", "** around Kana/Han is converted to <strong>"},
		{"testcases/korean.md", "** around Korean is converted to <strong>"},
		{"testcases/pseudo-emoji.md", "** around pseudo-emoji (CJK symbols that are also unqualified-emoji) is converted to <strong>"},
		{"testcases/non-bmp.md", "recognizes non-BMP punctuation and symbols"},
		{"testcases/underscore-cjk-punct.md", "process underscores around CJK punctuation"},
		{"packages/micromark-extension-cjk-friendly/README.md", "Example Markdown in README"},
	} {
		out = append(out, source{
			file:   s.file,
			readme: strings.HasSuffix(s.file, "README.md"),
			ref:    snap{mm, "micromark-extensions-cjk-friendly > " + s.test + " 1"},
			checks: []snap{
				{mdit, "markdown-it-cjk-friendly > " + s.test + " 1"},
				{remark, "remark-cjk-friendly > " + s.test + " 1"},
			},
		})
	}
	// gfm-non-cjk.md has no stored output (upstream compares it with plain
	// GFM at run time) and commonmark.json is the CommonMark spec's own
	// suite, so neither is part of this one.
	out = append(out, source{
		file:   "testcases/gfm-strikethrough.md",
		gfm:    true,
		ref:    snap{mmS, "micromark-extension-gfm-strikethrough > Compatible with CJK 1"},
		checks: []snap{{remarkS, "remark-cjk-friendly-gfm-strikethrough > Compatible with CJK 1"}},
	})
	return out
}

var (
	gitDir = flag.String("git-dir", "", "git directory of markdown-cjk-friendly")
	rev    = flag.String("rev", "HEAD", "revision to read")
)

func show(path string) string {
	out, err := exec.Command("git", "--git-dir", *gitDir, "show", *rev+":"+path).Output()
	if err != nil {
		log.Fatalf("git show %s: %v", path, err)
	}
	return string(out)
}

// snapshot returns the string stored under key: vitest writes it as a
// template literal holding a double-quoted string, with \, ` and ${
// escaped by a backslash.
func snapshot(s snap) string {
	text := show(s.file)
	start := "exports[`" + s.key + "`] = `\n\""
	i := strings.Index(text, start)
	if i < 0 {
		log.Fatalf("%s: no snapshot %q", s.file, s.key)
	}
	var b strings.Builder
	for j := i + len(start); ; j++ {
		if j >= len(text) {
			log.Fatalf("%s: unterminated snapshot %q", s.file, s.key)
		}
		switch c := text[j]; c {
		case '\\':
			j++
			b.WriteByte(text[j])
		case '`':
			v, ok := strings.CutSuffix(b.String(), "\"\n")
			if !ok {
				log.Fatalf("%s: snapshot %q is not a quoted string", s.file, s.key)
			}
			return v
		default:
			b.WriteByte(c)
		}
	}
}

type para struct {
	line int
	text string
}

// paragraphs splits Markdown at blank lines, keeping each line's newline.
func paragraphs(md string, firstLine int) []para {
	var out []para
	var cur strings.Builder
	start := 0
	for n, line := range strings.SplitAfter(md, "\n") {
		if strings.TrimSpace(line) == "" {
			if cur.Len() > 0 {
				out = append(out, para{start, cur.String()})
				cur.Reset()
			}
			continue
		}
		if cur.Len() == 0 {
			start = firstLine + n
		}
		cur.WriteString(line)
	}
	if cur.Len() > 0 {
		out = append(out, para{start, cur.String()})
	}
	return out
}

// readmeExample returns the body of the first ```md block, which upstream
// renders, and the line of the fence; lines keep their newlines.
func readmeExample(readme string) (string, int) {
	i := strings.Index(readme, "```md")
	if i < 0 {
		log.Fatal("README: no ```md block")
	}
	i += len("```md")
	j := strings.Index(readme[i:], "```")
	if j < 0 {
		log.Fatal("README: unterminated ```md block")
	}
	return readme[i : i+j], strings.Count(readme[:i], "\n") + 1
}

// outputLines splits a rendered file into its top-level lines, one per
// paragraph for these inputs.
func outputLines(html string) []string {
	return strings.Split(strings.TrimSuffix(html, "\n"), "\n")
}

func main() {
	flag.Parse()
	if *gitDir == "" {
		flag.Usage()
		os.Exit(2)
	}
	var cases []Case
	for _, src := range sources() {
		md, first := show(src.file), 1
		if src.readme {
			md, first = readmeExample(md)
		}
		paras := paragraphs(md, first)
		want := outputLines(snapshot(src.ref))
		if len(want) != len(paras) {
			log.Fatalf("%s: %d paragraphs but %d output lines", src.file, len(paras), len(want))
		}
		for _, c := range src.checks {
			// rehype-stringify leaves " unescaped in text; that is the
			// serializer, not the parse, so it is not a disagreement.
			got := strings.ReplaceAll(strings.Join(outputLines(snapshot(c)), "\n"), "&quot;", `"`)
			if got != strings.ReplaceAll(strings.Join(want, "\n"), "&quot;", `"`) {
				log.Fatalf("%s: %s disagrees with %s", src.file, c.file, src.ref.file)
			}
		}
		base := src.file[strings.LastIndexByte(src.file, '/')+1:]
		for i, p := range paras {
			if !strings.HasPrefix(want[i], "<p>") || !strings.HasSuffix(want[i], "</p>") {
				log.Fatalf("%s: output line %d is not one paragraph: %q", src.file, i+1, want[i])
			}
			cases = append(cases, Case{
				ID:       fmt.Sprintf("%s#%d", base, i+1),
				File:     src.file,
				Line:     p.line,
				Index:    i + 1,
				GFM:      src.gfm,
				Markdown: p.text,
				HTML:     want[i] + "\n",
			})
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cases); err != nil {
		log.Fatal(err)
	}
	os.Stdout.Write(buf.Bytes())
}
