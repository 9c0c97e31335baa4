package theme

import (
	"bytes"
	"strings"
	"testing"

	"lanmu/internal/testsite"
)

var testFuncs = map[string]any{"T": func(k string, _ ...any) string { return k }, "relURL": func(s string) string { return s },
	"absURL": func(s string) string { return s }, "date": func(any) string { return "" }, "description": func(any) string { return "" },
	"qr": func(string) string { return "" }, "wechat": func(any) string { return "" }}

func TestLookupOrderSiteThenThemeThenBuiltIn(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"layouts/_default/single.html":             `{{ define "main" }}site single {{ .Title }}{{ end }}`,
		"themes/mine/layouts/_default/baseof.html": `<b>{{ block "main" . }}{{ end }}</b>`,
		"themes/mine/layouts/_default/list.html":   `{{ define "main" }}theme list{{ end }}`,
		"themes/mine/layouts/partials/x.html":      `partial {{ . }}`,
		"themes/mine/layouts/index.html":           `{{ partial "x.html" "ok" }}`,
	})
	set, err := Load(dir, "mine", testFuncs)
	if err != nil {
		t.Fatal(err)
	}
	run := func(name string, data any) string {
		var buf bytes.Buffer
		if err := set.Execute(&buf, name, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return buf.String()
	}
	if got := run("_default/single.html", map[string]string{"Title": "题"}); got != "<b>site single 题</b>" {
		t.Errorf("site override inside the theme's base: %q", got)
	}
	if got := run("_default/list.html", nil); got != "<b>theme list</b>" {
		t.Errorf("theme template: %q", got)
	}
	if got := run("index.html", nil); got != "partial ok" {
		t.Errorf("partial: %q", got)
	}
	if set.Lookup("reading/single.html", "_default/single.html") != "_default/single.html" {
		t.Errorf("Lookup does not fall back")
	}
}

func TestBuiltInThemeIsUsedWithoutAFolder(t *testing.T) {
	set, err := Load(t.TempDir(), "default", testFuncs)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"_default/single.html", "_default/list.html", "index.html", "404.html", "alias.html"} {
		if set.Lookup(name) == "" {
			t.Errorf("built-in theme lacks %s", name)
		}
	}
	if set.Static == nil {
		t.Errorf("built-in theme has no static files")
	}
	if _, err := Load(t.TempDir(), "nonexistent", testFuncs); err == nil || !strings.Contains(err.Error(), `theme "nonexistent" not found`) {
		t.Errorf("a missing theme gave %v", err)
	}
}

func TestTemplateErrorsPointAtTheFile(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"layouts/_default/single.html": "{{ define \"main\" }}\n\n  {{ .Title \n{{ end }}",
	})
	_, err := Load(dir, "default", testFuncs)
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/_default/single.html:4: unexpected") {
		t.Errorf("parse error not positioned in the site's file: %v", err)
	}
	dir = testsite.Write(t, map[string]string{
		"layouts/_default/single.html": "<p>\n{{ .NoSuchField }}</p>",
	})
	set, err := Load(dir, "default", testFuncs)
	if err != nil {
		t.Fatal(err)
	}
	err = set.Execute(&bytes.Buffer{}, "_default/single.html", struct{ Title string }{})
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/_default/single.html:2:") {
		t.Errorf("execution error not positioned: %v", err)
	}
}

func TestContentIsEscaped(t *testing.T) {
	dir := testsite.Write(t, map[string]string{"layouts/_default/single.html": `<h1 title="{{ .Title }}">{{ .Title }}</h1><a href="{{ .URL }}">x</a>`})
	set, err := Load(dir, "default", testFuncs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	set.Execute(&buf, "_default/single.html", map[string]string{"Title": `<script>alert("x")</script>`, "URL": "javascript:alert(1)"})
	if strings.Contains(buf.String(), "<script>") || strings.Contains(buf.String(), "javascript:") {
		t.Errorf("front matter reached the page unescaped: %s", buf.String())
	}
}

func TestTemplateErrorColumnsCountCharacters(t *testing.T) {
	// Chinese text before the action: the packages count bytes from 0.
	dir := testsite.Write(t, map[string]string{
		"layouts/_default/baseof.html": "{{ block \"main\" . }}{{ end }}",
		"layouts/_default/single.html": "{{ define \"main\" }}\n<p>标题：{{ .Subtitle }}</p>\n{{ end }}",
	})
	set, err := Load(dir, "default", testFuncs)
	if err != nil {
		t.Fatal(err)
	}
	err = set.Execute(&bytes.Buffer{}, "_default/single.html", struct{ Title string }{})
	want := "layouts/_default/single.html:2:10: executing \"main\" at <.Subtitle>: "
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want it to start %q", err, want)
	}
}

func TestHTMLLeftOpenIsBlamedOnTheSitesTemplate(t *testing.T) {
	for _, c := range []struct {
		name, file, src, want string
	}{
		{"a page template's quote, noticed in the theme's base", "layouts/_default/single.html",
			"{{ define \"main\" }}\n<article class=\"a>\n{{ .Title }}</article>\n{{ end }}",
			"layouts/_default/single.html: "},
		{"the site's base, noticed there", "layouts/_default/baseof.html",
			"<html>\n<body class=\"a>\n{{ block \"main\" . }}{{ end }}</body></html>",
			"layouts/_default/baseof.html: "},
		{"branches ending apart, at their line", "layouts/_default/single.html",
			"{{ define \"main\" }}\n\n{{ if .Title }}<a href=\"x\">{{ else }}<a href=\"y>{{ end }}</a>\n{{ end }}",
			"layouts/_default/single.html:3:7: {{if}} branches end in different contexts: one of them leaves a quote or tag open"},
	} {
		set, err := Load(testsite.Write(t, map[string]string{c.file: c.src}), "default", testFuncs)
		if err != nil {
			t.Fatal(err)
		}
		err = set.Execute(&bytes.Buffer{}, "_default/single.html", struct{ Title string }{"题"})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "{state") {
			t.Errorf("%s: got %v, want it to start %q", c.name, err, c.want)
		}
	}
}

func TestPartialCachedRendersOncePerVariant(t *testing.T) {
	calls := map[string]int{}
	funcs := map[string]any{}
	for k, v := range testFuncs {
		funcs[k] = v
	}
	funcs["count"] = func(s string) string { calls[s]++; return s }
	dir := testsite.Write(t, map[string]string{
		"layouts/partials/x.html":   `[{{ count .Name }}<i>{{ .Name }}</i>]`,
		"layouts/partials/bad.html": `{{ if .Fail }}{{ index .List 5 }}{{ end }}ok`,
		"layouts/index.html": `{{ range .Items }}{{ partialCached "x.html" . .Name }}{{ end }}` +
			`{{ partialCached "x.html" (index .Items 0) 1 }}{{ partialCached "x.html" (index .Items 1) "1" }}`,
		"layouts/list.html": `{{ partialCached "bad.html" . }}`,
	})
	set, err := Load(dir, "default", funcs)
	if err != nil {
		t.Fatal(err)
	}
	type item struct{ Name string }
	data := map[string]any{"Items": []item{{"a"}, {"b"}, {"a"}, {"a&b"}, {"b"}}}
	var buf bytes.Buffer
	if err := set.Execute(&buf, "index.html", data); err != nil {
		t.Fatal(err)
	}
	// The escaping is the partial's own: <i> is markup in the partial,
	// & in the data.
	want := "[a<i>a</i>][b<i>b</i>][a<i>a</i>][a&amp;b<i>a&amp;b</i>][b<i>b</i>]" + "[a<i>a</i>][b<i>b</i>]"
	if got := buf.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// a, b and a&b once each as variants, then the number 1 and the
	// string "1" as two more variants.
	if calls["a"] != 2 || calls["b"] != 2 || calls["a&b"] != 1 {
		t.Errorf("renders per name: %v", calls)
	}

	// A failing render is reported and not cached.
	buf.Reset()
	if err := set.Execute(&buf, "list.html", map[string]any{"Fail": true, "List": []int{}}); err == nil {
		t.Error("a failing partial is not an error")
	}
	buf.Reset()
	if err := set.Execute(&buf, "list.html", map[string]any{"Fail": false}); err != nil || buf.String() != "ok" {
		t.Errorf("after a failure: %q, %v", buf.String(), err)
	}
}

func TestPartialCachedWithListVariants(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"layouts/partials/x.html": `{{ range . }}{{ . }}{{ end }};`,
		"layouts/index.html":      `{{ range .Lists }}{{ partialCached "x.html" . . }}{{ end }}`,
	})
	set, err := Load(dir, "default", testFuncs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	// Lists cannot be compared as they are: they are keyed by their text.
	data := map[string]any{"Lists": [][]string{{"a", "b"}, {"c"}, {"a", "b"}, {"ab"}}}
	if err := set.Execute(&buf, "index.html", data); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "ab;c;ab;ab;"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPartialCachedByPointer(t *testing.T) {
	dir := testsite.Write(t, map[string]string{
		"layouts/partials/x.html": `{{ .Name }};`,
		"layouts/index.html":      `{{ range .Items }}{{ partialCached "x.html" . . }}{{ end }}`,
	})
	set, err := Load(dir, "default", testFuncs)
	if err != nil {
		t.Fatal(err)
	}
	type item struct{ Name string }
	a, b := &item{"a"}, &item{"a"} // equal values, two pages
	var buf bytes.Buffer
	if err := set.Execute(&buf, "index.html", map[string]any{"Items": []*item{a, b, a}}); err != nil {
		t.Fatal(err)
	}
	b.Name = "changed after its render"
	buf.Reset()
	if err := set.Execute(&buf, "index.html", map[string]any{"Items": []*item{a, b, {"c"}}}); err != nil {
		t.Fatal(err)
	}
	// Each pointer is rendered once: b keeps its first render, and the
	// new item has its own.
	if got, want := buf.String(), "a;a;c;"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
