package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// portInActivate activates on-demand port-ins whose FOC date has come (the
// guide's "Retrieve Port-In Order Available Activation Groups" then "Activate
// Port-In Order"). Rows name numbers (and optionally their order); for each
// order of a batch the job asks which groups are available today, activates
// the groups holding the batch's numbers, parses the per-group status string
// and reads orderDetail for every number's status. The API activates whole
// groups: a group's other numbers on the same order are activated too.
// portInOrderActivate itself is not idempotent, but Send begins by asking
// which groups are still available: an activated group no longer is, so
// sending a batch again activates only what was not activated (Reconcile).
type portInActivate struct{}

func (portInActivate) Spec() Spec {
	return Spec{
		Name:    "port-in-activate",
		Summary: "activate on-demand port-in groups available today (FOC date reached)",
		Operations: []string{inteliquent.OpPortInOrderAvailableActivation, inteliquent.OpPortInOrderActivate,
			inteliquent.OpOrderDetail, inteliquent.OpPortInOrderTnList, inteliquent.OpExcludedTnList},
		Columns:   []Column{tnColumn(), orderIDColumn(false)},
		Outputs:   []string{outTnStatus, outPortDate, outTnGroup, outActivation, outRejectReason, outRoutingLabel},
		BatchSize: MaxBatch,
	}
}

func (portInActivate) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	id := strings.TrimSpace(r.Get("order_id"))
	if id != "" && !isDigitsOnly(id) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: id, Reason: "is not an order number"})
	}
	return Parsed{Key: tn, Group: id, Fields: map[string]string{"order_id": id}}, errs
}

// outActivation is the result column holding the group's activation
// result as portInOrderActivate gave it ("Success", or its reason).
const outActivation = "activation"

// A port-in-activate batch is a sequence of steps (Stepper), each one
// request with its own record in the checkpoint:
//
//	resolve            portInOrderTnList, when a row has no order_id
//	available ORDER    portInOrderAvailableActivation, per order (sorted)
//	activate ORDER G   portInOrderActivate of one group holding the
//	                   batch's numbers (sorted), its own intent
//	detail ORDER       orderDetail: decides the order's rows
//
// A lost activation answer is reconciled alone (ReconcileStep), a group
// activated before a crash is never activated again, and a refused group
// fails only its own rows.
const (
	paResolve  = "resolve"
	paAvail    = "available"
	paActivate = "activate"
	paDetail   = "detail"
)

// paStepReq is a step's request as the checkpoint hashes it.
type paStepReq struct {
	Kind    string
	OrderID string   `json:",omitempty"`
	Group   string   `json:",omitempty"`
	TNs     []string `json:",omitempty"` // resolve: the numbers without order_id
}

// paGroup is one available group and its numbers (the available step's
// answer is a list of them).
type paGroup struct {
	Group string   `json:"group"`
	TNs   []string `json:"tns"`
}

// paActivated is an activate step's answer: portInOrderActivate's status,
// or the finding of its reconciliation.
type paActivated struct {
	Status     string `json:"status"`
	Reconciled bool   `json:"reconciled,omitempty"`
}

// paDetailAnswer is a detail step's answer.
type paDetailAnswer struct {
	OrderStatus string                    `json:"orderStatus"`
	Items       []inteliquent.OrderTnItem `json:"items"`
}

// paStep is a step with what the walk knows of it.
type paStep struct {
	Step
	req paStepReq
}

// paWalk is the batch's steps worked out from the records of those done.
type paWalk struct {
	orderOf  map[string]string                // tn -> order ("" unknown)
	resolved *StepRecord                      // the resolve step, when there is one
	groupOf  map[string]map[string]string     // order -> tn -> available group
	groups   map[string][]string              // order -> groups to activate
	acts     map[string]map[string]StepRecord // order -> group -> activate record
	steps    []paStep                         // every step up to the next one
}

// walk works out the steps of a batch, in order, from the rows and the
// records of the steps done: the steps already done, then the next one
// (if any) as the last of w.steps when len(w.steps) > len(done).
func (portInActivate) walk(b *Batch, done []StepRecord) (*paWalk, error) {
	w := &paWalk{orderOf: map[string]string{}, groupOf: map[string]map[string]string{}, groups: map[string][]string{},
		acts: map[string]map[string]StepRecord{}}
	add := func(req paStepReq, name, op string) bool {
		w.steps = append(w.steps, paStep{Step: Step{Name: name, Op: op, Req: req}, req: req})
		return len(w.steps) > len(done)
	}
	var missing []string
	for _, r := range b.Rows {
		w.orderOf[r.Key] = r.Fields["order_id"]
		if r.Fields["order_id"] == "" {
			missing = append(missing, r.Key)
		}
	}
	if len(missing) > 0 {
		if add(paStepReq{Kind: paResolve, TNs: missing}, paResolve, inteliquent.OpPortInOrderTnList) {
			return w, nil
		}
		rec := done[0]
		w.resolved = &rec
		if !rec.Refused {
			var found map[string]string
			if err := rec.Decode(&found); err != nil {
				return nil, err
			}
			for _, tn := range missing {
				w.orderOf[tn] = found[tn]
			}
		}
	}
	for _, id := range sortedOrders(w.orderOf) {
		if add(paStepReq{Kind: paAvail, OrderID: id}, paAvail+" "+id, inteliquent.OpPortInOrderAvailableActivation) {
			return w, nil
		}
		rec := done[len(w.steps)-1]
		if rec.Refused {
			continue // the order's rows fail; nothing else is sent for it
		}
		var avail []paGroup
		if err := rec.Decode(&avail); err != nil {
			return nil, err
		}
		w.groupOf[id] = map[string]string{}
		for _, g := range avail {
			hit := false
			for _, tn := range g.TNs {
				w.groupOf[id][tn] = g.Group
				hit = hit || w.orderOf[tn] == id
			}
			if hit {
				w.groups[id] = append(w.groups[id], g.Group)
			}
		}
		sort.Strings(w.groups[id])
		w.acts[id] = map[string]StepRecord{}
		for _, g := range w.groups[id] {
			if add(paStepReq{Kind: paActivate, OrderID: id, Group: g}, paActivate+" "+id+" "+g, inteliquent.OpPortInOrderActivate) {
				return w, nil
			}
			w.acts[id][g] = done[len(w.steps)-1]
		}
		if add(paStepReq{Kind: paDetail, OrderID: id}, paDetail+" "+id, inteliquent.OpOrderDetail) {
			return w, nil
		}
	}
	return w, nil
}

func (j portInActivate) NextStep(b *Batch, done []StepRecord) (Step, bool, error) {
	w, err := j.walk(b, done)
	if err != nil {
		return Step{}, false, err
	}
	if len(w.steps) <= len(done) {
		return Step{}, false, nil
	}
	return w.steps[len(w.steps)-1].Step, true, nil
}

func (portInActivate) SendStep(ctx context.Context, api *inteliquent.Client, s Step) (any, error) {
	req := s.Req.(paStepReq)
	ref := inteliquent.OrderRef{OrderID: inteliquent.OrderID(req.OrderID)}
	switch req.Kind {
	case paResolve:
		all, err := pendingPortOrders(ctx, api)
		if err != nil {
			return nil, err
		}
		found := map[string]string{}
		for _, tn := range req.TNs {
			if id := all[tn]; id != "" {
				found[tn] = id
			}
		}
		return found, nil
	case paAvail:
		avail, err := api.PortInOrderAvailableActivation(ctx, &inteliquent.PortInOrderAvailableActivationRequest{OrderRef: ref})
		if err != nil {
			return nil, err
		}
		out := []paGroup{}
		for _, g := range avail.AvailableActivationList {
			pg := paGroup{Group: g.TnGroup, TNs: []string{}}
			for _, it := range g.TnList.TnItem {
				pg.TNs = append(pg.TNs, string(it.TN))
			}
			out = append(out, pg)
		}
		return out, nil
	case paActivate:
		resp, err := api.PortInOrderActivate(ctx, &inteliquent.PortInOrderActivateRequest{OrderRef: ref, TnGroup: []string{req.Group}})
		if err != nil {
			return nil, err
		}
		return paActivated{Status: resp.Status}, nil
	case paDetail:
		d, err := api.OrderDetail(ctx, &inteliquent.OrderDetailRequest{OrderRef: ref})
		if err != nil {
			return nil, err
		}
		return paDetailAnswer{OrderStatus: d.OrderDetailResponse.OrderStatus, Items: d.OrderDetailResponse.TnList.TnItem}, nil
	}
	return nil, fmt.Errorf("port-in-activate: unknown step %q", s.Name)
}

// ReconcileStep decides an activation whose answer was lost by asking
// which groups of the order are still available (the engine asks only
// after the settle window, so the list has caught up with the activation):
// a group no longer listed was activated; one still listed was not, and is
// sent again.
func (portInActivate) ReconcileStep(ctx context.Context, api *inteliquent.Client, _ *Batch, _ []StepRecord, s Step) (any, bool, error) {
	req := s.Req.(paStepReq)
	if req.Kind != paActivate {
		return nil, true, nil // reads are sent again
	}
	avail, err := api.PortInOrderAvailableActivation(ctx, &inteliquent.PortInOrderAvailableActivationRequest{
		OrderRef: inteliquent.OrderRef{OrderID: inteliquent.OrderID(req.OrderID)}})
	if err != nil {
		return nil, false, fmt.Errorf("reconcile %s: %w", s.Name, err)
	}
	for _, g := range avail.AvailableActivationList {
		if g.TnGroup == req.Group {
			return nil, true, nil
		}
	}
	return paActivated{Status: "tnGroup:" + req.Group + " Status:Success|", Reconciled: true}, false, nil
}

// StepResult decides the rows the last step concerns: a refused lookup or
// activation fails its own rows; the detail step decides the rest of its
// order's rows, each with its group's activation result.
func (j portInActivate) StepResult(b *Batch, done []StepRecord) Result {
	w, err := j.walk(b, done[:len(done)-1])
	if err != nil || len(w.steps) < len(done) {
		return Result{}
	}
	last, rec := w.steps[len(done)-1].req, done[len(done)-1]
	fail := func(keep func(tn string) bool, code, msg string) Result {
		var res Result
		for _, r := range b.Rows {
			if keep(r.Key) {
				res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusFailed,
					OrderID: w.orderOf[r.Key], Code: code, Message: msg}})
			}
		}
		return res
	}
	switch last.Kind {
	case paResolve:
		var found map[string]string
		if !rec.Refused {
			_ = rec.Decode(&found)
		}
		msg := "no pending port-in order holds this number (give order_id)"
		if rec.Refused {
			msg = "portInOrderTnList: " + rec.Message
		}
		missing := map[string]bool{}
		for _, tn := range last.TNs {
			missing[tn] = found[tn] == ""
		}
		return fail(func(tn string) bool { return missing[tn] }, inteliquent.OpPortInOrderTnList, msg)
	case paAvail:
		if !rec.Refused {
			return Result{}
		}
		return fail(func(tn string) bool { return w.orderOf[tn] == last.OrderID }, inteliquent.OpPortInOrderAvailableActivation, rec.Message)
	case paActivate:
		if !rec.Refused {
			return Result{} // the order's detail step decides its rows
		}
		return fail(func(tn string) bool {
			return w.orderOf[tn] == last.OrderID && w.groupOf[last.OrderID][tn] == last.Group
		}, inteliquent.OpPortInOrderActivate, rec.Message)
	case paDetail:
		return j.detailResult(b, w, last.OrderID, rec)
	}
	return Result{}
}

// detailResult decides the rows of an order by its orderDetail and the
// activation of each row's group.
func (portInActivate) detailResult(b *Batch, w *paWalk, id string, rec StepRecord) Result {
	var d paDetailAnswer
	decoded := !rec.Refused && rec.Decode(&d) == nil
	onOrder := map[string]inteliquent.OrderTnItem{}
	for _, it := range d.Items {
		onOrder[string(it.TN)] = it
	}
	co := record.Order{OrderID: id, Status: d.OrderStatus}
	res := Result{Orders: []record.Order{{OrderID: id, Batch: b.ID}}}
	for _, r := range b.Rows {
		if w.orderOf[r.Key] != id {
			continue
		}
		group := w.groupOf[id][r.Key]
		act, sent := w.acts[id][group]
		if sent && act.Refused {
			continue // decided by its activation's refusal
		}
		var result inteliquent.ActivationStatus
		var a paActivated
		if sent && act.Decode(&a) == nil {
			result = inteliquent.ParseActivationStatus(a.Status)
		}
		var out record.Outcome
		it, on := onOrder[r.Key]
		switch {
		case !decoded:
			out = record.Outcome{Status: record.StatusPending, OrderID: id, Code: inteliquent.OpOrderDetail,
				Message: "orderDetail could not be read (" + rec.Message + "); iqbulk follow reads it again"}
		case !on:
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusFailed, OrderID: id,
				Code: inteliquent.OpOrderDetail, Message: "not on port-in order " + id}})
			continue
		default:
			out = portOutcome(co, it)
		}
		out = activationOutcome(out, group, sent, result)
		if sent && a.Reconciled {
			out.Message += " (activation answer lost; reconciled: the group is no longer available for activation)"
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
	}
	return res
}

func (j portInActivate) Build(b *Batch) (any, error) { return buildSteps(b) }

func (j portInActivate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return sendSteps(ctx, api, j, req)
}

func (portInActivate) Read(_ *Batch, resp any) Result { return readSteps(resp) }

// activationOutcome puts a group's activation result into its number's row
// (guide lines 7136 and 7142: "status" is "tnGroup:G Status:{1=[reason]}|
// tnGroup: G2 Status:Success|"; the numbers "move to Activated or Complete"
// later, seen by polling orderDetail). out is what orderDetail says now.
// A group the answer calls Success is accepted: the row is pending until
// orderDetail shows the number Activated (iqbulk follow), unless it already
// does. A group it refuses fails with its reason. An answer that cannot be
// read, or that does not name the group, leaves the row in doubt unless
// orderDetail already shows the number ported.
func activationOutcome(out record.Outcome, group string, sent bool, result inteliquent.ActivationStatus) record.Outcome {
	if out.Extra == nil {
		out.Extra = map[string]string{}
	}
	if group == "" || !sent {
		if out.Status == record.StatusPending {
			out.Message = "not available for activation today: " + out.Message
		}
		return out
	}
	ga, named := result.Group(group)
	refused := named && !ga.OK && ga.Detail.Parsed && len(ga.Detail.Entries) > 0
	switch {
	case result.Parsed && refused && out.Status == record.StatusOK:
		out.Extra[outActivation] = ga.Status
		out.Message += "; portInOrderActivate: " + ga.Reason()
	case result.Parsed && refused:
		out.Extra[outActivation] = ga.Status
		out.Status, out.Code, out.Message = record.StatusFailed, inteliquent.OpPortInOrderActivate, ga.Reason()
	case result.Parsed && ((named && ga.OK) || (!named && result.OK)):
		out.Extra[outActivation] = "Success"
		if out.Status == record.StatusPending {
			out.Code = inteliquent.OpPortInOrderActivate
			out.Message = "activation of " + group + " accepted (portInOrderActivate: Success); orderDetail still says " +
				out.Extra[outTnStatus] + "; run iqbulk follow until it says Activated"
		}
	default:
		out.Extra[outActivation] = result.Raw
		why := "portInOrderActivate's answer cannot be read"
		if result.Parsed && named {
			out.Extra[outActivation] = ga.Status
			why = "portInOrderActivate's answer for " + group + " cannot be read"
		} else if result.Parsed {
			why = "portInOrderActivate's answer does not name " + group
		}
		if out.Status != record.StatusOK {
			out.Status, out.Code = record.StatusInDoubt, inteliquent.OpPortInOrderActivate
			out.Message = fmt.Sprintf("%s: %q; orderDetail says %s", why, result.Raw, out.Extra[outTnStatus])
		} else {
			out.Message += fmt.Sprintf("; %s: %q", why, result.Raw)
		}
	}
	return out
}

// Follow reads the port-in orders of the activated numbers until final.
func (portInActivate) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followPortIn(ctx, api, o, rows)
}

// Reconcile is never called: the engine reconciles a port-in-activate
// batch step by step (ReconcileStep). It exists because the kind is not
// idempotent; it hands every row back to be sent again.
func (portInActivate) Reconcile(_ context.Context, _ *inteliquent.Client, b *Batch) (Result, []int, error) {
	resend := make([]int, len(b.Rows))
	for i, r := range b.Rows {
		resend[i] = r.Seq
	}
	return Result{}, resend, nil
}
