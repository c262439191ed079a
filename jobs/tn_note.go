package jobs

import (
	"context"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tnNote sets the note of In Service numbers (the guide's "Update Note for
// Active Telephone Number", POST /tnNoteUpdate). Setting a note twice leaves
// the same note, so batches may simply be sent again.
type tnNote struct{}

func (tnNote) Spec() Spec {
	return Spec{
		Name:       "tn-note",
		Summary:    "set the note of In Service numbers",
		Operations: []string{inteliquent.OpTnNoteUpdate},
		Columns: []Column{
			tnColumn(),
			{Column: readers.Column{Name: "note", Aliases: []string{"tn note", "tnnote", "notes"}, Required: true, Help: "note text (searchable in tnDetail)"}, Example: "Subaccount A"},
			{Column: readers.Column{Name: "remove_note", Aliases: []string{"remove note", "clear_note", "clear note"}, Help: "Y: remove the note (note left empty); what iqbulk undo writes for a number that had none"}, Example: ""},
		},
		BatchSize: MaxBatch,
	}
}

func (tnNote) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	note := r.Get("note")
	remove := OptionTrue(map[string]string{"remove_note": r.Get("remove_note")}, "remove_note")
	switch {
	case remove && note != "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "note", Value: note, Reason: "must be empty when remove_note is Y"})
	case !remove && note == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "note", Reason: "is required (or remove_note Y to remove it)"})
	}
	return Parsed{Key: tn, Fields: map[string]string{"note": note}}, errs
}

func (tnNote) Build(b *Batch) (any, error) {
	req := &inteliquent.TnNoteUpdateRequest{}
	for _, r := range b.Rows {
		req.TnNote.TnList.TnItem = append(req.TnNote.TnList.TnItem, inteliquent.TnNoteItem{TN: inteliquent.TN(r.Key), TnNote: r.Fields["note"]})
	}
	return req, nil
}

func (tnNote) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnNoteUpdate(ctx, req.(*inteliquent.TnNoteUpdateRequest))
}

func (tnNote) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.StatusResponse)
	return readStatus(b, inteliquent.OpTnNoteUpdate, r.Status, "", record.Outcome{Status: record.StatusOK})
}
