package content

import (
	"strings"

	"lanmu/generator/shortcode"
)

// ShortPrefix is the folder of the short addresses.
const ShortPrefix = "/s/"

// assignShortAddresses gives every published page its short address,
// keyed by its source file, or by its path for a page lanmu makes up; a
// code that a page of the site already has as its path is passed over.
func (s *Site) assignShortAddresses() {
	keys := make([]string, 0, len(s.Pages))
	keyOf := func(p *Page) string {
		if p.File != "" {
			return p.File
		}
		return "path:" + p.Path
	}
	for _, p := range s.Pages {
		keys = append(keys, keyOf(p))
	}
	codes := shortcode.Assign(keys, func(code string) bool { return s.byPath[ShortPrefix+code+"/"] != nil })
	base := strings.TrimSuffix(s.Config.BasePath, "/")
	for _, p := range s.Pages {
		p.ShortPath = ShortPrefix + codes[keyOf(p)] + "/"
		p.ShortLink = s.Config.Origin + base + p.ShortPath
	}
}
