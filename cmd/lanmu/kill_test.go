package main

import (
	"crypto/sha256"
	"io/fs"
	"lanmu/generator/messages"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lanmu/generator/output"
	"lanmu/internal/testsite"
)

// runMainEnv makes the test binary run lanmu's main instead of the tests,
// so that a test can start lanmu as a process of its own and kill it.
const runMainEnv = "LANMU_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	// The tests read lanmu's English; the example column is Chinese, so
	// without this its messages would be. Tests of the language set their
	// own.
	os.Setenv(messages.EnvName, "en")
	if os.Getenv(runMainEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// outputSums maps each file of a built site, but the manifest, to a hash of
// its bytes.
func outputSums(t *testing.T, dir string) map[string][sha256.Size]byte {
	t.Helper()
	out := map[string][sha256.Size]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == output.ManifestName {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = sha256.Sum256(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Builds killed with SIGKILL at random moments, each changing every page
// (the site's title alternates), leave public/ as a whole site, old or new,
// once the next build has begun (output.Recover, which Begin runs), and
// leave no temporary folder behind after it.
func TestKilledBuildsLeaveAWholeSite(t *testing.T) {
	site := testsite.CopyExample(t, "../..", func(c string) string { return c })
	config := filepath.Join(site, "lanmu.toml")
	original, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	titled := func(title string) []byte {
		var b strings.Builder
		for line := range strings.Lines(string(original)) {
			if strings.HasPrefix(line, "title") {
				line = "title = \"" + title + "\"\n"
			}
			b.WriteString(line)
		}
		return []byte(b.String())
	}
	versions := [][]byte{titled("甲单位学习专栏"), titled("乙单位学习专栏")}
	refs := make([]map[string][sha256.Size]byte, len(versions))
	var slowest time.Duration
	for i, v := range versions {
		os.WriteFile(config, v, 0o644)
		ref := filepath.Join(t.TempDir(), "ref")
		start := time.Now()
		if code, stderr := buildInto(site, ref); code != exitOK {
			t.Fatalf("reference build %d (%d):\n%s", i, code, stderr)
		}
		slowest = max(slowest, time.Since(start))
		refs[i] = outputSums(t, ref)
	}
	dest := filepath.Join(t.TempDir(), "public")
	os.WriteFile(config, versions[0], 0o644)
	if code, stderr := buildInto(site, dest); code != exitOK {
		t.Fatalf("first build (%d):\n%s", code, stderr)
	}
	rng := rand.New(rand.NewPCG(17, 18))
	for trial := range 20 {
		os.WriteFile(config, versions[(trial+1)%2], 0o644)
		cmd := exec.Command(os.Args[0], "build", "-s", site, "-d", dest)
		cmd.Env = append(os.Environ(), runMainEnv+"=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(2 * slowest))))
		cmd.Process.Kill()
		cmd.Wait()
		if err := output.Recover(dest); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		got := outputSums(t, dest)
		if !maps.Equal(got, refs[0]) && !maps.Equal(got, refs[1]) {
			t.Fatalf("trial %d: after a kill, public/ is neither the old site nor the new one (%d files)", trial, len(got))
		}
	}
	if code, stderr := buildInto(site, dest); code != exitOK {
		t.Fatalf("the build after the kills (%d):\n%s", code, stderr)
	}
	if got := outputSums(t, dest); !maps.Equal(got, refs[0]) {
		t.Errorf("the build after the kills did not leave the site as built fresh")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".public.lanmu-*")); len(left) > 0 {
		t.Errorf("temporary folders left after the kills and a build: %v", left)
	}
}
