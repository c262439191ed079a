package checkpoints

import "hash/maphash"

// keyTable remembers every key a plan has recorded or holds: an
// open-addressing hash table of 32-bit fingerprints (slot = fingerprint,
// linear probing) with the Seq of each key's row, 8 bytes a slot, filled
// at most three quarters. It answers with candidates: every Seq whose key
// has the same fingerprint. Keys.Seen confirms a candidate by its row's
// key, so two keys sharing a fingerprint (one lookup in millions) cost a
// read, never a wrong answer.
type keyTable struct {
	fp   []uint32 // 0: empty slot (a fingerprint is never 0)
	seq  []int32
	n    int
	seed maphash.Seed
	init bool
}

func (t *keyTable) fingerprint(key string) uint32 {
	if !t.init {
		t.seed, t.init = maphash.MakeSeed(), true
	}
	h := maphash.String(t.seed, key)
	f := uint32(h) ^ uint32(h>>32)
	if f == 0 {
		f = 1
	}
	return f
}

// add records key's row Seq (a key added twice has two entries; Keys adds
// each once).
func (t *keyTable) add(key string, seq int) {
	if (t.n+1)*4 > len(t.fp)*3 {
		t.grow()
	}
	t.put(t.fingerprint(key), int32(seq))
	t.n++
}

func (t *keyTable) put(f uint32, seq int32) {
	mask := uint32(len(t.fp) - 1)
	for i := f & mask; ; i = (i + 1) & mask {
		if t.fp[i] == 0 {
			t.fp[i], t.seq[i] = f, seq
			return
		}
	}
}

func (t *keyTable) grow() {
	size := max(1<<12, 2*len(t.fp))
	oldFp, oldSeq := t.fp, t.seq
	t.fp, t.seq = make([]uint32, size), make([]int32, size)
	for i, f := range oldFp {
		if f != 0 {
			t.put(f, oldSeq[i])
		}
	}
}

// candidates returns the Seqs of the keys that share key's fingerprint.
func (t *keyTable) candidates(key string) []int {
	if t.n == 0 {
		return nil
	}
	f := t.fingerprint(key)
	mask := uint32(len(t.fp) - 1)
	var out []int
	for i := f & mask; t.fp[i] != 0; i = (i + 1) & mask {
		if t.fp[i] == f {
			out = append(out, int(t.seq[i]))
		}
	}
	return out
}
