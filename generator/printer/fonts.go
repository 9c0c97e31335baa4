package printer

import (
	"context"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"

	"lanmu/generator/messages"
)

// FontUse is the font one role of the pocket book was set in.
type FontUse struct {
	Role   string // what the text is: title, text, heading, subheading
	Wanted string // the first font the stylesheet names for it
	Used   string // the font most of its characters were drawn in; "" if the book has no such text
}

// Say says it as lanmu print does, in say's language: the font, and the
// stylesheet's first choice when that is another. A font may report another
// name than the stylesheet's (FangSong for 仿宋), so this does not claim the
// first choice is missing.
func (f FontUse) Say(say *messages.Printer) string {
	role := say.Sprintf(f.Role)
	switch {
	case f.Used == "":
		return say.Sprintf("%s: none in the book", role)
	case strings.EqualFold(f.Used, f.Wanted):
		return say.Sprintf("%s: %s", role, f.Used)
	}
	return say.Sprintf("%s: %s (the stylesheet asks first for %s)", role, f.Used, f.Wanted)
}

// bookRoles are the pocket book's kinds of text, each by the first
// element that holds one.
var bookRoles = []struct{ role, selector string }{
	{"title", ".book-article__title"},
	{"text", ".book-article__body p"},
	{"heading", ".book-article__body h2"},
	{"subheading", ".book-article__body h3"},
}

// Roles names the pocket book's kinds of text, as FontUse.Role does.
func Roles() []string {
	out := make([]string, len(bookRoles))
	for i, r := range bookRoles {
		out[i] = r.role
	}
	return out
}

// bookFonts asks Chromium which fonts it drew each role of the open page
// in: the stylesheet names a list, and which of them a machine has decides.
func bookFonts(ctx context.Context) ([]FontUse, error) {
	return chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]FontUse, error) {
		var out []FontUse
		if _, err := cdp.Call(ctx, t, dom.Enable, dom.EnableParams{}); err != nil {
			return nil, err
		}
		if _, err := cdp.Call(ctx, t, css.Enable, cdp.Empty{}); err != nil {
			return nil, err
		}
		doc, err := cdp.Call(ctx, t, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return nil, err
		}
		for _, r := range bookRoles {
			use := FontUse{Role: r.role}
			found, err := cdp.Call(ctx, t, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: r.selector})
			if err != nil {
				return nil, err
			}
			if found.NodeID != 0 {
				style, err := cdp.Call(ctx, t, css.GetComputedStyleForNode, css.GetComputedStyleForNodeParams{NodeID: found.NodeID})
				if err != nil {
					return nil, err
				}
				for _, p := range style.ComputedStyle {
					if p.Name == "font-family" {
						first, _, _ := strings.Cut(p.Value, ",")
						use.Wanted = strings.Trim(strings.TrimSpace(first), `"'`)
					}
				}
				fonts, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: found.NodeID})
				if err != nil {
					return nil, err
				}
				most := 0.0
				for _, f := range fonts.Fonts {
					if f.GlyphCount > most {
						use.Used, most = f.FamilyName, f.GlyphCount
					}
				}
			}
			out = append(out, use)
		}
		return out, nil
	})
}
