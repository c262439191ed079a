package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestUndoAccountDefault: four settings changed (one cleared), undone: the
// whole of accountDefaultDetail is as it was.
func TestUndoAccountDefault(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	read := func() inteliquent.AccountDefaults {
		d, err := s.api.AccountDefaultDetail(t.Context())
		require.NoError(t, err)
		return d.AccountDefaultDetail
	}
	before := read()
	require.NotEmpty(t, before.WebHookURL)
	run := filepath.Join(dir, "change")
	s.mustRun(t, "account-default", writeFile(t, filepath.Join(dir, "change.csv"),
		"desired_port_time,cnam_dip_tf,webhook_url,port_out_contacts\n16:30,N,-,Ops Desk <ops@example.com>\n"), run)
	after := read()
	require.Empty(t, after.WebHookURL)
	require.Equal(t, "16:30", after.DesiredPortTime)

	res := s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "1 rows to restore")
	assert.Equal(t, before, read())
}

// TestUndoCustomerE911Notify: one address added, one removed from the
// customer's list, undone: the list is as it was.
func TestUndoCustomerE911Notify(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	read := func() []string {
		resp, err := s.api.CustomerE911NotificationList(t.Context(), &inteliquent.CustomerE911NotificationListRequest{})
		if inteliquent.Code(err) != "430" {
			require.NoError(t, err)
		}
		out := slices.Clone(resp.Addresses())
		sort.Strings(out)
		return out
	}
	s.mustRun(t, "customer-e911-notify", writeFile(t, filepath.Join(dir, "setup.csv"), "email\nnoc@x.example\nops@x.example\n"), filepath.Join(dir, "setup"))
	before := read()
	require.Equal(t, []string{"noc@x.example", "ops@x.example"}, before)
	run := filepath.Join(dir, "change")
	s.mustRun(t, "customer-e911-notify", writeFile(t, filepath.Join(dir, "change.csv"),
		"email,remove\noncall@x.example,N\nnoc@x.example,Y\nops@x.example,N\n"), run)
	require.Equal(t, []string{"oncall@x.example", "ops@x.example"}, read())

	res := s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "2 rows to restore")
	assert.Contains(t, res.stdout, "left alone: 1 rows: the run set the value it already had")
	assert.Equal(t, before, read())
}

// TestUndoTrunkGroupUpdate: two renames undone (destructive: --yes outside
// the sandbox): the old names are back, the new ones gone.
func TestUndoTrunkGroupUpdate(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	read := func() string {
		tg, err := s.api.TrunkGroupSearchAssigned(t.Context(), nil)
		require.NoError(t, err)
		names := tg.Names()
		sort.Strings(names)
		return strings.Join(names, ",")
	}
	before := read()
	require.Contains(t, before, "TG_DALLAS_01")
	run := filepath.Join(dir, "rename")
	s.mustRun(t, "trunk-group-update", writeFile(t, filepath.Join(dir, "rename.csv"),
		"trunk_group,new_trunk_group\nTG_DALLAS_01,Dallas_1\nTG_NEWYORK_01,New York 1\n"), run, "--yes")
	require.Contains(t, read(), "Dallas_1")

	res := s.undo(t, run, "--run", "--yes", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "2 rows to restore")
	assert.Equal(t, before, read())
}

// TestUndoPinShowsNumbersWithoutPIN: the API cannot remove a port-out PIN,
// so the numbers that had none keep the run's PIN; undo says so apart from
// the rows it leaves alone (stdout and a warning on stderr), and so does
// the run's report.html. The numbers that had one get it back.
func TestUndoPinShowsNumbersWithoutPIN(t *testing.T) {
	tns := []string{"3123489651", "3123489652", "3123489653", "3123489654"}
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	s.mustRun(t, "tn-pin", writeFile(t, filepath.Join(dir, "setup.csv"), "tn,port_out_pin\n"+tns[0]+",1111\n"+tns[2]+",3333\n"), filepath.Join(dir, "setup"))
	pins := func() []string {
		d := s.detail(t, tns)
		var out []string
		for _, tn := range tns {
			out = append(out, d[tn].PortOutPin)
		}
		return out
	}
	require.Equal(t, []string{"1111", "", "3333", ""}, pins())
	var m strings.Builder
	m.WriteString("tn,port_out_pin\n")
	for _, tn := range tns {
		m.WriteString(tn + ",9876\n")
	}
	run := filepath.Join(dir, "change")
	s.mustRun(t, "tn-pin", writeFile(t, filepath.Join(dir, "change.csv"), m.String()), run)

	html, err := os.ReadFile(filepath.Join(run, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "It cannot restore 2 rows, which keep the value this run set: had no port-out PIN; portOutPinUpdate cannot remove one.")

	res := s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "2 rows to restore")
	assert.Contains(t, res.stdout, "CANNOT RESTORE: 2 rows keep the run's value: had no port-out PIN; portOutPinUpdate cannot remove one")
	assert.NotContains(t, res.stdout, "left alone: 2 rows: had no port-out PIN")
	assert.Contains(t, res.stderr, "warning: 2 rows cannot be restored")
	assert.Equal(t, []string{"1111", "9876", "3333", "9876"}, pins())
}

// TestUndoCheckReadsConcurrently: undo's --check reads up to the run's
// concurrency of chunks at once (--concurrency overrides it), and still
// writes the manifest in row order.
func TestUndoCheckReadsConcurrently(t *testing.T) {
	srv, err := sandbox.New(sandbox.Options{ClockSpeed: 2000})
	require.NoError(t, err)
	var inflight, peak atomic.Int64
	var counting atomic.Bool
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if counting.Load() && strings.HasSuffix(r.URL.Path, "/tnDetail") {
			n := inflight.Add(1)
			defer inflight.Add(-1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(40 * time.Millisecond) // long enough for reads to overlap
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { hs.Close(); srv.Close() })
	endpoint := hs.URL + "/Services/1.0.0"
	api, err := inteliquent.New(inteliquent.Config{BaseURL: endpoint, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret})
	require.NoError(t, err)
	s := &simEnv{srv: srv, endpoint: endpoint, api: api, envs: map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}}
	dir := t.TempDir()
	tns := s.orderNumbers(t, dir, 600)
	var m strings.Builder
	m.WriteString("tn,note\n")
	for i, tn := range tns {
		fmt.Fprintf(&m, "%s,after-%d\n", tn, i)
	}
	run := filepath.Join(dir, "notes")
	s.mustRun(t, "tn-note", writeFile(t, filepath.Join(dir, "notes.csv"), m.String()), run, "--concurrency", "4")

	for _, tc := range []struct {
		args []string
		peak int64
	}{{nil, 4}, {[]string{"--concurrency", "1"}, 1}} {
		peak.Store(0)
		counting.Store(true)
		out := filepath.Join(dir, fmt.Sprintf("undo-%d.csv", tc.peak))
		res := s.undo(t, run, append([]string{"-o", out}, tc.args...)...)
		counting.Store(false)
		require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
		assert.Equal(t, tc.peak, peak.Load(), "check reads in flight at once, %v", tc.args)
		rows := readCSV(t, out)
		require.Len(t, rows, 600)
		for i, r := range rows {
			require.Equal(t, tns[i], r["tn"], "row order")
		}
	}
}
