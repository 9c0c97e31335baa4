package diag

import "strings"

// Closest returns the candidate nearest to word by edit distance when it is
// near enough to be a likely typo: at most two edits, fewer than word has
// characters, and case differences count as near. It returns "" otherwise.
// Ties go to the candidate that sorts first, so messages are stable.
func Closest(word string, candidates []string) string {
	best, bestDist := "", 3
	lower := strings.ToLower(word)
	for _, cand := range candidates {
		dist := editDistance(lower, strings.ToLower(cand))
		if dist < bestDist || (dist == bestDist && cand < best) {
			best, bestDist = cand, dist
		}
	}
	if bestDist > 2 || bestDist >= len([]rune(word)) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in characters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
