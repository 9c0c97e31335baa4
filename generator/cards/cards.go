// Package cards lays knowledge cards out on printer sheets for duplex
// printing: how many cards a sheet holds with room for bleed and crop
// marks, where each card's front and back go so that the back lands behind
// its front once the sheet is turned over, the crop marks the guillotine
// operator cuts along, and the type size each card's answer needs. It
// knows nothing of pages or templates: the build hands it the cards and
// the length of each answer, and gets positions in millimetres back.
package cards

import (
	"fmt"
	"math"

	"lanmu/generator/config"
)

const (
	markGap     = 1.0 // between the bleed and a crop mark, mm
	markLen     = 3.0 // crop mark length, mm
	sheetMargin = 8.0 // the printer's unprintable edge, mm
)

// Layout is the grid of cards on a sheet. All lengths are in millimetres.
type Layout struct {
	Sheet  config.Size
	Card   config.Size
	Bleed  float64
	Gutter float64 // between cards: room for the bleed and the crop marks
	Mark   float64 // crop mark length
	Cols   int
	Rows   int
	// Duplex is the edge the printer turns the sheet over: "long" or
	// "short".
	Duplex string
	// QR is the side of the QR code in a back's corner, 0 for none: the
	// answer has that much less room.
	QR float64
}

// NewLayout fits as many cards as the sheet holds inside its unprintable
// edge, at least one, and centres the grid on the sheet.
func NewLayout(sheet, card config.Size, bleed float64, duplex string) Layout {
	l := Layout{Sheet: sheet, Card: card, Bleed: bleed, Mark: markLen, Duplex: duplex}
	l.Gutter = 2 * (bleed + markGap + markLen)
	l.Cols = max(1, int(math.Floor((sheet.Width-2*sheetMargin+l.Gutter)/(card.Width+l.Gutter))))
	l.Rows = max(1, int(math.Floor((sheet.Height-2*sheetMargin+l.Gutter)/(card.Height+l.Gutter))))
	return l
}

// PerSheet is the number of cards on one sheet.
func (l Layout) PerSheet() int { return l.Cols * l.Rows }

// offset is where the centred grid's top-left trim corner is.
func (l Layout) offset() (x, y float64) {
	gridW := float64(l.Cols)*l.Card.Width + float64(l.Cols-1)*l.Gutter
	gridH := float64(l.Rows)*l.Card.Height + float64(l.Rows-1)*l.Gutter
	return (l.Sheet.Width - gridW) / 2, (l.Sheet.Height - gridH) / 2
}

// at is the top-left trim corner of the card in a row and column, rounded
// to a hundredth of a millimetre, finer than any printer places it.
func (l Layout) at(row, col int) (x, y float64) {
	offX, offY := l.offset()
	return round2(offX + float64(col)*(l.Card.Width+l.Gutter)), round2(offY + float64(row)*(l.Card.Height+l.Gutter))
}

// backOf is where the back of the card in a row and column goes: the
// sheet turned over its long edge swaps the columns, over its short edge
// the rows.
func (l Layout) backOf(row, col int) (int, int) {
	if l.Duplex == "short" {
		return l.Rows - 1 - row, col
	}
	return row, l.Cols - 1 - col
}

// Side is one side of one sheet.
type Side[C any] struct {
	Back   bool
	Number int // the sheet's number, from 1
	Slots  []Slot[C]
}

// Slot is one card on a side: where its trimmed edge starts, in mm from
// the side's top-left corner.
type Slot[C any] struct {
	X, Y     float64
	Row, Col int
	// Code numbers the card in print order ("C-07") on both faces, so cut
	// cards can be sorted and a back matched to its front.
	Code string
	Card C
	Fit  Fit // the type size the text needs; always Normal on a front
}

// Impose lays the cards out in order, a front side and then its back side
// for each sheet. answerLen gives the length in characters of a card's
// answer, printed on its back; tooLong are the cards whose answer does not
// fit even at the smallest type size.
func Impose[C any](l Layout, cards []C, answerLen func(C) int) (sides []Side[C], tooLong []C) {
	per := l.PerSheet()
	for start, n := 0, 1; start < len(cards); start, n = start+per, n+1 {
		front := Side[C]{Number: n}
		back := Side[C]{Number: n, Back: true}
		for i, c := range cards[start:min(start+per, len(cards))] {
			r, col := i/l.Cols, i%l.Cols
			x, y := l.at(r, col)
			code := fmt.Sprintf("C-%02d", start+i+1)
			front.Slots = append(front.Slots, Slot[C]{X: x, Y: y, Row: r, Col: col, Code: code, Card: c, Fit: Normal})
			br, bc := l.backOf(r, col)
			bx, by := l.at(br, bc)
			fit := FitFor(answerLen(c), l.Card, l.QR)
			if fit == TooLong {
				tooLong = append(tooLong, c)
			}
			back.Slots = append(back.Slots, Slot[C]{X: bx, Y: by, Row: br, Col: bc, Code: code, Card: c, Fit: fit})
		}
		sides = append(sides, front, back)
	}
	return sides, tooLong
}

// Fit is the type size a card's text is set in; themes use it in a class
// name (card__inner--small).
type Fit string

// The type sizes, from the theme's normal size down.
const (
	Normal  Fit = "normal"
	Small   Fit = "small"
	Smaller Fit = "smaller"
	// TooLong is a text too long even for Smaller: it is printed at that
	// size and flagged rather than clipped.
	TooLong Fit = "too-long"
)

// FitFor picks the type size for a text of n characters on a card with a
// QR code of side qr mm in its corner (0 for none): the text is measured
// against the card's area less the code's, so a long answer shrinks a
// little.
func FitFor(n int, card config.Size, qr float64) Fit {
	capacity := card.Width * card.Height / (85 * 54) // relative to a bank card
	if qr > 0 {
		// The answer's box is the card less its padding (10 mm across,
		// 11.5 down); the code takes its square and a gap of 1.5 mm.
		box := (card.Width - 10) * (card.Height - 11.5)
		capacity *= 1 - (qr+1.5)*(qr+1.5)/box
	}
	switch {
	case float64(n) <= 90*capacity:
		return Normal
	case float64(n) <= 140*capacity:
		return Small
	case float64(n) <= 200*capacity:
		return Smaller
	}
	return TooLong
}

// Line is a crop mark, in mm from the sheet's top-left corner.
type Line struct{ X1, Y1, X2, Y2 float64 }

// CropMarks returns the crop marks of a sheet: at every trim edge, a short
// line centred in each gutter and margin band it crosses, clear of the
// bleed, so the guillotine operator can cut along them.
func (l Layout) CropMarks() []Line {
	offX, offY := l.offset()
	gridW := float64(l.Cols)*l.Card.Width + float64(l.Cols-1)*l.Gutter
	gridH := float64(l.Rows)*l.Card.Height + float64(l.Rows-1)*l.Gutter
	var xs, ys, xBands, yBands []float64 // trim edges; centres of the bands between and around cards
	for col := 0; col < l.Cols; col++ {
		x := offX + float64(col)*(l.Card.Width+l.Gutter)
		xs = append(xs, x, x+l.Card.Width)
		xBands = append(xBands, x-l.Gutter/2)
	}
	xBands = append(xBands, offX+gridW+l.Gutter/2)
	for r := 0; r < l.Rows; r++ {
		y := offY + float64(r)*(l.Card.Height+l.Gutter)
		ys = append(ys, y, y+l.Card.Height)
		yBands = append(yBands, y-l.Gutter/2)
	}
	yBands = append(yBands, offY+gridH+l.Gutter/2)
	var out []Line
	half := l.Mark / 2
	for _, x := range xs {
		for _, yb := range yBands {
			out = append(out, Line{round2(x), round2(yb - half), round2(x), round2(yb + half)})
		}
	}
	for _, y := range ys {
		for _, xb := range xBands {
			out = append(out, Line{round2(xb - half), round2(y), round2(xb + half), round2(y)})
		}
	}
	return out
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
