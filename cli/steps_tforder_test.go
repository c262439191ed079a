package cli

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// tf-order's 8XXPORTIN batch is two steps: the port order (tfOrder) and
// its LOA (orderAddDocument). A process killed between them, or whose LOA
// answer is lost, resumes without placing the order again and attaches
// the LOA exactly once.

// loaWorld is a sandbox, a gate in front of it on orderAddDocument, and a
// two-number 8XXPORTIN manifest with its LOA.
type loaWorld struct {
	srv      *sandbox.Server
	gate     *stepGate
	endpoint string
	manifest string
	tns      []string
}

func newLOAWorld(t *testing.T, apply bool) *loaWorld {
	t.Helper()
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox"), ClockSpeed: 1})
	require.NoError(t, err)
	w := &loaWorld{srv: srv, tns: srv.TollFreeTNs("other", 2)}
	require.Len(t, w.tns, 2)
	w.gate = newStepGate(srv, inteliquent.OpOrderAddDocument, 1, apply)
	hs := httptest.NewServer(w.gate)
	t.Cleanup(func() { hs.Close(); _ = srv.Close() })
	w.endpoint = hs.URL + "/Services/1.0.0"
	loa := writeFile(t, filepath.Join(dir, "loa.pdf"), "%PDF-1.4 LOA and bill copy")
	w.manifest = writeFile(t, filepath.Join(dir, "port.csv"), "tn,product,routing_label,loa_file\n"+
		w.tns[0]+",8XXPORTIN,NTNYC-690-8XX-123,"+loa+"\n"+w.tns[1]+",8XXPORTIN,NTNYC-690-8XX-123,"+loa+"\n")
	return w
}

// runKilledAtLOA runs tf-order until the gate holds the LOA request, kills
// the process (SIGKILL), releases the gate and resumes.
func (w *loaWorld) runKilledAtLOA(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tf")
	wait, kill := startIqbulk(t, "run", "tf-order", w.manifest, "--out", out, "--endpoint", w.endpoint, "--rate", "0", "--settle", "1s")
	select {
	case <-w.gate.hit:
	case <-time.After(60 * time.Second):
		kill()
		_, stderr := wait()
		t.Fatalf("the LOA request never came:\n%s", stderr)
	}
	kill()
	wait()
	close(w.gate.release)
	code, stderr := resumeIqbulk(t, out, w.endpoint)
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, code, stderr)
	return out
}

// checkOnce: one tfOrder processed, one LOA on its order, every row
// pending on that order and saying the LOA is attached.
func (w *loaWorld) checkOnce(t *testing.T, out string) {
	t.Helper()
	orders, attached := 0, 0
	for _, e := range w.srv.Audit() {
		switch {
		case e.Op == inteliquent.OpTfOrder && e.Processed:
			orders++
		case e.Op == inteliquent.OpOrderAddDocument && e.Applied:
			attached++
		}
	}
	assert.Equal(t, 1, orders, "the port order is placed once")
	assert.Equal(t, 1, attached, "the LOA is attached once")
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 2)
	orderID := rows[0]["order_id"]
	require.NotEmpty(t, orderID, "%v", rows)
	var id int64
	_, err := fmt.Sscan(orderID, &id)
	require.NoError(t, err)
	docs := w.srv.OrderDocuments(id)
	require.Len(t, docs, 1, "one LOA on the order")
	assert.Equal(t, "loa.pdf", docs[0].Name)
	for _, r := range rows {
		assert.Equal(t, "pending", r["status"], "%v", r)
		assert.Equal(t, orderID, r["order_id"], "%v", r)
		assert.Contains(t, r["message"], "LOA attached as document", "%v", r)
	}
}

// TestTfOrderKilledBetweenOrderAndLOA: SIGKILL after the order was
// answered and committed, before the LOA request reached the API. The
// resume attaches the LOA to the recorded order; no second order.
func TestTfOrderKilledBetweenOrderAndLOA(t *testing.T) {
	w := newLOAWorld(t, false)
	out := w.runKilledAtLOA(t)
	w.checkOnce(t, out)
}

// TestTfOrderKilledBeforeLOAAnswer: the API attaches the LOA and the
// process dies before the answer. The resume finds the LOA on the order
// (orderDocument) and never attaches it again.
func TestTfOrderKilledBeforeLOAAnswer(t *testing.T) {
	w := newLOAWorld(t, true)
	out := w.runKilledAtLOA(t)
	w.checkOnce(t, out)
	for _, r := range readCSV(t, filepath.Join(out, "results.csv")) {
		assert.Contains(t, r["message"], "found on the order by orderDocument", "the lost LOA step was reconciled: %v", r)
	}
}

// TestTfOrderLostOrderAnswer: the tfOrder's answer is lost (the sandbox
// applied it). The step is reconciled by orderList under the batch's
// reference, the LOA goes to the order found, and nothing is sent twice.
func TestTfOrderLostOrderAnswer(t *testing.T) {
	w := newLOAWorld(t, false)
	close(w.gate.release)
	w.gate.nth = -1 // no gate: the fault below loses the answer
	f, err := sandbox.ParseFaults("lost-nth=" + inteliquent.OpTfOrder + ":1")
	require.NoError(t, err)
	w.srv.SetFaults(f)
	out := filepath.Join(t.TempDir(), "tf")
	wait, _ := startIqbulk(t, "run", "tf-order", w.manifest, "--out", out, "--endpoint", w.endpoint, "--rate", "0", "--settle", "1s", "--retries", "0")
	code, stderr := wait()
	if code != ExitOK && code != ExitRowsNotOK {
		log, _ := os.ReadFile(filepath.Join(out, "run.log"))
		st := runCLI(t, nil, "status", out)
		t.Fatalf("exit %d\n%s\n%s\n%s", code, stderr, log, st.stdout+st.stderr)
	}
	w.checkOnce(t, out)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	for _, r := range rows {
		assert.True(t, strings.Contains(r["message"], "found by customerOrderReference"), "%v", r)
	}
}
