package jobs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tnRequest asks for numbers by area and quantity (the guide's "Request
// TN", POST /tnRequest), one request per row. Every request makes an order
// (the guide's answer carries an orderId), so the numbers are known only
// when the order is followed: its orderDetail lists them, and they reach
// the row's tns column. A resend would make a second order, so a lost
// answer is reconciled with orderList by the row's customerOrderReference.
type tnRequest struct{}

// Output columns of tn-request.
const (
	outTNs         = "tns"       // the numbers the order holds, space-separated
	outTNCount     = "tn_count"  // how many
	outTNRequested = "requested" // quantity asked for
)

func (tnRequest) Spec() Spec {
	return Spec{
		Name:       "tn-request",
		Summary:    "request numbers by area and quantity (state, LATA, rate center, NPA, NXX); the order's numbers come back in the tns column",
		Operations: []string{inteliquent.OpTnRequest, inteliquent.OpOrderList, inteliquent.OpOrderDetail},
		Columns: []Column{
			col("quantity", true, "how many numbers", "10", "qty", "count", "number of tns"),
			col("state", false, "two-letter state or province (e.g. IL)", "IL", "province"),
			col("lata", false, "three-digit LATA", "", "lata code"),
			col("rate_center", false, "rate center abbreviation (e.g. CHICGOZN01)", "", "ratecenter", "rate center"),
			col("npa", false, "three-digit NPA (area code)", "630", "area code", "areacode"),
			col("nxx", false, "three-digit NXX (exchange)", "420", "exchange"),
			col("trunk_group", false, "trunk group to assign the numbers to", "TG_CHICAGO_01", "trunkgroup", "trunk group", "tg"),
			col("activate", false, "Y activates the numbers on the account; N only adds them to your inventory", "Y"),
		},
		Outputs:   []string{outTNRequested, outTNCount, outTNs},
		BatchSize: 1,
	}
}

func (tnRequest) Parse(r Row) (Parsed, []error) {
	var errs []error
	bad := func(col, v, why string) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: why})
	}
	f := map[string]string{
		"quantity":    strings.TrimSpace(r.Get("quantity")),
		"state":       strings.ToUpper(check(r, "state", &errs, readers.MaxLen(2))),
		"lata":        check(r, "lata", &errs, readers.Digits(3)),
		"rate_center": strings.TrimSpace(r.Get("rate_center")),
		"npa":         check(r, "npa", &errs, readers.Digits(3)),
		"nxx":         check(r, "nxx", &errs, readers.Digits(3)),
		"trunk_group": strings.TrimSpace(r.Get("trunk_group")),
		"activate":    check(r, "activate", &errs, readers.YN),
	}
	switch n, err := strconv.Atoi(f["quantity"]); {
	case f["quantity"] == "":
		bad("quantity", "", "is required")
	case err != nil || n < 1:
		bad("quantity", f["quantity"], "is not a whole number of at least 1")
	default:
		f["quantity"] = strconv.Itoa(n)
	}
	if s := f["state"]; s != "" && (len(s) != 2 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		bad("state", r.Get("state"), "is not a two-letter abbreviation")
	}
	if f["nxx"] != "" && f["npa"] == "" {
		bad("nxx", f["nxx"], "needs npa")
	}
	// Every row is a request of its own: two equal rows ask twice.
	return Parsed{Key: "row:" + strconv.Itoa(r.Line), Fields: f}, errs
}

// References: tn-request's trunk_group.
func (tnRequest) References(p Parsed) []Reference { return fieldRef(p, RefTrunkGroup, "trunk_group") }

func (tnRequest) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	q, err := strconv.Atoi(f["quantity"])
	if err != nil {
		return nil, fmt.Errorf("quantity: %w", err)
	}
	return &inteliquent.TnRequestRequest{CustomerOrderReference: b.CustomerOrderReference, State: f["state"], Lata: f["lata"],
		RateCenter: f["rate_center"], Npa: f["npa"], Nxx: f["nxx"], Quantity: q, TrunkGroup: f["trunk_group"], Activate: f["activate"]}, nil
}

func (tnRequest) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnRequest(ctx, req.(*inteliquent.TnRequestRequest))
}

// Read: the order holds the numbers; the row is pending on it.
func (tnRequest) Read(b *Batch, resp any) Result {
	id := string(resp.(*inteliquent.OrderResponse).OrderID)
	extra := map[string]string{outTNRequested: b.Rows[0].Fields["quantity"]}
	if id == "" {
		return acceptedNoOrder(b, inteliquent.OpTnRequest, "no orderId in the answer")
	}
	res := setAllOutcome(b, record.Outcome{Status: record.StatusPending, OrderID: id, Extra: extra,
		Message: "order " + id + " accepted; run iqbulk follow for its numbers"})
	res.OrderID = id
	res.Orders = []record.Order{{OrderID: id, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID}}
	return res
}

// Reconcile: an order under the row's customerOrderReference is the lost
// answer's (pending on it); none means the request never arrived and may
// be sent again, unless an answer accepted it (in doubt until the order
// shows).
func (tnRequest) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	res, found, err := orderByReference(ctx, api, b)
	if err != nil {
		return Result{}, nil, err
	}
	if !found {
		res, resend := stillAccepted(b)
		return res, resend, nil
	}
	for i := range res.Rows {
		res.Rows[i].Outcome.Extra = map[string]string{outTNRequested: b.Rows[0].Fields["quantity"]}
	}
	return res, nil, nil
}

// Follow reads the order until it is final and puts its numbers on the
// row: ok with every number asked for, ok with a count when fewer matched,
// excluded when none did, failed when the order was canceled.
func (tnRequest) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	o.Polls++
	d, err := api.OrderDetail(ctx, &inteliquent.OrderDetailRequest{OrderRef: inteliquent.OrderRef{OrderID: inteliquent.OrderID(o.OrderID)}})
	if err != nil {
		if inteliquent.Code(err) == "430" && o.Polls < 1000 {
			o.Status = OrderIncomplete
			return FollowResult{Order: o, Rows: pendingRows(rows, o, "order "+o.OrderID+" is being validated")}, nil
		}
		return FollowResult{}, fmt.Errorf("orderDetail %s: %w", o.OrderID, err)
	}
	od := d.OrderDetailResponse
	setOrderStatus(&o, od.OrderStatus)
	if !o.Final {
		return FollowResult{Order: o, Rows: pendingRows(rows, o, orderIs(o, od.OrderStatus))}, nil
	}
	var tns []string
	for _, it := range od.TnList.TnItem {
		if !strings.EqualFold(it.TnStatus, "Canceled") {
			tns = append(tns, string(it.TN))
		}
	}
	res := FollowResult{Order: o}
	for _, r := range rows {
		want := r.Fields["quantity"]
		extra := map[string]string{outTNRequested: want, outTNCount: strconv.Itoa(len(tns)), outTNs: strings.Join(tns, " ")}
		out := record.Outcome{OrderID: o.OrderID, Code: o.Status, Extra: extra}
		switch {
		case len(od.TnList.TnItem) == 0:
			// An order left with no number ends Canceled: nothing matched.
			out.Status, out.Message = record.StatusExcluded, "order "+o.OrderID+" ended "+o.Status+" with no numbers: none matched the request"
		case o.Status == OrderCanceled:
			out.Status, out.Message = record.StatusFailed, "order "+o.OrderID+" was canceled"
		case strconv.Itoa(len(tns)) != want:
			out.Status, out.Message = record.StatusOK, fmt.Sprintf("order %s closed with %d of the %s numbers requested", o.OrderID, len(tns), want)
		default:
			out.Status, out.Message = record.StatusOK, fmt.Sprintf("order %s closed with the %d numbers requested", o.OrderID, len(tns))
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
	}
	return res, nil
}

var _ Irreversible = tnRequest{}

// Irreversible: a request's numbers are known only after its order, so no
// manifest row names them beforehand; undo cannot build the disconnect.
func (tnRequest) Irreversible() string {
	return "the numbers a request brought are known only from its order: to give them back, run tn-disconnect on the numbers of the tns column of results.csv (one a row)"
}
