// Package qrscan reads QR codes back from images with zbarimg (Debian's
// zbar-tools), a decoder lanmu did not write, for the tests of what lanmu
// prints.
package qrscan

import (
	"os/exec"
	"sort"
	"strings"
	"testing"

	"lanmu/internal/chrome"
)

// Decode returns the text of every QR code zbarimg finds in the images,
// sorted. It skips the test without zbarimg, and fails it under CI=true.
func Decode(t testing.TB, images ...string) []string {
	t.Helper()
	zbar := chrome.RequireCommand(t, "zbarimg", "zbar-tools")
	// --raw prints only the decoded texts; exit status 4 means no code was
	// found in some image, which the caller's counts report better.
	cmd := exec.Command(zbar, append([]string{"--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"}, images...)...)
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 4) {
		t.Fatalf("zbarimg %s: %v\n%s", strings.Join(images, " "), err, out)
	}
	var codes []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" {
			codes = append(codes, line)
		}
	}
	sort.Strings(codes)
	return codes
}
