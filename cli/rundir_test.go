package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

// startedRun reports whether a killed `iqbulk run` got as far as leaving
// something resume can continue: its intent or its recorded run. A process
// killed before that (still starting up) sent nothing, and the run is
// started again, as a user would.
func startedRun(dir string) bool {
	for _, f := range []string{"state.db", "run.intent.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// auditLen is how many state-changing requests the sandbox has seen.
func auditLen(t *testing.T, state string) int {
	t.Helper()
	audit, err := sandbox.ReadAudit(state)
	require.NoError(t, err)
	return len(audit)
}

// setRunState rewrites a run's recorded state, as a process killed in
// that state leaves it.
func setRunState(t *testing.T, dir, state string) {
	t.Helper()
	st, err := checkpoints.Open(context.Background(), filepath.Join(dir, "state.db"))
	require.NoError(t, err)
	require.NoError(t, st.SetRunState(context.Background(), state))
	require.NoError(t, st.Close())
}

// logEntries reads run.log's JSON lines with the given msg.
func logEntries(t *testing.T, dir, msg string) []map[string]any {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "run.log"))
	require.NoError(t, err)
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// TestRunDirBelongsToOneRun: run refuses a directory that holds a run,
// whatever its job, state or --dry-run, and sends nothing; resume refuses
// another endpoint than the recorded one.
func TestRunDirBelongsToOneRun(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n2013350401\n2013350402\n")
	other := writeFile(t, filepath.Join(dir, "other.csv"), "tn\n2013350401\n")
	done := filepath.Join(dir, "done")
	require.Equal(t, ExitOK, runCLI(t, envs, "run", "tn-order", manifest, "--out", done, "--rate", "0").code)
	interrupted := filepath.Join(dir, "interrupted")
	require.Equal(t, ExitOK, runCLI(t, envs, "run", "tn-order", manifest, "--out", interrupted, "--rate", "0", "--dry-run").code)
	setRunState(t, interrupted, record.RunRunning)
	sent := auditLen(t, state)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"another job in a finished run's dir", []string{"run", "tn-disconnect", other, "--yes", "--out", done}, "iqbulk resume " + done},
		{"the same run again", []string{"run", "tn-order", manifest, "--out", done}, "already holds run"},
		{"another job in an interrupted run's dir", []string{"run", "tn-disconnect", other, "--yes", "--out", interrupted}, "iqbulk resume " + interrupted},
		{"a dry run in an interrupted run's dir", []string{"run", "tn-order", manifest, "--dry-run", "--out", interrupted}, "iqbulk resume " + interrupted},
		{"resume against another endpoint", []string{"resume", done, "--endpoint", "http://127.0.0.1:9/Services/1.0.0"}, "was run against sandbox"},
		{"follow against another endpoint", []string{"follow", done, "--endpoint", "production"}, "was run against sandbox"},
		{"resume of a directory without a run", []string{"resume", filepath.Join(dir, "nothing")}, "holds no recorded run"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, envs, tt.args...)
			assert.Equal(t, ExitUsage, res.code, res.stderr)
			assert.Contains(t, res.stderr, tt.want)
			assert.Equal(t, sent, auditLen(t, state), "nothing sent")
		})
	}
	rows := readCSV(t, filepath.Join(interrupted, "results.csv"))
	assert.Equal(t, "skipped", rows[0]["status"], "the dry run's results are untouched")
}

// TestResumeRestoresSettings: every setting is recorded; resume uses it
// again, run.log starts each session with the effective settings, and a
// flag given on resume overrides the recorded value and says so.
func TestResumeRestoresSettings(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n2013350501\n")
	out := filepath.Join(dir, "run")
	res := runCLI(t, envs, "run", "tn-order", manifest, "--out", out, "--rate", "2", "--burst", "3", "--concurrency", "2",
		"--retries", "7", "--timeout", "33s", "--batch-size", "50", "--follow-timeout", "5m", "--poll-interval", "3s", "--dry-run")
	require.Equal(t, ExitOK, res.code, res.stderr)

	want := map[string]any{"rate": 2.0, "burst": 3.0, "concurrency": 2.0, "retries": 7.0, "timeout": 33e9, "batchSize": 50.0, "dryRun": true, "settle": 0.0}
	check := func(entry map[string]any, want map[string]any) {
		t.Helper()
		s, _ := entry["settings"].(map[string]any)
		for k, v := range want {
			assert.Equal(t, v, s[k], "setting %s", k)
		}
		f, _ := s["follow"].(map[string]any)
		assert.Equal(t, 300e9, f["Timeout"])
		assert.Equal(t, 3e9, f["Interval"])
	}
	settings := logEntries(t, out, "settings")
	require.Len(t, settings, 1)
	check(settings[0], want)

	res = runCLI(t, envs, "resume", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	settings = logEntries(t, out, "settings")
	require.Len(t, settings, 2)
	check(settings[1], want)
	assert.NotContains(t, res.stderr, "overrides")

	res = runCLI(t, envs, "resume", out, "--rate", "5", "--concurrency", "2")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "--rate 5 (recorded: 2)")
	assert.NotContains(t, res.stderr, "--concurrency", "a flag equal to the recorded value changes nothing")
	settings = logEntries(t, out, "settings")
	require.Len(t, settings, 3)
	want["rate"] = 5.0
	check(settings[2], want)
	overrides := logEntries(t, out, "setting overridden on the command line")
	require.Len(t, overrides, 1)
	assert.Equal(t, "--rate 5 (recorded: 2)", overrides[0]["setting"])
}

// TestFlagsAreChecked: out-of-range values are usage errors naming the flag
// and its range; nothing is created or sent.
func TestFlagsAreChecked(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n2013350601\n")
	tests := []struct {
		flags []string
		want  string
	}{
		{[]string{"--rate", "-5"}, "--rate -5: want 0 (unlimited) or more"},
		{[]string{"--rate", "NaN"}, "--rate NaN: want"},
		{[]string{"--burst", "-1"}, "--burst -1: want 0"},
		{[]string{"--concurrency", "0"}, "--concurrency 0: want 1 to 64"},
		{[]string{"--concurrency", "1000"}, "--concurrency 1000: want 1 to 64"},
		{[]string{"--batch-size", "0"}, "--batch-size 0: want 1 to 100"},
		{[]string{"--batch-size", "101"}, "--batch-size 101: want 1 to 100"},
		{[]string{"--retries", "-1"}, "--retries -1: want 0 to 100"},
		{[]string{"--timeout", "0s"}, "--timeout 0s: want more than 0s"},
		{[]string{"--follow-timeout", "0s"}, "--follow-timeout 0s: want more than 0s"},
		{[]string{"--poll-interval", "-1s"}, "--poll-interval -1s: want more than 0s"},
		{[]string{"--encoding", "ebcdic"}, `--encoding "ebcdic": want one of`},
		{[]string{"--settle", "-5s"}, "--settle -5s: want 0s or more"},
	}
	for i, tt := range tests {
		t.Run(strings.Join(tt.flags, " "), func(t *testing.T) {
			out := filepath.Join(dir, fmt.Sprintf("run%d", i))
			res := runCLI(t, envs, append([]string{"run", "tn-order", manifest, "--out", out}, tt.flags...)...)
			assert.Equal(t, ExitUsage, res.code)
			assert.Contains(t, res.stderr, tt.want)
			assert.NoDirExists(t, out)
			assert.NoDirExists(t, state, "the sandbox was not even started")
		})
	}
	res := runCLI(t, envs, "run", "tn-order", manifest, "--out", filepath.Join(dir, "ok"), "--rate", "0", "--dry-run")
	require.Equal(t, ExitOK, res.code, res.stderr)
	res = runCLI(t, envs, "resume", filepath.Join(dir, "ok"), "--concurrency", "0")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "--concurrency 0: want 1 to 64")
}

// TestColumnsAreChecked: a header a small edit from a column of the job is
// refused with "did you mean" before anything is sent; a header far from
// every column is carried to the results with a warning.
func TestColumnsAreChecked(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	tests := []struct {
		job, header, want string
	}{
		{"tn-order", "trunk_grup", `did you mean "trunk_group"`},
		{"tn-order", "tn_noet", `did you mean "tn_note"`},
		{"tn-order", "Port Out Pinn", `did you mean "port_out_pin"`},
	}
	for i, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			m := writeFile(t, filepath.Join(dir, fmt.Sprintf("m%d.csv", i)), "tn,"+tt.header+"\n2013350701,TG_CHICAGO_01\n")
			out := filepath.Join(dir, fmt.Sprintf("run%d", i))
			res := runCLI(t, envs, "run", tt.job, m, "--out", out)
			assert.Equal(t, ExitUsage, res.code)
			assert.Contains(t, res.stderr, tt.want)
			assert.NoFileExists(t, filepath.Join(out, "state.db"))
			assert.NoDirExists(t, state, "nothing sent, the sandbox not even started")
		})
	}
	m := writeFile(t, filepath.Join(dir, "site.csv"), "tn,Site\n2013350702,Chicago\n")
	out := filepath.Join(dir, "site")
	res := runCLI(t, envs, "run", "tn-order", m, "--out", out, "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "matches no column of the job")
	assert.Len(t, logEntries(t, out, "manifest column matches no column of the job; it is carried to the results unchanged"), 1)
	assert.Equal(t, "Chicago", readCSV(t, filepath.Join(out, "results.csv"))[0]["Site"])
}

// TestWindows1252Manifest: a CSV saved by Excel on Windows with é in a
// note is refused (naming the line and column) unless --encoding says how
// to read it, and then arrives as é; UTF-16 with a byte order mark is read
// without being told.
func TestWindows1252Manifest(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.srv.AvailableTNs(3)
	cp1252 := writeFile(t, filepath.Join(dir, "excel.csv"), "tn,tn_note\r\n"+tns[0]+",caf\xe9 cr\xe8me\r\n")

	res := runCLI(t, s.envs, "run", "tn-order", cp1252, "--out", filepath.Join(dir, "refused"), "--endpoint", s.endpoint, "--rate", "0")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, `line 2: column "tn_note" is not valid UTF-8`)
	assert.Contains(t, res.stderr, "--encoding windows-1252")
	assert.Empty(t, s.detail(t, tns[:1]), "nothing was ordered")

	res = runCLI(t, s.envs, "run", "tn-order", cp1252, "--out", filepath.Join(dir, "read"), "--endpoint", s.endpoint, "--rate", "0", "--encoding", "windows-1252")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, "café crème", s.detail(t, tns[:1])[tns[0]].TnNote)

	utf16 := []byte{0xFF, 0xFE}
	for _, r := range "tn,tn_note\r\n" + tns[1] + ",naïve\r\n" {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	m := filepath.Join(dir, "utf16.csv")
	require.NoError(t, os.WriteFile(m, utf16, 0o600))
	res = runCLI(t, s.envs, "run", "tn-order", m, "--out", filepath.Join(dir, "utf16"), "--endpoint", s.endpoint, "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, "naïve", s.detail(t, tns[1:2])[tns[1]].TnNote)
}

// TestBoundedInput: an over-long cell or header line is refused naming the
// line and column, quoting at most ~80 characters; nothing is sent.
func TestBoundedInput(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	big := strings.Repeat("A", 50<<20)
	tests := []struct {
		name, data, want string
	}{
		{"50 MB cell", "tn,tn_note\n2013350801," + big + "\n", "line 2: the line is longer than 64 KiB (in column 2)"},
		{"50 MB quoted cell", "tn,tn_note\n2013350801,\"" + strings.Repeat(strings.Repeat("B", 1000)+"\n", 100) + "\"\n", `line 2: column "tn_note": the cell is 100100 bytes`},
		{"oversized header", big + "\n2013350801\n", "header: line 1: the line is longer than 64 KiB"},
		{"long value in a field error", "tn\n" + strings.Repeat("9", 60000) + "\n", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := writeFile(t, filepath.Join(dir, fmt.Sprintf("m%d.csv", i)), tt.data)
			out := filepath.Join(dir, fmt.Sprintf("run%d", i))
			res := runCLI(t, envs, "run", "tn-order", m, "--out", out, "--rate", "0")
			assert.Less(t, len(res.stderr), 2000, "no value is echoed whole")
			if tt.want == "" { // a row error: the row is invalid, its message short
				assert.Equal(t, ExitRowsNotOK, res.code, res.stderr)
				rows := readCSV(t, filepath.Join(out, "results.csv"))
				assert.Less(t, len(rows[0]["message"]), 300)
				return
			}
			assert.Equal(t, ExitUsage, res.code)
			assert.Contains(t, res.stderr, tt.want)
			assert.Zero(t, auditLen(t, state))
		})
	}
}

// TestKilledBeforeRecorded: a directory left by a process killed before its
// run was recorded holds no run: nothing was sent, run starts over there,
// resume says so. A run recorded but killed before planning is planned and
// run by resume.
func TestKilledBeforeRecorded(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n2013350901\n2013350902\n")

	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.MkdirAll(empty, 0o700))
	writeFile(t, filepath.Join(empty, "run.log"), "")
	writeFile(t, filepath.Join(empty, "state.db"), "") // opened, nothing written yet
	writeFile(t, filepath.Join(empty, "state.db.new"), "half a record")
	res := runCLI(t, envs, "resume", empty)
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "holds no recorded run, so nothing was sent")
	res = runCLI(t, envs, "status", empty)
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "holds no recorded run")
	res = runCLI(t, envs, "run", "tn-order", manifest, "--out", empty, "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.NoFileExists(t, filepath.Join(empty, "state.db.new"))

	// Killed after saying what it would do, before recording it: resume
	// starts it over from its intent; so would run.
	intended := filepath.Join(dir, "intended")
	require.NoError(t, os.MkdirAll(intended, 0o700))
	manifest3 := writeFile(t, filepath.Join(dir, "m3.csv"), "tn\n2013350905\n")
	intent, err := json.Marshal(map[string]any{"id": "tn-order-intended", "job": "tn-order", "manifest": manifest3, "endpoint": "sandbox",
		"settings": map[string]any{"rate": 0, "retries": 5, "timeout": int64(time.Minute), "concurrency": 2, "settle": -1}})
	require.NoError(t, err)
	writeFile(t, filepath.Join(intended, "run.intent.json"), string(intent))
	writeFile(t, filepath.Join(intended, "state.db"), "")
	res = runCLI(t, envs, "status", intended)
	assert.Equal(t, ExitUsage, res.code, "status reads state.db only")
	assert.Contains(t, res.stderr, "iqbulk resume "+intended+"` starts it over")
	res = runCLI(t, envs, "resume", intended)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, map[string]int{"ok": 1}, countStatus(readCSV(t, filepath.Join(intended, "results.csv"))))
	assert.NoFileExists(t, filepath.Join(intended, "run.intent.json"))

	recorded := filepath.Join(dir, "recorded")
	job, err := jobs.Default().Lookup("tn-order")
	require.NoError(t, err)
	manifest2 := writeFile(t, filepath.Join(dir, "m2.csv"), "tn\n2013350903\n2013350904\n")
	_, err = pipeline.Create(context.Background(), pipeline.Config{Job: job, Manifest: manifest2, Dir: recorded,
		RunID: "tn-order-recorded", Endpoint: EndpointSandbox, Opts: pipeline.Options{Concurrency: 1},
		Settings: pipeline.Settings{Connection: pipeline.Connection{Retries: 5, Timeout: time.Minute}}})
	require.NoError(t, err)
	res = runCLI(t, envs, "status", recorded)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "state interrupted")
	res = runCLI(t, envs, "resume", recorded, "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, map[string]int{"ok": 2}, countStatus(readCSV(t, filepath.Join(recorded, "results.csv"))))
}

// TestExitCodesAfterSending: a failure after numbers were ordered (the
// results cannot be written) exits 3 with the resume hint and is logged;
// status of a run no process holds says interrupted.
func TestExitCodesAfterSending(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n2013351001\n2013351002\n")
	out := filepath.Join(dir, "run")
	// results.csv cannot be written: a directory is in its way.
	require.NoError(t, os.MkdirAll(filepath.Join(out, "results.csv", "x"), 0o700))
	res := runCLI(t, envs, "run", "tn-order", manifest, "--out", out, "--rate", "0")
	assert.Equal(t, ExitInterrupted, res.code, res.stderr)
	assert.Contains(t, res.stderr, "iqbulk resume "+out)
	assert.Equal(t, 1, auditLen(t, state), "the order went out")
	assert.NotEmpty(t, logEntries(t, out, "run failed after sending; resumable"))

	setRunState(t, out, record.RunRunning) // as a SIGKILL leaves it
	res = runCLI(t, envs, "status", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "state interrupted")

	require.NoError(t, os.RemoveAll(filepath.Join(out, "results.csv")))
	res = runCLI(t, envs, "resume", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, 1, auditLen(t, state), "resume sent nothing twice")
	assert.Equal(t, map[string]int{"ok": 2}, countStatus(readCSV(t, filepath.Join(out, "results.csv"))))
}

// TestSIGKILLInTheFirstMilliseconds: a run killed at any moment of its
// start (before, while and after it records itself) leaves a directory
// that resume continues, or nothing, and then run starts it; every row ends
// ok and no number is ordered twice.
func TestSIGKILLInTheFirstMilliseconds(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	for i := range 12 {
		manifest := writeFile(t, filepath.Join(dir, fmt.Sprintf("m%d.csv", i)), fmt.Sprintf("tn\n20133512%02d\n", i))
		out := filepath.Join(dir, fmt.Sprintf("run%d", i))
		cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "run", "tn-order", manifest, "--out", out, "--rate", "0")
		cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQBULK_SANDBOX_STATE="+state)
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(i*8) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()

		var res result
		if startedRun(out) {
			res = runCLI(t, envs, "resume", out, "--rate", "0")
		} else {
			res = runCLI(t, envs, "run", "tn-order", manifest, "--out", out, "--rate", "0")
		}
		require.Equal(t, ExitOK, res.code, "kill after %d ms: %s", i*8, res.stderr)
		assert.Equal(t, map[string]int{"ok": 1}, countStatus(readCSV(t, filepath.Join(out, "results.csv"))), "kill after %d ms", i*8)
	}
	audit, err := sandbox.ReadAudit(state)
	require.NoError(t, err)
	ordered := map[string]int{}
	for _, e := range audit {
		if e.Op == "tnOrder" && e.Applied {
			for _, tn := range e.Numbers {
				ordered[tn]++
			}
		}
	}
	assert.Len(t, ordered, 12)
	for tn, n := range ordered {
		assert.Equal(t, 1, n, "%s ordered %d times", tn, n)
	}
}
