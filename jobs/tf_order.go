package jobs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tfOrderJob loads, ports or orders toll-free numbers (the guide's "Load,
// Order, or Port Toll Free Numbers", POST /tfOrder):
//
//   - product 8XX loads numbers on the customer's own RespOrg (resporg_id
//     required) and makes an order;
//   - 8XXPORTIN ports numbers from another RespOrg: loa=Y is sent and the
//     LOA file of the row's loa_file column is attached to the order with
//     orderAddDocument, a second step with its own intent and
//     reconciliation (tf_order_steps.go; iqbulk follow attaches it when
//     that step was refused); the port does not proceed without it;
//   - 8XXAVAIL orders spare numbers from Inteliquent's inventory, "max 100
//     per month": activated at once, exclusions (the monthly cap among
//     them, code 8XXAVAIL-monthly-cap) in the status string.
//
// Rows are batched by product (and LOA file). Not idempotent: a batch whose
// answer was lost is reconciled (orderList by customerOrderReference, then
// tfDetail) before anything is sent again.
type tfOrderJob struct {
	// loa is the --loa FILE option: the LOA of 8XXPORTIN rows whose
	// loa_file is empty.
	loa string
}

var (
	_ Reconciler = tfOrderJob{}
	_ Follower   = tfOrderJob{}
	_ Optioner   = tfOrderJob{}
)

// Options offers --loa FILE.
func (tfOrderJob) Options() []OptionSpec {
	return []OptionSpec{{Name: "loa", Help: "tf-order: LOA (and bill copy) file attached to every 8XXPORTIN order whose rows have no loa_file"}}
}

// WithOptions returns the job with --loa applied.
func (j tfOrderJob) WithOptions(opts map[string]string) (Job, error) {
	if v := strings.TrimSpace(opts["loa"]); v != "" {
		abs, err := filepath.Abs(v)
		if err != nil {
			return nil, fmt.Errorf("--loa: %w", err)
		}
		if st, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("--loa: %w", err)
		} else if st.IsDir() || st.Size() == 0 {
			return nil, fmt.Errorf("--loa: %s is a directory or an empty file", v)
		}
		j.loa = abs
	}
	return j, nil
}

// productValues are tfOrder's productAbbr values.
var productValues = []string{inteliquent.ProductTF8XX, inteliquent.ProductTF8XXPortIn, inteliquent.ProductTF8XXAvail}

// CodeMonthlyCap is the outcome code of a row refused by 8XXAVAIL's monthly
// cap.
const CodeMonthlyCap = "8XXAVAIL-monthly-cap"

func (tfOrderJob) Spec() Spec {
	cols := []Column{
		tfColumn(),
		{Column: readers.Column{Name: "product", Aliases: []string{"productAbbr", "product abbr", "product_abbr", "type"}, Required: true,
			Help: "8XX (load numbers on your own RespOrg), 8XXPORTIN (port from another RespOrg; needs loa_file) or 8XXAVAIL (order from Inteliquent inventory, at most 100 a month)"}, Example: "8XX"},
		{Column: readers.Column{Name: "resporg_id", Aliases: []string{"resporgId", "resporg", "resporId", "resp org"},
			Help: "five-character RespOrg ID of your company; required for 8XX"}, Example: "IQB01"},
		routingLabelColumn(),
		{Column: readers.Column{Name: "cic_list", Aliases: []string{"cicList", "cic", "cics"},
			Help: "CICs to load the number on, separated by commas (iqbulk export lists them with cicList); empty: the account default"}, Example: "0913"},
		{Column: readers.Column{Name: "tn_note", Aliases: []string{"tnnote", "note"}, Help: "note stored on the number"}, Example: "migration wave 1"},
		{Column: readers.Column{Name: "loa_file", Aliases: []string{"loa", "loa file", "loa_path"},
			Help: "path of the LOA (with bill copy) to attach for 8XXPORTIN; one order per file"}, Example: ""},
	}
	return Spec{
		Name:    "tf-order",
		Summary: "load (8XX), port (8XXPORTIN, with its LOA) or order (8XXAVAIL) toll-free numbers with routing label, CICs, note and features",
		Operations: []string{inteliquent.OpTfOrder, inteliquent.OpOrderAddDocument, inteliquent.OpOrderDocument, inteliquent.OpOrderList,
			inteliquent.OpTfDetail, inteliquent.OpOrderDetail, inteliquent.OpExcludedTnList, inteliquent.OpExcludedFeatureList, inteliquent.OpExcludedE911Detail},
		Columns:   append(cols, tfFeatureColumns(false)...),
		BatchSize: MaxBatch,
	}
}

func (j tfOrderJob) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTF(r, &errs)
	f := map[string]string{
		"product":       check(r, "product", &errs, readers.Required, readers.OneOf(productValues...)),
		"resporg_id":    strings.ToUpper(check(r, "resporg_id", &errs, readers.MaxLen(5))),
		"routing_label": check(r, "routing_label", &errs, readers.Required),
		"cic_list":      check(r, "cic_list", &errs, cicListRule),
		"tn_note":       r.Get("tn_note"),
	}
	switch f["product"] {
	case inteliquent.ProductTF8XX:
		if f["resporg_id"] == "" {
			errs = append(errs, &readers.FieldError{Line: r.Line, Column: "resporg_id", Reason: "is required for product 8XX (your RespOrg ID)"})
		} else if len(f["resporg_id"]) != 5 {
			errs = append(errs, &readers.FieldError{Line: r.Line, Column: "resporg_id", Value: f["resporg_id"], Reason: "is not five characters"})
		}
	case inteliquent.ProductTF8XXPortIn:
		if p := loaPath(r, j.loa, &errs); p != "" {
			f["loa_file"] = p
		}
	}
	if v := strings.TrimSpace(r.Get("loa_file")); v != "" && f["product"] != inteliquent.ProductTF8XXPortIn && f["product"] != "" {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "loa_file", Value: v, Reason: "is only for product 8XXPORTIN"})
	}
	parseFeatures(r, f, false, &errs)
	for k, v := range f {
		if v == "" {
			delete(f, k)
		}
	}
	// One request per product; a port-in order carries one LOA.
	return Parsed{Key: tn, Group: f["product"] + "|" + f["loa_file"], Fields: f}, errs
}

// loaPath checks the loa_file column of an 8XXPORTIN row (def, the --loa
// option, when empty): required, a readable, non-empty file; it returns the
// absolute path. A relative loa_file is read from the manifest's folder
// (r.Dir), like ticket-document's and intl-document's file columns; only
// --loa, a flag, is relative to the working directory.
func loaPath(r Row, def string, errs *[]error) string {
	v := strings.TrimSpace(r.Get("loa_file"))
	if v == "" && def != "" {
		return def
	}
	if v == "" {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "loa_file", Reason: "is required for product 8XXPORTIN (or run with --loa FILE): the LOA and bill copy to attach to the port order"})
		return ""
	}
	p := v
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.Dir, p)
	}
	abs, err := filepath.Abs(p)
	if err == nil {
		var st os.FileInfo
		if st, err = os.Stat(abs); err == nil && (st.IsDir() || st.Size() == 0) {
			err = errors.New("is a directory or an empty file")
		}
	}
	if err != nil {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "loa_file", Value: v, Reason: "cannot be attached: " + err.Error()})
		return ""
	}
	return abs
}

// tfOrderCall is tf-order's request: the tfOrder body and the LOA to attach
// to the order it makes.
type tfOrderCall struct {
	Req     *inteliquent.TfOrderRequest
	LOAFile string `json:",omitempty"`
}

func (tfOrderJob) Build(b *Batch) (any, error) {
	if len(b.Rows) == 0 {
		return nil, errors.New("empty batch")
	}
	first := b.Rows[0].Fields
	req := &inteliquent.TfOrderRequest{ProductAbbr: first["product"]}
	req.TfOrder.CustomerOrderReference = b.CustomerOrderReference
	if req.ProductAbbr == inteliquent.ProductTF8XXPortIn {
		req.TfOrder.Loa = "Y"
	}
	for _, r := range b.Rows {
		if r.Fields["product"] != req.ProductAbbr || r.Fields["loa_file"] != first["loa_file"] {
			return nil, fmt.Errorf("row %d: product or LOA differs from the batch's", r.Line)
		}
		it := inteliquent.TfOrderItem{TN: inteliquent.TN(r.Key), ResporgID: r.Fields["resporg_id"], RoutingLabel: r.Fields["routing_label"],
			TnNote: r.Fields["tn_note"], TnFeature: buildTfFeature(r.Fields)}
		if c := r.Fields["cic_list"]; c != "" {
			it.CicList = &inteliquent.CicList{Cic: strings.Split(c, ",")}
		}
		req.TfOrder.TnList.TnItem = append(req.TfOrder.TnList.TnItem, it)
	}
	return &tfOrderCall{Req: req, LOAFile: first["loa_file"]}, nil
}

// tfOrderSent is tf-order's answer: the order and, for a port-in, the LOA
// attachment (or why it failed: iqbulk follow attaches it then).
type tfOrderSent struct {
	Order      *inteliquent.OrderResponse
	DocumentID string
	DocErr     string
}

func (tfOrderJob) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	c := req.(*tfOrderCall)
	resp, err := api.TfOrder(ctx, c.Req)
	if err != nil {
		return nil, err
	}
	out := &tfOrderSent{Order: resp}
	if c.LOAFile != "" && !resp.OrderID.IsZero() {
		// The order is placed: whatever happens to the LOA, the answer must
		// be committed, so a failure here is reported on the rows, not
		// returned.
		id, err := attachLOA(ctx, api, string(resp.OrderID), c.LOAFile)
		if err != nil {
			out.DocErr = err.Error()
		}
		out.DocumentID = id
	}
	return out, nil
}

// attachLOA attaches the LOA file to an order with orderAddDocument.
func attachLOA(ctx context.Context, api *inteliquent.Client, orderID, path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read LOA: %w", err)
	}
	resp, err := api.OrderAddDocument(ctx, &inteliquent.OrderAddDocumentRequest{
		OrderRef:     inteliquent.OrderRef{OrderID: inteliquent.OrderID(orderID)},
		DocumentName: filepath.Base(path), DocumentDescription: "LOA and bill copy (iqbulk tf-order 8XXPORTIN)",
		FileContent: base64.StdEncoding.EncodeToString(data),
	})
	if err != nil {
		return "", fmt.Errorf("orderAddDocument: %w", err)
	}
	return string(resp.DocumentID), nil
}

// tfOrderDetail is what tf-order keeps on a port-in order (checkpoints
// Order.Detail) so that iqbulk follow can attach a missing LOA.
type tfOrderDetail struct {
	Product    string `json:"product"`
	LOAFile    string `json:"loaFile,omitempty"`
	DocumentID string `json:"loaDocumentId,omitempty"`
}

func (d tfOrderDetail) json() string {
	b, _ := json.Marshal(d)
	return string(b)
}

func (tfOrderJob) Read(b *Batch, resp any) Result {
	s := resp.(*tfOrderSent)
	product := b.Rows[0].Fields["product"]
	res := readOrderAnswer(b, inteliquent.OpTfOrder, s.Order)
	markMonthlyCap(&res)
	if len(res.Orders) > 0 {
		d := tfOrderDetail{Product: product, LOAFile: b.Rows[0].Fields["loa_file"], DocumentID: s.DocumentID}
		res.Orders[0].Detail = d.json()
	}
	if product == inteliquent.ProductTF8XXPortIn && !s.Order.OrderID.IsZero() {
		res.Rows = loaNote(res.Rows, s)
	}
	return res
}

// loaNote tells the pending rows of a port-in order what became of its LOA.
func loaNote(rows []record.RowOutcome, s *tfOrderSent) []record.RowOutcome {
	note := "LOA attached as document " + s.DocumentID
	if s.DocErr != "" {
		note = "LOA NOT attached (" + s.DocErr + "); iqbulk follow attaches it"
	}
	for i := range rows {
		if rows[i].Status == record.StatusPending {
			rows[i].Message += "; " + note
		}
	}
	return rows
}

// markMonthlyCap gives the rows 8XXAVAIL's monthly cap refused their own
// code.
func markMonthlyCap(res *Result) {
	for i := range res.Rows {
		if res.Rows[i].Status == record.StatusExcluded && strings.Contains(strings.ToLower(res.Rows[i].Message), "per month") {
			res.Rows[i].Code = CodeMonthlyCap
		}
	}
}

// Reconcile: an 8XX or 8XXPORTIN batch made an order under its
// customerOrderReference if it reached the API; an 8XXAVAIL batch
// activated its numbers at once. Numbers on the account activated since the
// batch was first sent are ok; the others are sent again.
func (tfOrderJob) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	since := b.FirstSentAt.Add(-2 * time.Minute) // allow for clock skew with the API
	res, resend, err := reconcileOnAccount(ctx, api, b, tfAccountState, func(_ record.Row, d inteliquent.TfDetailItem, found bool) (string, bool) {
		return "on the account (" + d.TnStatusName + ") since " + d.ActivateDate, found && activatedSince(d.ActivateDate, since)
	})
	d := tfOrderDetail{Product: b.Rows[0].Fields["product"], LOAFile: b.Rows[0].Fields["loa_file"]}
	for i := range res.Orders {
		res.Orders[i].Detail = d.json() // the follow-up attaches the LOA if it is missing
	}
	return res, resend, err
}

// Follow attaches a port-in's LOA if the first attempt failed (after
// checking orderDocument, so a lost answer never attaches it twice), then
// follows the order like a telephone-number order.
func (tfOrderJob) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	var d tfOrderDetail
	if o.Detail != "" {
		_ = json.Unmarshal([]byte(o.Detail), &d)
	}
	if d.Product == inteliquent.ProductTF8XXPortIn && d.DocumentID == "" && d.LOAFile != "" {
		docs, err := api.OrderDocument(ctx, &inteliquent.OrderDocumentRequest{OrderRef: inteliquent.OrderRef{OrderID: inteliquent.OrderID(o.OrderID)}})
		if err != nil {
			return FollowResult{}, fmt.Errorf("orderDocument %s: %w", o.OrderID, err)
		}
		for _, doc := range docs.OrderDocumentList.OrderDocument {
			if doc.DocumentName == filepath.Base(d.LOAFile) {
				d.DocumentID = string(doc.DocumentID)
			}
		}
		if d.DocumentID == "" {
			id, err := attachLOA(ctx, api, o.OrderID, d.LOAFile)
			if err != nil {
				return FollowResult{}, fmt.Errorf("attach LOA to order %s: %w", o.OrderID, err)
			}
			d.DocumentID = id
		}
		o.Detail = d.json()
	}
	return followTNOrder(ctx, api, o, rows)
}
