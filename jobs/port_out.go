package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// Port-out, the losing carrier's side: port-out-approve approves every
// number of a port-out order (POST /portOutApproval), port-out-reject
// refuses one number with one of the guide's reasons (POST
// /tnPortOutReject). Neither may be sent twice (a second one is refused),
// so a lost answer is reconciled with tnPortOutHistory, which lists every
// Closed (ported) and Canceled (rejected) number of the past three months.

func portOutOrderColumn() Column {
	return col("order_id", true, "the port-out order", "1501843", "orderid", "order id", "order", "order number", "port out order")
}

// portOutHistory reads the history into orderId -> tn -> orderStatus.
func portOutHistory(ctx context.Context, api *inteliquent.Client) (map[string]map[string]string, error) {
	h, err := api.TnPortOutHistory(ctx)
	if err != nil {
		return nil, fmt.Errorf("tnPortOutHistory: %w", err)
	}
	out := map[string]map[string]string{}
	for _, it := range h.OrderList.OrderType {
		id := string(it.OrderID)
		if out[id] == nil {
			out[id] = map[string]string{}
		}
		out[id][string(it.TN)] = it.OrderStatus
	}
	return out, nil
}

func parsePortOutOrder(r Row, errs *[]error) string {
	id := strings.TrimSpace(r.Get("order_id"))
	switch {
	case id == "":
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "order_id", Reason: "is required"})
	case !isDigitsOnly(id):
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: id, Reason: "is not an order number"})
	}
	return id
}

// ---- port-out-approve ----

type portOutApprove struct{}

func (portOutApprove) Spec() Spec {
	return Spec{
		Name:        "port-out-approve",
		Summary:     "approve port-out orders: every number on each order leaves the account",
		Operations:  []string{inteliquent.OpPortOutApproval, inteliquent.OpTnPortOutHistory},
		Columns:     []Column{portOutOrderColumn()},
		Destructive: true,
		BatchSize:   1,
	}
}

func (portOutApprove) Parse(r Row) (Parsed, []error) {
	var errs []error
	id := parsePortOutOrder(r, &errs)
	return Parsed{Key: "order:" + id, Fields: map[string]string{"order_id": id}}, errs
}

func (portOutApprove) Build(b *Batch) (any, error) {
	return &inteliquent.PortOutApprovalRequest{OrderID: inteliquent.OrderID(b.Rows[0].Fields["order_id"])}, nil
}

func (portOutApprove) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.PortOutApproval(ctx, req.(*inteliquent.PortOutApprovalRequest))
}

func (portOutApprove) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.StatusResponse)
	id := b.Rows[0].Fields["order_id"]
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpPortOutApproval, OrderID: id,
		Message: strings.TrimSpace("approved (" + r.Status + ")")})
}

// Reconcile: numbers of the order Closed in the history mean the lost
// approval arrived; none listed means it did not, and it may be sent again.
func (portOutApprove) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	hist, err := portOutHistory(ctx, api)
	if err != nil {
		return Result{}, nil, err
	}
	id := b.Rows[0].Fields["order_id"]
	closed := 0
	for _, st := range hist[id] {
		if st == "Closed" {
			closed++
		}
	}
	// Canceled numbers are rejections, not approvals: the order may hold
	// numbers still pending, so only Closed ones prove the approval.
	if closed > 0 {
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: "Closed", OrderID: id,
			Message: fmt.Sprintf("approved: %d numbers Closed in tnPortOutHistory (the answer was lost)", closed)}), nil, nil
	}
	return Result{}, []int{b.Rows[0].Seq}, nil
}

// ---- port-out-reject ----

type portOutReject struct{}

func (portOutReject) Spec() Spec {
	return Spec{
		Name:       "port-out-reject",
		Summary:    "reject numbers on port-out orders, each with one of the guide's reasons",
		Operations: []string{inteliquent.OpTnPortOutReject, inteliquent.OpTnPortOutHistory},
		Columns: []Column{
			tnColumn(),
			portOutOrderColumn(),
			col("reject_reason", true, "PIN (PIN required/invalid), DATAMIS (all data mismatch), AUTHNMMIS (auth name mismatch), INVACCT (invalid account number) or INVZIPCD (invalid zip code)",
				"INVZIPCD", "rejectreason", "reject reason", "reason"),
		},
		BatchSize: 1,
	}
}

func (portOutReject) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	id := parsePortOutOrder(r, &errs)
	reason := strings.ToUpper(strings.TrimSpace(r.Get("reject_reason")))
	switch {
	case reason == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "reject_reason", Reason: "is required"})
	case !inteliquent.IsPortOutRejectReason(reason):
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "reject_reason", Value: r.Get("reject_reason"),
			Reason: "is not one of " + strings.Join(inteliquent.PortOutRejectReasons(), ", ")})
	}
	return Parsed{Key: tn, Fields: map[string]string{"order_id": id, "reject_reason": reason}}, errs
}

func (portOutReject) Build(b *Batch) (any, error) {
	r := b.Rows[0]
	return &inteliquent.TnPortOutRejectRequest{TnPortOutReject: inteliquent.TnPortOutReject{TN: inteliquent.TN(r.Key),
		OrderID: inteliquent.OrderID(r.Fields["order_id"]), RejectReason: r.Fields["reject_reason"]}}, nil
}

func (portOutReject) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnPortOutReject(ctx, req.(*inteliquent.TnPortOutRejectRequest))
}

func (portOutReject) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.StatusResponse)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTnPortOutReject, OrderID: b.Rows[0].Fields["order_id"],
		Message: strings.TrimSpace("rejected " + b.Rows[0].Fields["reject_reason"] + " (" + r.Status + ")")})
}

// Reconcile: the number Canceled on its order means the lost rejection
// arrived; Closed means the number ported out; absent means it did not
// arrive and may be sent again.
func (portOutReject) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	hist, err := portOutHistory(ctx, api)
	if err != nil {
		return Result{}, nil, err
	}
	r := b.Rows[0]
	id := r.Fields["order_id"]
	switch hist[id][r.Key] {
	case "Canceled":
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: "Canceled", OrderID: id,
			Message: "rejected: Canceled in tnPortOutHistory (the answer was lost)"}), nil, nil
	case "Closed":
		return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: "Closed", OrderID: id,
			Message: "the number was ported out (Closed) before it could be rejected"}), nil, nil
	}
	return Result{}, []int{r.Seq}, nil
}
