package jobs

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// TestTnOrderReadsStrictly: no row is ok unless the answer says so for its
// number (DESIGN.md rule 4). The answers are the guide's own tnOrder answer
// (seed 1593–1736: "numbers 6123453622 and 6123453623 were synchronously
// activated to the account, but 6123453624 was excluded") and what a real
// API or a proxy can send instead.
func TestTnOrderReadsStrictly(t *testing.T) {
	job, err := Default().Lookup("tn-order")
	require.NoError(t, err)
	tns := []string{"6123453622", "6123453623", "6123453624"}
	for _, tc := range []struct {
		name   string
		answer string
		want   []string
	}{
		{"the guide's example, verbatim", `{"status": "{2=[6123453624 TN is on an existing order]}", "statusCode": "200", "orderId": "null"}`,
			[]string{"ok", "ok", "excluded"}},
		{"Success", `{"status": "Success", "statusCode": "200", "orderId": "null"}`, []string{"ok", "ok", "ok"}},
		{"a reason that names no number", `{"status": "{2=[Order failed to process]}", "statusCode": "200", "orderId": "null"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"a key that is not a ten-digit number of the batch", `{"status": "{2=[61234536241 TN is on an existing order]}", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"another number than the batch's", `{"status": "{2=[3125550100 TN is on an existing order]}", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"one named, one unclear", `{"status": "{2=[Order failed to process, 6123453624 TN is on an existing order]}", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "excluded"}},
		{"an unparseable status", `{"status": "{2=[6123453624 TN is on an existing order", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"no status at all", `{"statusCode": "200", "orderId": "null"}`, []string{"in-doubt", "in-doubt", "in-doubt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := batchOf(t, job, map[string]string{"tn": tns[0]}, map[string]string{"tn": tns[1]}, map[string]string{"tn": tns[2]})
			var resp inteliquent.TnOrderResponse
			require.NoError(t, json.Unmarshal([]byte(tc.answer), &resp))
			res := job.Read(b, &resp)
			got := map[int]record.Outcome{}
			for _, o := range res.Rows {
				got[o.Seq] = o.Outcome
			}
			for i, want := range tc.want {
				o := got[i+1]
				assert.Equal(t, want, o.Status, "row %d (%s): %+v", i+1, tns[i], o)
				if want == record.StatusInDoubt {
					assert.NotEmpty(t, o.Message, "the API's own words are kept")
				}
			}
		})
	}
}
