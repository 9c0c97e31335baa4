package config

import (
	"math"
	"strconv"
	"strings"

	"lanmu/generator/messages"
)

// Size is a paper or card size in millimetres.
type Size struct{ Width, Height float64 }

// paperSizes are the ISO sizes that print staff name, in millimetres.
var paperSizes = map[string]Size{
	"A3": {297, 420}, "A4": {210, 297}, "A5": {148, 210}, "A6": {105, 148},
	"B5": {176, 250}, "B6": {125, 176}, "LETTER": {215.9, 279.4},
}

// ParseSize reads a paper name (A4, A5, A6, B5, B6, …) or "WIDTHmm HEIGHTmm".
func ParseSize(s string) (Size, error) {
	if sz, ok := paperSizes[strings.ToUpper(strings.TrimSpace(s))]; ok {
		return sz, nil
	}
	parts := strings.Fields(s)
	if len(parts) != 2 {
		return Size{}, messages.Errorf("%q is neither a paper name (A4, A5, A6, B5, B6) nor \"WIDTHmm HEIGHTmm\"", s)
	}
	w, err := ParseLength(parts[0])
	if err != nil {
		return Size{}, err
	}
	h, err := ParseLength(parts[1])
	if err != nil {
		return Size{}, err
	}
	if w < minSideMM || h < minSideMM || w > maxLengthMM || h > maxLengthMM {
		return Size{}, messages.Errorf("%q must be from %gmm to %gmm on each side", s, float64(minSideMM), float64(maxLengthMM))
	}
	return Size{w, h}, nil
}

// Lengths are bounded to what paper can be: a sheet of 1e9 mm had the
// printer draw crop marks until memory ran out, and NaN or Inf would pass
// every comparison after. A3 is 420 mm high; no office printer takes a
// metre.
const (
	minSideMM   = 10
	maxLengthMM = 1000
)

// ParseLength reads a length in mm (or cm, in) from 0 to a metre and
// returns millimetres.
func ParseLength(s string) (float64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mm     float64
	}{{"mm", 1}, {"cm", 10}, {"in", 25.4}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || math.IsNaN(v) || v < 0 || v*u.mm > maxLengthMM {
				break
			}
			return v * u.mm, nil
		}
	}
	return 0, messages.Errorf("%q is not a length from 0 to %dmm like \"2mm\"", s, maxLengthMM)
}
