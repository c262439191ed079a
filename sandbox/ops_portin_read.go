package sandbox

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The port-in reads: orderDetail of a port-in order, portInAvailability,
// the activation and order listings, and tnCsrLookup. The state-changing
// port-in operations are in ops_portin.go.

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
				"accountPin": string(it.data.AccountPin), "routingLabel": st.portRoutingLabel(it.tn, now),
			}
			if !pd.IsZero() {
				row["portDt"] = pd.Format(isoOffset)
			}
			portFeatureFlags(row, o, it, status)
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

// portRoutingLabel is the number's toll-free routing label at now, "" for a
// number that has none (every local number: the guide's port-in orderDetail
// example answers "routingLabel": "").
func (st *state) portRoutingLabel(tn uint64, now time.Time) string {
	if st.tf == nil {
		return ""
	}
	if r := st.tf.recs[tn]; r != nil {
		return st.tf.labelAt(r, now)
	}
	return ""
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

// portFeatureFlags adds the guide's per-feature flags of a port-in item
// (its orderDetail example: "tnFeature": {} with "dlEnabled": "Y",
// "dlStatus": "Failed", "msgEnabled": "Y", "msgStatus": "Complete"): a
// requested feature is Pending until the number is ported, then Complete,
// or Failed when the number's rate center does not offer it.
func portFeatureFlags(row map[string]any, o *order, it *portItem, tnStatus string) {
	var f tnFeature
	if it.data.TnFeature != nil {
		f = *it.data.TnFeature
	}
	failed := map[string]bool{}
	for _, x := range o.FeatureExcl {
		if x.tn == tnString(it.tn) {
			failed[x.reason] = true
		}
	}
	flag := func(prefix string, requested bool, reasons ...string) {
		row[prefix+"Enabled"], row[prefix+"Status"] = "N", ""
		if !requested {
			return
		}
		row[prefix+"Enabled"], row[prefix+"Status"] = "Y", "Pending"
		for _, r := range reasons {
			if failed[r] {
				row[prefix+"Status"] = "Failed"
				return
			}
		}
		if tnStatus == "Complete" || tnStatus == "Activated" {
			row[prefix+"Status"] = "Complete"
		}
	}
	flag("cnam", f.CallerID.get("callingName") != "", reasonCNAMInvalid)
	row["cnamDip"] = f.CallerID.get("cnamDip")
	if row["cnamDip"] == "" {
		row["cnamDip"] = "N"
	}
	flag("dl", len(f.DirectoryListing) > 0, reasonDLUnsupported)
	flag("e911", len(f.E911) > 0, reasonE911Unsupp)
	flag("msg", len(f.Messaging) > 0, reasonMsgUnsupported)
}
