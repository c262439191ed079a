package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/sandbox"
)

// simEnv is a sandbox behind httptest on 127.0.0.1 with a fast clock, the
// environment to reach it, and a client to check its state.
type simEnv struct {
	srv      *sandbox.Server
	endpoint string
	envs     map[string]string
	api      *inteliquent.Client
}

func newSimEnv(t *testing.T, opts sandbox.Options) *simEnv {
	t.Helper()
	if opts.ClockSpeed == 0 {
		opts.ClockSpeed = 2000 // an order of 100 numbers closes in ~20 ms
	}
	srv, err := sandbox.New(opts)
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	endpoint := hs.URL + "/Services/1.0.0"
	api, err := inteliquent.New(inteliquent.Config{BaseURL: endpoint, Key: sandbox.DemoKey, Secret: sandbox.DemoSecret})
	require.NoError(t, err)
	return &simEnv{srv: srv, endpoint: endpoint, api: api,
		envs: map[string]string{"IQ_API_KEY": sandbox.DemoKey, "IQ_API_SECRET": sandbox.DemoSecret}}
}

// run runs `iqbulk run KIND MANIFEST` against the sandbox with follow-up.
func (s *simEnv) run(t *testing.T, kind, manifest, out string, extra ...string) result {
	t.Helper()
	args := append([]string{"run", kind, manifest, "--out", out, "--endpoint", s.endpoint, "--rate", "0",
		"--follow", "--poll-interval", "20ms", "--follow-timeout", "2m"}, extra...)
	return runCLI(t, s.envs, args...)
}

// detail reads numbers' tnDetail records (absent: not on the account).
func (s *simEnv) detail(t *testing.T, tns []string) map[string]inteliquent.TnDetailItem {
	t.Helper()
	out := map[string]inteliquent.TnDetailItem{}
	for start := 0; start < len(tns); start += 100 {
		req := &inteliquent.TnDetailRequest{PageSort: &inteliquent.PageSort{Size: 100}}
		for _, tn := range tns[start:min(start+100, len(tns))] {
			req.TnSearchList.TnSearchItem = append(req.TnSearchList.TnSearchItem, inteliquent.TnSearchItem{TnMask: tn})
		}
		for d, err := range s.api.TnDetailIter(context.Background(), req) {
			require.NoError(t, err)
			out[string(d.TN)] = d
		}
	}
	return out
}

// readResults reads a results (or excluded) file, CSV or XLSX, into
// header-keyed maps.
func readResults(t *testing.T, path string) []map[string]string {
	t.Helper()
	r, err := readers.Open(path, readers.Options{})
	require.NoError(t, err)
	defer r.Close()
	header := r.Header()
	var out []map[string]string
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		m := map[string]string{}
		for i, h := range header {
			if i < len(row.Values) {
				m[h] = row.Values[i]
			}
		}
		out = append(out, m)
	}
}

func countStatus(rows []map[string]string) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		out[r["status"]]++
	}
	return out
}

// TestLifecycleSamplesRunEndToEnd runs every lifecycle kind from its XLSX
// sample, in migration order, against one sandbox, and checks the
// sandbox's state after each step.
func TestLifecycleSamplesRunEndToEnd(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	sample := func(kind string) string { return filepath.Join("..", "samples", kind+".xlsx") }
	step := func(kind string, extra ...string) []map[string]string {
		out := filepath.Join(dir, kind)
		res := s.run(t, kind, sample(kind), out, extra...)
		require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "%s\nstdout:\n%s\nstderr:\n%s", kind, res.stdout, res.stderr)
		rows := readResults(t, filepath.Join(out, "results.xlsx"))
		c := countStatus(rows)
		assert.Zero(t, c["invalid"], "%s: the sample is valid: %v", kind, rows)
		assert.Zero(t, c["pending"], "%s: followed until final", kind)
		assert.Zero(t, c["failed"], "%s: %v", kind, rows)
		return rows
	}

	rows := step("tn-reserve")
	assert.Equal(t, map[string]int{"ok": 3}, countStatus(rows))
	reserved, err := s.api.TnReservedList(context.Background(), &inteliquent.TnReservedListRequest{})
	require.NoError(t, err)
	assert.Len(t, reserved.ReservedTns, 3)

	rows = step("tn-release")
	assert.Equal(t, map[string]int{"ok": 3}, countStatus(rows))
	reserved, err = s.api.TnReservedList(context.Background(), &inteliquent.TnReservedListRequest{})
	require.NoError(t, err, "430 No Result Found is an empty list")
	assert.Empty(t, reserved.ReservedTns, "nothing reserved any more")

	rows = step("tn-order")
	d := s.detail(t, []string{"2015540100", "2015540101", "2015540102", "2015540103", "2015540104"})
	for i, r := range rows {
		if r["status"] == "ok" {
			tn := fmt.Sprintf("201554010%d", i)
			assert.Equal(t, "In Service", d[tn].TnStatus, tn)
		}
	}
	require.Equal(t, "ok", rows[2]["status"], "the featured row: %v", rows[2])
	dd := d["2015540102"]
	require.NotNil(t, dd.TnFeature)
	require.NotNil(t, dd.TnFeature.CallerID)
	assert.Equal(t, "ACME CORP", dd.TnFeature.CallerID.CallingName)
	require.NotNil(t, dd.TnFeature.E911)
	assert.Equal(t, "W Adams St", dd.TnFeature.E911.OrigStreetInfo)
	assert.NotEmpty(t, rows[2]["order_id"], "a featured order has an orderId")

	step("tn-trunk-group", "--yes")
	d = s.detail(t, []string{"3123489651", "3123489653"})
	assert.Equal(t, "TG_CHICAGO_02", d["3123489651"].TrunkGroup)
	assert.Equal(t, "TG_NEWYORK_01", d["3123489653"].TrunkGroup)

	res := s.run(t, "tn-feature", sample("tn-feature"), filepath.Join(dir, "tn-feature-no"))
	require.Equal(t, ExitUsage, res.code, "tn-feature is destructive: --yes outside the sandbox")
	rows = step("tn-feature", "--yes")
	d = s.detail(t, []string{"3123489654", "3123489655"})
	if rows[0]["status"] == "ok" {
		assert.Equal(t, "ACME CORP", d["3123489654"].TnFeature.CallerID.CallingName)
	}
	if rows[1]["status"] == "ok" {
		assert.Equal(t, "Acme Corp", d["3123489655"].TnFeature.E911.Name)
	}

	step("tn-pin")
	step("tn-note")
	d = s.detail(t, []string{"3123489651", "3123489653"})
	assert.Equal(t, "migration wave 1 - New York", d["3123489653"].TnNote)
	assert.Equal(t, "8642", d["3123489651"].PortOutPin)

	rows = step("tn-disconnect", "--yes")
	assert.Equal(t, map[string]int{"ok": 2}, countStatus(rows))
	d = s.detail(t, []string{"3123489658", "3123489659"})
	assert.Empty(t, d, "disconnected numbers left the account once the order closed")
}

// TestDisconnectNeedsYesAndDryRunChecks: outside the embedded sandbox a
// destructive kind needs --yes; its dry run needs none, sends nothing that
// changes state (audit log) and checks each number is In Service.
func TestDisconnectNeedsYesAndDryRunChecks(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	manifest := writeFile(t, filepath.Join(dir, "d.csv"), "tn,site\n3123489651,A\n5555550100,B\n3123489652,C\n")

	res := s.run(t, "tn-disconnect", manifest, filepath.Join(dir, "no"))
	require.Equal(t, ExitUsage, res.code, res.stdout)
	assert.Contains(t, res.stderr, "--yes")
	assert.Empty(t, s.srv.Audit(), "refused before anything was sent")

	out := filepath.Join(dir, "dry")
	res = s.run(t, "tn-disconnect", manifest, out, "--dry-run")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 3)
	assert.Equal(t, "skipped", rows[0]["status"])
	assert.Contains(t, rows[0]["message"], "In Service")
	assert.Equal(t, "excluded", rows[1]["status"])
	assert.Contains(t, rows[1]["message"], "not on the account")
	assert.Equal(t, "skipped", rows[2]["status"])
	assert.Empty(t, s.srv.Audit(), "a dry run sends nothing that changes state")
	assert.Equal(t, "In Service", s.detail(t, []string{"3123489651"})["3123489651"].TnStatus)

	res = s.run(t, "tn-disconnect", manifest, filepath.Join(dir, "yes"), "--yes")
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows = readCSV(t, filepath.Join(dir, "yes", "results.csv"))
	assert.Equal(t, []string{"ok", "excluded", "ok"}, []string{rows[0]["status"], rows[1]["status"], rows[2]["status"]})
	audit := s.srv.Audit()
	require.Len(t, audit, 1, "one tnDisconnect")
	assert.Equal(t, "tnDisconnect", audit[0].Op)
}

// TestOrderFeatureExclusions: a featured order's rows wait for the order;
// a feature the API refuses (E911 address "00000", a calling name the
// sandbox cannot store...) comes back from excludedFeatureList /
// excludedE911Detail after follow-up, and excluded.csv lists it.
func TestOrderFeatureExclusions(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.srv.AvailableTNs(3)
	e911 := "Hope Trope,100,W Adams St,Chicago,IL,"
	manifest := writeFile(t, filepath.Join(dir, "o.csv"),
		"tn,calling_name,e911_name,e911_street_num,e911_street_info,e911_city,e911_state,e911_postal_code\n"+
			tns[0]+",ACME,"+e911+"60661\n"+
			tns[1]+",ACME,"+e911+"00000\n"+
			"5555550100,ACME,"+e911+"60661\n")
	out := filepath.Join(dir, "run")
	res := s.run(t, "tn-order", manifest, out)
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	require.Len(t, rows, 3)
	assert.Equal(t, "excluded", rows[1]["status"], "%v", rows[1])
	assert.Contains(t, rows[1]["message"], "E911")
	assert.Equal(t, "excluded", rows[2]["status"], "refused at once: %v", rows[2])
	assert.Contains(t, rows[2]["message"], "inventory")
	// The rows that went through keep the partial success's status text.
	assert.Contains(t, rows[0]["message"], "the answer excluded 1 number of this batch (excluded.csv); its status: {", "%v", rows[0])
	assert.Contains(t, rows[0]["message"], "5555550100", "%v", rows[0])
	excluded := readCSV(t, filepath.Join(out, "excluded.csv"))
	var kinds []string
	for _, x := range excluded {
		kinds = append(kinds, x["kind"]+":"+x["tn"])
	}
	assert.Contains(t, kinds, "e911:"+tns[1])
	assert.Contains(t, kinds, "tn:5555550100")

	// The excluded export asks the API again for the run's orders: the
	// background exclusion comes back with its submitted address.
	exp := filepath.Join(dir, "excluded-export.csv")
	res = runCLI(t, s.envs, "export", "excluded", "--run-dir", out, "-o", exp, "--endpoint", s.endpoint, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	got := map[string]map[string]string{}
	for _, x := range readCSV(t, exp) {
		got[x["kind"]+":"+x["tn"]] = x
		assert.Equal(t, rows[1]["order_id"], x["order_id"])
	}
	require.Len(t, got, 2, "%v", got)
	assert.Equal(t, "00000", got["e911:"+tns[1]]["e911_postal_code"])
	assert.Contains(t, got["tn:5555550100"]["reason"], "inventory")
	assert.Equal(t, "sandbox.user@iqbulk.example", got["tn:5555550100"]["display_name"], "excludedTnList's displayName reaches the export")
	ref := got["tn:5555550100"]["customer_order_reference"]
	require.NotEmpty(t, ref)

	// By --order-id alone the export knows no reference: excludedTnList's
	// own customerOrderReference and orderId fill the row.
	byID := filepath.Join(dir, "excluded-by-id.csv")
	res = runCLI(t, s.envs, "export", "excluded", "--order-id", rows[1]["order_id"], "-o", byID, "--endpoint", s.endpoint, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	var tnRows int
	for _, x := range readCSV(t, byID) {
		if x["kind"] != "tn" {
			continue
		}
		tnRows++
		assert.Equal(t, ref, x["customer_order_reference"], "%v", x)
		assert.Equal(t, rows[1]["order_id"], x["order_id"], "%v", x)
		assert.Equal(t, "sandbox.user@iqbulk.example", x["display_name"], "%v", x)
	}
	assert.Equal(t, 1, tnRows)
	res = runCLI(t, s.envs, "export", "excluded", "-o", exp, "--endpoint", s.endpoint)
	assert.Equal(t, ExitUsage, res.code, "excluded needs --order-id or --run-dir")

	d := s.detail(t, tns[:2])
	assert.Equal(t, "In Service", d[tns[1]].TnStatus, "the number is ordered; only its E911 was refused")
	if f := d[tns[1]].TnFeature; f != nil && f.E911 != nil {
		assert.Empty(t, f.E911.Name, "the refused E911 was not applied")
	}
}

// TestTemplateRoundTrip: `iqbulk template KIND -o x.xlsx` writes a manifest
// that `iqbulk run KIND x.xlsx --dry-run` accepts, and `iqbulk jobs` lists
// every kind with its operation and whether it is destructive.
func TestTemplateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	envs := map[string]string{"IQBULK_SANDBOX_STATE": filepath.Join(dir, "sandbox")}
	res := runCLI(t, envs, "jobs")
	require.Equal(t, ExitOK, res.code, res.stderr)
	for _, want := range []string{"tn-disconnect", "tnDisconnect", "tn-trunk-group", "tnUpdate", "tn-feature", "tnFeatureOrder",
		"remove_e911", "tn-pin", "portOutPinUpdate", "tn-reserve", "tnReserve", "tn-release", "tnRelease", "e911_street_info", "messaging_class"} {
		assert.Contains(t, res.stdout, want)
	}
	assert.Regexp(t, `tn-disconnect — [^\n]*\n[^\n]*\n[^\n]*DESTRUCTIVE`, res.stdout)

	for _, kind := range []string{"tn-order", "tn-disconnect", "tn-trunk-group", "tn-feature", "tn-pin", "tn-note", "tn-reserve", "tn-release"} {
		path := filepath.Join(dir, kind+".xlsx")
		res := runCLI(t, envs, "template", kind, "-o", path)
		require.Equal(t, ExitOK, res.code, res.stderr)
		out := filepath.Join(dir, "run-"+kind)
		res = runCLI(t, envs, "run", kind, path, "--out", out, "--dry-run")
		require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "%s: %s", kind, res.stderr)
		rows := readResults(t, filepath.Join(out, "results.xlsx"))
		require.Len(t, rows, 1, kind)
		assert.NotEqual(t, "invalid", rows[0]["status"], "%s: the template's example row is valid: %v", kind, rows[0])
	}
	audit, err := sandbox.ReadAudit(filepath.Join(dir, "sandbox"))
	require.NoError(t, err)
	assert.Empty(t, audit, "dry runs only")
}

// TestMigrationScenario1000 is a migration of 1,000 numbers, every step
// through `iqbulk run --follow`: reserve → order with features →
// trunk-group move → PIN + note → disconnect, with the sandbox's state
// checked after each step.
func TestMigrationScenario1000(t *testing.T) {
	if testing.Short() {
		t.Skip("the 1,000-number scenario is not run with -short")
	}
	s := newSimEnv(t, sandbox.Options{ClockSpeed: 5000})
	dir := t.TempDir()
	tns := s.srv.AvailableTNs(1000)
	require.Len(t, tns, 1000)
	manifest := func(name, header string, line func(i int, tn string) string) string {
		var b strings.Builder
		b.WriteString(header + "\n")
		for i, tn := range tns {
			b.WriteString(line(i, tn) + "\n")
		}
		return writeFile(t, filepath.Join(dir, name), b.String())
	}
	step := func(kind, m string, extra ...string) []map[string]string {
		out := filepath.Join(dir, "run-"+kind+"-"+filepath.Base(m))
		res := s.run(t, kind, m, out, append(extra, "--concurrency", "4")...)
		require.Contains(t, []int{ExitOK, ExitRowsNotOK}, res.code, "%s\n%s\n%s", kind, res.stdout, res.stderr)
		rows := readCSV(t, filepath.Join(out, "results.csv"))
		require.Len(t, rows, 1000)
		c := countStatus(rows)
		assert.Zero(t, c["pending"]+c["invalid"]+c["failed"], "%s: %v", kind, c)
		return rows
	}
	ctx := context.Background()

	// 1. Reserve.
	rows := step("tn-reserve", manifest("reserve.csv", "tn", func(_ int, tn string) string { return tn }))
	assert.Equal(t, 1000, countStatus(rows)["ok"])
	rl, err := s.api.TnReservedList(ctx, &inteliquent.TnReservedListRequest{})
	require.NoError(t, err)
	assert.Len(t, rl.ReservedTns, 1000)

	// 2. Order with features: a calling name on all, E911 on every tenth
	// (every fiftieth with an address the sandbox refuses).
	rows = step("tn-order", manifest("order.csv",
		"tn,trunk_group,calling_name,e911_name,e911_street_num,e911_street_info,e911_city,e911_state,e911_postal_code",
		func(i int, tn string) string {
			l := tn + ",TG_CHICAGO_01,ACME " + fmt.Sprint(i%100)
			switch {
			case i%50 == 0:
				return l + ",Hope Trope,100,W Adams St,Chicago,IL,00000"
			case i%10 == 0:
				return l + ",Hope Trope,100,W Adams St,Chicago,IL,60661"
			}
			return l + ",,,,,,"
		}))
	d := s.detail(t, tns)
	require.Len(t, d, 1000, "every number is on the account")
	for i, r := range rows {
		tn := tns[i]
		assert.Equal(t, "In Service", d[tn].TnStatus, tn)
		assert.Equal(t, "TG_CHICAGO_01", d[tn].TrunkGroup, tn)
		switch r["status"] {
		case "ok":
			require.NotNil(t, d[tn].TnFeature, tn)
			require.NotNil(t, d[tn].TnFeature.CallerID, tn)
			assert.Equal(t, "ACME "+fmt.Sprint(i%100), d[tn].TnFeature.CallerID.CallingName, tn)
			if i%10 == 0 {
				require.NotNil(t, d[tn].TnFeature.E911, tn)
				assert.Equal(t, "Hope Trope", d[tn].TnFeature.E911.Name, tn)
			}
		case "excluded":
			assert.NotEmpty(t, r["message"], tn)
		default:
			t.Errorf("%s: %v", tn, r)
		}
		if f := d[tn].TnFeature; i%50 == 0 && f != nil && f.E911 != nil {
			assert.Empty(t, f.E911.Name, "%s: a refused E911 is not applied", tn)
		}
	}
	for i := 0; i < 1000; i += 50 {
		assert.Equal(t, "excluded", rows[i]["status"], "E911 address 00000 is refused: %v", rows[i])
	}
	rl, err = s.api.TnReservedList(ctx, &inteliquent.TnReservedListRequest{})
	require.NoError(t, err)
	assert.Empty(t, rl.ReservedTns, "ordering used the reservations")

	// 3. Trunk-group move.
	rows = step("tn-trunk-group", manifest("tg.csv", "tn,trunk_group", func(_ int, tn string) string { return tn + ",TG_DALLAS_01" }), "--yes")
	assert.Equal(t, 1000, countStatus(rows)["ok"])
	d = s.detail(t, tns)
	for _, tn := range tns {
		assert.Equal(t, "TG_DALLAS_01", d[tn].TrunkGroup, tn)
	}

	// 4. PIN and note.
	pins := step("tn-pin", manifest("pin.csv", "tn,port_out_pin", func(i int, tn string) string { return tn + "," + fmt.Sprint(1000+i) }))
	step("tn-note", manifest("note.csv", "tn,note", func(_ int, tn string) string { return tn + ",migrated wave 7" }))
	d = s.detail(t, tns)
	for i, tn := range tns {
		assert.Equal(t, "migrated wave 7", d[tn].TnNote, tn)
		if pins[i]["status"] == "ok" {
			assert.Equal(t, fmt.Sprint(1000+i), d[tn].PortOutPin, tn)
		} else {
			assert.Equal(t, "excluded", pins[i]["status"])
			assert.Contains(t, pins[i]["message"], "not supported", tn)
		}
	}

	// 5. Disconnect.
	rows = step("tn-disconnect", manifest("disco.csv", "tn", func(_ int, tn string) string { return tn }), "--yes")
	assert.Equal(t, 1000, countStatus(rows)["ok"])
	assert.Empty(t, s.detail(t, tns), "every number left the account")

	// No number was sent twice by any step.
	sent := map[string]map[string]int{}
	for _, a := range s.srv.Audit() {
		if sent[a.Op] == nil {
			sent[a.Op] = map[string]int{}
		}
		for _, n := range a.Numbers {
			sent[a.Op][n]++
		}
	}
	for op, m := range sent {
		assert.Len(t, m, 1000, op)
		for n, c := range m {
			if c != 1 {
				t.Errorf("%s sent %s %d times", op, n, c)
			}
		}
	}
}

// TestReserveLimitAndPerNumberExclusions: tnReserve's 431 fails every row
// of the batch with the guide's message (sent once, not retried);
// tn-pin and tn-note exclude, per number, what is not In Service.
func TestReserveLimitAndPerNumberExclusions(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{ReservationLimit: 2})
	dir := t.TempDir()
	tns := s.srv.AvailableTNs(3)
	manifest := writeFile(t, filepath.Join(dir, "r.csv"), "tn\n"+strings.Join(tns, "\n")+"\n")
	res := s.run(t, "tn-reserve", manifest, filepath.Join(dir, "reserve"))
	require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
	rows := readCSV(t, filepath.Join(dir, "reserve", "results.csv"))
	require.Len(t, rows, 3)
	for _, r := range rows {
		assert.Equal(t, "failed", r["status"])
		assert.Contains(t, r["message"], "Request exceeds the maximum number of reserved TNs")
	}
	audit := s.srv.Audit()
	require.Len(t, audit, 1, "431 on tnReserve is not retried")
	assert.Equal(t, "431", audit[0].StatusCode)

	for _, kind := range []string{"tn-pin", "tn-note"} {
		m := writeFile(t, filepath.Join(dir, kind+".csv"), "tn,port_out_pin,note\n3123489651,1234,n\n"+tns[0]+",1234,n\n")
		out := filepath.Join(dir, kind)
		res := s.run(t, kind, m, out)
		require.Equal(t, ExitRowsNotOK, res.code, res.stderr)
		rows := readCSV(t, filepath.Join(out, "results.csv"))
		assert.Equal(t, "ok", rows[0]["status"], kind)
		assert.Equal(t, "excluded", rows[1]["status"], kind)
		assert.NotEmpty(t, rows[1]["message"], kind)
	}
	d := s.detail(t, []string{"3123489651"})["3123489651"]
	assert.Equal(t, "1234", d.PortOutPin)
	assert.Equal(t, "n", d.TnNote)
}
