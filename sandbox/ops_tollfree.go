package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
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
func labelReason(l string) (string, string) {
	if strings.TrimSpace(l) == "" {
		return "", "Fields Are Required:routingLabel"
	}
	label, ok := routingLabelOf(l)
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
		if _, r := labelReason(it.RoutingLabel); r != "" {
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
	r.label, _ = routingLabelOf(it.RoutingLabel)
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
		func(_ uint64, it *tfItem) string { _, r := labelReason(it.RoutingLabel); return r },
		func(o *order, i int, v tfScreened) {
			r := ts.recs[v.tn]
			r.labelPrev = ts.labelAt(r, o.Created)
			r.label, _ = routingLabelOf(v.item.RoutingLabel)
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

// orderAddDocument attaches a document to any order. The first document on
// a toll-free port-in is its LOA: the port proceeds from then on.
func (st *state) orderAddDocument(now time.Time, req *orderAddDocumentReq) answer {
	id, ref := int64(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && ref == "" {
		return required("orderId")
	}
	if strings.TrimSpace(req.DocumentName) == "" {
		return required("documentName")
	}
	if strings.TrimSpace(req.FileContent) == "" {
		return required("fileContent")
	}
	if _, err := base64.StdEncoding.DecodeString(strings.TrimSpace(req.FileContent)); err != nil {
		return invalidValue("fileContent")
	}
	o := st.findOrder(id, ref)
	if o == nil {
		return orderNotFound
	}
	ts := st.tfs()
	d := orderDoc{ID: ts.nextDoc, Name: req.DocumentName, Desc: req.DocumentDescription, FileContent: strings.TrimSpace(req.FileContent), At: now}
	ts.nextDoc++
	ts.docs[o.ID] = append(ts.docs[o.ID], d)
	if inf := ts.info[o.ID]; inf != nil && inf.port && inf.loaAt.IsZero() && o.CancelReqAt.IsZero() {
		inf.loaAt = now
		start := o.PendingAt
		if now.After(start) {
			start = now
		}
		o.CloseAt = start.Add(time.Duration(len(o.Valid)) * tnRoutingStep)
		if inf.features {
			o.CloseAt = o.CloseAt.Add(featureDelay)
		}
	}
	return obj{envelope{"Success", 200}, map[string]any{"documentId": strconv.FormatInt(d.ID, 10)}}
}

// ---- reads ----

func (s *Server) orderDocument(_ time.Time, raw []byte) answer {
	o, _, bad := s.lookupOrder(raw)
	if bad != nil {
		return bad
	}
	docs := s.st.tfs().docs[o.ID]
	if len(docs) == 0 {
		return fail("430", "No Results Found")
	}
	rows := make([]map[string]any, len(docs))
	for i, d := range docs {
		rows[i] = map[string]any{"documentId": d.ID, "documentName": d.Name, "fileContent": d.FileContent, "description": d.Desc, "mimeType": "application/octet-stream"}
	}
	return obj{success(), map[string]any{"orderDocumentList": map[string]any{"orderDocument": rows}}}
}

// OrderDocument is a document the sandbox holds for an order.
type OrderDocument struct {
	ID          int64
	Name        string
	Description string
	Size        int // decoded bytes
	At          time.Time
}

// OrderDocuments lists the documents attached to an order (for tests and
// demos: a port-in's LOA, say).
func (s *Server) OrderDocuments(orderID int64) []OrderDocument {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OrderDocument
	for _, d := range s.st.tfs().docs[orderID] {
		b, _ := base64.StdEncoding.DecodeString(d.FileContent)
		out = append(out, OrderDocument{ID: d.ID, Name: d.Name, Description: d.Desc, Size: len(b), At: d.At})
	}
	return out
}

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
		{"routinglabel", func(v string) bool { l, _ := routingLabelOf(v); return ts.labelAt(r, now) == l }},
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
			label, _ := routingLabelOf(it.RoutingLabel)
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
