package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// orderCancel cancels pending orders (the guide's "Cancel Pending Order",
// POST /orderCancel), one per row: order_id or customer_order_reference. A
// run's results file works as a manifest (its order_id column); rows of one
// order after the first are duplicates and skipped. It removes service
// (destructive). A second cancel is refused, so a lost answer is reconciled
// with orderDetail: an order already Pending Cancel or Canceled was canceled.
type orderCancel struct{}

func (orderCancel) Spec() Spec {
	return Spec{
		Name:       "order-cancel",
		Summary:    "cancel pending orders (they move to Pending Cancel, then Canceled)",
		Operations: []string{inteliquent.OpOrderCancel, inteliquent.OpOrderDetail},
		Columns: []Column{
			orderIDColumn(false),
			col("customer_order_reference", false, "the order's customerOrderReference (when order_id is empty)", "", "customerorderreference", "order reference", "reference"),
		},
		Destructive: true,
		BatchSize:   1,
	}
}

func (orderCancel) Parse(r Row) (Parsed, []error) {
	var errs []error
	id := strings.TrimSpace(r.Get("order_id"))
	ref := strings.TrimSpace(r.Get("customer_order_reference"))
	switch {
	case id == "" && ref == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Reason: "is required (or customer_order_reference)"})
	case id != "" && !isDigitsOnly(id):
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: id, Reason: "is not an order number"})
	}
	key := "order:" + id
	if id == "" {
		key = "ref:" + ref
	}
	return Parsed{Key: key, Fields: map[string]string{"order_id": id, "customer_order_reference": ref}}, errs
}

func refOf(f map[string]string) inteliquent.OrderRef {
	if f["order_id"] != "" {
		return inteliquent.OrderRef{OrderID: inteliquent.OrderID(f["order_id"])}
	}
	return inteliquent.OrderRef{CustomerOrderReference: f["customer_order_reference"]}
}

func (orderCancel) Build(b *Batch) (any, error) {
	return &inteliquent.OrderCancelRequest{OrderRef: refOf(b.Rows[0].Fields)}, nil
}

func (orderCancel) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.OrderCancel(ctx, req.(*inteliquent.OrderCancelRequest))
}

func (orderCancel) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.StatusResponse)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: OrderPendingCancel, OrderID: b.Rows[0].Fields["order_id"],
		Message: strings.TrimSpace("cancel requested (" + r.Status + "); the order is Pending Cancel until reviewed")})
}

// Reconcile reads the order: Pending Cancel or Canceled means the lost cancel
// arrived; Pending means it did not, and it may be sent again.
func (orderCancel) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	d, err := api.OrderDetail(ctx, &inteliquent.OrderDetailRequest{OrderRef: refOf(b.Rows[0].Fields)})
	if err != nil {
		return Result{}, nil, fmt.Errorf("orderDetail: %w", err)
	}
	od := d.OrderDetailResponse
	if strings.TrimSpace(od.OrderStatus) == "" {
		// No status proves nothing either way: the batch stays in doubt
		// (never "order is " with nothing after, never failed).
		f := b.Rows[0].Fields
		return Result{}, nil, fmt.Errorf("orderDetail of order %s named no orderStatus; whether the cancel arrived is unknown",
			strings.TrimSpace(f["order_id"]+" "+f["customer_order_reference"]))
	}
	switch od.OrderStatus {
	case OrderPendingCancel, OrderCanceled:
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: od.OrderStatus, OrderID: string(od.OrderID),
			Message: "order is " + od.OrderStatus + " (cancel answer was lost)"}), nil, nil
	case OrderPending:
		return Result{}, []int{b.Rows[0].Seq}, nil
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: od.OrderStatus, OrderID: string(od.OrderID),
		Message: "order is " + od.OrderStatus + "; only Pending orders can be canceled"}), nil, nil
}
