package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// The international reservation, disconnect and cancel kinds.

// intlReserve holds international numbers for 30 minutes (POST
// /intlTnReserve: "reserved for up to 30 minutes before they are released
// back into inventory"). Not idempotent (a number the lost request reserved
// comes back excluded the second time): a lost answer is reconciled with
// intlTnReservedList.
type intlReserve struct{}

// intlDisconnect disconnects In Service international numbers (POST
// /intlTnDisconnect) under the batch's customerOrderReference; the order it
// makes is followed to final. Destructive and not idempotent.
type intlDisconnect struct{}

// intlOrderCancel cancels Pending international orders (POST
// /intlOrderCancel), one per row. Not idempotent (a second cancel is
// refused): a lost answer is reconciled with intlOrderDetail.
type intlOrderCancel struct{}

var (
	_ Reconciler   = intlReserve{}
	_ Reconciler   = intlDisconnect{}
	_ Follower     = intlDisconnect{}
	_ Irreversible = intlDisconnect{}
	_ Reconciler   = intlOrderCancel{}
	_ Irreversible = intlOrderCancel{}
)

func (intlReserve) Spec() Spec {
	return Spec{
		Name:       "intl-reserve",
		Summary:    "reserve international numbers for 30 minutes before ordering them (intlTnReserve)",
		Operations: []string{inteliquent.OpIntlTnReserve, inteliquent.OpIntlTnReservedList},
		Columns:    []Column{intlTNColumn(), col("country_ref", false, "ISO3 country (optional: intlTnReserve takes the number alone)", "GBR", "countryref", "country")},
		BatchSize:  MaxBatch,
	}
}

func (intlReserve) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseIntlTN(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{"country_ref": parseCountryRef(r, "country_ref", false, &errs)}}, errs
}

func (intlReserve) Build(b *Batch) (any, error) {
	req := &inteliquent.IntlTnReserveRequest{}
	for _, r := range b.Rows {
		req.TnReserve.TnList.TnItem = append(req.TnReserve.TnList.TnItem, inteliquent.IntlTnItem{TN: inteliquent.TN(r.Key)})
	}
	return req, nil
}

func (intlReserve) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.IntlTnReserve(ctx, req.(*inteliquent.IntlTnReserveRequest))
}

func (intlReserve) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.IntlTnReserveResponse)
	x := r.IntlTnReserveResponse
	// The guide's example lists one excluded number twice.
	seen := map[string]bool{}
	var excl []inteliquent.TnItemRef
	for _, e := range x.ExcludedTnList {
		if !seen[string(e.TN)] {
			seen[string(e.TN)] = true
			excl = append(excl, e)
		}
	}
	until := time.Now().UTC().Add(30 * time.Minute).Format(time.RFC3339)
	res := readExcludedTNs(b, inteliquent.OpIntlTnReserve, excl,
		"reserved for 30 minutes (until about "+until+")", "not reserved: excluded by intlTnReserve (not in inventory, or reserved)")
	return checkCounts(b, res, inteliquent.OpIntlTnReserve, r.Envelope, x.TotalTnCount, x.ReservedTnCount, "reservedTnCount", excl)
}

// Reconcile: a number on intlTnReservedList was reserved (by the lost
// request, or earlier by this account); the others are sent again.
func (intlReserve) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	l, err := api.IntlTnReservedList(ctx)
	if err != nil {
		return Result{}, nil, fmt.Errorf("intlTnReservedList: %w", err)
	}
	reserved := map[string]string{}
	for _, t := range l.TnReservedList {
		reserved[string(t.TN)] = t.ReservedUntil
	}
	var res Result
	var resend []int
	for _, r := range b.Rows {
		if until, ok := reserved[r.Key]; ok {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusOK, Code: "reconciled", Message: "reserved until " + until + " (on intlTnReservedList); answer was lost"}})
			continue
		}
		resend = append(resend, r.Seq)
	}
	return res, resend, nil
}

func (intlDisconnect) Spec() Spec {
	return Spec{
		Name:    "intl-disconnect",
		Summary: "disconnect In Service international numbers (intlTnDisconnect), followed to final",
		Operations: []string{inteliquent.OpIntlTnDisconnect, inteliquent.OpIntlOrderList, inteliquent.OpIntlTnDetail,
			inteliquent.OpIntlOrderDetail, inteliquent.OpIntlExcludedTnList},
		Columns:     []Column{intlTNColumn(), countryRefColumn()},
		Destructive: true,
		BatchSize:   MaxBatch,
	}
}

func (intlDisconnect) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseIntlTN(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{"country_ref": parseCountryRef(r, "country_ref", true, &errs)}}, errs
}

func (intlDisconnect) Build(b *Batch) (any, error) {
	return &inteliquent.IntlListRequest{CustomerOrderReference: b.CustomerOrderReference, TnList: intlItems(b, false)}, nil
}

func (intlDisconnect) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.IntlTnDisconnect(ctx, req.(*inteliquent.IntlListRequest))
}

// Read: with an orderId (the table's answer) the rows are pending on it
// until followed up; without one (the example's answer) they are ok when
// the status says Success and names none of them.
func (intlDisconnect) Read(b *Batch, resp any) Result {
	return readOrderAnswer(b, inteliquent.OpIntlTnDisconnect, resp.(*inteliquent.OrderResponse))
}

// Reconcile: the order under the batch's customerOrderReference; else
// each number's intlTnDetail record: still In Service means the request
// never arrived (sent again), Pending Disconnect means it did, not on the
// account proves nothing (excluded, never counted as disconnected).
func (intlDisconnect) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	return intlReconcile(ctx, api, b, "", func(_ record.Row, d inteliquent.IntlTnDetailItem, found bool) (string, string) {
		switch {
		case !found:
			return record.StatusExcluded, "not on the account (intlTnDetail finds no such number)"
		case d.Status == tnInService:
			return "", ""
		}
		return record.StatusOK, d.Status + "; answer was lost"
	})
}

func (intlDisconnect) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followIntlOrder(ctx, api, o, rows)
}

func (intlDisconnect) Irreversible() string {
	return "a disconnected international number goes back to inventory and another customer may get it; order it again with intl-order if it is still available"
}

func (intlOrderCancel) Spec() Spec {
	return Spec{
		Name:       "intl-order-cancel",
		Summary:    "cancel Pending international orders (intlOrderCancel; Pending Cancel, then Canceled)",
		Operations: []string{inteliquent.OpIntlOrderCancel, inteliquent.OpIntlOrderDetail},
		Columns: []Column{
			col("order_id", false, "the international order to cancel", "1521001", "orderid", "order id", "order", "order number"),
			col("customer_order_reference", false, "the order's customerOrderReference (when order_id is empty)", "", "customerorderreference", "order reference", "reference"),
		},
		Destructive: true,
		BatchSize:   1,
	}
}

func (intlOrderCancel) Parse(r Row) (Parsed, []error) {
	return orderCancel{}.Parse(r)
}

func (intlOrderCancel) Build(b *Batch) (any, error) {
	ref := refOf(b.Rows[0].Fields)
	return &ref, nil
}

func (intlOrderCancel) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.IntlOrderCancel(ctx, req.(*inteliquent.OrderRef))
}

func (intlOrderCancel) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.StatusResponse)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: OrderPendingCancel, OrderID: b.Rows[0].Fields["order_id"],
		Message: strings.TrimSpace("cancel requested (" + r.Status + "); the order is Pending Cancel until reviewed")})
}

// Reconcile reads the order: Pending Cancel or Canceled means the lost
// cancel arrived; Pending or Incomplete means it did not (sent again).
func (intlOrderCancel) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	f := b.Rows[0].Fields
	d, err := api.IntlOrderDetail(ctx, &inteliquent.IntlOrderDetailRequest{OrderID: inteliquent.OrderID(f["order_id"]), CustomerOrderReference: f["customer_order_reference"]})
	if err != nil {
		return Result{}, nil, fmt.Errorf("intlOrderDetail: %w", err)
	}
	od := d.OrderDetailResponse
	switch strings.TrimSpace(od.OrderStatus) {
	case "":
		return Result{}, nil, fmt.Errorf("intlOrderDetail of order %s named no orderStatus; whether the cancel arrived is unknown",
			strings.TrimSpace(f["order_id"]+" "+f["customer_order_reference"]))
	case OrderPendingCancel, OrderCanceled:
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: od.OrderStatus, OrderID: string(od.OrderID),
			Message: "order is " + od.OrderStatus + " (cancel answer was lost)"}), nil, nil
	case OrderPending, OrderIncomplete:
		return Result{}, []int{b.Rows[0].Seq}, nil
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: od.OrderStatus, OrderID: string(od.OrderID),
		Message: "order is " + od.OrderStatus + "; only Pending orders can be canceled"}), nil, nil
}

func (intlOrderCancel) Irreversible() string {
	return "a canceled order cannot be reopened; order the numbers again with intl-order"
}

// Irreversible: the guide has no operation that releases an international
// reservation.
func (intlReserve) Irreversible() string {
	return "the guide has no operation that releases an international reservation: it lapses by itself 30 minutes after it was made"
}
