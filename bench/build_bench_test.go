package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"lanmu/bench/internal/corpus"
	"lanmu/generator/build"
)

// BenchmarkBuild1000 measures cold builds of a 1,000-page corpus, each into
// a new folder. None is deleted until the benchmark ends: on ext4 without a
// journal, creating files soon after deleting many costs several times as
// much (see bench/lib.sh), which made the figures grow build by build.
//
//	go test ./bench -run '^$' -bench Build1000 -benchtime 1x   # smoke test
//	go test ./bench -run '^$' -bench Build1000 -count 5        # figures
func BenchmarkBuild1000(b *testing.B) {
	const pages = 1000
	dir := b.TempDir()
	if err := corpus.Write(dir, pages, 1); err != nil {
		b.Fatal(err)
	}
	src := filepath.Join(dir, "lanmu")
	outs := b.TempDir()
	var files, n int
	for b.Loop() {
		n++
		dest := filepath.Join(outs, "public-"+strconv.Itoa(n))
		report, err := build.Build(build.Options{Source: src, Dest: dest})
		if err != nil {
			b.Fatal(err)
		}
		files = report.Files
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(files), "files/op")
}

// TestCorpusBuilds checks that lanmu, and Hugo when it is installed, build
// a small corpus without errors, so that a stricter lanmu or a change of the
// generator is noticed before a long benchmark run.
func TestCorpusBuilds(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 40, 1); err != nil {
		t.Fatal(err)
	}
	report, err := build.Build(build.Options{Source: filepath.Join(dir, "lanmu"), Dest: filepath.Join(dir, "out-lanmu")})
	if err != nil {
		t.Fatalf("lanmu cannot build the corpus: %v", err)
	}
	if report.ByType["news"] != 40 {
		t.Errorf("lanmu published %d news pages, want 40", report.ByType["news"])
	}
	for _, f := range []string{"news/00001/index.html", "news/page/4/index.html", "tags/index.html", "sitemap.xml", "index.xml"} {
		if _, err := os.Stat(filepath.Join(dir, "out-lanmu", f)); err != nil {
			t.Errorf("lanmu: %v", err)
		}
	}

	hugo, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true and hugo is missing (apt-get install hugo): the Hugo side of the benchmark must be checked")
		}
		t.Skip("hugo is not installed (apt-get install hugo); the Hugo site was not checked")
	}
	out, err := exec.Command(hugo, "--quiet", "-s", filepath.Join(dir, "hugo"), "-d", filepath.Join(dir, "out-hugo")).CombinedOutput()
	if err != nil {
		t.Fatalf("hugo cannot build the corpus: %v\n%s", err, out)
	}
	for _, f := range []string{"news/00001/index.html", "news/page/4/index.html", "tags/index.html", "sitemap.xml", "index.xml", "atom.xml", "feed.json"} {
		if _, err := os.Stat(filepath.Join(dir, "out-hugo", f)); err != nil {
			t.Errorf("hugo: %v", err)
		}
	}
}
