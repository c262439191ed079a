package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// This file simulates the E911 operations: tnE911 (provision or remove one
// number's 911 address, synchronously, through the address book),
// tnE911Validate, and the notification-email lists per number
// (tnE911Notification, tnE911NotificationList) and per customer
// (customerE911Notification, customerE911NotificationList).

// e911Ext is the sandbox state this file adds to state: notification
// emails. The 911 address, the messaging settings and the campaign live on
// tnRec (e911, msg), where tnDetail, orderDetail and the listings read them.
type e911Ext struct {
	tnEmails   map[uint64][]string
	custEmails []string
}

func (st *state) ext() *e911Ext {
	if st.e911x == nil {
		st.e911x = &e911Ext{tnEmails: map[uint64][]string{}}
	}
	return st.e911x
}

// ---- tnE911 ----

// tnE911Req is tnE911's flat body. The API parses it strictly (the guide's
// "Bad" example: unknown keys answer 400 "Request format not recognized
// (Unrecognized fields in json)"); UnmarshalJSON records unknown keys
// instead of failing, so the answer can be the guide's.
type tnE911Req struct {
	TN                 tnValue    `json:"tn"`
	Name               string     `json:"name,omitempty"`
	StreetNum          flexString `json:"streetNum,omitempty"`
	StreetInfo         string     `json:"streetInfo,omitempty"`
	Location           string     `json:"location,omitempty"`
	City               string     `json:"city,omitempty"`
	State              string     `json:"state,omitempty"`
	PostalCode         flexString `json:"postalCode,omitempty"`
	PostalCodePlusFour flexString `json:"postalCodePlusFour,omitempty"`
	RemoveE911         string     `json:"removeE911,omitempty"`

	unknown []string
}

var tnE911Keys = map[string]bool{"privateKey": true, "tn": true, "name": true, "streetNum": true, "streetInfo": true,
	"location": true, "city": true, "state": true, "postalCode": true, "postalCodePlusFour": true, "removeE911": true}

func (r *tnE911Req) UnmarshalJSON(b []byte) error {
	type plain tnE911Req
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	*r = tnE911Req(p)
	r.unknown = nil
	for k := range keys {
		if !tnE911Keys[k] {
			r.unknown = append(r.unknown, k)
		}
	}
	return nil
}

// e911Supported reports whether the number's rate center takes E911
// (unknown rate centers do).
func (st *state) e911Supported(tn uint64) bool {
	rc := st.w.rcOf(tn)
	return rc == nil || rc.e911
}

func (st *state) tnE911(now time.Time, req *tnE911Req) answer {
	if len(req.unknown) > 0 {
		return fail("400", "Request format not recognized (Unrecognized fields in json)")
	}
	if strings.TrimSpace(string(req.TN)) == "" {
		return required("tn")
	}
	tn, ok := parseTN(string(req.TN))
	if !ok || st.status(tn, now) != stInService {
		return fail("409", "Invalid TN submitted:["+string(req.TN)+"]")
	}
	if strings.EqualFold(strings.TrimSpace(req.RemoveE911), "Y") {
		if r := st.rec(tn, false); r != nil {
			r.e911 = nil
		}
		return obj{success(), map[string]any{"tnE911Response": map[string]any{}}}
	}
	for _, f := range []struct{ name, v string }{{"name", req.Name}, {"streetNum", string(req.StreetNum)},
		{"streetInfo", req.StreetInfo}, {"city", req.City}, {"state", req.State}, {"postalCode", string(req.PostalCode)}} {
		if strings.TrimSpace(f.v) == "" {
			return required(f.name)
		}
	}
	if f := breaks(flatFields("name", req.Name, "streetNum", string(req.StreetNum), "streetInfo", req.StreetInfo, "location", req.Location,
		"city", req.City, "state", req.State, "postalCode", string(req.PostalCode), "postalCodePlusFour", string(req.PostalCodePlusFour)), tnE911Limits); f != "" {
		return invalidValue(f)
	}
	if !st.e911Supported(tn) {
		return fail("409", reasonE911Unsupp)
	}
	v := st.w.addrs.validateAddress(e911Address{string(req.StreetNum), req.StreetInfo, req.Location, req.City, req.State, string(req.PostalCode)})
	t := tnString(tn)
	if v.result == 2 {
		return obj{fail("409", "Invalid Address"), map[string]any{"tnE911Response": map[string]any{
			"provisionMsg":    fmt.Sprintf("%s Invalid address, %s Validation result: 2 Message: %s", t, t, v.msg),
			"provisionResult": 2,
		}}}
	}
	s := v.corrected
	plus4 := strings.TrimSpace(string(req.PostalCodePlusFour))
	if v.result == 1 || plus4 == "" {
		plus4 = s.plus4
	}
	prov := fields{
		"name": req.Name, "origStreetNum": v.num, "origStreetInfo": s.info(), "origLocation": req.Location,
		"origCity": s.city, "origState": s.state, "origPostalCode": s.zip, "origPostalCodePlusFour": plus4,
	}
	st.rec(tn, true).e911 = prov
	msg := "VALID"
	if v.result == 1 {
		msg = "CORRECTED"
	}
	return obj{success(), map[string]any{"tnE911Response": map[string]any{
		"tn": t, "name": req.Name,
		"origStreetNum": string(req.StreetNum), "origStreetInfo": req.StreetInfo, "origLocation": req.Location,
		"origCity": req.City, "origState": req.State, "origPostalCode": string(req.PostalCode),
		"origPostalCodePlusFour": string(req.PostalCodePlusFour),
		"provisionMsg":           msg, "provisionResult": v.result,
		"provisionedStreetNum": v.num, "provisionedStreetInfo": s.info(), "provisionedLocation": req.Location,
		"provisionedCity": s.city, "provisionedState": s.state, "provisionedPostalCode": s.zip,
		"provisionedPostalCodePlusFour": plus4,
	}}}
}

// ---- tnE911Validate ----

type tnE911ValidateReq struct {
	TN         tnValue    `json:"tn"`
	Name       string     `json:"name"`
	StreetNum  flexString `json:"streetNum"`
	StreetInfo string     `json:"streetInfo"`
	Location   string     `json:"location"`
	City       string     `json:"city"`
	State      string     `json:"state"`
	PostalCode flexString `json:"postalCode"`
}

// tnE911Validate checks an address against the address book. It answers
// 200 even for validationResult 2 (the guide). The number may be any
// ten-digit number or toll-free number: validation does not look at the
// account.
func (s *Server) tnE911Validate(_ time.Time, raw []byte) answer {
	var req tnE911ValidateReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	for _, f := range []struct{ name, v string }{{"tn", string(req.TN)}, {"name", req.Name}, {"streetNum", string(req.StreetNum)},
		{"streetInfo", req.StreetInfo}, {"city", req.City}, {"state", req.State}, {"postalCode", string(req.PostalCode)}} {
		if strings.TrimSpace(f.v) == "" {
			return required(f.name)
		}
	}
	tn, ok := parseTN(string(req.TN))
	if !ok {
		return invalidValue("tn")
	}
	if f := breaks(flatFields("name", req.Name, "streetNum", string(req.StreetNum), "streetInfo", req.StreetInfo, "location", req.Location,
		"city", req.City, "state", req.State, "postalCode", string(req.PostalCode)), tnE911Limits); f != "" {
		return invalidValue(f)
	}
	v := s.st.w.addrs.validateAddress(e911Address{string(req.StreetNum), req.StreetInfo, req.Location, req.City, req.State, string(req.PostalCode)})
	body := map[string]any{
		"tn": tnString(tn), "name": req.Name, "streetNum": string(req.StreetNum), "streetInfo": req.StreetInfo,
		"location": req.Location, "city": req.City, "state": req.State, "postalCode": string(req.PostalCode),
		"validationResult": v.result, "validationMsg": v.msg,
	}
	if c := v.corrected; c != nil {
		body["correctedStreetNum"] = v.num
		body["correctedStreetInfo"] = c.info()
		body["correctedCity"] = c.city
		body["correctedState"] = c.state
		body["correctedPostalCode"] = c.zip
	}
	if len(v.candidates) > 0 {
		list := make([]map[string]any, len(v.candidates))
		for i, c := range v.candidates {
			list[i] = map[string]any{"streetNum": v.num, "streetInfo": c.info(), "city": c.city, "state": c.state,
				"postalCode": c.zip, "postalCodePlusFour": c.plus4, "country": "USA"}
		}
		body["candidateAddressList"] = list
	}
	return obj{success(), map[string]any{"tnE911ValidateResponse": body}}
}

// ---- notification emails ----

type emailList struct {
	EmailItem []struct {
		Email string `json:"email"`
	} `json:"emailItem"`
}

func (l *emailList) addrs() []string {
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l.EmailItem))
	for _, e := range l.EmailItem {
		out = append(out, strings.TrimSpace(e.Email))
	}
	return out
}

// notificationBody is the object inside tnE911Notification and
// customerNotification. removeNotification is accepted inside it as well
// as at the root (where the guide's example 5 puts it).
type notificationBody struct {
	TN                 tnValue    `json:"tn,omitempty"`
	EmailList          *emailList `json:"emailList,omitempty"`
	RemoveNotification string     `json:"removeNotification,omitempty"`
}

type tnE911NotificationReq struct {
	TnE911Notification notificationBody `json:"tnE911Notification"`
	RemoveNotification string           `json:"removeNotification,omitempty"`
}

type customerE911NotificationReq struct {
	CustomerNotification notificationBody `json:"customerNotification"`
	RemoveNotification   string           `json:"removeNotification,omitempty"`
}

const maxNotificationEmails = 10

// validEmail is a plain "fully qualified email address" check.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at != strings.LastIndexByte(s, '@') || strings.ContainsAny(s, " \t,;<>") {
		return false
	}
	dom := s[at+1:]
	dot := strings.LastIndexByte(dom, '.')
	return dot > 0 && dot < len(dom)-1
}

// changeEmails adds (or removes) addrs to list. Addresses compare without
// case; adding one already there, or removing one that is not, changes
// nothing. More than 10 in all answers 460 without changing anything.
func changeEmails(list []string, addrs []string, remove bool) ([]string, answer) {
	if len(addrs) == 0 {
		return nil, required("emailList")
	}
	for _, a := range addrs {
		if !validEmail(a) {
			return nil, fail("462", "Other Errors Noted: "+a+" is not a fully qualified email address")
		}
	}
	has := func(l []string, a string) int {
		for i, x := range l {
			if strings.EqualFold(x, a) {
				return i
			}
		}
		return -1
	}
	out := append([]string(nil), list...)
	for _, a := range addrs {
		i := has(out, a)
		switch {
		case remove && i >= 0:
			out = append(out[:i], out[i+1:]...)
		case !remove && i < 0:
			out = append(out, a)
		}
	}
	if len(out) > maxNotificationEmails {
		return nil, fail("460", "Unable to add more than 10 notification emails to a number.")
	}
	return out, nil
}

func emailObj(list []string) map[string]any {
	items := make([]map[string]any, len(list))
	for i, a := range list {
		items[i] = map[string]any{"email": a}
	}
	return map[string]any{"emailItem": items}
}

func yes(vals ...string) bool {
	for _, v := range vals {
		if strings.EqualFold(strings.TrimSpace(v), "Y") {
			return true
		}
	}
	return false
}

// tnOnAccount reads a request number that must be on the account (461
// "TN Not found" otherwise, the notification examples' text).
func (st *state) tnOnAccount(raw tnValue, now time.Time) (uint64, answer) {
	if strings.TrimSpace(string(raw)) == "" {
		return 0, required("tn")
	}
	tn, ok := parseTN(string(raw))
	if !ok || !st.status(tn, now).assigned() {
		return 0, fail("461", "TN Not found")
	}
	return tn, nil
}

func (st *state) tnE911Notification(now time.Time, req *tnE911NotificationReq) answer {
	b := req.TnE911Notification
	tn, bad := st.tnOnAccount(b.TN, now)
	if bad != nil {
		return bad
	}
	x := st.ext()
	list, bad := changeEmails(x.tnEmails[tn], b.EmailList.addrs(), yes(req.RemoveNotification, b.RemoveNotification))
	if bad != nil {
		return bad
	}
	if len(list) == 0 {
		delete(x.tnEmails, tn)
	} else {
		x.tnEmails[tn] = list
	}
	return tnNotificationAnswer(tn, list)
}

func tnNotificationAnswer(tn uint64, list []string) answer {
	body := map[string]any{"tn": tnString(tn)}
	if len(list) > 0 {
		body["emailList"] = emailObj(list)
	}
	return obj{success(), map[string]any{"tnE911Notification": body}}
}

func (s *Server) tnE911NotificationList(now time.Time, raw []byte) answer {
	var req tnE911NotificationReq
	if err := json.Unmarshal(raw, &req); err != nil {
		return badRequest(err)
	}
	tn, bad := s.st.tnOnAccount(req.TnE911Notification.TN, now)
	if bad != nil {
		return bad
	}
	return tnNotificationAnswer(tn, s.st.ext().tnEmails[tn])
}

func (st *state) customerE911Notification(_ time.Time, req *customerE911NotificationReq) answer {
	b := req.CustomerNotification
	x := st.ext()
	list, bad := changeEmails(x.custEmails, b.EmailList.addrs(), yes(req.RemoveNotification, b.RemoveNotification))
	if bad != nil {
		return bad
	}
	x.custEmails = list
	return customerNotificationAnswer(list)
}

func customerNotificationAnswer(list []string) answer {
	body := map[string]any{}
	if len(list) > 0 {
		body["emailList"] = emailObj(list)
	}
	return obj{success(), map[string]any{"customerNotification": body}}
}

func (s *Server) customerE911NotificationList(_ time.Time, raw []byte) answer {
	if len(bytes.TrimSpace(raw)) == 0 {
		return badRequest(nil)
	}
	return customerNotificationAnswer(s.st.ext().custEmails)
}

// E911Address is a number's provisioned 911 address as the sandbox holds
// it (the orig* keys tnDetail shows), for tests and demos.
func (s *Server) E911Address(tn string) map[string]string {
	n, ok := parseTN(tn)
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.rec(n, false)
	if r == nil || len(r.e911) == 0 {
		return nil
	}
	return cloneFields(r.e911)
}

// NotificationEmails returns a number's E911 notification emails, sorted.
func (s *Server) NotificationEmails(tn string) []string {
	n, _ := parseTN(tn)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := append([]string(nil), s.st.ext().tnEmails[n]...)
	sort.Strings(out)
	return out
}
