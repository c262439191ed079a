package checkpoints

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iqbulk/iqbulk/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBatchesFilterAndOrder(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 50, 10) // batches 1..5
	require.NoError(t, s.MarkSent(ctx, 4, "h4"))
	require.NoError(t, s.MarkSent(ctx, 2, "h2"))
	require.NoError(t, s.MarkInDoubt(ctx, 2, "answer lost"))
	require.NoError(t, s.Finish(ctx, Batch{ID: 5, State: record.BatchFailed, Error: "410 not allowed"}, nil))

	ids := func(bs []Batch) []int64 {
		var out []int64
		for _, b := range bs {
			out = append(out, b.ID)
		}
		return out
	}
	tests := []struct {
		states []string
		want   []int64
	}{
		{nil, []int64{1, 2, 3, 4, 5}},
		{[]string{record.BatchPlanned}, []int64{1, 3}},
		{[]string{record.BatchSent, record.BatchInDoubt}, []int64{2, 4}},
		{[]string{record.BatchFailed}, []int64{5}},
		{[]string{record.BatchDone}, nil},
	}
	for _, tt := range tests {
		bs, err := s.Batches(ctx, tt.states...)
		require.NoError(t, err)
		assert.Equal(t, tt.want, ids(bs), "%v", tt.states)
	}
	b2, err := s.Batch(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, record.BatchInDoubt, b2.State)
	assert.Equal(t, "answer lost", b2.Error)
	assert.Equal(t, 1, b2.Attempts)
	b5, err := s.Batch(ctx, 5)
	require.NoError(t, err)
	assert.Equal(t, "410 not allowed", b5.Error)
	assert.False(t, b5.DoneAt.IsZero())

	_, err = s.Batch(ctx, 99)
	require.ErrorIs(t, err, ErrNotFound)
	rows, err := s.BatchRows(ctx, 99)
	require.NoError(t, err)
	assert.Empty(t, rows)
	require.ErrorIs(t, s.MarkSent(ctx, 99, "h"), ErrNotFound)
	require.ErrorIs(t, s.MarkInDoubt(ctx, 99, "x"), ErrNotFound)
}

func TestMarkSentRecordsIntent(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 10, 10)
	before := time.Now().Add(-time.Second)
	require.NoError(t, s.MarkSent(ctx, 1, "hash-a"))
	first, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	time.Sleep(2 * time.Millisecond)
	require.NoError(t, s.MarkSent(ctx, 1, "hash-b")) // a retry
	b, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, first.SentAt, b.SentAt, "sent_at keeps the first send")
	assert.Equal(t, record.BatchSent, b.State)
	assert.Equal(t, 2, b.Attempts)
	assert.Equal(t, "hash-b", b.RequestHash)
	assert.True(t, b.SentAt.After(before), "sent_at %v", b.SentAt)
	assert.Equal(t, "ref-1", b.CustomerOrderReference, "kept")
}

func TestFinish(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 20, 10)
	require.NoError(t, s.MarkSent(ctx, 1, "h"))
	done := time.Date(2026, 11, 27, 11, 5, 0, 0, time.UTC)
	outs := []RowOutcome{
		{Seq: 1, Outcome: Outcome{Status: record.StatusOK, OrderID: "O-9"}},
		{Seq: 2, Outcome: Outcome{Status: record.StatusExcluded, Code: "tn_on_order", Message: "TN is on an existing order", OrderID: "O-9"}},
		{Seq: 3, Outcome: Outcome{Status: record.StatusPending, OrderID: "O-9", Extra: map[string]string{"orderStatus": "Pending"}}},
	}
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchDone, OrderID: "O-9", DoneAt: done}, outs))
	b, err := s.Batch(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchDone, b.State)
	assert.Equal(t, "O-9", b.OrderID)
	assert.True(t, done.Equal(b.DoneAt))
	assert.Equal(t, "h", b.RequestHash, "kept")
	rows, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	for i, o := range outs {
		assert.Equal(t, o.Outcome, rows[i].Outcome, "row %d", o.Seq)
	}
	assert.Equal(t, Outcome{}, rows[3].Outcome, "untouched")
}

func TestFinishIsAtomic(t *testing.T) {
	tests := []struct {
		name  string
		batch Batch
		rows  []RowOutcome
		err   error
	}{
		{"unknown seq after good rows", Batch{ID: 1, State: record.BatchDone, OrderID: "O-1"},
			[]RowOutcome{{Seq: 1, Outcome: Outcome{Status: record.StatusOK}}, {Seq: 2, Outcome: Outcome{Status: record.StatusOK}}, {Seq: 999}},
			ErrNotFound},
		{"unknown batch", Batch{ID: 42, State: record.BatchDone},
			[]RowOutcome{{Seq: 1, Outcome: Outcome{Status: record.StatusOK}}}, ErrNotFound},
		{"bad state", Batch{ID: 1, State: "finished"},
			[]RowOutcome{{Seq: 1, Outcome: Outcome{Status: record.StatusOK}}}, ErrInvalid},
		{"bad status", Batch{ID: 1, State: record.BatchDone},
			[]RowOutcome{{Seq: 1, Outcome: Outcome{Status: record.StatusOK}}, {Seq: 2, Outcome: Outcome{Status: "great"}}}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTemp(t)
			ctx := t.Context()
			plan(t, s, 10, 10)
			require.NoError(t, s.MarkSent(ctx, 1, "h"))
			require.ErrorIs(t, s.Finish(ctx, tt.batch, tt.rows), tt.err)
			b, err := s.Batch(ctx, 1)
			require.NoError(t, err)
			assert.Equal(t, record.BatchSent, b.State, "batch untouched")
			assert.Empty(t, b.OrderID)
			assert.True(t, b.DoneAt.IsZero())
			byStatus, _, err := s.Counts(ctx)
			require.NoError(t, err)
			assert.Equal(t, map[string]int{"": 10}, byStatus, "no row half-written")
		})
	}
}

func TestUpdateRows(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 10, 10)
	require.NoError(t, s.UpdateRows(ctx, []RowOutcome{
		{Seq: 3, Outcome: Outcome{Status: record.StatusPending, OrderID: "O-1"}},
		{Seq: 4, Outcome: Outcome{Status: record.StatusPending, OrderID: "O-1"}},
	}))
	require.NoError(t, s.UpdateRows(ctx, nil))
	require.ErrorIs(t, s.UpdateRows(ctx, []RowOutcome{
		{Seq: 3, Outcome: Outcome{Status: record.StatusOK, OrderID: "O-1"}},
		{Seq: 11, Outcome: Outcome{Status: record.StatusOK}},
	}), ErrNotFound)
	require.ErrorIs(t, s.UpdateRows(ctx, []RowOutcome{{Seq: 3, Outcome: Outcome{Status: "nah"}}}), ErrInvalid)
	byStatus, _, err := s.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 8, record.StatusPending: 2}, byStatus, "the failed update wrote nothing")
}

func TestRowsStreamsAcrossPages(t *testing.T) {
	for _, n := range []int{0, 1, 6, 7, 8, 50} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s, _ := openTemp(t)
			s.pageSize = 7
			if n > 0 {
				plan(t, s, n, 10)
			}
			want := 1
			for r, err := range s.Rows(t.Context()) {
				require.NoError(t, err)
				require.Equal(t, want, r.Seq)
				require.Equal(t, fmt.Sprintf("tn-%d", want), r.Key)
				want++
			}
			assert.Equal(t, n+1, want)
		})
	}
}

func TestRowsWritesDuringIteration(t *testing.T) {
	s, _ := openTemp(t)
	s.pageSize = 5
	ctx := t.Context()
	plan(t, s, 23, 10)
	seen := 0
	for r, err := range s.Rows(ctx) {
		require.NoError(t, err)
		seen++
		// A writer is never blocked by the iteration, and later pages see
		// what was committed meanwhile.
		if r.Seq == 3 {
			require.NoError(t, s.UpdateRows(ctx, []RowOutcome{{Seq: 20, Outcome: Outcome{Status: record.StatusFailed}}}))
		}
		if r.Seq == 20 {
			assert.Equal(t, record.StatusFailed, r.Status)
		}
	}
	assert.Equal(t, 23, seen)
}

func TestRowsEarlyStopAndCancel(t *testing.T) {
	s, _ := openTemp(t)
	s.pageSize = 4
	plan(t, s, 20, 10)
	n := 0
	for range s.Rows(t.Context()) {
		n++
		if n == 6 {
			break
		}
	}
	assert.Equal(t, 6, n)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var errs, rows int
	for _, err := range s.Rows(ctx) {
		if err != nil {
			errs++
			require.ErrorIs(t, err, context.Canceled)
			continue
		}
		rows++
		if rows == 2 {
			cancel()
		}
	}
	assert.Equal(t, 1, errs)
	assert.Equal(t, 10, rows, "the page in hand (one chunk: a batch of 10 rows) is finished, the next read fails")
}

func TestOrders(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	checked := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	require.NoError(t, s.PutOrder(ctx, Order{OrderID: "O-2", Batch: 2, Status: "Pending"}))
	require.NoError(t, s.PutOrder(ctx, Order{OrderID: "O-1", CustomerOrderReference: "r1", Batch: 1, Status: "Pending", Detail: `{"a":1}`}))
	require.NoError(t, s.PutOrder(ctx, Order{OrderID: "O-1", CustomerOrderReference: "r1", Batch: 1, Status: "Complete",
		Final: true, Polls: 3, CheckedAt: checked, Detail: `{"a":2}`}))
	require.ErrorIs(t, s.PutOrder(ctx, Order{}), ErrInvalid)

	all, err := s.Orders(ctx, false)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, "O-1", all[0].OrderID)
	assert.Equal(t, "Complete", all[0].Status)
	assert.True(t, all[0].Final)
	assert.Equal(t, 3, all[0].Polls)
	assert.True(t, checked.Equal(all[0].CheckedAt))
	assert.Equal(t, `{"a":2}`, all[0].Detail)
	open, err := s.Orders(ctx, true)
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, "O-2", open[0].OrderID)
}

func TestHistory(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)
	require.NoError(t, s.AddHistory(ctx, HistoryEntry{Seq: 1, At: t0.Add(2 * time.Second), Status: "ok", Message: "complete"}))
	require.NoError(t, s.AddHistory(ctx, HistoryEntry{Seq: 1, At: t0, Status: "pending", Message: "queued"}))
	require.NoError(t, s.AddHistory(ctx, HistoryEntry{Seq: 1, At: t0.Add(500 * time.Millisecond), Status: "pending", Message: "still queued"}))
	require.NoError(t, s.AddHistory(ctx, HistoryEntry{Seq: 2, At: t0, Status: "failed", Message: "x"}))
	h, err := s.History(ctx, 1)
	require.NoError(t, err)
	var msgs []string
	for _, e := range h {
		assert.Equal(t, 1, e.Seq)
		msgs = append(msgs, e.Message)
	}
	assert.Equal(t, []string{"queued", "still queued", "complete"}, msgs, "by time, sub-second included")
	h, err = s.History(ctx, 3)
	require.NoError(t, err)
	assert.Empty(t, h)
}

func TestExcludedIdempotent(t *testing.T) {
	s, _ := openTemp(t)
	s.pageSize = 2
	ctx := t.Context()
	items := []Excluded{
		{Kind: "tn", OrderID: "O-1", CustomerOrderReference: "r1", TN: "6123453624", Reason: "TN is on an existing order", InsertDate: "2026-11-27", DisplayName: "test.user@customer.com"},
		{Kind: "tn", OrderID: "O-1", TN: "6123453625", Reason: "not available"},
		{Kind: "e911", OrderID: "O-1", TN: "6123453624", Reason: "address invalid", E911: map[string]string{"city": "Chicago"}},
	}
	require.NoError(t, s.AddExcluded(ctx, items))
	require.NoError(t, s.AddExcluded(ctx, items[:2])) // polled again
	require.NoError(t, s.AddExcluded(ctx, append([]Excluded{{Kind: "tn", OrderID: "O-2", TN: "6123453624", Reason: "TN is on an existing order"}}, items...)))
	require.NoError(t, s.AddExcluded(ctx, nil))
	var got []Excluded
	for e, err := range s.Excluded(ctx) {
		require.NoError(t, err)
		got = append(got, e)
	}
	want := append(append([]Excluded{}, items...), Excluded{Kind: "tn", OrderID: "O-2", TN: "6123453624", Reason: "TN is on an existing order"})
	assert.Equal(t, want, got)
}

func TestCursors(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	_, ok, err := s.Cursor(ctx, "inventory")
	require.NoError(t, err)
	assert.False(t, ok)
	require.NoError(t, s.SetCursor(ctx, "inventory", "page-1"))
	require.NoError(t, s.SetCursor(ctx, "inventory", "page-2"))
	require.NoError(t, s.SetCursor(ctx, "cdr", ""))
	tests := []struct{ name, want string }{{"inventory", "page-2"}, {"cdr", ""}}
	for _, tt := range tests {
		v, ok, err := s.Cursor(ctx, tt.name)
		require.NoError(t, err)
		assert.True(t, ok, tt.name)
		assert.Equal(t, tt.want, v, tt.name)
	}
}

// helperEnv marks the child process of TestKilledProcess.
const helperEnv = "IQBULK_CHECKPOINTS_HELPER"

// TestKilledProcess runs a child (this test binary again) that writes to the
// store, says so on stdout and waits; the parent kills it with SIGKILL and
// reopens the store: what the child was told is written, is.
func TestKilledProcess(t *testing.T) {
	if action := os.Getenv(helperEnv); action != "" {
		killedChild(action, os.Getenv(helperEnv+"_DB"))
		return
	}
	tests := []struct {
		action string
		check  func(t *testing.T, s *Store)
	}{
		{"mark-sent", func(t *testing.T, s *Store) {
			b, err := s.Batch(t.Context(), 1)
			require.NoError(t, err)
			assert.Equal(t, record.BatchSent, b.State)
			assert.Equal(t, 1, b.Attempts)
			assert.Equal(t, "req-hash-1", b.RequestHash)
			assert.False(t, b.SentAt.IsZero())
		}},
		{"finish", func(t *testing.T, s *Store) {
			b, err := s.Batch(t.Context(), 1)
			require.NoError(t, err)
			assert.Equal(t, record.BatchDone, b.State)
			assert.Equal(t, "O-77", b.OrderID)
			byStatus, _, err := s.Counts(t.Context())
			require.NoError(t, err)
			assert.Equal(t, map[string]int{record.StatusOK: 10, "": 10}, byStatus)
		}},
		{"mid-plan", func(t *testing.T, s *Store) {
			run, err := s.Run(t.Context())
			require.NoError(t, err)
			assert.Equal(t, record.RunPlanning, run.State)
			byStatus, _, err := s.Counts(t.Context())
			require.NoError(t, err)
			assert.Equal(t, map[string]int{"": 20 + midPlanSteps*midPlanStep}, byStatus, "every step committed")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			s, err := Open(t.Context(), path)
			require.NoError(t, err)
			require.NoError(t, s.CreateRun(t.Context(), sampleRun()))
			plan(t, s, 20, 10)
			require.NoError(t, s.Close())

			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestKilledProcess$", "-test.count=1")
			cmd.Env = append(os.Environ(), helperEnv+"="+tt.action, helperEnv+"_DB="+path)
			stdout, err := cmd.StdoutPipe()
			require.NoError(t, err)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			line, err := bufio.NewReader(stdout).ReadString('\n')
			require.NoError(t, err, "child stderr: %s", stderr.String())
			require.Equal(t, "written\n", line, "child stderr: %s", stderr.String())
			require.NoError(t, cmd.Process.Kill()) // SIGKILL on Unix
			require.Error(t, cmd.Wait(), "the child was killed, it did not exit")

			s, err = Open(t.Context(), path)
			require.NoError(t, err)
			defer s.Close()
			tt.check(t, s)
		})
	}
}

// midPlanSteps steps of midPlanStep rows each: the kill-during-plan case.
const midPlanSteps, midPlanStep = 10, 500

// killedChild performs one write, reports it, and waits to be killed.
func killedChild(action, path string) {
	ctx := context.Background()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	s, err := Open(ctx, path)
	if err != nil {
		fail(err)
	}
	switch action {
	case "mark-sent":
		err = s.MarkSent(ctx, 1, "req-hash-1")
	case "finish":
		outs := make([]RowOutcome, 0, 10)
		for seq := 1; seq <= 10; seq++ {
			outs = append(outs, RowOutcome{Seq: seq, Outcome: Outcome{Status: record.StatusOK, OrderID: "O-77"}})
		}
		if err = s.MarkSent(ctx, 1, "h"); err == nil {
			err = s.Finish(ctx, Batch{ID: 1, State: record.BatchDone, OrderID: "O-77"}, outs)
		}
	case "mid-plan":
		// Ten steps of a streamed plan committed, then killed.
		for step := range midPlanSteps {
			var rows []Row
			for seq := 21 + step*midPlanStep; seq < 21+(step+1)*midPlanStep; seq++ {
				rows = append(rows, Row{Seq: seq, Batch: 3, Key: fmt.Sprint("k", seq)})
			}
			if err = s.AppendPlan(ctx, rows, []Batch{{ID: 3, State: record.BatchOpen}}); err != nil {
				break
			}
		}
	default:
		err = fmt.Errorf("unknown action %q", action)
	}
	if err != nil {
		fail(err)
	}
	fmt.Println("written")
	time.Sleep(time.Hour) // until SIGKILL
	os.Exit(4)
}

// TestFinishByRanges: runs of consecutive rows with one outcome are set by
// range, the rest one by one; the result is the same row for row: a row
// in the middle of a run that differs keeps its own outcome, the last
// outcome given for a row wins, and an unknown row in a run writes nothing.
func TestFinishByRanges(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	plan(t, s, 60, 60)
	ok := Outcome{Status: record.StatusOK, Code: "ok", Extra: map[string]string{"a": "1"}}
	bad := Outcome{Status: record.StatusExcluded, Code: "x", Message: "refused"}
	want := map[int]Outcome{}
	var outs []RowOutcome
	for seq := 1; seq <= 50; seq++ {
		o := ok
		switch {
		case seq == 20, seq%17 == 0, seq > 45:
			o = bad
		}
		outs = append(outs, RowOutcome{Seq: seq, Outcome: o})
		want[seq] = o
	}
	// Seq 30 is given twice: the second outcome wins.
	outs = append(outs, RowOutcome{Seq: 30, Outcome: bad})
	want[30] = bad
	// The extra map is compared by value, not identity.
	outs[5].Extra = map[string]string{"a": "1"}
	require.NoError(t, s.Finish(ctx, Batch{ID: 1, State: record.BatchDone}, outs))
	rows, err := s.BatchRows(ctx, 1)
	require.NoError(t, err)
	for _, r := range rows {
		if w, ok := want[r.Seq]; ok {
			assert.Equal(t, w, r.Outcome, "row %d", r.Seq)
		} else {
			assert.Equal(t, Outcome{}, r.Outcome, "row %d untouched", r.Seq)
		}
	}

	s2, _ := openTemp(t)
	plan(t, s2, 20, 20)
	var gap []RowOutcome
	for seq := 11; seq <= 25; seq++ { // 21..25 do not exist
		gap = append(gap, RowOutcome{Seq: seq, Outcome: ok})
	}
	require.ErrorIs(t, s2.Finish(ctx, Batch{ID: 1, State: record.BatchDone}, gap), ErrNotFound)
	byStatus, _, err := s2.Counts(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"": 20}, byStatus, "nothing written")
}

// TestOutputRowsMatchRows: OutputRows yields every row as Rows does, only
// without its parsed fields.
func TestOutputRowsMatchRows(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	s.pageSize = 7
	plan(t, s, 30, 10)
	require.NoError(t, s.Finish(ctx, Batch{ID: 2, State: record.BatchDone}, []RowOutcome{
		{Seq: 12, Outcome: Outcome{Status: record.StatusOK, OrderID: "O-1", Extra: map[string]string{"k": "v"}}}}))
	var all, out []Row
	for r, err := range s.Rows(ctx) {
		require.NoError(t, err)
		r.Fields = nil
		all = append(all, r)
	}
	for r, err := range s.OutputRows(ctx, 0, 0) {
		require.NoError(t, err)
		out = append(out, r)
	}
	require.Len(t, out, 30)
	assert.Equal(t, all, out)
}

// BatchCounts is Counts' second answer.
func TestBatchCountsIsCountsSecond(t *testing.T) {
	s, _ := openTemp(t)
	ctx := t.Context()
	require.NoError(t, s.AppendPlan(ctx, []Row{{Seq: 1, Line: 2, Key: "a", Batch: 1}, {Seq: 2, Line: 3, Key: "b", Batch: 2}},
		[]Batch{{ID: 1, State: record.BatchPlanned, Rows: 1}, {ID: 2, State: record.BatchOpen, Rows: 1}}))
	require.NoError(t, s.MarkSent(ctx, 1, "h"))
	_, want, err := s.Counts(ctx)
	require.NoError(t, err)
	got, err := s.BatchCounts(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, map[string]int{record.BatchSent: 1, record.BatchOpen: 1}, got)
}
