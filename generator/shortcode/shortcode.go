// Package shortcode gives every page a short address, /s/CODE/, for QR
// codes and for typing from paper: a Chinese slug makes a long
// percent-encoded URL, and a long URL makes a dense code that fails on a
// worn card.
//
// A code is six characters from an alphabet of lowercase letters and
// digits without the look-alikes (no 0, 1, l or o), taken from a SHA-256
// of the page's key, its source path. It depends on nothing else, so it is
// the same in every build, and a page keeps its code when others come and
// go. Two keys whose first codes meet (among 10,000 pages, one such pair
// is expected in about one site of twenty) are parted in the order of their keys: the first keeps its
// code and the other takes its next one. So a code can change only when a
// new page's key sorts before an old one's and their codes meet.
package shortcode

import (
	"crypto/sha256"
	"slices"
	"strconv"
)

// Alphabet is the characters of a code: lowercase ASCII letters and
// digits that cannot be mistaken for one another when read off paper.
const Alphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// Length is the characters in a code: 32⁶, about a billion codes.
const Length = 6

// Candidate is a key's code at the given attempt: attempt 0 is its first
// choice, later ones are tried when the earlier are taken.
func Candidate(key string, attempt int) string {
	seed := key
	if attempt > 0 {
		seed += "\x00" + strconv.Itoa(attempt)
	}
	sum := sha256.Sum256([]byte(seed))
	code := make([]byte, Length)
	// Five bits a character, from the front of the hash.
	var acc uint64
	for i := range 8 {
		acc = acc<<8 | uint64(sum[i])
	}
	for i := range code {
		code[i] = Alphabet[acc>>(64-5*(i+1))&31]
	}
	return string(code)
}

// Assign gives each key a code that no other key and no reserved code has.
// reserved says whether a code is already used (a page of the site at
// /s/CODE/); it may be nil.
func Assign(keys []string, reserved func(code string) bool) map[string]string {
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	taken := make(map[string]bool, len(sorted))
	out := make(map[string]string, len(sorted))
	for _, key := range sorted {
		for attempt := 0; ; attempt++ {
			c := Candidate(key, attempt)
			if taken[c] || (reserved != nil && reserved(c)) {
				continue
			}
			taken[c] = true
			out[key] = c
			break
		}
	}
	return out
}
