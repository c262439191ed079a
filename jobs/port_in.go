package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// portIn ports numbers in from another carrier (the guide's "Order Port-In
// Telephone Number", POST /portInOrder). Rows are grouped into orders the way
// the losing carrier wants them: one order per desired due date, port time
// and zone, on-demand activation and account (accountNum + atn), at most 100
// numbers each. It is not idempotent: a lost answer is reconciled through
// orderList by customerOrderReference. Every port-in is validated in the
// background, so rows stay pending until followed up (iqbulk follow), number
// by number: Pending → Received FOC (port_date) → Activated/Complete (ok); a
// number in jeopardy fails with the losing carrier's rejection reason, ready
// to be corrected and sent through port-in-fix.
type portIn struct {
	// checkFirst runs portInAvailability on each batch and holds back the
	// numbers it reports not portable (--check-first).
	checkFirst bool
}

// Port-in result columns.
const (
	outPortDate = "port_date"
	outTnStatus = "tn_status"
	outTnGroup  = "tn_group"
	outPortTime = "port_time" // orderDetail's portTime with the FOC: "09:00 US/Central"
	// outRejectReason is the number's rejection reason (its jeopardy
	// tnStatus, what portInOrderList's rejectReasonList counts and
	// portInOrderTnList calls rejectReasonName).
	outRejectReason = "reject_reason"
	// outRoutingLabel is orderDetail's routingLabel of the number (guide
	// lines 9902: "routingLabel": "" for a local number).
	outRoutingLabel = "routing_label"
)

// portTimeZones are desiredPortTimeZone's values.
var portTimeZones = []string{"US/Eastern", "US/Central", "US/Mountain", "US/Pacific", "GMT"}

func col(name string, required bool, help, example string, aliases ...string) Column {
	return Column{Column: readers.Column{Name: name, Aliases: aliases, Required: required, Help: help}, Example: example}
}

// portColumns are the port-in manifest columns. required=false makes every
// column but tn optional (port-in-fix). The csr_* aliases let a csr run's
// results file be used as a port-in manifest.
func portColumns(required bool) []Column {
	return []Column{
		tnColumn(),
		col("account_num", required, "account number at the losing carrier", "12345", "accountnum", "account number", "account", "csr_account_num"),
		col("atn", required, "account (billing) telephone number", "8009247586", "btn", "account telephone number", "billing telephone number", "csr_atn"),
		col("account_pin", false, "account PIN or password (≤15)", "", "accountpin", "account pin", "passcode", "csr_account_pin"),
		col("auth_name", required, "name of the port-in authorizer (≤50)", "Jean Blues", "authname", "authorizer", "authorized name", "csr_auth_name"),
		col("auth_date", required, "date of the authorization, YYYY-MM-DD, not in the future", "2015-12-15", "authdate", "authorization date", "csr_auth_date"),
		col("end_user_name", required, "end user name (≤32)", "Jean Blues", "end user", "enduser", "end user name", "customer name", "csr_end_user"),
		col("street_num", required, "street number (≤10)", "101", "streetnum", "house number", "csr_street_num"),
		col("street_pre_dir", false, "street direction prefix (≤2, e.g. N)", "", "streetpredir", "csr_street_pre_dir"),
		col("street_name", required, "street name (≤50)", "Main", "streetname", "street", "csr_street_name"),
		col("street_type", false, "street type (≤10, e.g. St)", "St", "streettype", "csr_street_type"),
		col("street_post_dir", false, "street direction suffix (≤2, e.g. SW)", "", "streetpostdir", "csr_street_post_dir"),
		col("location_type1", false, "location type 1 (e.g. Bld, Apt)", "", "locationtype1", "csr_location_type1"),
		col("location_value1", false, "location value 1 (e.g. 2B)", "", "locationvalue1", "csr_location_value1"),
		col("location_type2", false, "location type 2 (e.g. Flr, Ste)", "", "locationtype2", "csr_location_type2"),
		col("location_value2", false, "location value 2 (e.g. 900)", "", "locationvalue2", "csr_location_value2"),
		col("city", required, "end user city (≤32)", "Miami", "csr_city"),
		col("state", required, "end user state (2 letters)", "FL", "province", "csr_state"),
		col("postal_code", required, "end user zip code (≤10)", "33124", "zip", "zip code", "zipcode", "postalcode", "csr_postal_code"),
		col("type_of_service", required, "B (Business) or R (Residence)", "B", "typeofservice", "service type", "csr_type_of_service"),
		col("desired_due_date", required, "desired port date, YYYY-MM-DD", "2015-12-15", "desiredduedate", "due date", "port date", "csr_earliest_scheduled_date"),
		col("desired_port_time", false, "desired port time HH:MM", "", "desiredporttime", "port time"),
		col("desired_port_time_zone", false, "US/Eastern, US/Central, US/Mountain, US/Pacific or GMT", "", "desiredporttimezone", "time zone", "zone"),
		col("on_demand_activation", false, "Y: you activate the port yourself (port-in-activate) on the FOC date", "N", "ondemandactivation", "on demand", "on_demand"),
		col("trunk_group", false, "trunk group to assign (e.g. CHCGIL24CL1_897)", "", "trunkgroup", "trunk group", "tg"),
		col("port_out_pin", false, "PIN for onnet port-out protection (Tier 0 & HI)", "", "portoutpin"),
		col("tn_note", false, "note stored on the number", "", "tnnote", "note"),
	}
}

// portFieldRules are the guide's limits per column.
var portFieldRules = map[string][]readers.Rule{
	"account_num":            {readers.MaxLen(50)},
	"atn":                    {readers.TN},
	"account_pin":            {readers.MaxLenFor("accountPin")},
	"auth_name":              {readers.MaxLenFor("authName")},
	"auth_date":              {readers.Date, notFuture},
	"end_user_name":          {readers.MaxLenFor("endUser.name")},
	"street_num":             {readers.MaxLenFor("endUser.streetNum")},
	"street_pre_dir":         {readers.MaxLenFor("endUser.streetPreDir")},
	"street_name":            {readers.MaxLenFor("endUser.streetName")},
	"street_type":            {readers.MaxLenFor("endUser.streetType")},
	"street_post_dir":        {readers.MaxLen(2)},
	"city":                   {readers.MaxLenFor("endUser.city")},
	"state":                  {readers.MaxLenFor("endUser.state")},
	"postal_code":            {readers.MaxLenFor("endUser.postalCode")},
	"type_of_service":        {readers.OneOf("B", "Business", "R", "Residence"), typeOfServiceCode},
	"desired_due_date":       {readers.Date},
	"desired_port_time":      {portTime},
	"desired_port_time_zone": {readers.OneOf(portTimeZones...)},
	"on_demand_activation":   {readers.YN},
	"port_out_pin":           {readers.MaxLen(15)},
}

// notFuture: authDate "must be less than or equal to today's date" (local
// date, so a user west of UTC is not refused in the evening).
func notFuture(v string) (string, error) {
	if v != "" && v > time.Now().Format(time.DateOnly) {
		return "", fmt.Errorf("is in the future; the authorization date must be today or earlier")
	}
	return v, nil
}

// typeOfServiceCode sends B or R: the Character Limits table allows one
// character ("Acceptable values are B and R").
func typeOfServiceCode(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	return strings.ToUpper(v[:1]), nil
}

func portTime(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if len(v) == 4 && v[1] == ':' {
		v = "0" + v
	}
	if len(v) == 8 && strings.HasSuffix(v, ":00") { // Excel time cells
		v = v[:5]
	}
	if _, err := time.Parse("15:04", v); err != nil || len(v) != 5 {
		return "", fmt.Errorf("is not a time in the form HH:MM (e.g. 14:00)")
	}
	return v, nil
}

// parsePortRow validates a port-in row; required makes the guide's required
// fields mandatory (port-in) or optional (port-in-fix).
func parsePortRow(r Row, required bool) (string, map[string]string, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	f := map[string]string{}
	for _, c := range portColumns(required) {
		name := c.Name
		if name == "tn" {
			continue
		}
		v := strings.TrimSpace(r.Get(name))
		if v == "" {
			if c.Required {
				errs = append(errs, &readers.FieldError{Line: r.Line, Column: name, Reason: "is required"})
			}
			continue
		}
		raw := v
		bad := false
		for _, rule := range portFieldRules[name] {
			out, err := rule(v)
			if err != nil {
				errs = append(errs, &readers.FieldError{Line: r.Line, Column: name, Value: raw, Reason: err.Error()})
				bad = true
				break
			}
			v = out
		}
		if !bad {
			f[name] = v
		}
	}
	if f["desired_port_time"] != "" && f["desired_port_time_zone"] == "" {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "desired_port_time_zone", Reason: "is required with desired_port_time"})
	}
	if f["desired_port_time_zone"] != "" && f["desired_port_time"] == "" {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "desired_port_time", Reason: "is required with desired_port_time_zone"})
	}
	return tn, f, errs
}

func (portIn) Spec() Spec {
	return Spec{
		Name:    "port-in",
		Summary: "port numbers in from another carrier, grouped into orders by due date, port time, on-demand activation and account",
		Operations: []string{inteliquent.OpPortInOrder, inteliquent.OpOrderList, inteliquent.OpOrderDetail,
			inteliquent.OpExcludedTnList, inteliquent.OpPortInAvailability},
		Columns:   portColumns(true),
		Outputs:   []string{outTnStatus, outPortDate, outTnGroup, outPortTime, outRejectReason, outRoutingLabel},
		BatchSize: MaxBatch,
	}
}

func (portIn) Parse(r Row) (Parsed, []error) {
	tn, f, errs := parsePortRow(r, true)
	if d := f["desired_due_date"]; d != "" && d < time.Now().Format(time.DateOnly) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "desired_due_date", Value: d, Reason: "is in the past"})
	}
	return Parsed{Key: tn, Group: portGroupKey(f), Fields: f}, errs
}

// portGroupKey is the order a row belongs to: the losing carrier wants one
// order per account, and an order has one due date, port time and activation
// mode.
func portGroupKey(f map[string]string) string {
	onDemand := f["on_demand_activation"]
	if onDemand == "" {
		onDemand = "N"
	}
	return strings.Join([]string{f["desired_due_date"], f["desired_port_time"], f["desired_port_time_zone"], onDemand,
		f["account_num"], f["atn"]}, "|")
}

func endUserOf(f map[string]string) *inteliquent.EndUser {
	eu := &inteliquent.EndUser{
		Name: f["end_user_name"], StreetNum: inteliquent.FlexString(f["street_num"]), StreetPreDir: f["street_pre_dir"],
		StreetName: f["street_name"], StreetType: f["street_type"], StreetPostDir: f["street_post_dir"],
		LocationType1: f["location_type1"], LocationValue1: inteliquent.FlexString(f["location_value1"]),
		LocationType2: f["location_type2"], LocationValue2: inteliquent.FlexString(f["location_value2"]),
		City: f["city"], State: f["state"], PostalCode: inteliquent.FlexString(f["postal_code"]), TypeOfService: f["type_of_service"],
	}
	if *eu == (inteliquent.EndUser{}) {
		return nil
	}
	return eu
}

func (portIn) Build(b *Batch) (any, error) {
	if len(b.Rows) == 0 {
		return nil, fmt.Errorf("port-in: empty batch")
	}
	first := b.Rows[0].Fields
	req := &inteliquent.PortInOrderRequest{}
	po := &req.PortInOrder
	po.CustomerOrderReference = b.CustomerOrderReference
	po.DesiredDueDate = first["desired_due_date"]
	po.DesiredPortTime = first["desired_port_time"]
	po.DesiredPortTimeZone = first["desired_port_time_zone"]
	po.OnDemandActivation = first["on_demand_activation"]
	for _, r := range b.Rows {
		f := r.Fields
		po.TnList.TnItem = append(po.TnList.TnItem, inteliquent.PortInOrderItem{
			TN: inteliquent.TN(r.Key), TrunkGroup: f["trunk_group"], PortOutPin: f["port_out_pin"], TnNote: f["tn_note"],
			AccountNum: f["account_num"], Atn: inteliquent.TN(f["atn"]), AccountPin: f["account_pin"],
			AuthName: f["auth_name"], AuthDate: f["auth_date"], EndUser: endUserOf(f),
		})
	}
	return req, nil
}

// portInSent is what Send returns: the order's answer, and the numbers the
// pre-check held back (--check-first).
type portInSent struct {
	Order    *inteliquent.OrderResponse
	HeldBack map[string]string // tn -> notPortableReason
}

func (j portIn) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	r := req.(*inteliquent.PortInOrderRequest)
	sent := &portInSent{}
	if j.checkFirst {
		held, err := notPortable(ctx, api, r)
		if err != nil {
			return nil, err
		}
		if len(held) > 0 {
			sent.HeldBack = held
			keep := r.PortInOrder.TnList.TnItem[:0:0]
			for _, it := range r.PortInOrder.TnList.TnItem {
				if _, bad := held[string(it.TN)]; !bad {
					keep = append(keep, it)
				}
			}
			if len(keep) == 0 {
				return sent, nil
			}
			cp := *r
			cp.PortInOrder.TnList.TnItem = keep
			r = &cp
		}
	}
	resp, err := api.PortInOrder(ctx, r)
	if err != nil {
		return nil, err
	}
	sent.Order = resp
	return sent, nil
}

// notPortable asks portInAvailability about a batch and returns the numbers
// it says cannot be ported, with the reason.
func notPortable(ctx context.Context, api *inteliquent.Client, r *inteliquent.PortInOrderRequest) (map[string]string, error) {
	q := &inteliquent.PortInAvailabilityRequest{}
	for _, it := range r.PortInOrder.TnList.TnItem {
		q.TnList.TnItem = append(q.TnList.TnItem, inteliquent.TnItemRef{TN: it.TN})
	}
	if r.PortInOrder.OnNetOnly == "Y" {
		q.SearchOnNetOnly = "Y"
	}
	q.Wireless = "Y"
	resp, err := api.PortInAvailability(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("check-first: %w", err)
	}
	held := map[string]string{}
	for _, sa := range resp.ServiceAvailable {
		if !sa.IsPortable {
			reason := sa.NotPortableReason
			if reason == "" {
				reason = "not portable"
			}
			held[string(sa.TelephoneNumber)] = reason
		}
	}
	return held, nil
}

func (portIn) Read(b *Batch, resp any) Result {
	s := resp.(*portInSent)
	res := Result{}
	orderID := ""
	if s.Order != nil {
		orderID = string(s.Order.OrderID)
	}
	for _, r := range b.Rows {
		if reason, held := s.HeldBack[r.Key]; held {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusExcluded, Code: inteliquent.OpPortInAvailability, Message: "held back by --check-first: " + reason}})
			continue
		}
		out := record.Outcome{Status: record.StatusPending, Code: inteliquent.PortStatusPending, OrderID: orderID,
			Message: "port-in order " + orderID + " accepted; validation and FOC follow: run iqbulk follow"}
		if orderID == "" {
			status := ""
			if s.Order != nil {
				status = s.Order.Status
			}
			out = record.Outcome{Status: record.StatusFailed, Code: inteliquent.OpPortInOrder,
				Message: strings.TrimSpace("portInOrder answered without an orderId: " + status)}
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
	}
	if orderID != "" {
		res.OrderID = orderID
		res.Orders = []record.Order{{OrderID: orderID, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID}}
	}
	return res
}

// Reconcile asks orderList for an order under the batch's
// customerOrderReference: every portInOrder the API accepts becomes an order
// at once (a shell order, validated later), so none means the request never
// arrived and the whole batch may be sent again.
func (portIn) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	for o, err := range api.OrderListIter(ctx, &inteliquent.OrderListRequest{CustomerOrderReference: b.CustomerOrderReference}) {
		if err != nil {
			return Result{}, nil, fmt.Errorf("orderList by customerOrderReference: %w", err)
		}
		if o.CustomerOrderReference != b.CustomerOrderReference || o.OrderID == "" {
			continue
		}
		id := string(o.OrderID)
		res := setAllOutcome(b, record.Outcome{Status: record.StatusPending, OrderID: id, Code: inteliquent.PortStatusPending,
			Message: "port-in order " + id + " found by customerOrderReference after a lost answer; run iqbulk follow"})
		res.OrderID = id
		res.Orders = []record.Order{{OrderID: id, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID}}
		return res, nil, nil
	}
	resend := make([]int, len(b.Rows))
	for i, r := range b.Rows {
		resend[i] = r.Seq
	}
	return Result{}, resend, nil
}

func (portIn) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followPortIn(ctx, api, o, rows)
}

// portFollowDetail is what the follow-up keeps in Order.Detail.
type portFollowDetail struct {
	ExcludedRead bool `json:"excludedRead,omitempty"`
}

// followPortIn reads a port-in order number by number (the guide: "do not
// rely on the order-level status"). Only rows recorded against this order are
// touched; rows already ok or excluded stay as they are.
func followPortIn(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	ref := inteliquent.OrderRef{OrderID: inteliquent.OrderID(o.OrderID)}
	o.Polls++
	o.CheckedAt = time.Now().UTC()
	d, err := api.OrderDetail(ctx, &inteliquent.OrderDetailRequest{OrderRef: ref})
	if err != nil {
		if inteliquent.Code(err) == "430" {
			o.Status = OrderIncomplete
			return FollowResult{Order: o, Rows: pendingRows(ours(rows, o), o, "port-in order "+o.OrderID+" is being validated")}, nil
		}
		return FollowResult{}, fmt.Errorf("orderDetail %s: %w", o.OrderID, err)
	}
	od := d.OrderDetailResponse
	setOrderStatus(&o, od.OrderStatus)
	res := FollowResult{}
	if od.OrderStatus == "" {
		res.Order = o
		res.Rows = pendingRows(ours(rows, o), o, "port-in "+orderIs(o, od.OrderStatus))
		return res, nil
	}
	if o.Status == OrderIncomplete {
		res.Order = o
		res.Rows = pendingRows(ours(rows, o), o, "port-in order "+o.OrderID+" is being validated")
		return res, nil
	}
	var det portFollowDetail
	_ = json.Unmarshal([]byte(o.Detail), &det)
	excluded := map[string]string{}
	xt, err := api.ExcludedTnList(ctx, &inteliquent.ExcludedTnListRequest{OrderRef: ref})
	if err != nil {
		return FollowResult{}, fmt.Errorf("excludedTnList %s: %w", o.OrderID, err)
	}
	for _, x := range xt.ExcludedTnList.ExcludedTnItem {
		excluded[string(x.TN)] = x.ExcludedReason
		if !det.ExcludedRead {
			res.Excluded = append(res.Excluded, excludedTn(x, o.OrderID, o.CustomerOrderReference))
		}
	}
	det.ExcludedRead = true
	if b, err := json.Marshal(det); err == nil {
		o.Detail = string(b)
	}
	onOrder := make(map[string]inteliquent.OrderTnItem, len(od.TnList.TnItem))
	for _, it := range od.TnList.TnItem {
		onOrder[string(it.TN)] = it
	}
	for _, r := range ours(rows, o) {
		if r.Status == record.StatusExcluded || r.Status == record.StatusOK {
			continue
		}
		out := record.Outcome{OrderID: o.OrderID}
		it, on := onOrder[r.Key]
		// While the order is open a number stays pending whatever the
		// follow-up sees (a number not yet on orderDetail, an exclusion the
		// API may still revise): it is decided when the order is final.
		switch reason, isExcluded := excluded[r.Key]; {
		case isExcluded && !o.Final:
			out.Status, out.Code, out.Message = record.StatusPending, inteliquent.OpExcludedTnList,
				"port-in order "+o.OrderID+" is "+o.Status+"; excludedTnList names this number: "+reason+" (decided when the order is final)"
		case isExcluded:
			out.Status, out.Code, out.Message = record.StatusExcluded, inteliquent.OpExcludedTnList, reason
		case !on && o.Status == OrderCanceled:
			out.Status, out.Code, out.Message = record.StatusFailed, OrderCanceled, "port-in order "+o.OrderID+" was canceled"
		case !on && !o.Final:
			out.Status, out.Code, out.Message = record.StatusPending, o.Status,
				"port-in order "+o.OrderID+" is "+o.Status+"; orderDetail does not list this number yet"
		case !on:
			out.Status, out.Code, out.Message = record.StatusExcluded, inteliquent.OpOrderDetail, "not on port-in order "+o.OrderID+" after validation"
		default:
			out = portOutcome(o, it)
			// Ported, but a feature orderDetail calls Failed (guide lines
			// 9894–9901, a port-in order's "dlStatus": "Failed"): the row is
			// excluded for that feature, with the reason.
			if failed := FailedFeatures(it); out.Status == record.StatusOK && len(failed) > 0 {
				out.Status, out.Code = record.StatusExcluded, inteliquent.OpOrderDetail
				out.Message += "; excluded feature: " + strings.Join(failed, "; ")
				for _, f := range failed {
					res.Excluded = append(res.Excluded, record.Excluded{Kind: "feature", OrderID: o.OrderID,
						CustomerOrderReference: o.CustomerOrderReference, TN: r.Key, Reason: f})
				}
			}
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
	}
	res.Order = o
	return res, nil
}

// ours keeps the rows recorded against the order (or not decided yet).
func ours(rows []record.Row, o record.Order) []record.Row {
	out := make([]record.Row, 0, len(rows))
	for _, r := range rows {
		if r.OrderID == "" || r.OrderID == o.OrderID {
			out = append(out, r)
		}
	}
	return out
}

// portDate renders orderDetail's portDt ("2017-08-21T00:00:00.000+0000") as
// a date.
func portDate(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		if _, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return s[:10]
		}
	}
	return s
}

// portOutcome maps one number's tnStatus (guide: Port-In Status) to a row.
func portOutcome(o record.Order, it inteliquent.OrderTnItem) record.Outcome {
	st := strings.TrimSpace(it.TnStatus)
	pd := portDate(it.PortDt)
	out := record.Outcome{OrderID: o.OrderID, Code: st,
		Extra: map[string]string{outTnStatus: st, outPortDate: pd, outTnGroup: it.TnGroup, outPortTime: strings.TrimSpace(it.PortTime),
			outRoutingLabel: strings.TrimSpace(it.RoutingLabel)}}
	switch {
	case strings.EqualFold(st, inteliquent.PortStatusActivated), strings.EqualFold(st, inteliquent.PortStatusComplete):
		out.Status, out.Message = record.StatusOK, "ported in ("+st+")"
		if pd != "" {
			out.Message += " on " + pd
		}
	case strings.EqualFold(st, inteliquent.PortStatusCanceled):
		out.Status, out.Message = record.StatusFailed, "number canceled on port-in order "+o.OrderID
	case o.Status == OrderCanceled:
		out.Status, out.Code, out.Message = record.StatusFailed, OrderCanceled, "port-in order "+o.OrderID+" was canceled ("+st+")"
	case strings.EqualFold(st, inteliquent.PortStatusReceivedFOC), strings.EqualFold(st, inteliquent.PortStatusPending) && pd != "":
		// FOC Secured (guide lines 13132–13179): tnStatus "Received FOC"
		// with portDt "2017-08-21T00:00:00.000+0000" and portTime
		// "09:00 US/Central".
		out.Status, out.Message = record.StatusPending, "FOC secured ("+st+")"
		if pd != "" {
			out.Message += "; port date " + strings.TrimSpace(pd+" "+strings.TrimSpace(it.PortTime))
		} else {
			out.Message += "; orderDetail gave no portDt yet"
		}
	case strings.EqualFold(st, inteliquent.PortStatusPending), st == "":
		out.Status, out.Message = record.StatusPending, "pending FOC from the losing carrier"
	default:
		// Jeopardy: tnStatus holds the rejection reason. Fix the row and
		// send it through port-in-fix.
		out.Status, out.Code, out.Message = record.StatusFailed, "jeopardy", st
		out.Extra[outRejectReason] = st
	}
	return out
}

func (portIn) Options() []OptionSpec {
	return []OptionSpec{{Name: OptCheckFirst, Bool: true,
		Help: "port-in: check each batch with portInAvailability first and hold back (exclude) numbers that are not portable"}}
}

func (portIn) WithOptions(opts map[string]string) (Job, error) {
	if OptionTrue(opts, OptCheckFirst) {
		return portInChecked{portIn{checkFirst: true}}, nil // steps: port_in_checked.go
	}
	return portIn{}, nil
}
