package content

import (
	"net/url"
	"path"
	"strings"

	"lanmu/generator/messages"
)

// ResolveLink rewrites a link or image destination written in the Markdown
// of page from, so that it works wherever the page is published:
//   - a link with a scheme ("https:", "mailto:") or to "//host" is kept;
//   - "#anchor" is kept;
//   - a site-absolute path ("/readings/") gets the base path in front;
//   - a relative path to a Markdown file ("../classes/a.md#提纲") becomes that
//     page's URL, and a relative path to any other file under content/
//     becomes that file's URL.
//
// A relative link to a file that does not exist, or to a page that is not
// published, is an error.
func (s *Site) ResolveLink(from *Page, dest string) (string, error) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "//") {
		return dest, nil
	}
	u, err := url.Parse(dest)
	if err != nil {
		return dest, messages.Errorf("link %q is not a valid URL", dest)
	}
	if u.Scheme != "" || u.Host != "" {
		return dest, nil
	}
	suffix := ""
	if u.RawQuery != "" {
		suffix += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		suffix += "#" + u.EscapedFragment()
	}
	if strings.HasPrefix(u.Path, "/") {
		return escapePath(strings.TrimSuffix(s.Config.BasePath, "/")+u.Path) + suffix, nil
	}
	if from == nil || from.File == "" || u.Path == "" {
		return dest, nil
	}
	target := path.Join(path.Dir(from.File), u.Path)
	if target != Dir && !strings.HasPrefix(target, Dir+"/") {
		return dest, messages.Errorf("link %q leaves the content folder", dest)
	}
	candidates := []string{target}
	if !strings.HasSuffix(target, ".md") {
		// A folder stands for its page bundle or section.
		candidates = append(candidates, target+"/index.md", target+"/_index.md")
	}
	if target == Dir {
		candidates = []string{Dir + "/_index.md"}
	}
	if s.inUnreadable(target) {
		// That page's own problem is reported; the link may be right.
		return dest, nil
	}
	for _, c := range candidates {
		if p := s.byFile[c]; p != nil {
			return p.RelPermalink + suffix, nil
		}
		if why, ok := s.hidden[c]; ok {
			return dest, messages.Errorf("link %q goes to %s, which is not published: %s", dest, c, why)
		}
		if out, ok := s.Files[c]; ok {
			return escapePath(strings.TrimSuffix(s.Config.BasePath, "/")+out) + suffix, nil
		}
	}
	if target == Dir {
		return s.Home.RelPermalink + suffix, nil
	}
	return dest, messages.Errorf("link %q goes to %s, which does not exist", dest, target)
}

// inUnreadable reports whether a content path is a page file whose front
// matter could not be parsed, the folder of one, or a file of such a
// page's bundle.
func (s *Site) inUnreadable(target string) bool {
	if s.unreadable[target] || s.unreadable[target+"/index.md"] || s.unreadable[target+"/_index.md"] {
		return true
	}
	for dir := path.Dir(target); dir != Dir && dir != "."; dir = path.Dir(dir) {
		if s.unreadable[dir+"/index.md"] {
			return true
		}
	}
	return false
}
