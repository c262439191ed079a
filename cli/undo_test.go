package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// undo runs `iqbulk undo RUN_DIR` against the sandbox.
func (s *simEnv) undo(t *testing.T, runDir string, extra ...string) result {
	t.Helper()
	args := append([]string{"undo", runDir, "--endpoint", s.endpoint, "--rate", "0", "--poll-interval", "20ms"}, extra...)
	return runCLI(t, s.envs, args...)
}

// mustRun runs a job and wants every row ok.
func (s *simEnv) mustRun(t *testing.T, kind, manifest, out string, extra ...string) {
	t.Helper()
	res := s.run(t, kind, manifest, out, extra...)
	require.Equal(t, ExitOK, res.code, "%s\nstdout:\n%s\nstderr:\n%s", kind, res.stdout, res.stderr)
}

// orderNumbers puts n numbers on the account, a note on those i%3 != 0
// ("before-i"), none on the others.
func (s *simEnv) orderNumbers(t *testing.T, dir string, n int) []string {
	t.Helper()
	tns := s.srv.AvailableTNs(n)
	require.Len(t, tns, n)
	var m strings.Builder
	m.WriteString("tn,trunk_group,tn_note\n")
	for i, tn := range tns {
		note := ""
		if i%3 != 0 {
			note = fmt.Sprintf("before-%d", i)
		}
		fmt.Fprintf(&m, "%s,TG_CHICAGO_01,%s\n", tn, note)
	}
	s.mustRun(t, "tn-order", writeFile(t, filepath.Join(dir, "order.csv"), m.String()), filepath.Join(dir, "order"))
	return tns
}

func undoneBy(t *testing.T, runDir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(runDir, "summary.json"))
	require.NoError(t, err)
	var s struct {
		Extra map[string]any `json:"extra"`
	}
	require.NoError(t, json.Unmarshal(data, &s))
	v, _ := s.Extra["undoes"].(string)
	return v
}

// TestUndoNotes: notes on 500 numbers (a third had none), undone: every
// note is what it was, the empty ones empty (removed).
func TestUndoNotes(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.orderNumbers(t, dir, 500)
	before := s.detail(t, tns)

	var m strings.Builder
	m.WriteString("tn,note\n")
	for i, tn := range tns {
		fmt.Fprintf(&m, "%s,after-%d\n", tn, i)
	}
	run := filepath.Join(dir, "notes")
	s.mustRun(t, "tn-note", writeFile(t, filepath.Join(dir, "notes.csv"), m.String()), run)
	after := s.detail(t, tns)
	assert.Equal(t, "after-1", after[tns[1]].TnNote)

	// Writing the manifest sends nothing and says how to run it.
	res := s.undo(t, run)
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "500 rows to restore")
	assert.Contains(t, res.stdout, "iqbulk run tn-note "+filepath.Join(run, "undo.csv")+" --undoes "+run)
	rows := readCSV(t, filepath.Join(run, "undo.csv"))
	require.Len(t, rows, 500)
	assert.Equal(t, map[string]string{"tn": tns[0], "note": "", "remove_note": "Y"}, rows[0])
	assert.Equal(t, map[string]string{"tn": tns[1], "note": "before-1", "remove_note": ""}, rows[1])
	assert.Equal(t, after, s.detail(t, tns), "undo without --run changes nothing")

	undoDir := filepath.Join(dir, "notes-undo")
	res = s.undo(t, run, "--run", "--out", undoDir)
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "undoes: ")
	assert.Contains(t, undoneBy(t, undoDir), run)
	got := s.detail(t, tns)
	for i, tn := range tns {
		assert.Equal(t, before[tn].TnNote, got[tn].TnNote, tn)
		if i%3 == 0 {
			assert.Empty(t, got[tn].TnNote, tn)
		}
	}

	// Undoing again: the numbers hold what they had before the run, so
	// nothing is left to restore.
	res = s.undo(t, run, "-o", filepath.Join(dir, "again.csv"))
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "nothing to undo")
}

// TestUndoRefusesChangedSince: a number changed again after the run is
// named and nothing is written; --rows undoes the others.
func TestUndoRefusesChangedSince(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.orderNumbers(t, dir, 6)
	var m strings.Builder
	m.WriteString("tn,note\n")
	for _, tn := range tns {
		fmt.Fprintf(&m, "%s,wrong\n", tn)
	}
	run := filepath.Join(dir, "notes")
	s.mustRun(t, "tn-note", writeFile(t, filepath.Join(dir, "notes.csv"), m.String()), run)
	s.mustRun(t, "tn-note", writeFile(t, filepath.Join(dir, "later.csv"), "tn,note\n"+tns[2]+",someone else's\n"), filepath.Join(dir, "later"))

	res := s.undo(t, run)
	require.Equal(t, ExitUsage, res.code, res.stdout)
	assert.Contains(t, res.stderr, tns[2]+" changed since the run")
	assert.Contains(t, res.stderr, `now note="someone else's"; the run set note="wrong"`)
	assert.NoFileExists(t, filepath.Join(run, "undo.csv"))

	rowsFile := writeFile(t, filepath.Join(dir, "rows.txt"), "tn\n"+tns[0]+"\n"+tns[1]+"\n")
	res = s.undo(t, run, "--rows", rowsFile, "--run", "--out", filepath.Join(dir, "partial"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	got := s.detail(t, tns)
	assert.Empty(t, got[tns[0]].TnNote)
	assert.Equal(t, "before-1", got[tns[1]].TnNote)
	assert.Equal(t, "someone else's", got[tns[2]].TnNote, "left alone")
	assert.Equal(t, "wrong", got[tns[3]].TnNote, "not in --rows")
}

// TestUndoValueKinds: a trunk-group move, an E911 change and a campaign
// assignment, each undone; a value empty before is removed.
func TestUndoValueKinds(t *testing.T) {
	// Pre-provisioned Chicago numbers (E911 supported there).
	tns := []string{"3123489651", "3123489652", "3123489653", "3123489654", "3123489655", "3123489656"}
	addrA := ",James Holden,550,W Adams St,,Chicago,IL,60661,\n"
	addrB := ",Naomi Nagata,200,N Michigan Ave,Suite 5,Chicago,IL,60611,\n"
	e911Header := "tn,name,street_num,street_info,location,city,state,postal_code,postal_code_plus_four\n"
	tests := []struct {
		name   string
		kind   string
		setup  func(tn string, i int) string // rows of a run before the one undone ("" = none)
		setupH string
		change func(tn string, i int) string
		header string
		value  func(d inteliquent.TnDetailItem, s *simEnv, t *testing.T) string
		parts  []string
		// list reads the values from a listing, by number (instead of value)
		list func(s *simEnv, t *testing.T) map[string]string
		// destructive: the undo removes something (--yes outside the sandbox)
		destructive bool
	}{
		{
			name: "trunk group", kind: "tn-trunk-group", header: "tn,trunk_group\n",
			change: func(tn string, _ int) string { return tn + ",TG_DALLAS_01\n" },
			value:  func(d inteliquent.TnDetailItem, _ *simEnv, _ *testing.T) string { return d.TrunkGroup },
			parts:  []string{"tn-trunk-group"},
		},
		{
			name: "e911", kind: "e911", header: e911Header, setupH: e911Header,
			setup: func(tn string, i int) string {
				if i%2 == 0 {
					return tn + addrA
				}
				return ""
			},
			change: func(tn string, _ int) string { return tn + addrB },
			value: func(d inteliquent.TnDetailItem, _ *simEnv, _ *testing.T) string {
				if d.TnFeature == nil || d.TnFeature.E911 == nil {
					return ""
				}
				e := d.TnFeature.E911
				return strings.Trim(strings.Join([]string{e.Name, string(e.OrigStreetNum), e.OrigStreetInfo, e.OrigLocation, e.OrigCity, e.OrigState, string(e.OrigPostalCode)}, "|"), "|")
			},
			parts: []string{"e911", "e911-remove"}, destructive: true,
		},
		{
			name: "messaging", kind: "messaging", header: "tn,message_class,message_type\n", setupH: "tn,message_class,message_type\n",
			setup: func(tn string, i int) string {
				if i%2 == 0 {
					return tn + ",A2PLC,SMS\n"
				}
				return ""
			},
			change: func(tn string, _ int) string { return tn + ",P2P,SMSMMS\n" },
			value: func(d inteliquent.TnDetailItem, _ *simEnv, _ *testing.T) string {
				if d.TnFeature == nil || d.TnFeature.Messaging == nil {
					return ""
				}
				return d.TnFeature.Messaging.MessageClass + d.TnFeature.Messaging.MessageType
			},
			parts: []string{"messaging", "messaging-remove"}, destructive: true,
		},
		{
			name: "port-out pin", kind: "tn-pin", header: "tn,port_out_pin\n", setupH: "tn,port_out_pin\n",
			setup:  func(tn string, i int) string { return fmt.Sprintf("%s,%d\n", tn, 1000+i) },
			change: func(tn string, _ int) string { return tn + ",9876\n" },
			value:  func(d inteliquent.TnDetailItem, _ *simEnv, _ *testing.T) string { return d.PortOutPin },
			parts:  []string{"tn-pin"},
		},
		{
			name: "forwarding", kind: "tn-forward", header: "tn,forward_to\n", setupH: "tn,forward_to\n",
			setup: func(tn string, i int) string {
				if i%2 == 0 {
					return tn + ",3123752629\n"
				}
				return ""
			},
			change: func(tn string, _ int) string { return tn + ",3123752630\n" },
			list: func(s *simEnv, t *testing.T) map[string]string {
				resp, err := s.api.TnForwardList(t.Context(), &inteliquent.ForwardListRequest{})
				require.NoError(t, err)
				out := map[string]string{}
				for _, e := range resp.TnForwardList {
					out[string(e.TN)] = string(e.ForwardTo)
				}
				return out
			},
			parts: []string{"tn-forward"},
		},
		{
			name: "e911 notification emails", kind: "e911-notify", header: "tn,emails\n", setupH: "tn,emails\n",
			setup: func(tn string, i int) string {
				if i%2 == 0 {
					return tn + ",noc@example.com;ops@example.com\n"
				}
				return ""
			},
			change: func(tn string, _ int) string { return tn + ",ops@example.com;desk@example.com\n" },
			list: func(s *simEnv, t *testing.T) map[string]string {
				out := map[string]string{}
				for _, tn := range tns {
					resp, err := s.api.TnE911NotificationList(t.Context(), &inteliquent.TnE911NotificationListRequest{
						TnE911Notification: inteliquent.TnE911Notification{TN: inteliquent.TN(tn)}})
					if inteliquent.Code(err) == "430" {
						continue
					}
					require.NoError(t, err)
					out[tn] = strings.Join(resp.Addresses(), ";")
				}
				return out
			},
			parts: []string{"e911-notify-remove"},
		},
		{
			name: "campaign", kind: "campaign-assign", header: "tn,campaign_id\n", setupH: "tn,campaign_id\n",
			setup: func(tn string, i int) string {
				if i%2 == 0 {
					return tn + ",CA1B2C3\n"
				}
				return ""
			},
			change: func(tn string, _ int) string { return tn + ",CXFXN8B\n" },
			parts:  []string{"campaign-assign", "campaign-remove"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSimEnv(t, sandbox.Options{})
			dir := t.TempDir()
			if tt.setup != nil {
				var m strings.Builder
				m.WriteString(tt.setupH)
				for i, tn := range tns {
					m.WriteString(tt.setup(tn, i))
				}
				s.mustRun(t, tt.kind, writeFile(t, filepath.Join(dir, "setup.csv"), m.String()), filepath.Join(dir, "setup"))
			}
			read := func() map[string]string {
				out := map[string]string{}
				if tt.list != nil {
					all := tt.list(s, t)
					for _, tn := range tns {
						out[tn] = all[tn]
					}
					return out
				}
				if tt.value == nil {
					list, err := s.api.TnMessagingCampaignList(t.Context(), &inteliquent.TnMessagingCampaignListRequest{})
					require.NoError(t, err)
					for _, tn := range tns {
						out[tn] = ""
					}
					for _, it := range list.TnMessageCampaignList.TnMessageCampaignItem {
						if _, ok := out[string(it.TN)]; ok {
							out[string(it.TN)] = string(it.MsgCampaignID)
						}
					}
					return out
				}
				for tn, d := range s.detail(t, tns) {
					out[tn] = tt.value(d, s, t)
				}
				return out
			}
			before := read()
			var m strings.Builder
			m.WriteString(tt.header)
			for i, tn := range tns {
				m.WriteString(tt.change(tn, i))
			}
			run := filepath.Join(dir, "change")
			s.mustRun(t, tt.kind, writeFile(t, filepath.Join(dir, "change.csv"), m.String()), run)
			require.NotEqual(t, before, read(), "the run changed the numbers")

			if tt.destructive {
				res := s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo"))
				require.Equal(t, ExitUsage, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
				assert.Contains(t, res.stderr, "pass --yes")
				assert.NoDirExists(t, filepath.Join(dir, "undo"), "no part ran")
			}
			res := s.undo(t, run, "--run", "--yes", "--out", filepath.Join(dir, "undo"))
			require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
			for _, p := range tt.parts {
				assert.Contains(t, res.stdout, p+" ")
			}
			assert.Equal(t, before, read())
			if tt.setup != nil && tt.kind != "tn-pin" {
				assert.Empty(t, before[tns[1]], "the empty ones are empty")
			}
		})
	}
}

// TestUndoOrderDisconnects: a tn-order of 200 numbers undone leaves none on
// the account; a tn-disconnect cannot be undone.
func TestUndoOrderDisconnects(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.orderNumbers(t, dir, 200)
	require.Len(t, s.detail(t, tns), 200)

	res := s.undo(t, filepath.Join(dir, "order"), "--run", "--yes", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "tn-disconnect")
	for tn, d := range s.detail(t, tns) {
		assert.NotEqual(t, "In Service", d.TnStatus, tn)
	}
	assignedNow := map[string]bool{}
	list, err := s.api.TnAssignedList(t.Context(), &inteliquent.TnAssignedListRequest{})
	require.NoError(t, err)
	for _, it := range list.TnBasicList.TnBasicItem {
		assignedNow[string(it.TN)] = true
	}
	for _, tn := range tns {
		assert.False(t, assignedNow[tn], "%s still on the account", tn)
	}

	// The disconnect run itself cannot be undone.
	res = s.undo(t, filepath.Join(dir, "undo"))
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "tn-disconnect cannot be undone")
}

// TestUndoAfterSIGKILL: a tn-note run killed mid-way (SIGKILL: no
// outcome for the batches in flight, the rest never sent) is undone
// without a resume: exactly the numbers it changed are restored.
func TestUndoAfterSIGKILL(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tns := s.orderNumbers(t, dir, 300)
	before := s.detail(t, tns)

	var m strings.Builder
	m.WriteString("tn,note\n")
	for i, tn := range tns {
		fmt.Fprintf(&m, "%s,after-%d\n", tn, i)
	}
	manifest := writeFile(t, filepath.Join(dir, "notes.csv"), m.String())
	run := filepath.Join(dir, "notes")
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "run", "tn-note", manifest, "--out", run,
		"--endpoint", s.endpoint, "--rate", "20", "--concurrency", "2", "--batch-size", "5")
	cmd.Env = append(os.Environ(), "IQBULK_AS_MAIN=1", "IQ_API_KEY="+sandbox.DemoKey, "IQ_API_SECRET="+sandbox.DemoSecret)
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	changed := func() map[string]bool {
		out := map[string]bool{}
		for tn, d := range s.detail(t, tns) {
			if d.TnNote != before[tn].TnNote {
				out[tn] = true
			}
		}
		return out
	}
	// Kill once some numbers have changed (the run paces itself at 20
	// requests per second, two per batch: the test is not racing it).
	killed := false
	for !killed {
		select {
		case err := <-done:
			t.Fatalf("the run finished before it was killed: %v", err)
		default:
		}
		if len(changed()) >= 30 {
			require.NoError(t, cmd.Process.Kill())
			<-done
			killed = true
		}
	}
	hit := changed()
	require.Less(t, len(hit), len(tns), "killed mid-way")

	res := s.undo(t, run)
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	undone := map[string]bool{}
	for _, r := range readCSV(t, filepath.Join(run, "undo.csv")) {
		undone[r["tn"]] = true
	}
	assert.Equal(t, hit, undone, "exactly the numbers the killed run changed")

	res = s.undo(t, run, "--run", "-o", filepath.Join(dir, "undo.csv"), "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	after := s.detail(t, tns)
	for _, tn := range tns {
		assert.Equal(t, before[tn].TnNote, after[tn].TnNote, tn)
	}
}

// TestUndoTollFreeRouting: a routing-label change on toll-free numbers
// (tfUpdate, an order) is undone to the labels tfDetail showed before.
func TestUndoTollFreeRouting(t *testing.T) {
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	tfs := []string{"8553489654", "8663489655"}
	label := func() []string {
		var out []string
		for _, tn := range tfs {
			out = append(out, s.srv.TollFree(tn).RoutingLabel)
		}
		return out
	}
	before := label()
	var m strings.Builder
	m.WriteString("tn,routing_label\n")
	for _, tn := range tfs {
		m.WriteString(tn + ",NTCHI-1050-8XX-950\n")
	}
	run := filepath.Join(dir, "move")
	s.mustRun(t, "tf-routing", writeFile(t, filepath.Join(dir, "move.csv"), m.String()), run)
	require.Equal(t, []string{"NTCHI-1050-8XX-950", "NTCHI-1050-8XX-950"}, label())

	res := s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Equal(t, before, label())
}
