package markup

import (
	"slices"
	"strings"
	"testing"
)

// The label around a task changes the markup only: the summary, the counts,
// the links found and the joining of Chinese lines are those of the same
// list without checkboxes.
func TestTaskLabelsKeepText(t *testing.T) {
	resolve := func(dest string) (string, error) { return "/r" + dest, nil }
	tasks := mustConvertWith(t, New(Options{}), "- [x] 确定[授课人](/t/)\n  并通知\n- [ ] 安排**场地**", resolve)
	plain := mustConvertWith(t, New(Options{}), "- 确定[授课人](/t/)\n  并通知\n- 安排**场地**", resolve)
	lines := strings.Split(body(tasks), "\n")
	for _, want := range []string{
		`<li><label><input checked="" disabled="" type="checkbox"> 确定<a href="/r/t/">授课人</a>并通知</label></li>`,
		`<li><label><input disabled="" type="checkbox"> 安排<strong>场地</strong></label></li>`,
	} {
		if !slices.Contains(lines, want) {
			t.Errorf("no line %s in:\n%s", want, body(tasks))
		}
	}
	if tasks.Summary != plain.Summary || tasks.WordCount != plain.WordCount {
		t.Errorf("with checkboxes: summary %q, %d words; without: %q, %d words",
			tasks.Summary, tasks.WordCount, plain.Summary, plain.WordCount)
	}
	if len(tasks.Links) != 1 || tasks.Links[0].Dest != "/r/t/" || tasks.Links[0].Line != 1 {
		t.Errorf("links with checkboxes %+v; want /r/t/ on line 1", tasks.Links)
	}
}
