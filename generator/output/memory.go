package output

import (
	"bytes"
	"io/fs"
	"sync"
)

// Memory is a Target that keeps the site in memory, for lanmu serve.
type Memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewMemory returns an empty in-memory site.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// Write stores data at site path p.
func (m *Memory) Write(p string, data []byte) error {
	data = bytes.Clone(data)
	m.mu.Lock()
	m.files[p] = data
	m.mu.Unlock()
	return nil
}

// Copy reads the file name of fsys into memory at site path p.
func (m *Memory) Copy(p string, fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return m.Write(p, data)
}

// Files returns the files written so far. The map is the Memory's own:
// callers must not change it while writing goes on.
func (m *Memory) Files() map[string][]byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files
}

// Read returns the file at site path p.
func (m *Memory) Read(p string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.files[p]
	return data, ok
}
