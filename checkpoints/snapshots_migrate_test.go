package checkpoints

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// snapshotSchema7 is the snapshots table of schemas 3 to 7: a row per
// number, its values encoded by encodeMap.
const snapshotSchema7 = `
CREATE TABLE IF NOT EXISTS snapshots (
	seq      INTEGER PRIMARY KEY,
	batch    INTEGER NOT NULL,
	key      TEXT NOT NULL,
	found    INTEGER NOT NULL,
	vals     BLOB NOT NULL,
	taken_at TEXT NOT NULL
);
`

// asSchema7 turns a fresh store's snapshots into schema 7's: no
// snapshot_sets, and table snapshots holding snaps (TakenAt as is).
func asSchema7(t *testing.T, s *Store, snaps []Snapshot) {
	t.Helper()
	ctx := t.Context()
	tx, err := s.w.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }()
	_, err = tx.ExecContext(ctx, "DROP TABLE snapshot_sets")
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, snapshotSchema7)
	require.NoError(t, err)
	for _, sn := range snaps {
		_, err := tx.ExecContext(ctx, "INSERT INTO snapshots (seq, batch, key, found, vals, taken_at) VALUES (?, ?, ?, ?, ?, ?)",
			sn.Seq, sn.Batch, sn.Key, sn.Found, encodeMap(sn.Values), fmtTime(sn.TakenAt))
		require.NoError(t, err)
	}
	require.NoError(t, tx.Commit())
}

func migrate8(ctx context.Context, s *Store) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := migrateSnapshots8(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func tableExists(t *testing.T, s *Store, name string) bool {
	t.Helper()
	var n int
	require.NoError(t, s.r.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM sqlite_master WHERE name = ?", name).Scan(&n))
	return n > 0
}

// A schema 7 checkpoint's snapshots read back the same from their sets:
// a batch of more rows than a set holds, batches whose rows interleave
// (more of them than the migration fills at once), rows taken at other
// times, not found, without values, over several pages of the old table.
// Table snapshots is gone; the rows keep their first snapshot.
func TestMigrateSnapshots8(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var want []Snapshot
	add := func(seq int, batch int64) {
		sn := Snapshot{Seq: seq, Batch: batch, Key: fmt.Sprintf("312555%04d", seq), Found: seq%5 != 0,
			Values: map[string]string{"note": fmt.Sprint("note ", seq), "b": ""}, TakenAt: at.Add(time.Duration(batch) * time.Second)}
		if seq%7 == 0 {
			sn.Values = nil
		}
		if seq%11 == 0 {
			sn.TakenAt = sn.TakenAt.Add(time.Millisecond + time.Nanosecond)
		}
		want = append(want, sn)
	}
	for seq := 1; seq <= 250; seq++ {
		add(seq, 1)
	}
	for seq := 251; seq <= 1250; seq++ { // 25 batches in turn
		add(seq, int64(2+seq%25))
	}
	for seq := 1300; seq <= 2600; seq++ {
		add(seq, int64(30+(seq-1300)/100))
	}
	for seq := 3001; seq <= 3000+3*(snapMigrationOpen+10); seq++ { // more than fill at once, in turn
		add(seq, int64(100+seq%(snapMigrationOpen+10)))
	}
	asSchema7(t, s, want)

	require.NoError(t, migrate8(ctx, s))
	assert.False(t, tableExists(t, s, "snapshots"))
	got := allSnapshots(t, s)
	require.Equal(t, len(want), len(got))
	assert.Equal(t, want, got)

	var sets, biggest int
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM snapshot_sets WHERE batch = 1").Scan(&sets))
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT MAX(last_seq - first_seq) FROM snapshot_sets WHERE batch = 1").Scan(&biggest))
	assert.Equal(t, 3, sets, "a set holds %d rows at most", snapshotsPerSet)
	assert.Equal(t, snapshotsPerSet-1, biggest)
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM snapshot_sets WHERE batch BETWEEN 2 AND 99").Scan(&sets))
	assert.Equal(t, 25+14, sets, "a set per batch of 100 rows or fewer")
	// Memory is bounded: snapMigrationOpen sets fill at once, so batches
	// in turn beyond that are written a row at a time.
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM snapshot_sets WHERE batch >= 100").Scan(&sets))
	assert.Equal(t, 3*(snapMigrationOpen+10), sets)
	have, err := s.SnapshotSeqs(ctx, 7)
	require.NoError(t, err)
	assert.Len(t, have, 40)

	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 250, Batch: 1, Key: "later"}, {Seq: 1260, Batch: 1, Key: "new"}}))
	got = allSnapshots(t, s)
	assert.Equal(t, want[249], got[249], "a row keeps its first snapshot")
	assert.Equal(t, 1260, got[1250].Seq)
	assert.Equal(t, "new", got[1250].Key)
}

// Without table snapshots (a checkpoint made by schema 8, or one whose
// migration created the sets), the migration creates what is missing and
// changes nothing; so does a second run of it.
func TestMigrateSnapshots8Nothing(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.PutSnapshots(ctx, []Snapshot{{Seq: 1, Batch: 1, Key: "a"}}))
	before := allSnapshots(t, s)
	require.NoError(t, migrate8(ctx, s))
	require.NoError(t, migrate8(ctx, s))
	assert.Equal(t, before, allSnapshots(t, s))

	asSchema7(t, s, nil) // an old run that took none
	require.NoError(t, migrate8(ctx, s))
	assert.False(t, tableExists(t, s, "snapshots"))
	assert.True(t, tableExists(t, s, "snapshot_sets_batch"))
	assert.True(t, tableExists(t, s, "snapshot_sets_first"))
	assert.Empty(t, allSnapshots(t, s))
}

// A damaged schema 7 snapshot fails the migration, which leaves the old
// table as it was.
func TestMigrateSnapshots8Corrupt(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	asSchema7(t, s, []Snapshot{{Seq: 1, Batch: 1, Key: "a"}, {Seq: 2, Batch: 1, Key: "b"}})
	_, err := s.w.ExecContext(ctx, "UPDATE snapshots SET vals = x'05' WHERE seq = 2")
	require.NoError(t, err)
	require.ErrorIs(t, migrate8(ctx, s), errCorrupt)
	assert.True(t, tableExists(t, s, "snapshots"))
	assert.False(t, tableExists(t, s, "snapshot_sets"))
}
