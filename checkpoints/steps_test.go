package checkpoints

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// A step's intent puts its batch in state sent; its answer and the rows it
// decides are committed together; a resend keeps the first sent time.
func TestStepLifecycle(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 10, 10) // batch 1, rows 1..10

	st := Step{Batch: 1, Index: 0, Name: "activate G1", Op: "portInOrderActivate", CustomerOrderReference: "ref-s0", RequestHash: "h0"}
	require.NoError(t, s.MarkStepSent(ctx, st))
	b, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchSent, b.State, "a step's intent makes its batch sent")
	steps, err := s.Steps(ctx, 1)
	require.NoError(t, err)
	require.Len(t, steps, 1)
	assert.Equal(t, record.BatchSent, steps[0].State)
	assert.Equal(t, "ref-s0", steps[0].CustomerOrderReference)
	assert.Equal(t, "h0", steps[0].RequestHash)
	assert.Equal(t, 1, steps[0].Attempts)
	first := steps[0].SentAt
	require.False(t, first.IsZero())

	require.NoError(t, s.MarkStep(ctx, 1, 0, record.BatchInDoubt, "answer lost"))
	require.NoError(t, s.MarkStepSent(ctx, st)) // sent again after a reconciliation
	steps, err = s.Steps(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, 2, steps[0].Attempts)
	assert.Equal(t, first, steps[0].SentAt, "the first send is kept")
	assert.Empty(t, steps[0].Error)

	st = steps[0]
	st.State, st.Answer = record.BatchDone, json.RawMessage(`{"status":"Success"}`)
	out := []RowOutcome{{Seq: 1, Outcome: record.Outcome{Status: record.StatusOK}}, {Seq: 2, Outcome: record.Outcome{Status: record.StatusPending}}}
	require.NoError(t, s.FinishStep(ctx, st, out))
	steps, err = s.Steps(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchDone, steps[0].State)
	assert.JSONEq(t, `{"status":"Success"}`, string(steps[0].Answer))
	assert.False(t, steps[0].DoneAt.IsZero())
	rows, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.StatusOK, rows[0].Status)
	assert.Equal(t, record.StatusPending, rows[1].Status)
	assert.Empty(t, rows[2].Status, "rows the step does not decide stay undecided")

	// An idempotent step has no intent: its answer inserts it.
	require.NoError(t, s.FinishStep(ctx, Step{Batch: 1, Index: 1, Name: "detail", Op: "orderDetail", State: record.BatchDone, Answer: json.RawMessage(`[]`)}, nil))
	steps, err = s.Steps(ctx, 1)
	require.NoError(t, err)
	require.Len(t, steps, 2)
	assert.Equal(t, "detail", steps[1].Name)

	// Nothing half-written: an unknown row fails the whole step.
	bad := Step{Batch: 1, Index: 2, Name: "x", Op: "tnForward", State: record.BatchDone, Answer: json.RawMessage(`{}`)}
	require.ErrorIs(t, s.FinishStep(ctx, bad, []RowOutcome{{Seq: 999, Outcome: record.Outcome{Status: record.StatusOK}}}), ErrNotFound)
	steps, err = s.Steps(ctx, 1)
	require.NoError(t, err)
	assert.Len(t, steps, 2, "the step of a failed transaction is not recorded")
	require.ErrorIs(t, s.FinishStep(ctx, Step{Batch: 1, Index: 3, State: record.BatchDone, Answer: json.RawMessage(`{`)}, nil), ErrInvalid)
	require.ErrorIs(t, s.MarkStep(ctx, 1, 7, record.BatchInDoubt, ""), ErrNotFound)
	require.ErrorIs(t, s.MarkStepSent(ctx, Step{Batch: 99}), ErrNotFound)
}

// A version 3 checkpoint (before steps) opens and gains the steps table.
func TestMigrateSchema3(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	_, err := s.w.ExecContext(ctx, "DROP TABLE steps")
	require.NoError(t, err)
	_, err = s.w.ExecContext(ctx, "UPDATE schema_version SET version = 3")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s2, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s2.Close() })
	var v int
	require.NoError(t, s2.r.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v))
	assert.Equal(t, SchemaVersion, v)
	steps, err := s2.Steps(ctx, 1)
	require.NoError(t, err)
	assert.Empty(t, steps)
}

// --retry-failed reopens failed rows of whole batches only: a stepped
// batch's failed rows stay failed (its steps are decided).
func TestReopenFailedLeavesSteppedBatches(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 20, 10) // batches 1 (rows 1..10) and 2 (rows 11..20)
	failed := record.Outcome{Status: record.StatusFailed, Code: "410", Message: "refused"}
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchFailed}, []RowOutcome{{Seq: 1, Outcome: failed}}))
	require.NoError(t, s.FinishStep(ctx, Step{Batch: 2, Index: 0, Name: "activate G", Op: "portInOrderActivate", State: record.BatchFailed, Code: "410"},
		[]RowOutcome{{Seq: 11, Outcome: failed}}))
	require.NoError(t, s.Finish(ctx, Batch{ID: 2, State: record.BatchDone}, nil))
	n, err := s.ReopenFailed(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	rows, err := s.BatchRows(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, record.StatusFailed, rows[0].Status)
	b2, err := s.Batch(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, record.BatchDone, b2.State)
	b1, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchInDoubt, b1.State)
}
