package build

import (
	"bytes"
	"encoding/xml"
	"time"

	"lanmu/generator/content"
)

type sitemapURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// sitemap lists every page of the site (not the later pages of paginated
// lists, nor redirects) with its last modification date.
func (s *Site) sitemap() ([]byte, error) {
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, p := range s.Content.Pages {
		u := sitemapURL{Loc: p.Permalink}
		if u.Loc == "" || !hasScheme(u.Loc) {
			u.Loc = s.absURL(p.Path)
		}
		if lm := lastmod(p); !lm.IsZero() {
			u.Lastmod = lm.In(s.Config.Location).Format(time.RFC3339)
		}
		set.URLs = append(set.URLs, u)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(set); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// lastmod is a page's own last modification, or for a list the newest of
// its pages'.
func lastmod(p *content.Page) time.Time {
	t := p.Lastmod
	for _, c := range p.Pages {
		if c.Lastmod.After(t) {
			t = c.Lastmod
		}
	}
	return t
}

func hasScheme(u string) bool {
	return len(u) > 8 && (u[:7] == "http://" || u[:8] == "https://")
}

// robots allows every crawler and points it at the sitemap.
func (s *Site) robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.absURL("/sitemap.xml") + "\n")
}
