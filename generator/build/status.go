package build

import (
	"bytes"
	"encoding/json"
	"time"

	"lanmu/generator/content"
	"lanmu/generator/diag"
	"lanmu/generator/messages"
	"lanmu/generator/standards"
)

// asOfDay decides the day the standards are judged at: --as-of, else
// [standards] asOf (read with the config), else today in the site's time
// zone.
func asOfDay(opt string, cfgAsOf time.Time, now time.Time, loc *time.Location) (time.Time, error) {
	if opt != "" {
		d, err := time.ParseInLocation(time.DateOnly, opt, loc)
		if err != nil {
			return time.Time{}, messages.Errorf("the as-of date %q is not a date like 2016-05-25", opt)
		}
		return d, nil
	}
	if !cfgAsOf.IsZero() {
		return cfgAsOf, nil
	}
	now = now.In(loc)
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc), nil
}

// evaluateStandards checks the standards' tasks and works out their status.
func (s *Site) evaluateStandards(asOf time.Time, problems *diag.List) {
	var stds []*content.Page
	sections := map[string]bool{}
	for _, p := range s.Content.Pages {
		if p.Standard != nil {
			stds = append(stds, p)
		}
		if p.Kind == content.KindSection && p.Parent == s.Content.Home {
			sections[p.Section] = true
		}
	}
	s.standardsWarnings = nil
	for _, pr := range standards.Check(stds, sections, asOf) {
		if pr.Warning {
			s.standardsWarnings = append(s.standardsWarnings, diag.At(pr.File, pr.Line, pr.Col, pr.Text))
			continue
		}
		problems.Add(diag.At(pr.File, pr.Line, pr.Col, pr.Text))
	}
	s.status = standards.Evaluate(stds, s.Content.RegularPages(), standards.Options{
		AsOf: asOf, Location: s.Config.Location, DueSoonDays: s.Config.Standards.DueSoonDays,
	})
}

// Status is the status of the standards, for lanmu status and tests.
func (s *Site) Status() *standards.Report { return s.status }

// statusJSON is status.json: the report in the shape the SPEC promises.
type statusJSON struct {
	AsOf      string         `json:"asOf"`
	Standards []standardJSON `json:"standards"`
}

type standardJSON struct {
	Number int        `json:"number"`
	Title  string     `json:"title"`
	URL    string     `json:"url"`
	Status string     `json:"status"`
	Done   int        `json:"done"`
	Total  int        `json:"total"`
	Tasks  []taskJSON `json:"tasks"`
}

type taskJSON struct {
	ID       string        `json:"id"`
	Title    string        `json:"title"`
	Due      string        `json:"due"`
	Status   string        `json:"status"`
	Evidence *evidenceJSON `json:"evidence"`
}

type evidenceJSON struct {
	Count int      `json:"count"`
	Min   int      `json:"min"`
	Pages []string `json:"pages"`
}

// StatusJSON renders the report as status.json. URLs are absolute when the
// base URL has a host.
func (s *Site) StatusJSON() ([]byte, error) {
	r := s.status
	out := statusJSON{AsOf: r.AsOf.Format(time.DateOnly), Standards: []standardJSON{}}
	for _, st := range r.Standards {
		sj := standardJSON{Number: st.Number, Title: st.Title, URL: st.Page.Permalink, Status: string(st.Status),
			Done: st.Done, Total: st.Total, Tasks: []taskJSON{}}
		for _, t := range st.Tasks {
			tj := taskJSON{ID: t.Task.ID, Title: t.Task.Title, Status: string(t.Status)}
			if !t.Due.IsZero() {
				tj.Due = t.Due.Format(time.DateOnly)
			}
			if e := t.Evidence; e != nil {
				ej := &evidenceJSON{Count: e.Count, Min: e.Min, Pages: []string{}}
				for _, p := range e.Pages {
					ej.Pages = append(ej.Pages, p.Permalink)
				}
				tj.Evidence = ej
			}
			sj.Tasks = append(sj.Tasks, tj)
		}
		out.Standards = append(out.Standards, sj)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
