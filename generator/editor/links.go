package editor

import (
	"net/url"
	"path"
	"regexp"
	"strings"
)

// inlineLink finds an inline link's or image's destination: "](" then the
// destination, in angle brackets or without spaces, up to a title or ")".
var inlineLink = regexp.MustCompile(`\]\(\s*(<[^<>\n]*>|[^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)*)`)

// referenceLink finds a link reference definition's destination:
// "[name]: dest" at the start of a line.
var referenceLink = regexp.MustCompile(`(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^<>\n]*>|\S+)`)

// fence opens or closes a fenced code block.
var fence = regexp.MustCompile("^ {0,3}(```|~~~)")

// moveLinks rewrites, in the Markdown of the page in file, every link and
// image written as a path to the page that moved from oldFile to newFile,
// so that it leads to newFile; links in fenced code stay as written. It
// returns the text and how many links it changed.
func moveLinks(text, file, oldFile, newFile string) (string, int) {
	return relink(text, file, file, func(target string) (string, bool) {
		switch {
		case target == oldFile:
			return newFile, true
		case strings.HasSuffix(oldFile, "/index.md") && target == path.Dir(oldFile):
			// A link to a bundle's folder stands for its page.
			if strings.HasSuffix(newFile, "/index.md") {
				return path.Dir(newFile), true
			}
			return newFile, true
		}
		return "", false
	})
}

// moveOwnLinks rewrites the relative links of a page that moved from
// oldFile to newFile, so that they lead where they led before.
func moveOwnLinks(text, oldFile, newFile string) (string, int) {
	return relink(text, oldFile, newFile, func(target string) (string, bool) {
		if target == oldFile {
			return newFile, true
		}
		return target, path.Dir(oldFile) != path.Dir(newFile)
	})
}

// relink rewrites the relative path links of Markdown that was written
// in the file from and now lives in the file at: each link's target,
// resolved from from, is given to to, which answers the target it should
// lead to, or false to leave the link be. Links in fenced code stay.
func relink(text, from, at string, to func(target string) (string, bool)) (string, int) {
	changed := 0
	fix := func(dest string) string {
		bare := strings.TrimSuffix(strings.TrimPrefix(dest, "<"), ">")
		u, err := url.Parse(bare)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
			return dest
		}
		target, ok := to(path.Join(path.Dir(from), u.Path))
		if !ok {
			return dest
		}
		out := relativeTo(at, target)
		if strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(target, ".md") {
			out += "/"
		}
		// The query and anchor as they were written.
		if i := strings.IndexAny(bare, "?#"); i >= 0 {
			out += bare[i:]
		}
		if strings.ContainsAny(out, " \t()<>") {
			out = "<" + out + ">"
		}
		if out == dest {
			return dest
		}
		changed++
		return out
	}
	var b strings.Builder
	inCode := false
	for _, line := range strings.SplitAfter(text, "\n") {
		if fence.MatchString(line) {
			inCode = !inCode
			b.WriteString(line)
			continue
		}
		if inCode {
			b.WriteString(line)
			continue
		}
		line = replaceGroup(inlineLink, line, fix)
		line = replaceGroup(referenceLink, line, fix)
		b.WriteString(line)
	}
	return b.String(), changed
}

// replaceGroup replaces the first group of each match of re in s by fix's
// answer for it.
func replaceGroup(re *regexp.Regexp, s string, fix func(string) string) string {
	var b strings.Builder
	last := 0
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(s[last:m[2]])
		b.WriteString(fix(s[m[2]:m[3]]))
		last = m[3]
	}
	b.WriteString(s[last:])
	return b.String()
}

// relativeTo is the path from the folder of the file from to the file to,
// both site-relative: how a Markdown link in from names to.
func relativeTo(from, to string) string {
	a := strings.Split(path.Dir(from), "/")
	b := strings.Split(to, "/")
	i := 0
	for i < len(a) && i < len(b)-1 && a[i] == b[i] {
		i++
	}
	var parts []string
	for range a[i:] {
		parts = append(parts, "..")
	}
	return strings.Join(append(parts, b[i:]...), "/")
}
