package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file answers the listings the exports read and the base operations
// do not: messageDetailSearch and e911CallSearch (records generated from
// the seed over simulated time, for the numbers on the account),
// messageCampaigns and tnMessagingCampaignList, and the tnFeature*List
// listings (computed from the numbers' features).

// Record generation. Every number assigned to the account at the time of
// the search sends and receives messages and makes the odd 911 call, from
// its activation on, never after the simulated now:
//   - messages: in every hour slot, mix(seed, tn, hour) % 4 messages per
//     direction, at second mix(...) % 3600 of the hour;
//   - 911 calls: at most one per number per day, when mix(seed, tn, day)
//     % 5 == 0, at second mix(...) % 86400 of the day.
//
// So the same search always answers the same records, and a later search
// sees new ones only for time that has passed.
const (
	mdrPerHourMod  = 4
	e911CallDayMod = 5
)

var (
	mdrDirections = []string{"Outbound", "Inbound"}
	mdrClasses    = []string{"P2P", "A2PLC", "A2P8XX"}
	mdrTypes      = []string{"SMS", "MMS"}
	mdrDispos     = []struct{ status, code string }{{"Successful", "0"}, {"Successful", "0"}, {"Successful", "0"}, {"Enroute", "1"}, {"Blocked", "8"}, {"Failed", "5"}, {"Unknown", "9"}}
	mdrRegions    = []string{"Africa and Middle East", "Asia and Pacific", "Europe", "Global / Satellite", "Latin America and the Caribbean", "North America"}
	mdrOperators  = []string{"Sprint", "Verizon Wireless", "AT&T Mobility", "T-Mobile"}
	mdrGateways   = []string{"Atlanta", "Chicago", "Dallas"}
)

// mix is splitmix64 over the inputs.
func mix(vals ...uint64) uint64 {
	var h uint64 = 0x9e3779b97f4a7c15
	for _, v := range vals {
		h ^= v + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
		z := h
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		h = z ^ (z >> 31)
	}
	return h
}

func oneOfFold(v string, set []string) (string, bool) {
	for _, s := range set {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return s, true
		}
	}
	return "", false
}

// parseISO reads the guide's 2015-12-15T00:00:00.000Z (or any RFC 3339).
func parseISO(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{isoMillis, time.RFC3339Nano, "2006-01-02T15:04:05Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// callers are the numbers on the account at now, with their activation.
func (st *state) callers(now time.Time) []uint64 { return st.assignedSorted(now) }

func (st *state) activated(tn uint64) time.Time {
	if r := st.rec(tn, false); r != nil && !r.activateAt.IsZero() {
		return r.activateAt
	}
	return time.Time{}
}

type mdrReq struct {
	StartDate     string     `json:"startDate"`
	EndDate       string     `json:"endDate"`
	Direction     string     `json:"direction"`
	MessageClass  string     `json:"messageClass"`
	MessageType   string     `json:"messageType"`
	Disposition   string     `json:"disposition"`
	Region        string     `json:"region"`
	Country       string     `json:"country"`
	Operators     []string   `json:"operators"`
	SourceTn      flexString `json:"sourceTn"`
	DestinationTn flexString `json:"destinationTn"`
}

type mdrRow struct {
	Operator    string `json:"operator"`
	Country     string `json:"country"`
	Region      string `json:"region"`
	GateWay     string `json:"gateWay"`
	MessageType string `json:"messageType"`
	Source      string `json:"source"`
	Destination string `json:"destination"`
	Status      string `json:"status"`
	StatusCode  string `json:"statusCode"`
	Description string `json:"description"`
	MessageDate string `json:"messageDate"`
}

// e164 is the 11-digit form the guide's MDR example uses.
func e164(tn uint64) string { return "1" + tnString(tn) }

func sameTN(filter string, tn uint64) bool {
	f := strings.TrimSpace(filter)
	if f == "" {
		return true
	}
	n, ok := parseTN(f)
	return ok && n == tn
}

func (s *Server) messageDetailSearch(now time.Time, raw []byte) answer {
	var req mdrReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	for _, f := range []struct{ name, v string }{{"startDate", req.StartDate}, {"endDate", req.EndDate},
		{"direction", req.Direction}, {"messageClass", req.MessageClass}, {"messageType", req.MessageType}} {
		if strings.TrimSpace(f.v) == "" {
			return required(f.name)
		}
	}
	start, ok := parseISO(req.StartDate)
	if !ok {
		return invalidValue("startDate")
	}
	end, ok := parseISO(req.EndDate)
	if !ok || end.Before(start) {
		return invalidValue("endDate")
	}
	dir, ok := oneOfFold(req.Direction, mdrDirections)
	if !ok {
		return invalidValue("direction")
	}
	class, ok := oneOfFold(req.MessageClass, mdrClasses)
	if !ok {
		return invalidValue("messageClass")
	}
	typ, ok := oneOfFold(req.MessageType, mdrTypes)
	if !ok {
		return invalidValue("messageType")
	}
	dispo := ""
	if req.Disposition != "" {
		if dispo, ok = oneOfFold(req.Disposition, []string{"Enroute", "Successful", "Unknown", "Blocked", "Failed"}); !ok {
			return invalidValue("disposition")
		}
	}
	if req.Region != "" {
		if _, ok := oneOfFold(req.Region, mdrRegions); !ok {
			return invalidValue("region")
		}
	}
	if end.After(now) {
		end = now // no records from the future
	}
	seed := uint64(s.opts.Seed)
	var rows []mdrRow
	for _, tn := range s.st.callers(now) {
		act := s.st.activated(tn)
		from := start
		if act.After(from) {
			from = act
		}
		for h := from.Truncate(time.Hour); !h.After(end); h = h.Add(time.Hour) {
			hour := uint64(h.Unix() / 3600)
			n := int(mix(seed, tn, hour, 1) % mdrPerHourMod)
			for i := 0; i < n; i++ {
				x := mix(seed, tn, hour, 2, uint64(i))
				at := h.Add(time.Duration(x%3600) * time.Second)
				if at.Before(from) || at.After(end) {
					continue
				}
				if mdrDirections[x>>12%2] != dir || mdrClasses[x>>16%3] != class || mdrTypes[x>>20%2] != typ {
					continue
				}
				d := mdrDispos[x>>24%uint64(len(mdrDispos))]
				if dispo != "" && d.status != dispo {
					continue
				}
				peer := 2000000000 + (x>>28)%7999999999
				src, dst := tn, peer
				if dir == "Inbound" {
					src, dst = peer, tn
				}
				if !sameTN(string(req.SourceTn), src) || !sameTN(string(req.DestinationTn), dst) {
					continue
				}
				op := mdrOperators[x>>40%uint64(len(mdrOperators))]
				if len(req.Operators) > 0 {
					if _, ok := oneOfFold(op, req.Operators); !ok {
						continue
					}
				}
				if req.Region != "" && !strings.EqualFold(req.Region, "North America") {
					continue
				}
				if req.Country != "" && !strings.EqualFold(req.Country, "United States of America") {
					continue
				}
				rows = append(rows, mdrRow{Operator: op, Country: "United States of America", Region: "North America",
					GateWay: mdrGateways[x>>48%3], MessageType: typ, Source: e164(src), Destination: e164(dst),
					Status: d.status, StatusCode: d.code, Description: d.status, MessageDate: at.UTC().Format(isoMillis)})
				if capN := s.faults.MDRCap; capN > 0 && len(rows) > capN {
					return fail("414", "Invalid Input parameters: date range returns too many records; narrow startDate and endDate")
				}
			}
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Results Found")
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].MessageDate != rows[j].MessageDate {
			return rows[i].MessageDate < rows[j].MessageDate
		}
		return rows[i].Source < rows[j].Source
	})
	return obj{success(), map[string]any{"messageDetails": rows}}
}

// e911CallReq lists exactly the guide's fields (plus postalCode, which its
// example sends): the operation rejects unknown fields.
type e911CallReq struct {
	PrivateKey      string     `json:"privateKey"`
	StartDate       string     `json:"startDate"`
	EndDate         string     `json:"endDate"`
	CallType        flexString `json:"callType"`
	CallStatus      string     `json:"callStatus"`
	CallDestination string     `json:"callDestination"`
	CallProvisioned string     `json:"callProvisioned"`
	SourceTn        flexString `json:"sourceTn"`
	E911Contains    string     `json:"e911Contains"`
	Name            string     `json:"name"`
	StreetNum       flexString `json:"streetNum"`
	StreetInfo      string     `json:"streetInfo"`
	Location        string     `json:"location"`
	City            string     `json:"city"`
	State           string     `json:"state"`
	PostalCode      flexString `json:"postalCode"`
	PageSort        *pageSort  `json:"pageSort"`
}

const e911CallLayout = "2006-01-02 15:04:05"

type e911CallRow struct {
	SourceTn        string `json:"sourceTn"`
	CallDate        string `json:"callDate"`
	CallType        string `json:"callType"`
	CallStatus      string `json:"callStatus"`
	CallDestination string `json:"callDestination"`
	CallProvisioned string `json:"callProvisioned"`
	CallDuration    string `json:"callDuration"`
	Name            string `json:"name"`
	StreetNum       string `json:"streetNum"`
	StreetInfo      string `json:"streetInfo"`
	City            string `json:"city"`
	State           string `json:"state"`
	PostalCode      string `json:"postalCode"`
	CallTerminated  string `json:"callTerminated"`
	SipCallID       string `json:"sipCallId"`
	ViaHeader       string `json:"viaHeader"`
	IncomingDnis    string `json:"incomingDnis"`
	IncomingFrom    string `json:"incomingFrom"`
	IncomingContact string `json:"incomingContact"`
	location        string
}

func allOr(v string, set []string) (string, bool) {
	if strings.TrimSpace(v) == "" || strings.EqualFold(strings.TrimSpace(v), "All") {
		return "", true
	}
	return oneOfFold(v, set)
}

// tnFilter compiles e911CallSearch's sourceTn: a 10-character mask of
// digits and x (the guide's example "xxxxxxxxxx"), otherwise a wildcard.
func tnFilter(s string) (numPattern, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return numPattern{}, true
	}
	if p, ok := parseMask(s); ok {
		return p, true
	}
	return parseWildcard(s)
}

func (s *Server) e911CallSearch(now time.Time, raw []byte) answer {
	var req e911CallReq
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return fail("400", "Request format not recognized (Unrecognized fields in json)")
	}
	if strings.TrimSpace(req.StartDate) == "" {
		return required("startDate")
	}
	if strings.TrimSpace(req.EndDate) == "" {
		return required("endDate")
	}
	start, err := time.Parse(e911CallLayout, strings.TrimSpace(req.StartDate))
	if err != nil {
		return fail("414", "Invalid value entered for:startDate")
	}
	end, err := time.Parse(e911CallLayout, strings.TrimSpace(req.EndDate))
	if err != nil || end.Before(start) {
		return fail("414", "Invalid value entered for:endDate")
	}
	callType, ok := allOr(string(req.CallType), []string{"911", "Test"})
	if !ok {
		return fail("414", "Invalid value entered for:callType")
	}
	callStatus, ok := allOr(req.CallStatus, []string{"Completed", "Cancelled", "Failed"})
	if !ok {
		return fail("414", "Invalid value entered for:callStatus")
	}
	callDest, ok := allOr(req.CallDestination, []string{"Test", "PSAP", "PSAP - 10 digit", "Callcenter"})
	if !ok {
		return fail("414", "Invalid value entered for:callDestination")
	}
	callProv, ok := allOr(req.CallProvisioned, []string{"Yes", "No"})
	if !ok {
		return fail("414", "Invalid value entered for:callProvisioned")
	}
	pat, ok := tnFilter(string(req.SourceTn))
	if !ok {
		return fail("414", "Invalid value entered for:sourceTn")
	}
	if end.After(now) {
		end = now
	}
	seed := uint64(s.opts.Seed)
	var rows []e911CallRow
	for _, tn := range s.st.callers(now) {
		if pat.kind != 0 && !pat.match(tn) {
			continue
		}
		r := s.st.rec(tn, false)
		var e fields
		if r != nil {
			e = r.e911
		}
		act := s.st.activated(tn)
		for d := start.Truncate(24 * time.Hour); !d.After(end); d = d.Add(24 * time.Hour) {
			day := uint64(d.Unix() / 86400)
			x := mix(seed, tn, day, 911)
			if x%e911CallDayMod != 0 {
				continue
			}
			at := d.Add(time.Duration(x>>8%86400) * time.Second)
			if at.Before(start) || at.After(end) || at.Before(act) {
				continue
			}
			row := e911CallRow{SourceTn: tnString(tn), CallDate: at.UTC().Format(isoMillis), CallType: "911",
				CallStatus:      []string{"Completed", "Completed", "Completed", "Cancelled", "Failed"}[x>>20%5],
				CallDestination: "PSAP", CallProvisioned: yn2(len(e) > 0),
				CallDuration: fmt.Sprintf("%d.%02d", x>>28%300, x>>40%100),
				Name:         e.get("name"), StreetNum: e.get("origStreetNum"), StreetInfo: e.get("origStreetInfo"),
				City: e.get("origCity"), State: e.get("origState"), PostalCode: e.get("origPostalCode"), location: e.get("origLocation"),
				SipCallID:    fmt.Sprintf("IQ%016x@127.0.0.1", x),
				ViaHeader:    "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK" + strconv.FormatUint(x>>3, 36),
				IncomingDnis: "sip:911@127.0.0.1:5060;user=phone",
				IncomingFrom: fmt.Sprintf("<sip:%s@127.0.0.1;user=phone>", tnString(tn)), IncomingContact: fmt.Sprintf("sip:%s@127.0.0.1:5060", tnString(tn))}
			if x>>50%10 == 0 {
				row.CallType, row.CallDestination = "Test", "Test"
			}
			if len(e) == 0 {
				row.CallDestination = "Callcenter"
			}
			dur, _ := strconv.ParseFloat(row.CallDuration, 64)
			row.CallTerminated = at.Add(time.Duration(dur * float64(time.Second))).UTC().Format(isoMillis)
			if !e911CallMatches(&row, &req, callType, callStatus, callDest, callProv) {
				continue
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return fail("430", "No Result Found")
	}
	desc := req.PageSort != nil && strings.EqualFold(req.PageSort.Direction, "desc")
	byNum := req.PageSort != nil && strings.EqualFold(strings.ReplaceAll(req.PageSort.Property, " ", ""), "CallingNum")
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].CallDate+rows[i].SourceTn, rows[j].CallDate+rows[j].SourceTn
		if byNum {
			a, b = rows[i].SourceTn+rows[i].CallDate, rows[j].SourceTn+rows[j].CallDate
		}
		if desc {
			return a > b
		}
		return a < b
	})
	page, size, bad := pageArgs(req.PageSort)
	if bad != nil {
		return bad
	}
	from := min(len(rows), (page-1)*size)
	to := min(len(rows), from+size)
	// The guide's answer (9597-9630) has no page, totalPages or
	// totalItems although the request takes pageSort: the last page is
	// the short (or empty) one.
	return obj{success(), map[string]any{"callDetailList": rows[from:to]}}
}

func yn2(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func e911CallMatches(row *e911CallRow, req *e911CallReq, callType, callStatus, callDest, callProv string) bool {
	switch {
	case callType != "" && row.CallType != callType,
		callStatus != "" && row.CallStatus != callStatus,
		callDest != "" && row.CallDestination != callDest,
		callProv != "" && row.CallProvisioned != callProv,
		req.Name != "" && !containsFold(row.Name, req.Name),
		string(req.StreetNum) != "" && row.StreetNum != strings.TrimSpace(string(req.StreetNum)),
		req.StreetInfo != "" && !containsFold(row.StreetInfo, req.StreetInfo),
		req.Location != "" && !containsFold(row.location, req.Location),
		req.City != "" && !strings.EqualFold(row.City, strings.TrimSpace(req.City)),
		req.State != "" && !strings.EqualFold(row.State, strings.TrimSpace(req.State)),
		string(req.PostalCode) != "" && row.PostalCode != strings.TrimSpace(string(req.PostalCode)):
		return false
	}
	if c := strings.TrimSpace(req.E911Contains); c != "" {
		hit := false
		for _, v := range []string{row.Name, row.StreetNum, row.StreetInfo, row.location, row.City, row.State, row.PostalCode} {
			if containsFold(v, c) {
				hit = true
			}
		}
		return hit
	}
	return true
}

// campaignCatalog is the account's messaging campaigns (the first is the
// guide's example id).
var campaignCatalog = []map[string]string{
	{"msgCampaignId": "CXFXN8B", "description": "Account notifications", "startDate": "2020-10-28T00:00:00.000Z", "endDate": "9999-12-31T00:00:00.000Z", "isBillable": "Y"},
	{"msgCampaignId": "CA1B2C3", "description": "Appointment reminders", "startDate": "2021-03-01T00:00:00.000Z", "endDate": "9999-12-31T00:00:00.000Z", "isBillable": "Y"},
	{"msgCampaignId": "CTEST01", "description": "Internal test campaign", "startDate": "2021-06-15T00:00:00.000Z", "endDate": "2022-06-15T00:00:00.000Z", "isBillable": "N"},
}

func (s *Server) messageCampaigns(_ time.Time, _ []byte) answer {
	return obj{success(), map[string]any{"messageCampaignList": map[string]any{"messageCampaignItem": campaignCatalog}}}
}

// campaignOf reads the campaign a number's messaging feature carries,
// under either of the guide's names.
func campaignOf(msg fields) string {
	for _, k := range []string{"messageCampaignId", "tnCampaign", "msgCampaignId"} {
		if v := msg.get(k); v != "" {
			return v
		}
	}
	return ""
}

func (s *Server) tnMessagingCampaignList(now time.Time, _ []byte) answer {
	var items []map[string]any
	for _, tn := range s.st.assignedSorted(now) {
		if r := s.st.rec(tn, false); r != nil {
			if c := campaignOf(r.msg); c != "" {
				items = append(items, map[string]any{"tn": tnString(tn), "msgCampaignId": c})
			}
		}
	}
	if len(items) == 0 {
		return fail("430", "No Result Found")
	}
	return obj{success(), map[string]any{"tnMessageCampaignList": map[string]any{"tnMessageCampaignItem": items}}}
}

type featureListReq struct {
	TnMask   string    `json:"tnMask"`
	PageSort *pageSort `json:"pageSort"`
}

// featureList answers one tnFeature*List: the numbers on the account whose
// feature item returns non-nil, page by page when paged.
func (s *Server) featureList(now time.Time, raw []byte, paged bool, item func(tn uint64, r *tnRec) map[string]any) answer {
	var req featureListReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	var pat numPattern
	if m := strings.TrimSpace(req.TnMask); m != "" {
		p, ok := parseMask(m)
		if !ok {
			return invalidValue("tnMask")
		}
		pat = p
	}
	var items []map[string]any
	for _, tn := range s.st.assignedSorted(now) {
		if pat.kind != 0 && !pat.match(tn) {
			continue
		}
		if r := s.st.rec(tn, false); r != nil {
			if it := item(tn, r); it != nil {
				items = append(items, it)
			}
		}
	}
	if len(items) == 0 {
		return fail("430", "No Result Found")
	}
	body := map[string]any{}
	if paged {
		page, size, bad := pageArgs(req.PageSort)
		if bad != nil {
			return bad
		}
		from := min(len(items), (page-1)*size)
		to := min(len(items), from+size)
		body["page"], body["totalPages"], body["totalItems"] = strconv.Itoa(page), strconv.Itoa(pagesOf(len(items), size)), strconv.Itoa(len(items))
		items = items[from:to]
	}
	body["tnFeatureList"] = map[string]any{"tnFeatureItem": items}
	return obj{success(), body}
}

func (s *Server) tnFeatureCnamList(now time.Time, raw []byte) answer {
	return s.featureList(now, raw, true, func(tn uint64, r *tnRec) map[string]any {
		if n := r.callerID.get("callingName"); n != "" {
			return map[string]any{"tn": tn, "callingName": n}
		}
		return nil
	})
}

func (s *Server) tnFeatureDLList(now time.Time, raw []byte) answer {
	return s.featureList(now, raw, false, func(tn uint64, r *tnRec) map[string]any {
		if len(r.dl) == 0 {
			return nil
		}
		it := map[string]any{"tn": tnString(tn)}
		for _, k := range []string{"firstName", "lastName", "streetNum", "streetPreDir", "streetName", "streetType", "streetPostDir", "location", "city", "state", "postalCode"} {
			it[k] = r.dl.get(k)
		}
		return it
	})
}

func (s *Server) tnFeatureE911List(now time.Time, raw []byte) answer {
	return s.featureList(now, raw, true, func(tn uint64, r *tnRec) map[string]any {
		if len(r.e911) == 0 {
			return nil
		}
		e := r.e911
		return map[string]any{"tn": tnString(tn), "name": e.get("name"),
			"origStreetNum": e.get("origStreetNum"), "origStreetInfo": e.get("origStreetInfo"), "origLocation": e.get("origLocation"),
			"origCity": e.get("origCity"), "origState": e.get("origState"), "origPostalCode": e.get("origPostalCode"),
			"enhStreetNum": e.get("origStreetNum"), "enhStreetInfo": strings.ToUpper(e.get("origStreetInfo")),
			"enhCity": strings.ToUpper(e.get("origCity")), "enhState": strings.ToUpper(e.get("origState")), "enhPostalCode": e.get("origPostalCode")}
	})
}

func (s *Server) tnFeatureMessageList(now time.Time, raw []byte) answer {
	return s.featureList(now, raw, true, func(tn uint64, r *tnRec) map[string]any {
		if len(r.msg) == 0 {
			return nil
		}
		return map[string]any{"tn": tnString(tn), "messageClass": r.msg.get("messageClass"), "messageType": r.msg.get("messageType")}
	})
}
