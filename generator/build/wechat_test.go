package build

import (
	"strings"
	"testing"

	"lanmu/generator/content"
	"lanmu/internal/testsite"
)

// Each reading, class and news page has its 公众号 copy beside it, which
// search engines are told to leave and which no sitemap, feed or search
// index lists; [wechat] sections chooses the kinds.
func TestWeChatCopies(t *testing.T) {
	for _, c := range []struct {
		name, setting string
		want          map[content.Type]bool
	}{
		{"default", "", map[content.Type]bool{content.TypeReading: true, content.TypeClass: true, content.TypeNews: true}},
		{"news only", "\n[wechat]\nsections = [\"news\"]\n", map[content.Type]bool{content.TypeNews: true}},
		// A name the site lacks is no error: a column may start its
		// notices later.
		{"absent section", "\n[wechat]\nsections = [\"notices\", \"readings\"]\n", map[content.Type]bool{content.TypeReading: true}},
		{"none", "\n[wechat]\nsections = []\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := testsite.CopyExample(t, exampleSite, func(cfg string) string { return cfg + c.setting })
			s, err := Load(Options{Source: site})
			if err != nil {
				t.Fatal(err)
			}
			files := freshBuild(t, site)
			copies := 0
			for _, p := range s.Content.Pages {
				copy, made := files[p.Path+"wechat/index.html"]
				want := p.Kind == content.KindPage && c.want[p.Type]
				if made != want {
					t.Errorf("%s (%s): a copy made %v, want %v", p.Path, p.Type, made, want)
				}
				if !made {
					continue
				}
				copies++
				page := string(copy)
				for _, must := range []string{`<meta name="robots" content="noindex, nofollow">`, `<link rel="canonical" href="` + p.Permalink + `">`, `class="wechat__copy"`, "阅读原文：" + p.ShortLink} {
					if !strings.Contains(page, must) {
						t.Errorf("%swechat/ lacks %s", p.Path, must)
					}
				}
			}
			if c.want != nil && copies < 5 {
				t.Errorf("only %d copies", copies)
			}
			for p, data := range files {
				listing := strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".json")
				if listing && strings.Contains(string(data), "/wechat/") {
					t.Errorf("%s lists a 公众号 copy", p)
				}
			}
		})
	}
}
