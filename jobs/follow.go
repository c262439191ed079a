package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// Follower is implemented by jobs whose answers carry an orderId that only
// tells its outcome later (DESIGN.md: "orders that returned an orderId
// --follow-up: orderDetail, excludedTnList, excludedFeatureList,
// excludedE911Detail until final--> results updated"). The pipeline calls
// Follow for every open order of a run, at a gentle rate, until the order is
// final or the follow-up times out; it can be run again days later.
type Follower interface {
	// Follow reads the order once and returns its new state and the
	// outcomes of the rows it decides. rows are the order's rows (those of
	// its batch) with their current outcomes.
	Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error)
}

// FollowResult is one look at an order.
type FollowResult struct {
	Order    record.Order // Status, Final and Detail updated
	Rows     []record.RowOutcome
	Excluded []record.Excluded
}

// Order statuses as orderDetail and orderList name them (the guide's Order
// Statuses section).
const (
	OrderIncomplete    = "Incomplete"
	OrderPending       = "Pending"
	OrderPendingCancel = "Pending Cancel"
	OrderCanceled      = "Canceled"
	OrderClosed        = "Closed"
)

// followTNOrder is the follow-up of the telephone-number orders (tnOrder,
// tnUpdate, tnFeatureOrder, tnDisconnect): orderDetail until the order is
// Closed or Canceled, then excludedTnList, excludedFeatureList and
// excludedE911Detail. A row is ok when its number is on the closed order with
// no exclusion, excluded with the API's reason otherwise. Rows already
// decided without the order (excluded synchronously) are left alone.
func followTNOrder(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	ref := inteliquent.OrderRef{OrderID: inteliquent.OrderID(o.OrderID)}
	o.Polls++
	o.CheckedAt = time.Now().UTC()
	d, err := api.OrderDetail(ctx, &inteliquent.OrderDetailRequest{OrderRef: ref})
	if err != nil {
		// "Requesting orderDetail on an order with this status [Incomplete]
		// may result in no information returned": not found yet is not final.
		if inteliquent.Code(err) == "430" && o.Polls < 1000 {
			o.Status = OrderIncomplete
			return FollowResult{Order: o, Rows: pendingRows(rows, o, "order "+o.OrderID+" is being validated")}, nil
		}
		return FollowResult{}, fmt.Errorf("orderDetail %s: %w", o.OrderID, err)
	}
	od := d.OrderDetailResponse
	setOrderStatus(&o, od.OrderStatus)
	if !o.Final {
		return FollowResult{Order: o, Rows: pendingRows(rows, o, orderIs(o, od.OrderStatus))}, nil
	}

	res := FollowResult{Order: o}
	xs, err := OrderExclusions(ctx, api, o.OrderID, o.CustomerOrderReference)
	if err != nil {
		return FollowResult{}, err
	}
	res.Excluded = xs
	excluded := map[string]string{}
	featureReasons := map[string][]string{}
	for _, x := range xs {
		switch x.Kind {
		case "tn":
			excluded[x.TN] = x.Reason
		case "e911":
			featureReasons[x.TN] = append(featureReasons[x.TN], "E911: "+x.Reason)
		default:
			featureReasons[x.TN] = append(featureReasons[x.TN], x.Reason)
		}
	}
	onOrder := map[string]string{}
	for _, it := range od.TnList.TnItem {
		onOrder[string(it.TN)] = it.TnStatus
		// A feature orderDetail calls Failed is excluded for that number
		// even when excludedFeatureList has no entry for it.
		if failed := FailedFeatures(it); len(failed) > 0 && len(featureReasons[string(it.TN)]) == 0 {
			for _, f := range failed {
				featureReasons[string(it.TN)] = append(featureReasons[string(it.TN)], f)
				res.Excluded = append(res.Excluded, record.Excluded{Kind: "feature", OrderID: o.OrderID,
					CustomerOrderReference: o.CustomerOrderReference, TN: string(it.TN), Reason: f})
			}
		}
	}
	for _, r := range rows {
		if r.Status != "" && r.Status != record.StatusPending {
			continue // decided without the order (e.g. excluded at once)
		}
		out := record.Outcome{OrderID: o.OrderID, Code: o.Status}
		switch reason, isExcluded := excluded[r.Key]; {
		case isExcluded:
			out.Status, out.Message = record.StatusExcluded, reason
		case len(featureReasons[r.Key]) > 0:
			out.Status, out.Message = record.StatusExcluded, strings.Join(featureReasons[r.Key], "; ")
		case o.Status == OrderCanceled:
			out.Status, out.Message = record.StatusFailed, "order "+o.OrderID+" was canceled"
		default:
			st, ok := onOrder[r.Key]
			if !ok {
				out.Status, out.Message = record.StatusExcluded, "not on order "+o.OrderID+" after validation"
				break
			}
			out.Status, out.Message = record.StatusOK, withPartialStatus(strings.TrimSpace("order "+o.OrderID+" closed; "+st), r.Message)
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
	}
	return res, nil
}

// OrderExclusions reads everything an order excluded: numbers
// (excludedTnList, kind "tn"), features (excludedFeatureList, "feature") and
// E911 addresses (excludedE911Detail, "e911", with the submitted address).
func OrderExclusions(ctx context.Context, api *inteliquent.Client, orderID, customerOrderReference string) ([]record.Excluded, error) {
	ref := inteliquent.OrderRef{OrderID: inteliquent.OrderID(orderID)}
	var out []record.Excluded
	xt, err := api.ExcludedTnList(ctx, &inteliquent.ExcludedTnListRequest{OrderRef: ref})
	if err != nil {
		return nil, fmt.Errorf("excludedTnList %s: %w", orderID, err)
	}
	for _, x := range xt.ExcludedTnList.ExcludedTnItem {
		out = append(out, excludedTn(x, orderID, customerOrderReference))
	}
	xf, err := api.ExcludedFeatureList(ctx, &inteliquent.ExcludedFeatureListRequest{OrderRef: ref})
	if err != nil {
		return nil, fmt.Errorf("excludedFeatureList %s: %w", orderID, err)
	}
	for _, x := range xf.ExcludedFeatureList.ExcludedFeatureItem {
		out = append(out, record.Excluded{Kind: "feature", OrderID: orderID, CustomerOrderReference: customerOrderReference,
			TN: string(x.TN), Reason: x.ExcludedReason})
	}
	xe, err := api.ExcludedE911Detail(ctx, &inteliquent.ExcludedE911DetailRequest{OrderRef: ref})
	if err != nil {
		return nil, fmt.Errorf("excludedE911Detail %s: %w", orderID, err)
	}
	for _, x := range xe.ExcludedE911Detail.ExcludedFeatureItem {
		out = append(out, record.Excluded{Kind: "e911", OrderID: orderID, CustomerOrderReference: customerOrderReference,
			TN: string(x.TN), Reason: strings.Join(x.Reasons(), "; "), InsertDate: x.InsertDate,
			E911: map[string]string{"name": x.Name, "origStreetNum": string(x.OrigStreetNum), "origStreetInfo": x.OrigStreetInfo,
				"origLocation": x.OrigLocation, "origCity": x.OrigCity, "origState": x.OrigState,
				"origPostalCode": string(x.OrigPostalCode), "origPostalCodePlusFour": string(x.OrigPostalCodePlusFour)}})
	}
	return out, nil
}

// excludedTn is one excludedTnList item as an exclusion, with the answer's
// own orderId and customerOrderReference when it names them (an export by
// --order-id knows no reference; the guide's items carry both) and its
// displayName.
func excludedTn(x inteliquent.ExcludedTnItem, orderID, customerOrderReference string) record.Excluded {
	if id := strings.TrimSpace(string(x.OrderID)); id != "" {
		orderID = id
	}
	if ref := strings.TrimSpace(x.CustomerOrderReference); ref != "" {
		customerOrderReference = ref
	}
	return record.Excluded{Kind: "tn", OrderID: orderID, CustomerOrderReference: customerOrderReference,
		TN: string(x.TN), Reason: x.ExcludedReason, InsertDate: x.InsertDate, DisplayName: strings.TrimSpace(x.DisplayName)}
}

// ExcludedCells is an exclusion as a row of writers.ExcludedColumns.
func ExcludedCells(x record.Excluded) []string {
	return writers.Excluded{Kind: x.Kind, OrderID: x.OrderID, CustomerOrderReference: x.CustomerOrderReference, TN: x.TN,
		Reason: x.Reason, InsertDate: x.InsertDate, DisplayName: x.DisplayName, E911Name: x.E911["name"], E911StreetNum: x.E911["origStreetNum"],
		E911StreetInfo: x.E911["origStreetInfo"], E911Location: x.E911["origLocation"], E911City: x.E911["origCity"],
		E911State: x.E911["origState"], E911PostalCode: x.E911["origPostalCode"], E911PostalCodePlusFour: x.E911["origPostalCodePlusFour"]}.Cells()
}

// FailedFeatures reads orderDetail's per-feature statuses (the guide's
// orderDetail example, guide lines 9894–9901: "dlEnabled": "Y", "dlStatus":
// "Failed", "msgStatus": "Complete") and names each feature that Failed,
// with the API's word, e.g. "directory listing failed (dlStatus: Failed)".
func FailedFeatures(it inteliquent.OrderTnItem) []string {
	var out []string
	for _, f := range []struct{ name, field, status string }{
		{"directory listing", "dlStatus", it.DlStatus},
		{"CNAM", "cnamStatus", it.CnamStatus},
		{"E911", "e911Status", it.E911Status},
		{"messaging", "msgStatus", it.MsgStatus},
	} {
		if strings.EqualFold(strings.TrimSpace(f.status), "Failed") {
			out = append(out, f.name+" failed ("+f.field+": "+strings.TrimSpace(f.status)+")")
		}
	}
	return out
}

// setOrderStatus records orderDetail's orderStatus. An answer that names
// none leaves the status the order had (it is not final) rather than a
// blank one.
func setOrderStatus(o *record.Order, status string) {
	if s := strings.TrimSpace(status); s != "" {
		o.Status = s
	}
	o.Final = strings.TrimSpace(status) != "" && (o.Status == OrderClosed || o.Status == OrderCanceled)
}

// orderIs says what an open order is, never with a blank status (issue 13:
// "order 14753748 is " with nothing after).
func orderIs(o record.Order, answered string) string {
	if strings.TrimSpace(answered) == "" {
		return "order " + o.OrderID + " is open: orderDetail named no orderStatus; following it again later"
	}
	return "order " + o.OrderID + " is " + o.Status
}

// pendingRows keeps the open order's rows pending with a fresh message.
func pendingRows(rows []record.Row, o record.Order, msg string) []record.RowOutcome {
	var out []record.RowOutcome
	for _, r := range rows {
		if r.Status == "" || r.Status == record.StatusPending {
			out = append(out, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusPending, OrderID: o.OrderID, Code: o.Status, Message: withPartialStatus(msg, r.Message)}})
		}
	}
	return out
}
