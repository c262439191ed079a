package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// The international port-in, order note and quantity request kinds.

// intlPortIn ports international numbers in (POST /intlPortInOrder), with
// their end user details (required by the guide), routing option and note;
// rows are grouped into orders by desired due date. Not idempotent: a lost
// answer is reconciled like intl-order's.
type intlPortIn struct{}

// intlOrderNote adds a note (intlOrderAddNote) or the order's contact as a
// note (contact=Y: intlOrderAddContactNote) to international orders, one
// per row. Not idempotent: a lost answer is reconciled with
// intlOrderDetail's orderNotes.
type intlOrderNote struct{}

// intlRequest requests a quantity of numbers of a country (POST
// /intlTnRequest), one request per row under its own
// customerOrderReference. The answer carries no orderId: the order is
// found with intlOrderList by that reference and followed to final. Not
// idempotent: a lost answer is reconciled the same way.
type intlRequest struct{}

var (
	_ Reconciler   = intlPortIn{}
	_ Follower     = intlPortIn{}
	_ Irreversible = intlPortIn{}
	_ Reconciler   = intlOrderNote{}
	_ Irreversible = intlOrderNote{}
	_ Reconciler   = intlRequest{}
	_ Follower     = intlRequest{}
	_ Irreversible = intlRequest{}
)

func (intlPortIn) Spec() Spec {
	return Spec{
		Name:    "intl-port-in",
		Summary: "port international numbers in (intlPortInOrder) with end user, routing option and note, one order per desired due date, followed to final",
		Operations: []string{inteliquent.OpIntlPortInOrder, inteliquent.OpIntlOrderList, inteliquent.OpIntlTnDetail,
			inteliquent.OpIntlOrderDetail, inteliquent.OpIntlExcludedTnList},
		Columns: append([]Column{
			intlTNColumn(), countryRefColumn(),
			col("desired_due_date", true, "desired port date (2020-12-20 or 2020-12-20T00:00:00.000Z)", "2026-12-20", "desireddueddate", "due date", "desired due date", "port date"),
			col("routing_option", false, "routing option once ported", "Voice Platform", "routingoption", "routing option", "routing"),
			col("tn_note", false, "note stored on the number", "", "tnnote", "note"),
		}, intlEndUserCols()...),
		BatchSize: MaxBatch,
	}
}

// parseDueDate reads a date (2020-12-20) or the guide's timestamp and
// returns the guide's form, 2020-12-20T00:00:00.000Z.
func parseDueDate(r Row, col string, errs *[]error) string {
	v := strings.TrimSpace(r.Get(col))
	if v == "" {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Reason: "is required"})
		return ""
	}
	for _, l := range []string{"2006-01-02", "2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05.000", "2006-01-02T15:04:05Z07:00", "01/02/2006"} {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC().Format("2006-01-02T15:04:05.000Z")
		}
	}
	*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: "is not a date (2020-12-20)"})
	return ""
}

func (intlPortIn) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseIntlTN(r, &errs)
	f := map[string]string{
		"country_ref":      parseCountryRef(r, "country_ref", true, &errs),
		"desired_due_date": parseDueDate(r, "desired_due_date", &errs),
		"routing_option":   strings.TrimSpace(r.Get("routing_option")),
		"tn_note":          strings.TrimSpace(r.Get("tn_note")),
	}
	parseIntlEndUser(r, f, &errs)
	if f[intlEndUserColumns[0].col] == "" && len(errs) == 0 {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: intlEndUserColumns[0].col, Reason: "is required: intlPortInOrder requires the end user details (all six columns)"})
	}
	return Parsed{Key: tn, Group: f["desired_due_date"], Fields: f}, errs
}

func (intlPortIn) Build(b *Batch) (any, error) {
	req := &inteliquent.IntlPortInOrderRequest{}
	req.PortInOrder.CustomerOrderReference = b.CustomerOrderReference
	req.PortInOrder.DesiredDueDate = b.Rows[0].Fields["desired_due_date"]
	for _, r := range b.Rows {
		if r.Fields["desired_due_date"] != req.PortInOrder.DesiredDueDate {
			return nil, fmt.Errorf("row %d: desired_due_date differs from the batch's", r.Line)
		}
		req.PortInOrder.TnList.TnItem = append(req.PortInOrder.TnList.TnItem, inteliquent.IntlTnItem{TN: inteliquent.TN(r.Key),
			CountryRef: r.Fields["country_ref"], RoutingOption: r.Fields["routing_option"], TnNote: r.Fields["tn_note"], EndUserData: intlEndUserOf(r.Fields)})
	}
	return req, nil
}

func (intlPortIn) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.IntlPortInOrder(ctx, req.(*inteliquent.IntlPortInOrderRequest))
}

func (intlPortIn) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.OrderResponse)
	if r.OrderID.IsZero() {
		return setAllOutcome(b, record.Outcome{Status: record.StatusInDoubt, Message: "intlPortInOrder answered " + r.Status + " without an orderId"})
	}
	return readOrderAnswer(b, inteliquent.OpIntlPortInOrder, r)
}

// Reconcile: the port-in order under the batch's reference; otherwise a
// number already on the account is not ported again (excluded) and the
// others are sent again.
func (intlPortIn) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	return intlReconcile(ctx, api, b, "", func(_ record.Row, d inteliquent.IntlTnDetailItem, found bool) (string, string) {
		if found {
			return record.StatusExcluded, "already on the account (" + d.Status + ") and no order under this batch's customerOrderReference; not ported again"
		}
		return "", ""
	})
}

func (intlPortIn) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followIntlOrder(ctx, api, o, rows)
}

func (intlPortIn) Irreversible() string {
	return "a port-in moves numbers between carriers; cancel an open port-in order with intl-order-cancel, or disconnect the numbers with intl-disconnect"
}

func (intlOrderNote) Spec() Spec {
	return Spec{
		Name:       "intl-order-note",
		Summary:    "add a note (intlOrderAddNote) or the order's contact (contact=Y: intlOrderAddContactNote) to international orders",
		Operations: []string{inteliquent.OpIntlOrderAddNote, inteliquent.OpIntlOrderAddContactNote, inteliquent.OpIntlOrderDetail},
		Columns: []Column{
			col("order_id", false, "the international order (required for contact notes)", "1521001", "orderid", "order id", "order", "order number"),
			col("customer_order_reference", false, "the order's customerOrderReference (when order_id is empty)", "", "customerorderreference", "order reference", "reference"),
			col("note", true, "the note's text (a contact: name, phone, email)", "Order Contact Details: Name: Ann Lee, Work Phone: 4420712345, Email: ann@example.com", "order note", "ordernote", "notes"),
			col("contact", false, "Y: the note is the order's contact (intlOrderAddContactNote)", "Y", "contact note", "is contact"),
		},
		Outputs:   []string{outNoteID},
		BatchSize: 1,
	}
}

func (intlOrderNote) Parse(r Row) (Parsed, []error) {
	p, errs := orderNote{}.Parse(r)
	switch c := strings.ToUpper(strings.TrimSpace(r.Get("contact"))); c {
	case "", "N", "NO":
	case "Y", "YES":
		p.Fields["contact"] = "Y"
		if p.Fields["order_id"] == "" {
			errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Reason: "is required for a contact note (intlOrderAddContactNote takes orderId only)"})
		}
	default:
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "contact", Value: r.Get("contact"), Reason: "is not Y or N"})
	}
	return p, errs
}

func (intlOrderNote) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	return &intlNoteCall{Req: inteliquent.IntlOrderNoteRequest{OrderRef: refOf(f), OrderNote: f["note"]}, Contact: f["contact"] == "Y"}, nil
}

type intlNoteCall struct {
	Req     inteliquent.IntlOrderNoteRequest
	Contact bool `json:",omitempty"`
}

func (intlOrderNote) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	c := req.(*intlNoteCall)
	if c.Contact {
		return api.IntlOrderAddContactNote(ctx, &c.Req)
	}
	return api.IntlOrderAddNote(ctx, &c.Req)
}

func (intlOrderNote) Read(b *Batch, resp any) Result {
	r := resp.(*inteliquent.OrderAddNoteResponse)
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, OrderID: b.Rows[0].Fields["order_id"],
		Message: strings.TrimSpace(r.Status), Extra: map[string]string{outNoteID: string(r.NoteID)}})
}

// Reconcile: the order holding a note with the row's text means the lost
// note arrived; otherwise it is sent again.
func (intlOrderNote) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	f := b.Rows[0].Fields
	d, err := api.IntlOrderDetail(ctx, &inteliquent.IntlOrderDetailRequest{OrderID: inteliquent.OrderID(f["order_id"]), CustomerOrderReference: f["customer_order_reference"]})
	if err != nil {
		return Result{}, nil, fmt.Errorf("intlOrderDetail: %w", err)
	}
	for _, n := range d.OrderDetailResponse.OrderNotes {
		if strings.TrimSpace(n.Note) == f["note"] {
			return setAllOutcome(b, record.Outcome{Status: record.StatusOK, OrderID: string(d.OrderDetailResponse.OrderID),
				Message: "note found on the order (the answer was lost)", Extra: map[string]string{outNoteID: string(n.NoteID)}}), nil, nil
		}
	}
	return Result{}, []int{b.Rows[0].Seq}, nil
}

func (intlOrderNote) Irreversible() string {
	return "the guide has no operation that removes an order note"
}

func (intlRequest) Spec() Spec {
	return Spec{
		Name:       "intl-request",
		Summary:    "request a quantity of international numbers of a country (intlTnRequest); the order is found by its reference and followed to final",
		Operations: []string{inteliquent.OpIntlTnRequest, inteliquent.OpIntlOrderList, inteliquent.OpIntlOrderDetail},
		Columns: []Column{
			countryRefColumn(),
			col("quantity", true, "how many numbers", "10", "qty", "count", "numbers"),
			col("routing_option", false, "routing option of the numbers", "Cleveland", "routingoption", "routing option", "routing"),
			col("desired_due_date", false, "desired due date (2020-10-01)", "", "due date", "desired due date"),
		},
		Outputs:   []string{"numbers"},
		BatchSize: 1,
	}
}

func (intlRequest) Parse(r Row) (Parsed, []error) {
	var errs []error
	f := map[string]string{"country_ref": parseCountryRef(r, "country_ref", true, &errs), "routing_option": strings.TrimSpace(r.Get("routing_option"))}
	q := strings.TrimSpace(r.Get("quantity"))
	if n, err := strconv.Atoi(q); err != nil || n < 1 || n > 1000 {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "quantity", Value: q, Reason: "is not a quantity from 1 to 1000"})
	}
	f["quantity"] = q
	if strings.TrimSpace(r.Get("desired_due_date")) != "" {
		f["desired_due_date"] = parseDueDate(r, "desired_due_date", &errs)
	}
	// Every row is its own request: two rows asking for 10 numbers each
	// want 20.
	return Parsed{Key: "row:" + strconv.Itoa(r.Line), Fields: f}, errs
}

func (intlRequest) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	n, _ := strconv.Atoi(f["quantity"])
	return &inteliquent.IntlTnRequestRequest{CountryRef: f["country_ref"], CustomerOrderReference: b.CustomerOrderReference, Quantity: n,
		RoutingOption: f["routing_option"], DesiredDueDate: f["desired_due_date"]}, nil
}

// intlRequestSent is the answer and the order found under the reference.
type intlRequestSent struct {
	Status  string
	OrderID string
}

func (intlRequest) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	q := req.(*inteliquent.IntlTnRequestRequest)
	r, err := api.IntlTnRequest(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &intlRequestSent{Status: r.Status}
	// The answer has no orderId: look it up (a failure here leaves the
	// row in doubt about its order, never sent again; the reconciliation
	// finds it by reference).
	for o, err := range api.IntlOrderListIter(ctx, &inteliquent.IntlOrderListRequest{CustomerOrderReference: q.CustomerOrderReference}) {
		if err != nil {
			break
		}
		if string(o.CustomerOrderReference) == q.CustomerOrderReference {
			out.OrderID = string(o.OrderID)
		}
	}
	return out, nil
}

func (intlRequest) Read(b *Batch, resp any) Result {
	s := resp.(*intlRequestSent)
	if s.OrderID == "" {
		return acceptedNoOrder(b, inteliquent.OpIntlTnRequest, s.Status)
	}
	res := setAllOutcome(b, record.Outcome{Status: record.StatusPending, OrderID: s.OrderID, Message: "order " + s.OrderID + " placed; run iqbulk follow"})
	res.OrderID = s.OrderID
	res.Orders = []record.Order{{OrderID: s.OrderID, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID}}
	return res
}

// Reconcile: the order under the row's reference means the lost request
// arrived; none means it did not (sent again), unless its answer was seen
// (the row stays in doubt until the order shows).
func (intlRequest) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	res, found, err := intlOrderByReference(ctx, api, b, "")
	if err != nil || found {
		return res, nil, err
	}
	res, resend := stillAccepted(b)
	return res, resend, nil
}

// Follow reads the order: Closed makes the row ok with its numbers.
func (intlRequest) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	o.Polls++
	o.CheckedAt = time.Now().UTC()
	d, err := api.IntlOrderDetail(ctx, &inteliquent.IntlOrderDetailRequest{OrderID: inteliquent.OrderID(o.OrderID)})
	if err != nil {
		return FollowResult{}, fmt.Errorf("intlOrderDetail %s: %w", o.OrderID, err)
	}
	od := d.OrderDetailResponse
	setOrderStatus(&o, od.OrderStatus)
	var tns []string
	for _, it := range od.TnList.TnItem {
		tns = append(tns, string(it.TN))
	}
	out := record.Outcome{Status: record.StatusPending, OrderID: o.OrderID, Code: o.Status, Message: orderIs(o, od.OrderStatus),
		Extra: map[string]string{"numbers": strings.Join(tns, " ")}}
	switch {
	case o.Final && o.Status == OrderCanceled:
		out.Status, out.Message = record.StatusFailed, "order "+o.OrderID+" was canceled"
	case o.Final:
		out.Status, out.Message = record.StatusOK, fmt.Sprintf("order %s closed: %d numbers", o.OrderID, len(tns))
	}
	var res FollowResult
	res.Order = o
	for _, r := range rows {
		if r.Status == "" || r.Status == record.StatusPending {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
		}
	}
	return res, nil
}

func (intlRequest) Irreversible() string {
	return "the numbers a request placed are undone by disconnecting them: run intl-disconnect with the numbers column of the results"
}
