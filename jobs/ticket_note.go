package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// ticketNoteJob adds notes to trouble tickets (the guide's "Add Trouble
// Ticket Note", POST /ticketAddNote), one per row. A resend would add the
// note twice, so a lost answer is reconciled with ticketNote: the ticket
// already holding the note's text means it arrived.
type ticketNoteJob struct{}

func (ticketNoteJob) Spec() Spec {
	return Spec{
		Name:       "ticket-note",
		Summary:    "add a note to trouble tickets",
		Operations: []string{inteliquent.OpTicketAddNote, inteliquent.OpTicketNote},
		Columns: []Column{
			col("trouble_ticket_id", true, "the ticket", "65842", "troubleticketid", "ticket", "ticket id", "ticket_id"),
			col("note", true, "the note's text", "Customer confirms calls complete since 10:00", "trouble ticket note", "troubleticketnote", "notes"),
		},
		Outputs:   []string{outNoteID},
		BatchSize: 1,
	}
}

func (ticketNoteJob) Parse(r Row) (Parsed, []error) {
	var errs []error
	id := strings.TrimSpace(r.Get("trouble_ticket_id"))
	note := strings.TrimSpace(r.Get("note"))
	switch {
	case id == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "trouble_ticket_id", Reason: "is required"})
	case !isDigitsOnly(id):
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "trouble_ticket_id", Value: id, Reason: "is not a ticket number"})
	}
	if note == "" {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "note", Reason: "is required"})
	}
	return Parsed{Key: id + "\n" + note, Fields: map[string]string{"trouble_ticket_id": id, "note": note}}, errs
}

func (ticketNoteJob) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	return &inteliquent.TicketAddNoteRequest{TroubleTicketID: f["trouble_ticket_id"], TroubleTicketNote: f["note"]}, nil
}

func (ticketNoteJob) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TicketAddNote(ctx, req.(*inteliquent.TicketAddNoteRequest))
}

func (ticketNoteJob) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.TicketAddNoteResponse)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTicketAddNote, Message: strings.TrimSpace(r.Status),
		Extra: map[string]string{outNoteID: string(r.NoteID)}})
}

// Reconcile: the ticket holding a note with the row's text means the lost
// note arrived; otherwise it may be sent again.
func (ticketNoteJob) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	f := b.Rows[0].Fields
	notes, err := api.TicketNote(ctx, &inteliquent.TicketNoteRequest{TroubleTicketID: f["trouble_ticket_id"]})
	if err != nil {
		return Result{}, nil, fmt.Errorf("ticketNote: %w", err)
	}
	for _, n := range notes.TicketNoteList {
		if strings.TrimSpace(n.Note) == f["note"] {
			return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTicketAddNote,
				Message: "note found on the ticket (the answer was lost)", Extra: map[string]string{outNoteID: string(n.NoteID)}}), nil, nil
		}
	}
	return Result{}, []int{b.Rows[0].Seq}, nil
}
