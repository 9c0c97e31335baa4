package bench

import (
	"os"
	"runtime"
	"testing"

	"lanmu/generator/build"
)

func TestZZProfile(t *testing.T) {
	src := os.Getenv("PROF_SRC")
	if src == "" {
		t.Skip()
	}
	os.RemoveAll("/dev/shm/prof-out")
	if _, err := build.Build(build.Options{Source: src, Dest: "/dev/shm/prof-out"}); err != nil {
		t.Fatal(err)
	}
}

func TestZZStats(t *testing.T) {
	src := os.Getenv("PROF_SRC")
	if src == "" {
		t.Skip()
	}
	os.RemoveAll("/dev/shm/stats-out")
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	if _, err := build.Build(build.Options{Source: src, Dest: "/dev/shm/stats-out"}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&m1)
	t.Logf("mallocs %d bytes %d gc %d", m1.Mallocs-m0.Mallocs, m1.TotalAlloc-m0.TotalAlloc, m1.NumGC-m0.NumGC)
	os.RemoveAll("/dev/shm/stats-out")
}
