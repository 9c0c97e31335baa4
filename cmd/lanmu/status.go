package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"lanmu/generator/build"
	"lanmu/generator/messages"
	"lanmu/generator/standards"
	"lanmu/internal/termtable"
)

// exitOverdue is the status of `lanmu status --fail-on overdue` when a task
// is overdue, and exitVeto that of lanmu inspect when the column would fail
// an inspection: a unit can gate its own CI on either.
const (
	exitOverdue = 3
	exitVeto    = 3
)

// gateError ends a command that found what a CI gates on: run prints its
// message and exits with its status.
type gateError struct {
	status int
	msg    string
}

func (e gateError) Error() string { return e.msg }

// overdue is the gateError of n overdue tasks.
func overdue(say *messages.Printer, n int) gateError {
	if n == 1 {
		return gateError{exitOverdue, say.Sprintf("1 task is overdue")}
	}
	return gateError{exitOverdue, say.Sprintf("%d tasks are overdue", n)}
}

func newStatus(stdout io.Writer, say *messages.Printer) *cobra.Command {
	var opts build.Options
	var asJSON bool
	var failOn string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the status of the standards",
		Long: `Status works out, for the as-of day, which tasks of the standards are done, done
late, overdue, due soon or open, from the declared facts and the published pages,
and prints it as a table (or as status.json with --json).`,
		Example: `  lanmu status
  lanmu status --as-of 2016-05-25
  lanmu status --json > status.json
  lanmu status --fail-on overdue    # exit status 3 when a task is overdue`,
		Args: noArgs,
		PreRunE: func(*cobra.Command, []string) error {
			if failOn != "" && failOn != "overdue" {
				return usageError{messages.Errorf("--fail-on takes \"overdue\", not %q", failOn)}
			}
			return checkAsOf(opts.AsOf)
		},
		RunE: func(*cobra.Command, []string) error {
			site, err := build.Load(opts)
			if err != nil {
				return err
			}
			r := site.Status()
			if asJSON {
				data, err := site.StatusJSON()
				if err != nil {
					return err
				}
				if _, err := stdout.Write(data); err != nil {
					return err
				}
			} else if err := writeStatusTable(stdout, say, site.Config.Title, r); err != nil {
				return err
			}
			if n := r.Tasks[standards.Overdue]; failOn == "overdue" && n > 0 {
				return overdue(say, n)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Source, "source", "s", "", "the site folder (default: the current folder)")
	f.StringVar(&opts.AsOf, "as-of", "", "judge the standards at this day, like 2016-05-25 (default: [standards] asOf, else today)")
	f.BoolVar(&opts.Drafts, "drafts", false, "count drafts as evidence")
	f.BoolVar(&asJSON, "json", false, "print status.json instead of a table")
	f.StringVar(&failOn, "fail-on", "", "exit with status 3 when a task is overdue (the only choice: overdue)")
	return cmd
}

// checkAsOf refuses a malformed --as-of before any work is done.
func checkAsOf(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return usageError{messages.Errorf("--as-of takes a date like 2016-05-25, not %q", s)}
	}
	return nil
}

// writeStatusTable prints one line per standard and, under it, one line
// per task, aligned by display width.
func writeStatusTable(w io.Writer, say *messages.Printer, title string, r *standards.Report) error {
	fmt.Fprint(w, say.Sprintf("%s — as of %s\n\n", title, r.AsOf.Format(time.DateOnly)))
	rows := [][]string{{"#", say.Sprintf("STANDARD / TASK"), say.Sprintf("DUE"), say.Sprintf("STATUS"), say.Sprintf("DONE"), say.Sprintf("EVIDENCE")}}
	for _, st := range r.Standards {
		rows = append(rows, []string{fmt.Sprint(st.Number), termtable.Truncate(st.Title, 40), "", statusName(say, st.Status), fmt.Sprintf("%d/%d", st.Done, st.Total), ""})
		for _, t := range st.Tasks {
			due, evidence := "", ""
			if !t.Due.IsZero() {
				due = t.Due.Format(time.DateOnly)
			}
			if t.Evidence != nil {
				evidence = fmt.Sprintf("%d/%d", t.Evidence.Count, t.Evidence.Min)
			}
			rows = append(rows, []string{"", "  " + termtable.Truncate(t.Task.Title, 38), due, statusName(say, t.Status), "", evidence})
		}
	}
	if err := termtable.Write(w, rows); err != nil {
		return err
	}
	fmt.Fprint(w, say.Sprintf("\ntasks:"))
	for _, st := range standards.Statuses {
		fmt.Fprintf(w, " %s %d", statusName(say, st), r.Tasks[st])
	}
	fmt.Fprintln(w)
	return nil
}

// statusName is a status as the table shows it: its name in the user's
// language. status.json keeps the names of the SPEC.
func statusName(say *messages.Printer, st standards.Status) string {
	return say.Sprintf(string(st))
}
