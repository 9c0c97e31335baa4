// Package qr draws QR codes as SVG for print: on the backs of knowledge
// cards, in the pocket book and in an article's printed page, each leading
// a reader from paper back to the column.
//
// The code's matrix comes from github.com/yeqown/go-qrcode/v2, which is
// maintained and needs nothing beyond its own Reed–Solomon package; its
// image writers draw bitmaps, so the SVG is drawn here: one path of
// squares, the size left to the stylesheet, so a code is sharp at any
// scale on paper.
package qr

import (
	"fmt"
	"strings"

	"github.com/yeqown/go-qrcode/v2"
)

// QuietZone is the margin of light modules around a code that ISO/IEC
// 18004 asks for; a scanner finds the code's edges by it.
const QuietZone = 4

// Code is a drawn QR code.
type Code struct {
	// Modules is the side of the code in modules, quiet zone included: a
	// code must be printed at Modules × 0.33 mm or larger to scan from a
	// phone at reading distance.
	Modules int
	// SVG is the code as an svg element, its viewBox in modules.
	SVG string
}

// Encode draws text as a QR code at error correction level M, which
// recovers about 15% of the code: enough for a worn card, while keeping
// the code small.
func Encode(text string) (Code, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return Code{}, fmt.Errorf("qr: %w", err)
	}
	var d drawing
	if err := q.Save(&d); err != nil {
		return Code{}, fmt.Errorf("qr: %w", err)
	}
	return Code{Modules: d.side, SVG: d.svg.String()}, nil
}

// drawing is the library's Writer that draws the matrix as SVG.
type drawing struct {
	side int
	svg  strings.Builder
}

func (d *drawing) Write(m qrcode.Matrix) error {
	d.side = m.Width() + 2*QuietZone
	dark := make([][]bool, m.Height())
	for y := range dark {
		dark[y] = make([]bool, m.Width())
	}
	m.Iterate(qrcode.IterDirection_ROW, func(x, y int, v qrcode.QRValue) { dark[y][x] = v.IsSet() })
	fmt.Fprintf(&d.svg, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, d.side, d.side)
	fmt.Fprintf(&d.svg, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, d.side, d.side)
	// One rectangle per horizontal run of dark modules: a third of the
	// squares' path, and no hairline seams between neighbours.
	for y, row := range dark {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&d.svg, "M%d %dh%dv1h-%dz", x+QuietZone, y+QuietZone, run, run)
			x += run
		}
	}
	d.svg.WriteString(`"/></svg>`)
	return nil
}

func (d *drawing) Close() error { return nil }
