package standards

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"lanmu/generator/content"
)

// taskCase is one task judged on one as-of day.
type taskCase struct {
	name   string
	asOf   string // D: a bare day, or an RFC 3339 instant
	soon   int    // DueSoonDays
	task   content.Task
	pages  []*content.Page
	want   Status
	due    string // expected Due day, "" for none
	doneOn string // expected DoneOn day, "" for none
	count  int    // expected Evidence.Count, when the task has evidence
}

func runTaskCases(t *testing.T, cases []taskCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.task.ID, c.task.Title = "t", "任务"
			r := Evaluate([]*content.Page{std(1, c.task)}, c.pages, Options{AsOf: d(c.asOf), Location: sh, DueSoonDays: c.soon})
			ts := r.Standards[0].Tasks[0]
			if ts.Status != c.want {
				t.Errorf("D=%s: status %s, want %s", c.asOf, ts.Status, c.want)
			}
			if got := ymd(ts.Due); got != c.due {
				t.Errorf("D=%s: due %q, want %q", c.asOf, got, c.due)
			}
			if got := ymd(ts.DoneOn); got != c.doneOn {
				t.Errorf("D=%s: done on %q, want %q", c.asOf, got, c.doneOn)
			}
			if c.task.Evidence != nil {
				if ts.Evidence == nil {
					t.Fatalf("D=%s: no evidence status", c.asOf)
				}
				if ts.Evidence.Count != c.count {
					t.Errorf("D=%s: evidence count %d, want %d", c.asOf, ts.Evidence.Count, c.count)
				}
			} else if ts.Evidence != nil {
				t.Errorf("evidence status %+v for a task without an evidence rule", ts.Evidence)
			}
		})
	}
}

// due430 is a one-off task due 2016-04-30 (the example's 整顿台账 task).
func due430(status, done string) content.Task {
	return content.Task{Due: d("2016-04-30"), Status: status, Done: d(done)}
}

func TestOneOffDeclared(t *testing.T) {
	runTaskCases(t, []taskCase{
		{name: "D is the due day: due-soon, not overdue", asOf: "2016-04-30", soon: 14, task: due430("", ""), want: DueSoon, due: "2016-04-30"},
		{name: "D is the day after due: overdue", asOf: "2016-05-01", soon: 14, task: due430("", ""), want: Overdue, due: "2016-04-30"},
		{name: "due-D == DueSoonDays (14): due-soon", asOf: "2016-04-16", soon: 14, task: due430("", ""), want: DueSoon, due: "2016-04-30"},
		{name: "due-D == DueSoonDays+1 (15): open", asOf: "2016-04-15", soon: 14, task: due430("", ""), want: Open, due: "2016-04-30"},
		{name: "DueSoonDays 0, D is the due day: due-soon", asOf: "2016-04-30", soon: 0, task: due430("", ""), want: DueSoon, due: "2016-04-30"},
		{name: "DueSoonDays 0, D the day before due: open", asOf: "2016-04-29", soon: 0, task: due430("", ""), want: Open, due: "2016-04-30"},
		{name: "DueSoonDays negative counts as 0: due day still due-soon", asOf: "2016-04-30", soon: -5, task: due430("", ""), want: DueSoon, due: "2016-04-30"},
		{name: "D as an instant late on 29 April UTC is 30 April in Shanghai: due-soon", asOf: "2016-04-29T16:00:00Z", soon: 0, task: due430("", ""), want: DueSoon, due: "2016-04-30"},
		{name: "D as an instant at 16:00Z on the due day is 1 May in Shanghai: overdue", asOf: "2016-04-30T16:00:00Z", task: due430("", ""), want: Overdue, due: "2016-04-30"},
		{name: "D as an instant at 15:59:59Z on the due day is still 30 April: due-soon", asOf: "2016-04-30T15:59:59Z", task: due430("", ""), want: DueSoon, due: "2016-04-30"},
		{name: "done on the due day: done", asOf: "2016-05-10", task: due430("done", "2016-04-30"), want: Done, due: "2016-04-30", doneOn: "2016-04-30"},
		{name: "done before due, D before due: done", asOf: "2016-04-25", soon: 14, task: due430("done", "2016-04-20"), want: Done, due: "2016-04-30", doneOn: "2016-04-20"},
		{name: "done the day after due: late", asOf: "2016-05-10", task: due430("done", "2016-05-01"), want: Late, due: "2016-04-30", doneOn: "2016-05-01"},
		{name: "done at 23:59+08:00 on the due day: done", asOf: "2016-05-10", task: due430("done", "2016-04-30T23:59:00+08:00"), want: Done, due: "2016-04-30", doneOn: "2016-04-30"},
		{name: "done at 16:30Z on the due day is 1 May in Shanghai: late", asOf: "2016-05-10", task: due430("done", "2016-04-30T16:30:00Z"), want: Late, due: "2016-04-30", doneOn: "2016-05-01"},
		{name: "done on D itself counts", asOf: "2016-05-10", task: due430("done", "2016-05-10"), want: Late, due: "2016-04-30", doneOn: "2016-05-10"},
		{name: "declared done after D, D in the window: not done yet, due-soon", asOf: "2016-04-20", soon: 14, task: due430("done", "2016-04-28"), want: DueSoon, due: "2016-04-30"},
		{name: "declared done after D, D before the window: not done yet, open", asOf: "2016-04-01", soon: 14, task: due430("done", "2016-04-28"), want: Open, due: "2016-04-30"},
		{name: "declared done after D, D past due: not done yet, overdue", asOf: "2016-05-10", task: due430("done", "2016-05-20"), want: Overdue, due: "2016-04-30"},
		{name: "status done without a date: done, DoneOn zero, even past due", asOf: "2016-06-01", task: due430("done", ""), want: Done, due: "2016-04-30"},
		{name: "status done without a date, D before due: done", asOf: "2016-04-01", task: due430("done", ""), want: Done, due: "2016-04-30"},
		{name: "in-progress changes nothing: overdue past due", asOf: "2016-05-01", task: due430("in-progress", ""), want: Overdue, due: "2016-04-30"},
		{name: "not-started changes nothing: open before the window", asOf: "2016-04-01", soon: 14, task: due430("not-started", ""), want: Open, due: "2016-04-30"},
		{name: "a done date without status done is not a declaration", asOf: "2016-05-10", task: due430("in-progress", "2016-04-20"), want: Overdue, due: "2016-04-30"},
		{name: "neither due nor every (Check reports it): open with no due", asOf: "2016-05-10", task: content.Task{}, want: Open},
		{name: "neither due nor every but declared done: done", asOf: "2016-05-10", task: content.Task{Status: "done", Done: d("2016-05-01")}, want: Done, doneOn: "2016-05-01"},
	})
}

// studyRule is the example's evidence rule: news tagged 集中学习.
func studyRule(min int) *content.Evidence {
	return &content.Evidence{Section: "news", Tags: []string{"集中学习"}, Min: min}
}

// due630 is a one-off task due 2016-06-30 met by evidence.
func due630(ev *content.Evidence) content.Task {
	return content.Task{Due: d("2016-06-30"), Evidence: ev}
}

func TestOneOffEvidence(t *testing.T) {
	runTaskCases(t, []taskCase{
		{name: "Min-th (2nd) page on the due day: done", asOf: "2016-07-05", task: due630(studyRule(2)),
			pages: []*content.Page{news("2016-06-01", "集中学习"), news("2016-06-30", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-30", count: 2},
		{name: "Min-th (2nd) page the day after due: late", asOf: "2016-07-05", task: due630(studyRule(2)),
			pages: []*content.Page{news("2016-07-01", "集中学习"), news("2016-06-01", "集中学习")}, want: Late, due: "2016-06-30", doneOn: "2016-07-01", count: 2},
		{name: "Min-th page is the 2nd by date, not the 3rd: done on the 2nd's day", asOf: "2016-07-05", task: due630(studyRule(2)),
			pages: []*content.Page{news("2016-07-02", "集中学习"), news("2016-06-01", "集中学习"), news("2016-06-20", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-20", count: 3},
		{name: "one of Min 2 by D, the other after D: overdue", asOf: "2016-07-05", task: due630(studyRule(2)),
			pages: []*content.Page{news("2016-06-01", "集中学习"), news("2016-07-06", "集中学习")}, want: Overdue, due: "2016-06-30", count: 1},
		{name: "Min-th page dated after D is not counted yet: due-soon", asOf: "2016-06-25", soon: 14, task: due630(studyRule(2)),
			pages: []*content.Page{news("2016-06-01", "集中学习"), news("2016-06-26", "集中学习")}, want: DueSoon, due: "2016-06-30", count: 1},
		{name: "Min-th page on D counts: done before due", asOf: "2016-06-26", task: due630(studyRule(2)),
			pages: []*content.Page{news("2016-06-01", "集中学习"), news("2016-06-26", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-26", count: 2},
		{name: "page at 2016-06-30T23:59:00+08:00 is on the due day: done", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{news("2016-06-30T23:59:00+08:00", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-30", count: 1},
		{name: "page at 2016-06-30T16:30:00Z is 1 July in Shanghai: late", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{news("2016-06-30T16:30:00Z", "集中学习")}, want: Late, due: "2016-06-30", doneOn: "2016-07-01", count: 1},
		{name: "page at 2016-07-01T00:30:00+08:00 is 1 July: late", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{news("2016-07-01T00:30:00+08:00", "集中学习")}, want: Late, due: "2016-06-30", doneOn: "2016-07-01", count: 1},
		{name: "page at 2016-06-30T23:30:00Z is 1 July (07:30) in Shanghai: late", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{news("2016-06-30T23:30:00Z", "集中学习")}, want: Late, due: "2016-06-30", doneOn: "2016-07-01", count: 1},
		{name: "page at 2016-06-30T16:30:00Z with D = 30 June: not yet counted, due-soon", asOf: "2016-06-30", task: due630(studyRule(1)),
			pages: []*content.Page{news("2016-06-30T16:30:00Z", "集中学习")}, want: DueSoon, due: "2016-06-30", count: 0},
		{name: "wrong section does not count", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{page("readings", "2016-06-01", "集中学习")}, want: Overdue, due: "2016-06-30"},
		{name: "all tags needed: a page missing one does not count", asOf: "2016-07-05",
			task:  due630(&content.Evidence{Section: "news", Tags: []string{"集中学习", "党委"}, Min: 1}),
			pages: []*content.Page{news("2016-06-01", "集中学习"), news("2016-06-02", "党委")}, want: Overdue, due: "2016-06-30"},
		{name: "all tags carried, among others: counts", asOf: "2016-07-05",
			task:  due630(&content.Evidence{Section: "news", Tags: []string{"集中学习", "党委"}, Min: 1}),
			pages: []*content.Page{news("2016-06-01", "其他", "党委", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-01", count: 1},
		{name: "tags match exactly: 集中 学习 is not 集中学习", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{news("2016-06-01", "集中 学习"), news("2016-06-02", "集中学习 ")}, want: Overdue, due: "2016-06-30"},
		{name: "no tags in the rule: any page of the section counts", asOf: "2016-07-05", task: due630(&content.Evidence{Section: "news", Min: 1}),
			pages: []*content.Page{news("2016-06-01")}, want: Done, due: "2016-06-30", doneOn: "2016-06-01", count: 1},
		{name: "a page with no date never counts", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{news("", "集中学习")}, want: Overdue, due: "2016-06-30"},
		{name: "a list page (section) is not evidence", asOf: "2016-07-05", task: due630(studyRule(1)),
			pages: []*content.Page{func() *content.Page { p := news("2016-06-01", "集中学习"); p.Kind = content.KindSection; return p }()}, want: Overdue, due: "2016-06-30"},
		{name: "a page the day before From does not count", asOf: "2016-07-05",
			task:  content.Task{Due: d("2016-06-30"), From: d("2016-06-10"), Evidence: studyRule(1)},
			pages: []*content.Page{news("2016-06-09T23:59:00+08:00", "集中学习")}, want: Overdue, due: "2016-06-30"},
		{name: "a page on the From day counts (by day, not instant)", asOf: "2016-07-05",
			task:  content.Task{Due: d("2016-06-30"), From: d("2016-06-10T12:00:00+08:00"), Evidence: studyRule(1)},
			pages: []*content.Page{news("2016-06-10T08:00:00+08:00", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-10", count: 1},
		{name: "declared done later than the evidence: the evidence's earlier day", asOf: "2016-07-05",
			task:  content.Task{Due: d("2016-06-30"), Status: "done", Done: d("2016-07-03"), Evidence: studyRule(1)},
			pages: []*content.Page{news("2016-06-20", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-20", count: 1},
		{name: "declared done earlier than the evidence: the declared day", asOf: "2016-07-05",
			task:  content.Task{Due: d("2016-06-30"), Status: "done", Done: d("2016-06-10"), Evidence: studyRule(1)},
			pages: []*content.Page{news("2016-07-02", "集中学习")}, want: Done, due: "2016-06-30", doneOn: "2016-06-10", count: 1},
		{name: "declared done after D, evidence late: late on the evidence's day", asOf: "2016-07-05",
			task:  content.Task{Due: d("2016-06-30"), Status: "done", Done: d("2016-07-20"), Evidence: studyRule(1)},
			pages: []*content.Page{news("2016-07-02", "集中学习")}, want: Late, due: "2016-06-30", doneOn: "2016-07-02", count: 1},
		{name: "min written as 0 (Check reports it) still needs a page", asOf: "2016-07-05", task: due630(studyRule(0)),
			want: Overdue, due: "2016-06-30"},
		{name: "branch rule: another branch's class does not count", asOf: "2016-07-05",
			task:  due630(&content.Evidence{Section: "classes", Branch: "一支部", Min: 1}),
			pages: []*content.Page{class("2016-06-01", "二支部"), page("classes", "2016-06-02")}, want: Overdue, due: "2016-06-30"},
		{name: "branch rule: that branch's class counts", asOf: "2016-07-05",
			task:  due630(&content.Evidence{Section: "classes", Branch: "一支部", Min: 1}),
			pages: []*content.Page{class("2016-06-01", "二支部"), class("2016-06-03", "一支部")}, want: Done, due: "2016-06-30", doneOn: "2016-06-03", count: 1},
	})
}

// perBranch is the example's 讲党课 rule: a class tagged 建党95周年 from
// every branch.
func perBranch(min int) *content.Evidence {
	return &content.Evidence{Section: "classes", Tags: []string{"建党95周年"}, Min: min, Per: "branch"}
}

func TestOneOffPerBranch(t *testing.T) {
	// 三支部 is named only by a class without the tag and without a date:
	// it is still a branch of the site, so it still owes a class.
	third := class("", "三支部")
	runTaskCases(t, []taskCase{
		{name: "two of three branches: not met, due-soon", asOf: "2016-06-25", soon: 14, task: due630(perBranch(1)),
			pages: []*content.Page{class("2016-06-10", "一支部", "建党95周年"), class("2016-06-20", "二支部", "建党95周年"), third},
			want:  DueSoon, due: "2016-06-30", count: 0},
		{name: "last branch on the due day: done on that day", asOf: "2016-07-05", task: due630(perBranch(1)),
			pages: []*content.Page{class("2016-06-10", "一支部", "建党95周年"), class("2016-06-20", "二支部", "建党95周年"), class("2016-06-30", "三支部", "建党95周年")},
			want:  Done, due: "2016-06-30", doneOn: "2016-06-30", count: 1},
		{name: "last branch the day after due: late, whatever the others did", asOf: "2016-07-05", task: due630(perBranch(1)),
			pages: []*content.Page{class("2016-06-10", "一支部", "建党95周年"), class("2016-06-20", "二支部", "建党95周年"), class("2016-07-01", "三支部", "建党95周年")},
			want:  Late, due: "2016-06-30", doneOn: "2016-07-01", count: 1},
		{name: "many pages from one branch do not make up for another", asOf: "2016-07-05", task: due630(perBranch(1)),
			pages: []*content.Page{class("2016-06-10", "一支部", "建党95周年"), class("2016-06-11", "一支部", "建党95周年"), class("2016-06-12", "一支部", "建党95周年"), third},
			want:  Overdue, due: "2016-06-30", count: 0},
		{name: "Min 2 per branch: Count is the fewest; met on the Min-th page of the slowest branch", asOf: "2016-07-05", task: due630(perBranch(2)),
			pages: []*content.Page{
				class("2016-06-01", "一支部", "建党95周年"), class("2016-06-02", "一支部", "建党95周年"), class("2016-06-03", "一支部", "建党95周年"),
				class("2016-06-05", "二支部", "建党95周年"), class("2016-06-28", "二支部", "建党95周年"),
			},
			want: Done, due: "2016-06-30", doneOn: "2016-06-28", count: 2},
		{name: "no branches at all: never met", asOf: "2016-07-05", task: due630(perBranch(1)),
			pages: []*content.Page{page("classes", "2016-06-01", "建党95周年"), news("2016-06-01", "建党95周年")},
			want:  Overdue, due: "2016-06-30"},
	})
}

// quarterly is the example's 集中学习 task: every quarter of the rest of 2016.
func quarterly(min int) content.Task {
	return content.Task{Every: "quarter", From: d("2016-04-01"), To: d("2016-12-31"), Evidence: studyRule(min)}
}

func TestRecurring(t *testing.T) {
	q2, q3, q4 := news("2016-05-10", "集中学习"), news("2016-08-10", "集中学习"), news("2016-11-10", "集中学习")
	runTaskCases(t, []taskCase{
		{name: "D = 2016-06-30 without Q2 evidence: open, the quarter is still running", asOf: "2016-06-30", soon: 14, task: quarterly(1),
			want: Open, due: "2016-06-30"},
		{name: "D = 2016-07-01 without Q2 evidence: overdue", asOf: "2016-07-01", task: quarterly(1),
			want: Overdue, due: "2016-09-30"},
		{name: "D = 2016-07-01 with Q2 met: open, Count is Q3's", asOf: "2016-07-01", task: quarterly(1),
			pages: []*content.Page{q2}, want: Open, due: "2016-09-30", count: 0},
		{name: "a period that has not ended and is met: still open", asOf: "2016-05-20", task: quarterly(1),
			pages: []*content.Page{q2}, want: Open, due: "2016-06-30", count: 1},
		{name: "page at 2016-06-30T23:59:00+08:00 meets Q2", asOf: "2016-07-01", task: quarterly(1),
			pages: []*content.Page{news("2016-06-30T23:59:00+08:00", "集中学习")}, want: Open, due: "2016-09-30", count: 0},
		{name: "page at 2016-06-30T16:30:00Z is in Q3 (1 July in Shanghai): Q2 unmet, overdue", asOf: "2016-07-01", task: quarterly(1),
			pages: []*content.Page{news("2016-06-30T16:30:00Z", "集中学习")}, want: Overdue, due: "2016-09-30", count: 1},
		{name: "Min does not carry over between periods", asOf: "2016-07-01", task: quarterly(2),
			pages: []*content.Page{news("2016-06-29", "集中学习"), news("2016-07-01", "集中学习")}, want: Overdue, due: "2016-09-30", count: 1},
		{name: "all met, D = To: open, the last quarter is still running", asOf: "2016-12-31", task: quarterly(1),
			pages: []*content.Page{q2, q3, q4}, want: Open, due: "2016-12-31", count: 1},
		{name: "all met and ended: done on the day the last period was met", asOf: "2017-01-01", task: quarterly(1),
			pages: []*content.Page{q2, q3, q4}, want: Done, due: "2016-12-31", doneOn: "2016-11-10", count: 1},
		{name: "after To: Count is the last period's, pages after To not counted", asOf: "2017-03-01", task: quarterly(1),
			pages: []*content.Page{q2, q3, q4, news("2016-12-20", "集中学习"), news("2017-01-05", "集中学习")}, want: Done, due: "2016-12-31", doneOn: "2016-11-10", count: 2},
		{name: "one ended period unmet among met ones: overdue, even after To", asOf: "2017-01-01", task: quarterly(1),
			pages: []*content.Page{q2, q4}, want: Overdue, due: "2016-12-31", count: 1},
		{name: "From after D: open, due the first period's last day, Count 0", asOf: "2016-03-15", soon: 14, task: quarterly(1),
			pages: []*content.Page{news("2016-03-01", "集中学习")}, want: Open, due: "2016-06-30", count: 0},
		{name: "recurring is never due-soon, even on a period's last day with a window", asOf: "2016-09-30", soon: 30, task: quarterly(1),
			pages: []*content.Page{q2}, want: Open, due: "2016-09-30", count: 0},
		{name: "a page the day after a quarter counts for the next: Q2 stays unmet, overdue, never late", asOf: "2016-07-02", task: quarterly(1),
			pages: []*content.Page{news("2016-07-01", "集中学习")}, want: Overdue, due: "2016-09-30", count: 1},
		{name: "declared done with a done day <= D overrides unmet periods", asOf: "2016-08-01",
			task: func() content.Task { t := quarterly(1); t.Status, t.Done = "done", d("2016-08-01"); return t }(),
			want: Done, due: "2016-09-30", doneOn: "2016-08-01", count: 0},
		{name: "declared done with a done day after D: not yet, overdue", asOf: "2016-07-31",
			task: func() content.Task { t := quarterly(1); t.Status, t.Done = "done", d("2016-08-01"); return t }(),
			want: Overdue, due: "2016-09-30", count: 0},
		{name: "declared done without a date: done", asOf: "2016-07-31",
			task: func() content.Task { t := quarterly(1); t.Status = "done"; return t }(),
			want: Done, due: "2016-09-30", count: 0},
		{name: "no evidence rule: no period can be met, overdue once one ends", asOf: "2016-07-01",
			task: content.Task{Every: "quarter", From: d("2016-04-01"), To: d("2016-12-31")}, want: Overdue, due: "2016-09-30"},
		{name: "leap day: monthly over Feb 2016, D = 2016-02-29 (not ended): open", asOf: "2016-02-29",
			task: content.Task{Every: "month", From: d("2016-02-01"), To: d("2016-02-29"), Evidence: studyRule(1)}, want: Open, due: "2016-02-29"},
		{name: "leap day: D = 2016-03-01 (ended, unmet): overdue", asOf: "2016-03-01",
			task: content.Task{Every: "month", From: d("2016-02-01"), To: d("2016-02-29"), Evidence: studyRule(1)}, want: Overdue, due: "2016-02-29"},
		{name: "leap day: a page on 29 February meets February", asOf: "2016-03-01",
			task:  content.Task{Every: "month", From: d("2016-02-01"), To: d("2016-02-29"), Evidence: studyRule(1)},
			pages: []*content.Page{news("2016-02-29T23:00:00+08:00", "集中学习")}, want: Done, due: "2016-02-29", doneOn: "2016-02-29", count: 1},
		{name: "yearly over two years: open until the last year ends", asOf: "2017-06-01",
			task:  content.Task{Every: "year", From: d("2016-04-01"), To: d("2017-12-31"), Evidence: studyRule(1)},
			pages: []*content.Page{news("2016-05-01", "集中学习")}, want: Open, due: "2017-12-31", count: 0},
		{name: "From and To missing (Check reports it): open, no due", asOf: "2016-07-01",
			task: content.Task{Every: "quarter", Evidence: studyRule(1)}, want: Open},
		{name: "To before From (Check reports it): open, no due", asOf: "2016-07-01",
			task: content.Task{Every: "quarter", From: d("2016-12-31"), To: d("2016-04-01"), Evidence: studyRule(1)}, want: Open},
		{name: "per branch quarterly: Q2 met by one branch only: overdue in Q3", asOf: "2016-07-01",
			task:  content.Task{Every: "quarter", From: d("2016-04-01"), To: d("2016-12-31"), Evidence: perBranch(1)},
			pages: []*content.Page{class("2016-05-01", "一支部", "建党95周年"), class("2016-05-01", "二支部")}, want: Overdue, due: "2016-09-30", count: 0},
		{name: "per branch quarterly: Q2 met by both: open", asOf: "2016-07-01",
			task:  content.Task{Every: "quarter", From: d("2016-04-01"), To: d("2016-12-31"), Evidence: perBranch(1)},
			pages: []*content.Page{class("2016-05-01", "一支部", "建党95周年"), class("2016-06-30", "二支部", "建党95周年")}, want: Open, due: "2016-09-30", count: 0},
	})
}

// periodDays formats periods as "start..end" in Shanghai.
func periodDays(ps []PeriodStatus) []string {
	var out []string
	for _, p := range ps {
		out = append(out, ymd(p.Start)+".."+ymd(p.End))
	}
	return out
}

func TestPeriodsClippedToFromAndTo(t *testing.T) {
	cases := []struct {
		name, every, from, to string
		want                  []string
	}{
		{"monthly clipped at both ends, through a leap February", "month", "2016-01-15", "2016-03-10",
			[]string{"2016-01-15..2016-01-31", "2016-02-01..2016-02-29", "2016-03-01..2016-03-10"}},
		{"monthly over the leap month alone", "month", "2016-02-01", "2016-02-29", []string{"2016-02-01..2016-02-29"}},
		{"monthly in a common year", "month", "2017-02-01", "2017-03-31", []string{"2017-02-01..2017-02-28", "2017-03-01..2017-03-31"}},
		{"quarterly clipped", "quarter", "2016-05-15", "2016-11-15",
			[]string{"2016-05-15..2016-06-30", "2016-07-01..2016-09-30", "2016-10-01..2016-11-15"}},
		{"quarterly Jan-Mar through Oct-Dec", "quarter", "2016-01-01", "2016-12-31",
			[]string{"2016-01-01..2016-03-31", "2016-04-01..2016-06-30", "2016-07-01..2016-09-30", "2016-10-01..2016-12-31"}},
		{"yearly clipped at both ends", "year", "2016-04-01", "2018-06-30",
			[]string{"2016-04-01..2016-12-31", "2017-01-01..2017-12-31", "2018-01-01..2018-06-30"}},
		{"a single day", "year", "2016-07-01", "2016-07-01", []string{"2016-07-01..2016-07-01"}},
	}
	for _, c := range cases {
		task := content.Task{Every: c.every, From: d(c.from), To: d(c.to), Evidence: studyRule(1)}
		r := Evaluate([]*content.Page{std(1, task)}, nil, Options{AsOf: d("2016-07-01"), Location: sh})
		if got := periodDays(r.Standards[0].Tasks[0].Periods); !slices.Equal(got, c.want) {
			t.Errorf("%s: periods %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPeriodDetails(t *testing.T) {
	task := content.Task{Every: "month", From: d("2016-01-15"), To: d("2016-03-10"), Evidence: studyRule(2)}
	pages := []*content.Page{
		news("2016-01-20", "集中学习"), news("2016-01-31T23:59:00+08:00", "集中学习"), // January met on the 31st
		news("2016-01-31T16:00:00Z", "集中学习"), // 1 February in Shanghai
		news("2016-02-29", "集中学习"),
		news("2016-03-05", "集中学习"), // after D
	}
	cases := []struct {
		asOf  string
		ended []bool
		want  Status
		count int
	}{
		{"2016-01-31", []bool{false, false, false}, Open, 2},
		{"2016-02-01", []bool{true, false, false}, Open, 1},
		{"2016-02-29", []bool{true, false, false}, Open, 2},
		{"2016-03-01", []bool{true, true, false}, Open, 0},
		{"2016-03-10", []bool{true, true, false}, Open, 1},
		{"2016-03-11", []bool{true, true, true}, Overdue, 1},
	}
	for _, c := range cases {
		ts := Evaluate([]*content.Page{std(1, task)}, pages, Options{AsOf: d(c.asOf), Location: sh}).Standards[0].Tasks[0]
		var ended []bool
		for _, p := range ts.Periods {
			ended = append(ended, p.Ended)
		}
		if !slices.Equal(ended, c.ended) || ts.Status != c.want || ts.Evidence.Count != c.count {
			t.Errorf("D=%s: ended %v status %s count %d; want %v %s %d", c.asOf, ended, ts.Status, ts.Evidence.Count, c.ended, c.want, c.count)
		}
	}
	ts := Evaluate([]*content.Page{std(1, task)}, pages, Options{AsOf: d("2016-03-11"), Location: sh}).Standards[0].Tasks[0]
	jan, feb, mar := ts.Periods[0], ts.Periods[1], ts.Periods[2]
	if !jan.Met || ymd(jan.MetOn) != "2016-01-31" || jan.Count != 2 {
		t.Errorf("January: %+v, want met on 2016-01-31 with 2 pages", jan)
	}
	if !feb.Met || ymd(feb.MetOn) != "2016-02-29" || feb.Count != 2 {
		t.Errorf("February: %+v, want met on 2016-02-29 with 2 pages (one written on 31 Jan UTC)", feb)
	}
	if mar.Met || !mar.MetOn.IsZero() || mar.Count != 1 {
		t.Errorf("March: %+v, want unmet with 1 page", mar)
	}
	// Each period lists exactly the pages it counted, so that a reader who
	// sees "2/1" next to a period sees two pages there.
	for i, want := range [][]*content.Page{{pages[0], pages[1]}, {pages[2], pages[3]}, {pages[4]}} {
		p := ts.Periods[i]
		if !slices.Equal(p.Pages, want) || len(p.Pages) != p.Count {
			t.Errorf("period %d lists %d pages for a count of %d, want %d pages", i+1, len(p.Pages), p.Count, len(want))
		}
	}
	if len(ts.Evidence.Pages) != 5 || ts.Evidence.Pages[0] != pages[0] || ts.Evidence.Pages[4] != pages[4] {
		t.Errorf("evidence pages: %d, want all 5 oldest first", len(ts.Evidence.Pages))
	}
	for i := 1; i < len(ts.Evidence.Pages); i++ {
		if ts.Evidence.Pages[i].Date.Before(ts.Evidence.Pages[i-1].Date) {
			t.Errorf("evidence pages not oldest first")
		}
	}
	if !jan.Start.Equal(time.Date(2016, 1, 15, 0, 0, 0, 0, sh)) || !jan.End.Equal(time.Date(2016, 1, 31, 0, 0, 0, 0, sh)) {
		t.Errorf("January is %v..%v, want midnights in Shanghai", jan.Start, jan.End)
	}
}

func TestEvidenceStatusFields(t *testing.T) {
	pages := []*content.Page{
		class("2016-06-10", "一支部", "建党95周年"),
		class("2016-06-12", "一支部", "建党95周年"),
		class("2016-06-20", "二支部"),
		class("2016-07-20", "二支部", "建党95周年"), // after D
	}
	r := Evaluate([]*content.Page{std(4, due630(perBranch(1)), due630(studyRule(3)))}, pages, Options{AsOf: d("2016-07-01"), Location: sh})
	branch, plain := r.Standards[0].Tasks[0].Evidence, r.Standards[0].Tasks[1].Evidence
	if !reflect.DeepEqual(branch.Branches, map[string]int{"一支部": 2, "二支部": 0}) || branch.Count != 0 || branch.Min != 1 {
		t.Errorf("per-branch evidence: %+v", branch)
	}
	if len(branch.Pages) != 2 || branch.Pages[0] != pages[0] || branch.Pages[1] != pages[1] {
		t.Errorf("per-branch pages: %v, want the two qualifying classes up to D", branch.Pages)
	}
	if plain.Branches != nil || plain.Count != 0 || plain.Min != 3 || len(plain.Pages) != 0 {
		t.Errorf("plain evidence: %+v", plain)
	}
	// Before From a per-branch task still lists every branch, at 0.
	q := content.Task{Every: "quarter", From: d("2016-10-01"), To: d("2016-12-31"), Evidence: perBranch(1)}
	ev := Evaluate([]*content.Page{std(1, q)}, pages, Options{AsOf: d("2016-07-01"), Location: sh}).Standards[0].Tasks[0].Evidence
	if !reflect.DeepEqual(ev.Branches, map[string]int{"一支部": 0, "二支部": 0}) || ev.Count != 0 || len(ev.Pages) != 0 {
		t.Errorf("before From: %+v", ev)
	}
}

func TestStandardStatusAndReport(t *testing.T) {
	asOf := "2016-07-01"
	doneTask := content.Task{ID: "a", Due: d("2016-06-30"), Status: "done", Done: d("2016-06-01")}
	lateTask := content.Task{ID: "b", Due: d("2016-06-30"), Status: "done", Done: d("2016-07-01")}
	openTask := content.Task{ID: "c", Due: d("2016-12-31")}
	soonTask := content.Task{ID: "d", Due: d("2016-07-10")}
	overdueTask := content.Task{ID: "e", Due: d("2016-06-30")}
	cases := []struct {
		name  string
		tasks []content.Task
		want  Status
		done  int
	}{
		{"no tasks: done", nil, Done, 0},
		{"done only", []content.Task{doneTask}, Done, 1},
		{"late beats done", []content.Task{doneTask, lateTask}, Late, 2},
		{"open beats late", []content.Task{lateTask, openTask, doneTask}, Open, 2},
		{"due-soon beats open", []content.Task{openTask, soonTask}, DueSoon, 0},
		{"overdue beats everything", []content.Task{doneTask, lateTask, openTask, soonTask, overdueTask}, Overdue, 2},
	}
	var pages []*content.Page
	for i, c := range cases {
		pages = append(pages, std(len(cases)-i, c.tasks...)) // given in reverse number order
	}
	pages = append(pages, news("2016-06-01")) // not a standard: skipped
	r := Evaluate(pages, nil, Options{AsOf: d(asOf + "T23:59:00+08:00"), Location: sh, DueSoonDays: 14})
	if !r.AsOf.Equal(d(asOf)) {
		t.Errorf("AsOf %v, want midnight of %s in Shanghai", r.AsOf, asOf)
	}
	if len(r.Standards) != len(cases) {
		t.Fatalf("%d standards, want %d", len(r.Standards), len(cases))
	}
	for i, s := range r.Standards {
		if s.Number != i+1 {
			t.Errorf("standard %d is number %d: not sorted by number", i, s.Number)
		}
		c := cases[len(cases)-1-i]
		if s.Status != c.want || s.Done != c.done || s.Total != len(c.tasks) {
			t.Errorf("%s: status %s done %d/%d, want %s %d/%d", c.name, s.Status, s.Done, s.Total, c.want, c.done, len(c.tasks))
		}
		if s.Title != s.Page.Title || s.URL != s.Page.RelPermalink {
			t.Errorf("%s: title %q URL %q not the page's", c.name, s.Title, s.URL)
		}
		for j, ts := range s.Tasks {
			if ts.Task.ID != c.tasks[j].ID {
				t.Errorf("%s: task %d is %q, want declared order", c.name, j, ts.Task.ID)
			}
		}
	}
	wantTasks := map[Status]int{Done: 4, Late: 3, Open: 3, DueSoon: 2, Overdue: 1}
	wantStandards := map[Status]int{Done: 2, Late: 1, Open: 1, DueSoon: 1, Overdue: 1}
	if !reflect.DeepEqual(r.Tasks, wantTasks) || !reflect.DeepEqual(r.ByStandard, wantStandards) {
		t.Errorf("tasks %v standards %v; want %v %v", r.Tasks, r.ByStandard, wantTasks, wantStandards)
	}
	empty := Evaluate(nil, nil, Options{AsOf: d(asOf), Location: sh})
	if len(empty.Tasks) != len(Statuses) || len(empty.ByStandard) != len(Statuses) {
		t.Errorf("every status must be present even with no standards: %v %v", empty.Tasks, empty.ByStandard)
	}
}

// TestMidnightSkipped checks a zone where a daylight-saving change skipped
// midnight: in São Paulo, 2016-10-16 began at 01:00. Days must still be
// whole days there.
func TestMidnightSkipped(t *testing.T) {
	sp := mustLocation("America/Sao_Paulo")
	// time.Date(2016, 10, 16, 0, 0, 0, 0, sp) is 15 October 23:00, so the
	// due instant is taken at noon: only its day matters.
	task := content.Task{ID: "t", Due: time.Date(2016, 10, 16, 12, 0, 0, 0, sp), Evidence: &content.Evidence{Section: "news", Min: 1}}
	monthly := content.Task{ID: "m", Every: "month", From: time.Date(2016, 10, 1, 0, 0, 0, 0, sp), To: time.Date(2016, 11, 30, 0, 0, 0, 0, sp)}
	day := func(t time.Time) string { return t.In(sp).Format(time.DateOnly) }
	cases := []struct {
		asOf  time.Time
		page  time.Time
		want  Status
		month bool // October has ended
	}{
		{time.Date(2016, 10, 16, 12, 0, 0, 0, sp), time.Time{}, DueSoon, false},
		{time.Date(2016, 10, 16, 23, 59, 0, 0, sp), time.Date(2016, 10, 16, 23, 30, 0, 0, sp), Done, false},
		{time.Date(2016, 10, 17, 0, 0, 0, 0, sp), time.Date(2016, 10, 17, 0, 30, 0, 0, sp), Late, false},
		{time.Date(2016, 10, 17, 0, 0, 0, 0, sp), time.Time{}, Overdue, false},
		{time.Date(2016, 11, 1, 0, 0, 0, 0, sp), time.Time{}, Overdue, true},
	}
	for _, c := range cases {
		var pages []*content.Page
		if !c.page.IsZero() {
			p := news("")
			p.Date = c.page
			pages = append(pages, p)
		}
		r := Evaluate([]*content.Page{std(1, task, monthly)}, pages, Options{AsOf: c.asOf, Location: sp})
		ts, m := r.Standards[0].Tasks[0], r.Standards[0].Tasks[1]
		if ts.Status != c.want || day(ts.Due) != "2016-10-16" {
			t.Errorf("D=%s: %s due %s, want %s due 2016-10-16", day(c.asOf), ts.Status, day(ts.Due), c.want)
		}
		if day(r.AsOf) != day(c.asOf) {
			t.Errorf("report AsOf %v is not the day %s", r.AsOf, day(c.asOf))
		}
		if day(c.asOf) == "2016-10-16" && !r.AsOf.Equal(time.Date(2016, 10, 16, 1, 0, 0, 0, sp)) {
			t.Errorf("report AsOf %v, want 01:00, the first instant of 16 October", r.AsOf)
		}
		if got := periodDays(m.Periods); len(got) != 2 || day(m.Periods[0].End) != "2016-10-31" || day(m.Periods[1].Start) != "2016-11-01" {
			t.Errorf("months %v", got)
		}
		if m.Periods[0].Ended != c.month {
			t.Errorf("D=%s: October ended %v, want %v", day(c.asOf), m.Periods[0].Ended, c.month)
		}
	}
}

func TestNilLocationIsUTC(t *testing.T) {
	task := content.Task{ID: "t", Due: time.Date(2016, 6, 30, 0, 0, 0, 0, time.UTC)}
	r := Evaluate([]*content.Page{std(1, task)}, nil, Options{AsOf: time.Date(2016, 6, 30, 23, 0, 0, 0, time.UTC)})
	if got := r.Standards[0].Tasks[0].Status; got != DueSoon {
		t.Errorf("status %s, want due-soon", got)
	}
}
