package keyval

import (
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"lanmu/generator/diag"
	"lanmu/generator/messages"
)

// Decode fills the struct that v points to from the mapping at path (the
// whole document when path is empty) and returns every problem it finds.
//
// A field is matched by its `key:"name"` tag, or by its name with the first
// letter lowered. A map[string]any field tagged `key:",remain"` receives the
// keys that no field claims; without one, an unclaimed key is an error that
// names the key, suggests the closest known one, and points at its line.
// Supported field types: string, bool, int, int64, float64, any,
// map[string]any, nested structs, pointers to any of these (left nil when the
// key is absent), and slices of any of these.
func (d *Doc) Decode(v any, path ...string) []*Error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic("keyval: Decode needs a pointer to a struct")
	}
	var src any = d.Values
	for _, p := range path {
		switch c := src.(type) {
		case map[string]any:
			src = c[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			src = c[i]
		default:
			return nil
		}
	}
	if src == nil {
		return nil
	}
	var errs []*Error
	d.fill(rv.Elem(), src, path, &errs)
	return errs
}

func (d *Doc) fail(errs *[]*Error, path []string, format string, args ...any) {
	*errs = append(*errs, Errorf(d.Pos(path...), format, args...))
}

// KeyName is how a key is shown to users: dotted, with list indexes as [i].
func KeyName(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func (d *Doc) fill(dst reflect.Value, src any, path []string, errs *[]*Error) {
	name := messages.Field(KeyName(path))
	switch dst.Kind() {
	case reflect.Struct:
		m, ok := src.(map[string]any)
		if !ok {
			d.fail(errs, path, "%s must be a table of keys, not %s", name, describe(src))
			return
		}
		d.fillStruct(dst, m, path, errs)
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			d.fail(errs, path, "%s must be a string, not %s", name, describe(src))
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			d.fail(errs, path, "%s must be true or false, not %s", name, describe(src))
			return
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int64:
		i, ok := src.(int64)
		if !ok {
			d.fail(errs, path, "%s must be a whole number, not %s", name, describe(src))
			return
		}
		dst.SetInt(i)
	case reflect.Float64:
		switch n := src.(type) {
		case int64:
			dst.SetFloat(float64(n))
		case float64:
			dst.SetFloat(n)
		default:
			d.fail(errs, path, "%s must be a number, not %s", name, describe(src))
		}
	case reflect.Slice:
		list, ok := src.([]any)
		if !ok {
			d.fail(errs, path, "%s must be a list, not %s", name, describe(src))
			return
		}
		out := reflect.MakeSlice(dst.Type(), len(list), len(list))
		for i, e := range list {
			d.fill(out.Index(i), e, childPath(path, strconv.Itoa(i)), errs)
		}
		dst.Set(out)
	case reflect.Pointer:
		if src == nil {
			return
		}
		v := reflect.New(dst.Type().Elem())
		d.fill(v.Elem(), src, path, errs)
		dst.Set(v)
	case reflect.Interface:
		if src != nil {
			dst.Set(reflect.ValueOf(src))
		}
	case reflect.Map:
		if src == nil {
			return
		}
		if !reflect.TypeOf(src).AssignableTo(dst.Type()) {
			d.fail(errs, path, "%s must be a table of keys, not %s", name, describe(src))
			return
		}
		dst.Set(reflect.ValueOf(src))
	default:
		panic("keyval: unsupported field type " + dst.Type().String())
	}
}

// structKeys maps the keys a struct type claims to its field indexes, and
// returns the index of its remain field, or -1.
func structKeys(t reflect.Type) (known map[string]int, remain int) {
	known = map[string]int{}
	remain = -1
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("key")
		if tag == "-" {
			continue
		}
		if tag == ",remain" {
			remain = i
			continue
		}
		if tag == "" {
			r, size := utf8.DecodeRuneInString(f.Name)
			tag = string(unicode.ToLower(r)) + f.Name[size:]
		}
		known[tag] = i
	}
	return known, remain
}

// Keys returns, sorted, the keys that Decode fills the struct v points to
// from, its remain field aside.
func Keys(v any) []string {
	known, _ := structKeys(reflect.TypeOf(v).Elem())
	return slices.Sorted(maps.Keys(known))
}

// Misspelt returns the key of known that k looks like a slip for: the same
// but for letter case, or with one letter added, dropped or changed, or two
// neighbours swapped ("titel"), where both are long enough for that to be a
// slip rather than another word. It returns "" when k looks like none.
func Misspelt(k string, known []string) string {
	for _, cand := range known {
		if strings.EqualFold(k, cand) {
			return cand
		}
	}
	a := []rune(k)
	if len(a) < 3 {
		return ""
	}
	for _, cand := range known {
		if b := []rune(cand); len(b) >= 4 && oneSlip(a, b) {
			return cand
		}
	}
	return ""
}

// oneSlip reports whether a and b differ by exactly one added, dropped or
// changed letter, or one pair of neighbours swapped.
func oneSlip(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) < len(b) {
		return slices.Equal(a[i:], b[i+1:])
	}
	if i == len(a) {
		return false // the same word
	}
	if slices.Equal(a[i+1:], b[i+1:]) {
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && slices.Equal(a[i+2:], b[i+2:])
}

func (d *Doc) fillStruct(dst reflect.Value, m map[string]any, path []string, errs *[]*Error) {
	known, remain := structKeys(dst.Type())
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := childPath(path, k)
		if i, ok := known[k]; ok {
			d.fill(dst.Field(i), m[k], p, errs)
			continue
		}
		if remain >= 0 {
			rm := dst.Field(remain)
			if rm.IsNil() {
				rm.Set(reflect.MakeMap(rm.Type()))
			}
			rm.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(m[k]))
			continue
		}
		if s := closest(k, known); s != "" {
			d.fail(errs, p, "unknown key %q (did you mean %q?)", KeyName(p), s)
		} else {
			d.fail(errs, p, "unknown key %q", KeyName(p))
		}
	}
}

// describe names a decoded value's type the way a config author thinks of it.
func describe(v any) messages.Text {
	switch t := v.(type) {
	case nil:
		return messages.Textf("an empty value")
	case string:
		return messages.Textf("the string %q", t)
	case int64:
		return messages.Textf("the number %s", strconv.FormatInt(t, 10))
	case float64:
		return messages.Textf("the number %s", strconv.FormatFloat(t, 'g', -1, 64))
	case bool:
		return messages.Textf("the boolean %t", t)
	case []any:
		return messages.Textf("a list")
	case map[string]any:
		return messages.Textf("a table of keys")
	case time.Time:
		return messages.Textf("a date")
	}
	return messages.Textf("a %T", v)
}

// closest returns the known key nearest to k, when it is near enough to be
// a likely typo.
func closest(k string, known map[string]int) string {
	return diag.Closest(k, slices.Collect(maps.Keys(known)))
}
