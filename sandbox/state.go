package sandbox

import (
	"sort"
	"time"
)

// tnStatus is a number's state in the sandbox.
type tnStatus uint8

const (
	stNone              tnStatus = iota // not in inventory
	stAvailable                         // in inventory, free
	stReserved                          // reserved by this account
	stOther                             // reserved by another customer
	stPending                           // on a new-number order, not routed yet
	stInService                         // assigned, active
	stPendingDisconnect                 // on a disconnect order, not removed yet
)

// name is the tnStatus text the guide's answers use.
func (s tnStatus) name() string {
	switch s {
	case stPending:
		return "Pending"
	case stInService:
		return "In Service"
	case stPendingDisconnect:
		return "Pending Disconnect"
	case stReserved:
		return "Reserved"
	case stAvailable:
		return "Available"
	}
	return "Not Available"
}

func (s tnStatus) assigned() bool {
	return s == stPending || s == stInService || s == stPendingDisconnect
}

// Guide reason texts for excluded numbers.
const (
	reasonNotInInventory = "TN is marked Not Available in our inventory"
	reasonOnOrder        = "TN is on an existing order"
	reasonAssigned       = "TN is already assigned to this customer"
	reasonOther          = "TN is reserved by another customer"
	reasonInvalid        = "TN is not valid"
	reasonDuplicate      = "TN is duplicated in the request"
	reasonNotAssigned    = "TN is not assigned to this customer"
	reasonNotInService   = "TN is not in service"
	reasonTrunkGroup     = "Invalid Trunk Group"
	reasonPinUnsupported = "Port-out PIN is not supported"
	reasonDLUnsupported  = "Directory Listing is not supported"
	reasonE911Unsupp     = "E911 is not supported"
	reasonMsgUnsupported = "Messaging is not supported"
	reasonCNAMInvalid    = "Calling Name is not valid"
)

// order kinds
const (
	kindNew     = "NEW"
	kindDisco   = "DISCO"
	kindChange  = "CHANGE"
	kindFeature = "FEATURE"
)

type exclusion struct {
	tn     string
	reason string
}

type e911Exclusion struct {
	tn     string
	e911   fields
	reason string
}

type orderNote struct {
	ID   int64
	Note string
	At   time.Time
	User string
}

// order is a TN order, trunk group change, feature order or disconnect.
type order struct {
	ID           int64
	Ref          string
	Kind         string
	ProductID    int
	ServiceOrder string // New, Change, Disconnect
	ProductName  string
	Created      time.Time
	PendingAt    time.Time
	CloseAt      time.Time
	CancelReqAt  time.Time
	Requested    int
	Valid        []uint64 // routing sequence
	Items        map[uint64]*tnItem
	Excluded     []exclusion
	FeatureExcl  []exclusion
	FeatureFail  []exclusion // failed features without an excludedFeatureList entry (features.go)
	E911Excl     []e911Exclusion
	Notes        []orderNote
	Background   bool       // exclusions known only after validation
	port         *portOrder // port-in orders only (portin.go)
}

const (
	tnRoutingStep = 250 * time.Millisecond // four numbers per second
	cancelReview  = 30 * time.Second
	featureDelay  = 3 * time.Second
	reserveHold   = 4 * time.Hour
	tokenLifetime = time.Hour
)

func incompleteFor(n int) time.Duration {
	if n <= 100 {
		return 12 * time.Second // "10-15 seconds" for small orders
	}
	return 15*time.Second + time.Duration(n/100)*time.Second
}

// doneAt is when the i-th number of the routing sequence is processed;
// ok is false when a cancel request came first.
func (o *order) doneAt(i int) (time.Time, bool) {
	t := o.PendingAt.Add(time.Duration(i+1) * tnRoutingStep)
	if !o.CancelReqAt.IsZero() && t.After(o.CancelReqAt) {
		return t, false
	}
	return t, true
}

func (o *order) canceledAt() time.Time { return o.CancelReqAt.Add(cancelReview) }

// status is the order status name at now.
func (o *order) status(now time.Time) string {
	switch {
	case now.Before(o.PendingAt):
		return "Incomplete"
	case len(o.Valid) == 0:
		return "Canceled"
	case !o.CancelReqAt.IsZero():
		if now.Before(o.canceledAt()) {
			return "Pending Cancel"
		}
		return "Canceled"
	case now.Before(o.CloseAt):
		return "Pending"
	}
	return "Closed"
}

// open reports whether the order still holds its numbers.
func (o *order) open(now time.Time) bool {
	s := o.status(now)
	return s == "Incomplete" || s == "Pending" || s == "Pending Cancel"
}

func statusCodeOf(name string) string {
	switch name {
	case "Incomplete":
		return "INCOMPLT"
	case "Pending":
		return "PENDING"
	case "Pending Cancel":
		return "PCNCL"
	case "Canceled":
		return "CNCL"
	}
	return "CLSD"
}

// life is what last put a number on (or off) the account.
type life struct {
	order  *order // NEW or DISCO order; nil for a synchronous activation
	idx    int
	syncAt time.Time // synchronous activation time (order == nil)
}

// tnRec is the stored change for one number; numbers without a record
// are as the seeded world says.
type tnRec struct {
	tn            uint64
	reservedUntil time.Time
	life          life
	change        *order // last trunk group / feature order
	tg, tgPrev    string
	tgOrder       *order
	tgIdx         int
	portOutPin    string
	tnNote        string
	endUser       fields
	callerID      fields
	dl, e911, msg fields
	activateAt    time.Time
	activateUser  string
	everAssigned  bool
}

// status computes the number's state at now from stored timestamps.
func (r *tnRec) status(now time.Time, base tnStatus) tnStatus {
	if o := r.life.order; o != nil {
		done, ok := o.doneAt(r.life.idx)
		switch o.Kind {
		case kindNew:
			if ok && !now.Before(done) {
				return stInService
			}
			if !ok && !now.Before(o.canceledAt()) {
				return r.afterLife(now, stAvailable)
			}
			return stPending
		case kindDisco:
			if ok && !now.Before(done) {
				return r.afterLife(now, stAvailable)
			}
			if !ok && !now.Before(o.canceledAt()) {
				return stInService
			}
			return stPendingDisconnect
		case kindPortIn:
			return r.portInStatus(now, base)
		}
	}
	if !r.life.syncAt.IsZero() {
		return stInService
	}
	return r.afterLife(now, base)
}

func (r *tnRec) afterLife(now time.Time, base tnStatus) tnStatus {
	if now.Before(r.reservedUntil) {
		return stReserved
	}
	if base == stOther || base == stNone {
		return base
	}
	return stAvailable
}

// trunkGroup is the effective trunk group at now.
func (r *tnRec) trunkGroup(now time.Time) string {
	if r.tgOrder != nil {
		if done, ok := r.tgOrder.doneAt(r.tgIdx); !ok || now.Before(done) {
			return r.tgPrev
		}
	}
	return r.tg
}

// state is everything that changed from the seeded world.
type state struct {
	w         *world
	recs      map[uint32]map[uint32]*tnRec // npanxx -> line -> rec
	assigned  map[uint64]struct{}          // numbers ever assigned
	reserved  map[uint64]struct{}          // numbers ever reserved (pruned lazily)
	orders    map[int64]*order
	orderSeq  []*order
	byRef     map[string][]*order
	nextOrder int64
	nextNote  int64
	trunks    []string
	e911x     *e911Ext // notification emails and campaigns (ops_e911.go)
	// featureFail is Faults.FeatureFail of the change being applied
	// (journaled with it); features.go.
	featureFail float64
	tf          *tfState   // toll free, forwarding, order documents (tollfree.go)
	intl        *intlState // international numbers and orders (intl_state.go)
	ref         *refState  // tickets, account defaults, voice scripts, port-outs (ops_reference.go)
}

func newState(w *world) *state {
	st := &state{
		w:         w,
		recs:      map[uint32]map[uint32]*tnRec{},
		assigned:  map[uint64]struct{}{},
		reserved:  map[uint64]struct{}{},
		orders:    map[int64]*order{},
		byRef:     map[string][]*order{},
		nextOrder: 2000001,
		nextNote:  30000001,
		trunks:    append([]string(nil), trunkGroups...),
	}
	st.seedPortfolio()
	return st
}

// trunkGroups on the account (documented in doc.go).
var trunkGroups = []string{"TG_CHICAGO_01", "TG_CHICAGO_02", "TG_NEWYORK_01", "TG_DALLAS_01", "CHCGIL24CL1_897", "ATLNGAQS08T_266"}

// portfolio: numbers In Service on the account from the start (the
// guide's own example numbers, so its examples run as printed).
var portfolio = []struct {
	tn uint64
	tg string
}{
	{3123489651, "CHCGIL24CL1_897"}, {3123489652, "CHCGIL24CL1_897"}, {3123489653, "CHCGIL24CL1_897"},
	{3123489654, "CHCGIL24CL1_897"}, {3123489655, "CHCGIL24CL1_897"}, {3123489656, "CHCGIL24CL1_897"},
	{3123489657, "CHCGIL24CL1_897"}, {3123489658, "CHCGIL24CL1_897"}, {3123489659, "CHCGIL24CL1_897"},
	{3124795862, "CHCGIL24CL1_897"}, {3124795863, "CHCGIL24CL1_897"},
	{7735162004, "CHCGIL24CL1_897"}, {2012151499, "ATLNGAQS08T_266"},
	{3123488244, "CHCGIL24CL1_897"}, {3123488246, "CHCGIL24CL1_897"}, // tnE911 / tnE911Validate / tnMessaging examples
}

var portfolioActivated = time.Date(2017, 3, 29, 14, 0, 46, 0, time.UTC)

func (st *state) seedPortfolio() {
	for _, p := range portfolio {
		r := st.rec(p.tn, true)
		r.life = life{syncAt: portfolioActivated}
		r.tg = p.tg
		r.activateAt = portfolioActivated
		r.activateUser = "api_user"
		r.callerID = fields{"cnamDip": "N"}
		r.everAssigned = true
		st.assigned[p.tn] = struct{}{}
	}
}

// rec returns the record of tn, creating it when create is set.
func (st *state) rec(tn uint64, create bool) *tnRec {
	npanxx, line := uint32(tn/10000), uint32(tn%10000)
	m := st.recs[npanxx]
	if m == nil {
		if !create {
			return nil
		}
		m = map[uint32]*tnRec{}
		st.recs[npanxx] = m
	}
	r := m[line]
	if r == nil && create {
		r = &tnRec{tn: tn}
		m[line] = r
	}
	return r
}

// baseStatus is what the seeded world says about tn.
func (st *state) baseStatus(tn uint64) tnStatus {
	bl, line, ok := st.w.lookup(tn)
	if !ok {
		return stNone
	}
	switch bl.class(line) {
	case lineAvailable:
		return stAvailable
	case lineOther:
		return stOther
	}
	return stNone
}

// status is the state of tn at now.
func (st *state) status(tn uint64, now time.Time) tnStatus {
	base := st.baseStatus(tn)
	if r := st.rec(tn, false); r != nil {
		return r.status(now, base)
	}
	return base
}

// newOrderReason is why tn can't be ordered now ("" when it can).
func (st *state) newOrderReason(tn uint64, now time.Time) string {
	switch st.status(tn, now) {
	case stAvailable, stReserved:
		return ""
	case stPending, stPendingDisconnect:
		return reasonOnOrder
	case stInService:
		return reasonAssigned
	case stOther:
		return reasonOther
	}
	return reasonNotInInventory
}

// activeReason is why tn can't take a change/disconnect order now.
func (st *state) activeReason(tn uint64, now time.Time, orderKind bool) string {
	switch st.status(tn, now) {
	case stInService:
		if orderKind {
			if r := st.rec(tn, false); r != nil && r.change != nil && r.change.open(now) {
				return reasonOnOrder
			}
		}
		return ""
	case stPending, stPendingDisconnect:
		return reasonOnOrder
	}
	return reasonNotAssigned
}

func (st *state) hasTrunk(tg string) bool {
	for _, t := range st.trunks {
		if t == tg {
			return true
		}
	}
	return false
}

func (st *state) newOrder(now time.Time, kind, ref string, requested int, features bool) *order {
	o := &order{
		ID: st.nextOrder, Ref: ref, Kind: kind, Created: now, Requested: requested,
		Items: map[uint64]*tnItem{}, Background: requested > 100,
	}
	st.nextOrder++
	switch kind {
	case kindNew:
		o.ProductID, o.ServiceOrder, o.ProductName = 103, "New", "Telephone Number"
	case kindDisco:
		o.ProductID, o.ServiceOrder, o.ProductName = 103, "Disconnect", "Telephone Number"
	case kindChange:
		o.ProductID, o.ServiceOrder, o.ProductName = 103, "Change", "Telephone Number"
	case kindFeature:
		o.ProductID, o.ServiceOrder, o.ProductName = 128, "Change", "Telephone Number Feature"
	}
	o.PendingAt = now.Add(incompleteFor(requested))
	_ = features
	st.orders[o.ID] = o
	st.orderSeq = append(st.orderSeq, o)
	if ref != "" {
		st.byRef[ref] = append(st.byRef[ref], o)
	}
	return o
}

// seal fixes the order's close time once its valid numbers are known.
func (o *order) seal(features bool) {
	o.CloseAt = o.PendingAt.Add(time.Duration(len(o.Valid)) * tnRoutingStep)
	if features {
		o.CloseAt = o.CloseAt.Add(featureDelay)
	}
}

// findOrder looks an order up by id or, failing that, by reference (the
// latest order with that reference).
func (st *state) findOrder(id int64, ref string) *order {
	if id != 0 {
		o := st.orders[id]
		if o != nil && ref != "" && o.Ref != ref {
			return nil
		}
		return o
	}
	if l := st.byRef[ref]; len(l) > 0 {
		return l[len(l)-1]
	}
	return nil
}

// assignedSorted lists numbers on the account at now, sorted.
func (st *state) assignedSorted(now time.Time) []uint64 {
	out := make([]uint64, 0, len(st.assigned))
	for tn := range st.assigned {
		if st.status(tn, now).assigned() {
			out = append(out, tn)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// reservedCount counts numbers reserved now, pruning expired ones.
func (st *state) reservedCount(now time.Time) int {
	n := 0
	for tn := range st.reserved {
		if st.status(tn, now) == stReserved {
			n++
		} else {
			delete(st.reserved, tn)
		}
	}
	return n
}
