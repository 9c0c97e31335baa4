package build

import (
	"encoding/json"
	"strings"
	"testing"
)

type statusDoc struct {
	AsOf      string `json:"asOf"`
	Standards []struct {
		Number int    `json:"number"`
		Title  string `json:"title"`
		URL    string `json:"url"`
		Status string `json:"status"`
		Done   int    `json:"done"`
		Total  int    `json:"total"`
		Tasks  []struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Due      string `json:"due"`
			Status   string `json:"status"`
			Evidence *struct {
				Count int      `json:"count"`
				Min   int      `json:"min"`
				Pages []string `json:"pages"`
			} `json:"evidence"`
		} `json:"tasks"`
	} `json:"standards"`
}

// TestExampleStatusAsOf25May checks status.json of the example column on
// 2016-05-25 against values worked out by hand from the standards' front
// matter and the dates of the news and classes.
func TestExampleStatusAsOf25May(t *testing.T) {
	dest := buildExample(t, Options{AsOf: "2016-05-25"})
	raw := readOut(t, dest, "standards/status.json")
	var doc statusDoc
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields() // exactly the SPEC's shape
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("status.json: %v", err)
	}
	if doc.AsOf != "2016-05-25" || len(doc.Standards) != 12 {
		t.Fatalf("asOf %q, %d standards", doc.AsOf, len(doc.Standards))
	}
	type want struct{ due, status string }
	tasks := map[int]map[string]want{
		// Declared done dates: 04-26 on time, 05-04 after the 04-30 due
		// (late), 05-18 and 04-28 on time; two open tasks further out.
		1: {"rectify-ledger": {"2016-04-30", "done"}, "rectify-complete": {"2016-12-31", "open"},
			"shuangzhao-report": {"2016-04-30", "late"}, "lost-contact-disposal": {"2016-08-31", "open"},
			"cadre-training": {"2016-05-20", "done"}, "mobilization-meeting": {"2016-04-30", "done"}},
		// The theme Party day news of 05-10 meets the mid-May task; the
		// leaders' task is in progress past 05-15.
		2: {"branch-theme-day": {"2016-05-15", "done"}, "leaders-join-theme-day": {"2016-05-15", "overdue"}},
		// Q2 has no 集中学习 news before 05-26 and has not ended: open, due
		// at the quarter's end.
		3: {"committee-quarterly-study": {"2016-06-30", "open"}},
		// Done on 06-24 and 07-06, both after 05-25: not done yet, open.
		4: {"leader-class-own-branch": {"2016-06-30", "open"}, "leader-class-project-village": {"2016-06-30", "open"},
			"branch-party-class": {"2016-06-30", "open"}},
		// The first contact is declared done on 05-27, after 05-25, and is
		// due 05-31: six days away, within the 14-day window.
		8: {"first-contact": {"2016-05-31", "due-soon"}},
	}
	standards := map[int]struct {
		status      string
		done, total int
	}{1: {"open", 4, 6}, 2: {"overdue", 1, 2}, 3: {"open", 1, 5}, 4: {"open", 1, 5}, 8: {"due-soon", 2, 6}}
	for _, st := range doc.Standards {
		if ws, ok := standards[st.Number]; ok && (st.Status != ws.status || st.Done != ws.done || st.Total != ws.total) {
			t.Errorf("standard %d: %s %d/%d, want %s %d/%d", st.Number, st.Status, st.Done, st.Total, ws.status, ws.done, ws.total)
		}
		if !strings.HasPrefix(st.URL, "https://www.example.gov.cn/xxjy/standards/") {
			t.Errorf("standard %d url %q", st.Number, st.URL)
		}
		for _, task := range st.Tasks {
			if w, ok := tasks[st.Number][task.ID]; ok {
				if task.Due != w.due || task.Status != w.status {
					t.Errorf("standard %d task %s: due %s %s, want %s %s", st.Number, task.ID, task.Due, task.Status, w.due, w.status)
				}
				delete(tasks[st.Number], task.ID)
			}
			switch task.ID {
			case "branch-theme-day":
				if e := task.Evidence; e == nil || e.Count != 1 || e.Min != 1 || len(e.Pages) != 1 || e.Pages[0] != "https://www.example.gov.cn/xxjy/news/zhuti-dangri/" {
					t.Errorf("branch-theme-day evidence %+v", e)
				}
			case "branch-party-class":
				if e := task.Evidence; e == nil || e.Count != 0 || e.Min != 1 {
					t.Errorf("branch-party-class evidence before the June classes %+v", e)
				}
			case "rectify-ledger":
				if task.Evidence != nil {
					t.Errorf("a task without an evidence rule has evidence %+v", task.Evidence)
				}
			}
		}
	}
	for n, left := range tasks {
		for id := range left {
			t.Errorf("standard %d has no task %s", n, id)
		}
	}
}

// TestExampleStatusPage checks the page inspectors read: counts, rows,
// the timeline and the links to evidence, and the home page's summary.
func TestExampleStatusPage(t *testing.T) {
	dest := buildExample(t, Options{})
	page := readOut(t, dest, "standards/index.html")
	for _, want := range []string{
		"截至2016年7月15日",
		`<li class="status-counts__item status-counts__item--overdue"><span class="status-counts__n">1</span>`,
		`<tr class="status-table__row status-table__row--overdue">`,
		`<progress max="2" value="1"`,
		`<svg class="timeline__svg"`,
		`class="timeline__asof"`,
		`<use class="timeline__mark status--overdue" href="#shape-overdue"`,
		`id="task-2-leaders-join-theme-day"`,
		`<a href="/xxjy/news/zhuti-dangri/">`,
		`<symbol id="shape-overdue"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the status page lacks %s", want)
		}
	}
	if strings.Contains(page, "/standards/page/2/") {
		t.Errorf("the status page is paginated")
	}
	for _, s := range elements(t, page, "script") {
		// Every page loads care.js, which only remembers 关怀模式.
		if !strings.HasSuffix(s["src"], "/js/care.js") {
			t.Errorf("the status page needs a script: %v", s)
		}
	}
	home := readOut(t, dest, "index.html")
	if !strings.Contains(home, "12 项基本标准中，11 项无逾期任务") || !strings.Contains(home, "1 项有逾期任务") {
		t.Errorf("the home page lacks the status summary")
	}
	std := readOut(t, dest, "standards/02-zhuti-dangri/index.html")
	if !strings.Contains(std, `<span class="status status--overdue">`) || !strings.Contains(std, "填报：推进中") {
		t.Errorf("a standard's page lacks its tasks' computed and declared status")
	}
}
