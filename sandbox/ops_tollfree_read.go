package sandbox

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The toll-free reads (guide section "Toll Free"): tfInventory, tfDetail,
// the tfFeature and forwarding listings, cicList, and orderDetail of
// toll-free orders. The state-changing operations are in ops_tollfree.go.

// TollFreeTNs returns n toll-free numbers of a registry class that are not
// on the account now: "own" (load with 8XX), "spare" (8XXAVAIL) or "other"
// (8XXPORTIN), deterministically, starting at 8XX-1000000 of the first
// prefix and stepping by stride.
func (s *Server) TollFreeTNs(class string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.simNowLocked()
	ts := s.st.tfs()
	want := map[string]tfClass{"own": tfOwn, "spare": tfSpare, "other": tfOther}[class]
	var out []string
	for _, npa := range tfNPAs {
		for nxx := uint64(100); nxx < 1000 && len(out) < n; nxx++ {
			if tfClassOf(npa*10000000+nxx*10000) != want || want == tfNone {
				continue
			}
			for line := uint64(0); line < 10000 && len(out) < n; line += 7 {
				tn := npa*10000000 + nxx*10000 + line
				if !ts.status(tn, now).assigned() {
					out = append(out, tnString(tn))
				}
			}
		}
	}
	return out
}

// TollFreeStatus is a toll-free number's state: "In Service", "Pending",
// "Pending Disconnect", or "" when it is not on the account; with its
// routing label, calling name and forwarding.
type TollFreeStatus struct {
	Status, RoutingLabel, CallingName, ForwardTo, RespOrg string
	E911, Messaging                                       bool
}

// TollFree reports the state of a toll-free number now (for tests).
func (s *Server) TollFree(tn string) TollFreeStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.simNowLocked()
	n, ok := parseTN(tn)
	if !ok {
		return TollFreeStatus{}
	}
	ts := s.st.tfs()
	st := ts.status(n, now)
	if !st.assigned() {
		return TollFreeStatus{}
	}
	r := ts.recs[n]
	return TollFreeStatus{Status: st.name(), RoutingLabel: ts.labelAt(r, now), CallingName: r.callerID.get("callingName"),
		ForwardTo: ts.forwards[n], RespOrg: r.respOrg, E911: len(r.e911) > 0, Messaging: len(r.msg) > 0}
}

// ---- tfInventory ----

type tfInventoryReq struct {
	TnMask     string    `json:"tnMask"`
	TnWildcard string    `json:"tnWildcard"`
	Quantity   flexInt   `json:"quantity"`
	Sequential flexBool  `json:"sequential"`
	PageSort   *pageSort `json:"pageSort"`
}

// tfPrefix returns the digits a pattern fixes at positions 0..9 ('x' where
// any digit may stand); a glob fixes only its leading digits.
func tfPrefix(p *numPattern) [10]byte {
	var out [10]byte
	for i := range out {
		out[i] = 'x'
	}
	switch p.kind {
	case 1:
		out = p.mask
	case 2:
		for i := 0; i < len(p.glob) && i < 10; i++ {
			c := p.glob[i]
			if c < '0' || c > '9' {
				break
			}
			out[i] = c
		}
	}
	return out
}

func fixedOK(fixed [10]byte, from int, digits string) bool {
	for i := 0; i < len(digits); i++ {
		if f := fixed[from+i]; f != 'x' && f != digits[i] {
			return false
		}
	}
	return true
}

func (s *Server) tfInventory(now time.Time, raw []byte) answer {
	var req tfInventoryReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	var p numPattern
	var ok bool
	switch {
	case strings.TrimSpace(req.TnMask) != "":
		if p, ok = parseMask(strings.TrimSpace(req.TnMask)); !ok {
			return invalidValue("tnMask")
		}
	case strings.TrimSpace(req.TnWildcard) != "":
		w := strings.TrimSpace(req.TnWildcard)
		if len(w) > 10 || strings.Count(w, "*") > 0 && strings.Count(w, "*") != strings.LastIndex(w, "*")-strings.Index(w, "*")+1 {
			return invalidValue("tnWildcard")
		}
		if p, ok = parseWildcard(w); !ok {
			return invalidValue("tnWildcard")
		}
	default:
		return required("tnMask")
	}
	q := int(req.Quantity)
	seq := bool(req.Sequential)
	switch {
	case q <= 0:
		return required("quantity")
	case seq && q > 10, !seq && q > 1000:
		return invalidValue("quantity")
	}
	ts := s.st.tfs()
	fixed := tfPrefix(&p)
	var out []uint64
	for _, npa := range tfNPAs {
		if !fixedOK(fixed, 0, strconv.FormatUint(npa, 10)) {
			continue
		}
		for nxx := uint64(200); nxx < 700 && len(out) < q; nxx++ {
			if tfClassOf(npa*10000000+nxx*10000) != tfSpare || !fixedOK(fixed, 3, strconv.FormatUint(nxx, 10)) {
				continue
			}
			run := 0
			for line := uint64(0); line < 10000 && len(out) < q; line++ {
				tn := npa*10000000 + nxx*10000 + line
				if !p.match(tn) || ts.status(tn, now) != stAvailable {
					if seq {
						out, run = out[:len(out)-run], 0
					}
					continue
				}
				out = append(out, tn)
				run++
			}
			if seq && len(out) < q {
				out = out[:len(out)-run]
			}
		}
		if len(out) >= q {
			break
		}
	}
	if len(out) == 0 {
		return fail("430", "No Results Found")
	}
	if req.PageSort != nil && strings.EqualFold(req.PageSort.Direction, "desc") {
		sort.Slice(out, func(i, j int) bool { return out[i] > out[j] })
	}
	rows := make([]map[string]any, len(out))
	for i, tn := range out {
		rows[i] = map[string]any{"tn": tn, "respOrgPrefix": respOrgInteliquent, "cic": defaultCIC}
	}
	return obj{success(), map[string]any{"tfList": map[string]any{"tfItem": rows}}}
}

// ---- tfDetail ----

type tfDetailReq struct {
	TfSearchList struct {
		TfSearchItem []fields `json:"tfSearchItem"`
	} `json:"tfSearchList"`
	PageSort *pageSort `json:"pageSort"`
}

var tfStatusRefs = map[string]tnStatus{"INSVC": stInService, "PNDNG": stPending, "PDISC": stPendingDisconnect}

func tfStatusRef(s tnStatus) string {
	switch s {
	case stPending:
		return "PNDNG"
	case stPendingDisconnect:
		return "PDISC"
	}
	return "INSVC"
}

func (ts *tfState) detailMatch(df *detailFilter, tn uint64, now time.Time) bool {
	if !df.mask.match(tn) {
		return false
	}
	r := ts.recs[tn]
	f := df.f
	if v, ok := f["typetfstatusreference"]; ok && ts.status(tn, now) != tfStatusRefs[strings.ToUpper(v)] {
		return false
	}
	checks := []struct {
		key string
		ok  func(v string) bool
	}{
		{"routinglabel", func(v string) bool { l, _ := ts.routingLabelOf(v); return ts.labelAt(r, now) == l }},
		{"tnnote", func(v string) bool { return containsFold(r.note, v) }},
		{"cnamdip", func(v string) bool { return strings.EqualFold(r.callerID.get("cnamDip"), v) }},
		{"callingnamecontains", func(v string) bool { return containsFold(r.callerID.get("callingName"), v) }},
		{"callingname", func(v string) bool { return ynMatch(v, r.callerID.get("callingName") != "") }},
		{"e911contains", func(v string) bool { return anyContains(r.e911, v) }},
		{"e911", func(v string) bool { return ynMatch(v, len(r.e911) > 0) }},
		{"messageclass", func(v string) bool { return strings.EqualFold(r.msg.get("messageClass"), v) }},
		{"messagetype", func(v string) bool { return strings.EqualFold(r.msg.get("messageType"), v) }},
		{"messaging", func(v string) bool { return ynMatch(v, len(r.msg) > 0) }},
		{"activateuser", func(v string) bool { return containsFold(r.activateUser, v) }},
	}
	for _, c := range checks {
		if v, ok := f[c.key]; ok && !c.ok(v) {
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

func compileTFDetail(items []fields) ([]detailFilter, answer) {
	if len(items) == 0 {
		return nil, required("tfSearchList")
	}
	var clean []fields
	for _, it := range items {
		c := fields{}
		for k, v := range it {
			if nk := normKey(k); nk == "typetfstatusreference" {
				if _, ok := tfStatusRefs[strings.ToUpper(strings.TrimSpace(v))]; strings.TrimSpace(v) != "" && !ok {
					return nil, invalidValue("typeTfStatusReference")
				}
				c["tfStatusRef"] = v // kept aside from compileDetail's tnStatus check
				continue
			}
			c[k] = v
		}
		clean = append(clean, c)
	}
	out, bad := compileDetail(clean)
	if bad != nil {
		return nil, bad
	}
	for i := range out {
		if v, ok := out[i].f["tfstatusref"]; ok {
			delete(out[i].f, "tfstatusref")
			out[i].f["typetfstatusreference"] = v
		}
	}
	return out, nil
}

func (s *Server) tfDetail(now time.Time, raw []byte) answer {
	var req tfDetailReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	ts := s.st.tfs()
	tns, paging, bad := s.detailPage("tfDetail", now, req.PageSort, func() ([]uint64, answer) {
		filters, bad := compileTFDetail(req.TfSearchList.TfSearchItem)
		if bad != nil {
			return nil, bad
		}
		list := matching(ts.assignedSorted(now), func(tn uint64) bool {
			for i := range filters {
				if ts.detailMatch(&filters[i], tn, now) {
					return true
				}
			}
			return false
		})
		if req.PageSort != nil && strings.EqualFold(req.PageSort.Direction, "desc") {
			sort.Slice(list, func(i, j int) bool { return list[i] > list[j] })
		}
		return list, nil
	})
	if bad != nil {
		return bad
	}
	items := make([]map[string]any, len(tns))
	for i, tn := range tns {
		items[i] = ts.detailItem(tn, now)
	}
	paging["tfList"] = map[string]any{"tfItem": items}
	return obj{success(), paging}
}

func (ts *tfState) detailItem(tn uint64, now time.Time) map[string]any {
	r := ts.recs[tn]
	st := ts.status(tn, now)
	var names []string
	for _, c := range r.cics {
		n, _ := cicCompany(c)
		names = append(names, n)
	}
	feat := map[string]any{"callerId": orEmpty(r.callerID)}
	if len(r.msg) > 0 {
		feat["messaging"] = r.msg
	}
	item := map[string]any{
		"tn": tn, "routingLabel": ts.labelAt(r, now), "tnStatusName": st.name(), "tnStatusRef": tfStatusRef(st),
		"respOrgName": respOrgNames[r.respOrg], "respOrgPrefix": r.respOrg, "activateDisplayName": "User, Sandbox",
		"activateDate": r.activateAt.UTC().Format(isoMillis), "cic": strings.Join(r.cics, ","),
		"cicCompanyName": strings.Join(names, ", "), "tnNote": r.note, "tnFeature": feat,
	}
	if len(r.e911) > 0 {
		e := cloneFields(r.e911)
		e["e911ActivateDate"] = r.e911At.UTC().Format(isoMillis)
		e["e911ActivateUser"] = "api_user"
		e["e911TnStatus"] = "In Service"
		item["e911"] = e
	}
	return item
}

// ---- tfFeature listings ----

func (s *Server) tfFeatureList(now time.Time, raw []byte, row func(r *tfRec) map[string]any) answer {
	var req struct {
		TnMask string `json:"tnMask"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	mask := numPattern{}
	if m := strings.TrimSpace(req.TnMask); m != "" {
		if len(m) == 11 && strings.Trim(m, "xX") == "" {
			m = m[:10] // the table's example mask has 11 x's
		}
		var ok bool
		if mask, ok = parseMask(m); !ok {
			return invalidValue("tnMask")
		}
	}
	ts := s.st.tfs()
	var rows []map[string]any
	for _, tn := range ts.assignedSorted(now) {
		if ts.status(tn, now) != stInService || !mask.match(tn) {
			continue
		}
		if m := row(ts.recs[tn]); m != nil {
			m["tn"] = tn
			rows = append(rows, m)
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"tfFeatureList": map[string]any{"tfFeatureItem": rows}}}
}

func (s *Server) tfFeatureCNamList(now time.Time, raw []byte) answer {
	return s.tfFeatureList(now, raw, func(r *tfRec) map[string]any {
		if cn := r.callerID.get("callingName"); cn != "" {
			return map[string]any{"callingName": cn}
		}
		return nil
	})
}

func (s *Server) tfFeatureMessageList(now time.Time, raw []byte) answer {
	return s.tfFeatureList(now, raw, func(r *tfRec) map[string]any {
		if len(r.msg) == 0 {
			return nil
		}
		m := map[string]any{"messageClass": r.msg.get("messageClass"), "messageType": r.msg.get("messageType")}
		if v := r.msg.get("netNumberId"); v != "" {
			m["netNumberId"] = v
		}
		return m
	})
}

func (s *Server) tfFeatureE911List(now time.Time, raw []byte) answer {
	return s.tfFeatureList(now, raw, func(r *tfRec) map[string]any {
		if len(r.e911) == 0 {
			return nil
		}
		m := map[string]any{}
		for _, k := range []string{"name", "origStreetNum", "origStreetInfo", "origLocation", "origCity", "origState", "origPostalCode"} {
			m[k] = r.e911.get(k)
		}
		m["enhStreetNum"], m["enhStreetInfo"] = r.e911.get("origStreetNum"), strings.ToUpper(r.e911.get("origStreetInfo"))
		m["enhCity"], m["enhState"], m["enhPostalCode"] = strings.ToUpper(r.e911.get("origCity")), r.e911.get("origState"), r.e911.get("origPostalCode")
		return m
	})
}

// ---- forwarding listings ----

func (s *Server) forwardList(now time.Time, tollFree bool) answer {
	ts := s.st.tfs()
	var tns []uint64
	for tn := range ts.forwards {
		if isTollFree(tn) != tollFree {
			continue
		}
		var st tnStatus
		if tollFree {
			st = ts.status(tn, now)
		} else {
			st = s.st.status(tn, now)
		}
		if st == stInService {
			tns = append(tns, tn)
		}
	}
	if len(tns) == 0 {
		return fail("430", "No Results Found")
	}
	sort.Slice(tns, func(i, j int) bool { return tns[i] < tns[j] })
	rows := make([]map[string]any, len(tns))
	for i, tn := range tns {
		rows[i] = map[string]any{"tn": tnString(tn), "forwardTo": ts.forwards[tn]}
	}
	key := "tnForwardList"
	if tollFree {
		key = "tfForwardList"
	}
	return obj{success(), map[string]any{key: rows}}
}

func (s *Server) tnForwardList(now time.Time, _ []byte) answer { return s.forwardList(now, false) }
func (s *Server) tfForwardList(now time.Time, _ []byte) answer { return s.forwardList(now, true) }

// ---- cicList ----

func (s *Server) cicList(_ time.Time, _ []byte) answer {
	rows := make([]map[string]any, len(cics))
	for i, c := range cics {
		rows[i] = map[string]any{"respOrgPrefix": c.respOrg, "cic": c.cic, "companyName": c.company}
	}
	return obj{success(), map[string]any{"cicItemList": rows}}
}

// ---- orderDetail of toll-free orders ----

// tfOrderDetail answers orderDetail for a toll-free order (ok false for any
// other order).
func (s *Server) tfOrderDetail(o *order, now time.Time) (answer, bool) {
	ts := s.st.tfs()
	inf := ts.info[o.ID]
	if inf == nil {
		return nil, false
	}
	items := []map[string]any{}
	if !now.Before(o.PendingAt) {
		for i, tn := range o.Valid {
			it := inf.items[tn]
			r := ts.recs[tn]
			done, ok := ts.doneAt(o, i)
			st := "Complete"
			switch {
			case !ok:
				st = "Canceled"
			case inf.port && inf.loaAt.IsZero():
				st = "Pending LOA"
			case now.Before(done) && o.Kind == kindDisco:
				st = "Pending Disconnect"
			case now.Before(done):
				st = "Pending"
			case o.Kind == kindDisco:
				st = "Disconnected"
			}
			feat := map[string]any{}
			if it.TnFeature != nil {
				feat = map[string]any{"callerId": orEmpty(it.TnFeature.CallerID), "e911": orEmpty(it.TnFeature.E911), "messaging": orEmpty(it.TnFeature.Messaging)}
			}
			label, _ := ts.routingLabelOf(it.RoutingLabel)
			if label == "" && r != nil {
				label = ts.labelAt(r, now)
			}
			ro, cicsV := "", []string{}
			if r != nil {
				ro, cicsV = r.respOrg, r.cics
			}
			var names []string
			for _, c := range cicsV {
				n, _ := cicCompany(c)
				names = append(names, n)
			}
			items = append(items, map[string]any{
				"tn": tn, "tnFeature": feat, "tnStatus": st, "routingLabel": label,
				"respOrgName": respOrgNames[ro], "respOrgPrefix": ro,
				"cicList": map[string]any{"cic": cicsV}, "cicCompanyList": map[string]any{"cicCompany": names},
			})
		}
	}
	return obj{success(), map[string]any{"orderDetailResponse": map[string]any{
		"tnList": map[string]any{"tnItem": items}, "orderId": o.ID, "orderStatus": o.status(now),
		"productName": o.ProductName, "serviceOrderName": o.ServiceOrder, "customerOrderReference": o.Ref,
		"createdUser": "api_user", "createdDate": o.Created.UTC().Format(time.DateOnly),
		"desiredDueDate": o.Created.UTC().Format(time.DateOnly), "desiredPortTime": "", "orderNotes": noteRows(o, false),
	}}}, true
}
