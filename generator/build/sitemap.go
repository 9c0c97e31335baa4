package build

import (
	"bufio"
	"encoding/xml"
	"io"
	"strings"
	"time"
)

type sitemapURL struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod,omitempty"`
}

// sitemap lists every page of the plan meant for readers, with the last
// change of what it shows. The later pages of a paginated list are among
// them, as they are the only pages that link a long list's older entries;
// redirects and 404.html are not (their jobs are not marked forReaders).
// It is written as it is made: a site's sitemap is about 200 bytes a page.
func (s *Site) sitemap(w io.Writer, jobs []*job) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	set := xml.StartElement{Name: xml.Name{Local: "urlset"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: "http://www.sitemaps.org/schemas/sitemap/0.9"}}}
	if err := enc.EncodeToken(set); err != nil {
		return err
	}
	url := xml.StartElement{Name: xml.Name{Local: "url"}}
	for _, j := range jobs {
		if !j.forReaders {
			continue
		}
		u := sitemapURL{Loc: s.absURL(strings.TrimSuffix(j.path, "index.html"))}
		if t := j.lastmod.time(); !t.IsZero() {
			u.Lastmod = t.In(s.Config.Location).Format(time.RFC3339)
		}
		if err := enc.EncodeElement(u, url); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(set.End()); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	bw.WriteByte('\n')
	return bw.Flush()
}

// robots allows every crawler and points it at the sitemap.
func (s *Site) robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + s.absURL("/sitemap.xml") + "\n")
}
