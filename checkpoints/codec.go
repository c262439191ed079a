package checkpoints

import (
	"encoding/binary"
	"errors"
	"math"
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

// Schema 6 keeps a row in two blobs besides the columns SQL looks at (key,
// batch, status, code, message):
//
//   - data, written once when the row is planned: a format byte (1), the
//     manifest line (uvarint), the row's cells (appendStrings) and its
//     parsed fields (appendStrings of key/value pairs in key order; nothing
//     when there are none);
//   - outcome, written with the row's outcome: empty when the row has no
//     order id and no extra columns, else appendStrings of the order id
//     followed by the extra columns' key/value pairs in key order.
//
// One blob in place of five columns is fewer parameters to bind when a row
// is recorded and fewer columns to read back, the two costs that dominate
// the store's per-row CPU. A decoder meets only what an encoder wrote, but a
// damaged state.db must fail a read with an error, never a panic: the
// decoders check every length against what is left.

const rowDataV1 = 1

// appendRowData encodes a row's line, cells and fields (column data).
func appendRowData(dst []byte, line int, values []string, fields map[string]string) []byte {
	dst = append(dst, rowDataV1)
	dst = binary.AppendUvarint(dst, uint64(line))
	dst = appendStrings(dst, values)
	if len(fields) > 0 {
		dst = appendPairs(dst, "", false, fields)
	}
	return dst
}

// appendPairs appends, after a count, head (when withHead) and the map's
// key/value pairs in key order.
func appendPairs(dst []byte, head string, withHead bool, m map[string]string) []byte {
	n := 2 * len(m)
	if withHead {
		n++
	}
	dst = binary.AppendUvarint(dst, uint64(n))
	if withHead {
		dst = binary.AppendUvarint(dst, uint64(len(head)))
		dst = append(dst, head...)
	}
	var small [8]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		dst = binary.AppendUvarint(dst, uint64(len(k)))
		dst = append(dst, k...)
		v := m[k]
		dst = binary.AppendUvarint(dst, uint64(len(v)))
		dst = append(dst, v...)
	}
	return dst
}

// appendOutcome encodes an outcome's order id and extra columns (column
// outcome); nothing when both are empty.
func appendOutcome(dst []byte, orderID string, extra map[string]string) []byte {
	if orderID == "" && len(extra) == 0 {
		return dst
	}
	return appendPairs(dst, orderID, true, extra)
}

// strReader reads what appendStrings wrote out of one string, so that every
// string decoded from a blob shares one allocation.
type strReader struct {
	s   string
	off int
}

func (r *strReader) uvarint() (uint64, bool) {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.off >= len(r.s) {
			return 0, false
		}
		c := r.s[r.off]
		r.off++
		if c < 0x80 {
			if shift == 63 && c > 1 {
				return 0, false
			}
			return x | uint64(c)<<shift, true
		}
		x |= uint64(c&0x7f) << shift
	}
	return 0, false
}

// count reads a count of strings; each takes at least a byte.
func (r *strReader) count() (int, bool) {
	n, ok := r.uvarint()
	if !ok || n > uint64(len(r.s)-r.off) {
		return 0, false
	}
	return int(n), true
}

func (r *strReader) str() (string, bool) {
	l, ok := r.uvarint()
	if !ok || l > uint64(len(r.s)-r.off) {
		return "", false
	}
	s := r.s[r.off : r.off+int(l)]
	r.off += int(l)
	return s, true
}

// strings reads a count and that many strings.
func (r *strReader) strings() ([]string, bool) {
	n, ok := r.count()
	if !ok {
		return nil, false
	}
	out := make([]string, n)
	for i := range out {
		if out[i], ok = r.str(); !ok {
			return nil, false
		}
	}
	return out, true
}

// pairs reads n strings as key/value pairs (nil when n is 0).
func (r *strReader) pairs(n int) (map[string]string, bool) {
	if n%2 != 0 {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	m := make(map[string]string, n/2)
	for range n / 2 {
		k, ok := r.str()
		if !ok {
			return nil, false
		}
		v, ok := r.str()
		if !ok {
			return nil, false
		}
		m[k] = v
	}
	return m, true
}

// decodeRowData decodes column data: the line, the cells (never nil) and,
// when withFields, the fields (nil when there are none; left nil when not
// withFields).
func decodeRowData(b []byte, withFields bool) (line int, values []string, fields map[string]string, err error) {
	if len(b) == 0 || b[0] != rowDataV1 {
		return 0, nil, nil, errCorrupt
	}
	r := strReader{s: string(b), off: 1}
	l, ok := r.uvarint()
	if !ok || l > math.MaxInt32 {
		return 0, nil, nil, errCorrupt
	}
	if values, ok = r.strings(); !ok {
		return 0, nil, nil, errCorrupt
	}
	if r.off == len(r.s) {
		return int(l), values, nil, nil
	}
	n, ok := r.count()
	if !ok || n == 0 {
		return 0, nil, nil, errCorrupt
	}
	if !withFields {
		return int(l), values, nil, nil
	}
	if fields, ok = r.pairs(n); !ok || r.off != len(r.s) {
		return 0, nil, nil, errCorrupt
	}
	return int(l), values, fields, nil
}

// decodeLine decodes only the line of column data.
func decodeLine(b []byte) (int, error) {
	if len(b) < 2 || b[0] != rowDataV1 {
		return 0, errCorrupt
	}
	l, k := binary.Uvarint(b[1:])
	if k <= 0 || l > math.MaxInt32 {
		return 0, errCorrupt
	}
	return int(l), nil
}

// decodeOutcome decodes column outcome.
func decodeOutcome(b []byte) (orderID string, extra map[string]string, err error) {
	if len(b) == 0 {
		return "", nil, nil
	}
	r := strReader{s: string(b)}
	n, ok := r.count()
	if !ok || n%2 != 1 {
		return "", nil, errCorrupt
	}
	if orderID, ok = r.str(); !ok {
		return "", nil, errCorrupt
	}
	if extra, ok = r.pairs(n - 1); !ok || r.off != len(r.s) {
		return "", nil, errCorrupt
	}
	return orderID, extra, nil
}
