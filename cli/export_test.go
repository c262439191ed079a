package cli

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

func exportServer(t *testing.T, opts sandbox.Options) (*sandbox.Server, map[string]string, string) {
	t.Helper()
	srv, err := sandbox.New(opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}
	return srv, envs, hs.URL + "/Services/1.0.0"
}

func TestExportInventoryCLI(t *testing.T) {
	srv, envs, endpoint := exportServer(t, sandbox.Options{WorldSize: 25_000})
	dir := t.TempDir()
	out := filepath.Join(dir, "inv.csv")
	res := runCLI(t, envs, "export", "inventory", "--endpoint", endpoint, "--rate", "0", "--quiet", "--lata", "224", "-o", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "exported 19000 rows (2 pages, 2 requests") // 201335 and 201554 (capped) are LATA 224
	rows := readCSV(t, out)
	require.Equal(t, 19_000, len(rows))
	seen := map[string]bool{}
	for _, r := range rows {
		require.False(t, seen[r["telephone_number"]], "duplicate %s", r["telephone_number"])
		seen[r["telephone_number"]] = true
		assert.Equal(t, "224", r["lata"])
	}
	// the file agrees with the sandbox's inventory
	avail := srv.AvailableTNs(25_000)
	require.Equal(t, 25_000, len(avail))
	inLata := 0
	for _, tn := range avail {
		if seen[tn] {
			inLata++
		}
	}
	assert.Equal(t, 19_000, inLata)
	assert.FileExists(t, out+".summary.json")
}

func TestExportUsageErrors(t *testing.T) {
	_, envs, endpoint := exportServer(t, sandbox.Options{WorldSize: 1000})
	out := filepath.Join(t.TempDir(), "x.csv")
	for _, args := range [][]string{
		{"export", "nosuchkind", "-o", out},
		{"export", "inventory", "--feature", "cnam", "-o", out},    // not an inventory filter
		{"export", "features", "-o", out},                          // --feature required
		{"export", "mdr", "--direction", "sideways", "-o", out},    // bad enum
		{"export", "inventory", "-o", filepath.Join(out, "x.txt")}, // bad extension
		{"export", "inventory", "--since", "last", "-o", out},      // not dated
	} {
		res := runCLI(t, envs, append(args, "--endpoint", endpoint)...)
		assert.Equal(t, ExitUsage, res.code, "%v: %s", args, res.stderr)
	}
	assert.NoFileExists(t, out)
}

func TestExportNoResultsIsEmptyFileExitZero(t *testing.T) {
	_, envs, endpoint := exportServer(t, sandbox.Options{WorldSize: 1000})
	out := filepath.Join(t.TempDir(), "calls.csv")
	res := runCLI(t, envs, "export", "e911-calls", "--endpoint", endpoint, "--quiet", "--start-date", "2015-01-01",
		"--end-date", "2015-01-02", "-o", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "\ufeffsource_tn,call_date,call_type,call_status,call_destination,call_provisioned,call_duration,name,street_num,street_info,city,state,postal_code,call_terminated,sip_call_id,via_header,incoming_dnis,incoming_from,incoming_contact\n", string(b))
}

// TestExportResumeAfterSIGKILL kills a real iqbulk process (the test binary)
// in the middle of an export and resumes it: the file must equal an
// uninterrupted export byte for byte.
func TestExportResumeAfterSIGKILL(t *testing.T) {
	faults, err := sandbox.ParseFaults("latency=40ms")
	require.NoError(t, err)
	_, envs, endpoint := exportServer(t, sandbox.Options{WorldSize: 120_000, Faults: faults})
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.csv")
	res := runCLI(t, envs, "export", "inventory", "--endpoint", endpoint, "--rate", "0", "--quiet", "-o", whole)
	require.Equal(t, ExitOK, res.code, res.stderr)

	out := filepath.Join(dir, "killed.csv")
	args := []string{"export", "inventory", "--endpoint", endpoint, "--rate", "0", "--quiet", "-o", out}
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQ_API_KEY="+sandbox.DemoKey, "IQ_API_SECRET="+sandbox.DemoSecret)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	// cmd.ProcessState stays nil until Wait returns, so the exit is watched
	// through Wait in a goroutine: an export that ends before the kill
	// fails the test instead of leaving it polling forever.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// kill once a few pages are in (each page is ~700 KB)
	poll := time.NewTicker(5 * time.Millisecond)
	defer poll.Stop()
	for waiting := true; waiting; {
		select {
		case err := <-done:
			t.Fatalf("export finished (%v) before it could be killed; stderr:\n%s", err, stderr.String())
		case <-poll.C:
			fi, err := os.Stat(out + ".partial")
			waiting = err != nil || fi.Size() <= 3_000_000
		}
	}
	require.NoError(t, cmd.Process.Kill())
	err = <-done
	var xe *exec.ExitError
	require.ErrorAs(t, err, &xe, "the export was killed, not finished")
	require.False(t, xe.Success())
	require.NoFileExists(t, out, "no partial export under the final name")

	res = runCLI(t, envs, append(args, "--resume")...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "exported 120000 rows")
	want, err := os.ReadFile(whole)
	require.NoError(t, err)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, len(want), len(got))
	assert.True(t, string(want) == string(got), "resumed export differs from an uninterrupted one")
}
