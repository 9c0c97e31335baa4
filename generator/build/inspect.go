package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"lanmu/generator/config"
	"lanmu/generator/content"
	"lanmu/generator/inspect"
	"lanmu/generator/messages"
)

// InspectColumn describes the site, rendered into files (site path →
// bytes, as output.Memory gives them), for the rules of the
// government-website inspections, at the day the standards are judged at.
// The rules that need the rendered pages (links, mixed content, alt text)
// and the configuration are applied here.
func (s *Site) InspectColumn(files map[string][]byte) inspect.Column {
	cfg := s.Config
	col := inspect.Column{
		AsOf:    s.asOf,
		Windows: inspect.Windows{Home: cfg.Inspect.HomeDays, News: cfg.Inspect.NewsDays, Notice: cfg.Inspect.NoticeDays, Archived: cfg.Inspect.Archived},
	}
	if home := s.Content.Home; home != nil {
		col.Home = home.File
	}
	for _, cp := range s.Content.Pages {
		switch {
		case cp.Kind == content.KindSection:
			col.Sections = append(col.Sections, s.inspectSection(cp))
		case cp.Kind == content.KindPage && mustBeDated(cp.Type):
			col.DatedKinds = append(col.DatedKinds, inspect.Page{File: cp.File, Dated: !cp.Date.IsZero()})
		}
	}
	for _, e := range s.contentLinkProblems(s.filesSite(files)) {
		col.Checked = append(col.Checked, inspect.Finding{Path: e.Path, Line: e.Line, Col: e.Col, Rule: inspect.BrokenLink, Message: e.Msg, Text: e.Text})
	}
	for _, e := range s.CheckOutput(files) {
		col.Checked = append(col.Checked, inspect.Finding{Path: e.Path, Line: e.Line, Col: e.Col, Rule: inspect.BrokenLink, Message: e.Msg, Text: e.Text})
	}
	col.Checked = append(col.Checked, s.pageFindings(files)...)
	col.Checked = append(col.Checked, governmentKeyFindings(s.Dir, cfg)...)
	return col
}

// mustBeDated reports whether pages of a kind must show when they were
// published: a teacher's profile and a knowledge card are not news.
func mustBeDated(t content.Type) bool {
	switch t {
	case content.TypeReading, content.TypeClass, content.TypeNews, content.TypeStandard:
		return true
	}
	return false
}

// inspectSection is a section as the freshness rules see it.
func (s *Site) inspectSection(cp *content.Page) inspect.Section {
	sec := inspect.Section{File: cp.File, Path: cp.Path, Title: cp.Title}
	dated := false
	for _, p := range cp.Pages {
		if p.Kind == content.KindPage {
			sec.Pages = append(sec.Pages, p.Date)
			dated = dated || !p.Date.IsZero()
		}
	}
	switch {
	case cp.Type == content.TypeNews:
		sec.Fresh = inspect.News
	case cp.Type == content.TypeTeacher || cp.Type == content.TypeCard || !dated:
		sec.Fresh = inspect.Timeless
	default:
		sec.Fresh = inspect.Notice
	}
	return sec
}

// pageFindings has inspect.ScanPage look through every rendered page, and
// reports what it finds at the page's source file, on the line that holds
// the address when there is one.
func (s *Site) pageFindings(files map[string][]byte) []inspect.Finding {
	var pages []string
	for p := range files {
		// A 公众号 copy shows its page's text again, for editors alone.
		if strings.HasSuffix(p, ".html") && !strings.HasPrefix(p, "/print/") && !s.isWeChatCopy(p) {
			pages = append(pages, p)
		}
	}
	sort.Strings(pages)
	var out []inspect.Finding
	seen := map[string]bool{}
	for _, p := range pages {
		// The page's own file, read again: a build lets go of the
		// Markdown once converted, and the file is what the editor fixes.
		source, text := p, []byte(nil)
		if cp := s.Content.PageByPath(strings.TrimSuffix(p, "index.html")); cp != nil && cp.File != "" {
			source = cp.File
			text, _ = os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(cp.File)))
		}
		at := func(needle string) (int, int) {
			i := bytes.Index(text, []byte(needle))
			if needle == "" || i < 0 {
				return 0, 0
			}
			before := text[:i]
			line := bytes.Count(before, []byte("\n")) + 1
			col := len([]rune(string(before[bytes.LastIndexByte(before, '\n')+1:]))) + 1
			return line, col
		}
		for _, issue := range inspect.ScanPage(files[p]) {
			line, col := at(issue.Address)
			key := fmt.Sprint(source, line, col, issue.Rule, issue.Message.String())
			if seen[key] {
				continue // one finding per place, however many outputs show it
			}
			seen[key] = true
			out = append(out, inspect.Finding{Path: source, Line: line, Col: col, Rule: issue.Rule, Text: issue.Message})
		}
	}
	return out
}

// governmentKeyFindings lists the keys of [government] a published
// government column must have and lacks, at the table's line in
// lanmu.toml.
func governmentKeyFindings(siteDir string, cfg *config.Config) []inspect.Finding {
	g := cfg.Government
	keys := []struct {
		key, value string
		what       messages.Text
	}{
		{"siteName", g.SiteName, messages.Textf("the parent site's name (SiteName)")},
		{"siteDomain", g.SiteDomain, messages.Textf("its domain (SiteDomain)")},
		{"siteIDCode", g.SiteIDCode, messages.Textf("its site identification code (政府网站标识码)")},
		{"icp", g.ICP, messages.Textf("its ICP filing number (ICP备案号)")},
		{"police", g.Police, messages.Textf("its public security filing number (公安机关备案号)")},
		{"conac", g.Conac, messages.Textf("the id of its 党政机关网站标识")},
		{"contact", g.Contact, messages.Textf("how to reach its sponsor (联系方式)")},
	}
	line := 0
	if data, err := os.ReadFile(filepath.Join(siteDir, config.FileName)); err == nil {
		for i, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) == "[government]" {
				line = i + 1
				break
			}
		}
	}
	var out []inspect.Finding
	for _, k := range keys {
		if k.value == "" {
			out = append(out, inspect.Finding{Path: config.FileName, Line: line, Col: min(line, 1), Rule: inspect.GovernmentKeys,
				Text: messages.Textf("[government] has no %s: %s", k.key, k.what)})
		}
	}
	if g.Sponsor == "" && cfg.Unit == "" {
		out = append(out, inspect.Finding{Path: config.FileName, Line: line, Col: min(line, 1), Rule: inspect.GovernmentKeys,
			Text: messages.Textf("neither [government] sponsor nor unit names the column's sponsor (主办单位)")})
	}
	return out
}
