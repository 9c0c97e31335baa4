package build

import "lanmu/generator/content"

// What the editing interface of serve --edit asks of the last build.

// RenderBody converts Markdown as the page in file would have it converted,
// links resolved from that page (or left as written when the site has no
// such page yet): the HTML beside the editor of serve --edit, made by the
// build's own converter so that it shows what the build will write.
func (s *Site) RenderBody(file string, markdown []byte) (string, error) {
	p := s.Content.PageByFile(file)
	res, err := s.markup.Convert(markdown, func(dest string) (string, error) {
		if p == nil {
			return dest, nil
		}
		return s.Content.ResolveLink(p, dest)
	})
	if err != nil {
		return "", err
	}
	return res.HTML, nil
}

// PhotoThumb is the URL of a teacher's photo as the build resized it for a
// list (160 pixels wide), or "" when the page has no photo.
func (s *Site) PhotoThumb(cp *content.Page) string {
	if ph := s.photos[cp]; ph != nil {
		return ph.Fit(160)
	}
	return ""
}

// RelURL is a site path ("/css/lanmu.css") as the site's pages link to it,
// under the base path.
func (s *Site) RelURL(p string) string { return s.relURL(p) }
