package sandbox

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var intlTestEndUser = []map[string]any{
	{"label": "Company name", "mandatory": true, "value": "Eiffel Tower"}, {"label": "Streetname", "mandatory": true, "value": "Champ De Mars"},
	{"label": "Street-number", "mandatory": true, "value": "11"}, {"label": "Zipcode", "mandatory": true, "value": "75007"},
	{"label": "City", "mandatory": true, "value": "Paris"}, {"label": "Country", "mandatory": true, "value": "France"},
}

// intlOrdered orders n available numbers of country on one order; with
// live it sets their end user and lets simulated time run until they are
// In Service.
func intlOrdered(h *harness, country string, n int, live bool) (int, []string) {
	tns := h.srv.AvailableIntlTNs(country, n)
	require.Len(h.t, tns, n)
	var items []map[string]any
	for _, tn := range tns {
		items = append(items, map[string]any{"tn": tn, "countryRef": country})
	}
	out := h.call("intlTnOrder", map[string]any{"tnOrder": map[string]any{"customerOrderReference": "ref-" + tns[0], "tnList": map[string]any{"tnItem": items}}})
	require.Equal(h.t, "200", code(out), "%v", out)
	id := int(out["orderId"].(float64))
	if live {
		for i := range items {
			items[i]["numberType"], items[i]["endUserData"] = "Inbound DID", intlTestEndUser
		}
		eu := h.call("intlTnEndUser", map[string]any{"orderId": id, "tnList": map[string]any{"tnItem": items}})
		require.Equal(h.t, "200", code(eu), "%v", eu)
		h.clock.Advance(time.Minute)
		h.token = h.fetchToken(DemoKey, DemoSecret)
	}
	return id, tns
}

// intlDocAdded attaches a document to a number of a new FRA order.
func intlDocAdded(h *harness) (orderID int, docID string) {
	id, tns := intlOrdered(h, "FRA", 1, false)
	out := h.call("intlTnAddDocument", map[string]any{"orderId": id, "tnList": map[string]any{"tnItem": []any{map[string]any{
		"tn": tns[0], "countryRef": "FRA", "numberType": "Inbound DID", "documents": []any{map[string]any{
			"conditionName": IntlProofOfAddress, "fileName": "passport.pdf", "mimeType": "application/pdf", "fileContent": "VGhpcyBpcyBhIHRlc3QgZG9j"}}}}}})
	require.Equal(h.t, "200", code(out), "%v", out)
	d := out["intlTnDocumentResponse"].(map[string]any)["tnList"].(map[string]any)["tnItem"].([]any)[0].(map[string]any)["documents"].([]any)[0].(map[string]any)
	return id, d["documentId"].(string)
}

func intlOrderDoc(h *harness) (orderID int, docID string) {
	id, _ := intlOrdered(h, "NLD", 1, false)
	out := h.call("intlOrderAddDocument", map[string]any{"orderId": id, "document": map[string]any{"fileName": "Test.docx", "mimeType": "text/plain", "fileContent": "VGhpcyBpcyBhIHRlc3QgZG9j"}})
	require.Equal(h.t, "200", code(out), "%v", out)
	return id, out["documentId"].(string)
}

// intlDayAround sets an order list's created range to the day around the
// simulated now.
func intlDayAround(h *harness, req map[string]any) {
	now := h.clock.Now().UTC()
	req["createdDateStartRange"] = now.Add(-24 * time.Hour).Format("2006-01-02T15:04:05.000Z")
	req["createdDateEndRange"] = now.Add(24 * time.Hour).Format("2006-01-02T15:04:05.000Z")
}

func setTn(req map[string]any, tn, country string) {
	var list map[string]any
	if l, ok := req["tnList"].(map[string]any); ok {
		list = l
	} else {
		list = req["tnNote"].(map[string]any)["tnList"].(map[string]any)
	}
	it := list["tnItem"].([]any)[0].(map[string]any)
	it["tn"], it["countryRef"] = tn, country
}

// intlGuideCases are TestGuideExamples' international cases.
func intlGuideCases() []struct {
	name  string
	setup func(h *harness, req map[string]any)
} {
	onOrder := func(country string) func(h *harness, req map[string]any) {
		return func(h *harness, req map[string]any) {
			id, tns := intlOrdered(h, country, 1, false)
			req["orderId"] = id
			setTn(req, tns[0], country)
		}
	}
	anOrder := func(h *harness, req map[string]any) { id, _ := intlOrdered(h, "NLD", 1, false); req["orderId"] = id }
	return []struct {
		name  string
		setup func(h *harness, req map[string]any)
	}{
		{"intlExcludedTnList", func(h *harness, req map[string]any) {
			out := h.call("intlTnOrder", map[string]any{"tnOrder": map[string]any{"tnList": map[string]any{"tnItem": []any{
				map[string]any{"tn": h.srv.AvailableIntlTNs("NLD", 1)[0], "countryRef": "NLD"}, map[string]any{"tn": "3323234567", "countryRef": "FRA"}}}}})
			req["orderId"] = int(out["orderId"].(float64))
		}},
		{"intlTnAddNote", onOrder("GBR")},
		{"intlOrderAddContactNote", anOrder},
		{"intlOrderAddNote", anOrder},
		{"intlOrderAddDocument", anOrder},
		{"intlOrderCancel", anOrder},
		{"intlOrderDocument", func(h *harness, req map[string]any) { req["orderId"], _ = intlOrderDoc(h) }},
		{"intlOrderDocumentDownload", func(h *harness, req map[string]any) { req["orderId"], req["documentId"] = intlOrderDoc(h) }},
		{"intlTnReserve-1-success", nil},
		{"intlTnReserve-2-partial", func(h *harness, _ map[string]any) {
			h.call("intlTnReserve", map[string]any{"tnReserve": map[string]any{"tnList": map[string]any{"tnItem": []any{map[string]any{"tn": "442015540013"}}}}})
		}},
		{"intlOrderList", func(h *harness, req map[string]any) { anOrder(h, map[string]any{}); intlDayAround(h, req) }},
		{"intlPortInOrder", nil},
		{"intlPortInOrderList", func(h *harness, req map[string]any) {
			out := h.call("intlPortInOrder", map[string]any{"portInOrder": map[string]any{"desiredDueDate": "2020-12-20T00:00:00.000Z", "tnList": map[string]any{
				"tnItem": []any{map[string]any{"countryRef": "GBR", "tn": h.srv.IntlPortableTNs("GBR", 1)[0], "endUserData": intlTestEndUser}}}}})
			require.Equal(h.t, "200", code(out), "%v", out)
			intlDayAround(h, req)
		}},
		{"intlTnDetail", func(h *harness, _ map[string]any) { intlOrdered(h, "FRA", 2, true) }},
		{"intlTnDisconnect", nil},
		{"intlTnAddDocument", onOrder("FRA")},
		{"intlTnDocumentDownload", func(h *harness, req map[string]any) { _, req["documentId"] = intlDocAdded(h) }},
		{"intlTnEndUser", onOrder("GBR")},
		{"intlTnInventory", nil},
		{"intlTnNoteUpdate", func(h *harness, req map[string]any) {
			_, tns := intlOrdered(h, "NLD", 1, true)
			setTn(req, tns[0], "NLD")
		}},
		{"intlTnOrder", func(h *harness, req map[string]any) {
			setTn(req["tnOrder"].(map[string]any), h.srv.AvailableIntlTNs("GBR", 1)[0], "GBR")
		}},
		{"intlOrderDetail", func(h *harness, req map[string]any) {
			id, _ := intlOrdered(h, "GBR", 1, false)
			req["orderId"] = id
			h.call("intlOrderAddNote", map[string]any{"orderId": id, "orderNote": "test note 1"})
		}},
		{"intlTnRequest", nil},
		{"intlTnReservedList", func(h *harness, _ map[string]any) {
			h.call("intlTnReserve", map[string]any{"tnReserve": map[string]any{"tnList": map[string]any{"tnItem": []any{map[string]any{"tn": h.srv.AvailableIntlTNs("GBR", 1)[0]}}}}})
		}},
		{"intlTnRoutingUpdate", onOrder("GBR")},
		{"intlTnUpdate", func(h *harness, req map[string]any) {
			_, tns := intlOrdered(h, "GBR", 1, true)
			setTn(req, tns[0], "GBR")
		}},
	}
}

// TestIntlHeadingSpellings: the guide's headings' int1TnDetail,
// int1OrderDetail, int1OrderDocumentDownload and intlInRequest answer like
// the examples' spellings.
func TestIntlHeadingSpellings(t *testing.T) {
	h := newHarness(t, Options{})
	id, _ := intlOrdered(h, "NLD", 1, false)
	for _, op := range []string{"int1OrderDetail", "intlOrderDetail"} {
		assert.Equal(t, "200", code(h.call(op, map[string]any{"orderId": id})), op)
	}
	out := h.call("int1TnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []any{map[string]any{"tnMask": "xxxxxxxxxxx"}}}})
	assert.Equal(t, "200", code(out))
	out = h.call("intlInRequest", map[string]any{"countryRef": "ESP", "quantity": 2, "customerOrderReference": "heading"})
	assert.Equal(t, "200", fmt.Sprint(out["statusCode"]), "%v", out)
}
