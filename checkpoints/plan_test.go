package checkpoints

import (
	"context"
	"fmt"
	"testing"

	"github.com/iqbulk/iqbulk/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	p, err := s.NewPlan(ctx)
	require.NoError(t, err)
	in := []Row{
		{Seq: 1, Line: 2, Key: "6123453624", Values: []string{"612-345-3624", "TG1"},
			Fields: map[string]string{"tn": "6123453624"}, Batch: 1},
		{Seq: 2, Line: 3, Key: "", Values: []string{"12", "TG1"},
			Outcome: Outcome{Status: record.StatusInvalid, Code: "invalid_tn", Message: "not a 10-digit number"}},
		{Seq: 3, Line: 5, Key: "6123453625", Values: []string{"6123453625", ""}, Batch: 1},
	}
	for _, r := range in {
		require.NoError(t, p.AddRow(r))
	}
	require.NoError(t, p.AddBatch(Batch{ID: 1, GroupKey: "TG1", CustomerOrderReference: "run-1", Rows: 2}))
	require.NoError(t, p.Commit())

	var got []Row
	for r, err := range s.Rows(ctx) {
		require.NoError(t, err)
		got = append(got, r)
	}
	assert.Equal(t, in, got)

	b, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, Batch{ID: 1, GroupKey: "TG1", State: record.BatchPlanned, CustomerOrderReference: "run-1", Rows: 2}, b)
	br, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, []Row{in[0], in[2]}, br)
}

func TestSeenKey(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	// An earlier plan: its keys are seen too.
	plan(t, s, 3, 100)

	p, err := s.NewPlan(ctx)
	require.NoError(t, err)
	defer p.Rollback()
	// Enough rows to cross an intermediate commit.
	const n = planCommitEvery + 1200
	for seq := 4; seq <= n; seq++ {
		key := fmt.Sprintf("k-%d", seq%1000) // every key repeats
		first, seen, err := p.SeenKey(key)
		require.NoError(t, err)
		if seq < 1004 {
			require.False(t, seen, "seq %d", seq)
		} else {
			require.True(t, seen, "seq %d", seq)
			want := seq % 1000
			if want < 4 {
				want += 1000
			}
			require.Equal(t, want, first, "first row with %s", key)
		}
		r := Row{Seq: seq, Line: seq + 1, Key: key}
		if seen {
			r.Key, r.Status, r.Message = "", record.StatusSkipped, fmt.Sprintf("duplicate of row %d", first)
		}
		require.NoError(t, p.AddRow(r))
	}
	tests := []struct {
		key  string
		seq  int
		seen bool
	}{
		{"tn-1", 1, true},
		{"tn-3", 3, true},
		{"k-5", 5, true},
		{"k-0", 1000, true},
		{"nope", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		seq, seen, err := p.SeenKey(tt.key)
		require.NoError(t, err)
		assert.Equal(t, tt.seen, seen, tt.key)
		assert.Equal(t, tt.seq, seq, tt.key)
	}
	require.NoError(t, p.Commit())
}

func TestPlanValidation(t *testing.T) {
	s, _ := openTemp(t)
	plan(t, s, 5, 100)
	p, err := s.NewPlan(t.Context())
	require.NoError(t, err)
	defer p.Rollback()
	tests := []struct {
		name string
		err  error
	}{
		{"seq zero", p.AddRow(Row{Seq: 0})},
		{"seq from an earlier plan", p.AddRow(Row{Seq: 5})},
		{"unknown status", p.AddRow(Row{Seq: 6, Outcome: Outcome{Status: "weird"}})},
		{"batch id zero", p.AddBatch(Batch{ID: 0})},
		{"batch from an earlier plan", p.AddBatch(Batch{ID: 1})},
		{"batch bad state", p.AddBatch(Batch{ID: 9, State: "queued"})},
	}
	for _, tt := range tests {
		assert.ErrorIs(t, tt.err, ErrInvalid, tt.name)
	}
	require.NoError(t, p.AddRow(Row{Seq: 6}))
	require.Error(t, p.AddRow(Row{Seq: 6}), "duplicate seq")
}

func TestPlanRollbackRemovesEverythingItAdded(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 10, 5) // kept

	p, err := s.NewPlan(ctx)
	require.NoError(t, err)
	for seq := 11; seq <= 10+planCommitEvery+10; seq++ { // crosses an intermediate commit
		require.NoError(t, p.AddRow(Row{Seq: seq, Key: fmt.Sprint(seq), Batch: 3}))
	}
	require.NoError(t, p.AddBatch(Batch{ID: 3}))
	require.NoError(t, p.Rollback())
	require.NoError(t, p.Rollback(), "second rollback is a no-op")
	require.ErrorIs(t, p.AddRow(Row{Seq: 99999}), ErrInvalid, "closed plan")
	require.ErrorIs(t, p.Commit(), ErrInvalid, "closed plan")

	byStatus, byState, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 10}, byStatus)
	assert.Equal(t, map[string]int{record.BatchPlanned: 2}, byState)
}

func TestPlanRollbackAfterCancel(t *testing.T) {
	s, _ := openTemp(t)
	ctx, cancel := context.WithCancel(t.Context())
	p, err := s.NewPlan(ctx)
	require.NoError(t, err)
	for seq := 1; seq <= planCommitEvery+3; seq++ {
		require.NoError(t, p.AddRow(Row{Seq: seq}))
	}
	cancel()
	require.Error(t, p.AddRow(Row{Seq: planCommitEvery + 4}))
	require.NoError(t, p.Rollback())
	byStatus, _, err := s.Counts(t.Context())
	require.NoError(t, err)
	assert.Empty(t, byStatus)
	// The writer connection is free again.
	require.NoError(t, s.CreateRun(t.Context(), sampleRun()))
}

func TestDiscardPlan(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 20, 10)
	require.NoError(t, s.DiscardPlan(ctx))
	byStatus, byState, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Empty(t, byStatus)
	assert.Empty(t, byState)
	plan(t, s, 5, 10) // planning again works
	bs, err := s.Batches(ctx)
	require.NoError(t, err)
	assert.Len(t, bs, 1)
}

func TestReadsDuringPlan(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.CreateRun(ctx, sampleRun()))
	p, err := s.NewPlan(ctx)
	require.NoError(t, err)
	require.NoError(t, p.AddRow(Row{Seq: 1}))
	// Reads use their own connections: they neither block nor see the
	// uncommitted row.
	_, err = s.Run(ctx)
	require.NoError(t, err)
	byStatus, _, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Empty(t, byStatus)
	require.NoError(t, p.Commit())
	byStatus, _, err = s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 1}, byStatus)
}

// TestSeenKeyManyKeys: the Bloom filter answers most lookups; duplicates
// are found wherever they stand (in the unflushed buffer, flushed, after a
// commit every planCommitEvery rows).
func TestSeenKeyManyKeys(t *testing.T) {
	s, _ := openTemp(t)
	p, err := s.NewPlan(t.Context())
	require.NoError(t, err)
	const n = 12_000
	for seq := 1; seq <= n; seq++ {
		key := fmt.Sprintf("31255%05d", seq)
		_, seen, err := p.SeenKey(key)
		require.NoError(t, err)
		require.False(t, seen, "%s not added yet", key)
		require.NoError(t, p.AddRow(Row{Seq: seq, Key: key}))
		for _, back := range []int{1, 7, 150, 6000} {
			if seq > back {
				first, seen, err := p.SeenKey(fmt.Sprintf("31255%05d", seq-back))
				require.NoError(t, err)
				require.True(t, seen)
				require.Equal(t, seq-back, first)
			}
		}
	}
	require.NoError(t, p.Commit())
	byStatus, _, err := s.Counts(t.Context())
	require.NoError(t, err)
	assert.Equal(t, n, byStatus[""])
}
