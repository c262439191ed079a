package checkpoints

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// The rows table of schemas 6 and 7 (rowsTable), one record per row: how a
// checkpoint written by an older iqbulk is migrated, from the columns of
// schema 5 to the blobs of 7 and then into the chunks of schema 8
// (migrateChunks8). Nothing else writes or reads it.

const (
	// rowCols are every column of a row, in the order insertRows binds
	// them.
	rowCols = "seq, key, batch, status, code, message, data, outcome"
	// plainCols are those of an undecided row; the others keep their
	// defaults. Most rows are recorded so: four parameters, not eight.
	plainCols = "seq, key, batch, data"
	// readCols are what a read of rows selects: the blobs hold it all
	// (codec.go).
	readCols = "data, outcome"
)

// rowsPerInsert rows go into one INSERT (8 parameters each, far below
// SQLite's limit of 32,766).
const rowsPerInsert = 100

// insertQuery is the INSERT of n rows of the given columns.
func insertQuery(cols string, n int) string {
	one := "(?" + strings.Repeat(", ?", strings.Count(cols, ",")) + ")"
	return "INSERT INTO rows (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", n), ",")
}

var (
	insertPlainN = insertQuery(plainCols, rowsPerInsert)
	insertPlain1 = insertQuery(plainCols, 1)
	insertFullN  = insertQuery(rowCols, rowsPerInsert)
	insertFull1  = insertQuery(rowCols, 1)
)

// plain reports whether a row is recorded with its outcome columns at their
// defaults.
func plain(r *Row) bool {
	return r.Status == "" && r.Code == "" && r.Message == "" && r.OrderID == "" && len(r.Extra) == 0
}

// insertRows inserts rows: undecided ones with plainCols, decided ones with
// rowCols, rowsPerInsert to a statement (prepared once, see Store.exec),
// the rest one at a time.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, rows []Row) error {
	var plainArgs, fullArgs []any
	var plainSeq, fullSeq []int // the Seqs in each, for errors
	flush := func(args *[]any, seqs *[]int, full bool) error {
		per, qN, q1 := 4, insertPlainN, insertPlain1
		if full {
			per, qN, q1 = 8, insertFullN, insertFull1
		}
		n := len(*args) / per
		var err error
		if n == rowsPerInsert {
			_, err = s.exec(ctx, tx, qN, *args...)
		} else {
			for i := 0; i < n && err == nil; i++ {
				_, err = s.exec(ctx, tx, q1, (*args)[i*per:(i+1)*per]...)
			}
		}
		if err != nil {
			return fmt.Errorf("rows %d to %d: %w", (*seqs)[0], (*seqs)[len(*seqs)-1], err)
		}
		*args, *seqs = (*args)[:0], (*seqs)[:0]
		return nil
	}
	// The blobs share one buffer (each a capped slice of it): one
	// allocation for a step's rows rather than a few per row.
	buf := make([]byte, 0, 64*len(rows))
	blob := func(start int) []byte { return buf[start:len(buf):len(buf)] }
	for i := range rows {
		r := &rows[i]
		start := len(buf)
		buf = appendRowData(buf, r)
		data := blob(start)
		if plain(r) {
			if plainArgs == nil {
				plainArgs = make([]any, 0, 4*rowsPerInsert)
			}
			plainArgs = append(plainArgs, r.Seq, r.Key, r.Batch, data)
			if plainSeq = append(plainSeq, r.Seq); len(plainSeq) == rowsPerInsert {
				if err := flush(&plainArgs, &plainSeq, false); err != nil {
					return err
				}
			}
			continue
		}
		start = len(buf)
		buf = appendOutcome(buf, &r.Outcome)
		fullArgs = append(fullArgs, r.Seq, r.Key, r.Batch, r.Status, r.Code, r.Message, data, nonNil(blob(start)))
		if fullSeq = append(fullSeq, r.Seq); len(fullSeq) == rowsPerInsert {
			if err := flush(&fullArgs, &fullSeq, true); err != nil {
				return err
			}
		}
	}
	if len(plainSeq) > 0 {
		if err := flush(&plainArgs, &plainSeq, false); err != nil {
			return err
		}
	}
	if len(fullSeq) > 0 {
		return flush(&fullArgs, &fullSeq, true)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

// rowScan reads readCols from a *sql.Rows, the blobs in place, into rows
// (with their fields or not): one per query, so that scanning a row
// allocates nothing but the row's own strings.
type rowScan struct {
	withFields bool
	data, out  sql.RawBytes
	dest       [2]any
}

func newRowScan(withFields bool) *rowScan {
	rs := &rowScan{withFields: withFields}
	rs.dest = [2]any{&rs.data, &rs.out}
	return rs
}

func (rs *rowScan) scan(sc scanner) (Row, error) {
	var r Row
	if err := sc.Scan(rs.dest[:]...); err != nil {
		return Row{}, err
	}
	if err := decodeRow(rs.data, &r, rs.withFields); err != nil {
		return Row{}, fmt.Errorf("row data: %w", err)
	}
	if err := decodeOutcome(rs.out, &r.Outcome); err != nil {
		return Row{}, fmt.Errorf("row %d outcome: %w", r.Seq, err)
	}
	return r, nil
}

// migrateRows6 rewrites the rows table of schema 5 (and before: it did not
// change from 1 to 5) in the layout of schema 6 and the blobs of the
// current schema, in the migration's transaction.
// A table that is schema 6's already (a migration may meet one) is left
// as it is; rebuilt says whether it was rebuilt.
func (s *Store) migrateRows6(ctx context.Context, tx *sql.Tx) (rebuilt bool, err error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM pragma_table_info('rows') WHERE name = 'data'").Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	for _, q := range []string{"DROP INDEX IF EXISTS rows_key", "DROP INDEX IF EXISTS rows_batch",
		"ALTER TABLE rows RENAME TO rows_v5", rowsTable} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return false, err
		}
	}
	const page = 1000
	after := 0
	for {
		rows, err := readRows5(ctx, tx, after, page)
		if err != nil {
			return false, err
		}
		if err := s.insertRows(ctx, tx, rows); err != nil {
			return false, err
		}
		if len(rows) < page {
			break
		}
		after = rows[len(rows)-1].Seq
	}
	for _, q := range []string{"DROP TABLE rows_v5", rowsIndexes} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return false, err
		}
	}
	return true, nil
}

// readRows5 reads a page of schema 5's rows (table rows_v5 during the
// migration) after Seq after.
func readRows5(ctx context.Context, tx *sql.Tx, after, limit int) ([]Row, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, line, key, vals, fields, batch, status, code, message, order_id, extra
		FROM rows_v5 WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var (
			r                   Row
			vals, fields, extra []byte
		)
		if err := rows.Scan(&r.Seq, &r.Line, &r.Key, &vals, &fields, &r.Batch, &r.Status, &r.Code, &r.Message, &r.OrderID, &extra); err != nil {
			return nil, err
		}
		if r.Values, err = decodeStrings(vals); err != nil {
			return nil, fmt.Errorf("row %d values: %w", r.Seq, err)
		}
		if r.Fields, err = decodeMap(fields); err != nil {
			return nil, fmt.Errorf("row %d fields: %w", r.Seq, err)
		}
		if r.Extra, err = decodeMap(extra); err != nil {
			return nil, fmt.Errorf("row %d extra: %w", r.Seq, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// migrateBlobs7 rewrites, in place, the blobs of schema 6 (data without
// the row's Seq, batch and key; outcome without its status, code and
// message) as the current schema's. A row whose blobs are current already
// is left as it is.
func (s *Store) migrateBlobs7(ctx context.Context, tx *sql.Tx) error {
	const page = 1000
	after := 0
	for {
		rows, last, err := readRows6(ctx, tx, after, page)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, "UPDATE rows SET data = ?, outcome = ? WHERE seq = ?",
				appendRowData(nil, &r), appendOutcome([]byte{}, &r.Outcome), r.Seq); err != nil {
				return err
			}
		}
		if last == 0 {
			return nil
		}
		after = last
	}
}

// readRows6 reads the rows after Seq after whose blobs are schema 6's, out
// of the next limit rows; last is the last Seq read (0 when none was).
func readRows6(ctx context.Context, tx *sql.Tx, after, limit int) (out []Row, last int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, key, batch, status, code, message, data, outcome
		FROM rows WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r             Row
			data, outcome []byte
		)
		if err := rows.Scan(&r.Seq, &r.Key, &r.Batch, &r.Status, &r.Code, &r.Message, &data, &outcome); err != nil {
			return nil, 0, err
		}
		last = r.Seq
		oldData := len(data) > 0 && data[0] == rowDataV1
		// Schema 6 left the blob empty for an outcome without an order id
		// or extra columns; now it is empty only for no outcome at all.
		oldOut := len(outcome) > 0 && outcome[0] != outcomeV7 ||
			len(outcome) == 0 && (r.Status != "" || r.Code != "" || r.Message != "")
		if !oldData && !oldOut {
			continue
		}
		var cur Row
		if oldData {
			cur.Seq, cur.Key, cur.Batch = r.Seq, r.Key, r.Batch
			if cur.Line, cur.Values, cur.Fields, err = decodeRowData6(data); err != nil {
				return nil, 0, fmt.Errorf("row %d data: %w", r.Seq, err)
			}
		} else if err := decodeRow(data, &cur, true); err != nil {
			return nil, 0, fmt.Errorf("row %d data: %w", r.Seq, err)
		}
		if oldOut {
			cur.Status, cur.Code, cur.Message = r.Status, r.Code, r.Message
			if cur.OrderID, cur.Extra, err = decodeOutcome6(outcome); err != nil {
				return nil, 0, fmt.Errorf("row %d outcome: %w", r.Seq, err)
			}
		} else if err := decodeOutcome(outcome, &cur.Outcome); err != nil {
			return nil, 0, fmt.Errorf("row %d outcome: %w", r.Seq, err)
		}
		out = append(out, cur)
	}
	return out, last, rows.Err()
}

// migrateChunks8 moves the rows table of schema 7 (one record per row)
// into chunks (chunks.go), in the migration's transaction, and drops it.
func (s *Store) migrateChunks8(ctx context.Context, tx *sql.Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'rows'").Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, chunksTable); err != nil {
		return err
	}
	const page = 1000
	after := 0
	rs := newRowScan(true)
	for {
		rows, err := tx.QueryContext(ctx, "SELECT "+readCols+" FROM rows WHERE seq > ? ORDER BY seq LIMIT ?", after, page)
		if err != nil {
			return err
		}
		var got []Row
		for rows.Next() {
			r, err := rs.scan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			got = append(got, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := s.insertChunks(ctx, tx, got); err != nil {
			return err
		}
		if len(got) < page {
			break
		}
		after = got[len(got)-1].Seq
	}
	_, err := tx.ExecContext(ctx, "DROP TABLE rows")
	return err
}
