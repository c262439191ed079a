package cli

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestOrderNoteLostAnswers: notes added under lost answers, resumed until
// done: each note on its order exactly once, every row ok with its noteId.
func TestOrderNoteLostAnswers(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	endpoint := ts.URL + "/Services/1.0.0"
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}

	// Two background orders (more than 100 numbers each) to write on.
	api, err := inteliquent.New(inteliquent.Config{BaseURL: endpoint, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret})
	require.NoError(t, err)
	tns := srv.AvailableTNs(202)
	var ids []string
	for i, ref := range []string{"notes-a", "notes-b"} {
		req := &inteliquent.TnOrderRequest{}
		req.TnOrder.CustomerOrderReference = ref
		for _, tn := range tns[i*101 : (i+1)*101] {
			req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{TN: inteliquent.TN(tn)})
		}
		resp, err := api.TnOrder(t.Context(), req)
		require.NoError(t, err)
		require.False(t, resp.OrderID.IsZero())
		ids = append(ids, string(resp.OrderID))
	}
	var m strings.Builder
	m.WriteString("order_id,customer_order_reference,note\n")
	for i := range 8 {
		fmt.Fprintf(&m, "%s,,note %d\n", ids[0], i)
		fmt.Fprintf(&m, ",notes-b,note %d\n", i)
	}
	fmt.Fprintf(&m, "%s,,note 0\n", ids[0]) // a duplicate: skipped
	manifest := writeFile(t, filepath.Join(dir, "notes.csv"), m.String())

	srv.SetFaults(sandbox.Faults{Lost: 0.3, Seed: 9})
	out := filepath.Join(dir, "run")
	args := []string{"run", "order-note", manifest, "--out", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	for i := 0; ; i++ {
		require.Less(t, i, 20, "the run never finished")
		res := runCLI(t, envs, args...)
		if res.code != ExitInterrupted {
			require.Equal(t, ExitOK, res.code, "a skipped duplicate is not a failure\nstdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			break
		}
		args = []string{"resume", out, "--endpoint", endpoint, "--rate", "0", "--settle", "0s", "--retries", "10"}
	}
	srv.SetFaults(sandbox.Faults{})
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 17)
	for _, r := range rows[:16] {
		assert.Equal(t, "ok", r["status"], "%v", r)
		assert.NotEmpty(t, r["note_id"], "%v", r)
	}
	assert.Equal(t, "skipped", rows[16]["status"])

	lost := 0
	for _, a := range srv.Audit() {
		if a.Fault == "lost" {
			lost++
		}
	}
	require.NotZero(t, lost, "the test must lose answers to mean anything")
	for _, ref := range []inteliquent.OrderRef{{OrderID: inteliquent.OrderID(ids[0])}, {CustomerOrderReference: "notes-b"}} {
		notes, err := api.OrderNote(t.Context(), &inteliquent.OrderNoteRequest{OrderRef: ref})
		require.NoError(t, err)
		count := map[string]int{}
		for _, n := range notes.OrderNote.OrderNoteType {
			count[n.Note]++
		}
		for i := range 8 {
			assert.Equal(t, 1, count[fmt.Sprintf("note %d", i)], "%v: note %d", ref, i)
		}
	}
}
