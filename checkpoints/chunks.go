package checkpoints

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/iqbulk/iqbulk/record"
)

// Schema 8 keeps the manifest's rows in chunks: one record per run of
// consecutive rows of one batch (or of rows decided when planned, batch 0),
// at most chunkRows of them, written when the rows are planned. A batch's
// rows are one record to insert, one to read back and one to update when
// its answer is recorded, where schema 7 inserted, read and updated a
// record per row (three B-trees each): that was most of the engine's CPU
// per row (issue 16).
//
//   - data: the rows' data blobs (appendRowData), in Seq order, after a
//     format byte (chunkDataV1) and their count, each after its length;
//   - outcomes: the rows' outcomes run-length encoded after a format byte
//     (chunkOutcomesV1): runs of rows sharing one encoded outcome
//     (appendOutcome, empty for none), each a count, a length and the
//     bytes. A batch decided as a whole is one run;
//   - unfinal: the Seq of the chunk's first row whose outcome is not final
//     for the results files (none, in doubt or pending), 0 when every row's
//     is: FinalPrefix reads it instead of every row's status.
//
// The keys table holds the key of every row planned with one and its
// manifest line (the first row's, when a key is recorded twice): the
// duplicate finder (Keys) asks it when its Bloom filter says maybe.
//
// Chunks never overlap and their rows are first_seq..last_seq: every read by
// Seq finds its chunk with one look-up of the primary key. Counts, reasons
// and reopening read the outcomes blobs (a few runs per chunk) rather than
// grouping rows in SQL.
const chunksTable = `
CREATE TABLE chunks (
	first_seq INTEGER PRIMARY KEY,
	last_seq  INTEGER NOT NULL,
	batch     INTEGER NOT NULL,
	unfinal   INTEGER NOT NULL,
	data      BLOB NOT NULL,
	outcomes  BLOB NOT NULL
);
CREATE INDEX chunks_batch ON chunks (batch);
CREATE TABLE keys (
	key  TEXT PRIMARY KEY,
	line INTEGER NOT NULL
) WITHOUT ROWID;
`

// chunkRows is the most rows a chunk holds: a batch's (DESIGN.md rule 1).
const chunkRows = 100

const (
	chunkDataV1     = 1
	chunkOutcomesV1 = 1
)

const (
	insertChunkQuery = "INSERT INTO chunks (first_seq, last_seq, batch, unfinal, data, outcomes) VALUES (?, ?, ?, ?, ?, ?)"
	// chunkAtQuery finds the chunk holding a Seq (its first_seq is the
	// largest at or below it; its last_seq says whether it holds it).
	chunkAtQuery         = "SELECT first_seq, last_seq, outcomes FROM chunks WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1"
	chunkDataAtQuery     = "SELECT first_seq, last_seq, data, outcomes FROM chunks WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1"
	updateChunkQuery     = "UPDATE chunks SET outcomes = ?, unfinal = ? WHERE first_seq = ?"
	batchChunksQuery     = "SELECT first_seq, last_seq, data, outcomes FROM chunks WHERE batch = ? ORDER BY first_seq"
	chunkPageQuery       = "SELECT first_seq, last_seq, data, outcomes FROM chunks WHERE first_seq > ? ORDER BY first_seq LIMIT ?"
	chunkPageUpToQuery   = "SELECT first_seq, last_seq, data, outcomes FROM chunks WHERE first_seq > ?1 AND first_seq <= ?3 ORDER BY first_seq LIMIT ?2"
	chunkStartQuery      = "SELECT first_seq FROM chunks WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1"
	keyLineQuery         = "SELECT line FROM keys WHERE key = ?"
	maxSeqQuery          = "SELECT COALESCE((SELECT last_seq FROM chunks ORDER BY first_seq DESC LIMIT 1), 0)"
	nextUnfinalQuery     = "SELECT first_seq, last_seq, unfinal, outcomes FROM chunks WHERE first_seq >= ? AND unfinal != 0 ORDER BY first_seq LIMIT 1"
	allOutcomesQuery     = "SELECT first_seq, last_seq, outcomes FROM chunks WHERE first_seq > ? ORDER BY first_seq LIMIT ?"
	undecidedByStateRead = "SELECT c.first_seq, c.last_seq, c.outcomes, b.state FROM chunks c JOIN batches b ON b.id = c.batch WHERE c.first_seq > ? ORDER BY c.first_seq LIMIT ?"
)

// chunkSpans splits rows (in Seq order) into chunks: runs of consecutive
// Seqs of one batch, at most chunkRows long. It returns their bounds as
// indexes into rows, [from, to).
func chunkSpans(rows []Row) [][2]int {
	var out [][2]int
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && j-i < chunkRows && rows[j].Batch == rows[i].Batch && rows[j].Seq == rows[j-1].Seq+1 {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j
	}
	return out
}

// keysPerInsert keys go into one INSERT (2 parameters each).
const keysPerInsert = 100

func insertKeysQuery(n int) string {
	return "INSERT OR IGNORE INTO keys (key, line) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?),", n), ",")
}

var insertKeysN = insertKeysQuery(keysPerInsert)

// insertChunks records rows (in Seq order, after every row recorded) as
// chunks, one statement each, and their keys, keysPerInsert a statement
// (both prepared once).
func (s *Store) insertChunks(ctx context.Context, tx *sql.Tx, rows []Row) error {
	args := make([]any, 0, 2*keysPerInsert)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q := insertKeysN
		if len(args) != 2*keysPerInsert {
			q = insertKeysQuery(len(args) / 2)
		}
		_, err := s.exec(ctx, tx, q, args...)
		args = args[:0]
		return err
	}
	for i := range rows {
		if rows[i].Key == "" {
			continue
		}
		if args = append(args, rows[i].Key, rows[i].Line); len(args) == 2*keysPerInsert {
			if err := flush(); err != nil {
				return fmt.Errorf("keys: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	var data, outs, one []byte
	for _, sp := range chunkSpans(rows) {
		rs := rows[sp[0]:sp[1]]
		data = data[:0]
		data = append(data, chunkDataV1)
		data = binary.AppendUvarint(data, uint64(len(rs)))
		for i := range rs {
			one = appendRowData(one[:0], &rs[i])
			data = binary.AppendUvarint(data, uint64(len(one)))
			data = append(data, one...)
		}
		var unfinal int
		outs, unfinal = appendRowOutcomes(outs[:0], rs)
		first, last := rs[0].Seq, rs[len(rs)-1].Seq
		if _, err := s.exec(ctx, tx, insertChunkQuery, first, last, rs[0].Batch, unfinal, data, outs); err != nil {
			return fmt.Errorf("rows %d to %d: %w", first, last, err)
		}
	}
	return nil
}

// appendRowOutcomes encodes the outcomes of rows (one chunk's) run-length,
// and returns the Seq of the first row whose outcome is not final (0 when
// none).
func appendRowOutcomes(dst []byte, rows []Row) ([]byte, int) {
	enc := make([][]byte, len(rows))
	unfinal := 0
	var buf []byte
	for i := range rows {
		start := len(buf)
		buf = appendOutcome(buf, &rows[i].Outcome)
		enc[i] = buf[start:len(buf):len(buf)]
		if unfinal == 0 && !record.Final(rows[i].Status) {
			unfinal = rows[i].Seq
		}
	}
	return appendRuns(dst, enc), unfinal
}

// appendRuns encodes per-row encoded outcomes run-length.
func appendRuns(dst []byte, per [][]byte) []byte {
	dst = append(dst, chunkOutcomesV1)
	for i := 0; i < len(per); {
		j := i + 1
		for j < len(per) && bytes.Equal(per[j], per[i]) {
			j++
		}
		dst = binary.AppendUvarint(dst, uint64(j-i))
		dst = binary.AppendUvarint(dst, uint64(len(per[i])))
		dst = append(dst, per[i]...)
		i = j
	}
	return dst
}

// run is one run of a chunk's outcomes: n rows sharing enc.
type run struct {
	n   int
	enc []byte
}

// decodeRuns decodes an outcomes blob of a chunk of n rows. The runs'
// bytes point into b.
func decodeRuns(b []byte, n int) ([]run, error) {
	if len(b) == 0 || b[0] != chunkOutcomesV1 {
		return nil, errCorrupt
	}
	b = b[1:]
	var out []run
	total := 0
	for len(b) > 0 {
		c, k := binary.Uvarint(b)
		if k <= 0 || c == 0 || c > uint64(n-total) {
			return nil, errCorrupt
		}
		b = b[k:]
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, errCorrupt
		}
		out = append(out, run{n: int(c), enc: b[k : k+int(l) : k+int(l)]})
		b = b[k+int(l):]
		total += int(c)
	}
	if total != n {
		return nil, errCorrupt
	}
	return out, nil
}

// chunk is a chunk as read: its bounds and blobs.
type chunk struct {
	first, last    int
	data, outcomes []byte
}

func (c chunk) n() (int, error) {
	if c.first < 1 || c.last < c.first || c.last-c.first >= 1<<20 {
		return 0, errCorrupt
	}
	return c.last - c.first + 1, nil
}

// runs decodes the chunk's outcomes.
func (c chunk) runs() ([]run, error) {
	n, err := c.n()
	if err != nil {
		return nil, err
	}
	runs, err := decodeRuns(c.outcomes, n)
	if err != nil {
		return nil, fmt.Errorf("rows %d to %d: outcomes: %w", c.first, c.last, err)
	}
	return runs, nil
}

// rows decodes the chunk's rows with their outcomes (and their Fields when
// withFields) and calls fn with each, in Seq order, until it returns false.
// Rows sharing an outcome get their own copy of its Extra map.
func (c chunk) rows(withFields bool, fn func(Row) bool) error {
	runs, err := c.runs()
	if err != nil {
		return err
	}
	n := c.last - c.first + 1
	b := c.data
	if len(b) == 0 || b[0] != chunkDataV1 {
		return fmt.Errorf("rows %d to %d: %w", c.first, c.last, errCorrupt)
	}
	b = b[1:]
	count, k := binary.Uvarint(b)
	if k <= 0 || count != uint64(n) {
		return fmt.Errorf("rows %d to %d: %w", c.first, c.last, errCorrupt)
	}
	b = b[k:]
	ri, left := 0, 0
	var o Outcome
	for i := range n {
		for left == 0 {
			if err := decodeOutcome(runs[ri].enc, &o); err != nil {
				return fmt.Errorf("row %d outcome: %w", c.first+i, err)
			}
			left = runs[ri].n
			ri++
		}
		left--
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return fmt.Errorf("row %d: %w", c.first+i, errCorrupt)
		}
		var r Row
		if err := decodeRow(b[k:k+int(l)], &r, withFields); err != nil {
			return fmt.Errorf("row %d: %w", c.first+i, err)
		}
		b = b[k+int(l):]
		if r.Seq != c.first+i {
			return fmt.Errorf("row %d: recorded as row %d: %w", c.first+i, r.Seq, errCorrupt)
		}
		r.Outcome = o
		if len(o.Extra) > 0 {
			r.Extra = maps.Clone(o.Extra)
		}
		if !fn(r) {
			return nil
		}
	}
	if len(b) != 0 {
		return fmt.Errorf("rows %d to %d: %w", c.first, c.last, errCorrupt)
	}
	return nil
}

// row decodes the row with Seq seq of the chunk.
func (c chunk) row(seq int) (Row, error) {
	var out Row
	found := false
	err := c.rows(false, func(r Row) bool {
		if r.Seq == seq {
			out, found = r, true
			return false
		}
		return true
	})
	if err == nil && !found {
		err = fmt.Errorf("row %d: %w", seq, ErrNotFound)
	}
	return out, err
}

// statusRuns calls fn with the status of each run of the chunk's outcomes
// and its length, and with the Seq of its first row.
func (c chunk) statusRuns(fn func(status string, first, n int)) error {
	runs, err := c.runs()
	if err != nil {
		return err
	}
	seq := c.first
	for _, r := range runs {
		var o Outcome
		if err := decodeOutcome(r.enc, &o); err != nil {
			return fmt.Errorf("row %d outcome: %w", seq, err)
		}
		fn(o.Status, seq, r.n)
		seq += r.n
	}
	return nil
}

func scanChunk(sc scanner) (chunk, error) {
	var c chunk
	err := sc.Scan(&c.first, &c.last, &c.data, &c.outcomes)
	return c, err
}

func scanChunkOutcomes(sc scanner) (chunk, error) {
	var c chunk
	err := sc.Scan(&c.first, &c.last, &c.outcomes)
	return c, err
}

// updateOutcomes sets the outcomes of rows (the last one given for a Seq
// wins) in tx: one read and one write per chunk they fall in. A chunk
// whose every row gets one outcome is written as one run without reading
// its old outcomes' runs. An unknown Seq fails the write (ErrNotFound).
func (s *Store) updateOutcomes(ctx context.Context, tx *sql.Tx, rows []RowOutcome) error {
	if len(rows) == 0 {
		return nil
	}
	for _, r := range rows {
		if !validStatus(r.Status) {
			return fmt.Errorf("row %d: status %q: %w", r.Seq, r.Status, ErrInvalid)
		}
	}
	sorted := slices.Clone(rows)
	slices.SortStableFunc(sorted, func(a, b RowOutcome) int { return a.Seq - b.Seq })
	// Keep the last outcome given for each Seq.
	k := 0
	for i := range sorted {
		if i+1 < len(sorted) && sorted[i+1].Seq == sorted[i].Seq {
			continue
		}
		sorted[k] = sorted[i]
		k++
	}
	sorted = sorted[:k]
	at := tx.StmtContext(ctx, s.wstmts[chunkAtQuery])
	var blob []byte
	for i := 0; i < len(sorted); {
		seq := sorted[i].Seq
		c, err := scanChunkOutcomes(at.QueryRowContext(ctx, seq))
		if errors.Is(err, sql.ErrNoRows) || err == nil && c.last < seq {
			return fmt.Errorf("row %d: %w", seq, ErrNotFound)
		}
		if err != nil {
			return err
		}
		n, err := c.n()
		if err != nil {
			return err
		}
		j := i
		for j < len(sorted) && sorted[j].Seq <= c.last {
			j++
		}
		group := sorted[i:j]
		i = j
		var unfinal int
		if len(group) == n && allSameOutcome(group) {
			enc := appendOutcome(nil, &group[0].Outcome)
			blob = append(blob[:0], chunkOutcomesV1)
			blob = binary.AppendUvarint(blob, uint64(n))
			blob = binary.AppendUvarint(blob, uint64(len(enc)))
			blob = append(blob, enc...)
			if !record.Final(group[0].Status) {
				unfinal = c.first
			}
		} else {
			runs, err := c.runs()
			if err != nil {
				return err
			}
			per := make([][]byte, 0, n)
			for _, r := range runs {
				for range r.n {
					per = append(per, r.enc)
				}
			}
			for _, g := range group {
				per[g.Seq-c.first] = appendOutcome(nil, &g.Outcome)
			}
			blob = appendRuns(blob[:0], per)
			if unfinal, err = firstUnfinal(c.first, per); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, updateChunkQuery, blob, unfinal, c.first); err != nil {
			return err
		}
	}
	return nil
}

// firstUnfinal returns the Seq of the first of per (encoded outcomes from
// Seq first on) whose status is not final, 0 when none.
func firstUnfinal(first int, per [][]byte) (int, error) {
	var prev []byte
	prevUnfinal := false
	for i, enc := range per {
		if i == 0 || !bytes.Equal(enc, prev) {
			var o Outcome
			if err := decodeOutcome(enc, &o); err != nil {
				return 0, fmt.Errorf("row %d outcome: %w", first+i, err)
			}
			prev, prevUnfinal = enc, !record.Final(o.Status)
		}
		if prevUnfinal {
			return first + i, nil
		}
	}
	return 0, nil
}

func allSameOutcome(rows []RowOutcome) bool {
	for _, r := range rows[1:] {
		if !sameOutcome(rows[0].Outcome, r.Outcome) {
			return false
		}
	}
	return true
}

// sameOutcome reports whether two outcomes are the same in every column.
func sameOutcome(a, b Outcome) bool {
	return a.Status == b.Status && a.Code == b.Code && a.Message == b.Message && a.OrderID == b.OrderID && maps.Equal(a.Extra, b.Extra)
}

// rowAt reads the row with Seq seq (without its fields) through q, a
// reader of chunkDataAtQuery; found is false when no row has it.
func rowAt(ctx context.Context, q interface {
	QueryRowContext(context.Context, ...any) *sql.Row
}, seq int) (r Row, found bool, err error) {
	c, err := scanChunk(q.QueryRowContext(ctx, seq))
	if errors.Is(err, sql.ErrNoRows) || err == nil && c.last < seq {
		return Row{}, false, nil
	}
	if err != nil {
		return Row{}, false, err
	}
	r, err = c.row(seq)
	return r, err == nil, err
}

// chunkPages streams the chunks with first_seq above after (and, when
// upTo > 0, at most upTo) in Seq order, a page of chunks at a time, each
// page a short read of its own.
func (s *Store) chunkPages(ctx context.Context, query string, after int, upTo int, scan func(scanner) (chunk, error)) iter.Seq2[chunk, error] {
	var more []any
	if upTo > 0 {
		more = []any{upTo}
	}
	return pagesFrom(ctx, s, query, int64(after), chunksPerPage(s), scan, func(c chunk) int64 { return int64(c.first) }, more...)
}

// chunksPerPage is how many chunks a page of rows reads: the store's page
// of rows, in chunks of up to chunkRows.
func chunksPerPage(s *Store) int { return max(1, s.pageSize/chunkRows) }
