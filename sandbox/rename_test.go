package sandbox

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoutingLabelUpdate: a rename reaches the label list, the numbers
// routed with it and later orders (the old name is refused), survives a
// restart, and a trunk group rename reaches the labels' routes.
func TestRoutingLabelUpdate(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	h := newHarness(t, Options{StateDir: dir, Now: clock.Now})
	h.clock = clock
	ok := h.call("routingLabelUpdate", map[string]any{"routingLabel": "NTNYC-690-8XX-123", "newRoutingLabel": "Main Routing Label"})
	require.Equal(t, "200", code(ok), "%v", ok)
	assert.Equal(t, "Main Routing Label", h.srv.TollFree("8553489654").RoutingLabel)
	for _, bad := range []map[string]any{
		{"routingLabel": "NTNYC-690-8XX-123", "newRoutingLabel": "again"}, // the old name is gone
		{"routingLabel": "Main Routing Label", "newRoutingLabel": "NTNYC-690-8XX-124"},
		{"routingLabel": "Main Routing Label"},
		{"newRoutingLabel": "x"},
	} {
		assert.Equal(t, "414", code(h.call("routingLabelUpdate", bad)), "%v", bad)
	}
	require.Equal(t, "200", code(h.call("trunkGroupUpdate", map[string]any{"trunkGroupNameCurrent": "TG_NEWYORK_01", "trunkGroupNameNew": "New York 1"})))

	require.NoError(t, h.srv.Close())
	h.ts.Close()
	srv2, err := New(Options{StateDir: dir, Now: clock.Now})
	require.NoError(t, err)
	ts2 := httptest.NewServer(srv2)
	h2 := &harness{t: t, srv: srv2, ts: ts2, clock: clock}
	t.Cleanup(func() { ts2.Close(); _ = srv2.Close() })
	h2.token = h2.fetchToken(DemoKey, DemoSecret)

	var labels []string
	for _, it := range list(h2.call("routingLabelSearchAssigned", nil), "routingLabelList", "routingLabelItem") {
		labels = append(labels, dig(it, "routingLabel").(string))
	}
	assert.Contains(t, labels, "Main Routing Label")
	assert.NotContains(t, labels, "NTNYC-690-8XX-123")
	d := h2.call("routingLabelDetail", map[string]any{"routingLabel": "Main Routing Label"})
	assert.Equal(t, "New York 1", dig(list(d, "routingLabelList", "routingLabelItem")[0], "trunkGroupName"), "the trunk group rename reached the route")
	assert.Equal(t, "Main Routing Label", srv2.TollFree("8553489654").RoutingLabel)
	up := h2.call("tfUpdate", map[string]any{"tnList": map[string]any{"tnItem": []map[string]any{{"tn": "8663489655", "routingLabel": "NTNYC-690-8XX-123"}}}})
	assert.Contains(t, up["status"], "Invalid Routing Label", "%v", up)
}
