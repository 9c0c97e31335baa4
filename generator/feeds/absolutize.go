package feeds

import (
	"bytes"
	"strings"

	xhtml "golang.org/x/net/html"
)

// Absolutize rewrites root-relative URLs ("/xxjy/a/") in href, src and srcset attributes of an HTML fragment into absolute ones
// using origin ("https://www.example.gov.cn"), leaving absolute URLs, fragments ("#x") and other attributes untouched and
// otherwise reproducing the input exactly. Feed readers have no base URL, so content HTML must carry absolute links.
//
// The fragment is read with golang.org/x/net/html's tokenizer, so quoting
// style, comments and the bodies of <script>, <style>, <textarea> and the
// like are recognised as a browser would; every token that is not rewritten
// is copied from the input byte for byte. Within a rewritten attribute the
// origin is inserted in front of the URL and nothing else moves, except
// when the value spells its leading "/" as a character reference, in which
// case that one value is re-escaped and double-quoted.
//
// A URL counts as root-relative when it starts with a single "/" (after the
// leading whitespace that browsers ignore); "//host/x" and "/\host/x" are
// scheme-relative to a browser and are left alone. Only the first of
// duplicated attributes is rewritten, as browsers ignore the others.
// A trailing "/" on origin is ignored; an empty origin returns html as is.
func Absolutize(html string, origin string) string {
	origin = strings.TrimRight(origin, "/")
	// Without a "/" (or a character reference that could spell one) there
	// is nothing to rewrite, which is common for short fragments.
	if origin == "" || !strings.ContainsAny(html, "/&") {
		return html
	}
	a := absolutizer{origin: origin, escOrigin: attrEscaper.Replace(origin)}
	z := xhtml.NewTokenizer(strings.NewReader(html))
	for {
		tt := z.Next()
		// Raw is read before anything else because some accessors (TagName,
		// Text) rewrite the tokenizer's buffer in place; this code only
		// uses TagAttr, which copies, but the order keeps that safe.
		raw := z.Raw()
		if tt == xhtml.StartTagToken || tt == xhtml.SelfClosingTagToken {
			if a.tag(z, raw) {
				continue
			}
		}
		a.out.Write(raw)
		if tt == xhtml.ErrorToken {
			// The tokenizer only stops at the end of input (reading a
			// strings.Reader cannot fail otherwise); an unfinished tag at
			// the end has been returned in raw above.
			break
		}
	}
	if !a.changed {
		return html
	}
	return a.out.String()
}

// attrEscaper escapes text for any attribute value context, quoted or not.
var attrEscaper = strings.NewReplacer(`&`, "&amp;", `"`, "&#34;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;")

// absolutizer holds the state of one Absolutize call.
type absolutizer struct {
	origin    string
	escOrigin string // origin escaped for insertion into attribute values
	out       bytes.Buffer
	changed   bool
}

// attrSpan locates one attribute in the raw bytes of a tag: the name is
// raw[ks:ke], the value without its quotes raw[vs:ve], and quote is the
// quote character, or 0 for an unquoted or missing value.
type attrSpan struct {
	ks, ke, vs, ve int
	quote          byte
}

// tag rewrites the URL attributes of one start tag, writing the result to
// a.out. It returns false, having written nothing, when the tag needs no
// change, so that the caller copies the raw bytes.
func (a *absolutizer) tag(z *xhtml.Tokenizer, raw []byte) bool {
	// Cheap pre-check: most tags (<p>, <span style=...>) cannot hold an
	// attribute this function rewrites.
	if bytes.IndexByte(raw, '=') < 0 || (!containsFold(raw, "href") && !containsFold(raw, "src")) {
		return false
	}
	spans := scanAttrs(raw)
	if len(spans) == 0 {
		return false
	}
	// The tokenizer is the authority on what the attributes are; scanAttrs
	// only finds where they are. If the two ever disagree (say, a future
	// x/net changes its rules), leave the tag alone rather than guess.
	vals := make([]string, len(spans)) // values of URL attributes only
	kinds := make([]int, len(spans))   // 0 other, 1 href/src, 2 srcset
	for i, s := range spans {
		key, val, _ := z.TagAttr()
		if !sameKey(raw[s.ks:s.ke], key) {
			return false
		}
		switch string(key) {
		case "href", "src":
			kinds[i] = 1
		case "srcset":
			kinds[i] = 2
		default:
			continue
		}
		vals[i] = string(val)
	}
	if key, _, _ := z.TagAttr(); key != nil {
		return false
	}

	type edit struct {
		start, end int    // raw[start:end] is replaced by text
		text       string // (start == end for an insertion)
	}
	var edits []edit
	for i, s := range spans {
		if kinds[i] == 0 {
			continue
		}
		val := vals[i]
		var at []int // offsets in val in front of which origin belongs
		if kinds[i] == 1 {
			if off, ok := rootRelative(val); ok {
				at = []int{off}
			}
		} else {
			at = srcsetRootRelative(val)
		}
		if len(at) == 0 {
			continue
		}
		rawVal := raw[s.vs:s.ve]
		if string(rawVal) == val && (s.quote != 0 || !strings.ContainsAny(a.origin, " \t\n\f\r\"'=<>`")) {
			// The usual case: the value is written without character
			// references, so offsets in val are offsets in raw and the
			// origin can be inserted without touching anything else.
			for _, off := range at {
				edits = append(edits, edit{s.vs + off, s.vs + off, a.escOrigin})
			}
			continue
		}
		// The value uses character references (e.g. "&#47;a") or the
		// origin cannot go into an unquoted value: write the new value
		// escaped and double-quoted in place of the old one.
		var b strings.Builder
		prev := 0
		for _, off := range at {
			b.WriteString(val[prev:off])
			b.WriteString(a.origin)
			prev = off
		}
		b.WriteString(val[prev:])
		start, end := s.vs, s.ve
		if s.quote != 0 && start > 0 && end < len(raw) {
			start, end = start-1, end+1
		}
		edits = append(edits, edit{start, end, `"` + attrEscaper.Replace(b.String()) + `"`})
	}
	if len(edits) == 0 {
		return false
	}
	prev := 0
	for _, e := range edits {
		a.out.Write(raw[prev:e.start])
		a.out.WriteString(e.text)
		prev = e.end
	}
	a.out.Write(raw[prev:])
	a.changed = true
	return true
}

// rootRelative reports whether the URL in an href or src value is
// root-relative and, if so, the offset of its leading "/". It follows the
// WHATWG URL parser, which browsers use: leading C0 controls and spaces are
// ignored, tabs and newlines are removed anywhere, and "\" counts as "/",
// so "/\evil.example" and "/<tab>/evil.example" are scheme-relative, not
// paths on this site.
func rootRelative(v string) (int, bool) {
	i := 0
	for i < len(v) && v[i] <= ' ' {
		i++
	}
	if i == len(v) || v[i] != '/' {
		return 0, false
	}
	for j := i + 1; j < len(v); j++ {
		switch v[j] {
		case '\t', '\n', '\r':
			continue
		case '/', '\\':
			return 0, false
		}
		break
	}
	return i, true
}

// srcsetRootRelative returns the offsets of the root-relative candidate
// URLs of a srcset value, parsed as the HTML standard's "parse a srcset
// attribute" algorithm splits it: candidates are separated by commas, a
// URL runs up to whitespace (and may itself contain commas, as data: URLs
// do), and descriptors run up to a comma outside parentheses.
func srcsetRootRelative(v string) []int {
	var at []int
	i := 0
	for {
		for i < len(v) && (isHTMLSpace(v[i]) || v[i] == ',') {
			i++
		}
		if i >= len(v) {
			return at
		}
		start := i
		for i < len(v) && !isHTMLSpace(v[i]) {
			i++
		}
		url := v[start:i]
		if strings.HasSuffix(url, ",") {
			// Trailing commas end the candidate; there are no descriptors.
			url = strings.TrimRight(url, ",")
		} else {
			inParens := false
		descriptors:
			for ; i < len(v); i++ {
				switch v[i] {
				case '(':
					inParens = true
				case ')':
					inParens = false
				case ',':
					if !inParens {
						i++
						break descriptors
					}
				}
			}
		}
		// Within srcset, a URL cannot start with whitespace and cannot
		// contain tabs or newlines, so the check is on its first bytes.
		if len(url) > 0 && url[0] == '/' && (len(url) == 1 || (url[1] != '/' && url[1] != '\\')) {
			at = append(at, start)
		}
	}
}

// isHTMLSpace reports whether c is ASCII whitespace as HTML defines it.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// sameKey reports whether the raw attribute name raw is the name the
// tokenizer reported as key: ASCII-lowercased, with NUL as U+FFFD.
func sameKey(raw, key []byte) bool {
	for _, c := range raw {
		if c == 0 {
			if !bytes.HasPrefix(key, []byte("\uFFFD")) {
				return false
			}
			key = key[len("\uFFFD"):]
			continue
		}
		if len(key) == 0 || lowerASCII(c) != key[0] {
			return false
		}
		key = key[1:]
	}
	return len(key) == 0
}

// sameName reports whether two raw attribute names are the same name, the
// way the tokenizer detects duplicates (ASCII case-insensitively).
func sameName(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// containsFold reports whether b contains the lowercase ASCII word w in
// any letter case.
func containsFold(b []byte, w string) bool {
	for i := 0; i+len(w) <= len(b); i++ {
		if sameName(b[i:i+len(w)], []byte(w)) {
			return true
		}
	}
	return false
}

// lowerName lowercases ASCII letters only, as the tokenizer does;
// bytes.ToLower would also fold non-ASCII letters and merge invalid UTF-8.
func lowerName(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = lowerASCII(c)
	}
	return string(out)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scanAttrs finds the attributes of a complete start tag in its raw bytes,
// following step by step what x/net/html's Tokenizer.readTag does (it does
// not expose positions). Like the tokenizer it keeps only the first
// attribute of each name and drops empty names, so the result lines up one
// to one with what TagAttr returns.
func scanAttrs(raw []byte) []attrSpan {
	n := len(raw)
	skipSpace := func(i int) int {
		for i < n && isHTMLSpace(raw[i]) {
			i++
		}
		return i
	}
	// raw[0] is '<' and raw[1] the first byte of the tag name.
	i := 2
name:
	for i < n {
		c := raw[i]
		i++
		switch c {
		case ' ', '\n', '\r', '\t', '\f':
			break name
		case '/', '>':
			i--
			break name
		}
	}
	var spans []attrSpan
	var seen map[string]bool // names in spans, once there are many
next:
	for i = skipSpace(i); i < n && raw[i] != '>'; i = skipSpace(i) {
		var s attrSpan
		i, s = scanAttr(raw, i, skipSpace)
		if s.ke == s.ks {
			continue
		}
		name := raw[s.ks:s.ke]
		// Real tags have a handful of attributes, where a linear search
		// beats a map; the map keeps pathological tags from going
		// quadratic.
		if seen == nil {
			for _, prev := range spans {
				if sameName(raw[prev.ks:prev.ke], name) {
					continue next
				}
			}
			if len(spans) == 16 {
				seen = make(map[string]bool)
				for _, prev := range spans {
					seen[lowerName(raw[prev.ks:prev.ke])] = true
				}
			}
		}
		if seen != nil {
			key := lowerName(name)
			if seen[key] {
				continue
			}
			seen[key] = true
		}
		spans = append(spans, s)
	}
	return spans
}

// scanAttr reads one attribute starting at raw[i] (readTagAttrKey and
// readTagAttrVal in the tokenizer) and returns the position after it.
func scanAttr(raw []byte, i int, skipSpace func(int) int) (int, attrSpan) {
	n := len(raw)
	s := attrSpan{ks: i}
	for i < n {
		c := raw[i]
		i++
		if c == '=' && i == s.ks+1 {
			// An '=' before the name begins is part of the name.
			continue
		}
		if c == '=' || c == '/' || c == '>' || isHTMLSpace(c) {
			i--
			break
		}
	}
	s.ke = i
	s.vs, s.ve = i, i
	if i = skipSpace(i); i >= n {
		return i, s
	}
	c := raw[i]
	i++
	if c == '/' {
		return i, s
	}
	if c != '=' {
		return i - 1, s
	}
	if i = skipSpace(i); i >= n {
		return i, s
	}
	q := raw[i]
	i++
	switch q {
	case '>':
		return i - 1, s
	case '"', '\'':
		s.quote = q
		s.vs = i
		if k := bytes.IndexByte(raw[i:], q); k >= 0 {
			s.ve = i + k
			return i + k + 1, s
		}
		s.ve = n
		return n, s
	}
	s.vs = i - 1
	for i < n {
		c := raw[i]
		i++
		if isHTMLSpace(c) {
			s.ve = i - 1
			return i, s
		}
		if c == '>' {
			s.ve = i - 1
			return i - 1, s
		}
	}
	s.ve = n
	return n, s
}
