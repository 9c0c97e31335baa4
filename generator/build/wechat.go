package build

import (
	"html/template"
	"strings"

	"lanmu/generator/content"
	"lanmu/generator/qr"
	"lanmu/generator/wechat"
)

// weChatFolder is where a page's copy for the 公众号 editor is, beside it.
const weChatFolder = "wechat/"

// weChatPath is the site path of the page's copy for the 公众号 editor, or
// "" when it has none: its kind gets none ([wechat] sections), the theme
// has no wechat.html, or a page of the site is there.
func (s *Site) weChatPath(cp *content.Page) string {
	if cp.Kind != content.KindPage || !s.wantsWeChat(cp) || s.Theme.Lookup("wechat.html") == "" {
		return ""
	}
	p := cp.Path + weChatFolder
	if s.Content.PageByPath(p) != nil {
		return ""
	}
	return p
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

// weChatJob is the job of a page's copy, or nil. The copy is made when the
// job runs, by the template's call of wechat, so that planning stays as
// quick as it was.
func (s *Site) weChatJob(cp *content.Page, v *Page) *job {
	p := s.weChatPath(cp)
	if p == "" {
		return nil
	}
	return &job{path: outputFile(p), make: rendered{s.Theme.Lookup("wechat.html"), v}, source: cp.File}
}

// isWeChatCopy reports whether an output's site path is a page's copy.
func (s *Site) isWeChatCopy(p string) bool {
	dir, ok := strings.CutSuffix(p, weChatFolder+"index.html")
	if !ok {
		return false
	}
	cp := s.Content.PageByPath(dir)
	return cp != nil && s.weChatPath(cp) == dir+weChatFolder
}

// WeChatURL is the address of the page's copy for the 公众号 editor, or ""
// when it has none.
func (p *Page) WeChatURL() string {
	if p.Page == nil {
		return ""
	}
	if w := p.site.weChatPath(p.Page); w != "" {
		return p.site.relURL(w)
	}
	return ""
}

// weChatCopy is the page's text as the 公众号 editor keeps it when pasted,
// ending with its short address and the address's QR code. The code is
// drawn afresh, not kept with the printed ones: each copy has its own, and
// keeping every page's would hold memory for the whole build.
func (s *Site) weChatCopy(p *Page) (template.HTML, error) {
	var code string
	if isAbsolute(p.ShortLink) {
		drawn, err := qr.Encode(p.ShortLink)
		if err != nil {
			return "", err
		}
		code = drawn.SVG
	}
	out, err := wechat.Render(wechat.Article{
		Title:    p.Title,
		HTML:     string(p.Content()),
		URL:      p.Permalink,
		ReadMore: p.ShortLink,
		QR:       code,
		Words: wechat.Words{
			ReadMore: s.translate("wechat.readMore"),
			Links:    s.translate("wechat.links"),
			Notes:    s.translate("wechat.notes"),
			Note:     s.translate("wechat.note"),
			Colon:    s.translate("colon"),
		},
	})
	return template.HTML(out), err
}
