package cli

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestTnRequestLostAnswers: numbers requested by area under lost answers,
// resumed until done and followed: each request applied once (found again
// by customerOrderReference, never sent twice), each row's numbers in its
// tns column, from its area; an area without numbers is excluded, a bad
// quantity invalid and never sent.
func TestTnRequestLostAnswers(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox"), ClockSpeed: 2000})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}

	var m strings.Builder
	m.WriteString("quantity,npa,nxx,rate_center,trunk_group,activate\n")
	const good = 10
	for i := range good {
		fmt.Fprintf(&m, "%d,630,420,,TG_CHICAGO_01,Y\n", i+1)
	}
	m.WriteString("3,312,348,,,Y\n") // an area with no spare numbers
	m.WriteString("0,630,420,,,Y\n") // invalid
	manifest := writeFile(t, filepath.Join(dir, "req.csv"), m.String())

	srv.SetFaults(sandbox.Faults{Lost: 0.5, Seed: 7})
	out := filepath.Join(dir, "run")
	args := []string{"run", "tn-request", manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	for i := 0; ; i++ {
		require.Less(t, i, 30, "the run never finished")
		res := runCLI(t, envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitRowsNotOK, res.code, "pending and invalid rows\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	}
	srv.SetFaults(sandbox.Faults{})
	res := runCLI(t, envs, "follow", out, "--endpoint", endpoint, "--poll-interval", "20ms", "--follow-timeout", "1m")
	require.Equal(t, ExitRowsNotOK, res.code, "the excluded and invalid rows\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)

	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, good+2)
	seen := map[string]bool{}
	for i, r := range rows[:good] {
		require.Equal(t, "ok", r["status"], "%v", r)
		tns := strings.Fields(r["tns"])
		assert.Len(t, tns, i+1, "row %d asked for %d numbers: %v", i+2, i+1, r)
		assert.Equal(t, fmt.Sprint(i+1), r["tn_count"])
		assert.NotEmpty(t, r["order_id"])
		for _, tn := range tns {
			assert.True(t, strings.HasPrefix(tn, "630420"), tn)
			assert.False(t, seen[tn], "%s given to two rows", tn)
			seen[tn] = true
		}
	}
	assert.Equal(t, "excluded", rows[good]["status"], "%v", rows[good])
	assert.Equal(t, "invalid", rows[good+1]["status"])
	assert.Contains(t, rows[good+1]["message"], "quantity")

	lost := 0
	applied := map[string]int{}
	for _, a := range srv.Audit() {
		if a.Op != "tnRequest" {
			continue
		}
		if a.Applied {
			applied[a.CustomerOrderReference]++
		}
		if a.Fault == "lost" {
			lost++
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	assert.Len(t, applied, good+1, "one request per valid row")
	for ref, n := range applied {
		assert.Equal(t, 1, n, "%s applied %d times", ref, n)
	}
}
