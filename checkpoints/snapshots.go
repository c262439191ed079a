package checkpoints

import (
	"cmp"
	"container/heap"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"
)

// snapshotSchema (version 8) holds, per batch, the values its numbers had
// before the run first sent them: what `iqbulk undo` restores. A batch's
// snapshots are one record, a set, written by one PutSnapshots (schema 3
// to 7 wrote a row per number, 13% of a run's CPU). A set's data is its
// snapshots in Seq order (appendSnapshotSet); first_seq and last_seq are
// its first and last Seq. A batch has more than one set when only some of
// its rows were snapshot before (a resend of a batch whose rows changed),
// and the sets of batches whose rows interleave (grouped jobs) have
// overlapping Seq ranges: Snapshots merges them.
//
// The first snapshot of a row is kept; a later one (a resend after a
// crash) would read the run's own change.
const snapshotSchema = `
CREATE TABLE IF NOT EXISTS snapshot_sets (
	id        INTEGER PRIMARY KEY,
	batch     INTEGER NOT NULL,
	first_seq INTEGER NOT NULL,
	last_seq  INTEGER NOT NULL,
	taken_at  TEXT NOT NULL,
	data      BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshot_sets_batch ON snapshot_sets (batch);
CREATE INDEX IF NOT EXISTS snapshot_sets_first ON snapshot_sets (first_seq);
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

// snapshotsPerSet is how many snapshots the migration from schema 7 puts
// in one set at most (a batch's, jobs.MaxBatch). PutSnapshots writes a
// batch's in one set however many they are.
const snapshotsPerSet = 100

const (
	insertSnapshotSet = "INSERT INTO snapshot_sets (batch, first_seq, last_seq, taken_at, data) VALUES (?, ?, ?, ?, ?)"
	// putSetQuery records a set (?1 batch, ?2 first_seq, ?3 last_seq, ?4
	// taken_at, ?5 data) unless a set of its batch meets its Seq range:
	// the first put of a batch's snapshots is this one statement.
	putSetQuery = "INSERT INTO snapshot_sets (batch, first_seq, last_seq, taken_at, data) SELECT ?1, ?2, ?3, ?4, ?5" +
		" WHERE NOT EXISTS (SELECT 1 FROM snapshot_sets WHERE batch = ?1 AND first_seq <= ?3 AND last_seq >= ?2)"
	// batchSetsQuery selects the sets of a batch (by its index) whose
	// Seq ranges meet [?, ?].
	batchSetsQuery = "SELECT id, batch, first_seq, last_seq, taken_at, data FROM snapshot_sets" +
		" WHERE batch = ? AND first_seq <= ? AND last_seq >= ?"
	// setsPageQuery selects a page of sets in (first_seq, id) order after
	// a set.
	setsPageQuery = "SELECT id, batch, first_seq, last_seq, taken_at, data FROM snapshot_sets" +
		" WHERE (first_seq, id) > (?, ?) ORDER BY first_seq, id LIMIT ?"
)

// PutSnapshots records snapshots, keeping any a row already has: those of
// one batch as one set, after dropping the rows its sets recorded before.
// It is committed before it returns: the engine calls it before the
// batch's intent, so nothing is sent whose values are not remembered.
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
	sets := groupSnapshots(snaps)
	// Encoded before the write: the group commit waits for no encoding.
	data := make([][]byte, len(sets))
	for i, set := range sets {
		size := 10
		for j := range set {
			size += 8 + len(set[j].Key)
			for k, v := range set[j].Values {
				size += 4 + len(k) + len(v)
			}
		}
		data[i] = appendSnapshotSet(make([]byte, 0, size), set, now)
	}
	return s.write(ctx, "put snapshots", func(tx *sql.Tx) error {
		for i, set := range sets {
			if err := s.putSet(ctx, tx, set, now, data[i]); err != nil {
				return fmt.Errorf("batch %d: %w", set[0].Batch, err)
			}
		}
		return nil
	})
}

// putSet records the snapshots of a batch (in Seq order, encoded as data)
// that its sets do not hold.
func (s *Store) putSet(ctx context.Context, tx *sql.Tx, set []Snapshot, now string, data []byte) error {
	batch, first, last := set[0].Batch, set[0].Seq, set[len(set)-1].Seq
	res, err := s.exec(ctx, tx, putSetQuery, batch, first, last, now, data)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	// A set of the batch meets the range: keep the snapshots it holds.
	had, err := setSeqs(ctx, tx, batch, first, last)
	if err != nil {
		return err
	}
	set = slices.DeleteFunc(slices.Clone(set), func(sn Snapshot) bool { return had[sn.Seq] })
	if len(set) == 0 {
		return nil
	}
	_, err = s.exec(ctx, tx, insertSnapshotSet, batch, set[0].Seq, set[len(set)-1].Seq, now, appendSnapshotSet(nil, set, now))
	return err
}

// groupSnapshots splits snapshots into a set per batch (in the order the
// batches first appear), each in Seq order; of two snapshots of one row
// the first is kept. A batch's snapshots in Seq order, the engine's, are
// returned as they are.
func groupSnapshots(snaps []Snapshot) [][]Snapshot {
	sorted := true
	for i := 1; i < len(snaps) && sorted; i++ {
		sorted = snaps[i].Batch == snaps[0].Batch && snaps[i].Seq > snaps[i-1].Seq
	}
	if sorted {
		return [][]Snapshot{snaps}
	}
	seen := make(map[int]bool, len(snaps))
	at := map[int64]int{} // batch → index in sets
	var sets [][]Snapshot
	for _, sn := range snaps {
		if seen[sn.Seq] {
			continue
		}
		seen[sn.Seq] = true
		i, ok := at[sn.Batch]
		if !ok {
			i = len(sets)
			at[sn.Batch] = i
			sets = append(sets, nil)
		}
		sets[i] = append(sets[i], sn)
	}
	for _, set := range sets {
		slices.SortFunc(set, func(a, b Snapshot) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	return sets
}

// setSeqs returns the Seqs from first to last that the batch's sets hold.
func setSeqs(ctx context.Context, q querier, batch int64, first, last int) (map[int]bool, error) {
	sets, err := queryAll(ctx, q, batchSetsQuery, scanSet, batch, last, first)
	if err != nil {
		return nil, err
	}
	var out map[int]bool
	for _, set := range sets {
		snaps, err := set.decode()
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = make(map[int]bool, len(snaps))
		}
		for _, sn := range snaps {
			out[sn.Seq] = true
		}
	}
	return out, nil
}

// SnapshotSeqs returns which rows of the batch have a snapshot.
func (s *Store) SnapshotSeqs(ctx context.Context, batch int64) (map[int]bool, error) {
	out, err := setSeqs(ctx, s.r, batch, math.MinInt, math.MaxInt)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: snapshot seqs of batch %d: %w", batch, err)
	}
	if out == nil {
		out = map[int]bool{}
	}
	return out, nil
}

// Snapshots streams every snapshot in Seq order, reading a page of sets
// at a time in first_seq order. The snapshots of the sets read are kept in
// a heap and each is yielded once no set still to read can hold a smaller
// Seq: sets whose Seq ranges do not overlap pass through it one after the
// other, and it holds more than a set only while sets overlap. Should two
// sets hold a row, the one written first is yielded.
func (s *Store) Snapshots(ctx context.Context) iter.Seq2[Snapshot, error] {
	return func(yield func(Snapshot, error) bool) {
		per := max(1, s.pageSize/snapshotsPerSet)
		var (
			h        snapHeap
			last     int // the last Seq yielded (Seqs are >= 1)
			afterSeq int64
			afterID  int64
		)
		// flush yields the snapshots below limit; false once yield says stop.
		flush := func(limit int64) bool {
			for len(h) > 0 && int64(h[0].sn.Seq) < limit {
				it := heap.Pop(&h).(snapItem)
				if it.sn.Seq == last {
					continue
				}
				last = it.sn.Seq
				if !yield(it.sn, nil) {
					return false
				}
			}
			return true
		}
		for {
			page, err := queryAll(ctx, s.r, setsPageQuery, scanSet, afterSeq, afterID, per)
			if err != nil {
				yield(Snapshot{}, fmt.Errorf("checkpoints: snapshots: read sets after %d: %w", afterSeq, err))
				return
			}
			for _, set := range page {
				if !flush(set.first) {
					return
				}
				snaps, err := set.decode()
				if err != nil {
					yield(Snapshot{}, fmt.Errorf("checkpoints: snapshots: %w", err))
					return
				}
				for _, sn := range snaps {
					heap.Push(&h, snapItem{sn: sn, set: set.id})
				}
			}
			if len(page) < per {
				break
			}
			afterSeq, afterID = page[len(page)-1].first, page[len(page)-1].id
		}
		flush(math.MaxInt64)
	}
}

// snapItem is a snapshot waiting in Snapshots' heap, with the set it came
// from.
type snapItem struct {
	sn  Snapshot
	set int64
}

// snapHeap orders snapshots by Seq, then by set (the first written first).
type snapHeap []snapItem

func (h snapHeap) Len() int { return len(h) }
func (h snapHeap) Less(i, j int) bool {
	if h[i].sn.Seq != h[j].sn.Seq {
		return h[i].sn.Seq < h[j].sn.Seq
	}
	return h[i].set < h[j].set
}
func (h snapHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *snapHeap) Push(x any)   { *h = append(*h, x.(snapItem)) }
func (h *snapHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = snapItem{} // let its values go
	*h = old[:len(old)-1]
	return it
}

// snapSet is one record of snapshot_sets.
type snapSet struct {
	id, batch   int64
	first, last int64
	taken       string
	data        []byte
}

// scanSet scans a set (its columns in snapSet's order).
func scanSet(sc scanner) (snapSet, error) {
	var set snapSet
	err := sc.Scan(&set.id, &set.batch, &set.first, &set.last, &set.taken, &set.data)
	return set, err
}

// decode decodes the set's snapshots; they must span its first_seq to
// last_seq, or the merge of Snapshots would yield them out of order.
func (set *snapSet) decode() ([]Snapshot, error) {
	taken, err := parseTime(set.taken)
	if err != nil {
		return nil, fmt.Errorf("snapshot set %d (batch %d): %w", set.id, set.batch, err)
	}
	snaps, err := decodeSnapshotSet(set.data, set.batch, taken)
	if err == nil && (int64(snaps[0].Seq) != set.first || int64(snaps[len(snaps)-1].Seq) != set.last) {
		err = errCorrupt
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot set %d (batch %d): %w", set.id, set.batch, err)
	}
	return snaps, nil
}

// A set's data (column data of snapshot_sets) is a format byte
// (snapSetV1), the count of its snapshots (uvarint) and, for each in Seq
// order:
//
//   - its Seq less the previous one's, or 0 for the first (uvarint, > 0);
//   - a flags byte: snapFound when the number was found, snapTaken when
//     the snapshot has a time of its own (else it has the set's taken_at);
//   - its key (uvarint length, then the bytes);
//   - with snapTaken, its time (as fmtTime writes it, length-prefixed);
//   - its values: a count, then key/value pairs in key order (appendPairs,
//     the encoding of encodeMap).
//
// A snapshot of a batch's set costs about its key and values in bytes. A
// decoder meets only what an encoder wrote, but a damaged state.db must
// fail a read with an error, never a panic: every length is checked
// against what is left.
const (
	snapSetV1 = 1

	snapFound = 1 << 0
	snapTaken = 1 << 1
)

// appendSnapshotSet encodes snapshots (of one batch, in increasing Seq
// order, each >= 1) as a set's data; a snapshot's TakenAt is kept when it
// is set and says other than taken.
func appendSnapshotSet(dst []byte, snaps []Snapshot, taken string) []byte {
	dst = append(dst, snapSetV1)
	dst = binary.AppendUvarint(dst, uint64(len(snaps)))
	prev := 0
	for i := range snaps {
		sn := &snaps[i]
		dst = binary.AppendUvarint(dst, uint64(sn.Seq-prev))
		prev = sn.Seq
		var flags byte
		if sn.Found {
			flags |= snapFound
		}
		var own string
		if !sn.TakenAt.IsZero() {
			if own = fmtTime(sn.TakenAt); own != taken {
				flags |= snapTaken
			}
		}
		dst = append(dst, flags)
		dst = binary.AppendUvarint(dst, uint64(len(sn.Key)))
		dst = append(dst, sn.Key...)
		if flags&snapTaken != 0 {
			dst = binary.AppendUvarint(dst, uint64(len(own)))
			dst = append(dst, own...)
		}
		dst = appendPairs(dst, nil, sn.Values)
	}
	return dst
}

// decodeSnapshotSet decodes a set's data: at least one snapshot, in
// increasing Seq order. Each is of batch, taken at taken unless it has a
// time of its own (which must read as fmtTime writes it); no values are
// nil Values.
func decodeSnapshotSet(b []byte, batch int64, taken time.Time) ([]Snapshot, error) {
	if len(b) == 0 || b[0] != snapSetV1 {
		return nil, errCorrupt
	}
	r := strReader{s: string(b), off: 1}
	n, ok := r.count() // each snapshot takes 4 bytes at least
	if !ok || n == 0 {
		return nil, errCorrupt
	}
	out := make([]Snapshot, n)
	prev := 0
	for i := range out {
		d, ok := r.uvarint()
		if !ok || d == 0 || d > uint64(math.MaxInt-prev) {
			return nil, errCorrupt
		}
		prev += int(d)
		if r.off >= len(r.s) {
			return nil, errCorrupt
		}
		flags := r.s[r.off]
		r.off++
		if flags&^(snapFound|snapTaken) != 0 {
			return nil, errCorrupt
		}
		sn := Snapshot{Seq: prev, Batch: batch, Found: flags&snapFound != 0, TakenAt: taken}
		if sn.Key, ok = r.str(); !ok {
			return nil, errCorrupt
		}
		if flags&snapTaken != 0 {
			own, ok := r.str()
			if !ok || own == "" {
				return nil, errCorrupt
			}
			t, err := parseTime(own)
			if err != nil || fmtTime(t) != own {
				return nil, errCorrupt
			}
			sn.TakenAt = t
		}
		nv, ok := r.count()
		if !ok {
			return nil, errCorrupt
		}
		if sn.Values, ok = r.pairs(nv); !ok {
			return nil, errCorrupt
		}
		out[i] = sn
	}
	if r.off != len(r.s) {
		return nil, errCorrupt
	}
	return out, nil
}

// migrateSnapshots8 moves schema 7's snapshots (a row per number, table
// snapshots) into sets (schema 8): it creates snapshot_sets and, when
// table snapshots exists, copies its rows in Seq order into a set per
// batch, up to snapshotsPerSet rows each, then drops it. A set keeps the
// time of its first row, and a row taken at another time keeps its own.
func migrateSnapshots8(ctx context.Context, tx *sql.Tx) error {
	var old int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'").Scan(&old); err != nil {
		return fmt.Errorf("migrate snapshots to schema 8: %w", err)
	}
	if _, err := tx.ExecContext(ctx, snapshotSchema); err != nil {
		return fmt.Errorf("migrate snapshots to schema 8: %w", err)
	}
	if old == 0 {
		return nil
	}
	m := snapMigration{tx: tx}
	const page = 1000
	after := 0
	for {
		rows, err := readSnapshots7(ctx, tx, after, page)
		if err != nil {
			return fmt.Errorf("migrate snapshots to schema 8: %w", err)
		}
		for _, r := range rows {
			if err := m.add(ctx, r); err != nil {
				return fmt.Errorf("migrate snapshots to schema 8: %w", err)
			}
		}
		if len(rows) < page {
			break
		}
		after = rows[len(rows)-1].sn.Seq
	}
	for len(m.open) > 0 {
		if err := m.flush(ctx, 0); err != nil {
			return fmt.Errorf("migrate snapshots to schema 8: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE snapshots"); err != nil {
		return fmt.Errorf("migrate snapshots to schema 8: %w", err)
	}
	return nil
}

// snapshot7 is a row of schema 7's table snapshots.
type snapshot7 struct {
	sn    Snapshot
	taken string
}

// readSnapshots7 reads up to limit rows of schema 7's snapshots after Seq
// after.
func readSnapshots7(ctx context.Context, tx *sql.Tx, after, limit int) ([]snapshot7, error) {
	rows, err := tx.QueryContext(ctx, "SELECT seq, batch, key, found, vals, taken_at FROM snapshots WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []snapshot7
	for rows.Next() {
		var (
			r     snapshot7
			found int
			vals  []byte
		)
		if err := rows.Scan(&r.sn.Seq, &r.sn.Batch, &r.sn.Key, &found, &vals, &r.taken); err != nil {
			return nil, err
		}
		r.sn.Found = found != 0
		if r.sn.Seq < 1 {
			return nil, fmt.Errorf("snapshot %d: %w", r.sn.Seq, errCorrupt)
		}
		if r.sn.Values, err = decodeMap(vals); err != nil {
			return nil, fmt.Errorf("snapshot %d: %w", r.sn.Seq, err)
		}
		if r.sn.TakenAt, err = parseTime(r.taken); err != nil {
			return nil, fmt.Errorf("snapshot %d: %w", r.sn.Seq, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// snapMigration gathers schema 7's rows, in Seq order, into sets. The
// rows of a batch mostly follow one another, but a grouped job's batches
// interleave: up to snapMigrationOpen sets fill at once (a set is written
// when it is full), and the one added to the longest ago is written to
// make room for another. Memory holds snapMigrationOpen × snapshotsPerSet
// snapshots at most.
type snapMigration struct {
	tx   *sql.Tx
	open []*openSnapSet // least recently added to first
}

const snapMigrationOpen = 256

type openSnapSet struct {
	taken string
	snaps []Snapshot
}

func (m *snapMigration) add(ctx context.Context, r snapshot7) error {
	i := slices.IndexFunc(m.open, func(o *openSnapSet) bool { return o.snaps[0].Batch == r.sn.Batch })
	var o *openSnapSet
	if i >= 0 {
		o = m.open[i]
		m.open = append(slices.Delete(m.open, i, i+1), o)
	} else {
		if len(m.open) == snapMigrationOpen {
			if err := m.flush(ctx, 0); err != nil {
				return err
			}
		}
		o = &openSnapSet{taken: r.taken}
		m.open = append(m.open, o)
	}
	o.snaps = append(o.snaps, r.sn)
	if len(o.snaps) == snapshotsPerSet {
		return m.flush(ctx, len(m.open)-1)
	}
	return nil
}

// flush writes the open set at i and forgets it.
func (m *snapMigration) flush(ctx context.Context, i int) error {
	o := m.open[i]
	m.open = slices.Delete(m.open, i, i+1)
	first, last := o.snaps[0], o.snaps[len(o.snaps)-1]
	_, err := m.tx.ExecContext(ctx, insertSnapshotSet, first.Batch, first.Seq, last.Seq, o.taken,
		appendSnapshotSet(nil, o.snaps, o.taken))
	return err
}
