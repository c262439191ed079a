package checkpoints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/record"
)

// Batches returns the batches in the given states (all when none), in ID
// order.
func (s *Store) Batches(ctx context.Context, states ...string) ([]Batch, error) {
	q := "SELECT " + batchCols + " FROM batches"
	args := make([]any, 0, len(states))
	if len(states) > 0 {
		q += " WHERE state IN (?" + strings.Repeat(", ?", len(states)-1) + ")"
		for _, st := range states {
			args = append(args, st)
		}
	}
	q += " ORDER BY id"
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, fmt.Errorf("checkpoints: batches: %w", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: batches: %w", err)
	}
	return out, nil
}

// Batch returns one batch, or an error wrapping ErrNotFound.
func (s *Store) Batch(ctx context.Context, id int64) (Batch, error) {
	b, err := scanBatch(s.queryRow(ctx, batchQuery, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, fmt.Errorf("checkpoints: batch %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Batch{}, fmt.Errorf("checkpoints: batch %d: %w", id, err)
	}
	return b, nil
}

// BatchRows returns the rows of a batch in Seq order.
func (s *Store) BatchRows(ctx context.Context, id int64) ([]Row, error) {
	cs, err := queryAll(ctx, reader{s}, batchChunksQuery, scanChunk, id)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: batch %d rows: %w", id, err)
	}
	out := make([]Row, 0, 100) // a batch holds at most 100 rows (DESIGN.md rule 1)
	for _, c := range cs {
		if err := c.rows(true, func(r Row) bool { out = append(out, r); return true }); err != nil {
			return nil, fmt.Errorf("checkpoints: batch %d rows: %w", id, err)
		}
	}
	return out, nil
}

// MarkSent records the intent to send a batch: state sent, attempts+1, the
// request hash, and sent_at now if it is the first send (sent_at keeps the
// FIRST send: reconciliation looks for changes since then). It is committed before it returns, and must
// be called BEFORE the request goes out.
func (s *Store) MarkSent(ctx context.Context, id int64, requestHash string) error {
	return s.write(ctx, fmt.Sprintf("mark batch %d sent", id), func(tx *sql.Tx) error {
		now := fmtTime(time.Now())
		res, err := s.exec(ctx, tx, markSentQuery, record.BatchSent, now, now, requestHash, id)
		if err != nil {
			return err
		}
		return oneAffected(res, ErrNotFound)
	})
}

// MarkInDoubt records that a sent batch's outcome is unknown (found sent on
// resume, or its answer was lost) and must be reconciled before a resend.
func (s *Store) MarkInDoubt(ctx context.Context, id int64, msg string) error {
	return s.write(ctx, fmt.Sprintf("mark batch %d in doubt", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE batches SET state = ?, error = ? WHERE id = ?", record.BatchInDoubt, msg, id)
		if err != nil {
			return err
		}
		return oneAffected(res, ErrNotFound)
	})
}

// MarkUnsent records that a batch's request was proven not applied by a
// passing refusal (HTTP 429, "try again", connection refused, credentials):
// the batch is planned again, with the reason, and a later resume sends it.
func (s *Store) MarkUnsent(ctx context.Context, id int64, msg string) error {
	return s.write(ctx, fmt.Sprintf("mark batch %d unsent", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE batches SET state = ?, error = ? WHERE id = ?", record.BatchPlanned, msg, id)
		if err != nil {
			return err
		}
		return oneAffected(res, ErrNotFound)
	})
}

// ReopenFailed makes the run's failed rows undecided again and puts their
// batches in doubt, so the engine reconciles them (same references) before
// sending anything: `iqbulk resume --retry-failed`. It returns the number
// of rows reopened. Rows of batches sent as steps (steps.go) are not
// reopened: their steps are decided, and a resume would only find them
// decided again; they stay failed, in failed.csv, for a new run. The rows
// keep their order ids and extra columns.
func (s *Store) ReopenFailed(ctx context.Context) (int, error) {
	n := 0
	err := s.write(ctx, "reopen failed rows", func(tx *sql.Tx) error {
		n = 0
		stepped := map[int64]bool{}
		rows, err := tx.QueryContext(ctx, "SELECT DISTINCT batch FROM steps")
		if err != nil {
			return err
		}
		for rows.Next() {
			var b int64
			if err := rows.Scan(&b); err != nil {
				rows.Close()
				return err
			}
			stepped[b] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The chunks holding failed rows, read before any is written.
		type reopen struct {
			first int
			batch int64
			per   [][]byte
		}
		var todo []reopen
		rows, err = tx.QueryContext(ctx, "SELECT first_seq, last_seq, batch, outcomes FROM chunks WHERE batch > 0 ORDER BY first_seq")
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				c     chunk
				batch int64
			)
			if err := rows.Scan(&c.first, &c.last, &batch, &c.outcomes); err != nil {
				rows.Close()
				return err
			}
			if stepped[batch] {
				continue
			}
			runs, err := c.runs()
			if err != nil {
				rows.Close()
				return err
			}
			var per [][]byte
			changed := false
			for _, r := range runs {
				var o Outcome
				if err := decodeOutcome(r.enc, &o); err != nil {
					rows.Close()
					return err
				}
				enc := r.enc
				if o.Status == record.StatusFailed {
					enc = appendOutcome([]byte{}, &Outcome{OrderID: o.OrderID, Extra: o.Extra})
					changed = true
					n += r.n
				}
				for range r.n {
					per = append(per, enc)
				}
			}
			if changed {
				todo = append(todo, reopen{c.first, batch, per})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range todo {
			unfinal, err := firstUnfinal(r.first, r.per)
			if err != nil {
				return err
			}
			if _, err := s.exec(ctx, tx, updateChunkQuery, appendRuns(nil, r.per), unfinal, r.first); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE batches SET state = ? WHERE id = ?", record.BatchInDoubt, r.batch); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// Finish records a batch's answer in ONE transaction: the batch's state,
// order id, error and done time (b.DoneAt, or now when zero), and the
// outcome of every row given. If anything fails (an unknown batch or Seq, an
// invalid state or status) nothing is written.
func (s *Store) Finish(ctx context.Context, b Batch, rows []RowOutcome) error {
	op := fmt.Sprintf("finish batch %d", b.ID)
	if !validBatchState(b.State) {
		return fmt.Errorf("checkpoints: %s: state %q: %w", op, b.State, ErrInvalid)
	}
	if err := checkOutcomes(rows); err != nil {
		return fmt.Errorf("checkpoints: %s: %w", op, err)
	}
	done := b.DoneAt
	if done.IsZero() {
		done = time.Now()
	}
	return s.write(ctx, op, func(tx *sql.Tx) error {
		res, err := s.exec(ctx, tx, finishBatchQuery, b.State, b.OrderID, b.Error, fmtTime(done), b.ID)
		if err != nil {
			return err
		}
		if err := oneAffected(res, ErrNotFound); err != nil {
			return err
		}
		return s.updateOutcomes(ctx, tx, rows)
	})
}

const (
	batchQuery    = "SELECT " + batchCols + " FROM batches WHERE id = ?"
	markSentQuery = `UPDATE batches SET state = ?, attempts = attempts + 1,
			sent_at = CASE WHEN sent_at = '' THEN ? ELSE sent_at END, last_sent_at = ?,
			request_hash = ? WHERE id = ?`
	finishBatchQuery = "UPDATE batches SET state = ?, order_id = ?, error = ?, done_at = ? WHERE id = ?"
)

// UpdateRows sets the outcome of the given rows in one transaction (follow-up
// answers, reconciliation). If any Seq is unknown nothing is written.
func (s *Store) UpdateRows(ctx context.Context, rows []RowOutcome) error {
	if err := checkOutcomes(rows); err != nil {
		return fmt.Errorf("checkpoints: update rows: %w", err)
	}
	return s.write(ctx, "update rows", func(tx *sql.Tx) error {
		return s.updateOutcomes(ctx, tx, rows)
	})
}

func checkOutcomes(rows []RowOutcome) error {
	for _, r := range rows {
		if !validStatus(r.Status) {
			return fmt.Errorf("row %d: status %q: %w", r.Seq, r.Status, ErrInvalid)
		}
	}
	return nil
}

// Rows streams every row in Seq order. It reads a page of rows at a time,
// each page a short read of its own, so the iteration holds no read
// transaction and needs memory for one page only. Rows changed during the
// iteration are seen as of the page that reads them. Iteration stops at the
// first error, which is yielded with a zero Row.
func (s *Store) Rows(ctx context.Context) iter.Seq2[Row, error] {
	return s.rowsBetween(ctx, 0, 0, true)
}

// OutputRows streams every row in Seq order as Rows does, without its
// parsed Fields (left nil): what the results files show (and the key the
// report names example rows by), read without decoding what they do not
// show.
// Only rows with a Seq above after and, when upTo > 0, up to upTo.
func (s *Store) OutputRows(ctx context.Context, after, upTo int) iter.Seq2[Row, error] {
	return s.rowsBetween(ctx, after, upTo, false)
}

// rowsBetween streams the rows with a Seq above after and, when upTo > 0,
// up to upTo: the chunks that hold them, a page at a time.
func (s *Store) rowsBetween(ctx context.Context, after, upTo int, withFields bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		// The chunk holding row after+1 may begin before it.
		from := 0
		if after > 0 {
			var first sql.NullInt64
			err := s.queryRow(ctx, chunkStartQuery, after+1).Scan(&first)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				yield(Row{}, fmt.Errorf("checkpoints: read rows after %d: %w", after, err))
				return
			}
			if first.Valid {
				from = int(first.Int64) - 1
			}
		}
		query := chunkPageQuery
		if upTo > 0 {
			query = chunkPageUpToQuery
		}
		stop := false
		for c, err := range s.chunkPages(ctx, query, from, upTo, scanChunk) {
			if err != nil {
				yield(Row{}, err)
				return
			}
			err = c.rows(withFields, func(r Row) bool {
				if r.Seq <= after {
					return true
				}
				if upTo > 0 && r.Seq > upTo {
					stop = true
					return false
				}
				if !yield(r, nil) {
					stop = true
					return false
				}
				return true
			})
			if err != nil {
				yield(Row{}, fmt.Errorf("checkpoints: %w", err))
				return
			}
			if stop {
				return
			}
		}
	}
}

// FinalPrefix returns the last Seq of the rows after after whose outcomes
// are final for this process — decided, and neither in doubt (a
// reconciliation decides it) nor pending (a follow-up does) — up to the
// first row that is not (after itself when that is the next row). It reads
// the chunks' unfinal column, and the outcomes of a chunk only when its
// first row that is not final is at or before after.
func (s *Store) FinalPrefix(ctx context.Context, after int) (int, error) {
	from := 0
	var first sql.NullInt64
	if err := s.queryRow(ctx, chunkStartQuery, after+1).Scan(&first); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("checkpoints: final prefix: %w", err)
	}
	if first.Valid {
		from = int(first.Int64)
	}
	for {
		var (
			c       chunk
			unfinal int
		)
		err := s.queryRow(ctx, nextUnfinalQuery, from).Scan(&c.first, &c.last, &unfinal, &c.outcomes)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("checkpoints: final prefix: %w", err)
		}
		if unfinal > after {
			return unfinal - 1, nil
		}
		found := 0
		err = c.statusRuns(func(status string, first, n int) {
			if found == 0 && !record.Final(status) && first+n-1 > after {
				found = max(first, after+1)
			}
		})
		if err != nil {
			return 0, fmt.Errorf("checkpoints: final prefix: %w", err)
		}
		if found > 0 {
			return found - 1, nil
		}
		from = c.first + 1
	}
	var last int
	if err := s.queryRow(ctx, maxSeqQuery).Scan(&last); err != nil {
		return 0, fmt.Errorf("checkpoints: final prefix: %w", err)
	}
	return max(after, last), nil
}

// pages iterates a keyset-paginated query taking (after, limit), a page
// of s.pageSize at a time.
func pages[T any](ctx context.Context, s *Store, query string, scan func(scanner) (T, error), key func(T) int64) iter.Seq2[T, error] {
	return pagesFrom(ctx, s, query, 0, s.pageSize, scan, key)
}

// pagesFrom is pages starting after a key, per items a page; the query
// takes more after (after, limit).
func pagesFrom[T any](ctx context.Context, s *Store, query string, from int64, per int, scan func(scanner) (T, error), key func(T) int64, more ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		after := from
		for {
			page, err := queryAll(ctx, reader{s}, query, scan, append([]any{after, per}, more...)...)
			if err != nil {
				yield(zero, fmt.Errorf("checkpoints: read page after %d: %w", after, err))
				return
			}
			for _, v := range page {
				if !yield(v, nil) {
					return
				}
			}
			if len(page) < per {
				return
			}
			after = key(page[len(page)-1])
		}
	}
}

// querier is a *sql.DB, a *sql.Tx or the store's readers (reader).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// reader queries through the store's read connections, with their
// prepared statement when the query is one of readQueries.
type reader struct{ s *Store }

func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.s.query(ctx, query, args...)
}

// queryAll runs a query and scans every row it returns.
func queryAll[T any](ctx context.Context, q querier, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Counts returns the number of rows per outcome status ("" for undecided
// rows) and the number of batches per state.
func (s *Store) Counts(ctx context.Context) (byStatus map[string]int, byBatchState map[string]int, err error) {
	byStatus = map[string]int{}
	for c, err := range s.chunkPages(ctx, allOutcomesQuery, 0, 0, scanChunkOutcomes) {
		if err != nil {
			return nil, nil, fmt.Errorf("checkpoints: counts: %w", err)
		}
		if err := c.statusRuns(func(status string, _, n int) { byStatus[status] += n }); err != nil {
			return nil, nil, fmt.Errorf("checkpoints: counts: %w", err)
		}
	}
	byBatchState, err = s.countBy(ctx, "SELECT state, COUNT(*) FROM batches GROUP BY state")
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoints: counts: %w", err)
	}
	return byStatus, byBatchState, nil
}

// UndecidedByBatchState counts the rows without an outcome by the state of
// their batch (record.Undecided says how each is shown).
func (s *Store) UndecidedByBatchState(ctx context.Context) (map[string]int, error) {
	type chunkOf struct {
		chunk
		state string // its batch's
	}
	scan := func(sc scanner) (chunkOf, error) {
		var c chunkOf
		err := sc.Scan(&c.first, &c.last, &c.outcomes, &c.state)
		return c, err
	}
	m := map[string]int{}
	for c, err := range pagesFrom(ctx, s, undecidedByStateRead, 0, chunksPerPage(s), scan, func(c chunkOf) int64 { return int64(c.first) }) {
		if err != nil {
			return nil, fmt.Errorf("checkpoints: undecided counts: %w", err)
		}
		if err := c.statusRuns(func(status string, _, n int) {
			if status == "" {
				m[c.state] += n
			}
		}); err != nil {
			return nil, fmt.Errorf("checkpoints: undecided counts: %w", err)
		}
	}
	return m, nil
}

func (s *Store) countBy(ctx context.Context, query string) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var (
			k string
			n int
		)
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// BatchCounts returns the number of batches per state: what Counts
// returns second, without reading the rows.
func (s *Store) BatchCounts(ctx context.Context) (map[string]int, error) {
	m, err := s.countBy(ctx, "SELECT state, COUNT(*) FROM batches GROUP BY state")
	if err != nil {
		return nil, fmt.Errorf("checkpoints: batch counts: %w", err)
	}
	return m, nil
}
