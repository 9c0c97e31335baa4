// Command stages times the steps of a live session's rebuild on a corpus:
// after a one-page edit and after a template edit, as lanmu serve would
// rebuild, with the stages of each (load, plan, find stale outputs,
// render, record reads and warnings, compare). It works on a copy of the
// corpus, in process, without a server or a watcher, so that the engine's
// own cost shows; bench/latency times the whole way to the browser.
//
//	go run ./bench/stages -corpus DIR [-edits 5] [-edit] [-cpuprofile FILE]
//
// With -edit it also times what serve --edit adds after each rebuild: the
// pages listed for the editing interface and every page's incoming links.
//
// DIR is a lanmu site, such as the lanmu/ folder of a corpus made by
// bench/corpus.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"lanmu/generator/build"
	"lanmu/generator/preview"
)

func main() {
	corpus := flag.String("corpus", "", "a lanmu site, e.g. the lanmu/ folder of a corpus made by bench/corpus")
	edits := flag.Int("edits", 5, "edits of each kind")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the edits to this file")
	kinds := flag.String("kinds", "page,template", "which kinds of edit to time")
	editMode := flag.Bool("edit", false, "also time what serve --edit adds to each rebuild")
	flag.Parse()
	if *corpus == "" {
		fmt.Fprintln(os.Stderr, "stages: -corpus DIR is required")
		os.Exit(2)
	}
	if err := run(*corpus, *edits, *profile, strings.Split(*kinds, ","), *editMode); err != nil {
		fmt.Fprintln(os.Stderr, "stages:", err)
		os.Exit(1)
	}
}

func run(corpus string, edits int, profile string, kinds []string, editMode bool) error {
	dir, err := os.MkdirTemp("", "stages-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, os.DirFS(corpus)); err != nil {
		return err
	}
	page := filepath.Join(dir, "content", "news", "00042.md")
	footer := filepath.Join(dir, "layouts", "partials", "footer.html")
	if err := os.MkdirAll(filepath.Dir(footer), 0o755); err != nil {
		return err
	}
	writeFooter := func(mark string) error {
		return os.WriteFile(footer, []byte(`<footer class="site-footer"><p>{{ .Site.Title }}</p><p hidden>`+mark+"</p></footer>\n"), 0o644)
	}
	if err := writeFooter("start"); err != nil {
		return err
	}
	s := build.NewSession(build.Options{Source: dir, BaseURL: "http://127.0.0.1:1313/"})
	s.Defer = true
	start := time.Now()
	first, err := s.Build()
	if err != nil {
		return err
	}
	first.Wait()
	fmt.Printf("first build: %d files in %v\n", len(first.Complete()), time.Since(start).Round(time.Millisecond))
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	report := func(kind string, changed string, edit func(i int) error) error {
		if !slices.Contains(kinds, kind) {
			return nil
		}
		for i := range edits {
			if err := edit(i); err != nil {
				return err
			}
			start := time.Now()
			res, err := s.Update([]string{changed})
			if err != nil {
				return err
			}
			took := time.Since(start)
			if err := res.Wait(); err != nil {
				return err
			}
			fmt.Printf("%-8s %7v (then %v more for %d later outputs): %d rendered, %d converted;",
				kind, took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond)-took.Round(time.Millisecond), res.Deferred, res.Rendered, res.Converted)
			for _, st := range res.Stages {
				fmt.Printf(" %s %v,", st.Name, st.Took.Round(100*time.Microsecond))
			}
			if editMode {
				start := time.Now()
				pages := preview.EditorPages(res.Site)
				listed := time.Since(start)
				start = time.Now()
				incoming := res.Site.IncomingLinks()
				fmt.Printf(" edit mode: %d pages listed in %v, incoming links of %d pages in %v;",
					len(pages), listed.Round(100*time.Microsecond), len(incoming), time.Since(start).Round(100*time.Microsecond))
			}
			fmt.Println()
			// As an editor pauses between saves: the outputs made after
			// the event are done by the next one.
			time.Sleep(500 * time.Millisecond)
		}
		return nil
	}
	// Every page is shown, as without a browser nothing is: a one-page
	// edit renders what it touches before Update returns.
	s.First = nil
	if err := report("page", page, func(i int) error {
		f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = fmt.Fprintf(f, "\n\n编辑 %d。\n", i)
		return err
	}); err != nil {
		return err
	}
	// A browser shows the edited page: a template edit renders it first.
	s.First = func() []string { return []string{"/news/00042/index.html"} }
	return report("template", footer, func(i int) error { return writeFooter(fmt.Sprint("edit ", i)) })
}
