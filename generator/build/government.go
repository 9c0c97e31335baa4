package build

import "strings"

// MetaTag is one <meta name="…" content="…"> of a page.
type MetaTag struct{ Name, Content string }

// pubDateLayout is how 《政府网站网页设计规范》 writes PubDate: minutes, in
// the site's time zone.
const pubDateLayout = "2006-01-02 15:04"

// GovMeta are the meta tags that 《政府网站网页设计规范》 asks of every page
// of a government website, which provincial aggregators and monitoring
// crawlers read by these exact names: the site's on every page, the
// column's on the home and list pages, and on a page of a kind the
// article's, with the column it is in. A tag without a value is left out;
// there are none unless [government] is set. Themes put them in <head>
// with the partial gov-meta.html.
func (p *Page) GovMeta() []MetaTag {
	g := &p.site.Config.Government
	if !g.Enabled() {
		return nil
	}
	var out []MetaTag
	add := func(name, content string) {
		if content = strings.TrimSpace(content); content != "" {
			out = append(out, MetaTag{name, content})
		}
	}
	add("SiteName", g.SiteName)
	add("SiteDomain", g.SiteDomain)
	add("SiteIDCode", g.SiteIDCode)
	column := p
	if !p.IsSection {
		column = p.Parent()
	}
	if column != nil {
		add("ColumnName", column.columnName())
		if p.IsSection {
			add("ColumnDescription", column.Description())
			add("ColumnKeywords", column.columnKeywords())
		}
		add("ColumnType", g.ColumnType)
	}
	if p.IsSection {
		return out
	}
	add("ArticleTitle", p.Title)
	if !p.Date.IsZero() {
		add("PubDate", p.Date.In(p.site.Config.Location).Format(pubDateLayout))
	}
	add("ContentSource", p.contentSource())
	add("Author", p.author())
	add("Keywords", strings.Join(p.Tags, ","))
	add("Description", p.Description())
	if t := p.Teacher; t != nil && t.Photo != "" {
		add("Image", p.ResourcePermalink(t.Photo))
	}
	add("Url", p.Permalink)
	return out
}

// columnName is the name of the column a list page stands for: the home
// page is the whole column, the site's title.
func (p *Page) columnName() string {
	if p.IsHome {
		return p.Site.Title
	}
	return p.Title
}

// columnKeywords are a list page's tags, else its name.
func (p *Page) columnKeywords() string {
	if len(p.Tags) > 0 {
		return strings.Join(p.Tags, ",")
	}
	return p.columnName()
}

// contentSource is where an article comes from: its source, else the
// sponsor of the column, else its unit.
func (p *Page) contentSource() string {
	cfg := p.site.Config
	switch {
	case p.Source() != "":
		return p.Source()
	case cfg.Government.Sponsor != "":
		return cfg.Government.Sponsor
	}
	return cfg.Unit
}

// author is who wrote the page: a reading's or a news item's author, or a
// class's speakers.
func (p *Page) author() string {
	if a := p.Author(); a != "" {
		return a
	}
	if c := p.Class; c != nil {
		var names []string
		for _, t := range p.Speakers() {
			names = append(names, t.Title)
		}
		return strings.Join(names, "、")
	}
	return ""
}
