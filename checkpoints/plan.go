package checkpoints

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Plan inserts the rows and batches of a run in bulk. It holds the store's
// writer connection from NewPlan to Commit or Rollback: other writes wait,
// reads do not. A Plan is used by one goroutine.
//
// Rows are committed every 5,000 rows and at Commit, so a plan interrupted by
// a crash leaves a prefix of the manifest behind; the run is still in state
// RunPlanning then, and the caller discards it with DiscardPlan and plans
// again.
type Plan struct {
	s   *Store
	ctx context.Context

	tx       *sql.Tx
	insRow   *sql.Stmt
	insBatch *sql.Stmt
	seenKey  *sql.Stmt
	pending  int

	// Everything above these was added by this plan (see Rollback).
	startSeq   int
	startBatch int64
	closed     bool
}

// NewPlan starts a plan. ctx governs every call on the plan until it is
// committed or rolled back.
func (s *Store) NewPlan(ctx context.Context) (*Plan, error) {
	p := &Plan{s: s, ctx: ctx}
	if err := s.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM rows").Scan(&p.startSeq); err != nil {
		return nil, fmt.Errorf("checkpoints: new plan: %w", err)
	}
	if err := s.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM batches").Scan(&p.startBatch); err != nil {
		return nil, fmt.Errorf("checkpoints: new plan: %w", err)
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
		{&p.insRow, "INSERT INTO rows (" + rowCols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
		{&p.insBatch, "INSERT INTO batches (" + batchCols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
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

// checkpoint commits what was added so far and starts a new transaction.
func (p *Plan) checkpoint() error {
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
	args, err := rowArgs(r)
	if err != nil {
		return fmt.Errorf("checkpoints: add row %d: %w", r.Seq, err)
	}
	if _, err := p.insRow.ExecContext(p.ctx, args...); err != nil {
		return fmt.Errorf("checkpoints: add row %d: %w", r.Seq, err)
	}
	p.pending++
	if p.pending >= planCommitEvery {
		if err := p.checkpoint(); err != nil {
			return fmt.Errorf("checkpoints: add row %d: commit: %w", r.Seq, err)
		}
	}
	return nil
}

// AddBatch adds one batch. ID must be >= 1; State defaults to BatchPlanned.
func (p *Plan) AddBatch(b Batch) error {
	if p.closed {
		return fmt.Errorf("checkpoints: add batch %d: plan is closed: %w", b.ID, ErrInvalid)
	}
	if b.State == "" {
		b.State = BatchPlanned
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
	err = p.seenKey.QueryRowContext(p.ctx, key).Scan(&seq)
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
// planning (state RunPlanning) that is planned again.
func (s *Store) DiscardPlan(ctx context.Context) error {
	return s.write(ctx, "discard plan", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM rows"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM batches")
		return err
	})
}

const rowCols = "seq, line, key, vals, fields, batch, status, code, message, order_id, extra"

func rowArgs(r Row) ([]any, error) {
	vals, err := json.Marshal(nonNil(r.Values))
	if err != nil {
		return nil, fmt.Errorf("values: %w", err)
	}
	fields, err := json.Marshal(r.Fields)
	if err != nil {
		return nil, fmt.Errorf("fields: %w", err)
	}
	extra, err := json.Marshal(r.Extra)
	if err != nil {
		return nil, fmt.Errorf("extra: %w", err)
	}
	return []any{r.Seq, r.Line, r.Key, string(vals), string(fields), r.Batch,
		r.Status, r.Code, r.Message, r.OrderID, string(extra)}, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanRow(sc scanner) (Row, error) {
	var (
		r                   Row
		vals, fields, extra string
	)
	if err := sc.Scan(&r.Seq, &r.Line, &r.Key, &vals, &fields, &r.Batch,
		&r.Status, &r.Code, &r.Message, &r.OrderID, &extra); err != nil {
		return Row{}, err
	}
	if err := json.Unmarshal([]byte(vals), &r.Values); err != nil {
		return Row{}, fmt.Errorf("row %d values: %w", r.Seq, err)
	}
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return Row{}, fmt.Errorf("row %d fields: %w", r.Seq, err)
	}
	if err := json.Unmarshal([]byte(extra), &r.Extra); err != nil {
		return Row{}, fmt.Errorf("row %d extra: %w", r.Seq, err)
	}
	return r, nil
}

const batchCols = "id, group_key, state, customer_order_reference, request_hash, attempts, order_id, error, rows, sent_at, done_at"

func batchArgs(b Batch) []any {
	return []any{b.ID, b.GroupKey, b.State, b.CustomerOrderReference, b.RequestHash, b.Attempts,
		b.OrderID, b.Error, b.Rows, fmtTime(b.SentAt), fmtTime(b.DoneAt)}
}

func scanBatch(sc scanner) (Batch, error) {
	var (
		b          Batch
		sent, done string
		err        error
	)
	if err = sc.Scan(&b.ID, &b.GroupKey, &b.State, &b.CustomerOrderReference, &b.RequestHash, &b.Attempts,
		&b.OrderID, &b.Error, &b.Rows, &sent, &done); err != nil {
		return Batch{}, err
	}
	if b.SentAt, err = parseTime(sent); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	if b.DoneAt, err = parseTime(done); err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", b.ID, err)
	}
	return b, nil
}

func validStatus(s string) bool {
	switch s {
	case "", StatusOK, StatusExcluded, StatusInvalid, StatusFailed, StatusPending, StatusSkipped:
		return true
	}
	return false
}
