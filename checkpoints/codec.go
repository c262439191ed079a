package checkpoints

import (
	"encoding/binary"
	"errors"
	"slices"
)

// The row columns vals, fields and extra hold lists of strings in a compact
// length-prefixed form (uvarint length, then the bytes) rather than JSON:
// every row is written once and read at least twice (to send it, to write the
// results), so their encoding is on the engine's hot path. Strings round-trip
// byte for byte, valid UTF-8 or not.

var errCorrupt = errors.New("corrupt encoded strings")

// appendStrings encodes ss after a count.
func appendStrings(dst []byte, ss []string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(ss)))
	for _, s := range ss {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	return dst
}

// decodeStrings decodes what appendStrings wrote. An empty input is a nil list.
func decodeStrings(b []byte) ([]string, error) {
	if len(b) == 0 {
		return nil, nil
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, errCorrupt
	}
	b = b[k:]
	out := make([]string, n)
	for i := range out {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, errCorrupt
		}
		out[i] = string(b[k : k+int(l)])
		b = b[k+int(l):]
	}
	if len(b) != 0 {
		return nil, errCorrupt
	}
	return out, nil
}

// encodeMap encodes a map as its key/value pairs in key order (an empty,
// non-nil slice for an empty map: the columns are NOT NULL).
func encodeMap(m map[string]string) []byte {
	if len(m) == 0 {
		return []byte{}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	kv := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		kv = append(kv, k, m[k])
	}
	return appendStrings(nil, kv)
}

func decodeMap(b []byte) (map[string]string, error) {
	kv, err := decodeStrings(b)
	if err != nil || len(kv) == 0 {
		return nil, err
	}
	if len(kv)%2 != 0 {
		return nil, errCorrupt
	}
	m := make(map[string]string, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m, nil
}
