package jobs

import (
	"context"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tnFeature adds, updates or removes features of In Service numbers (the
// guide's "Add, Update, or Remove Active Telephone Number Feature", POST
// /tnFeatureOrder): caller ID (callingName, cnamDip), directory listing,
// E911 and messaging, with the end user. A remove_<feature>=Y column sends
// removeTnFeature "Y" for that feature.
//
// Destructive: a Spec is static, and any manifest of this kind may remove
// features (E911 among them), so the kind as a whole needs --yes outside
// the sandbox. One kind rather than a separate tn-feature-remove keeps one
// spreadsheet per change (add CNAM to some numbers, drop E911 from others)
// and one order per batch; --dry-run stays free.
type tnFeature struct{}

var (
	_ Reconciler = tnFeature{}
	_ Follower   = tnFeature{}
)

func (tnFeature) Spec() Spec {
	return Spec{
		Name:        "tn-feature",
		Summary:     "add, update or remove CNAM, directory listing, E911 and messaging on In Service numbers (remove_<feature>=Y removes)",
		Operations:  []string{inteliquent.OpTnFeatureOrder, inteliquent.OpOrderList, inteliquent.OpOrderDetail, inteliquent.OpExcludedTnList, inteliquent.OpExcludedFeatureList, inteliquent.OpExcludedE911Detail},
		Columns:     append([]Column{tnColumn()}, featureColumns(true)...),
		Destructive: true,
		BatchSize:   MaxBatch,
	}
}

func (tnFeature) Options() []OptionSpec { return validateAddressesOptions() }

// WithOptions: --validate-addresses makes the batch two steps
// (validate_addresses.go).
func (j tnFeature) WithOptions(opts map[string]string) (Job, error) {
	va, on, err := withAddressValidation(j, func() any { return &inteliquent.OrderResponse{} }, opts)
	if err != nil {
		return nil, err
	}
	if !on {
		return j, nil
	}
	return tnFeatureChecked{j, va}, nil
}

func (tnFeature) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	f := map[string]string{}
	parseFeatures(r, f, true, &errs)
	if len(errs) == 0 && !hasAnyFeature(f) {
		// tnFeature is required on every item of tnFeatureOrder.
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "tn", Value: r.Get("tn"),
			Reason: "has no feature to change: set calling_name, cnam_dip, dl_*, e911_*, messaging_* or a remove_* column"})
	}
	return Parsed{Key: tn, Fields: f}, errs
}

func (tnFeature) Build(b *Batch) (any, error) {
	req := &inteliquent.TnFeatureOrderRequest{}
	req.TnFeatureOrder.CustomerOrderReference = b.CustomerOrderReference
	for _, r := range b.Rows {
		endUser, feature := buildFeatures(r.Fields)
		it := inteliquent.TnFeatureOrderItem{TN: inteliquent.TN(r.Key), EndUser: endUser}
		if feature != nil {
			it.TnFeature = *feature
		}
		req.TnFeatureOrder.TnList.TnItem = append(req.TnFeatureOrder.TnList.TnItem, it)
	}
	return req, nil
}

func (tnFeature) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnFeatureOrder(ctx, req.(*inteliquent.TnFeatureOrderRequest))
}

func (tnFeature) Read(b *Batch, resp any) Result {
	return readOrderAnswer(b, inteliquent.OpTnFeatureOrder, resp.(*inteliquent.OrderResponse))
}

// Reconcile: tnFeatureOrder answers with an orderId whenever it accepts a
// number, so the order under the batch's customerOrderReference is the
// batch's outcome. No order means the API applied nothing (every number
// was refused, or the request never arrived): the batch is sent again,
// which cannot apply a change twice.
func (tnFeature) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	res, found, err := orderByReference(ctx, api, b)
	if err != nil || found {
		return res, nil, err
	}
	resend := make([]int, len(b.Rows))
	for i, r := range b.Rows {
		resend[i] = r.Seq
	}
	return Result{}, resend, nil
}

// Follow reads the feature order until it is final; feature and E911
// exclusions come from excludedFeatureList and excludedE911Detail.
func (tnFeature) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}
