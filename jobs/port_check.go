package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// portCheck checks whether numbers can be ported in (the guide's "Check
// Telephone Number Porting Service Availability", POST /portInAvailability),
// up to 100 per request. It only reads, so it runs in dry runs too and
// batches may be sent again. A portable number is ok; one the API reports not
// portable is excluded with its notPortableReason.
type portCheck struct {
	wireless  bool // --wireless: check wireless numbers (wireless=Y)
	onNetOnly bool // --on-net-only: on-net (Tier 0) portability only
}

// Port-check result columns.
const (
	outIsPortable        = "is_portable"
	outNotPortableReason = "not_portable_reason"
	outServiceProvider   = "service_provider"
	outLRN               = "lrn"
	outRateCenterTier    = "rate_center_tier"
)

func (portCheck) Spec() Spec {
	return Spec{
		Name:       "port-check",
		Summary:    "check portability before porting: is_portable, reason, service provider, LRN, rate center tier",
		Operations: []string{inteliquent.OpPortInAvailability},
		Columns:    []Column{tnColumn()},
		Outputs:    []string{outIsPortable, outNotPortableReason, outServiceProvider, outLRN, outRateCenterTier},
		BatchSize:  MaxBatch,
	}
}

func (portCheck) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn}, errs
}

func (j portCheck) Build(b *Batch) (any, error) {
	req := &inteliquent.PortInAvailabilityRequest{ReturnServiceProviderName: true, Wireless: yn(j.wireless)}
	if j.onNetOnly {
		req.SearchOnNetOnly = "Y"
	}
	for _, r := range b.Rows {
		req.TnList.TnItem = append(req.TnList.TnItem, inteliquent.TnItemRef{TN: inteliquent.TN(r.Key)})
	}
	return req, nil
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

func (portCheck) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.PortInAvailability(ctx, req.(*inteliquent.PortInAvailabilityRequest))
}

// Read matches answers by telephoneNumber, never by position (the guide's
// own example answers for another number than the one asked).
func (portCheck) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.PortInAvailabilityResponse)
	byTN := make(map[string]inteliquent.ServiceAvailable, len(r.ServiceAvailable))
	for _, sa := range r.ServiceAvailable {
		byTN[string(sa.TelephoneNumber)] = sa
	}
	res := Result{}
	for _, row := range b.Rows {
		sa, ok := byTN[row.Key]
		if !ok {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: row.Seq, Outcome: record.Outcome{
				Status: record.StatusFailed, Code: inteliquent.OpPortInAvailability, Message: fmt.Sprintf("no answer for %s in serviceAvailable", row.Key)}})
			continue
		}
		extra := map[string]string{
			outIsPortable: yn(bool(sa.IsPortable)), outNotPortableReason: sa.NotPortableReason,
			outServiceProvider: sa.ServiceProviderName, outLRN: string(sa.LocalRoutingNumber), outRateCenterTier: string(sa.RateCenterTier),
		}
		out := record.Outcome{Status: record.StatusOK, Code: inteliquent.OpPortInAvailability, Message: "portable", Extra: extra}
		if sa.ServiceProviderName != "" {
			out.Message = "portable from " + sa.ServiceProviderName
		}
		if !sa.IsPortable {
			out.Status, out.Message = record.StatusExcluded, strings.TrimSpace("not portable: "+sa.NotPortableReason)
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: row.Seq, Outcome: out})
	}
	return res
}

// Port-check and port-in options.
const (
	OptWireless   = "wireless"
	OptOnNetOnly  = "on-net-only"
	OptCheckFirst = "check-first"
)

func (portCheck) Options() []OptionSpec {
	return []OptionSpec{
		{Name: OptWireless, Bool: true, Help: "port-check: check wireless numbers (portInAvailability wireless=Y)"},
		{Name: OptOnNetOnly, Bool: true, Help: "port-check: on-net (Tier 0) portability only (searchOnNetOnly=Y)"},
	}
}

func (portCheck) WithOptions(opts map[string]string) (Job, error) {
	return portCheck{wireless: OptionTrue(opts, OptWireless), onNetOnly: OptionTrue(opts, OptOnNetOnly)}, nil
}
