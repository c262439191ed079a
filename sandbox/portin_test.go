package sandbox

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func portReqItem(tn, zip string) map[string]any {
	return map[string]any{"tn": tn, "accountNum": "12345", "atn": "8009247586", "authName": "Jean Blues", "authDate": "2015-12-15",
		"endUser": map[string]any{"name": "Jean Blues", "streetNum": "101", "streetName": "Main", "streetType": "St",
			"city": "Miami", "state": "FL", "postalCode": zip, "typeOfService": "B"}}
}

func portBody(ref, due, onDemand string, items ...map[string]any) map[string]any {
	l := make([]any, len(items))
	for i, it := range items {
		l[i] = it
	}
	return map[string]any{"portInOrder": map[string]any{"customerOrderReference": ref, "desiredDueDate": due,
		"onDemandActivation": onDemand, "tnList": map[string]any{"tnItem": l}}}
}

// statuses reads orderDetail's per-number tnStatus and portDt.
func (h *harness) statuses(orderID any) (string, map[string][2]string) {
	h.t.Helper()
	out := h.call("orderDetail", map[string]any{"orderId": orderID})
	require.Equal(h.t, "200", code(out), "%v", out)
	m := map[string][2]string{}
	for _, it := range list(out, "orderDetailResponse", "tnList", "tnItem") {
		item := it.(map[string]any)
		pd, _ := item["portDt"].(string)
		m[jsonNum(item["tn"].(float64))] = [2]string{item["tnStatus"].(string), pd}
	}
	return dig(out, "orderDetailResponse", "orderStatus").(string), m
}

// advance moves the clock and fetches a fresh token (they live an hour).
func advance(h *harness, d time.Duration) {
	h.clock.Advance(d)
	h.token = h.fetchToken(DemoKey, DemoSecret)
}

func tnStatusOf(h *harness, tn string) string {
	out := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []any{map[string]any{"tnMask": tn}}}})
	items := list(out, "tnList", "tnItem")
	if len(items) == 0 {
		return ""
	}
	return items[0].(map[string]any)["tnStatus"].(string)
}

func TestPortInLifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.PortableTNs(4)
	require.Len(t, tns, 4)
	start := h.clock.Now()
	due := start.AddDate(0, 0, 5).UTC().Format(time.DateOnly)

	// Validation: a number not in an approved rate center and one already
	// on the account are excluded in the background.
	out := h.call("portInOrder", portBody("P1", due, "N", portReqItem(tns[0], "33124"), portReqItem(tns[1], "00000"),
		portReqItem("3125550100", "33124"), portReqItem("3123489651", "33124")))
	require.Equal(t, "200", code(out), "%v", out)
	id := out["orderId"]
	require.IsType(t, "", id, "orderId is a string as in the guide")

	st, items := h.statuses(id)
	assert.Equal(t, "Incomplete", st)
	assert.Empty(t, items, "no information while Incomplete")
	assert.Equal(t, "430", code(h.call("excludedTnList", map[string]any{"orderId": id})))
	assert.Equal(t, "Pending", tnStatusOf(h, tns[0]), "a porting number is Pending on the account")

	advance(h, time.Minute)
	st, items = h.statuses(id)
	assert.Equal(t, "Pending", st)
	assert.Equal(t, map[string][2]string{tns[0]: {"Pending", ""}, tns[1]: {"Pending", ""}}, items)
	ex := list(h.call("excludedTnList", map[string]any{"orderId": id}), "excludedTnList", "excludedTnItem")
	require.Len(t, ex, 2)
	reasons := []string{ex[0].(map[string]any)["excludedReason"].(string), ex[1].(map[string]any)["excludedReason"].(string)}
	assert.ElementsMatch(t, []string{reasonNotApprovedRC, reasonAssigned}, reasons)

	// FOC after a day; the bad zip code is rejected (jeopardy).
	advance(h, 25*time.Hour)
	_, items = h.statuses(id)
	assert.Equal(t, "Received FOC", items[tns[0]][0])
	assert.Equal(t, due+"T00:00:00.000+0000", items[tns[0]][1])
	assert.Equal(t, [2]string{"Invalid zip code", ""}, items[tns[1]])
	tnl := h.call("portInOrderTnList", nil)
	require.Len(t, list(tnl, "orderList", "orderType"), 2)
	pl := h.call("portInOrderList", map[string]any{"orderId": id})
	row := list(pl, "orderList", "orderType")[0].(map[string]any)
	assert.EqualValues(t, 1, row["focTnQuantity"])
	assert.EqualValues(t, 1, row["rejectedTnQuantity"])

	// orderUpdate fixes the zip: a new FOC cycle.
	upd := h.call("orderUpdate", map[string]any{"orderUpdate": map[string]any{"orderId": id, "tnList": map[string]any{"tnItem": []any{
		map[string]any{"tn": tns[1], "endUser": map[string]any{"postalCode": "33124"}}, map[string]any{"tn": "2015550000"}}}}})
	assert.Equal(t, "200", code(upd))
	assert.Equal(t, "{2=[2015550000 "+reasonNotOnOrder+"]}", upd["status"])
	_, items = h.statuses(id)
	assert.Equal(t, "Pending", items[tns[1]][0])
	advance(h, 25*time.Hour)
	_, items = h.statuses(id)
	assert.Equal(t, "Received FOC", items[tns[1]][0])

	// The due date passes: both complete, the order closes, In Service.
	advance(h, 5*24*time.Hour)
	st, items = h.statuses(id)
	assert.Equal(t, "Closed", st)
	assert.Equal(t, "Complete", items[tns[0]][0])
	assert.Equal(t, "Complete", items[tns[1]][0])
	assert.Equal(t, "In Service", tnStatusOf(h, tns[0]))
	assert.Equal(t, "In Service", tnStatusOf(h, tns[1]))
	assert.Equal(t, "410", code(h.call("orderUpdate", map[string]any{"orderUpdate": map[string]any{"orderId": id}})))
}

func TestPortInOnDemandActivation(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.PortableTNs(2)
	due := h.clock.Now().AddDate(0, 0, 3).UTC().Format(time.DateOnly)
	out := h.call("portInOrder", portBody("OD", due, "Y", portReqItem(tns[0], "33124"), portReqItem(tns[1], "33124")))
	id := out["orderId"]
	advance(h, 30*time.Hour)
	assert.Equal(t, "430", code(h.call("portInOrderAvailableActivation", map[string]any{"orderId": id})), "FOC date not reached")
	advance(h, 3*24*time.Hour)
	av := h.call("portInOrderAvailableActivation", map[string]any{"orderId": id})
	groups := list(av, "availableActivationList")
	require.NotEmpty(t, groups)
	g := groups[0].(map[string]any)["tnGroup"].(string)
	assert.True(t, strings.HasPrefix(g, "Group ID "), g)
	act := h.call("portInOrderActivate", map[string]any{"orderId": id, "tnGroup": []any{g, "Group ID 1 - Nobody/1"}})
	assert.Equal(t, "tnGroup:"+g+" Status:Success|tnGroup:Group ID 1 - Nobody/1 Status:{1=[TN group not available for portGroup ID 1 - Nobody/1]}|}", act["status"])
	_, items := h.statuses(id)
	activated := 0
	for _, it := range items {
		if it[0] == "Activated" {
			activated++
		}
	}
	assert.GreaterOrEqual(t, activated, 1)
	assert.Equal(t, "414", code(h.call("portInOrderActivate", map[string]any{"orderId": id})), "tnGroup is required")
}

func TestPortInAvailabilityAndCSR(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.PortableTNs(1)
	out := h.call("portInAvailability", map[string]any{"returnServiceProviderName": true,
		"tnList": tnItems([]string{tns[0], "3125550100", "3123489651"}, nil)})
	rows := list(out, "serviceAvailable")
	require.Len(t, rows, 3)
	assert.Equal(t, true, rows[0].(map[string]any)["isPortable"])
	assert.NotEmpty(t, rows[0].(map[string]any)["serviceProviderName"])
	assert.Equal(t, false, rows[1].(map[string]any)["isPortable"])
	assert.Equal(t, reasonAssigned, rows[2].(map[string]any)["notPortableReason"])

	csr := h.call("tnCsrLookup", map[string]any{"tn": tns[0]})
	r := dig(csr, "tnCsrLookupResponse").(map[string]any)
	assert.EqualValues(t, 0, r["csrLookupResult"])
	assert.NotEmpty(t, r["accountNum"])
	fail := h.call("tnCsrLookup", map[string]any{"tn": "2222222222"})
	assert.Equal(t, "Failure: Carrier does not support automated CSR lookups", dig(fail, "tnCsrLookupResponse", "csrLookupMsg"))
	assert.Equal(t, "414", code(h.call("tnCsrLookup", map[string]any{"accountNum": "1"})))
}

// TestPortInSurvivesRestart: port-in orders, corrections and activations are
// journaled and replayed by a new sandbox on the same state directory.
func TestPortInSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Options{StateDir: dir})
	tns := h.srv.PortableTNs(2)
	due := h.clock.Now().AddDate(0, 0, 2).UTC().Format(time.DateOnly)
	out := h.call("portInOrder", portBody("R1", due, "Y", portReqItem(tns[0], "00000"), portReqItem(tns[1], "33124")))
	id := out["orderId"]
	advance(h, 26*time.Hour)
	h.call("orderUpdate", map[string]any{"orderUpdate": map[string]any{"orderId": id, "tnList": map[string]any{"tnItem": []any{
		map[string]any{"tn": tns[0], "endUser": map[string]any{"postalCode": "33124"}}}}}})
	advance(h, 3*24*time.Hour)
	av := list(h.call("portInOrderAvailableActivation", map[string]any{"orderId": id}), "availableActivationList")
	require.NotEmpty(t, av)
	g := av[0].(map[string]any)["tnGroup"].(string)
	h.call("portInOrderActivate", map[string]any{"orderId": id, "tnGroup": []any{g}})
	st, before := h.statuses(id)
	require.NoError(t, h.srv.Close())

	h2 := newHarness(t, Options{StateDir: dir, Now: h.clock.Now})
	h2.clock = h.clock
	st2, after := h2.statuses(id)
	assert.Equal(t, st, st2)
	assert.Equal(t, before, after)
	for _, it := range after {
		assert.Equal(t, "Activated", it[0])
	}
}

// BenchmarkPortInOrderDetail: orderDetail of a 100-number port-in order
// (every number's status is computed on each read).
func BenchmarkPortInOrderDetail(b *testing.B) {
	h := newHarness(b, Options{})
	tns := h.srv.PortableTNs(100)
	items := make([]map[string]any, len(tns))
	for i, tn := range tns {
		items[i] = portReqItem(tn, "33124")
	}
	due := h.clock.Now().AddDate(0, 0, 2).UTC().Format(time.DateOnly)
	id := h.call("portInOrder", portBody("B1", due, "N", items...))["orderId"]
	advance(h, 26*time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		h.call("orderDetail", map[string]any{"orderId": id})
	}
}
