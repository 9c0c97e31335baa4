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
// builds; heapLimit is the memory limit it builds under, low enough that
// the collector runs often and the live heap it reports is close to the
// true peak.
const (
	heapChildEnv   = "LANMU_TEST_HEAP_SITE"
	heapLimit      = "128MiB"
	maxHeapPerPage = 8 << 10
	maxHeapRatio   = 3.0
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
// summary, its entries in lists and its postings in the search index.
// maxHeapPerPage bounds that. Issue 17 asks for less than twice the heap
// for four times the pages, about 3 KB a page here; the build is not there
// yet (6.4 KB on 4 December 2026), and the test holds the line at
// maxHeapPerPage and maxHeapRatio so that it cannot slip back to holding
// pages' text (it failed at 10.8 KB a page and 3.3× before).
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
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), heapChildEnv+"="+filepath.Join(dir, "lanmu"), "GOMEMLIMIT="+heapLimit, "GOGC=20")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("building %d pages: %v\n%s", pages, err, stderr.Bytes())
		}
		field := strings.TrimPrefix(strings.TrimSpace(stdout.String()), "peak live heap ")
		n, err := strconv.ParseUint(field, 10, 64)
		if err != nil || n == 0 {
			t.Fatalf("building %d pages: no heap figure in %q", pages, stdout.String())
		}
		peak[pages] = n
		t.Logf("%d pages: peak live heap %.1f MB", pages, float64(n)/1e6)
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
