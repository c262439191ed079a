package checkpoints

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSnapshotsKeepTheFirst(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{
		{Seq: 1, Batch: 1, Key: "3125550001", Found: true, Values: map[string]string{"note": "before"}},
		{Seq: 2, Batch: 1, Key: "3125550002", Found: false},
	}))
	// A resend after a crash would read the run's own change: ignored.
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{
		{Seq: 1, Batch: 1, Key: "3125550001", Found: true, Values: map[string]string{"note": "the run's"}},
		{Seq: 3, Batch: 2, Key: "3125550003", Found: true, Values: map[string]string{}},
	}))
	have, err := s.SnapshotSeqs(ctx, []int{1, 2, 3, 4})
	require.NoError(t, err)
	assert.Equal(t, map[int]bool{1: true, 2: true, 3: true}, have)

	var got []Snapshot
	for sn, err := range s.Snapshots(ctx) {
		require.NoError(t, err)
		got = append(got, sn)
	}
	require.Len(t, got, 3)
	tests := []struct {
		seq   int
		found bool
		vals  map[string]string
	}{
		{1, true, map[string]string{"note": "before"}},
		{2, false, nil},
		{3, true, nil},
	}
	for i, tt := range tests {
		assert.Equal(t, tt.seq, got[i].Seq)
		assert.Equal(t, tt.found, got[i].Found)
		assert.Equal(t, tt.vals, got[i].Values)
		assert.False(t, got[i].TakenAt.IsZero())
	}
	require.ErrorIs(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 0}}), ErrInvalid)
}
