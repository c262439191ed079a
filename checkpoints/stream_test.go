package checkpoints

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

func streamRows(from, to int, batch int64) []Row {
	var rows []Row
	for seq := from; seq <= to; seq++ {
		rows = append(rows, Row{Seq: seq, Line: seq + 1, Key: fmt.Sprintf("k%d", seq), Values: []string{"v"}, Batch: batch})
	}
	return rows
}

// TestAppendPlanSteps: a streamed plan's steps append rows and open or
// fill batches; an open batch is updated as it fills, never one past open;
// a step that fails writes nothing; the cursor says where the plan stands.
func TestAppendPlanSteps(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.AppendPlan(ctx, streamRows(1, 5, 1), []Batch{{ID: 1, GroupKey: "g", State: record.BatchOpen, Rows: 5}}))
	open, err := s.Batches(ctx, record.BatchOpen)
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, 5, open[0].Rows)
	planned, err := s.Batches(ctx, record.BatchPlanned)
	require.NoError(t, err)
	assert.Empty(t, planned, "an open batch is never planned (so never sent)")

	require.NoError(t, s.AppendPlan(ctx, streamRows(6, 10, 1), []Batch{{ID: 1, GroupKey: "g", State: record.BatchPlanned, Rows: 10}}))
	b, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchPlanned, b.State)
	assert.Equal(t, 10, b.Rows)
	seq, last, err := s.PlanCursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, 10, seq)
	assert.Equal(t, int64(1), last)

	// Batch 1 is planned now (and then sent): a step may not touch it.
	require.NoError(t, s.MarkSent(ctx, 1, "h"))
	err = s.AppendPlan(ctx, streamRows(11, 12, 2), []Batch{{ID: 1, GroupKey: "g", State: record.BatchOpen, Rows: 12}})
	require.ErrorIs(t, err, ErrInvalid)
	seq, _, err = s.PlanCursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, 10, seq, "the failed step wrote no row")
	b, err = s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchSent, b.State)

	// Rows go after every recorded row, in order.
	require.ErrorIs(t, s.AppendPlan(ctx, streamRows(10, 11, 2), nil), ErrInvalid)
	require.ErrorIs(t, s.AppendPlan(ctx, []Row{{Seq: 12}, {Seq: 11}}, nil), ErrInvalid)
	require.ErrorIs(t, s.AppendPlan(ctx, nil, []Batch{{ID: 3, State: record.BatchSent}}), ErrInvalid)
	// More than one insert statement's worth in one step.
	require.NoError(t, s.AppendPlan(ctx, streamRows(11, 260, 2), []Batch{{ID: 2, GroupKey: "g", State: record.BatchPlanned, Rows: 250}}))
	byStatus, _, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 260}, byStatus)
}

// TestKeysFindDuplicates: the duplicate finder answers from the recorded
// rows (its filter rebuilt when a plan continues) and from held rows, with
// the first row's line.
func TestKeysFindDuplicates(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.AppendPlan(ctx, streamRows(1, 300, 1), nil))
	k, err := s.NewKeys(ctx)
	require.NoError(t, err)
	defer k.Close()
	line, seen, err := k.Seen("k250")
	require.NoError(t, err)
	assert.True(t, seen, "a recorded key, found after a restart")
	assert.Equal(t, 251, line)
	_, seen, err = k.Seen("k301")
	require.NoError(t, err)
	assert.False(t, seen)
	k.Hold("k301", 1000)
	k.Hold("k301", 1001)
	line, seen, err = k.Seen("k301")
	require.NoError(t, err)
	assert.True(t, seen)
	assert.Equal(t, 1000, line, "the first held row")
	_, seen, _ = k.Seen("")
	assert.False(t, seen, "the empty key is never seen")
	// k301's step is taken for commit; k302 is held in the next one.
	k.NextStep()
	k.Hold("k302", 1002)
	line, seen, err = k.Seen("k301")
	require.NoError(t, err)
	assert.True(t, seen, "held until its step is recorded")
	assert.Equal(t, 1000, line)
	require.NoError(t, s.AppendPlan(ctx, []Row{{Seq: 301, Line: 1000, Key: "k301", Values: []string{"v"}}}, nil))
	k.Recorded()
	line, seen, err = k.Seen("k301")
	require.NoError(t, err)
	assert.True(t, seen)
	assert.Equal(t, 1000, line, "recorded now")
	line, seen, err = k.Seen("k302")
	require.NoError(t, err)
	assert.True(t, seen, "the next step's keys are still held")
	assert.Equal(t, 1002, line)
}

// TestFinalPrefix: the rows written while a run goes on end before the
// first row not final: undecided, in doubt or pending.
func TestFinalPrefix(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 30, 10)
	at := func(after int) int {
		n, err := s.FinalPrefix(ctx, after)
		require.NoError(t, err)
		return n
	}
	assert.Equal(t, 0, at(0), "nothing decided")
	set := func(from, to int, status string) {
		var outs []RowOutcome
		for seq := from; seq <= to; seq++ {
			outs = append(outs, RowOutcome{Seq: seq, Outcome: Outcome{Status: status}})
		}
		require.NoError(t, s.UpdateRows(ctx, outs))
	}
	set(1, 10, record.StatusOK)
	set(21, 30, record.StatusFailed)
	assert.Equal(t, 10, at(0))
	assert.Equal(t, 10, at(10), "no further")
	set(11, 12, record.StatusExcluded)
	set(13, 13, record.StatusInDoubt)
	assert.Equal(t, 12, at(10), "in doubt is not final")
	set(13, 13, record.StatusPending)
	assert.Equal(t, 12, at(0), "pending is not final")
	set(14, 20, record.StatusSkipped)
	assert.Equal(t, 30, at(13), "past the chunk's first row not final, the rest are")
	assert.Equal(t, 12, at(12))
	set(13, 13, record.StatusSkipped)
	assert.Equal(t, 30, at(12), "every row final")
	assert.Equal(t, 30, at(30))
}
