package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// portHeader is a port-in manifest header in the guide's spelling, as users
// export it from their own systems.
const portHeader = "TN,Account Number,BTN,Auth Name,Auth Date,End User,Street Num,Street Name,Street Type,City,State,Zip,Type Of Service,Due Date,On Demand\n"

func portRow(tn, acct, atn, zip, due, onDemand string) string {
	return strings.Join([]string{tn, acct, atn, "Jean Blues", time.Now().Format(time.DateOnly), "Jean Blues", "101", "Main", "St",
		"Miami", "FL", zip, "B", due, onDemand}, ",") + "\n"
}

// followArgs makes follow-ups short: the sandbox clock only moves when the
// test advances it, so one or two sweeps see everything there is to see.
var followArgs = []string{"--poll-interval", "20ms", "--follow-timeout", "150ms"}

// testClock is the sandbox's real clock, moved by the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func (s *simEnv) follow(t *testing.T, dir string) result {
	t.Helper()
	return runCLI(t, s.envs, append([]string{"follow", dir, "--endpoint", s.endpoint}, followArgs...)...)
}

func (s *simEnv) runNoFollow(t *testing.T, kind, manifest, out string, extra ...string) result {
	t.Helper()
	args := append([]string{"run", kind, manifest, "--out", out, "--endpoint", s.endpoint, "--rate", "0"}, extra...)
	return runCLI(t, s.envs, args...)
}

func byTN(rows []map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range rows {
		out[strings.TrimSpace(r["TN"]+r["tn"])] = r
	}
	return out
}

// TestPortInScenario3000 is the migration: check → port-in → follow
// (repeated) → fix → activate → every number In Service.
func TestPortInScenario3000(t *testing.T) {
	if testing.Short() {
		t.Skip("long scenario")
	}
	clock := &testClock{t: time.Now()}
	s := newSimEnv(t, sandbox.Options{ClockSpeed: 1, Now: clock.Now})
	dir := t.TempDir()
	tns := s.srv.PortableTNs(3000)
	require.Len(t, tns, 3000)

	// 1. port-check: every number portable; two that are not.
	var check strings.Builder
	check.WriteString("tn\n")
	for _, tn := range tns {
		check.WriteString(tn + "\n")
	}
	check.WriteString("3125550100\n3123489651\n") // not in an approved rate center; already ours
	checkOut := filepath.Join(dir, "check")
	t0 := time.Now()
	defer func() { t.Logf("scenario took %v", time.Since(t0)) }()
	res := s.runNoFollow(t, "port-check", writeFile(t, filepath.Join(dir, "check.csv"), check.String()), checkOut)
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)
	rows := readResults(t, filepath.Join(checkOut, "results.csv"))
	assert.Equal(t, map[string]int{"ok": 3000, "excluded": 2}, countStatus(rows))
	got := byTN(rows)
	assert.Equal(t, "Y", got[tns[0]]["is_portable"])
	assert.NotEmpty(t, got[tns[0]]["service_provider"])
	assert.Equal(t, "N", got["3125550100"]["is_portable"])
	assert.Contains(t, got["3123489651"]["not_portable_reason"], "already assigned")

	// 2. port-in: accounts of 150 numbers (two orders each: 100 + 50); the
	// first 300 numbers on-demand; every 50th number of the other accounts
	// with a bad zip code (jeopardy "Invalid zip code").
	due := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	var m strings.Builder
	m.WriteString(portHeader)
	jeopardy := map[string]bool{}
	onDemand := map[string]bool{}
	for i, tn := range tns {
		acct := fmt.Sprintf("A%04d", i/150)
		atn := tns[i/150*150]
		zip, od := "33124", "N"
		if i < 300 {
			od = "Y"
			onDemand[tn] = true
		} else if i%50 == 7 {
			zip = "00000"
			jeopardy[tn] = true
		}
		m.WriteString(portRow(tn, acct, atn, zip, due, od))
	}
	portOut := filepath.Join(dir, "port")
	manifest := writeFile(t, filepath.Join(dir, "port.csv"), m.String())
	res = s.run(t, "port-in", manifest, portOut, followArgs...)
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)

	// One order per account and 100 numbers: 20 accounts → 40 orders, each
	// portInOrder with at most 100 numbers and numbers of one account.
	var orders int
	seen := map[string]int{}
	for _, e := range s.srv.Audit() {
		if e.Op != "portInOrder" || !e.Applied {
			continue
		}
		orders++
		assert.LessOrEqual(t, len(e.Numbers), 100)
		for _, n := range e.Numbers {
			seen[n]++
		}
	}
	assert.Equal(t, 40, orders)
	for tn, n := range seen {
		require.Equal(t, 1, n, "%s ordered %d times", tn, n)
	}

	// Validation is running: every row pending.
	assert.Equal(t, map[string]int{"pending": 3000}, countStatus(readResults(t, filepath.Join(portOut, "results.csv"))))

	// 3. follow daily: validated, then a day later FOC or jeopardy.
	clock.Advance(2 * time.Hour)
	res = s.follow(t, portOut)
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)
	rows = readResults(t, filepath.Join(portOut, "results.csv"))
	assert.Equal(t, map[string]int{"pending": 3000}, countStatus(rows))
	assert.Equal(t, "pending FOC from the losing carrier", rows[0]["message"])
	clock.Advance(26 * time.Hour)
	res = s.follow(t, portOut)
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)
	rows = readResults(t, filepath.Join(portOut, "results.csv"))
	got = byTN(rows)
	require.Len(t, got, 3000)
	for tn, r := range got {
		if jeopardy[tn] {
			assert.Equal(t, "failed", r["status"], tn)
			assert.Equal(t, "jeopardy", r["code"], tn)
			assert.Equal(t, "Invalid zip code", r["message"], tn)
			assert.Equal(t, "Invalid zip code", r["reject_reason"], tn)
			continue
		}
		assert.Equal(t, "pending", r["status"], tn)
		assert.Empty(t, r["reject_reason"], tn)
		assert.Contains(t, r, "routing_label", "orderDetail's routingLabel has its column")
		assert.Equal(t, "Received FOC", r["tn_status"], tn)
		assert.Equal(t, due, r["port_date"], tn)
		assert.Equal(t, "FOC secured (Received FOC); port date "+due, r["message"], tn)
	}
	assert.Equal(t, map[string]int{"failed": len(jeopardy), "pending": 3000 - len(jeopardy)}, countStatus(rows))

	// The port-ins export carries portInOrderList's focList (FOC dates and
	// counts) and rejectReasonList of an order with a rejected number.
	var rejectedOrder string
	for tn, r := range got {
		if jeopardy[tn] {
			rejectedOrder = r["order_id"]
			break
		}
	}
	require.NotEmpty(t, rejectedOrder)
	var onOrder, rejectedOn int
	for tn, r := range got {
		if r["order_id"] == rejectedOrder {
			onOrder++
			if jeopardy[tn] {
				rejectedOn++
			}
		}
	}
	exp := filepath.Join(dir, "port-ins.csv")
	res = runCLI(t, s.envs, "export", "port-ins", "--order-id", rejectedOrder, "-o", exp, "--endpoint", s.endpoint, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	orderRows := readCSV(t, exp)
	require.Len(t, orderRows, 1)
	assert.Equal(t, fmt.Sprintf("no port date: %d tn, 0 foc, %d rejected, 0 activated | %s: %d tn, %d foc, 0 rejected, 0 activated",
		rejectedOn, rejectedOn, due, onOrder-rejectedOn, onOrder-rejectedOn), orderRows[0]["foc_list"])
	assert.Equal(t, fmt.Sprintf("Invalid zip code: %d", rejectedOn), orderRows[0]["reject_reasons"])

	// 4. port-in-fix: the failed rows, zip corrected, as a manifest.
	failed, err := os.ReadFile(filepath.Join(portOut, "failed.csv"))
	require.NoError(t, err)
	require.Equal(t, len(jeopardy), strings.Count(string(failed), ",00000,"))
	fixed := strings.ReplaceAll(string(failed), ",00000,", ",33124,")
	fixOut := filepath.Join(dir, "fix")
	res = s.run(t, "port-in-fix", writeFile(t, filepath.Join(dir, "fix.csv"), fixed), fixOut, followArgs...)
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)
	fixRows := readResults(t, filepath.Join(fixOut, "results.csv"))
	assert.Equal(t, map[string]int{"pending": len(jeopardy)}, countStatus(fixRows))
	assert.Equal(t, "pending FOC from the losing carrier", fixRows[0]["message"])

	// 5. days pass: automatic ports complete; on-demand ones wait for
	// activation; the corrected ones get their FOC and complete too.
	clock.Advance(4 * 24 * time.Hour)
	res = s.follow(t, fixOut)
	require.Equal(t, ExitOK, res.code, "%s\n%s", res.stdout, res.stderr)
	assert.Equal(t, map[string]int{"ok": len(jeopardy)}, countStatus(readResults(t, filepath.Join(fixOut, "results.csv"))))
	res = s.follow(t, portOut)
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)
	rows = readResults(t, filepath.Join(portOut, "results.csv"))
	assert.Equal(t, map[string]int{"ok": 2700, "pending": 300}, countStatus(rows))

	// 6. port-in-activate: the on-demand numbers (their FOC date has come).
	var act strings.Builder
	act.WriteString("tn,order_id\n")
	for _, r := range rows {
		if onDemand[r["TN"]] {
			act.WriteString(r["TN"] + "," + r["order_id"] + "\n")
		}
	}
	actOut := filepath.Join(dir, "activate")
	res = s.runNoFollow(t, "port-in-activate", writeFile(t, filepath.Join(dir, "act.csv"), act.String()), actOut)
	require.Equal(t, ExitOK, res.code, "%s\n%s", res.stdout, res.stderr)
	actRows := readResults(t, filepath.Join(actOut, "results.csv"))
	assert.Equal(t, map[string]int{"ok": 300}, countStatus(actRows))
	assert.Equal(t, "Activated", actRows[0]["tn_status"])

	// 7. the port-in run's final follow: every number ok, history kept.
	res = s.follow(t, portOut)
	require.Equal(t, ExitOK, res.code, "%s\n%s", res.stdout, res.stderr)
	final := readResults(t, filepath.Join(portOut, "results.csv"))
	assert.Equal(t, map[string]int{"ok": 3000}, countStatus(final))
	res = runCLI(t, nil, "status", portOut)
	assert.Contains(t, res.stdout, "3000")

	// Every number In Service on the account.
	details := s.detail(t, tns)
	require.Len(t, details, 3000)
	for tn, d := range details {
		require.Equal(t, "In Service", d.TnStatus, tn)
	}
	var sum struct {
		Outcomes map[string]int `json:"outcomes"`
	}
	b, err := os.ReadFile(filepath.Join(portOut, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &sum))
}

// TestPortInGroupingAndLostAnswers: rows are grouped into orders by due
// date, port time/zone, on-demand activation and account; answers lost
// after the order was placed are reconciled on resume through orderList by
// customerOrderReference, and no number is ordered twice.
func TestPortInGroupingAndLostAnswers(t *testing.T) {
	clock := &testClock{t: time.Now()}
	s := newSimEnv(t, sandbox.Options{ClockSpeed: 1, Now: clock.Now})
	dir := t.TempDir()
	tns := s.srv.PortableTNs(60)
	due := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	due2 := time.Now().AddDate(0, 0, 4).Format(time.DateOnly)
	var m strings.Builder
	m.WriteString(portHeader)
	for i, tn := range tns {
		acct, d, od := "A1", due, "N"
		switch {
		case i%4 == 1:
			acct = "A2" // another account
		case i%4 == 2:
			d = due2 // another due date
		case i%4 == 3:
			od = "Y" // on-demand
		}
		m.WriteString(portRow(tn, acct, tns[0], "33124", d, od))
	}
	manifest := writeFile(t, filepath.Join(dir, "port.csv"), m.String())
	out := filepath.Join(dir, "run")

	s.srv.SetFaults(sandbox.Faults{Lost: 0.5, Seed: 3})
	res := s.runNoFollow(t, "port-in", manifest, out, "--batch-size", "10")
	for i := 0; i < 20 && res.code != ExitRowsNotOK; i++ {
		s.srv.SetFaults(sandbox.Faults{Lost: 0.5, Seed: int64(4 + i)})
		res = runCLI(t, s.envs, "resume", out, "--endpoint", s.endpoint, "--rate", "0")
	}
	s.srv.SetFaults(sandbox.Faults{})
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)

	lost, applied := 0, 0
	seen := map[string]int{}
	refs := map[string]int{}
	for _, e := range s.srv.Audit() {
		if e.Op != "portInOrder" {
			continue
		}
		if e.Fault == "lost" {
			lost++
		}
		if e.Applied {
			applied++
			refs[e.CustomerOrderReference]++
			for _, n := range e.Numbers {
				seen[n]++
			}
		}
	}
	assert.Positive(t, lost, "the fault injection lost some answers")
	// 4 groups of 15 rows, batches of at most 10: 4 × 2 orders.
	assert.Equal(t, 8, applied)
	assert.Len(t, seen, 60)
	for tn, n := range seen {
		assert.Equal(t, 1, n, "%s ordered %d times", tn, n)
	}
	for ref, n := range refs {
		assert.Equal(t, 1, n, "customerOrderReference %s used %d times", ref, n)
	}
	rows := readResults(t, filepath.Join(out, "results.csv"))
	assert.Equal(t, map[string]int{"pending": 60}, countStatus(rows))
	// Each order holds one group only.
	group := map[string]string{}
	for _, r := range rows {
		key := r["Due Date"] + "|" + r["On Demand"] + "|" + r["Account Number"]
		if g, ok := group[r["order_id"]]; ok {
			assert.Equal(t, g, key, "order %s mixes groups", r["order_id"])
		}
		group[r["order_id"]] = key
	}
	assert.Len(t, group, 8)
}

// TestPortCheckAndCSR runs the read-only kinds from their samples.
func TestPortCheckAndCSRSamples(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	for _, kind := range []string{"port-check", "csr"} {
		out := filepath.Join(dir, kind)
		res := s.runNoFollow(t, kind, filepath.Join("..", "samples", kind+".xlsx"), out)
		require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "%s\n%s", res.stdout, res.stderr)
		rows := readResults(t, filepath.Join(out, "results.xlsx"))
		require.NotEmpty(t, rows)
		assert.NotEmpty(t, countStatus(rows)["ok"], "%s: %v", kind, rows)
		if kind == "csr" {
			checked := 0
			for _, r := range rows {
				if r["iqbulk_status"] == "ok" || r["status"] == "ok" {
					checked++
					assert.NotEmpty(t, r["csr_ocn"], "the CSR's ocn reaches its column: %v", r)
					assert.Equal(t, "1", r["csr_num_of_service_locations"], "%v", r)
				}
			}
			assert.NotZero(t, checked)
		}
	}
	// A csr run's results are a port-in manifest (csr_* columns are
	// port-in aliases): the ok rows validate and the failed lookup does not.
	out := filepath.Join(dir, "seeded")
	res := s.runNoFollow(t, "port-in", filepath.Join(dir, "csr", "results.xlsx"), out, "--dry-run")
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)
	seeded := map[string]int{}
	for _, r := range readResults(t, filepath.Join(out, "results.xlsx")) {
		seeded[r["iqbulk_status"]]++
	}
	assert.Equal(t, map[string]int{"skipped": 2, "invalid": 1}, seeded)

	// --emit-manifest writes that manifest in port-in's own columns: one
	// row per CSR found, the account and end-user filled from it.
	emitted := filepath.Join(dir, "port-in.csv")
	res = s.runNoFollow(t, "csr", filepath.Join("..", "samples", "csr.csv"), filepath.Join(dir, "csr2"), "--emit-manifest", emitted)
	require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "%s\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "manifest for port-in: "+emitted)
	m := readCSV(t, emitted)
	require.Len(t, m, 2, "the failed lookup is left out")
	for _, r := range m {
		assert.Len(t, r["tn"], 10)
		assert.NotEmpty(t, r["account_num"], "%v", r)
		assert.NotEmpty(t, r["end_user_name"], "%v", r)
		assert.Contains(t, r, "desired_due_date", "port-in's own columns")
	}
	res = s.runNoFollow(t, "port-check", filepath.Join("..", "samples", "csr.csv"), filepath.Join(dir, "pc"), "--emit-manifest", emitted)
	assert.Equal(t, ExitUsage, res.code, "only kinds that seed a manifest take --emit-manifest")
}
