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

	"github.com/iqbulk/iqbulk/record"
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
		require.NoError(t, s.AppendPlan(ctx, []Row{in}, []Batch{{ID: int64(seq), State: record.BatchPlanned, Rows: 1}}))
		if key != "" {
			k, err := s.NewKeys(ctx)
			require.NoError(t, err)
			first, seen, err := k.Seen(key)
			require.NoError(t, err)
			require.True(t, seen)
			require.LessOrEqual(t, first, seq)
		}
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
	require.NoError(t, s.AppendPlan(t.Context(), []Row{{Seq: 1, Batch: 1, Values: []string{"caf\xe9"}}}, []Batch{{ID: 1, State: record.BatchPlanned, Rows: 1}}))
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

// TestRowDataRoundTrip: a row's Seq, batch, key, line, cells and fields
// come back from column data as they went in (no fields is nil, no cells
// an empty list); without fields, all but the fields.
func TestRowDataRoundTrip(t *testing.T) {
	for _, tc := range []Row{
		{Seq: 1, Batch: 1, Key: "3125550000", Line: 2, Values: []string{"3125550000", "note 0"}, Fields: map[string]string{"note": "note 0"}},
		{Seq: 7, Line: 7, Values: []string{"a", "", "c"}},
		{Seq: 1 << 30, Batch: 1 << 40, Key: "k", Line: 1 << 30, Values: []string{}, Fields: map[string]string{"": ""}},
		{Seq: 3, Batch: -1, Key: "\x00\xff", Values: []string{"caf\xe9", "\x00", "\u2028"}, Fields: map[string]string{"\xff": "\x00", "b": "", "a": "1"}},
		{Seq: 4, Batch: 2, Line: 3, Values: []string{strings.Repeat("x", 300)}, Fields: map[string]string{strings.Repeat("k", 200): strings.Repeat("v", 70000)}},
	} {
		t.Run(tc.Key, func(t *testing.T) {
			b := appendRowData(nil, &tc)
			var got Row
			require.NoError(t, decodeRow(b, &got, true))
			assert.Equal(t, tc, got)
			got = Row{Fields: map[string]string{"stale": "x"}}
			require.NoError(t, decodeRow(b, &got, false))
			want := tc
			want.Fields = nil
			assert.Equal(t, want, got)
			line, err := decodeLine(b)
			require.NoError(t, err)
			assert.Equal(t, tc.Line, line)
		})
	}
}

// TestOutcomeRoundTrip: an outcome comes back from column outcome; no
// outcome at all is an empty blob.
func TestOutcomeRoundTrip(t *testing.T) {
	assert.Empty(t, appendOutcome(nil, &Outcome{}))
	assert.Empty(t, appendOutcome(nil, &Outcome{Extra: map[string]string{}}))
	for _, tc := range []Outcome{
		{},
		{OrderID: "O-1"},
		{Status: record.StatusOK},
		{Status: record.StatusExcluded, Code: "409", Message: "TN is on an existing order", OrderID: "1085360"},
		{Extra: map[string]string{"routing_label": "L1"}},
		{Status: record.StatusFailed, Message: "caf\xe9", Extra: map[string]string{"b": "", "a": "caf\xe9", "": "\x00"}},
	} {
		b := appendOutcome(nil, &tc)
		got := Outcome{Code: "stale"}
		require.NoError(t, decodeOutcome(b, &got))
		assert.Equal(t, tc, got)
	}
}

// TestCorruptBlobs: damaged blobs are errors (errCorrupt), for the reads
// that meet them too.
func TestCorruptBlobs(t *testing.T) {
	good := appendRowData(nil, &Row{Seq: 1, Batch: 1, Key: "k", Line: 2, Values: []string{"a", "b"}, Fields: map[string]string{"k": "v"}})
	bare := appendRowData(nil, &Row{Seq: 1, Line: 2})
	for name, b := range map[string][]byte{
		"empty":          {},
		"format":         append([]byte{rowDataV1}, good[1:]...),
		"cut":            good[:len(good)-1],
		"trailing":       append(slices.Clone(good), 0),
		"odd fields":     append(slices.Clone(bare), 1, 0),
		"zero fields":    append(slices.Clone(bare), 0),
		"huge count":     {rowDataV2, 2, 2, 0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"huge line":      {rowDataV2, 2, 2, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0},
		"negative seq":   {rowDataV2, 1, 2, 0, 2, 0},
		"huge key":       {rowDataV2, 2, 2, 0x7f},
		"varint overrun": {rowDataV2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	} {
		var r Row
		assert.ErrorIs(t, decodeRow(b, &r, true), errCorrupt, name)
	}
	for name, b := range map[string][]byte{
		"format":   append([]byte{1}, appendOutcome(nil, &Outcome{OrderID: "O-1"})[1:]...),
		"short":    append([]byte{outcomeV7}, appendStrings(nil, []string{"ok", "", ""})...),
		"odd":      append([]byte{outcomeV7}, appendStrings(nil, []string{"ok", "", "", "", "k"})...),
		"cut":      appendOutcome(nil, &Outcome{OrderID: "O-1"})[:3],
		"trailing": append(appendOutcome(nil, &Outcome{OrderID: "O-1"}), 0),
		"count":    {outcomeV7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	} {
		var o Outcome
		assert.ErrorIs(t, decodeOutcome(b, &o), errCorrupt, name)
	}

	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 2, 2)
	_, err := s.w.ExecContext(ctx, "UPDATE chunks SET data = x'0102ff' WHERE first_seq = 1")
	require.NoError(t, err)
	_, err = s.BatchRows(ctx, 1)
	require.ErrorIs(t, err, errCorrupt)
	chunkData := append([]byte{chunkDataV1, 2, byte(len(bare))}, bare...)
	chunkData = append(append(chunkData, byte(len(bare))), bare...)
	_, err = s.w.ExecContext(ctx, "UPDATE chunks SET data = ?, outcomes = x'010500' WHERE first_seq = 1", chunkData)
	require.NoError(t, err)
	for _, err := range s.OutputRows(ctx, 0, 0) {
		require.ErrorIs(t, err, errCorrupt)
		break
	}
}

// FuzzDecodeRowData: a corrupt data blob (this schema's or schema 6's) is
// an error, never a panic; what decodes encodes back to what decodes the
// same.
func FuzzDecodeRowData(f *testing.F) {
	f.Add(appendRowData(nil, &Row{Seq: 1, Batch: 1, Key: "3125550000", Line: 2, Values: []string{"3125550000", "note 0"}, Fields: map[string]string{"note": "note 0"}}))
	f.Add(appendRowData(nil, &Row{}))
	f.Add([]byte{rowDataV2, 0xff, 0xff, 0xff})
	f.Add([]byte{rowDataV1, 2, 1, 0, 2, 1, 'k', 1, 'v'})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _, _ = decodeRowData6(b)
		var r, bare Row
		err := decodeRow(b, &r, true)
		if err2 := decodeRow(b, &bare, false); err == nil {
			require.NoError(t, err2, "what decodes with fields decodes without")
		}
		if _, err2 := decodeLine(b); err == nil {
			require.NoError(t, err2)
		}
		if err != nil {
			return
		}
		var again Row
		require.NoError(t, decodeRow(appendRowData(nil, &r), &again, true))
		require.Equal(t, r, again)
	})
}

// FuzzDecodeOutcome: a corrupt outcome blob (this schema's or schema 6's)
// is an error, never a panic.
func FuzzDecodeOutcome(f *testing.F) {
	f.Add(appendOutcome(nil, &Outcome{Status: record.StatusOK, OrderID: "O-1", Extra: map[string]string{"routing_label": "L1"}}))
	f.Add([]byte{})
	f.Add([]byte{outcomeV7, 4, 0, 0, 0, 0})
	f.Add([]byte{3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _ = decodeOutcome6(b)
		var o Outcome
		if decodeOutcome(b, &o) != nil {
			return
		}
		var again Outcome
		require.NoError(t, decodeOutcome(appendOutcome([]byte{}, &o), &again))
		require.Equal(t, o, again)
	})
}
