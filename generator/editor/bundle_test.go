package editor

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCodeMirrorIsBuiltFromItsSources rebuilds the vendored CodeMirror
// bundle and its licences from package.json's pinned packages and checks
// that the committed files are exactly that: what the binary embeds is
// the npm packages named, and nothing edited by hand.
func TestCodeMirrorIsBuiltFromItsSources(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "@codemirror", "view")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node_modules has no CodeMirror: run `npm ci` at the repository root")
		}
		t.Skip("node_modules has no CodeMirror: run `npm ci` at the repository root")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	out := t.TempDir()
	cmd := exec.Command("sh", "generator/editor/ui/codemirror/bundle.sh")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "OUT="+out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bundle.sh: %v\n%s", err, msg)
	}
	for _, name := range []string{"codemirror.js", "LICENSES.txt"} {
		want, _ := os.ReadFile(filepath.Join(out, name))
		got, err := os.ReadFile(filepath.Join("ui", "vendor", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("ui/vendor/%s is not what bundle.sh makes from node_modules (%d bytes, want %d): run it again and commit the result", name, len(got), len(want))
		}
	}
	licences, _ := os.ReadFile(filepath.Join(out, "LICENSES.txt"))
	if n := strings.Count(string(licences), "MIT License"); n < 5 {
		t.Errorf("LICENSES.txt has %d MIT licences; the CodeMirror packages' are missing:\n%s", n, licences)
	}
}
