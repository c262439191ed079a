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

// flexBool accepts true, "true", "Y".
type flexBool bool

// UnmarshalJSON accepts booleans and Y/N/true/false strings.
func (f *flexBool) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	v := strings.ToLower(strings.TrimSpace(string(s)))
	*f = flexBool(v == "true" || v == "y" || v == "yes")
	return nil
}

type tnInventoryReq struct {
	TnMask           *string    `json:"tnMask"`
	TnWildcard       *string    `json:"tnWildcard"`
	Lata             flexString `json:"lata"`
	RateCenter       string     `json:"rateCenter"`
	RateCenterTier   flexString `json:"rateCenterTier"`
	Province         string     `json:"province"`
	City             string     `json:"city"`
	PostalCode       flexString `json:"postalCode"`
	Radius           flexInt    `json:"radius"`
	Quantity         flexInt    `json:"quantity"`
	Sequential       flexBool   `json:"sequential"`
	Wireless         string     `json:"wireless"`
	LocalCallingArea flexBool   `json:"localCallingArea"`
	SearchOnNetOnly  string     `json:"searchOnNetOnly"`
	PageSort         *pageSort  `json:"pageSort"`
}

var validTiers = map[string]bool{"0": true, "1": true, "2": true, "AK": true, "HI": true, "CAN": true, "PRI": true, "WS-A": true, "WS-B": true, "WS-C": true}

const (
	maxScrolls      = 1024 // open searchIds kept; older ones expire early
	defaultPageSize = 100
	maxPageSize     = 10000
)

// scroll is an open searchId iterator.
type scroll struct {
	id      string
	op      string
	q       *invQuery // tnInventory
	cur     cursor
	list    []uint64 // tnDetail snapshot
	orders  []int64  // orderList snapshot
	pos     int
	size    int
	page    int
	total   int
	expires time.Time
}

func invalidSearchID() envelope {
	return fail("410", "Invalid Request: searchId is not valid or has expired; start a new search")
}

// compileInventory checks the guide's search rules.
func (st *state) compileInventory(req *tnInventoryReq) (*invQuery, answer) {
	q := &invQuery{}
	switch {
	case req.TnMask != nil && *req.TnMask != "":
		p, ok := parseMask(*req.TnMask)
		if !ok {
			return nil, invalidValue("tnMask")
		}
		q.pat = p
	case req.TnWildcard != nil && *req.TnWildcard != "":
		p, ok := parseWildcard(*req.TnWildcard)
		if !ok {
			return nil, invalidValue("tnWildcard")
		}
		q.pat = p
	default:
		// guide 811: "tnMask or tnWildcard are required (even if searching
		// for all TNs)"; 848: "Either tnMask or tnWildcard is required."
		return nil, required("tnMask")
	}
	q.npanxx = q.pat.npanxx()
	q.lata, q.rc, q.province = strings.TrimSpace(string(req.Lata)), strings.TrimSpace(req.RateCenter), strings.TrimSpace(req.Province)
	q.city, q.postal = strings.TrimSpace(req.City), strings.TrimSpace(string(req.PostalCode))
	q.tier = strings.ToUpper(strings.TrimSpace(string(req.RateCenterTier)))
	if q.tier != "" && !validTiers[q.tier] {
		return nil, invalidValue("rateCenterTier")
	}
	q.wireless = strings.ToUpper(strings.TrimSpace(req.Wireless))
	if q.wireless != "" && q.wireless != "Y" && q.wireless != "N" {
		return nil, invalidValue("wireless")
	}
	n := 0
	for _, s := range []string{q.rc, q.city, q.postal} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return nil, fail("414", "Invalid Input parameters: rateCenter, city and postalCode are mutually exclusive")
	}
	if q.city != "" && q.province == "" {
		return nil, required("province")
	}
	radius := int(req.Radius)
	if radius < 0 || radius > 50 {
		return nil, invalidValue("radius")
	}
	if radius > 0 && q.city == "" && q.postal == "" {
		return nil, fail("414", "Invalid Input parameters: radius requires city and province or postalCode")
	}
	local := bool(req.LocalCallingArea)
	modes := 0
	for _, b := range []bool{radius > 0, local, bool(req.Sequential)} {
		if b {
			modes++
		}
	}
	if modes > 1 {
		return nil, fail("414", "Invalid Input parameters: radius, localCallingArea and sequential are mutually exclusive")
	}
	if radius > 0 || local {
		// Radius and local calling area are approximated by the LATA of
		// the anchor (NPA-NXX, rate center, city or postal code).
		anchor := ""
		switch {
		case local && q.npanxx != 0:
			if i, ok := st.w.byNPANXX[q.npanxx]; ok {
				anchor = rateCenters[st.w.blocks[i].rc].lata
			}
		default:
			for i := range rateCenters {
				rc := &rateCenters[i]
				if (q.rc != "" && strings.EqualFold(rc.abbr, q.rc)) ||
					(q.city != "" && strings.EqualFold(rc.city, q.city) && strings.EqualFold(rc.state, q.province)) ||
					(q.postal != "" && rc.postal == q.postal) {
					anchor = rc.lata
					break
				}
			}
		}
		if local && q.npanxx == 0 && q.rc == "" && q.city == "" && q.postal == "" {
			return nil, fail("414", "Invalid Input parameters: localCallingArea requires an NPANXX, rateCenter, city and province, or postalCode")
		}
		if anchor == "" {
			anchor = "none"
		}
		q.lata, q.rc, q.city, q.postal, q.province = anchor, "", "", "", ""
		q.npanxx = 0
	}
	q.quantity = int(req.Quantity)
	q.sequential = bool(req.Sequential)
	if q.sequential && (q.quantity <= 0 || q.quantity > 99) {
		if q.quantity > 99 {
			return nil, invalidValue("quantity")
		}
		q.quantity = 10
	}
	if ps := req.PageSort; ps != nil {
		q.prop, q.dir = ps.Property, strings.ToLower(ps.Direction)
		switch q.prop {
		case "", "tn", "rateCenter", "lata", "state", "rateCenterTier":
		default:
			return nil, invalidValue("property")
		}
		if q.dir != "" && q.dir != "asc" && q.dir != "desc" {
			return nil, invalidValue("direction")
		}
	}
	q.plan(st.w)
	return q, nil
}

type invRow struct {
	TelephoneNumber              string `json:"telephoneNumber"`
	RateCenter                   string `json:"rateCenter"`
	RateCenterName               string `json:"rateCenterName"`
	City                         string `json:"city"`
	Lata                         string `json:"lata"`
	Province                     string `json:"province"`
	RateCenterTier               string `json:"rateCenterTier"`
	CnamAllowed                  string `json:"cnamAllowed"`
	DlAllowed                    string `json:"dlAllowed"`
	E911Allowed                  string `json:"e911Allowed"`
	MsgAllowed                   string `json:"msgAllowed"`
	CountryCode                  string `json:"countryCode"`
	PortOutPinSupported          string `json:"portOutPinSupported"`
	PortOutNotificationSupported string `json:"portOutNotificationSupported"`
	SmsOverrideAllowed           string `json:"smsOverrideAllowed"`
	MmsAllowed                   string `json:"mmsAllowed"`
	MmsOverrideAllowed           string `json:"mmsOverrideAllowed"`
}

type inventoryAnswer struct {
	envelope
	TnResult   []invRow `json:"tnResult"`
	Page       string   `json:"page"`
	TotalPages string   `json:"totalPages"`
	TotalItems string   `json:"totalItems"`
	SearchID   string   `json:"searchId"`
}

func yn(b bool) string {
	if b {
		return "Y"
	}
	return "N"
}

func (st *state) invRows(tns []uint64) []invRow {
	rows := make([]invRow, len(tns))
	for i, tn := range tns {
		rc := st.w.rcOf(tn)
		rows[i] = invRow{
			TelephoneNumber: tnString(tn), RateCenter: rc.abbr, RateCenterName: rc.name, City: rc.city,
			Lata: rc.lata, Province: rc.state, RateCenterTier: rc.tierName(), CnamAllowed: "Y",
			DlAllowed: yn(rc.dl), E911Allowed: yn(rc.e911), MsgAllowed: yn(rc.msg), CountryCode: "1",
			PortOutPinSupported: yn(rc.pinSupported()), PortOutNotificationSupported: yn(rc.pinSupported()),
			SmsOverrideAllowed: yn(rc.msg), MmsAllowed: yn(rc.msg), MmsOverrideAllowed: yn(rc.msg),
		}
	}
	return rows
}

func pagesOf(total, size int) int {
	if total == 0 {
		return 0
	}
	return (total + size - 1) / size
}

// pageWindow is how far page/size reaches into a listing: the guide sends
// users past the first 10,000 results to searchId ("paginate through the
// results in groups of 10,000 using searchID", guide 846), so a page that
// starts at or after result 10,000 is refused.
const pageWindow = 10000

// pageArgs reads page and size (page 1 and 100 by default, size at most
// 10,000), refusing a page beyond the first 10,000 results.
func pageArgs(ps *pageSort) (page, size int, bad answer) {
	page, size = 1, defaultPageSize
	if ps != nil {
		if ps.Page > 0 {
			page = int(ps.Page)
		}
		if ps.Size > 0 {
			size = min(int(ps.Size), maxPageSize)
		}
	}
	if (page-1)*size >= pageWindow {
		return 0, 0, fail("414", "Invalid Input parameters: page/size reaches beyond the first 10000 results; paginate in groups of 10000 using searchId")
	}
	return page, size, nil
}

// wantsScroll reports whether a request continues a searchId: the guide
// makes searchId effective only with size 10000 (or no size at all).
func wantsScroll(ps *pageSort) bool {
	return ps != nil && strings.TrimSpace(ps.SearchID) != "" && (ps.Size == 0 || ps.Size == maxPageSize)
}

func (s *Server) tnInventory(now time.Time, raw []byte) answer {
	var req tnInventoryReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	st := s.st
	if wantsScroll(req.PageSort) {
		sc := s.scrollFor("tnInventory", req.PageSort.SearchID)
		if sc == nil {
			return invalidSearchID()
		}
		tns, next := st.scan(sc.q, now, sc.cur, 0, min(sc.size, sc.total-sc.pos))
		sc.cur, sc.pos, sc.page = next, sc.pos+len(tns), sc.page+1
		return inventoryAnswer{success(), st.invRows(tns), strconv.Itoa(sc.page), strconv.Itoa(pagesOf(sc.total, sc.size)), strconv.Itoa(sc.total), sc.id}
	}
	q, bad := st.compileInventory(&req)
	if bad != nil {
		return bad
	}
	page, size, bad := pageArgs(req.PageSort)
	if bad != nil {
		return bad
	}
	if req.PageSort == nil && q.quantity > 0 {
		size = min(q.quantity, maxPageSize)
	}
	var tns []uint64
	var total int
	var cur cursor
	if q.sequential {
		tns = st.sequentialRun(q, now, q.quantity)
		total, size, page = len(tns), max(len(tns), 1), 1
	} else {
		total = st.count(q, now)
		if q.quantity > 0 {
			total = min(total, q.quantity)
		}
		skip := (page - 1) * size
		want := max(0, min(size, total-skip))
		tns, cur = st.scan(q, now, cursor{}, skip, want)
	}
	sc := s.newScroll("tnInventory", now, size)
	sc.q, sc.cur, sc.total, sc.page, sc.pos = q, cur, total, page, min(total, (page-1)*size+len(tns))
	if q.sequential {
		sc.pos = total
	}
	return inventoryAnswer{success(), st.invRows(tns), strconv.Itoa(page), strconv.Itoa(pagesOf(total, size)), strconv.Itoa(total), sc.id}
}

// newScroll registers an iterator; ids look like the guide's opaque ones.
func (s *Server) newScroll(op string, _ time.Time, size int) *scroll {
	s.scrollSeq++
	id := base64.RawStdEncoding.EncodeToString([]byte(fmt.Sprintf("DnF1ZXJ5:%s:%d:%d", op, s.opts.Seed, s.scrollSeq)))
	if op == "orderList" {
		id = strconv.FormatInt(141213799600+s.scrollSeq, 10)
	}
	sc := &scroll{id: id, op: op, size: size, expires: s.opts.Now().Add(s.opts.ScrollTTL)}
	s.scrolls[id] = sc
	s.scrollFIFO = append(s.scrollFIFO, id)
	// bound memory: forget the oldest iterators beyond maxScrolls
	for len(s.scrollFIFO) > maxScrolls {
		delete(s.scrolls, s.scrollFIFO[0])
		s.scrollFIFO = s.scrollFIFO[1:]
	}
	return sc
}

// scrollFor returns a live scroll (refreshing its expiry) or nil.
func (s *Server) scrollFor(op, id string) *scroll {
	sc := s.scrolls[strings.TrimSpace(id)]
	realNow := s.opts.Now()
	if sc == nil || sc.op != op || realNow.After(sc.expires) {
		return nil
	}
	sc.expires = realNow.Add(s.opts.ScrollTTL)
	return sc
}

type coverageReq struct {
	CountBy    string `json:"countBy"`
	RateCenter string `json:"rateCenter"`
	Wireless   string `json:"wireless"`
	Province   string `json:"province"`
}

func (s *Server) tnInventoryCoverage(now time.Time, raw []byte) answer {
	var req coverageReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	st := s.st
	q := &invQuery{rc: strings.TrimSpace(req.RateCenter), province: strings.TrimSpace(req.Province), wireless: strings.ToUpper(strings.TrimSpace(req.Wireless))}
	if q.wireless != "" && q.wireless != "Y" && q.wireless != "N" {
		return invalidValue("wireless")
	}
	countBy := req.CountBy
	if countBy == "" {
		countBy = "npaNxx"
	}
	type key struct{ a, b, c string }
	counts := map[key]int{}
	var order []key
	addTo := func(k key, n int) {
		if n == 0 {
			return
		}
		if _, ok := counts[k]; !ok {
			order = append(order, k)
		}
		counts[k] += n
	}
	var rows []map[string]any
	q.plan(st.w)
	for _, bi := range q.blocks {
		bl := &st.w.blocks[bi]
		rc := &rateCenters[bl.rc]
		npa, nxx := strconv.Itoa(int(bl.npanxx/1000)), fmt.Sprintf("%03d", bl.npanxx%1000)
		switch countBy {
		case "npaNxx":
			addTo(key{npa, nxx, ""}, st.availableIn(bl, now))
		case "state":
			addTo(key{rc.state, "", ""}, st.availableIn(bl, now))
		case "rateCenter":
			addTo(key{rc.abbr, rc.state, ""}, st.availableIn(bl, now))
		case "block":
			var per [10]int
			recs := st.recs[bl.npanxx]
			for line := uint32(0); line < 10000; line++ {
				if bl.class(line) != lineAvailable {
					continue
				}
				if r := recs[line]; r != nil && r.status(now, stAvailable) != stAvailable {
					continue
				}
				per[line/1000]++
			}
			for d, n := range per {
				addTo(key{npa, nxx, strconv.Itoa(d)}, n)
			}
		default:
			return invalidValue("countBy")
		}
	}
	for _, k := range order {
		row := map[string]any{"count": counts[k]}
		switch countBy {
		case "npaNxx", "block":
			bl := &st.w.blocks[st.w.byNPANXX[uint32(atoi(k.a)*1000+atoi(k.b))]]
			rc := &rateCenters[bl.rc]
			row["npa"], row["nxx"], row["lata"], row["rcAbbre"], row["locState"] = k.a, k.b, rc.lata, rc.abbr, rc.state
			if countBy == "block" {
				row["block"] = k.c
			}
		case "state":
			row["locState"] = k.a
		case "rateCenter":
			row["rcAbbre"], row["locState"] = k.a, k.b
		}
		rows = append(rows, row)
	}
	if rows == nil {
		rows = []map[string]any{}
	}
	return obj{success(), map[string]any{"tnInventoryCoverageList": rows}}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

type reservedRow struct {
	TelephoneNumber     string `json:"telephoneNumber"`
	RateCenter          string `json:"rateCenter"`
	RateCenterName      string `json:"rateCenterName"`
	Lata                string `json:"lata"`
	Province            string `json:"province"`
	City                string `json:"city"`
	IsWireless          string `json:"isWireless"`
	RateCenterTier      string `json:"rateCenterTier"`
	CnamAllowed         string `json:"cnamAllowed"`
	DlAllowed           string `json:"dlAllowed"`
	E911Allowed         string `json:"e911Allowed"`
	MsgAllowed          string `json:"msgAllowed"`
	CountryCode         string `json:"countryCode"`
	AllowPortOutPin     string `json:"allowPortOutPin"`
	PortoutNotification string `json:"portoutNotification"`
}

func (s *Server) tnReservedList(now time.Time, _ []byte) answer {
	st := s.st
	st.reservedCount(now)
	tns := make([]uint64, 0, len(st.reserved))
	for tn := range st.reserved {
		tns = append(tns, tn)
	}
	if len(tns) == 0 {
		return fail("430", "No Result Found")
	}
	sort.Slice(tns, func(i, j int) bool { return tns[i] < tns[j] })
	rows := make([]reservedRow, len(tns))
	for i, tn := range tns {
		bl, _, _ := st.w.lookup(tn)
		rc := &rateCenters[bl.rc]
		rows[i] = reservedRow{tnString(tn), rc.abbr, rc.name, rc.lata, rc.state, rc.city, yn(bl.wireless), rc.tier,
			"Y", yn(rc.dl), yn(rc.e911), yn(rc.msg), "1", yn(rc.pinSupported()), yn(rc.pinSupported())}
	}
	return obj{success(), map[string]any{"reservedTns": rows}}
}

func (s *Server) tnAssignedList(now time.Time, _ []byte) answer {
	tns := s.st.assignedSorted(now)
	items := make([]map[string]any, len(tns))
	for i, tn := range tns {
		items[i] = map[string]any{"tn": tn, "tnStatus": s.st.status(tn, now).name()}
	}
	return obj{success(), map[string]any{"tnBasicList": map[string]any{"tnBasicItem": items}}}
}

func badRequest(err error) envelope {
	_ = err
	return fail("400", "Request format not recognized")
}
