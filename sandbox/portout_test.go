package sandbox

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func portOutHistory(h *harness) map[string]string {
	out := map[string]string{}
	for _, it := range list(h.call("tnPortOutHistory", map[string]any{}), "orderList", "orderType") {
		m := it.(map[string]any)
		out[jsonNum(m["orderId"].(float64))+"/"+m["tn"].(string)] = m["orderStatus"].(string)
	}
	return out
}

func TestPortOutRules(t *testing.T) {
	h := newHarness(t, Options{})
	reject := func(order any, tn, reason string) map[string]any {
		return h.call("tnPortOutReject", map[string]any{"tnPortOutReject": map[string]any{"orderId": order, "tn": tn, "rejectReason": reason}})
	}
	tests := []struct {
		name string
		got  map[string]any
		code string
	}{
		{"missing fields", reject("", "", ""), "414"},
		{"unknown reason", reject(1501844, "3125550201", "NOPE"), "414"},
		{"unknown order", reject(999, "3125550201", "PIN"), "410"},
		{"number not on the order", reject(1501844, "3125550299", "PIN"), "414"},
		{"reject", reject(1501844, "3125550201", "PIN"), "200"},
		{"reject twice", reject(1501844, "3125550201", "PIN"), "414"},
		{"approve the rest", h.call("portOutApproval", map[string]any{"orderId": "1501844"}), "200"},
		{"approve twice", h.call("portOutApproval", map[string]any{"orderId": 1501844}), "432"},
		{"approve unknown", h.call("portOutApproval", map[string]any{"orderId": 42}), "432"},
		{"reject after approval", reject(1501844, "3125550202", "PIN"), "414"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.code, code(tc.got), "%s: %v", tc.name, tc.got)
	}
	hist := portOutHistory(h)
	assert.Equal(t, "Canceled", hist["1501844/3125550201"])
	assert.Equal(t, "Closed", hist["1501844/3125550202"])
	assert.Equal(t, "Closed", hist["1501844/3125550203"])
	assert.Equal(t, "Closed", hist["1385525/9707717171"], "the guide's example history")
	assert.NotContains(t, hist, "1301001/9707717100", "older than three months")
	assert.NotContains(t, hist, "1501845/6465550300", "still pending")
}

func TestPortOutPersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	h := newHarness(t, Options{StateDir: dir})
	require.Equal(t, "200", code(h.call("portOutApproval", map[string]any{"orderId": 1501845})))
	require.NoError(t, h.srv.Close())
	h.ts.Close()

	h2 := newHarness(t, Options{StateDir: dir, Now: h.clock.Now})
	assert.Equal(t, "Closed", portOutHistory(h2)["1501845/6465550300"])
	assert.Equal(t, "432", code(h2.call("portOutApproval", map[string]any{"orderId": 1501845})), "already approved before the restart")
}
