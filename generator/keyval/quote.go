package keyval

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Quote writes s in double quotes with the escapes YAML and TOML share, so
// that one function writes a string for front matter in either format.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// YAMLString writes s as a YAML scalar that reads back as the string s:
// plain where it can be, since editors read front matter and 学习党章 reads
// better than "学习党章", else quoted. In a flow list ([a, b]) commas and
// brackets end a plain scalar too, so inFlow quotes those.
func YAMLString(s string, inFlow bool) string {
	if plainYAML(s, inFlow) {
		return s
	}
	return Quote(s)
}

// yamlWords are the plain words YAML 1.1 or 1.2 reads as booleans or null.
// lanmu reads some of them as text, but other YAML tools would not.
var yamlWords = []string{"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"}

// plainYAML reports whether s can be written unquoted and read back as the
// same string, not as a number, a boolean or null, and without a
// character that would end or change it. A date stays plain: lanmu reads
// it as text until a date field reads it, as a person writes it.
func plainYAML(s string, inFlow bool) bool {
	if s == "" || strings.TrimSpace(s) != s || !utf8.ValidString(s) || slices.Contains(yamlWords, strings.ToLower(s)) {
		return false
	}
	if strings.ContainsAny(s, "\"'\\\x7f\u0085\u2028\u2029\ufeff") || strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	for _, r := range s {
		if r < ' ' {
			return false
		}
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>%@`") {
		return false
	}
	if inFlow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	// Whatever YAML would read as something other than text.
	doc, err := ParseYAML([]byte("v: " + s + "\n"))
	if err != nil {
		return false
	}
	got, ok := doc.Values["v"].(string)
	return ok && got == s
}
