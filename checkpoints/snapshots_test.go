package checkpoints

import (
	"fmt"
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

// More snapshots than one INSERT statement holds: every one recorded, in
// one write, and a second put keeps the first values (chunk boundaries
// included); a Seq below 1 refuses the whole put.
func TestSnapshotsManyInOneWrite(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	n := 2*snapshotsPerInsert + 37
	put := func(note string) []Snapshot {
		out := make([]Snapshot, n)
		for i := range out {
			out[i] = Snapshot{Seq: i + 1, Batch: int64(i/100 + 1), Key: fmt.Sprintf("312555%04d", i), Found: i%7 != 0, Values: map[string]string{"note": fmt.Sprint(note, i)}}
		}
		return out
	}
	require.NoError(t, s.PutSnapshots(ctx, put("first ")))
	require.NoError(t, s.PutSnapshots(ctx, put("second ")))
	bad := put("bad ")
	bad[n-1].Seq = 0
	require.ErrorIs(t, s.PutSnapshots(ctx, bad), ErrInvalid)
	i := 0
	for sn, err := range s.Snapshots(ctx) {
		require.NoError(t, err)
		require.Equal(t, i+1, sn.Seq)
		assert.Equal(t, fmt.Sprint("first ", i), sn.Values["note"])
		assert.Equal(t, i%7 != 0, sn.Found)
		i++
	}
	assert.Equal(t, n, i)
}
