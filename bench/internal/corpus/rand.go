package corpus

// rng is SplitMix64. It is written out here, rather than taken from
// math/rand, so that the corpus for a seed stays byte-identical whatever Go
// release generates it.
type rng struct{ state uint64 }

func newRNG(seed int64, stream uint64) *rng {
	r := &rng{state: uint64(seed) ^ (stream * 0x9e3779b97f4a7c15)}
	r.next() // decorrelate neighbouring seeds and streams
	return r
}

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n). The modulo bias is negligible for the
// small n used here and, above all, deterministic.
func (r *rng) intn(n int) int {
	if n <= 0 {
		panic("corpus: intn of a non-positive number")
	}
	return int(r.next() % uint64(n))
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance reports true with probability percent/100.
func (r *rng) chance(percent int) bool { return r.intn(100) < percent }

// pick returns a random element of list.
func pick[T any](r *rng, list []T) T { return list[r.intn(len(list))] }
