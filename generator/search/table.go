package search

// keyTable maps token keys (see pairKey) to small integers. It does the one
// job the index asks of a map, for the tens of millions of lookups of a
// large site, at a fraction of a map's cost: open addressing, linear
// probing, no deletion, and 0 (never a key) marking a free slot.
type keyTable struct {
	keys  []uint32
	vals  []int32
	count int
	shift uint // 32 - log2(len(keys))
}

// newKeyTable returns a table with room for about n keys before it grows.
func newKeyTable(n int) *keyTable {
	t := &keyTable{}
	t.alloc(max(n*2, 16))
	return t
}

func (t *keyTable) alloc(size int) {
	bits := uint(4)
	for 1<<bits < size {
		bits++
	}
	t.keys = make([]uint32, 1<<bits)
	t.vals = make([]int32, 1<<bits)
	t.shift = 32 - bits
	t.count = 0
}

// slot is where k belongs: Fibonacci hashing spreads the keys, whose low
// bits (the second character of a pair) are far from random.
func (t *keyTable) slot(k uint32) int {
	return int((k * 0x9E3779B1) >> t.shift)
}

// get returns the value of k, and whether k is in the table.
func (t *keyTable) get(k uint32) (int32, bool) {
	mask := len(t.keys) - 1
	for i := t.slot(k); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.vals[i], true
		case 0:
			return 0, false
		}
	}
}

// put sets the value of k, which must not be 0.
func (t *keyTable) put(k uint32, v int32) {
	if 2*(t.count+1) > len(t.keys) {
		t.grow()
	}
	mask := len(t.keys) - 1
	for i := t.slot(k); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			t.vals[i] = v
			return
		case 0:
			t.keys[i], t.vals[i] = k, v
			t.count++
			return
		}
	}
}

func (t *keyTable) grow() {
	keys, vals := t.keys, t.vals
	t.alloc(2 * len(keys))
	for i, k := range keys {
		if k != 0 {
			t.put(k, vals[i])
		}
	}
}

// reset empties the table, keeping its room.
func (t *keyTable) reset() {
	clear(t.keys)
	t.count = 0
}

// each calls fn with every key and value, in no order.
func (t *keyTable) each(fn func(k uint32, v int32)) {
	for i, k := range t.keys {
		if k != 0 {
			fn(k, t.vals[i])
		}
	}
}
