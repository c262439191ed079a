package cli

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/inteliquent"
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

// TestExportSecretsStaySecret runs every export kind with known credentials
// against the sandbox, in every format, and checks that the credentials
// appear nowhere: not in the file, its summary, its checkpoint, nor on
// stdout or stderr; and that every file is 0600.
func TestExportSecretsStaySecret(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(t.TempDir(), "sandbox"), Key: testKey, Secret: testSecret, WorldSize: 2000})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	url := hs.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": testKey, "IQ_API_SECRET": testSecret}

	// a run that placed orders, for the kinds that read a run's orders
	orderRun := filepath.Join(t.TempDir(), "orders")
	res := runCLI(t, envs, "run", "tn-feature", filepath.Join("..", "samples", "tn-feature.csv"), "--endpoint", url, "--out", orderRun, "--rate", "0", "--yes")
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, res.stderr)
	// Each kind runs from the example its registration declares; excluded
	// also reads the run's checkpoint.
	type exportCase struct {
		kind string
		args []string
	}
	var cases []exportCase
	kinds := exports.Default().Kinds()
	require.NotEmpty(t, kinds)
	for _, k := range kinds {
		cases = append(cases, exportCase{k.Name, k.ExampleOf(time.Now()).Args()})
	}
	cases = append(cases, exportCase{"excluded", []string{"--run-dir", orderRun}})
	for i, c := range cases {
		for _, format := range []string{"csv", "xlsx", "jsonl"} {
			t.Run(fmt.Sprintf("%s/%d/%s", c.kind, i, format), func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "export")
				require.NoError(t, os.Mkdir(dir, 0o700))
				out := filepath.Join(dir, c.kind+"."+format)
				args := append([]string{"export", c.kind, "--endpoint", url, "--rate", "0", "--quiet", "-o", out}, c.args...)
				res := runCLI(t, envs, args...)
				require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
				require.FileExists(t, out)
				assertNoSecrets(t, "stdout", res.stdout)
				assertNoSecrets(t, "stderr", res.stderr)
				assertRunDirSafe(t, dir)
			})
		}
	}
}

// TestErrorPathsPrintNoSecrets: commands that fail, in every way a user
// can make them fail with credentials in the environment, print errors
// that name the problem without the credentials, and leave no file that
// holds them.
func TestErrorPathsPrintNoSecrets(t *testing.T) {
	url, envs := secretsServer(t)
	dir := t.TempDir()
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn,note\n2013350401,x\n")
	wrong := map[string]string{"IQ_API_KEY": testKey, "IQ_API_SECRET": testSecret + "-wrong"}
	closed := "http://127.0.0.1:1/Services/1.0.0" // nothing listens on port 1

	// a server whose answers echo the request back, headers and body: what a
	// broken proxy or a debugging endpoint might do
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"statusCode":"400","status":"bad request: auth=%s body=%s"}`, r.Header.Get("Authorization"), strings.ReplaceAll(string(body), `"`, `'`))
	}))
	t.Cleanup(echo.Close)

	tests := []struct {
		name  string
		envs  map[string]string
		args  []string
		codes []int
	}{
		{"run, wrong secret", wrong, []string{"run", "tn-note", manifest, "--endpoint", url}, []int{ExitUsage}},
		{"export, wrong secret", wrong, []string{"export", "assigned-basic", "--endpoint", url, "--quiet"}, []int{ExitUsage, ExitInterrupted}},
		{"run, nothing listening", envs, []string{"run", "tn-note", manifest, "--endpoint", closed, "--retries", "0", "--timeout", "2s"}, []int{ExitUsage, ExitRowsNotOK, ExitInterrupted}},
		{"export, nothing listening", envs, []string{"export", "assigned-basic", "--endpoint", closed, "--retries", "0", "--quiet"}, []int{ExitUsage, ExitInterrupted}},
		{"run, basic auth, answers echo the request", map[string]string{"IQ_API_KEY": testKey, "IQ_API_SECRET": testSecret, "IQ_AUTH": "basic"},
			[]string{"run", "tn-note", manifest, "--endpoint", echo.URL + "/Services/1.0.0", "--retries", "0"}, []int{ExitUsage, ExitRowsNotOK, ExitInterrupted}},
		{"run, oauth2, answers echo the request", envs,
			[]string{"run", "tn-note", manifest, "--endpoint", echo.URL + "/Services/1.0.0", "--retries", "0"}, []int{ExitUsage, ExitRowsNotOK, ExitInterrupted}},
		{"run, bad IQ_AUTH", map[string]string{"IQ_API_KEY": testKey, "IQ_API_SECRET": testSecret, "IQ_AUTH": "digest"},
			[]string{"run", "tn-note", manifest, "--endpoint", url}, []int{ExitUsage}},
		{"run, plain http off loopback", envs, []string{"run", "tn-note", manifest, "--endpoint", "http://192.0.2.1/Services/1.0.0"}, []int{ExitUsage}},
		{"run, unknown flag", envs, []string{"run", "tn-note", manifest, "--no-such-flag"}, []int{ExitUsage}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runDir := filepath.Join(dir, fmt.Sprintf("case-%d", i))
			require.NoError(t, os.Mkdir(runDir, 0o700))
			args := tc.args
			if args[0] == "export" {
				args = append(args, "-o", filepath.Join(runDir, "x.csv"))
			} else {
				args = append(args, "--out", filepath.Join(runDir, "run"))
			}
			res := runCLI(t, tc.envs, args...)
			assert.Contains(t, tc.codes, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			assert.NotEmpty(t, res.stderr, "a failure says why")
			assertNoSecrets(t, "stdout", res.stdout)
			assertNoSecrets(t, "stderr", res.stderr)
			if entries, _ := os.ReadDir(runDir); len(entries) > 0 {
				assertRunDirSafe(t, runDir)
			}
		})
	}
}

// TestPanicOutputCarriesNoSecrets: a panic inside a command (here: reading
// IQ_AUTH panics with the credentials in its value, as a panic printing a
// request or a configuration would) ends with exit 3 and a report on
// stderr from which the credentials are removed.
func TestPanicOutputCarriesNoSecrets(t *testing.T) {
	url, _ := secretsServer(t)
	dir := t.TempDir()
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn,note\n2013350401,x\n")
	basic := base64.StdEncoding.EncodeToString([]byte(testKey + ":" + testSecret))
	var out, errb strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		switch k {
		case "IQ_API_KEY":
			return testKey
		case "IQ_API_SECRET":
			return testSecret
		case "IQ_AUTH":
			panic(fmt.Sprintf("boom: config{key: %s, secret: %s, basic: %s}", testKey, testSecret, basic))
		}
		return ""
	}}
	code := run(t.Context(), []string{"run", "tn-note", manifest, "--endpoint", url, "--out", filepath.Join(dir, "run")}, e)
	assert.Equal(t, ExitInterrupted, code)
	assert.Contains(t, errb.String(), "internal error")
	assert.Contains(t, errb.String(), "boom: config{key: [redacted], secret: [redacted], basic: [redacted]}")
	assert.Contains(t, errb.String(), "goroutine", "the stack is kept for the bug report")
	assertNoSecrets(t, "stderr", errb.String())
	assertNoSecrets(t, "stdout", out.String())
}

// TestTLSMinimumVersion: the guide accepts TLS 1.2 connections; the client
// every command uses never negotiates anything older, whatever Go's default.
func TestTLSMinimumVersion(t *testing.T) {
	hc := inteliquent.NewHTTPClient(time.Minute)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok, "the client has its own transport")
	require.NotNil(t, tr.TLSClientConfig)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.Equal(t, time.Minute, hc.Timeout)
	assert.NotNil(t, tr.Proxy, "the environment's proxy settings still apply")

	// End to end: a server offering only TLS 1.1 is refused during the
	// handshake, before any request (credentials included) is sent; one
	// offering TLS 1.2 gets past the version check (and then fails on its
	// self-signed certificate, which this client rightly does not trust).
	dir := t.TempDir()
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn,note\n2013350401,x\n")
	envs := map[string]string{"IQ_API_KEY": testKey, "IQ_API_SECRET": testSecret}
	for _, tc := range []struct {
		name    string
		max     uint16
		wantErr string
	}{
		{"TLS 1.1 only", tls.VersionTLS11, "protocol version"},
		{"TLS 1.2", tls.VersionTLS12, "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1) }))
			srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tc.max}
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			srv.StartTLS()
			t.Cleanup(srv.Close)
			require.True(t, strings.HasPrefix(srv.URL, "https://"))

			// run: the row fails with the handshake error as its message
			out := filepath.Join(t.TempDir(), "run")
			res := runCLI(t, envs, "run", "tn-note", manifest, "--endpoint", srv.URL+"/Services/1.0.0", "--retries", "0", "--out", out)
			assert.NotEqual(t, ExitOK, res.code)
			assertNoSecrets(t, "stderr", res.stderr)
			rows := readCSV(t, filepath.Join(out, "results.csv"))
			require.Len(t, rows, 1)
			assert.Equal(t, "failed", rows[0]["status"])
			assert.Contains(t, rows[0]["message"], tc.wantErr)

			// export: the error on stderr
			res = runCLI(t, envs, "export", "assigned-basic", "--endpoint", srv.URL+"/Services/1.0.0", "--retries", "0", "--quiet", "-o", filepath.Join(t.TempDir(), "x.csv"))
			assert.NotEqual(t, ExitOK, res.code)
			assert.Contains(t, res.stderr, tc.wantErr)
			assertNoSecrets(t, "stderr", res.stderr)
			assert.Zero(t, requests.Load(), "no request reached the server")
		})
	}
}
