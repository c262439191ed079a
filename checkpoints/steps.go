package checkpoints

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/iqbulk/iqbulk/record"
)

// stepSchema (version 4) holds the steps of batches whose job kind sends
// several requests per batch (jobs.Stepper): one line per request, with its
// own intent (request hash, customerOrderReference, sent times) and, once
// answered, its answer as JSON, which later steps of the batch are built
// from. A step is keyed by its batch and its index in the batch.
const stepSchema = `
CREATE TABLE IF NOT EXISTS steps (
	batch                    INTEGER NOT NULL,
	idx                      INTEGER NOT NULL,
	name                     TEXT NOT NULL,
	op                       TEXT NOT NULL,
	state                    TEXT NOT NULL,
	customer_order_reference TEXT NOT NULL,
	request_hash             TEXT NOT NULL,
	attempts                 INTEGER NOT NULL,
	answer                   TEXT NOT NULL,
	code                     TEXT NOT NULL,
	error                    TEXT NOT NULL,
	sent_at                  TEXT NOT NULL,
	last_sent_at             TEXT NOT NULL,
	done_at                  TEXT NOT NULL,
	PRIMARY KEY (batch, idx)
);
`

// migrateSteps takes a version 3 checkpoint to version 4: the steps table.
// A run checkpointed by an older build has no steps: its batches were sent
// whole, and resume reconciles them as batches.
func migrateSteps(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, stepSchema); err != nil {
		return fmt.Errorf("migrate schema 3 to 4: %w", err)
	}
	return nil
}

// Step is one request of a batch sent as several (jobs.Stepper).
type Step struct {
	Batch                  int64
	Index                  int    // 0, 1, ... in the order the steps are sent
	Name                   string // what the step does, for people ("activate 1085360 Group 2")
	Op                     string // the API operation
	State                  string // record.BatchSent, BatchDone, BatchFailed, BatchInDoubt, BatchPlanned
	CustomerOrderReference string
	RequestHash            string
	Attempts               int
	Answer                 json.RawMessage // the answer (BatchDone), as the job kind encoded it
	Code, Error            string          // the refusal (BatchFailed) or why it is in doubt
	SentAt, LastSentAt     time.Time
	DoneAt                 time.Time
}

const stepCols = `batch, idx, name, op, state, customer_order_reference, request_hash, attempts, answer, code, error, sent_at, last_sent_at, done_at`

// Steps returns the recorded steps of a batch in index order.
func (s *Store) Steps(ctx context.Context, batch int64) ([]Step, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+stepCols+" FROM steps WHERE batch = ? ORDER BY idx", batch)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: batch %d steps: %w", batch, err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var (
			st                  Step
			answer              string
			sent, last, doneStr string
		)
		if err := rows.Scan(&st.Batch, &st.Index, &st.Name, &st.Op, &st.State, &st.CustomerOrderReference, &st.RequestHash,
			&st.Attempts, &answer, &st.Code, &st.Error, &sent, &last, &doneStr); err != nil {
			return nil, fmt.Errorf("checkpoints: batch %d steps: %w", batch, err)
		}
		if answer != "" {
			st.Answer = json.RawMessage(answer)
		}
		for _, t := range []struct {
			dst *time.Time
			v   string
		}{{&st.SentAt, sent}, {&st.LastSentAt, last}, {&st.DoneAt, doneStr}} {
			if *t.dst, err = parseTime(t.v); err != nil {
				return nil, fmt.Errorf("checkpoints: batch %d step %d: %w", batch, st.Index, err)
			}
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: batch %d steps: %w", batch, err)
	}
	return out, nil
}

// MarkStepSent records the intent to send a step, and puts its batch in
// state sent: committed before it returns, it must be called BEFORE the
// step's request goes out. A step sent again (after a reconciliation found
// it never arrived) keeps its first sent time and reference.
func (s *Store) MarkStepSent(ctx context.Context, st Step) error {
	if st.Index < 0 {
		return fmt.Errorf("checkpoints: mark step sent: index %d: %w", st.Index, ErrInvalid)
	}
	op := fmt.Sprintf("mark batch %d step %d sent", st.Batch, st.Index)
	return s.write(ctx, op, func(tx *sql.Tx) error {
		now := fmtTime(time.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO steps (`+stepCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, '', '', '', ?, ?, '')
			ON CONFLICT (batch, idx) DO UPDATE SET state = excluded.state, request_hash = excluded.request_hash,
				attempts = steps.attempts + 1, last_sent_at = excluded.last_sent_at, error = '',
				sent_at = CASE WHEN steps.sent_at = '' THEN excluded.sent_at ELSE steps.sent_at END`,
			st.Batch, st.Index, st.Name, st.Op, record.BatchSent, st.CustomerOrderReference, st.RequestHash, now, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE batches SET state = ?, attempts = attempts + 1,
			sent_at = CASE WHEN sent_at = '' THEN ? ELSE sent_at END, last_sent_at = ? WHERE id = ?`,
			record.BatchSent, now, now, st.Batch)
		if err != nil {
			return err
		}
		return oneAffected(res, ErrNotFound)
	})
}

// MarkStep sets a recorded step's state and error (in doubt, or planned
// again when a refusal proved it was not applied).
func (s *Store) MarkStep(ctx context.Context, batch int64, index int, state, msg string) error {
	if !validBatchState(state) {
		return fmt.Errorf("checkpoints: mark step: state %q: %w", state, ErrInvalid)
	}
	return s.write(ctx, fmt.Sprintf("mark batch %d step %d %s", batch, index, state), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE steps SET state = ?, error = ? WHERE batch = ? AND idx = ?", state, msg, batch, index)
		if err != nil {
			return err
		}
		return oneAffected(res, ErrNotFound)
	})
}

// FinishStep records a step's answer (or refusal) and the outcomes of the
// rows it decides in ONE transaction: a row is decided exactly when the
// answer that decides it is durable. A step that had no intent (an
// idempotent request) is inserted.
func (s *Store) FinishStep(ctx context.Context, st Step, rows []RowOutcome) error {
	op := fmt.Sprintf("finish batch %d step %d", st.Batch, st.Index)
	if !validBatchState(st.State) {
		return fmt.Errorf("checkpoints: %s: state %q: %w", op, st.State, ErrInvalid)
	}
	if len(st.Answer) > 0 && !json.Valid(st.Answer) {
		return fmt.Errorf("checkpoints: %s: answer is not JSON: %w", op, ErrInvalid)
	}
	if err := checkOutcomes(rows); err != nil {
		return fmt.Errorf("checkpoints: %s: %w", op, err)
	}
	done := st.DoneAt
	if done.IsZero() {
		done = time.Now()
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO steps (`+stepCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (batch, idx) DO UPDATE SET state = excluded.state, answer = excluded.answer,
				code = excluded.code, error = excluded.error, done_at = excluded.done_at`,
			st.Batch, st.Index, st.Name, st.Op, st.State, st.CustomerOrderReference, st.RequestHash, st.Attempts,
			string(st.Answer), st.Code, st.Error, fmtTime(st.SentAt), fmtTime(st.LastSentAt), fmtTime(done)); err != nil {
			return err
		}
		return s.updateOutcomes(ctx, tx, rows)
	})
}
