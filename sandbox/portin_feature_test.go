package sandbox

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOrderUpdatePortMessaging: orderUpdate's tnFeature.messaging corrects
// a port-in item's messaging; tnDetail shows the corrected messaging.
func TestOrderUpdatePortMessaging(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.PortableTNs(1)
	due := h.clock.Now().AddDate(0, 0, 5).UTC().Format(time.DateOnly)
	it := portReqItem(tns[0], "33124")
	it["trunkGroup"] = "CHCGIL24CL1_897"
	it["tnFeature"] = map[string]any{"messaging": map[string]any{"messageClass": "P2P", "messageType": "SMS"}}
	out := h.call("portInOrder", portBody("msg-1", due, "N", it))
	require.Equal(t, "200", code(out), "%v", out)
	id := out["orderId"]
	advance(h, time.Minute)
	msgOf := func() any {
		d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []any{map[string]any{"tnMask": tns[0]}}}})
		return dig(list(d, "tnList", "tnItem")[0], "tnFeature", "messaging")
	}
	assert.Equal(t, map[string]any{"messageClass": "P2P", "messageType": "SMS"}, msgOf())
	upd := h.call("orderUpdate", map[string]any{"orderUpdate": map[string]any{"orderId": id, "tnList": map[string]any{"tnItem": []any{
		map[string]any{"tn": tns[0], "tnFeature": map[string]any{"messaging": map[string]any{"messageClass": "A2PLC", "messageType": "SMSMMS"}}}}}}})
	require.EqualValues(t, 200, upd["statusCode"], "%v", upd)
	assert.Equal(t, map[string]any{"messageClass": "A2PLC", "messageType": "SMSMMS"}, msgOf())
}
