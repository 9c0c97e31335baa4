// Package qr draws QR codes as SVG: on the backs of knowledge cards, in the
// pocket book and in an article's printed page, each leading a reader from
// paper back to the column, and at the end of an article's 公众号 copy.
//
// The code's matrix comes from github.com/piglig/go-qr, a maintained port
// of Project Nayuki's QR Code generator with no dependencies, which picks
// the mask the same way every time. (yeqown/go-qrcode/v2 was tried first:
// it scores the eight masks in goroutines and keeps the first of a tie to
// arrive, so the same address gave different codes from build to build.)
// Its SVG is one path of the whole code; the SVG here is drawn from the
// modules as runs of squares, the size left to the stylesheet, so a code
// is sharp at any scale on paper.
package qr

import (
	"fmt"
	"strconv"

	goqr "github.com/piglig/go-qr"
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
	segs, err := goqr.MakeSegments(text)
	if err != nil {
		return Code{}, fmt.Errorf("qr: %w", err)
	}
	// Any version, the mask the library finds best, and M as asked rather
	// than raised to a higher level that would fit the same version.
	q, err := goqr.EncodeSegments(segs, goqr.Medium, 1, 40, -1, false)
	if err != nil {
		return Code{}, fmt.Errorf("qr: %w", err)
	}
	n := q.Size()
	side := n + 2*QuietZone
	// strconv into one slice rather than fmt: the drawing took as long as
	// the encoding did.
	s := strconv.Itoa(side)
	svg := make([]byte, 0, 4096)
	svg = append(svg, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `+s+` `+s+`" shape-rendering="crispEdges">`+
		`<rect width="`+s+`" height="`+s+`" fill="#fff"/><path fill="#000" d="`...)
	// One rectangle per horizontal run of dark modules: a third of the
	// squares' path, and no hairline seams between neighbours.
	for y := range n {
		for x := 0; x < n; {
			if !q.Module(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < n && q.Module(x+run, y) {
				run++
			}
			svg = append(svg, 'M')
			svg = strconv.AppendInt(svg, int64(x+QuietZone), 10)
			svg = append(svg, ' ')
			svg = strconv.AppendInt(svg, int64(y+QuietZone), 10)
			svg = append(svg, 'h')
			svg = strconv.AppendInt(svg, int64(run), 10)
			svg = append(svg, "v1h-"...)
			svg = strconv.AppendInt(svg, int64(run), 10)
			svg = append(svg, 'z')
			x += run
		}
	}
	svg = append(svg, `"/></svg>`...)
	return Code{Modules: side, SVG: string(svg)}, nil
}
