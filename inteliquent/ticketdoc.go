package inteliquent

import "context"

// Trouble ticket documents (the guide's "Add Trouble Ticket Document" and
// "Retrieve Trouble Ticket Document").
const (
	// OpTicketAddDocument attaches a document; a resend attaches it twice.
	OpTicketAddDocument = "ticketAddDocument"
	// OpTicketDocument lists a ticket's documents with their content.
	OpTicketDocument = "ticketDocument"
)

// TicketAddDocumentRequest is POST /ticketAddDocument. The example sends
// troubleTicketId as a number and isPublic as the string "true".
type TicketAddDocumentRequest struct {
	TroubleTicketID     int64  `json:"troubleTicketId"`
	DocumentName        string `json:"documentName,omitempty"`
	DocumentDescription string `json:"documentDescription,omitempty"`
	FileContent         string `json:"fileContent"` // Base64
	IsPublic            string `json:"isPublic"`    // "true" or "false"
}

// TicketAddDocumentResponse names the document.
type TicketAddDocumentResponse struct {
	Envelope
	LastModifiedString      string     `json:"lastModifiedString"`
	TroubleTicketDocumentID FlexString `json:"troubleTicketDocumentId"`
}

// TicketAddDocument attaches a document to a trouble ticket. Not
// idempotent: a lost answer is reconciled with ticketDocument.
func (c *Client) TicketAddDocument(ctx context.Context, req *TicketAddDocumentRequest) (*TicketAddDocumentResponse, error) {
	return call[TicketAddDocumentResponse](ctx, c, OpTicketAddDocument, req)
}

// TicketDocumentRequest is POST /ticketDocument.
type TicketDocumentRequest struct {
	TroubleTicketID int64 `json:"troubleTicketId"`
}

// TicketDocument is one attached document; DocumentLocator holds its
// Base64 content in the guide's example.
type TicketDocument struct {
	DocumentID          FlexString `json:"documentId"`
	DocumentName        string     `json:"documentName"`
	DocumentDescription string     `json:"documentDescription"`
	DocumentLocator     string     `json:"documentLocator"`
}

// TicketDocumentResponse lists a ticket's documents (430: none).
type TicketDocumentResponse struct {
	Envelope
	TicketDocumentList []TicketDocument `json:"ticketDocumentList"`
}

// TicketDocument lists a trouble ticket's documents.
func (c *Client) TicketDocument(ctx context.Context, req *TicketDocumentRequest) (*TicketDocumentResponse, error) {
	return call[TicketDocumentResponse](ctx, c, OpTicketDocument, req)
}
