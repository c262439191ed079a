package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// intlOrder orders international numbers (the guide's "Order International
// Numbers", POST /intlTnOrder) with their routing option, then sets the
// end user details of the numbers that have them (intlTnEndUser on the new
// order: the countries that require an end user keep the order Pending
// until it is there). Not idempotent: a batch whose answer was lost is
// reconciled (intlOrderList by customerOrderReference, then intlTnDetail)
// before anything is sent again.
type intlOrder struct{}

var (
	_ Reconciler  = intlOrder{}
	_ Follower    = intlOrder{}
	_ Snapshotter = intlOrder{}
	_ Presumer    = intlOrder{}
)

func (intlOrder) Spec() Spec {
	return Spec{
		Name:    "intl-order",
		Summary: "order international numbers (intlTnOrder) with routing option and end user details (intlTnEndUser), followed to final",
		Operations: []string{inteliquent.OpIntlTnOrder, inteliquent.OpIntlTnEndUser, inteliquent.OpIntlOrderList, inteliquent.OpIntlTnDetail,
			inteliquent.OpIntlOrderDetail, inteliquent.OpIntlExcludedTnList},
		Columns: append([]Column{
			intlTNColumn(), countryRefColumn(),
			col("routing_option", false, "routing option (iqbulk export intl-routing-options lists them; empty: the account's default)", "Voice Platform", "routingoption", "routing option", "routing"),
		}, intlEndUserCols()...),
		BatchSize: MaxBatch,
	}
}

func (intlOrder) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseIntlTN(r, &errs)
	f := map[string]string{"country_ref": parseCountryRef(r, "country_ref", true, &errs), "routing_option": strings.TrimSpace(r.Get("routing_option"))}
	parseIntlEndUser(r, f, &errs)
	return Parsed{Key: tn, Fields: f}, errs
}

// intlOrderCall is intl-order's request: the order and the end user
// details to set on it.
type intlOrderCall struct {
	Req     *inteliquent.IntlTnOrderRequest
	EndUser []inteliquent.IntlTnItem `json:",omitempty"`
}

func (intlOrder) Build(b *Batch) (any, error) {
	req := &inteliquent.IntlTnOrderRequest{}
	req.TnOrder.CustomerOrderReference = b.CustomerOrderReference
	req.TnOrder.TnList = intlItems(b, true)
	c := &intlOrderCall{Req: req}
	for _, r := range b.Rows {
		if eu := intlEndUserOf(r.Fields); eu != nil {
			c.EndUser = append(c.EndUser, inteliquent.IntlTnItem{TN: inteliquent.TN(r.Key), CountryRef: r.Fields["country_ref"],
				NumberType: "Inbound DID", EndUserData: eu})
		}
	}
	return c, nil
}

// intlOrderSent is intl-order's answer: the order, and whether the end
// user details were set (or why not: the follow-up sets them).
type intlOrderSent struct {
	Order      *inteliquent.IntlTnOrderResponse
	EndUserErr string
}

// intlOrderDetail is what intl-order keeps on its order (Order.Detail):
// the end user details still to set.
type intlOrderDetail struct {
	EndUser []inteliquent.IntlTnItem `json:"endUser,omitempty"`
}

func (d intlOrderDetail) json() string {
	if len(d.EndUser) == 0 {
		return ""
	}
	b, _ := json.Marshal(d)
	return string(b)
}

func (intlOrder) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	c := req.(*intlOrderCall)
	resp, err := api.IntlTnOrder(ctx, c.Req)
	if err != nil {
		return nil, err
	}
	out := &intlOrderSent{Order: resp}
	if len(c.EndUser) > 0 && !resp.OrderID.IsZero() {
		// The order is placed: a failure here is kept on the rows and
		// the follow-up sets the end user again (intlTnEndUser is
		// idempotent).
		if err := setIntlEndUser(ctx, api, string(resp.OrderID), c.EndUser, excludedSet(resp)); err != nil {
			out.EndUserErr = err.Error()
		}
	}
	return out, nil
}

func excludedSet(r *inteliquent.IntlTnOrderResponse) map[string]bool {
	m := map[string]bool{}
	for _, x := range r.ExcludedTnList.ExcludedTnItem {
		m[string(x.TN)] = true
	}
	return m
}

// setIntlEndUser sends intlTnEndUser for the numbers of an order that were
// not excluded.
func setIntlEndUser(ctx context.Context, api *inteliquent.Client, orderID string, items []inteliquent.IntlTnItem, skip map[string]bool) error {
	req := &inteliquent.IntlListRequest{OrderID: inteliquent.OrderID(orderID)}
	for _, it := range items {
		if !skip[string(it.TN)] {
			req.TnList.TnItem = append(req.TnList.TnItem, it)
		}
	}
	if len(req.TnList.TnItem) == 0 {
		return nil
	}
	_, err := api.IntlTnEndUser(ctx, req)
	return err
}

func (intlOrder) Read(b *Batch, resp any) Result {
	s := resp.(*intlOrderSent)
	r := s.Order
	orderID := string(r.OrderID)
	excluded := map[string]string{}
	for _, x := range r.ExcludedTnList.ExcludedTnItem {
		excluded[string(x.TN)] = x.ExcludedReason
	}
	ordered := map[string]bool{}
	for _, it := range r.TnList.TnItem {
		ordered[string(it.TN)] = true
	}
	res := Result{OrderID: orderID}
	for _, row := range b.Rows {
		o := record.Outcome{OrderID: orderID}
		reason, isExcluded := excluded[row.Key]
		switch {
		case isExcluded:
			o.Status, o.Message = record.StatusExcluded, reason
			res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", OrderID: orderID, CustomerOrderReference: b.CustomerOrderReference, TN: row.Key, Reason: reason})
		case orderID == "":
			o.Status, o.Message = record.StatusInDoubt, "intlTnOrder answered "+r.Status+" without an orderId and without excluding the number"
		default:
			o.Status, o.Message = record.StatusPending, "order "+orderID+" accepted; run iqbulk follow for the final outcome"
			if !ordered[row.Key] && len(r.TnList.TnItem) > 0 {
				o.Message = "order " + orderID + " accepted, the number not among its tnList; run iqbulk follow"
			}
			if s.EndUserErr != "" && intlEndUserOf(row.Fields) != nil {
				o.Message += "; end user NOT set (" + s.EndUserErr + "): iqbulk follow sets it"
			}
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: row.Seq, Outcome: o})
	}
	if orderID != "" {
		d := intlOrderDetail{}
		if s.EndUserErr != "" {
			d.EndUser = endUserItems(b)
		}
		res.Orders = []record.Order{{OrderID: orderID, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID, Detail: d.json()}}
	}
	return res
}

func endUserItems(b *Batch) []inteliquent.IntlTnItem {
	var out []inteliquent.IntlTnItem
	for _, r := range b.Rows {
		if eu := intlEndUserOf(r.Fields); eu != nil {
			out = append(out, inteliquent.IntlTnItem{TN: inteliquent.TN(r.Key), CountryRef: r.Fields["country_ref"], NumberType: "Inbound DID", EndUserData: eu})
		}
	}
	return out
}

// Reconcile: the order under the batch's customerOrderReference, if the API
// made one (its end user details are set by the follow-up); otherwise a
// number already on the account was not ordered by this batch and is never
// ordered again (excluded), and the others never reached the API: sent
// again.
func (intlOrder) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	detail := intlOrderDetail{EndUser: endUserItems(b)}.json()
	return intlReconcile(ctx, api, b, detail, func(_ record.Row, d inteliquent.IntlTnDetailItem, found bool) (string, string) {
		if found {
			return record.StatusExcluded, "already on the account (" + d.Status + ") and no order under this batch's customerOrderReference; not ordered again"
		}
		return "", ""
	})
}

// Follow sets end user details the first attempt could not (idempotent),
// then follows the order.
func (intlOrder) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	var d intlOrderDetail
	if o.Detail != "" {
		_ = json.Unmarshal([]byte(o.Detail), &d)
	}
	if len(d.EndUser) > 0 {
		if err := setIntlEndUser(ctx, api, o.OrderID, d.EndUser, nil); err != nil && inteliquent.Code(err) != "409" {
			return FollowResult{}, err
		}
		o.Detail = ""
	}
	return followIntlOrder(ctx, api, o, rows)
}

// Undo: a number intl-order ordered is disconnected with intl-disconnect,
// as tn-order's are with tn-disconnect. Whether a number was on the
// account before is presumed (intlTnOrder excludes numbers already there)
// and read with intlTnDetail by undo --check.
func (intlOrder) Presume(b *Batch) map[string]Values {
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		out[k] = Values{"on_account": "N"}
	}
	return out
}

func (intlOrder) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	d, err := intlAccountState(ctx, api, b.Keys())
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		st := strings.TrimSpace(d[k].Status)
		out[k] = Values{"on_account": yn(strings.EqualFold(st, tnInService) || strings.EqualFold(st, tnPending))}
	}
	return out, nil
}

func (intlOrder) Applied(record.Row, Values) Values { return Values{"on_account": "Y"} }

func (intlOrder) Restore(r record.Row, before Values) UndoRow {
	if before["on_account"] == "Y" {
		return UndoRow{Skip: "was on the account before the run"}
	}
	return UndoRow{Kind: "intl-disconnect", Cells: map[string]string{"tn": r.Key, "country_ref": r.Fields["country_ref"]}}
}
