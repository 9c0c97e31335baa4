package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"lanmu/bench/internal/corpus"
	"lanmu/bench/internal/liveheap"
	"lanmu/generator/build"
)

// heapChildEnv names the site a child process of TestPeakHeapGrowsOnlyWithMetadata
// builds; heapLimit is the memory limit it builds under, which with GOGC=20
// has the collector run often, so that the live heap it reports is close
// to the true peak. maxHeapPerPage and maxHeapRatio are what the test
// allows: issue 17's ratio, and a bound per page well above what a page's
// metadata costs and well below its text.
const (
	heapChildEnv   = "LANMU_TEST_HEAP_SITE"
	heapLimit      = "128MiB"
	maxHeapPerPage = 4 << 10
	maxHeapRatio   = 2.0
)

func TestMain(m *testing.M) {
	if site := os.Getenv(heapChildEnv); site != "" {
		os.Exit(buildAndReportHeap(site))
	}
	os.Exit(m.Run())
}

// buildAndReportHeap builds site into a new folder and prints the largest
// live heap any collection found during the build, in bytes.
func buildAndReportHeap(site string) int {
	var peak atomic.Uint64
	stop := liveheap.Watch(peak.Store)
	dest, err := os.MkdirTemp("", "lanmu-heap-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dest)
	_, err = build.Build(build.Options{Source: site, Dest: filepath.Join(dest, "public")})
	runtime.GC()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("peak live heap %d\n", peak.Load())
	return 0
}

// TestPeakHeapGrowsOnlyWithMetadata builds generated sites of 2,000 and
// 8,000 pages, each in a child process under a low memory limit, and
// checks what the build holds per page: the growth of the peak live heap
// from one site to the other, divided by the 6,000 pages between them.
//
// A page of the corpus is about 4 KB of Markdown and 14 KB of HTML, and
// each is on disk, not in memory, until it is used (package spill), so
// what a page costs the heap is its metadata: its fields and views, its
// front matter's values, its jobs and its entries in lists; the search
// index's postings wait on disk too. Issue 17 asks for less than twice the
// heap for four times the pages; on 4 December 2026 it was 2.4–2.7 KB a
// page and 1.8–1.9× (from 6.4 KB and 2.5× that morning).
//
// A collection counts as live what was allocated while it ran, so each
// figure is a little above the true peak, by chance (±5% from run to
// run); each site is built three times and the smallest figure kept.
func TestPeakHeapGrowsOnlyWithMetadata(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 pages; skipped with -short")
	}
	peak := map[int]uint64{}
	for _, pages := range []int{2000, 8000} {
		dir := t.TempDir()
		if err := corpus.Write(dir, pages, 1); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			n := peakHeapOfBuild(t, filepath.Join(dir, "lanmu"))
			if peak[pages] == 0 || n < peak[pages] {
				peak[pages] = n
			}
			t.Logf("%d pages: peak live heap %.1f MB", pages, float64(n)/1e6)
		}
	}
	perPage := (float64(peak[8000]) - float64(peak[2000])) / 6000
	ratio := float64(peak[8000]) / float64(peak[2000])
	t.Logf("%.0f bytes of heap per page; 8,000 pages took %.2f× the heap of 2,000 (the aim is < 2×)", perPage, ratio)
	if perPage > maxHeapPerPage {
		t.Errorf("the build holds %.0f bytes per page, over %d: something beyond metadata is kept per page", perPage, maxHeapPerPage)
	}
	if ratio > maxHeapRatio {
		t.Errorf("8,000 pages took %.2f× the peak heap of 2,000, over %.1f×", ratio, maxHeapRatio)
	}
}

// peakHeapOfBuild builds site in a child process and returns the peak live
// heap it reports.
func peakHeapOfBuild(t *testing.T, site string) uint64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), heapChildEnv+"="+site, "GOMEMLIMIT="+heapLimit, "GOGC=20")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("building %s: %v\n%s", site, err, stderr.Bytes())
	}
	field := strings.TrimPrefix(strings.TrimSpace(stdout.String()), "peak live heap ")
	n, err := strconv.ParseUint(field, 10, 64)
	if err != nil || n == 0 {
		t.Fatalf("building %s: no heap figure in %q", site, stdout.String())
	}
	return n
}
