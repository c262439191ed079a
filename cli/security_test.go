package cli

import (
	"encoding/base64"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/sandbox"
)

// Credentials that must never be written anywhere.
const (
	testKey    = "KEY-must-not-leak-7f3a9c"
	testSecret = "SECRET-must-not-leak-b81e44"
)

// secretsServer is a sandbox that accepts only the test credentials.
func secretsServer(t *testing.T) (url string, envs map[string]string) {
	t.Helper()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(t.TempDir(), "sandbox"), Key: testKey, Secret: testSecret, ClockSpeed: 1000})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs.URL + "/Services/1.0.0", map[string]string{"IQ_API_KEY": testKey, "IQ_API_SECRET": testSecret}
}

// assertNoSecrets fails if the key, the secret or their Basic encoding
// appear in text.
func assertNoSecrets(t *testing.T, where, text string) {
	t.Helper()
	basic := base64.StdEncoding.EncodeToString([]byte(testKey + ":" + testSecret))
	for _, s := range []string{testKey, testSecret, basic} {
		assert.NotContains(t, text, s, "a credential leaked into %s", where)
	}
}

// assertRunDirSafe checks every file of a run directory: no credentials,
// files 0600, directories 0700.
func assertRunDirSafe(t *testing.T, dir string) {
	t.Helper()
	files := 0
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		info, err := d.Info()
		require.NoError(t, err)
		if d.IsDir() {
			assert.Equal(t, fs.FileMode(0o700), info.Mode().Perm(), "%s", path)
			return nil
		}
		files++
		assert.Equal(t, fs.FileMode(0o600), info.Mode().Perm(), "%s", path)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assertNoSecrets(t, path, string(data))
		return nil
	}))
	assert.NotZero(t, files)
}

// TestSecretsStaySecret runs every job kind's sample manifest against the
// sandbox with known credentials, for real and as a dry run, and checks that
// the credentials appear nowhere: not in the run directory (results, logs,
// checkpoint), not on stdout or stderr. Every kind must ship a sample.
func TestSecretsStaySecret(t *testing.T) {
	url, envs := secretsServer(t)
	for _, j := range jobs.Default().All() {
		name := j.Spec().Name
		t.Run(name, func(t *testing.T) {
			sample := filepath.Join("..", "samples", name+".csv")
			_, err := os.Stat(sample)
			require.NoError(t, err, "every job kind ships samples/%s.csv", name)
			for _, dry := range []bool{true, false} {
				out := filepath.Join(t.TempDir(), "run")
				args := []string{"run", name, sample, "--endpoint", url, "--out", out, "--rate", "0", "--follow", "--poll-interval", "10ms", "--follow-timeout", "2s", "--yes"}
				if dry {
					args = append(args, "--dry-run")
				}
				res := runCLI(t, envs, args...)
				require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
				assertNoSecrets(t, "stdout", res.stdout)
				assertNoSecrets(t, "stderr", res.stderr)
				assertRunDirSafe(t, out)
			}
		})
	}
}

// TestWrongCredentialsFailSafely: a rejected key stops the run with exit 2
// and the error names the problem without repeating the credentials.
func TestWrongCredentialsFailSafely(t *testing.T) {
	url, _ := secretsServer(t)
	dir := t.TempDir()
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn,note\n2013350401,x\n")
	res := runCLI(t, map[string]string{"IQ_API_KEY": testKey + "x", "IQ_API_SECRET": testSecret + "x"},
		"run", "tn-note", manifest, "--endpoint", url, "--out", filepath.Join(dir, "run"))
	assert.Equal(t, ExitUsage, res.code, res.stderr)
	assert.Contains(t, strings.ToLower(res.stderr), "credentials")
	assertNoSecrets(t, "stderr", res.stderr)
	assertRunDirSafe(t, filepath.Join(dir, "run"))
}

// TestFormulaInjectionNeutralised: manifest cells that a spreadsheet would
// run as formulas come back neutralised in every spreadsheet output, for
// CSV and XLSX manifests alike.
func TestFormulaInjectionNeutralised(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	evil := []string{"=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"}
	var m strings.Builder
	m.WriteString("tn,site\n")
	for _, e := range evil {
		m.WriteString("bad-number," + `"` + strings.ReplaceAll(e, `"`, `""`) + `"` + "\n")
	}
	csvManifest := writeFile(t, filepath.Join(dir, "m.csv"), m.String())
	res := runCLI(t, envs, "run", "tn-order", csvManifest, "--out", filepath.Join(dir, "csv"), "--dry-run")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	for _, f := range []string{"results.csv", "failed.csv"} {
		rows := readCSV(t, filepath.Join(dir, "csv", f))
		require.Len(t, rows, len(evil), f)
		for i, r := range rows {
			assert.Equal(t, "'"+evil[i], r["site"], "%s row %d", f, i)
		}
	}

	x := excelize.NewFile()
	require.NoError(t, x.SetSheetRow("Sheet1", "A1", &[]string{"tn", "site"}))
	for i, e := range evil {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		require.NoError(t, x.SetSheetRow("Sheet1", cell, &[]string{"bad-number", e}))
	}
	xlsxManifest := filepath.Join(dir, "m.xlsx")
	require.NoError(t, x.SaveAs(xlsxManifest))
	res = runCLI(t, envs, "run", "tn-order", xlsxManifest, "--out", filepath.Join(dir, "xlsx"), "--dry-run")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	for _, f := range []string{"results.xlsx", "failed.xlsx"} {
		out, err := excelize.OpenFile(filepath.Join(dir, "xlsx", f))
		require.NoError(t, err, f)
		rows, err := out.GetRows(out.GetSheetList()[0])
		require.NoError(t, err)
		require.Len(t, rows, len(evil)+1, f)
		for i, e := range evil {
			assert.Equal(t, "'"+e, rows[i+1][1], "%s row %d", f, i)
		}
		out.Close()
	}
}

func TestPlainHTTPRefusedOffLoopback(t *testing.T) {
	dir := t.TempDir()
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn,note\n2013350401,x\n")
	for _, ep := range []string{"http://10.1.2.3/Services/1.0.0", "http://example.com/Services/1.0.0"} {
		res := runCLI(t, map[string]string{"IQ_API_KEY": testKey, "IQ_API_SECRET": testSecret}, "run", "tn-note", manifest, "--endpoint", ep, "--out", filepath.Join(dir, "r"))
		assert.Equal(t, ExitUsage, res.code)
		assert.Contains(t, res.stderr, "--insecure", ep)
	}
}
