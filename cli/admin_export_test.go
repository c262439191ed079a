package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// TestAdminExports: api-clients lists the account's keys with nothing of
// a key but its last four characters and nothing of the secret;
// trunk-group-orders lists every order with its detail's lists, or one.
func TestAdminExports(t *testing.T) {
	dir := t.TempDir()
	s := newSimEnv(t, sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})

	keys := filepath.Join(dir, "keys.csv")
	res := runCLI(t, s.envs, "export", "api-clients", "-o", keys, "--endpoint", s.endpoint, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows := readCSV(t, keys)
	require.Len(t, rows, 1)
	assert.Equal(t, "…"+sandbox.DemoKey[len(sandbox.DemoKey)-4:], rows[0]["key_last4"])
	assert.Equal(t, "true", rows[0]["is_primary"])
	raw, err := os.ReadFile(keys)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), sandbox.DemoKey, "the key itself is never written")
	assert.NotContains(t, string(raw), sandbox.DemoSecret, "the secret is never written")

	orders := filepath.Join(dir, "orders.csv")
	res = runCLI(t, s.envs, "export", "trunk-group-orders", "-o", orders, "--endpoint", s.endpoint, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows = readCSV(t, orders)
	require.Len(t, rows, 2)
	assert.Equal(t, "1497293", rows[1]["order_id"])
	assert.Equal(t, "ATLNGAQS08T_266", rows[1]["trunk_group_name"])
	assert.Equal(t, "192.168.251.6:5060 (Both)", rows[1]["sip_signaling"])
	assert.Contains(t, rows[1]["codecs"], "G.729 AB/20ms/priority 5/dtmf 2833")
	assert.Equal(t, "N", rows[1]["e911_enabled"])

	res = runCLI(t, s.envs, "export", "trunk-group-orders", "-o", orders, "--endpoint", s.endpoint, "--order-id", "1497277", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows = readCSV(t, orders)
	require.Len(t, rows, 1)
	assert.Equal(t, "CHCGIL24IQT_9998", rows[0]["trunk_group_name"])
}
