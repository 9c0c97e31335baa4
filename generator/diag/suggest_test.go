package diag

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"title", "date", "学习-教育", "tags"}
	for word, want := range map[string]string{
		"titel":   "title",
		"Title":   "title",
		"学习教育":    "学习-教育",
		"summary": "",
		"a":       "", // one edit from many, but too short to guess
	} {
		if got := Closest(word, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", word, got, want)
		}
	}
}
