package jobs

import (
	"context"
	"fmt"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// This file holds what the number-lifecycle kinds (tn-disconnect,
// tn-trunk-group, tn-feature) share: reading an order answer, finding a
// batch's order by its customerOrderReference, and the dry-run check hook.

// DryRunChecker is implemented by jobs whose dry run can ask the API, with
// read-only calls, whether each row would go through (tn-disconnect: is the
// number In Service on the account?). In a dry run the pipeline calls
// DryRunCheck instead of marking the batch's rows skipped, and commits its
// Result like an answer's: it must return an outcome for every row
// (skipped for a row that would go through). If it fails, the rows are
// skipped unchecked. It must not change state (the client refuses
// state-changing calls in dry run anyway).
type DryRunChecker interface {
	DryRunCheck(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, error)
}

// readOrderAnswer reads the answer of an order-making list operation
// (tnUpdate, tnFeatureOrder, tnDisconnect): "Immediate validation is
// performed for requests with 100 or fewer numbers, and invalid numbers are
// returned in the response along with the order number (if applicable)".
// Numbers the status names are excluded at once; the others are pending on
// the order until it is followed up, or ok when no order came back (the
// change was synchronous).
func readOrderAnswer(b *Batch, op string, r *inteliquent.OrderResponse) Result {
	orderID := string(r.OrderID)
	ok := record.Outcome{Status: record.StatusOK}
	if orderID != "" {
		ok = record.Outcome{Status: record.StatusPending, Message: "order " + orderID + " accepted; run iqbulk follow for the final outcome"}
	}
	res := readStatus(b, op, r.Status, orderID, ok)
	if orderID != "" {
		res.Orders = append(res.Orders, record.Order{OrderID: orderID, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID})
	}
	return res
}

// orderByReference looks for the order a batch made, by the batch's
// customerOrderReference (orderList). When it finds one, every row of the
// batch is pending on it and the order is returned for follow-up.
func orderByReference(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, bool, error) {
	for o, err := range api.OrderListIter(ctx, &inteliquent.OrderListRequest{CustomerOrderReference: b.CustomerOrderReference}) {
		if err != nil {
			return Result{}, false, fmt.Errorf("orderList by customerOrderReference: %w", err)
		}
		if o.CustomerOrderReference != b.CustomerOrderReference || o.OrderID == "" {
			continue
		}
		id := string(o.OrderID)
		res := setAllOutcome(b, record.Outcome{Status: record.StatusPending, OrderID: id,
			Message: "order " + id + " found by customerOrderReference after a lost answer; run iqbulk follow"})
		res.OrderID = id
		res.Orders = []record.Order{{OrderID: id, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID}}
		return res, true, nil
	}
	return Result{}, false, nil
}

// reconcileOnAccount is the reconciliation of the orders whose answer was
// lost: first the order made under the batch's customerOrderReference, if
// the API recorded one (every row pending on it); otherwise each number's
// state on the account, read by lookup (tnDetail or tfDetail), tells whether
// the batch changed it. applied decides from a number's record (found false:
// not on the account) and returns a message when the change is there; the
// other rows are returned to be sent again.
func reconcileOnAccount[D any](ctx context.Context, api *inteliquent.Client, b *Batch,
	lookup func(context.Context, *inteliquent.Client, []string) (map[string]D, error),
	applied func(r record.Row, d D, found bool) (msg string, ok bool)) (Result, []int, error) {
	return reconcileByState(ctx, api, b, lookup, func(r record.Row, d D, found bool) (string, string) {
		if msg, ok := applied(r, d, found); ok {
			return record.StatusOK, msg
		}
		return "", ""
	})
}

// reconcileByState is reconcileOnAccount for kinds whose lookup can also
// prove a refusal: decide returns the row's status and message from the
// number's record, or "" to send the row again.
func reconcileByState[D any](ctx context.Context, api *inteliquent.Client, b *Batch,
	lookup func(context.Context, *inteliquent.Client, []string) (map[string]D, error),
	decide func(r record.Row, d D, found bool) (status, msg string)) (Result, []int, error) {
	return reconcileWith(ctx, api, b, orderByReference, lookup, decide, "; answer was lost")
}

// reconcileWith is the one reconciliation loop: the order found under the
// batch's customerOrderReference (byRef) decides every row; otherwise each
// number's record (lookup) decides it, or sends it again (decide returns
// ""). okNote is added to the message of rows found applied.
func reconcileWith[D any](ctx context.Context, api *inteliquent.Client, b *Batch,
	byRef func(context.Context, *inteliquent.Client, *Batch) (Result, bool, error),
	lookup func(context.Context, *inteliquent.Client, []string) (map[string]D, error),
	decide func(r record.Row, d D, found bool) (status, msg string), okNote string) (Result, []int, error) {
	if res, found, err := byRef(ctx, api, b); err != nil || found {
		return res, nil, err
	}
	onAccount, err := lookup(ctx, api, b.Keys())
	if err != nil {
		return Result{}, nil, err
	}
	var res Result
	var resend []int
	for _, r := range b.Rows {
		d, found := onAccount[r.Key]
		status, msg := decide(r, d, found)
		if status == "" {
			resend = append(resend, r.Seq)
			continue
		}
		if status == record.StatusOK {
			msg += okNote
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
			Status: status, Code: "reconciled", Message: msg}})
	}
	return res, resend, nil
}

// TN statuses as tnDetail and tnAssignedList name them.
const (
	tnInService         = "In Service"
	tnPending           = "Pending"
	tnPendingDisconnect = "Pending Disconnect"
)

// CodeAcceptedNoOrder marks the rows of a request the API accepted whose
// order could not be named yet (intlTnRequest's answer has no orderId and
// the lookup by customerOrderReference failed or lagged; a tnRequest answer
// without one). The request arrived, so the rows are in doubt about their
// order, never ok and never sent again: reconciliation looks for the order
// by reference until it appears.
const CodeAcceptedNoOrder = "accepted-no-order"

// acceptedNoOrder is the in-doubt outcome of an accepted request whose
// order is not known yet.
func acceptedNoOrder(b *Batch, op, answer string) Result {
	return setAllOutcome(b, record.Outcome{Status: record.StatusInDoubt, Code: CodeAcceptedNoOrder,
		Message: op + " was accepted (" + answer + ") but no order under customerOrderReference " + b.CustomerOrderReference +
			" could be found yet; it is never sent again: iqbulk resume looks for the order by that reference"})
}

// stillAccepted is what reconciliation makes of a batch whose order was
// not found by reference: rows known to be accepted stay in doubt (kept,
// not sent again); the others are returned to be sent again.
func stillAccepted(b *Batch) (Result, []int) {
	var res Result
	var resend []int
	for _, r := range b.Rows {
		if r.Code == CodeAcceptedNoOrder {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: r.Outcome})
		} else {
			resend = append(resend, r.Seq)
		}
	}
	return res, resend
}
