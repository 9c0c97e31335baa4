package content

import (
	"net/url"
	"path"
	"strings"
	"unicode"

	"lanmu/generator/messages"
)

// Slugify makes a URL segment that keeps Unicode letters and digits (so
// Chinese titles stay readable), lowers ASCII letters, and turns every run of
// other characters into one "-".
func Slugify(s string) string {
	if isSlug(s) {
		return s
	}
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if r < unicode.MaxASCII {
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// isSlug reports whether s is already what Slugify makes of it, in the
// common case of a lower-case ASCII name, so that it need not be rebuilt.
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkSlug refuses a slug that tries to be a path.
func checkSlug(s string) error {
	switch {
	case strings.ContainsAny(s, "/\\"):
		return messages.Errorf("slug %q may not contain / or \\ (use url: to set a whole path)", s)
	case strings.Contains(s, ".."):
		return messages.Errorf("slug %q may not contain \"..\"", s)
	case strings.HasPrefix(s, "."):
		return messages.Errorf("slug %q starts with a dot, which web servers hide", s)
	case len(Slugify(s)) > maxNameBytes:
		return messages.Errorf("slug %q is %d bytes, over the %d a file name may have: shorten it", s, len(Slugify(s)), maxNameBytes)
	case hasControl(s):
		return messages.Errorf("slug %q contains a control character", s)
	case Slugify(s) == "":
		return messages.Errorf("slug %q has no letters or digits", s)
	}
	return nil
}

// maxNameBytes is the longest name a folder of the site may have: ext4,
// NTFS and APFS allow 255 bytes, which is 85 Chinese characters.
const maxNameBytes = 255

// longFolderName says, for a term that names a folder of public/ (a tag,
// a branch), that its folder name is too long; "" when it fits.
func longFolderName(what messages.Text, name string) messages.Text {
	n := len(Slugify(name))
	if n <= maxNameBytes {
		return messages.Text{}
	}
	return messages.Textf("%s %q makes a folder name of %d bytes, over the %d a file name may have: shorten it", what, name, n, maxNameBytes)
}

// CleanURL checks a `url:` or alias value and returns it as a site path with
// a leading slash, ending in "/" unless it names a file ("/old/page.html").
// It refuses anything that could leave the site: "..", schemes, "//host",
// backslashes, control characters and percent-encoded tricks of the same.
func CleanURL(raw string) (string, error) {
	decoded, err := url.PathUnescape(raw)
	if err != nil {
		return "", messages.Errorf("%q is not a valid URL path: %v", raw, err)
	}
	forms := []string{raw, decoded}
	// The result is written decoded, after a leading "/"; a server or proxy
	// that decodes it once more must not find a trick in it either
	// ("%252e%252e" is "..", and "%252fhost" makes "//host").
	if twice, err := url.PathUnescape("/" + strings.TrimLeft(decoded, "/")); err == nil {
		forms = append(forms, twice)
	}
	for _, s := range forms {
		switch {
		case strings.TrimSpace(s) == "":
			return "", messages.Errorf("the URL path is empty")
		case hasControl(s):
			return "", messages.Errorf("%q contains a control character", raw)
		case strings.Contains(s, `\`):
			return "", messages.Errorf("%q contains a backslash; use / between folders", raw)
		case strings.HasPrefix(s, "//"):
			return "", messages.Errorf("%q would point to another host; give a path inside the site", raw)
		case hasScheme(s):
			return "", messages.Errorf("%q has a scheme; give a path inside the site like /readings/a/", raw)
		case strings.ContainsAny(s, "?#"):
			return "", messages.Errorf("%q may not contain ? or #", raw)
		}
		for _, seg := range strings.Split(s, "/") {
			if seg == ".." || seg == "." {
				return "", messages.Errorf("%q may not contain . or .. segments: it must stay inside the site", raw)
			}
			// Web servers hide or act on such files (.htaccess), and
			// lanmu keeps its own list of outputs there (.lanmu-manifest).
			if strings.HasPrefix(seg, ".") {
				return "", messages.Errorf("%q has a name starting with a dot (%s), which web servers hide or act on: give a page a name without it, and put a file such a name must have into static/", raw, seg)
			}
		}
	}
	p := "/" + strings.TrimLeft(decoded, "/")
	// As it is written to disk: decoded, one folder or file per segment.
	for _, seg := range strings.Split(p, "/") {
		if len(seg) > maxNameBytes {
			return "", messages.Errorf("%q has a name of %d bytes, over the %d a file name may have: shorten it", raw, len(seg), maxNameBytes)
		}
	}
	if ext := path.Ext(p); ext == "" || strings.HasSuffix(p, "/") {
		p = strings.TrimRight(p, "/") + "/"
	}
	return p, nil
}

// controlIn returns the first control character of text meant to be read
// (a title), where a tab or a line break is allowed: an escape sequence in
// a title reached <title> (invalid HTML) and cleared the screen of lanmu
// status.
func controlIn(s string) (rune, bool) {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' {
			return r, true
		}
	}
	return 0, false
}

// stripControl removes the characters controlIn finds.
func stripControl(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' && r != '\n' {
			return -1
		}
		return r
	}, s)
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// hasScheme reports whether s starts like "name:" (a URL scheme) or a
// Windows drive ("C:").
func hasScheme(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	for j, r := range s[:i] {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || (j > 0 && (unicode.IsDigit(r) || r == '+' || r == '-' || r == '.')))
		if !ok {
			return false
		}
	}
	return true
}

// escapePath percent-escapes a site path for use in links and feeds.
func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}
