package jobs

import (
	"context"
	"errors"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// intlUpdate changes international numbers: the routing option (In
// Service numbers: intlTnUpdate; numbers still on their order, with
// order_id: intlTnRoutingUpdate), the end user details (intlTnEndUser, on
// the number's order_id) and the note (intlTnNoteUpdate; with order_id:
// intlTnAddNote). Every one of them sets a value, so a batch may simply be
// sent again (the client's operation table says so). Numbers an answer
// names ("{2=[442045242409 TN is not in service]}": the sandbox changes
// nothing then) are excluded with its reason and the request is sent again
// without them, once.
type intlUpdate struct{}

var _ Snapshotter = intlUpdate{}

func (intlUpdate) Spec() Spec {
	return Spec{
		Name:    "intl-update",
		Summary: "change international numbers' routing option (intlTnUpdate, or intlTnRoutingUpdate on their order), end user (intlTnEndUser) and note (intlTnNoteUpdate, intlTnAddNote)",
		Operations: []string{inteliquent.OpIntlTnUpdate, inteliquent.OpIntlTnRoutingUpdate, inteliquent.OpIntlTnEndUser,
			inteliquent.OpIntlTnNoteUpdate, inteliquent.OpIntlTnAddNote, inteliquent.OpIntlTnDetail},
		Columns: append([]Column{
			intlTNColumn(), countryRefColumn(),
			col("order_id", false, "the number's order: routing and note changes before it is In Service go to the order; end user details need it", "", "orderid", "order id", "order"),
			col("routing_option", false, "new routing option (iqbulk export intl-routing-options lists them)", "Cleveland", "routingoption", "routing option", "routing"),
			col("tn_note", false, "new note on the number", "wave 2", "tnnote", "note"),
		}, intlEndUserCols()...),
		BatchSize: MaxBatch,
	}
}

func (intlUpdate) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseIntlTN(r, &errs)
	f := map[string]string{
		"country_ref":    parseCountryRef(r, "country_ref", true, &errs),
		"order_id":       strings.TrimSpace(r.Get("order_id")),
		"routing_option": strings.TrimSpace(r.Get("routing_option")),
		"tn_note":        strings.TrimSpace(r.Get("tn_note")),
	}
	if f["order_id"] != "" && !isDigitsOnly(f["order_id"]) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: f["order_id"], Reason: "is not an order number"})
	}
	parseIntlEndUser(r, f, &errs)
	hasEU := f[intlEndUserColumns[0].col] != ""
	switch {
	case f["routing_option"] == "" && f["tn_note"] == "" && !hasEU:
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "routing_option", Reason: "is required: the row changes nothing (give routing_option, tn_note or the end user columns)"})
	case hasEU && f["order_id"] == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Reason: "is required with end user details (intlTnEndUser sets them on the number's order)"})
	}
	for k, v := range f {
		if v == "" {
			delete(f, k)
		}
	}
	return Parsed{Key: tn, Group: f["order_id"], Fields: f}, errs
}

// intlUpdateCall is intl-update's requests for one batch (one order_id,
// or none).
type intlUpdateCall struct {
	OrderID string                   `json:",omitempty"`
	Ref     string                   `json:",omitempty"`
	Routing []inteliquent.IntlTnItem `json:",omitempty"`
	EndUser []inteliquent.IntlTnItem `json:",omitempty"`
	Notes   []inteliquent.IntlTnItem `json:",omitempty"`
}

func (intlUpdate) Build(b *Batch) (any, error) {
	c := &intlUpdateCall{OrderID: b.Rows[0].Fields["order_id"], Ref: b.CustomerOrderReference}
	for _, r := range b.Rows {
		f := r.Fields
		base := inteliquent.IntlTnItem{TN: inteliquent.TN(r.Key), CountryRef: f["country_ref"]}
		if f["routing_option"] != "" {
			it := base
			it.RoutingOption = f["routing_option"]
			if c.OrderID != "" {
				it.NumberType = "Inbound DID"
			}
			c.Routing = append(c.Routing, it)
		}
		if eu := intlEndUserOf(f); eu != nil {
			it := base
			it.NumberType, it.EndUserData = "Inbound DID", eu
			c.EndUser = append(c.EndUser, it)
		}
		if f["tn_note"] != "" {
			it := base
			it.TnNote = f["tn_note"]
			c.Notes = append(c.Notes, it)
		}
	}
	return c, nil
}

// intlUpdateSent is what the batch's requests answered: the numbers they
// excluded, with the reason, and the first error that was not an
// exclusion.
type intlUpdateSent struct {
	Excluded map[string]string
	Err      string
}

func (intlUpdate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	c := req.(*intlUpdateCall)
	out := &intlUpdateSent{Excluded: map[string]string{}}
	type step struct {
		items []inteliquent.IntlTnItem
		send  func([]inteliquent.IntlTnItem) error
	}
	order := inteliquent.OrderID(c.OrderID)
	steps := []step{
		{c.Routing, func(items []inteliquent.IntlTnItem) error {
			if c.OrderID != "" {
				_, err := api.IntlTnRoutingUpdate(ctx, &inteliquent.IntlListRequest{OrderID: order, TnList: inteliquent.IntlTnList{TnItem: items}})
				return err
			}
			_, err := api.IntlTnUpdate(ctx, &inteliquent.IntlListRequest{CustomerOrderReference: c.Ref, TnList: inteliquent.IntlTnList{TnItem: items}})
			return err
		}},
		{c.EndUser, func(items []inteliquent.IntlTnItem) error {
			_, err := api.IntlTnEndUser(ctx, &inteliquent.IntlListRequest{OrderID: order, TnList: inteliquent.IntlTnList{TnItem: items}})
			return err
		}},
		{c.Notes, func(items []inteliquent.IntlTnItem) error {
			r := &inteliquent.IntlTnNoteRequest{OrderID: order}
			r.TnNote.TnList.TnItem = items
			if c.OrderID != "" {
				_, err := api.IntlTnAddNote(ctx, r)
				return err
			}
			_, err := api.IntlTnNoteUpdate(ctx, r)
			return err
		}},
	}
	for _, s := range steps {
		items := s.items
		for attempt := 0; len(items) > 0; attempt++ {
			err := s.send(items)
			if err == nil {
				break
			}
			named := namedExclusions(err)
			if len(named) == 0 || attempt > 0 {
				// Not an answer naming numbers: the whole batch is retried
				// by the pipeline (every step is idempotent).
				return nil, err
			}
			var rest []inteliquent.IntlTnItem
			for _, it := range items {
				if reason, ok := named[string(it.TN)]; ok {
					out.Excluded[string(it.TN)] = reason
				} else {
					rest = append(rest, it)
				}
			}
			items = rest
		}
	}
	return out, nil
}

// namedExclusions reads an error answer whose status names numbers
// ("{2=[tn reason, ...]}").
func namedExclusions(err error) map[string]string {
	var ae *inteliquent.APIError
	if !errors.As(err, &ae) {
		return nil
	}
	st := inteliquent.ParseTNStatus(ae.Status)
	if !st.Parsed {
		return nil
	}
	out := map[string]string{}
	for _, e := range st.Entries {
		if e.TN != "" {
			out[string(e.TN)] = e.Reason
		}
	}
	return out
}

func (intlUpdate) Read(b *Batch, resp any) Result {
	s := resp.(*intlUpdateSent)
	var res Result
	for _, r := range b.Rows {
		o := record.Outcome{Status: record.StatusOK, OrderID: r.Fields["order_id"], Message: "updated"}
		if reason, ok := s.Excluded[r.Key]; ok {
			o.Status, o.Message = record.StatusExcluded, reason
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: o})
	}
	return res
}

// Snapshot reads the numbers' routing option and end user (intlTnDetail;
// its answer shows no note, so a note's earlier value is unknown).
func (intlUpdate) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	d, err := intlAccountState(ctx, api, b.Keys())
	if err != nil {
		return nil, err
	}
	out := make(map[string]Values, len(d))
	for tn, it := range d {
		v := Values{"routing_option": it.RoutingOption}
		for _, c := range intlEndUserColumns {
			for _, u := range it.EndUserData {
				if strings.EqualFold(u.Label, c.label) {
					v[c.col] = u.Value
				}
			}
		}
		out[tn] = v
	}
	return out, nil
}

// Applied: the row's values over those it does not change.
func (intlUpdate) Applied(r record.Row, before Values) Values {
	out := Values{}
	for k, v := range before {
		out[k] = v
	}
	for _, k := range append([]string{"routing_option"}, endUserKeys()...) {
		if v := r.Fields[k]; v != "" {
			out[k] = v
		}
	}
	return out
}

func endUserKeys() []string {
	out := make([]string, len(intlEndUserColumns))
	for i, c := range intlEndUserColumns {
		out[i] = c.col
	}
	return out
}

// Restore is an intl-update row with the values the run changed, as they
// were. A note cannot be put back (no read shows it) and an end user that
// was empty cannot be taken away (no intl operation removes one): those
// parts are reported, not restored.
func (intlUpdate) Restore(r record.Row, before Values) UndoRow {
	cells := map[string]string{"tn": r.Key, "country_ref": r.Fields["country_ref"]}
	var partly []string
	if r.Fields["routing_option"] != "" {
		cells["routing_option"] = before["routing_option"]
		if before["routing_option"] == "" {
			delete(cells, "routing_option")
			partly = append(partly, "routing_option: the number had none before the run")
		}
	}
	if r.Fields["tn_note"] != "" {
		partly = append(partly, "tn_note: the API shows no international number's note (intlTnDetail has none), so the note before the run is unknown; it keeps the run's value")
	}
	if r.Fields[intlEndUserColumns[0].col] != "" {
		if before[intlEndUserColumns[0].col] != "" {
			cells["order_id"] = r.Fields["order_id"]
			for _, k := range endUserKeys() {
				cells[k] = before[k]
			}
		} else {
			partly = append(partly, "end user: there was none, and no international operation removes one")
		}
	}
	if len(cells) == 2 {
		return UndoRow{Cannot: strings.Join(partly, "; ")}
	}
	return UndoRow{Kind: "intl-update", Cells: cells, Partly: partly}
}
