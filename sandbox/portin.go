package sandbox

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// The port-in lifecycle (guide: Order Port-In Telephone Number, Order
// Validation, Port-In Status), computed lazily from stored timestamps like
// every other order:
//
//	created ──validation (Incomplete)──▶ Pending ──focDelay──▶ Received FOC (portDt)
//	                                           └─────────▶ jeopardy (tnStatus = rejection reason)
//	Received FOC ──portDt + desiredPortTime──▶ Complete      (onDemandActivation N)
//	Received FOC ──portInOrderActivate on/after portDt──▶ Activated (onDemandActivation Y)
//	jeopardy ──orderUpdate with corrected data──▶ Pending (a new FOC cycle)
//
// Numbers are Pending on the account (tnDetail) from the order until they
// complete, then In Service. Canceled numbers go back to their carrier.

const (
	kindPortIn = "PORTIN"
	// focDelay is how long the losing carrier takes to confirm (FOC) or
	// reject a number, from the end of validation or from an orderUpdate.
	focDelay = 24 * time.Hour
	// reasonResellerCanada excludes a Canadian number from a port order
	// without resellerName (guide 6979).
	reasonResellerCanada = "Reseller Name is required for Canadian Port Orders"
	// onDemandMax is the guide's "200 or fewer per losing carrier".
	onDemandMax = 200

	reasonNotApprovedRC = "TN is not in an approved Inteliquent rate center"
	reasonInInventory   = "TN is in Inteliquent inventory; order it with tnOrder"
	reasonNotOnNet      = "TN is not on-net (Tier 0)"
	reasonNotOnOrder    = "TN is not on this order"
	reasonNotPending    = "TN is not pending"
	reasonWirelessFlag  = "Wireless TN; send wireless Y"
)

// portTimeZones are the guide's desiredPortTimeZone values with fixed UTC
// offsets (the sandbox ignores daylight saving time).
var portTimeZones = map[string]int{"US/Eastern": -5, "US/Central": -6, "US/Mountain": -7, "US/Pacific": -8, "GMT": 0}

// losingCarriers name the groups of a port-in order ("Group ID n - carrier").
// Wireline numbers belong to one of the first five by NPA-NXX; wireless
// numbers (NXX ending in 7) to the last.
var losingCarriers = []string{"Ameritech/1", "BellSouth/1", "Level 3- SVR:8824/1", "Peerless: 063E-NSR/1", "Broadvox:787F - SVR/1", "Verizon Wireless:6006 - SVR/2"}

func carrierOf(w *world, tn uint64) int {
	bl, _, ok := w.lookup(tn)
	if ok && bl.wireless {
		return len(losingCarriers) - 1
	}
	return int((tn / 10000) % uint64(len(losingCarriers)-1))
}

// portInItem is one tnItem of portInOrder or orderUpdate.
type portInItem struct {
	TN         tnValue    `json:"tn"`
	TrunkGroup string     `json:"trunkGroup,omitempty"`
	PortOutPin flexString `json:"portOutPin,omitempty"`
	TnNote     string     `json:"tnNote,omitempty"`
	AccountNum flexString `json:"accountNum,omitempty"`
	Atn        tnValue    `json:"atn,omitempty"`
	AccountPin flexString `json:"accountPin,omitempty"`
	AuthName   string     `json:"authName,omitempty"`
	AuthDate   string     `json:"authDate,omitempty"`
	CancelTn   string     `json:"cancelTn,omitempty"`
	EndUser    fields     `json:"endUser,omitempty"`
	TnFeature  *tnFeature `json:"tnFeature,omitempty"`
}

type portInList struct {
	TnItem []portInItem `json:"tnItem"`
}

func (l *portInList) tns() []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l.TnItem))
	for i, it := range l.TnItem {
		out[i] = string(it.TN)
	}
	return out
}

// jeopardy is the losing carrier's rejection of a number's data, decided
// deterministically from documented test inputs (doc.go).
func jeopardy(it *portInItem) string {
	switch {
	case it.EndUser.get("postalCode") == "00000":
		return "Invalid zip code"
	case strings.HasPrefix(strings.TrimSpace(string(it.AccountNum)), "000"):
		return "Invalid account number"
	case strings.TrimSpace(string(it.AccountPin)) == "0000":
		return "PIN required/invalid"
	case strings.Contains(strings.ToLower(it.AuthName), "mismatch"):
		return "Auth name mismatch"
	}
	return ""
}

// portItem is one number of a port-in order.
type portItem struct {
	tn          uint64
	data        portInItem
	carrier     int
	cycle       time.Time // start of the current FOC cycle
	canceledAt  time.Time // cancelTn
	activatedAt time.Time // portInOrderActivate
}

// portOrder is the port-in part of an order.
type portOrder struct {
	o        *order
	due      time.Time // desiredDueDate, midnight UTC
	portTime string    // HH:MM ("" = none)
	zone     string
	onDemand bool
	onNet    bool
	items    []*portItem
	byTN     map[uint64]*portItem
}

var portNever = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// portDate is the FOC date: the desired due date, or the day after the FOC
// when that is later.
func (p *portOrder) portDate(it *portItem) time.Time {
	pd := day(it.cycle.Add(focDelay)).Add(24 * time.Hour)
	if p.due.After(pd) {
		pd = p.due
	}
	return pd
}

// portAt is when an automatic (not on-demand) port completes.
func (p *portOrder) portAt(it *portItem) time.Time {
	t := p.portDate(it)
	if p.portTime != "" {
		if hm, err := time.Parse("15:04", p.portTime); err == nil {
			t = t.Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute)
			t = t.Add(-time.Duration(portTimeZones[p.zone]) * time.Hour)
		}
	}
	return t
}

// doneAt is when the number completes, if that is decided yet.
func (p *portOrder) doneAt(it *portItem) (time.Time, bool) {
	if !it.canceledAt.IsZero() || jeopardy(&it.data) != "" {
		return time.Time{}, false
	}
	if p.onDemand {
		return it.activatedAt, !it.activatedAt.IsZero()
	}
	return p.portAt(it), true
}

// canceled reports whether the number is off the order at now.
func (p *portOrder) canceled(it *portItem, now time.Time) bool {
	if !it.canceledAt.IsZero() && !now.Before(it.canceledAt) {
		return true
	}
	o := p.o
	if o.CancelReqAt.IsZero() || now.Before(o.canceledAt()) {
		return false
	}
	done, ok := p.doneAt(it)
	return !ok || done.After(o.CancelReqAt)
}

// itemStatus is the number's tnStatus on the order at now, with its port
// date when one is set.
func (p *portOrder) itemStatus(it *portItem, now time.Time) (string, time.Time) {
	if p.canceled(it, now) {
		return "Canceled", time.Time{}
	}
	if now.Before(it.cycle.Add(focDelay)) {
		return "Pending", time.Time{}
	}
	if r := jeopardy(&it.data); r != "" {
		return r, time.Time{}
	}
	pd := p.portDate(it)
	if done, ok := p.doneAt(it); ok && !now.Before(done) {
		if p.onDemand {
			return "Activated", pd
		}
		return "Complete", pd
	}
	return "Received FOC", pd
}

// refresh recomputes what depends on the items after a change: the order's
// close time (when every number is done) and each number's activation time.
func (p *portOrder) refresh(st *state) {
	closeAt := p.o.PendingAt
	for _, it := range p.items {
		done, ok := p.doneAt(it)
		if r := st.rec(it.tn, false); r != nil {
			r.activateAt = done
		}
		switch {
		case !it.canceledAt.IsZero():
			if it.canceledAt.After(closeAt) {
				closeAt = it.canceledAt
			}
		case !ok:
			closeAt = portNever
		case done.After(closeAt):
			closeAt = done
		}
	}
	p.o.CloseAt = closeAt
}

// group is the tnGroup a number belongs to.
func (p *portOrder) group(it *portItem) string {
	return fmt.Sprintf("Group ID %d - %s", p.o.ID*10+int64(it.carrier), losingCarriers[it.carrier])
}

// availableGroups are the groups that may be activated now: on-demand,
// FOC received, port date today or earlier, not activated yet.
func (p *portOrder) availableGroups(now time.Time) (names []string, members map[string][]*portItem) {
	members = map[string][]*portItem{}
	if !p.onDemand || p.o.status(now) != "Pending" {
		return nil, members
	}
	today := day(now)
	for _, it := range p.items {
		s, pd := p.itemStatus(it, now)
		if s != "Received FOC" || pd.After(today) {
			continue
		}
		g := p.group(it)
		if _, seen := members[g]; !seen {
			names = append(names, g)
		}
		members[g] = append(members[g], it)
	}
	return names, members
}

// portInStatus is the account status (tnDetail) of a number whose last life
// is a port-in order.
func (r *tnRec) portInStatus(now time.Time, base tnStatus) tnStatus {
	p := r.life.order.port
	if p == nil {
		return r.afterLife(now, base)
	}
	it := p.byTN[r.tn]
	if it == nil {
		return r.afterLife(now, base)
	}
	switch s, _ := p.itemStatus(it, now); s {
	case "Canceled":
		return r.afterLife(now, base)
	case "Complete", "Activated":
		return stInService
	}
	return stPending
}

// portReason is why tn cannot be ported in now ("" when it can).
func (st *state) portReason(tn uint64, now time.Time, onNetOnly bool) string {
	bl, line, ok := st.w.lookup(tn)
	if !ok {
		return reasonNotApprovedRC
	}
	switch st.status(tn, now) {
	case stPending, stPendingDisconnect:
		return reasonOnOrder
	case stInService:
		return reasonAssigned
	case stReserved:
		return reasonInInventory
	}
	if bl.class(line) == lineAvailable {
		return reasonInInventory
	}
	if onNetOnly && rateCenters[bl.rc].tier != "0" {
		return reasonNotOnNet
	}
	return ""
}

// portOrderOf returns the port-in part of an order, or nil.
func portOrderOf(o *order) *portOrder {
	if o == nil {
		return nil
	}
	return o.port
}

// csrAccount is the synthetic account a number belongs to at its losing
// carrier: every hundred-block (NPA-NXX-XX) is one business account.
func csrAccount(tn uint64) (accountNum string, atn uint64) {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d", tn/100)
	return fmt.Sprintf("%d", 10000000+h.Sum32()%89999999), tn / 100 * 100
}

// PortableTNs returns n numbers that can be ported in now (held by other
// carriers in approved Tier 0 wireline rate centers), deterministically
// spread over the world, at most 50 per NPA-NXX. It returns fewer when the
// world has fewer.
func (s *Server) PortableTNs(n int) []string { return s.PortableTNsIn("0", n) }

// PortableTNsIn is PortableTNs in rate centers of one tier ("0", "1",
// "CAN" ...), for tests of tier rules (onNetOnly, Canadian resellerName).
func (s *Server) PortableTNsIn(tier string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.simNowLocked()
	st := s.st
	out := make([]string, 0, n)
	for bi := range st.w.blocks {
		bl := &st.w.blocks[bi]
		if bl.wireless || rateCenters[bl.rc].tier != tier {
			continue
		}
		taken := 0
		for line := uint32(0); line < 10000 && taken < 50 && len(out) < n; line++ {
			if bl.class(line) != lineNone {
				continue
			}
			tn := uint64(bl.npanxx)*10000 + uint64(line)
			if st.portReason(tn, now, false) != "" {
				continue
			}
			out = append(out, tnString(tn))
			taken++
		}
		if len(out) >= n {
			break
		}
	}
	return out
}
