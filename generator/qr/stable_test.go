package qr

import (
	"strconv"
	"sync"
	"testing"
)

// The same address gives the same code every time, also when codes are
// drawn side by side, as a build draws them: a code that changed from
// build to build would change the pages it is on.
func TestCodesAreTheSameEveryTime(t *testing.T) {
	const address = "https://www.example.gov.cn/xxjy/s/33b3gt/"
	first, err := Encode(address)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	differ := 0
	for range 8 {
		wg.Go(func() {
			for range 50 {
				c, _ := Encode(address)
				mu.Lock()
				if c.SVG != first.SVG {
					differ++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if differ > 0 {
		t.Errorf("%d of 400 codes of one address differ from the first", differ)
	}
}

func BenchmarkEncodeShortAddress(b *testing.B) {
	for i := range b.N {
		if _, err := Encode("https://www.example.gov.cn/xxjy/s/" + strconv.Itoa(100000+i%1000) + "/"); err != nil {
			b.Fatal(err)
		}
	}
}
