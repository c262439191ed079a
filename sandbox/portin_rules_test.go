package sandbox

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// portableIn returns n numbers of rate centers of tier that can be ported.
func portableIn(t *testing.T, h *harness, tier string, n int) []string {
	t.Helper()
	h.srv.mu.Lock()
	defer h.srv.mu.Unlock()
	st, now := h.srv.st, h.srv.simNowLocked()
	var out []string
	for bi := range st.w.blocks {
		bl := &st.w.blocks[bi]
		if rateCenters[bl.rc].tier != tier {
			continue
		}
		for line := uint32(0); line < 10000 && len(out) < n; line++ {
			tn := uint64(bl.npanxx)*10000 + uint64(line)
			if bl.class(line) == lineNone && st.portReason(tn, now, false) == "" {
				out = append(out, tnString(tn))
			}
		}
	}
	if len(out) < n {
		t.Skipf("the world has %d portable %s numbers", len(out), tier)
	}
	return out
}

func excludedReasons(t *testing.T, h *harness, id any) map[string]string {
	t.Helper()
	ex := h.call("excludedTnList", map[string]any{"orderId": id})
	out := map[string]string{}
	for _, it := range list(ex, "excludedTnList", "excludedTnItem") {
		out[jsonNum(dig(it, "tn").(float64))] = dig(it, "excludedReason").(string)
	}
	return out
}

// TestPortInCanadaNeedsReseller: guide 6979, "Reseller Name is not
// required for API call but required for Canadian Port Orders".
func TestPortInCanadaNeedsReseller(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1_000_000})
	ca := portableIn(t, h, "CAN", 2)
	us := h.srv.PortableTNs(1)
	due := h.clock.Now().AddDate(0, 0, 5).UTC().Format(time.DateOnly)
	tests := []struct {
		name     string
		reseller string
		excluded bool
	}{
		{"without resellerName", "", true},
		{"with resellerName", "Rogers", false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := portBody("ca-"+tc.name, due, "N", portReqItem(ca[i], "M5H 2N2"), portReqItem(us[0], "33124"))
			body["portInOrder"].(map[string]any)["resellerName"] = tc.reseller
			if i == 1 {
				body = portBody("ca-"+tc.name, due, "N", portReqItem(ca[i], "M5H 2N2"))
				body["portInOrder"].(map[string]any)["resellerName"] = tc.reseller
			}
			out := h.call("portInOrder", body)
			require.Equal(t, "200", code(out), "the API call is accepted: %v", out)
			h.clock.Advance(time.Minute)
			reasons := excludedReasons(t, h, out["orderId"])
			if tc.excluded {
				assert.Equal(t, reasonResellerCanada, reasons[ca[i]])
				assert.NotContains(t, reasons, us[0], "US numbers need no reseller")
			} else {
				assert.NotContains(t, reasons, ca[i])
			}
		})
	}
}

// TestPortInOnDemandAcrossRequests: guide 6916, "200 or fewer per losing
// carrier", counted over every open on-demand order, not per request.
func TestPortInOnDemandAcrossRequests(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1_000_000})
	tns := h.srv.PortableTNs(600)
	due := h.clock.Now().AddDate(0, 0, 10).UTC().Format(time.DateOnly)
	byCarrier := map[int][]string{}
	h.srv.mu.Lock()
	for _, tn := range tns {
		n, _ := parseTN(tn)
		c := carrierOf(h.srv.st.w, n)
		byCarrier[c] = append(byCarrier[c], tn)
	}
	h.srv.mu.Unlock()
	var one []string
	for _, l := range byCarrier {
		if len(l) >= 201 {
			one = l
			break
		}
	}
	if one == nil {
		t.Skip("no losing carrier with 201 portable numbers")
	}
	items := func(l []string) []map[string]any {
		out := make([]map[string]any, len(l))
		for i, tn := range l {
			out[i] = portReqItem(tn, "33124")
		}
		return out
	}
	first := h.call("portInOrder", portBody("od-1", due, "Y", items(one[:150])...))
	require.Equal(t, "200", code(first), "%v", first)
	second := h.call("portInOrder", portBody("od-2", due, "Y", items(one[150:201])...))
	assert.Equal(t, "414", code(second), "150 open + 51 > 200: %v", second)
	assert.Contains(t, second["status"], "200 or fewer numbers per losing carrier")
	third := h.call("portInOrder", portBody("od-3", due, "Y", items(one[150:200])...))
	assert.Equal(t, "200", code(third), "150 + 50 = 200: %v", third)
	notOnDemand := h.call("portInOrder", portBody("od-4", due, "N", items(one[200:201])...))
	assert.Equal(t, "200", code(notOnDemand), "the limit is for on-demand orders: %v", notOnDemand)
}

// TestPortInFeaturesNeedTrunkGroup: guide 6977.
func TestPortInFeaturesNeedTrunkGroup(t *testing.T) {
	h := newHarness(t, Options{})
	tn := h.srv.PortableTNs(1)[0]
	due := h.clock.Now().AddDate(0, 0, 5).UTC().Format(time.DateOnly)
	it := portReqItem(tn, "33124")
	it["tnFeature"] = map[string]any{"callerId": map[string]any{"callingName": "ACME"}}
	out := h.call("portInOrder", portBody("tg-1", due, "N", it))
	assert.Equal(t, "414", code(out))
	assert.Equal(t, "Fields Are Required:trunkGroup", out["status"])
	it["trunkGroup"] = "TG_CHICAGO_01"
	assert.Equal(t, "200", code(h.call("portInOrder", portBody("tg-2", due, "N", it))))
}

// TestCampaignPartialSuccessShape: 425 "Partial Success" carries only
// status, statusCode and orderId (guide 2982-3127): no per-number list.
func TestCampaignPartialSuccessShape(t *testing.T) {
	h := newHarness(t, Options{})
	got := h.call("tnMessagingCampaign", campaignBody("ps", "tnCampaign", "CA1B2C3", false, "3123489654", "3125550100"))
	require.Equal(t, "425", code(got))
	keys := []string{}
	for k := range got {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"status", "statusCode", "orderId"}, keys)
}

// TestPortInE911Validation: E911 requested with a port is validated in the
// background like an order's; what fails is in excludedE911Detail.
func TestPortInE911Validation(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.PortableTNs(2)
	due := h.clock.Now().AddDate(0, 0, 5).UTC().Format(time.DateOnly)
	good, bad := portReqItem(tns[0], "33124"), portReqItem(tns[1], "33124")
	good["trunkGroup"], bad["trunkGroup"] = "TG_CHICAGO_01", "TG_CHICAGO_01"
	good["tnFeature"] = map[string]any{"e911": validE911()}
	fake := validE911()
	fake["origStreetInfo"], fake["origCity"], fake["origState"], fake["origPostalCode"] = "Fake Rd", "Nowhere", "ZZ", "12345"
	bad["tnFeature"] = map[string]any{"e911": fake}
	out := h.call("portInOrder", portBody("pe", due, "N", good, bad))
	require.Equal(t, "200", code(out), "%v", out)
	h.clock.Advance(time.Minute)
	rows := list(h.call("excludedE911Detail", map[string]any{"orderId": out["orderId"]}), "excludedE911Detail", "excludedFeatureItem")
	require.Len(t, rows, 1)
	assert.Equal(t, tns[1], dig(rows[0], "tn"))
	assert.Equal(t, reasonE911NotValidated, dig(rows[0], "excludedReason"))
}
