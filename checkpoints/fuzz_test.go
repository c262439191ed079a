package checkpoints

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzRowRoundTrip stores manifest cells (outside input) and reads them
// back: every valid UTF-8 string must come back byte for byte.
func FuzzRowRoundTrip(f *testing.F) {
	for _, seed := range [][3]string{
		{"6123453624", "612-345-3624", "Chicago"},
		{"", "", ""},
		{"\x00", "a\"b,c\nd", "\u2028<>&"},
		{"'", "=SUM(A1)", "🙂"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	s, err := Open(context.Background(), filepath.Join(f.TempDir(), "state.db"))
	require.NoError(f, err)
	f.Cleanup(func() { _ = s.Close() })
	seq := 0
	f.Fuzz(func(t *testing.T, key, cell, field string) {
		if !utf8.ValidString(key) || !utf8.ValidString(cell) || !utf8.ValidString(field) {
			// Key and Message are TEXT columns; cells are covered by
			// TestInvalidUTF8RoundTrips.
			return
		}
		seq++
		ctx := t.Context()
		in := Row{Seq: seq, Line: seq, Key: key, Values: []string{cell, field}, Batch: int64(seq),
			Fields: map[string]string{field: cell}, Outcome: Outcome{Message: cell, Extra: map[string]string{key: field}}}
		p, err := s.NewPlan(ctx)
		require.NoError(t, err)
		require.NoError(t, p.AddRow(in))
		if key != "" {
			first, seen, err := p.SeenKey(key)
			require.NoError(t, err)
			require.True(t, seen)
			require.LessOrEqual(t, first, seq)
		}
		require.NoError(t, p.Commit())
		rows, err := s.BatchRows(ctx, int64(seq))
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, in, rows[0])
	})
}

// TestInvalidUTF8RoundTrips: manifest cells are stored length-prefixed, so a
// cell that is not UTF-8 (a Latin-1 CSV) comes back byte for byte.
func TestInvalidUTF8RoundTrips(t *testing.T) {
	s, _ := openTemp(t)
	p, err := s.NewPlan(t.Context())
	require.NoError(t, err)
	require.NoError(t, p.AddRow(Row{Seq: 1, Batch: 1, Values: []string{"caf\xe9"}}))
	require.NoError(t, p.Commit())
	rows, err := s.BatchRows(t.Context(), 1)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, []string{"caf\xe9"}, rows[0].Values)
}

// FuzzDecodeStrings: a corrupt column must be an error, never a panic.
func FuzzDecodeStrings(f *testing.F) {
	f.Add(appendStrings(nil, []string{"a", "", "ccc"}))
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		ss, err := decodeStrings(b)
		if err == nil && len(b) > 0 {
			again, err := decodeStrings(appendStrings(nil, ss))
			require.NoError(t, err)
			require.Equal(t, ss, again, "what decodes re-encodes to the same strings")
		}
	})
}

// TestRowDataRoundTrip: a row's line, cells and fields come back from column
// data as they went in (no fields is nil, no cells an empty list); without
// fields, the line and cells alone.
func TestRowDataRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		line   int
		values []string
		fields map[string]string
	}{
		{"tn-note", 2, []string{"3125550000", "note 0"}, map[string]string{"note": "note 0"}},
		{"no fields", 7, []string{"a", "", "c"}, nil},
		{"no cells", 1 << 30, []string{}, map[string]string{"": ""}},
		{"bytes", 0, []string{"caf\xe9", "\x00", "\u2028"}, map[string]string{"\xff": "\x00", "b": "", "a": "1"}},
		{"long", 3, []string{strings.Repeat("x", 300)}, map[string]string{strings.Repeat("k", 200): strings.Repeat("v", 70000)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := appendRowData(nil, tc.line, tc.values, tc.fields)
			line, values, fields, err := decodeRowData(b, true)
			require.NoError(t, err)
			assert.Equal(t, tc.line, line)
			assert.Equal(t, tc.values, values)
			assert.Equal(t, tc.fields, fields)
			line, values, fields, err = decodeRowData(b, false)
			require.NoError(t, err)
			assert.Equal(t, tc.line, line)
			assert.Equal(t, tc.values, values)
			assert.Nil(t, fields)
			line, err = decodeLine(b)
			require.NoError(t, err)
			assert.Equal(t, tc.line, line)
		})
	}
}

// TestOutcomeRoundTrip: an outcome's order id and extra columns come back
// from column outcome; none of either is an empty blob.
func TestOutcomeRoundTrip(t *testing.T) {
	assert.Empty(t, appendOutcome(nil, "", nil))
	assert.Empty(t, appendOutcome(nil, "", map[string]string{}))
	for _, tc := range []struct {
		orderID string
		extra   map[string]string
	}{
		{"O-1", nil},
		{"", map[string]string{"routing_label": "L1"}},
		{"1085360", map[string]string{"b": "", "a": "caf\xe9", "": "\x00"}},
	} {
		b := appendOutcome(nil, tc.orderID, tc.extra)
		orderID, extra, err := decodeOutcome(b)
		require.NoError(t, err)
		assert.Equal(t, tc.orderID, orderID)
		assert.Equal(t, tc.extra, extra)
	}
}

// TestCorruptBlobs: damaged blobs are errors (errCorrupt), for the reads
// that meet them too.
func TestCorruptBlobs(t *testing.T) {
	good := appendRowData(nil, 2, []string{"a", "b"}, map[string]string{"k": "v"})
	for name, b := range map[string][]byte{
		"empty":          {},
		"format":         append([]byte{2}, good[1:]...),
		"cut":            good[:len(good)-1],
		"trailing":       append(slices.Clone(good), 0),
		"odd fields":     append(appendRowData(nil, 2, nil, nil), 1, 0),
		"zero fields":    append(appendRowData(nil, 2, nil, nil), 0),
		"huge count":     {rowDataV1, 2, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"huge line":      {rowDataV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0},
		"varint overrun": {rowDataV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	} {
		_, _, _, err := decodeRowData(b, true)
		assert.ErrorIs(t, err, errCorrupt, name)
	}
	for name, b := range map[string][]byte{
		"even":     appendStrings(nil, []string{"O-1", "k"}),
		"cut":      appendOutcome(nil, "O-1", nil)[:2],
		"trailing": append(appendOutcome(nil, "O-1", nil), 0),
		"count":    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	} {
		_, _, err := decodeOutcome(b)
		assert.ErrorIs(t, err, errCorrupt, name)
	}

	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 2, 2)
	_, err := s.w.ExecContext(ctx, "UPDATE rows SET data = x'01ff' WHERE seq = 1")
	require.NoError(t, err)
	_, err = s.BatchRows(ctx, 1)
	require.ErrorIs(t, err, errCorrupt)
	_, err = s.w.ExecContext(ctx, "UPDATE rows SET data = ?, outcome = x'02' WHERE seq = 1", appendRowData(nil, 2, nil, nil))
	require.NoError(t, err)
	for _, err := range s.OutputRows(ctx, 0, 0) {
		require.ErrorIs(t, err, errCorrupt)
		break
	}
}

// FuzzDecodeRowData: a corrupt data blob is an error, never a panic; what
// decodes encodes back to what decodes the same.
func FuzzDecodeRowData(f *testing.F) {
	f.Add(appendRowData(nil, 2, []string{"3125550000", "note 0"}, map[string]string{"note": "note 0"}))
	f.Add(appendRowData(nil, 0, nil, nil))
	f.Add([]byte{rowDataV1, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		line, values, fields, err := decodeRowData(b, true)
		if _, _, _, err2 := decodeRowData(b, false); err == nil {
			require.NoError(t, err2, "what decodes with fields decodes without")
		}
		if _, err2 := decodeLine(b); err == nil {
			require.NoError(t, err2)
		}
		if err != nil {
			return
		}
		l2, v2, f2, err := decodeRowData(appendRowData(nil, line, values, fields), true)
		require.NoError(t, err)
		require.Equal(t, line, l2)
		require.Equal(t, values, v2)
		require.Equal(t, fields, f2)
	})
}

// FuzzDecodeOutcome: a corrupt outcome blob is an error, never a panic.
func FuzzDecodeOutcome(f *testing.F) {
	f.Add(appendOutcome(nil, "O-1", map[string]string{"routing_label": "L1"}))
	f.Add([]byte{})
	f.Add([]byte{3, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		orderID, extra, err := decodeOutcome(b)
		if err != nil {
			return
		}
		o2, e2, err := decodeOutcome(appendOutcome(nil, orderID, extra))
		require.NoError(t, err)
		require.Equal(t, orderID, o2)
		require.Equal(t, extra, e2)
	})
}
