package sandbox

import (
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
		// The item's tnFeature (callerId, messaging ...) goes on the number
		// as tnOrder's does (applyFeatures); a feature the rate center does
		// not offer is excluded and Failed in orderDetail. E911 is screened
		// above (E911Excl).
		if data.TnFeature != nil {
			fx, e911Bad := featureExclusions(st.w.addrs, rc, &tnItem{TnFeature: data.TnFeature})
			for _, x := range fx {
				o.FeatureExcl = append(o.FeatureExcl, exclusion{tnString(v.tn), x})
			}
			applyFeatures(r, rc, &tnItem{TnFeature: data.TnFeature}, fx, e911Bad)
		}
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
