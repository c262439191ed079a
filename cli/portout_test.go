package cli

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestPortOutJobsLostAnswers: port-out rejections and approvals under lost
// answers, resumed until done: each number rejected once, each order
// approved once, every row ok; the port-outs export then lists them.
func TestPortOutJobsLostAnswers(t *testing.T) {
	e := newTFEnv(t)
	// Real time: a call retried over long backoffs must not outlive a
	// token, and the history's dates are then today's.
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(e.dir, "sandbox-1x")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	e.srv, e.endpoint = srv, ts.URL+"/Services/1.0.0"
	var rej strings.Builder
	rej.WriteString("tn,order_id,reject_reason\n")
	for i := range 10 {
		fmt.Fprintf(&rej, "21255504%02d,1501846,INVACCT\n", i)
	}
	rejManifest := e.write("reject.csv", rej.String())
	apprManifest := e.write("approve.csv", "order_id\n1501843\n1501844\n1501845\n1501847\n")
	e.srv.SetFaults(sandbox.Faults{Lost: 0.3, Seed: 3})
	for _, job := range []struct{ kind, manifest string }{{"port-out-reject", rejManifest}, {"port-out-approve", apprManifest}} {
		out := filepath.Join(e.dir, job.kind)
		args := []string{"run", job.kind, job.manifest, "--out", out, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s", "--retries", "10", "--yes"}
		for i := 0; ; i++ {
			require.Less(t, i, 20, "the run never finished")
			res := runCLI(t, e.envs, args...)
			if res.code != ExitInterrupted {
				require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
				break
			}
			args = []string{"resume", out, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s", "--retries", "10", "--yes"}
		}
		rows := readCSV(t, filepath.Join(out, "results.csv"))
		for _, r := range rows {
			assert.Equal(t, "ok", r["status"], "%v", r)
		}
	}
	e.srv.SetFaults(sandbox.Faults{})
	lost, refused := 0, 0
	applied := map[string]int{}
	for _, a := range e.srv.Audit() {
		if !a.Applied {
			// A second approval or rejection is refused: one here would be a
			// blind resend of a change that had arrived.
			if a.StatusCode != "200" && a.Fault == "" {
				refused++
			}
			continue
		}
		if a.Fault == "lost" {
			lost++
		}
		applied[a.Op+":"+strings.Join(a.Numbers, ",")]++
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	assert.Zero(t, refused, "nothing was sent twice")
	assert.Equal(t, 4, applied["portOutApproval:"], "four orders, each approved once (a second approval cannot apply)")
	for i := range 10 {
		assert.Equal(t, 1, applied[fmt.Sprintf("tnPortOutReject:21255504%02d", i)], "rejected exactly once")
	}

	// The history: ten Canceled, the approved orders' numbers Closed.
	out := filepath.Join(e.dir, "port-outs.csv")
	end := time.Now().UTC().AddDate(0, 0, 30).Format(time.DateOnly)
	start := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	res := runCLI(t, e.envs, "export", "port-outs", "-o", out, "--endpoint", e.endpoint, "--start-date", start, "--end-date", end, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows := readCSV(t, out)
	count := map[string]int{}
	for _, r := range rows {
		count[r["order_status"]]++
	}
	assert.Equal(t, map[string]int{"Canceled": 10, "Closed": 2 + 3 + 1 + 10}, count, "%v", rows)

	res = runCLI(t, e.envs, "export", "port-outs", "-o", filepath.Join(e.dir, "old.csv"), "--endpoint", e.endpoint, "--start-date", "2020-01-01", "--quiet")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "three months")
}
