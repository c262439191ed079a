package sandbox

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Request shapes of the state-changing number operations. privateKey is
// checked before decoding into these and is never journaled.

type tnReserveReq struct {
	TnReserve struct {
		TnList tnList `json:"tnList"`
	} `json:"tnReserve"`
}

type tnReleaseReq struct {
	TnRelease struct {
		TnList tnList `json:"tnList"`
	} `json:"tnRelease"`
}

type tnOrderReq struct {
	TnOrder struct {
		CustomerOrderReference string `json:"customerOrderReference,omitempty"`
		TnList                 tnList `json:"tnList"`
	} `json:"tnOrder"`
}

type tnUpdateReq struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 tnList `json:"tnList"`
}

type tnFeatureOrderReq struct {
	TnFeatureOrder struct {
		CustomerOrderReference string `json:"customerOrderReference,omitempty"`
		TnList                 tnList `json:"tnList"`
	} `json:"tnFeatureOrder"`
}

type portOutPinReq struct {
	PortOutPin struct {
		TnList tnList `json:"tnList"`
	} `json:"portOutPin"`
}

type tnNoteReq struct {
	TnNote struct {
		TnList tnList `json:"tnList"`
	} `json:"tnNote"`
}

type tnDisconnectReq struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 tnList `json:"tnList"`
}

// orderRefReq serves every order follow-up call.
type orderRefReq struct {
	OrderID                flexInt    `json:"orderId,omitempty"`
	CustomerOrderReference flexString `json:"customerOrderReference,omitempty"`
	TN                     tnValue    `json:"tn,omitempty"`
	OrderNote              string     `json:"orderNote,omitempty"`
}

// screenedItem is one valid number of a request and its item.
type screenedItem[I any] struct {
	tn   uint64
	item *I
}

// screened is one valid number of a telephone-number request.
type screened = screenedItem[tnItem]

// screen parses and checks every number; reason returns "" for valid ones.
func screen(items []tnItem, reason func(tn uint64, it *tnItem) string) ([]screened, []exclusion) {
	return screenItems(items, func(it *tnItem) string { return string(it.TN) }, nil, reason)
}

// screenItems is screen for any item type: number reads an item's number,
// accept (if not nil) limits which numbers are valid at all, and reason
// decides the rest. Numbers that do not parse, are not accepted or repeat
// an earlier one are excluded with the guide's reasons.
func screenItems[I any](items []I, number func(*I) string, accept func(uint64) bool, reason func(tn uint64, it *I) string) ([]screenedItem[I], []exclusion) {
	var ok []screenedItem[I]
	var ex []exclusion
	seen := make(map[uint64]bool, len(items))
	for i := range items {
		it := &items[i]
		tn, valid := parseTN(number(it))
		switch {
		case !valid || accept != nil && !accept(tn):
			ex = append(ex, exclusion{number(it), reasonInvalid})
		case seen[tn]:
			ex = append(ex, exclusion{tnString(tn), reasonDuplicate})
		default:
			seen[tn] = true
			if r := reason(tn, it); r != "" {
				ex = append(ex, exclusion{tnString(tn), r})
			} else {
				ok = append(ok, screenedItem[I]{tn, it})
			}
		}
	}
	return ok, ex
}

func required(name string) envelope { return fail("414", "Fields Are Required:"+name) }

func invalidValue(name string) envelope { return fail("414", "Invalid value entered for: "+name) }

// validCallingName: 15 characters or fewer with at least one letter.
func validCallingName(s string) bool {
	if len(s) > 15 {
		return false
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func removing(f fields) bool { return strings.EqualFold(f.get("removeTnFeature"), "Y") }

func hasFeatures(it *tnItem) bool {
	f := it.TnFeature
	if f == nil {
		return false
	}
	return f.CallerID.get("callingName") != "" || len(f.DirectoryListing) > 0 || len(f.E911) > 0 || len(f.Messaging) > 0
}

// featureExclusions decides, deterministically from the documented test
// inputs, which features of an item cannot be provisioned.
func featureExclusions(aw *addressWorld, rc *rateCenter, it *tnItem) (fx []string, e911Bad bool) {
	if string(it.PortOutPin) != "" && !rc.pinSupported() {
		fx = append(fx, reasonPinUnsupported)
	}
	f := it.TnFeature
	if f == nil {
		return fx, false
	}
	if cn := f.CallerID.get("callingName"); cn != "" && !removing(f.CallerID) && !validCallingName(cn) {
		fx = append(fx, reasonCNAMInvalid)
	}
	if len(f.DirectoryListing) > 0 && !removing(f.DirectoryListing) && !rc.dl {
		fx = append(fx, reasonDLUnsupported)
	}
	if len(f.E911) > 0 && !removing(f.E911) {
		if !rc.e911 {
			fx = append(fx, reasonE911Unsupp)
		} else if aw.orderE911Reason(f.E911) != "" {
			e911Bad = true
		}
	}
	if len(f.Messaging) > 0 && !removing(f.Messaging) && !rc.msg {
		fx = append(fx, reasonMsgUnsupported)
	}
	return fx, e911Bad
}

// applyFeatures stores an item's features on a number, skipping excluded
// ones; removeTnFeature=Y clears a feature.
func applyFeatures(r *tnRec, rc *rateCenter, it *tnItem, excluded []string, e911Bad bool) {
	has := func(reason string) bool {
		for _, x := range excluded {
			if x == reason {
				return true
			}
		}
		return false
	}
	if pin := string(it.PortOutPin); pin != "" && rc.pinSupported() {
		r.portOutPin = pin
	}
	if it.TnNote != "" {
		r.tnNote = it.TnNote
	}
	if len(it.EndUser) > 0 {
		r.endUser = cloneFields(it.EndUser)
	}
	f := it.TnFeature
	if f == nil {
		return
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
	set := func(dst *fields, src fields, excl bool) {
		switch {
		case src == nil:
		case removing(src):
			*dst = nil
		case !excl:
			*dst = cloneFields(src)
		}
	}
	set(&r.dl, f.DirectoryListing, has(reasonDLUnsupported))
	set(&r.e911, f.E911, has(reasonE911Unsupp) || e911Bad)
	set(&r.msg, f.Messaging, has(reasonMsgUnsupported))
	if r.endUser == nil && (r.callerID.get("callingName") != "" || len(r.dl) > 0) {
		r.endUser = fields{"typeOfService": "B"}
	} else if len(r.endUser) > 0 && r.endUser.get("typeOfService") == "" && (r.callerID.get("callingName") != "" || len(r.dl) > 0) {
		r.endUser["typeOfService"] = "B"
	}
}

func cloneFields(f fields) fields {
	if f == nil {
		return nil
	}
	c := make(fields, len(f))
	for k, v := range f {
		c[k] = v
	}
	return c
}

type orderAnswer struct {
	envelope
	OrderID string `json:"orderId"`
}

func orderIDText(o *order) string {
	if o == nil {
		return "null"
	}
	return strconv.FormatInt(o.ID, 10)
}

// activate puts a number on the account (a new-number order or a
// synchronous activation when o is nil).
func (st *state) activate(now time.Time, tn uint64, it *tnItem, o *order, idx int, excluded []string, e911Bad bool) {
	r := st.rec(tn, true)
	rc := st.w.rcOf(tn)
	r.reservedUntil = time.Time{}
	delete(st.reserved, tn)
	r.life = life{order: o, idx: idx}
	if o == nil {
		r.life.syncAt = now
		r.activateAt = now
	} else {
		r.activateAt, _ = o.doneAt(idx)
	}
	r.activateUser = "api_user"
	r.tg = it.TrunkGroup
	if r.tg == "" {
		r.tg = st.trunks[0]
	}
	r.tgPrev, r.tgOrder, r.change = "", nil, nil
	r.portOutPin, r.tnNote, r.endUser = "", "", nil
	r.callerID, r.dl, r.e911, r.msg = fields{"cnamDip": "N"}, nil, nil, nil
	applyFeatures(r, rc, it, excluded, e911Bad)
	r.everAssigned = true
	st.assigned[tn] = struct{}{}
}

// tnOrder: ≤100 numbers without features complete synchronously; more
// numbers or features make an order (see the Order Validation section).
func (st *state) tnOrder(now time.Time, req *tnOrderReq) answer {
	items := req.TnOrder.TnList.TnItem
	if len(items) == 0 {
		return required("tnList")
	}
	if bad := tnItemsLimits(items); bad != nil {
		return bad
	}
	for i := range items {
		if bad := featureRequired(items[i].TnFeature); bad != nil {
			return bad
		}
	}
	features := false
	for i := range items {
		if hasFeatures(&items[i]) {
			features = true
			break
		}
	}
	valid, ex := screen(items, func(tn uint64, it *tnItem) string {
		if r := st.newOrderReason(tn, now); r != "" {
			return r
		}
		if it.TrunkGroup != "" && !st.hasTrunk(it.TrunkGroup) {
			return reasonTrunkGroup
		}
		return ""
	})
	if len(items) <= 100 && !features {
		for _, v := range valid {
			st.activate(now, v.tn, v.item, nil, 0, nil, false)
		}
		return orderAnswer{envelope{exclusionStatus(ex), "200"}, "null"}
	}
	o := st.newOrder(now, kindNew, req.TnOrder.CustomerOrderReference, len(items), features)
	o.Excluded = ex
	for i, v := range valid {
		rc := st.w.rcOf(v.tn)
		fx, e911Bad := featureExclusions(st.w.addrs, rc, v.item)
		fx, e911Bad = st.recordFeatureExclusions(o, v, fx, e911Bad)
		o.Valid = append(o.Valid, v.tn)
		o.Items[v.tn] = v.item
		st.activate(now, v.tn, v.item, o, i, fx, e911Bad)
	}
	o.seal(features)
	status := "Success"
	if !o.Background {
		status = exclusionStatus(ex)
	}
	return orderAnswer{envelope{status, "200"}, orderIDText(o)}
}

// recordFeatureExclusions records an item's feature exclusions on the
// order, adds background provisioning failures (features.go) and returns
// the exclusions to apply.
func (st *state) recordFeatureExclusions(o *order, v screened, fx []string, e911Bad bool) ([]string, bool) {
	for _, r := range fx {
		o.FeatureExcl = append(o.FeatureExcl, exclusion{tnString(v.tn), r})
	}
	if e911Bad {
		o.E911Excl = append(o.E911Excl, e911Exclusion{tnString(v.tn), cloneFields(v.item.TnFeature.E911), st.w.addrs.orderE911Reason(v.item.TnFeature.E911)})
	}
	return st.provisioningFailures(o, v, fx, e911Bad)
}

// changeOrder is the shared path of tnUpdate, tnFeatureOrder and
// tnDisconnect: ≤100 numbers are validated at once and exclusions come
// back in the status; larger requests get a shell order whose exclusions
// appear in excludedTnList after validation.
func (st *state) changeOrder(now time.Time, kind, ref string, items []tnItem, extra func(tn uint64, it *tnItem) string, apply func(o *order, i int, v screened)) answer {
	if len(items) == 0 {
		return required("tnList")
	}
	valid, ex := screen(items, func(tn uint64, it *tnItem) string {
		if r := st.activeReason(tn, now, true); r != "" {
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
	o := st.newOrder(now, kind, ref, len(items), features)
	o.Excluded = ex
	for i, v := range valid {
		o.Valid = append(o.Valid, v.tn)
		o.Items[v.tn] = v.item
		apply(o, i, v)
	}
	o.seal(features)
	status := "Success"
	if !o.Background {
		status = exclusionStatus(ex)
	}
	return orderAnswer{envelope{status, "200"}, orderIDText(o)}
}

func (st *state) tnUpdate(now time.Time, req *tnUpdateReq) answer {
	return st.changeOrder(now, kindChange, req.CustomerOrderReference, req.TnList.TnItem,
		func(_ uint64, it *tnItem) string {
			if it.TrunkGroup == "" || !st.hasTrunk(it.TrunkGroup) {
				return reasonTrunkGroup
			}
			return ""
		},
		func(o *order, i int, v screened) {
			r := st.rec(v.tn, true)
			r.tgPrev = r.trunkGroup(o.Created)
			r.tg, r.tgOrder, r.tgIdx, r.change = v.item.TrunkGroup, o, i, o
		})
}

func (st *state) tnFeatureOrder(now time.Time, req *tnFeatureOrderReq) answer {
	if bad := tnItemsLimits(req.TnFeatureOrder.TnList.TnItem); bad != nil {
		return bad
	}
	return st.changeOrder(now, kindFeature, req.TnFeatureOrder.CustomerOrderReference, req.TnFeatureOrder.TnList.TnItem,
		func(_ uint64, it *tnItem) string {
			if it.TnFeature == nil {
				return "Fields Are Required:tnFeature"
			}
			return ""
		},
		func(o *order, _ int, v screened) {
			rc := st.w.rcOf(v.tn)
			fx, e911Bad := featureExclusions(st.w.addrs, rc, v.item)
			fx, e911Bad = st.recordFeatureExclusions(o, v, fx, e911Bad)
			r := st.rec(v.tn, true)
			applyFeatures(r, rc, v.item, fx, e911Bad)
			r.change = o
		})
}

func (st *state) tnDisconnect(now time.Time, req *tnDisconnectReq) answer {
	return st.changeOrder(now, kindDisco, req.CustomerOrderReference, req.TnList.TnItem, nil,
		func(o *order, i int, v screened) {
			r := st.rec(v.tn, true)
			r.life = life{order: o, idx: i}
			r.change = o
		})
}

// simpleUpdate is portOutPinUpdate / tnNoteUpdate: synchronous, no order.
// The guide documents no per-number error; exclusions use tnOrder's
// status grammar.
func (st *state) simpleUpdate(now time.Time, items []tnItem, check func(tn uint64, it *tnItem) string, apply func(r *tnRec, it *tnItem)) answer {
	if len(items) == 0 {
		return required("tnList")
	}
	valid, ex := screen(items, func(tn uint64, it *tnItem) string {
		if st.status(tn, now) != stInService {
			if st.status(tn, now).assigned() {
				return reasonNotInService
			}
			return reasonNotAssigned
		}
		return check(tn, it)
	})
	for _, v := range valid {
		apply(st.rec(v.tn, true), v.item)
	}
	return envelope{exclusionStatus(ex), "200"}
}

func (st *state) portOutPinUpdate(now time.Time, req *portOutPinReq) answer {
	return st.simpleUpdate(now, req.PortOutPin.TnList.TnItem,
		func(tn uint64, it *tnItem) string {
			if string(it.PortOutPin) == "" {
				return "Fields Are Required:portOutPin"
			}
			if !st.w.rcOf(tn).pinSupported() {
				return reasonPinUnsupported
			}
			return ""
		},
		func(r *tnRec, it *tnItem) { r.portOutPin = string(it.PortOutPin) })
}

func (st *state) tnNoteUpdate(now time.Time, req *tnNoteReq) answer {
	return st.simpleUpdate(now, req.TnNote.TnList.TnItem,
		func(uint64, *tnItem) string { return "" },
		func(r *tnRec, it *tnItem) { r.tnNote = it.TnNote })
}

type reserveAnswer struct {
	envelope
	TnReserveResponse *reserveCounts `json:"tnReserveResponse,omitempty"`
}

type reserveCounts struct {
	TotalTnCount    int         `json:"totalTnCount"`
	ReservedTnCount int         `json:"reservedTnCount"`
	ExcludedTnList  []tnOnlyRow `json:"excludedTnList,omitempty"`
}

type releaseAnswer struct {
	envelope
	TnReleaseResponse releaseCounts `json:"tnReleaseResponse"`
}

type releaseCounts struct {
	TotalTnCount    int         `json:"totalTnCount"`
	ReleasedTnCount int         `json:"releasedTnCount"`
	ExcludedTnList  []tnOnlyRow `json:"excludedTnList,omitempty"`
}

type tnOnlyRow struct {
	TN string `json:"tn"`
}

func excludedRows(ex []exclusion) []tnOnlyRow {
	out := make([]tnOnlyRow, len(ex))
	for i, e := range ex {
		out[i] = tnOnlyRow{e.tn}
	}
	return out
}

// tnReserve holds available numbers for four hours, up to limit per
// account; over the limit the whole request answers 431.
func (st *state) tnReserve(now time.Time, req *tnReserveReq, limit int) answer {
	items := req.TnReserve.TnList.TnItem
	if len(items) == 0 {
		return required("tnList")
	}
	valid, ex := screen(items, func(tn uint64, _ *tnItem) string {
		if st.status(tn, now) != stAvailable {
			return "not available"
		}
		return ""
	})
	if limit > 0 && st.reservedCount(now)+len(valid) > limit {
		return fail("431", "Request exceeds the maximum number of reserved TNs")
	}
	for _, v := range valid {
		r := st.rec(v.tn, true)
		r.reservedUntil = now.Add(reserveHold)
		st.reserved[v.tn] = struct{}{}
	}
	return reserveAnswer{success(), &reserveCounts{len(items), len(valid), excludedRows(ex)}}
}

func (st *state) tnRelease(now time.Time, req *tnReleaseReq) answer {
	items := req.TnRelease.TnList.TnItem
	if len(items) == 0 {
		return required("tnList")
	}
	valid, ex := screen(items, func(tn uint64, _ *tnItem) string {
		if st.status(tn, now) != stReserved {
			return "not reserved"
		}
		return ""
	})
	for _, v := range valid {
		st.rec(v.tn, true).reservedUntil = time.Time{}
		delete(st.reserved, v.tn)
	}
	return releaseAnswer{success(), releaseCounts{len(items), len(valid), excludedRows(ex)}}
}

func orderLookupArgs(req *orderRefReq) (int64, string, answer) {
	id, ref := int64(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && ref == "" {
		return 0, "", required("orderId")
	}
	return id, ref, nil
}

var orderNotFound = fail("430", "Order not found")

// orderCancel moves a Pending order to Pending Cancel.
func (st *state) orderCancel(now time.Time, req *orderRefReq) answer {
	id, ref, bad := orderLookupArgs(req)
	if bad != nil {
		return bad
	}
	o := st.findOrder(id, ref)
	if o == nil {
		return orderNotFound
	}
	if o.status(now) != "Pending" {
		return fail("410", "Invalid Request: only orders in Pending status can be canceled")
	}
	o.CancelReqAt = now
	return success()
}

type noteAnswer struct {
	envelope
	NoteID string `json:"noteId"`
}

func (st *state) orderAddNote(now time.Time, req *orderRefReq) answer {
	id, ref, bad := orderLookupArgs(req)
	if bad != nil {
		return bad
	}
	if strings.TrimSpace(req.OrderNote) == "" {
		return required("orderNote")
	}
	o := st.findOrder(id, ref)
	if o == nil {
		return orderNotFound
	}
	n := orderNote{ID: st.nextNote, Note: req.OrderNote, At: now, User: "api_user"}
	st.nextNote++
	o.Notes = append(o.Notes, n)
	return noteAnswer{envelope{"Success", 200}, strconv.FormatInt(n.ID, 10)}
}
