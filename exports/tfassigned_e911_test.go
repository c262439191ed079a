package exports_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/sandbox"
)

// TestTfAssignedE911Activation: tf-assigned carries tfDetail's
// e911ActivateDate, e911ActivateUser and e911TnStatus (issue 15 item 8:
// no field dropped).
func TestTfAssignedE911Activation(t *testing.T) {
	h := newHarness(t, sandbox.Options{WorldSize: 2000, ClockSpeed: 2000})
	req := &inteliquent.TfFeatureOrderRequest{}
	req.TfFeatureOrder.TnList.TnItem = []inteliquent.TfFeatureOrderItem{{TN: "8553489654", TnFeature: inteliquent.TfFeature{E911: &inteliquent.E911{
		Name: "Hope Trope", OrigStreetNum: "550", OrigStreetInfo: "W Adams St", OrigCity: "Chicago", OrigState: "IL", OrigPostalCode: "60661"}}}}
	_, err := h.api.TfFeatureOrder(context.Background(), req)
	require.NoError(t, err)
	time.Sleep(50 * time.Millisecond) // the order closes in simulated seconds

	out := filepath.Join(t.TempDir(), "tf.csv")
	run(t, h, exports.Options{Kind: "tf-assigned", Out: out})
	header, rows := readRows(t, out)
	i := indexRow(rows, "8553489654")
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, "Hope Trope", rows[i][indexOf(header, "e911_name")])
	assert.NotEmpty(t, rows[i][indexOf(header, "e911_activate_date")])
	assert.Equal(t, "api_user", rows[i][indexOf(header, "e911_activate_user")])
	assert.Equal(t, "In Service", rows[i][indexOf(header, "e911_tn_status")])
}
