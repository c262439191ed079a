package jobs

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// An 8XXPORTIN batch of tf-order is two requests, each a step with its own
// intent, answer and reconciliation in the checkpoint (Stepper):
//
//	tfOrder           the port order, under the batch's own
//	                  customerOrderReference, reconciled by orderList
//	orderAddDocument  the LOA attached to the order the first step made
//	                  (built from that step's recorded answer), reconciled
//	                  by orderDocument: an LOA of the same name on the order
//	                  means it was attached
//
// A crash or a lost answer between the two never places the order twice nor
// attaches the LOA twice; the rows are decided by the LOA step, so they say
// whether the LOA is on the order. Other products are one request (Build,
// Send, Read) as before.
var (
	_ Stepper       = tfOrderJob{}
	_ PartlyStepped = tfOrderJob{}
)

const (
	tfStepOrder = "tfOrder"
	tfStepLOA   = "orderAddDocument"
)

// tfOrderStepAnswer is the tfOrder step's answer as the checkpoint keeps it.
type tfOrderStepAnswer struct {
	Order      *inteliquent.OrderResponse `json:"order"`
	Reconciled bool                       `json:"reconciled,omitempty"`
}

// tfLOAStepAnswer is the orderAddDocument step's answer.
type tfLOAStepAnswer struct {
	DocumentID string `json:"documentId"`
	Reconciled bool   `json:"reconciled,omitempty"`
}

// Stepped: only a port-in batch with an LOA to attach takes two requests.
func (tfOrderJob) Stepped(b *Batch) bool {
	if len(b.Rows) == 0 {
		return false
	}
	f := b.Rows[0].Fields
	return f["product"] == inteliquent.ProductTF8XXPortIn && f["loa_file"] != ""
}

// loaRequest builds the orderAddDocument request for an order. The file is
// read each time the step is built: a resume builds it again, and the
// engine refuses to send it if the file changed since the first send (its
// intent hash differs).
func loaRequest(orderID, path string) (*inteliquent.OrderAddDocumentRequest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read LOA: %w", err)
	}
	return &inteliquent.OrderAddDocumentRequest{
		OrderRef:     inteliquent.OrderRef{OrderID: inteliquent.OrderID(orderID)},
		DocumentName: filepath.Base(path), DocumentDescription: "LOA and bill copy (iqbulk tf-order 8XXPORTIN)",
		FileContent: base64.StdEncoding.EncodeToString(data),
	}, nil
}

// orderOf reads the tfOrder step's record (nil when it was refused).
func orderOf(rec StepRecord) (*tfOrderStepAnswer, error) {
	if rec.Refused {
		return nil, nil
	}
	var a tfOrderStepAnswer
	if err := rec.Decode(&a); err != nil {
		return nil, err
	}
	if a.Order == nil {
		a.Order = &inteliquent.OrderResponse{}
	}
	return &a, nil
}

func (j tfOrderJob) NextStep(b *Batch, done []StepRecord) (Step, bool, error) {
	switch len(done) {
	case 0:
		req, err := j.Build(b)
		if err != nil {
			return Step{}, false, err
		}
		return Step{Name: tfStepOrder, Op: inteliquent.OpTfOrder, Req: req.(*tfOrderCall).Req, Ref: b.CustomerOrderReference}, true, nil
	case 1:
		a, err := orderOf(done[0])
		if err != nil || a == nil || a.Order.OrderID.IsZero() {
			return Step{}, false, err // refused, or no order: nothing to attach to
		}
		req, err := loaRequest(string(a.Order.OrderID), b.Rows[0].Fields["loa_file"])
		if err != nil {
			// The order is placed: its rows must never read failed (a
			// rerun of failed.csv would port them twice). Without a
			// step to decide them they stay in doubt, and a resume
			// builds this step again once the LOA can be read.
			return Step{}, false, nil
		}
		return Step{Name: tfStepLOA, Op: inteliquent.OpOrderAddDocument, Req: req}, true, nil
	}
	return Step{}, false, nil
}

func (tfOrderJob) SendStep(ctx context.Context, api *inteliquent.Client, s Step) (any, error) {
	switch req := s.Req.(type) {
	case *inteliquent.TfOrderRequest:
		resp, err := api.TfOrder(ctx, req)
		if err != nil {
			return nil, err
		}
		return tfOrderStepAnswer{Order: resp}, nil
	case *inteliquent.OrderAddDocumentRequest:
		resp, err := api.OrderAddDocument(ctx, req)
		if err != nil {
			return nil, err
		}
		return tfLOAStepAnswer{DocumentID: string(resp.DocumentID)}, nil
	}
	return nil, fmt.Errorf("tf-order: unknown step %q", s.Name)
}

// ReconcileStep: the order is looked for under its customerOrderReference
// (orderList); the LOA among the order's documents (orderDocument), by
// name. Found, it is the step's answer; not found, the API never acted on
// the request and it is sent again.
func (tfOrderJob) ReconcileStep(ctx context.Context, api *inteliquent.Client, _ *Batch, _ []StepRecord, s Step) (any, bool, error) {
	switch req := s.Req.(type) {
	case *inteliquent.TfOrderRequest:
		for o, err := range api.OrderListIter(ctx, &inteliquent.OrderListRequest{CustomerOrderReference: s.Ref}) {
			if err != nil {
				return nil, false, fmt.Errorf("orderList by customerOrderReference: %w", err)
			}
			if o.CustomerOrderReference == s.Ref && o.OrderID != "" {
				return tfOrderStepAnswer{Order: &inteliquent.OrderResponse{OrderID: o.OrderID}, Reconciled: true}, false, nil
			}
		}
		return nil, true, nil
	case *inteliquent.OrderAddDocumentRequest:
		docs, err := api.OrderDocument(ctx, &inteliquent.OrderDocumentRequest{OrderRef: req.OrderRef})
		if err != nil {
			return nil, false, fmt.Errorf("orderDocument %s: %w", req.OrderID, err)
		}
		for _, doc := range docs.OrderDocumentList.OrderDocument {
			if doc.DocumentName == req.DocumentName {
				return tfLOAStepAnswer{DocumentID: string(doc.DocumentID), Reconciled: true}, false, nil
			}
		}
		return nil, true, nil
	}
	return nil, false, fmt.Errorf("tf-order: unknown step %q", s.Name)
}

// StepResult: a refused or orderless tfOrder decides every row; otherwise
// the LOA step decides them, with the order's outcome and what became of
// the LOA.
func (j tfOrderJob) StepResult(b *Batch, done []StepRecord) Result {
	a, err := orderOf(done[0])
	if err != nil {
		return Result{}
	}
	if a == nil {
		last := done[0]
		return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: last.Code, Message: last.Message})
	}
	if len(done) == 1 && !a.Order.OrderID.IsZero() {
		return Result{} // the LOA step decides the rows
	}
	s := &tfOrderSent{Order: a.Order}
	if len(done) == 2 {
		if loa := done[1]; loa.Refused {
			s.DocErr = "orderAddDocument: " + loa.Message
		} else {
			var d tfLOAStepAnswer
			if err := loa.Decode(&d); err != nil {
				return Result{}
			}
			s.DocumentID = d.DocumentID
		}
	}
	var res Result
	if a.Reconciled {
		// The order found by its reference: every row pending on it (its
		// answer's per-number status was lost with it), as orderByReference
		// decides a whole batch.
		id := string(a.Order.OrderID)
		res = setAllOutcome(b, record.Outcome{Status: record.StatusPending, OrderID: id,
			Message: "order " + id + " found by customerOrderReference " + b.CustomerOrderReference + " after a lost answer; run iqbulk follow"})
		res.OrderID = id
		d := tfOrderDetail{Product: inteliquent.ProductTF8XXPortIn, LOAFile: b.Rows[0].Fields["loa_file"], DocumentID: s.DocumentID}
		res.Orders = []record.Order{{OrderID: id, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID, Detail: d.json()}}
		res.Rows = loaNote(res.Rows, s)
	} else {
		res = j.Read(b, s)
	}
	if len(done) == 2 && !done[1].Refused {
		var d tfLOAStepAnswer
		if done[1].Decode(&d) == nil && d.Reconciled {
			for i := range res.Rows {
				if res.Rows[i].Status == record.StatusPending {
					res.Rows[i].Message += " (the LOA's answer was lost; it was found on the order by orderDocument)"
				}
			}
		}
	}
	return res
}
