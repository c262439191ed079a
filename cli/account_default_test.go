package cli

import (
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestAccountDefaultMerges: a row changing two settings leaves every other
// one as it was (a partial accountDefault would blank the webhook and the
// port-out contacts); "-" clears the webhook and its header.
func TestAccountDefaultMerges(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}
	defaults := func(name string) map[string]string {
		out := filepath.Join(dir, name+".csv")
		r := runCLI(t, envs, "export", "account-defaults", "-o", out, "--endpoint", endpoint, "--quiet")
		require.Equal(t, ExitOK, r.code, r.stderr)
		rows := readCSV(t, out)
		require.Len(t, rows, 1)
		return rows[0]
	}
	run := func(name, manifest string) []map[string]string {
		m := writeFile(t, filepath.Join(dir, name+".csv"), manifest)
		r := runCLI(t, envs, "run", "account-default", m, "--out", filepath.Join(dir, name), "--endpoint", endpoint, "--rate", "0")
		require.Equal(t, ExitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		return readCSV(t, filepath.Join(dir, name, "results.csv"))
	}
	before := defaults("before")
	require.Equal(t, "test.inteliquent.com", before["webhook_url"])

	rows := run("sample", "desired_port_time,cnam_dip_tf\n16:30,N\n")
	assert.Equal(t, "desired_port_time cnam_dip_tf", rows[0]["changed"])
	after := defaults("after")
	assert.Equal(t, "16:30", after["desired_port_time"])
	assert.Equal(t, "N", after["cnam_dip_tf"])
	for _, kept := range []string{"webhook_url", "webhook_header", "port_out_contacts", "contact_email", "desired_port_time_zone", "port_out_pin"} {
		assert.Equal(t, before[kept], after[kept], "%s is kept", kept)
	}

	rows = run("again", "desired_port_time,cnam_dip_tf\n16:30,N\n")
	assert.Empty(t, rows[0]["changed"], "the same values again change nothing")

	run("clear", "webhook_url,port_out_contacts\n-,Ops Desk <ops@example.com>\n")
	cleared := defaults("cleared")
	assert.Empty(t, cleared["webhook_url"])
	assert.Empty(t, cleared["webhook_header"])
	assert.Equal(t, "Ops Desk <ops@example.com>", cleared["port_out_contacts"])
	assert.Equal(t, "16:30", cleared["desired_port_time"])

	r := runCLI(t, envs, "run", "account-default", writeFile(t, filepath.Join(dir, "bad.csv"), "desired_port_time_zone,cnam_dip\nUS/Hawaii,maybe\n"),
		"--out", filepath.Join(dir, "bad"), "--endpoint", endpoint, "--rate", "0")
	assert.Equal(t, ExitRowsNotOK, r.code)
	bad := readCSV(t, filepath.Join(dir, "bad", "results.csv"))
	assert.Equal(t, "invalid", bad[0]["status"])
	assert.Equal(t, "16:30", defaults("unchanged")["desired_port_time"])
}
