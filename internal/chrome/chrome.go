// Package chrome starts headless Chromium for tests that need a real
// browser: live reload, print layout, accessibility. It finds Debian's
// chromium, skips the test with an install hint when there is none on a
// developer's machine, and fails instead when CI=true, so that CI can never
// skip browser tests silently.
package chrome

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds Chromium: $LANMU_CHROME, else chromium, chromium-browser,
// google-chrome or google-chrome-stable on PATH.
func Path() (string, error) {
	if p := os.Getenv("LANMU_CHROME"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", err
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found (install Debian's chromium: apt-get install chromium fonts-noto-cjk, or set LANMU_CHROME)")
}

// Require returns Chromium's path, or skips the test saying how to install
// it; under CI=true a missing Chromium fails the test.
func Require(t testing.TB) string {
	t.Helper()
	p, err := Path()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Skipf("skipping a browser test: %v", err)
	}
	return p
}

// New starts a headless Chromium with a fresh profile and returns a
// chromedp context for it, bounded by timeout. Everything is torn down
// when the test ends.
func New(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	path := Require(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	// The browser starts on the first call; its context must carry no
	// timeout, or the timeout would stop the whole browser.
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("starting Chromium at %s: %v", path, err)
	}
	ctx, cancelTimeout := context.WithTimeout(browser, timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelBrowser()
		cancelAlloc()
	})
	return ctx
}

// RequireCommand returns the path of a program the test needs, or skips the
// test naming the Debian package to install; under CI=true a missing program
// fails the test, since a check that never runs proves nothing.
func RequireCommand(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is missing (apt-get install %s)", name, debianPackage)
		}
		t.Skipf("skipping: %s is missing (apt-get install %s)", name, debianPackage)
	}
	return p
}
