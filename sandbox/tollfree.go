package sandbox

import (
	"sort"
	"strings"
	"time"
)

// The toll-free world. Like the telephone-number world it is computed, never
// stored: a toll-free number's registry class follows from the first digit
// of its exchange (documented in doc.go, "Toll free"):
//
//	8XX-5xx, 8XX-9xx  on the account's own RespOrg (IQB01, ABC45): load with 8XX
//	8XX-2xx, 8XX-6xx  spare in Inteliquent's inventory (LQX01): tfInventory, 8XXAVAIL
//	8XX-3xx, 8XX-7xx  working on another RespOrg (QYR01): port with 8XXPORTIN
//	other exchanges   not available ("TN is marked Not Available in our inventory")
//
// for the prefixes 800, 833, 844, 855, 866, 877 and 888. A few of the guide's
// example numbers are In Service on the account from the start.

// tfClass is a toll-free number's registry class.
type tfClass uint8

const (
	tfNone  tfClass = iota // not available
	tfOwn                  // on one of the account's RespOrgs
	tfSpare                // spare in Inteliquent's inventory
	tfOther                // working on another RespOrg
)

// tfNPAs are the toll-free prefixes.
var tfNPAs = []uint64{800, 833, 844, 855, 866, 877, 888}

// Constant reference data of the toll-free world.
const (
	respOrgInteliquent = "LQX01"
	respOrgOther       = "QYR01"
	defaultCIC         = "0913"
	tfProductLoad      = 122 // orderList productId: toll free load order
	tfProductPortIn    = 131 // toll free port-in order
	tfProductAvail     = 134 // toll free inventory order
	tfProductName      = "Toll Free Number"
	// tfAvailMonthly is the guide's 8XXAVAIL cap ("max 100 per month").
	tfAvailMonthly = 100
	// forwardMax is the sandbox's limit for tnForward/tfForward (421; the
	// guide gives none).
	forwardMax = 100
)

// accountRespOrgs are the RespOrg ids that belong to the account.
var accountRespOrgs = map[string]string{"IQB01": "iqbulk Demo RespOrg", "ABC45": "Example RespOrg Co."}

var respOrgNames = map[string]string{respOrgInteliquent: "Inteliquent", respOrgOther: "Other RespOrg Co.", "IQB01": "iqbulk Demo RespOrg", "ABC45": "Example RespOrg Co."}

// cics are the supported CICs (cicList).
var cics = []struct{ respOrg, cic, company string }{
	{"LQX01", "0913", "Inteliquent"},
	{"GDG01", "0222", "AT&T"},
	{"GDG01", "0432", "Lumen"},
	{"QYR01", "0555", "Verizon Business"},
	{"QYR01", "5102", "Level 3"},
	{"QYR01", "2121", "Sprint"},
}

func cicCompany(c string) (string, bool) {
	for _, x := range cics {
		if x.cic == c {
			return x.company, true
		}
	}
	return "", false
}

// routingLabel is one of the account's toll-free routing labels: its
// customerAssignedName, the label, how calls are spread over its routes,
// and the routes (trunk group and proportion, in sequence).
type routingLabel struct {
	name, label, prio string
	routes            []labelRoute
}

type labelRoute struct{ tg, proportion string }

// seedRoutingLabels are the account's routing labels when the world starts;
// tfState keeps its own copy, which routingLabelUpdate renames and
// trunkGroupUpdate follows.
func seedRoutingLabels() []routingLabel {
	return []routingLabel{
		{"", "NTNYC-690-8XX-123", "Sequence", []labelRoute{{"TG_NEWYORK_01", "0"}, {"CHCGIL24CL1_897", "0"}}},
		{"", "NTNYC-690-8XX-124", "Sequence", []labelRoute{{"TG_NEWYORK_01", "0"}}},
		{"Chicago primary", "NTCHI-1050-8XX-950", "Percentage", []labelRoute{{"TG_CHICAGO_01", "50"}, {"TG_CHICAGO_02", "50"}}},
		{"", "NTMIL01-8XX-0222-1-124", "Sequence", []labelRoute{{"MILWWI1261T_406", "0"}, {"MILWWI4561T_702", "0"}}},
	}
}

// routingLabelOf resolves a label or a customerAssignedName to the label.
func (ts *tfState) routingLabelOf(s string) (string, bool) {
	if l := ts.findLabel(s); l != nil {
		return l.label, true
	}
	return "", false
}

// findLabel finds a routing label by label or customerAssignedName.
func (ts *tfState) findLabel(s string) *routingLabel {
	s = strings.TrimSpace(s)
	for i := range ts.labels {
		if l := &ts.labels[i]; s != "" && (l.label == s || l.name == s) {
			return l
		}
	}
	return nil
}

// tfPortfolio is In Service on the account from the start (the guide's
// example numbers, so its examples run as printed).
var tfPortfolio = []struct {
	tn             uint64
	label, note    string
	callingName    string
	forwardTo      string
	respOrg, cicsV string
}{
	{8002012311, "NTCHI-1050-8XX-950", "Sample Note", "Harry Fuzz", "", "ABC45", "0913,5102"},
	{8553489654, "NTNYC-690-8XX-123", "", "", "", "IQB01", "0913"},
	{8663489655, "NTNYC-690-8XX-123", "", "", "", "IQB01", "0913"},
	{8001231234, "NTNYC-690-8XX-123", "", "", "3123752629", "IQB01", "0913"},
}

// isTollFree reports whether tn has a toll-free prefix.
func isTollFree(tn uint64) bool {
	npa := tn / 10000000
	for _, p := range tfNPAs {
		if npa == p {
			return true
		}
	}
	return false
}

// tfClassOf is the registry class of a toll-free number.
func tfClassOf(tn uint64) tfClass {
	if !isTollFree(tn) {
		return tfNone
	}
	switch (tn / 1000000) % 10 {
	case 5, 9:
		return tfOwn
	case 2, 6:
		return tfSpare
	case 3, 7:
		return tfOther
	}
	return tfNone
}

// tfItem is one toll-free number of a tfOrder/tfUpdate/tfFeatureOrder/
// tfDisconnect/forwarding request. The guide's tfOrder example spells
// resporgId "resporId"; both are accepted.
type tfItem struct {
	TN              tnValue    `json:"tn"`
	ResporgID       string     `json:"resporgId,omitempty"`
	ResporID        string     `json:"resporId,omitempty"`
	RoutingLabel    string     `json:"routingLabel,omitempty"`
	CicList         *cicListV  `json:"cicList,omitempty"`
	TnNote          string     `json:"tnNote,omitempty"`
	TnFeature       *tnFeature `json:"tnFeature,omitempty"`
	ForwardTo       tnValue    `json:"forwardTo,omitempty"`
	RemoveForwardTo string     `json:"removeForwardTo,omitempty"`
}

type cicListV struct {
	Cic []flexString `json:"cic"`
}

func (it *tfItem) resporg() string {
	if it.ResporgID != "" {
		return strings.TrimSpace(it.ResporgID)
	}
	return strings.TrimSpace(it.ResporID)
}

type tfList struct {
	TnItem []tfItem `json:"tnItem"`
}

func (l *tfList) tns() []string {
	out := make([]string, len(l.TnItem))
	for i, it := range l.TnItem {
		out[i] = string(it.TN)
	}
	return out
}

// tfRec is the stored state of one toll-free number.
type tfRec struct {
	tn               uint64
	life             life
	label, labelPrev string
	labelOrder       *order
	labelIdx         int
	respOrg          string
	cics             []string
	note             string
	callerID, e911   fields
	msg              fields
	e911At           time.Time
	activateAt       time.Time
	change           *order
	avail            bool // ordered with 8XXAVAIL
	activateUser     string
}

// tfOrderInfo is what a toll-free order carries besides the generic order.
type tfOrderInfo struct {
	product string
	port    bool
	loaAt   time.Time
	items   map[uint64]*tfItem
	// features says whether the order changes features (its close time
	// includes the feature delay).
	features bool
}

// orderDoc is a document attached with orderAddDocument.
type orderDoc struct {
	ID          int64
	Name, Desc  string
	FileContent string
	At          time.Time
}

// tfState is the toll-free, forwarding and order-document state, hung off
// state.
type tfState struct {
	recs     map[uint64]*tfRec
	assigned map[uint64]struct{}
	info     map[int64]*tfOrderInfo
	docs     map[int64][]orderDoc
	nextDoc  int64
	forwards map[uint64]string // tn -> forwardTo (telephone and toll-free numbers)
	availBy  map[string]int    // "2006-01" -> numbers ordered with 8XXAVAIL
	labels   []routingLabel    // the account's routing labels
}

// tfs returns the toll-free state, creating (and seeding) it on first use.
func (st *state) tfs() *tfState {
	if st.tf == nil {
		ts := &tfState{
			recs: map[uint64]*tfRec{}, assigned: map[uint64]struct{}{}, info: map[int64]*tfOrderInfo{},
			docs: map[int64][]orderDoc{}, nextDoc: 207001, forwards: map[uint64]string{}, availBy: map[string]int{},
			labels: seedRoutingLabels(),
		}
		for _, p := range tfPortfolio {
			r := &tfRec{tn: p.tn, life: life{syncAt: portfolioActivated}, label: p.label, note: p.note,
				respOrg: p.respOrg, cics: strings.Split(p.cicsV, ","), activateAt: portfolioActivated, activateUser: "api_user",
				callerID: fields{"cnamDip": "N"}}
			if p.callingName != "" {
				r.callerID["callingName"] = p.callingName
			}
			ts.recs[p.tn] = r
			ts.assigned[p.tn] = struct{}{}
			if p.forwardTo != "" {
				ts.forwards[p.tn] = p.forwardTo
			}
		}
		st.tf = ts
	}
	return st.tf
}

// farFuture stands for "not until an LOA is attached".
var farFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// doneAt is when the i-th number of a toll-free order is processed; ok is
// false when a cancel came first. A port-in waits for its LOA.
func (ts *tfState) doneAt(o *order, i int) (time.Time, bool) {
	start := o.PendingAt
	if inf := ts.info[o.ID]; inf != nil && inf.port {
		if inf.loaAt.IsZero() {
			return farFuture, o.CancelReqAt.IsZero()
		}
		if inf.loaAt.After(start) {
			start = inf.loaAt
		}
	}
	t := start.Add(time.Duration(i+1) * tnRoutingStep)
	if !o.CancelReqAt.IsZero() && t.After(o.CancelReqAt) {
		return t, false
	}
	return t, true
}

// status is a toll-free number's state at now: stAvailable for a spare
// number, stOther for one on another RespOrg, stReserved for one on the
// account's RespOrg not yet loaded, stNone otherwise; stPending,
// stInService, stPendingDisconnect once on the account.
func (ts *tfState) status(tn uint64, now time.Time) tnStatus {
	base := stNone
	switch tfClassOf(tn) {
	case tfSpare:
		base = stAvailable
	case tfOther:
		base = stOther
	case tfOwn:
		base = stReserved
	}
	r := ts.recs[tn]
	if r == nil {
		return base
	}
	if o := r.life.order; o != nil {
		done, ok := ts.doneAt(o, r.life.idx)
		switch o.Kind {
		case kindNew:
			switch {
			case ok && !now.Before(done):
				return stInService
			case !ok && !now.Before(o.canceledAt()):
				return base
			}
			return stPending
		case kindDisco:
			switch {
			case ok && !now.Before(done):
				return base
			case !ok && !now.Before(o.canceledAt()):
				return stInService
			}
			return stPendingDisconnect
		}
	}
	if !r.life.syncAt.IsZero() {
		return stInService
	}
	return base
}

// labelAt is the effective routing label at now.
func (ts *tfState) labelAt(r *tfRec, now time.Time) string {
	if r.labelOrder != nil {
		if done, ok := ts.doneAt(r.labelOrder, r.labelIdx); !ok || now.Before(done) {
			return r.labelPrev
		}
	}
	return r.label
}

// assignedSorted lists toll-free numbers on the account at now, sorted.
func (ts *tfState) assignedSorted(now time.Time) []uint64 {
	out := make([]uint64, 0, len(ts.assigned))
	for tn := range ts.assigned {
		if ts.status(tn, now).assigned() {
			out = append(out, tn)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// newReason is why tn can't be loaded, ported or ordered with product now.
func (ts *tfState) newReason(tn uint64, now time.Time, product string) string {
	switch s := ts.status(tn, now); {
	case s == stPending || s == stPendingDisconnect:
		return reasonOnOrder
	case s == stInService:
		return reasonAssigned
	}
	c := tfClassOf(tn)
	switch product {
	case "8XX":
		if c != tfOwn {
			return "TN is not on a RespOrg of this customer"
		}
	case "8XXPORTIN":
		if c == tfOwn {
			return "TN is already on a RespOrg of this customer; load it with 8XX"
		}
		if c != tfOther {
			return "TN is not portable"
		}
	case "8XXAVAIL":
		if c != tfSpare {
			return reasonNotInInventory
		}
	}
	return ""
}

// activeReason is why tn can't take a change or disconnect order now.
func (ts *tfState) activeReason(tn uint64, now time.Time) string {
	switch ts.status(tn, now) {
	case stInService:
		if r := ts.recs[tn]; r != nil && r.change != nil && r.change.open(now) {
			return reasonOnOrder
		}
		return ""
	case stPending, stPendingDisconnect:
		return reasonOnOrder
	}
	return reasonNotAssigned
}

func monthKey(t time.Time) string { return t.UTC().Format("2006-01") }
