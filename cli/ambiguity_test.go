package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// ambiguityFaults are the answers a real API gives that a kind sandbox
// never did: refusals (error), answers lost after the change (lost), errors
// after the change was applied (applied-error: HTTP 500/502, body 500/462)
// and lookups that show an order only 2 s after it was placed (lag: 20 s of
// the sandbox's clock, which runs ambiguityClock times faster so that
// orders close in seconds).
const (
	ambiguityFaults = "error=0.02,lost=0.02,applied-error=0.05,lag=20s,seed=5"
	ambiguityClock  = 10
)

// TestExactlyOnceUnderAmbiguity is issue 13's promise for every
// non-idempotent family: each kind runs against ambiguityFaults with
// --settle 3s, is SIGKILLed 4 times and resumed until it finishes; then no
// number may be in two applied requests, nor sent again after a request
// applied it (the sandbox refuses a second order of a number, which would
// hide a resend from a count of applied requests), every row must be final
// (never in doubt) and the API's state must agree with the results.
//
// The short form runs in CI; IQBULK_AMBIGUITY_N=1000 (bench/ambiguity.sh)
// runs the full form.
func TestExactlyOnceUnderAmbiguity(t *testing.T) {
	scale := 1.0
	if v := os.Getenv("IQBULK_AMBIGUITY_N"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err)
		scale = float64(n) / 300
	}
	size := func(n int) int { return max(10, int(float64(n)*scale)) }

	t.Run("tn-order", func(t *testing.T) {
		a := newAmbiguityEnv(t)
		tns := a.srv.AvailableTNs(size(300))
		rows := a.runUntilDone("tn-order", a.manifest("tn,site", tns, func(i int, tn string) string { return fmt.Sprintf("%s,site-%d", tn, i) }))
		a.checkExactlyOnce("tnOrder")
		on := a.assigned()
		for i, r := range rows {
			require.Equal(t, tns[i], r["tn"], "manifest order")
			require.Equal(t, "ok", r["status"], "row %d: %v", i+1, r)
			require.True(t, on[tns[i]], "%s is ok but not on the account", tns[i])
		}
		for tn := range on {
			_, ours := index(tns)[tn]
			require.True(t, ours || a.before[tn], "%s is on the account but no row ordered it", tn)
		}
	})

	t.Run("tn-disconnect", func(t *testing.T) {
		a := newAmbiguityEnv(t)
		tns := a.srv.AvailableTNs(size(200))
		a.setup("tn-order", a.manifest("tn", tns, func(_ int, tn string) string { return tn }))
		rows := a.runUntilDone("tn-disconnect", a.manifest("tn,site", tns, func(i int, tn string) string { return fmt.Sprintf("%s,site-%d", tn, i) }), "--yes", "--follow", "--poll-interval", "100ms", "--follow-timeout", "2m")
		a.checkExactlyOnce("tnDisconnect")
		on := a.assigned()
		for i, r := range rows {
			require.Equal(t, "ok", r["status"], "row %d: %v", i+1, r)
			require.False(t, on[tns[i]], "%s is disconnected in the results but still on the account", tns[i])
		}
	})

	t.Run("port-in", func(t *testing.T) {
		a := newAmbiguityEnv(t)
		tns := a.srv.PortableTNs(size(100))
		due := time.Now().AddDate(0, 0, 5).Format(time.DateOnly)
		var m strings.Builder
		m.WriteString(portHeader)
		for _, tn := range tns {
			m.WriteString(portRow(tn, "A1", tns[0], "33124", due, "N"))
		}
		rows := a.runUntilDone("port-in", writeFile(t, filepath.Join(a.dir, "port.csv"), m.String()))
		a.checkExactlyOnce("portInOrder")
		for i, r := range rows {
			require.Contains(t, []string{"pending", "ok"}, r["status"], "row %d: %v", i+1, r)
			require.NotEmpty(t, r["order_id"], "row %d has its port-in order", i+1)
		}
	})

	t.Run("tf-order", func(t *testing.T) {
		a := newAmbiguityEnv(t)
		tns := a.srv.TollFreeTNs("own", size(100))
		rows := a.runUntilDone("tf-order", a.manifest("tn,product,resporg_id,routing_label", tns,
			func(_ int, tn string) string { return tn + ",8XX,IQB01,NTNYC-690-8XX-123" }), "--follow", "--poll-interval", "100ms", "--follow-timeout", "2m")
		a.checkExactlyOnce("tfOrder")
		for i, r := range rows {
			require.Equal(t, "ok", r["status"], "row %d: %v", i+1, r)
			require.Equal(t, "In Service", a.srv.TollFree(tns[i]).Status, "%s", tns[i])
		}
	})
}

type ambiguityEnv struct {
	t        *testing.T
	dir      string
	srv      *sandbox.Server
	endpoint string
	rng      *rand.Rand
	before   map[string]bool // numbers on the account before the test
	runs     int
}

func newAmbiguityEnv(t *testing.T) *ambiguityEnv {
	t.Helper()
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox"), ClockSpeed: ambiguityClock})
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); _ = srv.Close() })
	a := &ambiguityEnv{t: t, dir: dir, srv: srv, endpoint: hs.URL + "/Services/1.0.0", rng: rand.New(rand.NewPCG(13, 17))}
	a.before = a.assigned()
	return a
}

func (a *ambiguityEnv) manifest(header string, tns []string, row func(int, string) string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i, tn := range tns {
		b.WriteString(row(i, tn) + "\n")
	}
	a.runs++
	return writeFile(a.t, filepath.Join(a.dir, fmt.Sprintf("m%d.csv", a.runs)), b.String())
}

// setup runs a job without faults (the state a test starts from).
func (a *ambiguityEnv) setup(job, manifest string) {
	a.t.Helper()
	res := runCLI(a.t, map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret},
		"run", job, manifest, "--out", filepath.Join(a.dir, "setup-"+job), "--endpoint", a.endpoint, "--rate", "0")
	require.Equal(a.t, ExitOK, res.code, res.stderr)
}

// runUntilDone runs job under the faults, SIGKILLs it 4 times at random
// moments, and resumes it until it ends with exit 0 or 1.
func (a *ambiguityEnv) runUntilDone(job, manifest string, extra ...string) []map[string]string {
	a.t.Helper()
	faults, err := sandbox.ParseFaults(ambiguityFaults)
	require.NoError(a.t, err)
	a.srv.SetFaults(faults)
	defer a.srv.SetFaults(sandbox.Faults{})
	out := filepath.Join(a.dir, "run-"+job)
	common := append([]string{"--endpoint", a.endpoint, "--rate", "50", "--concurrency", "4", "--settle", "3s"}, extra...)
	kills, runs := 0, 0
	start := time.Now()
	for {
		args := append([]string{"resume", out}, common...)
		if !startedRun(out) {
			args = append([]string{"run", job, manifest, "--out", out, "--batch-size", "10"}, common...)
		}
		runs++
		require.Less(a.t, runs, 60, "the run never finished")
		code, killed := runKillable(a.t, args, kills < 4, time.Duration(100+a.rng.IntN(900))*time.Millisecond)
		if killed {
			kills++
			continue
		}
		if code == ExitInterrupted {
			continue // in doubt or not sent yet: resume reconciles and sends
		}
		require.Contains(a.t, []int{ExitOK, ExitRowsNotOK}, code, "%s run %d", job, runs)
		break
	}
	a.t.Logf("%s: %d runs, %d SIGKILLs, %s", job, runs, kills, time.Since(start).Round(time.Millisecond))
	rows := readCSV(a.t, filepath.Join(out, "results.csv"))
	for i, r := range rows {
		require.NotEqual(a.t, "in-doubt", r["status"], "row %d is final", i+1)
	}
	return rows
}

// checkExactlyOnce: no number in two applied requests of op, and none sent
// again after a request of op applied it.
func (a *ambiguityEnv) checkExactlyOnce(op string) {
	a.t.Helper()
	audit, err := sandbox.ReadAudit(filepath.Join(a.dir, "sandbox"))
	require.NoError(a.t, err)
	faults := map[string]int{}
	for _, e := range audit {
		if e.Op == op {
			faults[e.Fault]++
		}
	}
	require.Positive(a.t, faults[sandbox.FaultLost]+faults[sandbox.FaultAppliedError], "the test must meet ambiguity to mean anything: %v", faults)
	assert.Empty(a.t, sandbox.AppliedTwice(audit, op), "numbers in two applied %s requests", op)
	assert.Empty(a.t, sandbox.ResentAfterApplied(audit, op), "numbers sent again after %s applied them", op)
	a.t.Logf("%s requests by fault: %v", op, faults)
}

func (a *ambiguityEnv) assigned() map[string]bool {
	a.t.Helper()
	api, err := inteliquent.New(inteliquent.Config{BaseURL: a.endpoint, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret})
	require.NoError(a.t, err)
	list, err := api.TnAssignedList(context.Background(), &inteliquent.TnAssignedListRequest{})
	require.NoError(a.t, err)
	on := map[string]bool{}
	for _, it := range list.TnBasicList.TnBasicItem {
		on[string(it.TN)] = true
	}
	return on
}

func index(tns []string) map[string]int {
	m := make(map[string]int, len(tns))
	for i, tn := range tns {
		m[tn] = i
	}
	return m
}
