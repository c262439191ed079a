package checkpoints

import (
	"context"
	"path/filepath"
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
