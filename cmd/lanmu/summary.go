package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"lanmu/generator/build"
	"lanmu/generator/content"
	"lanmu/generator/diag"
	"lanmu/generator/messages"
	"lanmu/internal/termtable"
)

// colours says whether w is a terminal that should get colours: never when
// NO_COLOR is set (https://no-color.org) or TERM is dumb, and never into a
// file or pipe, where escape codes would be noise in a log.
func colours(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

const (
	bold   = "\x1b[1m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	reset  = "\x1b[0m"
)

// terminalSafe writes the control characters of s, but tabs and line
// breaks, as \u escapes: a file name or a title could otherwise carry an
// escape sequence that clears the screen or hides the message.
func terminalSafe(s string) string {
	if !strings.ContainsFunc(s, isTerminalControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isTerminalControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isTerminalControl(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }

// printProblem writes one problem as path:line:col: message, prefixed
// with "warning: " for a warning, the position in bold and the prefix in
// colour on a terminal.
func printProblem(w io.Writer, say *messages.Printer, p *diag.Error, warning, colour bool) {
	prefix := ""
	if warning {
		prefix = say.Sprintf("warning: ")
	}
	whole, msg := p.In(say), p.Message(say)
	if !colour {
		fmt.Fprintln(w, prefix+terminalSafe(whole))
		return
	}
	text := terminalSafe(whole)
	if where := strings.TrimSuffix(whole, msg); where != whole && where != "" {
		text = bold + terminalSafe(where) + reset + terminalSafe(msg)
	}
	if warning {
		prefix = yellow + prefix + reset
	} else {
		prefix = red + say.Sprintf("error: ") + reset
	}
	fmt.Fprintln(w, prefix+text)
}

// summaryCount is a row of a build's summary after its pages of each kind.
type summaryCount struct {
	name string // in English, the key of its translation
	n    int
}

// summaryCounts are those rows, in printSummary's order.
func summaryCounts(r *build.Report) []summaryCount {
	return []summaryCount{
		{"list pages", r.Lists}, {"feeds", r.Feeds}, {"print pages", r.Print}, {"aliases", r.Aliases},
		{"short addresses", r.Shorts}, {"WeChat copies", r.WeChat}, {"copied files", r.Copied}, {"warnings", len(r.Warnings)},
	}
}

// printSummary writes what a build made, like Hugo's table: pages per
// kind, then the pages and files lanmu generated, then the time taken.
// verbose adds the time of each stage.
func printSummary(w io.Writer, say *messages.Printer, r *build.Report, verbose bool) {
	var types []string
	for t := range r.ByType {
		types = append(types, t)
	}
	// The column's own kinds come first, as the SPEC lists them.
	rank := func(t string) int {
		if i := slices.Index(content.ColumnTypes, content.Type(t)); i >= 0 {
			return i
		}
		return len(content.ColumnTypes)
	}
	slices.SortFunc(types, func(a, b string) int {
		return cmp.Or(rank(a)-rank(b), strings.Compare(a, b))
	})
	var rows [][]string
	for _, t := range types {
		rows = append(rows, []string{"  " + say.Sprintf(t+" pages"), fmt.Sprint(r.ByType[t])})
	}
	for _, c := range summaryCounts(r) {
		rows = append(rows, []string{"  " + say.Sprintf(c.name), fmt.Sprint(c.n)})
	}
	if verbose {
		for _, s := range r.Stages {
			rows = append(rows, []string{"  " + say.Text(s.Text), s.Took.Round(time.Millisecond).String()})
		}
	}
	width := 0
	for _, row := range rows {
		width = max(width, termtable.Width(row[1]))
	}
	for _, row := range rows {
		row[1] = strings.Repeat(" ", width-termtable.Width(row[1])) + row[1]
	}
	termtable.Write(w, rows)
	fmt.Fprintln(w, say.Sprintf("built %d pages, %d files in %v", r.Pages, r.Files, r.Duration.Round(time.Millisecond)))
}
