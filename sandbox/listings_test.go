package sandbox

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPageWindow: page/size reaches the first 10,000 results only; past
// them the guide sends users to searchId (guide 846).
func TestPageWindow(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(3)
	feat := map[string]any{"tnFeature": map[string]any{"callerId": map[string]any{"callingName": "ACME"}}}
	h.call("tnOrder", orderBody("pw", tns, feat)) // an order, for orderList
	ps := func(page, size int) map[string]any { return map[string]any{"page": page, "size": size} }
	tests := []struct {
		name    string
		op      string
		body    map[string]any
		refused bool
	}{
		{"inventory page 2 at size 10000", "tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": ps(2, 10000)}, true},
		{"inventory page 1 at size 10000", "tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": ps(1, 10000)}, false},
		{"inventory page 100 at size 100", "tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": ps(100, 100)}, false},
		{"inventory page 101 at size 100", "tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": ps(101, 100)}, true},
		{"tnDetail page 2 at size 10000", "tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []any{map[string]any{"tnMask": "xxxxxxxxxx"}}}, "pageSort": ps(2, 10000)}, true},
		{"orderList page 2 at size 10000", "orderList", map[string]any{"pageSort": ps(2, 10000)}, true},
		{"e911CallSearch page 2 at size 10000", "e911CallSearch", map[string]any{"startDate": "2024-01-01 00:00:00", "endDate": "2024-03-01 00:00:00", "pageSort": ps(2, 10000)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := h.call(tc.op, tc.body)
			if tc.refused {
				assert.Equal(t, "414", code(out), "%v", out)
				assert.Contains(t, out["status"], "searchId")
				return
			}
			assert.NotEqual(t, "414", code(out), "%v", out)
		})
	}
}

// TestScrollTTL: a searchId lives ScrollTTL after its last use.
func TestScrollTTL(t *testing.T) {
	for _, ttl := range []time.Duration{30 * time.Second, 10 * time.Minute} {
		t.Run(ttl.String(), func(t *testing.T) {
			h := newHarness(t, Options{ScrollTTL: ttl})
			first := h.call("tnInventory", map[string]any{"tnMask": "xxxxxxxxxx", "pageSort": map[string]any{"size": 10000}})
			require.Equal(t, "200", code(first))
			sid := first["searchId"]
			next := func() map[string]any {
				return h.call("tnInventory", map[string]any{"pageSort": map[string]any{"searchId": sid}})
			}
			h.clock.Advance(ttl - time.Second)
			assert.Equal(t, "200", code(next()), "used within the TTL")
			h.clock.Advance(ttl - time.Second)
			assert.Equal(t, "200", code(next()), "the TTL is idle time: each use renews it")
			h.clock.Advance(ttl + time.Second)
			assert.Equal(t, "410", code(next()), "idle longer than the TTL")
		})
	}
}

// TestMDRCap: the guide states no cap on messageDetailSearch; the fault
// knob mdr-cap adds one to exercise exporters that split windows.
func TestMDRCap(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	tns := h.srv.AvailableTNs(50)
	h.call("tnOrder", orderBody("mdr", tns, nil))
	h.clock.Advance(30 * time.Minute)
	req := func() map[string]any {
		start := h.clock.Now().Add(-2 * time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")
		end := h.clock.Now().UTC().Format("2006-01-02T15:04:05.000Z")
		return h.call("messageDetailSearch", map[string]any{"startDate": start, "endDate": end,
			"direction": "Outbound", "messageClass": "P2P", "messageType": "SMS"})
	}
	out := req()
	require.Equal(t, "200", code(out), "no cap by default: %v", out["status"])
	n := len(list(out, "messageDetails"))
	require.Positive(t, n)
	h.srv.SetFaults(Faults{MDRCap: n - 1})
	out = req()
	assert.Equal(t, "414", code(out), "over the cap: %v", out["status"])
	h.srv.SetFaults(Faults{MDRCap: n})
	assert.Equal(t, "200", code(req()), fmt.Sprint("at the cap: ", n))
}
