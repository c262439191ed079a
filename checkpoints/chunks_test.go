package checkpoints

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// chunkSpans cuts at a change of batch, a gap in Seq and every chunkRows
// rows.
func TestChunkSpans(t *testing.T) {
	var rows []Row
	for seq := 1; seq <= 250; seq++ {
		rows = append(rows, Row{Seq: seq, Batch: 1})
	}
	rows = append(rows, Row{Seq: 251, Batch: 0}, Row{Seq: 252, Batch: 2}, Row{Seq: 253, Batch: 3}, Row{Seq: 254, Batch: 2}, Row{Seq: 256, Batch: 2})
	assert.Equal(t, [][2]int{{0, 100}, {100, 200}, {200, 250}, {250, 251}, {251, 252}, {252, 253}, {253, 254}, {254, 255}}, chunkSpans(rows))
	assert.Empty(t, chunkSpans(nil))
}

// Rows of interleaved batches (a grouped job) and of no batch read back
// in Seq order, each batch's own rows by BatchRows, and outcomes given to
// part of a chunk leave the others' alone.
func TestChunksInterleavedBatches(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	var rows []Row
	for seq := 1; seq <= 30; seq++ {
		r := Row{Seq: seq, Line: seq + 1, Key: "k" + strconv.Itoa(seq), Values: []string{strconv.Itoa(seq)}, Batch: int64(2 - seq%2)}
		if seq%7 == 0 {
			r.Key, r.Batch, r.Outcome = "", 0, Outcome{Status: record.StatusInvalid, Code: "invalid", Message: "bad " + strconv.Itoa(seq)}
		}
		rows = append(rows, r)
	}
	require.NoError(t, s.AppendPlan(ctx, rows, []Batch{{ID: 1, State: record.BatchPlanned}, {ID: 2, State: record.BatchPlanned}}))
	requireChunksConsistent(t, s)
	b2, err := s.BatchRows(ctx, 2)
	require.NoError(t, err)
	for _, r := range b2 {
		assert.Equal(t, int64(2), r.Batch)
		assert.Equal(t, 0, r.Seq%2)
	}
	require.NoError(t, s.Finish(ctx, Batch{ID: 2, State: record.BatchDone}, []RowOutcome{
		{Seq: 2, Outcome: Outcome{Status: record.StatusOK}}, {Seq: 4, Outcome: Outcome{Status: record.StatusFailed, Code: "x", Message: "no"}},
	}))
	requireChunksConsistent(t, s)
	got := map[int]string{}
	n := 0
	for r, err := range s.Rows(ctx) {
		require.NoError(t, err)
		n++
		assert.Equal(t, n, r.Seq)
		got[r.Seq] = r.Status
	}
	assert.Equal(t, 30, n)
	assert.Equal(t, record.StatusOK, got[2])
	assert.Equal(t, record.StatusFailed, got[4])
	assert.Equal(t, "", got[6])
	assert.Equal(t, record.StatusInvalid, got[7])
	prefix, err := s.FinalPrefix(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, 0, prefix)
	byStatus, _, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 24, record.StatusOK: 1, record.StatusFailed: 1, record.StatusInvalid: 4}, byStatus)
	reasons, err := s.Reasons(ctx, 2, 1, record.StatusInvalid)
	require.NoError(t, err)
	assert.Equal(t, []Reason{{Status: record.StatusInvalid, Code: "invalid", Message: "bad 7", Rows: 1, Examples: []Example{{Line: 8}}},
		{Status: record.StatusInvalid, Code: "invalid", Message: "bad 14", Rows: 1, Examples: []Example{{Line: 15}}}}, reasons)
}

// A row's shared outcome is its own: changing one row's Extra read back
// does not change another's.
func TestChunkRowsOwnTheirExtra(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 3, 3)
	o := Outcome{Status: record.StatusOK, Extra: map[string]string{"tns": "1"}}
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchDone}, []RowOutcome{{Seq: 1, Outcome: o}, {Seq: 2, Outcome: o}, {Seq: 3, Outcome: o}}))
	rows, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	rows[0].Extra["tns"] = "changed"
	assert.Equal(t, "1", rows[1].Extra["tns"])
}

// Reasons past maxReasonGroups distinct groups counts them in parts: the
// same answer, exactly.
func TestReasonsInParts(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 300, 100)
	var outs []RowOutcome
	for seq := 1; seq <= 300; seq++ {
		msg := "refused " + strconv.Itoa(seq)
		if seq%3 == 0 {
			msg = "common"
		}
		outs = append(outs, RowOutcome{Seq: seq, Outcome: Outcome{Status: record.StatusFailed, Code: "x", Message: msg}})
	}
	require.NoError(t, s.UpdateRows(ctx, outs))
	want, err := s.Reasons(ctx, 3, 2, record.StatusFailed)
	require.NoError(t, err)
	require.Len(t, want, 3)
	assert.Equal(t, Reason{Status: record.StatusFailed, Code: "x", Message: "common", Rows: 100, Examples: []Example{{Line: 4, Key: "tn-3"}, {Line: 7, Key: "tn-6"}}}, want[0])
	assert.Equal(t, "refused 1", want[1].Message)
	saved := maxReasonGroups
	maxReasonGroups = 10
	t.Cleanup(func() { maxReasonGroups = saved })
	got, err := s.Reasons(ctx, 3, 2, record.StatusFailed)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// The keys table answers for recorded keys with the first row's line (a
// key recorded twice keeps its first), and a key the Bloom filter let
// through that no row holds is not seen.
func TestKeysTable(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.AppendPlan(ctx, []Row{{Seq: 1, Line: 2, Key: "a", Batch: 1}, {Seq: 2, Line: 3, Key: "a", Batch: 1}, {Seq: 3, Line: 4, Key: "b", Batch: 1}}, nil))
	k, err := s.NewKeys(ctx)
	require.NoError(t, err)
	line, seen, err := k.Seen("a")
	require.NoError(t, err)
	assert.True(t, seen)
	assert.Equal(t, 2, line)
	k.seen.add("c") // as a false positive of the filter would
	_, seen, err = k.Seen("c")
	require.NoError(t, err)
	assert.False(t, seen)
	for i := 4; i <= 1000; i++ {
		require.NoError(t, s.AppendPlan(ctx, []Row{{Seq: i, Line: i + 1, Key: fmt.Sprint("k", i), Batch: 2}}, nil))
	}
	k, err = s.NewKeys(ctx)
	require.NoError(t, err)
	line, seen, err = k.Seen("k999")
	require.NoError(t, err)
	assert.True(t, seen)
	assert.Equal(t, 1000, line)
}

// FuzzDecodeChunk: a damaged chunk (data or outcomes) is an error, never a
// panic.
func FuzzDecodeChunk(f *testing.F) {
	rows := []Row{{Seq: 1, Line: 2, Key: "a", Values: []string{"a"}, Batch: 1}, {Seq: 2, Line: 3, Key: "b", Batch: 1,
		Outcome: Outcome{Status: record.StatusOK, Extra: map[string]string{"x": "y"}}}}
	var data []byte
	data = append(data, chunkDataV1, 2)
	for i := range rows {
		one := appendRowData(nil, &rows[i])
		data = append(append(data, byte(len(one))), one...)
	}
	outs, _ := appendRowOutcomes(nil, rows)
	f.Add(data, outs, 2)
	f.Add([]byte{chunkDataV1, 0}, []byte{chunkOutcomesV1}, 1)
	f.Add([]byte{}, []byte{}, 0)
	f.Fuzz(func(t *testing.T, data, outs []byte, n int) {
		c := chunk{first: 1, last: n, data: data, outcomes: outs}
		_ = c.rows(true, func(Row) bool { return true })
		_ = c.statusRuns(func(string, int, int) {})
		if n > 0 && n < 1000 {
			_, _ = decodeRuns(outs, n)
		}
	})
}
