package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"lanmu/generator/build"
	"lanmu/generator/inspect"
	"lanmu/generator/messages"
	"lanmu/generator/output"
	"lanmu/internal/termtable"
)

func newInspect(stdout io.Writer, say *messages.Printer) *cobra.Command {
	var opts build.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Apply the government-website inspection rules to the column",
		Long: `inspect builds the site in memory and applies the rules of the national
government-website inspections at the as-of day: the home page and the news
sections updated within [inspect] homeDays and newsDays, other dated sections
within noticeDays, no empty section (空白栏目), a date on every page of a
dated kind, no broken internal link or image, no http:// address, alt text on
every image, and the [government] keys a government column needs. With
[inspect] archived = true the freshness rules do not apply.

Each finding is printed as path:line:col: message [rule], then a summary by
rule. It exits 3 when a finding would fail the column (a stale home page, or
five or more stale or empty sections), 1 when the site has errors, else 0.`,
		Example: `  lanmu inspect
  lanmu inspect --as-of 2016-07-15
  lanmu inspect --json > inspect.json`,
		Args:    noArgs,
		PreRunE: func(*cobra.Command, []string) error { return checkAsOf(opts.AsOf) },
		RunE: func(*cobra.Command, []string) error {
			site, err := build.Load(opts)
			if err != nil {
				return err
			}
			mem := output.NewMemory()
			if _, err := site.Render(mem); err != nil {
				return err
			}
			col := site.InspectColumn(mem.Files())
			r := inspect.Inspect(col)
			if asJSON {
				if err := writeInspectJSON(stdout, col.AsOf, r); err != nil {
					return err
				}
			} else if err := writeInspectText(stdout, say, site.Config.Title, col.AsOf, r); err != nil {
				return err
			}
			if r.Veto {
				return gateError{exitVeto, say.Sprintf("the column would fail a government-website inspection (%d findings)", len(r.Findings))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", "", "the site folder (default: the current folder)")
	f.StringVar(&opts.AsOf, "as-of", "", "inspect as of this day, like 2016-07-15 (default: [standards] asOf, else today)")
	f.BoolVar(&asJSON, "json", false, "print the findings as JSON")
	return cmd
}

func writeInspectText(w io.Writer, say *messages.Printer, title string, asOf time.Time, r inspect.Report) error {
	for _, f := range r.Findings {
		fmt.Fprintln(w, terminalSafe(f.In(say)))
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, say.Sprintf("%s — inspected as of %s\n\n", terminalSafe(title), asOf.Format(time.DateOnly)))
	rows := [][]string{{say.Sprintf("RULE"), "规则", say.Sprintf("FINDINGS")}}
	for i, n := range r.Counts() {
		rows = append(rows, []string{string(inspect.Rules[i]), inspect.Rules[i].Name(), fmt.Sprint(n)})
	}
	if err := termtable.Write(w, rows); err != nil {
		return err
	}
	switch {
	case r.Veto:
		fmt.Fprint(w, say.Sprintf("\nverdict: would fail (单项否决)\n"))
	case len(r.Findings) > 0:
		fmt.Fprint(w, say.Sprintf("\nverdict: passes, with %d findings to fix\n", len(r.Findings)))
	default:
		fmt.Fprint(w, say.Sprintf("\nverdict: passes, no findings\n"))
	}
	return nil
}

func writeInspectJSON(w io.Writer, asOf time.Time, r inspect.Report) error {
	type count struct {
		Rule     inspect.Rule `json:"rule"`
		Name     string       `json:"name"`
		Findings int          `json:"findings"`
	}
	out := struct {
		AsOf     string            `json:"asOf"`
		Veto     bool              `json:"veto"`
		Findings []inspect.Finding `json:"findings"`
		Summary  []count           `json:"summary"`
	}{AsOf: asOf.Format(time.DateOnly), Veto: r.Veto, Findings: r.Findings}
	if out.Findings == nil {
		out.Findings = []inspect.Finding{}
	}
	for i, n := range r.Counts() {
		out.Summary = append(out.Summary, count{inspect.Rules[i], inspect.Rules[i].Name(), n})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
