package cli

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/sandbox"
)

// A manifest mixing a valid, a correctable and an invalid address, on three
// numbers In Service in the sandbox's portfolio.
const e911Mixed = "TN,Name,Street Number,Street,Suite,City,State,ZIP,Site\n" +
	"3123489651,James Holden,550,W Adams St,9th floor,Chicago,IL,60661,valid\n" +
	"3123489652,Naomi Nagata,550,W Adams,,Chicago,IL,60601,correctable\n" +
	"3123489653,Amos Burton,318,28th,,Tucson,AZ,85713,invalid\n"

// provisioned lists the numbers the sandbox's audit log shows tnE911 applied
// to.
func provisioned(t *testing.T, state string) []string {
	t.Helper()
	audit, err := sandbox.ReadAudit(state)
	require.NoError(t, err)
	var out []string
	for _, e := range audit {
		if e.Op == "tnE911" && e.Applied {
			out = append(out, e.Numbers...)
		}
	}
	return out
}

func TestE911Policies(t *testing.T) {
	tests := []struct {
		name        string
		flags       []string
		status      []string // per row
		code        []string
		provisioned []string // from the audit log
		sentE911    int      // tnE911 requests in the audit log
	}{
		{"no validation: the API corrects or refuses", nil,
			[]string{"ok", "ok", "failed"}, []string{"valid", "corrected", "409"},
			[]string{"3123489651", "3123489652"}, 3},
		{"validate first: corrections held for review", []string{"--validate-first"},
			[]string{"ok", "invalid", "invalid"}, []string{"valid", "needs-review", "not-close-enough"},
			[]string{"3123489651"}, 1},
		{"validate first, accept corrections", []string{"--validate-first", "--accept-corrections"},
			[]string{"ok", "ok", "invalid"}, []string{"valid", "corrected", "not-close-enough"},
			[]string{"3123489651", "3123489652"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			state := filepath.Join(dir, "sandbox")
			manifest := writeFile(t, filepath.Join(dir, "m.csv"), e911Mixed)
			out := filepath.Join(dir, "run")
			args := append([]string{"run", "e911", manifest, "--out", out, "--rate", "0"}, tt.flags...)
			res := runCLI(t, map[string]string{"IQBULK_SANDBOX_STATE": state}, args...)
			require.Equal(t, ExitRowsNotOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			rows := readCSV(t, filepath.Join(out, "results.csv"))
			require.Len(t, rows, 3)
			for i := range rows {
				assert.Equal(t, tt.status[i], rows[i]["status"], "row %d: %v", i, rows[i])
				assert.Equal(t, tt.code[i], rows[i]["code"], "row %d: %v", i, rows[i])
			}
			assert.ElementsMatch(t, tt.provisioned, provisioned(t, state), "nothing the policy held back was provisioned")
			audit, err := sandbox.ReadAudit(state)
			require.NoError(t, err)
			sent := 0
			for _, e := range audit {
				if e.Op == "tnE911" {
					sent++
				}
			}
			assert.Equal(t, tt.sentE911, sent)

			// What was sent and what was provisioned, per row.
			assert.Equal(t, "550 W Adams St, 9th floor, Chicago, IL 60661-3665", rows[0]["provisioned_address"])
			if rows[1]["status"] == "ok" {
				assert.Equal(t, "1", rows[1]["provision_result"])
				assert.Equal(t, "W Adams St", rows[1]["provisioned_street_info"])
				assert.Equal(t, "60661", rows[1]["provisioned_postal_code"])
				assert.Contains(t, rows[1]["message"], "CORRECTED: sent 550 W Adams, Chicago, IL 60601")
			}
			if len(tt.flags) > 0 {
				assert.Equal(t, "2", rows[2]["validation_result"])
				assert.Equal(t, "318 W 28th St, Tucson, AZ 85713-2848, USA", rows[2]["candidate_1"])
				assert.Equal(t, "318 E 28th St, Tucson, AZ 85713-2942, USA", rows[2]["candidate_2"])
				assert.Equal(t, "1", rows[1]["validation_result"])
				assert.Equal(t, "invalid", rows[2]["Site"], "the row keeps its own columns")
			} else {
				assert.Contains(t, rows[2]["message"], "Invalid address - no correction found")
				assert.Equal(t, "2", rows[2]["provision_result"])
			}
			failed := readCSV(t, filepath.Join(out, "failed.csv"))
			assert.NotEmpty(t, failed)
		})
	}
}

func TestE911OptionsAreRecordedForResume(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), e911Mixed)
	out := filepath.Join(dir, "run")
	res := runCLI(t, envs, "run", "e911", manifest, "--out", out, "--rate", "0", "--validate-first", "--dry-run")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	assert.Equal(t, []string{"skipped", "invalid", "invalid"}, []string{rows[0]["status"], rows[1]["status"], rows[2]["status"]},
		"a dry run validates (read-only) and provisions nothing")
	assert.Empty(t, provisioned(t, state))

	// Resuming the finished run keeps its options: nothing more is sent.
	res = runCLI(t, envs, "resume", out)
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	assert.Empty(t, provisioned(t, state))

	// An option the job does not take is a usage error.
	res = runCLI(t, envs, "run", "tn-note", manifest, "--out", filepath.Join(dir, "run2"), "--validate-first")
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "does not take the option --validate-first")
	res = runCLI(t, envs, "run", "e911", manifest, "--out", filepath.Join(dir, "run3"), "--accept-corrections")
	assert.Equal(t, ExitUsage, res.code)
}

func TestE911ValidateAndRemove(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "sandbox")
	envs := map[string]string{"IQBULK_SANDBOX_STATE": state}
	manifest := writeFile(t, filepath.Join(dir, "m.csv"), e911Mixed+
		"3123489654,Bad Name \x01,550,W Adams St,,Chicago,Illinois,60661,bad\n")
	res := runCLI(t, envs, "run", "e911-validate", manifest, "--out", filepath.Join(dir, "v"), "--rate", "0")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(dir, "v", "results.csv"))
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"0", "1", "2", ""}, []string{rows[0]["validation_result"], rows[1]["validation_result"], rows[2]["validation_result"], rows[3]["validation_result"]})
	assert.Equal(t, "Corrected to valid address|Corrected ZIP Code|Changed address component", rows[1]["validation_msg"])
	assert.Equal(t, "W Adams St", rows[1]["corrected_street_info"])
	assert.Equal(t, "60661", rows[1]["corrected_postal_code"])
	assert.NotEmpty(t, rows[2]["candidate_2"])
	assert.Equal(t, "invalid", rows[3]["status"])
	assert.Contains(t, rows[3]["message"], "state")
	assert.Empty(t, provisioned(t, state), "validation changes nothing")

	// Provision, then remove.
	require.Equal(t, ExitRowsNotOK, runCLI(t, envs, "run", "e911", manifest, "--out", filepath.Join(dir, "p"), "--rate", "0").code)
	rm := writeFile(t, filepath.Join(dir, "rm.csv"), "tn\n3123489651\n3123489652\n")
	res = runCLI(t, envs, "run", "e911-remove", rm, "--out", filepath.Join(dir, "r"), "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	audit, err := sandbox.ReadAudit(state)
	require.NoError(t, err)
	removed := 0
	for _, e := range audit {
		if e.Op == "tnE911" && e.Applied {
			removed++
		}
	}
	assert.Equal(t, 4, removed, "two provisioned, two removed")
}

func TestE911NotifyAndMessaging(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}
	endpoint := ts.URL + "/Services/1.0.0"

	var eleven []string
	for i := range 11 {
		eleven = append(eleven, fmt.Sprintf("n%d@x.example", i))
	}
	m := writeFile(t, filepath.Join(dir, "n.csv"), "tn,emails\n"+
		"3123489651,noc@x.example;sec@x.example\n"+
		"3125550100,noc@x.example\n"+ // not on the account: 461
		"3123489652,"+strings.Join(eleven[:10], ";")+"\n"+
		"3123489653,"+strings.Join(eleven, ";")+"\n"+ // 11 in one row: invalid before sending
		"3123489654,not-an-email\n")
	res := runCLI(t, envs, "run", "e911-notify", m, "--out", filepath.Join(dir, "n"), "--endpoint", endpoint, "--rate", "0")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(dir, "n", "results.csv"))
	assert.Equal(t, "ok", rows[0]["status"])
	assert.Equal(t, "noc@x.example;sec@x.example", rows[0]["emails_now"])
	assert.Equal(t, "excluded", rows[1]["status"])
	assert.Equal(t, "461", rows[1]["code"])
	assert.Equal(t, "ok", rows[2]["status"])
	assert.Equal(t, "invalid", rows[3]["status"])
	assert.Equal(t, "invalid", rows[4]["status"])
	assert.Equal(t, []string{"noc@x.example", "sec@x.example"}, srv.NotificationEmails("3123489651"))

	// An 11th email on 3123489652: 460, excluded with the API's text.
	m2 := writeFile(t, filepath.Join(dir, "n2.csv"), "tn,emails\n3123489652,"+eleven[10]+"\n3123489651,sec@x.example\n")
	res = runCLI(t, envs, "run", "e911-notify", m2, "--out", filepath.Join(dir, "n2"), "--endpoint", endpoint, "--rate", "0")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows = readCSV(t, filepath.Join(dir, "n2", "results.csv"))
	assert.Equal(t, "excluded", rows[0]["status"])
	assert.Equal(t, "460", rows[0]["code"])
	assert.Contains(t, rows[0]["message"], "10 notification emails")
	assert.Equal(t, "ok", rows[1]["status"], "adding an address already there is harmless")

	res = runCLI(t, envs, "run", "e911-notify-remove", m2, "--out", filepath.Join(dir, "n3"), "--endpoint", endpoint, "--rate", "0")
	rows = readCSV(t, filepath.Join(dir, "n3", "results.csv"))
	assert.Equal(t, "noc@x.example", rows[1]["emails_now"])
	assert.Equal(t, []string{"noc@x.example"}, srv.NotificationEmails("3123489651"))

	cm := writeFile(t, filepath.Join(dir, "c.csv"), "email,remove\nops@x.example,\noncall@x.example,N\n")
	res = runCLI(t, envs, "run", "customer-e911-notify", cm, "--out", filepath.Join(dir, "c"), "--endpoint", endpoint, "--rate", "0")
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows = readCSV(t, filepath.Join(dir, "c", "results.csv"))
	assert.Equal(t, "ops@x.example;oncall@x.example", rows[1]["emails_now"])
	audit := srv.Audit()
	assert.Equal(t, "customerE911Notification", audit[len(audit)-1].Op, "one call for both rows")

	mm := writeFile(t, filepath.Join(dir, "m.csv"), "tn,message_class,message_type\n3123489651,A2PLC,SMSMMS\n3125550100,P2P,SMS\n3123489652,P2P,FAX\n")
	res = runCLI(t, envs, "run", "messaging", mm, "--out", filepath.Join(dir, "m"), "--endpoint", endpoint, "--rate", "0")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows = readCSV(t, filepath.Join(dir, "m", "results.csv"))
	assert.Equal(t, []string{"ok", "excluded", "invalid"}, []string{rows[0]["status"], rows[1]["status"], rows[2]["status"]})
	assert.Equal(t, "425", rows[1]["code"])
	assert.Contains(t, rows[1]["message"], "Please contact Inteliquent messaging team")
}

func TestCampaignAssignAndRemove(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox"), ClockSpeed: 1000})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}
	endpoint := ts.URL + "/Services/1.0.0"
	run := func(job, manifest, out string, extra ...string) []map[string]string {
		args := append([]string{"run", job, manifest, "--out", filepath.Join(dir, out), "--endpoint", endpoint, "--rate", "0",
			"--follow", "--poll-interval", "20ms", "--follow-timeout", "30s"}, extra...)
		res := runCLI(t, envs, args...)
		require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
		return readCSV(t, filepath.Join(dir, out, "results.csv"))
	}
	m := writeFile(t, filepath.Join(dir, "a.csv"), "tn,campaign\n3123489651,CXFXN8B\n3123489652,cxfxn8b\n3125550100,CXFXN8B\n3123489653,CNOSUCH\n3123489654,CTEST01\n")
	rows := run("campaign-assign", m, "a")
	status := func(rows []map[string]string) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r["status"])
		}
		return out
	}
	assert.Equal(t, []string{"ok", "ok", "excluded", "invalid", "invalid"}, status(rows), "%v", rows)
	assert.Equal(t, "425", rows[2]["code"])
	assert.Contains(t, rows[3]["message"], "not in messageCampaigns")
	assert.Contains(t, rows[4]["message"], "ended")
	assert.NotEmpty(t, rows[0]["order_id"])

	list := func() map[string]string {
		audit := srv.Audit()
		_ = audit
		out := map[string]string{}
		for _, tn := range []string{"3123489651", "3123489652", "3123489653", "3123489654"} {
			if c := srv.CampaignOf(tn); c != "" {
				out[tn] = c
			}
		}
		return out
	}
	assert.Equal(t, map[string]string{"3123489651": "CXFXN8B", "3123489652": "CXFXN8B"}, list(), "sandbox state agrees with the results")

	// Move: remove the old campaign, assign the new one.
	rm := writeFile(t, filepath.Join(dir, "r.csv"), "tn,campaign_id\n3123489651,CXFXN8B\n3123489652,\n")
	rows = run("campaign-remove", rm, "r")
	assert.Equal(t, []string{"ok", "ok"}, status(rows), "%v", rows)
	assert.Empty(t, list())
	na := writeFile(t, filepath.Join(dir, "n.csv"), "tn,campaign_id\n3123489651,CA1B2C3\n3123489652,CA1B2C3\n")
	rows = run("campaign-assign", na, "n")
	assert.Equal(t, []string{"ok", "ok"}, status(rows), "%v", rows)
	assert.Equal(t, map[string]string{"3123489651": "CA1B2C3", "3123489652": "CA1B2C3"}, list())

	// All excluded: 432.
	bad := writeFile(t, filepath.Join(dir, "b.csv"), "tn,campaign_id\n3125550100,CA1B2C3\n3125550101,CA1B2C3\n")
	rows = run("campaign-assign", bad, "b")
	assert.Equal(t, []string{"excluded", "excluded"}, status(rows))
	assert.Equal(t, "432", rows[0]["code"])
}

// TestOfficeMoveAndCampaignMove runs the two mass updates end to
// end with iqbulk run: validate then provision N addresses (a mix of valid,
// correctable and invalid), and move N numbers from one campaign to another
// (remove, then assign, following the orders); then checks that the
// sandbox's state agrees with the results files. N is IQBULK_E911_N
// (default 300; bench/e911-scenarios.sh runs 5,000).
func TestOfficeMoveAndCampaignMove(t *testing.T) {
	n := 300
	if v := os.Getenv("IQBULK_E911_N"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	dir := t.TempDir()
	srv, err := sandbox.New(sandbox.Options{StateDir: filepath.Join(dir, "sandbox"), ClockSpeed: 1000})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	envs := map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}
	endpoint := ts.URL + "/Services/1.0.0"
	run := func(job string, manifest, out string, extra ...string) []map[string]string {
		args := append([]string{"run", job, manifest, "--out", filepath.Join(dir, out), "--endpoint", endpoint, "--rate", "0", "--concurrency", "8"}, extra...)
		res := runCLI(t, envs, args...)
		require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
		return readCSV(t, filepath.Join(dir, out, "results.csv"))
	}
	tns := srv.AvailableTNs(n)
	require.Len(t, tns, n)
	rows := run("tn-order", writeFile(t, filepath.Join(dir, "order.csv"), "tn\n"+strings.Join(tns, "\n")+"\n"), "order")
	for _, r := range rows {
		require.Equal(t, "ok", r["status"], "%v", r)
	}

	// Office move: validate everything, then provision with --validate-first.
	var b strings.Builder
	b.WriteString("tn,name,street_num,street_info,city,state,postal_code\n")
	kind := make([]string, n)
	for i, tn := range tns {
		switch {
		case i%25 == 7:
			kind[i] = "invalid"
			fmt.Fprintf(&b, "%s,User %d,318,28th,Tucson,AZ,85713\n", tn, i)
		case i%10 == 3:
			kind[i] = "correctable"
			fmt.Fprintf(&b, "%s,User %d,%d,W Adams,Chicago,IL,60601\n", tn, i, 100+i%900)
		default:
			kind[i] = "valid"
			fmt.Fprintf(&b, "%s,User %d,%d,W Adams St,Chicago,IL,60661\n", tn, i, 100+i%900)
		}
	}
	manifest := writeFile(t, filepath.Join(dir, "move.csv"), b.String())
	want := map[string]string{"valid": "0", "correctable": "1", "invalid": "2"}
	for i, r := range run("e911-validate", manifest, "validate") {
		require.Equal(t, want[kind[i]], r["validation_result"], "row %d", i)
	}
	rows = run("e911", manifest, "provision", "--validate-first")
	for i, r := range rows {
		addr := srv.E911Address(tns[i])
		switch kind[i] {
		case "valid":
			require.Equal(t, "ok", r["status"], "%v", r)
			require.NotNil(t, addr, tns[i])
			assert.Equal(t, r["provisioned_street_info"], addr["origStreetInfo"])
			assert.Equal(t, r["provisioned_street_num"], addr["origStreetNum"])
			assert.Equal(t, r["provisioned_postal_code"], addr["origPostalCode"])
		default:
			require.Equal(t, "invalid", r["status"], "%v", r)
			assert.Nil(t, addr, "%s (%s) was held back", tns[i], kind[i])
		}
	}

	// Campaign move: everything on CXFXN8B, then remove it and assign CA1B2C3.
	list := func(c string) string {
		var b strings.Builder
		b.WriteString("tn,campaign_id\n")
		for _, tn := range tns {
			fmt.Fprintf(&b, "%s,%s\n", tn, c)
		}
		return b.String()
	}
	follow := []string{"--follow", "--poll-interval", "20ms", "--follow-timeout", "60s"}
	for _, r := range run("campaign-assign", writeFile(t, filepath.Join(dir, "old.csv"), list("CXFXN8B")), "old", follow...) {
		require.Equal(t, "ok", r["status"], "%v", r)
	}
	for _, r := range run("campaign-remove", writeFile(t, filepath.Join(dir, "rm.csv"), list("CXFXN8B")), "rm", follow...) {
		require.Equal(t, "ok", r["status"], "%v", r)
	}
	rows = run("campaign-assign", writeFile(t, filepath.Join(dir, "new.csv"), list("CA1B2C3")), "new", follow...)
	for i, r := range rows {
		require.Equal(t, "ok", r["status"], "%v", r)
		assert.Equal(t, "CA1B2C3", srv.CampaignOf(tns[i]))
	}
	audit := srv.Audit()
	campaignCalls := 0
	for _, e := range audit {
		if e.Op == "tnMessagingCampaign" {
			campaignCalls++
			assert.LessOrEqual(t, len(e.Numbers), 100)
		}
	}
	assert.Equal(t, 3*((n+99)/100), campaignCalls, "100 numbers per request, each sent once")
}
