package cli

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestRunTunesTheCollector: the iqbulk binary running a job against an API
// (not the embedded sandbox) collects at GOGC=200 under a 100 MiB soft
// limit, and says so in run.log; GOGC or GOMEMLIMIT in the environment
// win. In-process commands (TuneGC false) leave the collector alone.
func TestRunTunesTheCollector(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sb")})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	tns := srv.AvailableTNs(9)
	manifest := func(name string) string {
		return writeFile(t, filepath.Join(dir, name+".csv"), "TN\n"+strings.Join(tns[:3], "\n")+"\n")
	}
	run := func(name string, env ...string) string {
		m := manifest(name)
		tns = tns[3:]
		out := filepath.Join(dir, name)
		for _, e := range env {
			t.Setenv(strings.Split(e, "=")[0], strings.Split(e, "=")[1])
		}
		wait, _ := startIqbulk(t, "run", "tn-order", m, "--endpoint", hs.URL+"/Services/1.0.0", "--out", out, "--rate", "0")
		code, stderr := wait()
		res, _ := os.ReadFile(filepath.Join(out, "results.csv"))
		require.Equal(t, ExitOK, code, "%s\n%s", stderr, res)
		log, err := os.ReadFile(filepath.Join(out, "run.log"))
		require.NoError(t, err)
		return string(log)
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	assert.Contains(t, run("tuned"), `"msg":"collector","gogc":200,"memoryLimitMiB":100`)
	assert.NotContains(t, run("user-gogc", "GOGC=50"), `"msg":"collector"`, "the user's GOGC wins")

	res := runCLI(t, map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}, "run", "tn-order", manifest("in-process"), "--endpoint", hs.URL+"/Services/1.0.0", "--out", filepath.Join(dir, "in-process"), "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	log, err := os.ReadFile(filepath.Join(dir, "in-process", "run.log"))
	require.NoError(t, err)
	assert.NotContains(t, string(log), `"msg":"collector"`, "in-process commands leave the collector alone")
}

// TestSandboxTunesItsCollector: `iqbulk sandbox` collects at
// sandboxGCPercent unless GOGC or GOMEMLIMIT is set or the process is not
// the binary.
func TestSandboxTunesItsCollector(t *testing.T) {
	saved, savedTune := debug.SetGCPercent(100), TuneGC
	t.Cleanup(func() { debug.SetGCPercent(saved); TuneGC = savedTune })
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	TuneGC = false
	assert.False(t, tuneSandboxGC())
	assert.Equal(t, 100, debug.SetGCPercent(100), "not the binary: left alone")
	TuneGC = true
	assert.True(t, tuneSandboxGC())
	assert.Equal(t, sandboxGCPercent, debug.SetGCPercent(100))
	t.Setenv("GOGC", "150")
	assert.False(t, tuneSandboxGC(), "the user's GOGC wins")
	assert.Equal(t, 100, debug.SetGCPercent(100))
}
