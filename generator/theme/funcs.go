package theme

import (
	"html/template"
	"reflect"
	"strings"
	"time"

	"lanmu/generator/messages"
)

// builtinFuncs are the few general functions the themes need. Site-aware
// ones (URLs, dates in the site language, translations) come from the build.
func builtinFuncs() template.FuncMap {
	return template.FuncMap{
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, messages.Errorf("dict needs key and value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, messages.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"list": func(items ...any) []any { return items },
		// default returns value unless it is empty, then fallback:
		// {{ .Params.author | default "佚名" }}.
		"default": func(fallback, value any) any {
			if isEmpty(value) {
				return fallback
			}
			return value
		},
		"first": func(n int, list any) (any, error) {
			v := reflect.ValueOf(list)
			if v.Kind() != reflect.Slice {
				return nil, messages.Errorf("first needs a list, not %T", list)
			}
			return v.Slice(0, min(max(n, 0), v.Len())).Interface(), nil
		},
		"join":      func(sep string, items []string) string { return strings.Join(items, sep) },
		"lower":     strings.ToLower,
		"upper":     strings.ToUpper,
		"contains":  strings.Contains,
		"hasPrefix": strings.HasPrefix,
		"isoDate":   func(t time.Time) string { return t.Format(time.RFC3339) },
		// initial is the first character of a name, for a portrait placeholder.
		"initial": func(s string) string {
			for _, r := range strings.TrimSpace(s) {
				return string(r)
			}
			return ""
		},
		// ogLocale turns "zh-CN" into Open Graph's "zh_CN".
		"ogLocale": func(lang string) string { return strings.ReplaceAll(lang, "-", "_") },
		// title capitalises the first letter: "tags" → "Tags".
		"title": func(s string) string {
			if s == "" {
				return s
			}
			return strings.ToUpper(s[:1]) + s[1:]
		},
		// safeHTML marks theme-authored text as HTML. Never use it on text
		// that comes from content or front matter.
		"safeHTML": func(s string) template.HTML { return template.HTML(s) },
		// headingText and headingTails keep a heading's last line from
		// holding one character, where text-wrap: balance is missing.
		"headingText":  glueTail,
		"headingTails": glueHeadingTails,
	}
}

func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return rv.Len() == 0
	case reflect.Bool:
		return !rv.Bool()
	case reflect.Int, reflect.Int64, reflect.Int32:
		return rv.Int() == 0
	case reflect.Float64:
		return rv.Float() == 0
	case reflect.Pointer, reflect.Interface:
		return rv.IsNil()
	}
	if t, ok := v.(time.Time); ok {
		return t.IsZero()
	}
	return false
}
