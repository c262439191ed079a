package jobs

import (
	"context"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// csr reads each number's customer service record from its losing carrier
// (the guide's "CSR Lookup", POST /tnCsrLookup), one number per request. It
// only reads. The CSR lands in result columns named csr_*, which port-in
// accepts as aliases of its own columns (csr_earliest_scheduled_date for
// desired_due_date): a csr run's results file is a port-in manifest seed.
// A lookup the carrier could not answer still comes back as statusCode 200
// with csrLookupResult 1; the row then fails with the carrier's message.
type csr struct{}

// csrOutputs are the result columns, in order, with the CSR field each holds.
var csrOutputs = []string{
	"csr_account_num", "csr_atn", "csr_end_user", "csr_end_user_address", "csr_street_num", "csr_street_pre_dir",
	"csr_street_name", "csr_street_type", "csr_street_post_dir", "csr_location_type1", "csr_location_value1",
	"csr_location_type2", "csr_location_value2", "csr_location_type3", "csr_location_value3", "csr_city", "csr_state", "csr_postal_code", "csr_type_of_service",
	"csr_service_provider", "csr_auth_name", "csr_auth_date", "csr_earliest_scheduled_date", "csr_lsr_requirements",
	"csr_simple_port", "csr_num_of_tn_lines", "csr_tn_group", "csr_remarks",
	"csr_ocn", "csr_num_of_service_locations",
}

func (csr) Spec() Spec {
	return Spec{
		Name:       "csr",
		Summary:    "look up each number's customer service record (end user, account) at the losing carrier",
		Operations: []string{inteliquent.OpTnCsrLookup},
		Columns: []Column{tnColumn(),
			col("lookup_pin", false, "account PIN to send with the lookup", "", "pin"),
			col("lookup_account_num", false, "account number to send with the lookup", "", "lookup account"),
		},
		Outputs:   csrOutputs,
		BatchSize: 1,
	}
}

func (csr) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	f := map[string]string{"lookup_pin": strings.TrimSpace(r.Get("lookup_pin")), "lookup_account_num": strings.TrimSpace(r.Get("lookup_account_num"))}
	if v := f["lookup_pin"]; len(v) > 15 {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "lookup_pin", Value: v, Reason: "is longer than 15 characters"})
	}
	return Parsed{Key: tn, Fields: f}, errs
}

func (csr) Build(b *Batch) (any, error) {
	r := b.Rows[0]
	return &inteliquent.TnCsrLookupRequest{TN: inteliquent.TN(r.Key), Pin: r.Fields["lookup_pin"], AccountNum: r.Fields["lookup_account_num"]}, nil
}

func (csr) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnCsrLookup(ctx, req.(*inteliquent.TnCsrLookupRequest))
}

func (csr) Read(b *Batch, resp any) Result {
	c := resp.(*inteliquent.TnCsrLookupResponse).TnCsrLookupResponse
	res := Result{}
	for _, r := range b.Rows {
		// A CSR of another number must never seed a port-in of this one:
		// the lookup is a read, safe to run again (failed).
		if why := aboutOtherNumber(inteliquent.OpTnCsrLookup, r.Key, c.TN, true); why != "" {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusFailed, Code: inteliquent.OpTnCsrLookup, Message: why}})
			continue
		}
		if !c.OK() {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusFailed, Code: "csrLookupResult " + string(c.CsrLookupResult), Message: c.Message()}})
			continue
		}
		var group []string
		for _, g := range c.TnGroup {
			group = append(group, string(g.TN))
		}
		vals := []string{string(c.AccountNum), string(c.Atn), c.EndUser, c.EndUserAddress, string(c.StreetNum), c.StreetPreDir,
			c.StreetName, c.StreetType, c.StreetPostDir, c.LocationType1, string(c.LocationValue1),
			c.LocationType2, string(c.LocationValue2), c.LocationType3, string(c.LocationValue3), c.City, c.State, string(c.PostalCode), c.TypeOfService,
			c.ServiceProvider, c.AuthName, c.AuthDate, c.EarliestScheduledDate, c.LsrRequirements,
			c.SimplePort, c.NumOfTnLines.String(), strings.Join(group, " "), c.Remarks,
			string(c.Ocn), c.NumOfServiceLocations.String()}
		extra := make(map[string]string, len(csrOutputs))
		for i, name := range csrOutputs {
			extra[name] = vals[i]
		}
		msg := "CSR from " + c.ServiceProvider
		if c.LsrRequirements != "" {
			msg += "; LSR requirements: " + c.LsrRequirements
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
			Status: record.StatusOK, Code: inteliquent.OpTnCsrLookup, Message: msg, Extra: extra}})
	}
	return res
}

// EmitsFor: a csr run's answers seed a port-in manifest (--emit-manifest).
func (csr) EmitsFor() string { return "port-in" }

// Emit fills the port-in columns that have a csr_* alias from a looked-up
// row's CSR; the port details the CSR cannot know (desired due date, time)
// stay empty for the user to fill in. Rows whose lookup failed are left out.
func (csr) Emit(r record.Row, target []Column) ([]string, bool) {
	if r.Status != record.StatusOK {
		return nil, false
	}
	out := make([]string, len(target))
	for i, c := range target {
		if c.Name == "tn" {
			out[i] = r.Key
			continue
		}
		for _, a := range c.Aliases {
			if strings.HasPrefix(a, "csr_") {
				out[i] = r.Extra[a]
			}
		}
	}
	return out, true
}
