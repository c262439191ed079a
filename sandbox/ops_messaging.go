package sandbox

import (
	"strings"
	"time"
)

// This file simulates tnMessaging (provision or remove messaging on one
// number, synchronously) and tnMessagingCampaign (assign or remove a 10DLC
// campaign on up to any number of numbers, as an order). The campaign
// catalog (messageCampaigns) and the listing (tnMessagingCampaignList) are
// in ops_exports.go; a number's campaign is kept in its messaging feature
// under msgCampaignId, so tnDetail shows it too.

// ---- tnMessaging ----

type tnMessagingReq struct {
	TN              tnValue    `json:"tn"`
	MessageClass    string     `json:"messageClass,omitempty"`
	MessageType     string     `json:"messageType,omitempty"`
	NetNumberID     flexString `json:"netNumberId,omitempty"`
	AltSpid         flexString `json:"altSpid,omitempty"`
	AltSpID         flexString `json:"altSpId,omitempty"` // the table's spelling
	RemoveMessaging string     `json:"removeMessaging,omitempty"`
}

var (
	messageClasses = []string{"P2P", "A2PLC", "A2P8XX"}
	messageTypes   = []string{"SMS", "MMS", "SMSMMS", "SMS_ALT", "MMS_ALT", "SMSMMS_ALT"}
)

func oneOf(v string, allowed []string) (string, bool) {
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSpace(v), a) {
			return a, true
		}
	}
	return "", false
}

// msgSupported reports whether the number's rate center takes messaging
// (unknown rate centers do).
func (st *state) msgSupported(tn uint64) bool {
	rc := st.w.rcOf(tn)
	return rc == nil || rc.msg
}

const (
	msgProvisionFailed = "Unable to provision messaging for this TN. Please contact Inteliquent messaging team."
	msgRemoveFailed    = "Unable to remove messaging for this TN. Please contact Inteliquent messaging team."
)

// tnMessaging answers 425 (the guide's only failure) for a number that is
// not In Service on the account or whose rate center has no messaging.
func (st *state) tnMessaging(now time.Time, req *tnMessagingReq) answer {
	if strings.TrimSpace(string(req.TN)) == "" {
		return required("tn")
	}
	tn, ok := parseTN(string(req.TN))
	remove := yes(req.RemoveMessaging)
	failed := msgProvisionFailed
	if remove {
		failed = msgRemoveFailed
	}
	if !ok || st.status(tn, now) != stInService {
		return fail("425", failed)
	}
	if remove {
		st.rec(tn, true).msg = nil // the campaign goes with it
		return success()
	}
	if strings.TrimSpace(req.MessageClass) == "" {
		return required("messageClass")
	}
	if strings.TrimSpace(req.MessageType) == "" {
		return required("messageType")
	}
	class, ok := oneOf(req.MessageClass, messageClasses)
	if !ok {
		return invalidValue("messageClass")
	}
	typ, ok := oneOf(req.MessageType, messageTypes)
	if !ok {
		return invalidValue("messageType")
	}
	if !st.msgSupported(tn) {
		return fail("425", failed)
	}
	r := st.rec(tn, true)
	m := fields{"messageClass": class, "messageType": typ}
	if v := strings.TrimSpace(string(req.NetNumberID)); v != "" {
		m["netNumberId"] = v
	}
	alt := strings.TrimSpace(string(req.AltSpid))
	if alt == "" {
		alt = strings.TrimSpace(string(req.AltSpID))
	}
	if alt != "" {
		m["altSpid"] = alt
	}
	if c := campaignOf(r.msg); c != "" {
		m["msgCampaignId"] = c
	}
	r.msg = m
	return success()
}

// ---- tnMessagingCampaign ----

type tnMessagingCampaignReq struct {
	TnCampaign struct {
		CustomerOrderReference string `json:"customerOrderReference,omitempty"`
		TnList                 tnList `json:"tnList"`
	} `json:"tnCampaign"`
}

// campaignOfItem reads the item's campaign under either of the guide's
// names: the examples' tnCampaign or the table's messageCampaignId.
func campaignOfItem(it *tnItem) (campaign string, remove bool) {
	if it.TnFeature == nil {
		return "", false
	}
	m := it.TnFeature.Messaging
	return campaignOf(m), yes(m.get("removeTnCampaign"))
}

// activeCampaign reports whether id is in the catalog and has not ended.
func activeCampaign(id string, now time.Time) bool {
	for _, c := range campaignCatalog {
		if !strings.EqualFold(c["msgCampaignId"], id) {
			continue
		}
		end, err := time.Parse("2006-01-02T15:04:05.000Z", c["endDate"])
		return err != nil || now.Before(end)
	}
	return false
}

// campaignPartial marks the answers of tnMessagingCampaign that changed
// state although their code is not 200: 425 "Partial Success" (services.go
// journals them).
func campaignPartial(op, code string) bool { return op == "tnMessagingCampaign" && code == "425" }

// tnMessagingCampaign checks the whole request first (414 for a missing
// field or a campaign not in messageCampaigns or ended, 409 "Invalid TN
// submitted:[tn]" for a malformed number), then each number: not In Service
// on the account, in a rate center without messaging, duplicated, or (for a
// removal naming a campaign) on another campaign is excluded. None left:
// 432 "TN Excluded", nothing changes. Otherwise the campaigns change at
// once and an order records the request (Closed like any feature order;
// excludedTnList names the excluded numbers): 200 "Success", or 425
// "Partial Success" when some were excluded.
func (st *state) tnMessagingCampaign(now time.Time, req *tnMessagingCampaignReq) answer {
	items := req.TnCampaign.TnList.TnItem
	if len(items) == 0 {
		return fail("414", "Fields are Required:tnList")
	}
	for i := range items {
		it := &items[i]
		if strings.TrimSpace(string(it.TN)) == "" {
			return fail("414", "Fields are Required:tn")
		}
		if _, ok := parseTN(string(it.TN)); !ok {
			return fail("409", "Invalid TN submitted:["+string(it.TN)+"]")
		}
		if it.TnFeature == nil || it.TnFeature.Messaging == nil {
			return fail("414", "Fields are Required:messaging")
		}
		c, remove := campaignOfItem(it)
		if !remove && c == "" {
			return fail("414", "Fields are Required:messageCampaignId")
		}
		if !remove && !activeCampaign(c, now) {
			return invalidValue("messageCampaignId")
		}
	}
	valid, ex := screen(items, func(tn uint64, it *tnItem) string {
		if r := st.activeReason(tn, now, false); r != "" {
			return r
		}
		if !st.msgSupported(tn) {
			return reasonMsgUnsupported
		}
		if c, remove := campaignOfItem(it); remove && c != "" {
			if cur := campaignOf(st.rec(tn, true).msg); cur != "" && !strings.EqualFold(cur, c) {
				return "TN is not assigned to campaign " + c
			}
		}
		return ""
	})
	if len(valid) == 0 {
		return fail("432", "TN Excluded")
	}
	o := st.newOrder(now, kindFeature, req.TnCampaign.CustomerOrderReference, len(items), true)
	o.Excluded = ex
	for _, v := range valid {
		c, remove := campaignOfItem(v.item)
		r := st.rec(v.tn, true)
		m := cloneFields(r.msg)
		if m == nil {
			m = fields{}
		}
		delete(m, "tnCampaign")
		delete(m, "messageCampaignId")
		feat := fields{"tnCampaign": c}
		if remove {
			delete(m, "msgCampaignId")
			feat["removeTnCampaign"] = "Y"
		} else {
			m["msgCampaignId"] = c
		}
		if len(m) == 0 {
			m = nil
		}
		r.msg = m
		o.Valid = append(o.Valid, v.tn)
		o.Items[v.tn] = &tnItem{TN: tnValue(tnString(v.tn)), TnFeature: &tnFeature{Messaging: feat}}
	}
	o.seal(true)
	env := success()
	if len(ex) > 0 {
		env = fail("425", "Partial Success")
	}
	return orderAnswer{env, orderIDText(o)}
}

// CampaignOf returns the messaging campaign a number is on ("" for none),
// for tests and demos.
func (s *Server) CampaignOf(tn string) string {
	n, ok := parseTN(tn)
	if !ok {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.rec(n, false); r != nil {
		return campaignOf(r.msg)
	}
	return ""
}
