package sandbox

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTnRequest: the numbers come from the asked-for area, on an order
// that answers its orderId; activate Y puts them on the account, N holds
// them for it; bad filters are refused with the field's name.
func TestTnRequest(t *testing.T) {
	h := newHarness(t, Options{})
	out := h.call("tnRequest", map[string]any{"customerOrderReference": "req-1", "npa": "630", "nxx": "420", "quantity": 5, "activate": "Y", "trunkGroup": "TG_CHICAGO_01"})
	require.Equal(t, "200", code(out), "%v", out)
	id := out["orderId"]
	require.NotEmpty(t, id)
	h.clock.Advance(time.Minute)
	h.token = h.fetchToken(DemoKey, DemoSecret)
	d := h.call("orderDetail", map[string]any{"orderId": id})
	items := d["orderDetailResponse"].(map[string]any)["tnList"].(map[string]any)["tnItem"].([]any)
	require.Len(t, items, 5)
	var tns []string
	for _, it := range items {
		tn := fmt.Sprintf("%.0f", it.(map[string]any)["tn"])
		assert.True(t, strings.HasPrefix(tn, "630420"), tn)
		tns = append(tns, tn)
	}
	assert.Equal(t, "Closed", d["orderDetailResponse"].(map[string]any)["orderStatus"])
	det := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []map[string]any{{"tnMask": tns[0]}}}})
	assert.Contains(t, mustJSON(t, det), `"TG_CHICAGO_01"`, "on the account with the trunk group asked for: %v", det)
	assert.Contains(t, mustJSON(t, det), `"In Service"`)

	held := h.call("tnRequest", map[string]any{"npa": "630", "nxx": "420", "quantity": 2, "activate": "N"})
	require.Equal(t, "200", code(held))
	res := h.call("tnReservedList", map[string]any{})
	assert.Len(t, res["reservedTns"], 2, "activate N holds the numbers for the account: %v", res)

	for _, bad := range []map[string]any{
		{"npa": "312"},
		{"quantity": 2, "npa": "31"},
		{"quantity": 2, "activate": "X"},
		{"quantity": 2, "trunkGroup": "NO_SUCH_TG"},
		{"quantity": tnRequestMax + 1},
	} {
		assert.Equal(t, "414", code(h.call("tnRequest", bad)), "%v", bad)
	}
}
