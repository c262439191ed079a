package sandbox

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Request shapes of the state-changing toll-free operations.

type tfOrderReq struct {
	ProductAbbr string `json:"productAbbr"`
	TfOrder     struct {
		CustomerOrderReference string `json:"customerOrderReference,omitempty"`
		Loa                    string `json:"loa,omitempty"`
		TnList                 tfList `json:"tnList"`
	} `json:"tfOrder"`
}

type tfUpdateReq struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 tfList `json:"tnList"`
}

type tfFeatureOrderReq struct {
	TfFeatureOrder struct {
		CustomerOrderReference string `json:"customerOrderReference,omitempty"`
		TnList                 tfList `json:"tnList"`
	} `json:"tfFeatureOrder"`
}

type forwardReq struct {
	TnForward *forwardBody `json:"tnForward,omitempty"`
	TfForward *forwardBody `json:"tfForward,omitempty"`
}

type forwardBody struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 tfList `json:"tnList"`
}

func (r *forwardReq) body() *forwardBody {
	if r.TnForward != nil {
		return r.TnForward
	}
	if r.TfForward != nil {
		return r.TfForward
	}
	return &forwardBody{}
}

type orderAddDocumentReq struct {
	OrderID                flexInt    `json:"orderId,omitempty"`
	CustomerOrderReference flexString `json:"customerOrderReference,omitempty"`
	DocumentName           string     `json:"documentName"`
	DocumentDescription    string     `json:"documentDescription,omitempty"`
	FileContent            string     `json:"fileContent"`
}

// tfScreened is one valid number of a toll-free request.
type tfScreened = screenedItem[tfItem]

// tfScreen parses and checks every number; only toll-free numbers are valid.
func tfScreen(items []tfItem, reason func(tn uint64, it *tfItem) string) ([]tfScreened, []exclusion) {
	return screenItems(items, func(it *tfItem) string { return string(it.TN) }, isTollFree, reason)
}

// labelReason checks a routing label; it returns the label itself (a
// customerAssignedName resolves to its label) or an exclusion reason.
func (ts *tfState) labelReason(l string) (string, string) {
	if strings.TrimSpace(l) == "" {
		return "", "Fields Are Required:routingLabel"
	}
	label, ok := ts.routingLabelOf(l)
	if !ok {
		return "", "Invalid Routing Label"
	}
	return label, ""
}

func cicsOf(it *tfItem) ([]string, string) {
	if it.CicList == nil || len(it.CicList.Cic) == 0 {
		return []string{defaultCIC}, ""
	}
	var out []string
	for _, c := range it.CicList.Cic {
		v := strings.TrimSpace(string(c))
		if _, ok := cicCompany(v); !ok {
			return nil, "Invalid CIC " + v
		}
		out = append(out, v)
	}
	return out, ""
}

var tfMessageClasses = map[string]bool{"P2P": true, "A2PLC": true, "A2P8XX": true}

// tfFeatureExclusions decides, from the documented test inputs, which
// features of an item cannot be provisioned: a calling name breaking the
// guide's rule, an unknown messageClass, and E911 with origPostalCode 00000.
func tfFeatureExclusions(aw *addressWorld, it *tfItem) (fx []string, e911Bad bool) {
	f := it.TnFeature
	if f == nil {
		return nil, false
	}
	if cn := f.CallerID.get("callingName"); cn != "" && !removing(f.CallerID) && !validCallingName(cn) {
		fx = append(fx, reasonCNAMInvalid)
	}
	if len(f.Messaging) > 0 && !removing(f.Messaging) && !tfMessageClasses[strings.ToUpper(f.Messaging.get("messageClass"))] {
		fx = append(fx, reasonMsgUnsupported)
	}
	if len(f.E911) > 0 && !removing(f.E911) && aw.orderE911Reason(f.E911) != "" {
		e911Bad = true
	}
	return fx, e911Bad
}

func tfHasFeatures(it *tfItem) bool {
	f := it.TnFeature
	return f != nil && (f.CallerID.get("callingName") != "" || len(f.E911) > 0 || len(f.Messaging) > 0)
}

// tfApplyFeatures stores an item's features, skipping excluded ones.
func tfApplyFeatures(r *tfRec, it *tfItem, now time.Time, fx []string, e911Bad bool) {
	if it.TnNote != "" {
		r.note = it.TnNote
	}
	f := it.TnFeature
	if f == nil {
		return
	}
	has := func(reason string) bool {
		for _, x := range fx {
			if x == reason {
				return true
			}
		}
		return false
	}
	if f.CallerID != nil {
		switch {
		case removing(f.CallerID):
			r.callerID = fields{"cnamDip": r.callerID.get("cnamDip")}
		case !has(reasonCNAMInvalid):
			c := cloneFields(r.callerID)
			if c == nil {
				c = fields{}
			}
			for k, v := range f.CallerID {
				c[k] = v
			}
			r.callerID = c
		}
	}
	switch {
	case f.E911 == nil:
	case removing(f.E911):
		r.e911, r.e911At = nil, time.Time{}
	case !e911Bad:
		r.e911, r.e911At = cloneFields(f.E911), now
	}
	switch {
	case f.Messaging == nil:
	case removing(f.Messaging):
		r.msg = nil
	case !has(reasonMsgUnsupported):
		r.msg = cloneFields(f.Messaging)
	}
}

// newTFOrder makes a generic order for a toll-free request and its info.
func (st *state) newTFOrder(now time.Time, kind, ref string, requested int, productID int, service, product string, features bool) (*order, *tfOrderInfo) {
	o := st.newOrder(now, kind, ref, requested, features)
	o.ProductID, o.ServiceOrder, o.ProductName = productID, service, tfProductName
	inf := &tfOrderInfo{product: product, items: map[uint64]*tfItem{}, features: features}
	st.tfs().info[o.ID] = inf
	return o, inf
}

// addTF records a valid number on a toll-free order.
func (o *order) addTF(inf *tfOrderInfo, v tfScreened) {
	o.Valid = append(o.Valid, v.tn)
	o.Items[v.tn] = &tnItem{TN: tnValue(tnString(v.tn)), TnNote: v.item.TnNote, TnFeature: v.item.TnFeature}
	inf.items[v.tn] = v.item
}

// tfOrder: 8XX loads and 8XXPORTIN ports make an order (a port waits for
// its LOA, attached with orderAddDocument); 8XXAVAIL activates at once,
// answers the exclusions in the status and no orderId, and is capped at
// 100 numbers per calendar month.
func (st *state) tfOrder(now time.Time, req *tfOrderReq) answer {
	ts := st.tfs()
	product := strings.ToUpper(strings.TrimSpace(req.ProductAbbr))
	switch product {
	case "":
		return required("productAbbr")
	case "8XX", "8XXPORTIN", "8XXAVAIL":
	default:
		return invalidValue("productAbbr")
	}
	items := req.TfOrder.TnList.TnItem
	if len(items) == 0 {
		return required("tnList")
	}
	if product == "8XXPORTIN" && !strings.EqualFold(strings.TrimSpace(req.TfOrder.Loa), "Y") {
		return required("loa")
	}
	if bad := tfItemsLimits(items); bad != nil {
		return bad
	}
	valid, ex := tfScreen(items, func(tn uint64, it *tfItem) string {
		if r := ts.newReason(tn, now, product); r != "" {
			return r
		}
		if product == "8XX" {
			ro := it.resporg()
			if ro == "" {
				return "Fields Are Required:resporgId"
			}
			if _, ours := accountRespOrgs[ro]; !ours {
				return "RespOrg ID " + ro + " does not belong to this customer"
			}
		}
		if _, r := ts.labelReason(it.RoutingLabel); r != "" {
			return r
		}
		_, r := cicsOf(it)
		return r
	})
	if product == "8XXAVAIL" {
		left := tfAvailMonthly - ts.availBy[monthKey(now)]
		var kept []tfScreened
		for _, v := range valid {
			if left <= 0 {
				ex = append(ex, exclusion{tnString(v.tn), fmt.Sprintf("Exceeds the 8XXAVAIL limit of %d numbers per month", tfAvailMonthly)})
				continue
			}
			left--
			kept = append(kept, v)
		}
		for _, v := range kept {
			fx, e911Bad := tfFeatureExclusions(st.w.addrs, v.item)
			ts.activate(now, v.tn, v.item, nil, 0, respOrgInteliquent, fx, e911Bad)
			ts.recs[v.tn].avail = true
			ts.availBy[monthKey(now)]++
		}
		sort.SliceStable(ex, func(i, j int) bool { return ex[i].tn < ex[j].tn })
		return envelope{exclusionStatus(ex), "200"}
	}
	features := false
	for i := range items {
		if tfHasFeatures(&items[i]) {
			features = true
			break
		}
	}
	pid := tfProductLoad
	if product == "8XXPORTIN" {
		pid = tfProductPortIn
	}
	o, inf := st.newTFOrder(now, kindNew, req.TfOrder.CustomerOrderReference, len(items), pid, "New", product, features)
	inf.port = product == "8XXPORTIN"
	o.Excluded = ex
	for i, v := range valid {
		o.addTF(inf, v)
		fx, e911Bad := tfFeatureExclusions(st.w.addrs, v.item)
		for _, r := range fx {
			o.FeatureExcl = append(o.FeatureExcl, exclusion{tnString(v.tn), r})
		}
		if e911Bad {
			o.E911Excl = append(o.E911Excl, e911Exclusion{tnString(v.tn), cloneFields(v.item.TnFeature.E911), st.w.addrs.orderE911Reason(v.item.TnFeature.E911)})
		}
		ro := respOrgInteliquent
		if product == "8XX" {
			ro = v.item.resporg()
		}
		ts.activate(now, v.tn, v.item, o, i, ro, fx, e911Bad)
	}
	o.seal(features)
	if inf.port {
		o.CloseAt = farFuture // until the LOA arrives
	}
	status := "Success"
	if !o.Background {
		status = exclusionStatus(ex)
	}
	return orderAnswer{envelope{status, "200"}, orderIDText(o)}
}

// activate puts a toll-free number on the account (o nil: at once).
func (ts *tfState) activate(now time.Time, tn uint64, it *tfItem, o *order, idx int, respOrg string, fx []string, e911Bad bool) {
	r := &tfRec{tn: tn, life: life{order: o, idx: idx}, respOrg: respOrg, activateUser: "api_user",
		callerID: fields{"cnamDip": "N"}}
	r.label, _ = ts.routingLabelOf(it.RoutingLabel)
	r.cics, _ = cicsOf(it)
	if o == nil {
		r.life.syncAt, r.activateAt = now, now
	} else {
		r.activateAt, _ = ts.doneAt(o, idx)
	}
	tfApplyFeatures(r, it, now, fx, e911Bad)
	ts.recs[tn] = r
	ts.assigned[tn] = struct{}{}
}

// tfChangeOrder is the shared path of tfUpdate, tfFeatureOrder and
// tfDisconnect: at most 100 numbers are validated at once (exclusions in the
// status); larger requests get an order whose exclusions appear in
// excludedTnList after validation.
func (st *state) tfChangeOrder(now time.Time, kind, service, ref string, items []tfItem, extra func(tn uint64, it *tfItem) string, apply func(o *order, i int, v tfScreened)) answer {
	ts := st.tfs()
	if len(items) == 0 {
		return required("tnList")
	}
	valid, ex := tfScreen(items, func(tn uint64, it *tfItem) string {
		if r := ts.activeReason(tn, now); r != "" {
			return r
		}
		if extra != nil {
			return extra(tn, it)
		}
		return ""
	})
	if len(items) <= 100 && len(valid) == 0 {
		return orderAnswer{envelope{exclusionStatus(ex), "200"}, "null"}
	}
	features := kind == kindFeature
	o, inf := st.newTFOrder(now, kind, ref, len(items), tfProductLoad, service, "", features)
	o.Excluded = ex
	for i, v := range valid {
		o.addTF(inf, v)
		apply(o, i, v)
	}
	o.seal(features)
	status := "Success"
	if !o.Background {
		status = exclusionStatus(ex)
	}
	return orderAnswer{envelope{status, "200"}, orderIDText(o)}
}

func (st *state) tfUpdate(now time.Time, req *tfUpdateReq) answer {
	ts := st.tfs()
	return st.tfChangeOrder(now, kindChange, "Change", req.CustomerOrderReference, req.TnList.TnItem,
		func(_ uint64, it *tfItem) string { _, r := ts.labelReason(it.RoutingLabel); return r },
		func(o *order, i int, v tfScreened) {
			r := ts.recs[v.tn]
			r.labelPrev = ts.labelAt(r, o.Created)
			r.label, _ = ts.routingLabelOf(v.item.RoutingLabel)
			r.labelOrder, r.labelIdx, r.change = o, i, o
		})
}

func (st *state) tfFeatureOrder(now time.Time, req *tfFeatureOrderReq) answer {
	ts := st.tfs()
	if bad := tfItemsLimits(req.TfFeatureOrder.TnList.TnItem); bad != nil {
		return bad
	}
	return st.tfChangeOrder(now, kindFeature, "Change", req.TfFeatureOrder.CustomerOrderReference, req.TfFeatureOrder.TnList.TnItem,
		func(_ uint64, it *tfItem) string {
			if it.TnFeature == nil {
				return "Fields Are Required:tnFeature"
			}
			return ""
		},
		func(o *order, _ int, v tfScreened) {
			fx, e911Bad := tfFeatureExclusions(st.w.addrs, v.item)
			for _, r := range fx {
				o.FeatureExcl = append(o.FeatureExcl, exclusion{tnString(v.tn), r})
			}
			if e911Bad {
				o.E911Excl = append(o.E911Excl, e911Exclusion{tnString(v.tn), cloneFields(v.item.TnFeature.E911), st.w.addrs.orderE911Reason(v.item.TnFeature.E911)})
			}
			r := ts.recs[v.tn]
			tfApplyFeatures(r, v.item, now, fx, e911Bad)
			r.change = o
		})
}

func (st *state) tfDisconnect(now time.Time, req *tfUpdateReq) answer {
	ts := st.tfs()
	return st.tfChangeOrder(now, kindDisco, "Disconnect", req.CustomerOrderReference, req.TnList.TnItem, nil,
		func(o *order, i int, v tfScreened) {
			r := ts.recs[v.tn]
			r.life = life{order: o, idx: i}
			r.change = o
			delete(ts.forwards, v.tn)
		})
}

// forward is tnForward (tollFree false) and tfForward: one bad number fails
// the whole request, as the guide's single-number examples do (409 "Invalid
// TN submitted:[…]", 432 "TN is not in service"); more than forwardMax
// numbers answer 421. A valid request applies at once and answers an
// orderId of a closed order.
func (st *state) forward(now time.Time, req *forwardReq, tollFree bool) answer {
	ts := st.tfs()
	b := req.body()
	items := b.TnList.TnItem
	if len(items) == 0 {
		return fail("414", "Fields are Required: tnList")
	}
	if len(items) > forwardMax {
		return fail("421", "Too Many TNs specified in the request")
	}
	tns := make([]uint64, len(items))
	for i := range items {
		it := &items[i]
		tn, ok := parseTN(string(it.TN))
		if !ok || isTollFree(tn) != tollFree {
			return fail("409", "Invalid TN submitted:["+string(it.TN)+"]")
		}
		remove := strings.EqualFold(strings.TrimSpace(it.RemoveForwardTo), "Y")
		if !remove {
			if string(it.ForwardTo) == "" {
				return fail("414", "Fields are Required: forwardTo")
			}
			if _, ok := parseTN(string(it.ForwardTo)); !ok {
				return fail("409", "Invalid TN submitted:["+string(it.ForwardTo)+"]")
			}
		}
		var s tnStatus
		if tollFree {
			s = ts.status(tn, now)
		} else {
			s = st.status(tn, now)
		}
		if s != stInService {
			return fail("432", "TN is not in service")
		}
		tns[i] = tn
	}
	o, inf := st.newTFOrder(now, kindChange, b.CustomerOrderReference, len(items), 103, "Change", "", false)
	if tollFree {
		o.ProductID = tfProductLoad
	} else {
		o.ProductName = "Telephone Number"
	}
	o.PendingAt = now
	for i := range items {
		it := &items[i]
		if strings.EqualFold(strings.TrimSpace(it.RemoveForwardTo), "Y") {
			delete(ts.forwards, tns[i])
		} else {
			n, _ := parseTN(string(it.ForwardTo))
			ts.forwards[tns[i]] = tnString(n)
		}
		if _, dup := inf.items[tns[i]]; !dup {
			o.addTF(inf, tfScreened{tns[i], it})
		}
	}
	o.seal(false)
	o.CloseAt = now
	return orderAnswer{success(), orderIDText(o)}
}
