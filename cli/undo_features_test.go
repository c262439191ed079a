package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// featureState is what tnDetail (tfDetail) shows of a number's features,
// one string per feature ("" = none).
func featureState(f *inteliquent.TnFeature, eu *inteliquent.EndUser) map[string]string {
	out := map[string]string{"cnam": "", "dip": "", "dl": "", "e911": "", "messaging": "", "endUser": ""}
	if eu != nil {
		out["endUser"] = eu.Name + "|" + string(eu.StreetNum) + "|" + eu.StreetName + "|" + eu.City
	}
	if f == nil {
		return out
	}
	if c := f.CallerID; c != nil {
		out["cnam"], out["dip"] = c.CallingName, c.CnamDip
	}
	if d := f.DirectoryListing; d != nil && d.LastName != "" {
		out["dl"] = d.LastName + "|" + d.FirstName + "|" + string(d.StreetNum) + "|" + d.StreetName + "|" + d.City
	}
	if e := f.E911; e != nil && e.Name != "" {
		out["e911"] = strings.Join([]string{e.Name, string(e.OrigStreetNum), e.OrigStreetInfo, e.OrigLocation, e.OrigCity, e.OrigState, string(e.OrigPostalCode)}, "|")
	}
	if m := f.Messaging; m != nil && m.MessageClass != "" {
		out["messaging"] = m.MessageClass + "|" + m.MessageType + "|" + string(m.NetNumberID)
	}
	return out
}

// TestUndoTnFeature: caller ID, directory listing, E911, messaging and the
// end user changed on numbers that had them (even rows) and on numbers
// that had none (odd rows), undone: each feature is back, the absent ones
// removed; the end user, which tnFeatureOrder cannot remove, is listed as
// restored in part.
func TestUndoTnFeature(t *testing.T) {
	tns := []string{"3123489651", "3123489652", "3123489653", "3123489654", "3123489655", "3123489656"}
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	const header = "tn,end_user_name,end_user_street_num,end_user_street_name,end_user_city,end_user_state,end_user_postal_code," +
		"calling_name,cnam_dip,dl_last_name,dl_city," +
		"e911_name,e911_street_num,e911_street_info,e911_city,e911_state,e911_postal_code,messaging_class,messaging_type\n"
	var setup strings.Builder
	setup.WriteString(header)
	for i, tn := range tns {
		if i%2 == 0 {
			setup.WriteString(tn + ",Amos Burton,550,Adams,Chicago,IL,60661,OLD NAME,N,Burton,Chicago,Amos Burton,550,W Adams St,Chicago,IL,60661,A2PLC,SMS\n")
		}
	}
	s.mustRun(t, "tn-feature", writeFile(t, filepath.Join(dir, "setup.csv"), setup.String()), filepath.Join(dir, "setup"), "--yes")

	read := func() map[string]map[string]string {
		out := map[string]map[string]string{}
		for tn, d := range s.detail(t, tns) {
			out[tn] = featureState(d.TnFeature, d.EndUser)
		}
		return out
	}
	before := read()
	require.Equal(t, "OLD NAME", before[tns[0]]["cnam"])
	require.Empty(t, before[tns[1]]["cnam"])

	var change strings.Builder
	change.WriteString(header)
	for _, tn := range tns {
		change.WriteString(tn + ",Naomi Nagata,200,Michigan,Chicago,IL,60611,NEW NAME,Y,Nagata,Chicago,Naomi Nagata,200,N Michigan Ave,Chicago,IL,60611,P2P,SMSMMS\n")
	}
	run := filepath.Join(dir, "change")
	s.mustRun(t, "tn-feature", writeFile(t, filepath.Join(dir, "change.csv"), change.String()), run, "--yes")
	after := read()
	require.Equal(t, "NEW NAME", after[tns[1]]["cnam"])

	res := s.undo(t, run, "--run", "--yes", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Contains(t, res.stdout, "6 rows to restore")
	assert.Contains(t, res.stdout, "restored in part: 3 rows: had no end user; tnFeatureOrder cannot remove one")
	got := read()
	for i, tn := range tns {
		for _, f := range []string{"cnam", "dl", "e911", "messaging"} {
			assert.Equal(t, before[tn][f], got[tn][f], "%s %s", tn, f)
		}
		if i%2 == 0 {
			assert.Equal(t, before[tn], got[tn], tn)
		} else {
			assert.Equal(t, after[tn]["endUser"], got[tn]["endUser"], "%s: an end user cannot be removed", tn)
			for _, f := range []string{"cnam", "dl", "e911", "messaging"} {
				assert.Empty(t, got[tn][f], "%s %s removed", tn, f)
			}
		}
	}
	// The odd numbers had no calling name: removing it cannot also put
	// their cnamDip back, and the undo says so.
	assert.Contains(t, res.stdout, "cnamDip left as the run set it")

	res = s.undo(t, run, "-o", filepath.Join(dir, "again.csv"))
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "left alone: 6 rows: already as before the run")
}

// TestUndoTfFeature: a calling name and messaging set on toll-free
// numbers, one of which had a calling name, undone through tfDetail's
// values.
func TestUndoTfFeature(t *testing.T) {
	tfs := []string{"8553489654", "8663489655"}
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	s.mustRun(t, "tf-feature", writeFile(t, filepath.Join(dir, "setup.csv"), "tn,calling_name\n"+tfs[0]+",OLD TF NAME\n"), filepath.Join(dir, "setup"), "--yes")
	read := func() map[string]string {
		out := map[string]string{}
		for _, tn := range tfs {
			st := s.srv.TollFree(tn)
			out[tn] = st.CallingName
		}
		return out
	}
	before := read()
	require.Equal(t, map[string]string{tfs[0]: "OLD TF NAME", tfs[1]: ""}, before)
	run := filepath.Join(dir, "change")
	s.mustRun(t, "tf-feature", writeFile(t, filepath.Join(dir, "change.csv"),
		"tn,calling_name,messaging_class,messaging_type\n"+tfs[0]+",NEW TF NAME,A2P8XX,SMS\n"+tfs[1]+",NEW TF NAME,A2P8XX,SMS\n"), run, "--yes")
	require.Equal(t, map[string]string{tfs[0]: "NEW TF NAME", tfs[1]: "NEW TF NAME"}, read())
	msgs := func() map[string]bool {
		out := map[string]bool{}
		resp, err := s.api.TfFeatureMessageList(t.Context(), &inteliquent.TfFeatureListRequest{})
		if inteliquent.Code(err) == "430" {
			return out
		}
		require.NoError(t, err)
		for _, it := range resp.TfFeatureList.TfFeatureItem {
			out[string(it.TN)] = true
		}
		return out
	}
	require.True(t, msgs()[tfs[0]])

	res := s.undo(t, run, "--run", "--yes", "--out", filepath.Join(dir, "undo"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Equal(t, before, read())
	assert.Empty(t, msgs(), "messaging removed: none had it")
}

// TestUndoMessagingRemoveRestoresCampaign: messaging-remove takes the
// 10DLC campaign with it; its undo provisions messaging again, then
// assigns the campaign (two manifests, run in that order).
func TestUndoMessagingRemoveRestoresCampaign(t *testing.T) {
	tns := []string{"3123489651", "3123489652", "3123489653", "3123489654"}
	s := newSimEnv(t, sandbox.Options{})
	dir := t.TempDir()
	var m, c strings.Builder
	m.WriteString("tn,message_class,message_type\n")
	c.WriteString("tn,campaign_id\n")
	for i, tn := range tns {
		m.WriteString(tn + ",A2PLC,SMS\n")
		if i%2 == 0 {
			c.WriteString(tn + ",CA1B2C3\n")
		}
	}
	s.mustRun(t, "messaging", writeFile(t, filepath.Join(dir, "m.csv"), m.String()), filepath.Join(dir, "m"))
	s.mustRun(t, "campaign-assign", writeFile(t, filepath.Join(dir, "c.csv"), c.String()), filepath.Join(dir, "c"))
	read := func() map[string]string {
		out := map[string]string{}
		for tn, d := range s.detail(t, tns) {
			out[tn] = featureState(d.TnFeature, nil)["messaging"]
		}
		list, err := s.api.TnMessagingCampaignList(t.Context(), &inteliquent.TnMessagingCampaignListRequest{})
		require.NoError(t, err)
		for _, it := range list.TnMessageCampaignList.TnMessageCampaignItem {
			if _, ok := out[string(it.TN)]; ok {
				out[string(it.TN)] += " campaign " + string(it.MsgCampaignID)
			}
		}
		return out
	}
	before := read()
	require.Equal(t, "A2PLC|SMS| campaign CA1B2C3", before[tns[0]])
	require.Equal(t, "A2PLC|SMS|", before[tns[1]])

	var r strings.Builder
	r.WriteString("tn\n")
	for _, tn := range tns {
		r.WriteString(tn + "\n")
	}
	run := filepath.Join(dir, "remove")
	s.mustRun(t, "messaging-remove", writeFile(t, filepath.Join(dir, "r.csv"), r.String()), run, "--yes")
	require.Equal(t, "", read()[tns[0]], "messaging and campaign gone")

	res := s.undo(t, run)
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	iMsg := strings.Index(res.stdout, "iqbulk run messaging ")
	iCamp := strings.Index(res.stdout, "iqbulk run campaign-assign ")
	require.True(t, iMsg >= 0 && iCamp > iMsg, "messaging first, then the campaign:\n%s", res.stdout)
	assert.Len(t, readCSV(t, filepath.Join(run, "undo.campaign-assign.csv")), 2)

	res = s.undo(t, run, "--run", "--out", filepath.Join(dir, "undo"), "-o", filepath.Join(dir, "undo.csv"))
	require.Equal(t, ExitOK, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	assert.Equal(t, before, read())
}
