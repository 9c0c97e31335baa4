// Command floor is the lower bound of the build benchmark: it does nothing
// but convert every news page of a site with goldmark and write the HTML
// out, with no front matter parsing, templates, lists, feeds or link
// checking.
//
//	go run ./bench/floor -src DIR/lanmu -out OUT
//
// It reads each SRC/content/news/*.md (except _index.md), drops the front
// matter by splitting on its "---" lines, converts the body with goldmark
// configured like lanmu's (GFM, footnotes, definition lists, the CJK
// extension, chroma highlighting with CSS classes, automatic heading ids) and
// writes OUT/news/NAME/index.html. A pool of GOMAXPROCS workers shares the
// pages. OUT is created; existing files in it are overwritten.
//
// With -code lanmu, fenced code is rendered by lanmu's own renderer
// (markup.CodeHighlighting), which writes the same markup as
// goldmark-highlighting without its formatter's cost per block: the floor
// then shows lanmu's overhead over conversion alone, code rendering aside.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/yuin/goldmark"
	highlighting "github.com/yuin/goldmark-highlighting/v2"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"lanmu/generator/markup"
)

func main() {
	src := flag.String("src", "", "the lanmu site folder (required)")
	out := flag.String("out", "", "the output folder (required)")
	code := flag.String("code", "stock", "what renders fenced code: stock (goldmark-highlighting) or lanmu (lanmu's renderer)")
	flag.Parse()
	if *src == "" || *out == "" || flag.NArg() > 0 || *code != "stock" && *code != "lanmu" {
		fmt.Fprintln(os.Stderr, "usage: floor -src SITE -out OUT [-code stock|lanmu]")
		os.Exit(2)
	}
	start := time.Now()
	n, err := run(*src, *out, *code == "lanmu")
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "floor: converted %d pages in %s\n", n, time.Since(start).Round(time.Millisecond))
}

// newMarkdown returns goldmark set up as lanmu sets it up, minus lanmu's own
// rules (CJK emphasis, Unicode heading ids, link resolution, summaries);
// lanmuCode renders fenced code with lanmu's renderer rather than
// goldmark-highlighting.
func newMarkdown(lanmuCode bool) goldmark.Markdown {
	code := highlighting.NewHighlighting(
		highlighting.WithStyle("github"),
		highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
	)
	if lanmuCode {
		code = markup.CodeHighlighting("github")
	}
	return goldmark.New(
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.DefinitionList,
			extension.NewCJK(extension.WithEscapedSpace(), extension.WithEastAsianLineBreaks()),
			code,
		),
	)
}

func run(src, out string, lanmuCode bool) (int, error) {
	files, err := filepath.Glob(filepath.Join(src, "content", "news", "*.md"))
	if err != nil {
		return 0, err
	}
	md := newMarkdown(lanmuCode)
	var (
		wg       sync.WaitGroup
		done     atomic.Int64
		mu       sync.Mutex
		firstErr error
	)
	jobs := make(chan string, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for file := range jobs {
				if err := convert(md, &buf, file, out); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				done.Add(1)
			}
		})
	}
	for _, f := range files {
		if filepath.Base(f) != "_index.md" {
			jobs <- f
		}
	}
	close(jobs)
	wg.Wait()
	return int(done.Load()), firstErr
}

func convert(md goldmark.Markdown, buf *bytes.Buffer, file, out string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	buf.Reset()
	if err := md.Convert(body(data), buf); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	dir := filepath.Join(out, "news", strings.TrimSuffix(filepath.Base(file), ".md"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), buf.Bytes(), 0o644)
}

// body returns data without its front matter: everything after the second
// line that is exactly "---". A file that does not start with "---" is all
// body.
func body(data []byte) []byte {
	const fence = "---"
	line, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok || string(bytes.TrimRight(line, "\r")) != fence {
		return data
	}
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, "\r")) == fence {
			return rest
		}
	}
	return data
}
