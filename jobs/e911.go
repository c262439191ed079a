package jobs

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// This file holds the E911 address kinds, one number per request (the
// guide's tnE911 and tnE911Validate are synchronous and take one number):
//
//   - e911-validate: tnE911Validate only (read-only, sent in dry runs too);
//     every row gets validation_result (0 valid, 1 corrected, 2 not close
//     enough), validation_msg, the corrected address and the candidate
//     addresses.
//   - e911: tnE911. With --validate-first every row is validated before it
//     is provisioned: a row whose address is not close enough (2) is never
//     sent; one the API would correct (1) is sent only with
//     --accept-corrections, otherwise reported for review. Both are
//     "invalid" (fix and run failed.csv again).
//   - e911-remove: tnE911 with removeE911 "Y" (destructive).

// e911Columns are the address columns shared by e911 and e911-validate.
func e911Columns() []Column {
	col := func(name string, aliases []string, req bool, help, ex string) Column {
		return Column{Column: readers.Column{Name: name, Aliases: aliases, Required: req, Help: help}, Example: ex}
	}
	return []Column{
		tnColumn(),
		col("name", []string{"e911 name", "e911_name", "caller name", "customer name", "end user name"}, true, "E911 first and last name (32 characters, printable ASCII)", "James Holden"),
		col("street_num", []string{"streetnum", "street number", "house number", "house_number", "number on street"}, true, "street number (e.g. 550)", "550"),
		col("street_info", []string{"streetinfo", "street", "street name", "street_name", "address"}, true, "street information (e.g. W Adams St)", "W Adams St"),
		col("location", []string{"suite", "floor", "unit", "e911 location"}, false, "location (e.g. Suite 900; 60 characters, printable ASCII)", "9th floor"),
		col("city", nil, true, "city", "Chicago"),
		col("state", []string{"province", "st"}, true, "two-letter state", "IL"),
		col("postal_code", []string{"postalcode", "postal code", "zip", "zipcode", "zip code"}, true, "ZIP code", "60661"),
		col("postal_code_plus_four", []string{"postalcodeplusfour", "plus4", "plus four", "zip4", "zip+4", "zip plus four"}, false, "ZIP+4 extension (4 digits; e911 only)", "3665"),
	}
}

// parseE911Address validates the address columns against the guide's
// Character Limits (e911.name 32, origStreetNum 10, origStreetInfo 48,
// origLocation 60, origCity 32, origState 2, origPostalCode 10,
// origPostalCodePlusFour 4) and the "printable ASCII" rule of name and
// location.
func parseE911Address(r Row, errs *[]error) map[string]string {
	lim := readers.Limits()
	get := func(col, limit string, required bool) string {
		v := strings.TrimSpace(r.Get(col))
		if v == "" {
			if required {
				*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Reason: "is required"})
			}
			return ""
		}
		if n := lim[limit]; n > 0 && len([]rune(v)) > n {
			*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: fmt.Sprintf("is %d characters, the limit is %d", len([]rune(v)), n)})
		}
		return v
	}
	f := map[string]string{
		"name":                  get("name", "e911.name", true),
		"street_num":            get("street_num", "e911.origStreetNum", true),
		"street_info":           get("street_info", "e911.origStreetInfo", true),
		"location":              get("location", "e911.origLocation", false),
		"city":                  get("city", "e911.origCity", true),
		"state":                 strings.ToUpper(get("state", "e911.origState", true)),
		"postal_code":           get("postal_code", "e911.origPostalCode", true),
		"postal_code_plus_four": get("postal_code_plus_four", "e911.origPostalCodePlusFour", false),
	}
	for _, col := range []string{"name", "location"} {
		if v := f[col]; !e911Printable(v) {
			*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: "has characters that are not printable ASCII"})
		}
	}
	if s := f["state"]; s != "" && len(s) <= 2 && (len(s) != 2 || !e911Letters(s)) {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "state", Value: s, Reason: "is not a two-letter state"})
	}
	if p := f["postal_code_plus_four"]; p != "" && (len(p) != 4 || !e911Digits(p)) {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "postal_code_plus_four", Value: p, Reason: "is not 4 digits"})
	}
	return f
}

func e911Printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func e911Letters(s string) bool {
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

func e911Digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func e911ValidateRequest(row record.Row) *inteliquent.TnE911ValidateRequest {
	f := row.Fields
	return &inteliquent.TnE911ValidateRequest{TN: inteliquent.TN(row.Key), Name: f["name"], StreetNum: f["street_num"],
		StreetInfo: f["street_info"], Location: f["location"], City: f["city"], State: f["state"], PostalCode: f["postal_code"]}
}

// oneRow returns the single row of a one-number batch.
func oneRow(b *Batch) (record.Row, error) {
	if len(b.Rows) != 1 {
		return record.Row{}, fmt.Errorf("batch %d has %d rows; this job sends one number per request", b.ID, len(b.Rows))
	}
	return b.Rows[0], nil
}

// ---- validation results as result columns ----

// maxCandidates is how many candidate addresses get their own column; more
// are counted in the last one.
const maxCandidates = 5

var validationOutputs = func() []string {
	out := []string{"validation_result", "validation_msg", "corrected_street_num", "corrected_street_info",
		"corrected_city", "corrected_state", "corrected_postal_code"}
	for i := 1; i <= maxCandidates; i++ {
		out = append(out, "candidate_"+strconv.Itoa(i))
	}
	return out
}

func validationExtra(v *inteliquent.E911Validation, extra map[string]string) {
	extra["validation_result"] = v.ValidationResult.String()
	extra["validation_msg"] = v.ValidationMsg
	if v.ValidationResult.Int() != inteliquent.E911Invalid {
		extra["corrected_street_num"] = string(v.CorrectedStreetNum)
		extra["corrected_street_info"] = v.CorrectedStreetInfo
		extra["corrected_city"] = v.CorrectedCity
		extra["corrected_state"] = v.CorrectedState
		extra["corrected_postal_code"] = string(v.CorrectedPostalCode)
	}
	for i, c := range v.CandidateAddressList {
		if i >= maxCandidates {
			extra["candidate_"+strconv.Itoa(maxCandidates)] += fmt.Sprintf(" (+%d more)", len(v.CandidateAddressList)-maxCandidates)
			break
		}
		extra["candidate_"+strconv.Itoa(i+1)] = c.String()
	}
}

func correctedAddress(v *inteliquent.E911Validation) string {
	return inteliquent.FormatAddress(string(v.CorrectedStreetNum), v.CorrectedStreetInfo, "", v.CorrectedCity, v.CorrectedState, string(v.CorrectedPostalCode), "", "")
}

// validationOutcome is what a validation alone says about a row.
func validationOutcome(v *inteliquent.E911Validation) record.Outcome {
	o := record.Outcome{Extra: map[string]string{}}
	validationExtra(v, o.Extra)
	switch v.ValidationResult.Int() {
	case inteliquent.E911Valid:
		o.Status, o.Code, o.Message = record.StatusOK, "valid", v.ValidationMsg
	case inteliquent.E911Corrected:
		o.Status, o.Code = record.StatusOK, "corrected"
		o.Message = v.ValidationMsg + "; would be provisioned as " + correctedAddress(v)
	default:
		o.Status, o.Code = record.StatusInvalid, "not-close-enough"
		o.Message = v.ValidationMsg
		if n := len(v.CandidateAddressList); n > 0 {
			o.Message += fmt.Sprintf("; %d candidate addresses (candidate_1...)", n)
		}
	}
	return o
}

// ---- e911-validate ----

type e911Validate struct{}

func (e911Validate) Spec() Spec {
	return Spec{
		Name:       "e911-validate",
		Summary:    "validate 911 addresses without changing anything (tnE911Validate): valid, corrected or not close enough, with candidates",
		Operations: []string{inteliquent.OpTnE911Validate},
		Columns:    e911Columns(),
		Outputs:    validationOutputs(),
		BatchSize:  1,
	}
}

func (e911Validate) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn, Fields: parseE911Address(r, &errs)}, errs
}

func (e911Validate) Build(b *Batch) (any, error) {
	row, err := oneRow(b)
	if err != nil {
		return nil, err
	}
	return e911ValidateRequest(row), nil
}

func (e911Validate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnE911Validate(ctx, req.(*inteliquent.TnE911ValidateRequest))
}

func (e911Validate) Read(b *Batch, resp any) Result {
	v := resp.(*inteliquent.TnE911ValidateResponse).TnE911ValidateResponse
	r := b.Rows[0]
	// A validation of another number's address says nothing about this
	// row's; the validation is a read, safe to run again (failed).
	if why := aboutOtherNumber(inteliquent.OpTnE911Validate, r.Key, v.TN, false); why != "" {
		return Result{Rows: []record.RowOutcome{{Seq: r.Seq, Outcome: record.Outcome{
			Status: record.StatusFailed, Code: inteliquent.OpTnE911Validate, Message: why}}}}
	}
	return Result{Rows: []record.RowOutcome{{Seq: r.Seq, Outcome: validationOutcome(&v)}}}
}

// ---- e911 ----

// e911 provisions 911 addresses. The zero value provisions without
// validating first (the API still corrects close-enough addresses and
// refuses the others with 409).
type e911 struct {
	validateFirst     bool
	acceptCorrections bool
}

// Option names of the e911 job.
const (
	OptValidateFirst     = "validate-first"
	OptAcceptCorrections = "accept-corrections"
)

func (e911) Spec() Spec {
	return Spec{
		Name:       "e911",
		Summary:    "provision 911 addresses, one number per request (tnE911); --validate-first holds back invalid and corrected addresses",
		Operations: []string{inteliquent.OpTnE911, inteliquent.OpTnE911Validate},
		Columns:    e911Columns(),
		Outputs: append([]string{"provision_result", "provision_msg", "provisioned_address",
			"provisioned_street_num", "provisioned_street_info", "provisioned_location", "provisioned_city",
			"provisioned_state", "provisioned_postal_code", "provisioned_postal_code_plus_four"}, validationOutputs()...),
		BatchSize: 1,
	}
}

func (e911) Options() []OptionSpec {
	return []OptionSpec{
		{Name: OptValidateFirst, Bool: true, Help: "e911: validate each address (tnE911Validate) before provisioning it; addresses not close enough are never sent"},
		{Name: OptAcceptCorrections, Bool: true, Help: acceptCorrectionsHelp},
	}
}

func (e911) WithOptions(opts map[string]string) (Job, error) {
	j := e911{validateFirst: OptionTrue(opts, OptValidateFirst), acceptCorrections: OptionTrue(opts, OptAcceptCorrections)}
	if j.acceptCorrections && !j.validateFirst {
		return nil, fmt.Errorf("--%s needs --%s (without validation, tnE911 always provisions the corrected address)", OptAcceptCorrections, OptValidateFirst)
	}
	return j, nil
}

func (e911) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn, Fields: parseE911Address(r, &errs)}, errs
}

func (e911) Build(b *Batch) (any, error) {
	row, err := oneRow(b)
	if err != nil {
		return nil, err
	}
	f := row.Fields
	return &inteliquent.TnE911Request{TN: inteliquent.TN(row.Key), Name: f["name"], StreetNum: f["street_num"],
		StreetInfo: f["street_info"], Location: f["location"], City: f["city"], State: f["state"],
		PostalCode: f["postal_code"], PostalCodePlusFour: f["postal_code_plus_four"]}, nil
}

// e911Answer is what Send makes of one row.
type e911Answer struct {
	validation *inteliquent.E911Validation // with --validate-first
	held       string                      // "not-close-enough" or "needs-review": not sent
	dryRun     bool                        // validated, provisioning skipped
	resp       *inteliquent.TnE911Response
	refused    error // the 409 Invalid Address (resp holds provisionMsg)
}

func (j e911) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	r := req.(*inteliquent.TnE911Request)
	ans := &e911Answer{}
	if j.validateFirst {
		v, err := api.TnE911Validate(ctx, &inteliquent.TnE911ValidateRequest{TN: r.TN, Name: r.Name, StreetNum: r.StreetNum,
			StreetInfo: r.StreetInfo, Location: r.Location, City: r.City, State: r.State, PostalCode: r.PostalCode})
		if err != nil {
			return nil, fmt.Errorf("validate first: %w", err)
		}
		ans.validation = &v.TnE911ValidateResponse
		switch ans.validation.ValidationResult.Int() {
		case inteliquent.E911Invalid:
			ans.held = "not-close-enough"
			return ans, nil
		case inteliquent.E911Corrected:
			if !j.acceptCorrections {
				ans.held = "needs-review"
				return ans, nil
			}
		}
	}
	resp, err := api.TnE911(ctx, r)
	switch {
	case err == nil:
		ans.resp = resp
	case resp != nil && inteliquent.Code(err) == "409":
		ans.resp, ans.refused = resp, err
	case errors.Is(err, inteliquent.ErrDryRun) && ans.validation != nil:
		ans.dryRun = true
	default:
		return nil, err
	}
	return ans, nil
}

func (e911) Read(b *Batch, resp any) Result {
	a := resp.(*e911Answer)
	o := record.Outcome{Extra: map[string]string{}}
	if a.validation != nil {
		validationExtra(a.validation, o.Extra)
	}
	switch {
	case a.held == "not-close-enough":
		o.Status, o.Code = record.StatusInvalid, a.held
		o.Message = "not sent: address not close enough (" + a.validation.ValidationMsg + ")"
	case a.held == "needs-review":
		o.Status, o.Code = record.StatusInvalid, a.held
		o.Message = "not sent: the API would correct the address to " + correctedAddress(a.validation) +
			"; review it, then fix the row or run again with --accept-corrections"
	case a.dryRun:
		o.Status, o.Code = record.StatusSkipped, "dry-run"
		o.Message = "dry run: validated, not provisioned"
	case a.refused != nil:
		p := a.resp.TnE911Response
		o.Status, o.Code = record.StatusFailed, inteliquent.Code(a.refused)
		o.Message = strings.TrimSpace(a.resp.Status + ": " + p.ProvisionMsg)
		o.Extra["provision_result"] = p.ProvisionResult.String()
		o.Extra["provision_msg"] = p.ProvisionMsg
	case provisionDoubt(b.Rows[0].Key, a.resp) != "":
		// tnE911 is idempotent (an address set again is the same address):
		// in doubt, `iqbulk resume` sends it again.
		p := a.resp.TnE911Response
		o.Status, o.Code, o.Message = record.StatusInDoubt, inteliquent.OpTnE911, provisionDoubt(b.Rows[0].Key, a.resp)
		o.Extra["provision_result"] = p.ProvisionResult.String()
		o.Extra["provision_msg"] = p.ProvisionMsg
	default:
		p := a.resp.TnE911Response
		o.Status, o.Code = record.StatusOK, strings.ToLower(p.ProvisionMsg)
		addr := inteliquent.FormatAddress(string(p.ProvisionedStreetNum), p.ProvisionedStreetInfo, p.ProvisionedLocation,
			p.ProvisionedCity, p.ProvisionedState, string(p.ProvisionedPostalCode), string(p.ProvisionedPostalCodePlusFour), "")
		o.Message = "provisioned " + addr
		if p.ProvisionResult.Int() == inteliquent.E911Corrected {
			sent := inteliquent.FormatAddress(string(p.OrigStreetNum), p.OrigStreetInfo, p.OrigLocation, p.OrigCity,
				p.OrigState, string(p.OrigPostalCode), string(p.OrigPostalCodePlusFour), "")
			o.Message = "CORRECTED: sent " + sent + "; provisioned " + addr
		}
		o.Extra["provision_result"] = p.ProvisionResult.String()
		o.Extra["provision_msg"] = p.ProvisionMsg
		o.Extra["provisioned_address"] = addr
		o.Extra["provisioned_street_num"] = string(p.ProvisionedStreetNum)
		o.Extra["provisioned_street_info"] = p.ProvisionedStreetInfo
		o.Extra["provisioned_location"] = p.ProvisionedLocation
		o.Extra["provisioned_city"] = p.ProvisionedCity
		o.Extra["provisioned_state"] = p.ProvisionedState
		o.Extra["provisioned_postal_code"] = string(p.ProvisionedPostalCode)
		o.Extra["provisioned_postal_code_plus_four"] = string(p.ProvisionedPostalCodePlusFour)
	}
	return Result{Rows: []record.RowOutcome{{Seq: b.Rows[0].Seq, Outcome: o}}}
}

// provisionDoubt reads a tnE911 provisioning answer strictly: the guide's
// answers (lines 3297–3307 and 3346–3356) echo the number and say
// "provisionResult": 0 (VALID) or 1 (CORRECTED) with the provisioned
// address. An answer about another number, or without a provisionResult
// of 0 or 1, does not say this row's address was provisioned; the reason
// is returned ("" when the answer says so).
func provisionDoubt(rowKey string, resp *inteliquent.TnE911Response) string {
	p := resp.TnE911Response
	if why := aboutOtherNumber(inteliquent.OpTnE911, rowKey, p.TN, false); why != "" {
		return why
	}
	switch {
	case !p.ProvisionResult.Valid:
		return fmt.Sprintf("tnE911 answered %q without a provisionResult: whether the address was provisioned is unknown", strings.TrimSpace(resp.Status+" "+p.ProvisionMsg))
	case p.ProvisionResult.Int() != inteliquent.E911Valid && p.ProvisionResult.Int() != inteliquent.E911Corrected:
		return fmt.Sprintf("tnE911 answered statusCode %s with provisionResult %s (%q)", resp.StatusCode.String(), p.ProvisionResult.String(), p.ProvisionMsg)
	}
	return ""
}

// ---- e911-remove ----

type e911Remove struct{}

func (e911Remove) Spec() Spec {
	return Spec{
		Name:        "e911-remove",
		Summary:     "remove the 911 address of numbers (tnE911 with removeE911=Y), one number per request",
		Operations:  []string{inteliquent.OpTnE911},
		Columns:     []Column{tnColumn()},
		Destructive: true,
		BatchSize:   1,
	}
}

func (e911Remove) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{}}, errs
}

func (e911Remove) Build(b *Batch) (any, error) {
	row, err := oneRow(b)
	if err != nil {
		return nil, err
	}
	return &inteliquent.TnE911Request{TN: inteliquent.TN(row.Key), RemoveE911: "Y"}, nil
}

func (e911Remove) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	resp, err := api.TnE911(ctx, req.(*inteliquent.TnE911Request))
	if err != nil {
		return nil, err // a 409 here is a refusal of the whole (one-number) request
	}
	return resp, nil
}

func (e911Remove) Read(b *Batch, resp any) Result {
	return Result{Rows: []record.RowOutcome{{Seq: b.Rows[0].Seq, Outcome: record.Outcome{Status: record.StatusOK, Code: "removed", Message: "E911 removed"}}}}
}
