package checkpoints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/iqbulk/iqbulk/record"
)

// A streamed plan: the planner appends the manifest's rows to the
// checkpoint in small steps (AppendPlan), each one write of the group
// commit, while the engine already sends the batches that are full. A
// batch still filling is recorded in state record.BatchOpen, which nothing
// sends; it becomes record.BatchPlanned in the step that fills it. After a
// crash the plan continues where its last step ended: the last Seq
// recorded is the cursor (every manifest row gets a row, decided or not),
// open batches keep filling, and batch numbers go on from the last one, so
// a reference already sent never changes.

// AppendPlan commits, in one write, rows (in Seq order, after every row
// recorded so far) and the batches they filled or opened. A batch is
// inserted, or updated when it is recorded in state open (its state and row
// count); a batch recorded in any other state is never changed, and the
// write fails with ErrInvalid: nothing of it is committed.
func (s *Store) AppendPlan(ctx context.Context, rows []Row, batches []Batch) error {
	for i, r := range rows {
		if r.Seq < 1 || (i > 0 && r.Seq <= rows[i-1].Seq) {
			return fmt.Errorf("checkpoints: append plan: seq %d: %w", r.Seq, ErrInvalid)
		}
		if !validStatus(r.Status) {
			return fmt.Errorf("checkpoints: append plan: row %d: status %q: %w", r.Seq, r.Status, ErrInvalid)
		}
	}
	for _, b := range batches {
		if b.ID < 1 || (b.State != record.BatchOpen && b.State != record.BatchPlanned) {
			return fmt.Errorf("checkpoints: append plan: batch %d (state %q): %w", b.ID, b.State, ErrInvalid)
		}
	}
	op := "append plan"
	if len(rows) > 0 {
		op = fmt.Sprintf("append plan rows %d to %d", rows[0].Seq, rows[len(rows)-1].Seq)
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if len(rows) > 0 {
			var last int
			if err := tx.StmtContext(ctx, s.wstmts[maxSeqQuery]).QueryRowContext(ctx).Scan(&last); err != nil {
				return err
			}
			if rows[0].Seq <= last {
				return fmt.Errorf("seq %d after %d: %w", rows[0].Seq, last, ErrInvalid)
			}
		}
		if err := s.insertChunks(ctx, tx, rows); err != nil {
			return err
		}
		for _, b := range batches {
			res, err := s.exec(ctx, tx, upsertBatchQuery, append(batchArgs(b), record.BatchOpen)...)
			if err != nil {
				return fmt.Errorf("batch %d: %w", b.ID, err)
			}
			if err := oneAffected(res, fmt.Errorf("batch %d is no longer open: %w", b.ID, ErrInvalid)); err != nil {
				return err
			}
		}
		return nil
	})
}

const (
	// upsertBatchQuery inserts a batch or updates it while it is open.
	upsertBatchQuery = "INSERT INTO batches (" + batchCols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" +
		" ON CONFLICT (id) DO UPDATE SET state = excluded.state, rows = excluded.rows WHERE batches.state = ?"
)

// PlanCursor returns where a streamed plan stands: the last Seq recorded
// and the highest batch number.
func (s *Store) PlanCursor(ctx context.Context) (lastSeq int, lastBatch int64, err error) {
	if err := s.r.QueryRowContext(ctx, maxSeqQuery).Scan(&lastSeq); err != nil {
		return 0, 0, fmt.Errorf("checkpoints: plan cursor: %w", err)
	}
	if err := s.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM batches").Scan(&lastBatch); err != nil {
		return 0, 0, fmt.Errorf("checkpoints: plan cursor: %w", err)
	}
	return lastSeq, lastBatch, nil
}

// Keys finds a manifest's duplicate rows while it is planned: it answers
// whether a key was seen before, in the rows recorded (a Bloom filter of
// their keys, asking the checkpoint's keys table only when the filter says
// maybe) or in those the planner holds and has not recorded yet (Hold),
// step by step: the planner reads on while its earlier steps are
// committed. Duplicates stay exact, the common case costs no query, and
// memory stays fixed (DESIGN.md rule 6). Seen and Hold are called by one
// goroutine, NextStep by it too, Recorded by the one committing.
type Keys struct {
	s    *Store
	ctx  context.Context
	seen *bloom
	// mu makes "not recorded, so held" one answer: a step's keys are
	// dropped from held (Recorded) only after it is committed, and never
	// between Seen's query and its look at held.
	mu sync.Mutex
	// held are the keys (-> line) of the rows not recorded yet, one map
	// per step, oldest first; the last is the step being filled.
	held []map[string]int
}

// NewKeys returns the duplicate finder, its filter filled with the keys of
// the rows recorded so far (a plan that continues after a crash).
func (s *Store) NewKeys(ctx context.Context) (*Keys, error) {
	k := &Keys{s: s, ctx: ctx, seen: newBloom(), held: []map[string]int{{}}}
	rows, err := s.r.QueryContext(ctx, "SELECT key FROM keys")
	if err != nil {
		return nil, fmt.Errorf("checkpoints: keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, fmt.Errorf("checkpoints: keys: %w", err)
		}
		k.seen.add(key)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: keys: %w", err)
	}
	return k, nil
}

// Close releases what the finder holds.
func (k *Keys) Close() error { return nil }

// Seen returns the source line of the first row with key, recorded or
// held, when there is one. The empty key is never seen.
func (k *Keys) Seen(key string) (line int, seen bool, err error) {
	if key == "" || !k.seen.mayContain(key) {
		return 0, false, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	err = k.s.queryRow(k.ctx, keyLineQuery, key).Scan(&line)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		for _, m := range k.held {
			if line, seen = m[key]; seen {
				return line, true, nil
			}
		}
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("checkpoints: seen key: %w", err)
	}
	return line, true, nil
}

// Hold adds the key of a row the planner holds in the step being filled
// (a later row with the same key is its duplicate), with its source line.
func (k *Keys) Hold(key string, line int) {
	if key == "" {
		return
	}
	k.mu.Lock()
	m := k.held[len(k.held)-1]
	if _, ok := m[key]; !ok {
		m[key] = line
	}
	k.mu.Unlock()
	k.seen.add(key)
}

// NextStep starts a new step: the keys held so far belong to the step
// just taken for commit.
func (k *Keys) NextStep() {
	k.mu.Lock()
	k.held = append(k.held, map[string]int{})
	k.mu.Unlock()
}

// Recorded forgets the keys of the oldest step taken for commit, once it is
// committed: the checkpoint answers for them from then on.
func (k *Keys) Recorded() {
	k.mu.Lock()
	if len(k.held) > 1 {
		k.held[0] = nil
		k.held = k.held[1:]
	}
	k.mu.Unlock()
}
