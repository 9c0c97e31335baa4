// Command heap builds a site once and writes a heap profile taken when the
// live heap was largest, to see what a build holds at its peak:
//
//	go run ./bench/heap -site DIR [-out heap.prof]
//	go tool pprof -sample_index=inuse_space -top heap.prof
//
// The heap is sampled every 200 ms; each new peak replaces the profile. It
// also prints the largest heap a collection found live, which does not
// count the garbage the collector had yet to reach.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"

	"lanmu/generator/build"
)

func main() {
	site := flag.String("site", "", "the site folder to build")
	out := flag.String("out", "heap.prof", "where to write the profile")
	flag.Parse()
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
		live uint64 // the largest heap a collection found live
		prof []byte
	)
	liveSample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	done := make(chan struct{})
	var sampled sync.WaitGroup
	sampled.Add(1)
	go func() {
		defer sampled.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(liveSample)
			live = max(live, liveSample[0].Value.Uint64())
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc <= peak {
				continue
			}
			var b bytes.Buffer
			if pprof.Lookup("heap").WriteTo(&b, 0) == nil {
				mu.Lock()
				peak, prof = m.HeapAlloc, b.Bytes()
				mu.Unlock()
			}
		}
	}()
	start := time.Now()
	_, err = build.Build(build.Options{Source: *site, Dest: filepath.Join(dest, "public")})
	close(done)
	sampled.Wait()
	if err != nil {
		fmt.Fprintln(os.Stderr, "heap:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, prof, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "heap:", err)
		os.Exit(1)
	}
	fmt.Printf("built in %v; peak heap %d MB, of it live at most %d MB; profile of the peak in %s\n", time.Since(start).Round(time.Millisecond), peak>>20, live>>20, *out)
}
