package checkpoints

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// Reasons: per status in the order given, the largest groups first (ties:
// the group whose first row comes first), at most limit of them, each with
// its first rows as examples; counts per status and undecided rows by
// batch state.
func TestReasonsAndCounts(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 20, 10)
	fail := func(code string) Outcome {
		return Outcome{Status: record.StatusFailed, Code: code, Message: "m " + code}
	}
	outs := []RowOutcome{
		{Seq: 1, Outcome: fail("C")},
		{Seq: 2, Outcome: fail("B")}, {Seq: 5, Outcome: fail("B")}, {Seq: 6, Outcome: fail("B")},
		{Seq: 3, Outcome: fail("A")}, {Seq: 4, Outcome: fail("A")}, {Seq: 7, Outcome: fail("A")},
		{Seq: 8, Outcome: Outcome{Status: record.StatusExcluded, Code: "409", Message: "on an order"}},
		{Seq: 9, Outcome: Outcome{Status: record.StatusExcluded, Code: "409", Message: "on an order"}},
		{Seq: 10, Outcome: Outcome{Status: record.StatusOK}},
	}
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchDone}, outs))
	require.NoError(t, s.MarkSent(ctx, 2, "h"))

	got, err := s.Reasons(ctx, 2, 2, record.StatusExcluded, record.StatusFailed, record.StatusPending)
	require.NoError(t, err)
	ex := func(seqs ...int) []Example {
		var out []Example
		for _, seq := range seqs {
			out = append(out, Example{Line: seq + 1, Key: "tn-" + strconv.Itoa(seq)})
		}
		return out
	}
	assert.Equal(t, []Reason{
		{Status: record.StatusExcluded, Code: "409", Message: "on an order", Rows: 2, Examples: ex(8, 9)},
		{Status: record.StatusFailed, Code: "B", Message: "m B", Rows: 3, Examples: ex(2, 5)},
		{Status: record.StatusFailed, Code: "A", Message: "m A", Rows: 3, Examples: ex(3, 4)},
	}, got)
	all, err := s.Reasons(ctx, -1, 0, record.StatusFailed)
	require.NoError(t, err)
	assert.Len(t, all, 3, "a negative limit is no limit")
	none, err := s.Reasons(ctx, 0, 1, record.StatusFailed)
	require.NoError(t, err)
	assert.Empty(t, none)

	byStatus, byBatch, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 10, record.StatusFailed: 7, record.StatusExcluded: 2, record.StatusOK: 1}, byStatus)
	assert.Equal(t, map[string]int{record.BatchDone: 1, record.BatchSent: 1}, byBatch)
	undecided, err := s.UndecidedByBatchState(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{record.BatchSent: 10}, undecided)

	// A status this build does not know is counted all the same.
	rows, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	rows[9].Status = "future"
	blob, _ := appendRowOutcomes(nil, rows)
	_, err = s.w.ExecContext(ctx, "UPDATE chunks SET outcomes = ? WHERE first_seq = 1", blob)
	require.NoError(t, err)
	byStatus, _, err = s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 10, record.StatusFailed: 7, record.StatusExcluded: 2, "future": 1}, byStatus)
}
