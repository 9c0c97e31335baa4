package content

import (
	"bytes"
	"errors"

	"lanmu/generator/keyval"
)

// split separates front matter from the body. It returns the front matter
// text, its format ("yaml", "toml" or "" when there is none), the 1-based
// line its first line is on, the body, and the line the body starts on.
// src must already have its line endings (CRLF, CR) turned into LF.
func split(src []byte) (fm []byte, format string, fmLine int, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	delim := string(bytes.TrimRight(first, " \t"))
	switch delim {
	case "---":
		format = "yaml"
	case "+++":
		format = "toml"
	default:
		return nil, "", 0, src, 1, nil
	}
	line := 2
	offset := 0
	for offset <= len(rest) {
		end := bytes.IndexByte(rest[offset:], '\n')
		var cur []byte
		next := len(rest) + 1
		if end < 0 {
			cur = rest[offset:]
		} else {
			cur = rest[offset : offset+end]
			next = offset + end + 1
		}
		if string(bytes.TrimRight(cur, " \t")) == delim {
			body = nil
			if next <= len(rest) {
				body = rest[next:]
			}
			return rest[:offset], format, 2, body, line + 1, nil
		}
		offset = next
		line++
	}
	return nil, format, 2, nil, 0, keyval.Errorf(keyval.Pos{Line: 1, Col: 1}, "front matter opened with %s is never closed (a line with only %s must end it)", delim, delim)
}

// decode parses front matter text in its format.
func decode(fm []byte, format string) (*keyval.Doc, error) {
	switch format {
	case "yaml":
		return keyval.ParseYAML(fm)
	case "toml":
		return keyval.ParseTOML(fm)
	case "":
		return &keyval.Doc{Values: map[string]any{}}, nil
	}
	return nil, errors.New("unknown front matter format " + format)
}

// frontMatter holds the keys every page may carry. Kind-specific keys
// (source, speaker, tasks, …) stay in Params for their kind to read.
type frontMatter struct {
	Title       string
	Date        any
	Lastmod     any
	PublishDate any
	ExpiryDate  any
	Draft       bool
	Slug        string
	URL         string `key:"url"`
	Summary     string
	Tags        []string
	Weight      int
	Aliases     []string
	Type        string
	Layout      string
	Other       map[string]any `key:",remain"`
}
