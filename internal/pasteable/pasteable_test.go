package pasteable

import (
	"slices"
	"testing"
)

// The checker finds each kind of break, and passes a fragment that keeps
// to the rules.
func TestProblems(t *testing.T) {
	for _, c := range []struct {
		fragment string
		want     []string
	}{
		{`<section style="a"><p style="b">甲<br><a href="https://mp.weixin.qq.com/s/x" style="c">乙</a></p><svg viewBox="0 0 1 1"><path d="M0 0h1v1z"/></svg></section>`, nil},
		{`<section><p style="b">甲</p></section>`, []string{"<section> has no inline style"}},
		{`<p style="b" class="x">甲</p>`, []string{`<p> has a class, "x"`}},
		{`<a style="c" href="https://example.org/">乙</a>`, []string{`a link to "https://example.org/"`}},
		{`<ul style="a"><li style="b"><ul style="a"><li style="b"><ol style="a"><li style="b">丙</li></ol></li></ul></li></ul>`, []string{"a list 3 levels deep"}},
	} {
		got, err := Problems(c.fragment)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.fragment, got, c.want)
		}
	}
}
