package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

var refresh = regexp.MustCompile(`<meta http-equiv="refresh" content="0; url=([^"]+)">`)

// Every page of the column has a short address whose page sends the reader
// to it; the codes are the same in a second build, and a page added moves
// no other page's code; a page of the site at a code's address keeps it,
// and the short address moves on.
func TestShortAddresses(t *testing.T) {
	site := testsite.CopyExample(t, exampleSite, func(c string) string { return c })
	s, err := Load(Options{Source: site})
	if err != nil {
		t.Fatal(err)
	}
	files := freshBuild(t, site)
	codes := map[string]string{}
	for _, p := range s.Content.Pages {
		if !strings.HasPrefix(p.ShortPath, "/s/") || len(p.ShortPath) != len("/s/abcdef/") {
			t.Errorf("%s (%s): short address %q", p.Path, p.File, p.ShortPath)
			continue
		}
		if !strings.HasPrefix(p.ShortLink, s.Config.Origin) || !strings.HasSuffix(p.ShortLink, s.Config.BasePath[1:]+p.ShortPath[1:]) {
			t.Errorf("%s: short link %q is not the absolute short address", p.Path, p.ShortLink)
		}
		m := refresh.FindSubmatch(files[p.ShortPath+"index.html"])
		if m == nil || string(m[1]) != p.RelPermalink {
			t.Errorf("%s%s sends the reader to %q, not %s", p.ShortPath, "index.html", m, p.RelPermalink)
		}
		if other, ok := codes[p.ShortPath]; ok {
			t.Errorf("%s and %s share %s", other, p.Path, p.ShortPath)
		}
		codes[p.ShortPath] = p.Path
	}
	if len(codes) < 100 {
		t.Fatalf("only %d short addresses in the example", len(codes))
	}
	if m := refresh.FindSubmatch(files["/s/index.html"]); m == nil || string(m[1]) != s.Config.BasePath {
		t.Errorf("/s/ sends the reader to %q, not the home page %s", m, s.Config.BasePath)
	}
	for p := range files {
		if strings.HasPrefix(p, "/s/") && p != "/s/index.html" && codes[strings.TrimSuffix(p, "index.html")] == "" {
			t.Errorf("%s leads nowhere", p)
		}
	}
	if strings.Contains(string(files["/sitemap.xml"]), "/s/") {
		t.Errorf("the sitemap lists short addresses")
	}

	// A new page, and a page of the site that sits on one page's code.
	var victim string
	for short, path := range codes {
		if path != "/" {
			victim = short
			break
		}
	}
	os.WriteFile(filepath.Join(site, "content/news/new-page.md"), []byte("---\ntitle: 新\ndate: 2016-05-01\n---\n\n新。\n"), 0o644)
	os.WriteFile(filepath.Join(site, "content/news/squatter.md"), []byte("---\ntitle: 占位\ndate: 2016-05-01\nurl: "+victim+"\n---\n\n占。\n"), 0o644)
	again, err := Load(Options{Source: site})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range again.Content.Pages {
		switch {
		case p.Path == victim:
		case p.Path == codes[victim]:
			if p.ShortPath == victim {
				t.Errorf("%s kept the short address a page now has", p.Path)
			}
		case p.File == "content/news/new-page.md":
		case codes[p.ShortPath] != p.Path:
			t.Errorf("%s moved to %s when a page was added", p.Path, p.ShortPath)
		}
	}
}
