package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
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
	return runCLI(e.t, e.envs, "follow", dir, "--endpoint", e.endpoint, "--poll-interval", "20ms", "--follow-timeout", "5s")
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

// TestIntlUpdate: routing and notes of In Service numbers (intlTnUpdate,
// intlTnNoteUpdate), end user and routing of numbers still on their order
// (intlTnEndUser, intlTnRoutingUpdate, intlTnAddNote): the FRA order
// waiting for its end user closes once it is set. A number the API
// refuses is excluded with its reason, the others are changed.
func TestIntlUpdate(t *testing.T) {
	e := newTFEnv(t)
	nl := e.srv.AvailableIntlTNs("NLD", 2)
	fr := e.srv.AvailableIntlTNs("FRA", 2)
	rows, _ := e.run("intl-order", e.write("nl.csv", "tn,country_ref\n"+nl[0]+",NLD\n"+nl[1]+",NLD\n"), "nl")
	require.Equal(t, []string{"ok", "ok"}, statuses(rows), "%v", rows)
	rows, _ = e.run("intl-order", e.write("fr.csv", "tn,country_ref\n"+fr[0]+",FRA\n"+fr[1]+",FRA\n"), "order", "--follow-timeout", "200ms")
	require.Equal(t, []string{"pending", "pending"}, statuses(rows), "%v", rows)
	frOrder := rows[0]["order_id"]
	other := e.srv.AvailableIntlTNs("NLD", 3)[2] // not on the account

	m := e.write("u.csv", "tn,country_ref,order_id,routing_option,tn_note,end_user_company_name,end_user_street_name,end_user_street_number,end_user_zipcode,end_user_city,end_user_country\n"+
		nl[0]+",NLD,,Cleveland,moved,,,,,,\n"+
		nl[1]+",NLD,,,just a note,,,,,,\n"+
		other+",NLD,,Cleveland,,,,,,,\n"+
		fr[0]+",FRA,"+frOrder+",Cleveland,,Tour Eiffel,Champ De Mars,5,75007,Paris,France\n"+
		fr[1]+",FRA,"+frOrder+",,,Tour Eiffel,Champ De Mars,5,75007,Paris,France\n"+
		fr[1]+",FRA,,,,Tour Eiffel,Champ De Mars,5,75007,Paris,France\n") // end user without its order: invalid
	rows, _ = e.run("intl-update", m, "update")
	assert.Equal(t, []string{"ok", "ok", "excluded", "ok", "ok", "invalid"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[2]["message"], "TN is not in service")
	assert.Contains(t, rows[5]["message"], `"order_id"`)

	exp := filepath.Join(e.dir, "assigned.csv")
	res := runCLI(t, e.envs, "export", "intl-assigned", "-o", exp, "--endpoint", e.endpoint, "--rate", "0", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	got := map[string]map[string]string{}
	for _, r := range readCSV(t, exp) {
		got[r["tn"]] = r
	}
	assert.Equal(t, "Cleveland", got[nl[0]]["routing_option"])
	_, hasNote := got[nl[0]]["tn_note"]
	assert.False(t, hasNote, "intlTnDetail's answer has no note (the guide): the export has no note column")
	assert.Equal(t, "moved", e.srv.IntlNote(nl[0]))
	assert.Equal(t, "just a note", e.srv.IntlNote(nl[1]))
	assert.Equal(t, "Cleveland", got[fr[0]]["routing_option"])
	assert.Contains(t, got[fr[1]]["end_user"], "Company name=Tour Eiffel")

	// The FRA order closes now that its numbers have an end user.
	res = runCLI(t, e.envs, "follow", filepath.Join(e.dir, "order"), "--endpoint", e.endpoint, "--poll-interval", "20ms", "--follow-timeout", "30s")
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, res.stderr)
	assert.Equal(t, []string{"ok", "ok"}, statuses(readCSV(t, filepath.Join(e.dir, "order", "results.csv"))))
}

// TestIntlPortInNoteRequestLostAnswers: intl-port-in (one order per due
// date), intl-order-note (notes and contact notes) and intl-request run
// while answers are lost, resumed until done: each lost batch is found by
// its customerOrderReference (or its note on the order), nothing is sent
// twice, and the orders are followed to final.
func TestIntlPortInNoteRequestLostAnswers(t *testing.T) {
	e := newTFEnv(t)
	// Port-ins: numbers of supported countries not in Inteliquent
	// inventory (one in ten is not).
	var ports []string
	for _, c := range []string{"GBR", "NLD"} {
		for _, tn := range e.srv.IntlPortableTNs(c, 15) {
			ports = append(ports, tn+","+c)
		}
	}
	require.Len(t, ports, 30)
	today := time.Now().UTC().Format(time.DateOnly)
	tomorrow := time.Now().UTC().Add(24 * time.Hour).Format(time.DateOnly)
	var m strings.Builder
	m.WriteString("tn,country_ref,desired_due_date,end_user_company_name,end_user_street_name,end_user_street_number,end_user_zipcode,end_user_city,end_user_country\n")
	for i, p := range ports {
		due := today
		if i%2 == 1 {
			due = tomorrow
		}
		m.WriteString(p + "," + due + "," + intlEndUser + "\n")
	}
	m.WriteString(e.srv.AvailableIntlTNs("GBR", 1)[0] + ",GBR," + today + "," + intlEndUser + "\n") // in inventory: excluded
	e.runUntilDone("intl-port-in", e.write("port.csv", m.String()), "port", sandbox.Faults{Lost: 0.4, Seed: 21}, "--batch-size", "5")
	rows := readCSV(t, filepath.Join(e.dir, "port", "results.csv"))
	require.Len(t, rows, 31)
	st := countStatus(rows)
	assert.Equal(t, 1, st["excluded"], "%v", rows)
	assert.Equal(t, 30, st["ok"]+st["pending"], "%v", st) // tomorrow's ports are not final yet
	assert.Positive(t, st["ok"])
	audit := e.srv.Audit()
	assert.Positive(t, lostCount(audit, "intlPortInOrder"))
	assert.Empty(t, sandbox.ResentAfterApplied(audit, "intlPortInOrder"))
	orders := map[string]bool{}
	for _, r := range rows[:30] {
		orders[r["order_id"]] = true
	}
	assert.Len(t, orders, 6, "two due dates, batches of five")

	// Notes on those orders, lost answers reconciled with intlOrderDetail.
	var notes strings.Builder
	notes.WriteString("order_id,note,contact\n")
	for id := range orders {
		fmt.Fprintf(&notes, "%s,wave 1 note,\n%s,\"Order Contact Details: Name: Ann Lee\",Y\n", id, id)
	}
	e.runUntilDone("intl-order-note", e.write("notes.csv", notes.String()), "notes", sandbox.Faults{Lost: 0.4, Seed: 31})
	rows = readCSV(t, filepath.Join(e.dir, "notes", "results.csv"))
	assert.Equal(t, map[string]int{"ok": 12}, countStatus(rows), "%v", rows)
	added := 0
	for _, a := range e.srv.Audit() {
		if (a.Op == "intlOrderAddNote" || a.Op == "intlOrderAddContactNote") && a.Applied {
			added++
		}
	}
	assert.Equal(t, 12, added, "every note on its order once")

	// Requests: each row its own order, found by reference.
	req := e.write("req.csv", "country_ref,quantity,routing_option\nGBR,3,Cleveland\nNLD,2,\nESP,4,\nNLD,2,\n")
	e.runUntilDone("intl-request", req, "req", sandbox.Faults{Lost: 0.5, Seed: 41})
	rows = readCSV(t, filepath.Join(e.dir, "req", "results.csv"))
	assert.Equal(t, map[string]int{"ok": 3, "pending": 1}, countStatus(rows), "GBR needs an end user: its order stays open\n%v", rows)
	assert.Equal(t, "pending", rows[0]["status"])
	processed := 0
	for _, a := range e.srv.Audit() {
		if a.Op == "intlTnRequest" && a.Processed {
			processed++
		}
	}
	assert.Equal(t, 4, processed, "each request reached the API once")
	assert.Len(t, strings.Fields(rows[2]["numbers"]), 4, "%v", rows[2])
}

// TestIntlDocumentsAndDownloads: a DEU order waits for its proof of
// address; intl-document attaches it to each number (files relative to
// the manifest's folder, one with Windows separators) and a document to
// the order; bad files are invalid before anything is sent; the order
// closes. Order documents under lost answers are reconciled with
// intlOrderDocument and attached once; a number's document whose answer
// was lost stays in doubt and is never sent again. intl-documents lists
// and downloads what was attached, byte for byte.
func TestIntlDocumentsAndDownloads(t *testing.T) {
	e := newTFEnv(t)
	de := e.srv.AvailableIntlTNs("DEU", 2)
	m := e.write("de.csv", "tn,country_ref,end_user_company_name,end_user_street_name,end_user_street_number,end_user_zipcode,end_user_city,end_user_country\n"+
		de[0]+",DEU,"+intlEndUser+"\n"+de[1]+",DEU,"+intlEndUser+"\n")
	rows, _ := e.run("intl-order", m, "order", "--follow-timeout", "200ms")
	require.Equal(t, []string{"pending", "pending"}, statuses(rows), "%v", rows)
	assert.Contains(t, rows[0]["message"], `needs document "Proof of in region address"`)
	order := rows[0]["order_id"]

	pdf := "%PDF-1.4\nproof of address\n%%EOF\n"
	docs := filepath.Join(e.dir, "docs")
	require.NoError(t, os.MkdirAll(filepath.Join(docs, "a"), 0o700))
	writeFile(t, filepath.Join(docs, "a", "proof-1.pdf"), pdf)
	writeFile(t, filepath.Join(docs, "a", "proof-2.pdf"), pdf+"2")
	writeFile(t, filepath.Join(docs, "contract.txt"), "signed contract")
	writeFile(t, filepath.Join(docs, "fake.pdf"), "not a pdf at all")
	writeFile(t, filepath.Join(docs, "empty.png"), "")
	writeFile(t, filepath.Join(docs, "notes.exe"), "MZ")
	manifest := writeFile(t, filepath.Join(docs, "attach.csv"), "order_id,tn,country_ref,condition_name,file\n"+
		order+","+de[0]+",DEU,Proof of in region address,a/proof-1.pdf\n"+
		order+","+de[1]+",DEU,Proof of in region address,a\\proof-2.pdf\n"+
		order+",,,,contract.txt\n"+
		order+",,,,fake.pdf\n"+
		order+",,,,empty.png\n"+
		order+",,,,notes.exe\n"+
		order+",,,,missing.pdf\n"+
		order+","+de[0]+",DEU,,a/proof-1.pdf\n")
	before := len(e.srv.Audit())
	rows, _ = e.run("intl-document", manifest, "attach")
	require.Len(t, rows, 8)
	assert.Equal(t, []string{"ok", "ok", "ok"}, statuses(rows[:3]), "%v", rows)
	for _, r := range rows[3:] {
		assert.Equal(t, "invalid", r["status"], "%v", r)
	}
	assert.Contains(t, rows[3]["message"], "content is text/plain")
	assert.Contains(t, rows[4]["message"], "is empty")
	assert.Contains(t, rows[5]["message"], "not a document type")
	assert.Contains(t, rows[6]["message"], "cannot be read")
	assert.Contains(t, rows[7]["message"], "condition_name")
	for _, a := range e.srv.Audit()[before:] {
		if a.Op == "intlOrderAddDocument" || a.Op == "intlTnAddDocument" {
			assert.True(t, a.Applied, "only the valid rows were sent: %+v", a)
		}
	}
	tnDocIDs := []string{rows[0]["document_id"], rows[1]["document_id"]}
	res := runCLI(t, e.envs, "follow", filepath.Join(e.dir, "order"), "--endpoint", e.endpoint, "--poll-interval", "20ms", "--follow-timeout", "10s")
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, res.stderr)
	assert.Equal(t, []string{"ok", "ok"}, statuses(readCSV(t, filepath.Join(e.dir, "order", "results.csv"))), "the documents complete the order")

	// Order documents under lost answers: found on intlOrderDocument, each
	// attached once.
	var more strings.Builder
	more.WriteString("order_id,file\n")
	for i := range 6 {
		name := fmt.Sprintf("extra-%d.txt", i)
		writeFile(t, filepath.Join(docs, name), "extra "+name)
		more.WriteString(order + "," + name + "\n")
	}
	before = len(e.srv.Audit())
	e.runUntilDone("intl-document", writeFile(t, filepath.Join(docs, "more.csv"), more.String()), "more", sandbox.Faults{Lost: 0.5, Seed: 3})
	assert.Equal(t, map[string]int{"ok": 6}, countStatus(readCSV(t, filepath.Join(e.dir, "more", "results.csv"))))
	audit := e.srv.Audit()[before:]
	assert.Positive(t, lostCount(audit, "intlOrderAddDocument"))
	applied := 0
	for _, a := range audit {
		if a.Op == "intlOrderAddDocument" && a.Applied {
			applied++
		}
	}
	assert.Equal(t, 6, applied, "each document on the order once")

	// A number's document whose answer is lost cannot be looked up: the
	// row stays in doubt and a resume does not send it again.
	writeFile(t, filepath.Join(docs, "again.pdf"), "%PDF-1.4\nagain\n")
	one := writeFile(t, filepath.Join(docs, "one.csv"), "order_id,tn,country_ref,condition_name,file\n"+order+","+de[0]+",DEU,Proof of in region address,again.pdf\n")
	e.srv.SetFaults(sandbox.Faults{Lost: 1})
	dir := filepath.Join(e.dir, "one")
	res = runCLI(t, e.envs, "run", "intl-document", one, "--out", dir, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s")
	e.srv.SetFaults(sandbox.Faults{})
	assert.Equal(t, ExitInterrupted, res.code, res.stderr)
	res = runCLI(t, e.envs, "resume", dir, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s")
	assert.Equal(t, ExitInterrupted, res.code, res.stderr)
	assert.Equal(t, "in-doubt", readCSV(t, filepath.Join(dir, "results.csv"))[0]["status"])
	sent := 0
	for _, a := range e.srv.Audit() {
		if a.Op == "intlTnAddDocument" && a.Processed && strings.Contains(strings.Join(a.Numbers, ","), de[0]) {
			sent++
		}
	}
	assert.Equal(t, 2, sent, "proof-1.pdf once, again.pdf once: never resent")

	dl := filepath.Join(e.dir, "downloads")
	out := filepath.Join(e.dir, "documents.csv")
	args := []string{"export", "intl-documents", "--order-id", order, "--download-dir", dl, "-o", out, "--endpoint", e.endpoint, "--rate", "0", "--quiet"}
	args = append(args, "--document-id", strings.Join(tnDocIDs, ","))
	res = runCLI(t, e.envs, args...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	listed := readCSV(t, out)
	require.Len(t, listed, 7+len(tnDocIDs), "%v", listed)
	assert.Equal(t, "contract.txt", listed[0]["file_name"])
	b, err := os.ReadFile(listed[0]["saved_as"])
	require.NoError(t, err)
	assert.Equal(t, "signed contract", string(b))
	for _, r := range listed[7:] {
		b, err := os.ReadFile(r["saved_as"])
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(b), "%PDF-1.4\nproof of address"), "%q", b)
	}
}

// TestUndoIntlUpdate: intl-update's snapshot (intlTnDetail before each
// batch) lets iqbulk undo put the routing options back; a note cannot be
// (intlTnDetail shows none) and undo says so instead of inventing one.
func TestUndoIntlUpdate(t *testing.T) {
	e := newTFEnv(t)
	nl := e.srv.AvailableIntlTNs("NLD", 3)
	rows, _ := e.run("intl-order", e.write("o.csv", "tn,country_ref,routing_option\n"+nl[0]+",NLD,Voice Platform\n"+nl[1]+",NLD,Voice Platform\n"+nl[2]+",NLD,Cleveland\n"), "order")
	require.Equal(t, []string{"ok", "ok", "ok"}, statuses(rows), "%v", rows)
	rows, _ = e.run("intl-update", e.write("n.csv", "tn,country_ref,tn_note\n"+nl[0]+",NLD,first\n"), "note")
	require.Equal(t, []string{"ok"}, statuses(rows))

	rows, _ = e.run("intl-update", e.write("u.csv", "tn,country_ref,routing_option,tn_note\n"+nl[0]+",NLD,Cleveland,second\n"+nl[1]+",NLD,Cleveland,\n"+nl[2]+",NLD,,added\n"), "update")
	require.Equal(t, []string{"ok", "ok", "ok"}, statuses(rows), "%v", rows)
	run := filepath.Join(e.dir, "update")
	res := runCLI(t, e.envs, "undo", run, "--endpoint", e.endpoint, "--rate", "0", "--run", "--out", filepath.Join(e.dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	undoSaid := res.stdout + res.stderr

	exp := filepath.Join(e.dir, "after.csv")
	res = runCLI(t, e.envs, "export", "intl-assigned", "-o", exp, "--endpoint", e.endpoint, "--rate", "0", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	got := map[string]map[string]string{}
	for _, r := range readCSV(t, exp) {
		got[r["tn"]] = r
	}
	assert.Equal(t, "Voice Platform", got[nl[0]]["routing_option"])
	assert.Equal(t, "second", e.srv.IntlNote(nl[0]), "the note before the run is unknown: it keeps the run's value")
	assert.Equal(t, "Voice Platform", got[nl[1]]["routing_option"])
	assert.Equal(t, "Cleveland", got[nl[2]]["routing_option"])
	assert.Equal(t, "added", e.srv.IntlNote(nl[2]), "no international operation removes a note")
	assert.Contains(t, undoSaid, "note before the run is unknown", "undo says which part it cannot restore")
}

// TestUndoIntlOrder: iqbulk undo of an intl-order run writes an
// intl-disconnect manifest of the numbers it ordered, and running it takes
// them off the account.
func TestUndoIntlOrder(t *testing.T) {
	e := newTFEnv(t)
	es := e.srv.AvailableIntlTNs("ESP", 3)
	rows, _ := e.run("intl-order", e.write("o.csv", "tn,country_ref\n"+es[0]+",ESP\n"+es[1]+",ESP\n"+es[2]+",ESP\n"), "order")
	require.Equal(t, []string{"ok", "ok", "ok"}, statuses(rows), "%v", rows)
	run := filepath.Join(e.dir, "order")
	res := runCLI(t, e.envs, "undo", run, "--endpoint", e.endpoint, "--rate", "0")
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "iqbulk run intl-disconnect")
	undo := readCSV(t, filepath.Join(run, "undo.csv"))
	require.Len(t, undo, 3)
	assert.Equal(t, map[string]string{"tn": es[0], "country_ref": "ESP"}, undo[0])
	rows, _ = e.run("intl-disconnect", filepath.Join(run, "undo.csv"), "undo-run", "--yes")
	assert.Equal(t, []string{"ok", "ok", "ok"}, statuses(rows), "%v", rows)
}

// TestIntlRequestOrderLagsBehindItsAnswer: intlTnRequest's answer has no
// orderId and intlOrderList lags behind it. The row is never ok without
// its order and never sent again: it stays in doubt (accepted-no-order)
// until a resume finds the order by its reference, then follows it to
// its numbers. Each request reaches the API once.
func TestIntlRequestOrderLagsBehindItsAnswer(t *testing.T) {
	e := newTFEnv(t)
	e.srv.SetFaults(sandbox.Faults{Lag: 24 * time.Hour}) // simulated: the order stays invisible for this run
	dir := filepath.Join(e.dir, "req")
	req := e.write("req.csv", "country_ref,quantity\nESP,4\n")
	res := runCLI(t, e.envs, "run", "intl-request", req, "--out", dir, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s")
	assert.Equal(t, ExitInterrupted, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	rows := readCSV(t, filepath.Join(dir, "results.csv"))
	require.Len(t, rows, 1)
	assert.Equal(t, "in-doubt", rows[0]["status"], "%v", rows[0])
	assert.Equal(t, jobs.CodeAcceptedNoOrder, rows[0]["code"], "%v", rows[0])
	assert.Empty(t, rows[0]["order_id"])

	// The lag ends: resume finds the order by reference without sending
	// again, and follow reads its numbers.
	e.srv.SetFaults(sandbox.Faults{})
	res = runCLI(t, e.envs, "resume", dir, "--endpoint", e.endpoint, "--rate", "0", "--settle", "0s")
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	rows = readCSV(t, filepath.Join(dir, "results.csv"))
	assert.Equal(t, "pending", rows[0]["status"], "%v", rows[0])
	assert.NotEmpty(t, rows[0]["order_id"])
	runCLI(t, e.envs, "follow", dir, "--endpoint", e.endpoint, "--poll-interval", "20ms", "--follow-timeout", "5s")
	rows = readCSV(t, filepath.Join(dir, "results.csv"))
	assert.Equal(t, "ok", rows[0]["status"], "%v", rows[0])
	assert.Len(t, strings.Fields(rows[0]["numbers"]), 4, "%v", rows[0])
	processed := 0
	for _, a := range e.srv.Audit() {
		if a.Op == inteliquent.OpIntlTnRequest && a.Processed {
			processed++
		}
	}
	assert.Equal(t, 1, processed, "the request reached the API once")
}
