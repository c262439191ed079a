package jobs

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

func TestPortOutRejectParse(t *testing.T) {
	tests := []struct {
		name  string
		cells map[string]string
		errs  int
	}{
		{"ok", map[string]string{"tn": "808-201-7948", "order_id": "1501843", "reject_reason": "invzipcd"}, 0},
		{"unknown reason", map[string]string{"tn": "8082017948", "order_id": "1501843", "reject_reason": "NOTMINE"}, 1},
		{"missing all", map[string]string{}, 3},
		{"order not a number", map[string]string{"tn": "8082017948", "order_id": "abc", "reject_reason": "PIN"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, errs := portOutReject{}.Parse(row(2, tc.cells))
			assert.Len(t, errs, tc.errs, "%v", errs)
			if tc.errs == 0 {
				assert.Equal(t, "8082017948", p.Key)
				assert.Equal(t, "INVZIPCD", p.Fields["reject_reason"])
			}
		})
	}
}

// TestPortOutReconcile: before anything was sent, reconciliation asks for
// the row to be sent; after a send whose answer is "lost", it finds the
// change in tnPortOutHistory and asks for nothing.
func TestPortOutReconcile(t *testing.T) {
	ctx := context.Background()
	srv, api := sandboxAPI(t, sandbox.Options{})
	tests := []struct {
		name string
		job  interface {
			Job
			Reconciler
		}
		cells map[string]string
		code  string
	}{
		{"reject", portOutReject{}, map[string]string{"tn": "3125550201", "order_id": "1501844", "reject_reason": "PIN"}, "Canceled"},
		{"approve", portOutApprove{}, map[string]string{"order_id": "1501844"}, "Closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := batchOf(t, tc.job, tc.cells)
			res, resend, err := tc.job.Reconcile(ctx, api, b)
			require.NoError(t, err)
			assert.Equal(t, []int{1}, resend, "never received: send it")
			assert.Empty(t, res.Rows)

			req, err := tc.job.Build(b)
			require.NoError(t, err)
			resp, err := tc.job.Send(ctx, api, req)
			require.NoError(t, err)
			assert.Equal(t, record.StatusOK, tc.job.Read(b, resp).Rows[0].Status)

			res, resend, err = tc.job.Reconcile(ctx, api, b)
			require.NoError(t, err)
			assert.Empty(t, resend, "applied: never send it again")
			require.Len(t, res.Rows, 1)
			assert.Equal(t, record.StatusOK, res.Rows[0].Status)
			assert.Equal(t, tc.code, res.Rows[0].Code)

			// A second send is refused by the API: proof the first arrived.
			_, err = tc.job.Send(ctx, api, req)
			require.Error(t, err)
			assert.False(t, inteliquent.IsAmbiguous(err))
		})
	}
	applied := 0
	for _, a := range srv.Audit() {
		if a.Applied {
			applied++
		}
	}
	assert.Equal(t, 2, applied)
}
