// Package liveheap follows the live heap of a process collection by
// collection, for the benchmarks that measure what a build holds at its
// peak.
package liveheap

import (
	"runtime"
	"runtime/metrics"
	"sync/atomic"
)

// Watch calls onPeak with the live heap after each collection that found
// more live than any before it, until stop is called. It learns of each
// collection by a finalizer that the collection runs and that sets itself
// again, so onPeak runs on the finalizer goroutine: at once after the
// collection, when a heap profile shows exactly what it found live.
func Watch(onPeak func(live uint64)) (stop func()) {
	var stopped atomic.Bool
	var peak uint64
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	type sentinel struct{ _ [16]byte }
	var arm func()
	arm = func() {
		s := new(sentinel)
		runtime.SetFinalizer(s, func(*sentinel) {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak {
				peak = v
				onPeak(v)
			}
			if !stopped.Load() {
				arm()
			}
		})
	}
	arm()
	return func() { stopped.Store(true) }
}
