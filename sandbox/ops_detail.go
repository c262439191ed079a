package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

type tnDetailReq struct {
	TnSearchList struct {
		TnSearchItem []fields `json:"tnSearchItem"`
	} `json:"tnSearchList"`
	PageSort *pageSort `json:"pageSort"`
	// masks are the items when every one is a tnMask alone (decodeFast),
	// TnSearchList then empty.
	masks []string
}

// detailFilter is one tnSearchItem with keys normalised (the guide's table
// writes "callingName Contains", its examples "activateStartDateRange").
type detailFilter struct {
	f        map[string]string
	mask     numPattern
	from, to time.Time
}

// maskOnly is the normalised keys of an item that is a tnMask alone
// (read-only; its value is in detailFilter.mask).
var maskOnly = map[string]string{"tnmask": ""}

func normKey(k string) string { return strings.ToLower(strings.ReplaceAll(k, " ", "")) }

var tnStatusCodes = map[string]tnStatus{"INSVC": stInService, "PNDNG": stPending, "PDISC": stPendingDisconnect}

func compileDetail(items []fields) ([]detailFilter, answer) {
	if len(items) == 0 {
		return nil, required("tnSearchList")
	}
	out := make([]detailFilter, 0, len(items))
	for _, it := range items {
		// The usual item (a snapshot read, a lookup by number) is the mask
		// alone: no map of its own.
		if m, ok := it["tnMask"]; ok && len(it) == 1 && strings.TrimSpace(m) != "" {
			df, bad := maskFilter(m)
			if bad != nil {
				return nil, bad
			}
			out = append(out, df)
			continue
		}
		df := detailFilter{f: make(map[string]string, len(it))}
		for k, v := range it {
			if v = strings.TrimSpace(v); v != "" {
				df.f[normKey(k)] = v
			}
		}
		m, ok := df.f["tnmask"]
		if !ok {
			return nil, required("tnMask")
		}
		if df.mask, ok = parseMask(m); !ok {
			return nil, invalidValue("tnMask")
		}
		if c, ok := df.f["tnstatus"]; ok {
			if _, known := tnStatusCodes[strings.ToUpper(c)]; !known {
				return nil, invalidValue("tnStatus")
			}
		}
		for _, d := range [...]struct {
			key string
			dst *time.Time
		}{{"activatestartdaterange", &df.from}, {"activateenddaterange", &df.to}} {
			key, dst := d.key, d.dst
			if v, ok := df.f[key]; ok {
				t, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					return nil, invalidValue(key)
				}
				*dst = t
			}
		}
		out = append(out, df)
	}
	return out, nil
}

// maskFilter is the filter of an item that is a tnMask alone.
func maskFilter(m string) (detailFilter, answer) {
	m = strings.TrimSpace(m)
	if m == "" {
		return detailFilter{}, required("tnMask")
	}
	mask, ok := parseMask(m)
	if !ok {
		return detailFilter{}, invalidValue("tnMask")
	}
	return detailFilter{f: maskOnly, mask: mask}, nil
}

// compileMasks is compileDetail for items that are each a tnMask alone.
func compileMasks(masks []string) ([]detailFilter, answer) {
	out := make([]detailFilter, 0, len(masks))
	for _, m := range masks {
		df, bad := maskFilter(m)
		if bad != nil {
			return nil, bad
		}
		out = append(out, df)
	}
	return out, nil
}

func containsFold(hay, needle string) bool {
	return strings.Contains(strings.ToLower(hay), strings.ToLower(needle))
}

func anyContains(f fields, needle string) bool {
	for _, v := range f {
		if containsFold(v, needle) {
			return true
		}
	}
	return false
}

func ynMatch(want string, has bool) bool {
	switch strings.ToUpper(want) {
	case "Y":
		return has
	case "N":
		return !has
	}
	return true
}

func (st *state) detailMatch(df *detailFilter, tn uint64, now time.Time) bool {
	if !df.mask.match(tn) {
		return false
	}
	if len(df.f) == 1 && df.from.IsZero() && df.to.IsZero() {
		return true // the mask alone (compileDetail requires it): a snapshot read
	}
	r := st.rec(tn, false)
	bl, _, _ := st.w.lookup(tn)
	rc := &rateCenters[bl.rc]
	f := df.f
	get := func(k string) (string, bool) { v, ok := f[k]; return v, ok }
	if v, ok := get("tnstatus"); ok && st.status(tn, now) != tnStatusCodes[strings.ToUpper(v)] {
		return false
	}
	checks := []struct {
		key string
		ok  func(v string) bool
	}{
		{"trunkgroupname", func(v string) bool { return strings.EqualFold(r.trunkGroup(now), v) }},
		{"lata", func(v string) bool { return rc.lata == v }},
		{"ratecenter", func(v string) bool { return strings.EqualFold(rc.abbr, v) }},
		{"province", func(v string) bool { return strings.EqualFold(rc.state, v) }},
		{"ratecentertier", func(v string) bool { return strings.EqualFold(rc.tier, v) }},
		{"portoutpin", func(v string) bool { return containsFold(r.portOutPin, v) }},
		{"tnnote", func(v string) bool { return containsFold(r.tnNote, v) }},
		{"cnamdip", func(v string) bool { return strings.EqualFold(r.callerID.get("cnamDip"), v) }},
		{"callingnamecontains", func(v string) bool { return containsFold(r.callerID.get("callingName"), v) }},
		{"callingname", func(v string) bool { return ynMatch(v, r.callerID.get("callingName") != "") }},
		{"directorylistingcontains", func(v string) bool { return anyContains(r.dl, v) }},
		{"directorylisting", func(v string) bool { return ynMatch(v, len(r.dl) > 0) }},
		{"e911contains", func(v string) bool { return anyContains(r.e911, v) }},
		{"e911", func(v string) bool { return ynMatch(v, len(r.e911) > 0) }},
		{"messageclass", func(v string) bool { return strings.EqualFold(r.msg.get("messageClass"), v) }},
		{"messagetype", func(v string) bool { return strings.EqualFold(r.msg.get("messageType"), v) }},
		{"messaging", func(v string) bool { return ynMatch(v, len(r.msg) > 0) }},
		{"activateuser", func(v string) bool { return containsFold(r.activateUser, v) }},
		{"wireless", func(v string) bool { return ynMatch(v, bl.wireless) }},
	}
	for _, c := range checks {
		if v, ok := get(c.key); ok && !c.ok(v) {
			return false
		}
	}
	if !df.from.IsZero() && r.activateAt.Before(df.from) {
		return false
	}
	if !df.to.IsZero() && r.activateAt.After(df.to) {
		return false
	}
	return true
}

func (s *Server) tnDetail(now time.Time, raw []byte) answer {
	var req tnDetailReq
	if err := decodeRequest(raw, &req); err != nil {
		return badRequest(err)
	}
	st := s.st
	tns, paging, bad := s.detailPage("tnDetail", now, req.PageSort, func() ([]uint64, answer) {
		filters, bad := compileDetail(req.TnSearchList.TnSearchItem)
		if req.masks != nil {
			filters, bad = compileMasks(req.masks)
		}
		if bad != nil {
			return nil, bad
		}
		list := st.detailSearch(filters, now)
		prop, dir := "", ""
		if req.PageSort != nil {
			prop, dir = req.PageSort.Property, strings.ToLower(req.PageSort.Direction)
		}
		key := func(tn uint64) string {
			rc := st.w.rcOf(tn)
			switch prop {
			case "rateCenter":
				return rc.abbr
			case "lata":
				return rc.lata
			case "state":
				return rc.state
			}
			return ""
		}
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i], list[j]
			if ka, kb := key(a), key(b); ka != kb {
				if dir == "desc" {
					return ka > kb
				}
				return ka < kb
			}
			if dir == "desc" {
				return a > b
			}
			return a < b
		})
		return list, nil
	})
	if bad != nil {
		return bad
	}
	items := make([]tnDetailItem, len(tns))
	for i, tn := range tns {
		items[i] = st.detailItem(tn, now)
	}
	return tnDetailAnswer{page: paging["page"].(string), totalPages: paging["totalPages"].(string),
		totalItems: paging["totalItems"].(string), searchID: paging["searchId"].(string), items: items}
}

// detailSearch lists, in ascending order, the account's numbers that
// match any of the filters. A filter whose tnMask names one number (no x:
// how iqbulk reads the numbers it is about to change, 100 filters a
// request) is looked up directly; only filters with wildcards scan the
// account, so a read of named numbers costs the same on an account of
// 1,000 numbers as on one of 1,000,000.
func (st *state) detailSearch(filters []detailFilter, now time.Time) []uint64 {
	exact := map[uint64][]int{}
	var scan []int
	for i := range filters {
		if tn, ok := filters[i].mask.exact(); ok {
			exact[tn] = append(exact[tn], i)
		} else {
			scan = append(scan, i)
		}
	}
	var candidates []uint64
	if len(scan) == 0 {
		candidates = make([]uint64, 0, len(exact))
		for tn := range exact {
			if _, ok := st.assigned[tn]; ok && st.status(tn, now).assigned() {
				candidates = append(candidates, tn)
			}
		}
		slices.Sort(candidates)
	} else {
		candidates = st.assignedSorted(now)
	}
	return matching(candidates, func(tn uint64) bool {
		for _, i := range exact[tn] {
			if st.detailMatch(&filters[i], tn, now) {
				return true
			}
		}
		for _, i := range scan {
			if st.detailMatch(&filters[i], tn, now) {
				return true
			}
		}
		return false
	})
}

// detailPage serves one page of a searchable listing of the account's
// numbers (tnDetail, tfDetail): a searchId continues its scroll; otherwise
// search builds the sorted list and a new scroll starts at the requested
// page. It returns the page's numbers and the answer's pagination fields.
func (s *Server) detailPage(op string, now time.Time, ps *pageSort, search func() ([]uint64, answer)) ([]uint64, map[string]any, answer) {
	var sc *scroll
	if wantsScroll(ps) {
		if sc = s.scrollFor(op, ps.SearchID); sc == nil {
			return nil, nil, invalidSearchID()
		}
	} else {
		list, bad := search()
		if bad != nil {
			return nil, nil, bad
		}
		page, size, bad := pageArgs(ps)
		if bad != nil {
			return nil, nil, bad
		}
		sc = s.newScroll(op, now, size)
		sc.list, sc.total, sc.page, sc.pos = list, len(list), page-1, min(len(list), (page-1)*size)
	}
	end := min(sc.pos+sc.size, len(sc.list))
	tns := sc.list[sc.pos:end]
	sc.pos, sc.page = end, sc.page+1
	return tns, map[string]any{"page": strconv.Itoa(sc.page), "totalPages": strconv.Itoa(pagesOf(sc.total, sc.size)),
		"totalItems": strconv.Itoa(sc.total), "searchId": sc.id}, nil
}

// matching keeps the numbers for which keep is true.
func matching(tns []uint64, keep func(uint64) bool) []uint64 {
	var out []uint64
	for _, tn := range tns {
		if keep(tn) {
			out = append(out, tn)
		}
	}
	return out
}

func orEmpty(f fields) fields {
	if f == nil {
		return fields{}
	}
	return f
}

const isoMillis = "2006-01-02T15:04:05.000Z"

// tnDetailItem is one number of a tnDetail answer. Its fields are in the
// order of their JSON names, so it encodes exactly as the map it replaced
// (encoding/json sorts map keys), at a fraction of the cost: a snapshot
// read of 100 numbers is half the sandbox's work at R=1000.
type tnDetailItem struct {
	ActivateDate   string          `json:"activateDate"`
	ActivateUser   string          `json:"activateUser"`
	CountryCode    string          `json:"countryCode"`
	EndUser        fields          `json:"endUser"`
	Lata           string          `json:"lata"`
	LocName        string          `json:"locName"`
	PortOutPin     string          `json:"portOutPin"`
	Province       string          `json:"province"`
	RateCenter     string          `json:"rateCenter"`
	RateCenterTier string          `json:"rateCenterTier"`
	TN             uint64          `json:"tn"`
	TnFeature      tnDetailFeature `json:"tnFeature"`
	TnNote         string          `json:"tnNote"`
	TnSource       string          `json:"tnSource"`
	TnStatus       string          `json:"tnStatus"`
	TrunkGroup     string          `json:"trunkGroup"`
	Wireless       string          `json:"wireless"`
}

type tnDetailFeature struct {
	CallerID         fields `json:"callerId"`
	DirectoryListing fields `json:"directoryListing"`
	E911             fields `json:"e911"`
	Messaging        fields `json:"messaging"`
}

func (st *state) detailItem(tn uint64, now time.Time) tnDetailItem {
	r := st.rec(tn, false)
	bl, _, _ := st.w.lookup(tn)
	rc := &rateCenters[bl.rc]
	return tnDetailItem{
		TN: tn, TrunkGroup: r.trunkGroup(now), EndUser: orEmpty(r.endUser),
		TnFeature: tnDetailFeature{CallerID: orEmpty(r.callerID), DirectoryListing: orEmpty(r.dl), E911: orEmpty(r.e911), Messaging: orEmpty(r.msg)},
		Lata:      rc.lata, RateCenter: rc.abbr, LocName: rc.name, Province: rc.state,
		TnStatus: st.status(tn, now).name(), RateCenterTier: rc.tierName(), CountryCode: "1", TnSource: "NATIVE",
		ActivateDate: r.activateAt.UTC().Format(isoMillis), ActivateUser: r.activateUser, Wireless: yn(bl.wireless),
		PortOutPin: r.portOutPin, TnNote: r.tnNote,
	}
}

// ---- orders ----

type orderListReq struct {
	OrderID                flexInt    `json:"orderId"`
	CustomerOrderReference flexString `json:"customerOrderReference"`
	ProductID              flexInt    `json:"productId"`
	ProductIDList          flexString `json:"productIdList"`
	ServiceOrderReference  string     `json:"serviceOrderReference"`
	OrderStatus            string     `json:"orderStatus"`
	TN                     tnValue    `json:"tn"`
	CreatedDateStartRange  string     `json:"createdDateStartRange"`
	CreatedDateEndRange    string     `json:"createdDateEndRange"`
	PageSort               *pageSort  `json:"pageSort"`
}

var serviceOrderNames = map[string]string{"NEW": "New", "DISCO": "Disconnect", "CHANGE": "Change"}

func (o *order) hasTN(tn uint64) bool {
	if _, ok := o.Items[tn]; ok {
		return true
	}
	s := tnString(tn)
	for _, e := range o.Excluded {
		if e.tn == s {
			return true
		}
	}
	return false
}

func (o *order) lastModified(now time.Time) time.Time {
	t := o.Created
	for _, c := range []time.Time{o.PendingAt, o.CloseAt, o.CancelReqAt, o.canceledAt()} {
		if !c.IsZero() && !c.After(now) && c.After(t) {
			t = c
		}
	}
	for _, n := range o.Notes {
		if n.At.After(t) {
			t = n.At
		}
	}
	return t
}

// lastModifiedString renders the guide's 20151222145729830902000-0500.
func lastModifiedString(t time.Time) string {
	return t.Format("20060102150405") + fmt.Sprintf("%09d", t.Nanosecond()) + t.Format("-0700")
}

func (s *Server) orderList(now time.Time, raw []byte) answer {
	var req orderListReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	st := s.st
	var sc *scroll
	if wantsScroll(req.PageSort) {
		if sc = s.scrollFor("orderList", req.PageSort.SearchID); sc == nil {
			return invalidSearchID()
		}
	} else {
		products := map[int]bool{}
		if l := strings.TrimSpace(string(req.ProductIDList)); l != "" {
			for _, p := range strings.Split(l, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(p))
				if err != nil {
					return invalidValue("productIdList")
				}
				products[n] = true
			}
		} else if req.ProductID != 0 {
			products[int(req.ProductID)] = true
		}
		svc := ""
		if v := strings.ToUpper(strings.TrimSpace(req.ServiceOrderReference)); v != "" {
			if svc = serviceOrderNames[v]; svc == "" {
				return invalidValue("serviceOrderReference")
			}
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
		var ids []int64
		for _, o := range st.orderSeq {
			day := o.Created.UTC().Format(time.DateOnly)
			switch {
			case req.OrderID != 0 && o.ID != int64(req.OrderID),
				ref != "" && o.Ref != ref,
				len(products) > 0 && !products[o.ProductID],
				svc != "" && o.ServiceOrder != svc,
				status != "" && statusCodeOf(o.status(now)) != status,
				tn != 0 && !o.hasTN(tn),
				req.CreatedDateStartRange != "" && day < req.CreatedDateStartRange,
				req.CreatedDateEndRange != "" && day > req.CreatedDateEndRange:
				continue
			}
			ids = append(ids, o.ID)
		}
		if len(ids) == 0 {
			return fail("430", "No Results Found")
		}
		prop, dir := "", ""
		if req.PageSort != nil {
			prop, dir = req.PageSort.Property, strings.ToLower(req.PageSort.Direction)
		}
		sort.SliceStable(ids, func(i, j int) bool {
			a, b := st.orders[ids[i]], st.orders[ids[j]]
			less := a.ID < b.ID
			if prop == "customerOrderReference" && a.Ref != b.Ref {
				less = a.Ref < b.Ref
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
		sc = s.newScroll("orderList", now, size)
		sc.orders, sc.total, sc.page, sc.pos = ids, len(ids), page-1, min(len(ids), (page-1)*size)
	}
	end := min(sc.pos+sc.size, len(sc.orders))
	page := sc.orders[sc.pos:end]
	sc.pos, sc.page = end, sc.page+1
	rows := make([]map[string]any, len(page))
	for i, id := range page {
		o := st.orders[id]
		qty := o.Requested
		if !now.Before(o.PendingAt) {
			qty = len(o.Valid)
		}
		rows[i] = map[string]any{
			"orderId": o.ID, "orderStatus": o.status(now), "productName": o.ProductName,
			"customerOrderReference": o.Ref, "serviceOrderName": o.ServiceOrder,
			"desiredDueDate": o.Created.UTC().Format(time.DateOnly), "desiredPortTime": "", "tnQuantity": qty,
			"createdDate": o.Created.UTC().Format(time.DateOnly), "createdUser": "api_user",
			"lastModifiedString": lastModifiedString(o.lastModified(now)),
		}
	}
	return obj{envelope{"Success", 200}, map[string]any{
		"orderList": map[string]any{"orderType": rows}, "page": strconv.Itoa(sc.page),
		"totalPages": strconv.Itoa(pagesOf(sc.total, sc.size)), "totalItems": strconv.Itoa(sc.total), "searchId": sc.id,
	}}
}

// orderTnStatus is a number's status within an order.
func (o *order) tnStatus(i int, now time.Time) string {
	done, ok := o.doneAt(i)
	switch {
	case !ok:
		return "Canceled"
	case now.Before(done):
		if o.Kind == kindDisco {
			return "Pending Disconnect"
		}
		return "Pending"
	case o.Kind == kindDisco:
		return "Disconnected"
	}
	return "Complete"
}

func (s *Server) lookupOrder(raw []byte) (*order, *orderRefReq, answer) {
	var req orderRefReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, nil, badRequest(err)
	}
	id, ref, bad := orderLookupArgs(&req)
	if bad != nil {
		return nil, nil, bad
	}
	o := s.st.findOrder(id, ref)
	if o == nil {
		return nil, nil, orderNotFound
	}
	return o, &req, nil
}

func noteRows(o *order, withID bool) []map[string]any {
	rows := make([]map[string]any, len(o.Notes))
	for i, n := range o.Notes {
		rows[i] = map[string]any{"note": n.Note, "insertDate": n.At.UTC().Format("2006-01-02 15:04:05.0"), "insertUser": n.User}
		if withID {
			rows[i]["noteId"] = strconv.FormatInt(n.ID, 10)
		}
	}
	return rows
}

func (s *Server) orderDetail(now time.Time, raw []byte) answer {
	o, _, bad := s.lookupOrder(raw)
	if bad != nil {
		return bad
	}
	if ans, ok := s.tfOrderDetail(o, now); ok { // toll-free orders (ops_tollfree.go)
		return ans
	}
	if p := portOrderOf(o); p != nil {
		return s.portInOrderDetail(now, o, p)
	}
	st := s.st
	items := []map[string]any{}
	if !now.Before(o.PendingAt) {
		for i, tn := range o.Valid {
			it := o.Items[tn]
			rc := st.w.rcOf(tn)
			r := st.rec(tn, false)
			feat := map[string]any{}
			status := func(f fields) (string, string) {
				if len(f) == 0 {
					return "N", ""
				}
				if now.Before(o.CloseAt) {
					return "Y", "Pending"
				}
				return "Y", "Complete"
			}
			var cn, dl, e9, msg fields
			if it.TnFeature != nil {
				cn, dl, e9, msg = it.TnFeature.CallerID, it.TnFeature.DirectoryListing, it.TnFeature.E911, it.TnFeature.Messaging
				feat = map[string]any{"callerId": orEmpty(cn), "directoryListing": orEmpty(dl), "e911": orEmpty(e9), "messaging": orEmpty(msg)}
			}
			cnE, cnS := status(fields(nil))
			if cn.get("callingName") != "" {
				cnE, cnS = status(cn)
			}
			dlE, dlS := status(dl)
			e9E, e9S := status(e9)
			msgE, msgS := status(msg)
			for _, fx := range append(o.FeatureExcl[:len(o.FeatureExcl):len(o.FeatureExcl)], o.FeatureFail...) {
				if fx.tn == tnString(tn) {
					switch fx.reason {
					case reasonDLUnsupported, reasonDLFailed:
						dlS = "Failed"
					case reasonE911Unsupp, reasonE911Failed:
						e9S = "Failed"
					case reasonMsgUnsupported, reasonMsgFailed:
						msgS = "Failed"
					case reasonCNAMInvalid, reasonCNAMFailed:
						cnS = "Failed"
					}
				}
			}
			for _, ex := range o.E911Excl {
				if ex.tn == tnString(tn) {
					e9S = "Failed"
				}
			}
			tg := it.TrunkGroup
			if r != nil && tg == "" {
				tg = r.trunkGroup(now)
			}
			eu := cloneFields(it.EndUser)
			if len(eu) > 0 {
				eu["status"] = "Received" // the end-user record's status, as in the guide's example
			}
			items = append(items, map[string]any{
				"tn": tn, "trunkGroup": tg, "endUser": orEmpty(eu), "tnFeature": feat,
				"tnGroup": "", "accountNum": "", "atn": "", "lata": rc.lata, "rateCenter": rc.abbr, "province": rc.state,
				"tnStatus": o.tnStatus(i, now), "authName": "", "authDate": "", "accountPin": "",
				"cnamEnabled": cnE, "cnamDip": orEmpty(cn).get("cnamDip"), "cnamStatus": cnS,
				"dlEnabled": dlE, "dlStatus": dlS, "e911Enabled": e9E, "e911Status": e9S, "msgEnabled": msgE, "msgStatus": msgS,
				"routingLabel": "", "respOrgName": "", "respOrgPrefix": "",
				"cicList": map[string]any{"cic": []string{}}, "cicCompanyList": map[string]any{"cicCompany": []string{}},
			})
		}
	}
	return obj{success(), map[string]any{"orderDetailResponse": map[string]any{
		"tnList": map[string]any{"tnItem": items}, "orderId": o.ID, "orderStatus": o.status(now),
		"productName": o.ProductName, "serviceOrderName": o.ServiceOrder, "customerOrderReference": o.Ref,
		"createdUser": "api_user", "createdDate": o.Created.UTC().Format(time.DateOnly),
		"desiredDueDate": o.Created.UTC().Format(time.DateOnly), "desiredPortTime": "", "orderNotes": noteRows(o, false),
	}}}
}

// validated reports whether the order's background validation is over.
func (o *order) validated(now time.Time) bool { return !now.Before(o.PendingAt) }

const displayName = "sandbox.user@iqbulk.example"

func (s *Server) excludedTnList(now time.Time, raw []byte) answer {
	var req orderRefReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	id, ref := int64(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	var tn string
	if string(req.TN) != "" {
		n, ok := parseTN(string(req.TN))
		if !ok {
			return invalidValue("tn")
		}
		tn = tnString(n)
	}
	if id == 0 && ref == "" && tn == "" {
		return required("orderId")
	}
	var orders []*order
	if id != 0 || ref != "" {
		if id == 0 {
			orders = s.st.byRef[ref]
		} else if o := s.st.findOrder(id, ref); o != nil {
			orders = []*order{o}
		}
	} else {
		orders = s.st.orderSeq
	}
	var rows []map[string]any
	for _, o := range orders {
		if o.Background && !o.validated(now) {
			continue
		}
		for _, e := range o.Excluded {
			if tn != "" && e.tn != tn {
				continue
			}
			var tnOut any = e.tn
			if n, ok := parseTN(e.tn); ok {
				tnOut = n
			}
			rows = append(rows, map[string]any{
				"orderId": o.ID, "customerOrderReference": o.Ref, "tn": tnOut, "excludedReason": e.reason,
				"insertDate": o.PendingAt.UTC().Format(time.DateOnly), "displayName": displayName,
			})
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Results found")
	}
	return obj{success(), map[string]any{"excludedTnList": map[string]any{"excludedTnItem": rows}}}
}

func (s *Server) excludedFeatureList(now time.Time, raw []byte) answer {
	o, _, bad := s.lookupOrder(raw)
	if bad != nil {
		return bad
	}
	var rows []map[string]any
	if o.validated(now) {
		for _, e := range o.FeatureExcl {
			n, _ := parseTN(e.tn)
			rows = append(rows, map[string]any{"tn": n, "excludedReason": e.reason})
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Results found")
	}
	return obj{success(), map[string]any{"excludedFeatureList": map[string]any{"excludedFeatureItem": rows}}}
}

func (s *Server) excludedE911Detail(now time.Time, raw []byte) answer {
	o, _, bad := s.lookupOrder(raw)
	if bad != nil {
		return bad
	}
	var rows []map[string]any
	if o.validated(now) {
		for _, e := range o.E911Excl {
			row := map[string]any{"tn": e.tn, "excludedReason": e.reason, "insertDate": o.PendingAt.UTC().Format(time.DateOnly), "displayName": displayName}
			for _, k := range []string{"name", "origStreetNum", "origStreetInfo", "origLocation", "origCity", "origState", "origPostalCode", "origPostalCodePlusFour"} {
				row[k] = e.e911.get(k)
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Results found")
	}
	return obj{success(), map[string]any{"excludedE911Detail": map[string]any{"excludedFeatureItem": rows}}}
}

func (s *Server) orderNote(_ time.Time, raw []byte) answer {
	o, _, bad := s.lookupOrder(raw)
	if bad != nil {
		return bad
	}
	return obj{envelope{"Success", 200}, map[string]any{"orderNote": map[string]any{"orderNoteType": noteRows(o, true)}}}
}
