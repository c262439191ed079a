package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reference and report operations: rateCenterCoverage, lataInventory,
// tnFeatureCnamDip, ticketList/ticketDetail/ticketNote,
// accountDefaultDetail, switchLocationList, dtmfRelayList,
// customerLocationList and voiceScriptDetail.

// ticket is one trouble ticket. Detail fields are the guide's names.
type ticket struct {
	id     int64
	detail fields // ticketDetailList fields other than troubleTicketId
}

type ticketNote struct {
	noteID, ticketID int64
	note, insertDate string
	insertUser       string
}

// refState is the account's reference data that jobs can change.
type refState struct {
	tickets  []*ticket
	notes    []ticketNote
	nextNote int64
	nextTT   int64
	defaults map[string]any // accountDefaultDetail, as the guide spells it
	scripts  []voiceScriptRec
	portOuts []*portOut  // ops_portout.go
	docs     []ticketDoc // ops_ticketdoc.go
	nextDoc  int64
}

type voiceScriptRec struct {
	tn, domain, script, created, direction string
	enabled, customerDefault               bool
}

// seedTickets are the guide's example tickets (ticketList, ticketDetail,
// ticketNote, ticketAddNote), so its examples run as printed.
var seedTickets = []struct {
	id                                                int64
	status, extl, enter, contact, description, market string
	problem, orig, term                               string
}{
	{65842, "Open", "Ticket9042", "2015-12-12", "Bob Laugh", "No audio on inbound calls", "Chicago IL", "One Way Audio", "3123489651", "3123489652"},
	{65843, "Resolved", "Ticket9044", "2015-12-13", "Bob Laugh", "Calls drop after 30 seconds", "Chicago IL", "Call Drop", "3123489653", "3123489654"},
	{65869, "Open", "Ticket9043", "2015-12-13", "Bob Laugh", "Wrong caller ID on outbound calls", "Chicago IL", "Caller ID", "3123489655", "3123489656"},
	{432789, "Referred Out", "", "2016-02-15", "Will Wink", "Receiving fast busy tone", "Washington DC", "Fast Busy", "4108677001", "4432141004"},
}

// rs returns the reference state, seeding it on first use.
func (st *state) rs() *refState {
	if st.ref != nil {
		return st.ref
	}
	r := &refState{nextNote: 7122563, nextTT: 500001}
	for _, t := range seedTickets {
		r.tickets = append(r.tickets, &ticket{id: t.id, detail: fields{
			"description": t.description, "marketName": t.market, "regionName": "Central", "operationalMarketName": t.market,
			"occurDate": t.enter, "assignedWorkgroupName": "Network Operations Center", "contactName": t.contact, "countryRef": "USA",
			"contactPhone": "3123805555", "contactPhoneExtension": "", "contactEmailAddress": "noc@example.com",
			"externalCompanyTicket": t.extl, "troubleTicketService": "None", "troubleTicketSource": "API",
			"troubleTicketProblemCode": t.problem, "troubleTicketStatus": t.status, "troubleTicketCauseCode": "",
			"troubleTicketResolveCode": "", "expectedCustomerImpact": "", "enterDate": t.enter,
			"enterUserDisplayName": t.contact, "resolveUserDisplayName": "", "closeUserDisplayName": "",
			"updateDate": t.enter, "updateUserDisplayName": "", "nocTechDisplayName": "", "origTN": t.orig, "termTN": t.term,
		}})
	}
	r.notes = []ticketNote{{noteID: 7122562, ticketID: 65843, note: "A note to follow so", insertDate: "12-31-2015 03:09:53 PM", insertUser: "api_user"}}
	r.defaults = map[string]any{
		"contactLastName": "Orders", "contactFirstName": "API", "contactEmail": "API@email.com",
		"desiredPortTime": "14:00", "desiredPortTimeZone": "US/Pacific", "webHookUrl": "test.inteliquent.com",
		"portOutPin": "123", "cnamDip": "Y", "cnamDipTf": "Y", "webhookHeader": "ABC123def456",
		"authorizeWebhookPortout": "Y", "trunkGroupMgmtEnabled": "N",
		"portOutContactList": map[string]any{"portOutContactItem": []any{
			map[string]any{"contactLastName": "Email", "contactFirstName": "Test", "contactEmail": "test@email.com"}}},
		"msgDeliveryReceipt": "N",
	}
	r.scripts = []voiceScriptRec{{tn: "3123752699", script: "<script><head/><body><dial caller='{CALLER}' number='sip:172.31.42.248:5060'/></body></script>",
		created: "2020-06-25T13:28:03.815Z", direction: "inbound", enabled: true}}
	st.ref = r
	return r
}

// ---- rateCenterCoverage ----

// extraRateCenters are the guide's example rate centers that hold no
// inventory in the world.
var extraRateCenters = []struct{ lata, abbr, market, state, lnp, did string }{
	{"464", "OWENSBORO", "Owensboro KY", "KY", "N", "N"},
	{"128", "HAVERHILL", "Boston MA", "MA", "Y", "Y"},
	{"834", "LIHUE", "Hawaii", "HI", "Y", "Y"},
}

func (s *Server) rateCenterCoverage(_ time.Time, raw []byte) answer {
	var req struct {
		Wireless string `json:"wireless"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	switch strings.ToUpper(strings.TrimSpace(req.Wireless)) {
	case "", "Y", "N":
	default:
		return invalidValue("wireless")
	}
	var items []map[string]any
	for i := range rateCenters {
		rc := &rateCenters[i]
		// Tier 2 rate centers are open to porting only; Canada to neither.
		lnp, did := "Y", "Y"
		switch rc.tier {
		case "2":
			did = "N"
		case "CAN":
			lnp, did = "N", "N"
		}
		items = append(items, map[string]any{"lata": rc.lata, "rcAbbre": rc.abbr, "marketName": titleCase(rc.city) + " " + rc.state,
			"locState": rc.state, "lnpApproved": lnp, "didApproved": did})
	}
	for _, x := range extraRateCenters {
		items = append(items, map[string]any{"lata": x.lata, "rcAbbre": x.abbr, "marketName": x.market, "locState": x.state,
			"lnpApproved": x.lnp, "didApproved": x.did})
	}
	return obj{success(), map[string]any{"rateCenterList": map[string]any{"rateCenterItem": items}}}
}

// ---- lataInventory ----

// lataOf is the LATA of a number: its block's rate center, else the rate
// center serving its NPA, else the NPAs the guide's example names.
func (w *world) lataOf(tn uint64) string {
	if rc := w.rcOf(tn); rc != nil {
		return rc.lata
	}
	npa := strconv.FormatUint(tn/10_000_000, 10)
	for i := range rateCenters {
		for _, n := range rateCenters[i].npas {
			if n == npa {
				return rateCenters[i].lata
			}
		}
	}
	return map[string]string{"334": "422", "704": "478"}[npa]
}

func (s *Server) lataInventory(_ time.Time, raw []byte) answer {
	var req struct {
		TnList *tnList `json:"tnList"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	if req.TnList == nil || len(req.TnList.TnItem) == 0 {
		return required("tnList")
	}
	list := make([]map[string]any, 0, len(req.TnList.TnItem))
	for _, tn := range req.TnList.tns() {
		n, ok := parseTN(tn)
		if !ok {
			return invalidValue("tn")
		}
		list = append(list, map[string]any{"lata": s.st.w.lataOf(n)})
	}
	return obj{success(), map[string]any{"lataList": list}}
}

// ---- tnFeatureCnamDip ----

// cnamDipScroll is the searchId of tnFeatureCnamDip: the page size and the
// last page answered, so a request with only the searchId gets the next.
func cnamDipScroll(size, page int) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "cnamdip:%d:%d", size, page))
}

func parseCnamDipScroll(id string) (size, page int, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(id))
	if err != nil {
		return 0, 0, false
	}
	if _, err := fmt.Sscanf(string(b), "cnamdip:%d:%d", &size, &page); err != nil || size < 1 || page < 1 {
		return 0, 0, false
	}
	return size, page, true
}

func (s *Server) tnFeatureCnamDip(now time.Time, raw []byte) answer {
	var req struct {
		PageSort *pageSort `json:"pageSort"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	page, size, bad := pageArgs(req.PageSort)
	if bad != nil {
		return bad
	}
	if req.PageSort != nil && strings.TrimSpace(req.PageSort.SearchID) != "" {
		sz, last, ok := parseCnamDipScroll(req.PageSort.SearchID)
		if !ok {
			return invalidValue("searchId")
		}
		size, page = sz, last+1
	}
	var items []map[string]any
	for _, tn := range s.st.assignedSorted(now) {
		if s.st.status(tn, now) != stInService {
			continue
		}
		dip := "N"
		if r := s.st.rec(tn, false); r != nil && r.callerID.get("cnamDip") != "" {
			dip = r.callerID.get("cnamDip")
		}
		items = append(items, map[string]any{"tn": tnString(tn), "cnamDip": dip})
	}
	if len(items) == 0 {
		return fail("430", "No Result Found")
	}
	from := min(len(items), (page-1)*size)
	to := min(len(items), from+size)
	return obj{success(), map[string]any{"tnFeatureCnamDipList": items[from:to], "page": strconv.Itoa(page),
		"totalPages": strconv.Itoa(pagesOf(len(items), size)), "totalItems": strconv.Itoa(len(items)),
		"searchId": cnamDipScroll(size, page)}}
}

// ---- trouble tickets ----

func (s *Server) ticketList(_ time.Time, raw []byte) answer {
	var req struct {
		TroubleTicketID            flexString `json:"troubleTicketId"`
		MinEnterDate               string     `json:"minEnterDate"`
		MaxEnterDate               string     `json:"maxEnterDate"`
		ExtlCompanyTicket          string     `json:"extlCompanyTicket"`
		TroubleTicketStatus        string     `json:"troubleTicketStatus"`
		TroubleTicketStatusExclude string     `json:"troubleTicketStatusExclude"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	for _, d := range []struct{ name, v string }{{"minEnterDate", req.MinEnterDate}, {"maxEnterDate", req.MaxEnterDate}} {
		if d.v != "" {
			if _, err := time.Parse(time.DateOnly, d.v); err != nil {
				return invalidValue(d.name)
			}
		}
	}
	exclude := strings.EqualFold(req.TroubleTicketStatusExclude, "Y")
	list := []map[string]any{}
	for _, t := range s.st.rs().tickets {
		d := t.detail
		switch {
		case string(req.TroubleTicketID) != "" && string(req.TroubleTicketID) != strconv.FormatInt(t.id, 10),
			req.ExtlCompanyTicket != "" && req.ExtlCompanyTicket != d.get("externalCompanyTicket"),
			req.MinEnterDate != "" && d.get("enterDate") < req.MinEnterDate,
			req.MaxEnterDate != "" && d.get("enterDate") > req.MaxEnterDate,
			req.TroubleTicketStatus != "" && strings.EqualFold(d.get("troubleTicketStatus"), req.TroubleTicketStatus) == exclude:
			continue
		}
		list = append(list, map[string]any{"troubleTicketId": t.id, "extlCompanyTicket": d.get("externalCompanyTicket"),
			"troubleTicketStatus": d.get("troubleTicketStatus"), "enterDate": d.get("enterDate"), "contactName": d.get("contactName")})
	}
	if len(list) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"troubleTicketList": list}}
}

func (rs *refState) ticket(id string) *ticket {
	for _, t := range rs.tickets {
		if strconv.FormatInt(t.id, 10) == strings.TrimSpace(id) {
			return t
		}
	}
	return nil
}

func (s *Server) ticketDetail(_ time.Time, raw []byte) answer {
	var req struct {
		TroubleTicketID flexString `json:"troubleTicketId"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	if req.TroubleTicketID == "" {
		return required("troubleTicketId")
	}
	t := s.st.rs().ticket(string(req.TroubleTicketID))
	if t == nil {
		return fail("430", "No Results Found")
	}
	it := map[string]any{"troubleTicketId": t.id}
	for k := range t.detail {
		it[k] = t.detail.get(k)
	}
	return obj{success(), map[string]any{"ticketDetailList": []any{it}}}
}

func (s *Server) ticketNote(_ time.Time, raw []byte) answer {
	var req struct {
		TroubleTicketID flexString `json:"troubleTicketId"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	list := []map[string]any{}
	for _, n := range s.st.rs().notes {
		if req.TroubleTicketID != "" && string(req.TroubleTicketID) != strconv.FormatInt(n.ticketID, 10) {
			continue
		}
		list = append(list, map[string]any{"noteId": n.noteID, "troubleTicketId": n.ticketID, "note": n.note,
			"insertDate": n.insertDate, "insertUser": n.insertUser, "insertUserDisplayName": n.insertUser})
	}
	if len(list) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"ticketNoteList": list}}
}

// ---- accountDefaultDetail ----

func (s *Server) accountDefaultDetail(_ time.Time, _ []byte) answer {
	return obj{success(), map[string]any{"accountDefaultDetail": s.st.rs().defaults}}
}

// ---- trunk-group lookups ----

var (
	switchLocations   = []string{"Chicago IL", "Dallas TX", "Atlanta GA", "Los Angeles CA", "New York NY"}
	dtmfRelays        = []string{"2833", "None = INBAND"}
	customerLocations = []string{"AGSTGAMTSY", "AHLNCOHX9Z", "ALBQMMAX4Y", "ALBYNYSSXC", "ALNAPAALXGX", "ATLANTACONF", "ATLNGAQS08T", "ATLNGAQS08S", "CHCGIL24CL1"}
)

func (s *Server) switchLocationList(_ time.Time, _ []byte) answer {
	return obj{success(), map[string]any{"switchLocationList": switchLocations}}
}

func (s *Server) dtmfRelayList(_ time.Time, _ []byte) answer {
	return obj{success(), map[string]any{"dtmfRelayList": dtmfRelays}}
}

func (s *Server) customerLocationList(_ time.Time, _ []byte) answer {
	return obj{success(), map[string]any{"customerLocationList": customerLocations}}
}

// ---- voiceScriptDetail ----

func (s *Server) voiceScriptDetail(_ time.Time, raw []byte) answer {
	var req struct {
		VoiceScript []struct {
			TN         tnValue `json:"tn"`
			Domain     string  `json:"domain"`
			ScriptType string  `json:"scriptType"`
			Direction  string  `json:"Direction"`
			DirectionL string  `json:"direction"`
		} `json:"voiceScript"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	if len(req.VoiceScript) == 0 {
		return required("voiceScript")
	}
	var out []map[string]any
	for _, sc := range s.st.rs().scripts {
		for _, q := range req.VoiceScript {
			dir := strings.ToLower(strings.TrimSpace(q.Direction + q.DirectionL))
			match := false
			switch strings.ToUpper(strings.TrimSpace(q.ScriptType)) {
			case "NUMBER":
				match = sc.tn != ""
			case "DOMAIN":
				match = sc.domain != ""
			case "":
				match = (string(q.TN) != "" && string(q.TN) == sc.tn) || (q.Domain != "" && strings.EqualFold(q.Domain, sc.domain))
			default:
				return invalidValue("scriptType")
			}
			if match && (dir == "" || dir == sc.direction) {
				it := map[string]any{"script": sc.script, "createdDate": sc.created, "enabled": sc.enabled,
					"direction": sc.direction, "customerDefault": sc.customerDefault}
				if sc.tn != "" {
					it["tn"] = sc.tn
				} else {
					it["domain"] = sc.domain
				}
				out = append(out, it)
				break
			}
		}
	}
	if len(out) == 0 {
		return fail("430", "No Results Found")
	}
	return obj{success(), map[string]any{"voiceScriptResponse": map[string]any{"voiceScript": out}}}
}

// ---- addressValidate ----

// addressValidate is tnE911Validate without a number or a name: the same
// address book and the same three results. A valid address echoes itself
// in the corrected fields, as the guide's example does.
func (s *Server) addressValidate(_ time.Time, raw []byte) answer {
	var req struct {
		StreetNum  flexString `json:"streetNum"`
		StreetInfo string     `json:"streetInfo"`
		City       string     `json:"city"`
		State      string     `json:"state"`
		PostalCode flexString `json:"postalCode"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	for _, f := range []struct{ name, v string }{{"streetNum", string(req.StreetNum)}, {"streetInfo", req.StreetInfo},
		{"city", req.City}, {"state", req.State}, {"postalCode", string(req.PostalCode)}} {
		if strings.TrimSpace(f.v) == "" {
			return required(f.name)
		}
	}
	v := s.st.w.addrs.validateAddress(e911Address{string(req.StreetNum), req.StreetInfo, "", req.City, req.State, string(req.PostalCode)})
	body := map[string]any{"validationResult": v.result, "validationMsg": v.msg}
	if c := v.corrected; c != nil {
		body["correctedStreetNum"], body["correctedStreetInfo"] = v.num, c.info()
		body["correctedCity"], body["correctedState"], body["correctedPostalCode"] = c.city, c.state, c.zip
	}
	if len(v.candidates) > 0 {
		list := make([]map[string]any, len(v.candidates))
		for i, c := range v.candidates {
			list[i] = map[string]any{"streetNum": v.num, "streetInfo": c.info(), "city": c.city, "state": c.state,
				"postalCode": c.zip, "postalCodePlusFour": c.plus4, "country": "USA"}
		}
		body["candidateAddressList"] = list
	}
	return obj{success(), map[string]any{"addressValidateResponse": body}}
}

// ---- accountDefault ----

// accountDefaultReq keeps customerDefault as sent, so the journal replays
// exactly what was applied.
type accountDefaultReq struct {
	CustomerDefault json.RawMessage `json:"customerDefault"`
}

// accountDefaultZones are desiredPortTimeZone's values.
var accountDefaultZones = []string{"US/Eastern", "US/Central", "US/Mountain", "US/Pacific", "GMT"}

// accountDefault replaces the defaults. As the guide says, webhookUrl,
// webhookHeader and portOutContactList are "overwritten to null if not
// sent"; the starred fields are required when the current value is null;
// authorizeWebhookPortout is required when webhookUrl is present.
func (st *state) accountDefault(_ time.Time, req *accountDefaultReq) answer {
	var flat fields
	var cd struct {
		PortOutContactList *struct {
			PortOutContactItem []fields `json:"portOutContactItem"`
		} `json:"portOutContactList"`
	}
	if raw := strings.TrimSpace(string(req.CustomerDefault)); raw == "" || raw == "null" {
		return required("customerDefault")
	}
	if json.Unmarshal(req.CustomerDefault, &flat) != nil || json.Unmarshal(req.CustomerDefault, &cd) != nil {
		return badRequest(nil)
	}
	rs := st.rs()
	get := func(k string) string { return flat.get(k) }
	cur := func(k string) string { s, _ := rs.defaults[k].(string); return s }
	var missing []string
	for _, k := range []string{"contactFirstName", "contactLastName", "contactEmail", "cnamDip", "cnamDipTf"} {
		if get(k) == "" && cur(k) == "" {
			missing = append(missing, k)
		}
	}
	if get("webhookUrl") != "" && get("authorizeWebhookPortout") == "" {
		missing = append(missing, "authorizeWebhookPortout")
	}
	if len(missing) > 0 {
		return required(strings.Join(missing, ","))
	}
	for _, k := range []string{"cnamDip", "cnamDipTf", "authorizeWebhookPortout", "ipFilteringEnabled"} {
		if v := get(k); v != "" && v != "Y" && v != "N" {
			return invalidValue(k)
		}
	}
	if z := get("desiredPortTimeZone"); z != "" && !slices.Contains(accountDefaultZones, z) {
		return invalidValue("desiredPortTimeZone")
	}
	if t := get("desiredPortTime"); t != "" {
		if _, err := time.Parse("15:04", t); err != nil {
			return invalidValue("desiredPortTime")
		}
	}
	if get("ipFilteringEnabled") == "Y" && get("ipRange") == "" {
		return required("ipRange")
	}
	d := rs.defaults
	for _, k := range []string{"contactFirstName", "contactLastName", "contactEmail", "desiredPortTime", "desiredPortTimeZone",
		"portOutPin", "cnamDip", "cnamDipTf", "authorizeWebhookPortout", "ipFilteringEnabled", "ipRange", "emailDomain"} {
		if v := get(k); v != "" {
			d[k] = v
		}
	}
	if v := get("sloURL") + get("sloUrl"); v != "" {
		d["sloUrl"] = v
	}
	// Overwritten to null when not sent.
	d["webHookUrl"], d["webhookHeader"] = get("webhookUrl"), get("webhookHeader")
	var contacts []any
	if cd.PortOutContactList != nil {
		for _, c := range cd.PortOutContactList.PortOutContactItem {
			contacts = append(contacts, map[string]any{"contactLastName": c.get("contactLastName"),
				"contactFirstName": c.get("contactFirstName"), "contactEmail": c.get("contactEmail")})
		}
	}
	if contacts == nil {
		delete(d, "portOutContactList")
	} else {
		d["portOutContactList"] = map[string]any{"portOutContactItem": contacts}
	}
	return success()
}

// ---- ticketCreate ----

// ticketCreateReq is the flat ticketCreate body.
type ticketCreateReq = fields

var ticketProblemCodes = map[string]string{"WRONGTG": "Wrong Trunk Group", "CALLERID": "Caller ID", "CALLDROP": "Call Drop",
	"DTMF": "DTMF", "DEDAIR": "Dead Air", "DLYDAUD": "Delayed Audio", "EQUIPALRM": "Equipment Alarm", "FASTBUSY": "Fast Busy",
	"FAXFAIL": "Fax Failure", "WRONGCODEC": "Wrong Codec", "WRONGLRN": "Wrong LRN", "CAPACITY": "Capacity", "QUALITY": "Quality",
	"OWAUD": "One Way Audio", "PKTLOSS": "Packet Loss", "POSCCM": "Post Call Completion", "PDD": "Post Dial Delay",
	"WRONGNUM": "Wrong Number", "RECORDING": "Recording", "RMTHNDS": "Remote Hands"}

func allDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (st *state) ticketCreate(now time.Time, req *ticketCreateReq) answer {
	var missing []string
	for _, k := range []string{"contactName", "contactPhone", "contactEmailAddress", "countryRef", "description", "occurDate", "problemCodeRef", "origTn", "termTn"} {
		if req.get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return required(strings.Join(missing, ","))
	}
	problem, ok := ticketProblemCodes[req.get("problemCodeRef")]
	switch {
	case !allDigits(req.get("contactPhone"), 10, 10):
		return invalidValue("contactPhone")
	case req.get("extension") != "" && !allDigits(req.get("extension"), 4, 4):
		return invalidValue("extension")
	case !allDigits(req.get("origTn"), 1, 15):
		return invalidValue("origTn")
	case !allDigits(req.get("termTn"), 1, 15):
		return invalidValue("termTn")
	case !ok:
		return invalidValue("problemCodeRef")
	}
	if _, err := time.Parse(time.DateOnly, req.get("occurDate")); err != nil {
		return invalidValue("occurDate")
	}
	rs := st.rs()
	id := rs.nextTT
	rs.nextTT++
	day := now.UTC().Format(time.DateOnly)
	rs.tickets = append(rs.tickets, &ticket{id: id, detail: fields{
		"description": req.get("description"), "marketName": "", "regionName": "", "operationalMarketName": "",
		"occurDate": req.get("occurDate"), "assignedWorkgroupName": "Network Operations Center", "contactName": req.get("contactName"),
		"countryRef": req.get("countryRef"), "contactPhone": req.get("contactPhone"), "contactPhoneExtension": req.get("extension"),
		"contactEmailAddress": req.get("contactEmailAddress"), "externalCompanyTicket": req.get("extlCompanyTicket"),
		"troubleTicketService": "None", "troubleTicketSource": "API", "troubleTicketProblemCode": problem, "troubleTicketStatus": "Open",
		"troubleTicketCauseCode": "", "troubleTicketResolveCode": "", "expectedCustomerImpact": "", "enterDate": day,
		"enterUserDisplayName": req.get("contactName"), "resolveUserDisplayName": "", "closeUserDisplayName": "", "updateDate": day,
		"updateUserDisplayName": "", "nocTechDisplayName": "", "origTN": req.get("origTn"), "termTN": req.get("termTn"),
	}})
	return obj{success(), map[string]any{"troubleTicketId": strconv.FormatInt(id, 10)}}
}

// ---- ticketAddNote ----

// ticketAddNote adds a note; the answer's statusCode is a JSON number, as
// the guide's example shows.
func (st *state) ticketAddNote(now time.Time, req *ticketCreateReq) answer {
	id, note := req.get("troubleTicketId"), req.get("troubleTicketNote")
	switch {
	case id == "" && note == "":
		return required("troubleTicketId,troubleTicketNote")
	case id == "":
		return required("troubleTicketId")
	case note == "":
		return required("troubleTicketNote")
	}
	rs := st.rs()
	t := rs.ticket(id)
	if t == nil {
		return invalidValue("troubleTicketId")
	}
	n := ticketNote{noteID: rs.nextNote, ticketID: t.id, note: note, insertDate: now.UTC().Format("01-02-2006 03:04:05 PM"), insertUser: "api_user"}
	rs.nextNote++
	rs.notes = append(rs.notes, n)
	return obj{envelope{Status: "Success", StatusCode: 200}, map[string]any{"noteId": strconv.FormatInt(n.noteID, 10)}}
}
