package cli

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// writeConfig writes $XDG_CONFIG_HOME/iqbulk/config.toml and returns the
// XDG_CONFIG_HOME to use.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, "iqbulk"), 0o700))
	writeFile(t, filepath.Join(home, "iqbulk", "config.toml"), content)
	return home
}

// showSettings runs config show --json and returns setting -> (value, source).
func showSettings(t *testing.T, envs map[string]string, args ...string) map[string]resolved {
	t.Helper()
	res := runCLI(t, envs, append([]string{"config", "show", "--json"}, args...)...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	var rows []resolved
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &rows))
	out := map[string]resolved{}
	for _, r := range rows {
		out[r.Name] = r
	}
	return out
}

const testConfig = `
profile = "test"

[profiles.test]
endpoint = "inteliquent-sandbox"
rate = 3.5
concurrency = 2
out_dir = "/srv/runs-test"

[profiles.prod]
endpoint = "production"
auth = "basic"
rate = 10
burst = 5
key_env = "PROD_KEY"
settle = "10m"
secret_command = "printf %s%s prod-secret- from-command-1234"
`

// Precedence: flag > env > profile > default, for every layer.
func TestProfilePrecedence(t *testing.T) {
	home := writeConfig(t, testConfig)
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		setting  string
		want     string
		wantFrom string
	}{
		{"default without any profile", map[string]string{"IQBULK_CONFIG": filepath.Join(t.TempDir(), "none.toml")}, nil, "rate", "20", "default"},
		{"the file's default profile", nil, nil, "rate", "3.5", "profile test"},
		{"IQ_PROFILE picks another", map[string]string{"IQ_PROFILE": "prod"}, nil, "rate", "10", "profile prod"},
		{"--profile beats IQ_PROFILE", map[string]string{"IQ_PROFILE": "test"}, []string{"--profile", "prod"}, "burst", "5", "profile prod"},
		{"env beats profile", map[string]string{"IQ_RATE": "7"}, []string{"--profile", "prod"}, "rate", "7", "env IQ_RATE"},
		{"flag beats env", map[string]string{"IQ_RATE": "7"}, []string{"--profile", "prod", "--rate", "1"}, "rate", "1", "flag --rate"},
		{"profile without the setting: default", nil, nil, "burst", "0", "default"},
		{"auth from profile", nil, []string{"--profile", "prod"}, "auth", "basic", "profile prod"},
		{"auth from env", map[string]string{"IQ_AUTH": "oauth2"}, []string{"--profile", "prod"}, "auth", "oauth2", "env IQ_AUTH"},
		{"out_dir from profile", nil, nil, "out_dir", "/srv/runs-test", "profile test"},
		{"endpoint from env", map[string]string{"IQ_ENDPOINT": "production"}, nil, "endpoint", "production", "env IQ_ENDPOINT"},
		{"settle default", nil, nil, "settle", "30s", "default"},
		{"settle from profile", map[string]string{"IQ_PROFILE": "prod"}, nil, "settle", "10m0s", "profile prod"},
		// Concurrency not given anywhere follows the rate: a tenth of it,
		// 4 to 64; given anywhere, it is what was given.
		{"concurrency from the default rate", map[string]string{"IQ_PROFILE": "prod"}, nil, "concurrency", "4", "default"},
		{"concurrency from --rate 200", map[string]string{"IQ_PROFILE": "prod"}, []string{"--rate", "200"}, "concurrency", "20", "default (from the rate)"},
		{"concurrency from --rate 1000: capped", map[string]string{"IQ_PROFILE": "prod"}, []string{"--rate", "1000"}, "concurrency", "64", "default (from the rate)"},
		{"concurrency with an unlimited rate", map[string]string{"IQ_PROFILE": "prod"}, []string{"--rate", "0"}, "concurrency", "4", "default"},
		{"concurrency from env beats the rate", map[string]string{"IQ_PROFILE": "prod", "IQ_CONCURRENCY": "3"}, []string{"--rate", "200"}, "concurrency", "3", "env IQ_CONCURRENCY"},
		{"concurrency from profile beats the rate", nil, []string{"--rate", "200"}, "concurrency", "2", "profile test"},
		{"concurrency flag beats the rate", nil, []string{"--rate", "200", "--concurrency", "7"}, "concurrency", "7", "flag --concurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			envs := map[string]string{"XDG_CONFIG_HOME": home}
			for k, v := range tt.env {
				envs[k] = v
			}
			got := showSettings(t, envs, tt.args...)[tt.setting]
			assert.Equal(t, tt.want, got.Value)
			assert.Contains(t, got.Source, tt.wantFrom)
		})
	}
}

// A secret from the profile's command: used, and masked by config show.
func TestProfileSecretFromCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the test's secret command is printf")
	}
	home := writeConfig(t, testConfig)
	envs := map[string]string{"XDG_CONFIG_HOME": home, "PROD_KEY": "prod-key-abcdefgh-wxyz"}
	res := runCLI(t, envs, "config", "show", "--profile", "prod")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.NotContains(t, res.stdout, "prod-secret-from-command-1234", "the secret never shows")
	assert.NotContains(t, res.stdout, "prod-key-abcdefgh", "the key shows its last four only")
	assert.Regexp(t, `api_key\s+\*\*\*\*wxyz\s+env PROD_KEY \(profile prod\)`, res.stdout)
	assert.Regexp(t, `api_secret\s+\*{8}\s+command "printf %s%s prod-secret- from-command-1234" \(profile prod\)`, res.stdout)

	// The run uses them: a sandbox that knows only these credentials.
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sb"), Key: "prod-key-abcdefgh-wxyz", Secret: "prod-secret-from-command-1234"})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	m := writeFile(t, filepath.Join(dir, "m.csv"), "TN\n2013350101\n")
	out := filepath.Join(dir, "run")
	res = runCLI(t, envs, "run", "tn-order", m, "--profile", "prod", "--endpoint", hs.URL+"/Services/1.0.0", "--out", out, "--rate", "0")
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	for _, f := range []string{"run.log", "summary.json", "report.html", "results.csv"} {
		data, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assert.NotContains(t, string(data), "prod-secret-from-command-1234", f)
		assert.NotContains(t, string(data), "prod-key-abcdefgh-wxyz", f)
	}

	// Without the profile the same run has no credentials.
	res = runCLI(t, map[string]string{"XDG_CONFIG_HOME": home, "IQ_PROFILE": "test"}, "run", "tn-order", m, "--endpoint", hs.URL+"/Services/1.0.0", "--out", filepath.Join(dir, "run2"))
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "IQ_API_KEY and IQ_API_SECRET must be set")
}

func TestProfileErrors(t *testing.T) {
	tests := []struct {
		name, config string
		args         []string
		want         string
	}{
		{"unknown profile", testConfig, []string{"--profile", "nope"}, `profile "nope" (from --profile) is not in`},
		{"a secret in clear", "[profiles.x]\napi_secret = \"hunter2\"\n", []string{"--profile", "x"}, "secrets are never read from the config file in clear"},
		{"unknown setting", "[profiles.x]\nspeed = 3\n", []string{"--profile", "x"}, "unknown setting profiles.x.speed"},
		{"bad value", "[profiles.x]\nrate = \"fast\"\n", []string{"--profile", "x"}, "rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, map[string]string{"XDG_CONFIG_HOME": writeConfig(t, tt.config)}, append([]string{"config", "show"}, tt.args...)...)
			assert.Equal(t, ExitUsage, res.code)
			assert.Contains(t, res.stderr, tt.want)
			assert.NotContains(t, res.stderr, "hunter2")
		})
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"pass show iq/prod", []string{"pass", "show", "iq/prod"}, false},
		{`op read "op://vault/iq prod/secret"`, []string{"op", "read", "op://vault/iq prod/secret"}, false},
		{`sh -c 'pass show iq/prod | head -1'`, []string{"sh", "-c", "pass show iq/prod | head -1"}, false},
		{`a\ b "c\"d" ''`, []string{"a b", `c"d`, ""}, false},
		{`"unterminated`, nil, true},
	}
	for _, tt := range tests {
		got, err := splitWords(tt.in)
		if tt.err {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}
