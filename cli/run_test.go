package cli

import (
	"encoding/csv"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// readCSV reads a results file into header-keyed maps.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	header := recs[0]
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range header {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

func TestRunTnOrderOnEmbeddedSandbox(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"),
		"TN,Trunk Group,Site\n"+
			"(201) 335-0101,TG_CHICAGO_01,A\n"+
			"2013350102,,B\n"+
			"12013350103,,C\n"+
			"201335010,,D\n"+ // 9 digits: invalid
			"201-335-0101,,E\n") // duplicate of the first row
	out := filepath.Join(dir, "run")
	res := runCLI(t, envs, "run", "tn-order", manifest, "--out", out, "--rate", "0")
	require.Equal(t, ExitRowsNotOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "run dir: "+out)
	assert.Contains(t, res.stderr, "embedded sandbox")

	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 5)
	want := []struct{ status, site string }{{"ok", "A"}, {"ok", "B"}, {"ok", "C"}, {"invalid", "D"}, {"skipped", "E"}}
	for i, w := range want {
		assert.Equal(t, w.status, rows[i]["status"], "row %d: %v", i, rows[i])
		assert.Equal(t, w.site, rows[i]["Site"], "row %d keeps its own columns", i)
	}
	assert.Contains(t, rows[3]["message"], "9 digits")
	assert.Equal(t, "duplicate of row 2", rows[4]["message"])
	assert.NotEmpty(t, rows[0]["customer_order_reference"])

	failed := readCSV(t, filepath.Join(out, "failed.csv"))
	require.Len(t, failed, 1, "only the invalid row needs a rerun")
	assert.Equal(t, "201335010", failed[0]["TN"])

	audit, err := sandbox.ReadAudit(state)
	require.NoError(t, err)
	require.Len(t, audit, 1, "one tnOrder for three numbers")
	assert.Equal(t, "tnOrder", audit[0].Op)
	assert.ElementsMatch(t, []string{"2013350101", "2013350102", "2013350103"}, audit[0].Numbers)

	// The same numbers again: the API excludes them, already ours.
	res = runCLI(t, envs, "run", "tn-order", manifest, "--out", filepath.Join(dir, "run2"), "--rate", "0")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows = readCSV(t, filepath.Join(dir, "run2", "results.csv"))
	assert.Equal(t, "excluded", rows[0]["status"])
	assert.NotEmpty(t, rows[0]["message"])
	excluded := readCSV(t, filepath.Join(dir, "run2", "excluded.csv"))
	assert.Len(t, excluded, 3)
}

func TestDryRunSendsNothing(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n2013350201\n2013350202\n")
	res := runCLI(t, map[string]string{"IQBULK_SANDBOX_STATE": state}, "run", "tn-order", manifest, "--out", filepath.Join(dir, "run"), "--dry-run")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(dir, "run", "results.csv"))
	for _, r := range rows {
		assert.Equal(t, "skipped", r["status"])
		assert.Contains(t, r["message"], "dry run")
	}
	audit, err := sandbox.ReadAudit(state)
	require.NoError(t, err)
	assert.Empty(t, audit, "a dry run sends nothing that changes state")
}

func TestManifestErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	noTN := writeFile(t, filepath.Join(dir, "m.csv"), "number_of_things,note\n1,x\n")
	res := runCLI(t, envs, "run", "tn-note", noTN, "--out", filepath.Join(dir, "r1"))
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "tn")

	res = runCLI(t, envs, "run", "no-such-job", noTN)
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "unknown job")

	res = runCLI(t, envs, "run", "tn-order", filepath.Join(dir, "missing.csv"))
	assert.Equal(t, ExitUsage, res.code)

	res = runCLI(t, envs, "run", "tn-order", noTN, "--endpoint", "http://10.1.2.3/Services/1.0.0")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "loopback")
}

func TestResumeRefusesChangedManifest(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn,note\n2013350301,a\n")
	out := filepath.Join(dir, "run")
	res := runCLI(t, envs, "run", "tn-order", manifest, "--out", out, "--dry-run")
	require.Equal(t, ExitOK, res.code, res.stderr)
	writeFile(t, manifest, "tn,note\n2013350302,b\n")
	res = runCLI(t, envs, "resume", out)
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "changed since the run started")
}

// TestThrottlingIsSaid: when the API answers "try again" (the sandbox's
// rate limit), the run slows down, still finishes every row, and says so on
// the terminal and in run.log.
func TestThrottlingIsSaid(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{Rate: 4})
	require.NoError(t, err)
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	tns := srv.AvailableTNs(16)
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n"+strings.Join(tns, "\n")+"\n")
	out := filepath.Join(dir, "run")
	res := runCLI(t, map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret},
		"run", "tn-order", manifest, "--out", out, "--endpoint", hs.URL+"/Services/1.0.0", "--rate", "0", "--batch-size", "2", "--concurrency", "4", "--retries", "20")
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stderr, "the API asked to slow down")
	logData, err := os.ReadFile(filepath.Join(out, "run.log"))
	require.NoError(t, err)
	assert.Contains(t, string(logData), "the API asked to slow down")
	assert.Regexp(t, `throttled [1-9]`, res.stdout)
}
