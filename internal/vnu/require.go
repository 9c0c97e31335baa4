package vnu

import (
	"os"
	"strings"
	"testing"
)

// Require skips t when Java or vnu.jar is missing, with a message naming
// what to install: `apt-get install default-jre-headless` and `npm ci`. When
// the environment variable CI is "true" it fails t instead, so that CI can
// never skip the checker silently. It returns the path of vnu.jar.
func Require(t testing.TB) (jar string) {
	t.Helper()
	var missing []string
	jar, err := Jar()
	if err != nil {
		missing = append(missing, "the Nu HTML Checker: "+err.Error())
	}
	if _, err := Java(); err != nil {
		missing = append(missing, "Java: "+err.Error())
	}
	if len(missing) == 0 {
		return jar
	}
	msg := "this test runs the Nu HTML Checker (java -jar vnu.jar), but:\n  - " +
		strings.Join(missing, "\n  - ") +
		"\nTo run it, install Java (`sudo apt-get install default-jre-headless`, or any Java 17+), then run `npm ci` at the repository root."
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s\nCI=true, so this test fails instead of skipping: CI must install both (see .ci/run).", msg)
	} else {
		t.Skipf("skipped: %s", msg)
	}
	return ""
}
