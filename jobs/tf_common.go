package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
)

// This file holds what the toll-free kinds (tf-order, tf-routing,
// tf-feature, tf-disconnect, tf-forward) share: the toll-free number column,
// the routing-label column, the toll-free feature columns (the guide's
// tfOrder/tfFeatureOrder tnFeature: callerId, e911, messaging; no end user
// and no directory listing for toll-free numbers) and the account lookup
// through tfDetail.

// tfColumn is the toll-free number column.
func tfColumn() Column {
	return Column{Column: readers.Column{Name: "tn", Aliases: []string{"tfn", "toll free", "toll-free", "toll free number", "telephone number", "number", "did"}, Required: true,
		Help: "ten-digit toll-free number (800, 833, 844, 855, 866, 877 or 888)"}, Example: "8885550100"}
}

// parseTF normalises the row's tn column as a toll-free number.
func parseTF(r Row, errs *[]error) string {
	raw := r.Get("tn")
	if raw == "" {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "tn", Reason: "is required"})
		return ""
	}
	tn, err := readers.NormalizeTollFree(raw)
	if err != nil {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "tn", Value: raw, Reason: err.Error()})
		return ""
	}
	return tn
}

// routingLabelColumn is the routing label column (required: tfOrder and
// tfUpdate both require routingLabel).
func routingLabelColumn() Column {
	return Column{Column: readers.Column{Name: "routing_label", Aliases: []string{"routinglabel", "routing label", "label", "routing"}, Required: true,
		Help: "toll-free routing label or its customer-assigned name (iqbulk export routing-labels lists them)"}, Example: "NTNYC-690-8XX-123"}
}

// tfFeatureGroups are the feature groups a toll-free number has.
var tfFeatureGroups = map[string]bool{groupCallerID: true, groupE911: true, groupMessaging: true}

// tfFeatureColumns are the feature columns of the toll-free kinds: those of
// tn-order/tn-feature without endUser and directoryListing.
func tfFeatureColumns(withRemove bool) []Column {
	var out []Column
	for _, f := range featureFields() {
		if tfFeatureGroups[f.group] {
			out = append(out, Column{Column: readers.Column{Name: f.col, Aliases: f.aliases, Help: f.help}, Example: f.example})
		}
	}
	if withRemove {
		for _, rc := range removeColumns() {
			if tfFeatureGroups[rc.group] {
				out = append(out, Column{Column: readers.Column{Name: rc.col, Aliases: rc.aliases,
					Help: "Y removes the number's " + rc.group + " (removeTnFeature); its other columns must be empty"}, Example: ""})
			}
		}
	}
	return out
}

// buildTfFeature makes a toll-free tnFeature from parsed fields (nil when
// the row sets none).
func buildTfFeature(fields map[string]string) *inteliquent.TfFeature {
	_, f := buildFeatures(fields)
	if f == nil || f.CallerID == nil && f.E911 == nil && f.Messaging == nil {
		return nil
	}
	return &inteliquent.TfFeature{CallerID: f.CallerID, E911: f.E911, Messaging: f.Messaging}
}

// tfAccountState looks toll-free numbers up with tfDetail, one search item
// per number.
func tfAccountState(ctx context.Context, api *inteliquent.Client, tns []string) (map[string]inteliquent.TfDetailItem, error) {
	req := &inteliquent.TfDetailRequest{PageSort: &inteliquent.PageSort{Size: MaxBatch}}
	for _, tn := range tns {
		req.TfSearchList.TfSearchItem = append(req.TfSearchList.TfSearchItem, inteliquent.TfSearchItem{TnMask: tn})
	}
	out := make(map[string]inteliquent.TfDetailItem, len(tns))
	for d, err := range api.TfDetailIter(ctx, req) {
		if err != nil {
			return nil, fmt.Errorf("tfDetail: %w", err)
		}
		out[string(d.TN)] = d
	}
	return out, nil
}

// cicListRule accepts CICs separated by commas, spaces or semicolons, each
// four digits, and returns them comma-separated.
func cicListRule(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '|' })
	for _, p := range parts {
		if len(p) != 4 || strings.Trim(p, "0123456789") != "" {
			return "", fmt.Errorf("has %q: a CIC is four digits (e.g. 0913)", p)
		}
	}
	return strings.Join(parts, ","), nil
}
