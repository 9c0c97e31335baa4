// Command heap builds a site once and writes a heap profile taken when the
// live heap was largest, to see what a build holds at its peak:
//
//	go run ./bench/heap -site DIR [-out heap.prof]
//	go tool pprof -sample_index=inuse_space -top heap.prof
//
// The profile is taken after each collection that found more of the heap
// live than any before, so it shows what the build held at its peak, not
// garbage the collector had yet to reach. Run it with GOMEMLIMIT=128MiB,
// as bench's TestPeakHeapGrowsOnlyWithMetadata does, for collections
// often enough to catch the peak closely.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"lanmu/bench/internal/liveheap"
	"lanmu/generator/build"
)

func main() {
	site := flag.String("site", "", "the site folder to build")
	out := flag.String("out", "heap.prof", "where to write the profile")
	rate := flag.Int("rate", runtime.MemProfileRate, "sample one allocation in this many bytes (runtime.MemProfileRate); lower is finer and slower")
	flag.Parse()
	runtime.MemProfileRate = *rate
	if *site == "" {
		fmt.Fprintln(os.Stderr, "heap: -site DIR is required")
		os.Exit(2)
	}
	dest, err := os.MkdirTemp("", "heap-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "heap:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dest)

	var (
		mu   sync.Mutex
		peak uint64
		prof []byte
	)
	stop := liveheap.Watch(func(live uint64) {
		var b bytes.Buffer
		if pprof.Lookup("heap").WriteTo(&b, 0) == nil {
			mu.Lock()
			peak, prof = live, b.Bytes()
			mu.Unlock()
		}
	})
	start := time.Now()
	_, err = build.Build(build.Options{Source: *site, Dest: filepath.Join(dest, "public")})
	runtime.GC()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "heap:", err)
		os.Exit(1)
	}
	mu.Lock()
	defer mu.Unlock()
	if err := os.WriteFile(*out, prof, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "heap:", err)
		os.Exit(1)
	}
	fmt.Printf("built in %v; peak live heap %.1f MB; profile of it in %s\n", time.Since(start).Round(time.Millisecond), float64(peak)/1e6, *out)
}
