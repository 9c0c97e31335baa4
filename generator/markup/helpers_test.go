package markup

import (
	"strings"
	"testing"
)

// mustConvert converts src with a fresh safe Converter and no resolver.
func mustConvert(t testing.TB, src string) *Result {
	t.Helper()
	return mustConvertWith(t, New(Options{}), src, nil)
}

func mustConvertWith(t testing.TB, c *Converter, src string, resolve LinkResolver) *Result {
	t.Helper()
	res, err := c.Convert([]byte(src), resolve)
	if err != nil {
		t.Fatalf("Convert(%q): %v", src, err)
	}
	return res
}

// body returns the rendered body without the trailing newline goldmark adds
// after the last block, which keeps expected values in tables short.
func body(res *Result) string {
	return strings.TrimSuffix(res.HTML, "\n")
}
