package inteliquent

import (
	"context"
	"slices"
)

// OpTicketCreate opens a trouble ticket. A resend opens a second ticket.
const OpTicketCreate = "ticketCreate"

// ticketProblemCodes are problemCodeRef's values (Create Trouble Ticket).
var ticketProblemCodes = [...]string{"WRONGTG", "CALLERID", "CALLDROP", "DTMF", "DEDAIR", "DLYDAUD", "EQUIPALRM", "FASTBUSY",
	"FAXFAIL", "WRONGCODEC", "WRONGLRN", "CAPACITY", "QUALITY", "OWAUD", "PKTLOSS", "POSCCM", "PDD", "WRONGNUM", "RECORDING", "RMTHNDS"}

// TicketProblemCodes returns the guide's problemCodeRef values.
func TicketProblemCodes() []string { return slices.Clone(ticketProblemCodes[:]) }

// TicketCreateRequest is POST /ticketCreate (a flat body). The example
// sends extension as a number; it is sent as the example does.
type TicketCreateRequest struct {
	ContactName         string   `json:"contactName"`
	ContactPhone        string   `json:"contactPhone"`
	Extension           *FlexInt `json:"extension,omitempty"`
	CountryRef          string   `json:"countryRef"`
	Description         string   `json:"description"`
	OccurDate           string   `json:"occurDate"` // 2015-12-26
	ExtlCompanyTicket   string   `json:"extlCompanyTicket,omitempty"`
	ProblemCodeRef      string   `json:"problemCodeRef"`
	ContactEmailAddress string   `json:"contactEmailAddress"`
	OrigTn              string   `json:"origTn"`
	TermTn              string   `json:"termTn"`
}

// TicketCreateResponse carries the new ticket's id.
type TicketCreateResponse struct {
	Envelope
	TroubleTicketID FlexString `json:"troubleTicketId"`
}

// TicketCreate opens a trouble ticket. Not idempotent: a lost answer is
// reconciled with ticketList by extlCompanyTicket.
func (c *Client) TicketCreate(ctx context.Context, req *TicketCreateRequest) (*TicketCreateResponse, error) {
	return call[TicketCreateResponse](ctx, c, OpTicketCreate, req)
}

// OpTicketAddNote adds a note to a trouble ticket. A resend adds it twice.
const OpTicketAddNote = "ticketAddNote"

// TicketAddNoteRequest is POST /ticketAddNote.
type TicketAddNoteRequest struct {
	TroubleTicketID   string `json:"troubleTicketId"`
	TroubleTicketNote string `json:"troubleTicketNote"`
}

// TicketAddNoteResponse carries the note's id (statusCode is a number in
// the guide's example; FlexString reads both).
type TicketAddNoteResponse struct {
	Envelope
	NoteID FlexString `json:"noteId"`
}

// TicketAddNote adds a note to a ticket. Not idempotent: a lost answer is
// reconciled with ticketNote.
func (c *Client) TicketAddNote(ctx context.Context, req *TicketAddNoteRequest) (*TicketAddNoteResponse, error) {
	return call[TicketAddNoteResponse](ctx, c, OpTicketAddNote, req)
}
