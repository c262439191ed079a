package jobs

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/sandbox"
)

// sandboxAPI starts the simulator on 127.0.0.1 and returns a client for it.
func sandboxAPI(t *testing.T, opts sandbox.Options) (*sandbox.Server, *inteliquent.Client) {
	t.Helper()
	srv, err := sandbox.New(opts)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	api, err := inteliquent.New(inteliquent.Config{BaseURL: ts.URL + "/Services/1.0.0", Key: sandbox.DemoKey, Secret: sandbox.DemoSecret, Retries: 1})
	require.NoError(t, err)
	return srv, api
}

func statuses(res Result) map[int]string {
	out := map[int]string{}
	for _, r := range res.Rows {
		out[r.Seq] = r.Status
	}
	return out
}

// Pre-provisioned In Service numbers (sandbox/doc.go).
const (
	inService1 = "3123489651"
	inService2 = "3123489652"
	neverOurs  = "5555550100"
)

func TestDisconnectDryRunCheckAndReconcile(t *testing.T) {
	ctx := context.Background()
	srv, api := sandboxAPI(t, sandbox.Options{ClockSpeed: 1})
	job := tnDisconnect{}
	b := batchOf(t, job, map[string]string{"tn": inService1}, map[string]string{"tn": neverOurs}, map[string]string{"tn": inService2})

	res, err := job.DryRunCheck(ctx, api, b)
	require.NoError(t, err)
	assert.Equal(t, map[int]string{1: record.StatusSkipped, 2: record.StatusExcluded, 3: record.StatusSkipped}, statuses(res))
	assert.Empty(t, srv.Audit(), "the dry-run check only reads")

	// Nothing was sent: reconciliation finds no order, both In Service
	// numbers must be sent, the other is decided.
	res, resend, err := job.Reconcile(ctx, api, b)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 3}, resend)
	// A number not on the account was never disconnected by this batch:
	// excluded with the reason, not counted as done (issue 13).
	assert.Equal(t, map[int]string{2: record.StatusExcluded}, statuses(res))
	assert.Contains(t, res.Rows[0].Message, "not on the account")

	// The answer is lost after the API applied the batch: the order is
	// found by customerOrderReference and nothing is resent.
	req, err := job.Build(b)
	require.NoError(t, err)
	_, err = job.Send(ctx, api, req)
	require.NoError(t, err)
	res, resend, err = job.Reconcile(ctx, api, b)
	require.NoError(t, err)
	assert.Empty(t, resend)
	require.Len(t, res.Orders, 1)
	assert.Equal(t, map[int]string{1: record.StatusPending, 2: record.StatusPending, 3: record.StatusPending}, statuses(res))

	res, err = job.DryRunCheck(ctx, api, b)
	require.NoError(t, err)
	assert.Equal(t, record.StatusExcluded, statuses(res)[1], "now Pending Disconnect")
	assert.Contains(t, res.Rows[0].Message, tnPendingDisconnect)
}

func TestDisconnectReadExcludesAtOnce(t *testing.T) {
	ctx := context.Background()
	_, api := sandboxAPI(t, sandbox.Options{})
	job := tnDisconnect{}
	b := batchOf(t, job, map[string]string{"tn": inService1}, map[string]string{"tn": neverOurs})
	req, err := job.Build(b)
	require.NoError(t, err)
	resp, err := job.Send(ctx, api, req)
	require.NoError(t, err)
	res := job.Read(b, resp)
	assert.Equal(t, map[int]string{1: record.StatusPending, 2: record.StatusExcluded}, statuses(res))
	require.Len(t, res.Orders, 1)
	require.Len(t, res.Excluded, 1)
	assert.Equal(t, neverOurs, res.Excluded[0].TN)
	assert.NotEmpty(t, res.Excluded[0].Reason)
}

func TestReserveLimitAndExclusions(t *testing.T) {
	ctx := context.Background()
	srv, api := sandboxAPI(t, sandbox.Options{ReservationLimit: 2})
	avail := srv.AvailableTNs(3)
	job := tnReserve{}

	// Over the account's limit: 431 is an answer for every row, not a retry.
	b := batchOf(t, job, map[string]string{"tn": avail[0]}, map[string]string{"tn": avail[1]}, map[string]string{"tn": avail[2]})
	req, err := job.Build(b)
	require.NoError(t, err)
	resp, err := job.Send(ctx, api, req)
	require.NoError(t, err)
	res := job.Read(b, resp)
	require.Len(t, res.Rows, 3)
	for _, r := range res.Rows {
		assert.Equal(t, record.StatusFailed, r.Status)
		assert.Equal(t, "431", r.Code)
		assert.Contains(t, r.Message, "Request exceeds the maximum number of reserved TNs")
	}
	assert.EqualValues(t, 1, api.Stats().Requests, "431 on tnReserve is not retried")

	// Within the limit: one number not in inventory is excluded.
	b = batchOf(t, job, map[string]string{"tn": avail[0]}, map[string]string{"tn": neverOurs})
	req, _ = job.Build(b)
	resp, err = job.Send(ctx, api, req)
	require.NoError(t, err)
	res = job.Read(b, resp)
	assert.Equal(t, map[int]string{1: record.StatusOK, 2: record.StatusExcluded}, statuses(res))
	require.Len(t, res.Excluded, 1)
	assert.Equal(t, neverOurs, res.Excluded[0].TN)

	// A lost answer: the reserved number is on tnReservedList, not resent.
	res, resend, err := job.Reconcile(ctx, api, b)
	require.NoError(t, err)
	assert.Equal(t, []int{2}, resend)
	assert.Equal(t, map[int]string{1: record.StatusOK}, statuses(res))

	// Release it, and a number that is not reserved.
	rel := tnRelease{}
	rb := batchOf(t, rel, map[string]string{"tn": avail[0]}, map[string]string{"tn": avail[1]})
	rreq, _ := rel.Build(rb)
	rresp, err := rel.Send(ctx, api, rreq)
	require.NoError(t, err)
	assert.Equal(t, map[int]string{1: record.StatusOK, 2: record.StatusExcluded}, statuses(rel.Read(rb, rresp)))
	res, resend, err = rel.Reconcile(ctx, api, rb)
	require.NoError(t, err)
	assert.Empty(t, resend, "neither number is reserved any more")
	assert.Len(t, res.Rows, 2)
}

func TestTrunkGroupAndFeatureReconcile(t *testing.T) {
	ctx := context.Background()
	_, api := sandboxAPI(t, sandbox.Options{})
	tg := tnTrunkGroup{}
	b := batchOf(t, tg, map[string]string{"tn": inService1, "trunk_group": "TG_CHICAGO_02"}, map[string]string{"tn": inService2, "trunk_group": "NO_SUCH_TG"})

	res, resend, err := tg.Reconcile(ctx, api, b)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, resend, "nothing sent yet: both go")
	assert.Empty(t, res.Rows)

	req, _ := tg.Build(b)
	resp, err := tg.Send(ctx, api, req)
	require.NoError(t, err)
	res = tg.Read(b, resp)
	assert.Equal(t, map[int]string{1: record.StatusPending, 2: record.StatusExcluded}, statuses(res))
	res, resend, err = tg.Reconcile(ctx, api, b)
	require.NoError(t, err)
	assert.Empty(t, resend)
	require.Len(t, res.Orders, 1)

	ft := tnFeature{}
	fb := batchOf(t, ft, map[string]string{"tn": "3123489653", "calling_name": "ACME"}) // not on the open trunk-group order
	_, resend, err = ft.Reconcile(ctx, api, fb)
	require.NoError(t, err)
	assert.Equal(t, []int{1}, resend, "no order under the reference: send")
	freq, _ := ft.Build(fb)
	_, err = ft.Send(ctx, api, freq)
	require.NoError(t, err)
	res, resend, err = ft.Reconcile(ctx, api, fb)
	require.NoError(t, err)
	assert.Empty(t, resend)
	assert.Equal(t, map[int]string{1: record.StatusPending}, statuses(res))
}

// TestFollowBackgroundOrder: an order over 100 numbers (made outside the
// pipeline, which never sends more) is validated in the background. Its
// invalid numbers come back from excludedTnList after follow-up; an order
// with no valid number is cancelled automatically.
func TestFollowBackgroundOrder(t *testing.T) {
	ctx := context.Background()
	srv, api := sandboxAPI(t, sandbox.Options{ClockSpeed: 5000})
	follow := func(req *inteliquent.TnOrderRequest) FollowResult {
		t.Helper()
		resp, err := api.TnOrder(ctx, req)
		require.NoError(t, err)
		require.NotEmpty(t, resp.OrderID, "over 100 numbers: an order")
		var rows []record.Row
		for i, it := range req.TnOrder.TnList.TnItem {
			rows = append(rows, record.Row{Seq: i + 1, Key: string(it.TN), Outcome: record.Outcome{Status: record.StatusPending}})
		}
		o := record.Order{OrderID: string(resp.OrderID), CustomerOrderReference: req.TnOrder.CustomerOrderReference, Batch: 1}
		for range 200 {
			fr, err := tnOrder{}.Follow(ctx, api, o, rows)
			require.NoError(t, err)
			if fr.Order.Final {
				return fr
			}
			o = fr.Order
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatal("order never final")
		return FollowResult{}
	}

	// 100 valid numbers and 5 never in inventory.
	req := &inteliquent.TnOrderRequest{}
	req.TnOrder.CustomerOrderReference = "bg-mixed"
	for _, tn := range srv.AvailableTNs(100) {
		req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{TN: inteliquent.TN(tn)})
	}
	for i := range 5 {
		req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{TN: inteliquent.TN(fmt.Sprintf("555555010%d", i))})
	}
	fr := follow(req)
	assert.Equal(t, OrderClosed, fr.Order.Status)
	c := map[string]int{}
	for _, r := range fr.Rows {
		c[r.Status]++
		if r.Status == record.StatusExcluded {
			assert.NotEmpty(t, r.Message)
		}
	}
	assert.Equal(t, map[string]int{record.StatusOK: 100, record.StatusExcluded: 5}, c)
	assert.Len(t, fr.Excluded, 5)

	// 101 numbers, none valid: cancelled automatically.
	req = &inteliquent.TnOrderRequest{}
	req.TnOrder.CustomerOrderReference = "bg-invalid"
	for i := range 101 {
		req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{TN: inteliquent.TN(fmt.Sprintf("5555551%03d", i))})
	}
	fr = follow(req)
	assert.Equal(t, OrderCanceled, fr.Order.Status)
	require.Len(t, fr.Rows, 101)
	for _, r := range fr.Rows {
		assert.Equal(t, record.StatusExcluded, r.Status, "each number with the API's reason")
		assert.Contains(t, r.Message, "inventory")
	}
}

// TestPartialSuccessStatusReachesRows: a 200 answer whose status excludes
// some numbers (guide: "{2=[6123453624 TN is on an existing order]}")
// excludes those rows with their reason, and the rows that went through
// carry the answer's status text, so nothing of the answer is lost; a
// plain "Success" adds nothing.
func TestPartialSuccessStatusReachesRows(t *testing.T) {
	b := &Batch{ID: 1, CustomerOrderReference: "run-1", Rows: []record.Row{
		{Seq: 1, Key: "6123453624"}, {Seq: 2, Key: "6123453625"}, {Seq: 3, Key: "6123453626"}}}
	const status = "{2=[6123453624 TN is on an existing order]}"
	res := readOrderAnswer(b, inteliquent.OpTnDisconnect, &inteliquent.OrderResponse{Envelope: inteliquent.Envelope{Status: status}})
	require.Len(t, res.Rows, 3)
	assert.Equal(t, record.StatusExcluded, res.Rows[0].Status)
	assert.Equal(t, "TN is on an existing order", res.Rows[0].Message)
	for _, r := range res.Rows[1:] {
		assert.Equal(t, record.StatusOK, r.Status)
		assert.Equal(t, "the answer excluded 1 number of this batch (excluded.csv); its status: "+status, r.Message)
	}

	res = readOrderAnswer(b, inteliquent.OpTnDisconnect, &inteliquent.OrderResponse{Envelope: inteliquent.Envelope{Status: status}, OrderID: "1054832"})
	assert.Equal(t, record.StatusPending, res.Rows[1].Status)
	assert.Equal(t, "order 1054832 accepted; run iqbulk follow for the final outcome; the answer excluded 1 number of this batch (excluded.csv); its status: "+status, res.Rows[1].Message)

	res = readOrderAnswer(b, inteliquent.OpTnDisconnect, &inteliquent.OrderResponse{Envelope: inteliquent.Envelope{Status: "Success"}})
	for _, r := range res.Rows {
		assert.Equal(t, record.Outcome{Status: record.StatusOK}, r.Outcome)
	}

	long := "{2=[" + strings.Repeat("6123453624 TN is on an existing order,", 20) + "]}"
	msg := partialStatus(long, 20)
	assert.True(t, strings.HasPrefix(msg, "the answer excluded 20 numbers of this batch"), msg)
	assert.True(t, strings.HasSuffix(msg, "…"), "a long status is shortened: %s", msg)
	assert.Less(t, len([]rune(msg)), len(long))
}

// TestWithPartialStatus: follow-up keeps the send's partial-success text.
func TestWithPartialStatus(t *testing.T) {
	prev := "order 7 accepted; run iqbulk follow for the final outcome; " + partialStatus("{2=[6123453624 TN is on an existing order]}", 1)
	assert.Equal(t, "order 7 closed; Complete; "+partialStatus("{2=[6123453624 TN is on an existing order]}", 1), withPartialStatus("order 7 closed; Complete", prev))
	assert.Equal(t, "order 7 closed; Complete", withPartialStatus("order 7 closed; Complete", "order 7 accepted"))
	again := withPartialStatus("order 7 is Pending", prev)
	assert.Equal(t, again, withPartialStatus(again, again), "never repeated")
}
