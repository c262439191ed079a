package checkpoints

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iqbulk/iqbulk/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(context.Background(), path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func sampleRun() Run {
	return Run{
		ID:           "tn-order-20261127T110000Z",
		Job:          "tn-order",
		Options:      json.RawMessage(`{"batchSize":100,"rate":5}`),
		ManifestPath: "/data/numbers.csv",
		ManifestHash: strings.Repeat("ab", 32),
		Header:       []string{"tn", "trunkGroup"},
		Endpoint:     "sandbox",
	}
}

// plan records n rows (keys "tn-<seq>") in batches of per rows.
func plan(t testing.TB, s *Store, n, per int) {
	t.Helper()
	rows := make([]Row, 0, n)
	for seq := 1; seq <= n; seq++ {
		rows = append(rows, Row{
			Seq: seq, Line: seq + 1, Key: fmt.Sprintf("tn-%d", seq),
			Values: []string{fmt.Sprintf("%010d", seq), "TG1"},
			Fields: map[string]string{"tn": fmt.Sprintf("%010d", seq)},
			Batch:  int64((seq-1)/per + 1),
		})
	}
	var batches []Batch
	for id := int64(1); id <= int64((n+per-1)/per); id++ {
		batches = append(batches, Batch{ID: id, GroupKey: "TG1", CustomerOrderReference: fmt.Sprintf("ref-%d", id),
			State: record.BatchPlanned, Rows: min(per, n-int(id-1)*per)})
	}
	require.NoError(t, s.AppendPlan(context.Background(), rows, batches))
}

func permOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	require.NoError(t, err)
	return fi.Mode().Perm()
}

func TestOpenFileModesAndPragmas(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.CreateRun(ctx, sampleRun())) // makes sure -wal exists
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		assert.Equal(t, os.FileMode(0o600), permOf(t, p), p)
	}
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "0"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		for name, db := range map[string]*sql.DB{"writer": s.w, "reader": s.r} {
			var got string
			require.NoError(t, db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got))
			assert.Equal(t, tt.want, got, "%s %s", name, tt.pragma)
		}
	}
	var v int
	require.NoError(t, s.r.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v))
	assert.Equal(t, SchemaVersion, v)
}

func TestOpenTightensExistingFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	require.NoError(t, os.WriteFile(path, nil, 0o644))
	s, err := Open(t.Context(), path)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, os.FileMode(0o600), permOf(t, path))
}

func TestOpenErrors(t *testing.T) {
	t.Run("missing directory", func(t *testing.T) {
		_, err := Open(t.Context(), filepath.Join(t.TempDir(), "nope", "state.db"))
		require.Error(t, err)
	})
	t.Run("not a database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "state.db")
		require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("not sqlite ", 100)), 0o600))
		_, err := Open(t.Context(), path)
		require.Error(t, err)
	})
	t.Run("newer schema", func(t *testing.T) {
		s, path := openTemp(t)
		_, err := s.w.ExecContext(t.Context(), "UPDATE schema_version SET version = ?", SchemaVersion+1)
		require.NoError(t, err)
		require.NoError(t, s.Close())
		_, err = Open(t.Context(), path)
		require.ErrorIs(t, err, ErrSchemaTooNew)
	})
	t.Run("odd characters in the path", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a dir?with#odd%chars")
		require.NoError(t, os.Mkdir(dir, 0o700))
		path := filepath.Join(dir, "state.db")
		s, err := Open(t.Context(), path)
		require.NoError(t, err)
		require.NoError(t, s.CreateRun(t.Context(), sampleRun()))
		require.NoError(t, s.Close())
		assert.FileExists(t, path)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			assert.True(t, strings.HasPrefix(e.Name(), "state.db"), "stray file %s", e.Name())
		}
	})
}

func TestSchemaGolden(t *testing.T) {
	s, _ := openTemp(t)
	rows, err := s.r.QueryContext(t.Context(),
		"SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
	require.NoError(t, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, text string
		require.NoError(t, rows.Scan(&typ, &name, &text))
		fmt.Fprintf(&b, "-- %s %s\n%s;\n\n", typ, name, strings.TrimSpace(text))
	}
	require.NoError(t, rows.Err())
	golden := filepath.Join("testdata", "schema.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./checkpoints -run TestSchemaGolden -update")
	assert.Equal(t, string(want), b.String(), "schema changed: bump SchemaVersion, add a migration, then -update")
}

func TestRunLifecycle(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()

	_, err := s.Run(ctx)
	require.ErrorIs(t, err, ErrNoRun)
	require.ErrorIs(t, s.SetRunState(ctx, record.RunRunning), ErrNoRun)

	before := time.Now()
	require.NoError(t, s.CreateRun(ctx, sampleRun()))
	got, err := s.Run(ctx)
	require.NoError(t, err)
	want := sampleRun()
	assert.Equal(t, want.ID, got.ID)
	assert.Equal(t, want.Job, got.Job)
	assert.JSONEq(t, string(want.Options), string(got.Options))
	assert.Equal(t, want.ManifestPath, got.ManifestPath)
	assert.Equal(t, want.ManifestHash, got.ManifestHash)
	assert.Equal(t, want.Header, got.Header)
	assert.Equal(t, want.Endpoint, got.Endpoint)
	assert.Equal(t, record.RunPlanning, got.State, "default state")
	assert.False(t, got.CreatedAt.Before(before.Truncate(time.Second)))

	require.ErrorIs(t, s.CreateRun(ctx, sampleRun()), ErrRunExists)

	require.NoError(t, s.SetRunState(ctx, record.RunRunning))
	got, err = s.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, record.RunRunning, got.State)
	assert.False(t, got.UpdatedAt.Before(got.CreatedAt))

	require.ErrorIs(t, s.SetRunState(ctx, "bogus"), ErrInvalid)
}

func TestCreateRunValidation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Run)
	}{
		{"empty id", func(r *Run) { r.ID = "" }},
		{"bad state", func(r *Run) { r.State = "paused" }},
		{"options not JSON", func(r *Run) { r.Options = json.RawMessage(`{"a":`) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTemp(t)
			r := sampleRun()
			tt.mutate(&r)
			require.ErrorIs(t, s.CreateRun(t.Context(), r), ErrInvalid)
			_, err := s.Run(t.Context())
			require.ErrorIs(t, err, ErrNoRun, "nothing written")
		})
	}
}

func TestRunWithoutOptions(t *testing.T) {
	s, _ := openTemp(t)
	r := sampleRun()
	r.Options, r.Header = nil, nil
	created := time.Date(2026, 11, 27, 11, 0, 0, 123, time.UTC)
	r.CreatedAt = created
	require.NoError(t, s.CreateRun(t.Context(), r))
	got, err := s.Run(t.Context())
	require.NoError(t, err)
	assert.Nil(t, got.Options)
	assert.Empty(t, got.Header)
	assert.True(t, created.Equal(got.CreatedAt), "nanoseconds kept: %v", got.CreatedAt)
}

func TestDurableAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	ctx := t.Context()
	s, err := Open(ctx, path)
	require.NoError(t, err)
	require.NoError(t, s.CreateRun(ctx, sampleRun()))
	plan(t, s, 250, 100)
	require.NoError(t, s.MarkSent(ctx, 1, "h1"))
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchDone, OrderID: "O-1"},
		[]RowOutcome{{Seq: 1, Outcome: Outcome{Status: record.StatusOK, OrderID: "O-1", Extra: map[string]string{"k": "v"}}}}))
	require.NoError(t, s.MarkSent(ctx, 2, "h2"))
	require.NoError(t, s.PutOrder(ctx, Order{OrderID: "O-1", Batch: 1, Status: "pending"}))
	require.NoError(t, s.SetCursor(ctx, "inventory", "searchId=42"))
	require.NoError(t, s.AddExcluded(ctx, []Excluded{{Kind: "tn", OrderID: "O-1", TN: "6123453624", Reason: "on an existing order"}}))
	require.NoError(t, s.AddHistory(ctx, HistoryEntry{Seq: 1, At: time.Time{}, Status: "pending", Message: "queued"}))
	require.NoError(t, s.SetRunState(ctx, record.RunRunning))
	require.NoError(t, s.Close())

	s, err = Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	run, err := s.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, record.RunRunning, run.State)
	b1, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchDone, b1.State)
	assert.Equal(t, "O-1", b1.OrderID)
	b2, err := s.Batch(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, record.BatchSent, b2.State)
	assert.Equal(t, "h2", b2.RequestHash)
	rows, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	require.Len(t, rows, 100)
	assert.Equal(t, record.StatusOK, rows[0].Status)
	assert.Equal(t, map[string]string{"k": "v"}, rows[0].Extra)
	byStatus, byState, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 249, record.StatusOK: 1}, byStatus)
	assert.Equal(t, map[string]int{record.BatchDone: 1, record.BatchSent: 1, record.BatchPlanned: 1}, byState)
	v, ok, err := s.Cursor(ctx, "inventory")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "searchId=42", v)
	orders, err := s.Orders(ctx, true)
	require.NoError(t, err)
	assert.Len(t, orders, 1)
	h, err := s.History(ctx, 1)
	require.NoError(t, err)
	assert.Len(t, h, 1)
	n := 0
	for _, err := range s.Excluded(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)
}

func TestConcurrentWriters(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	const batches, per = 40, 10
	plan(t, s, batches*per, per)
	var wg sync.WaitGroup
	for id := int64(1); id <= batches; id++ {
		wg.Go(func() {
			assert.NoError(t, s.MarkSent(ctx, id, fmt.Sprintf("h%d", id)))
			rows, err := s.BatchRows(ctx, id)
			if !assert.NoError(t, err) {
				return
			}
			outs := make([]RowOutcome, 0, len(rows))
			for _, r := range rows {
				outs = append(outs, RowOutcome{Seq: r.Seq, Outcome: Outcome{Status: record.StatusOK}})
			}
			assert.NoError(t, s.Finish(ctx, Batch{ID: id, State: record.BatchDone}, outs))
			assert.NoError(t, s.SetCursor(ctx, "c", fmt.Sprint(id)))
			_, _, err = s.Counts(ctx)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	byStatus, byState, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{record.StatusOK: batches * per}, byStatus)
	assert.Equal(t, map[string]int{record.BatchDone: batches}, byState)
}

func TestLockExcludesASecondProcess(t *testing.T) {
	s, path := openTemp(t)
	require.NoError(t, s.Lock())
	other, err := Open(t.Context(), path)
	require.NoError(t, err)
	defer other.Close()
	require.ErrorIs(t, other.Lock(), ErrLocked)
	require.NoError(t, s.Close())
	require.NoError(t, other.Lock(), "Close releases the lock")
}

// A state.db written by schema version 1 (before last_sent_at) opens and is
// migrated: an interrupted run from an older iqbulk still resumes.
func TestMigrateSchema1(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.CreateRun(ctx, Run{ID: "r", Job: "tn-order", ManifestPath: "m.csv", ManifestHash: "h", Endpoint: "sandbox", State: record.RunRunning}))
	_, err := s.w.ExecContext(ctx, "INSERT INTO batches (id, group_key, state, customer_order_reference, request_hash, attempts, order_id, error, rows, sent_at, done_at) VALUES (1, '', 'sent', 'ref', '', 1, '', '', 0, '2026-11-01T10:00:00Z', '')")
	require.NoError(t, err)
	_, err = s.w.ExecContext(ctx, "ALTER TABLE batches DROP COLUMN last_sent_at")
	require.NoError(t, err)
	_, err = s.w.ExecContext(ctx, "UPDATE schema_version SET version = 1")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s2, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s2.Close() })
	b, err := s2.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, b.SentAt, b.LastSentAt, "a v1 batch's last send is its first")
	assert.False(t, b.LastSentAt.IsZero())
}

// A state.db written by schema version 4 (before excluded.display_name)
// opens and is migrated: its exclusions read back with no displayName, new
// ones keep theirs.
func TestMigrateSchema4ExcludedDisplayName(t *testing.T) {
	s, path := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.AddExcluded(ctx, []Excluded{{Kind: "tn", OrderID: "O-1", TN: "6123453624", Reason: "TN is on an existing order"}}))
	_, err := s.w.ExecContext(ctx, "ALTER TABLE excluded DROP COLUMN display_name")
	require.NoError(t, err)
	_, err = s.w.ExecContext(ctx, "UPDATE schema_version SET version = 4")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s2, err := Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s2.Close() })
	require.NoError(t, s2.AddExcluded(ctx, []Excluded{{Kind: "tn", OrderID: "O-1", TN: "6123453625", Reason: "not available", DisplayName: "test.user@customer.com"}}))
	var got []Excluded
	for e, err := range s2.Excluded(ctx) {
		require.NoError(t, err)
		got = append(got, e)
	}
	require.Len(t, got, 2)
	assert.Empty(t, got[0].DisplayName)
	assert.Equal(t, "test.user@customer.com", got[1].DisplayName)
	var v int
	require.NoError(t, s2.r.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v))
	assert.Equal(t, SchemaVersion, v)
}
