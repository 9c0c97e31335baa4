package vnu

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// The checker's output for bad.html and for a file whose name needs
// escaping in a URL, trimmed from a real run of vnu 26.9.27.
const sampleJSON = `{"version":"26.9.27 (c6ba02c)","messages":[
{"type":"error","url":"file:/tmp/vx/bad.html","lastLine":1,"lastColumn":59,"firstColumn":56,"message":"No “p” element in scope but a “p” end tag seen.","extract":"e><p><div></p>\n","hiliteStart":10,"hiliteLength":4},
{"type":"error","url":"file:/tmp/vx/bad.html","lastLine":1,"lastColumn":60,"message":"End of file seen and there were open elements.","extract":"><div></p>\n","hiliteStart":10,"hiliteLength":1},
{"type":"error","url":"file:/tmp/vx/sub%20dir/中文/a%20%231%25.html","firstLine":4,"lastLine":5,"lastColumn":11,"firstColumn":1,"message":"An “img” element must have an “alt” attribute.","extract":"<img src=a>\n"},
{"type":"info","url":"file:/tmp/vx/x.txt","lastLine":1,"lastColumn":16,"firstColumn":1,"subType":"warning","message":"Consider adding a “lang” attribute."},
{"type":"non-document-error","subType":"io","message":"Cannot read."}
]}`

func TestParse(t *testing.T) {
	byPath := map[string]string{
		filepath.FromSlash("/tmp/vx/bad.html"):              "bad.html",
		filepath.FromSlash("/tmp/vx/sub dir/中文/a #1%.html"): "sub dir/中文/a #1%.html",
	}
	got, err := parse([]byte(sampleJSON), byPath)
	if err != nil {
		t.Fatal(err)
	}
	want := []Message{
		{File: "bad.html", Line: 1, Col: 56, Type: "error", Message: "No “p” element in scope but a “p” end tag seen.", Extract: "e><p><div></p>\n"},
		{File: "bad.html", Line: 1, Col: 60, Type: "error", Message: "End of file seen and there were open elements.", Extract: "><div></p>\n"},
		{File: "sub dir/中文/a #1%.html", Line: 4, Col: 1, Type: "error", Message: "An “img” element must have an “alt” attribute.", Extract: "<img src=a>\n"},
		{File: filepath.FromSlash("/tmp/vx/x.txt"), Line: 1, Col: 1, Type: "warning", Message: "Consider adding a “lang” attribute."},
		{Type: "non-document-error", Message: "Cannot read."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parse:\n got %+v\nwant %+v", got, want)
	}
	if s := got[0].String(); s != "bad.html:1:56: No “p” element in scope but a “p” end tag seen." {
		t.Errorf("String() = %q", s)
	}
	if _, err := parse([]byte("Exception in thread"), nil); err == nil {
		t.Error("parse accepted output that is not JSON")
	}
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestJarFromEnvironment(t *testing.T) {
	jar := filepath.Join(t.TempDir(), "vnu.jar")
	writeFile(t, jar, "PK")
	t.Setenv(JarEnv, jar)
	if got, err := Jar(); err != nil || got != jar {
		t.Errorf("Jar() = %q, %v; want %q", got, err, jar)
	}
	t.Setenv(JarEnv, filepath.Join(t.TempDir(), "nonexistent.jar"))
	if got, err := Jar(); err == nil || !strings.Contains(err.Error(), JarEnv) {
		t.Errorf("Jar() with %s naming a missing file = %q, %v; want an error naming %[3]s", JarEnv, got, err)
	}
}

func TestJarWalksUpToTheModuleRoot(t *testing.T) {
	t.Setenv(JarEnv, "")
	outer := t.TempDir()
	module := filepath.Join(outer, "module")
	writeFile(t, filepath.Join(module, "go.mod"), "module m\n")
	deep := filepath.Join(module, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(deep)

	// A vnu.jar above the module root belongs to another project.
	writeFile(t, filepath.Join(outer, jarPath), "PK")
	if got, err := Jar(); err == nil {
		t.Errorf("Jar() = %q, found a vnu.jar above the module root", got)
	} else if !strings.Contains(err.Error(), "npm ci") {
		t.Errorf("Jar() error %q does not say to run npm ci", err)
	}

	want := filepath.Join(module, jarPath)
	writeFile(t, want, "PK")
	if got, err := Jar(); err != nil || got != want {
		t.Errorf("Jar() = %q, %v; want %q", got, err, want)
	}
}

func TestJavaFromVnuJarsDownload(t *testing.T) {
	module := t.TempDir()
	writeFile(t, filepath.Join(module, "go.mod"), "module m\n")
	t.Chdir(module)
	t.Setenv("PATH", "")
	if got, err := Java(); err == nil {
		t.Fatalf("Java() = %q with an empty PATH", got)
	} else if !strings.Contains(err.Error(), "default-jre-headless") {
		t.Errorf("Java() error %q does not say what to install", err)
	}
	exe := "java"
	if runtime.GOOS == "windows" {
		exe = "java.exe"
	}
	want := filepath.Join(module, "node_modules", ".cache", "vnu-jar", "java", "jdk-17.0.17+10-jre", "bin", exe)
	writeFile(t, want, "")
	if got, err := Java(); err != nil || got != want {
		t.Errorf("Java() = %q, %v; want the runtime vnu-jar downloaded, %q", got, err, want)
	}
}

// fakeTB records what Require does with a test instead of stopping it.
type fakeTB struct {
	testing.TB // nil: Require may call only the methods below
	skipped    string
	failed     string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Skipf(format string, a ...any)  { f.skipped = fmt.Sprintf(format, a...) }
func (f *fakeTB) Fatalf(format string, a ...any) { f.failed = fmt.Sprintf(format, a...) }

func TestRequireWithoutTheJar(t *testing.T) {
	t.Setenv(JarEnv, filepath.Join(t.TempDir(), "nonexistent.jar"))

	t.Setenv("CI", "")
	var dev fakeTB
	if jar := Require(&dev); jar != "" || dev.failed != "" || dev.skipped == "" {
		t.Fatalf("without CI: Require returned %q, skipped %q, failed %q; want a skip", jar, dev.skipped, dev.failed)
	}
	for _, want := range []string{"npm ci", "default-jre-headless", JarEnv} {
		if !strings.Contains(dev.skipped, want) {
			t.Errorf("the skip message does not mention %q:\n%s", want, dev.skipped)
		}
	}

	t.Setenv("CI", "true")
	var ci fakeTB
	if jar := Require(&ci); jar != "" || ci.skipped != "" || ci.failed == "" {
		t.Fatalf("with CI=true: Require returned %q, skipped %q, failed %q; want a failure", jar, ci.skipped, ci.failed)
	}
	if !strings.Contains(ci.failed, "CI=true") || !strings.Contains(ci.failed, "npm ci") {
		t.Errorf("the failure does not explain itself:\n%s", ci.failed)
	}
}

func TestCheckRefusesMissingFiles(t *testing.T) {
	// The checker itself silently skips a file that does not exist.
	missing := filepath.Join(t.TempDir(), "missing.html")
	_, err := Options{Jar: "unused.jar", Java: "unused-java"}.Check([]string{missing})
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Check of a missing file: err = %v; want an error naming it", err)
	}
}

// The invalid document of the tests: the </p> on line 3 closes nothing (the
// <div> closed the paragraph), and the div is never closed.
const invalidHTML = "<!DOCTYPE html>\n<html lang=\"en\"><title>x</title>\n<p><div></p>\n"

func TestCheckReportsErrors(t *testing.T) {
	Require(t)
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.html")
	writeFile(t, bad, invalidHTML)
	// A name that must be escaped in the file: URL the checker reports.
	odd := filepath.Join(dir, "sub dir", "中文", "a #1%.html")
	writeFile(t, odd, "<!DOCTYPE html>\n<html lang=\"en\">\n<title>x</title>\n<p>ok\n<img src=a.png>\n")
	good := filepath.Join(dir, "good.html")
	writeFile(t, good, "<!DOCTYPE html>\n<html lang=\"en\"><title>x</title>\n<p>A valid <em>document</em>.\n")

	msgs, err := Check([]string{bad, odd, good})
	if err != nil {
		t.Fatal(err)
	}
	byFile := map[string][]Message{}
	for _, m := range msgs {
		if m.Type != "error" {
			t.Errorf("Check reported a %s: %v", m.Type, m)
		}
		byFile[m.File] = append(byFile[m.File], m)
	}
	if len(byFile[good]) != 0 {
		t.Errorf("the valid file has errors: %v", byFile[good])
	}
	found := false
	for _, m := range byFile[bad] {
		if m.Line == 3 && m.Col == 9 && strings.Contains(m.Message, "“p” end tag") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error about the stray </p> at %s:3:9; got %v", bad, byFile[bad])
	}
	if ms := byFile[odd]; len(ms) != 1 || ms[0].Line != 5 || !strings.Contains(ms[0].Message, "alt") {
		t.Errorf("want one error about the missing alt at %s:5; got %v", odd, ms)
	}
	if len(msgs) != len(byFile[bad])+len(byFile[odd]) {
		t.Errorf("messages about other files: %v", msgs)
	}
}

func TestCheckBatches(t *testing.T) {
	Require(t)
	t.Parallel()
	dir := t.TempDir()
	var files []string
	for i := range 2 {
		f := filepath.Join(dir, fmt.Sprintf("bad%d.html", i))
		writeFile(t, f, invalidHTML)
		files = append(files, f)
	}
	// A limit below any path's length: one JVM per file.
	msgs, err := Options{maxArgBytes: 1}.Check(files)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.File] = true
	}
	for _, f := range files {
		if !seen[f] {
			t.Errorf("no error reported for %s in its own batch; got %v", f, msgs)
		}
	}
}
