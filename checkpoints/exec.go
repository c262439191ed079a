package checkpoints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
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
	rows, err := s.query(ctx, batchRowsQuery, id)
	if err != nil {
		return nil, fmt.Errorf("checkpoints: batch %d rows: %w", id, err)
	}
	defer rows.Close()
	out := make([]Row, 0, 100) // a batch holds at most 100 rows (DESIGN.md rule 1)
	rs := newRowScan(true)
	for rows.Next() {
		r, err := rs.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("checkpoints: batch %d rows: %w", id, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoints: batch %d rows: %w", id, err)
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
// decided again; they stay failed, in failed.csv, for a new run.
func (s *Store) ReopenFailed(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, "reopen failed rows", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE batches SET state = ? WHERE id IN
			(SELECT DISTINCT batch FROM rows WHERE status = ? AND batch > 0)
			AND id NOT IN (SELECT DISTINCT batch FROM steps)`, record.BatchInDoubt, record.StatusFailed); err != nil {
			return err
		}
		// The rows keep their order ids and extra columns; their blobs say
		// the same as their columns (codec.go).
		after := 0
		for {
			seqs, outs, err := failedOutcomes(ctx, tx, after)
			if err != nil {
				return err
			}
			for i, seq := range seqs {
				if _, err := tx.ExecContext(ctx, "UPDATE rows SET status = '', code = '', message = '', outcome = ? WHERE seq = ?",
					appendOutcome([]byte{}, &outs[i]), seq); err != nil {
					return err
				}
			}
			n += int64(len(seqs))
			if len(seqs) < reopenPage {
				return nil
			}
			after = seqs[len(seqs)-1]
		}
	})
	return int(n), err
}

const reopenPage = 1000

// failedOutcomes reads, after Seq after, up to reopenPage failed rows that
// ReopenFailed reopens, with their outcomes cleared of status, code and
// message.
func failedOutcomes(ctx context.Context, tx *sql.Tx, after int) ([]int, []Outcome, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, outcome FROM rows WHERE status = ? AND batch > 0
		AND batch NOT IN (SELECT DISTINCT batch FROM steps) AND seq > ? ORDER BY seq LIMIT ?`, record.StatusFailed, after, reopenPage)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var (
		seqs []int
		outs []Outcome
	)
	for rows.Next() {
		var (
			seq int
			b   sql.RawBytes
			o   Outcome
		)
		if err := rows.Scan(&seq, &b); err != nil {
			return nil, nil, err
		}
		if err := decodeOutcome(b, &o); err != nil {
			return nil, nil, fmt.Errorf("row %d outcome: %w", seq, err)
		}
		seqs = append(seqs, seq)
		outs = append(outs, Outcome{OrderID: o.OrderID, Extra: o.Extra})
	}
	return seqs, outs, rows.Err()
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
	batchQuery     = "SELECT " + batchCols + " FROM batches WHERE id = ?"
	batchRowsQuery = "SELECT " + readCols + " FROM rows WHERE batch = ? ORDER BY seq"
	markSentQuery  = `UPDATE batches SET state = ?, attempts = attempts + 1,
			sent_at = CASE WHEN sent_at = '' THEN ? ELSE sent_at END, last_sent_at = ?,
			request_hash = ? WHERE id = ?`
	finishBatchQuery = "UPDATE batches SET state = ?, order_id = ?, error = ?, done_at = ? WHERE id = ?"
	updateRangeQuery = "UPDATE rows SET status = ?, code = ?, message = ?, outcome = ? WHERE seq BETWEEN ? AND ?"
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

func (s *Store) updateOutcomes(ctx context.Context, tx *sql.Tx, rows []RowOutcome) error {
	// This runs for every batch the engine finishes. Rows that share one
	// outcome (the common case: a whole batch ok) and have consecutive
	// Seqs are set by range, one short statement for the run of rows;
	// the others one statement per chunk (UPDATE ... FROM VALUES).
	last := make(map[int]int, len(rows)) // seq -> index of its last outcome
	for i, r := range rows {
		last[r.Seq] = i
	}
	rows, err := s.updateRanges(ctx, tx, rows, last)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	clear(last)
	for i, r := range rows {
		last[r.Seq] = i
	}
	const chunk = 200
	var (
		args []any
		n    int
		sb   strings.Builder
	)
	flush := func() error {
		if n == 0 {
			return nil
		}
		q := "UPDATE rows SET status = v.column2, code = v.column3, message = v.column4, outcome = v.column5 FROM (VALUES " +
			sb.String() + ") AS v WHERE rows.seq = v.column1"
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		got, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if got != int64(n) {
			return fmt.Errorf("%d of %d rows unknown: %w", int64(n)-got, n, ErrNotFound)
		}
		args, n = args[:0], 0
		sb.Reset()
		return nil
	}
	for i, r := range rows {
		if last[r.Seq] != i {
			continue // a later outcome for the same row wins
		}
		if !validStatus(r.Status) {
			return fmt.Errorf("row %d: status %q: %w", r.Seq, r.Status, ErrInvalid)
		}
		if n > 0 {
			sb.WriteString(",")
		}
		sb.WriteString("(?,?,?,?,?)")
		args = append(args, r.Seq, r.Status, r.Code, r.Message, appendOutcome([]byte{}, &r.Outcome))
		if n++; n == chunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// minRange is the fewest consecutive rows with one outcome that
// updateRanges sets with a range rather than leaving them to the VALUES
// statement.
const minRange = 8

// updateRanges sets, by Seq range, the outcome of runs of at least minRange
// consecutive Seqs that share one outcome (the last outcome given for each
// Seq wins, as in updateOutcomes), and returns the rows it left for
// updateOutcomes' general statement.
func (s *Store) updateRanges(ctx context.Context, tx *sql.Tx, rows []RowOutcome, last map[int]int) ([]RowOutcome, error) {
	type run struct{ lo, hi, idx int } // Seqs lo..hi, outcome of rows[idx]
	seqs := make([]int, 0, len(last))
	for seq := range last {
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	var runs []run
	var rest []RowOutcome
	outs := make([][]byte, len(rows))
	for i := 0; i < len(seqs); {
		first := last[seqs[i]]
		outs[first] = appendOutcome([]byte{}, &rows[first].Outcome)
		j := i + 1
		for ; j < len(seqs) && seqs[j] == seqs[j-1]+1; j++ {
			k := last[seqs[j]]
			if !sameOutcome(rows[first].Outcome, rows[k].Outcome) {
				break
			}
		}
		if j-i >= minRange {
			runs = append(runs, run{seqs[i], seqs[j-1], first})
		} else {
			for _, seq := range seqs[i:j] {
				rest = append(rest, rows[last[seq]])
			}
		}
		i = j
	}
	for _, r := range runs {
		o := rows[r.idx]
		if !validStatus(o.Status) {
			return nil, fmt.Errorf("row %d: status %q: %w", o.Seq, o.Status, ErrInvalid)
		}
		res, err := s.exec(ctx, tx, updateRangeQuery, o.Status, o.Code, o.Message, outs[r.idx], r.lo, r.hi)
		if err != nil {
			return nil, err
		}
		got, err := res.RowsAffected()
		if err != nil {
			return nil, err
		}
		if want := int64(r.hi - r.lo + 1); got != want {
			return nil, fmt.Errorf("%d of %d rows unknown: %w", want-got, want, ErrNotFound)
		}
	}
	return rest, nil
}

// sameOutcome reports whether two outcomes are the same in every column.
func sameOutcome(a, b Outcome) bool {
	return a.Status == b.Status && a.Code == b.Code && a.Message == b.Message && a.OrderID == b.OrderID && maps.Equal(a.Extra, b.Extra)
}

// Rows streams every row in Seq order. It reads a page of rows at a time,
// each page a short read of its own, so the iteration holds no read
// transaction and needs memory for one page only. Rows changed during the
// iteration are seen as of the page that reads them. Iteration stops at the
// first error, which is yielded with a zero Row.
func (s *Store) Rows(ctx context.Context) iter.Seq2[Row, error] {
	return rowPages(ctx, s, rowsPageQuery, 0, true)
}

// OutputRows streams every row in Seq order as Rows does, without its
// parsed Fields (left nil): what the results files show (and the key the
// report names example rows by), read without decoding what they do not
// show.
// Only rows with a Seq above after and, when upTo > 0, up to upTo.
func (s *Store) OutputRows(ctx context.Context, after, upTo int) iter.Seq2[Row, error] {
	if upTo > 0 {
		return rowPages(ctx, s, outputPageUpToQuery, after, false, upTo)
	}
	return rowPages(ctx, s, outputPageQuery, after, false)
}

// rowPages is pagesFrom for rows, with a rowScan of each iteration's own.
func rowPages(ctx context.Context, s *Store, query string, after int, withFields bool, more ...any) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		rs := newRowScan(withFields)
		scan := rs.scan
		if !withFields {
			scan = rs.scanOutput
		}
		for r, err := range pagesFrom(ctx, s, query, int64(after), scan, func(r Row) int64 { return int64(r.Seq) }, more...) {
			if !yield(r, err) {
				return
			}
		}
	}
}

const (
	rowsPageQuery       = "SELECT " + readCols + " FROM rows WHERE seq > ? ORDER BY seq LIMIT ?"
	outputPageQuery     = rowsPageQuery
	outputPageUpToQuery = "SELECT " + readCols + " FROM rows WHERE seq > ?1 AND seq <= ?3 ORDER BY seq LIMIT ?2"
	finalPrefixQuery    = "SELECT MIN(seq) FROM rows WHERE seq > ? AND status IN ('', ?, ?)"
)

// FinalPrefix returns the last Seq of the rows after after whose outcomes
// are final for this process — decided, and neither in doubt (a
// reconciliation decides it) nor pending (a follow-up does) — up to the
// first row that is not (after itself when that is the next row).
func (s *Store) FinalPrefix(ctx context.Context, after int) (int, error) {
	var first, last sql.NullInt64
	if err := s.queryRow(ctx, finalPrefixQuery, after, record.StatusInDoubt, record.StatusPending).Scan(&first); err != nil {
		return 0, fmt.Errorf("checkpoints: final prefix: %w", err)
	}
	if first.Valid {
		return int(first.Int64) - 1, nil
	}
	if err := s.r.QueryRowContext(ctx, "SELECT MAX(seq) FROM rows").Scan(&last); err != nil {
		return 0, fmt.Errorf("checkpoints: final prefix: %w", err)
	}
	return max(after, int(last.Int64)), nil
}

// pages iterates a keyset-paginated query taking (after, limit).
func pages[T any](ctx context.Context, s *Store, query string, scan func(scanner) (T, error), key func(T) int64) iter.Seq2[T, error] {
	return pagesFrom(ctx, s, query, 0, scan, key)
}

// pagesFrom is pages starting after a key; the query takes more after
// (after, limit).
func pagesFrom[T any](ctx context.Context, s *Store, query string, from int64, scan func(scanner) (T, error), key func(T) int64, more ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		after := from
		for {
			page, err := readPage(ctx, s, query, after, scan, more...)
			if err != nil {
				yield(zero, fmt.Errorf("checkpoints: read page after %d: %w", after, err))
				return
			}
			for _, v := range page {
				if !yield(v, nil) {
					return
				}
			}
			if len(page) < s.pageSize {
				return
			}
			after = key(page[len(page)-1])
		}
	}
}

func readPage[T any](ctx context.Context, s *Store, query string, after int64, scan func(scanner) (T, error), more ...any) ([]T, error) {
	rows, err := s.query(ctx, query, append([]any{after, s.pageSize}, more...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := make([]T, 0, s.pageSize)
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		page = append(page, v)
	}
	return page, rows.Err()
}

// Counts returns the number of rows per outcome status ("" for undecided
// rows) and the number of batches per state.
func (s *Store) Counts(ctx context.Context) (byStatus map[string]int, byBatchState map[string]int, err error) {
	byStatus, err = s.countBy(ctx, "SELECT status, COUNT(*) FROM rows GROUP BY status")
	if err != nil {
		return nil, nil, fmt.Errorf("checkpoints: counts: %w", err)
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
	m, err := s.countBy(ctx, "SELECT b.state, COUNT(*) FROM rows r JOIN batches b ON b.id = r.batch WHERE r.status = '' GROUP BY b.state")
	if err != nil {
		return nil, fmt.Errorf("checkpoints: undecided counts: %w", err)
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
