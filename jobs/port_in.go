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
	// checkFirst: --check-first, run as steps by portInChecked
	// (port_in_checked.go), never by Send.
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
	cols := []Column{
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
		col("location_type3", false, "location type 3 (e.g. Flr, Ste); port-in only (orderUpdate has no location 3)", "", "locationtype3", "csr_location_type3"),
		col("location_value3", false, "location value 3 (e.g. 900); port-in only", "", "locationvalue3", "csr_location_value3"),
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
	if !required {
		// port-in-fix: orderUpdate has no location 3 (its table stops at
		// locationValue2), no resellerName and no onNetOnly.
		out := cols[:0]
		for _, c := range cols {
			if !portInOnly[c.Name] {
				out = append(out, c)
			}
		}
		// orderUpdate's tnFeature.messaging corrects the messaging of the
		// port-in item.
		return append(out, portMessagingColumns()...)
	}
	cols = append(cols,
		col("reseller_name", false, "name of the reseller/losing carrier; required for a Canadian number (NANP area code of Canada, e.g. 416)", "", "resellername", "reseller", "reseller name"),
		col("on_net_only", false, "Y: order on-net (Tier 0) ports only; the others are excluded", "", "onnetonly", "on net only", "on-net only"))
	return append(cols, portMessagingColumns()...)
}

// portMessagingColumns are the messaging columns of port-in and port-in-fix.
func portMessagingColumns() []Column {
	var cols []Column
	for _, f := range portMessagingFields() {
		cols = append(cols, Column{Column: readers.Column{Name: f.col, Aliases: f.aliases,
			Help: f.help + "; port-in: with trunk_group (the guide: trunkGroup is required if a feature is requested)"}, Example: ""})
	}
	return cols
}

// portInOnly are the port-in columns orderUpdate (port-in-fix) cannot send.
var portInOnly = map[string]bool{"location_type3": true, "location_value3": true}

// portMessagingFields are tn-order's messaging columns (features.go), the
// guide's tnFeature.messaging of a portInOrder item.
func portMessagingFields() []featureField {
	var out []featureField
	for _, f := range featureFields() {
		if f.group == groupMessaging {
			out = append(out, f)
		}
	}
	return out
}

// portRules are a column's rules: portFieldRules, or the messaging field's.
func portRules(name string) []readers.Rule {
	if r, ok := portFieldRules[name]; ok {
		return r
	}
	for _, f := range portMessagingFields() {
		if f.col == name {
			return f.rules
		}
	}
	return nil
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
	// The guide gives no length for resellerName and the location
	// type/value fields (the Character Limits table has none).
	"on_net_only": {readers.YN},
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
		for _, rule := range portRules(name) {
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
	errs = append(errs, portInRules(r.Line, tn, f)...)
	return Parsed{Key: tn, Group: portGroupKey(f), Fields: f}, errs
}

// portInRules are the portInOrder rules that span columns:
//   - messaging: messageClass and messageType together ("****Required if
//     tnFeature contains messaging", tnOrder's table, the same object), and
//     "trunkGroup is required if feature is requested for specific TN";
//   - "Reseller Name is not required for API call but required for
//     Canadian Port Orders": a number is Canadian when its area code is one
//     of Canada's NANP area codes (canadianNPA).
func portInRules(line int, tn string, f map[string]string) []error {
	errs := messagingTogether(line, f)
	if portFeature(f) != nil {
		if f["trunk_group"] == "" {
			errs = append(errs, &readers.FieldError{Line: line, Column: "trunk_group",
				Reason: "is required with messaging (the guide: trunkGroup is required if feature is requested for specific TN)"})
		}
	}
	if len(tn) == 10 && canadianNPA[tn[:3]] && f["reseller_name"] == "" {
		errs = append(errs, &readers.FieldError{Line: line, Column: "reseller_name",
			Reason: "is required for a Canadian number (area code " + tn[:3] + "; the guide: Reseller Name is required for Canadian Port Orders)"})
	}
	return errs
}

// messagingTogether: messageClass and messageType are sent together
// ("****Required if tnFeature contains messaging").
func messagingTogether(line int, f map[string]string) []error {
	if portFeature(f) == nil {
		return nil
	}
	var errs []error
	for _, mf := range portMessagingFields() {
		if mf.requiredInGroup && f[mf.col] == "" {
			errs = append(errs, &readers.FieldError{Line: line, Column: mf.col,
				Reason: "is required when any messaging column is set (the guide: required if tnFeature contains messaging)"})
		}
	}
	return errs
}

// canadianNPA are Canada's geographic NANP area codes (CNAC's list, 2026):
// the guide does not say how a number is known to be Canadian, the area
// code is what the number itself tells.
var canadianNPA = func() map[string]bool {
	m := map[string]bool{}
	for _, npa := range strings.Fields(`204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416
		418 428 431 437 438 450 460 468 474 506 514 519 537 548 568 579 581 584 587 604 613 639 647 672 683
		705 709 742 753 778 780 782 807 819 825 867 873 879 902 905 942`) {
		m[npa] = true
	}
	return m
}()

// portGroupKey is the order a row belongs to: the losing carrier wants one
// order per account, and an order has one due date, port time and activation
// mode.
func portGroupKey(f map[string]string) string {
	onDemand := f["on_demand_activation"]
	if onDemand == "" {
		onDemand = "N"
	}
	onNet := f["on_net_only"]
	if onNet == "" {
		onNet = "N"
	}
	return strings.Join([]string{f["desired_due_date"], f["desired_port_time"], f["desired_port_time_zone"], onDemand,
		f["account_num"], f["atn"], onNet, f["reseller_name"]}, "|")
}

func endUserOf(f map[string]string) *inteliquent.EndUser {
	eu := &inteliquent.EndUser{
		Name: f["end_user_name"], StreetNum: inteliquent.FlexString(f["street_num"]), StreetPreDir: f["street_pre_dir"],
		StreetName: f["street_name"], StreetType: f["street_type"], StreetPostDir: f["street_post_dir"],
		LocationType1: f["location_type1"], LocationValue1: inteliquent.FlexString(f["location_value1"]),
		LocationType2: f["location_type2"], LocationValue2: inteliquent.FlexString(f["location_value2"]),
		LocationType3: f["location_type3"], LocationValue3: inteliquent.FlexString(f["location_value3"]),
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
	po.OnNetOnly = first["on_net_only"]
	po.ResellerName = first["reseller_name"]
	for _, r := range b.Rows {
		f := r.Fields
		po.TnList.TnItem = append(po.TnList.TnItem, inteliquent.PortInOrderItem{
			TN: inteliquent.TN(r.Key), TrunkGroup: f["trunk_group"], PortOutPin: f["port_out_pin"], TnNote: f["tn_note"],
			AccountNum: f["account_num"], Atn: inteliquent.TN(f["atn"]), AccountPin: f["account_pin"],
			AuthName: f["auth_name"], AuthDate: f["auth_date"], EndUser: endUserOf(f), TnFeature: portFeature(f),
		})
	}
	return req, nil
}

// portFeature is the item's tnFeature: the messaging columns, built as
// tn-order builds them (buildFeatures); nil without messaging.
func portFeature(f map[string]string) *inteliquent.TnFeature {
	msg := map[string]string{}
	for _, mf := range portMessagingFields() {
		if v := f[mf.col]; v != "" {
			msg[mf.col] = v
		}
	}
	_, tf := buildFeatures(msg)
	return tf
}

// portInSent is what Send returns: the order's answer.
type portInSent struct {
	Order *inteliquent.OrderResponse
}

// Send places the order. --check-first is portInChecked (port_in_checked.go):
// the check and the order are two steps with their own records.
func (portIn) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	resp, err := api.PortInOrder(ctx, req.(*inteliquent.PortInOrderRequest))
	if err != nil {
		return nil, err
	}
	return &portInSent{Order: resp}, nil
}

func (portIn) Read(b *Batch, resp any) Result {
	s := resp.(*portInSent)
	res := Result{}
	orderID := ""
	if s.Order != nil {
		orderID = string(s.Order.OrderID)
	}
	for _, r := range b.Rows {
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
