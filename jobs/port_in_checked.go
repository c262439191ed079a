package jobs

import (
	"context"
	"fmt"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// portInChecked is port-in with --check-first. Its batch is two steps
// (Stepper), each one request with its own record in the checkpoint:
//
//	check        portInAvailability of the batch's numbers: those it
//	             says are not portable are held back (excluded) at once
//	portInOrder  the order of the others, its own intent and reference
//	             (StepRef: <batch ref>-s1), reconciled by orderList
//
// A resume after the check sends the order the recorded check allows,
// never one built from a second check that could answer differently.
type portInChecked struct{ portIn }

var _ Stepper = portInChecked{}

const (
	pcCheck = "check"
	pcOrder = "portInOrder"
)

// pcOrderAnswer is the order step's answer.
type pcOrderAnswer struct {
	OrderID    string `json:"orderId"`
	Status     string `json:"status"`
	Reconciled bool   `json:"reconciled,omitempty"`
}

// heldBack reads the check step's answer: tn -> why it is not portable.
func heldBack(rec StepRecord) (map[string]string, error) {
	held := map[string]string{}
	if rec.Refused {
		return held, nil
	}
	return held, rec.Decode(&held)
}

// portable is the batch without the numbers the check held back.
func portable(b *Batch, held map[string]string, ref string) *Batch {
	out := &Batch{ID: b.ID, CustomerOrderReference: ref, FirstSentAt: b.FirstSentAt}
	for _, r := range b.Rows {
		if _, bad := held[r.Key]; !bad {
			out.Rows = append(out.Rows, r)
		}
	}
	return out
}

func (j portInChecked) NextStep(b *Batch, done []StepRecord) (Step, bool, error) {
	switch len(done) {
	case 0:
		req, err := j.portIn.Build(b)
		if err != nil {
			return Step{}, false, err
		}
		r := req.(*inteliquent.PortInOrderRequest)
		q := &inteliquent.PortInAvailabilityRequest{Wireless: "Y"}
		for _, it := range r.PortInOrder.TnList.TnItem {
			q.TnList.TnItem = append(q.TnList.TnItem, inteliquent.TnItemRef{TN: it.TN})
		}
		if r.PortInOrder.OnNetOnly == "Y" {
			q.SearchOnNetOnly = "Y"
		}
		return Step{Name: pcCheck, Op: inteliquent.OpPortInAvailability, Req: q}, true, nil
	case 1:
		if done[0].Refused {
			return Step{}, false, nil // the check's refusal fails every row
		}
		held, err := heldBack(done[0])
		if err != nil {
			return Step{}, false, err
		}
		ref := StepRef(b.CustomerOrderReference, 1)
		rest := portable(b, held, ref)
		if len(rest.Rows) == 0 {
			return Step{}, false, nil
		}
		req, err := j.portIn.Build(rest)
		if err != nil {
			return Step{}, false, err
		}
		return Step{Name: pcOrder, Op: inteliquent.OpPortInOrder, Req: req, Ref: ref}, true, nil
	}
	return Step{}, false, nil
}

func (portInChecked) SendStep(ctx context.Context, api *inteliquent.Client, s Step) (any, error) {
	switch req := s.Req.(type) {
	case *inteliquent.PortInAvailabilityRequest:
		resp, err := api.PortInAvailability(ctx, req)
		if err != nil {
			return nil, err
		}
		held := map[string]string{}
		for _, sa := range resp.ServiceAvailable {
			if !sa.IsPortable {
				reason := sa.NotPortableReason
				if reason == "" {
					reason = "not portable"
				}
				held[string(sa.TelephoneNumber)] = reason
			}
		}
		return held, nil
	case *inteliquent.PortInOrderRequest:
		resp, err := api.PortInOrder(ctx, req)
		if err != nil {
			return nil, err
		}
		return pcOrderAnswer{OrderID: string(resp.OrderID), Status: resp.Status}, nil
	}
	return nil, fmt.Errorf("port-in: unknown step %q", s.Name)
}

// ReconcileStep looks for the order under the order step's own reference
// (orderList by customerOrderReference, as port-in's Reconcile does for a
// whole batch): found, it is the step's answer; not found, the API never
// received it and it is sent again.
func (j portInChecked) ReconcileStep(ctx context.Context, api *inteliquent.Client, _ *Batch, _ []StepRecord, s Step) (any, bool, error) {
	for o, err := range api.OrderListIter(ctx, &inteliquent.OrderListRequest{CustomerOrderReference: s.Ref}) {
		if err != nil {
			return nil, false, fmt.Errorf("orderList by customerOrderReference: %w", err)
		}
		if o.CustomerOrderReference == s.Ref && o.OrderID != "" {
			return pcOrderAnswer{OrderID: string(o.OrderID), Reconciled: true}, false, nil
		}
	}
	return nil, true, nil
}

// StepResult: the check decides the rows it holds back (or, refused,
// every row); the order decides the others.
func (j portInChecked) StepResult(b *Batch, done []StepRecord) Result {
	last := done[len(done)-1]
	if len(done) == 1 {
		if last.Refused {
			return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: inteliquent.OpPortInAvailability,
				Message: "check-first: " + last.Message})
		}
		held, err := heldBack(last)
		if err != nil {
			return Result{}
		}
		var res Result
		for _, r := range b.Rows {
			if reason, bad := held[r.Key]; bad {
				res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
					Status: record.StatusExcluded, Code: inteliquent.OpPortInAvailability, Message: "held back by --check-first: " + reason}})
			}
		}
		return res
	}
	held, _ := heldBack(done[0])
	rest := portable(b, held, StepRef(b.CustomerOrderReference, 1))
	if last.Refused {
		return setAllOutcome(rest, record.Outcome{Status: record.StatusFailed, Code: last.Code, Message: last.Message})
	}
	var a pcOrderAnswer
	if err := last.Decode(&a); err != nil {
		return Result{}
	}
	resp := &inteliquent.OrderResponse{OrderID: inteliquent.OrderID(a.OrderID)}
	resp.Status = a.Status
	res := j.portIn.Read(rest, &portInSent{Order: resp})
	if a.Reconciled {
		for i := range res.Rows {
			res.Rows[i].Message += " (answer lost; the order was found by customerOrderReference " + rest.CustomerOrderReference + ")"
		}
	}
	return res
}

func (j portInChecked) Build(b *Batch) (any, error) { return buildSteps(b) }

func (j portInChecked) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return sendSteps(ctx, api, j, req)
}

func (portInChecked) Read(_ *Batch, resp any) Result { return readSteps(resp) }
