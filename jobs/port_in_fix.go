package jobs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// portInFix corrects numbers of pending port-in orders (the guide's "Update
// Pending Order", POST /orderUpdate): "Use the orderUpdate endpoint to make
// corrections to the applicable telephone number(s)" in jeopardy. The
// manifest is a port-in manifest, typically the failed rows of a port-in run
// with the data fixed; every column but tn is optional and only the columns
// given are sent. order_id may be left out: the pending order holding each
// number is then found with portInOrderTnList. Updating the same data twice
// leaves the same order, so batches may be sent again. The corrected numbers
// go back to the losing carrier; the run follows them like port-in does.
type portInFix struct{}

func orderIDColumn(required bool) Column {
	return col("order_id", required, "the port-in order holding the number (default: looked up with portInOrderTnList)", "",
		"orderid", "order id", "order", "order number")
}

func (portInFix) Spec() Spec {
	cols := append(portColumns(false), orderIDColumn(false), col("cancel_tn", false, "Y cancels the number on its order", "", "canceltn", "cancel"))
	return Spec{
		Name:       "port-in-fix",
		Summary:    "correct port-in numbers in jeopardy (or cancel them) on their pending orders",
		Operations: []string{inteliquent.OpOrderUpdate, inteliquent.OpPortInOrderTnList, inteliquent.OpOrderDetail, inteliquent.OpExcludedTnList},
		Columns:    cols,
		Outputs:    []string{outTnStatus, outPortDate, outTnGroup, outPortTime, outRejectReason, outRoutingLabel},
		BatchSize:  MaxBatch,
	}
}

func (portInFix) Parse(r Row) (Parsed, []error) {
	tn, f, errs := parsePortRow(r, false)
	errs = append(errs, messagingTogether(r.Line, f)...)
	if v := strings.TrimSpace(r.Get("order_id")); v != "" {
		if !isDigitsOnly(v) {
			errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: v, Reason: "is not an order number"})
		}
		f["order_id"] = v
	}
	if v := strings.TrimSpace(r.Get("cancel_tn")); v != "" {
		yn, err := readers.YN(v)
		if err != nil {
			errs = append(errs, &readers.FieldError{Line: r.Line, Column: "cancel_tn", Value: v, Reason: err.Error()})
		}
		f["cancel_tn"] = yn
	}
	return Parsed{Key: tn, Group: f["order_id"], Fields: f}, errs
}

func isDigitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// portInFixRequest is a batch of corrections; OrderID may be empty (looked
// up at send time).
type portInFixRequest struct {
	Items []portInFixItem
}

type portInFixItem struct {
	OrderID string
	Item    inteliquent.OrderUpdateItem
}

func (portInFix) Build(b *Batch) (any, error) {
	req := &portInFixRequest{}
	for _, r := range b.Rows {
		f := r.Fields
		it := inteliquent.OrderUpdateItem{
			TN: inteliquent.TN(r.Key), TrunkGroup: f["trunk_group"], PortOutPin: f["port_out_pin"], TnNote: f["tn_note"],
			AccountNum: f["account_num"], Atn: inteliquent.TN(f["atn"]), AccountPin: f["account_pin"],
			AuthName: f["auth_name"], AuthDate: f["auth_date"], EndUser: endUserOf(f), TnFeature: portFeature(f),
		}
		if f["cancel_tn"] == "Y" {
			it = inteliquent.OrderUpdateItem{TN: inteliquent.TN(r.Key), CancelTn: "Y"}
		}
		req.Items = append(req.Items, portInFixItem{OrderID: f["order_id"], Item: it})
	}
	return req, nil
}

// portInFixAnswer is each number's order and what orderUpdate said.
type portInFixAnswer struct {
	OrderOf  map[string]string // tn -> orderId ("" = not on a pending port-in order)
	Status   map[string]string // orderId -> orderUpdate status text
	OrderErr map[string]string // orderId -> error text (the order refused the update)
}

// pendingPortOrders maps every number on a pending port-in order to its
// order (portInOrderTnList).
func pendingPortOrders(ctx context.Context, api *inteliquent.Client) (map[string]string, error) {
	resp, err := api.PortInOrderTnList(ctx, &inteliquent.PortInOrderTnListRequest{})
	if err != nil {
		return nil, fmt.Errorf("portInOrderTnList: %w", err)
	}
	m := make(map[string]string, len(resp.OrderList.OrderType))
	for _, row := range resp.OrderList.OrderType {
		m[string(row.TN)] = string(row.OrderID)
	}
	return m, nil
}

// resolveOrders fills in missing order ids and groups the numbers by order,
// orders sorted.
func resolveOrders(ctx context.Context, api *inteliquent.Client, tns []string, given []string) (orderOf map[string]string, err error) {
	orderOf = make(map[string]string, len(tns))
	var lookup map[string]string
	for i, tn := range tns {
		id := given[i]
		if id == "" {
			if lookup == nil {
				if lookup, err = pendingPortOrders(ctx, api); err != nil {
					return nil, err
				}
			}
			id = lookup[tn]
		}
		orderOf[tn] = id
	}
	return orderOf, nil
}

func sortedOrders(orderOf map[string]string) []string {
	seen := map[string]bool{}
	var ids []string
	for _, id := range orderOf {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// perOrderError decides whether an error concerns one order (recorded on its
// rows) or the whole call (returned, so the pipeline retries or stops).
func perOrderError(err error) bool {
	var ae *inteliquent.APIError
	return errors.As(err, &ae) && !inteliquent.IsRetryable(err) && !inteliquent.IsFatal(err)
}

func (portInFix) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	r := req.(*portInFixRequest)
	tns := make([]string, len(r.Items))
	given := make([]string, len(r.Items))
	for i, it := range r.Items {
		tns[i], given[i] = string(it.Item.TN), it.OrderID
	}
	orderOf, err := resolveOrders(ctx, api, tns, given)
	if err != nil {
		return nil, err
	}
	ans := &portInFixAnswer{OrderOf: orderOf, Status: map[string]string{}, OrderErr: map[string]string{}}
	for _, id := range sortedOrders(orderOf) {
		u := &inteliquent.OrderUpdateRequest{}
		u.OrderUpdate.OrderID = inteliquent.OrderID(id)
		u.OrderUpdate.TnList = &inteliquent.OrderUpdateTnList{}
		for _, it := range r.Items {
			if orderOf[string(it.Item.TN)] == id {
				u.OrderUpdate.TnList.TnItem = append(u.OrderUpdate.TnList.TnItem, it.Item)
			}
		}
		resp, err := api.OrderUpdate(ctx, u)
		switch {
		case err == nil:
			ans.Status[id] = resp.Status
		case perOrderError(err):
			ans.OrderErr[id] = err.Error()
		default:
			return nil, err
		}
	}
	return ans, nil
}

func (portInFix) Read(b *Batch, resp any) Result {
	a := resp.(*portInFixAnswer)
	res := Result{}
	// orderUpdate's status is read like every per-number status string
	// (DESIGN.md rule 4, readStatus): entries naming a number of this order
	// exclude it; a status that cannot be parsed, or an entry that names no
	// number of the order, proves nothing for the others: in doubt.
	refused := map[string]string{} // tn -> reason from the status grammar
	doubt := map[string]string{}   // orderId -> why its rows are in doubt
	for id, status := range a.Status {
		st := inteliquent.ParseTNStatus(status)
		if !st.Parsed {
			doubt[id] = fmt.Sprintf("orderUpdate's status cannot be read as per-number results: %q", strings.TrimSpace(status))
			continue
		}
		var unclear []string
		for _, e := range st.Entries {
			if e.TN != "" && a.OrderOf[string(e.TN)] == id {
				refused[string(e.TN)] = e.Reason
				continue
			}
			unclear = append(unclear, strings.TrimSpace(string(e.TN)+" "+e.Reason))
		}
		if len(unclear) > 0 {
			doubt[id] = fmt.Sprintf("orderUpdate's status names no number of this order (%s): %q", strings.Join(unclear, "; "), strings.TrimSpace(status))
		}
	}
	followed := map[string]bool{}
	for _, r := range b.Rows {
		id := a.OrderOf[r.Key]
		out := record.Outcome{OrderID: id, Code: inteliquent.OpOrderUpdate}
		switch {
		case id == "":
			out.Status, out.Message = record.StatusFailed, "no pending port-in order holds this number (give order_id)"
		case a.OrderErr[id] != "":
			out.Status, out.Message = record.StatusFailed, a.OrderErr[id]
		case refused[r.Key] != "":
			out.Status, out.Message = record.StatusExcluded, refused[r.Key]
		case doubt[id] != "":
			out.Status, out.Message = record.StatusInDoubt, doubt[id]
		case r.Fields["cancel_tn"] == "Y":
			out.Status, out.Message = record.StatusOK, "canceled on port-in order "+id
		default:
			out.Status, out.Message = record.StatusPending, "correction sent on port-in order "+id+"; the losing carrier answers again: run iqbulk follow"
			followed[id] = true
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
	}
	for _, id := range sortedOrders(a.OrderOf) {
		if followed[id] {
			res.Orders = append(res.Orders, record.Order{OrderID: id, Batch: b.ID})
		}
	}
	return res
}

// Follow follows the corrected numbers on their orders, like port-in.
func (portInFix) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followPortIn(ctx, api, o, rows)
}
