package cli

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

func TestCheck(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	good := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}
	tests := []struct {
		name  string
		envs  map[string]string
		args  []string
		code  int
		check func(t *testing.T, r result)
	}{
		{"ok", good, nil, ExitOK, func(t *testing.T, r result) {
			assert.Contains(t, r.stdout, "credentials")
			assert.Contains(t, r.stdout, "OAuth2 token obtained")
			assert.Regexp(t, `healthCheck\s+ok\s+UP`, r.stdout)
			assert.Regexp(t, `trunk groups\s+ok\s+6 on the account`, r.stdout)
			assert.Regexp(t, `rate\s+ok\s+10 requests in`, r.stdout)
			assert.NotContains(t, r.stdout+r.stderr, sandbox.DemoSecret)
		}},
		{"json", good, []string{"--json", "--probes", "3"}, ExitOK, func(t *testing.T, r result) {
			var out struct {
				Endpoint string `json:"endpoint"`
				OK       bool   `json:"ok"`
				Report   struct {
					Probes int `json:"probes"`
					Checks []struct {
						Name  string `json:"name"`
						OK    bool   `json:"ok"`
						Count int    `json:"count"`
					} `json:"checks"`
				} `json:"report"`
			}
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
			assert.True(t, out.OK)
			assert.Equal(t, endpoint, out.Endpoint)
			assert.Equal(t, 3, out.Report.Probes)
			require.Len(t, out.Report.Checks, 6)
			assert.Equal(t, 6, out.Report.Checks[2].Count, "trunk groups")
		}},
		{"bad secret", map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": "wrong-secret"}, nil, ExitRowsNotOK, func(t *testing.T, r result) {
			assert.Regexp(t, `credentials\s+FAILED`, r.stdout)
			assert.NotContains(t, r.stdout+r.stderr, "wrong-secret")
		}},
		{"basic auth", map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret, "IQ_AUTH": "basic"}, nil, ExitOK, func(t *testing.T, r result) {
			assert.Contains(t, r.stdout, "HTTP Basic")
		}},
		{"too many probes", good, []string{"--probes", "1000"}, ExitUsage, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.envs, append([]string{"check", "--endpoint", endpoint, "--rate", "0"}, tc.args...)...)
			require.Equal(t, tc.code, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}
