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

// Schema 7 keeps all of a row in two blobs, which is all a read of rows
// selects; the columns SQL looks at (seq, key, batch, status, code,
// message) repeat what the blobs hold, for indexes, counts and reasons:
//
//   - data, written once when the row is planned: a format byte (2), the
//     Seq and the batch (varints), the key, the manifest line (uvarint),
//     the row's cells (appendStrings) and its parsed fields (appendStrings
//     of key/value pairs in key order; nothing when there are none);
//   - outcome, written with every outcome the row is given: empty for a
//     row without one (status, code, message, order id and extra columns
//     all empty), else a format byte (0) then appendStrings of the status,
//     code, message and order id followed by the extra columns' key/value
//     pairs in key order.
//
// Every write that sets the columns sets the blob from the same values
// (insertRows, updateOutcomes, ReopenFailed, the migrations). Reading two
// blobs instead of eight columns, and binding one blob instead of five
// columns, is what the store's per-row CPU went to. A decoder meets only
// what an encoder wrote, but a damaged state.db must fail a read with an
// error, never a panic: the decoders check every length against what is
// left.

const (
	rowDataV1 = 1 // schema 6: line, cells, fields (migrated by migrateBlobs7)
	rowDataV2 = 2
	outcomeV7 = 0
)

// appendRowData encodes a row's Seq, batch, key, line, cells and fields
// (column data).
func appendRowData(dst []byte, r *Row) []byte {
	dst = append(dst, rowDataV2)
	dst = binary.AppendVarint(dst, int64(r.Seq))
	dst = binary.AppendVarint(dst, r.Batch)
	dst = binary.AppendUvarint(dst, uint64(len(r.Key)))
	dst = append(dst, r.Key...)
	dst = binary.AppendUvarint(dst, uint64(r.Line))
	dst = appendStrings(dst, r.Values)
	if len(r.Fields) > 0 {
		dst = appendPairs(dst, nil, r.Fields)
	}
	return dst
}

// appendPairs appends, after a count, the head strings and the map's
// key/value pairs in key order.
func appendPairs(dst []byte, head []string, m map[string]string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(head)+2*len(m)))
	for _, h := range head {
		dst = binary.AppendUvarint(dst, uint64(len(h)))
		dst = append(dst, h...)
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

// appendOutcome encodes an outcome (column outcome); nothing when it is
// all empty.
func appendOutcome(dst []byte, o *Outcome) []byte {
	if o.Status == "" && o.Code == "" && o.Message == "" && o.OrderID == "" && len(o.Extra) == 0 {
		return dst
	}
	dst = append(dst, outcomeV7)
	return appendPairs(dst, []string{o.Status, o.Code, o.Message, o.OrderID}, o.Extra)
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

func (r *strReader) varint() (int64, bool) {
	ux, ok := r.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x, ok
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

// decodeRow decodes column data into r: Seq, Batch, Key, Line, Values
// (never nil) and, when withFields, Fields (nil when there are none; left
// nil when not withFields).
func decodeRow(b []byte, r *Row, withFields bool) error {
	if len(b) == 0 || b[0] != rowDataV2 {
		return errCorrupt
	}
	sr := strReader{s: string(b), off: 1}
	seq, ok := sr.varint()
	if !ok || seq < 0 || seq > math.MaxInt32 {
		return errCorrupt
	}
	batch, ok := sr.varint()
	if !ok {
		return errCorrupt
	}
	key, ok := sr.str()
	if !ok {
		return errCorrupt
	}
	line, ok := sr.uvarint()
	if !ok || line > math.MaxInt32 {
		return errCorrupt
	}
	values, ok := sr.strings()
	if !ok {
		return errCorrupt
	}
	r.Seq, r.Batch, r.Key, r.Line, r.Values, r.Fields = int(seq), batch, key, int(line), values, nil
	if sr.off == len(sr.s) {
		return nil
	}
	n, ok := sr.count()
	if !ok || n == 0 {
		return errCorrupt
	}
	if !withFields {
		return nil
	}
	if r.Fields, ok = sr.pairs(n); !ok || sr.off != len(sr.s) {
		r.Fields = nil
		return errCorrupt
	}
	return nil
}

// decodeLine decodes only the line of column data.
func decodeLine(b []byte) (int, error) {
	var r Row
	if err := decodeRow(b, &r, false); err != nil {
		return 0, err
	}
	return r.Line, nil
}

// decodeOutcome decodes column outcome into o.
func decodeOutcome(b []byte, o *Outcome) error {
	if len(b) == 0 {
		*o = Outcome{}
		return nil
	}
	if b[0] != outcomeV7 {
		return errCorrupt
	}
	r := strReader{s: string(b), off: 1}
	n, ok := r.count()
	if !ok || n < 4 || n%2 != 0 {
		return errCorrupt
	}
	var head [4]string
	for i := range head {
		if head[i], ok = r.str(); !ok {
			return errCorrupt
		}
	}
	extra, ok := r.pairs(n - 4)
	if !ok || r.off != len(r.s) {
		return errCorrupt
	}
	*o = Outcome{Status: head[0], Code: head[1], Message: head[2], OrderID: head[3], Extra: extra}
	return nil
}

// decodeRowData6 decodes schema 6's column data (format rowDataV1): the
// line, the cells and the fields.
func decodeRowData6(b []byte) (line int, values []string, fields map[string]string, err error) {
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
	if fields, ok = r.pairs(n); !ok || r.off != len(r.s) {
		return 0, nil, nil, errCorrupt
	}
	return int(l), values, fields, nil
}

// decodeOutcome6 decodes schema 6's column outcome: the order id and the
// extra columns.
func decodeOutcome6(b []byte) (orderID string, extra map[string]string, err error) {
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
