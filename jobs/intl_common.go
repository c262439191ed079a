package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// This file holds what the international kinds (intl-order, intl-reserve,
// intl-disconnect, intl-order-cancel, ...) share: the international
// number and country columns, the end user columns, the account lookup
// through intlTnDetail, finding a batch's order through intlOrderList and
// the follow-up of international orders (intlOrderDetail until final,
// then intlExcludedTnList).

// intlTNColumn is the international number column: country code first, as
// the guide writes them (442045242409).
func intlTNColumn() Column {
	return Column{Column: readers.Column{Name: "tn", Aliases: []string{"telephone number", "number", "phone", "phone number", "did", "intl tn", "international number"}, Required: true,
		Help: "international number with its country code, e.g. 442045242409 (+44 20 4524 2409 and 0044… are accepted)"}, Example: "442045242409"}
}

// countryRefColumn is the ISO3 country column.
func countryRefColumn() Column {
	return Column{Column: readers.Column{Name: "country_ref", Aliases: []string{"countryref", "country ref", "country", "iso3", "country code iso3"}, Required: true,
		Help: "ISO3 country of the number (GBR, FRA...; iqbulk export intl-countries lists them)"}, Example: "GBR"}
}

// parseIntlTN normalises an international number: spaces, dots, dashes and
// brackets dropped, a leading + or 00 removed; 8 to 15 digits remain (the
// E.164 maximum), the first not 0.
func parseIntlTN(r Row, errs *[]error) string {
	raw := r.Get("tn")
	if strings.TrimSpace(raw) == "" {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "tn", Reason: "is required"})
		return ""
	}
	var b strings.Builder
	for i, c := range strings.TrimSpace(raw) {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == '+' && i == 0, c == ' ', c == '-', c == '.', c == '(', c == ')', c == '\u00a0':
		default:
			*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "tn", Value: raw, Reason: fmt.Sprintf("has %q: an international number is digits, with its country code", c)})
			return ""
		}
	}
	tn := strings.TrimPrefix(b.String(), "00")
	if len(tn) < 8 || len(tn) > 15 || tn[0] == '0' {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: "tn", Value: raw,
			Reason: fmt.Sprintf("is %d digits: an international number with its country code has 8 to 15, the first not 0", len(tn))})
		return ""
	}
	return tn
}

// parseCountryRef reads the ISO3 country.
func parseCountryRef(r Row, col string, required bool, errs *[]error) string {
	v := strings.ToUpper(strings.TrimSpace(r.Get(col)))
	switch {
	case v == "" && required:
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Reason: "is required (ISO3, e.g. GBR)"})
	case v != "" && (len(v) != 3 || strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != ""):
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: col, Value: r.Get(col), Reason: "is not an ISO3 country code such as GBR"})
	}
	return v
}

// intlEndUserColumns are the guide's endUserData labels as columns.
var intlEndUserColumns = []struct{ col, label, example string }{
	{"end_user_company_name", "Company name", "Eiffel Tower"},
	{"end_user_street_name", "Streetname", "Champ De Mars"},
	{"end_user_street_number", "Street-number", "11"},
	{"end_user_zipcode", "Zipcode", "75007"},
	{"end_user_city", "City", "Paris"},
	{"end_user_country", "Country", "France"},
}

func intlEndUserCols() []Column {
	var out []Column
	for _, c := range intlEndUserColumns {
		out = append(out, col(c.col, false, "end user "+c.label+" (endUserData label \""+c.label+"\"; give all six or none)", c.example,
			strings.ReplaceAll(c.col, "_", " "), strings.TrimPrefix(c.col, "end_user_")))
	}
	return out
}

// parseIntlEndUser checks the end user columns: all six or none.
func parseIntlEndUser(r Row, f map[string]string, errs *[]error) {
	var given, missing []string
	for _, c := range intlEndUserColumns {
		if v := strings.TrimSpace(r.Get(c.col)); v != "" {
			f[c.col] = v
			given = append(given, c.col)
		} else {
			missing = append(missing, c.col)
		}
	}
	if len(given) > 0 && len(missing) > 0 {
		*errs = append(*errs, &readers.FieldError{Line: r.Line, Column: missing[0],
			Reason: "is required when end user details are given (the guide marks every label mandatory): " + strings.Join(missing, ", ")})
	}
}

// intlEndUserOf builds endUserData from parsed fields (nil when none).
func intlEndUserOf(f map[string]string) []inteliquent.IntlEndUser {
	if f[intlEndUserColumns[0].col] == "" {
		return nil
	}
	out := make([]inteliquent.IntlEndUser, 0, len(intlEndUserColumns))
	for _, c := range intlEndUserColumns {
		out = append(out, inteliquent.IntlEndUser{Label: c.label, Value: f[c.col], Mandatory: true})
	}
	return out
}

// intlAccountState looks numbers up with intlTnDetail, one search item per
// number.
func intlAccountState(ctx context.Context, api *inteliquent.Client, tns []string) (map[string]inteliquent.IntlTnDetailItem, error) {
	req := &inteliquent.IntlTnDetailRequest{PageSort: &inteliquent.PageSort{Size: MaxBatch}}
	for _, tn := range tns {
		req.TnSearchList.TnSearchItem = append(req.TnSearchList.TnSearchItem, inteliquent.IntlTnSearchItem{TnMask: tn})
	}
	out := make(map[string]inteliquent.IntlTnDetailItem, len(tns))
	for d, err := range api.IntlTnDetailIter(ctx, req) {
		if err != nil {
			return nil, fmt.Errorf("intlTnDetail: %w", err)
		}
		out[string(d.TN)] = d
	}
	return out, nil
}

// intlOrderByReference looks for the order a batch made, by its
// customerOrderReference (intlOrderList).
func intlOrderByReference(ctx context.Context, api *inteliquent.Client, b *Batch, detail string) (Result, bool, error) {
	for o, err := range api.IntlOrderListIter(ctx, &inteliquent.IntlOrderListRequest{CustomerOrderReference: b.CustomerOrderReference}) {
		if err != nil {
			return Result{}, false, fmt.Errorf("intlOrderList by customerOrderReference: %w", err)
		}
		if string(o.CustomerOrderReference) != b.CustomerOrderReference || o.OrderID == "" {
			continue
		}
		id := string(o.OrderID)
		res := setAllOutcome(b, record.Outcome{Status: record.StatusPending, OrderID: id,
			Message: "order " + id + " found by customerOrderReference after a lost answer; run iqbulk follow"})
		res.OrderID = id
		res.Orders = []record.Order{{OrderID: id, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID, Detail: detail}}
		return res, true, nil
	}
	return Result{}, false, nil
}

// intlReconcile is the reconciliation of the international orders: the
// order under the batch's customerOrderReference if the API recorded one
// (every row pending on it); otherwise each number's intlTnDetail record
// decides (decide returns "" to send the row again).
func intlReconcile(ctx context.Context, api *inteliquent.Client, b *Batch, detail string,
	decide func(r record.Row, d inteliquent.IntlTnDetailItem, found bool) (status, msg string)) (Result, []int, error) {
	byRef := func(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, bool, error) {
		return intlOrderByReference(ctx, api, b, detail)
	}
	return reconcileWith(ctx, api, b, byRef, intlAccountState, decide, "")
}

// IntlOrderExclusions reads what an international order excluded
// (intlExcludedTnList; 430 is none).
func IntlOrderExclusions(ctx context.Context, api *inteliquent.Client, orderID, customerOrderReference string) ([]record.Excluded, error) {
	xt, err := api.IntlExcludedTnList(ctx, &inteliquent.IntlExcludedTnListRequest{OrderRef: inteliquent.OrderRef{OrderID: inteliquent.OrderID(orderID)}})
	if err != nil {
		return nil, fmt.Errorf("intlExcludedTnList %s: %w", orderID, err)
	}
	var out []record.Excluded
	for _, x := range xt.IntlExcludedTnList.ExcludedTnItem {
		out = append(out, excludedTn(inteliquent.ExcludedTnItem{OrderID: x.OrderID, CustomerOrderReference: string(x.CustomerOrderReference),
			TN: x.TN, ExcludedReason: x.ExcludedReason, InsertDate: x.InsertDate, DisplayName: x.DisplayName}, orderID, customerOrderReference))
	}
	return out, nil
}

// followIntlOrder follows an international order (new numbers, port-in,
// disconnect): intlOrderDetail until Closed or Canceled, then
// intlExcludedTnList. A row is ok when its number is done on the closed
// order (In Service, or Disconnected), excluded with the API's reason
// otherwise. While the order is open each row says its number's status
// (the sandbox names what a number still needs: "Pending (needs end user
// details)").
func followIntlOrder(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	o.Polls++
	o.CheckedAt = time.Now().UTC()
	d, err := api.IntlOrderDetail(ctx, &inteliquent.IntlOrderDetailRequest{OrderID: inteliquent.OrderID(o.OrderID)})
	if err != nil {
		if inteliquent.Code(err) == "430" && o.Polls < 1000 {
			o.Status = OrderIncomplete
			return FollowResult{Order: o, Rows: pendingRows(rows, o, "order "+o.OrderID+" is being validated")}, nil
		}
		return FollowResult{}, fmt.Errorf("intlOrderDetail %s: %w", o.OrderID, err)
	}
	od := d.OrderDetailResponse
	setOrderStatus(&o, od.OrderStatus)
	onOrder := map[string]string{}
	for _, it := range od.TnList.TnItem {
		onOrder[string(it.TN)] = it.Status
	}
	if !o.Final {
		var out []record.RowOutcome
		for _, r := range rows {
			if r.Status != "" && r.Status != record.StatusPending {
				continue
			}
			msg := orderIs(o, od.OrderStatus)
			if st := onOrder[r.Key]; st != "" {
				msg += "; number " + st
			}
			out = append(out, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusPending, OrderID: o.OrderID, Code: o.Status, Message: msg}})
		}
		return FollowResult{Order: o, Rows: out}, nil
	}
	res := FollowResult{Order: o}
	xs, err := IntlOrderExclusions(ctx, api, o.OrderID, o.CustomerOrderReference)
	if err != nil {
		return FollowResult{}, err
	}
	res.Excluded = xs
	excluded := map[string]string{}
	for _, x := range xs {
		excluded[x.TN] = x.Reason
	}
	for _, r := range rows {
		if r.Status != "" && r.Status != record.StatusPending {
			continue
		}
		out := record.Outcome{OrderID: o.OrderID, Code: o.Status}
		st, on := onOrder[r.Key]
		switch reason, isExcluded := excluded[r.Key]; {
		case isExcluded:
			out.Status, out.Message = record.StatusExcluded, reason
		case o.Status == OrderCanceled:
			out.Status, out.Message = record.StatusFailed, "order "+o.OrderID+" was canceled"
		case !on:
			out.Status, out.Message = record.StatusExcluded, "not on order "+o.OrderID+" after validation"
		case st == tnInService || st == "Disconnected":
			out.Status, out.Message = record.StatusOK, "order "+o.OrderID+" closed; "+st
		default:
			out.Status, out.Message = record.StatusExcluded, "order "+o.OrderID+" closed with the number "+st
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
	}
	return res, nil
}

// intlItems builds tnList items from a batch.
func intlItems(b *Batch, withRouting bool) inteliquent.IntlTnList {
	var l inteliquent.IntlTnList
	for _, r := range b.Rows {
		it := inteliquent.IntlTnItem{TN: inteliquent.TN(r.Key), CountryRef: r.Fields["country_ref"]}
		if withRouting {
			it.RoutingOption = r.Fields["routing_option"]
		}
		l.TnItem = append(l.TnItem, it)
	}
	return l
}
