// Package axe runs axe-core, the accessibility engine, over pages loaded in
// headless Chromium, for tests.
//
// The columns lanmu builds are published by public bodies, whose sites must
// be usable with a screen reader, a keyboard or weak eyesight. Most of what
// breaks that lives in the themes (a colour too pale on its background, a
// link without words, a skipped heading level), is invisible when one looks
// at a page, and comes back with the next template change, so the tests run
// axe-core over the example column's pages in a real browser: contrast can
// only be measured on the page as laid out and painted.
//
// axe-core is a JavaScript library. It comes from the npm package axe-core,
// pinned in package.json at the repository root: `npm ci` puts it at
// node_modules/axe-core/axe.min.js. Tests call [Require] first: it skips them
// on a developer's machine without it and fails them in CI (CI=true), so that
// CI can never skip the check silently.
package axe

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ScriptEnv names the environment variable that overrides where axe.min.js is.
const ScriptEnv = "LANMU_AXE_JS"

// scriptPath is where `npm ci` puts axe-core, relative to the repository root.
var scriptPath = filepath.Join("node_modules", "axe-core", "axe.min.js")

// Tags are the rule sets every page is held to: WCAG 2.0 and 2.1 at levels A
// and AA, which is what public-sector accessibility rules ask for, and
// axe-core's best practices (landmarks, one main heading, regions), which
// catch structure a screen-reader user depends on.
var Tags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// Violation is one rule that a page breaks, with every element breaking it.
type Violation struct {
	ID      string `json:"id"`     // the rule, e.g. "color-contrast"
	Impact  string `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Help    string `json:"help"`   // the rule in one sentence
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks a rule.
type Node struct {
	// Target holds the CSS selectors that find the element; more than one
	// when it lies inside iframes or shadow roots, outermost first.
	Target []string `json:"target"`
	// Failure says what is wrong, in axe-core's words, e.g. the contrast
	// measured and the one needed.
	Failure string `json:"failureSummary"`
	HTML    string `json:"html"` // the element's start tag, shortened by axe-core
}

// Serious reports whether v must be fixed: axe-core's "serious" and
// "critical" impacts keep people from using the page at all.
func (v Violation) Serious() bool {
	return v.Impact == "serious" || v.Impact == "critical"
}

// Script returns the path of axe.min.js: $LANMU_AXE_JS if set, else
// node_modules/axe-core/axe.min.js found by walking up from the working
// directory to the module root.
func Script() (string, error) {
	if p := os.Getenv(ScriptEnv); p != "" {
		if err := isFile(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", ScriptEnv, p, err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if p := filepath.Join(dir, scriptPath); isFile(p) == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if isFile(filepath.Join(dir, "go.mod")) == nil || parent == dir {
			break
		}
		dir = parent
	}
	return "", fmt.Errorf("%s not found in the working directory or above it up to the module root: run `npm ci` at the repository root, or set %s", filepath.ToSlash(scriptPath), ScriptEnv)
}

func isFile(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a folder", p)
	}
	return nil
}

// Checker runs one copy of axe-core, read once, in any number of pages.
type Checker struct {
	source string
}

// Load reads axe-core from path (see [Script]).
func Load(path string) (*Checker, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// A truncated or wrong file would only fail later inside the page,
	// with a far less helpful message.
	if !strings.Contains(string(b), "axe") || len(b) < 10000 {
		return nil, fmt.Errorf("%s does not look like axe-core's axe.min.js", path)
	}
	return &Checker{source: string(b)}, nil
}

// Require returns a Checker, or skips t when axe-core is not installed, with
// a message naming `npm ci`. When the environment variable CI is "true" it
// fails t instead, so that CI can never skip the check silently.
func Require(t testing.TB) *Checker {
	t.Helper()
	p, err := Script()
	if err == nil {
		var c *Checker
		if c, err = Load(p); err == nil {
			return c
		}
	}
	msg := "this test runs axe-core in headless Chromium, but " + err.Error()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s\nCI=true, so this test fails instead of skipping: CI must run `npm ci` (see .ci/run).", msg)
	}
	t.Skipf("skipped: %s", msg)
	return nil
}

// runScript starts axe-core on the whole document and resolves to its
// violations, in the shape of [Violation]. Selectors inside shadow roots
// come as arrays; they are joined so that every target is a string.
const runScript = `axe.run(document, {
  runOnly: {type: 'tag', values: %s},
  resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
  nodes: v.nodes.map(n => ({
    target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
    failureSummary: n.failureSummary || '',
    html: n.html,
  })),
})))`

// Check loads url in the tab of ctx (a chromedp context), waits for it to
// load, and returns what axe-core finds wrong with it under [Tags]. A page
// that answers with an HTTP error is an error: checking the server's error
// text instead of the page meant would prove nothing.
func (c *Checker) Check(ctx context.Context, url string) ([]Violation, error) {
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(url))
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", url, err)
	}
	if resp.Status >= 400 {
		return nil, fmt.Errorf("loading %s: HTTP %d %s", url, resp.Status, resp.StatusText)
	}
	return c.CheckShown(ctx, url)
}

// CheckShown returns what axe-core finds wrong with the page the tab of ctx
// shows now, named url in errors: for a page its script has drawn after
// loading, such as a form filled from the server.
func (c *Checker) CheckShown(ctx context.Context, url string) ([]Violation, error) {
	// Contrast and overlap are measured on the laid-out page, and a font
	// still loading can move text onto another background.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("%s: waiting for fonts: %w", url, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](c.source)); err != nil {
		return nil, fmt.Errorf("%s: injecting axe-core: %w", url, err)
	}
	tags := `['` + strings.Join(Tags, `','`) + `']`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](fmt.Sprintf(runScript, tags), chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("%s: running axe-core: %w", url, err)
	}
	return vs, nil
}

// PreferColorScheme makes the pages of ctx's tab match the CSS media query
// prefers-color-scheme: scheme ("light" or "dark"), as on a system set to
// that scheme, so that a theme's dark colours can be checked too.
func PreferColorScheme(ctx context.Context, scheme string) error {
	_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	return err
}

// Format writes v for a test failure: the rule, its impact and help, then
// each element's selector and what is wrong with it.
func Format(page string, v Violation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (%s): %s\n    %s", page, v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    - %s", strings.Join(n.Target, " | "))
		if f := strings.TrimSpace(n.Failure); f != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(f, "\n", "\n      "))
		}
	}
	return b.String()
}
