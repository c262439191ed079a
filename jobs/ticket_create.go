package jobs

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// ticketCreate opens trouble tickets (the guide's "Create Trouble Ticket",
// POST /ticketCreate), one per row. A resend would open a second ticket,
// so every ticket carries an extlCompanyTicket — the row's own, or the
// batch's customerOrderReference — and a lost answer is reconciled with
// ticketList by that reference.
type ticketCreate struct{}

const outTicketID = "trouble_ticket_id"

func (ticketCreate) Spec() Spec {
	return Spec{
		Name:       "ticket-create",
		Summary:    "open trouble tickets; each gets an extlCompanyTicket so a lost answer is found with ticketList",
		Operations: []string{inteliquent.OpTicketCreate, inteliquent.OpTicketList},
		Columns: []Column{
			col("contact_name", true, "who Inteliquent calls back", "Sharon Smile", "contactname", "contact name", "contact"),
			col("contact_phone", true, "ten-digit phone number", "8885551234", "contactphone", "contact phone", "phone"),
			col("extension", false, "four-digit extension", "1234", "contact extension"),
			col("contact_email", true, "contact email", "ssmile@email.com", "contactemailaddress", "contact email", "email"),
			col("country_ref", false, "country (default USA)", "USA", "countryref", "country"),
			col("description", true, "what is wrong", "CNAM issue, please resolve.", "problem", "details"),
			col("occur_date", true, "when it happened, YYYY-MM-DD", "2015-12-26", "occurdate", "occur date", "date"),
			col("problem_code", true, strings.Join(inteliquent.TicketProblemCodes(), ", "), "CALLERID", "problemcoderef", "problem code", "code"),
			col("orig_tn", true, "calling number, up to 15 digits", "3123489651", "origtn", "orig tn", "from", "calling number"),
			col("term_tn", true, "called number, up to 15 digits", "3125550100", "termtn", "term tn", "to", "called number"),
			col("extl_company_ticket", false, "your own ticket reference (default: the batch's customerOrderReference)", "TestTicketNum01", "extlcompanyticket", "your ticket", "reference"),
		},
		Outputs:   []string{outTicketID, "extl_company_ticket_sent"},
		BatchSize: 1,
	}
}

func digitsUpTo(s string, lo, hi int) bool { return len(s) >= lo && len(s) <= hi && isDigitsOnly(s) }

func (ticketCreate) Parse(r Row) (Parsed, []error) {
	var errs []error
	f := map[string]string{}
	bad := func(col, v, why string) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: why})
	}
	for _, c := range []string{"contact_name", "contact_phone", "extension", "contact_email", "country_ref", "description",
		"occur_date", "problem_code", "orig_tn", "term_tn", "extl_company_ticket"} {
		f[c] = strings.TrimSpace(r.Get(c))
	}
	for _, c := range []string{"contact_name", "contact_phone", "contact_email", "description", "occur_date", "problem_code", "orig_tn", "term_tn"} {
		if f[c] == "" {
			bad(c, "", "is required")
		}
	}
	if f["country_ref"] == "" {
		f["country_ref"] = "USA"
	}
	for _, c := range []string{"contact_phone", "orig_tn", "term_tn"} {
		f[c] = strings.NewReplacer("-", "", " ", "", "(", "", ")", "", ".", "", "+", "").Replace(f[c])
	}
	f["problem_code"] = strings.ToUpper(f["problem_code"])
	switch {
	case f["contact_phone"] != "" && !digitsUpTo(f["contact_phone"], 10, 10):
		bad("contact_phone", r.Get("contact_phone"), "is not a ten-digit number")
	case f["extension"] != "" && !digitsUpTo(f["extension"], 4, 4):
		bad("extension", f["extension"], "is not four digits")
	}
	for _, c := range []string{"orig_tn", "term_tn"} {
		if f[c] != "" && !digitsUpTo(f[c], 1, 15) {
			bad(c, r.Get(c), "is not up to 15 digits")
		}
	}
	if f["contact_email"] != "" {
		if _, err := mail.ParseAddress(f["contact_email"]); err != nil {
			bad("contact_email", f["contact_email"], "is not an email address")
		}
	}
	if f["occur_date"] != "" {
		if _, err := time.Parse(time.DateOnly, f["occur_date"]); err != nil {
			bad("occur_date", f["occur_date"], "is not YYYY-MM-DD")
		}
	}
	if f["problem_code"] != "" && !slices.Contains(inteliquent.TicketProblemCodes(), f["problem_code"]) {
		bad("problem_code", f["problem_code"], "is not one of "+strings.Join(inteliquent.TicketProblemCodes(), ", "))
	}
	key := "row:" + strconv.Itoa(r.Line)
	if f["extl_company_ticket"] != "" {
		key = "extl:" + f["extl_company_ticket"] // one ticket per reference
	}
	return Parsed{Key: key, Fields: f}, errs
}

// ticketRef is the extlCompanyTicket a row's ticket carries.
func ticketRef(b *Batch) string {
	if v := b.Rows[0].Fields["extl_company_ticket"]; v != "" {
		return v
	}
	return b.CustomerOrderReference
}

func (ticketCreate) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	req := &inteliquent.TicketCreateRequest{ContactName: f["contact_name"], ContactPhone: f["contact_phone"], CountryRef: f["country_ref"],
		Description: f["description"], OccurDate: f["occur_date"], ExtlCompanyTicket: ticketRef(b), ProblemCodeRef: f["problem_code"],
		ContactEmailAddress: f["contact_email"], OrigTn: f["orig_tn"], TermTn: f["term_tn"]}
	if f["extension"] != "" {
		n, err := strconv.ParseInt(f["extension"], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("extension: %w", err)
		}
		req.Extension = &inteliquent.FlexInt{N: n, Valid: true}
	}
	return req, nil
}

func (ticketCreate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TicketCreate(ctx, req.(*inteliquent.TicketCreateRequest))
}

func (ticketCreate) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.TicketCreateResponse)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTicketCreate, Message: "ticket " + string(r.TroubleTicketID) + " opened",
		Extra: map[string]string{outTicketID: string(r.TroubleTicketID), "extl_company_ticket_sent": ticketRef(b)}})
}

// Reconcile: a ticket carrying the row's extlCompanyTicket means the lost
// answer's ticket was opened; none means it may be sent again.
func (ticketCreate) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	ref := ticketRef(b)
	l, err := api.TicketList(ctx, &inteliquent.TicketListRequest{ExtlCompanyTicket: ref})
	if err != nil {
		return Result{}, nil, fmt.Errorf("ticketList: %w", err)
	}
	for _, t := range l.TroubleTicketList {
		if t.ExtlCompanyTicket == ref {
			return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTicketCreate,
				Message: "ticket " + string(t.TroubleTicketID) + " found by extlCompanyTicket (the answer was lost)",
				Extra:   map[string]string{outTicketID: string(t.TroubleTicketID), "extl_company_ticket_sent": ref}}), nil, nil
		}
	}
	return Result{}, []int{b.Rows[0].Seq}, nil
}
