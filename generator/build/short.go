package build

import (
	"bytes"
	"cmp"
	"fmt"
	"sync"

	"lanmu/generator/content"
)

// shortIndex is the first file of the short addresses' job, at a path known
// before it runs: /s/ alone leads to the home page.
const shortIndex = content.ShortPrefix + "index.html"

// shortJob writes every page's short address, /s/CODE/, as one job rather
// than one per page. The redirects are read by no page, so a live session
// makes them after the pages a browser waits for; as thousands of jobs of
// their own they were planned, checked for staleness and compared on every
// save, which added a fifth to the preview's latency on a large site.
func (s *Site) shortJob() *job {
	layout := s.Theme.Lookup("short.html", "alias.html")
	home := s.Content.PageByPath("/")
	if layout == "" || home == nil {
		return nil
	}
	var pages []*Page
	for _, cp := range s.Content.Pages {
		if cp.ShortPath != "" {
			pages = append(pages, s.views[cp])
		}
	}
	redirect := func(v *Page) ([]byte, error) {
		var buf bytes.Buffer
		if err := s.Theme.Execute(&buf, layout, v); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	make := func(write func(p string, data []byte) error) error {
		data, err := redirect(s.views[home])
		if err == nil {
			err = write(shortIndex, data)
		}
		if err != nil {
			return err
		}
		// One failure is enough: every redirect has the same template, and
		// on a full disk every write fails alike.
		var mu sync.Mutex
		var first error
		parallel(len(pages), func(i int) {
			p := pages[i]
			data, err := redirect(p)
			if err != nil {
				err = fmt.Errorf("rendering %s from %s: %w", p.ShortPath, p.File, err)
			} else {
				err = write(outputFile(p.ShortPath), data)
			}
			if err != nil {
				mu.Lock()
				first = cmp.Or(first, err)
				mu.Unlock()
			}
		})
		return first
	}
	return &job{path: shortIndex, make: madeFiles(make), source: "the short addresses"}
}
