package jobs

import "github.com/iqbulk/iqbulk/inteliquent"

// Every kind that changes state says how `iqbulk undo` takes the change
// back (Snapshotter) or why no request can (Irreversible);
// TestStateChangingKindsSayHowToUndo holds every registered kind to it.
// This file holds the Irreversible kinds of issue 20 item 5 (the first
// ones, tn-disconnect, tf-disconnect, port-in and port-in-activate, are in
// snapshot.go).

// StateChanging lists the state-changing operations a kind's Spec names
// (inteliquent.IsStateChanging): a kind without any only reads.
func StateChanging(s Spec) []string {
	var out []string
	for _, op := range s.Operations {
		if inteliquent.IsStateChanging(op) {
			out = append(out, op)
		}
	}
	return out
}

func (orderCancel) Irreversible() string {
	return "the API has no operation that withdraws a cancel request (orderCancel moves the order to Pending Cancel until Inteliquent reviews it): order or port the numbers again"
}

func (orderNote) Irreversible() string {
	return "the API has no operation that deletes or edits an order note (orderAddNote only adds one): add a correcting note with order-note"
}

func (ticketNoteJob) Irreversible() string {
	return "the API has no operation that deletes or edits a trouble-ticket note (ticketAddNote only adds one): add a correcting note with ticket-note"
}

func (ticketCreate) Irreversible() string {
	return "the API has no operation that deletes, cancels or closes a trouble ticket (ticketCreate only opens one): ask Inteliquent to close it with a ticket-note"
}

func (portOutApprove) Irreversible() string {
	return "the API has no operation that withdraws a port-out approval: the numbers leave for the winning carrier; to get them back, port them in again (port-in)"
}

func (portOutReject) Irreversible() string {
	return "the API has no operation that withdraws a port-out rejection: the winning carrier must submit the port again, and port-out-approve then approves it"
}

func (portInFix) Irreversible() string {
	return "orderUpdate's corrections go to the losing carrier at once, and orderDetail does not show every field it sets (account number, PIN, authorization), so iqbulk keeps nothing to put back: correct the order again with port-in-fix, or cancel it (order-cancel)"
}
