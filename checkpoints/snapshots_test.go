package checkpoints

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

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
	for batch, want := range map[int64]map[int]bool{1: {1: true, 2: true}, 2: {3: true}, 3: {}} {
		have, err := s.SnapshotSeqs(ctx, batch)
		require.NoError(t, err)
		assert.Equal(t, want, have, "batch %d", batch)
	}

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

// The snapshots of several batches in one put: a set per batch, in one
// write, and a second put keeps the first values and writes nothing; a
// Seq below 1 refuses the whole put.
func TestSnapshotsManyInOneWrite(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	n := 2*snapshotsPerSet + 37
	put := func(note string) []Snapshot {
		out := make([]Snapshot, n)
		for i := range out {
			out[i] = Snapshot{Seq: i + 1, Batch: int64(i/100 + 1), Key: fmt.Sprintf("312555%04d", i), Found: i%7 != 0, Values: map[string]string{"note": fmt.Sprint(note, i)}}
		}
		return out
	}
	commits, _ := s.Commits()
	require.NoError(t, s.PutSnapshots(ctx, put("first ")))
	after, _ := s.Commits()
	assert.Equal(t, commits+1, after, "one write")
	assert.Equal(t, 3, countSets(t, s), "a set per batch")
	require.NoError(t, s.PutSnapshots(ctx, put("second ")))
	assert.Equal(t, 3, countSets(t, s), "nothing left to write")
	bad := put("bad ")
	bad[n-1].Seq = 0
	bad[0].Seq = n + 1
	require.ErrorIs(t, s.PutSnapshots(ctx, bad), ErrInvalid)
	assert.Equal(t, 3, countSets(t, s), "nothing written")
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

func countSets(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	require.NoError(t, s.r.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM snapshot_sets").Scan(&n))
	return n
}

func allSnapshots(t *testing.T, s *Store) []Snapshot {
	t.Helper()
	var got []Snapshot
	for sn, err := range s.Snapshots(t.Context()) {
		require.NoError(t, err)
		got = append(got, sn)
	}
	return got
}

func seqsOf(snaps []Snapshot) []int {
	out := make([]int, len(snaps))
	for i, sn := range snaps {
		out[i] = sn.Seq
	}
	return out
}

// Sets whose Seq ranges overlap are merged into Seq order: two batches of
// a grouped job whose rows interleave, a batch with two sets (a put of
// some of its rows, then of all of them: the second set holds the others
// only), whatever the page of sets read at a time. Each row keeps its
// first snapshot, and its batch.
func TestSnapshotsOverlappingSets(t *testing.T) {
	snap := func(seq int, batch int64, note string) Snapshot {
		return Snapshot{Seq: seq, Batch: batch, Key: fmt.Sprintf("312555%04d", seq), Found: true, Values: map[string]string{"note": note}}
	}
	var odd, even, third, again []Snapshot
	for seq := 1; seq <= 20; seq++ {
		if seq%2 == 1 {
			odd = append(odd, snap(seq, 1, "first"))
		} else {
			even = append(even, snap(seq, 2, "first"))
		}
	}
	for seq := 21; seq <= 30; seq++ {
		if seq%3 == 0 {
			third = append(third, snap(seq, 3, "first"))
		}
		again = append(again, snap(seq, 3, "second"))
	}
	for _, pageSize := range []int{defaultPageSize, snapshotsPerSet, 2 * snapshotsPerSet, 1} {
		t.Run(fmt.Sprint("page ", pageSize), func(t *testing.T) {
			s, _ := openTemp(t)
			s.pageSize = pageSize
			ctx := t.Context()
			require.NoError(t, s.PutSnapshots(ctx, even)) // written first, later rows
			require.NoError(t, s.PutSnapshots(ctx, odd))
			require.NoError(t, s.PutSnapshots(ctx, third))
			require.NoError(t, s.PutSnapshots(ctx, again))
			require.NoError(t, s.PutSnapshots(ctx, again)) // nothing left
			assert.Equal(t, 4, countSets(t, s))

			got := allSnapshots(t, s)
			want := make([]int, 30)
			for i := range want {
				want[i] = i + 1
			}
			require.Equal(t, want, seqsOf(got))
			for _, sn := range got {
				note := "first"
				if sn.Seq > 20 && sn.Seq%3 != 0 {
					note = "second"
				}
				assert.Equal(t, note, sn.Values["note"], "seq %d", sn.Seq)
				batch := int64(3)
				if sn.Seq <= 20 {
					batch = int64(2 - sn.Seq%2)
				}
				assert.Equal(t, batch, sn.Batch, "seq %d", sn.Seq)
			}
			have, err := s.SnapshotSeqs(ctx, 3)
			require.NoError(t, err)
			assert.Len(t, have, 10)

			// A consumer that stops early stops the stream.
			n := 0
			for _, err := range s.Snapshots(ctx) {
				require.NoError(t, err)
				if n++; n == 7 {
					break
				}
			}
			assert.Equal(t, 7, n)
		})
	}
}

// Snapshots of one call in any order and of several batches: a set per
// batch, in Seq order; of two snapshots of a row, the first is kept. Should
// two batches' sets hold one row (a caller that moved a row), the row is
// yielded once, from the set written first.
func TestSnapshotsUnorderedPut(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{
		{Seq: 5, Batch: 2, Key: "e"},
		{Seq: 2, Batch: 1, Key: "b", Found: true},
		{Seq: 4, Batch: 2, Key: "d"},
		{Seq: 2, Batch: 1, Key: "b again"},
		{Seq: 1, Batch: 1, Key: "a"},
	}))
	assert.Equal(t, 2, countSets(t, s))
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 4, Batch: 3, Key: "d moved"}, {Seq: 6, Batch: 3, Key: "f"}}))
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 9, Batch: 4, Key: "i"}, {Seq: 7, Batch: 4, Key: "g"},
		{Seq: 9, Batch: 4, Key: "i again"}, {Seq: 8, Batch: 4, Key: "h"}}))
	got := allSnapshots(t, s)
	require.Equal(t, []int{1, 2, 4, 5, 6, 7, 8, 9}, seqsOf(got))
	assert.Equal(t, "b", got[1].Key)
	assert.True(t, got[1].Found)
	assert.Equal(t, "d", got[2].Key)
	assert.Equal(t, int64(2), got[2].Batch)
	assert.Equal(t, "i", got[7].Key)
}

// A snapshot's own TakenAt is kept; one without gets the time of its put.
func TestSnapshotsTakenAt(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	at := time.Date(2026, 12, 1, 10, 0, 0, 123456789, time.UTC)
	before := time.Now()
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{
		{Seq: 1, Batch: 1, Key: "a", TakenAt: at},
		{Seq: 2, Batch: 1, Key: "b"},
		{Seq: 3, Batch: 1, Key: "c", TakenAt: at.Add(time.Nanosecond).In(time.FixedZone("x", 3600))},
	}))
	got := allSnapshots(t, s)
	require.Len(t, got, 3)
	assert.Equal(t, at, got[0].TakenAt)
	assert.False(t, got[1].TakenAt.Before(before.Truncate(time.Microsecond)), got[1].TakenAt)
	assert.True(t, got[2].TakenAt.Equal(at.Add(time.Nanosecond)), got[2].TakenAt)
}

// TestSnapshotSetRoundTrip: a set's snapshots come back as they went in
// (no values are nil), with the set's batch and time.
func TestSnapshotSetRoundTrip(t *testing.T) {
	taken := time.Date(2026, 12, 2, 14, 0, 0, 1, time.UTC)
	own := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	in := []Snapshot{
		{Seq: 1, Key: "3125550001", Found: true, Values: map[string]string{"note": "before", "": "\x00", "b": ""}},
		{Seq: 2, Key: "", TakenAt: own},
		{Seq: 1 << 40, Key: "caf\xe9", Found: true, Values: map[string]string{strings.Repeat("k", 200): strings.Repeat("v", 70000)}, TakenAt: taken},
	}
	b := appendSnapshotSet(nil, in, fmtTime(taken))
	got, err := decodeSnapshotSet(b, 7, taken)
	require.NoError(t, err)
	want := slices.Clone(in)
	for i := range want {
		want[i].Batch = 7
		if want[i].TakenAt.IsZero() {
			want[i].TakenAt = taken
		}
	}
	assert.Equal(t, want, got)
}

// TestCorruptSnapshotSets: a damaged set is an error (errCorrupt), for the
// reads and the puts that meet it too.
func TestCorruptSnapshotSets(t *testing.T) {
	good := appendSnapshotSet(nil, []Snapshot{{Seq: 3, Key: "k", Values: map[string]string{"a": "b"}}}, "")
	for name, b := range map[string][]byte{
		"empty":          {},
		"format":         append([]byte{2}, good[1:]...),
		"no snapshots":   {snapSetV1, 0},
		"cut":            good[:len(good)-1],
		"trailing":       append(slices.Clone(good), 0),
		"zero seq":       {snapSetV1, 1, 0, 0, 0, 0},
		"same seq":       {snapSetV1, 2, 1, 0, 0, 0, 0, 0, 0, 0},
		"flags":          {snapSetV1, 1, 1, 4, 0, 0},
		"odd values":     {snapSetV1, 1, 1, 0, 0, 1, 0},
		"huge count":     {snapSetV1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 0, 0, 0},
		"huge key":       {snapSetV1, 1, 1, 0, 0x7f},
		"seq overflow":   {snapSetV1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 1, 0, 0, 0},
		"varint overrun": {snapSetV1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"empty time":     {snapSetV1, 1, 1, snapTaken, 0, 0, 0},
		"bad time":       append([]byte{snapSetV1, 1, 1, snapTaken, 0, 3}, "now"...),
		"loose time":     append(append([]byte{snapSetV1, 1, 1, snapTaken, 0, 20}, "2026-12-02T14:00:00Z"...), 0),
	} {
		_, err := decodeSnapshotSet(b, 1, time.Time{})
		assert.ErrorIs(t, err, errCorrupt, name)
	}

	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 1, Batch: 1, Key: "a"}, {Seq: 2, Batch: 1, Key: "b"}}))
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 3, Batch: 2, Key: "c"}}))
	for name, update := range map[string]string{
		"data":      "UPDATE snapshot_sets SET data = x'01ff' WHERE batch = 1",
		"first_seq": "UPDATE snapshot_sets SET first_seq = 0 WHERE batch = 1",
		"last_seq":  "UPDATE snapshot_sets SET last_seq = 3 WHERE batch = 1",
	} {
		t.Run(name, func(t *testing.T) {
			tx, err := s.w.BeginTx(ctx, nil)
			require.NoError(t, err)
			defer func() { require.NoError(t, tx.Rollback()) }()
			_, err = tx.ExecContext(ctx, update)
			require.NoError(t, err)
			_, err = setSeqs(ctx, tx, 1, 1, 2)
			require.ErrorIs(t, err, errCorrupt)
			var set snapSet
			require.NoError(t, tx.QueryRowContext(ctx, "SELECT id, batch, first_seq, last_seq, taken_at, data FROM snapshot_sets WHERE batch = 1").
				Scan(&set.id, &set.batch, &set.first, &set.last, &set.taken, &set.data))
			_, err = set.decode()
			require.ErrorIs(t, err, errCorrupt)
		})
	}
	_, err := s.w.ExecContext(ctx, "UPDATE snapshot_sets SET data = x'01ff' WHERE batch = 1")
	require.NoError(t, err)
	_, err = s.SnapshotSeqs(ctx, 1)
	require.ErrorIs(t, err, errCorrupt)
	have, err := s.SnapshotSeqs(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, map[int]bool{3: true}, have)
	require.ErrorIs(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 2, Batch: 1, Key: "b"}}), errCorrupt)
	n := 0
	for _, err := range s.Snapshots(ctx) {
		require.ErrorIs(t, err, errCorrupt)
		n++
	}
	assert.Equal(t, 1, n, "the error ends the stream")
}

// FuzzDecodeSnapshotSet: a damaged set is an error, never a panic; what
// decodes encodes back to what decodes the same.
func FuzzDecodeSnapshotSet(f *testing.F) {
	taken := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)
	f.Add(appendSnapshotSet(nil, []Snapshot{
		{Seq: 1, Key: "3125550001", Found: true, Values: map[string]string{"note": "before"}},
		{Seq: 2, Key: "3125550002", TakenAt: taken.Add(time.Second)},
		{Seq: 100, Key: "3125550100", Found: true, Values: map[string]string{"a": "", "b": "c"}},
	}, fmtTime(taken)))
	f.Add([]byte{snapSetV1, 1, 1, 0, 0, 0})
	f.Add([]byte{snapSetV1, 0xff, 0xff, 0xff})
	f.Add(append([]byte{snapSetV1, 1, 1, snapTaken, 0, 30}, "2026-12-02T14:00:00.000000000Z"...))
	f.Fuzz(func(t *testing.T, b []byte) {
		snaps, err := decodeSnapshotSet(b, 4, taken)
		if err != nil {
			return
		}
		require.NotEmpty(t, snaps)
		for i := 1; i < len(snaps); i++ {
			require.Greater(t, snaps[i].Seq, snaps[i-1].Seq)
		}
		again, err := decodeSnapshotSet(appendSnapshotSet(nil, snaps, fmtTime(taken)), 4, taken)
		require.NoError(t, err)
		require.Equal(t, snaps, again)
	})
}
