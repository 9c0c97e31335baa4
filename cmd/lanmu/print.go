package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"lanmu/generator/build"
	"lanmu/generator/diag"
	"lanmu/generator/messages"
	"lanmu/generator/output"
	"lanmu/generator/printer"
)

// buildFlags are the settings build and print share.
type buildFlags struct {
	say            *messages.Printer // the user's language
	opts           build.Options
	chrome         string
	quiet, verbose bool
}

// add registers the flags of both commands; --pdf is build's own.
func (b *buildFlags) add(f *pflag.FlagSet) {
	f.StringVarP(&b.opts.Source, "source", "s", "", "the site folder (default: the current folder)")
	f.StringVarP(&b.opts.Dest, "destination", "d", "", "the output folder (default: SRC/public)")
	f.StringVar(&b.opts.BaseURL, "baseURL", "", "override baseURL from lanmu.toml")
	f.BoolVar(&b.opts.Drafts, "drafts", false, "include pages marked draft")
	f.BoolVar(&b.opts.Future, "future", false, "include pages dated in the future")
	f.BoolVar(&b.opts.Expired, "expired", false, "include expired pages")
	f.StringVar(&b.opts.AsOf, "as-of", "", "judge the standards at this day, like 2016-05-25 (default: [standards] asOf, else today)")
	f.BoolVar(&b.opts.Minify, "minify", false, "minify HTML, CSS, JS, JSON and XML outputs (or [build] minify)")
	f.BoolVarP(&b.quiet, "quiet", "q", false, "print only warnings and errors")
	f.BoolVarP(&b.verbose, "verbose", "v", false, "also print how long each stage took")
}

func (b *buildFlags) check() error {
	if b.quiet && b.verbose {
		return usageError{messages.Errorf("--quiet and --verbose cannot be used together")}
	}
	return checkAsOf(b.opts.AsOf)
}

// Go's collector runs each time the heap doubles, which for a build that
// holds only each page's metadata (about 2.5 KB a page: 25 MB at 10,000
// pages) means every few tens of megabytes allocated, and a fifth of the
// build's CPU was collection. relaxCollector lets the heap grow to five
// times what is live instead, within a soft limit of buildHeapLimit,
// unless the user has chosen with GOGC or GOMEMLIMIT. lanmu serve keeps
// the default: it runs for hours beside an editor.
func relaxCollector() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(buildHeapLimit)
	}
}

// buildHeapLimit is the heap a build lets the collector reach before it
// works harder: a quarter of a 4 GB office PC.
const buildHeapLimit = 1 << 30

// run builds the site, printing the PDFs into it when withPDF, and reports
// what it made.
func (b *buildFlags) run(withPDF bool, stdout, stderr io.Writer) error {
	relaxCollector()
	opts := b.opts
	dest := opts.Dest
	if dest == "" {
		dest = filepath.Join(sourceDir(opts.Source), "public")
	}
	var printedBefore []string
	if withPDF {
		if _, err := printer.FindChrome(b.chrome); err != nil {
			return err
		}
		opts.PrintPDF = true
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		opts.AfterRender = func(site *build.Site, read func(string) ([]byte, bool)) (map[string][]byte, error) {
			return printer.Print(ctx, site, read, printer.Options{Chrome: b.chrome, Progress: stderr, Say: b.say})
		}
	} else {
		printedBefore = printedPDFs(dest)
	}
	report, err := build.Build(opts)
	if err != nil {
		return err
	}
	colour := colours(stderr)
	for _, w := range report.Warnings {
		printProblem(stderr, b.say, w, true, colour)
	}
	// They were lanmu's own outputs, printed from the sources as they were;
	// kept, they would go stale beside the new pages. Only those really
	// gone are named: a file of the site's own static/ may stand there now.
	if gone := slices.DeleteFunc(printedBefore, func(p string) bool { return exists(filepath.Join(dest, filepath.FromSlash(p))) }); len(gone) > 0 {
		printProblem(stderr, b.say, diag.Errorf("", 0, 0, "removed %s: this build did not print the PDFs, so they would be out of date; run lanmu build --pdf or lanmu print to print them", strings.Join(gone, ", ")), true, colour)
	}
	if !b.quiet {
		printSummary(stdout, b.say, report, b.verbose)
		if withPDF {
			for _, p := range printer.PDFs {
				full := filepath.Join(dest, filepath.FromSlash(p))
				if st, err := os.Stat(full); err == nil {
					fmt.Fprintln(stdout, b.say.Sprintf("printed %s (%d KB)", full, (st.Size()+1023)/1024))
				}
			}
		}
	}
	return nil
}

// printedPDFs returns the PDFs an earlier print left in dest, by the
// manifest of what lanmu wrote there (relative paths, sorted). Only the
// printer's own outputs count: a PDF the site keeps in static/print/ is
// listed too, but no print made it.
func printedPDFs(dest string) []string {
	var pdfs []string
	for _, p := range output.Listed(dest) {
		if slices.Contains(printer.PDFs, p) &&
			exists(filepath.Join(dest, filepath.FromSlash(p))) {
			pdfs = append(pdfs, strings.TrimPrefix(p, "/"))
		}
	}
	slices.Sort(pdfs)
	return pdfs
}

func exists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}

func newPrint(stdout, stderr io.Writer, say *messages.Printer) *cobra.Command {
	b := buildFlags{say: say}
	cmd := &cobra.Command{
		Use:   "print",
		Short: "Build the site and print the pocket book and the card sheets to PDF",
		Long: `Print is lanmu build --pdf: it builds the site and prints, with headless Chromium,
the pocket book of the required readings (pocketbook.pdf, with page numbers in its
contents), the same book imposed two pages a side for saddle stitching
(pocketbook-booklet.pdf), and the double-sided knowledge-card sheets (cards.pdf), into
DEST/print/. The site and the PDFs replace DEST together, so the PDFs always match the
pages; a later build without --pdf removes them.`,
		Example: `  lanmu print
  lanmu print --chrome /usr/bin/chromium -d /tmp/out`,
		Args:    noArgs,
		PreRunE: func(*cobra.Command, []string) error { return b.check() },
		RunE: func(*cobra.Command, []string) error {
			return b.run(true, stdout, stderr)
		},
	}
	b.add(cmd.Flags())
	cmd.Flags().StringVar(&b.chrome, "chrome", "", "the Chromium to print with (default: chromium on PATH)")
	return cmd
}

func sourceDir(s string) string {
	if s == "" {
		return "."
	}
	return s
}
