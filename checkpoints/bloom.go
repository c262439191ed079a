package checkpoints

// bloom is a fixed 2 MiB Bloom filter with four probes: for a million keys
// it answers "maybe" for about one key in four hundred that was never added,
// and never "no" for one that was.
type bloom struct{ bits []uint64 }

const bloomBits = 1 << 24

func newBloom() *bloom { return &bloom{bits: make([]uint64, bloomBits/64)} }

// probes derives the four bit positions of key by double hashing (FNV-1a
// of the key, computed over the string without converting it).
func probes(key string) [4]uint32 {
	sum := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		sum ^= uint64(key[i])
		sum *= 1099511628211
	}
	a, b := uint32(sum), uint32(sum>>32)|1
	var out [4]uint32
	for i := range out {
		out[i] = (a + uint32(i)*b) % bloomBits
	}
	return out
}

func (f *bloom) add(key string) {
	for _, p := range probes(key) {
		f.bits[p/64] |= 1 << (p % 64)
	}
}

func (f *bloom) mayContain(key string) bool {
	for _, p := range probes(key) {
		if f.bits[p/64]&(1<<(p%64)) == 0 {
			return false
		}
	}
	return true
}
