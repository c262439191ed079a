package cli

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// The guide's three addressValidate examples: valid, corrected (street
// suffix and ZIP), not close enough.
const (
	vaGood      = "Hope Trope,550,W Adams St,Chicago,IL,60661"
	vaCorrected = "Hope Trope,550,W Adams,Chicago,IL,60601"
	vaBad       = "Hope Trope,318,28th,Tucson,AZ,85713"
	vaHeader    = "tn,e911_name,e911_street_num,e911_street_info,e911_city,e911_state,e911_postal_code\n"
)

func vaManifest(t *testing.T, rows ...string) string {
	t.Helper()
	return writeFile(t, filepath.Join(t.TempDir(), "order.csv"), vaHeader+strings.Join(rows, "\n")+"\n")
}

// vaOrdered: the numbers of every tnOrder the sandbox received, and how
// many such requests there were.
func vaOrdered(srv *sandbox.Server, op string) (map[string]int, int) {
	got, n := map[string]int{}, 0
	for _, e := range srv.Audit() {
		if e.Op != op {
			continue
		}
		n++
		for _, tn := range e.Numbers {
			got[tn]++
		}
	}
	return got, n
}

// TestTnOrderValidateAddresses: tn-order --validate-addresses validates
// every E911 address before the order: the address not close enough and
// the one the API would correct are invalid, named with their columns and
// the API's reason, and never ordered; the others (and the row without an
// address) are ordered as usual.
func TestTnOrderValidateAddresses(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	tns := s.srv.AvailableTNs(4)
	require.Len(t, tns, 4)
	manifest := vaManifest(t, tns[0]+","+vaGood, tns[1]+","+vaCorrected, tns[2]+","+vaBad, tns[3]+",,,,,,")
	out := filepath.Join(t.TempDir(), "run")
	res := s.run(t, "tn-order", manifest, out, "--validate-addresses")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 4)
	assert.Equal(t, "ok", rows[0]["status"], "%v", rows[0])
	assert.Equal(t, "ok", rows[3]["status"], "%v", rows[3])
	assert.Equal(t, "invalid", rows[1]["status"], "%v", rows[1])
	assert.Equal(t, "needs-review", rows[1]["code"])
	assert.Contains(t, rows[1]["message"], "e911_street_info, e911_postal_code")
	assert.Contains(t, rows[1]["message"], "Corrected to valid address")
	assert.Equal(t, "invalid", rows[2]["status"], "%v", rows[2])
	assert.Equal(t, "not-close-enough", rows[2]["code"])
	assert.Contains(t, rows[2]["message"], "e911_street_num, e911_street_info, e911_city, e911_state, e911_postal_code")
	assert.Contains(t, rows[2]["message"], "Invalid address - no correction found")

	ordered, _ := vaOrdered(s.srv, inteliquent.OpTnOrder)
	assert.Equal(t, map[string]int{tns[0]: 1, tns[3]: 1}, ordered, "only the rows the validation allows are ordered, once")
	for _, e := range s.srv.Audit() {
		if e.Op == inteliquent.OpTnOrder {
			assert.True(t, strings.HasSuffix(e.CustomerOrderReference, "-s1"), "the order step's own reference: %s", e.CustomerOrderReference)
		}
	}
	onAccount := s.detail(t, tns)
	assert.Contains(t, onAccount, tns[0])
	assert.NotContains(t, onAccount, tns[1])
	assert.NotContains(t, onAccount, tns[2])

	// --accept-corrections sends the corrected row too.
	out2 := filepath.Join(t.TempDir(), "run2")
	more := s.srv.AvailableTNs(1)
	res = s.runNoFollow(t, "tn-order", vaManifest(t, more[0]+","+vaCorrected), out2, "--validate-addresses", "--accept-corrections")
	rows = readCSV(t, filepath.Join(out2, "results.csv"))
	require.Len(t, rows, 1, res.stderr)
	assert.Equal(t, "pending", rows[0]["status"], "%v", rows[0])
	assert.Contains(t, rows[0]["message"], "sent as corrected by addressValidate", "%v", rows[0])
	res = s.follow(t, out2)
	require.Equal(t, ExitOK, res.code, "the order carried the corrected address, which the API accepts: %s\n%v", res.stderr, readCSV(t, filepath.Join(out2, "results.csv")))
	ordered, _ = vaOrdered(s.srv, inteliquent.OpTnOrder)
	assert.Equal(t, 1, ordered[more[0]])
}

// TestTnFeatureValidateAddresses: the same option on tn-feature.
func TestTnFeatureValidateAddresses(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	manifest := vaManifest(t, "3123489654,"+vaGood, "3123489655,"+vaBad)
	out := filepath.Join(t.TempDir(), "run")
	res := s.run(t, "tn-feature", manifest, out, "--validate-addresses", "--yes")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 2)
	assert.Equal(t, "ok", rows[0]["status"], "%v", rows[0])
	assert.Equal(t, "invalid", rows[1]["status"], "%v", rows[1])
	assert.Contains(t, rows[1]["message"], "e911_street_info")
	ordered, _ := vaOrdered(s.srv, inteliquent.OpTnFeatureOrder)
	assert.Equal(t, map[string]int{"3123489654": 1}, ordered)

	// The option keeps tn-feature's snapshot: the run can be undone.
	undo := filepath.Join(t.TempDir(), "undo.csv")
	res = s.undo(t, out, "-o", undo)
	require.Equal(t, ExitOK, res.code, res.stderr)
	back := readCSV(t, undo)
	require.Len(t, back, 1, "the applied row only")
	assert.Equal(t, "3123489654", back[0]["tn"])
}

// TestTnOrderValidateAddressesLostOrderAnswer: the order step's answer is
// lost (lost-nth=tnOrder:1): it is reconciled under its own reference
// after the validation, found, and never sent again.
func TestTnOrderValidateAddressesLostOrderAnswer(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	tns := s.srv.AvailableTNs(3)
	s.srv.SetFaults(sandbox.Faults{LostOp: inteliquent.OpTnOrder, LostNth: 1})
	out := filepath.Join(t.TempDir(), "run")
	wait, _ := startIqbulk(t, "run", "tn-order", vaManifest(t, tns[0]+","+vaGood, tns[1]+","+vaBad, tns[2]+","+vaGood), "--out", out,
		"--endpoint", s.endpoint, "--rate", "0", "--settle", "1s", "--validate-addresses")
	code, stderr := wait()
	require.Equal(t, ExitRowsNotOK, code, stderr)
	ordered, n := vaOrdered(s.srv, inteliquent.OpTnOrder)
	assert.Equal(t, 1, n, "the order whose answer was lost is found, never sent again")
	assert.Equal(t, map[string]int{tns[0]: 1, tns[2]: 1}, ordered)
	assert.Empty(t, sandbox.ResentAfterApplied(s.srv.Audit(), inteliquent.OpTnOrder))
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 3)
	for _, i := range []int{0, 2} {
		assert.Contains(t, []string{"ok", "pending"}, rows[i]["status"], "%v", rows[i])
		assert.NotEmpty(t, rows[i]["order_id"], "%v", rows[i])
	}
	assert.Equal(t, "invalid", rows[1]["status"], "%v", rows[1])
}

// TestTnOrderValidateAddressesKilledBeforeOrderAnswer: the process dies
// after the validation is recorded, with the order step sent (the gate
// applies it and never answers). The resume does not validate into a new
// order: it reconciles the recorded order step and finds it applied.
func TestTnOrderValidateAddressesKilledBeforeOrderAnswer(t *testing.T) {
	for _, apply := range []bool{true, false} {
		t.Run(fmt.Sprintf("applied=%v", apply), func(t *testing.T) {
			s := newSimEnv(t, sandbox.Options{})
			tns := s.srv.AvailableTNs(3)
			gate := newStepGate(s.srv, inteliquent.OpTnOrder, 1, apply)
			hs := httptest.NewServer(gate)
			t.Cleanup(hs.Close)
			endpoint := hs.URL + "/Services/1.0.0"
			out := filepath.Join(t.TempDir(), "run")
			wait, kill := startIqbulk(t, "run", "tn-order", vaManifest(t, tns[0]+","+vaGood, tns[1]+","+vaBad, tns[2]+","+vaGood), "--out", out,
				"--endpoint", endpoint, "--rate", "0", "--settle", "1s", "--validate-addresses")
			select {
			case <-gate.hit:
			case <-time.After(60 * time.Second):
				kill()
				_, stderr := wait()
				t.Fatalf("the order never came:\n%s", stderr)
			}
			kill()
			wait()
			close(gate.release)
			code, stderr := resumeIqbulk(t, out, endpoint)
			require.Equal(t, ExitRowsNotOK, code, stderr)
			ordered, n := vaOrdered(s.srv, inteliquent.OpTnOrder)
			// Applied: found by reconciliation, never sent again. Not
			// applied: the first never reached the API; the resume sends it
			// once.
			assert.Equal(t, 1, n)
			assert.Equal(t, map[string]int{tns[0]: 1, tns[2]: 1}, ordered)
			rows := readCSV(t, filepath.Join(out, "results.csv"))
			require.Len(t, rows, 3)
			assert.Equal(t, "invalid", rows[1]["status"], "%v", rows[1])
			for _, i := range []int{0, 2} {
				assert.Contains(t, []string{"ok", "pending"}, rows[i]["status"], "%v", rows[i])
			}
		})
	}
}

// TestTnOrderValidateAddressesDryRun: a dry run makes the validation (a
// read) and orders nothing: the rejected row is invalid as in a real run,
// the others skipped; iqbulk plan counts one addressValidate per distinct
// address beside the orders.
func TestTnOrderValidateAddressesDryRun(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	tns := s.srv.AvailableTNs(4)
	manifest := vaManifest(t, tns[0]+","+vaGood, tns[1]+","+vaBad, tns[2]+","+vaGood, tns[3]+",,,,,,")
	out := filepath.Join(t.TempDir(), "dry")
	res := s.runNoFollow(t, "tn-order", manifest, out, "--dry-run", "--validate-addresses")
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 4, res.stderr)
	assert.Equal(t, "skipped", rows[0]["status"], "%v", rows[0])
	assert.Contains(t, rows[0]["message"], "address valid")
	assert.Equal(t, "invalid", rows[1]["status"], "%v", rows[1])
	assert.Contains(t, rows[1]["message"], "e911_street_info")
	assert.Equal(t, "skipped", rows[3]["status"], "%v", rows[3])
	_, n := vaOrdered(s.srv, inteliquent.OpTnOrder)
	assert.Zero(t, n, "a dry run orders nothing")

	res = runCLI(t, s.envs, "plan", "tn-order", manifest, "--endpoint", s.endpoint, "--rate", "2", "--validate-addresses", "--format", "json")
	require.Equal(t, ExitOK, res.code, res.stderr)
	var plan struct {
		PreReads         int     `json:"pre_reads"`
		EstimatedSeconds float64 `json:"estimated_seconds"`
		Requests         []any   `json:"requests"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &plan), res.stdout)
	assert.Equal(t, 2, plan.PreReads, "two distinct addresses")
	assert.Len(t, plan.Requests, 2, "two orders: the featured rows and the plain one")
	assert.InDelta(t, 2.0, plan.EstimatedSeconds, 0.6, "four requests at 2/s")
	res = runCLI(t, s.envs, "plan", "tn-order", manifest, "--endpoint", s.endpoint, "--rate", "2", "--validate-addresses")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "addressValidate): 2 requests")
}
