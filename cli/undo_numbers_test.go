package cli

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestUndoReserveAndRelease: a tn-reserve run is undone by releasing the
// numbers it reserved (not one reserved before it); a tn-release run by
// reserving them again.
func TestUndoReserveAndRelease(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.srv.AvailableTNs(4)
	reserved := func() []string {
		resp, err := s.api.TnReservedList(t.Context(), &inteliquent.TnReservedListRequest{})
		if inteliquent.Code(err) != "430" {
			require.NoError(t, err)
		}
		var out []string
		for _, r := range resp.ReservedTns {
			out = append(out, string(r.TelephoneNumber))
		}
		sort.Strings(out)
		return out
	}
	s.mustRun(t, "tn-reserve", writeFile(t, filepath.Join(dir, "first.csv"), "tn\n"+tns[0]+"\n"), filepath.Join(dir, "first"))
	run := filepath.Join(dir, "reserve")
	s.mustRun(t, "tn-reserve", writeFile(t, filepath.Join(dir, "reserve.csv"), "tn\n"+strings.Join(tns[1:], "\n")+"\n"), run)
	require.Equal(t, tns, reserved())

	res := s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo-reserve"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "tn-release")
	assert.Equal(t, tns[:1], reserved(), "only the numbers the run reserved are released")

	run = filepath.Join(dir, "release")
	s.mustRun(t, "tn-reserve", writeFile(t, filepath.Join(dir, "again.csv"), "tn\n"+tns[1]+"\n"), filepath.Join(dir, "again"))
	s.mustRun(t, "tn-release", writeFile(t, filepath.Join(dir, "release.csv"), "tn\n"+tns[0]+"\n"+tns[1]+"\n"), run)
	require.Empty(t, reserved())
	res = s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo-release"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "restored in part: 2 rows: reserved again with a new four-hour hold")
	assert.Equal(t, tns[:2], reserved())
}

// TestUndoTfOrder: toll-free numbers the run loaded are disconnected by
// its undo (destructive: --yes outside the sandbox).
func TestUndoTfOrder(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	own := s.srv.TollFreeTNs("own", 2)
	run := filepath.Join(dir, "load")
	s.mustRun(t, "tf-order", writeFile(t, filepath.Join(dir, "load.csv"), "tn,product,resporg_id,routing_label\n"+
		own[0]+",8XX,IQB01,NTNYC-690-8XX-123\n"+own[1]+",8XX,IQB01,NTNYC-690-8XX-123\n"), run)
	require.Equal(t, "In Service", s.srv.TollFree(own[0]).Status)

	res := s.undo(t, run, "--run", "--yes", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "tf-disconnect")
	for _, tn := range own {
		assert.NotEqual(t, "In Service", s.srv.TollFree(tn).Status, tn)
	}
}
