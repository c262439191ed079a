package sandbox

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
)

// The international world's numbers, orders, reservations, port-ins and
// documents (the lookups are in intl.go, the operations in intl_ops.go).
//
// A number is country code + area code + subscriber digits, as the guide's
// examples write them (442045242409: 44, 20, 45242409). Every number of a
// supported country and area code with the country's length is in
// inventory unless its hash puts it among the one in ten "not available".
// Numbers that changed are kept in intlState.tns; their status is computed
// from timestamps, like the domestic ones (state.go).
//
// What each country requires before its numbers go In Service (the guide
// leaves it to the country; the sandbox's choice, in docs/sandbox.md):
// FRA and GBR the end user (intlTnEndUser, or endUserData on a port-in),
// DEU the end user and a "Proof of in region address" document
// (intlTnAddDocument); NLD and ESP nothing. An order whose numbers lack
// them stays Pending.

// intlLength is the length of a country's numbers, country code included.
var intlLength = map[string]int{"FRA": 11, "NLD": 11, "ESP": 11, "GBR": 12, "DEU": 12}

// intlRequirement is what a country needs before a number goes In Service.
type intlRequirement struct {
	endUser   bool
	documents []string // conditionName values
}

var intlRequirements = map[string]intlRequirement{
	"FRA": {endUser: true},
	"GBR": {endUser: true},
	"DEU": {endUser: true, documents: []string{IntlProofOfAddress}},
}

// IntlProofOfAddress is the document condition DEU numbers need (the
// guide's example conditionName).
const IntlProofOfAddress = "Proof of in region address"

// intlEndUserLabels are the guide's endUserData labels (intlTnDetail and
// intlOrderDetail examples).
var intlEndUserLabels = []string{"Company name", "Streetname", "Street-number", "Zipcode", "City", "Country"}

const (
	intlReserveHold = 30 * time.Minute // "reserved for up to 30 minutes"
	intlDID         = "Inbound DID"
	intlProduct     = "International Telephone Number"
	// intlMaxDocument is the largest document the sandbox takes (decoded
	// bytes); the guide names no limit.
	intlMaxDocument = 5 << 20
)

// intlMimeTypes are the document types the sandbox takes.
var intlMimeTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true, "image/tiff": true, "image/gif": true,
	"text/plain": true, "application/msword": true, "application/vnd.openxmlformats-officedocument.wordprocessingml.document": true}

// intlNumber splits a number into its country and area code; ok is false
// for a number of no supported country and area code, or of the wrong
// length.
func intlNumber(tn string) (c *intlCountry, area, city string, ok bool) {
	tn = strings.TrimPrefix(strings.TrimSpace(tn), "+")
	if tn == "" || strings.Trim(tn, "0123456789") != "" {
		return nil, "", "", false
	}
	for i := range intlCountries {
		ct := &intlCountries[i]
		if !strings.HasPrefix(tn, ct.code) || len(tn) != intlLength[ct.ref] {
			continue
		}
		rest := tn[len(ct.code):]
		best := -1
		for j, a := range ct.areaCodes {
			if strings.HasPrefix(rest, a.code) && (best < 0 || len(a.code) > len(ct.areaCodes[best].code)) {
				best = j
			}
		}
		if best >= 0 {
			return ct, ct.areaCodes[best].code, ct.areaCodes[best].city, true
		}
	}
	return nil, "", "", false
}

// intlInInventory: one number in ten of a valid country and area code is
// not in inventory.
func intlInInventory(tn string) bool {
	h := fnv.New32a()
	_, _ = h.Write([]byte(tn))
	return h.Sum32()%10 != 0
}

type intlEndUser struct {
	Label     string `json:"label"`
	Value     string `json:"value"`
	Mandatory bool   `json:"mandatory"`
}

type intlDoc struct {
	ID        string
	OrderID   int64
	TN        string
	Condition string
	FileName  string
	MimeType  string
	Content   string // base64
	At        time.Time
}

// intlTn is a number that changed from the seeded world.
type intlTn struct {
	tn            string
	country       *intlCountry
	reservedUntil time.Time
	life          *intlOrder // NEW or PORTIN order that put it on the account
	idx           int
	disco         *intlOrder
	discoIdx      int
	routing       string
	note          string
	endUser       []intlEndUser
	endUserAt     time.Time
	docs          []*intlDoc
}

// intlOrder is a new-number, port-in or disconnect order.
type intlOrder struct {
	ID          int64
	Ref         string
	Kind        string // kindNew, kindPortIn, kindDisco
	Created     time.Time
	PendingAt   time.Time
	CancelReqAt time.Time
	DueDate     string
	due         time.Time
	Valid       []string
	Excluded    []exclusion
	Notes       []orderNote
	Docs        []*intlDoc
}

type intlState struct {
	tns      map[string]*intlTn
	orders   map[int64]*intlOrder
	seq      []*intlOrder
	byRef    map[string][]*intlOrder
	docs     map[string]*intlDoc
	nextID   int64
	nextNote int64
	nextDoc  int64
	// nextFree is where each area code's inventory scan starts (numbers
	// before it were handed out by intlTnRequest).
	nextFree map[string]int64
}

func (st *state) intlSt() *intlState {
	if st.intl == nil {
		st.intl = &intlState{tns: map[string]*intlTn{}, orders: map[int64]*intlOrder{}, byRef: map[string][]*intlOrder{},
			docs: map[string]*intlDoc{}, nextID: 1521001, nextNote: 23456001, nextDoc: 1, nextFree: map[string]int64{}}
	}
	return st.intl
}

func (is *intlState) rec(tn string, c *intlCountry) *intlTn {
	r := is.tns[tn]
	if r == nil {
		r = &intlTn{tn: tn, country: c}
		is.tns[tn] = r
	}
	return r
}

func (is *intlState) newOrder(now time.Time, kind, ref string) *intlOrder {
	o := &intlOrder{ID: is.nextID, Ref: ref, Kind: kind, Created: now, PendingAt: now.Add(incompleteFor(1))}
	is.nextID++
	is.orders[o.ID] = o
	is.seq = append(is.seq, o)
	if ref != "" {
		is.byRef[ref] = append(is.byRef[ref], o)
	}
	return o
}

func (is *intlState) find(id int64, ref string) *intlOrder {
	if id != 0 {
		// The orderId wins: the guide's intlOrderDetail example sends the
		// reference "ref" for an order made as "gbr-test-8".
		return is.orders[id]
	}
	if os := is.byRef[ref]; len(os) > 0 {
		return os[len(os)-1]
	}
	return nil
}

// requirementsAt is when a number had what its country requires; ok is
// false while it still lacks something.
func (r *intlTn) requirementsAt() (time.Time, bool) {
	req := intlRequirements[r.country.ref]
	var at time.Time
	if req.endUser {
		if r.endUserAt.IsZero() {
			return time.Time{}, false
		}
		at = r.endUserAt
	}
	for _, cond := range req.documents {
		var got time.Time
		for _, d := range r.docs {
			if strings.EqualFold(d.Condition, cond) && (got.IsZero() || d.At.Before(got)) {
				got = d.At
			}
		}
		if got.IsZero() {
			return time.Time{}, false
		}
		if got.After(at) {
			at = got
		}
	}
	return at, true
}

// missing names what a number still needs.
func (r *intlTn) missing() string {
	req := intlRequirements[r.country.ref]
	var out []string
	if req.endUser && r.endUserAt.IsZero() {
		out = append(out, "end user details")
	}
	for _, cond := range req.documents {
		found := false
		for _, d := range r.docs {
			found = found || strings.EqualFold(d.Condition, cond)
		}
		if !found {
			out = append(out, "document \""+cond+"\"")
		}
	}
	return strings.Join(out, " and ")
}

// doneAt is when the order's i-th number is done: In Service (new,
// port-in) or disconnected; ok is false while it cannot be.
func (o *intlOrder) doneAt(is *intlState, i int) (time.Time, bool) {
	start := o.PendingAt
	if o.Kind == kindPortIn && o.due.After(start) {
		start = o.due
	}
	t := start.Add(time.Duration(i+1) * tnRoutingStep)
	if o.Kind == kindDisco {
		return t, true
	}
	r := is.tns[o.Valid[i]]
	if r == nil {
		return t, true
	}
	at, ok := r.requirementsAt()
	if !ok {
		return time.Time{}, false
	}
	if a := at.Add(tnRoutingStep); a.After(t) {
		t = a
	}
	return t, true
}

// numberDone reports whether the order's i-th number is done at now (and
// not canceled first).
func (o *intlOrder) numberDone(is *intlState, i int, now time.Time) bool {
	t, ok := o.doneAt(is, i)
	if !ok || now.Before(t) {
		return false
	}
	return o.CancelReqAt.IsZero() || t.Before(o.CancelReqAt)
}

// canceledNumber reports whether the order's i-th number was canceled
// (a cancel came before it was done and has been reviewed by now).
func (o *intlOrder) canceledNumber(is *intlState, i int, now time.Time) bool {
	if o.CancelReqAt.IsZero() || now.Before(o.CancelReqAt.Add(cancelReview)) {
		return false
	}
	t, ok := o.doneAt(is, i)
	return !ok || !t.Before(o.CancelReqAt)
}

func (o *intlOrder) status(is *intlState, now time.Time) string {
	switch {
	case now.Before(o.PendingAt):
		return "Incomplete"
	case len(o.Valid) == 0:
		return "Canceled"
	case !o.CancelReqAt.IsZero():
		if now.Before(o.CancelReqAt.Add(cancelReview)) {
			return "Pending Cancel"
		}
		return "Canceled"
	}
	for i := range o.Valid {
		if !o.numberDone(is, i, now) {
			return "Pending"
		}
	}
	return "Closed"
}

func (o *intlOrder) serviceOrderName() string {
	if o.Kind == kindDisco {
		return "Disconnect"
	}
	return "New"
}

// intl number statuses
const (
	intlOff = iota
	intlAvailable
	intlReserved
	intlPending
	intlInService
	intlPendingDisconnect
)

func intlStatusName(s int) string {
	switch s {
	case intlPending:
		return "Pending"
	case intlInService:
		return "In Service"
	case intlPendingDisconnect:
		return "Pending Disconnect"
	case intlReserved:
		return "Reserved"
	case intlAvailable:
		return "Available"
	}
	return "Not Available"
}

func (is *intlState) index(o *intlOrder, tn string) int {
	for i, v := range o.Valid {
		if v == tn {
			return i
		}
	}
	return -1
}

// status is a number's state at now.
func (is *intlState) status(tn string, now time.Time) int {
	r := is.tns[tn]
	if r == nil {
		if _, _, _, ok := intlNumber(tn); ok && intlInInventory(tn) {
			return intlAvailable
		}
		return intlOff
	}
	if d := r.disco; d != nil && !(!d.CancelReqAt.IsZero() && !d.numberDone(is, r.discoIdx, now) && !now.Before(d.CancelReqAt.Add(cancelReview))) {
		if d.numberDone(is, r.discoIdx, now) {
			return r.offStatus(now)
		}
		return intlPendingDisconnect
	}
	if o := r.life; o != nil {
		switch {
		case o.numberDone(is, r.idx, now):
			return intlInService
		case o.canceledNumber(is, r.idx, now):
			return r.offStatus(now)
		}
		return intlPending
	}
	return r.offStatus(now)
}

func (r *intlTn) offStatus(now time.Time) int {
	if now.Before(r.reservedUntil) {
		return intlReserved
	}
	if intlInInventory(r.tn) {
		return intlAvailable
	}
	return intlOff
}

func onIntlAccount(s int) bool {
	return s == intlPending || s == intlInService || s == intlPendingDisconnect
}

// exclusions of an order at now: those made when it was placed, plus
// "TN canceled from order" for its numbers a cancel took off (the guide's
// intlExcludedTnList example reason).
func (o *intlOrder) exclusions(is *intlState, now time.Time) []exclusion {
	out := append([]exclusion(nil), o.Excluded...)
	for i, tn := range o.Valid {
		if o.canceledNumber(is, i, now) {
			out = append(out, exclusion{tn: tn, reason: "TN canceled from order"})
		}
	}
	return out
}

func (is *intlState) sortedTNs() []string {
	out := make([]string, 0, len(is.tns))
	for tn := range is.tns {
		out = append(out, tn)
	}
	sort.Strings(out)
	return out
}

func (is *intlState) newDocID() string {
	id := fmt.Sprintf("%08x-6c5a-4438-a9ad-%012x", is.nextDoc, is.nextDoc*7919)
	is.nextDoc++
	return id
}

// intlTime is the guide's intl timestamp: 7 fractional digits, no zone.
func intlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000") }

func intlDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
