package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/sandbox"
)

// numbersManifest writes a tn-order manifest of n numbers from 2012000000.
func numbersManifest(t *testing.T, path string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("TN,Note\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,wave %d\n", 2012000000+i, i)
	}
	return writeFile(t, path, b.String())
}

func readFileOrEmpty(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	return data
}

// The "done when": plan on 250 numbers at --rate 2 names tnOrder, 3
// requests, 250 numbers and a duration, and changes nothing in the sandbox.
func TestPlanTnOrderSendsNothing(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	// A real run first, so the audit log exists and has content to compare.
	first := writeFile(t, filepath.Join(dir, "first.csv"), "TN\n2013350101\n")
	res := runCLI(t, envs, "run", "tn-order", first, "--out", filepath.Join(dir, "first"), "--rate", "0")
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, res.stderr)
	audit := filepath.Join(state, "audit.jsonl")
	before := readFileOrEmpty(t, audit)
	entries, err := sandbox.ReadAudit(state)
	require.NoError(t, err)
	require.NotEmpty(t, entries, "the first run is in the audit log")

	manifest := numbersManifest(t, filepath.Join(dir, "m.csv"), 250)
	res = runCLI(t, envs, "plan", "tn-order", manifest, "--rate", "2", "--show", "2")
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	out := res.stdout
	assert.Regexp(t, `tnOrder\s+3 requests\s+250 numbers`, out)
	assert.Contains(t, out, "rows: 250 total, 250 to send, 0 invalid, 0 duplicates")
	assert.Contains(t, out, "estimated duration: 1s for 3 requests at 2 requests/s")
	assert.Contains(t, out, "with follow-up")
	assert.Contains(t, out, "destructive operations: none")
	assert.Contains(t, out, "endpoint: sandbox")
	assert.Equal(t, 2, strings.Count(out, `"privateKey":"[REDACTED]"`), "two bodies shown, key redacted")
	assert.NotContains(t, out+res.stderr, sandbox.DemoKey)
	assert.Equal(t, before, readFileOrEmpty(t, audit), "plan changed the sandbox's audit log")
	_, err = os.Stat(filepath.Join(dir, "runs"))
	assert.True(t, os.IsNotExist(err), "plan leaves no run directory")

	// --format json: every request body, and the same numbers.
	res = runCLI(t, envs, "plan", "tn-order", manifest, "--rate", "2", "--format", "json")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.NotContains(t, res.stdout, sandbox.DemoKey, "every body has the key redacted")
	assert.Equal(t, 3, strings.Count(res.stdout, `"privateKey":"[REDACTED]"`))
	var p pipeline.Plan
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &p))
	require.Len(t, p.Requests, 3)
	assert.Equal(t, []pipeline.PlanOp{{Op: "tnOrder", Requests: 3, Numbers: 250}}, p.Operations)
	assert.Equal(t, []int64{1, 2, 3}, []int64{p.Requests[0].Batch, p.Requests[1].Batch, p.Requests[2].Batch})
	assert.Equal(t, []int{100, 100, 50}, []int{p.Requests[0].Numbers, p.Requests[1].Numbers, p.Requests[2].Numbers})
	assert.InDelta(t, 1.0, p.EstimatedSeconds, 0.01)
	assert.Greater(t, p.WithFollowUpSeconds, p.EstimatedSeconds)
	assert.Equal(t, before, readFileOrEmpty(t, audit))

	// run --dry-run writes the same plan into its run directory.
	runDir := filepath.Join(dir, "dry")
	res = runCLI(t, envs, "run", "tn-order", manifest, "--rate", "2", "--dry-run", "--out", runDir)
	require.Equal(t, ExitOK, res.code, res.stderr)
	var saved pipeline.Plan
	data, err := os.ReadFile(filepath.Join(runDir, pipeline.PlanJSON))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &saved))
	assert.Equal(t, p.Operations, saved.Operations)
	assert.Equal(t, p.Rows, saved.Rows)
	assert.NotContains(t, string(data), sandbox.DemoKey)
	txt, err := os.ReadFile(filepath.Join(runDir, pipeline.PlanText))
	require.NoError(t, err)
	assert.NotContains(t, string(txt), sandbox.DemoKey)
	assert.FileExists(t, filepath.Join(runDir, "report.html"))
	assert.Regexp(t, `tnOrder\s+3 requests\s+250 numbers`, string(txt))
	assert.Equal(t, before, readFileOrEmpty(t, audit))
}

func TestPlanRowsAndDestructive(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	tests := []struct {
		name, job, manifest string
		want                []string
	}{
		{"invalid and duplicate rows", "tn-order", "TN\n2013350101\n201335010\n201-335-0101\n",
			[]string{"rows: 3 total, 1 to send, 1 invalid, 1 duplicates", "invalid 1 —", "skipped 1 — duplicate of row 2", "destructive operations: none"}},
		{"destructive kind", "tn-disconnect", "TN\n2013350101\n2013350102\n",
			[]string{"DESTRUCTIVE operations", "tnDisconnect", "1 requests        2 numbers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := writeFile(t, filepath.Join(dir, tt.job+".csv"), tt.manifest)
			res := runCLI(t, envs, "plan", tt.job, m, "--rate", "0")
			require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			for _, w := range tt.want {
				assert.Contains(t, res.stdout, w)
			}
		})
	}
	res := runCLI(t, envs, "plan", "tn-order", "nope.csv", "--out", dir)
	assert.Equal(t, ExitUsage, res.code)
}

// run --json prints summary.json's object, valid against the documented
// schema; status --json too; and the terminal and summary.json say why.
func TestJSONOutputAndReasons(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	schema := loadSchema(t, "summary.schema.json")
	// 2012000000.. are not in the sandbox's inventory: excluded with a reason.
	m := writeFile(t, filepath.Join(dir, "m.csv"), "TN\n2012000000\n2012000001\n201335010\n")
	out := filepath.Join(dir, "run")
	res := runCLI(t, envs, "run", "tn-order", m, "--out", out, "--rate", "0", "--json")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	assert.Equal(t, 1, strings.Count(strings.TrimSpace(res.stdout), "\n")+1, "one JSON object on one line")
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &v))
	assert.Empty(t, validate(schema, v, "$"))
	assert.Equal(t, "tn-order", v["job"])
	reasons := v["reasons"].([]any)
	require.NotEmpty(t, reasons)
	first := reasons[0].(map[string]any)
	assert.Equal(t, "excluded", first["status"])
	assert.Equal(t, "TN is marked Not Available in our inventory", first["reason"])
	assert.EqualValues(t, 2, first["rows"])
	assert.Equal(t, []any{2.0, 3.0}, first["example_lines"])

	res = runCLI(t, envs, "status", out, "--json")
	require.Equal(t, ExitOK, res.code, res.stderr)
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &v))
	assert.Empty(t, validate(schema, v, "$"))
	assert.Equal(t, "done", v["state"])

	for _, cmd := range []string{"resume", "follow"} {
		res = runCLI(t, envs, cmd, out, "--json")
		require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
		v = map[string]any{}
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &v), cmd)
		assert.Empty(t, validate(schema, v, "$"), cmd)
		assert.EqualValues(t, 3, v["rows"], cmd)
	}

	res = runCLI(t, envs, "status", out)
	require.Equal(t, ExitOK, res.code)
	assert.Regexp(t, `excluded\s+2 — TN is marked Not Available in our inventory \(2\)`, res.stdout)
	assert.Regexp(t, `invalid\s+1 — `, res.stdout)
}

// dir=$(iqbulk run … --print-dir) in a real shell: stdout is the directory
// alone; logs and notices stay on stderr.
func TestPrintDirInShell(t *testing.T) {
	dir := t.TempDir()
	m := writeFile(t, filepath.Join(dir, "m.csv"), "TN\n2013350101\n")
	script := `dir=$("$IQBULK" -test.run='^$' -- run tn-order "$MANIFEST" --rate 0 --print-dir --quiet) ; code=$?
test -f "$dir/summary.json" || { echo "no summary in [$dir]"; exit 9; }
test -f "$dir/report.html" || { echo "no report in [$dir]"; exit 9; }
printf '%s|%s' "$code" "$dir"`
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQBULK="+os.Args[0], "MANIFEST="+m,
		"IQBULK_SANDBOX_STATE="+filepath.Join(dir, "sandbox"), "XDG_CONFIG_HOME="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s\nstderr:\n%s", out, stderr.String())
	code, got, ok := strings.Cut(string(out), "|")
	require.True(t, ok, string(out))
	assert.Contains(t, []string{"0", "1"}, code)
	assert.Regexp(t, `^runs/tn-order-\d{8}T\d{6}Z-[0-9a-f]{4}$`, got)
	assert.NotContains(t, stderr.String(), "embedded sandbox", "--quiet drops notices")
}

func TestRunsListsRuns(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	m := writeFile(t, filepath.Join(dir, "m.csv"), "TN\n2013350101\n201335010\n")
	runs := filepath.Join(dir, "runs")
	for _, name := range []string{"a", "b"} {
		res := runCLI(t, envs, "run", "tn-order", m, "--out", filepath.Join(runs, name), "--rate", "0", "--dry-run")
		require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	}
	require.NoError(t, os.Mkdir(filepath.Join(runs, "not-a-run"), 0o700))
	res := runCLI(t, envs, "runs", runs)
	require.Equal(t, ExitOK, res.code, res.stderr)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	require.Len(t, lines, 3, res.stdout)
	assert.Regexp(t, `^RUN\s+JOB\s+STATE\s+STARTED`, lines[0])
	assert.Regexp(t, `^RUN\s+JOB\s+STATE\s+STARTED \(UTC\)\s+ROWS\s+OK\s+EXCLUDED\s+INVALID\s+FAILED\s+IN-DOUBT\s+PENDING\s+SKIPPED$`, lines[0])
	assert.Regexp(t, `runs/a\s+tn-order\s+done\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+2\s+0\s+0\s+1\s+0\s+0\s+0\s+1$`, lines[1])
	assert.Contains(t, lines[2], "runs/b")

	res = runCLI(t, envs, "runs", runs, "--json")
	require.Equal(t, ExitOK, res.code)
	var got []runEntry
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &got))
	require.Len(t, got, 2)
	assert.Equal(t, "tn-order", got[0].Job)
	assert.Equal(t, 1, got[0].Outcomes["invalid"])

	res = runCLI(t, envs, "runs", filepath.Join(dir, "missing"))
	assert.Equal(t, ExitUsage, res.code)
}

// TestPlanShowsSnapshotReads: a kind that overwrites values reads them
// first so the run can be undone (issue 20); plan counts those reads and
// their share of the duration, and --no-snapshot drops them.
func TestPlanShowsSnapshotReads(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	var m strings.Builder
	m.WriteString("tn,tn_note\n")
	for i := range 250 {
		fmt.Fprintf(&m, "201335%04d,moved\n", 1000+i)
	}
	manifest := writeFile(t, filepath.Join(dir, "notes.csv"), m.String())
	res := runCLI(t, envs, "plan", "tn-note", manifest, "--rate", "2", "--format", "json")
	require.Equal(t, ExitOK, res.code, res.stderr)
	var p pipeline.Plan
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &p))
	assert.Equal(t, 3, p.SnapshotReads, "one read per batch of 100")
	assert.Positive(t, p.SnapshotSeconds)

	res = runCLI(t, envs, "plan", "tn-note", manifest, "--rate", "2")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "snapshot reads for undo: 3 requests")
	assert.Contains(t, res.stdout, "for 6 requests at 2 requests/s")

	res = runCLI(t, envs, "plan", "tn-note", manifest, "--rate", "2", "--no-snapshot", "--format", "json")
	require.Equal(t, ExitOK, res.code, res.stderr)
	p = pipeline.Plan{}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &p))
	assert.Zero(t, p.SnapshotReads)
}

// TestReportListsUndo: report.html says how a run can be rolled back, or
// why it cannot (issue 20).
func TestReportListsUndo(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	notes := writeFile(t, filepath.Join(dir, "notes.csv"), "tn,tn_note\n2013350101,a\n")
	res := runCLI(t, envs, "run", "tn-order", notes, "--out", filepath.Join(dir, "order"), "--rate", "0")
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, res.stderr)
	res = runCLI(t, envs, "run", "tn-note", notes, "--out", filepath.Join(dir, "note"), "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	html, err := os.ReadFile(filepath.Join(dir, "note", "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "iqbulk undo "+filepath.Join(dir, "note"))

	res = runCLI(t, envs, "run", "tn-disconnect", notes, "--out", filepath.Join(dir, "disc"), "--rate", "0", "--dry-run")
	require.Equal(t, ExitOK, res.code, res.stderr)
	html, err = os.ReadFile(filepath.Join(dir, "disc", "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "tn-disconnect cannot be undone")
}
