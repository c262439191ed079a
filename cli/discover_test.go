package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestTemplateRefusesToOverwrite: an edited manifest is never replaced
// without --force.
func TestTemplateRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "tn-note.csv"), "tn,note\n3125550100,my edits\n")
	res := runCLI(t, nil, "template", "tn-note", "-o", path)
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "--force")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "tn,note\n3125550100,my edits\n", string(data))

	res = runCLI(t, nil, "template", "tn-note", "-o", path, "--force")
	require.Equal(t, ExitOK, res.code, res.stderr)
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "my edits")
}

// TestExportRefusedByTheAPI: an export the API's validation refuses exits
// 2 and leaves no .partial, .state.db or .lock behind.
func TestExportRefusedByTheAPI(t *testing.T) {
	_, envs, endpoint := exportServer(t, sandbox.Options{WorldSize: 1000})
	dir := t.TempDir()
	out := filepath.Join(dir, "inv.csv")
	res := runCLI(t, envs, "export", "inventory", "--endpoint", endpoint, "--rate", "0", "--quiet", "--tn-mask", "312", "-o", out)
	assert.Equal(t, ExitUsage, res.code, res.stderr)
	assert.Contains(t, res.stderr, "refused")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing left behind")
}

// TestExportSinceLastKeepsEarlierRows: --since last never replaces the
// earlier file; a first export given only --start-date writes the bookmark.
func TestExportSinceLastKeepsEarlierRows(t *testing.T) {
	_, envs, endpoint := exportServer(t, sandbox.Options{WorldSize: 1000})
	dir := t.TempDir()
	out := filepath.Join(dir, "calls.csv")
	res := runCLI(t, envs, "export", "e911-calls", "--endpoint", endpoint, "--rate", "0", "--quiet", "--start-date", "2024-01-01", "--end-date", "2024-02-01", "-o", out)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.FileExists(t, out+".bookmark.json")
	before, err := os.ReadFile(out)
	require.NoError(t, err)

	res = runCLI(t, envs, "export", "e911-calls", "--endpoint", endpoint, "--rate", "0", "--quiet", "--since", "last", "--end-date", "2024-03-01", "-o", out)
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "--force")
	after, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the earlier rows are kept")

	next := filepath.Join(dir, "calls-feb.csv")
	res = runCLI(t, envs, "export", "e911-calls", "--endpoint", endpoint, "--rate", "0", "--quiet", "--since", "last", "--end-date", "2024-03-01",
		"-o", next, "--bookmark", out+".bookmark.json")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "next --since last starts at 2024-03-01")
}

// TestDiscoverable: version from build info, one job kind, "did you mean"
// for kinds and flags, credentials and environment in the help.
func TestDiscoverable(t *testing.T) {
	res := runCLI(t, nil, "version")
	require.Equal(t, ExitOK, res.code)
	assert.NotEqual(t, "iqbulk dev\n", res.stdout)
	assert.Contains(t, res.stdout, runtime.Version())

	res = runCLI(t, nil, "jobs", "tn-note")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(res.stdout, "tn-note "), res.stdout)
	assert.NotContains(t, res.stdout, "tn-order")

	tests := []struct {
		args []string
		want string
	}{
		{[]string{"jobs", "tn-nte"}, `did you mean "tn-note"?`},
		{[]string{"run", "tn-ordr", "m.csv"}, `did you mean "tn-order"?`},
		{[]string{"template", "e91"}, `did you mean "e911"?`},
		{[]string{"run", "tn-order", "m.csv", "--rat", "5"}, "did you mean --rate?"},
		{[]string{"resume", "dir", "--concurrancy", "5"}, "did you mean --concurrency?"},
		{[]string{"export", "inventory", "--tn-msk", "312"}, "did you mean --tn-mask?"},
		{[]string{"export", "inventroy", "-o", "x.csv"}, `did you mean "inventory"?`},
		{[]string{"export", "inventory", "-o", "x.csv", "--retries", "-1"}, "--retries -1: want 0 to 100"},
		{[]string{"export", "inventory", "-o", "x.csv", "--rate", "-5"}, "--rate -5: want 0"},
		{[]string{"export", "orders", "-o", "x.csv", "--page-size", "0"}, "--page-size 0: want 1 or more"},
	}
	for _, tt := range tests {
		res := runCLI(t, nil, tt.args...)
		assert.Equal(t, ExitUsage, res.code, tt.args)
		assert.Contains(t, res.stderr, tt.want, tt.args)
	}

	res = runCLI(t, nil, "run", "--help")
	require.Equal(t, ExitOK, res.code)
	for _, v := range []string{"IQ_API_KEY", "IQ_API_SECRET", "IQ_AUTH", "IQBULK_SANDBOX_STATE"} {
		assert.Contains(t, res.stdout, v)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	for _, v := range []string{"IQ_API_KEY", "IQ_API_SECRET", "IQ_AUTH", "IQBULK_SANDBOX_STATE"} {
		assert.True(t, strings.Contains(string(readme), v), "README documents %s", v)
	}
}

// TestSendNothingWithoutTheSandboxLock: while another process holds the
// embedded sandbox's state, a dry run, template, jobs and status still
// work, and a run that needs the lock says what to do.
func TestSendNothingWithoutTheSandboxLock(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), "tn\n2013351101\n")
	out := filepath.Join(dir, "dry")
	require.Equal(t, ExitOK, runCLI(t, envs, "run", "tn-order", manifest, "--out", out, "--dry-run", "--rate", "0").code)

	holder, err := sandbox.New(sandbox.Options{StateDir: state})
	require.NoError(t, err)
	defer holder.Close()

	res := runCLI(t, envs, "run", "tn-order", manifest, "--out", filepath.Join(dir, "dry2"), "--dry-run", "--rate", "0")
	assert.Equal(t, ExitOK, res.code, res.stderr)
	res = runCLI(t, envs, "resume", out)
	assert.Equal(t, ExitOK, res.code, res.stderr)
	assert.Equal(t, ExitOK, runCLI(t, envs, "status", out).code)
	assert.Equal(t, ExitOK, runCLI(t, envs, "jobs").code)
	assert.Equal(t, ExitOK, runCLI(t, envs, "template", "tn-order", "-o", filepath.Join(dir, "t.csv")).code)
	res = runCLI(t, envs, "run", "tn-order", filepath.Join(dir, "missing.csv"), "--out", filepath.Join(dir, "bad"))
	assert.Equal(t, ExitUsage, res.code)
	assert.NotContains(t, res.stderr, "in use")

	res = runCLI(t, envs, "run", "tn-order", manifest, "--out", filepath.Join(dir, "real"), "--rate", "0")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "wait for it to finish")
	assert.Contains(t, res.stderr, "IQBULK_SANDBOX_STATE")
}
