package config

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultsAndBasePath(t *testing.T) {
	c, err := Parse([]byte("title = \"专栏\"\nbaseURL = \"https://www.example.gov.cn/xxjy\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.BasePath != "/xxjy/" || c.BaseURL != "https://www.example.gov.cn/xxjy/" || c.Origin != "https://www.example.gov.cn" {
		t.Errorf("base path %q, base URL %q", c.BasePath, c.BaseURL)
	}
	if c.Language != "zh-CN" || c.Location.String() != "Asia/Shanghai" || c.Paginate != 10 || c.Feeds.Limit != 20 || c.Print.Duplex != "long" {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestBaseURLForms(t *testing.T) {
	for raw, want := range map[string]string{
		"/": "/", "https://a.org": "/", "https://a.org/x/y/": "/x/y/", "/sub": "/sub/", "http://127.0.0.1:1313/xxjy/": "/xxjy/",
	} {
		c := Default()
		if err := c.SetBaseURL(raw); err != nil || c.BasePath != want {
			t.Errorf("SetBaseURL(%q): base path %q, err %v; want %q", raw, c.BasePath, err, want)
		}
	}
	bare := Default()
	if bare.SetBaseURL("/sub/"); bare.Origin != "" {
		t.Errorf("a bare-path baseURL has origin %q", bare.Origin)
	}
	for _, bad := range []string{"ftp://a.org/", "https://a.org/?q=1", "//a.org/", "https:///x", "xxjy/"} {
		if err := Default().SetBaseURL(bad); err == nil {
			t.Errorf("SetBaseURL(%q) accepted", bad)
		}
	}
	// A forgotten scheme must not put the site under /www.example.gov.cn/.
	err := Default().SetBaseURL("www.example.gov.cn/xxjy/")
	if err == nil || !strings.Contains(err.Error(), "write https://www.example.gov.cn/xxjy/") {
		t.Errorf("a baseURL without its scheme: %v", err)
	}
}

func TestProblemsNameKeyAndLine(t *testing.T) {
	src := "title = \"\"\nlanguage = \"fr\"\ntimezone = \"Mars/Olympus\"\n[print]\nduplex = \"sideways\"\nstyle = \"fancy\"\ncardSize = \"big\"\ndate = \"2016-13-01\"\n[standards]\nasOf = \"昨天\"\n[[menu.main]]\nname = \"无链接\"\n"
	_, err := Parse([]byte(src))
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{
		"lanmu.toml:1:1: title must not be empty",
		`lanmu.toml:2:1: language must be "zh-CN" or "en"`,
		`lanmu.toml:3:1: timezone "Mars/Olympus"`,
		`lanmu.toml:5:1: print.duplex must be "long" or "short"`,
		`lanmu.toml:6:1: print.style must be "standard" or "gongwen"`,
		"lanmu.toml:7:1: print.cardSize:",
		`lanmu.toml:8:1: print.date must be a date like 2016-12-31, not "2016-13-01"`,
		"lanmu.toml:10:1: standards.asOf must be a date",
		"lanmu.toml:11:1: menu.main[0] needs a url",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]Size{"A6": {105, 148}, "a4": {210, 297}, "85mm 54mm": {85, 54}, "8.5cm 5.4cm": {85, 54}} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "A9", "85mm", "0mm 5mm", "85 54"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestMenuURLMustBeAnAddress(t *testing.T) {
	for _, bad := range []string{"javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x"} {
		src := "title = \"t\"\nbaseURL = \"https://x.org/\"\n\n[[menu.main]]\nname = \"坏\"\nurl = \"" + bad + "\"\n"
		_, err := Parse([]byte(src))
		if err == nil || !strings.Contains(err.Error(), "lanmu.toml:6:1: menu.main[0] url") {
			t.Errorf("url %q: error %v, want one at lanmu.toml:6:1", bad, err)
		}
	}
	for _, good := range []string{"/readings/", "https://www.gov.cn/", "mailto:a@b.cn", "../x/"} {
		src := "title = \"t\"\nbaseURL = \"https://x.org/\"\n\n[[menu.main]]\nname = \"好\"\nurl = \"" + good + "\"\n"
		if _, err := Parse([]byte(src)); err != nil {
			t.Errorf("url %q: %v", good, err)
		}
	}
}

// TestParsedPrintAndStandardsValues reads the lengths and dates of a
// lanmu.toml, and of one that leaves them to the defaults, into the typed
// fields the build uses instead of the strings.
func TestParsedPrintAndStandardsValues(t *testing.T) {
	c, err := Parse([]byte("title = \"t\"\ntimezone = \"Asia/Shanghai\"\n[print]\npocketbookSize = \"B6\"\ncardSize = \"9cm 5.5cm\"\nsheet = \"a3\"\nbleed = \"0.1in\"\ndate = \"2016-12-31\"\n[standards]\nasOf = \"2016-07-15\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := c.Print
	if p.PocketbookMM != (Size{125, 176}) || p.CardMM != (Size{90, 55}) || p.SheetMM != (Size{297, 420}) || p.BleedMM != 2.54 {
		t.Errorf("print lengths read as %v, %v, %v, %v", p.PocketbookMM, p.CardMM, p.SheetMM, p.BleedMM)
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2016, 12, 31, 0, 0, 0, 0, shanghai); !p.CoverDay.Equal(want) || p.CoverDay.Location().String() != "Asia/Shanghai" {
		t.Errorf("print.date read as %v, want %v", p.CoverDay, want)
	}
	if want := time.Date(2016, 7, 15, 0, 0, 0, 0, shanghai); !c.Standards.AsOfDay.Equal(want) {
		t.Errorf("standards.asOf read as %v, want %v", c.Standards.AsOfDay, want)
	}

	d, err := Parse([]byte("title = \"t\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Print.PocketbookMM != (Size{105, 148}) || d.Print.CardMM != (Size{85, 54}) || d.Print.SheetMM != (Size{210, 297}) || d.Print.BleedMM != 2 {
		t.Errorf("default print lengths read as %+v", d.Print)
	}
	if !d.Print.CoverDay.IsZero() || !d.Standards.AsOfDay.IsZero() {
		t.Errorf("unset dates read as %v and %v, want zero", d.Print.CoverDay, d.Standards.AsOfDay)
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]int64{"4MB": 4 << 20, "512kb": 512 << 10, "4 MB": 4 << 20, "1048576": 1 << 20, "1GB": 1 << 30, "2048B": 2048} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("parseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "4TB", "2GB", "0", "-1MB", "1.5MB", "100", "MB", "9999999999999999999KB"} {
		if got, err := parseByteSize(bad); err == nil {
			t.Errorf("parseByteSize(%q) = %d, accepted", bad, got)
		}
	}
}

// Lengths and sizes stay within what paper can be: NaN, Inf and 1e9 mm
// are refused, as is a bleed wider than printers trim.
func TestLengthsHaveSaneRanges(t *testing.T) {
	for _, bad := range []string{"NaNmm", "Infmm", "+Infmm", "1e9mm", "1001mm", "101cm", "-2mm", "40in"} {
		if v, err := ParseLength(bad); err == nil {
			t.Errorf("ParseLength(%q) = %v, accepted", bad, v)
		}
	}
	for _, bad := range []string{"1e9mm 1e9mm", "NaNmm 54mm", "85mm 5mm", "0mm 0mm", "2000mm 10mm"} {
		if v, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) = %v, accepted", bad, v)
		}
	}
	for in, want := range map[string]float64{"2mm": 2, "0mm": 0, "0.3cm": 3, "1in": 25.4, "1000mm": 1000} {
		if got, err := ParseLength(in); err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("ParseLength(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, FileName), []byte("title = \"专栏\"\n[print]\nsheet = \"1e9mm 1e9mm\"\nbleed = \"50mm\"\n"), 0o644)
	_, err := Load(dir)
	for _, want := range []string{"lanmu.toml:3:1: print.sheet:", "lanmu.toml:4:1: print.bleed:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load: %v; want %q", err, want)
		}
	}
}

// [government] and [inspect]: each malformed value is reported at its
// key, and a good block is read as written, with the police record's
// digits found.
func TestGovernmentAndInspect(t *testing.T) {
	bad := "title = \"栏目\"\n[government]\nsiteIDCode = \"51010\"\nsiteDomain = \"https://www.example.gov.cn/\"\npolice = \"川公网安备号\"\nconac = \"<script>\"\nconacScript = \"http://dcs.conac.cn/a.js\"\njiucuo = true\ncontact = \"电话\\n传真\"\n[inspect]\nhomeDays = 0\n"
	_, err := Parse([]byte(bad))
	if err == nil {
		t.Fatal("bad [government] accepted")
	}
	for _, want := range []string{
		`lanmu.toml:3:1: government.siteIDCode "51010" is not a site identification code`,
		`lanmu.toml:4:1: government.siteDomain "https://www.example.gov.cn/" is not a domain name`,
		`lanmu.toml:5:1: government.police "川公网安备号" holds no record number`,
		`lanmu.toml:6:1: government.conac "<script>" is not the id`,
		`lanmu.toml:7:1: government.conacScript must be the https address`,
		`lanmu.toml:9:1: government.contact must be one line`,
		`lanmu.toml:11:1: inspect.homeDays must be 1 or more`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}

	if _, err := Parse([]byte("title = \"栏目\"\n[government]\njiucuo = true\n")); err == nil || !strings.Contains(err.Error(), "lanmu.toml:3:1: government.jiucuo needs government.siteIDCode") {
		t.Errorf("jiucuo without siteIDCode: %v", err)
	}

	c, err := Parse([]byte(`title = "栏目"
unit = "中共某某县委组织部"
[government]
siteName = "某某县人民政府网站"
siteDomain = "www.example.gov.cn"
siteIDCode = "5101000001"
police = "川公网安备 51010402000001 号"
jiucuo = true
[inspect]
archived = true
`))
	if err != nil {
		t.Fatal(err)
	}
	g := c.Government
	if !g.Enabled() || g.SiteIDCode != "5101000001" || g.PoliceRecord != "51010402000001" || g.ColumnType != "专题专栏" || !g.Jiucuo {
		t.Errorf("government read as %+v", g)
	}
	if in := c.Inspect; !in.Archived || in.HomeDays != 14 || in.NewsDays != 14 || in.NoticeDays != 180 {
		t.Errorf("inspect read as %+v", in)
	}
	if d := Default(); d.Government.Enabled() {
		t.Error("a site without [government] counts as a government column")
	}
}
