package build

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"
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

// sitemap lists every page of the plan meant for readers, with the last
// change of what it shows. The later pages of a paginated list are among
// them, as they are the only pages that link a long list's older entries;
// redirects and 404.html are not (their jobs are not marked forReaders).
func (s *Site) sitemap(jobs []*job) ([]byte, error) {
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, j := range jobs {
		if !j.forReaders {
			continue
		}
		u := sitemapURL{Loc: s.absURL(strings.TrimSuffix(j.path, "index.html"))}
		if !j.lastmod.IsZero() {
			u.Lastmod = j.lastmod.In(s.Config.Location).Format(time.RFC3339)
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

// robots allows every crawler and points it at the sitemap.
func (s *Site) robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.absURL("/sitemap.xml") + "\n")
}
