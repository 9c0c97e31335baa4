// Package pdf reads and imposes the PDFs lanmu prints.
//
// lanmu prints its pocket books (口袋书) of required readings through
// headless Chromium. This package answers what the rest of the generator and
// its tests need to know about such a PDF (Read: pages, page sizes, the
// outline Chromium writes for the headings) and imposes a book for saddle
// stitching on an ordinary office duplex printer (Booklet, with the page
// arithmetic in BookletOrder and PaddedOrder).
//
// PDF parsing and writing is done with pdfcpu; the imposition order is
// lanmu's own, because pdfcpu's booklet always pads blank pages at the end
// of the book, which would move a back cover inside.
package pdf

import (
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

var disableConfigDir sync.Once

// newConfig returns a pdfcpu configuration for one operation.
//
// pdfcpu's default configuration lives in a directory it creates on first
// use under the user's config dir (config.yml plus a copy of its fonts). A
// site generator must not write into the home directory of whoever builds
// the site, and lanmu needs none of the user fonts, so the config dir is
// switched off once, before pdfcpu is first asked for a configuration. This
// is a process-wide pdfcpu setting; lanmu uses pdfcpu only through this
// package.
func newConfig(cmd model.CommandMode) *model.Configuration {
	disableConfigDir.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	// Chromium's output is well-formed, but relaxed validation is what
	// pdfcpu itself uses for reading, and it tolerates the harmless
	// deviations other producers make.
	conf.ValidationMode = model.ValidationRelaxed
	conf.Cmd = cmd
	return conf
}
