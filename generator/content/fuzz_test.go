package content

import (
	"bytes"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"lanmu/generator/diag"
	"lanmu/generator/keyval"
)

// fuzzMaxInput keeps one input quick: front matter goes through the YAML
// parser, which is not linear on every pathological input.
const fuzzMaxInput = 64 << 10

// fuzzZones are zones with different hazards for dates without a zone:
// Shanghai (the usual one), UTC, São Paulo and Havana (clocks used to skip
// midnight), Chatham (+12:45) and Apia, which skipped 2011-12-30 entirely.
var fuzzZones = func() []*time.Location {
	var out []*time.Location
	for _, name := range []string{"Asia/Shanghai", "UTC", "America/Sao_Paulo", "America/Havana", "Pacific/Chatham", "Pacific/Apia"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			panic("the fuzz tests need the tz database entry " + name + ": " + err.Error())
		}
		out = append(out, loc)
	}
	return out
}()

var fuzzPages = []string{
	"",
	"正文，没有前言。\n",
	"---\ntitle: 学习党章\ndate: 2016-06-16\ntags: [党章, 学习]\n---\n正文\n",
	"+++\ntitle = \"学习\"\ndate = 2016-06-16T09:32:00+08:00\nweight = 2\n+++\n正文\n",
	"\ufeff---\r\ntitle: BOM 与 CRLF\r\n---\r\n正文\r\n",
	"--- \t\ntitle: a\n---   \nbody",
	"---\ntitle: 未闭合\n",
	"+++\ntitle = \"a\"\n---\n",
	"---\n---",
	"---\n---\n",
	"---\ntitle: a\r---\rbody\r",
	"---\rtitle: 旧 Mac 换行\r---\rbody\r",
	"---\ntitle: 学习: 要点\n---\n",
	"---\n\ttitle: tab\n---\n",
	"---\ndate: 2016-13-45\nlastmod: yesterday\npublishDate: 7\nexpiryDate: 2016-06-16 09:32\n---\n",
	"+++\ndate = 2016-06-16\nlastmod = 2016-06-16T09:32:00\npublishDate = 09:32:00\n+++\n",
	"---\ndate: \"2011-12-30\"\n---\n",
	"---\nslug: ../etc\nurl: /%2e%2e/x\naliases: [/old/, \"http://evil/\", \"//host/\", \"/a\\\\b\"]\ntype: nonsense\n---\n",
	"---\nslug: \"---\"\nurl: \"   \"\n---\n",
	"---\ntitle: 1\ndraft: \"yes\"\ntags: 党章\nweight: 1.5\n---\n",
	"---\ntitel: typo\nsource: 人民日报\ntasks:\n  - id: a\n    due: 2016-06-30\n---\n",
	"---\n- a\n- b\n---\n",
	"---\na: 1\n---\nb: 2\n---\n",
	"---\ntitle: x\n--- # a second YAML document, empty\n---\n",
	"a\x00b",
	"---\nbase: &b {title: x}\n<<: *b\nlayout: *missing\n---\n",
}

func FuzzParse(f *testing.F) {
	for i, s := range fuzzPages {
		f.Add([]byte(s), uint8(i))
	}
	f.Fuzz(func(t *testing.T, src []byte, zone uint8) {
		if len(src) > fuzzMaxInput {
			t.Skip()
		}
		loc := fuzzZones[int(zone)%len(fuzzZones)]
		orig := bytes.Clone(src)
		var problems diag.List
		p := parse("content/a.md", src, loc, nil, &problems)
		if !bytes.Equal(src, orig) {
			t.Fatal("parse modified its input")
		}
		got := problems.Problems()
		// A page comes back whenever its front matter parses, wrong
		// fields left out, so that its links are checked in the same
		// run; nil must always say why.
		if p == nil && len(got) == 0 {
			t.Fatalf("no page and no problem\nsource %q", src)
		}
		lines := countLines(src)
		for _, e := range got {
			if e.Path != "content/a.md" || e.Line < 1 || e.Line > lines+1 || e.Col < 1 || e.Msg == "" {
				t.Fatalf("problem %q (line %d col %d) is not inside the %d lines of %q", e.Error(), e.Line, e.Col, lines, src)
			}
		}
		if p != nil {
			checkPage(t, p, loc)
		}

		// parse hands split the source with every line ending (CRLF, and
		// a lone CR as goldmark and YAML read it) made LF.
		lf := bytes.ReplaceAll(bytes.ReplaceAll(orig, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		stripped := bytes.TrimPrefix(lf, []byte("\uFEFF"))
		fm, format, fmLine, body, bodyLine, err := split(lf)
		if p != nil {
			if _, decodeErr := decode(fm, format); err != nil || decodeErr != nil {
				t.Fatalf("a page came back from front matter that does not parse (%v, %v): %q", err, decodeErr, src)
			}
		}
		if p != nil && (!bytes.Equal(p.Body, body) || p.BodyLine != bodyLine) {
			t.Fatalf("the page body %q on line %d is not the body %q on line %d split from %q", p.Body, p.BodyLine, body, bodyLine, lf)
		}
		switch {
		case err != nil:
			if format == "" || body != nil {
				t.Fatalf("split failed (%v) but gave format %q and a body", err, format)
			}
		case format == "":
			if !bytes.Equal(body, stripped) || bodyLine != 1 || fm != nil {
				t.Fatalf("no front matter, yet the body is not the whole source (line %d)", bodyLine)
			}
		default:
			if !bytes.HasSuffix(stripped, body) {
				t.Fatalf("the body is not the end of the source:\nbody %q\nsrc  %q", body, stripped)
			}
			head := stripped[:len(stripped)-len(body)]
			if fmLine != 2 || !bytes.HasPrefix(head[bytes.IndexByte(head, '\n')+1:], fm) {
				t.Fatalf("front matter %q is not what follows the first line of %q", fm, head)
			}
			before := bytes.Count(head, []byte{'\n'})
			if len(body) > 0 && bodyLine != before+1 {
				t.Fatalf("the body starts after %d newlines but is said to be on line %d", before, bodyLine)
			}
			if bodyLine < before+1 || bodyLine > lines+1 {
				t.Fatalf("an empty body is said to be on line %d of %d", bodyLine, lines)
			}
		}
	})
}

// countLines counts lines as editors and goldmark do: LF, CRLF and a lone
// CR each end one.
func countLines(src []byte) int {
	return bytes.Count(src, []byte{'\n'}) + bytes.Count(src, []byte{'\r'}) - bytes.Count(src, []byte("\r\n")) + 1
}

// checkPage checks what parse promises about a page it accepts.
func checkPage(t *testing.T, p *Page, loc *time.Location) {
	t.Helper()
	if p.Title != strings.TrimSpace(p.Title) {
		t.Fatalf("title %q is not trimmed", p.Title)
	}
	if p.Slug != "" && checkSlug(p.Slug) != nil {
		t.Fatalf("slug %q was accepted: %v", p.Slug, checkSlug(p.Slug))
	}
	for _, u := range append([]string{p.Path}, p.Aliases...) {
		if u != "" {
			checkCleanPath(t, u)
		}
	}
	if p.Lastmod.IsZero() && !p.Date.IsZero() || p.PublishDate.IsZero() && !p.Date.IsZero() {
		t.Fatalf("lastmod %v or publishDate %v not defaulted to date %v", p.Lastmod, p.PublishDate, p.Date)
	}
	if p.Type != "" && p.Type != TypePage && !knownType(p.Type) {
		t.Fatalf("type %q was accepted", p.Type)
	}
	if p.loc != loc || p.Params == nil {
		t.Fatal("the page lost its zone or its params")
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"学习党章", "Hello, World!", "  两学一做（2016）  ", "a_b.c", "---", "Café 咖啡", "../../etc/passwd",
		"a\\b/c\x00d\te", "\u0301\u0301", "e\u0301", "ǅ Σσς", "İstanbul", "\xff\xfe学", "１２３ＡＢＣ", "Ⅻ ② ¾",
		"\u200b\u202e\ufeff零宽", "葛\U000E0100", "〇一二三", "a..b", ".", "..", "a-.-b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slugify(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Slugify(%q) = %q is not valid UTF-8", s, got)
		}
		if strings.ContainsAny(got, "/\\\x00.") || hasControl(got) {
			t.Fatalf("Slugify(%q) = %q contains a path or control character", s, got)
		}
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Slugify(%q) = %q has a stray dash", s, got)
		}
		for _, r := range got {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) || r < utf8.RuneSelf && unicode.IsUpper(r) {
				t.Fatalf("Slugify(%q) = %q keeps %q", s, got, r)
			}
		}
		if again := Slugify(got); again != got {
			t.Fatalf("Slugify is not idempotent: %q -> %q -> %q", s, got, again)
		}
		// Any slug Slugify makes is one checkSlug accepts, but one too
		// long to be a file name, which it refuses for that alone.
		if err := checkSlug(got); got != "" && (err != nil) != (len(got) > maxNameBytes) {
			t.Fatalf("checkSlug(%q), made by Slugify(%q): %v", got, s, err)
		}
	})
}

func FuzzCleanURL(f *testing.F) {
	for _, s := range []string{
		"/about/", "about", "/old/page.html", "/学习/", "/a/b", "/", "", "   ", "//host/x", "///x", "http://evil/",
		"javascript:alert(1)", "C:/x", "/a:b/", "/../x", "/a/./b", "/%2e%2e/x", "/%252e%252e/", "/%2F%2Fhost",
		"/a%5cb", "/a%00b", "/%E5%AD%A6%E4%B9%A0/", "/100%/", "/a?b", "/a#b", "/a%3Fb", "/a/b.", "/a/b.c/",
		"/\u00a0/", "/\u202e/", "/a%zz", "/%C0%AE%C0%AE/", "/x/%2e/", "/a/..%2f..", "/..\\..",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := CleanURL(raw)
		if err != nil {
			if p != "" {
				t.Fatalf("CleanURL(%q) = %q and error %v", raw, p, err)
			}
			return
		}
		checkCleanPath(t, p)
		// Links carry the path escaped; reading that back gives the path.
		if again, err := CleanURL(escapePath(p)); err != nil || again != p {
			t.Fatalf("CleanURL(%q) = %q, escaped %q, read back as %q, %v", raw, p, escapePath(p), again, err)
		}
	})
}

// checkCleanPath checks a path CleanURL returned: rooted, and safe even if
// something along the way decodes it once more and resolves it.
func checkCleanPath(t *testing.T, p string) {
	t.Helper()
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		t.Fatalf("CleanURL gave %q: not a path inside the site", p)
	}
	for _, s := range []string{p, unescapeOnce(p)} {
		if strings.ContainsAny(s, "\\\x00") || hasControl(s) || strings.HasPrefix(s, "//") || hasScheme(s) {
			t.Fatalf("CleanURL gave %q, which is %q decoded", p, s)
		}
		if rel := path.Clean(strings.TrimLeft(s, "/")); rel == ".." || strings.HasPrefix(rel, "../") {
			t.Fatalf("CleanURL gave %q, which leaves the site as %q", p, s)
		}
	}
}

func unescapeOnce(p string) string {
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}

func FuzzParseDate(f *testing.F) {
	for i, s := range []string{
		"2016-06-16", "2016-06-16 09:32", "2016-06-16 09:32:05", "2016-06-16T09:32", "2016-06-16T09:32:05",
		"2016-06-16T09:32:00+08:00", "2016-06-16T09:32:00.123456789Z", "2016-06-16t09:32:00z", "2016-02-30",
		"1986-05-04", "2011-12-30", "2016-10-16", "2016-10-16 00:30", "2013-03-10 00:00", "0000-01-01",
		"9999-12-31T23:59:59-23:59", "2016-06-16 24:00", "２０１６-06-16", "2016-6-16", " 2016-06-16", "",
	} {
		f.Add(s, uint8(i))
	}
	f.Fuzz(func(t *testing.T, s string, zone uint8) {
		loc := fuzzZones[int(zone)%len(fuzzZones)]
		d, err := ParseDate(s, loc)
		if err != nil {
			if !d.IsZero() || !strings.Contains(err.Error(), "is not a date") {
				t.Fatalf("ParseDate(%q) = %v, %v", s, d, err)
			}
			return
		}
		if s == "" {
			if !d.IsZero() {
				t.Fatalf("ParseDate(\"\") = %v", d)
			}
			return
		}
		// The instant survives a round trip through RFC 3339 with the
		// offset it was read with (unless that is local mean time, whose
		// offset has seconds that RFC 3339 cannot write).
		if _, off := d.Zone(); off%60 == 0 {
			back, err := ParseDate(d.Format(time.RFC3339Nano), loc)
			if err != nil || !back.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, which reads back as %v, %v", s, d, back, err)
			}
		}
		if _, err := time.Parse(time.RFC3339, s); err == nil {
			return
		}
		// Without a zone, s is a reading of loc's clocks. The instant keeps
		// that reading, or, where loc's clocks skipped it, moves forward
		// past the gap: never to an earlier reading, so never to an earlier
		// day.
		if d.Location() != loc {
			t.Fatalf("ParseDate(%q) in %s gave a time in %s", s, loc, d.Location())
		}
		written, err := parseWall(s)
		if err != nil {
			t.Fatalf("ParseDate accepted %q, which no layout reads: %v", s, err)
		}
		y, m, dd := d.Date()
		h, mi, sec := d.Clock()
		switch shift := time.Date(y, m, dd, h, mi, sec, d.Nanosecond(), time.UTC).Sub(written); {
		case shift < 0:
			t.Fatalf("ParseDate(%q) in %s = %v: the clock moved back by %v", s, loc, d, -shift)
		case shift > 0 && (shift > 25*time.Hour || !clockSkipped(written, loc)):
			t.Fatalf("ParseDate(%q) in %s = %v: the clock moved on by %v", s, loc, d, shift)
		}
		if len(s) == len(time.DateOnly) {
			// A bare date is the first instant of its day, or of the next
			// day where the zone skipped it (Apia, 2011-12-30).
			py, pm, pd := d.Add(-time.Second).Date()
			if !time.Date(py, pm, pd, 0, 0, 0, 0, time.UTC).Before(written) {
				t.Fatalf("ParseDate(%q) in %s = %v, not the first instant on or after the day", s, loc, d)
			}
			if day := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC); !day.Equal(written) && dayExists(written, loc) {
				t.Fatalf("ParseDate(%q) in %s = %v, another day", s, loc, d)
			}
		}
		// TOML's local dates and times say the same as the text does.
		marker := tomlDatetimeLocal
		if len(s) == len(time.DateOnly) {
			marker = tomlDateLocal
		}
		w := written
		fromTOML, err := ParseDate(time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), marker), loc)
		if err != nil || !fromTOML.Equal(d) {
			t.Fatalf("ParseDate(%q) in %s = %v, but the TOML value %v gives %v, %v", s, loc, d, w, fromTOML, err)
		}
	})
}

// tomlDateLocal and tomlDatetimeLocal are the marker zones the TOML
// decoder gives dates and times written without an offset.
var tomlDateLocal, tomlDatetimeLocal = func() (*time.Location, *time.Location) {
	doc, err := keyval.ParseTOML([]byte("d = 2016-06-16\ndt = 2016-06-16T09:32:00\n"))
	if err != nil {
		panic(err)
	}
	return doc.Values["d"].(time.Time).Location(), doc.Values["dt"].(time.Time).Location()
}()

// parseWall reads a date-and-time without a zone as a wall clock, in UTC.
func parseWall(s string) (time.Time, error) {
	var err error
	for _, layout := range dateLayouts {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// dayExists reports whether any instant of the day (given as midnight UTC)
// has that date in loc: Apia skipped 2011-12-30 altogether.
func dayExists(day time.Time, loc *time.Location) bool {
	for h := -30; h <= 30; h++ {
		y, m, d := day.Add(time.Duration(h) * time.Hour).In(loc).Date()
		if time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Equal(day) {
			return true
		}
	}
	return false
}

// clockSkipped reports whether the wall clock (given as UTC) never shows in
// loc because the clocks jumped over it.
func clockSkipped(wall time.Time, loc *time.Location) bool {
	for h := -30 * 60; h <= 30*60; h++ {
		u := wall.Add(time.Duration(h) * time.Minute).In(loc)
		y, m, d := u.Date()
		if time.Date(y, m, d, u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), time.UTC).Equal(wall) {
			return false
		}
	}
	return true
}
