package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// orderNote adds a note to orders (the guide's "Add Order Note", POST
// /orderAddNote), one note per row: order_id or customer_order_reference,
// and the note. A resend would add the note twice, so a lost answer is
// reconciled with orderNote: the order already holding the note's text
// means it arrived.
type orderNote struct{}

const outNoteID = "note_id"

func (orderNote) Spec() Spec {
	return Spec{
		Name:       "order-note",
		Summary:    "add a note to orders",
		Operations: []string{inteliquent.OpOrderAddNote, inteliquent.OpOrderNote},
		Columns: []Column{
			col("order_id", false, "the order (or customer_order_reference)", "2000001", "orderid", "order id", "order", "order number"),
			col("customer_order_reference", false, "the order's customerOrderReference (when order_id is empty)", "", "customerorderreference", "order reference", "reference"),
			col("note", true, "the note's text", "Migration wave 3: customer notified", "order note", "ordernote", "notes"),
		},
		Outputs:   []string{outNoteID},
		BatchSize: 1,
	}
}

func (orderNote) Parse(r Row) (Parsed, []error) {
	var errs []error
	id := strings.TrimSpace(r.Get("order_id"))
	ref := strings.TrimSpace(r.Get("customer_order_reference"))
	note := strings.TrimSpace(r.Get("note"))
	switch {
	case id == "" && ref == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Reason: "is required (or customer_order_reference)"})
	case id != "" && !isDigitsOnly(id):
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: id, Reason: "is not an order number"})
	}
	if note == "" {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "note", Reason: "is required"})
	}
	order := "order:" + id
	if id == "" {
		order = "ref:" + ref
	}
	// One order may take many notes; the same note twice is a duplicate.
	return Parsed{Key: order + "\n" + note, Fields: map[string]string{"order_id": id, "customer_order_reference": ref, "note": note}}, errs
}

func (orderNote) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	return &inteliquent.OrderAddNoteRequest{OrderRef: refOf(f), OrderNote: f["note"]}, nil
}

func (orderNote) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.OrderAddNote(ctx, req.(*inteliquent.OrderAddNoteRequest))
}

func (orderNote) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.OrderAddNoteResponse)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpOrderAddNote, OrderID: b.Rows[0].Fields["order_id"],
		Message: strings.TrimSpace(r.Status), Extra: map[string]string{outNoteID: string(r.NoteID)}})
}

// Reconcile: the order holding a note with the row's text means the lost
// note arrived; otherwise it may be sent again.
func (orderNote) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	f := b.Rows[0].Fields
	notes, err := api.OrderNote(ctx, &inteliquent.OrderNoteRequest{OrderRef: refOf(f)})
	if err != nil {
		return Result{}, nil, fmt.Errorf("orderNote: %w", err)
	}
	for _, n := range notes.OrderNote.OrderNoteType {
		if strings.TrimSpace(n.Note) == f["note"] {
			return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpOrderAddNote, OrderID: f["order_id"],
				Message: "note found on the order (the answer was lost)", Extra: map[string]string{outNoteID: string(n.NoteID)}}), nil, nil
		}
	}
	return Result{}, []int{b.Rows[0].Seq}, nil
}
