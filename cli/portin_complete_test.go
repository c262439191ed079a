package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestPortInCompleteness (issue 15 item 5) runs port-in against the
// sandbox with the reseller name, location 3, on-net-only and messaging
// columns: a Canadian number with a reseller name ports; one without is
// invalid naming reseller_name and never sent; an off-net number of an
// on-net-only order is excluded; messaging and location 3 reach the ported
// number (tnDetail) and orderDetail echoes them.
func TestPortInCompleteness(t *testing.T) {
	clock := &testClock{t: time.Now()}
	s := newSimEnv(t, sandbox.Options{ClockSpeed: 1, Now: clock.Now})
	dir := t.TempDir()
	us := s.srv.PortableTNsIn("0", 2)
	ca := s.srv.PortableTNsIn("CAN", 2)
	off := s.srv.PortableTNsIn("1", 1)
	require.Len(t, us, 2)
	require.Len(t, ca, 2)
	require.Len(t, off, 1)
	due := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	auth := time.Now().Format(time.DateOnly)
	header := "tn,account_num,atn,auth_name,auth_date,end_user_name,street_num,street_name,city,state,postal_code,type_of_service," +
		"desired_due_date,reseller_name,on_net_only,location_type3,location_value3,trunk_group,messaging_class,messaging_type\n"
	row := func(tn, zip, reseller, onNet, lt3, lv3, tg, mc, mt string) string {
		return strings.Join([]string{tn, "A1", tn, "Jean Blues", auth, "Jean Blues", "101", "Main", "Miami", "FL", zip, "B",
			due, reseller, onNet, lt3, lv3, tg, mc, mt}, ",") + "\n"
	}
	manifest := writeFile(t, filepath.Join(dir, "port.csv"), header+
		row(us[0], "33124", "", "", "Ste", "900", "CHCGIL24CL1_897", "A2PLC", "SMSMMS")+
		row(ca[0], "M5H 2N2", "Rogers", "", "", "", "", "", "")+
		row(ca[1], "M5H 2N2", "", "", "", "", "", "", "")+
		row(off[0], "33124", "", "Y", "", "", "", "", "")+
		row(us[1], "33124", "", "Y", "", "", "", "", ""))
	out := filepath.Join(dir, "run")
	res := s.runNoFollow(t, "port-in", manifest, out)
	require.Equal(t, ExitRowsNotOK, res.code, "%s\n%s", res.stdout, res.stderr)

	// The number without reseller name was never sent.
	sent := map[string]bool{}
	for _, e := range s.srv.Audit() {
		if e.Op == "portInOrder" && e.Applied {
			for _, n := range e.Numbers {
				sent[n] = true
			}
		}
	}
	assert.False(t, sent[ca[1]], "a row refused at parse is never sent")
	assert.True(t, sent[ca[0]] && sent[us[0]] && sent[us[1]] && sent[off[0]], "%v", sent)

	clock.Advance(10 * 24 * time.Hour) // FOC and port date pass
	s.follow(t, out)
	rows := byTN(readResults(t, filepath.Join(out, "results.csv")))
	assert.Equal(t, "invalid", rows[ca[1]]["status"])
	assert.Contains(t, rows[ca[1]]["message"], "reseller_name")
	assert.Equal(t, "ok", rows[ca[0]]["status"], "%v", rows[ca[0]])
	assert.Equal(t, "ok", rows[us[0]]["status"], "%v", rows[us[0]])
	assert.Equal(t, "ok", rows[us[1]]["status"], "%v", rows[us[1]])
	assert.Equal(t, "excluded", rows[off[0]]["status"], "on-net only: %v", rows[off[0]])
	assert.Contains(t, rows[off[0]]["message"], "on-net")

	d := s.detail(t, []string{us[0], ca[0]})
	require.Contains(t, d, us[0])
	got := d[us[0]]
	assert.Equal(t, "In Service", got.TnStatus)
	require.NotNil(t, got.TnFeature)
	require.NotNil(t, got.TnFeature.Messaging, "messaging enabled on the ported number")
	assert.Equal(t, "A2PLC", got.TnFeature.Messaging.MessageClass)
	assert.Equal(t, "SMSMMS", got.TnFeature.Messaging.MessageType)
	require.NotNil(t, got.EndUser)
	assert.Equal(t, "Ste", got.EndUser.LocationType3)
	assert.Equal(t, "900", string(got.EndUser.LocationValue3))

	// orderDetail echoes what was ordered.
	od, err := s.api.OrderDetail(context.Background(), &inteliquent.OrderDetailRequest{
		OrderRef: inteliquent.OrderRef{OrderID: inteliquent.OrderID(rows[us[0]]["order_id"])}})
	require.NoError(t, err)
	found := false
	for _, it := range od.OrderDetailResponse.TnList.TnItem {
		if string(it.TN) == us[0] {
			found = true
			require.NotNil(t, it.EndUser)
			assert.Equal(t, "Ste", it.EndUser.LocationType3)
			// The guide's port-in orderDetail example: "tnFeature": {} with
			// "msgEnabled": "Y", "msgStatus": "Complete".
			assert.Equal(t, "Y", it.MsgEnabled)
			assert.Equal(t, "Complete", it.MsgStatus)
			assert.Equal(t, "N", it.DlEnabled)
		}
	}
	assert.True(t, found, "orderDetail lists %s", us[0])
}
