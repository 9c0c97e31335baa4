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

// Printer formats messages in a language: Sprintf(format, args...) looks
// the English format up and formats its translation.
func Printer(l Lang) *message.Printer {
	tag := language.English
	if l == Chinese {
		tag = language.Chinese
	}
	return message.NewPrinter(tag, message.Catalog(catalogue))
}

// Text is the translation of a fixed text, such as a command's help, or
// the text itself in English or without a translation. A text with a %
// in it is a format: use Printer.
func Text(l Lang, s string) string {
	if l == English || strings.Contains(s, "%") {
		return s
	}
	return Printer(l).Sprintf(s)
}

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
