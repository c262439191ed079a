package cli

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// tfEnv is a sandbox behind httptest with a fast clock, and a run helper.
type tfEnv struct {
	t        *testing.T
	dir      string
	srv      *sandbox.Server
	envs     map[string]string
	endpoint string
}

func newTFEnv(t *testing.T) *tfEnv {
	t.Helper()
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox"), ClockSpeed: 1000})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	return &tfEnv{t: t, dir: dir, srv: srv, endpoint: ts.URL + "/Services/1.0.0",
		envs: map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}}
}

func (e *tfEnv) run(job, manifest, out string, extra ...string) ([]map[string]string, result) {
	e.t.Helper()
	args := append([]string{"run", job, manifest, "--out", filepath.Join(e.dir, out), "--endpoint", e.endpoint, "--rate", "0",
		"--concurrency", "4", "--follow", "--poll-interval", "20ms", "--follow-timeout", "60s"}, extra...)
	res := runCLI(e.t, e.envs, args...)
	require.Contains(e.t, []int{ExitOK, ExitRowsNotOK}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	return readCSV(e.t, filepath.Join(e.dir, out, "results.csv")), res
}

func (e *tfEnv) write(name, content string) string {
	return writeFile(e.t, filepath.Join(e.dir, name), content)
}

func statuses(rows []map[string]string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r["status"]
	}
	return out
}

func TestTfOrderKindsAndReferenceChecks(t *testing.T) {
	e := newTFEnv(t)
	own := e.srv.TollFreeTNs("own", 3)
	m := e.write("load.csv", "tn,product,resporg_id,routing_label,cic_list,calling_name\n"+
		own[0]+",8XX,IQB01,NTNYC-690-8XX-123,\"0913,0222\",ACME Support\n"+
		own[1]+",8XX,IQB01,Chicago primary,,\n"+
		own[2]+",8XX,IQB01,NO-SUCH-LABEL,,\n"+ // unknown label: invalid before sending
		"3125550100,8XX,IQB01,NTNYC-690-8XX-123,,\n"+ // not toll-free
		"8774514545,8XX,IQB01,NTNYC-690-8XX-123,,\n") // not on our RespOrg: excluded by the API
	rows, _ := e.run("tf-order", m, "load")
	assert.Equal(t, []string{"ok", "ok", "invalid", "invalid", "excluded"}, statuses(rows), "%v", rows)
	assert.Equal(t, "unknown-reference", rows[2]["code"])
	assert.Contains(t, rows[2]["message"], `routing_label: "NO-SUCH-LABEL" is not in routingLabelSearchAssigned`)
	assert.Contains(t, rows[3]["message"], "not toll-free")
	assert.Contains(t, rows[4]["message"], "not on a RespOrg of this customer")
	assert.Equal(t, "In Service", e.srv.TollFree(own[0]).Status)
	assert.Equal(t, "ACME Support", e.srv.TollFree(own[0]).CallingName)
	assert.Equal(t, "NTCHI-1050-8XX-950", e.srv.TollFree(own[1]).RoutingLabel)
	assert.Empty(t, e.srv.TollFree(own[2]).Status, "the invalid row was never sent")
	for _, a := range e.srv.Audit() {
		assert.NotContains(t, a.Numbers, own[2])
	}

	// tn-order's trunk_group is checked the same way (trunkGroupSearchAssigned).
	tns := e.srv.AvailableTNs(2)
	m = e.write("tn.csv", "tn,trunk_group\n"+tns[0]+",TG_CHICAGO_01\n"+tns[1]+",TG_TYPO\n")
	rows, _ = e.run("tn-order", m, "tn")
	assert.Equal(t, []string{"ok", "invalid"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[1]["message"], `trunk_group: "TG_TYPO" is not in trunkGroupSearchAssigned`)

	// The reference check also runs in a dry run, which sends nothing.
	before := len(e.srv.Audit())
	m = e.write("dry.csv", "tn,routing_label\n8553489654,NOPE\n8663489655,NTNYC-690-8XX-124\n")
	rows, _ = e.run("tf-routing", m, "dry", "--dry-run")
	assert.Equal(t, []string{"invalid", "skipped"}, statuses(rows), "%v", rows)
	assert.Len(t, e.srv.Audit(), before)
}

func TestTfOrderAvailMonthlyCapAndPortInLOA(t *testing.T) {
	e := newTFEnv(t)
	spare := e.srv.TollFreeTNs("spare", 103)
	var b strings.Builder
	b.WriteString("tn,product,routing_label\n")
	for _, tn := range spare {
		b.WriteString(tn + ",8XXAVAIL,NTNYC-690-8XX-124\n")
	}
	rows, _ := e.run("tf-order", e.write("avail.csv", b.String()), "avail")
	require.Len(t, rows, 103)
	ok, capped := 0, 0
	for _, r := range rows {
		switch {
		case r["status"] == "ok":
			ok++
		case r["status"] == "excluded" && r["code"] == "8XXAVAIL-monthly-cap":
			capped++
			assert.Contains(t, r["message"], "100 numbers per month")
			assert.Empty(t, e.srv.TollFree(r["tn"]).Status)
		}
	}
	assert.Equal(t, 100, ok)
	assert.Equal(t, 3, capped, "the cap is a clear per-row outcome")

	// 8XXPORTIN: loa=Y, the LOA attached to the order, the port completes.
	loa := e.write("loa.pdf", "%PDF-1.4 LOA for the port of our toll-free numbers")
	other := e.srv.TollFreeTNs("other", 2)
	m := e.write("port.csv", "tn,product,routing_label\n"+other[0]+",8XXPORTIN,NTNYC-690-8XX-123\n"+other[1]+",8XXPORTIN,NTNYC-690-8XX-123\n")
	rows, _ = e.run("tf-order", m, "port", "--loa", loa)
	assert.Equal(t, []string{"ok", "ok"}, statuses(rows), "%v", rows)
	orderID := rows[0]["order_id"]
	require.NotEmpty(t, orderID)
	var id int64
	_, err := fmt.Sscan(orderID, &id)
	require.NoError(t, err)
	docs := e.srv.OrderDocuments(id)
	require.Len(t, docs, 1, "one LOA on the order")
	assert.Equal(t, "loa.pdf", docs[0].Name)
	assert.Equal(t, "In Service", e.srv.TollFree(other[0]).Status)

	// Without an LOA the rows are invalid: nothing is sent.
	m = e.write("port2.csv", "tn,product,routing_label\n"+e.srv.TollFreeTNs("other", 3)[2]+",8XXPORTIN,NTNYC-690-8XX-123\n")
	rows, _ = e.run("tf-order", m, "port2")
	assert.Equal(t, "invalid", rows[0]["status"])
	assert.Contains(t, rows[0]["message"], "loa_file")

	// A relative loa_file is read from the manifest's folder, not from the
	// working directory (like ticket-document's and intl-document's file
	// columns), with either separator.
	third := e.srv.TollFreeTNs("other", 3)[2]
	require.NoError(t, os.MkdirAll(filepath.Join(e.dir, "ports", "papers"), 0o700))
	writeFile(t, filepath.Join(e.dir, "ports", "papers", "loa3.pdf"), "%PDF-1.4 LOA three")
	m = e.write(filepath.Join("ports", "port3.csv"), "tn,product,routing_label,loa_file\n"+third+",8XXPORTIN,NTNYC-690-8XX-123,papers/loa3.pdf\n")
	rows, _ = e.run("tf-order", m, "port3")
	require.Equal(t, []string{"ok"}, statuses(rows), "%v", rows)
	_, err = fmt.Sscan(rows[0]["order_id"], &id)
	require.NoError(t, err)
	docs = e.srv.OrderDocuments(id)
	require.Len(t, docs, 1, "the LOA from the manifest's folder is on the order")
	assert.Equal(t, "loa3.pdf", docs[0].Name)
}

func TestForwardJobs(t *testing.T) {
	e := newTFEnv(t)
	m := e.write("fwd.csv", "tn,forward_to,remove_forward\n"+
		"8553489654,3123752629,\n"+
		"8884110000,3123752629,\n"+ // not on the account: 432 for the whole request, isolated
		"8663489655,3125551234,\n"+
		"8002012311,,Y\n")
	rows, _ := e.run("tf-forward", m, "fwd")
	assert.Equal(t, []string{"ok", "excluded", "ok", "ok"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[1]["message"], "432")
	assert.Equal(t, "3123752629", e.srv.TollFree("8553489654").ForwardTo)
	assert.Equal(t, "3125551234", e.srv.TollFree("8663489655").ForwardTo)
	assert.Empty(t, e.srv.TollFree("8002012311").ForwardTo)
	rows, _ = e.run("tf-forward", e.write("rm.csv", "tn,remove_forward\n8553489654,Y\n"), "rm")
	assert.Equal(t, []string{"ok"}, statuses(rows), "%v", rows)
	assert.Empty(t, e.srv.TollFree("8553489654").ForwardTo)

	m = e.write("tnfwd.csv", "tn,forward_to\n3123489651,3123752629\n3123489652,3123752629\n")
	rows, _ = e.run("tn-forward", m, "tnfwd")
	assert.Equal(t, []string{"ok", "ok"}, statuses(rows), "%v", rows)
}

// The scenario: 2,000 toll-free numbers loaded, re-routed, given
// features, listed by tfDetail and disconnected, the sandbox agreeing with
// the results at every step.
func TestTollFreeScenario2000(t *testing.T) {
	if testing.Short() {
		t.Skip("the 2,000-number scenario runs without -short")
	}
	e := newTFEnv(t)
	tns := e.srv.TollFreeTNs("own", 2000)
	require.Len(t, tns, 2000)
	manifest := func(name, header string, line func(tn string) string) string {
		var b strings.Builder
		b.WriteString(header + "\n")
		for _, tn := range tns {
			b.WriteString(line(tn) + "\n")
		}
		return e.write(name, b.String())
	}
	allOK := func(rows []map[string]string, step string) {
		t.Helper()
		require.Len(t, rows, 2000)
		for _, r := range rows {
			require.Equal(t, "ok", r["status"], "%s: %v", step, r)
		}
	}
	rows, _ := e.run("tf-order", manifest("load.csv", "tn,product,resporg_id,routing_label", func(tn string) string {
		return tn + ",8XX,IQB01,NTNYC-690-8XX-123"
	}), "load")
	allOK(rows, "load")
	rows, _ = e.run("tf-routing", manifest("route.csv", "tn,routing_label", func(tn string) string { return tn + ",NTNYC-690-8XX-124" }), "route")
	allOK(rows, "routing")
	rows, _ = e.run("tf-feature", manifest("feat.csv", "tn,calling_name", func(tn string) string { return tn + ",ACME Support" }), "feat", "--yes")
	allOK(rows, "features")
	for _, tn := range []string{tns[0], tns[999], tns[1999]} {
		st := e.srv.TollFree(tn)
		assert.Equal(t, "In Service", st.Status)
		assert.Equal(t, "NTNYC-690-8XX-124", st.RoutingLabel)
		assert.Equal(t, "ACME Support", st.CallingName)
	}

	// Export: every loaded number is listed by tfDetail with its new label.
	res := runCLI(t, e.envs, "export", "tf-assigned", "-o", filepath.Join(e.dir, "assigned.csv"), "--endpoint", e.endpoint, "--rate", "0")
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	listed := map[string]map[string]string{}
	for _, r := range readCSV(t, filepath.Join(e.dir, "assigned.csv")) {
		listed[r["tn"]] = r
	}
	for _, tn := range tns {
		r, ok := listed[tn]
		require.True(t, ok, "%s is in the export", tn)
		require.Equal(t, "NTNYC-690-8XX-124", r["routing_label"], tn)
		require.Equal(t, "ACME Support", r["calling_name"], tn)
	}

	rows, _ = e.run("tf-disconnect", manifest("disco.csv", "tn", func(tn string) string { return tn }), "disco", "--yes")
	allOK(rows, "disconnect")
	for _, tn := range []string{tns[0], tns[1000], tns[1999]} {
		assert.Empty(t, e.srv.TollFree(tn).Status, "disconnected")
	}
	// Exactly once: one tfOrder per 100 numbers, no number loaded twice.
	seen := map[string]int{}
	for _, a := range e.srv.Audit() {
		if a.Op == "tfOrder" && a.Applied {
			for _, n := range a.Numbers {
				seen[n]++
			}
		}
	}
	assert.Len(t, seen, 2000)
	for n, c := range seen {
		require.Equal(t, 1, c, n)
	}
}

// TestTfDisconnectDryRunChecksState: the dry run of a destructive toll-free
// kind looks each number up (tfDetail) and says what a real run would do,
// sending nothing.
func TestTfDisconnectDryRunChecksState(t *testing.T) {
	e := newTFEnv(t)
	own := e.srv.TollFreeTNs("own", 2)
	m := e.write("load.csv", "tn,product,resporg_id,routing_label\n"+own[0]+",8XX,IQB01,Chicago primary\n")
	rows, _ := e.run("tf-order", m, "load")
	require.Equal(t, []string{"ok"}, statuses(rows), "%v", rows)
	before := len(e.srv.Audit())
	m = e.write("disc.csv", "tn\n"+own[0]+"\n"+own[1]+"\n")
	rows, res := e.run("tf-disconnect", m, "dry", "--dry-run")
	assert.Equal(t, ExitRowsNotOK, res.code)
	assert.Equal(t, []string{"skipped", "excluded"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[0]["message"], "would be disconnected")
	assert.Contains(t, rows[1]["message"], "not on the account")
	assert.Len(t, e.srv.Audit(), before, "a dry run sends nothing that changes state")
	assert.Equal(t, "In Service", e.srv.TollFree(own[0]).Status)
}

// TestTfOrderLostAnswers: toll-free orders under lost answers, both kinds of
// answer — 8XX loads (an orderId, reconciled through orderList) and 8XXAVAIL
// (synchronous, reconciled through tfDetail) — resumed until done: every
// number loaded exactly once, every row ok.
func TestTfOrderLostAnswers(t *testing.T) {
	e := newTFEnv(t)
	own, spare := e.srv.TollFreeTNs("own", 15), e.srv.TollFreeTNs("spare", 15)
	var b strings.Builder
	b.WriteString("tn,product,resporg_id,routing_label\n")
	for i := range own {
		b.WriteString(own[i] + ",8XX,IQB01,NTNYC-690-8XX-123\n")
		b.WriteString(spare[i] + ",8XXAVAIL,,NTNYC-690-8XX-124\n")
	}
	manifest := e.write("lost.csv", b.String())
	e.srv.SetFaults(sandbox.Faults{Lost: 0.4, Seed: 5})
	out := filepath.Join(e.dir, "lost")
	args := []string{"run", "tf-order", manifest, "--out", out, "--endpoint", e.endpoint, "--rate", "0", "--batch-size", "3",
		"--follow", "--poll-interval", "20ms", "--follow-timeout", "30s", "--retries", "10"}
	for i := 0; ; i++ {
		require.Less(t, i, 20, "the run never finished")
		res := runCLI(t, e.envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", e.endpoint, "--rate", "0", "--follow", "--poll-interval", "20ms", "--follow-timeout", "30s", "--retries", "10"}
	}
	e.srv.SetFaults(sandbox.Faults{})
	lost := 0
	applied := map[string]int{}
	for _, a := range e.srv.Audit() {
		if a.Op != "tfOrder" || !a.Applied {
			continue
		}
		if a.Fault == "lost" {
			lost++
		}
		refused := map[string]bool{}
		for _, x := range inteliquent.ParseTNStatus(a.Status).Entries {
			refused[string(x.TN)] = true
		}
		for _, tn := range a.Numbers {
			if !refused[tn] {
				applied[tn]++
			}
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	for _, tn := range append(own, spare...) {
		assert.Equal(t, 1, applied[tn], "%s loaded %d times", tn, applied[tn])
		assert.Equal(t, "In Service", e.srv.TollFree(tn).Status, tn)
	}
}
