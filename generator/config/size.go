package config

import (
	"fmt"
	"strconv"
	"strings"
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
		return Size{}, fmt.Errorf("%q is neither a paper name (A4, A5, A6, B5, B6) nor \"WIDTHmm HEIGHTmm\"", s)
	}
	w, err := ParseLength(parts[0])
	if err != nil {
		return Size{}, err
	}
	h, err := ParseLength(parts[1])
	if err != nil {
		return Size{}, err
	}
	if w <= 0 || h <= 0 {
		return Size{}, fmt.Errorf("%q must have a positive width and height", s)
	}
	return Size{w, h}, nil
}

// ParseLength reads a length in mm (or cm, in) and returns millimetres.
func ParseLength(s string) (float64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mm     float64
	}{{"mm", 1}, {"cm", 10}, {"in", 25.4}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || v < 0 {
				break
			}
			return v * u.mm, nil
		}
	}
	return 0, fmt.Errorf("%q is not a length like \"2mm\"", s)
}
