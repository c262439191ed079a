package sandbox

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The port-in operations (guide section "Port In") and orderUpdate. The
// lifecycle lives in portin.go.

type portInOrderReq struct {
	PortInOrder struct {
		CustomerOrderReference string     `json:"customerOrderReference,omitempty"`
		ResellerName           string     `json:"resellerName,omitempty"`
		DesiredDueDate         string     `json:"desiredDueDate,omitempty"`
		DesiredPortTime        string     `json:"desiredPortTime,omitempty"`
		DesiredPortTimeZone    string     `json:"desiredPortTimeZone,omitempty"`
		OnDemandActivation     string     `json:"onDemandActivation,omitempty"`
		OnNetOnly              string     `json:"onNetOnly,omitempty"`
		TnList                 portInList `json:"tnList"`
	} `json:"portInOrder"`
}

type orderUpdateReq struct {
	OrderUpdate struct {
		OrderID                flexInt     `json:"orderId,omitempty"`
		CustomerOrderReference flexString  `json:"customerOrderReference,omitempty"`
		DesiredDueDate         string      `json:"desiredDueDate,omitempty"`
		DesiredPortTime        string      `json:"desiredPortTime,omitempty"`
		DesiredPortTimeZone    string      `json:"desiredPortTimeZone,omitempty"`
		OnDemandActivation     string      `json:"onDemandActivation,omitempty"`
		TnList                 *portInList `json:"tnList,omitempty"`
	} `json:"orderUpdate"`
}

type portInActivateReq struct {
	OrderID                flexInt    `json:"orderId,omitempty"`
	CustomerOrderReference flexString `json:"customerOrderReference,omitempty"`
	TnGroup                []string   `json:"tnGroup"`
}

// parseYN reads an optional Y/N flag.
func parseYN(v, name string) (bool, answer) {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "":
		return false, nil
	case "Y":
		return true, nil
	case "N":
		return false, nil
	}
	return false, invalidValue(name)
}

// parsePortTime accepts HH:MM, and the orderUpdate example's
// "08:30:00-0600" (the first five characters are the time).
func parsePortTime(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", true
	}
	if len(v) > 5 {
		v = v[:5]
	}
	if _, err := time.Parse("15:04", v); err != nil {
		return "", false
	}
	return v, true
}

// portTerms checks the order-level port fields.
func portTerms(due, ptime, zone string, dueRequired bool) (time.Time, string, string, answer) {
	var d time.Time
	due = strings.TrimSpace(due)
	switch {
	case due == "" && dueRequired:
		return d, "", "", required("desiredDueDate")
	case due != "":
		t, err := time.Parse(time.DateOnly, due)
		if err != nil {
			return d, "", "", invalidValue("desiredDueDate")
		}
		d = t
	}
	pt, ok := parsePortTime(ptime)
	if !ok {
		return d, "", "", invalidValue("desiredPortTime")
	}
	zone = strings.TrimSpace(zone)
	if zone != "" {
		if _, ok := portTimeZones[zone]; !ok {
			return d, "", "", invalidValue("desiredPortTimeZone")
		}
	}
	return d, pt, zone, nil
}

// portItemRequired names the first required field an item lacks.
func portItemRequired(it *portInItem) string {
	switch {
	case string(it.AccountNum) == "":
		return "accountNum"
	case string(it.Atn) == "":
		return "atn"
	case strings.TrimSpace(it.AuthName) == "":
		return "authName"
	case strings.TrimSpace(it.AuthDate) == "":
		return "authDate"
	case len(it.EndUser) == 0:
		return "endUser"
	}
	for _, k := range []string{"name", "streetNum", "streetName", "city", "state", "postalCode", "typeOfService"} {
		if it.EndUser.get(k) == "" {
			return "endUser." + k
		}
	}
	return ""
}

func validTypeOfService(v string) bool {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "B", "BUSINESS", "R", "RESIDENCE":
		return true
	}
	return false
}

// portInOrder places a port-in order: required fields are checked at once,
// everything else in the background (Order Validation).
func (st *state) portInOrder(now time.Time, req *portInOrderReq) answer {
	po := &req.PortInOrder
	items := po.TnList.TnItem
	if len(items) == 0 {
		return required("tnList")
	}
	due, ptime, zone, bad := portTerms(po.DesiredDueDate, po.DesiredPortTime, po.DesiredPortTimeZone, true)
	if bad != nil {
		return bad
	}
	if ptime != "" && zone == "" {
		zone = "US/Eastern"
	}
	onDemand, bad := parseYN(po.OnDemandActivation, "onDemandActivation")
	if bad != nil {
		return bad
	}
	onNet, bad := parseYN(po.OnNetOnly, "onNetOnly")
	if bad != nil {
		return bad
	}
	if bad := portItemsLimits(items); bad != nil {
		return bad
	}
	today := day(now)
	perCarrier := map[int]int{}
	for i := range items {
		it := &items[i]
		if f := portItemRequired(it); f != "" {
			return required(f)
		}
		ad, err := time.Parse(time.DateOnly, strings.TrimSpace(it.AuthDate))
		if err != nil || ad.After(today) {
			return invalidValue("authDate")
		}
		if !validTypeOfService(it.EndUser.get("typeOfService")) {
			return invalidValue("typeOfService")
		}
		if cn := it.TnFeature; cn != nil && cn.CallerID.get("callingName") != "" && !validCallingName(cn.CallerID.get("callingName")) {
			return invalidValue("callingName")
		}
		// guide 6977: "trunkGroup is required if feature is requested for
		// specific TN"
		if hasFeatures(&tnItem{TnFeature: it.TnFeature}) && strings.TrimSpace(it.TrunkGroup) == "" {
			return required("trunkGroup")
		}
		if tn, ok := parseTN(string(it.TN)); ok {
			perCarrier[carrierOf(st.w, tn)]++
		}
	}
	if onDemand {
		// guide 6916: "200 or fewer per losing carrier", counted over this
		// request and the numbers of every open on-demand port order.
		for c, n := range st.openOnDemand(now) {
			perCarrier[c] += n
		}
		for _, n := range perCarrier {
			if n > onDemandMax {
				return fail("414", "Invalid Input parameters: onDemandActivation allows 200 or fewer numbers per losing carrier")
			}
		}
	}
	reseller := strings.TrimSpace(po.ResellerName) != ""
	asItems := make([]tnItem, len(items))
	for i := range items {
		asItems[i] = tnItem{TN: items[i].TN, TrunkGroup: items[i].TrunkGroup, PortOutPin: items[i].PortOutPin,
			TnNote: items[i].TnNote, EndUser: items[i].EndUser, TnFeature: items[i].TnFeature}
	}
	valid, ex := screen(asItems, func(tn uint64, it *tnItem) string {
		if r := st.portReason(tn, now, onNet); r != "" {
			return r
		}
		// guide 6979: "Reseller Name is not required for API call but
		// required for Canadian Port Orders": the call is accepted, the
		// Canadian numbers fail background validation.
		if !reseller && st.w.rcOf(tn).tier == "CAN" {
			return reasonResellerCanada
		}
		if it.TrunkGroup != "" && !st.hasTrunk(it.TrunkGroup) {
			return reasonTrunkGroup
		}
		return ""
	})
	o := st.newOrder(now, kindPortIn, po.CustomerOrderReference, len(items), false)
	o.ProductID, o.ServiceOrder, o.ProductName = 113, "New", "LNP Port-In"
	o.Background = true // every port-in is validated in the background
	o.Excluded = ex
	p := &portOrder{o: o, due: due, portTime: ptime, zone: zone, onDemand: onDemand, onNet: onNet, byTN: map[uint64]*portItem{}}
	o.port = p
	byTN := map[string]*portInItem{}
	for i := range items {
		if tn, ok := parseTN(string(items[i].TN)); ok {
			if _, dup := byTN[tnString(tn)]; !dup {
				byTN[tnString(tn)] = &items[i]
			}
		}
	}
	for i, v := range valid {
		data := *byTN[tnString(v.tn)]
		data.EndUser = cloneFields(data.EndUser)
		it := &portItem{tn: v.tn, data: data, carrier: carrierOf(st.w, v.tn), cycle: o.PendingAt}
		// E911 requested with the port is validated in the background like
		// an order's (addressbook.go): what fails is in excludedE911Detail.
		if f := data.TnFeature; f != nil && len(f.E911) > 0 && !removing(f.E911) {
			if reason := st.w.addrs.orderE911Reason(f.E911); reason != "" {
				o.E911Excl = append(o.E911Excl, e911Exclusion{tnString(v.tn), cloneFields(f.E911), reason})
			}
		}
		p.items = append(p.items, it)
		p.byTN[v.tn] = it
		o.Valid = append(o.Valid, v.tn)
		o.Items[v.tn] = v.item

		r := st.rec(v.tn, true)
		rc := st.w.rcOf(v.tn)
		r.reservedUntil = time.Time{}
		r.life = life{order: o, idx: i}
		r.tg = data.TrunkGroup
		if r.tg == "" {
			r.tg = st.trunks[0]
		}
		r.tgPrev, r.tgOrder, r.change = "", nil, nil
		r.portOutPin, r.tnNote = "", data.TnNote
		if pin := string(data.PortOutPin); pin != "" && rc.pinSupported() {
			r.portOutPin = pin
		}
		r.endUser = cloneFields(data.EndUser)
		r.callerID, r.dl, r.e911, r.msg = fields{"cnamDip": "N"}, nil, nil, nil
		r.activateUser = "api_user"
		r.everAssigned = true
		st.assigned[v.tn] = struct{}{}
	}
	p.refresh(st)
	return orderAnswer{success(), orderIDText(o)}
}

// orderUpdate corrects a pending port-in order. Per-number refusals use
// tnOrder's status grammar; statusCode is the number 200 as in the guide.
func (st *state) orderUpdate(now time.Time, req *orderUpdateReq) answer {
	u := &req.OrderUpdate
	id, ref := int64(u.OrderID), strings.TrimSpace(string(u.CustomerOrderReference))
	if id == 0 && ref == "" {
		return required("orderId")
	}
	o := st.findOrder(id, ref)
	if o == nil {
		return orderNotFound
	}
	p := portOrderOf(o)
	if p == nil {
		return fail("410", "Invalid Request: the sandbox updates port-in orders only")
	}
	if o.status(now) != "Pending" {
		return fail("410", "Invalid Request: only orders in Pending status can be updated")
	}
	if u.TnList != nil {
		if bad := portItemsLimits(u.TnList.TnItem); bad != nil {
			return bad
		}
	}
	if (strings.TrimSpace(u.DesiredPortTime) == "") != (strings.TrimSpace(u.DesiredPortTimeZone) == "") {
		if strings.TrimSpace(u.DesiredPortTime) == "" {
			return required("desiredPortTime")
		}
		return required("desiredPortTimeZone")
	}
	due, ptime, zone, bad := portTerms(u.DesiredDueDate, u.DesiredPortTime, u.DesiredPortTimeZone, false)
	if bad != nil {
		return bad
	}
	var onDemand *bool
	if strings.TrimSpace(u.OnDemandActivation) != "" {
		v, bad := parseYN(u.OnDemandActivation, "onDemandActivation")
		if bad != nil {
			return bad
		}
		onDemand = &v
	}
	var items []portInItem
	if u.TnList != nil {
		items = u.TnList.TnItem
	}
	today := day(now)
	for i := range items {
		it := &items[i]
		if ad := strings.TrimSpace(it.AuthDate); ad != "" {
			t, err := time.Parse(time.DateOnly, ad)
			if err != nil || t.After(today) {
				return invalidValue("authDate")
			}
		}
		if tos := it.EndUser.get("typeOfService"); tos != "" && !validTypeOfService(tos) {
			return invalidValue("typeOfService")
		}
	}
	if !due.IsZero() {
		p.due = due
	}
	if ptime != "" {
		p.portTime, p.zone = ptime, zone
	}
	if onDemand != nil {
		p.onDemand = *onDemand
	}
	var ex []exclusion
	seen := map[uint64]bool{}
	for i := range items {
		in := &items[i]
		tn, ok := parseTN(string(in.TN))
		switch {
		case !ok:
			ex = append(ex, exclusion{string(in.TN), reasonInvalid})
			continue
		case seen[tn]:
			ex = append(ex, exclusion{tnString(tn), reasonDuplicate})
			continue
		}
		seen[tn] = true
		it := p.byTN[tn]
		if it == nil {
			ex = append(ex, exclusion{tnString(tn), reasonNotOnOrder})
			continue
		}
		switch s, _ := p.itemStatus(it, now); s {
		case "Complete", "Activated", "Canceled":
			ex = append(ex, exclusion{tnString(tn), reasonNotPending})
			continue
		}
		if in.TrunkGroup != "" && !st.hasTrunk(in.TrunkGroup) {
			ex = append(ex, exclusion{tnString(tn), reasonTrunkGroup})
			continue
		}
		if strings.EqualFold(strings.TrimSpace(in.CancelTn), "Y") {
			it.canceledAt = now
			continue
		}
		mergePortItem(&it.data, in)
		it.cycle = now // corrected data goes back to the losing carrier
		if r := st.rec(tn, false); r != nil {
			if in.TrunkGroup != "" {
				r.tg = in.TrunkGroup
			}
			if in.TnNote != "" {
				r.tnNote = in.TnNote
			}
			if len(in.EndUser) > 0 {
				r.endUser = cloneFields(it.data.EndUser)
			}
		}
	}
	p.refresh(st)
	return envelope{exclusionStatus(ex), 200}
}

// mergePortItem applies the fields an orderUpdate item sends.
func mergePortItem(dst, src *portInItem) {
	set := func(d *string, s string) {
		if s = strings.TrimSpace(s); s != "" {
			*d = s
		}
	}
	set(&dst.TrunkGroup, src.TrunkGroup)
	set(&dst.TnNote, src.TnNote)
	set(&dst.AuthName, src.AuthName)
	set(&dst.AuthDate, src.AuthDate)
	if v := strings.TrimSpace(string(src.PortOutPin)); v != "" {
		dst.PortOutPin = flexString(v)
	}
	if v := strings.TrimSpace(string(src.AccountNum)); v != "" {
		dst.AccountNum = flexString(v)
	}
	if v := strings.TrimSpace(string(src.AccountPin)); v != "" {
		dst.AccountPin = flexString(v)
	}
	if v := strings.TrimSpace(string(src.Atn)); v != "" {
		dst.Atn = tnValue(v)
	}
	if len(src.EndUser) > 0 {
		if dst.EndUser == nil {
			dst.EndUser = fields{}
		}
		for k, v := range src.EndUser {
			if strings.TrimSpace(v) != "" {
				dst.EndUser[k] = v
			}
		}
	}
}

// portInOrderActivate activates the requested groups that are available now;
// the answer packs one result per group into status, as the guide shows.
func (st *state) portInOrderActivate(now time.Time, req *portInActivateReq) answer {
	id, ref := int64(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && ref == "" {
		return required("orderId")
	}
	if len(req.TnGroup) == 0 {
		return required("tnGroup")
	}
	o := st.findOrder(id, ref)
	if o == nil {
		return orderNotFound
	}
	p := portOrderOf(o)
	if p == nil {
		return fail("410", "Invalid Request: not a port-in order")
	}
	_, members := p.availableGroups(now)
	var b strings.Builder
	for _, g := range req.TnGroup {
		g = strings.TrimSpace(g)
		b.WriteString("tnGroup:" + g + " Status:")
		if its, ok := members[g]; ok {
			for _, it := range its {
				it.activatedAt = now
			}
			delete(members, g)
			b.WriteString("Success|")
			continue
		}
		// The guide's text: "TN group not available for port" + the group.
		b.WriteString("{1=[TN group not available for port" + g + "]}|")
	}
	b.WriteString("}")
	p.refresh(st)
	return envelope{b.String(), "200"}
}

const isoOffset = "2006-01-02T15:04:05.000-0700"

func portTimeText(p *portOrder) string {
	if p.portTime == "" {
		return ""
	}
	return p.portTime + " " + p.zone
}

// portInOrderDetail is orderDetail for a port-in order: per-number tnStatus,
// portDt once the FOC is received, tnGroup, account and authorization data.
func (s *Server) portInOrderDetail(now time.Time, o *order, p *portOrder) answer {
	st := s.st
	items := []map[string]any{}
	if o.validated(now) {
		for _, it := range p.items {
			rc := st.w.rcOf(it.tn)
			status, pd := p.itemStatus(it, now)
			eu := cloneFields(it.data.EndUser)
			if eu == nil {
				eu = fields{}
			}
			eu["status"] = "Received"
			tg := it.data.TrunkGroup
			if r := st.rec(it.tn, false); r != nil {
				tg = r.tg
			}
			row := map[string]any{
				"tn": it.tn, "portOutPin": string(it.data.PortOutPin), "trunkGroup": tg, "endUser": eu, "tnFeature": map[string]any{},
				"tnGroup": p.group(it), "accountNum": string(it.data.AccountNum), "atn": string(it.data.Atn),
				"lata": rc.lata, "rateCenter": rc.abbr, "province": rc.state, "tnStatus": status,
				"portTime": portTimeText(p), "authName": it.data.AuthName, "authDate": it.data.AuthDate,
				"accountPin": string(it.data.AccountPin), "routingLabel": "",
			}
			if !pd.IsZero() {
				row["portDt"] = pd.Format(isoOffset)
			}
			items = append(items, row)
		}
	}
	return obj{success(), map[string]any{"orderDetailResponse": map[string]any{
		"tnList": map[string]any{"tnItem": items}, "orderId": o.ID, "orderStatus": o.status(now),
		"productName": o.ProductName, "serviceOrderName": o.ServiceOrder, "customerOrderReference": o.Ref,
		"createdUser": "api_user", "createdDate": day(o.Created).Format(isoOffset),
		"desiredDueDate": p.due.Format(isoOffset), "desiredPortTime": portTimeText(p), "orderNotes": noteRows(o, false),
	}}}
}

type portInAvailabilityReq struct {
	ReturnServiceProviderName flexBool `json:"returnServiceProviderName"`
	SearchOnNetOnly           string   `json:"searchOnNetOnly"`
	Wireless                  string   `json:"wireless"`
	TnList                    tnList   `json:"tnList"`
}

// portInAvailability answers per number; see doc.go for the rules.
func (s *Server) portInAvailability(now time.Time, raw []byte) answer {
	var req portInAvailabilityReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	if len(req.TnList.TnItem) == 0 {
		return required("tnList")
	}
	onNet, bad := parseYN(req.SearchOnNetOnly, "searchOnNetOnly")
	if bad != nil {
		return bad
	}
	wireless, bad := parseYN(req.Wireless, "wireless")
	if bad != nil {
		return bad
	}
	st := s.st
	rows := make([]map[string]any, 0, len(req.TnList.TnItem))
	for _, it := range req.TnList.TnItem {
		row := map[string]any{"telephoneNumber": string(it.TN), "isPortable": false, "serviceProviderName": "",
			"localRoutingNumber": "", "rateCenterTier": "", "notPortableReason": ""}
		tn, ok := parseTN(string(it.TN))
		if !ok {
			row["notPortableReason"] = reasonInvalid
			rows = append(rows, row)
			continue
		}
		row["telephoneNumber"] = tnString(tn)
		reason := st.portReason(tn, now, onNet)
		bl, _, known := st.w.lookup(tn)
		if known {
			row["rateCenterTier"] = rateCenters[bl.rc].tier
			if reason == "" && bl.wireless && !wireless {
				reason = reasonWirelessFlag
			}
		}
		if reason != "" {
			row["notPortableReason"] = reason
			rows = append(rows, row)
			continue
		}
		row["isPortable"] = true
		if req.ReturnServiceProviderName {
			row["serviceProviderName"] = losingCarriers[carrierOf(st.w, tn)]
			row["localRoutingNumber"] = tnString(uint64(bl.npanxx)*10000 + 9999)
		}
		rows = append(rows, row)
	}
	return obj{success(), map[string]any{"serviceAvailable": rows}}
}

func (s *Server) portInOrderAvailableActivation(now time.Time, raw []byte) answer {
	o, _, bad := s.lookupOrder(raw)
	if bad != nil {
		return bad
	}
	p := portOrderOf(o)
	if p == nil {
		return fail("410", "Invalid Request: not a port-in order")
	}
	names, members := p.availableGroups(now)
	if len(names) == 0 {
		return fail("430", "No Results Found")
	}
	rows := make([]map[string]any, len(names))
	for i, g := range names {
		its := members[g]
		tns := make([]map[string]any, len(its))
		for j, it := range its {
			tns[j] = map[string]any{"tn": it.tn}
		}
		rows[i] = map[string]any{"tnGroup": g, "focDt": p.portDate(its[0]).Format("2006-01-02 15:04:05.0"),
			"tnList": map[string]any{"tnItem": tns}}
	}
	return obj{success(), map[string]any{"availableActivationList": rows}}
}

// portInOrderTnList lists every number of every Pending port-in order.
func (s *Server) portInOrderTnList(now time.Time, _ []byte) answer {
	var rows []map[string]any
	for _, o := range s.st.orderSeq {
		p := portOrderOf(o)
		if p == nil || o.status(now) != "Pending" {
			continue
		}
		for _, it := range p.items {
			status, _ := p.itemStatus(it, now)
			reject := ""
			switch status {
			case "Canceled":
				continue
			case "Pending", "Received FOC", "Complete", "Activated":
			default:
				reject = status
			}
			rows = append(rows, map[string]any{
				"orderId": o.ID, "customerOrderReference": o.Ref, "orderStatus": "Pending",
				"desiredDueDate": p.due.Format(isoOffset), "createdDate": day(o.Created).Format(isoOffset),
				"createdUser": "api_user", "rejectReasonName": reject, "tn": tnString(it.tn),
				"processName": p.group(it), "tnStatus": status,
			})
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"orderList": map[string]any{"orderType": rows}}}
}

type portInOrderListReq struct {
	OrderID                flexInt    `json:"orderId"`
	CustomerOrderReference flexString `json:"customerOrderReference"`
	OrderStatus            string     `json:"orderStatus"`
	CreatedDateStartRange  string     `json:"createdDateStartRange"`
	CreatedDateEndRange    string     `json:"createdDateEndRange"`
	TN                     tnValue    `json:"tn"`
	PageSort               *pageSort  `json:"pageSort"`
}

// portInOrderList lists port-in orders with per-status quantities. The
// guide's footnote requiring orderId or customerOrderReference is not
// enforced (it would make the list pointless).
func (s *Server) portInOrderList(now time.Time, raw []byte) answer {
	var req portInOrderListReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	status := strings.ToUpper(strings.TrimSpace(req.OrderStatus))
	switch status {
	case "", "INCOMPLT", "PENDING", "PCNCL", "CNCL", "CLSD":
	default:
		return invalidValue("orderStatus")
	}
	var tn uint64
	if string(req.TN) != "" {
		var ok bool
		if tn, ok = parseTN(string(req.TN)); !ok {
			return invalidValue("tn")
		}
	}
	ref := strings.TrimSpace(string(req.CustomerOrderReference))
	var list []*order
	for _, o := range s.st.orderSeq {
		p := portOrderOf(o)
		created := o.Created.UTC().Format(time.DateOnly)
		switch {
		case p == nil,
			req.OrderID != 0 && o.ID != int64(req.OrderID),
			ref != "" && o.Ref != ref,
			status != "" && statusCodeOf(o.status(now)) != status,
			tn != 0 && !o.hasTN(tn),
			req.CreatedDateStartRange != "" && created < req.CreatedDateStartRange,
			req.CreatedDateEndRange != "" && created > req.CreatedDateEndRange:
			continue
		}
		list = append(list, o)
	}
	if len(list) == 0 {
		return fail("430", "No Results Found")
	}
	prop, dir := "", ""
	if req.PageSort != nil {
		prop, dir = req.PageSort.Property, strings.ToLower(req.PageSort.Direction)
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		less := a.ID < b.ID
		switch prop {
		case "customerOrderReference":
			less = a.Ref < b.Ref
		case "desiredDueDate", "focDate":
			less = a.port.due.Before(b.port.due)
		}
		if dir == "desc" {
			return !less
		}
		return less
	})
	page, size, bad := pageArgs(req.PageSort)
	if bad != nil {
		return bad
	}
	start := min(len(list), (page-1)*size)
	end := min(len(list), start+size)
	rows := make([]map[string]any, 0, end-start)
	for _, o := range list[start:end] {
		rows = append(rows, portInSummary(o, now))
	}
	return obj{success(), map[string]any{"orderList": map[string]any{"orderType": rows},
		"page": strconv.Itoa(page), "totalPages": strconv.Itoa(pagesOf(len(list), size)), "totalItems": strconv.Itoa(len(list)),
		"searchId": strconv.FormatInt(141213700000+int64(len(list)), 10)}}
}

func portInSummary(o *order, now time.Time) map[string]any {
	p := o.port
	type agg struct{ total, foc, rejected, activated int }
	var all agg
	byDate := map[string]*agg{}
	var dates []string
	rejects := map[string]int{}
	var reasons []string
	if o.validated(now) {
		for _, it := range p.items {
			status, pd := p.itemStatus(it, now)
			key := ""
			if !pd.IsZero() {
				key = pd.Format(isoOffset)
			}
			a := byDate[key]
			if a == nil {
				a = &agg{}
				byDate[key] = a
				dates = append(dates, key)
			}
			all.total++
			a.total++
			switch status {
			case "Pending", "Canceled":
			case "Received FOC":
				all.foc++
				a.foc++
			case "Complete", "Activated":
				all.activated++
				a.activated++
			default:
				all.rejected++
				a.rejected++
				if rejects[status] == 0 {
					reasons = append(reasons, status)
				}
				rejects[status]++
			}
		}
	}
	sort.Strings(dates)
	focItems := make([]map[string]any, 0, len(dates))
	for _, d := range dates {
		a := byDate[d]
		it := map[string]any{"tnQuantity": a.total, "focTnQuantity": a.foc, "rejectedTnQuantity": a.rejected, "activatedTnQuantity": a.activated}
		if d != "" {
			it["portDate"] = d
		}
		focItems = append(focItems, it)
	}
	rejectItems := make([]map[string]any, 0, len(reasons))
	for _, r := range reasons {
		rejectItems = append(rejectItems, map[string]any{"rejectReason": r, "rejectedTnQuantity": rejects[r]})
	}
	qty := o.Requested
	if o.validated(now) {
		qty = len(p.items)
	}
	return map[string]any{
		"orderId": o.ID, "orderStatus": o.status(now), "customerOrderReference": o.Ref,
		"desiredDueDate": p.due.Format(isoOffset), "tnQuantity": qty, "createdDate": day(o.Created).Format(isoOffset),
		"createdUser": "api_user", "focTnQuantity": all.foc, "rejectedTnQuantity": all.rejected, "activatedTnQuantity": all.activated,
		"focList": map[string]any{"focItem": focItems}, "rejectReasonList": map[string]any{"rejectReasonItem": rejectItems},
	}
}

type csrReq struct {
	TN         tnValue    `json:"tn"`
	AccountNum flexString `json:"accountNum"`
	Atn        tnValue    `json:"atn"`
}

// csrFailures are the guide's example numbers that fail, with its texts.
var csrFailures = map[string]string{
	"1111111111": "Failure: Carrier did not respond with valid CSR",
	"2222222222": "Failure: Carrier does not support automated CSR lookups",
}

// tnCsrLookup synthesises the losing carrier's customer service record.
func (s *Server) tnCsrLookup(now time.Time, raw []byte) answer {
	var req csrReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	tnText := strings.TrimSpace(string(req.TN))
	if tnText == "" {
		if string(req.AccountNum) != "" {
			return required("tn")
		}
		tnText = strings.TrimSpace(string(req.Atn))
	}
	if tnText == "" {
		return required("tn")
	}
	empty := func(tn, msg string) answer {
		r := map[string]any{"tn": tn, "accountNum": "", "atn": "", "endUser": "", "endUserAddress": "",
			"streetNum": "", "streetPreDir": "", "streetName": "", "streetType": "", "streetPostDir": "",
			"locationType1": "", "locationValue1": "", "locationType2": "", "locationValue2": "", "locationType3": "", "locationValue3": "",
			"city": "", "state": "", "postalCode": "", "typeOfService": "", "serviceProvider": "", "ocn": "",
			"numOfServiceLocations": 0, "numOfTnLines": 0, "authName": "", "remarks": "", "lsrRequirements": "", "simplePort": "",
			"csrLookupMsg": msg, "csrLookupResult": 1}
		return obj{success(), map[string]any{"tnCsrLookupResponse": r}}
	}
	if msg, ok := csrFailures[tnText]; ok {
		return empty(tnText, msg)
	}
	if tnText == "0000000000" {
		return obj{success(), map[string]any{"tnCsrLookupResponse": map[string]any{
			"tn": "0000000000", "accountNum": "9876", "atn": "0000000000", "endUser": "Inteliquent",
			"endUserAddress": "Inteliquent 10300 6th Ave N Minneapolis, MN 55441", "streetNum": "10300", "streetPreDir": "",
			"streetName": "6th", "streetType": "Ave", "streetPostDir": "N", "locationType1": "", "locationValue1": "",
			"locationType2": "", "locationValue2": "", "locationType3": "", "locationValue3": "", "city": "Minneapolis",
			"state": "MN", "postalCode": "55441", "earliestScheduledDate": day(now).Add(72 * time.Hour).Format(time.DateOnly),
			"typeOfService": "B", "serviceProvider": "Onvoy:4899 - SVR/1", "ocn": "453F", "numOfServiceLocations": 1,
			"numOfTnLines": 1, "authName": "Jane Doe", "authDate": day(now).Format(time.DateOnly), "remarks": "Remarks",
			"lsrRequirements": "PIN required", "simplePort": "N", "csrLookupMsg": "Success", "csrLookupResult": 0}}}
	}
	tn, ok := parseTN(tnText)
	if !ok {
		return invalidValue("tn")
	}
	bl, _, known := s.st.w.lookup(tn)
	if !known || s.st.portReason(tn, now, false) == reasonAssigned {
		return empty(tnString(tn), csrFailures["1111111111"])
	}
	rc := &rateCenters[bl.rc]
	acct, atn := csrAccount(tn)
	streetNum := strconv.Itoa(100 + int(tn%10000/100))
	name := "Customer " + acct
	var group []map[string]any
	for i := uint64(1); i <= 2; i++ {
		if sib := atn + i; sib != tn {
			group = append(group, map[string]any{"tn": tnString(sib)})
		}
	}
	return obj{success(), map[string]any{"tnCsrLookupResponse": map[string]any{
		"tn": tnString(tn), "accountNum": acct, "atn": tnString(atn), "endUser": name,
		"endUserAddress": fmt.Sprintf("%s Main St, %s, %s %s", streetNum, rc.city, rc.state, rc.postal),
		"streetNum":      streetNum, "streetPreDir": "", "streetName": "Main", "streetType": "St", "streetPostDir": "",
		"locationType1": "", "locationValue1": "", "locationType2": "", "locationValue2": "", "locationType3": "", "locationValue3": "",
		"city": rc.city, "state": rc.state, "postalCode": rc.postal, "typeOfService": "B",
		"serviceProvider": losingCarriers[carrierOf(s.st.w, tn)], "ocn": fmt.Sprintf("%04d", tn/10000%10000),
		"numOfServiceLocations": 1, "numOfTnLines": 100, "authName": "Pat Customer",
		"authDate": day(now).AddDate(0, 0, -30).Format(time.DateOnly), "earliestScheduledDate": day(now).Add(72 * time.Hour).Format(time.DateOnly),
		"remarks": "", "lsrRequirements": "", "simplePort": "Y", "csrLookupMsg": "Success", "csrLookupResult": 0,
		"tnGroup": group,
	}}}
}

// openOnDemand counts, per losing carrier, the numbers of open on-demand
// port orders that are neither canceled nor activated.
func (st *state) openOnDemand(now time.Time) map[int]int {
	out := map[int]int{}
	for _, o := range st.orderSeq {
		p := o.port
		if p == nil || !p.onDemand || !o.open(now) {
			continue
		}
		for _, it := range p.items {
			if it.canceledAt.IsZero() && it.activatedAt.IsZero() {
				out[it.carrier]++
			}
		}
	}
	return out
}
