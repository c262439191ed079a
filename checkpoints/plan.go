package checkpoints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/iqbulk/iqbulk/record"
)

// Plan inserts the rows and batches of a run in bulk. It holds the store's
// writer connection from NewPlan to Commit or Rollback: other writes wait,
// reads do not. A Plan is used by one goroutine.
//
// Rows are committed every 5,000 rows and at Commit, so a plan interrupted by
// a crash leaves a prefix of the manifest behind; the run is still in state
// record.RunPlanning then, and the caller discards it with DiscardPlan and plans
// again.
type Plan struct {
	s   *Store
	ctx context.Context

	tx       *sql.Tx
	insBatch *sql.Stmt
	seenKey  *sql.Stmt
	pending  int

	// Rows are inserted rowsPerInsert at a time; buf holds those not yet
	// inserted and bufKeys their keys. seen is a Bloom filter of every key
	// this plan added, so SeenKey asks the database only for keys it may
	// have seen: duplicates stay exact, and the common case costs no query.
	buf     []Row
	bufKeys map[string]int
	seen    *bloom

	// Everything above these was added by this plan (see Rollback).
	startSeq   int
	startBatch int64
	closed     bool
}

// NewPlan starts a plan. ctx governs every call on the plan until it is
// committed or rolled back.
func (s *Store) NewPlan(ctx context.Context) (*Plan, error) {
	p := &Plan{s: s, ctx: ctx, bufKeys: map[string]int{}}
	if err := s.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM rows").Scan(&p.startSeq); err != nil {
		return nil, fmt.Errorf("checkpoints: new plan: %w", err)
	}
	if err := s.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM batches").Scan(&p.startBatch); err != nil {
		return nil, fmt.Errorf("checkpoints: new plan: %w", err)
	}
	if p.startSeq == 0 {
		p.seen = newBloom()
	}
	if err := p.begin(); err != nil {
		return nil, fmt.Errorf("checkpoints: new plan: %w", err)
	}
	return p, nil
}

func (p *Plan) begin() error {
	tx, err := p.s.w.BeginTx(p.ctx, nil)
	if err != nil {
		return err
	}
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&p.insBatch, "INSERT INTO batches (" + batchCols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
		{&p.seenKey, "SELECT seq FROM rows WHERE key = ? ORDER BY seq LIMIT 1"},
	}
	for _, st := range stmts {
		if *st.dst, err = tx.PrepareContext(p.ctx, st.query); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	p.tx, p.pending = tx, 0
	return nil
}

// flushRows inserts the buffered rows.
func (p *Plan) flushRows() error {
	if err := p.s.insertRows(p.ctx, p.tx, p.buf); err != nil {
		return err
	}
	p.pending += len(p.buf)
	p.buf = p.buf[:0]
	clear(p.bufKeys)
	return nil
}

// checkpoint commits what was added so far and starts a new transaction.
func (p *Plan) checkpoint() error {
	if err := p.flushRows(); err != nil {
		p.closed = true
		return err
	}
	if err := p.tx.Commit(); err != nil {
		p.closed = true
		return err
	}
	if err := p.begin(); err != nil {
		p.closed = true
		return err
	}
	return nil
}

// AddRow adds one manifest row (with its outcome, if already decided: an
// invalid or duplicate row). Seq must be >= 1 and above every row recorded
// before this plan.
func (p *Plan) AddRow(r Row) error {
	if p.closed {
		return fmt.Errorf("checkpoints: add row %d: plan is closed: %w", r.Seq, ErrInvalid)
	}
	if r.Seq < 1 || r.Seq <= p.startSeq {
		return fmt.Errorf("checkpoints: add row: seq %d: %w", r.Seq, ErrInvalid)
	}
	if !validStatus(r.Status) {
		return fmt.Errorf("checkpoints: add row %d: status %q: %w", r.Seq, r.Status, ErrInvalid)
	}
	if err := p.ctx.Err(); err != nil {
		return fmt.Errorf("checkpoints: add row %d: %w", r.Seq, err)
	}
	if n := len(p.buf); n > 0 && r.Seq <= p.buf[n-1].Seq {
		return fmt.Errorf("checkpoints: add row: seq %d after %d: %w", r.Seq, p.buf[n-1].Seq, ErrInvalid)
	}
	p.buf = append(p.buf, r)
	if r.Key != "" {
		if _, dup := p.bufKeys[r.Key]; !dup {
			p.bufKeys[r.Key] = r.Seq
		}
		if p.seen != nil {
			p.seen.add(r.Key)
		}
	}
	if len(p.buf) < rowsPerInsert {
		return nil
	}
	if err := p.flushRows(); err != nil {
		return fmt.Errorf("checkpoints: add %w", err)
	}
	if p.pending >= planCommitEvery {
		if err := p.checkpoint(); err != nil {
			return fmt.Errorf("checkpoints: add row %d: commit: %w", r.Seq, err)
		}
	}
	return nil
}

// AddBatch adds one batch. ID must be >= 1; State defaults to record.BatchPlanned.
func (p *Plan) AddBatch(b Batch) error {
	if p.closed {
		return fmt.Errorf("checkpoints: add batch %d: plan is closed: %w", b.ID, ErrInvalid)
	}
	if b.State == "" {
		b.State = record.BatchPlanned
	}
	if b.ID < 1 || b.ID <= p.startBatch || !validBatchState(b.State) {
		return fmt.Errorf("checkpoints: add batch %d (state %q): %w", b.ID, b.State, ErrInvalid)
	}
	if _, err := p.insBatch.ExecContext(p.ctx, batchArgs(b)...); err != nil {
		return fmt.Errorf("checkpoints: add batch %d: %w", b.ID, err)
	}
	return nil
}

// SeenKey reports the Seq of the first row with this key recorded so far
// (in this plan or before it). The empty key is never seen.
func (p *Plan) SeenKey(key string) (seq int, seen bool, err error) {
	if p.closed {
		return 0, false, fmt.Errorf("checkpoints: seen key: plan is closed: %w", ErrInvalid)
	}
	if key == "" {
		return 0, false, nil
	}
	if p.seen != nil && !p.seen.mayContain(key) {
		return 0, false, nil
	}
	// Rows already inserted come first in manifest order.
	err = p.seenKey.QueryRowContext(p.ctx, key).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		if s, ok := p.bufKeys[key]; ok {
			return s, true, nil
		}
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("checkpoints: seen key: %w", err)
	}
	return seq, true, nil
}

// Commit commits the plan. The plan cannot be used afterwards.
func (p *Plan) Commit() error {
	if p.closed {
		return fmt.Errorf("checkpoints: commit plan: plan is closed: %w", ErrInvalid)
	}
	p.closed = true
	if err := p.flushRows(); err != nil {
		_ = p.tx.Rollback()
		return fmt.Errorf("checkpoints: commit plan: %w", err)
	}
	if err := p.tx.Commit(); err != nil {
		return fmt.Errorf("checkpoints: commit plan: %w", err)
	}
	return nil
}

// Rollback abandons the plan: the current transaction is rolled back and
// the rows and batches already committed by this plan are deleted. Rollback
// after Commit, or a second Rollback, does nothing.
func (p *Plan) Rollback() error {
	if p.closed {
		return nil
	}
	p.closed = true
	_ = p.tx.Rollback()
	// Not p.ctx: the plan is often abandoned because p.ctx was cancelled.
	ctx := context.WithoutCancel(p.ctx)
	return p.s.write(ctx, "roll back plan", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM rows WHERE seq > ?", p.startSeq); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM batches WHERE id > ?", p.startBatch)
		return err
	})
}

// DiscardPlan deletes every row and batch, for a run interrupted while
// planning (state record.RunPlanning) that is planned again.
func (s *Store) DiscardPlan(ctx context.Context) error {
	return s.write(ctx, "discard plan", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM rows"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM batches")
		return err
	})
}

const batchCols = "id, group_key, state, customer_order_reference, request_hash, attempts, order_id, error, rows, sent_at, done_at, last_sent_at"

func batchArgs(b Batch) []any {
	return []any{b.ID, b.GroupKey, b.State, b.CustomerOrderReference, b.RequestHash, b.Attempts,
		b.OrderID, b.Error, b.Rows, fmtTime(b.SentAt), fmtTime(b.DoneAt), fmtTime(b.LastSentAt)}
}

func scanBatch(sc scanner) (Batch, error) {
	var (
		b                Batch
		sent, done, last string
		err              error
	)
	if err = sc.Scan(&b.ID, &b.GroupKey, &b.State, &b.CustomerOrderReference, &b.RequestHash, &b.Attempts,
		&b.OrderID, &b.Error, &b.Rows, &sent, &done, &last); err != nil {
		return Batch{}, err
	}
	if b.LastSentAt, err = parseTime(last); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	if b.SentAt, err = parseTime(sent); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	if b.DoneAt, err = parseTime(done); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	return b, nil
}

func validStatus(s string) bool { return record.ValidStatus(s) }
