package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessageDetailSearch(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	day := map[string]any{"startDate": "2024-03-01T00:00:00.000Z", "endDate": "2024-03-01T23:59:59.999Z",
		"direction": "Outbound", "messageClass": "P2P", "messageType": "SMS"}
	a := h.call("messageDetailSearch", day)
	require.Equal(t, "200", code(a))
	recs := a["messageDetails"].([]any)
	require.NotEmpty(t, recs)
	for _, r := range recs {
		m := r.(map[string]any)
		assert.Equal(t, "SMS", m["messageType"])
		assert.Len(t, m["source"], 11, "E.164 like the guide's example")
		assert.Contains(t, m["messageDate"], "2024-03-01T")
		assert.NotEmpty(t, m["statusCode"], "each record carries its own status")
	}
	again := h.call("messageDetailSearch", day)
	assert.Equal(t, a, again, "deterministic")

	tests := []struct {
		drop, bad, val, want string
	}{
		{drop: "startDate", want: "Fields Are Required:startDate"},
		{drop: "direction", want: "Fields Are Required:direction"},
		{bad: "messageType", val: "FAX", want: "Invalid value entered for: messageType"},
		{bad: "endDate", val: "2024-02-01T00:00:00.000Z", want: "Invalid value entered for: endDate"},
	}
	for _, tt := range tests {
		req := map[string]any{}
		for k, v := range day {
			req[k] = v
		}
		if tt.drop != "" {
			delete(req, tt.drop)
		}
		if tt.bad != "" {
			req[tt.bad] = tt.val
		}
		a := h.call("messageDetailSearch", req)
		assert.Equal(t, "414", code(a))
		assert.Equal(t, tt.want, a["status"])
	}
	old := h.call("messageDetailSearch", map[string]any{"startDate": "2010-01-01T00:00:00.000Z", "endDate": "2010-01-02T00:00:00.000Z",
		"direction": "Inbound", "messageClass": "A2PLC", "messageType": "MMS"})
	assert.Equal(t, "430", code(old), "no records before the numbers were activated")
}

func TestE911CallSearch(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	req := map[string]any{"startDate": "2024-01-01 00:00:00", "endDate": "2024-03-01 00:00:00", "pageSort": map[string]any{"size": 5, "page": 1}}
	a := h.call("e911CallSearch", req)
	require.Equal(t, "200", code(a))
	assert.Len(t, a["callDetailList"], 5)
	// the guide's answer (9597-9630) has no page fields
	assert.NotContains(t, a, "page")
	assert.NotContains(t, a, "totalPages")
	assert.NotContains(t, a, "totalItems")
	p2 := h.call("e911CallSearch", map[string]any{"startDate": "2024-01-01 00:00:00", "endDate": "2024-03-01 00:00:00", "pageSort": map[string]any{"size": 5, "page": 2}})
	assert.NotEqual(t, a["callDetailList"], p2["callDetailList"], "page 2 is the next page")

	unknown := h.call("e911CallSearch", map[string]any{"startDate": "2024-01-01 00:00:00", "endDate": "2024-01-02 00:00:00", "colour": "red"})
	assert.Equal(t, "400", code(unknown))
	assert.Equal(t, "Request format not recognized (Unrecognized fields in json)", unknown["status"])
	missing := h.call("e911CallSearch", map[string]any{"endDate": "2024-01-02 00:00:00"})
	assert.Equal(t, "Fields Are Required:startDate", missing["status"])
	bad := h.call("e911CallSearch", map[string]any{"startDate": "2024-01-01 00:00:00", "endDate": "2024-01-02 00:00:00", "callStatus": "Lost"})
	assert.Equal(t, "Invalid value entered for:callStatus", bad["status"])
	none := h.call("e911CallSearch", map[string]any{"startDate": "2015-01-01 00:00:00", "endDate": "2015-01-02 00:00:00"})
	assert.Equal(t, "430", code(none))
}

func TestFeatureListsFollowState(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	for _, op := range []string{"tnFeatureCnamList", "tnFeatureCNamList", "tnFeatureDLList", "tnFeatureE911List", "tnFeatureMessageList", "tnMessagingCampaignList"} {
		assert.Equal(t, "430", code(h.call(op, map[string]any{})), op)
	}
	a := h.call("tnFeatureOrder", map[string]any{"tnFeatureOrder": map[string]any{"tnList": map[string]any{"tnItem": []any{
		map[string]any{"tn": "3123489651", "tnFeature": map[string]any{"callerId": map[string]any{"callingName": "ACME"}}}}}}})
	require.Equal(t, "200", code(a), "%v", a)
	cnam := h.call("tnFeatureCNamList", map[string]any{})
	require.Equal(t, "200", code(cnam))
	items := cnam["tnFeatureList"].(map[string]any)["tnFeatureItem"].([]any)
	require.Len(t, items, 1)
	assert.Equal(t, "ACME", items[0].(map[string]any)["callingName"])
	assert.Equal(t, "1", cnam["totalItems"])
	camps := h.call("messageCampaigns", map[string]any{})
	assert.NotEmpty(t, camps["messageCampaignList"].(map[string]any)["messageCampaignItem"])
}
