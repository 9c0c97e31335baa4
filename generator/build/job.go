package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"

	"lanmu/generator/diag"
	"lanmu/generator/output"
)

// job is one output file: where it goes, what it is made from (for
// messages), and how it is made, which is one of the kinds below.
type job struct {
	path   string // site path of the output file
	source string // what the output is made from, for messages
	make   maker
	// forReaders marks an HTML page meant for readers, which the sitemap
	// lists with lastmod, the last change of what it shows. Redirects and
	// 404.html leave it unset.
	forReaders bool
	lastmod    stamp
}

// stamp is a moment in seconds since the zero time.Time, all that a
// sitemap shows, in a third of a time.Time (a large site has a job for
// each of its pages). Its zero, like time.Time's, stands for no moment.
type stamp int64

// zeroUnix is the zero time.Time in Unix seconds.
var zeroUnix = time.Time{}.Unix()

func stampOf(t time.Time) stamp { return stamp(t.Unix() - zeroUnix) }

func (s stamp) time() time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s)+zeroUnix, 0)
}

// maker is how a job's file is made: rendered, generated, madeLater,
// copied or failed.
type maker interface {
	write(s *Site, j *job, target output.Target, r *outputReads) error
}

// rendered is a page rendered through a layout; its data is a page view,
// a listPage, or for the print pages a book or the card sheets.
type rendered struct {
	layout string
	data   any
}

// isPage reports whether the output shows a page, whose reads a live
// session records field by field rather than as data read whole.
func (m rendered) isPage() bool {
	switch m.data.(type) {
	case *Page, listPage:
		return true
	}
	return false
}

// generated is a file made while planning (robots.txt, status.json).
type generated []byte

// madeLater is a generated file that takes a while and is made when its job
// runs: a live session may make it after the pages (see Session.Defer), as
// no page reads it (feeds, the sitemap, the search index). It is written
// as it is made to a target that takes streams.
type madeLater func(w io.Writer) error

// madeFiles is a generated output of several files, the first at the
// job's path, whose names are known only as they are made (they hold
// hashes of their content: the search index). It is made when its job
// runs, like a madeLater, and calls write with each file's site path.
type madeFiles func(write func(p string, data []byte) error) error

// madeWhole is a madeLater made as one slice of bytes.
func madeWhole(make func() ([]byte, error)) madeLater {
	return func(w io.Writer) error {
		data, err := make()
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	}
}

// copied is a file copied as it is, from a static/ folder or content/.
type copied struct {
	fsys   fs.FS
	name   string
	static bool // from a static/ folder
}

// failed is a file that planning found cannot be made; the job reports
// why when it runs.
type failed struct{ err error }

func (j *job) run(s *Site, target output.Target) error { return j.render(s, target, nil) }

// render runs the job, its templates reading the site through r when r is
// not nil.
func (j *job) render(s *Site, target output.Target, r *outputReads) error {
	return j.make.write(s, j, target, r)
}

// layout is the layout a job renders with, or "".
func (j *job) layout() string {
	if r, ok := j.make.(rendered); ok {
		return r.layout
	}
	return ""
}

// recordable reports whether a live session can record what the job's
// output reads: an output rendered through a template.
func (j *job) recordable() bool {
	_, ok := j.make.(rendered)
	return ok
}

// isCopy reports whether the job copies a file as it is.
func isCopy(j *job) bool {
	_, ok := j.make.(copied)
	return ok
}

// isMadeLater reports whether the job's file is made when it runs.
func isMadeLater(j *job) bool {
	switch j.make.(type) {
	case madeLater, madeFiles:
		return true
	}
	return false
}

// static reports whether the job copies a file from a static/ folder.
func (j *job) static() bool {
	c, ok := j.make.(copied)
	return ok && c.static
}

// templateData is what the layout renders: the data, or a list page's
// view made now.
func (m rendered) templateData(s *Site) any {
	if lp, ok := m.data.(listPage); ok {
		return lp.view(s)
	}
	return m.data
}

func (m rendered) write(s *Site, j *job, target output.Target, r *outputReads) error {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	data := m.templateData(s)
	if v, ok := data.(*Page); ok && r != nil {
		data = r.page(v)
	}
	if err := s.Theme.Execute(buf, m.layout, data); err != nil {
		var de *diag.Error
		if errors.As(err, &de) {
			return err
		}
		return fmt.Errorf("rendering %s from %s: %w", j.path, j.source, err)
	}
	return target.Write(j.path, buf.Bytes())
}

func (m generated) write(_ *Site, j *job, target output.Target, _ *outputReads) error {
	return target.Write(j.path, m)
}

func (m madeLater) write(_ *Site, j *job, target output.Target, _ *outputReads) error {
	// A Streamer reports its own failures to write as such.
	making := func(w io.Writer) error {
		if err := m(w); err != nil {
			return fmt.Errorf("making %s: %w", j.source, err)
		}
		return nil
	}
	if st, ok := target.(output.Streamer); ok {
		return st.Stream(j.path, making)
	}
	var buf bytes.Buffer
	if err := making(&buf); err != nil {
		return err
	}
	return target.Write(j.path, buf.Bytes())
}

func (m madeFiles) write(_ *Site, j *job, target output.Target, _ *outputReads) error {
	err := m(func(p string, data []byte) error {
		if err := target.Write(p, data); err != nil {
			return targetFailed{err}
		}
		return nil
	})
	// The target's own message names the file, and is the same for every
	// file on a full disk, where it is said once.
	var tf targetFailed
	if errors.As(err, &tf) {
		return tf.error
	}
	if err != nil {
		return fmt.Errorf("making %s: %w", j.source, err)
	}
	return nil
}

// targetFailed is a write to the target that failed, told apart from the
// other failures of a madeFiles.
type targetFailed struct{ error }

func (t targetFailed) Unwrap() error { return t.error }

func (m copied) write(_ *Site, j *job, target output.Target, _ *outputReads) error {
	return target.Copy(j.path, m.fsys, m.name)
}

func (m failed) write(_ *Site, j *job, _ output.Target, _ *outputReads) error {
	return fmt.Errorf("making %s: %w", j.source, m.err)
}
