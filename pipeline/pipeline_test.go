package pipeline

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

func TestFidelityWindow(t *testing.T) {
	t0 := time.Unix(0, 0)
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, t0.Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	rate, worst := fidelity(at(0, 100, 200, 1000, 1999, 2000))
	assert.InDelta(t, 2.5, rate, 0.01) // 5 intervals in 2 s
	assert.Equal(t, 3, worst)          // 0,100,200 (1000 starts the next window)
	_, worst = fidelity(at(0, 999, 1998))
	assert.Equal(t, 2, worst)
}

// TestLostAnswersAreReconciledNotResent: a sandbox that loses a third of
// tnOrder answers after applying them. Every lost batch must be reconciled
// (found on the account) rather than sent again, so no number is applied
// twice and every row ends ok.
func TestLostAnswersAreReconciledNotResent(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	defer srv.Close()
	w := serve(t, srv)
	tns := srv.AvailableTNs(500)
	var m strings.Builder
	m.WriteString("tn\n")
	for _, tn := range tns {
		m.WriteString(tn + "\n")
	}
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.csv")
	require.NoError(t, os.WriteFile(manifest, []byte(m.String()), 0o600))
	srv.SetFaults(sandbox.Faults{Lost: 0.3, Seed: 7})

	api, err := inteliquent.New(inteliquent.Config{BaseURL: w, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret,
		Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
	require.NoError(t, err)
	cfg := Config{Job: lookup(t, "tn-order"), API: api, Manifest: manifest,
		Dir: filepath.Join(dir, "run"), RunID: "lost", Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 3, BatchSize: 10}}
	rep, err := Start(context.Background(), cfg)
	require.NoError(t, err)
	if n := rep.Batches["in_doubt"]; n > 0 {
		// A batch whose answers were lost again and again is left in doubt
		// for a resume, which reconciles it first; the run says so.
		assert.True(t, rep.Stopped, "in-doubt batches make the run resumable (exit 3)")
		assert.Equal(t, 3, rep.ExitCode())
		srv.SetFaults(sandbox.Faults{})
		rep, err = Resume(context.Background(), cfg)
		require.NoError(t, err)
		t.Logf("%d batches were left in doubt and reconciled on resume", n)
	}
	assert.Equal(t, len(tns), rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
	assert.Zero(t, rep.Outcomes[record.StatusInDoubt], "every row decided")

	applied := map[string]int{}
	lost := 0
	for _, e := range srv.Audit() {
		if e.Op != "tnOrder" || !e.Applied {
			continue
		}
		if e.Fault == "lost" {
			lost++
		}
		excluded := map[string]bool{}
		for _, x := range inteliquent.ParseTNStatus(e.Status).Entries {
			excluded[string(x.TN)] = true
		}
		for _, tn := range e.Numbers {
			if !excluded[tn] {
				applied[tn]++
			}
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	for _, tn := range tns {
		require.Equal(t, 1, applied[tn], "number %s applied %d times", tn, applied[tn])
	}
	t.Logf("%d answers lost and reconciled", lost)
}

func serve(t *testing.T, srv *sandbox.Server) string {
	t.Helper()
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs.URL + "/Services/1.0.0"
}

// TestInDoubtBatchesWaitForResume: every answer is lost, so no batch can be
// decided; the run must stop resumable (exit 3) with its batches in doubt,
// and a resume once the API answers again must reconcile them — finding the
// numbers already on the account — without ordering anything again.
func TestInDoubtBatchesWaitForResume(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	defer srv.Close()
	url := serve(t, srv)
	tns := srv.AvailableTNs(30)
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.csv")
	require.NoError(t, os.WriteFile(manifest, []byte("tn\n"+strings.Join(tns, "\n")+"\n"), 0o600))
	api, err := inteliquent.New(inteliquent.Config{BaseURL: url, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret,
		Retries: 1, Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
	require.NoError(t, err)
	cfg := Config{Job: lookup(t, "tn-order"), API: api, Manifest: manifest, Dir: filepath.Join(dir, "run"),
		RunID: "doubt", Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 2, BatchSize: 10}}

	srv.SetFaults(sandbox.Faults{Lost: 1})
	rep, err := Start(context.Background(), cfg)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Batches["in_doubt"], "%v", rep.Batches)
	assert.Equal(t, len(tns), rep.Outcomes[record.StatusInDoubt], "every row in doubt while every answer is lost: %v", rep.Outcomes)
	assert.Equal(t, 3, rep.ExitCode(), "resumable")

	srv.SetFaults(sandbox.Faults{})
	rep, err = Resume(context.Background(), cfg)
	require.NoError(t, err)
	assert.Equal(t, len(tns), rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
	assert.Equal(t, 0, rep.ExitCode())
	orders := 0
	for _, e := range srv.Audit() {
		if e.Op == "tnOrder" && e.Applied {
			orders++
			assert.Empty(t, inteliquent.ParseTNStatus(e.Status).Entries, "no order may find its numbers already taken")
		}
	}
	assert.Equal(t, 3, orders, "each batch applied once; the resume only reconciled")
}

// TestFollowRecordsHistory: a featured tnOrder answers with an orderId, so
// its rows are pending until the follow-up finds the order Closed; every
// change of a row's outcome is kept in the checkpoint's history.
func TestFollowRecordsHistory(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{ClockSpeed: 500})
	require.NoError(t, err)
	defer srv.Close()
	url := serve(t, srv)
	tns := srv.AvailableTNs(3)
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.csv")
	require.NoError(t, os.WriteFile(manifest, []byte("tn,calling_name\n"+tns[0]+",ACME\n"+tns[1]+",ACME\n"+tns[2]+",ACME\n"), 0o600))
	api, err := inteliquent.New(inteliquent.Config{BaseURL: url, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret})
	require.NoError(t, err)
	cfg := Config{Job: lookup(t, "tn-order"), API: api, Manifest: manifest, Dir: filepath.Join(dir, "run"), RunID: "hist",
		Endpoint: "sandbox", Log: quiet(), Follow: FollowOptions{Enabled: true, Interval: 20 * time.Millisecond, Timeout: time.Minute}}
	rep, err := Start(context.Background(), cfg)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)

	st, err := checkpoints.Open(context.Background(), filepath.Join(dir, "run", "state.db"))
	require.NoError(t, err)
	defer st.Close()
	h, err := st.History(context.Background(), 1)
	require.NoError(t, err)
	require.NotEmpty(t, h, "the follow-up records what it saw")
	assert.Equal(t, record.StatusOK, h[len(h)-1].Status, "%+v", h)
	orders, err := st.Orders(context.Background(), false)
	require.NoError(t, err)
	require.Len(t, orders, 1)
	assert.True(t, orders[0].Final)
	assert.Equal(t, "Closed", orders[0].Status)
}
