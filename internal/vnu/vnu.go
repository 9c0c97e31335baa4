// Package vnu runs the Nu HTML Checker (vnu.jar, the checker behind
// validator.w3.org/nu) over HTML files, for tests.
//
// lanmu's users publish its output as is, on sites that must be
// accessible and must work in every browser, so every page lanmu writes must
// be valid HTML. Template mistakes (a misnested element, a duplicate id, a
// missing alt) are easy to make and invisible in a browser, so the tests run
// the same checker the W3C runs over every page of the example site.
//
// The checker is a Java program. It comes from the npm package vnu-jar,
// pinned in package.json at the repository root: `npm ci` puts it at
// node_modules/vnu-jar/build/dist/vnu.jar. Java comes from the system
// (`apt-get install default-jre-headless`). Tests call [Require] first: it
// skips them on a developer's machine that lacks either, and fails them in CI
// (CI=true), so that CI can never skip them silently.
package vnu

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// JarEnv names the environment variable that overrides where vnu.jar is.
const JarEnv = "LANMU_VNU_JAR"

// jarPath is where `npm ci` puts vnu.jar, relative to the repository root.
var jarPath = filepath.Join("node_modules", "vnu-jar", "build", "dist", "vnu.jar")

// Jar returns the path of vnu.jar: $LANMU_VNU_JAR if set, else
// node_modules/vnu-jar/build/dist/vnu.jar found by walking up from the
// working directory to the module root.
func Jar() (string, error) {
	if p := os.Getenv(JarEnv); p != "" {
		if err := isFile(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", JarEnv, p, err)
		}
		return p, nil
	}
	if p, ok := findUp(jarPath, isFile); ok {
		return p, nil
	}
	return "", fmt.Errorf("%s not found in the working directory or above it up to the module root: run `npm ci` at the repository root, or set %s", filepath.ToSlash(jarPath), JarEnv)
}

// Java returns the java command the checker runs with: java on the PATH,
// else the Java runtime that vnu-jar's own install script downloads into
// node_modules/.cache/vnu-jar/java when it finds no system Java.
func Java() (string, error) {
	if p, err := exec.LookPath("java"); err == nil {
		return p, nil
	}
	exe := "java"
	if runtime.GOOS == "windows" {
		exe = "java.exe"
	}
	cache := filepath.Join("node_modules", ".cache", "vnu-jar", "java")
	if dir, ok := findUp(cache, isDir); ok {
		for _, pattern := range []string{
			filepath.Join(dir, "*", "bin", exe),
			filepath.Join(dir, "*", "Contents", "Home", "bin", exe), // macOS
		} {
			if found, _ := filepath.Glob(pattern); len(found) > 0 {
				return found[0], nil
			}
		}
	}
	return "", errors.New("java not found on the PATH: install Java 17 or later (Debian/Ubuntu: `sudo apt-get install default-jre-headless`)")
}

// findUp looks for rel in the working directory and in each folder above it,
// up to and including the module root (the first folder holding go.mod),
// and returns the first path that ok accepts.
func findUp(rel string, ok func(string) error) (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if p := filepath.Join(dir, rel); ok(p) == nil {
			return p, true
		}
		if isFile(filepath.Join(dir, "go.mod")) == nil {
			return "", false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isFile(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("not a regular file")
	}
	return nil
}

func isDir(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return errors.New("not a folder")
	}
	return nil
}

// Message is one message of the checker about one file.
type Message struct {
	File string // the path as passed to Check; "" for a message about no file
	// Line and Col (1-based) are where the problem starts; 0 when the
	// checker gives no location (an unreadable file, say).
	Line, Col int
	// Type is "error", "warning" or "info" (the checker's type "info" with
	// subType "warning" becomes "warning"), or "non-document-error" when the
	// checker could not check the file at all. Check reports only errors
	// and non-document errors unless Options.Warnings is set.
	Type    string
	Message string
	Extract string // the source around the problem, as the checker quotes it
}

// String formats m as path:line:col: message.
func (m Message) String() string {
	return fmt.Sprintf("%s:%d:%d: %s", m.File, m.Line, m.Col, m.Message)
}

// Options says how to run the checker. The zero value runs it the way Check
// does.
type Options struct {
	Jar  string // vnu.jar; "" means Jar()
	Java string // the java command; "" means Java()
	// Warnings also reports warnings and info messages, not only errors.
	Warnings bool

	// maxArgBytes bounds the bytes of file names given to one JVM; 0 means
	// defaultMaxArgBytes. Tests lower it to exercise batching.
	maxArgBytes int
}

// defaultMaxArgBytes keeps a command line well under the limits of the
// operating system: Linux allows about 2 MiB of arguments and environment
// (1/4 of the stack limit), Windows 32,767 characters for a whole command
// line.
func defaultMaxArgBytes() int {
	if runtime.GOOS == "windows" {
		return 24 << 10
	}
	return 256 << 10
}

// Check validates HTML files with the Nu HTML Checker and returns its errors
// (not its warnings or info messages), in the checker's order. It starts one
// JVM for all the files, or one per batch when the command line would
// otherwise be too long. A file that does not exist is an error (the checker
// itself silently skips it). Every file is checked as HTML whatever its
// extension, except that *.xhtml and *.xht files are checked as XML.
func Check(files []string) ([]Message, error) {
	return Options{}.Check(files)
}

// Check is like the package's Check, run with o.
func (o Options) Check(files []string) ([]Message, error) {
	if len(files) == 0 {
		return nil, nil
	}
	var err error
	jar, java := o.Jar, o.Java
	if jar == "" {
		if jar, err = Jar(); err != nil {
			return nil, err
		}
	}
	if java == "" {
		if java, err = Java(); err != nil {
			return nil, err
		}
	}
	// The checker names each file by a file: URL of its absolute path;
	// byPath maps that path back to the name the caller gave.
	byPath := make(map[string]string, len(files))
	abs := make([]string, len(files))
	for i, f := range files {
		if err := isFile(f); err != nil {
			return nil, fmt.Errorf("cannot check %s: %w", f, err)
		}
		a, err := filepath.Abs(f)
		if err != nil {
			return nil, err
		}
		abs[i] = a
		byPath[a] = f
	}
	limit := o.maxArgBytes
	if limit <= 0 {
		limit = defaultMaxArgBytes()
	}
	var msgs []Message
	for len(abs) > 0 {
		n, size := 0, 0
		for n < len(abs) && (n == 0 || size+len(abs[n])+9 <= limit) {
			size += len(abs[n]) + 9 // the string, its NUL and its argv pointer
			n++
		}
		batch, err := o.run(java, jar, abs[:n], byPath)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, batch...)
		abs = abs[n:]
	}
	return msgs, nil
}

// run starts one JVM to check files.
func (o Options) run(java, jar string, files []string, byPath map[string]string) ([]Message, error) {
	args := []string{
		"-Xss4m", // the checker's deep recursion overflows small default stacks
		// The checker runs for a second or two: the JIT's quick tier alone
		// starts faster, and the optimizing tier never pays off.
		"-XX:TieredStopAtLevel=1",
		"-jar", jar,
		"--format", "json",
		"--stdout", // the JSON on stdout; Java's own failures on stderr
		"--exit-zero-always",
	}
	if !o.Warnings {
		args = append(args, "--errors-only")
	}
	args = append(args, files...)
	cmd := exec.Command(java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s -jar %s: %v%s", java, jar, err, quoteOutput(stderr.Bytes()))
	}
	msgs, err := parse(stdout.Bytes(), byPath)
	if err != nil {
		return nil, fmt.Errorf("%s -jar %s: %v%s", java, jar, err, quoteOutput(stderr.Bytes()))
	}
	return msgs, nil
}

// quoteOutput returns the end of a command's stderr for an error message.
func quoteOutput(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if len(b) > 2000 {
		b = append([]byte("…"), b[len(b)-2000:]...)
	}
	return "\n" + string(b)
}

// report is the checker's JSON output (https://github.com/validator/validator/wiki/Output-»-JSON).
type report struct {
	Messages []struct {
		Type        string `json:"type"`
		SubType     string `json:"subType"`
		URL         string `json:"url"`
		FirstLine   int    `json:"firstLine"` // absent when it equals lastLine
		LastLine    int    `json:"lastLine"`
		FirstColumn int    `json:"firstColumn"`
		LastColumn  int    `json:"lastColumn"`
		Message     string `json:"message"`
		Extract     string `json:"extract"`
	} `json:"messages"`
}

// parse reads the checker's JSON output. byPath maps absolute paths to the
// names to report them by.
func parse(data []byte, byPath map[string]string) ([]Message, error) {
	var r report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("cannot read the checker's output: %v", err)
	}
	msgs := make([]Message, 0, len(r.Messages))
	for _, m := range r.Messages {
		out := Message{
			File:    fileOf(m.URL, byPath),
			Line:    m.FirstLine,
			Col:     m.FirstColumn,
			Type:    m.Type,
			Message: m.Message,
			Extract: m.Extract,
		}
		if out.Line == 0 {
			out.Line = m.LastLine
		}
		if out.Col == 0 {
			out.Col = m.LastColumn
		}
		if m.Type == "info" && m.SubType == "warning" {
			out.Type = "warning"
		}
		msgs = append(msgs, out)
	}
	return msgs, nil
}

// fileOf maps the checker's file: URL of a file (file:/tmp/a%20b.html) back
// to the name the caller gave it. Other URLs are returned as they are.
func fileOf(u string, byPath map[string]string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "file" || parsed.Path == "" {
		return u
	}
	p := parsed.Path
	if runtime.GOOS == "windows" {
		p = strings.TrimPrefix(p, "/") // file:/C:/x.html
	}
	p = filepath.Clean(filepath.FromSlash(p))
	if name, ok := byPath[p]; ok {
		return name
	}
	return p
}
