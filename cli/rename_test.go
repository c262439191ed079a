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

// TestRoutingLabelUpdate: routing labels renamed under lost answers,
// resumed until done, each applied once; the numbers routed with a label
// follow the new name, a later tf-routing manifest naming an old name is
// refused before anything is sent, and undo renames them back.
func TestRoutingLabelUpdate(t *testing.T) {
	dir := t.TempDir()
	s := newSimEnv(t, sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	envs, endpoint, srv := s.envs, s.endpoint, s.srv

	manifest := writeFile(t, filepath.Join(dir, "rename.csv"), "routing_label,new_routing_label\n"+
		"NTNYC-690-8XX-123,Main Routing Label\nNTNYC-690-8XX-124,New York backup\nNTMIL01-8XX-0222-1-124,Milwaukee\n"+
		"NTCHI-1050-8XX-950,NTCHI-1050-8XX-950\n"+ // invalid: the same name, never sent
		"NO-SUCH-LABEL,Anything\n") // unknown: refused before sending

	r := runCLI(t, envs, "run", "routing-label-update", manifest, "--out", filepath.Join(dir, "noyes"), "--endpoint", endpoint)
	assert.Equal(t, ExitUsage, r.code, "destructive: needs --yes outside the embedded sandbox")

	srv.SetFaults(sandbox.Faults{Lost: 0.5, Seed: 3})
	out := filepath.Join(dir, "run")
	args := []string{"run", "routing-label-update", manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10", "--yes"}
	for i := 0; ; i++ {
		require.Less(t, i, 20, "the run never finished")
		res := runCLI(t, envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitRowsNotOK, res.code, "the invalid rows\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10", "--yes"}
	}
	srv.SetFaults(sandbox.Faults{})
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	assert.Equal(t, []string{"ok", "ok", "ok", "invalid", "invalid"}, statuses(rows), "%v", rows)
	assert.Equal(t, "unknown-reference", rows[4]["code"])
	lost, applied, refused := 0, 0, 0
	for _, a := range srv.Audit() {
		if a.Op != "routingLabelUpdate" {
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
	assert.Equal(t, 3, applied, "each rename applied once")
	assert.Zero(t, refused, "no rename was sent again after it had arrived")
	assert.Equal(t, "Main Routing Label", srv.TollFree("8553489654").RoutingLabel, "the numbers follow the new name")

	// The routing-labels export shows the new names.
	exp := filepath.Join(dir, "labels.csv")
	res := runCLI(t, envs, "export", "routing-labels", "-o", exp, "--endpoint", endpoint, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	var names []string
	for _, row := range readCSV(t, exp) {
		names = append(names, row["routing_label"])
	}
	assert.Contains(t, names, "Main Routing Label")
	assert.NotContains(t, names, "NTNYC-690-8XX-123")

	// A later manifest with an old name is refused before sending.
	m2 := writeFile(t, filepath.Join(dir, "route.csv"), "tn,routing_label\n8663489655,NTNYC-690-8XX-124\n8663489655,New York backup\n")
	runCLI(t, envs, "run", "tf-routing", m2, "--out", filepath.Join(dir, "route"), "--endpoint", endpoint, "--rate", "0")
	routed := readCSV(t, filepath.Join(dir, "route", "results.csv"))
	assert.Equal(t, "invalid", routed[0]["status"])
	assert.Equal(t, "unknown-reference", routed[0]["code"])
	assert.Contains(t, routed[0]["message"], "NTNYC-690-8XX-124")

	// Undo renames them back.
	res = s.undo(t, out, "--run", "--out", filepath.Join(dir, "undo"), "--yes")
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Equal(t, "NTNYC-690-8XX-123", srv.TollFree("8553489654").RoutingLabel)
	undone := readCSV(t, filepath.Join(dir, "undo", "results.csv"))
	require.Len(t, undone, 3)
	assert.Equal(t, "Main Routing Label", undone[0]["routing_label"])
	assert.Equal(t, "NTNYC-690-8XX-123", undone[0]["new_routing_label"])
}
