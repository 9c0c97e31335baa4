// Package spill keeps a build's large texts (each page's HTML and plain
// text) in a temporary file instead of the heap. A page's text is made once,
// read by its own page and by a few others (feeds, the search index), and
// waits in between: in a file it waits in the kernel's page cache, which
// the system can write out and reclaim, so that a build's memory grows
// with the pages' metadata, not with their text.
package spill

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"unsafe"
)

// A Ref names a text put in a Store. The zero Ref is the empty text.
type Ref struct {
	off int64
	n   int64
}

// Len is the length of the text of r.
func (r Ref) Len() int64 { return r.n }

// Slice is the part of r's text from byte from to byte to.
func (r Ref) Slice(from, to int64) Ref {
	if from == to {
		return Ref{}
	}
	return Ref{off: r.off + from, n: to - from}
}

// Store is an append-only file of texts; it is safe for concurrent use.
// Its errors are kept, not returned by Get: the caller asks Err once its
// work is done, and fails then.
type Store struct {
	f    *os.File
	name string

	mu   sync.Mutex
	size int64
	err  error
}

// New makes a store in dir (the system's temporary folder when ""). On
// systems that allow it the file is removed at once and lives only as long
// as the store is open, so that nothing is left behind by a crash.
func New(dir string) (*Store, error) {
	f, err := os.CreateTemp(dir, ".lanmu-texts-*")
	if err != nil {
		return nil, fmt.Errorf("cannot make a temporary file for the pages' texts: %w", err)
	}
	s := &Store{f: f, name: f.Name()}
	if os.Remove(f.Name()) == nil {
		s.name = ""
	}
	return s, nil
}

// Put appends a text and returns its Ref.
func (s *Store) Put(text string) (Ref, error) {
	if text == "" {
		return Ref{}, nil
	}
	n := int64(len(text))
	s.mu.Lock()
	if s.err != nil {
		err := s.err
		s.mu.Unlock()
		return Ref{}, err
	}
	off := s.size
	s.size += n
	s.mu.Unlock()
	// Each Put owns its range of the file, so writes run in parallel.
	if _, err := s.f.WriteAt(unsafe.Slice(unsafe.StringData(text), len(text)), off); err != nil {
		err = fmt.Errorf("cannot write the pages' texts to a temporary file: %w", err)
		s.fail(err)
		return Ref{}, err
	}
	return Ref{off: off, n: n}, nil
}

// PutBytes is Put for a text held as bytes, which it does not keep.
func (s *Store) PutBytes(text []byte) (Ref, error) {
	return s.Put(unsafe.String(unsafe.SliceData(text), len(text)))
}

// GetBytes is Get, as bytes the caller owns.
func (s *Store) GetBytes(r Ref) []byte {
	text := s.Get(r)
	return unsafe.Slice(unsafe.StringData(text), len(text))
}

// Get returns the text of r, or "" when it cannot be read; Err then says
// why.
func (s *Store) Get(r Ref) string {
	if r.n == 0 {
		return ""
	}
	buf := make([]byte, r.n)
	if _, err := s.f.ReadAt(buf, r.off); err != nil {
		s.fail(fmt.Errorf("cannot read the pages' texts back from a temporary file: %w", err))
		return ""
	}
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// Reader reads the text of r as a stream, for a text too long to hold
// whole; its errors are its own, not kept for Err.
func (s *Store) Reader(r Ref) io.Reader { return io.NewSectionReader(s.f, r.off, r.n) }

func (s *Store) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

// Err returns the first failure to write or read a text.
func (s *Store) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Size is how many bytes of text the store holds.
func (s *Store) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// Close closes and removes the file.
func (s *Store) Close() error {
	err := s.f.Close()
	if s.name != "" {
		err = errors.Join(err, os.Remove(s.name))
	}
	return err
}
