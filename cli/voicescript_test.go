package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestVoiceScripts: scripts set on numbers and a domain under lost answers
// (an idempotent setting, sent again), listed by the voice-scripts export,
// removed (a removal whose answer was lost reads 417 on its resend: done),
// and a setting run undone: the number's old script back, the added ones
// removed.
func TestVoiceScripts(t *testing.T) {
	dir := t.TempDir()
	s := newSimEnv(t, sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	envs, endpoint, srv := s.envs, s.endpoint, s.srv
	until := func(kind, manifest, out string, want int, extra ...string) []map[string]string {
		t.Helper()
		args := append([]string{"run", kind, manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}, extra...)
		for i := 0; ; i++ {
			require.Less(t, i, 20, "the run never finished")
			res := runCLI(t, envs, args...)
			if res.code != ExitInterrupted {
				require.Equal(t, want, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
				break
			}
			args = append([]string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}, extra...)
		}
		return readCSV(t, filepath.Join(out, "results.csv"))
	}

	var m strings.Builder
	m.WriteString("tn,domain,direction,script,enabled,customer_default\n")
	m.WriteString("3123752699,,inbound,<script>new one</script>,,\n") // replaces the seeded script
	for i := range 6 {
		fmt.Fprintf(&m, "31237527%02d,,outbound,<script>out %d</script>,N,\n", i, i)
	}
	m.WriteString(",Voice.Example.com,,<script>domain</script>,,Y\n")
	m.WriteString(",,inbound,<script>x</script>,,\n")                           // invalid: no tn or domain
	m.WriteString("3123752600,,inbound,," + strings.Repeat("x", 10) + ",\n")    // invalid: enabled not Y/N
	m.WriteString("3123752601,,inbound," + strings.Repeat("s", 42001) + ",,\n") // invalid: too large
	srv.SetFaults(sandbox.Faults{Lost: 0.4, Seed: 5})
	set := filepath.Join(dir, "set")
	rows := until("voice-script", writeFile(t, filepath.Join(dir, "set.csv"), m.String()), set, ExitRowsNotOK)
	srv.SetFaults(sandbox.Faults{})
	assert.Equal(t, []string{"ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "invalid", "invalid", "invalid"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[8]["message"], "tn or domain is required")
	assert.Contains(t, rows[10]["message"], "42,000")
	lost := 0
	for _, a := range srv.Audit() {
		if a.Op == "voiceScript" && a.Fault == "lost" {
			lost++
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")

	exp := filepath.Join(dir, "scripts.csv")
	res := runCLI(t, envs, "export", "voice-scripts", "-o", exp, "--endpoint", endpoint, "--script-type", "NUMBER", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	byKey := map[string]map[string]string{}
	for _, r := range readCSV(t, exp) {
		byKey[r["tn"]+"/"+r["direction"]] = r
	}
	assert.Equal(t, "<script>new one</script>", byKey["3123752699/inbound"]["script"])
	assert.Equal(t, "false", strings.ToLower(byKey["3123752703/outbound"]["enabled"]), "%v", byKey["3123752703/outbound"])

	// Removal: destructive, and a lost answer's resend reads 417 as done.
	rm := writeFile(t, filepath.Join(dir, "rm.csv"), "tn,domain,direction\n3123752700,,outbound\n3123752701,,outbound\n3123752702,,outbound\n3123752799,,inbound\n")
	r := runCLI(t, envs, "run", "voice-script-remove", rm, "--out", filepath.Join(dir, "noyes"), "--endpoint", endpoint)
	assert.Equal(t, ExitUsage, r.code, "destructive: needs --yes outside the embedded sandbox")
	srv.SetFaults(sandbox.Faults{Lost: 0.5, Seed: 1})
	removed := until("voice-script-remove", rm, filepath.Join(dir, "rm"), ExitOK, "--yes")
	srv.SetFaults(sandbox.Faults{})
	assert.Equal(t, []string{"ok", "ok", "ok", "ok"}, statuses(removed), "%v", removed)
	assert.Equal(t, "417", removed[3]["code"], "never had one: %v", removed[3])

	// Undo the setting run: the seeded script back, the new ones removed
	// (three are gone already: undo says so or removes nothing).
	res = s.undo(t, set, "--run", "--out", filepath.Join(dir, "undo"), "--yes")
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	res = runCLI(t, envs, "export", "voice-scripts", "-o", exp, "--endpoint", endpoint, "--script-type", "NUMBER", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	left := readCSV(t, exp)
	require.Len(t, left, 1, "%v", left)
	assert.Equal(t, "3123752699", left[0]["tn"])
	assert.Contains(t, left[0]["script"], "sip:172.31.42.248", "the seeded script is back")
}
