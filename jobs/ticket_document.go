package jobs

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// ticketDocumentJob attaches files to trouble tickets (the guide's "Add
// Trouble Ticket Document", POST /ticketAddDocument), one file per row.
// The file is checked when the manifest is read (there, a regular file,
// not empty, at most 10 MiB, of a document type) and read again when it is
// sent. A resend would attach it twice, so a lost answer is reconciled
// with ticketDocument: a document of the row's name with the file's exact
// content on the ticket means it arrived.
type ticketDocumentJob struct{}

const (
	outDocumentID = "document_id"
	// ticketDocMax is iqbulk's limit on one document (the guide gives
	// none): 10 MiB, before Base64.
	ticketDocMax = 10 << 20
)

// ticketDocTypes are the file types a ticket document may have.
var ticketDocTypes = []string{".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".txt", ".csv", ".log", ".pcap",
	".doc", ".docx", ".xls", ".xlsx", ".eml", ".msg", ".zip", ".wav"}

func (ticketDocumentJob) Spec() Spec {
	return Spec{
		Name:       "ticket-document",
		Summary:    "attach files (traces, screenshots, call recordings) to trouble tickets; a lost answer is found with ticketDocument",
		Operations: []string{inteliquent.OpTicketAddDocument, inteliquent.OpTicketDocument},
		Columns: []Column{
			col("trouble_ticket_id", true, "the ticket", "65842", "troubleticketid", "ticket", "ticket id", "ticket_id"),
			col("file", true, "the file to attach (a path, relative to the manifest's folder; at most 10 MiB; "+strings.Join(ticketDocTypes, " ")+")", "trace.pcap", "path", "document", "file_path"),
			col("document_name", false, "the document's name (default: the file's name)", "", "documentname", "document name", "name"),
			col("description", false, "what the document shows", "SIP trace of a failed call", "documentdescription", "document description"),
			col("public", false, "Y: Inteliquent may share it (isPublic); default N", "N", "ispublic", "is public"),
		},
		Outputs:   []string{outDocumentID},
		BatchSize: 1,
	}
}

// checkDocumentFile checks a file to attach (a relative path is read from
// dir, the manifest's folder): readable, regular, not empty, at most max
// bytes, with one of types' extensions; it returns the absolute path.
func checkDocumentFile(dir, v string, max int64, types []string) (string, error) {
	if !slices.Contains(types, strings.ToLower(filepath.Ext(v))) {
		return "", fmt.Errorf("is not a document type iqbulk attaches (%s)", strings.Join(types, " "))
	}
	if !filepath.IsAbs(v) {
		v = filepath.Join(dir, v)
	}
	abs, err := filepath.Abs(v)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	switch {
	case err != nil:
		return "", fmt.Errorf("cannot be read: %w", err)
	case !st.Mode().IsRegular():
		return "", errors.New("is not a file")
	case st.Size() == 0:
		return "", errors.New("is empty")
	case st.Size() > max:
		return "", fmt.Errorf("is %d bytes, the limit is %d (10 MiB)", st.Size(), max)
	}
	return abs, nil
}

func (ticketDocumentJob) Parse(r Row) (Parsed, []error) {
	var errs []error
	bad := func(col, v, why string) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: why})
	}
	f := map[string]string{
		"trouble_ticket_id": strings.TrimSpace(r.Get("trouble_ticket_id")),
		"document_name":     strings.TrimSpace(r.Get("document_name")),
		"description":       strings.TrimSpace(r.Get("description")),
		"public":            check(r, "public", &errs, readers.YN),
	}
	switch id := f["trouble_ticket_id"]; {
	case id == "":
		bad("trouble_ticket_id", "", "is required")
	case !isDigitsOnly(id) || len(id) > 18:
		bad("trouble_ticket_id", id, "is not a ticket number")
	}
	switch v := strings.TrimSpace(r.Get("file")); {
	case v == "":
		bad("file", "", "is required")
	default:
		abs, err := checkDocumentFile(r.Dir, v, ticketDocMax, ticketDocTypes)
		if err != nil {
			bad("file", v, err.Error())
		}
		f["file"] = abs
		if f["document_name"] == "" {
			f["document_name"] = filepath.Base(v)
		}
	}
	return Parsed{Key: f["trouble_ticket_id"] + "\n" + f["file"], Fields: f}, errs
}

// ticketDocCall is ticket-document's request: the ticket and the file,
// read when it is sent.
type ticketDocCall struct {
	TicketID          int64
	Name, Description string
	Public            string
	File              string
}

func (ticketDocumentJob) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	id, err := strconv.ParseInt(f["trouble_ticket_id"], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("trouble_ticket_id: %w", err)
	}
	public := "false"
	if f["public"] == "Y" {
		public = "true"
	}
	return &ticketDocCall{TicketID: id, Name: f["document_name"], Description: f["description"], Public: public, File: f["file"]}, nil
}

// fileContent reads a document to attach as Base64, checking its size again.
func fileContent(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if len(data) == 0 || len(data) > ticketDocMax {
		return "", fmt.Errorf("%s is %d bytes now, not 1 to %d", path, len(data), ticketDocMax)
	}
	return base64.StdEncoding.EncodeToString(data), nil
}

func (ticketDocumentJob) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	c := req.(*ticketDocCall)
	content, err := fileContent(c.File)
	if err != nil {
		return nil, fmt.Errorf("read the document: %w", err)
	}
	return api.TicketAddDocument(ctx, &inteliquent.TicketAddDocumentRequest{TroubleTicketID: c.TicketID, DocumentName: c.Name,
		DocumentDescription: c.Description, FileContent: content, IsPublic: c.Public})
}

func (ticketDocumentJob) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.TicketAddDocumentResponse)
	id := string(r.TroubleTicketDocumentID)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTicketAddDocument,
		Message: "document " + id + " attached", Extra: map[string]string{outDocumentID: id}})
}

// Reconcile: the ticket holding a document of the row's name with the
// file's exact content means the lost answer's document was attached;
// otherwise (none, or 430 no documents) it may be sent again.
func (ticketDocumentJob) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	f := b.Rows[0].Fields
	id, err := strconv.ParseInt(f["trouble_ticket_id"], 10, 64)
	if err != nil {
		return Result{}, nil, err
	}
	content, err := fileContent(f["file"])
	if err != nil {
		return Result{}, nil, fmt.Errorf("read the document: %w", err)
	}
	l, err := api.TicketDocument(ctx, &inteliquent.TicketDocumentRequest{TroubleTicketID: id})
	if err != nil {
		return Result{}, nil, fmt.Errorf("ticketDocument: %w", err)
	}
	for _, d := range l.TicketDocumentList {
		if d.DocumentName == f["document_name"] && d.DocumentLocator == content {
			return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTicketAddDocument,
				Message: "document " + string(d.DocumentID) + " found on the ticket (the answer was lost)",
				Extra:   map[string]string{outDocumentID: string(d.DocumentID)}}), nil, nil
		}
	}
	return Result{}, []int{b.Rows[0].Seq}, nil
}

var _ Irreversible = ticketDocumentJob{}

// Irreversible: the guide has no operation that removes a ticket document.
func (ticketDocumentJob) Irreversible() string {
	return "the guide has no operation that removes a document from a trouble ticket"
}
