package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The international operations that change state (registered in
// services.go's mutOps, so they are journaled, audited and faulted like
// the domestic ones) and their reads (readOps). The guide's heading
// spellings (int1TnDetail, int1OrderDetail, int1OrderDocumentDownload,
// intlInRequest) are served too.

// ---- wire ----

type intlDocItem struct {
	ConditionName string `json:"conditionName,omitempty"`
	FileName      string `json:"fileName"`
	MimeType      string `json:"mimeType"`
	FileContent   string `json:"fileContent"`
}

type intlItem struct {
	TN            tnValue       `json:"tn"`
	CountryRef    string        `json:"countryRef,omitempty"`
	RoutingOption string        `json:"routingOption,omitempty"`
	NumberType    string        `json:"numberType,omitempty"`
	TnNote        string        `json:"tnNote,omitempty"` // also the port-in example's "tnNOte" (JSON keys match case-insensitively)
	EndUserData   []intlEndUser `json:"endUserData,omitempty"`
	Documents     []intlDocItem `json:"documents,omitempty"`
}

// intlList is tnList with the example's tnItem or the table's intlTnItem.
type intlList struct {
	TnItem     []intlItem `json:"tnItem,omitempty"`
	IntlTnItem []intlItem `json:"intlTnItem,omitempty"`
}

func (l *intlList) items() []intlItem {
	return append(append([]intlItem(nil), l.TnItem...), l.IntlTnItem...)
}

func (l *intlList) tns() []string {
	var out []string
	for _, it := range l.items() {
		out = append(out, string(it.TN))
	}
	return out
}

type intlTnReserveReq struct {
	TnReserve struct {
		TnList intlList `json:"tnList"`
	} `json:"tnReserve"`
}

type intlTnOrderReq struct {
	TnOrder struct {
		CustomerOrderReference flexString `json:"customerOrderReference,omitempty"`
		TnList                 intlList   `json:"tnList"`
	} `json:"tnOrder"`
}

type intlPortInOrderReq struct {
	PortInOrder struct {
		CustomerOrderReference flexString `json:"customerOrderReference,omitempty"`
		DesiredDueDate         string     `json:"desiredDueDate"`
		TnList                 intlList   `json:"tnList"`
	} `json:"portInOrder"`
}

// intlRefListReq is the shape of intlTnDisconnect, intlTnUpdate,
// intlTnRoutingUpdate, intlTnEndUser and intlTnAddDocument.
type intlRefListReq struct {
	OrderID                flexString `json:"orderId,omitempty"`
	CustomerOrderReference flexString `json:"customerOrderReference,omitempty"`
	TnList                 intlList   `json:"tnList"`
}

type intlNoteListReq struct {
	OrderID flexString `json:"orderId,omitempty"`
	TnNote  struct {
		TnList intlList `json:"tnList"`
	} `json:"tnNote"`
}

type intlOrderReq struct {
	OrderID                flexString   `json:"orderId,omitempty"`
	CustomerOrderReference flexString   `json:"customerOrderReference,omitempty"`
	OrderNote              string       `json:"orderNote,omitempty"`
	Document               *intlDocItem `json:"document,omitempty"`
}

type intlTnRequestReq struct {
	CountryRef             string     `json:"countryRef"`
	CustomerOrderReference flexString `json:"customerOrderReference,omitempty"`
	Quantity               flexInt    `json:"quantity"`
	RoutingOption          string     `json:"routingOption,omitempty"`
	DesiredDueDate         string     `json:"desiredDueDate,omitempty"`
}

// intlAnswer is an answer that says which numbers it changed and which
// order it made, for the audit.
type intlAnswer struct {
	obj
	orderID string
	applied []string
}

func (a intlAnswer) MarshalJSON() ([]byte, error) { return a.obj.MarshalJSON() }

func intlApplied(code any, body map[string]any, orderID string, applied []string) intlAnswer {
	if body == nil {
		body = map[string]any{}
	}
	return intlAnswer{obj: obj{envelope{"Success", code}, body}, orderID: orderID, applied: applied}
}

func intlOrderIDOf(v flexString) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
	return n
}

func intlExclusionItems(o *intlOrder, xs []exclusion) []map[string]any {
	out := make([]map[string]any, 0, len(xs))
	for _, x := range xs {
		m := map[string]any{"tn": x.tn, "excludedReason": x.reason, "countryRef": "", "countryCode": ""}
		if c, _, _, ok := intlNumber(x.tn); ok {
			m["countryRef"], m["countryCode"] = c.ref, c.code
		}
		if o != nil {
			m["orderId"], m["customerOrderReference"] = o.ID, o.Ref
			m["insertDate"], m["displayName"] = intlDate(o.Created), "iqbulk, Sandbox"
		}
		out = append(out, m)
	}
	return out
}

// checkItem validates one number for an order: its country, and that it
// matches the countryRef sent.
func checkItem(it intlItem) (*intlCountry, string) {
	tn := strings.TrimPrefix(strings.TrimSpace(string(it.TN)), "+")
	c, _, _, ok := intlNumber(tn)
	switch {
	case strings.TrimSpace(it.CountryRef) != "" && intlCountryOf(it.CountryRef) == nil:
		return nil, "Country " + strings.TrimSpace(it.CountryRef) + " is not supported"
	case !ok:
		return nil, "TN is not valid"
	case strings.TrimSpace(it.CountryRef) != "" && !strings.EqualFold(strings.TrimSpace(it.CountryRef), c.ref):
		return nil, "TN does not belong to country " + strings.ToUpper(strings.TrimSpace(it.CountryRef))
	}
	if ro := strings.TrimSpace(it.RoutingOption); ro != "" {
		found := false
		for _, r := range c.routing {
			found = found || strings.EqualFold(r, ro)
		}
		if !found {
			return nil, "Routing option " + ro + " is not offered in " + c.ref
		}
	}
	return c, ""
}

func normTN(v tnValue) string { return strings.TrimPrefix(strings.TrimSpace(string(v)), "+") }

// ---- changes ----

func (st *state) intlTnReserve(now time.Time, req *intlTnReserveReq, lim int) answer {
	items := req.TnReserve.TnList.items()
	if len(items) == 0 {
		return required("tnList")
	}
	is := st.intlSt()
	held := 0
	if lim > 0 {
		for _, r := range is.tns {
			if now.Before(r.reservedUntil) && !onIntlAccount(is.status(r.tn, now)) {
				held++
			}
		}
	}
	var excluded []map[string]any
	var applied []string
	seen := map[string]bool{}
	for _, it := range items {
		tn := normTN(it.TN)
		c, _, _, ok := intlNumber(tn)
		if !ok || seen[tn] || is.status(tn, now) != intlAvailable || lim > 0 && held >= lim {
			excluded = append(excluded, map[string]any{"tn": tn})
			continue
		}
		seen[tn] = true
		is.rec(tn, c).reservedUntil = now.Add(intlReserveHold)
		held++
		applied = append(applied, tn)
	}
	body := map[string]any{"totalTnCount": len(items), "reservedTnCount": len(applied)}
	if len(excluded) > 0 {
		body["excludedTnList"] = excluded
	}
	return intlApplied("200", map[string]any{"intlTnReserveResponse": body}, "", applied)
}

// placeNew puts the valid numbers of items on a new order (or a port-in).
func (st *state) placeIntl(now time.Time, kind, ref string, items []intlItem, due time.Time) (*intlOrder, []exclusion, []string) {
	is := st.intlSt()
	var excl []exclusion
	var valid []string
	seen := map[string]bool{}
	type pick struct {
		c  *intlCountry
		it intlItem
	}
	var picks []pick
	for _, it := range items {
		tn := normTN(it.TN)
		c, reason := checkItem(it)
		if reason == "" && seen[tn] {
			reason = reasonDuplicate
		}
		if reason == "" {
			switch s := is.status(tn, now); {
			case s == intlInService || s == intlPendingDisconnect:
				reason = reasonAssigned
			case s == intlPending:
				reason = reasonOnOrder
			case kind == kindPortIn && s == intlAvailable:
				reason = "TN is in Inteliquent inventory: order it with intlTnOrder"
			case kind == kindNew && s == intlOff:
				reason = "TN is not available in inventory"
			case kind == kindPortIn && len(it.EndUserData) == 0:
				reason = "Fields Are Required:endUserData"
			}
		}
		if reason != "" {
			excl = append(excl, exclusion{tn: tn, reason: reason})
			continue
		}
		seen[tn] = true
		valid = append(valid, tn)
		picks = append(picks, pick{c, it})
	}
	o := is.newOrder(now, kind, ref)
	o.Valid, o.Excluded, o.due = valid, excl, due
	if !due.IsZero() {
		o.DueDate = intlDate(due)
	}
	for i, p := range picks {
		r := is.rec(valid[i], p.c)
		r.life, r.idx, r.disco = o, i, nil
		r.reservedUntil = time.Time{}
		r.routing = strings.TrimSpace(p.it.RoutingOption)
		if r.routing == "" {
			r.routing = p.c.routing[0]
		}
		r.note, r.endUser, r.endUserAt, r.docs = p.it.TnNote, nil, time.Time{}, nil
		if len(p.it.EndUserData) > 0 {
			r.endUser, r.endUserAt = p.it.EndUserData, now
		}
	}
	return o, excl, valid
}

func (st *state) intlTnOrder(now time.Time, req *intlTnOrderReq) answer {
	items := req.TnOrder.TnList.items()
	if len(items) == 0 {
		return required("tnList")
	}
	for _, it := range items {
		if strings.TrimSpace(string(it.TN)) == "" {
			return required("tn")
		}
		if strings.TrimSpace(it.CountryRef) == "" {
			return required("countryRef")
		}
	}
	o, excl, valid := st.placeIntl(now, kindNew, strings.TrimSpace(string(req.TnOrder.CustomerOrderReference)), items, time.Time{})
	tnItems := make([]map[string]any, 0, len(valid))
	for _, tn := range valid {
		r := st.intl.tns[tn]
		iso2 := map[string]string{"FRA": "FR", "NLD": "NL", "ESP": "ES", "GBR": "GB", "DEU": "DE"}[r.country.ref]
		_, area, _, _ := intlNumber(tn)
		tnItems = append(tnItems, map[string]any{
			"tn": tn, "vendorId": strconv.FormatInt(o.ID*10+int64(len(tnItems)), 10), "countryCode": iso2, "numberType": "DID",
			"prefix": r.country.code + area,
			"termination": map[string]any{"routingDistributionType": "FailOver", "routingOptionList": []map[string]any{{
				"source": "SetByDefaultProfile", "origin": "Fixed", "originDescription": "Default", "sortOrder": 0,
				"routingOption": r.routing, "ringTime": 90, "fromUTC": intlTime(now), "id": o.ID*100 + int64(len(tnItems)),
			}}},
			"endUserData": r.endUser, "applicationType": "CallForward", "fromUTC": intlTime(now), "enabled": true,
			"forcedCodec": "Unspecified", "routingOptionProfile": r.routing, "inService": false, "serviceReason": "PENDING",
			"reference":             strconv.FormatInt(o.ID, 10),
			"earliestCancelDateUTC": intlTime(now.AddDate(1, 0, 0)), "cancelBeforeDateUTC": intlTime(now.AddDate(0, 11, 0)),
			"initialContractDuration": "1 year", "initialNoticePeriod": "1 month", "renewalContractDuration": "1 year", "renewalNoticePeriod": "1 month",
		})
	}
	return intlApplied("200", map[string]any{
		"orderId":        o.ID,
		"excludedTnList": map[string]any{"excludedTnItem": intlExclusionItems(nil, excl)},
		"tnList":         map[string]any{"tnItem": tnItems},
	}, strconv.FormatInt(o.ID, 10), valid)
}

func (st *state) intlPortInOrder(now time.Time, req *intlPortInOrderReq) answer {
	p := req.PortInOrder
	items := p.TnList.items()
	if strings.TrimSpace(p.DesiredDueDate) == "" {
		return required("desiredDueDate")
	}
	due, ok := parseIntlDate(p.DesiredDueDate)
	if !ok {
		return invalidValue("desiredDueDate")
	}
	if len(items) == 0 {
		return required("tnList")
	}
	for _, it := range items {
		if strings.TrimSpace(it.CountryRef) == "" {
			return required("countryRef")
		}
	}
	o, _, valid := st.placeIntl(now, kindPortIn, strings.TrimSpace(string(p.CustomerOrderReference)), items, due)
	return intlApplied("200", map[string]any{"orderId": strconv.FormatInt(o.ID, 10)}, strconv.FormatInt(o.ID, 10), valid)
}

func parseIntlDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range []string{"2006-01-02T15:04:05.000Z", "2006-01-02T15:04:05.000", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func (st *state) intlTnDisconnect(now time.Time, req *intlRefListReq) answer {
	items := req.TnList.items()
	if len(items) == 0 {
		return required("tnList")
	}
	is := st.intlSt()
	var excl []exclusion
	var valid []string
	seen := map[string]bool{}
	for _, it := range items {
		tn := normTN(it.TN)
		_, _, _, ok := intlNumber(tn)
		reason := ""
		switch s := is.status(tn, now); {
		case !ok:
			reason = "TN is not valid"
		case seen[tn]:
			reason = reasonDuplicate
		case s == intlPending || s == intlPendingDisconnect:
			reason = reasonOnOrder
		case s != intlInService:
			reason = reasonNotAssigned
		}
		if reason != "" {
			excl = append(excl, exclusion{tn: tn, reason: reason})
			continue
		}
		seen[tn] = true
		valid = append(valid, tn)
	}
	o := is.newOrder(now, kindDisco, strings.TrimSpace(string(req.CustomerOrderReference)))
	o.Valid, o.Excluded = valid, excl
	for i, tn := range valid {
		r := is.tns[tn]
		r.disco, r.discoIdx = o, i
	}
	// The table's orderId; the example answers statusCode as a number.
	return intlApplied(200, map[string]any{"orderId": o.ID}, strconv.FormatInt(o.ID, 10), valid)
}

// intlOnAccount checks the numbers of an update: each In Service (or,
// for routing updates, on the order and Pending).
func (st *state) intlUpdate(now time.Time, req *intlRefListReq, op string) answer {
	items := req.TnList.items()
	if len(items) == 0 {
		return required("tnList")
	}
	is := st.intlSt()
	var o *intlOrder
	if op == "intlTnRoutingUpdate" || op == "intlTnEndUser" || op == "intlTnAddDocument" {
		id, ref := intlOrderIDOf(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
		if id == 0 && ref == "" {
			return required("orderId")
		}
		if o = is.find(id, ref); o == nil {
			return orderNotFound
		}
	}
	var bad []exclusion
	var docs []map[string]any
	var applied []string
	for _, it := range items {
		tn := normTN(it.TN)
		if strings.TrimSpace(it.CountryRef) == "" && op != "intlTnAddDocument" {
			return required("countryRef")
		}
		s := is.status(tn, now)
		reason := ""
		switch {
		case o != nil && (is.tns[tn] == nil || is.tns[tn].life != o):
			reason = "TN is not on order " + strconv.FormatInt(o.ID, 10)
		case op == "intlTnRoutingUpdate" && s != intlPending:
			reason = "TN is not pending: use intlTnUpdate after it is In Service"
		case op == "intlTnUpdate" && s != intlInService:
			reason = reasonNotInService
		case o == nil && !onIntlAccount(s):
			reason = reasonNotAssigned
		}
		if reason == "" && (op == "intlTnUpdate" || op == "intlTnRoutingUpdate") {
			if _, r := checkItem(it); r != "" {
				reason = r
			} else if strings.TrimSpace(it.RoutingOption) == "" {
				return required("routingOption")
			}
		}
		if reason == "" && op == "intlTnEndUser" && len(it.EndUserData) == 0 {
			return required("endUserData")
		}
		if reason == "" && op == "intlTnAddDocument" {
			if len(it.Documents) == 0 {
				return required("documents")
			}
			for _, d := range it.Documents {
				if a := checkDoc(d, true); a != nil {
					return a
				}
			}
		}
		if reason != "" {
			bad = append(bad, exclusion{tn: tn, reason: reason})
		}
	}
	if len(bad) > 0 {
		// Nothing is changed when a number cannot be: the answer names them.
		return fail("409", exclusionStatus(bad))
	}
	for _, it := range items {
		tn := normTN(it.TN)
		r := is.tns[tn]
		switch op {
		case "intlTnUpdate", "intlTnRoutingUpdate":
			r.routing = strings.TrimSpace(it.RoutingOption)
		case "intlTnEndUser":
			r.endUser, r.endUserAt = it.EndUserData, now
		case "intlTnAddDocument":
			var got []map[string]any
			for _, d := range it.Documents {
				doc := &intlDoc{ID: is.newDocID(), OrderID: o.ID, TN: tn, Condition: d.ConditionName, FileName: d.FileName,
					MimeType: d.MimeType, Content: strings.TrimSpace(d.FileContent), At: now}
				is.docs[doc.ID] = doc
				r.docs = append(r.docs, doc)
				got = append(got, map[string]any{"fileName": d.FileName, "mimeType": d.MimeType, "conditionName": d.ConditionName, "documentId": doc.ID})
			}
			docs = append(docs, map[string]any{"tn": tn, "documents": got})
		}
		applied = append(applied, tn)
	}
	switch op {
	case "intlTnAddDocument":
		return intlApplied("200", map[string]any{"intlTnDocumentResponse": map[string]any{"tnList": map[string]any{"tnItem": docs}}}, "", applied)
	case "intlTnEndUser":
		return intlApplied(200, nil, "", applied)
	}
	return intlApplied("200", nil, "", applied)
}

// checkDoc validates a document: a name, a type the sandbox takes, and
// Base64 content of at most intlMaxDocument bytes.
func checkDoc(d intlDocItem, needCondition bool) answer {
	switch {
	case needCondition && strings.TrimSpace(d.ConditionName) == "":
		return required("conditionName")
	case strings.TrimSpace(d.FileName) == "":
		return required("fileName")
	case strings.TrimSpace(d.MimeType) == "":
		return required("mimeType")
	case strings.TrimSpace(d.FileContent) == "":
		return required("fileContent")
	case !intlMimeTypes[strings.ToLower(strings.TrimSpace(d.MimeType))]:
		return invalidValue("mimeType")
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(d.FileContent), ""))
	if err != nil || len(raw) == 0 {
		return invalidValue("fileContent")
	}
	if len(raw) > intlMaxDocument {
		return fail("414", "Document exceeds the maximum size of 5 MB")
	}
	return nil
}

func (st *state) intlTnNoteUpdate(now time.Time, req *intlNoteListReq, onOrder bool) answer {
	items := req.TnNote.TnList.items()
	if len(items) == 0 {
		return required("tnList")
	}
	is := st.intlSt()
	var o *intlOrder
	if onOrder {
		if o = is.find(intlOrderIDOf(req.OrderID), ""); intlOrderIDOf(req.OrderID) == 0 {
			return required("orderId")
		} else if o == nil {
			return fail("430", "No records found")
		}
	}
	var bad []exclusion
	for _, it := range items {
		tn := normTN(it.TN)
		if strings.TrimSpace(it.TnNote) == "" {
			return required("tnNote")
		}
		r := is.tns[tn]
		switch {
		case o != nil && (r == nil || r.life != o):
			bad = append(bad, exclusion{tn: tn, reason: "TN is not on order " + strconv.FormatInt(o.ID, 10)})
		case o == nil && is.status(tn, now) != intlInService:
			bad = append(bad, exclusion{tn: tn, reason: reasonNotInService})
		}
	}
	if len(bad) > 0 {
		return fail("409", exclusionStatus(bad))
	}
	var applied []string
	for _, it := range items {
		tn := normTN(it.TN)
		is.tns[tn].note = it.TnNote
		applied = append(applied, tn)
	}
	if onOrder {
		return intlApplied("200", nil, "", applied)
	}
	return intlApplied(200, nil, "", applied)
}

func (st *state) intlOrderAddNote(now time.Time, req *intlOrderReq, contact bool) answer {
	id, ref := intlOrderIDOf(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && (contact || ref == "") {
		return required("orderId")
	}
	if strings.TrimSpace(req.OrderNote) == "" {
		return required("orderNote")
	}
	is := st.intlSt()
	o := is.find(id, ref)
	if o == nil {
		return orderNotFound
	}
	n := orderNote{ID: is.nextNote, Note: req.OrderNote, At: now, User: "iqbulk"}
	if contact {
		n.User = "iqbulk (contact)"
	}
	is.nextNote++
	o.Notes = append(o.Notes, n)
	return intlApplied("200", map[string]any{"noteId": strconv.FormatInt(n.ID, 10)}, strconv.FormatInt(o.ID, 10), nil)
}

func (st *state) intlOrderAddDocument(now time.Time, req *intlOrderReq) answer {
	id, ref := intlOrderIDOf(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && ref == "" {
		return required("orderId")
	}
	if req.Document == nil {
		return required("document")
	}
	if a := checkDoc(*req.Document, false); a != nil {
		return a
	}
	is := st.intlSt()
	o := is.find(id, ref)
	if o == nil {
		return orderNotFound
	}
	d := req.Document
	doc := &intlDoc{ID: is.newDocID(), OrderID: o.ID, FileName: d.FileName, MimeType: d.MimeType, Content: strings.Join(strings.Fields(d.FileContent), ""), At: now}
	is.docs[doc.ID] = doc
	o.Docs = append(o.Docs, doc)
	return intlApplied("200", map[string]any{"documentId": doc.ID}, strconv.FormatInt(o.ID, 10), nil)
}

func (st *state) intlOrderCancel(now time.Time, req *intlOrderReq) answer {
	id, ref := intlOrderIDOf(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && ref == "" {
		return required("orderId")
	}
	is := st.intlSt()
	o := is.find(id, ref)
	if o == nil {
		return orderNotFound
	}
	if s := o.status(is, now); s != "Pending" && s != "Incomplete" {
		return fail("409", "Order "+strconv.FormatInt(o.ID, 10)+" is "+s+": only a PENDING order can be canceled")
	}
	o.CancelReqAt = now
	var applied []string
	for i, tn := range o.Valid {
		if !o.numberDone(is, i, now) {
			applied = append(applied, tn)
		}
	}
	return intlApplied("200", nil, strconv.FormatInt(o.ID, 10), applied)
}

func (st *state) intlTnRequest(now time.Time, req *intlTnRequestReq) answer {
	if strings.TrimSpace(req.CountryRef) == "" {
		return required("countryRef")
	}
	if req.Quantity <= 0 {
		return required("quantity")
	}
	c := intlCountryOf(req.CountryRef)
	if c == nil {
		return fail("430", "No records found")
	}
	var items []intlItem
	for _, tn := range st.intlAvailable(now, c, "", int(req.Quantity)) {
		items = append(items, intlItem{TN: tnValue(tn), CountryRef: c.ref, RoutingOption: req.RoutingOption})
	}
	if len(items) < int(req.Quantity) {
		return fail("409", "Not enough numbers in inventory for "+c.ref)
	}
	o, _, valid := st.placeIntl(now, kindNew, strings.TrimSpace(string(req.CustomerOrderReference)), items, time.Time{})
	if t, ok := parseIntlDate(req.DesiredDueDate); ok {
		o.DueDate = intlDate(t)
	}
	return intlApplied(200, nil, strconv.FormatInt(o.ID, 10), valid)
}

// intlAvailable lists up to n available numbers of c (of city, when
// given), area code by area code, in number order.
func (st *state) intlAvailable(now time.Time, c *intlCountry, city string, n int) []string {
	is := st.intlSt()
	var out []string
	for _, a := range c.areaCodes {
		if city != "" && !strings.EqualFold(city, a.city) {
			continue
		}
		digits := intlLength[c.ref] - len(c.code) - len(a.code)
		base := int64(1)
		for i := 0; i < digits-1; i++ {
			base *= 10
		}
		first := base * 4 // subscriber numbers start at 4000…
		for k := first; k < base*10 && len(out) < n; k++ {
			tn := c.code + a.code + strconv.FormatInt(k, 10)
			if is.status(tn, now) == intlAvailable {
				out = append(out, tn)
			}
		}
		if len(out) >= n {
			break
		}
	}
	return out
}

// ---- reads ----

func decodeReq(raw []byte, v any) answer {
	if err := json.Unmarshal(raw, v); err != nil {
		return badRequest(err)
	}
	return nil
}

func (s *Server) intlTnInventory(now time.Time, raw []byte) answer {
	var req struct {
		CountryRef string  `json:"countryRef"`
		NumberType string  `json:"numberType"`
		City       string  `json:"city"`
		Quantity   flexInt `json:"quantity"`
	}
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	if req.Quantity <= 0 {
		return required("quantity")
	}
	if nt := strings.TrimSpace(req.NumberType); nt != "" && !strings.EqualFold(nt, intlDID) && !strings.EqualFold(nt, "INBDID") {
		return obj{success(), map[string]any{"tnResults": map[string]any{"tnList": map[string]any{"tnItem": []any{}}}}}
	}
	var items []map[string]any
	for i := range intlCountries {
		c := &intlCountries[i]
		if req.CountryRef != "" && !strings.EqualFold(req.CountryRef, c.ref) {
			continue
		}
		for _, tn := range s.st.intlAvailable(now, c, strings.TrimSpace(req.City), int(req.Quantity)-len(items)) {
			_, area, city, _ := intlNumber(tn)
			items = append(items, map[string]any{"tn": tn, "city": city, "countryRef": c.ref, "numberType": intlDID, "prefix": c.code + area})
		}
	}
	return obj{success(), map[string]any{"tnResults": map[string]any{"tnList": map[string]any{"tnItem": items}}}}
}

func (s *Server) intlTnReservedList(now time.Time, _ []byte) answer {
	is := s.st.intlSt()
	list := []map[string]any{}
	for _, tn := range is.sortedTNs() {
		r := is.tns[tn]
		if is.status(tn, now) != intlReserved {
			continue
		}
		_, area, city, _ := intlNumber(tn)
		list = append(list, map[string]any{"tn": tn, "countryRef": r.country.ref, "numberType": intlDID,
			"productName": strings.ToUpper(r.country.name) + " DID", "city": city, "prefixType": "Geographic",
			"prefix": r.country.code + area, "reservedUntil": intlTime(r.reservedUntil)})
	}
	return obj{success(), map[string]any{"tnReservedList": list}}
}

// intlPage cuts a listing into the page pageSort asks for; the page
// fields are strings, as the guide's examples send them.
func intlPage[T any](all []T, ps *pageSort, searchID string) ([]T, map[string]any) {
	size, page := len(all), 1
	if ps != nil && ps.Size > 0 {
		size = int(ps.Size)
	}
	if ps != nil && ps.Page > 0 {
		page = int(ps.Page)
	}
	if size == 0 {
		size = 1
	}
	from := min((page-1)*size, len(all))
	to := min(from+size, len(all))
	pages := (len(all) + size - 1) / size
	return all[from:to], map[string]any{"page": strconv.Itoa(page), "totalPages": strconv.Itoa(pages),
		"totalItems": strconv.Itoa(len(all)), "searchId": searchID}
}

type intlOrderListReq struct {
	OrderID                flexString `json:"orderId"`
	CustomerOrderReference flexString `json:"customerOrderReference"`
	ServiceOrderReference  string     `json:"serviceOrderReference"`
	OrderStatus            string     `json:"orderStatus"`
	CountryRef             string     `json:"countryRef"`
	TN                     tnValue    `json:"tn"`
	CreatedDateStartRange  string     `json:"createdDateStartRange"`
	CreatedDateEndRange    string     `json:"createdDateEndRange"`
	PageSort               *pageSort  `json:"pageSort"`
}

func (s *Server) intlOrderList(now time.Time, raw []byte) answer {
	return s.intlOrders(now, raw, false)
}
func (s *Server) intlPortInOrderList(now time.Time, raw []byte) answer {
	return s.intlOrders(now, raw, true)
}

func (s *Server) intlOrders(now time.Time, raw []byte, portIns bool) answer {
	var req intlOrderListReq
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	is := s.st.intlSt()
	var start, end time.Time
	if req.CreatedDateStartRange != "" {
		start, _ = parseIntlDate(req.CreatedDateStartRange)
	}
	if req.CreatedDateEndRange != "" {
		if end, _ = parseIntlDate(req.CreatedDateEndRange); !end.IsZero() && len(strings.TrimSpace(req.CreatedDateEndRange)) == 10 {
			end = end.Add(24 * time.Hour)
		}
	}
	var match []*intlOrder
	for _, o := range is.seq {
		switch {
		case portIns && o.Kind != kindPortIn:
		case req.OrderID != "" && strconv.FormatInt(o.ID, 10) != strings.TrimSpace(string(req.OrderID)):
		case req.CustomerOrderReference != "" && o.Ref != strings.TrimSpace(string(req.CustomerOrderReference)):
		case !portIns && req.ServiceOrderReference != "" && !strings.EqualFold(req.ServiceOrderReference, map[string]string{kindNew: "NEW", kindPortIn: "NEW", kindDisco: "DISCO"}[o.Kind]):
		case req.OrderStatus != "" && !strings.EqualFold(req.OrderStatus, statusCodeOf(o.status(is, now))):
		case req.TN != "" && is.index(o, normTN(req.TN)) < 0:
		case req.CountryRef != "" && !orderInCountry(o, req.CountryRef):
		case !start.IsZero() && o.Created.Before(start), !end.IsZero() && !o.Created.Before(end):
		default:
			match = append(match, o)
		}
	}
	if ps := req.PageSort; ps != nil && strings.EqualFold(ps.Direction, "desc") {
		sort.SliceStable(match, func(i, j int) bool { return match[i].ID > match[j].ID })
	}
	if len(match) == 0 {
		return fail("430", "No records found")
	}
	page, pi := intlPage(match, req.PageSort, strconv.FormatInt(141213799652+int64(len(is.seq)), 10))
	list := make([]map[string]any, len(page))
	for i, o := range page {
		m := map[string]any{"orderId": o.ID, "orderStatus": o.status(is, now), "customerOrderReference": o.Ref,
			"serviceOrderName": o.serviceOrderName(), "desiredDueDate": o.DueDate, "tnQuantity": len(o.Valid),
			"createdDate": intlDate(o.Created), "createdUser": "iqbulk"}
		if portIns {
			m["focDate"] = o.DueDate
		}
		list[i] = m
	}
	pi["orderList"] = map[string]any{"orderType": list}
	return obj{envelope{"Success", 200}, pi}
}

func orderInCountry(o *intlOrder, ref string) bool {
	for _, tn := range o.Valid {
		if c, _, _, ok := intlNumber(tn); ok && strings.EqualFold(c.ref, ref) {
			return true
		}
	}
	return false
}

func (s *Server) intlOrderDetail(now time.Time, raw []byte) answer {
	var req intlOrderReq
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	id := intlOrderIDOf(req.OrderID)
	if id == 0 && strings.TrimSpace(string(req.CustomerOrderReference)) == "" {
		return required("orderId")
	}
	is := s.st.intlSt()
	o := is.find(id, strings.TrimSpace(string(req.CustomerOrderReference)))
	if o == nil {
		return orderNotFound
	}
	items := make([]map[string]any, 0, len(o.Valid))
	for i, tn := range o.Valid {
		r := is.tns[tn]
		st := "Pending"
		switch {
		case o.Kind == kindDisco && o.numberDone(is, i, now):
			st = "Disconnected"
		case o.Kind == kindDisco && o.canceledNumber(is, i, now):
			st = "In Service"
		case o.Kind == kindDisco:
			st = "Pending Disconnect"
		case o.numberDone(is, i, now):
			st = "In Service"
		case o.canceledNumber(is, i, now):
			st = "Canceled"
		case now.Before(o.PendingAt):
		default:
			if m := r.missing(); m != "" {
				st = "Pending (needs " + m + ")"
			}
		}
		var eu []map[string]any
		if intlRequirements[r.country.ref].endUser {
			for _, l := range intlEndUserLabels {
				eu = append(eu, map[string]any{"label": l, "mandatory": true})
			}
		}
		items = append(items, map[string]any{"tn": tn, "routingOption": r.routing, "status": st, "numberType": intlDID,
			"endUserData": eu, "countryRef": r.country.ref})
	}
	notes := make([]map[string]any, len(o.Notes))
	for i, n := range o.Notes {
		notes[i] = map[string]any{"noteId": strconv.FormatInt(n.ID, 10), "note": n.Note, "insertDate": intlDate(n.At), "insertUser": n.User}
	}
	return obj{success(), map[string]any{"orderDetailResponse": map[string]any{
		"tnList": map[string]any{"tnItem": items}, "orderId": o.ID, "orderStatus": o.status(is, now), "productName": intlProduct,
		"serviceOrderName": o.serviceOrderName(), "customerOrderReference": o.Ref, "createdUser": "iqbulk",
		"desiredDueDate": o.DueDate, "orderNotes": notes,
	}}}
}

func (s *Server) intlExcludedTnList(now time.Time, raw []byte) answer {
	var req struct {
		intlOrderReq
		CountryRef string  `json:"countryRef"`
		TN         tnValue `json:"tn"`
	}
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	id, ref, tn := intlOrderIDOf(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference)), normTN(req.TN)
	if id == 0 && ref == "" && tn == "" {
		return required("orderId")
	}
	if tn != "" && strings.TrimSpace(req.CountryRef) == "" && id == 0 && ref == "" {
		return required("countryRef")
	}
	is := s.st.intlSt()
	var items []map[string]any
	for _, o := range is.seq {
		if id != 0 && o.ID != id || id == 0 && ref != "" && o.Ref != ref {
			continue
		}
		var xs []exclusion
		for _, x := range o.exclusions(is, now) {
			// The guide's example sends orderId with a tn of another order
			// (and a countryRef): the tn narrows only a search without an order.
			if tn == "" || id != 0 || ref != "" || x.tn == tn {
				xs = append(xs, x)
			}
		}
		items = append(items, intlExclusionItems(o, xs)...)
	}
	if len(items) == 0 {
		return fail("430", "No records found")
	}
	return obj{success(), map[string]any{"intlExcludedTnList": map[string]any{"excludedTnItem": items}}}
}

func (s *Server) intlTnDetail(now time.Time, raw []byte) answer {
	var req struct {
		TnSearchList struct {
			TnSearchItem []struct {
				CountryRef    string `json:"countryRef"`
				TnMask        string `json:"tnMask"`
				TnStatus      string `json:"tnStatus"`
				NumberType    string `json:"numberType"`
				RoutingOption string `json:"routingOption"`
			} `json:"tnSearchItem"`
		} `json:"tnSearchList"`
		PageSort *pageSort `json:"pageSort"`
	}
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	search := req.TnSearchList.TnSearchItem
	if len(search) == 0 {
		return required("tnSearchList")
	}
	for _, q := range search {
		if strings.TrimSpace(q.TnMask) == "" {
			return required("tnMask")
		}
	}
	is := s.st.intlSt()
	codes := map[string]int{"INSVC": intlInService, "PNDNG": intlPending, "PDISC": intlPendingDisconnect}
	var match []string
	for _, tn := range is.sortedTNs() {
		st := is.status(tn, now)
		if !onIntlAccount(st) {
			continue
		}
		r := is.tns[tn]
		for _, q := range search {
			if (q.CountryRef == "" || strings.EqualFold(q.CountryRef, r.country.ref)) && maskMatches(strings.TrimSpace(q.TnMask), tn) &&
				(q.TnStatus == "" || codes[strings.ToUpper(q.TnStatus)] == st) &&
				(q.RoutingOption == "" || strings.EqualFold(q.RoutingOption, r.routing)) &&
				(q.NumberType == "" || strings.EqualFold(q.NumberType, intlDID) || strings.EqualFold(q.NumberType, "INBDID")) {
				match = append(match, tn)
				break
			}
		}
	}
	if ps := req.PageSort; ps != nil && strings.EqualFold(ps.Direction, "desc") {
		sort.Sort(sort.Reverse(sort.StringSlice(match)))
	}
	page, pi := intlPage(match, req.PageSort, "")
	items := make([]map[string]any, len(page))
	for i, tn := range page {
		r := is.tns[tn]
		eu := r.endUser
		if eu == nil {
			eu = []intlEndUser{}
		}
		items[i] = map[string]any{"countryRef": r.country.ref, "tn": tn, "routingOption": r.routing, "numberType": intlDID,
			"status": intlStatusName(is.status(tn, now)), "endUserData": eu} // the guide's answer has no note
	}
	body := map[string]any{"tnList": map[string]any{"tnItem": items}}
	if req.PageSort != nil {
		delete(pi, "searchId") // the response table has no searchId
		for k, v := range pi {
			body[k] = v
		}
	}
	return obj{success(), body}
}

// maskMatches: x matches any digit; a mask of only x matches every
// number (the guide's example masks a 11-digit FRA number with 12 x).
func maskMatches(mask, tn string) bool {
	if strings.Trim(strings.ToLower(mask), "x") == "" {
		return true
	}
	if len(mask) != len(tn) {
		return false
	}
	for i := 0; i < len(mask); i++ {
		if mask[i] != 'x' && mask[i] != 'X' && mask[i] != tn[i] {
			return false
		}
	}
	return true
}

func (s *Server) intlOrderDocument(_ time.Time, raw []byte) answer {
	var req intlOrderReq
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	id, ref := intlOrderIDOf(req.OrderID), strings.TrimSpace(string(req.CustomerOrderReference))
	if id == 0 && ref == "" {
		return required("orderId")
	}
	is := s.st.intlSt()
	o := is.find(id, ref)
	if o == nil {
		return orderNotFound
	}
	list := []map[string]any{}
	for _, d := range o.Docs {
		list = append(list, map[string]any{"documentId": d.ID, "fileName": d.FileName, "insertDate": intlDate(d.At), "insertUser": "iqbulk"})
	}
	return obj{success(), map[string]any{"orderDocumentList": map[string]any{"orderDocument": list}}}
}

func (s *Server) intlOrderDocumentDownload(_ time.Time, raw []byte) answer {
	var req struct {
		OrderID    flexString `json:"orderId"`
		DocumentID string     `json:"documentId"`
	}
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	if intlOrderIDOf(req.OrderID) == 0 {
		return required("orderId")
	}
	if strings.TrimSpace(req.DocumentID) == "" {
		return required("documentId")
	}
	d := s.st.intlSt().docs[strings.TrimSpace(req.DocumentID)]
	if d == nil || d.OrderID != intlOrderIDOf(req.OrderID) || d.TN != "" {
		return fail("430", "No records found")
	}
	return obj{success(), map[string]any{"document": map[string]any{"fileName": d.FileName, "mimeType": d.MimeType, "fileContent": d.Content}}}
}

func (s *Server) intlTnDocumentDownload(_ time.Time, raw []byte) answer {
	var req struct {
		DocumentID string `json:"documentId"`
	}
	if a := decodeReq(raw, &req); a != nil {
		return a
	}
	if strings.TrimSpace(req.DocumentID) == "" {
		return required("documentId")
	}
	d := s.st.intlSt().docs[strings.TrimSpace(req.DocumentID)]
	if d == nil || d.TN == "" {
		return fail("430", "No records found")
	}
	return obj{envelope{"Success", 200}, map[string]any{"intlTnDocumentDownloadResponse": map[string]any{"document": map[string]any{
		"fileName": d.FileName, "mimeType": d.MimeType, "fileContent": d.Content}}}}
}

// AvailableIntlTNs returns n numbers of country (ISO3) available now.
func (s *Server) AvailableIntlTNs(country string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := intlCountryOf(country)
	if c == nil {
		return nil
	}
	return s.st.intlAvailable(s.simNowLocked(), c, "", n)
}

// intlListOp registers an operation of intlRefListReq's shape.
func intlListOp(apply func(st *state, now time.Time, q *intlRefListReq) answer) mutOp {
	return mutOp{func() any { return &intlRefListReq{} },
		func(r any) (string, []string) {
			q := r.(*intlRefListReq)
			return string(q.CustomerOrderReference), q.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return apply(st, now, r.(*intlRefListReq)) }}
}

var intlRequestOp = mutOp{func() any { return &intlTnRequestReq{} },
	func(r any) (string, []string) { return string(r.(*intlTnRequestReq).CustomerOrderReference), nil },
	func(st *state, now time.Time, r any, _ int) answer {
		return st.intlTnRequest(now, r.(*intlTnRequestReq))
	}}

// IntlNote returns an international number's note (for tests: the API
// has no read that shows it; intlTnDetail's answer has no note).
func (s *Server) IntlNote(tn string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.st.intlSt().tns[tn]; ok && r != nil {
		return r.note
	}
	return ""
}

// IntlPortableTNs returns n numbers of country (ISO3) that are valid but
// not in Inteliquent's inventory (another carrier's: they can be ported
// in).
func (s *Server) IntlPortableTNs(country string, n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := intlCountryOf(country)
	if c == nil {
		return nil
	}
	now := s.simNowLocked()
	is := s.st.intlSt()
	var out []string
	for _, a := range c.areaCodes {
		digits := intlLength[c.ref] - len(c.code) - len(a.code)
		base := int64(1)
		for i := 0; i < digits-1; i++ {
			base *= 10
		}
		for k := base * 4; k < base*10 && len(out) < n; k++ {
			tn := c.code + a.code + strconv.FormatInt(k, 10)
			if is.status(tn, now) == intlOff {
				out = append(out, tn)
			}
		}
		if len(out) >= n {
			break
		}
	}
	return out
}
