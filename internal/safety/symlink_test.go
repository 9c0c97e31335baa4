package safety

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lanmu/generator/build"
	"lanmu/internal/testsite"
)

// secret is written in the files outside the site that links point to; it
// must never reach the output.
const secret = "绝密-SECRET-7f3a"

// linkSite writes a small site with a reading bundle, a shared/ folder of
// files that links inside the site may point to, and, beside the site, an
// outside/ folder holding a secret page, a secret file and a folder.
func linkSite(t *testing.T) (site, outside string) {
	t.Helper()
	outside = testsite.Write(t, map[string]string{
		"secret.md":          "---\ntitle: " + secret + "\n---\n" + secret + "\n",
		"secret.txt":         secret + "\n",
		"secretdir/page.md":  "---\ntitle: " + secret + "\n---\n" + secret + "\n",
		"secretdir/a.txt":    secret + "\n",
		"content/_index.md":  "---\ntitle: " + secret + "\n---\n",
		"content/page.md":    "---\ntitle: " + secret + "\n---\n" + secret + "\n",
		"layouts/index.html": secret,
	})
	site = testsite.Write(t, map[string]string{
		"lanmu.toml":                   "title = \"链接\"\nbaseURL = \"https://www.example.gov.cn/xxjy/\"\n",
		"content/readings/_index.md":   "---\ntitle: 必读\n---\n",
		"content/readings/a.md":        "---\ntitle: 文章\ndate: 2016-06-01\n---\n正文\n",
		"content/readings/b/index.md":  "---\ntitle: 图解\ndate: 2016-06-02\n---\n![图](chart.png)\n",
		"content/readings/b/chart.png": tinyPNG(t),
		"static/css/site.css":          "body { color: black }\n",
		"shared/page.md":               "---\ntitle: 共用文章\ndate: 2016-06-03\n---\n共用正文\n",
		"shared/extra.css":             "p { margin: 0 }\n",
		"shared/figure.png":            tinyPNG(t),
	})
	return site, outside
}

// link makes a symbolic link at site-relative name pointing to target, as
// written (relative or absolute).
func link(t *testing.T, site, name, target string) {
	t.Helper()
	full := filepath.Join(site, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(full); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.FromSlash(target), full); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
}

// TestLinksOutOfTheSiteAreRefused points symbolic links in content/,
// bundles and static/ out of the site, by absolute and relative paths,
// through a chain of links, and at folders; and makes broken links and
// loops. Each must stop the build with an error at the link's path that
// says why, and the build must write nothing: the secret never reaches the
// output.
func TestLinksOutOfTheSiteAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		links func(site, outside string) map[string]string // link → target
		want  []string                                     // in the error, each
	}{
		{"page to an outside file", func(site, outside string) map[string]string {
			return map[string]string{"content/readings/secret.md": filepath.Join(outside, "secret.md")}
		}, []string{"content/readings/secret.md: symbolic link points outside the site"}},
		{"page to /etc/passwd", func(site, outside string) map[string]string {
			return map[string]string{"content/readings/passwd.md": "/etc/passwd"}
		}, []string{"content/readings/passwd.md: symbolic link points outside the site"}},
		{"bundle file by a relative path", func(site, outside string) map[string]string {
			rel, _ := filepath.Rel(filepath.Join(site, "content/readings/b"), filepath.Join(outside, "secret.txt"))
			return map[string]string{"content/readings/b/secret.txt": filepath.ToSlash(rel)}
		}, []string{"content/readings/b/secret.txt: symbolic link points outside the site"}},
		{"bundle file by ../ chains", func(site, outside string) map[string]string {
			return map[string]string{"content/readings/b/up.txt": strings.Repeat("../", 40) + "etc/passwd"}
		}, []string{"content/readings/b/up.txt: symbolic link points outside the site"}},
		{"content folder to an outside folder", func(site, outside string) map[string]string {
			return map[string]string{"content/readings/more": filepath.Join(outside, "secretdir")}
		}, []string{"content/readings/more: symbolic link points outside the site"}},
		{"content/ itself", func(site, outside string) map[string]string {
			os.RemoveAll(filepath.Join(site, "content"))
			return map[string]string{"content": filepath.Join(outside, "content")}
		}, []string{"content: symbolic link points outside the site"}},
		{"static file to an outside file", func(site, outside string) map[string]string {
			return map[string]string{"static/secret.txt": filepath.Join(outside, "secret.txt")}
		}, []string{"static/secret.txt: symbolic link points outside the site"}},
		{"static file to /etc/passwd", func(site, outside string) map[string]string {
			return map[string]string{"static/passwd": "/etc/passwd"}
		}, []string{"static/passwd: symbolic link points outside the site"}},
		{"static folder to an outside folder", func(site, outside string) map[string]string {
			return map[string]string{"static/docs": filepath.Join(outside, "secretdir")}
		}, []string{"static/docs: symbolic link points outside the site"}},
		{"static/ itself", func(site, outside string) map[string]string {
			os.RemoveAll(filepath.Join(site, "static"))
			return map[string]string{"static": filepath.Join(outside, "secretdir")}
		}, []string{"static: symbolic link points outside the site"}},
		{"a chain of links that ends outside", func(site, outside string) map[string]string {
			return map[string]string{
				"content/readings/hop.md": "../../shared/hop.md",
				"shared/hop.md":           filepath.Join(outside, "secret.md"),
			}
		}, []string{"content/readings/hop.md: symbolic link points outside the site (to ../../shared/hop.md)"}},
		{"a chain of links from static/ that ends outside", func(site, outside string) map[string]string {
			return map[string]string{
				"static/hop.txt":  "../shared/hop2.txt",
				"shared/hop2.txt": filepath.Join(outside, "secret.txt"),
			}
		}, []string{"static/hop.txt: symbolic link points outside the site (to ../shared/hop2.txt)"}},
		{"a layout to an outside file", func(site, outside string) map[string]string {
			return map[string]string{"layouts/partials/secret.html": filepath.Join(outside, "secret.txt")}
		}, []string{"layouts/partials/secret.html: symbolic link points outside the site"}},
		{"layouts/ itself", func(site, outside string) map[string]string {
			return map[string]string{"layouts": filepath.Join(outside, "layouts")}
		}, []string{"layouts: symbolic link points outside the site"}},
		{"a local theme to an outside folder", func(site, outside string) map[string]string {
			return map[string]string{"themes/default": outside}
		}, []string{"themes/default/layouts: a folder on the way is a symbolic link that points outside the site"}},
		{"i18n strings to an outside file", func(site, outside string) map[string]string {
			return map[string]string{"i18n/zh-CN.toml": filepath.Join(outside, "secret.txt")}
		}, []string{"i18n/zh-CN.toml: symbolic link points outside the site"}},
		// Content is read, and its problems reported, before static/ is;
		// so the cases below come in pairs.
		{"loops in content/", func(site, outside string) map[string]string {
			return map[string]string{
				"content/readings/loop.md": "loop.md",
				"content/readings/b/x.png": "y.png", "content/readings/b/y.png": "x.png",
			}
		}, []string{
			"content/readings/loop.md: symbolic link is broken or loops (to loop.md)",
			"content/readings/b/x.png: symbolic link is broken or loops (to y.png)",
			"content/readings/b/y.png: symbolic link is broken or loops (to x.png)",
		}},
		{"loops in static/", func(site, outside string) map[string]string {
			return map[string]string{"static/a.css": "b.css", "static/b.css": "a.css"}
		}, []string{
			"static/a.css: symbolic link is broken or loops (to b.css)",
			"static/b.css: symbolic link is broken or loops (to a.css)",
		}},
		{"broken links in content/", func(site, outside string) map[string]string {
			return map[string]string{"content/readings/gone.md": "nothing.md"}
		}, []string{"content/readings/gone.md: symbolic link is broken or loops (to nothing.md)"}},
		{"broken links in static/", func(site, outside string) map[string]string {
			return map[string]string{"static/gone.css": "nothing.css"}
		}, []string{"static/gone.css: symbolic link is broken or loops (to nothing.css)"}},
		{"folders inside the site, in content/", func(site, outside string) map[string]string {
			return map[string]string{"content/news": "readings", "content/readings/c": "b"}
		}, []string{"content/news: symbolic link to a folder (to readings)", "content/readings/c: symbolic link to a folder (to b)"}},
		{"folders inside the site, in static/", func(site, outside string) map[string]string {
			return map[string]string{"static/img": "../content/readings/b", "static/loop": "."}
		}, []string{"static/img: symbolic link to a folder (to ../content/readings/b)", "static/loop: symbolic link to a folder (to .)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site, outside := linkSite(t)
			for name, target := range tc.links(site, outside) {
				link(t, site, name, target)
			}
			dest := filepath.Join(t.TempDir(), "public")
			_, err := build.Build(build.Options{Source: site, Dest: dest, Now: asOf})
			if leaked := filesHolding(t, dest, secret); len(leaked) > 0 {
				t.Errorf("the secret reached the output: %v", leaked)
			}
			if err == nil {
				t.Fatal("the build succeeded")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not say %q:\n%v", want, err)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the secret: %v", err)
			}
			if _, statErr := os.Stat(dest); !os.IsNotExist(statErr) {
				t.Errorf("the failed build left %s behind", dest)
			}
		})
	}
}

// filesHolding lists the files under dir that contain text.
func filesHolding(t *testing.T, dir, text string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(text)) {
				out = append(out, p)
			}
		}
		return nil
	})
	return out
}

// TestLinksInsideTheSiteAreFollowed links a page, a bundle file and a
// static file to files elsewhere in the site: lanmu reads them as if they
// were where the link is.
func TestLinksInsideTheSiteAreFollowed(t *testing.T) {
	site, _ := linkSite(t)
	link(t, site, "content/readings/shared.md", "../../shared/page.md")
	link(t, site, "content/readings/b/figure.png", "../../../shared/figure.png")
	link(t, site, "static/css/extra.css", "../../shared/extra.css")
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := build.Build(build.Options{Source: site, Dest: dest, Now: asOf}); err != nil {
		t.Fatal(err)
	}
	for out, src := range map[string]string{
		"readings/b/figure.png": "shared/figure.png",
		"css/extra.css":         "shared/extra.css",
	} {
		got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(out)))
		want, _ := os.ReadFile(filepath.Join(site, filepath.FromSlash(src)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s should be a copy of %s (%v)", out, src, err)
		}
		if info, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(out))); err == nil && info.Mode()&fs.ModeSymlink != 0 {
			t.Errorf("%s is written as a link, not a copy", out)
		}
	}
	page, err := os.ReadFile(filepath.Join(dest, "readings", "shared", "index.html"))
	if err != nil || !hasText(page, "共用正文") {
		t.Errorf("the linked page was not built from the file it links to (%v)", err)
	}
}
