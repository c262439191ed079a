package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

const intlEndUser = "Acme Ltd,Baker Street,221,NW1 6XE,London,United Kingdom"

// TestIntlOrderFollowAndDisconnect: international numbers of three
// countries ordered with routing and end user, bad rows invalid before
// anything is sent, the API's exclusions read back, the order followed to
// Closed; then the numbers disconnected and that order followed too.
func TestIntlOrderFollowAndDisconnect(t *testing.T) {
	e := newTFEnv(t)
	gb := e.srv.AvailableIntlTNs("GBR", 3)
	nl := e.srv.AvailableIntlTNs("NLD", 2)
	require.Len(t, gb, 3)
	m := e.write("order.csv", "tn,country_ref,routing_option,end_user_company_name,end_user_street_name,end_user_street_number,end_user_zipcode,end_user_city,end_user_country\n"+
		gb[0]+",GBR,Cleveland,"+intlEndUser+"\n"+
		"+"+gb[1][:2]+" "+gb[1][2:]+",gbr,,"+intlEndUser+"\n"+
		nl[0]+",NLD,Voice Platform,,,,,,\n"+
		nl[1]+",NLD,No Such Routing,,,,,,\n"+ // refused by the API
		gb[2]+",NLD,,,,,,,\n"+ // wrong country: refused by the API
		"12ab,GBR,,,,,,,\n"+ // invalid: never sent
		gb[2]+",GBR,,Acme Ltd,,,,,\n") // invalid: end user incomplete
	rows, _ := e.run("intl-order", m, "order")
	assert.Equal(t, []string{"ok", "ok", "ok", "excluded", "excluded", "invalid", "invalid"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[3]["message"], "Routing option No Such Routing is not offered in NLD")
	assert.Contains(t, rows[4]["message"], "does not belong to country NLD")
	assert.Contains(t, rows[6]["message"], "end_user_street_name")
	for _, a := range e.srv.Audit() {
		assert.NotContains(t, a.Numbers, "12ab")
	}

	m = e.write("disco.csv", "tn,country_ref\n"+gb[0]+",GBR\n"+gb[1]+",GBR\n"+nl[0]+",NLD\n"+nl[1]+",NLD\n")
	rows, _ = e.run("intl-disconnect", m, "disco", "--yes")
	assert.Equal(t, []string{"ok", "ok", "ok", "excluded"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[3]["message"], "not assigned")
}

// runUntilDone runs a kind under lost answers, resuming until the run is
// no longer interrupted, then follows its orders without faults.
func (e *tfEnv) runUntilDone(job, manifest, out string, faults sandbox.Faults, extra ...string) result {
	e.t.Helper()
	dir := filepath.Join(e.dir, out)
	e.srv.SetFaults(faults)
	args := append([]string{"run", job, manifest, "--out", dir, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s"}, extra...)
	var res result
	for i := 0; ; i++ {
		require.Less(e.t, i, 30, "the run never finished")
		res = runCLI(e.t, e.envs, args...)
		if res.code != ExitInterrupted {
			break
		}
		faults.Seed++
		e.srv.SetFaults(faults)
		args = []string{"resume", dir, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s"}
	}
	e.srv.SetFaults(sandbox.Faults{})
	require.Contains(e.t, []int{ExitOK, ExitRowsNotOK}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	return runCLI(e.t, e.envs, "follow", dir, "--endpoint", e.endpoint, "--poll-interval", "20ms", "--follow-timeout", "60s")
}

// lostCount is how many answers of op the sandbox dropped.
func lostCount(entries []sandbox.AuditEntry, op string) int {
	n := 0
	for _, a := range entries {
		if a.Op == op && a.Fault == sandbox.FaultLost {
			n++
		}
	}
	return n
}

// TestIntlLostAnswers: every non-idempotent international kind run while
// the sandbox drops answers after applying them, resumed until done: the
// lost batches are reconciled (intlOrderList by customerOrderReference,
// intlTnDetail, intlTnReservedList, intlOrderDetail), no number is
// reserved, ordered or disconnected twice (the audit), no order canceled
// twice, and every row ends ok.
func TestIntlLostAnswers(t *testing.T) {
	e := newTFEnv(t)
	lost := sandbox.Faults{Lost: 0.4, Seed: 11}
	tns := append(e.srv.AvailableIntlTNs("NLD", 40), e.srv.AvailableIntlTNs("ESP", 40)...)
	country := func(tn string) string {
		if strings.HasPrefix(tn, "31") {
			return "NLD"
		}
		return "ESP"
	}
	manifest := func(name string, list []string) string {
		var b strings.Builder
		b.WriteString("tn,country_ref\n")
		for _, tn := range list {
			b.WriteString(tn + "," + country(tn) + "\n")
		}
		return e.write(name, b.String())
	}
	allOK := func(out string, n int) []map[string]string {
		rows := readCSV(t, filepath.Join(e.dir, out, "results.csv"))
		require.Len(t, rows, n)
		assert.Equal(t, map[string]int{"ok": n}, countStatus(rows), "%v", rows)
		return rows
	}
	noResend := func(op string) {
		audit := e.srv.Audit()
		assert.Positive(t, lostCount(audit, op), "%s: the test must lose answers to mean anything", op)
		assert.Empty(t, sandbox.ResentAfterApplied(audit, op), "%s: numbers sent again after they were applied", op)
		assert.Empty(t, sandbox.AppliedTwice(audit, op), op)
	}

	e.runUntilDone("intl-reserve", manifest("reserve.csv", tns[:40]), "reserve", lost, "--batch-size", "10")
	allOK("reserve", 40)
	noResend("intlTnReserve")

	e.runUntilDone("intl-order", manifest("order.csv", tns), "order", lost, "--batch-size", "10")
	allOK("order", 80)
	noResend("intlTnOrder")

	e.runUntilDone("intl-disconnect", manifest("disco.csv", tns[:60]), "disco", lost, "--yes", "--batch-size", "10")
	allOK("disco", 60)
	noResend("intlTnDisconnect")

	// Cancels: open orders (their numbers wait for the end user FRA needs).
	fr := e.srv.AvailableIntlTNs("FRA", 12)
	var cancel strings.Builder
	cancel.WriteString("order_id\n")
	for i := range 6 {
		m := e.write(fmt.Sprintf("fr%d.csv", i), "tn,country_ref\n"+fr[2*i]+",FRA\n"+fr[2*i+1]+",FRA\n")
		rows, _ := e.run("intl-order", m, fmt.Sprintf("fr%d", i), "--follow-timeout", "100ms")
		require.Equal(t, "pending", rows[0]["status"], "%v", rows)
		assert.Contains(t, rows[0]["message"], "needs end user details")
		cancel.WriteString(rows[0]["order_id"] + "\n")
	}
	e.runUntilDone("intl-order-cancel", e.write("cancel.csv", cancel.String()), "cancel", sandbox.Faults{Lost: 0.5, Seed: 5}, "--yes")
	allOK("cancel", 6)
	audit := e.srv.Audit()
	assert.Positive(t, lostCount(audit, "intlOrderCancel"))
	processed := 0
	for _, a := range audit {
		if a.Op == "intlOrderCancel" && a.Processed {
			processed++
			assert.True(t, a.Applied, "a cancel was sent again after it was applied: %+v", a)
		}
	}
	assert.Equal(t, 6, processed, "each order's cancel reached the API once")
}

// TestScenarioMixedWave: a wave of 500 US and 500 international numbers
// (five countries, end user where the country needs it) ordered, followed
// to final, exported (assigned, intl-assigned, intl-orders), disconnected
// and followed again; at each step the sandbox's state agrees with the
// results and the exports.
func TestScenarioMixedWave(t *testing.T) {
	if testing.Short() {
		t.Skip("the scenario orders 1,000 numbers")
	}
	e := newTFEnv(t)
	us := e.srv.AvailableTNs(500)
	require.Len(t, us, 500)
	var intl []string
	countryOf := map[string]string{}
	for _, c := range []string{"GBR", "FRA", "NLD", "ESP", "DEU"} {
		for _, tn := range e.srv.AvailableIntlTNs(c, 100) {
			intl = append(intl, tn)
			countryOf[tn] = c
		}
	}
	require.Len(t, intl, 500)
	// DEU needs a document too: its numbers get end user details here and
	// stay Pending (the order is followed, not final) until one is added.
	var usM, intlM strings.Builder
	usM.WriteString("tn,trunk_group\n")
	for _, tn := range us {
		usM.WriteString(tn + ",TG_CHICAGO_01\n")
	}
	intlM.WriteString("tn,country_ref,routing_option,end_user_company_name,end_user_street_name,end_user_street_number,end_user_zipcode,end_user_city,end_user_country\n")
	for _, tn := range intl {
		eu := ",,,,,"
		if c := countryOf[tn]; c == "GBR" || c == "FRA" || c == "DEU" {
			eu = intlEndUser
		}
		intlM.WriteString(tn + "," + countryOf[tn] + ",Voice Platform," + eu + "\n")
	}
	usRows, _ := e.run("tn-order", e.write("us.csv", usM.String()), "us-order")
	assert.Equal(t, map[string]int{"ok": 500}, countStatus(usRows))
	intlRows, _ := e.run("intl-order", e.write("intl.csv", intlM.String()), "intl-order", "--follow-timeout", "2s")
	want := map[string]int{"ok": 400, "pending": 100}
	assert.Equal(t, want, countStatus(intlRows))
	for _, r := range intlRows {
		if r["status"] == "pending" {
			assert.Equal(t, "DEU", countryOf[r["tn"]], "%v", r)
			assert.Contains(t, r["message"], `needs document "Proof of in region address"`)
		}
	}

	// The exports agree with the results.
	exp := func(kind, out string, args ...string) []map[string]string {
		path := filepath.Join(e.dir, out)
		res := runCLI(t, e.envs, append([]string{"export", kind, "-o", path, "--endpoint", e.endpoint, "--rate", "0", "--quiet"}, args...)...)
		require.Equal(t, ExitOK, res.code, "%s\n%s", res.stdout, res.stderr)
		return readCSV(t, path)
	}
	assigned := map[string]string{}
	for _, r := range exp("intl-assigned", "intl-assigned.csv") {
		assigned[r["tn"]] = r["status"]
	}
	require.Len(t, assigned, 500)
	for _, r := range intlRows {
		if r["status"] == "ok" {
			assert.Equal(t, "In Service", assigned[r["tn"]], r["tn"])
		} else {
			assert.Equal(t, "Pending", assigned[r["tn"]], r["tn"])
		}
	}
	orders := exp("intl-orders", "intl-orders.csv", "--service-order-reference", "NEW")
	byStatus := map[string]int{}
	for _, o := range orders {
		byStatus[o["order_status"]]++
	}
	assert.Equal(t, map[string]int{"Closed": 4, "Pending": 1}, byStatus, "five batches of 100")
	onAccount := 0
	for _, r := range exp("assigned", "assigned.csv") {
		for _, tn := range us[:1] {
			if r["tn"] == tn {
				onAccount++
			}
		}
	}
	assert.Equal(t, 1, onAccount, "the US numbers are on the account too")

	// Everything In Service is disconnected; the pending DEU numbers are
	// excluded by the API (not In Service), never disconnected.
	var usD, intlD strings.Builder
	usD.WriteString("tn\n")
	for _, tn := range us {
		usD.WriteString(tn + "\n")
	}
	intlD.WriteString("tn,country_ref\n")
	for _, tn := range intl {
		intlD.WriteString(tn + "," + countryOf[tn] + "\n")
	}
	usRows, _ = e.run("tn-disconnect", e.write("us-d.csv", usD.String()), "us-disco", "--yes")
	assert.Equal(t, map[string]int{"ok": 500}, countStatus(usRows))
	intlRows, _ = e.run("intl-disconnect", e.write("intl-d.csv", intlD.String()), "intl-disco", "--yes")
	assert.Equal(t, map[string]int{"ok": 400, "excluded": 100}, countStatus(intlRows))
	left := exp("intl-assigned", "intl-assigned-after.csv")
	assert.Len(t, left, 100, "only the pending DEU numbers are still on the account")
	for _, r := range left {
		assert.Equal(t, "DEU", r["country_ref"])
		assert.Equal(t, "Pending", r["status"])
	}
	audit := e.srv.Audit()
	for _, op := range []string{"tnOrder", "intlTnOrder", "tnDisconnect", "intlTnDisconnect"} {
		assert.Empty(t, sandbox.ResentAfterApplied(audit, op), op)
	}
}
