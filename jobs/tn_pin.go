package jobs

import (
	"context"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tnPin sets the port-out PIN of In Service numbers (the guide's "Update
// Port-Out PIN for Active Telephone Number", POST /portOutPinUpdate; onnet
// Tier 0 & HI numbers). Setting a PIN twice leaves the same PIN, so
// batches may simply be sent again. The guide shows no per-number answer;
// exclusions are read from the status string like tnOrder's.
type tnPin struct{}

func (tnPin) Spec() Spec {
	return Spec{
		Name:       "tn-pin",
		Summary:    "set the port-out PIN of In Service numbers (Tier 0 & HI)",
		Operations: []string{inteliquent.OpPortOutPinUpdate},
		Columns: []Column{
			tnColumn(),
			{Column: readers.Column{Name: "port_out_pin", Aliases: []string{"portOutPin", "pin", "port out pin"}, Required: true,
				Help: "PIN for onnet port-out protection (Tier 0 & HI), at most 15 characters"}, Example: "8642"},
		},
		BatchSize: MaxBatch,
	}
}

func (tnPin) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	pin := check(r, "port_out_pin", &errs, readers.Required, readers.MaxLen(portOutPinLimit))
	return Parsed{Key: tn, Fields: map[string]string{"port_out_pin": pin}}, errs
}

func (tnPin) Build(b *Batch) (any, error) {
	req := &inteliquent.PortOutPinUpdateRequest{}
	for _, r := range b.Rows {
		req.PortOutPin.TnList.TnItem = append(req.PortOutPin.TnList.TnItem, inteliquent.PortOutPinItem{TN: inteliquent.TN(r.Key), PortOutPin: r.Fields["port_out_pin"]})
	}
	return req, nil
}

func (tnPin) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.PortOutPinUpdate(ctx, req.(*inteliquent.PortOutPinUpdateRequest))
}

func (tnPin) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.StatusResponse)
	return readStatus(b, inteliquent.OpPortOutPinUpdate, r.Status, "", record.Outcome{Status: record.StatusOK})
}
