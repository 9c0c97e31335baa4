package themes

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// esbuild finds node_modules/.bin/esbuild, which `npm ci` installs, by
// walking up from the working directory to the module root.
func esbuild() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "node_modules", ".bin", "esbuild")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil || parent == dir {
			return "", errors.New("node_modules/.bin/esbuild not found: run `npm ci` at the repository root")
		}
		dir = parent
	}
}

// TestScriptsAreChromium86Syntax holds the theme's scripts (search, care
// mode, flip cards) to the syntax Chromium 86 runs, the engine of the 360
// browser and the older UOS and Kylin builds that government offices use.
// esbuild rewrites whatever syntax a target lacks; so if a script comes
// out of esbuild for chrome86 other than it does for the newest engines,
// it uses something newer.
func TestScriptsAreChromium86Syntax(t *testing.T) {
	bin, err := esbuild()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	scripts, err := filepath.Glob(filepath.Join("default", "static", "js", "*.js"))
	if err != nil || len(scripts) < 3 {
		t.Fatalf("the theme's scripts: %v %v", scripts, err)
	}
	// The editing interface's too: the office machines it runs on are the
	// same.
	editor, _ := filepath.Glob(filepath.Join("..", "generator", "editor", "ui", "*.js"))
	if len(editor) == 0 {
		t.Fatal("the editing interface's scripts are not where the test looks")
	}
	scripts = append(scripts, editor...)
	for _, script := range scripts {
		old, current := esbuildFor(t, bin, script, "chrome86"), esbuildFor(t, bin, script, "esnext")
		if !bytes.Equal(old, current) {
			t.Errorf("%s uses syntax Chromium 86 lacks; esbuild rewrites it for chrome86 as:\n%s", script, lineDiff(current, old))
		}
	}
}

// esbuildFor is script as esbuild writes it for a target.
func esbuildFor(t *testing.T, bin, script, target string) []byte {
	t.Helper()
	cmd := exec.Command(bin, script, "--target="+target, "--log-level=warning")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		t.Fatalf("esbuild --target=%s: %v\n%s", target, err, stderr.Bytes())
	}
	return data
}

// lineDiff lists the lines of b that a lacks.
func lineDiff(a, b []byte) string {
	have := map[string]bool{}
	for _, l := range bytes.Split(a, []byte("\n")) {
		have[string(l)] = true
	}
	var out []byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if !have[string(l)] {
			out = append(append(out, l...), '\n')
		}
	}
	return string(out)
}
