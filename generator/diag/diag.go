// Package diag carries the errors and warnings a build reports about a site.
//
// Every problem names a file relative to the site root and, where one is known,
// the line and column, so that editors and IDEs can jump to it. A build keeps
// going after the first problem and reports all of them together.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"lanmu/generator/messages"
)

// Error is one problem at a place in a source file.
type Error struct {
	Path string // slash-separated, relative to the site root
	Line int    // 1-based; 0 when the problem is about the whole file
	Col  int    // 1-based, counted in characters; 0 when unknown
	Msg  string // in English
	// Text is the message kept for translation, when it was made from a
	// format; Msg is its English.
	Text messages.Text
	// Warning marks a problem that does not by itself fail a build, sent
	// along with the errors of a failed one so that the editor sees
	// everything in one run.
	Warning bool
}

// Error formats the problem as path:line:col: message.
func (e *Error) Error() string {
	switch {
	case e.Path == "":
		return e.Msg
	case e.Line <= 0:
		return e.Path + ": " + e.Msg
	case e.Col <= 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

// In formats the problem as Error does, with its message in the
// printer's language; the position is never translated, so editors can
// still jump to it.
func (e *Error) In(say *messages.Printer) string {
	local := *e
	local.Msg = e.Message(say)
	return local.Error()
}

// Message is the problem's message in the printer's language, without its
// position.
func (e *Error) Message(say *messages.Printer) string {
	if e.Text.Format == "" {
		return e.Msg
	}
	return say.Text(e.Text)
}

// Errorf returns a positioned error. Its format is English and the key of
// its translation.
func Errorf(path string, line, col int, format string, args ...any) *Error {
	return At(path, line, col, messages.Textf(format, args...))
}

// At returns a positioned error with a message kept for translation.
func At(path string, line, col int, text messages.Text) *Error {
	return &Error{Path: path, Line: line, Col: col, Msg: text.String(), Text: text}
}

// List collects problems from many goroutines. Its zero value is ready to use.
type List struct {
	mu   sync.Mutex
	errs []*Error
}

// Add records err. A plain error without a position is kept as a message
// with no path; a nil error is ignored; a List's problems are merged in.
func (l *List) Add(err error) {
	if err == nil {
		return
	}
	var found []*Error
	var many interface{ Problems() []*Error }
	var one *Error
	switch {
	case errors.As(err, &many):
		found = many.Problems()
	case errors.As(err, &one):
		found = []*Error{one}
	default:
		e := &Error{Msg: err.Error()}
		if t, ok := err.(*messages.Error); ok {
			e.Text = t.Text
		}
		found = []*Error{e}
	}
	l.mu.Lock()
	l.errs = append(l.errs, found...)
	l.mu.Unlock()
}

// Addf records a positioned problem.
func (l *List) Addf(path string, line, col int, format string, args ...any) {
	l.Add(Errorf(path, line, col, format, args...))
}

// Len reports how many problems have been recorded.
func (l *List) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.errs)
}

// Problems returns the recorded problems sorted by file, line and column,
// with exact repeats removed.
func (l *List) Problems() []*Error {
	l.mu.Lock()
	out := append([]*Error(nil), l.errs...)
	l.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	uniq := out[:0]
	for i, e := range out {
		if i > 0 && sameProblem(e, out[i-1]) {
			continue
		}
		uniq = append(uniq, e)
	}
	return uniq
}

func sameProblem(a, b *Error) bool {
	return a.Path == b.Path && a.Line == b.Line && a.Col == b.Col && a.Msg == b.Msg && a.Warning == b.Warning
}

// Err returns the list as an error, or nil when nothing was recorded.
func (l *List) Err() error {
	if l.Len() == 0 {
		return nil
	}
	return &Errors{list: l.Problems()}
}

// Errors is the error a failed step returns: every problem it found.
type Errors struct{ list []*Error }

// Problems returns each problem, sorted by position.
func (e *Errors) Problems() []*Error { return e.list }

// Error joins the problems one per line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.list))
	for i, p := range e.list {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Of returns the problems an error carries: those of an *Errors or *Error,
// or the error's text without a position.
func Of(err error) []*Error {
	var l List
	l.Add(err)
	return l.Problems()
}
