package checkpoints

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// testdata/v5.state.db is a checkpoint written by schema version 5 (before
// rows kept their cells, fields and outcome details as blobs): a run
// whose plan is v5Plan, and batch 2 finished with v5Outcomes.

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

// TestFixtureV5 reads the version 5 fixture as it is (the build that wrote it).
func TestFixtureV5Reads(t *testing.T) {
	s, err := Open(t.Context(), copyFixture(t, "v5.state.db"))
	require.NoError(t, err)
	defer s.Close()
	var got []Row
	for r, err := range s.Rows(t.Context()) {
		require.NoError(t, err)
		got = append(got, r)
	}
	assert.Equal(t, v5Want(), got)
}
