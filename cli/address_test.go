package cli

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAddressValidateSample runs the sample (the guide's three example
// addresses) against the sandbox: valid, corrected, not close enough with
// its candidates; nothing changes.
func TestAddressValidateSample(t *testing.T) {
	e := newTFEnv(t)
	before := len(e.srv.Audit())
	rows, res := e.run("address-validate", filepath.Join("..", "samples", "address-validate.csv"), "addr")
	assert.Equal(t, ExitRowsNotOK, res.code, "the third address is not close enough")
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"ok", "ok", "invalid"}, statuses(rows))
	assert.Equal(t, []string{"valid", "corrected", "not-close-enough"}, []string{rows[0]["code"], rows[1]["code"], rows[2]["code"]})
	assert.Contains(t, rows[1]["message"], "60661")
	assert.Contains(t, rows[2]["candidate_1"], "W 28th St")
	assert.Len(t, e.srv.Audit(), before, "validation changes nothing")
}
