package jobs

import (
	"context"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// addressValidate validates 911 addresses before there are numbers for
// them (the guide's "Validate E911 Address", POST /addressValidate): the
// same answers as e911-validate, valid, corrected or not close enough with
// candidates, and nothing changes. One address per request.
type addressValidate struct{}

// addressColumns are e911's address columns without tn, name, location and
// ZIP+4, which addressValidate does not take.
func addressColumns() []Column {
	var out []Column
	for _, c := range e911Columns() {
		switch c.Name {
		case "street_num", "street_info", "city", "state", "postal_code":
			out = append(out, c)
		}
	}
	return out
}

func (addressValidate) Spec() Spec {
	return Spec{
		Name:       "address-validate",
		Summary:    "validate 911 addresses before ordering numbers for them (addressValidate): valid, corrected or not close enough, with candidates",
		Operations: []string{inteliquent.OpAddressValidate},
		Columns:    addressColumns(),
		Outputs:    validationOutputs(),
		BatchSize:  1,
	}
}

// Character Limits of the E911 address (origStreetNum 10, origStreetInfo
// 48, origCity 32, origState 2, origPostalCode 10).
var addressLimits = []struct {
	col string
	max int
}{{"street_num", 10}, {"street_info", 48}, {"city", 32}, {"state", 2}, {"postal_code", 10}}

func (addressValidate) Parse(r Row) (Parsed, []error) {
	var errs []error
	f := map[string]string{}
	for _, l := range addressLimits {
		v := strings.TrimSpace(maxLen(r, l.col, l.max, &errs))
		if v == "" {
			errs = append(errs, &readers.FieldError{Line: r.Line, Column: l.col, Reason: "is required"})
		}
		f[l.col] = v
	}
	// The same address twice is a duplicate.
	key := strings.ToUpper(strings.Join([]string{f["street_num"], f["street_info"], f["city"], f["state"], f["postal_code"]}, "|"))
	return Parsed{Key: key, Fields: f}, errs
}

func (addressValidate) Build(b *Batch) (any, error) {
	row, err := oneRow(b)
	if err != nil {
		return nil, err
	}
	f := row.Fields
	return &inteliquent.AddressValidateRequest{StreetNum: f["street_num"], StreetInfo: f["street_info"], City: f["city"],
		State: f["state"], PostalCode: f["postal_code"]}, nil
}

func (addressValidate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.AddressValidate(ctx, req.(*inteliquent.AddressValidateRequest))
}

func (addressValidate) Read(b *Batch, resp any) Result {
	v := resp.(*inteliquent.AddressValidateResponse).AddressValidateResponse
	return Result{Rows: []record.RowOutcome{{Seq: b.Rows[0].Seq, Outcome: validationOutcome(&v)}}}
}
