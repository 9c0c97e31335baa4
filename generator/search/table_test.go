package search

import (
	"math/rand/v2"
	"testing"
)

func TestKeyTableAgreesWithAMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tab := newKeyTable(4) // small, so that it grows many times
	for round := range 3 {
		want := map[uint32]int32{}
		for i := range 20000 {
			// Clustered keys, as CJK pairs are: one first character, many
			// second ones.
			k := uint32(0x4E00+rng.IntN(40))<<16 | uint32(0x4E00+rng.IntN(3000))
			if rng.IntN(8) == 0 {
				k = rng.Uint32() | 1
			}
			if _, ok := want[k]; !ok || i%3 == 0 {
				want[k] = int32(i)
				tab.put(k, int32(i))
			}
		}
		if tab.count != len(want) {
			t.Fatalf("round %d: %d keys, want %d", round, tab.count, len(want))
		}
		for k, v := range want {
			if got, ok := tab.get(k); !ok || got != v {
				t.Fatalf("round %d: get(%#x) = %d, %v; want %d", round, k, got, ok, v)
			}
		}
		if _, ok := tab.get(0x12345678); ok != (want[0x12345678] != 0) {
			t.Errorf("a missing key is found")
		}
		seen := 0
		tab.each(func(k uint32, v int32) {
			seen++
			if want[k] != v {
				t.Errorf("each gave %#x=%d, want %d", k, v, want[k])
			}
		})
		if seen != len(want) {
			t.Errorf("each gave %d keys, want %d", seen, len(want))
		}
		tab.reset()
		if _, ok := tab.get(uint32(0x4E00)<<16 | 0x4E00); ok || tab.count != 0 {
			t.Fatal("reset left keys behind")
		}
	}
}
