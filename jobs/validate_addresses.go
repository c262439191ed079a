package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// OptValidateAddresses is the option of tn-order and tn-feature that
// validates every row's E911 address (addressValidate) before the batch's
// order is sent.
const OptValidateAddresses = "validate-addresses"

// addressCheckedBase is what --validate-addresses wraps: tn-order or
// tn-feature, each with its own reconciliation and follow-up.
type addressCheckedBase interface {
	Job
	Reconciler
	Follower
}

// addressChecked is tn-order or tn-feature with --validate-addresses. Its
// batch is two steps (Stepper), as port-in --check-first:
//
//	validate  addressValidate of every distinct E911 address of the batch
//	          (reads, one request per address; none when no row has one):
//	          a row whose address is not close enough (2), or refused, is
//	          invalid and never sent; one the API would correct (1) too,
//	          unless --accept-corrections
//	order     the base kind's order of the other rows, its own intent and
//	          reference (StepRef: <batch ref>-s1), reconciled by the base
//	          kind's Reconcile under that reference
//
// A resume after the validation sends the order the recorded validation
// allows, never one built from a second validation.
type addressChecked struct {
	base              addressCheckedBase
	acceptCorrections bool
	// newAnswer is the base kind's answer type, to decode the order step.
	newAnswer func() any
}

// PreReader is implemented by kinds whose batches read before they change
// anything (--validate-addresses): PreReads is how many reads batch b makes
// first. iqbulk plan counts them with the requests.
type PreReader interface {
	PreReads(b *Batch) int
}

// tnOrderChecked and tnFeatureChecked are the two kinds with the option:
// the base kind embedded, so everything else it does (Reconcile for a
// batch sent whole, Snapshot/Restore for undo, Presume, References) stays
// as it is; the methods both declare are the steps'.
type (
	tnOrderChecked struct {
		tnOrder
		addressChecked
	}
	tnFeatureChecked struct {
		tnFeature
		addressChecked
	}
)

var (
	_ Stepper         = tnOrderChecked{}
	_ Follower        = tnOrderChecked{}
	_ Snapshotter     = tnOrderChecked{}
	_ Presumer        = tnOrderChecked{}
	_ Referencer      = tnOrderChecked{}
	_ Stepper         = tnFeatureChecked{}
	_ Follower        = tnFeatureChecked{}
	_ Snapshotter     = tnFeatureChecked{}
	_ PartialRestorer = tnFeatureChecked{}
	_ PreReader       = tnOrderChecked{}
	_ PreReader       = tnFeatureChecked{}
)

func (j tnOrderChecked) Spec() Spec                    { return j.addressChecked.Spec() }
func (j tnOrderChecked) Parse(r Row) (Parsed, []error) { return j.addressChecked.Parse(r) }
func (j tnOrderChecked) Build(b *Batch) (any, error)   { return j.addressChecked.Build(b) }
func (j tnOrderChecked) Read(b *Batch, resp any) Result {
	return j.addressChecked.Read(b, resp)
}
func (j tnOrderChecked) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return j.addressChecked.Send(ctx, api, req)
}
func (j tnOrderChecked) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return j.addressChecked.Follow(ctx, api, o, rows)
}

func (j tnFeatureChecked) Spec() Spec                    { return j.addressChecked.Spec() }
func (j tnFeatureChecked) Parse(r Row) (Parsed, []error) { return j.addressChecked.Parse(r) }
func (j tnFeatureChecked) Build(b *Batch) (any, error)   { return j.addressChecked.Build(b) }
func (j tnFeatureChecked) Read(b *Batch, resp any) Result {
	return j.addressChecked.Read(b, resp)
}
func (j tnFeatureChecked) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return j.addressChecked.Send(ctx, api, req)
}
func (j tnFeatureChecked) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return j.addressChecked.Follow(ctx, api, o, rows)
}

const (
	vaValidate = "validate addresses"
	vaOrder    = "order"
)

// vaAddressColumns are the E911 columns addressValidate takes, in its order.
var vaAddressColumns = []string{"e911_street_num", "e911_street_info", "e911_city", "e911_state", "e911_postal_code"}

// validateAddressesOption is the option tn-order and tn-feature declare.
func validateAddressesOptions() []OptionSpec {
	return []OptionSpec{
		{Name: OptValidateAddresses, Bool: true, Help: "tn-order, tn-feature: validate each row's E911 address (addressValidate) before the order; rows whose address is not close enough, or refused, or would be corrected (see --accept-corrections) are invalid and never sent"},
		{Name: OptAcceptCorrections, Bool: true, Help: acceptCorrectionsHelp},
	}
}

// acceptCorrectionsHelp is the help of --accept-corrections, one flag for
// every kind that takes it.
const acceptCorrectionsHelp = "e911 with --validate-first, tn-order/tn-feature with --validate-addresses: also send addresses the API would correct (e911: tnE911 corrects them; tn-order/tn-feature: the order carries the corrected address); otherwise they are invalid, for review"

// withAddressValidation reads the options: the step logic for base, or
// ok false without --validate-addresses.
func withAddressValidation(base addressCheckedBase, newAnswer func() any, opts map[string]string) (addressChecked, bool, error) {
	validate, accept := OptionTrue(opts, OptValidateAddresses), OptionTrue(opts, OptAcceptCorrections)
	if accept && !validate {
		return addressChecked{}, false, fmt.Errorf("--%s needs --%s on %s", OptAcceptCorrections, OptValidateAddresses, base.Spec().Name)
	}
	return addressChecked{base: base, acceptCorrections: accept, newAnswer: newAnswer}, validate, nil
}

// PreReads is how many addressValidate reads the batch makes before its
// order (one per distinct address), for iqbulk plan.
func (addressChecked) PreReads(b *Batch) int { return len(vaAddresses(b)) }

func (j addressChecked) Spec() Spec {
	s := j.base.Spec()
	s.Operations = append(append([]string{}, s.Operations...), inteliquent.OpAddressValidate)
	return s
}

func (j addressChecked) Parse(r Row) (Parsed, []error) { return j.base.Parse(r) }

func (j addressChecked) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return j.base.Follow(ctx, api, o, rows)
}

// vaAddress is one address to validate and the rows (numbers) that carry it.
type vaAddress struct {
	Req  inteliquent.AddressValidateRequest
	Keys []string
}

// vaVerdict is what the validation says of one row's address.
type vaVerdict struct {
	Result    int    `json:"result"` // 0 valid, 1 corrected, 2 not close enough, -1 refused
	Msg       string `json:"msg"`
	Corrected string `json:"corrected,omitempty"`
	// Fixed are the corrected address's columns (1): with
	// --accept-corrections the order carries them instead of the row's.
	Fixed map[string]string `json:"fixed,omitempty"`
	// Columns are the address columns the API changed or did not accept.
	Columns   []string `json:"columns,omitempty"`
	Candidate string   `json:"candidate,omitempty"`
	Code      string   `json:"code,omitempty"` // the refusal's code
}

const vaRefused = -1

// vaAddresses lists the batch's distinct E911 addresses, in row order.
func vaAddresses(b *Batch) []vaAddress {
	var out []vaAddress
	idx := map[inteliquent.AddressValidateRequest]int{}
	for _, r := range b.Rows {
		f := r.Fields
		if f["e911_street_num"] == "" && f["e911_street_info"] == "" {
			continue // no E911 address on this row (or a removal)
		}
		req := inteliquent.AddressValidateRequest{StreetNum: f["e911_street_num"], StreetInfo: f["e911_street_info"],
			City: f["e911_city"], State: strings.ToUpper(f["e911_state"]), PostalCode: f["e911_postal_code"]}
		if i, ok := idx[req]; ok {
			out[i].Keys = append(out[i].Keys, r.Key)
			continue
		}
		idx[req] = len(out)
		out = append(out, vaAddress{Req: req, Keys: []string{r.Key}})
	}
	return out
}

// verdicts reads the validation step's answer: row key -> verdict.
func verdicts(rec StepRecord) (map[string]vaVerdict, error) {
	v := map[string]vaVerdict{}
	if rec.Refused {
		return v, nil
	}
	return v, rec.Decode(&v)
}

// rejected reports whether a verdict keeps the row from the order.
func (j addressChecked) rejected(v vaVerdict) bool {
	switch v.Result {
	case inteliquent.E911Valid:
		return false
	case inteliquent.E911Corrected:
		return !j.acceptCorrections
	}
	return true
}

// toOrder is the batch without the rows the validation rejected, under the
// order step's reference.
func (j addressChecked) toOrder(b *Batch, vs map[string]vaVerdict) *Batch {
	out := &Batch{ID: b.ID, CustomerOrderReference: StepRef(b.CustomerOrderReference, 1), FirstSentAt: b.FirstSentAt}
	for _, r := range b.Rows {
		v, ok := vs[r.Key]
		if ok && j.rejected(v) {
			continue
		}
		if ok && v.Result == inteliquent.E911Corrected {
			// Accepted correction: the order carries the address the API
			// corrected (an order's E911 feature is not corrected by the
			// API: an address not exactly valid is excluded from it).
			f := make(map[string]string, len(r.Fields))
			for k, val := range r.Fields {
				f[k] = val
			}
			for k, val := range v.Fixed {
				f[k] = val
			}
			r.Fields = f
		}
		out.Rows = append(out.Rows, r)
	}
	return out
}

func (j addressChecked) NextStep(b *Batch, done []StepRecord) (Step, bool, error) {
	switch len(done) {
	case 0:
		return Step{Name: vaValidate, Op: inteliquent.OpAddressValidate, Req: vaAddresses(b)}, true, nil
	case 1:
		if done[0].Refused {
			return Step{}, false, nil // the validation's refusal fails every row
		}
		vs, err := verdicts(done[0])
		if err != nil {
			return Step{}, false, err
		}
		rest := j.toOrder(b, vs)
		if len(rest.Rows) == 0 {
			return Step{}, false, nil
		}
		req, err := j.base.Build(rest)
		if err != nil {
			return Step{}, false, err
		}
		return Step{Name: vaOrder, Op: j.base.Spec().Operations[0], Req: req, Ref: rest.CustomerOrderReference}, true, nil
	}
	return Step{}, false, nil
}

// vaOrderAnswer is the order step's answer: the base kind's answer, or
// what its reconciliation found when the answer was lost.
type vaOrderAnswer struct {
	Answer     json.RawMessage `json:"answer,omitempty"`
	Reconciled *Result         `json:"reconciled,omitempty"`
}

func (j addressChecked) SendStep(ctx context.Context, api *inteliquent.Client, s Step) (any, error) {
	if s.Name == vaValidate {
		return validateAll(ctx, api, s.Req.([]vaAddress))
	}
	resp, err := j.base.Send(ctx, api, s.Req)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(resp)
	if err != nil {
		return nil, err
	}
	return vaOrderAnswer{Answer: data}, nil
}

// validateAll sends one addressValidate per address. A refusal of one
// address is that address's verdict; any other error ends the step (a read:
// the engine sends it again).
func validateAll(ctx context.Context, api *inteliquent.Client, addrs []vaAddress) (map[string]vaVerdict, error) {
	out := map[string]vaVerdict{}
	for _, a := range addrs {
		req := a.Req
		var v vaVerdict
		resp, err := api.AddressValidate(ctx, &req)
		switch {
		case err == nil:
			v = verdictOf(a.Req, &resp.AddressValidateResponse)
		case Refusal(err):
			v = vaVerdict{Result: vaRefused, Code: inteliquent.Code(err), Msg: err.Error(), Columns: vaAddressColumns}
			var ae *inteliquent.APIError
			if errors.As(err, &ae) {
				v.Msg = ae.Status
			}
		default:
			return nil, fmt.Errorf("addressValidate: %w", err)
		}
		for _, k := range a.Keys {
			out[k] = v
		}
	}
	return out, nil
}

// verdictOf reads one validation, naming the columns the API changed (1)
// or, not close enough (2), all of them.
func verdictOf(req inteliquent.AddressValidateRequest, v *inteliquent.E911Validation) vaVerdict {
	out := vaVerdict{Result: v.ValidationResult.Int(), Msg: v.ValidationMsg}
	switch out.Result {
	case inteliquent.E911Valid:
	case inteliquent.E911Corrected:
		out.Corrected = correctedAddress(v)
		sent := []string{req.StreetNum, req.StreetInfo, req.City, req.State, req.PostalCode}
		got := []string{string(v.CorrectedStreetNum), v.CorrectedStreetInfo, v.CorrectedCity, v.CorrectedState, string(v.CorrectedPostalCode)}
		out.Fixed = map[string]string{}
		for i, col := range vaAddressColumns {
			out.Fixed[col] = got[i]
			if !strings.EqualFold(strings.TrimSpace(sent[i]), strings.TrimSpace(got[i])) {
				out.Columns = append(out.Columns, col)
			}
		}
	default:
		out.Result = inteliquent.E911Invalid
		out.Columns = vaAddressColumns
		if len(v.CandidateAddressList) > 0 {
			out.Candidate = v.CandidateAddressList[0].String()
		}
	}
	return out
}

// rejection is the outcome of a row the validation keeps from the order.
func rejection(v vaVerdict) record.Outcome {
	cols := strings.Join(v.Columns, ", ")
	o := record.Outcome{Status: record.StatusInvalid, Code: inteliquent.OpAddressValidate}
	switch v.Result {
	case inteliquent.E911Corrected:
		o.Code = "needs-review"
		o.Message = fmt.Sprintf("not sent (--validate-addresses): %s: addressValidate would correct the address to %s (%s); fix the row, or run again with --accept-corrections", cols, v.Corrected, v.Msg)
	case vaRefused:
		o.Code = "address-refused"
		o.Message = fmt.Sprintf("not sent (--validate-addresses): %s: addressValidate refused the address: %s %s", cols, v.Code, v.Msg)
	default:
		o.Code = "not-close-enough"
		o.Message = fmt.Sprintf("not sent (--validate-addresses): %s: addressValidate says not close enough (%s)", cols, v.Msg)
		if v.Candidate != "" {
			o.Message += "; candidate: " + v.Candidate
		}
	}
	return o
}

// ReconcileStep asks the base kind's Reconcile about the order under the
// order step's own reference. Nothing found: the API never acted on it and
// it is sent again. Found: that is the step's answer; a row the
// reconciliation would send again (tn-order: not on the account, so the
// applied request did not order it) is failed, safe to send again in a new
// run, since the step itself is never resent once any of it applied.
func (j addressChecked) ReconcileStep(ctx context.Context, api *inteliquent.Client, b *Batch, done []StepRecord, _ Step) (any, bool, error) {
	vs, err := verdicts(done[0])
	if err != nil {
		return nil, false, err
	}
	rest := j.toOrder(b, vs)
	res, resend, err := j.base.Reconcile(ctx, api, rest)
	if err != nil {
		return nil, false, err
	}
	if len(res.Rows) == 0 && len(res.Orders) == 0 && res.OrderID == "" {
		return nil, true, nil
	}
	decided := map[int]bool{}
	for _, r := range res.Rows {
		decided[r.Seq] = true
	}
	for _, seq := range resend {
		if !decided[seq] {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: seq, Outcome: record.Outcome{Status: record.StatusFailed, Code: "not-applied",
				Message: "the order's answer was lost; reconciliation (customerOrderReference " + rest.CustomerOrderReference + ") found this number not applied: safe to send again"}})
		}
	}
	return vaOrderAnswer{Reconciled: &res}, false, nil
}

// StepResult: the validation decides the rows it rejects (or, refused,
// every row); the order decides the others.
func (j addressChecked) StepResult(b *Batch, done []StepRecord) Result {
	last := done[len(done)-1]
	if len(done) == 1 {
		if last.Refused {
			return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: inteliquent.OpAddressValidate,
				Message: "--validate-addresses: " + last.Message})
		}
		vs, err := verdicts(last)
		if err != nil {
			return Result{}
		}
		var res Result
		for _, r := range b.Rows {
			if v, ok := vs[r.Key]; ok && j.rejected(v) {
				res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: rejection(v)})
			}
		}
		return res
	}
	vs, _ := verdicts(done[0])
	rest := j.toOrder(b, vs)
	if last.Refused {
		return setAllOutcome(rest, record.Outcome{Status: record.StatusFailed, Code: last.Code, Message: last.Message})
	}
	var a vaOrderAnswer
	if err := last.Decode(&a); err != nil {
		return Result{}
	}
	res := Result{}
	if a.Reconciled != nil {
		res = *a.Reconciled
	} else {
		resp := j.newAnswer()
		if err := json.Unmarshal(a.Answer, resp); err != nil {
			return Result{}
		}
		res = j.base.Read(rest, resp)
	}
	seqKey := map[int]string{}
	for _, r := range rest.Rows {
		seqKey[r.Seq] = r.Key
	}
	for i, ro := range res.Rows {
		if v, ok := vs[seqKey[ro.Seq]]; ok && v.Result == inteliquent.E911Corrected {
			res.Rows[i].Message = strings.TrimSpace(res.Rows[i].Message + "; E911 address sent as corrected by addressValidate (--accept-corrections): " + v.Corrected)
		}
	}
	return res
}

func (j addressChecked) Build(b *Batch) (any, error) { return buildSteps(b) }

// Send runs the steps in memory (dry runs). The validation is a read and
// is sent; the order is not (ErrDryRun): its rows are skipped, the
// rejected rows keep their verdict.
func (j addressChecked) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	b := req.(*stepsCall).batch
	var (
		done []StepRecord
		res  Result
	)
	for {
		st, ok, err := j.NextStep(b, done)
		if err != nil {
			return nil, err
		}
		if !ok {
			return &stepsAnswer{res: res}, nil
		}
		answer, err := j.SendStep(ctx, api, st)
		var rec StepRecord
		switch {
		case err == nil:
			if rec, err = AnswerRecord(st, answer); err != nil {
				return nil, err
			}
		case errors.Is(err, inteliquent.ErrDryRun) && len(done) == 1:
			vs, _ := verdicts(done[0])
			for _, r := range j.toOrder(b, vs).Rows {
				msg := "dry run: not sent"
				if _, checked := vs[r.Key]; checked {
					msg = "dry run: address valid (addressValidate); not sent"
				}
				res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusSkipped, Code: "dry-run", Message: msg}})
			}
			return &stepsAnswer{res: res}, nil
		case Refusal(err):
			rec = RefusalRecord(st, err)
		default:
			return nil, err
		}
		done = append(done, rec)
		res = MergeResults(res, j.StepResult(b, done))
	}
}

func (addressChecked) Read(_ *Batch, resp any) Result { return readSteps(resp) }
