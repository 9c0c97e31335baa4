package build

import (
	"html/template"
	"strings"

	"lanmu/generator/content"
	"lanmu/generator/wechat"
)

// weChatFolder is where a page's copy for the 公众号 editor is, beside it.
const weChatFolder = "wechat/"

// weChatJob is the job of a page's copy for the 公众号 editor, or nil when
// its kind gets none ([wechat] sections) or the theme has no wechat.html.
// The copy is made when the job runs, by the template's call of wechat,
// so that planning stays as quick as it was.
func (s *Site) weChatJob(cp *content.Page, v *Page, layout string) *job {
	if layout == "" || cp.Kind != content.KindPage || !s.wantsWeChat(cp) {
		return nil
	}
	p := cp.Path + weChatFolder
	if s.Content.PageByPath(p) != nil {
		return nil // a page of the site is there
	}
	return &job{path: outputFile(p), make: rendered{layout, v}, source: cp.File}
}

// wantsWeChat reports whether [wechat] sections names the page's section,
// or the section its kind belongs in.
func (s *Site) wantsWeChat(cp *content.Page) bool {
	for _, name := range s.Config.WeChat.Sections {
		if name == cp.Section || content.Types[name] == cp.Type {
			return true
		}
	}
	return false
}

// weChatCopy is the page's text as the 公众号 editor keeps it when pasted,
// ending with its short address and the address's QR code.
func (s *Site) weChatCopy(p *Page) (template.HTML, error) {
	code, err := s.qrFor(p.ShortLink)
	if err != nil {
		return "", err
	}
	out, err := wechat.Render(wechat.Article{
		Title:    p.Title,
		HTML:     string(p.Content()),
		URL:      p.Permalink,
		ReadMore: p.ShortLink,
		QR:       string(code),
	})
	return template.HTML(out), err
}

// isWeChatCopy reports whether an output's site path is a page's copy for
// the 公众号 editor.
func (s *Site) isWeChatCopy(p string) bool {
	dir, ok := strings.CutSuffix(p, weChatFolder+"index.html")
	if !ok || s.Content.PageByPath(dir+weChatFolder) != nil {
		return false
	}
	cp := s.Content.PageByPath(dir)
	return cp != nil && cp.Kind == content.KindPage && s.wantsWeChat(cp)
}
