package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tnOrder orders numbers from inventory (the guide's "Order New Telephone
// Number", POST /tnOrder). It is not idempotent: a batch whose answer was
// lost is reconciled against the account before anything is sent again.
type tnOrder struct{}

func (tnOrder) Spec() Spec {
	return Spec{
		Name:       "tn-order",
		Summary:    "order numbers from inventory, with trunk group, port-out PIN, note, end user and features (CNAM, directory listing, E911, messaging)",
		Operations: []string{inteliquent.OpTnOrder, inteliquent.OpOrderList, inteliquent.OpTnDetail},
		Columns: append([]Column{
			tnColumn(),
			{Column: readers.Column{Name: "trunk_group", Aliases: []string{"trunkgroup", "trunk group", "tg"}, Help: "trunk group to assign (e.g. CHCGIL24CL1_897)"}, Example: "TG_CHICAGO_01"},
			{Column: readers.Column{Name: "port_out_pin", Aliases: []string{"portoutpin", "pin"}, Help: "PIN for onnet port-out protection (Tier 0 & HI)"}, Example: ""},
			{Column: readers.Column{Name: "tn_note", Aliases: []string{"tnnote", "note"}, Help: "note stored on the number"}, Example: "migration wave 1"},
		}, featureColumns(false)...),
		BatchSize: MaxBatch,
	}
}

func (tnOrder) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	f := map[string]string{
		"trunk_group":  r.Get("trunk_group"),
		"port_out_pin": maxLen(r, "port_out_pin", portOutPinLimit, &errs),
		"tn_note":      r.Get("tn_note"),
	}
	parseFeatures(r, f, false, &errs)
	// Featured rows become an order that answers later (the guide's orderId
	// rule); batching them apart lets the plain rows complete at once.
	group := ""
	if hasOrderFeatures(f) {
		group = "features"
	}
	return Parsed{Key: tn, Group: group, Fields: f}, errs
}

func (tnOrder) Options() []OptionSpec { return validateAddressesOptions() }

// WithOptions: --validate-addresses makes the batch two steps
// (validate_addresses.go).
func (j tnOrder) WithOptions(opts map[string]string) (Job, error) {
	va, on, err := withAddressValidation(j, func() any { return &inteliquent.TnOrderResponse{} }, opts)
	if err != nil {
		return nil, err
	}
	if !on {
		return j, nil
	}
	return tnOrderChecked{j, va}, nil
}

// portOutPinLimit: the guide's Character Limits rows before accountPin were
// lost in extraction; a port-out PIN is held to accountPin's 15.
const portOutPinLimit = 15

func (tnOrder) Build(b *Batch) (any, error) {
	req := &inteliquent.TnOrderRequest{}
	req.TnOrder.CustomerOrderReference = b.CustomerOrderReference
	for _, r := range b.Rows {
		endUser, feature := buildFeatures(r.Fields)
		req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, inteliquent.TnOrderItem{
			TN: inteliquent.TN(r.Key), TrunkGroup: r.Fields["trunk_group"],
			PortOutPin: r.Fields["port_out_pin"], TnNote: r.Fields["tn_note"],
			EndUser: endUser, TnFeature: feature,
		})
	}
	return req, nil
}

func (tnOrder) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnOrder(ctx, req.(*inteliquent.TnOrderRequest))
}

// Read handles both of the guide's answers: a synchronous order (at most 100
// numbers, no features) is done, its exclusions in the status string; an
// order with an orderId finishes in the background, so its rows are pending
// until followed up.
func (tnOrder) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.TnOrderResponse)
	orderID := string(r.OrderID)
	ok := record.Outcome{Status: record.StatusOK}
	res := Result{}
	if orderID != "" {
		ok = record.Outcome{Status: record.StatusPending, Message: "order " + orderID + " accepted; run iqbulk follow for the final outcome"}
	}
	res = readStatus(b, inteliquent.OpTnOrder, r.Status, orderID, ok)
	if orderID != "" {
		res.Orders = append(res.Orders, record.Order{OrderID: orderID, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID})
	}
	return res
}

// Reconcile finds out what a tnOrder whose answer was lost did. If the API
// recorded an order under the batch's customerOrderReference, the batch was
// applied as that order. Otherwise the batch was synchronous: each number now
// on the account, activated since the batch was first sent, was ordered by
// it; the others never reached the API (or were refused), and only they may
// be sent again — a number already on the account is never ordered twice.
func (tnOrder) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	since := b.FirstSentAt.Add(-2 * time.Minute) // allow for clock skew with the API
	return reconcileOnAccount(ctx, api, b, accountState, func(_ record.Row, d inteliquent.TnDetailItem, found bool) (string, bool) {
		return "on the account (" + d.TnStatus + ") since " + d.ActivateDate, found && activatedSince(d.ActivateDate, since)
	})
}

// accountState looks numbers up with tnDetail, one search item per number.
func accountState(ctx context.Context, api *inteliquent.Client, tns []string) (map[string]inteliquent.TnDetailItem, error) {
	req := &inteliquent.TnDetailRequest{PageSort: &inteliquent.PageSort{Size: MaxBatch}}
	for _, tn := range tns {
		req.TnSearchList.TnSearchItem = append(req.TnSearchList.TnSearchItem, inteliquent.TnSearchItem{TnMask: tn})
	}
	out := make(map[string]inteliquent.TnDetailItem, len(tns))
	for d, err := range api.TnDetailIter(ctx, req) {
		if err != nil {
			return nil, fmt.Errorf("tnDetail: %w", err)
		}
		out[string(d.TN)] = d
	}
	return out, nil
}

// activatedSince reads tnDetail's activateDate (the guide shows
// 2017-03-29T14:00:46.000Z; other operations use other forms) and reports
// whether it is at or after t. An unreadable date counts as recent: the
// number is on the account and the run asked for it.
func activatedSince(s string, t time.Time) bool {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05.000-0700", "2006-01-02 15:04:05", "2006-01-02"} {
		if at, err := time.Parse(layout, s); err == nil {
			return !at.Before(t)
		}
	}
	return true
}

func setAllOutcome(b *Batch, o record.Outcome) Result {
	res := Result{Rows: make([]record.RowOutcome, len(b.Rows))}
	for i, r := range b.Rows {
		res.Rows[i] = record.RowOutcome{Seq: r.Seq, Outcome: o}
	}
	return res
}

// Follow reads a background tnOrder (more than 100 numbers, or features)
// until it is final.
func (tnOrder) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}
