// Package config reads a site's lanmu.toml: it decodes strictly (an unknown
// or mistyped key is an error at its line), fills in defaults and checks the
// values, so that the rest of the build can trust what it is given.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lanmu/generator/diag"
	"lanmu/generator/keyval"
	"lanmu/generator/messages"
)

// FileName is the configuration file at the root of every site.
const FileName = "lanmu.toml"

// Config is a site's configuration. The fields after Menu are derived from
// the others by Load and are never read from the file.
type Config struct {
	Title    string
	BaseURL  string `key:"baseURL"`
	Language string
	Timezone string
	Theme    string
	Unit     string
	// Description says what the column is, for meta tags and feeds.
	Description string
	// Paginate is the number of pages per list page.
	Paginate int

	Build     Build
	Feeds     Feeds
	Print     Print
	WeChat    WeChat `key:"wechat"`
	Standards Standards
	// Government and Inspect are for a column published on a government
	// or Party website (SPEC, Government column).
	Government Government
	Inspect    Inspect
	Menu       Menus
	// Params are free-form values for templates (.Site.Params).
	Params map[string]any

	// Location is Timezone loaded; dates without a zone are read in it.
	Location *time.Location `key:"-"`
	// BasePath is the path of BaseURL, always with a leading and a trailing
	// slash: "/xxjy/", or "/" for a site at the root of its host.
	BasePath string `key:"-"`
	// Origin is the scheme and host of BaseURL ("https://www.example.gov.cn"),
	// or "" when BaseURL is a bare path; absolute links start with it.
	Origin string `key:"-"`
}

// Build holds the [build] table.
type Build struct {
	Drafts     bool
	Future     bool
	Expired    bool
	UnsafeHTML bool `key:"unsafeHTML"`
	Minify     bool
	// MaxPageSize bounds one page's Markdown ("4MB", "512KB"): a larger
	// file is an error at the file, not a build that runs for minutes.
	MaxPageSize string `key:"maxPageSize"`
	// PageLimit is MaxPageSize in bytes.
	PageLimit int64 `key:"-"`
}

// Feeds holds the [feeds] table.
type Feeds struct {
	Limit       int
	FullContent bool
}

// Print holds the [print] table.
type Print struct {
	PocketbookSize string
	CardSize       string
	Sheet          string
	Duplex         string
	Bleed          string
	// Style sets the pocket book: "standard", or "gongwen" after GB/T
	// 9704, the layout of official documents (小标宋 title, 仿宋 text,
	// 黑体 and 楷体 headings).
	Style string
	// Date is the day the pocket book's covers show ("2016-12-31"); empty
	// means the date of the column's newest page, so that a book printed
	// years later still carries the column's own date.
	Date string
	// QR puts QR codes of the pages' short addresses on what is printed:
	// the backs of the knowledge cards, the pocket book and the article
	// pages' print style. On by default.
	QR bool `key:"qr"`

	// The values above as Parse read them once it had checked them, so
	// that nothing reads them again: sizes and the bleed in millimetres,
	// and Date at midnight in the site's time zone (zero when Date is
	// empty).
	PocketbookMM Size      `key:"-"`
	CardMM       Size      `key:"-"`
	SheetMM      Size      `key:"-"`
	BleedMM      float64   `key:"-"`
	CoverDay     time.Time `key:"-"`
}

// WeChat holds the [wechat] table.
type WeChat struct {
	// Sections lists the sections whose articles get a copy for the 公众号
	// editor at wechat/ beside them: a section's folder name ("news"), or
	// a kind's ("readings" also covers readings kept in another section).
	Sections []string
}

// Standards holds the [standards] table.
type Standards struct {
	AsOf        string
	DueSoonDays int
	// AsOfDay is AsOf as Parse read it: midnight in the site's time zone,
	// or zero when AsOf is empty.
	AsOfDay time.Time `key:"-"`
}

// Government holds the [government] table: what a column on a government
// or Party website must carry for the national inspections. Every key is
// optional, and each is shown only when set.
type Government struct {
	// SiteName, SiteDomain and SiteIDCode name the parent site, in the
	// meta tags every page carries; SiteIDCode, its 政府网站标识码, is in
	// the footer too.
	SiteName   string
	SiteDomain string
	SiteIDCode string `key:"siteIDCode"`
	// ICP is the ICP filing number (ICP备案号), linked to MIIT's filing
	// system; Police is the public security filing (公安机关备案号), shown
	// with its badge and linked to the record of the digits it holds.
	ICP    string `key:"icp"`
	Police string
	// Conac is the id of the 党政机关网站标识, for the plain link to its
	// certificate; ConacScript is the script the 标识 was issued with,
	// which draws it into span#_ideConac. Neither is required by the other.
	Conac       string
	ConacScript string
	// Jiucuo adds 我为政府网站找错: its script and a plain link, both keyed
	// by SiteIDCode, which it needs.
	Jiucuo bool
	// Sponsor (主办单位; the footer shows the unit when it is empty),
	// Organizer (承办单位) and
	// Contact (联系方式) are shown in the footer.
	Sponsor   string
	Organizer string
	Contact   string
	// ColumnType is the ColumnType meta of list pages.
	ColumnType string

	// PoliceRecord is the digits of Police, which its record is found by.
	PoliceRecord string `key:"-"`
}

// Enabled reports whether the column is published as a government
// column: any key of [government] set.
func (g *Government) Enabled() bool {
	return g.SiteName != "" || g.SiteDomain != "" || g.SiteIDCode != "" || g.ICP != "" || g.Police != "" ||
		g.Conac != "" || g.ConacScript != "" || g.Jiucuo || g.Sponsor != "" || g.Organizer != "" || g.Contact != ""
}

// Inspect holds the [inspect] table: the windows of lanmu inspect's
// freshness rules, in days.
type Inspect struct {
	HomeDays   int
	NewsDays   int
	NoticeDays int
	// Archived marks a finished historical column: the freshness rules do
	// not apply.
	Archived bool
}

// Menus holds the site's menus; [[menu.main]] is the main navigation.
type Menus struct {
	Main []MenuItem
}

// MenuItem is one entry of a menu. URL is site-relative ("/readings/") or
// absolute ("https://…").
type MenuItem struct {
	Name   string
	URL    string `key:"url"`
	Weight int
}

// Default returns the configuration of a site whose lanmu.toml is empty.
func Default() *Config {
	return &Config{
		Title:      "lanmu",
		BaseURL:    "/",
		Language:   "zh-CN",
		Timezone:   "Asia/Shanghai",
		Theme:      "default",
		Paginate:   10,
		Build:      Build{MaxPageSize: "4MB", PageLimit: 4 << 20},
		Feeds:      Feeds{Limit: 20, FullContent: true},
		Print:      Print{PocketbookSize: "A6", CardSize: "85mm 54mm", Sheet: "A4", Duplex: "long", Bleed: "2mm", Style: "standard", QR: true},
		WeChat:     WeChat{Sections: []string{"readings", "classes", "news"}},
		Standards:  Standards{DueSoonDays: 14},
		Government: Government{ColumnType: "专题专栏"},
		Inspect:    Inspect{HomeDays: 14, NewsDays: 14, NoticeDays: 180},
	}
}

// Load reads SRC/lanmu.toml. A missing file is an error: it is how lanmu
// tells a site folder from any other.
func Load(siteDir string) (*Config, error) {
	data, err := os.ReadFile(filepath.Join(siteDir, FileName))
	if errors.Is(err, os.ErrNotExist) {
		where := siteDir
		if abs, err := filepath.Abs(siteDir); err == nil {
			where = abs
		}
		return nil, messages.Errorf("%s not found in %s, so this is not a lanmu site: run lanmu in a site folder, pass -s SITE, or start one with lanmu new site DIR", FileName, where)
	}
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse decodes and checks the contents of a lanmu.toml. Its errors are a
// *diag.Errors naming lanmu.toml with line and column.
func Parse(data []byte) (*Config, error) {
	var problems diag.List
	add := func(p keyval.Pos, format string, args ...any) {
		problems.Addf(FileName, p.Line, p.Col, format, args...)
	}
	doc, err := keyval.ParseTOML(data)
	if err != nil {
		var ke *keyval.Error
		if errors.As(err, &ke) {
			add(ke.Pos, "%s", ke.Text)
		} else {
			problems.Addf(FileName, 0, 0, "%v", err)
		}
		return nil, problems.Err()
	}
	c := Default()
	for _, e := range doc.Decode(c) {
		add(e.Pos, "%s", e.Text)
	}
	c.check(doc, add)
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) check(doc *keyval.Doc, add func(keyval.Pos, string, ...any)) {
	if strings.TrimSpace(c.Title) == "" {
		add(doc.Pos("title"), "title must not be empty")
	}
	if err := c.SetBaseURL(c.BaseURL); err != nil {
		add(doc.Pos("baseURL"), "%v", err)
	}
	switch c.Language {
	case "zh-CN", "en":
	default:
		add(doc.Pos("language"), "language must be \"zh-CN\" or \"en\", not %q", c.Language)
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		add(doc.Pos("timezone"), "timezone %q is not a known IANA time zone (like \"Asia/Shanghai\")", c.Timezone)
		loc = time.UTC
	}
	c.Location = loc
	if c.Theme == "" || strings.ContainsAny(c.Theme, `/\.`) {
		add(doc.Pos("theme"), "theme must be a folder name under themes/, not %q", c.Theme)
	}
	if c.Paginate < 1 {
		add(doc.Pos("paginate"), "paginate must be at least 1")
	}
	if n, err := parseByteSize(c.Build.MaxPageSize); err != nil {
		add(doc.Pos("build", "maxPageSize"), "build.maxPageSize: %v", err)
	} else {
		c.Build.PageLimit = n
	}
	if c.Feeds.Limit < 0 {
		add(doc.Pos("feeds", "limit"), "feeds.limit must be 0 (all) or more")
	}
	if c.Print.Duplex != "long" && c.Print.Duplex != "short" {
		add(doc.Pos("print", "duplex"), "print.duplex must be \"long\" or \"short\", not %q", c.Print.Duplex)
	}
	if c.Print.Style != "standard" && c.Print.Style != "gongwen" {
		add(doc.Pos("print", "style"), "print.style must be \"standard\" or \"gongwen\" (公文, after GB/T 9704), not %q", c.Print.Style)
	}
	for _, k := range []struct {
		key, value string
		parsed     *Size
	}{
		{"pocketbookSize", c.Print.PocketbookSize, &c.Print.PocketbookMM},
		{"cardSize", c.Print.CardSize, &c.Print.CardMM},
		{"sheet", c.Print.Sheet, &c.Print.SheetMM},
	} {
		size, err := ParseSize(k.value)
		if err != nil {
			add(doc.Pos("print", k.key), "print.%s: %v", k.key, err)
		}
		*k.parsed = size
	}
	if c.Print.BleedMM, err = ParseLength(c.Print.Bleed); err != nil {
		add(doc.Pos("print", "bleed"), "print.bleed: %v", err)
	} else if c.Print.BleedMM > maxBleedMM {
		add(doc.Pos("print", "bleed"), "print.bleed: %q is more than %dmm; printers trim 2 to 3mm", c.Print.Bleed, maxBleedMM)
		c.Print.BleedMM = 0
	}
	if c.Print.Date != "" {
		if c.Print.CoverDay, err = time.ParseInLocation(time.DateOnly, c.Print.Date, loc); err != nil {
			add(doc.Pos("print", "date"), "print.date must be a date like 2016-12-31, not %q", c.Print.Date)
		}
	}
	if c.Standards.AsOf != "" {
		if c.Standards.AsOfDay, err = time.ParseInLocation(time.DateOnly, c.Standards.AsOf, loc); err != nil {
			add(doc.Pos("standards", "asOf"), "standards.asOf must be a date like 2016-05-25, not %q", c.Standards.AsOf)
		}
	}
	if c.Standards.DueSoonDays < 0 {
		add(doc.Pos("standards", "dueSoonDays"), "standards.dueSoonDays must be 0 or more")
	}
	c.checkGovernment(doc, add)
	for i, item := range c.Menu.Main {
		at := doc.Pos("menu", "main", fmt.Sprint(i))
		if item.Name == "" {
			add(at, "menu.main[%d] needs a name", i)
		}
		if item.URL == "" {
			add(at, "menu.main[%d] needs a url", i)
		} else if u, err := url.Parse(strings.TrimSpace(item.URL)); err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
			// The templates would print such a link as a harmless
			// "#ZgotmplZ"; saying so here is kinder than a dead menu.
			add(doc.Pos("menu", "main", fmt.Sprint(i), "url"), "menu.main[%d] url %q is not a page address: write a path such as /readings/ or an http(s) URL", i, item.URL)
		}
	}
}

// SetBaseURL sets the base URL (as --baseURL does) and the base path derived
// from it. It may be absolute ("https://host/xxjy/") or a bare path ("/xxjy/").
func (c *Config) SetBaseURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return messages.Errorf("baseURL %q is not a URL", raw)
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https":
		return messages.Errorf("baseURL must be an http or https URL, not %q", raw)
	case u.Scheme != "" && u.Host == "":
		return messages.Errorf("baseURL %q has no host", raw)
	case u.Scheme == "" && u.Host != "":
		return messages.Errorf("baseURL %q needs a scheme: write https://%s", raw, strings.TrimPrefix(raw, "//"))
	case u.Scheme == "" && raw != "" && !strings.HasPrefix(raw, "/"):
		// "www.example.gov.cn/xxjy/" parses as a relative path and would
		// put the whole site under /www.example.gov.cn/xxjy/.
		first, _, _ := strings.Cut(raw, "/")
		if strings.Contains(first, ".") {
			return messages.Errorf("baseURL %q needs a scheme: write https://%s", raw, raw)
		}
		return messages.Errorf("baseURL %q must be a full URL (https://www.example.gov.cn/xxjy/) or a path that starts with / (/xxjy/)", raw)
	case u.RawQuery != "" || u.Fragment != "":
		return messages.Errorf("baseURL %q may not carry a query or fragment", raw)
	}
	c.BaseURL = raw
	c.Origin = ""
	if u.Host != "" {
		c.Origin = u.Scheme + "://" + u.Host
	}
	c.BasePath = "/" + strings.Trim(u.Path, "/") + "/"
	if c.BasePath == "//" {
		c.BasePath = "/"
	}
	if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	return nil
}

// maxBleedMM bounds the bleed: printers trim 2 to 3 mm.
const maxBleedMM = 10

// parseByteSize reads a size such as "4MB", "512KB" or "1048576" (bytes),
// from 1 KB to 1 GB; KB and MB are 1,024 and 1,048,576 bytes.
func parseByteSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	unit := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, unit = strings.TrimSpace(rest), u.n
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<30)/unit || n*unit < 1<<10 {
		return 0, messages.Errorf("%q is not a size from 1KB to 1GB, like \"4MB\"", s)
	}
	return n * unit, nil
}

// checkGovernment checks [government] and [inspect], whose values go into
// every page's meta tags and links, and the inspection's windows.
func (c *Config) checkGovernment(doc *keyval.Doc, add func(keyval.Pos, string, ...any)) {
	g := &c.Government
	for _, f := range []struct {
		key   string
		value *string
	}{{"siteName", &g.SiteName}, {"siteDomain", &g.SiteDomain}, {"siteIDCode", &g.SiteIDCode}, {"icp", &g.ICP},
		{"police", &g.Police}, {"conac", &g.Conac}, {"conacScript", &g.ConacScript}, {"sponsor", &g.Sponsor},
		{"organizer", &g.Organizer}, {"contact", &g.Contact}, {"columnType", &g.ColumnType}} {
		*f.value = strings.TrimSpace(*f.value)
		if strings.ContainsAny(*f.value, "\n\r\t") {
			add(doc.Pos("government", f.key), "government.%s must be one line", f.key)
		}
	}
	if g.SiteIDCode != "" && !siteIDCode.MatchString(g.SiteIDCode) {
		add(doc.Pos("government", "siteIDCode"), "government.siteIDCode %q is not a site identification code (政府网站标识码): 10 letters and digits, such as 5101000001", g.SiteIDCode)
	}
	if g.SiteDomain != "" && !hostName.MatchString(g.SiteDomain) {
		add(doc.Pos("government", "siteDomain"), "government.siteDomain %q is not a domain name: write the host alone, such as www.example.gov.cn", g.SiteDomain)
	}
	if g.Police != "" {
		g.PoliceRecord = strings.Join(digits.FindAllString(g.Police, -1), "")
		if g.PoliceRecord == "" {
			add(doc.Pos("government", "police"), "government.police %q holds no record number: write it as issued, such as 京公网安备11010502000001号", g.Police)
		}
	}
	if g.Conac != "" && !conacID.MatchString(g.Conac) {
		add(doc.Pos("government", "conac"), "government.conac %q is not the id of a 党政机关网站标识: letters and digits, as in its certificate's link", g.Conac)
	}
	if g.ConacScript != "" {
		if u, err := url.Parse(g.ConacScript); err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Hostname(), "conac.cn") {
			add(doc.Pos("government", "conacScript"), "government.conacScript must be the https address of the script the 标识 was issued with, on conac.cn, not %q", g.ConacScript)
		}
	}
	if g.Jiucuo && g.SiteIDCode == "" {
		add(doc.Pos("government", "jiucuo"), "government.jiucuo needs government.siteIDCode: the 找错 service finds the site by it")
	}
	for _, w := range []struct {
		key  string
		days int
	}{{"homeDays", c.Inspect.HomeDays}, {"newsDays", c.Inspect.NewsDays}, {"noticeDays", c.Inspect.NoticeDays}} {
		if w.days < 1 {
			add(doc.Pos("inspect", w.key), "inspect.%s must be 1 or more", w.key)
		}
	}
}

var (
	siteIDCode = regexp.MustCompile(`^[0-9A-Za-z]{10}$`)
	hostName   = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
	digits     = regexp.MustCompile(`[0-9]+`)
	conacID    = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`)
)
