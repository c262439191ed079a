package cli

import (
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestTrunkGroupUpdate: renames under lost answers, resumed until done,
// each applied once; the numbers follow the new name, and a later manifest
// naming an old name is refused before anything is sent.
func TestTrunkGroupUpdate(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}

	manifest := writeFile(t, filepath.Join(dir, "rename.csv"), "trunk_group,new_trunk_group\n"+
		"CHCGIL24CL1_897,Chicago Main\nTG_DALLAS_01,Dallas_1\nTG_NEWYORK_01,New York 1\nATLNGAQS08T_266,Atlanta_A\n"+
		"TG_CHICAGO_02,bad-name!\n") // invalid: never sent

	r := runCLI(t, envs, "run", "trunk-group-update", manifest, "--out", filepath.Join(dir, "noyes"), "--endpoint", endpoint)
	assert.Equal(t, ExitUsage, r.code, "destructive: needs --yes outside the embedded sandbox")

	srv.SetFaults(sandbox.Faults{Lost: 0.5, Seed: 4})
	out := filepath.Join(dir, "run")
	args := []string{"run", "trunk-group-update", manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10", "--yes"}
	for i := 0; ; i++ {
		require.Less(t, i, 20, "the run never finished")
		res := runCLI(t, envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitRowsNotOK, res.code, "the invalid row\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10", "--yes"}
	}
	srv.SetFaults(sandbox.Faults{})
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	assert.Equal(t, []string{"ok", "ok", "ok", "ok", "invalid"}, statuses(rows), "%v", rows)
	lost, applied, refused := 0, 0, 0
	for _, a := range srv.Audit() {
		if a.Op != "trunkGroupUpdate" {
			continue
		}
		switch {
		case a.Applied:
			applied++
		case a.Fault == "":
			refused++
		}
		if a.Fault == "lost" {
			lost++
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	assert.Equal(t, 4, applied, "each rename applied once")
	assert.Zero(t, refused, "no rename was sent again after it had arrived")

	// The numbers follow the new name.
	exp := filepath.Join(dir, "assigned.csv")
	res := runCLI(t, envs, "export", "assigned", "-o", exp, "--endpoint", endpoint, "--tn-mask", "312348965x", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	for _, row := range readCSV(t, exp) {
		assert.Equal(t, "Chicago Main", row["trunk_group"], row["tn"])
	}
	// A later manifest with an old name is refused before sending.
	m2 := writeFile(t, filepath.Join(dir, "move.csv"), "tn,trunk_group\n3123489651,TG_DALLAS_01\n3123489652,Dallas_1\n")
	res = runCLI(t, envs, "run", "tn-trunk-group", m2, "--out", filepath.Join(dir, "move"), "--endpoint", endpoint, "--rate", "0")
	moved := readCSV(t, filepath.Join(dir, "move", "results.csv"))
	assert.Equal(t, "invalid", moved[0]["status"])
	assert.Equal(t, "unknown-reference", moved[0]["code"])
	assert.Contains(t, moved[0]["message"], "TG_DALLAS_01")
	assert.NotEqual(t, "invalid", moved[1]["status"], "the new name is known: %v", moved[1])
}
