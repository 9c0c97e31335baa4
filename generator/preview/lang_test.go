package preview

import (
	"html"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lanmu/generator/messages"
)

// A preview in Chinese shows a problem's message in Chinese in the
// overlay, at the same path:line:col a build in English gives, and says
// on the terminal what it rebuilt in Chinese too.
func TestPreviewSpeaksTheUsersLanguage(t *testing.T) {
	site := writeLoadSite(t)
	p := runPreview(t, Options{Source: site, Say: messages.For(messages.Chinese)})
	if !strings.Contains(p.out.String(), "正在预览") {
		t.Errorf("the banner is not in Chinese:\n%s", p.out)
	}
	broken := "---\ntitle: 丙\ndate: 2016-13-45\n---\n\n不变。\n"
	if err := saveAtomically(filepath.Join(site, "content", "news", "c.md"), broken); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		body, err := fetch(p.url + "news/a/")
		body = html.UnescapeString(body)
		if err == nil && strings.Contains(body, `content/news/c.md:3:1: date（日期）："2016-13-45" 不是日期`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Chinese problem in the overlay 10 s after the save (err %v):\n%s\nterminal:\n%s", err, body, p.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
