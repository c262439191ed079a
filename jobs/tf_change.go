package jobs

import (
	"context"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// This file holds the toll-free change kinds: tf-routing (tfUpdate),
// tf-feature (tfFeatureOrder) and tf-disconnect (tfDisconnect). Each makes
// an order: at most 100 numbers per request are validated at once (the
// exclusions come back in the status), the rest of the outcome comes with
// the order's follow-up. None is idempotent: a batch whose answer was lost
// is reconciled (orderList by customerOrderReference, then tfDetail).

// tfRouting moves In Service toll-free numbers to another routing label
// (the guide's "Update Active Toll-Free Number Routing", POST /tfUpdate).
type tfRouting struct{}

var (
	_ Reconciler    = tfRouting{}
	_ Follower      = tfRouting{}
	_ Reconciler    = tfFeatureJob{}
	_ Follower      = tfFeatureJob{}
	_ Reconciler    = tfDisconnect{}
	_ Follower      = tfDisconnect{}
	_ DryRunChecker = tfDisconnect{}
)

func (tfRouting) Spec() Spec {
	return Spec{
		Name:    "tf-routing",
		Summary: "change the routing label of In Service toll-free numbers",
		Operations: []string{inteliquent.OpTfUpdate, inteliquent.OpOrderList, inteliquent.OpTfDetail, inteliquent.OpOrderDetail,
			inteliquent.OpExcludedTnList},
		Columns:   []Column{tfColumn(), routingLabelColumn()},
		BatchSize: MaxBatch,
	}
}

func (tfRouting) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTF(r, &errs)
	l := check(r, "routing_label", &errs, readers.Required)
	return Parsed{Key: tn, Fields: map[string]string{"routing_label": l}}, errs
}

func (tfRouting) Build(b *Batch) (any, error) {
	req := &inteliquent.TfUpdateRequest{CustomerOrderReference: b.CustomerOrderReference}
	for _, r := range b.Rows {
		req.TnList.TnItem = append(req.TnList.TnItem, inteliquent.TfUpdateItem{TN: inteliquent.TN(r.Key), RoutingLabel: r.Fields["routing_label"]})
	}
	return req, nil
}

func (tfRouting) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TfUpdate(ctx, req.(*inteliquent.TfUpdateRequest))
}

func (tfRouting) Read(b *Batch, resp any) Result {
	return readOrderAnswer(b, inteliquent.OpTfUpdate, resp.(*inteliquent.OrderResponse))
}

// Reconcile: a number already on its new label was moved; the others are
// sent again (assigning the label a number has changes nothing).
func (tfRouting) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	return reconcileOnAccount(ctx, api, b, tfAccountState, func(r record.Row, d inteliquent.TfDetailItem, ok bool) (string, bool) {
		return "on routing label " + d.RoutingLabel, ok && d.RoutingLabel == r.Fields["routing_label"]
	})
}

func (tfRouting) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}

// tfFeatureJob adds, updates or removes CNAM, E911 and messaging on In
// Service toll-free numbers (POST /tfFeatureOrder). remove_<feature>=Y
// removes a feature, so the kind is destructive.
type tfFeatureJob struct{}

func (tfFeatureJob) Spec() Spec {
	return Spec{
		Name:    "tf-feature",
		Summary: "add, update or remove CNAM, E911 and messaging on In Service toll-free numbers (remove_<feature>=Y removes)",
		Operations: []string{inteliquent.OpTfFeatureOrder, inteliquent.OpOrderList, inteliquent.OpTfDetail, inteliquent.OpOrderDetail,
			inteliquent.OpExcludedTnList, inteliquent.OpExcludedFeatureList, inteliquent.OpExcludedE911Detail},
		Columns:     append([]Column{tfColumn()}, tfFeatureColumns(true)...),
		Destructive: true,
		BatchSize:   MaxBatch, // "Immediate validation is performed for requests with 100 or fewer numbers"
	}
}

func (tfFeatureJob) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTF(r, &errs)
	f := map[string]string{}
	parseFeatures(r, f, true, &errs)
	if len(errs) == 0 && !hasAnyFeature(f) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "calling_name",
			Reason: "no feature to change: set calling_name, cnam_dip, e911_*, messaging_* or a remove_<feature> column"})
	}
	return Parsed{Key: tn, Fields: f}, errs
}

func (tfFeatureJob) Build(b *Batch) (any, error) {
	req := &inteliquent.TfFeatureOrderRequest{}
	req.TfFeatureOrder.CustomerOrderReference = b.CustomerOrderReference
	for _, r := range b.Rows {
		it := inteliquent.TfFeatureOrderItem{TN: inteliquent.TN(r.Key)}
		if f := buildTfFeature(r.Fields); f != nil {
			it.TnFeature = *f
		}
		req.TfFeatureOrder.TnList.TnItem = append(req.TfFeatureOrder.TnList.TnItem, it)
	}
	return req, nil
}

func (tfFeatureJob) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TfFeatureOrder(ctx, req.(*inteliquent.TfFeatureOrderRequest))
}

func (tfFeatureJob) Read(b *Batch, resp any) Result {
	return readOrderAnswer(b, inteliquent.OpTfFeatureOrder, resp.(*inteliquent.OrderResponse))
}

// Reconcile: a number whose account record already shows the requested
// calling name (or its removal) took the change; the others are sent again
// (setting a feature to the value it has changes nothing).
func (tfFeatureJob) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	return reconcileOnAccount(ctx, api, b, tfAccountState, func(r record.Row, d inteliquent.TfDetailItem, ok bool) (string, bool) {
		if !ok {
			return "", false
		}
		cn := ""
		if d.TnFeature != nil && d.TnFeature.CallerID != nil {
			cn = d.TnFeature.CallerID.CallingName
		}
		want, remove := r.Fields["calling_name"], r.Fields["remove_caller_id"] == "Y"
		switch {
		case want != "" && strings.EqualFold(cn, want):
			return "calling name is " + cn, true
		case remove && cn == "":
			return "calling name removed", true
		}
		return "", false
	})
}

func (tfFeatureJob) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}

// tfDisconnect disconnects In Service toll-free numbers (POST
// /tfDisconnect). Destructive.
type tfDisconnect struct{}

func (tfDisconnect) Spec() Spec {
	return Spec{
		Name:    "tf-disconnect",
		Summary: "disconnect In Service toll-free numbers",
		Operations: []string{inteliquent.OpTfDisconnect, inteliquent.OpOrderList, inteliquent.OpTfDetail, inteliquent.OpOrderDetail,
			inteliquent.OpExcludedTnList},
		Columns:     []Column{tfColumn()},
		Destructive: true,
		BatchSize:   MaxBatch,
	}
}

func (tfDisconnect) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTF(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{}}, errs
}

func (tfDisconnect) Build(b *Batch) (any, error) {
	req := &inteliquent.TfDisconnectRequest{CustomerOrderReference: b.CustomerOrderReference, TnList: inteliquent.TnRefs()}
	for _, k := range b.Keys() {
		req.TnList.TnItem = append(req.TnList.TnItem, inteliquent.TnItemRef{TN: inteliquent.TN(k)})
	}
	return req, nil
}

func (tfDisconnect) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TfDisconnect(ctx, req.(*inteliquent.TfDisconnectRequest))
}

func (tfDisconnect) Read(b *Batch, resp any) Result {
	return readOrderAnswer(b, inteliquent.OpTfDisconnect, resp.(*inteliquent.OrderResponse))
}

// Reconcile: a number already Pending Disconnect was taken by the lost
// batch; numbers still In Service are sent again; a number no longer on the
// account is sent again too, and the API's answer tells what it is.
func (tfDisconnect) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	return reconcileOnAccount(ctx, api, b, tfAccountState, func(_ record.Row, d inteliquent.TfDetailItem, ok bool) (string, bool) {
		return "Pending Disconnect", ok && d.TnStatusRef == "PDISC"
	})
}

// DryRunCheck looks each number up (tfDetail, read-only): In Service on
// the account is what a disconnect needs; anything else would be excluded.
func (tfDisconnect) DryRunCheck(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, error) {
	onAccount, err := tfAccountState(ctx, api, b.Keys())
	if err != nil {
		return Result{}, err
	}
	var res Result
	for _, r := range b.Rows {
		d, ok := onAccount[r.Key]
		o := record.Outcome{Status: record.StatusSkipped, Code: "dry-run", Message: "dry run: In Service on routing label " + d.RoutingLabel + "; would be disconnected"}
		switch {
		case !ok:
			o.Status, o.Message = record.StatusExcluded, "dry run: not on the account; would be excluded"
		case d.TnStatusRef != "INSVC":
			o.Status, o.Message = record.StatusExcluded, "dry run: "+d.TnStatusName+", not In Service; would be excluded"
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: o})
	}
	return res, nil
}

func (tfDisconnect) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}
