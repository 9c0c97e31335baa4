// Package messages speaks to lanmu's users in their language: Chinese or
// English, chosen by the SPEC's rule (--lang, else LANMU_LANG, else the
// site's language, else the locale, else English).
//
// Messages are written in English in the code, and the English text is the
// key of its Chinese translation, as in gotext: the catalogue is
// golang.org/x/text/message's, filled from zh.gotext.json, in gotext's JSON
// form. A text without a translation is printed in English, and a test
// holds the catalogue complete for the texts handed to it.
package messages

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Lang is a language lanmu speaks.
type Lang string

// The languages.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// EnvName is the environment variable that chooses the language, after
// --lang.
const EnvName = "LANMU_LANG"

// Parse reads a language as --lang and LANMU_LANG give it: zh or en (a
// tag such as zh-CN or en-US will do).
func Parse(s string) (Lang, bool) {
	switch base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-"); base {
	case "zh":
		return Chinese, true
	case "en":
		return English, true
	}
	return "", false
}

// Choose applies the SPEC's rule: the flag, else LANMU_LANG, else the
// site's language (its lanmu.toml's language, "" when no site was found),
// else the locale (LC_ALL, LC_MESSAGES, LANG, the first that is set),
// else English. getenv reads the environment. A flag that names no
// language is an error; a bad environment or site value is passed over.
func Choose(flag string, getenv func(string) string, site string) (Lang, error) {
	if flag != "" {
		l, ok := Parse(flag)
		if !ok {
			return "", fmt.Errorf("--lang must be zh or en, not %q", flag)
		}
		return l, nil
	}
	if l, ok := Parse(getenv(EnvName)); ok {
		return l, nil
	}
	if l, ok := Parse(site); ok {
		return l, nil
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			// zh_CN.UTF-8; C and POSIX, and any other language, are English.
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return Chinese, nil
			}
			return English, nil
		}
	}
	return English, nil
}

//go:embed zh.gotext.json
var zhCatalogue []byte

// entry is one message of a gotext JSON catalogue.
type entry struct {
	ID          string `json:"id"`
	Translation string `json:"translation"`
}

// catalogue holds the translations, read once; translations lists them
// for Has and Keys.
var catalogue, translations = func() (*catalog.Builder, map[string]string) {
	var file struct {
		Language string  `json:"language"`
		Messages []entry `json:"messages"`
	}
	if err := json.Unmarshal(zhCatalogue, &file); err != nil {
		panic("messages: zh.gotext.json: " + err.Error())
	}
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	all := make(map[string]string, len(file.Messages))
	for _, m := range file.Messages {
		all[m.ID] = m.Translation
		if err := b.SetString(language.Chinese, m.ID, m.Translation); err != nil {
			panic("messages: " + m.ID + ": " + err.Error())
		}
	}
	return b, all
}()

// Printer formats messages in a language. Its Sprintf (x/text's) looks the
// English format up and formats its translation, with numbers grouped as
// the language groups them; Text formats a message kept for later.
type Printer struct {
	*message.Printer
	Lang Lang
}

// For returns the printer of a language.
func For(l Lang) *Printer {
	tag := language.English
	if l == Chinese {
		tag = language.Chinese
	}
	return &Printer{Printer: message.NewPrinter(tag, message.Catalog(catalogue)), Lang: l}
}

// Plain is the translation of a fixed text, such as a command's help, or
// the text itself in English or without a translation. A text with a %
// in it is a format: use Printer.
func Plain(l Lang, s string) string {
	if l == English || strings.Contains(s, "%") {
		return s
	}
	return For(l).Sprintf(s)
}

// Text formats a message kept as its format and arguments: in the
// printer's language when the catalogue has it, else in English. A nil
// printer speaks English. Arguments that are themselves messages (a Text,
// or an *Error as it was made) are translated too. Unlike Sprintf, it
// formats numbers as fmt does: the numbers in a problem are line numbers,
// years and limits, which read wrong grouped ("2,026").
func (p *Printer) Text(t Text) string {
	format := t.Format
	if p != nil && p.Lang == Chinese {
		if tr, ok := translations[format]; ok {
			format = tr
		}
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch a := a.(type) {
		case Text:
			args[i] = p.Text(a)
		case *Error:
			args[i] = p.Text(a.Text)
		case Field:
			args[i] = string(a)
			if p != nil && p.Lang == Chinese {
				args[i] = a.inChinese()
			}
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}

// Error is err's message in the printer's language when it was made by
// Errorf, else its own text.
func (p *Printer) Error(err error) string {
	if e, ok := err.(*Error); ok {
		return p.Text(e.Text)
	}
	return err.Error()
}

// Text is a message kept as its English format and its arguments, so that
// whoever prints it can choose the language. The packages that find
// problems make Texts; cmd prints them in the user's language.
type Text struct {
	Format string
	Args   []any
}

// Textf keeps a message to format later.
func Textf(format string, args ...any) Text { return Text{Format: format, Args: args} }

// String formats the message in English.
func (t Text) String() string { return (*Printer)(nil).Text(t) }

// Error is an error whose message is a Text, for functions that return an
// error their caller reports as a problem.
type Error struct{ Text Text }

// Errorf returns an error with a message to translate.
func Errorf(format string, args ...any) error { return &Error{Text: Textf(format, args...)} }

func (e *Error) Error() string { return e.Text.String() }

// Has reports whether s has a Chinese translation, for the tests that
// hold the catalogue complete.
func Has(s string) bool {
	_, ok := translations[s]
	return ok
}

// Keys lists every text the catalogue translates.
func Keys() []string {
	out := make([]string, 0, len(translations))
	for k := range translations {
		out = append(out, k)
	}
	return out
}
