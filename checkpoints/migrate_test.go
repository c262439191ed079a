package checkpoints

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// testdata/v5.state.db is a checkpoint written by schema version 5 (before
// rows kept their cells, fields and outcome details as blobs), and
// testdata/v6.state.db one written by schema version 6 (before the blobs
// held all of a row): each a run whose plan is v5Plan, and batch 2
// finished with v5Outcomes.

func v5Run() Run {
	return Run{ID: "tn-note-v5", Job: "tn-note", ManifestPath: "notes.csv", ManifestHash: "h", Header: []string{"tn", "note"},
		Endpoint: "sandbox", State: record.RunInterrupted}
}

func v5Plan() ([]Row, []Batch) {
	rows := []Row{
		{Seq: 1, Line: 2, Key: "3125550001", Values: []string{"3125550001", "note 1"}, Fields: map[string]string{"note": "note 1"}, Batch: 1},
		{Seq: 2, Line: 3, Key: "3125550002", Values: []string{"3125550002", "caf\xe9 \x00 \u2028"}, Fields: map[string]string{"note": "caf\xe9 \x00 \u2028", "": "empty name"}, Batch: 2},
		{Seq: 3, Line: 4, Key: "", Values: []string{"312", ""}, Batch: 0,
			Outcome: Outcome{Status: record.StatusInvalid, Code: "invalid", Message: "tn: not a number"}},
		{Seq: 4, Line: 5, Key: "3125550004", Values: []string{"3125550004", "four"}, Fields: map[string]string{"note": "four"}, Batch: 2},
		{Seq: 5, Line: 7, Key: "", Values: []string{"3125550001", "again"}, Batch: 0,
			Outcome: Outcome{Status: record.StatusSkipped, Code: "duplicate", Message: "duplicate of row 2", Extra: map[string]string{"x": "y"}}},
		{Seq: 6, Line: 8, Key: "3125550006", Values: []string{}, Batch: 1},
	}
	batches := []Batch{
		{ID: 1, State: record.BatchPlanned, CustomerOrderReference: "ref-1", Rows: 2},
		{ID: 2, State: record.BatchPlanned, CustomerOrderReference: "ref-2", Rows: 2},
	}
	return rows, batches
}

func v5Outcomes() []RowOutcome {
	return []RowOutcome{
		{Seq: 2, Outcome: Outcome{Status: record.StatusOK, Code: "ok", OrderID: "O-2", Extra: map[string]string{"routing_label": "L1", "b": ""}}},
		{Seq: 4, Outcome: Outcome{Status: record.StatusExcluded, Code: "409", Message: "TN is on an existing order", OrderID: "O-2"}},
	}
}

// v5Want is every row of the fixture as the store must read it back.
func v5Want() []Row {
	rows, _ := v5Plan()
	for _, o := range v5Outcomes() {
		rows[o.Seq-1].Outcome = o.Outcome
	}
	for i := range rows {
		if len(rows[i].Fields) == 0 {
			rows[i].Fields = nil
		}
		if len(rows[i].Extra) == 0 {
			rows[i].Extra = nil
		}
	}
	return rows
}

// copyFixture copies a testdata state.db to a temporary directory.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	in, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer in.Close()
	path := filepath.Join(t.TempDir(), "state.db")
	out, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
	return path
}

// A version 5 checkpoint opens and is migrated: every row reads back as
// it was written, the duplicate finder and reasons still find lines, and
// the run goes on (outcomes recorded, rows appended) in the new layout.
func TestMigrateSchema5Rows(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, copyFixture(t, "v5.state.db"))
	require.NoError(t, err)
	defer s.Close()

	var v int
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v))
	assert.Equal(t, SchemaVersion, v)
	fresh, _ := openTemp(t)
	for _, name := range []string{"chunks", "chunks_batch"} {
		var got, want string
		require.NoError(t, s.r.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE name = ?", name).Scan(&got))
		require.NoError(t, fresh.r.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE name = ?", name).Scan(&want))
		assert.Equal(t, want, got, name)
	}
	var old int
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('rows', 'rows_key', 'rows_batch')").Scan(&old))
	assert.Zero(t, old, "schema 7's rows table is gone")
	requireChunksConsistent(t, s)

	var got []Row
	for r, err := range s.Rows(ctx) {
		require.NoError(t, err)
		got = append(got, r)
	}
	assert.Equal(t, v5Want(), got)
	run, err := s.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, v5Run().ID, run.ID)

	keys, err := s.NewKeys(ctx)
	require.NoError(t, err)
	line, seen, err := keys.Seen("3125550002")
	require.NoError(t, err)
	assert.True(t, seen)
	assert.Equal(t, 3, line)
	require.NoError(t, keys.Close())
	reasons, err := s.Reasons(ctx, 5, 5, record.StatusInvalid)
	require.NoError(t, err)
	require.Len(t, reasons, 1)
	assert.Equal(t, []Example{{Line: 4}}, reasons[0].Examples)

	ok := Outcome{Status: record.StatusOK, Code: "ok", OrderID: "O-1", Extra: map[string]string{"k": "v"}}
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchDone}, []RowOutcome{{Seq: 1, Outcome: ok}, {Seq: 6, Outcome: ok}}))
	next := Row{Seq: 7, Line: 9, Key: "3125550007", Values: []string{"3125550007", "seven"}, Fields: map[string]string{"note": "seven"}, Batch: 3}
	require.NoError(t, s.AppendPlan(ctx, []Row{next}, []Batch{{ID: 3, State: record.BatchOpen, Rows: 1}}))
	want := append(v5Want(), next)
	want[0].Outcome, want[5].Outcome = ok, ok
	got = got[:0]
	for r, err := range s.Rows(ctx) {
		require.NoError(t, err)
		got = append(got, r)
	}
	assert.Equal(t, want, got)
	byStatus, _, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 1, record.StatusOK: 3, record.StatusExcluded: 1, record.StatusInvalid: 1, record.StatusSkipped: 1}, byStatus)
}

// A version 6 checkpoint (rows in blobs without their Seq, batch, key and
// outcome words) opens and is migrated like a version 5 one.
func TestMigrateSchema6Rows(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, copyFixture(t, "v6.state.db"))
	require.NoError(t, err)
	defer s.Close()
	var v int
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v))
	assert.Equal(t, SchemaVersion, v)
	var got []Row
	for r, err := range s.Rows(ctx) {
		require.NoError(t, err)
		got = append(got, r)
	}
	assert.Equal(t, v5Want(), got)
	requireChunksConsistent(t, s)
	rows, err := s.BatchRows(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, []Row{v5Want()[1], v5Want()[3]}, rows)
}

// requireChunksConsistent checks every chunk against its rows: Seqs
// first_seq..last_seq in order, every row of the chunk's batch, and the
// unfinal column the first row whose outcome is not final.
func requireChunksConsistent(t *testing.T, s *Store) {
	t.Helper()
	rows, err := s.r.QueryContext(t.Context(), "SELECT first_seq, last_seq, batch, unfinal, data, outcomes FROM chunks ORDER BY first_seq")
	require.NoError(t, err)
	defer rows.Close()
	n, next := 0, 1
	for rows.Next() {
		var (
			c       chunk
			batch   int64
			unfinal int
		)
		require.NoError(t, rows.Scan(&c.first, &c.last, &batch, &unfinal, &c.data, &c.outcomes))
		assert.Equal(t, next, c.first, "chunks follow one another")
		next = c.last + 1
		want, seq := 0, c.first
		require.NoError(t, c.rows(false, func(r Row) bool {
			assert.Equal(t, seq, r.Seq)
			assert.Equal(t, batch, r.Batch, "row %d", r.Seq)
			if want == 0 && !record.Final(r.Status) {
				want = r.Seq
			}
			seq++
			n++
			return true
		}))
		assert.Equal(t, c.last+1, seq, "chunk %d holds its rows", c.first)
		assert.Equal(t, want, unfinal, "chunk %d's first row not final", c.first)
	}
	require.NoError(t, rows.Err())
	require.Positive(t, n)
}

// Every write that gives rows an outcome keeps the chunks consistent: a
// decided row planned, Finish of a whole chunk and of part of one,
// UpdateRows, FinishStep, ReopenFailed.
func TestChunksStayConsistent(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.AppendPlan(ctx, []Row{
		{Seq: 1, Line: 2, Key: "a", Batch: 1},
		{Seq: 2, Line: 3, Outcome: Outcome{Status: record.StatusInvalid, Code: "invalid", Message: "bad"}},
		{Seq: 3, Line: 4, Key: "c", Batch: 1},
	}, []Batch{{ID: 1, State: record.BatchPlanned, Rows: 2}}))
	plan2 := make([]Row, 0, 20)
	for seq := 4; seq < 24; seq++ {
		plan2 = append(plan2, Row{Seq: seq, Line: seq + 1, Key: "k" + strconv.Itoa(seq), Batch: 2 + int64(seq-4)/10})
	}
	require.NoError(t, s.AppendPlan(ctx, plan2, []Batch{{ID: 2, State: record.BatchPlanned, Rows: 10}, {ID: 3, State: record.BatchPlanned, Rows: 10}}))
	failed := Outcome{Status: record.StatusFailed, Code: "410", Message: "refused", OrderID: "O-9", Extra: map[string]string{"x": "y"}}
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchFailed}, []RowOutcome{{Seq: 1, Outcome: failed}, {Seq: 3, Outcome: Outcome{Status: record.StatusOK}}}))
	var range2 []RowOutcome
	for seq := 4; seq < 14; seq++ {
		range2 = append(range2, RowOutcome{Seq: seq, Outcome: failed})
	}
	require.NoError(t, s.Finish(ctx, Batch{ID: 2, State: record.BatchFailed}, range2))
	require.NoError(t, s.UpdateRows(ctx, []RowOutcome{{Seq: 3, Outcome: Outcome{Status: record.StatusPending, OrderID: "O-3"}}}))
	require.NoError(t, s.FinishStep(ctx, Step{Batch: 3, Index: 0, Name: "one", Op: "tnOrder", State: record.BatchDone},
		[]RowOutcome{{Seq: 14, Outcome: Outcome{Status: record.StatusOK, Code: "ok"}}}))
	requireChunksConsistent(t, s)

	n, err := s.ReopenFailed(ctx)
	require.NoError(t, err)
	assert.Equal(t, 11, n)
	requireChunksConsistent(t, s)
	rows, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, Outcome{OrderID: "O-9", Extra: map[string]string{"x": "y"}}, rows[0].Outcome, "a reopened row keeps its order id and extra columns")
	assert.Equal(t, Outcome{Status: record.StatusPending, OrderID: "O-3"}, rows[1].Outcome)
}
