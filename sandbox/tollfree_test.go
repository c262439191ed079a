package sandbox

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tfOrderBody(product, ref string, tns []string, extra map[string]any) map[string]any {
	o := map[string]any{"customerOrderReference": ref, "tnList": tnItems(tns, extra)}
	if product == "8XXPORTIN" {
		o["loa"] = "Y"
	}
	return map[string]any{"productAbbr": product, "tfOrder": o}
}

func orderIDOf(t *testing.T, m map[string]any) int64 {
	t.Helper()
	switch v := m["orderId"].(type) {
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		require.NoError(t, err, "%v", m)
		return n
	case float64:
		return int64(v)
	}
	t.Fatalf("no orderId in %v", m)
	return 0
}

func TestTollFreeClasses(t *testing.T) {
	tests := []struct {
		tn   uint64
		want tfClass
	}{
		{8889235544, tfOwn}, {8665000001, tfOwn}, {8881235544, tfNone}, {8442255030, tfSpare}, {8006231984, tfSpare},
		{8887001234, tfOther}, {8333000000, tfOther}, {8774514545, tfNone}, {8008000000, tfNone},
		{3125550100, tfNone}, {8012345678, tfNone},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tfClassOf(tt.tn), "%d", tt.tn)
	}
}

func TestTfInventory(t *testing.T) {
	h := newHarness(t, Options{})
	out := h.call("tfInventory", map[string]any{"tnMask": "800xxxxxxx", "sequential": false, "quantity": 5})
	require.Equal(t, "200", code(out), "%v", out)
	items := list(out, "tfList", "tfItem")
	require.Len(t, items, 5)
	assert.EqualValues(t, 8002000000, dig(items[0], "tn"))
	assert.Equal(t, "LQX01", dig(items[0], "respOrgPrefix"))

	out = h.call("tfInventory", map[string]any{"tnWildcard": "844CALL***", "quantity": 1})
	require.Len(t, list(out, "tfList", "tfItem"), 1)
	assert.EqualValues(t, 8442255000, dig(list(out, "tfList", "tfItem")[0], "tn"))

	out = h.call("tfInventory", map[string]any{"tnMask": "877xxxxxxx", "sequential": true, "quantity": 10})
	items = list(out, "tfList", "tfItem")
	require.Len(t, items, 10)
	for i := 1; i < 10; i++ {
		assert.EqualValues(t, dig(items[i-1], "tn").(float64)+1, dig(items[i], "tn"))
	}

	for _, bad := range []map[string]any{
		{"tnMask": "800xxxxxxx", "quantity": 1001},
		{"tnMask": "800xxxxxxx", "quantity": 11, "sequential": true},
		{"tnMask": "800xxxxxxx"},
		{"tnMask": "800xxx", "quantity": 1},
		{"tnWildcard": "8*00*1", "quantity": 1},
		{"quantity": 1},
	} {
		assert.Equal(t, "414", code(h.call("tfInventory", bad)), "%v", bad)
	}
	assert.Equal(t, "430", code(h.call("tfInventory", map[string]any{"tnMask": "8004xxxxxx", "quantity": 1})), "not-available exchanges")
}

func TestTfOrderLoadFollowAndDetail(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.TollFreeTNs("own", 3)
	require.Len(t, tns, 3)
	extra := map[string]any{"resporgId": "IQB01", "routingLabel": "NTNYC-690-8XX-123", "cicList": map[string]any{"cic": []string{"0913", "0222"}}, "tnNote": "wave 1"}
	body := tfOrderBody("8XX", "tf-load-1", append(tns, "8774514545", "8887001234"), extra)
	out := h.call("tfOrder", body)
	require.Equal(t, "200", code(out), "%v", out)
	id := orderIDOf(t, out)
	assert.Contains(t, out["status"], "8774514545 TN is not on a RespOrg of this customer")
	assert.Contains(t, out["status"], "8887001234 TN is not on a RespOrg of this customer")

	d := h.call("orderDetail", map[string]any{"orderId": id})
	assert.Equal(t, "Incomplete", dig(d, "orderDetailResponse", "orderStatus"))
	h.clock.Advance(time.Minute)
	d = h.call("orderDetail", map[string]any{"orderId": id})
	assert.Equal(t, "Closed", dig(d, "orderDetailResponse", "orderStatus"))
	items := list(d, "orderDetailResponse", "tnList", "tnItem")
	require.Len(t, items, 3)
	assert.Equal(t, "NTNYC-690-8XX-123", dig(items[0], "routingLabel"))
	assert.Equal(t, "IQB01", dig(items[0], "respOrgPrefix"))
	assert.Equal(t, "Complete", dig(items[0], "tnStatus"))

	ol := h.call("orderList", map[string]any{"orderId": id})
	assert.Equal(t, "Toll Free Number", dig(list(ol, "orderList", "orderType")[0], "productName"))
	x := h.call("excludedTnList", map[string]any{"orderId": id})
	assert.Len(t, list(x, "excludedTnList", "excludedTnItem"), 2)

	det := h.call("tfDetail", map[string]any{"tfSearchList": map[string]any{"tfSearchItem": []any{map[string]any{"tnMask": tns[0], "typeTfStatusReference": "INSVC"}}}})
	require.Equal(t, "200", code(det), "%v", det)
	ti := list(det, "tfList", "tfItem")
	require.Len(t, ti, 1)
	assert.Equal(t, "0913,0222", dig(ti[0], "cic"))
	assert.Equal(t, "Inteliquent, AT&T", dig(ti[0], "cicCompanyName"))
	assert.Equal(t, "wave 1", dig(ti[0], "tnNote"))
	assert.Equal(t, "In Service", h.srv.TollFree(tns[0]).Status)

	// Ordering again: the numbers are on the account.
	out = h.call("tfOrder", tfOrderBody("8XX", "tf-load-2", tns[:1], extra))
	assert.Contains(t, out["status"], reasonAssigned)

	// Missing and foreign RespOrg, unknown label and CIC are per-number.
	more := h.srv.TollFreeTNs("own", 8)[3:7]
	items4 := []any{
		map[string]any{"tn": more[0], "routingLabel": "NTNYC-690-8XX-123"},
		map[string]any{"tn": more[1], "resporgId": "ZZZ99", "routingLabel": "NTNYC-690-8XX-123"},
		map[string]any{"tn": more[2], "resporId": "ABC45", "routingLabel": "NOPE"},
		map[string]any{"tn": more[3], "resporgId": "ABC45", "routingLabel": "Chicago primary", "cicList": map[string]any{"cic": []string{"9999"}}},
	}
	out = h.call("tfOrder", map[string]any{"productAbbr": "8XX", "tfOrder": map[string]any{"tnList": map[string]any{"tnItem": items4}}})
	st := out["status"].(string)
	assert.Contains(t, st, more[0]+" Fields Are Required:resporgId")
	assert.Contains(t, st, more[1]+" RespOrg ID ZZZ99 does not belong to this customer")
	assert.Contains(t, st, more[2]+" Invalid Routing Label")
	assert.Contains(t, st, more[3]+" Invalid CIC 9999")

	assert.Equal(t, "414", code(h.call("tfOrder", map[string]any{"tfOrder": map[string]any{}})))
	assert.Equal(t, "414", code(h.call("tfOrder", map[string]any{"productAbbr": "8XXNOPE", "tfOrder": map[string]any{}})))
}

func TestTfOrderAvailMonthlyCap(t *testing.T) {
	h := newHarness(t, Options{})
	spare := h.srv.TollFreeTNs("spare", 105)
	require.Len(t, spare, 105)
	extra := map[string]any{"routingLabel": "NTNYC-690-8XX-124"}
	out := h.call("tfOrder", tfOrderBody("8XXAVAIL", "a1", spare[:60], extra))
	assert.Equal(t, "Success", out["status"])
	_, hasID := out["orderId"]
	assert.False(t, hasID, "8XXAVAIL answers like the guide's example: no orderId")
	assert.Equal(t, "In Service", h.srv.TollFree(spare[0]).Status, "activated at once")

	out = h.call("tfOrder", tfOrderBody("8XXAVAIL", "a2", append(spare[60:105], "8774514545"), extra))
	st := out["status"].(string)
	assert.Contains(t, st, "8774514545 TN is marked Not Available in our inventory")
	for _, tn := range spare[100:105] {
		assert.Contains(t, st, tn+" Exceeds the 8XXAVAIL limit of 100 numbers per month")
		assert.Empty(t, h.srv.TollFree(tn).Status)
	}
	assert.Equal(t, "In Service", h.srv.TollFree(spare[99]).Status)

	// A new month opens the cap again.
	h.clock.Advance(31 * 24 * time.Hour)
	h.token = h.fetchToken(DemoKey, DemoSecret)
	out = h.call("tfOrder", tfOrderBody("8XXAVAIL", "a3", spare[100:101], extra))
	assert.Equal(t, "Success", out["status"])
}

func TestTfOrderPortInWaitsForLOA(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.TollFreeTNs("other", 2)
	extra := map[string]any{"routingLabel": "NTNYC-690-8XX-123"}
	noLOA := tfOrderBody("8XXPORTIN", "p0", tns, extra)
	delete(noLOA["tfOrder"].(map[string]any), "loa")
	assert.Equal(t, "414", code(h.call("tfOrder", noLOA)), "loa=Y is required for 8XXPORTIN")

	out := h.call("tfOrder", tfOrderBody("8XXPORTIN", "p1", tns, extra))
	id := orderIDOf(t, out)
	h.clock.Advance(10 * time.Minute)
	d := h.call("orderDetail", map[string]any{"orderId": id})
	assert.Equal(t, "Pending", dig(d, "orderDetailResponse", "orderStatus"))
	assert.Equal(t, "Pending LOA", dig(list(d, "orderDetailResponse", "tnList", "tnItem")[0], "tnStatus"))
	assert.Equal(t, "Pending", h.srv.TollFree(tns[0]).Status)

	bad := h.call("orderAddDocument", map[string]any{"orderId": id, "documentName": "LOA", "fileContent": "%%%not base64"})
	assert.Equal(t, "414", code(bad))
	assert.Equal(t, "430", code(h.call("orderAddDocument", map[string]any{"orderId": 99, "documentName": "LOA", "fileContent": "QQ=="})))
	content := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 letter of authorization"))
	doc := h.call("orderAddDocument", map[string]any{"customerOrderReference": "p1", "documentName": "LOA.pdf", "fileContent": content})
	require.Equal(t, "200", code(doc), "%v", doc)
	assert.NotEmpty(t, doc["documentId"])
	docs := h.srv.OrderDocuments(id)
	require.Len(t, docs, 1)
	assert.Equal(t, "LOA.pdf", docs[0].Name)
	assert.Equal(t, 32, docs[0].Size)

	h.clock.Advance(time.Minute)
	d = h.call("orderDetail", map[string]any{"orderId": id})
	assert.Equal(t, "Closed", dig(d, "orderDetailResponse", "orderStatus"))
	assert.Equal(t, "In Service", h.srv.TollFree(tns[1]).Status)
	assert.Equal(t, "LQX01", h.srv.TollFree(tns[1]).RespOrg)
	od := h.call("orderDocument", map[string]any{"orderId": id})
	assert.Equal(t, "LOA.pdf", dig(list(od, "orderDocumentList", "orderDocument")[0], "documentName"))
}

func TestTfUpdateFeaturesForwardDisconnect(t *testing.T) {
	h := newHarness(t, Options{})
	tns := []string{"8553489654", "8663489655"}
	upd := map[string]any{"customerOrderReference": "u1", "tnList": tnItems(tns, map[string]any{"routingLabel": "NTNYC-690-8XX-124"})}
	out := h.call("tfUpdate", upd)
	id := orderIDOf(t, out)
	assert.Equal(t, "NTNYC-690-8XX-123", h.srv.TollFree(tns[0]).RoutingLabel, "old label until routed")
	h.clock.Advance(time.Minute)
	assert.Equal(t, "NTNYC-690-8XX-124", h.srv.TollFree(tns[0]).RoutingLabel)
	assert.Equal(t, "Closed", dig(h.call("orderDetail", map[string]any{"orderId": id}), "orderDetailResponse", "orderStatus"))
	out = h.call("tfUpdate", map[string]any{"tnList": tnItems([]string{"8553489654", "8884110000", "3123489651"}, map[string]any{"routingLabel": "NOPE"})})
	assert.Contains(t, out["status"], "8553489654 Invalid Routing Label")
	assert.Contains(t, out["status"], "8884110000 "+reasonNotAssigned)
	assert.Contains(t, out["status"], "3123489651 "+reasonInvalid)

	feat := map[string]any{"tfFeatureOrder": map[string]any{"customerOrderReference": "f1", "tnList": map[string]any{"tnItem": []any{
		map[string]any{"tn": tns[0], "tnFeature": map[string]any{"callerId": map[string]any{"callingName": "ACME Support"},
			"messaging": map[string]any{"messageClass": "A2P8XX", "messageType": "SMS"}}},
		map[string]any{"tn": tns[1], "tnFeature": map[string]any{"callerId": map[string]any{"callingName": "12345"},
			"e911": map[string]any{"name": "X", "origStreetNum": "1", "origStreetInfo": "Main", "origCity": "Chicago", "origState": "IL", "origPostalCode": "00000"}}},
	}}}}
	id = orderIDOf(t, h.call("tfFeatureOrder", feat))
	h.clock.Advance(time.Minute)
	fx := h.call("excludedFeatureList", map[string]any{"orderId": id})
	require.Len(t, list(fx, "excludedFeatureList", "excludedFeatureItem"), 1)
	assert.Equal(t, reasonCNAMInvalid, dig(list(fx, "excludedFeatureList", "excludedFeatureItem")[0], "excludedReason"))
	ex := h.call("excludedE911Detail", map[string]any{"orderId": id})
	assert.Len(t, list(ex, "excludedE911Detail", "excludedFeatureItem"), 1)
	cn := h.call("tfFeatureCNamList", nil)
	var names []any
	for _, it := range list(cn, "tfFeatureList", "tfFeatureItem") {
		names = append(names, dig(it, "callingName"))
	}
	assert.Contains(t, names, "ACME Support")
	assert.NotContains(t, names, "12345")
	ml := h.call("tfFeatureMessageList", nil)
	require.Len(t, list(ml, "tfFeatureList", "tfFeatureItem"), 1)
	assert.Equal(t, "430", code(h.call("tfFeatureE911List", map[string]any{"tnMask": "xxxxxxxxxxx"})))

	// Forwarding: one bad number fails the whole request.
	fw := func(op, wrapper string, items []any) map[string]any {
		return h.call(op, map[string]any{wrapper: map[string]any{"tnList": map[string]any{"tnItem": items}}})
	}
	out = fw("tfForward", "tfForward", []any{map[string]any{"tn": tns[0], "forwardTo": "3123752629"}, map[string]any{"tn": "80012312344", "forwardTo": "3123752629"}})
	assert.Equal(t, "409", code(out))
	assert.Equal(t, "Invalid TN submitted:[80012312344]", out["status"])
	assert.Equal(t, "432", code(fw("tfForward", "tfForward", []any{map[string]any{"tn": "8884110000", "forwardTo": "3123752629"}})))
	assert.Equal(t, "414", code(fw("tfForward", "tfForward", []any{map[string]any{"tn": tns[0]}})))
	out = fw("tfForward", "tfForward", []any{map[string]any{"tn": tns[0], "forwardTo": "3123752629"}, map[string]any{"tn": "8001231234", "removeForwardTo": "Y"}})
	require.Equal(t, "200", code(out), "%v", out)
	orderIDOf(t, out)
	fl := h.call("tfForwardList", nil)
	assert.Equal(t, []any{map[string]any{"tn": tns[0], "forwardTo": "3123752629"}}, list(fl, "tfForwardList"))
	assert.Equal(t, "430", code(h.call("tnForwardList", nil)))
	out = fw("tnForward", "tnForward", []any{map[string]any{"tn": "3123489651", "forwardTo": "3123752629"}})
	require.Equal(t, "200", code(out), "%v", out)
	assert.Len(t, list(h.call("tnForwardList", nil), "tnForwardList"), 1)
	assert.Equal(t, "409", code(fw("tnForward", "tnForward", []any{map[string]any{"tn": tns[0], "forwardTo": "3123752629"}})), "toll-free on tnForward")
	many := make([]any, 101)
	for i := range many {
		many[i] = map[string]any{"tn": fmt.Sprint(3123489651 + i%9), "forwardTo": "3123752629"}
	}
	assert.Equal(t, "421", code(fw("tnForward", "tnForward", many)))

	// Disconnect.
	id = orderIDOf(t, h.call("tfDisconnect", map[string]any{"customerOrderReference": "d1", "tnList": tnItems(tns, nil)}))
	assert.Equal(t, "Pending Disconnect", h.srv.TollFree(tns[0]).Status)
	h.clock.Advance(time.Minute)
	assert.Empty(t, h.srv.TollFree(tns[0]).Status)
	assert.Equal(t, "Closed", dig(h.call("orderDetail", map[string]any{"orderId": id}), "orderDetailResponse", "orderStatus"))
	_, stillForwarded := h.srv.st.tfs().forwards[8553489654]
	assert.False(t, stillForwarded)
}

func TestNetworkListings(t *testing.T) {
	h := newHarness(t, Options{})
	tg := h.call("trunkGroupSearchAssigned", nil)
	assert.Contains(t, list(tg, "trunkGroupNameList"), map[string]any{"trunkGroupName": "CHCGIL24CL1_897"})
	rl := h.call("routingLabelSearchAssigned", nil)
	assert.Len(t, list(rl, "routingLabelList", "routingLabelItem"), len(seedRoutingLabels()))
	d := h.call("routingLabelDetail", map[string]any{"routingLabel": "Chicago primary"})
	assert.Equal(t, "TG_CHICAGO_02", dig(list(d, "routingLabelList", "routingLabelItem")[1], "trunkGroupName"))
	assert.Equal(t, "430", code(h.call("routingLabelDetail", map[string]any{"routingLabel": "NOPE"})))
	cl := h.call("cicList", nil)
	assert.Equal(t, "0913", dig(list(cl, "cicItemList")[0], "cic"))

	u := h.call("trunkGroupUtilization", map[string]any{"startDate": "2026-03-01", "endDate": "2026-03-01", "trunkGroupName": []string{"TG_CHICAGO_01"}})
	items := list(u, "trunkGroupUtilList", "trunkGroupUtilItem")
	require.Len(t, items, 144)
	assert.Equal(t, "2026-03-01 00:10", dig(items[1], "trunkGroupDate"))
	assert.EqualValues(t, trunkCapacity, dig(items[0], "capacity"))
	u2 := h.call("trunkGroupUtilization", map[string]any{"startDate": "2026-03-01", "endDate": "2026-03-01", "trunkGroupName": "TG_CHICAGO_01"})
	assert.Equal(t, items, list(u2, "trunkGroupUtilList", "trunkGroupUtilItem"), "a string name answers the same, deterministically")
	for _, bad := range []map[string]any{
		{"endDate": "2026-03-01", "trunkGroupName": "TG_CHICAGO_01"},
		{"startDate": "2026-03-02", "endDate": "2026-03-01", "trunkGroupName": "TG_CHICAGO_01"},
		{"startDate": "2026-01-01", "endDate": "2026-03-01", "trunkGroupName": "TG_CHICAGO_01"},
		{"startDate": "2026-03-01", "endDate": "2026-03-01", "trunkGroupName": "NOPE"},
	} {
		assert.Equal(t, "414", code(h.call("trunkGroupUtilization", bad)), "%v", bad)
	}
	assert.Equal(t, "430", code(h.call("trunkGroupUtilization", map[string]any{"startDate": "2027-01-01", "endDate": "2027-01-01", "trunkGroupName": "TG_CHICAGO_01"})), "the future has no traffic")
}

// The toll-free state survives a restart through the journal.
func TestTollFreeReplay(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	h := newHarness(t, Options{StateDir: dir, Now: clock.Now})
	tns := h.srv.TollFreeTNs("other", 1)
	id := orderIDOf(t, h.call("tfOrder", tfOrderBody("8XXPORTIN", "r1", tns, map[string]any{"routingLabel": "NTNYC-690-8XX-123"})))
	h.call("orderAddDocument", map[string]any{"orderId": id, "documentName": "LOA", "fileContent": "QUJD"})
	spare := h.srv.TollFreeTNs("spare", 1)
	h.call("tfOrder", tfOrderBody("8XXAVAIL", "r2", spare, map[string]any{"routingLabel": "NTNYC-690-8XX-123"}))
	clock.Advance(time.Minute)
	require.NoError(t, h.srv.Close())

	h2 := newHarness(t, Options{StateDir: dir, Now: clock.Now})
	assert.Equal(t, "In Service", h2.srv.TollFree(tns[0]).Status)
	assert.Equal(t, "In Service", h2.srv.TollFree(spare[0]).Status)
	assert.Len(t, h2.srv.OrderDocuments(id), 1)
	assert.Equal(t, 1, h2.srv.st.tfs().availBy[monthKey(clock.Now())])
}
