package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"lanmu/generator/build"
	"lanmu/generator/diag"
	"lanmu/generator/messages"
	"lanmu/generator/output"
)

// newCheck is lanmu check: a build in memory that reports what a reader
// would trip over, and writes nothing.
func newCheck(stdout, stderr io.Writer, say *messages.Printer) *cobra.Command {
	var opts build.Options
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check links, anchors, references and URLs without writing anything",
		Long: `check builds the site in memory and reports, as path:line:col: message,
every mistake in front matter and fields, every internal link or image
that leads nowhere, every #anchor missing from the page it points at
(Chinese heading ids included), classes whose speaker names no teacher,
two pages or a page and an alias on one URL, pages with no title, feed
items with no date, and raw HTML that the site leaves out. It exits 1 when it
finds anything, so it can guard a publishing script.`,
		Example: `  lanmu check
  lanmu check -s mysite && lanmu build -s mysite`,
		Args:    noArgs,
		PreRunE: func(*cobra.Command, []string) error { return checkAsOf(opts.AsOf) },
		RunE: func(*cobra.Command, []string) error {
			site, err := build.Load(opts)
			if err != nil {
				// check fails on what a build only warns about.
				var all diag.List
				for _, p := range diag.Of(err) {
					all.Add(&diag.Error{Path: p.Path, Line: p.Line, Col: p.Col, Msg: p.Msg, Text: p.Text})
				}
				return all.Err()
			}
			mem := output.NewMemory()
			report, err := site.Render(mem)
			if err != nil {
				return err
			}
			var problems diag.List
			for _, w := range report.Warnings {
				problems.Add(w)
			}
			for _, p := range site.CheckOutput(mem.Files()) {
				problems.Add(p)
			}
			if err := problems.Err(); err != nil {
				return err
			}
			fmt.Fprintln(stdout, say.Sprintf("checked %d pages and %d files: no problems", report.Pages, report.Files))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", "", "the site folder (default: the current folder)")
	f.BoolVar(&opts.Drafts, "drafts", false, "include pages marked draft")
	f.BoolVar(&opts.Future, "future", false, "include pages dated in the future")
	f.BoolVar(&opts.Expired, "expired", false, "include expired pages")
	f.StringVar(&opts.AsOf, "as-of", "", "judge the standards at this day, like 2016-05-25")
	return cmd
}
