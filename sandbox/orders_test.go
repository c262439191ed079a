package sandbox

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func assignedStatus(h *harness) map[string]string {
	out := h.call("tnAssignedList", nil)
	m := map[string]string{}
	for _, it := range list(out, "tnBasicList", "tnBasicItem") {
		tn := strconv.FormatInt(int64(dig(it, "tn").(float64)), 10)
		m[tn] = dig(it, "tnStatus").(string)
	}
	return m
}

func TestTnOrderSynchronous(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(4)
	// reserve one ourselves: ordering it must succeed
	h.call("tnReserve", map[string]any{"tnReserve": map[string]any{"tnList": tnItems(tns[3:], nil)}})
	out := h.call("tnOrder", orderBody("sync-1", tns, map[string]any{"trunkGroup": "TG_CHICAGO_01"}))
	assert.Equal(t, "200", code(out))
	assert.Equal(t, "Success", out["status"])
	assert.Equal(t, "null", out["orderId"])
	st := assignedStatus(h)
	for _, tn := range tns {
		assert.Equal(t, "In Service", st[tn])
	}
	// every exclusion reason, in the guide's status grammar
	other := findOtherReserved(t, h.srv)
	pending := h.srv.AvailableTNs(1)[0]
	h.call("tnOrder", orderBody("big", append([]string{pending}, h.srv.AvailableTNs(101)[1:]...), nil)) // >100: a Pending order
	req := []string{"5555550100", tns[0], other, pending, "12345", tns[1]}
	out = h.call("tnOrder", orderBody("sync-2", req, nil))
	want := fmt.Sprintf("{2=[5555550100 %s, %s %s, %s %s, %s %s, 12345 %s, %s %s]}",
		reasonNotInInventory, tns[0], reasonAssigned, other, reasonOther, pending, reasonOnOrder, reasonInvalid, tns[1], reasonAssigned)
	assert.Equal(t, want, out["status"])
	assert.Equal(t, "200", code(out))
	assert.Equal(t, "null", out["orderId"])

	dup := h.srv.AvailableTNs(1)[0]
	out = h.call("tnOrder", orderBody("", []string{dup, dup}, map[string]any{"trunkGroup": "NO_SUCH_TG"}))
	assert.Equal(t, fmt.Sprintf("{2=[%s %s, %s %s]}", dup, reasonTrunkGroup, dup, reasonDuplicate), out["status"])

	out = h.call("tnOrder", map[string]any{"tnOrder": map[string]any{}})
	assert.Equal(t, "414", code(out))
}

// findOtherReserved finds a number the seeded world holds for another
// customer.
func findOtherReserved(t *testing.T, s *Server) string {
	t.Helper()
	for _, bl := range s.st.w.blocks {
		for line := uint32(0); line < 10000; line++ {
			if bl.class(line) == lineOther {
				return tnString(uint64(bl.npanxx)*10000 + uint64(line))
			}
		}
	}
	t.Fatal("no reserved-by-other number")
	return ""
}

func TestTnOrderBackgroundLifecycle(t *testing.T) {
	h := newHarness(t, Options{ClockSpeed: 1})
	good := h.srv.AvailableTNs(140)
	bad := []string{"5555550100", "5555550101", good[0]} // not in inventory twice + duplicate
	out := h.call("tnOrder", orderBody("bg-1", append(good, bad...), nil))
	require.Equal(t, "200", code(out))
	assert.Equal(t, "Success", out["status"], "large orders answer a generic success")
	orderID := out["orderId"].(string)
	require.NotEqual(t, "null", orderID)
	id, _ := strconv.Atoi(orderID)

	// Incomplete: exclusions not known yet, detail empty
	out = h.call("orderDetail", map[string]any{"orderId": id})
	assert.Equal(t, "Incomplete", dig(out, "orderDetailResponse", "orderStatus"))
	assert.Empty(t, list(out, "orderDetailResponse", "tnList", "tnItem"))
	assert.Equal(t, "430", code(h.call("excludedTnList", map[string]any{"orderId": id})))
	ol := h.call("orderList", map[string]any{"customerOrderReference": "bg-1"})
	assert.EqualValues(t, 200, ol["statusCode"], "orderList answers a numeric statusCode like the guide")
	assert.Equal(t, "Incomplete", dig(list(ol, "orderList", "orderType")[0], "orderStatus"))
	assert.Equal(t, "Pending", assignedStatus(h)[good[5]])

	h.clock.Advance(incompleteFor(143))
	out = h.call("orderDetail", map[string]any{"customerOrderReference": "bg-1"})
	assert.Equal(t, "Pending", dig(out, "orderDetailResponse", "orderStatus"))
	assert.Len(t, list(out, "orderDetailResponse", "tnList", "tnItem"), 140)
	ex := h.call("excludedTnList", map[string]any{"customerOrderReference": "bg-1"})
	items := list(ex, "excludedTnList", "excludedTnItem")
	require.Len(t, items, 3)
	assert.Equal(t, reasonNotInInventory, dig(items[0], "excludedReason"))
	assert.Equal(t, "bg-1", dig(items[0], "customerOrderReference"))
	ex = h.call("excludedTnList", map[string]any{"tn": "5555550101"})
	assert.Len(t, list(ex, "excludedTnList", "excludedTnItem"), 1)

	// four numbers per second move into routing
	h.clock.Advance(time.Second)
	st := assignedStatus(h)
	inService := 0
	for _, tn := range good {
		if st[tn] == "In Service" {
			inService++
		}
	}
	assert.Equal(t, 4, inService)
	h.clock.Advance(35 * time.Second)
	out = h.call("orderList", map[string]any{"orderStatus": "CLSD", "productId": 103, "serviceOrderReference": "NEW"})
	require.Len(t, list(out, "orderList", "orderType"), 1)
	assert.Equal(t, "Closed", dig(list(out, "orderList", "orderType")[0], "orderStatus"))
	assert.EqualValues(t, 140, dig(list(out, "orderList", "orderType")[0], "tnQuantity"))
	st = assignedStatus(h)
	for _, tn := range good {
		require.Equal(t, "In Service", st[tn], tn)
	}
}

func TestTnOrderAllInvalidAutoCancels(t *testing.T) {
	h := newHarness(t, Options{})
	tns := make([]string, 101)
	for i := range tns {
		tns[i] = fmt.Sprintf("55555501%02d", i%100)
		if i == 100 {
			tns[i] = "9995550100"
		}
	}
	out := h.call("tnOrder", orderBody("all-bad", tns, nil))
	id, _ := strconv.Atoi(out["orderId"].(string))
	h.clock.Advance(time.Minute)
	out = h.call("orderDetail", map[string]any{"orderId": id})
	assert.Equal(t, "Canceled", dig(out, "orderDetailResponse", "orderStatus"))
	out = h.call("orderList", map[string]any{"orderStatus": "CNCL"})
	assert.Len(t, list(out, "orderList", "orderType"), 1)
	ex := h.call("excludedTnList", map[string]any{"orderId": id})
	assert.Len(t, list(ex, "excludedTnList", "excludedTnItem"), 101)
}

func TestClockSpeed(t *testing.T) {
	h := newHarness(t, Options{ClockSpeed: 100})
	tns := h.srv.AvailableTNs(101)
	out := h.call("tnOrder", orderBody("fast", tns, nil))
	id, _ := strconv.Atoi(out["orderId"].(string))
	status := func() string {
		return dig(h.call("orderDetail", map[string]any{"orderId": id}), "orderDetailResponse", "orderStatus").(string)
	}
	assert.Equal(t, "Incomplete", status())
	h.clock.Advance(200 * time.Millisecond) // 20 simulated seconds
	assert.Equal(t, "Pending", status())
	h.clock.Advance(300 * time.Millisecond) // +30 s: 101 numbers need 25.25 s
	assert.Equal(t, "Closed", status())
}

func TestFeatureOrdersAndExclusions(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(2)
	elko := firstAvailableIn(t, h, "ELKO")
	items := []map[string]any{
		{"tn": tns[0], "tnFeature": map[string]any{"e911": map[string]any{"name": "Pat", "origStreetNum": "1", "origStreetInfo": "Main St",
			"origCity": "Chicago", "origState": "IL", "origPostalCode": "00000"}, "callerId": map[string]any{"callingName": "ACME"}}},
		{"tn": tns[1], "tnFeature": map[string]any{"messaging": map[string]any{"messageClass": "P2P", "messageType": "SMS"}}},
		{"tn": elko, "portOutPin": "1234", "tnFeature": map[string]any{"directoryListing": map[string]any{"lastName": "Fuzz"}}},
		{"tn": "5555550100"},
	}
	out := h.call("tnOrder", map[string]any{"tnOrder": map[string]any{"customerOrderReference": "feat", "tnList": map[string]any{"tnItem": items}}})
	require.Equal(t, "200", code(out))
	assert.NotEqual(t, "null", out["orderId"], "features make an order")
	assert.Equal(t, "{2=[5555550100 "+reasonNotInInventory+"]}", out["status"])
	id, _ := strconv.Atoi(out["orderId"].(string))

	assert.Equal(t, "430", code(h.call("excludedE911Detail", map[string]any{"orderId": id})), "not before validation")
	h.clock.Advance(13 * time.Second)
	e9 := h.call("excludedE911Detail", map[string]any{"orderId": id})
	rows := list(e9, "excludedE911Detail", "excludedFeatureItem")
	require.Len(t, rows, 1)
	assert.Equal(t, tns[0], dig(rows[0], "tn"))
	assert.Equal(t, "00000", dig(rows[0], "origPostalCode"))
	assert.Equal(t, reasonE911NotValidated, dig(rows[0], "excludedReason"))

	fl := h.call("excludedFeatureList", map[string]any{"customerOrderReference": "feat"})
	reasons := []string{}
	for _, r := range list(fl, "excludedFeatureList", "excludedFeatureItem") {
		reasons = append(reasons, dig(r, "excludedReason").(string))
	}
	assert.ElementsMatch(t, []string{reasonPinUnsupported, reasonDLUnsupported}, reasons)

	// excluded lists answer 430 for an order without exclusions
	plain := h.call("tnOrder", orderBody("plain", h.srv.AvailableTNs(1), map[string]any{"tnFeature": map[string]any{"messaging": map[string]any{"messageClass": "P2P", "messageType": "SMS"}}}))
	pid, _ := strconv.Atoi(plain["orderId"].(string))
	h.clock.Advance(time.Minute)
	assert.Equal(t, "430", code(h.call("excludedFeatureList", map[string]any{"orderId": pid})))
	assert.Equal(t, "430", code(h.call("excludedE911Detail", map[string]any{"orderId": pid})))
	assert.Equal(t, "430", code(h.call("excludedTnList", map[string]any{"orderId": pid})))
	assert.Equal(t, "430", code(h.call("orderDetail", map[string]any{"orderId": 42})))
	assert.Equal(t, "414", code(h.call("orderDetail", map[string]any{})))

	// tnDetail reflects the stored features; the e911 with 00000 was not stored
	d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{{"tnMask": tns[0]}}}})
	item := list(d, "tnList", "tnItem")[0]
	assert.Equal(t, "ACME", dig(item, "tnFeature", "callerId", "callingName"))
	assert.Empty(t, dig(item, "tnFeature", "e911"))
	assert.Equal(t, "B", dig(item, "endUser", "typeOfService"), "typeOfService defaults to B with callingName")

	// tnFeatureOrder on an active number; removal and a bad calling name
	out = h.call("tnFeatureOrder", map[string]any{"tnFeatureOrder": map[string]any{"customerOrderReference": "feat-2", "tnList": map[string]any{"tnItem": []map[string]any{
		{"tn": tns[0], "tnFeature": map[string]any{"callerId": map[string]any{"removeTnFeature": "Y"}}},
		{"tn": tns[1], "tnFeature": map[string]any{"callerId": map[string]any{"callingName": "12345"}}},
		{"tn": "5555550100", "tnFeature": map[string]any{}},
	}}}})
	assert.Equal(t, "{2=[5555550100 "+reasonNotAssigned+"]}", out["status"])
	fid, _ := strconv.Atoi(out["orderId"].(string))
	h.clock.Advance(time.Minute)
	fl = h.call("excludedFeatureList", map[string]any{"orderId": fid})
	assert.Equal(t, reasonCNAMInvalid, dig(list(fl, "excludedFeatureList", "excludedFeatureItem")[0], "excludedReason"))
	d = h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{{"tnMask": tns[0], "callingName": "N"}}}})
	assert.Len(t, list(d, "tnList", "tnItem"), 1)
	ol := h.call("orderList", map[string]any{"productIdList": "128"})
	assert.Len(t, list(ol, "orderList", "orderType"), 1)
}

func firstAvailableIn(t *testing.T, h *harness, rc string) string {
	t.Helper()
	out := h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "rateCenter": rc, "quantity": 1})
	rows := list(out, "tnResult")
	require.NotEmpty(t, rows, rc)
	return dig(rows[0], "telephoneNumber").(string)
}

func TestUpdateDisconnectAndCancel(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(8)
	h.call("tnOrder", orderBody("", tns, map[string]any{"trunkGroup": "TG_CHICAGO_01"}))

	out := h.call("tnUpdate", map[string]any{"customerOrderReference": "move", "tnList": map[string]any{"tnItem": []map[string]any{
		{"tn": tns[0], "trunkGroup": "TG_DALLAS_01"}, {"tn": tns[1], "trunkGroup": "NOPE"}, {"tn": "5555550100", "trunkGroup": "TG_DALLAS_01"}}}})
	assert.Equal(t, fmt.Sprintf("{2=[%s %s, 5555550100 %s]}", tns[1], reasonTrunkGroup, reasonNotAssigned), out["status"])
	require.NotEqual(t, "null", out["orderId"])
	detail := func(tn string) map[string]any {
		d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{{"tnMask": tn}}}})
		l := list(d, "tnList", "tnItem")
		if len(l) == 0 {
			return nil
		}
		return l[0].(map[string]any)
	}
	assert.Equal(t, "TG_CHICAGO_01", detail(tns[0])["trunkGroup"], "not routed yet")
	// a second change while the first is open
	out = h.call("tnUpdate", map[string]any{"tnList": map[string]any{"tnItem": []map[string]any{{"tn": tns[0], "trunkGroup": "TG_NEWYORK_01"}}}})
	assert.Equal(t, fmt.Sprintf("{2=[%s %s]}", tns[0], reasonOnOrder), out["status"])
	assert.Equal(t, "null", out["orderId"])
	h.clock.Advance(13 * time.Second)
	assert.Equal(t, "TG_DALLAS_01", detail(tns[0])["trunkGroup"])

	// disconnect: Pending Disconnect, then back to available
	out = h.call("tnDisconnect", map[string]any{"customerOrderReference": "bye", "tnList": map[string]any{"tnItem": []map[string]any{{"tn": tns[2]}, {"tn": tns[3]}}}})
	require.Equal(t, "Success", out["status"])
	assert.Equal(t, "Pending Disconnect", assignedStatus(h)[tns[2]])
	out = h.call("tnOrder", orderBody("", tns[2:3], nil))
	assert.Equal(t, fmt.Sprintf("{2=[%s %s]}", tns[2], reasonOnOrder), out["status"])
	h.clock.Advance(15 * time.Second)
	_, listed := assignedStatus(h)[tns[2]]
	assert.False(t, listed)
	inv := h.call("tnInventory", map[string]any{"tnMask": tns[2]})
	assert.Equal(t, "1", inv["totalItems"], "disconnected numbers return to inventory")

	// cancel: only Pending orders; unrouted numbers return after review
	big := h.srv.AvailableTNs(120)
	out = h.call("tnOrder", orderBody("cancel-me", big, nil))
	id, _ := strconv.Atoi(out["orderId"].(string))
	cancel := h.call("orderCancel", map[string]any{"orderId": id})
	assert.Equal(t, "410", code(cancel), "Incomplete orders cannot be canceled")
	h.clock.Advance(incompleteFor(120) + 2*time.Second) // 8 routed
	cancel = h.call("orderCancel", map[string]any{"customerOrderReference": "cancel-me"})
	assert.Equal(t, "200", code(cancel))
	assert.Equal(t, "430", code(h.call("orderCancel", map[string]any{"customerOrderReference": "nope"})))
	st := func() string {
		return dig(h.call("orderDetail", map[string]any{"orderId": id}), "orderDetailResponse", "orderStatus").(string)
	}
	assert.Equal(t, "Pending Cancel", st())
	h.clock.Advance(cancelReview)
	assert.Equal(t, "Canceled", st())
	as := assignedStatus(h)
	n := 0
	for _, tn := range big {
		if as[tn] == "In Service" {
			n++
		}
	}
	assert.Equal(t, 8, n)
	inv = h.call("tnInventory", map[string]any{"tnMask": big[100]})
	assert.Equal(t, "1", inv["totalItems"])
}

func TestNotesPinsAndTnDetailFilters(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(3)
	out := h.call("tnOrder", orderBody("notes", tns, map[string]any{"tnFeature": map[string]any{"messaging": map[string]any{"messageClass": "A2PLC", "messageType": "SMS"}}}))
	id, _ := strconv.Atoi(out["orderId"].(string))
	nt := h.call("orderAddNote", map[string]any{"orderId": id, "orderNote": "hello"})
	assert.EqualValues(t, 200, nt["statusCode"])
	assert.NotEmpty(t, nt["noteId"])
	assert.Equal(t, "414", code(h.call("orderAddNote", map[string]any{"orderId": id})))
	assert.Equal(t, "430", code(h.call("orderAddNote", map[string]any{"orderId": 1, "orderNote": "x"})))
	notes := h.call("orderNote", map[string]any{"customerOrderReference": "notes"})
	require.Len(t, list(notes, "orderNote", "orderNoteType"), 1)
	assert.Equal(t, "hello", dig(list(notes, "orderNote", "orderNoteType")[0], "note"))
	h.clock.Advance(time.Minute)
	d := h.call("orderDetail", map[string]any{"orderId": id})
	assert.Len(t, list(d, "orderDetailResponse", "orderNotes"), 1)

	out = h.call("portOutPinUpdate", map[string]any{"portOutPin": map[string]any{"tnList": map[string]any{"tnItem": []map[string]any{
		{"tn": tns[0], "portOutPin": "PIN-9652"}, {"tn": "5555550100", "portOutPin": "x"}}}}})
	assert.Equal(t, "{2=[5555550100 "+reasonNotAssigned+"]}", out["status"])
	out = h.call("tnNoteUpdate", map[string]any{"tnNote": map[string]any{"tnList": map[string]any{"tnItem": []map[string]any{{"tn": tns[1], "tnNote": "Subaccount B"}}}}})
	assert.Equal(t, "Success", out["status"])

	search := func(item map[string]any) int {
		item["tnMask"] = "xxxxxxxxxx"
		d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{item}}})
		require.Equal(t, "200", code(d), "%v", d)
		return len(list(d, "tnList", "tnItem"))
	}
	assert.Equal(t, 1, search(map[string]any{"portOutPin": "9652"}))
	assert.Equal(t, 1, search(map[string]any{"tnNote": "subaccount"}))
	assert.Equal(t, 3, search(map[string]any{"messageClass": "A2PLC"}))
	assert.Equal(t, 3, search(map[string]any{"messaging": "Y", "tnStatus": "INSVC"}))
	assert.Equal(t, 0, search(map[string]any{"tnStatus": "PDISC"}))
	assert.Equal(t, 1, search(map[string]any{"rateCenter": "BAYONNE"}), "the guide's portfolio number")
	assert.Equal(t, 1, search(map[string]any{"trunkGroupName": "ATLNGAQS08T_266"}))
	assert.Equal(t, 14, search(map[string]any{"callingName Contains": "", "province": "IL"}), "12 + the tnE911 examples' 3123488244, 3123488246")
	d = h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{{"tnStatus": "INSVC"}}}})
	assert.Equal(t, "414", code(d))
}

func TestTnDetailScroll(t *testing.T) {
	h := newHarness(t, Options{})
	h.call("tnOrder", orderBody("", h.srv.AvailableTNs(60), nil))
	total := 60 + len(portfolio)
	d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{{"tnMask": "xxxxxxxxxx"}}},
		"pageSort": map[string]any{"size": 10000}})
	assert.Equal(t, strconv.Itoa(total), d["totalItems"])
	d = h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{{"tnMask": "xxxxxxxxxx"}}},
		"pageSort": map[string]any{"size": 25, "page": 1}})
	seen := map[float64]bool{}
	id := d["searchId"].(string)
	for page := 0; page < 5; page++ {
		for _, it := range list(d, "tnList", "tnItem") {
			tn := dig(it, "tn").(float64)
			require.False(t, seen[tn])
			seen[tn] = true
		}
		d = h.call("tnDetail", map[string]any{"pageSort": map[string]any{"searchId": id}})
		assert.Equal(t, strconv.Itoa(page+2), d["page"])
	}
	assert.Len(t, seen, total)
	h.srv.ExpireScrolls()
	assert.Equal(t, "410", code(h.call("tnDetail", map[string]any{"pageSort": map[string]any{"searchId": id}})))
}

// TestFeatureFailFault: with feature-fail, background provisioning fails
// per number and feature; orderDetail says Failed, sometimes with an
// excludedFeatureList / excludedE911Detail entry and sometimes without, as
// the guide's orderDetail example (9897); a replay reaches the same state.
func TestFeatureFailFault(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Options{StateDir: dir, Faults: Faults{FeatureFail: 0.5, Seed: 9}})
	tns := h.srv.AvailableTNs(40)
	items := make([]any, len(tns))
	for i, tn := range tns {
		items[i] = map[string]any{"tn": tn, "tnFeature": map[string]any{
			"callerId":  map[string]any{"callingName": "ACME"},
			"messaging": map[string]any{"messageClass": "P2P", "messageType": "SMS"},
			"e911":      validE911(),
		}}
	}
	out := h.call("tnOrder", map[string]any{"tnOrder": map[string]any{"customerOrderReference": "ff", "tnList": map[string]any{"tnItem": items}}})
	require.Equal(t, "200", code(out))
	h.clock.Advance(time.Minute)
	od := h.call("orderDetail", map[string]any{"customerOrderReference": "ff"})
	failed := map[string]bool{}
	for _, it := range list(od, "orderDetailResponse", "tnList", "tnItem") {
		tn := jsonNum(dig(it, "tn").(float64))
		for _, k := range []string{"cnamStatus", "msgStatus", "e911Status"} {
			if dig(it, k) == "Failed" {
				failed[tn+" "+k] = true
			} else {
				assert.Equal(t, "Complete", dig(it, k), "%s %s", tn, k)
			}
		}
	}
	listed := map[string]bool{}
	for _, r := range list(h.call("excludedFeatureList", map[string]any{"customerOrderReference": "ff"}), "excludedFeatureList", "excludedFeatureItem") {
		k := map[string]string{reasonCNAMFailed: "cnamStatus", reasonMsgFailed: "msgStatus"}[dig(r, "excludedReason").(string)]
		require.NotEmpty(t, k, "%v", r)
		listed[jsonNum(dig(r, "tn").(float64))+" "+k] = true
	}
	for _, r := range list(h.call("excludedE911Detail", map[string]any{"customerOrderReference": "ff"}), "excludedE911Detail", "excludedFeatureItem") {
		assert.Equal(t, reasonE911Failed, dig(r, "excludedReason"))
		listed[dig(r, "tn").(string)+" e911Status"] = true
	}
	for k := range listed {
		assert.True(t, failed[k], "a listed failure is Failed in orderDetail: %s", k)
	}
	assert.Greater(t, len(failed), 20, "about half of 120 features fail")
	assert.Less(t, len(failed), 100)
	assert.Greater(t, len(failed), len(listed), "some failures have no entry")
	assert.NotEmpty(t, listed, "some failures have an entry")
	// a failed feature is not provisioned
	for _, tn := range tns {
		if failed[tn+" e911Status"] {
			assert.Empty(t, h.srv.E911Address(tn))
		} else {
			assert.NotEmpty(t, h.srv.E911Address(tn))
		}
	}

	// a replay with no fault configured reaches the same state
	h.ts.Close()
	require.NoError(t, h.srv.Close())
	srv2, err := New(Options{StateDir: dir, WorldSize: 200_000, Now: h.clock.Now})
	require.NoError(t, err)
	defer srv2.Close()
	for _, tn := range tns {
		assert.Equal(t, !failed[tn+" e911Status"], len(srv2.E911Address(tn)) > 0, tn)
	}
}
