package bench

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"lanmu/generator/build"
)

func TestZZHeap(t *testing.T) {
	src := os.Getenv("PROF_SRC")
	if src == "" {
		t.Skip()
	}
	site, err := build.Load(build.Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	f, _ := os.Create("/tmp/heap-loaded.prof")
	pprof.WriteHeapProfile(f)
	f.Close()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	t.Logf("heap in use after load: %d MB", m.HeapAlloc>>20)
	runtime.KeepAlive(site)
}
