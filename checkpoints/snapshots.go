package checkpoints

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strings"
	"time"
)

// snapshotSchema (version 3) holds, per row, the values its number had
// before the run first sent it: what `iqbulk undo` restores. The first
// snapshot of a row is kept; a later one (a resend after a crash) would
// read the run's own change.
const snapshotSchema = `
CREATE TABLE IF NOT EXISTS snapshots (
	seq      INTEGER PRIMARY KEY,
	batch    INTEGER NOT NULL,
	key      TEXT NOT NULL,
	found    INTEGER NOT NULL,
	vals     BLOB NOT NULL,
	taken_at TEXT NOT NULL
);
`

// Snapshot is what a number looked like before the run changed it.
type Snapshot struct {
	Seq     int
	Batch   int64
	Key     string
	Found   bool              // false: the read did not show the number at all
	Values  map[string]string // by the job's snapshot column
	TakenAt time.Time
}

// PutSnapshots records snapshots, keeping any a row already has. It is
// committed before it returns: the engine calls it before the batch's
// intent, so nothing is sent whose values are not remembered.
func (s *Store) PutSnapshots(ctx context.Context, snaps []Snapshot) error {
	if len(snaps) == 0 {
		return nil
	}
	for _, sn := range snaps {
		if sn.Seq < 1 {
			return fmt.Errorf("checkpoints: put snapshots: snapshot seq %d: %w", sn.Seq, ErrInvalid)
		}
	}
	now := fmtTime(time.Now())
	// One statement per snapshotsPerInsert rows: a batch's snapshots are
	// one statement, not 100 (a statement costs more than its rows).
	args := make([]any, 0, 6*min(len(snaps), snapshotsPerInsert))
	return s.write(ctx, "put snapshots", func(tx *sql.Tx) error {
		for rest := snaps; len(rest) > 0; {
			n := min(len(rest), snapshotsPerInsert)
			args = args[:0]
			for _, sn := range rest[:n] {
				taken := now
				if !sn.TakenAt.IsZero() {
					taken = fmtTime(sn.TakenAt)
				}
				args = append(args, sn.Seq, sn.Batch, sn.Key, boolInt(sn.Found), encodeMap(sn.Values), taken)
			}
			q := insertSnapshotsN // prepared (prepared.go): a whole batch's
			if n != snapshotsPerInsert {
				q = insertSnapshots(n)
			}
			if _, err := s.exec(ctx, tx, q, args...); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	})
}

// snapshotsPerInsert is how many snapshots one INSERT statement records
// (6 parameters each, well under SQLite's limit of 32,766): a batch's, so
// the statement for a whole batch is prepared once (insertSnapshotsN).
const snapshotsPerInsert = 100

// insertSnapshots is the INSERT of n snapshots, keeping those recorded.
func insertSnapshots(n int) string {
	return "INSERT OR IGNORE INTO snapshots (seq, batch, key, found, vals, taken_at) VALUES " +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?),", n), ",")
}

var insertSnapshotsN = insertSnapshots(snapshotsPerInsert)

// SnapshotSeqs returns which of the given rows already have a snapshot.
func (s *Store) SnapshotSeqs(ctx context.Context, seqs []int) (map[int]bool, error) {
	out := map[int]bool{}
	if len(seqs) == 0 {
		return out, nil
	}
	args := make([]any, len(seqs))
	for i, q := range seqs {
		args[i] = q
	}
	rows, err := s.r.QueryContext(ctx, "SELECT seq FROM snapshots WHERE seq IN (?"+strings.Repeat(", ?", len(seqs)-1)+")", args...)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: snapshot seqs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q int
		if err := rows.Scan(&q); err != nil {
			return nil, fmt.Errorf("checkpoints: snapshot seqs: %w", err)
		}
		out[q] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: snapshot seqs: %w", err)
	}
	return out, nil
}

// Snapshots streams every snapshot in Seq order, a page at a time.
func (s *Store) Snapshots(ctx context.Context) iter.Seq2[Snapshot, error] {
	return pages(ctx, s, "SELECT seq, batch, key, found, vals, taken_at FROM snapshots WHERE seq > ? ORDER BY seq LIMIT ?",
		scanSnapshot, func(sn Snapshot) int64 { return int64(sn.Seq) })
}

func scanSnapshot(sc scanner) (Snapshot, error) {
	var (
		sn    Snapshot
		found int
		vals  []byte
		taken string
	)
	if err := sc.Scan(&sn.Seq, &sn.Batch, &sn.Key, &found, &vals, &taken); err != nil {
		return Snapshot{}, err
	}
	sn.Found = found != 0
	var err error
	if sn.Values, err = decodeMap(vals); err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %d: %w", sn.Seq, err)
	}
	if sn.TakenAt, err = parseTime(taken); err != nil {
		return Snapshot{}, fmt.Errorf("snapshot %d: %w", sn.Seq, err)
	}
	return sn, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
