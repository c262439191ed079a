package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// mutOp is a state-changing operation: decoded, audited, journaled.
type mutOp struct {
	newReq func() any
	info   func(req any) (ref string, tns []string)
	apply  func(st *state, now time.Time, req any, reserveLimit int) answer
}

// mutOps is constant routing data.
var mutOps = map[string]mutOp{
	"tnReserve": {func() any { return &tnReserveReq{} },
		func(r any) (string, []string) { return "", r.(*tnReserveReq).TnReserve.TnList.tns() },
		func(st *state, now time.Time, r any, lim int) answer {
			return st.tnReserve(now, r.(*tnReserveReq), lim)
		}},
	"tnRelease": {func() any { return &tnReleaseReq{} },
		func(r any) (string, []string) { return "", r.(*tnReleaseReq).TnRelease.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer { return st.tnRelease(now, r.(*tnReleaseReq)) }},
	"tnOrder": {func() any { return &tnOrderReq{} },
		func(r any) (string, []string) {
			o := r.(*tnOrderReq).TnOrder
			return o.CustomerOrderReference, o.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.tnOrder(now, r.(*tnOrderReq)) }},
	"tnUpdate": {func() any { return &tnUpdateReq{} },
		func(r any) (string, []string) { q := r.(*tnUpdateReq); return q.CustomerOrderReference, q.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer { return st.tnUpdate(now, r.(*tnUpdateReq)) }},
	"tnFeatureOrder": {func() any { return &tnFeatureOrderReq{} },
		func(r any) (string, []string) {
			o := r.(*tnFeatureOrderReq).TnFeatureOrder
			return o.CustomerOrderReference, o.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer {
			return st.tnFeatureOrder(now, r.(*tnFeatureOrderReq))
		}},
	"portOutPinUpdate": {func() any { return &portOutPinReq{} },
		func(r any) (string, []string) { return "", r.(*portOutPinReq).PortOutPin.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.portOutPinUpdate(now, r.(*portOutPinReq))
		}},
	"tnNoteUpdate": {func() any { return &tnNoteReq{} },
		func(r any) (string, []string) { return "", r.(*tnNoteReq).TnNote.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer { return st.tnNoteUpdate(now, r.(*tnNoteReq)) }},
	"tnDisconnect": {func() any { return &tnDisconnectReq{} },
		func(r any) (string, []string) {
			q := r.(*tnDisconnectReq)
			return q.CustomerOrderReference, q.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.tnDisconnect(now, r.(*tnDisconnectReq)) }},
	"orderCancel": {func() any { return &orderRefReq{} },
		func(r any) (string, []string) { return string(r.(*orderRefReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer { return st.orderCancel(now, r.(*orderRefReq)) }},
	"tnRequest": {func() any { return &tnRequestReq{} },
		func(r any) (string, []string) { return string(r.(*tnRequestReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer { return st.tnRequest(now, r.(*tnRequestReq)) }},
	// port-in (ops_portin.go)
	"portInOrder": {func() any { return &portInOrderReq{} },
		func(r any) (string, []string) {
			o := &r.(*portInOrderReq).PortInOrder
			return o.CustomerOrderReference, o.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.portInOrder(now, r.(*portInOrderReq)) }},
	"orderUpdate": {func() any { return &orderUpdateReq{} },
		func(r any) (string, []string) {
			u := &r.(*orderUpdateReq).OrderUpdate
			return string(u.CustomerOrderReference), u.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.orderUpdate(now, r.(*orderUpdateReq)) }},
	"portInOrderActivate": {func() any { return &portInActivateReq{} },
		func(r any) (string, []string) { return string(r.(*portInActivateReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.portInOrderActivate(now, r.(*portInActivateReq))
		}},
	"orderAddNote": {func() any { return &orderRefReq{} },
		func(r any) (string, []string) { return string(r.(*orderRefReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer { return st.orderAddNote(now, r.(*orderRefReq)) }},
	// toll free, forwarding and order documents (ops_tollfree.go)
	"tfOrder": {func() any { return &tfOrderReq{} },
		func(r any) (string, []string) {
			o := r.(*tfOrderReq).TfOrder
			return o.CustomerOrderReference, o.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.tfOrder(now, r.(*tfOrderReq)) }},
	"tfUpdate": {func() any { return &tfUpdateReq{} },
		func(r any) (string, []string) { q := r.(*tfUpdateReq); return q.CustomerOrderReference, q.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer { return st.tfUpdate(now, r.(*tfUpdateReq)) }},
	"tfDisconnect": {func() any { return &tfUpdateReq{} },
		func(r any) (string, []string) { q := r.(*tfUpdateReq); return q.CustomerOrderReference, q.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer { return st.tfDisconnect(now, r.(*tfUpdateReq)) }},
	"tfFeatureOrder": {func() any { return &tfFeatureOrderReq{} },
		func(r any) (string, []string) {
			o := r.(*tfFeatureOrderReq).TfFeatureOrder
			return o.CustomerOrderReference, o.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer {
			return st.tfFeatureOrder(now, r.(*tfFeatureOrderReq))
		}},
	"tnForward": {func() any { return &forwardReq{} },
		func(r any) (string, []string) {
			b := r.(*forwardReq).body()
			return b.CustomerOrderReference, b.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.forward(now, r.(*forwardReq), false) }},
	"tfForward": {func() any { return &forwardReq{} },
		func(r any) (string, []string) {
			b := r.(*forwardReq).body()
			return b.CustomerOrderReference, b.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.forward(now, r.(*forwardReq), true) }},
	"orderAddDocument": {func() any { return &orderAddDocumentReq{} },
		func(r any) (string, []string) { return string(r.(*orderAddDocumentReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.orderAddDocument(now, r.(*orderAddDocumentReq))
		}},
	// port-out (ops_portout.go)
	"portOutApproval": {func() any { return &portOutApprovalReq{} },
		func(r any) (string, []string) { return "", nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.portOutApproval(now, r.(*portOutApprovalReq))
		}},
	"tnPortOutReject": {func() any { return &tnPortOutRejectReq{} },
		func(r any) (string, []string) {
			return "", []string{string(r.(*tnPortOutRejectReq).TnPortOutReject.TN)}
		},
		func(st *state, now time.Time, r any, _ int) answer {
			return st.tnPortOutReject(now, r.(*tnPortOutRejectReq))
		}},
	"trunkGroupUpdate": {func() any { return &trunkGroupUpdateReq{} },
		func(r any) (string, []string) { return "", nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.trunkGroupUpdate(now, r.(*trunkGroupUpdateReq))
		}},
	"routingLabelUpdate": {func() any { return &routingLabelUpdateReq{} },
		func(r any) (string, []string) { return "", nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.routingLabelUpdate(now, r.(*routingLabelUpdateReq))
		}},
	"voiceScript": {func() any { return &voiceScriptReq{} },
		func(r any) (string, []string) {
			var tns []string
			for _, it := range r.(*voiceScriptReq).VoiceScript {
				if it.TN != "" {
					tns = append(tns, string(it.TN))
				}
			}
			return "", tns
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.voiceScript(now, r.(*voiceScriptReq)) }},
	"ticketAddDocument": {func() any { return &ticketDocReq{} },
		func(r any) (string, []string) { return "", nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.ticketAddDocument(now, r.(*ticketDocReq))
		}},
	"accountDefault": {func() any { return &accountDefaultReq{} },
		func(r any) (string, []string) { return "", nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.accountDefault(now, r.(*accountDefaultReq))
		}},
	"ticketCreate": {func() any { return &ticketCreateReq{} },
		func(r any) (string, []string) { return r.(*ticketCreateReq).get("extlCompanyTicket"), nil },
		func(st *state, now time.Time, r any, _ int) answer { return st.ticketCreate(now, r.(*ticketCreateReq)) }},
	"ticketAddNote": {func() any { return &ticketCreateReq{} },
		func(r any) (string, []string) { return "", nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.ticketAddNote(now, r.(*ticketCreateReq))
		}},
	// international (intl_ops.go)
	"intlTnReserve": {func() any { return &intlTnReserveReq{} },
		func(r any) (string, []string) { return "", r.(*intlTnReserveReq).TnReserve.TnList.tns() },
		func(st *state, now time.Time, r any, lim int) answer {
			return st.intlTnReserve(now, r.(*intlTnReserveReq), lim)
		}},
	"intlTnOrder": {func() any { return &intlTnOrderReq{} },
		func(r any) (string, []string) {
			o := &r.(*intlTnOrderReq).TnOrder
			return string(o.CustomerOrderReference), o.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer { return st.intlTnOrder(now, r.(*intlTnOrderReq)) }},
	"intlPortInOrder": {func() any { return &intlPortInOrderReq{} },
		func(r any) (string, []string) {
			o := &r.(*intlPortInOrderReq).PortInOrder
			return string(o.CustomerOrderReference), o.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer {
			return st.intlPortInOrder(now, r.(*intlPortInOrderReq))
		}},
	"intlTnDisconnect": intlListOp(func(st *state, now time.Time, q *intlRefListReq) answer { return st.intlTnDisconnect(now, q) }),
	"intlTnUpdate":     intlListOp(func(st *state, now time.Time, q *intlRefListReq) answer { return st.intlUpdate(now, q, "intlTnUpdate") }),
	"intlTnRoutingUpdate": intlListOp(func(st *state, now time.Time, q *intlRefListReq) answer {
		return st.intlUpdate(now, q, "intlTnRoutingUpdate")
	}),
	"intlTnEndUser": intlListOp(func(st *state, now time.Time, q *intlRefListReq) answer {
		return st.intlUpdate(now, q, "intlTnEndUser")
	}),
	"intlTnAddDocument": intlListOp(func(st *state, now time.Time, q *intlRefListReq) answer {
		return st.intlUpdate(now, q, "intlTnAddDocument")
	}),
	"intlTnNoteUpdate": {func() any { return &intlNoteListReq{} },
		func(r any) (string, []string) { return "", r.(*intlNoteListReq).TnNote.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.intlTnNoteUpdate(now, r.(*intlNoteListReq), false)
		}},
	"intlTnAddNote": {func() any { return &intlNoteListReq{} },
		func(r any) (string, []string) { return "", r.(*intlNoteListReq).TnNote.TnList.tns() },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.intlTnNoteUpdate(now, r.(*intlNoteListReq), true)
		}},
	"intlOrderAddNote": {func() any { return &intlOrderReq{} },
		func(r any) (string, []string) { return string(r.(*intlOrderReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.intlOrderAddNote(now, r.(*intlOrderReq), false)
		}},
	"intlOrderAddContactNote": {func() any { return &intlOrderReq{} },
		func(r any) (string, []string) { return string(r.(*intlOrderReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.intlOrderAddNote(now, r.(*intlOrderReq), true)
		}},
	"intlOrderAddDocument": {func() any { return &intlOrderReq{} },
		func(r any) (string, []string) { return string(r.(*intlOrderReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.intlOrderAddDocument(now, r.(*intlOrderReq))
		}},
	"intlOrderCancel": {func() any { return &intlOrderReq{} },
		func(r any) (string, []string) { return string(r.(*intlOrderReq).CustomerOrderReference), nil },
		func(st *state, now time.Time, r any, _ int) answer { return st.intlOrderCancel(now, r.(*intlOrderReq)) }},
	"intlTnRequest": intlRequestOp,
	"intlInRequest": intlRequestOp, // the heading's spelling
	// E911 and messaging (ops_e911.go, ops_messaging.go).
	"tnE911": {func() any { return &tnE911Req{} },
		func(r any) (string, []string) { return "", []string{string(r.(*tnE911Req).TN)} },
		func(st *state, now time.Time, r any, _ int) answer { return st.tnE911(now, r.(*tnE911Req)) }},
	"tnE911Notification": {func() any { return &tnE911NotificationReq{} },
		func(r any) (string, []string) {
			return "", []string{string(r.(*tnE911NotificationReq).TnE911Notification.TN)}
		},
		func(st *state, now time.Time, r any, _ int) answer {
			return st.tnE911Notification(now, r.(*tnE911NotificationReq))
		}},
	"customerE911Notification": {func() any { return &customerE911NotificationReq{} },
		func(r any) (string, []string) { return "", nil },
		func(st *state, now time.Time, r any, _ int) answer {
			return st.customerE911Notification(now, r.(*customerE911NotificationReq))
		}},
	"tnMessaging": {func() any { return &tnMessagingReq{} },
		func(r any) (string, []string) { return "", []string{string(r.(*tnMessagingReq).TN)} },
		func(st *state, now time.Time, r any, _ int) answer { return st.tnMessaging(now, r.(*tnMessagingReq)) }},
	"tnMessagingCampaign": {func() any { return &tnMessagingCampaignReq{} },
		func(r any) (string, []string) {
			c := r.(*tnMessagingCampaignReq).TnCampaign
			return c.CustomerOrderReference, c.TnList.tns()
		},
		func(st *state, now time.Time, r any, _ int) answer {
			return st.tnMessagingCampaign(now, r.(*tnMessagingCampaignReq))
		}},
}

type readOp func(s *Server, now time.Time, raw []byte) answer

// readOps is constant routing data.
var readOps = map[string]readOp{
	"tnInventory":         (*Server).tnInventory,
	"tnInventoryCoverage": (*Server).tnInventoryCoverage,
	"tnReservedList":      (*Server).tnReservedList,
	"tnAssignedList":      (*Server).tnAssignedList,
	"tnDetail":            (*Server).tnDetail,
	"orderList":           (*Server).orderList,
	"orderDetail":         (*Server).orderDetail,
	"excludedTnList":      (*Server).excludedTnList,
	"excludedFeatureList": (*Server).excludedFeatureList,
	"excludedE911Detail":  (*Server).excludedE911Detail,
	"orderNote":           (*Server).orderNote,
	// toll free and network (ops_tollfree.go, ops_network.go)
	"tfInventory":                (*Server).tfInventory,
	"tfDetail":                   (*Server).tfDetail,
	"tfFeatureCNamList":          (*Server).tfFeatureCNamList,
	"tfFeatureMessageList":       (*Server).tfFeatureMessageList,
	"tfFeatureE911List":          (*Server).tfFeatureE911List,
	"tnForwardList":              (*Server).tnForwardList,
	"tfForwardList":              (*Server).tfForwardList,
	"cicList":                    (*Server).cicList,
	"orderDocument":              (*Server).orderDocument,
	"trunkGroupSearchAssigned":   (*Server).trunkGroupSearchAssigned,
	"trunkGroupUtilization":      (*Server).trunkGroupUtilization,
	"routingLabelSearchAssigned": (*Server).routingLabelSearchAssigned,
	"routingLabelDetail":         (*Server).routingLabelDetail,
	// port-in (ops_portin.go)
	"portInAvailability":             (*Server).portInAvailability,
	"portInOrderAvailableActivation": (*Server).portInOrderAvailableActivation,
	"portInOrderTnList":              (*Server).portInOrderTnList,
	"portInOrderList":                (*Server).portInOrderList,
	"tnCsrLookup":                    (*Server).tnCsrLookup,
	// E911 (ops_e911.go).
	"tnE911Validate":               (*Server).tnE911Validate,
	"tnE911NotificationList":       (*Server).tnE911NotificationList,
	"customerE911NotificationList": (*Server).customerE911NotificationList,
	// exports (ops_exports.go); tnFeatureCnamList answers under both of
	// the guide's spellings.
	"messageDetailSearch":     (*Server).messageDetailSearch,
	"e911CallSearch":          (*Server).e911CallSearch,
	"messageCampaigns":        (*Server).messageCampaigns,
	"tnMessagingCampaignList": (*Server).tnMessagingCampaignList,
	"tnFeatureCnamList":       (*Server).tnFeatureCnamList,
	"tnFeatureCNamList":       (*Server).tnFeatureCnamList,
	"tnFeatureDLList":         (*Server).tnFeatureDLList,
	"tnFeatureE911List":       (*Server).tnFeatureE911List,
	"tnFeatureMessageList":    (*Server).tnFeatureMessageList,
	// reference and report (ops_reference.go)
	"rateCenterCoverage":    (*Server).rateCenterCoverage,
	"lataInventory":         (*Server).lataInventory,
	"tnFeatureCnamDip":      (*Server).tnFeatureCnamDip,
	"ticketList":            (*Server).ticketList,
	"ticketDetail":          (*Server).ticketDetail,
	"ticketNote":            (*Server).ticketNote,
	"ticketDocument":        (*Server).ticketDocument,
	"trunkGroupOrderList":   (*Server).trunkGroupOrderList,
	"trunkGroupOrderDetail": (*Server).trunkGroupOrderDetail,
	"accountDefaultDetail":  (*Server).accountDefaultDetail,
	"switchLocationList":    (*Server).switchLocationList,
	"dtmfRelayList":         (*Server).dtmfRelayList,
	"customerLocationList":  (*Server).customerLocationList,
	"voiceScriptDetail":     (*Server).voiceScriptDetail,
	"tnPortOutHistory":      (*Server).tnPortOutHistory,
	"addressValidate":       (*Server).addressValidate,
	// international (intl.go)
	"intlCountryList":           (*Server).intlCountryList,
	"intlAreaCodeInfo":          (*Server).intlAreaCodeInfo,
	"intlNumberTypes":           (*Server).intlNumberTypes,
	"int1NumberTypes":           (*Server).intlNumberTypes,
	"intlRoutingOptionList":     (*Server).intlRoutingOptionList,
	"intlTnInventory":           (*Server).intlTnInventory,
	"intlTnReservedList":        (*Server).intlTnReservedList,
	"intlOrderList":             (*Server).intlOrderList,
	"intlPortInOrderList":       (*Server).intlPortInOrderList,
	"intlOrderDetail":           (*Server).intlOrderDetail,
	"int1OrderDetail":           (*Server).intlOrderDetail,
	"intlTnDetail":              (*Server).intlTnDetail,
	"int1TnDetail":              (*Server).intlTnDetail,
	"intlExcludedTnList":        (*Server).intlExcludedTnList,
	"intlOrderDocument":         (*Server).intlOrderDocument,
	"intlOrderDocumentDownload": (*Server).intlOrderDocumentDownload,
	"int1OrderDocumentDownload": (*Server).intlOrderDocumentDownload,
	"intlTnDocumentDownload":    (*Server).intlTnDocumentDownload,
}

var tryAgain = fail("431", "Unable to complete the request at the moment, please try again")

// journalEntry is one applied state change.
type journalEntry struct {
	T   time.Time       `json:"t"`
	Op  string          `json:"op"`
	Req json.RawMessage `json:"req"`
	// FeatureFail is Faults.FeatureFail when the change was applied.
	FeatureFail float64 `json:"featureFail,omitempty"`
}

func (s *Server) services(w http.ResponseWriter, r *http.Request, op string) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, fail("405", "Method Not Allowed"))
		return
	}
	if !s.authenticate(r) {
		s.authFailed(w)
		return
	}
	mo, isMut := mutOps[op]
	ro, isRead := readOps[op]
	if !isMut && !isRead {
		writeJSON(w, http.StatusNotFound, fail("404", "Operation not supported by the sandbox: "+op))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, fail("400", "Request format not recognized"))
		return
	}
	var head struct {
		PrivateKey *string `json:"privateKey"`
	}
	var jsonErr error
	if key, ok := privateKeyOf(body); ok {
		head.PrivateKey = key // the one-pass read of the usual request
	} else {
		jsonErr = json.Unmarshal(body, &head)
	}
	entry := AuditEntry{Op: op}
	var req any
	if isMut && jsonErr == nil {
		req = mo.newReq()
		if jsonErr = decodeRequest(body, req); jsonErr == nil {
			entry.CustomerOrderReference, entry.Numbers = mo.info(req)
		}
	}

	s.mu.Lock()
	f := s.faults
	delay := f.Latency
	if f.SpikeRate > 0 && s.rng.Float64() < f.SpikeRate {
		delay += f.Spike
	}
	fault := ""
	if x := s.rng.Float64(); x < f.Error {
		fault = FaultError
	} else if x < f.Error+f.Lost {
		fault = FaultLost
	} else if x < f.Error+f.Lost+f.AppliedError {
		fault = FaultAppliedError
	}
	if f.LostOp == op {
		if s.opSeen++; s.opSeen == f.LostNth {
			fault = FaultLost
		}
	}
	http500 := fault == FaultError && s.rng.IntN(2) == 0
	faultAnswer := ""
	if fault == FaultAppliedError {
		faultAnswer = appliedErrorAnswers[s.rng.IntN(len(appliedErrorAnswers))]
	}
	retryAfter, allowed := s.allowLocked(s.opts.Key, f)
	s.mu.Unlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}

	var ans answer
	switch {
	case !allowed:
		ans, fault, faultAnswer = tryAgain, "", ""
	case fault == FaultError:
		ans = tryAgain
	case jsonErr != nil:
		ans = badRequest(jsonErr)
	case head.PrivateKey == nil || *head.PrivateKey == "" || *head.PrivateKey != s.opts.Key:
		// Global table: 1403 for a missing or invalid privateKey (none of
		// the simulated operations documents its own code).
		ans = fail("1403", "Invalid or missing privateKey parameter")
	}
	if !isMut && fault == FaultAppliedError {
		fault, faultAnswer = "", "" // reads are never answered as if they had failed
	}

	s.mu.Lock()
	now := s.simNowLocked()
	if ans == nil {
		entry.Processed = true
		if isMut {
			s.st.featureFail = f.FeatureFail
			ans = mo.apply(s.st, now, req, s.opts.ReservationLimit)
			if code := fmt.Sprint(ans.head().StatusCode); code == "200" || campaignPartial(op, code) {
				entry.Applied = true
				entry.AppliedNumbers = appliedNumbers(s.st, entry.Numbers, ans)
				if err := s.recordLocked(now, op, req, f.FeatureFail); err != nil {
					s.log.Error("sandbox journal write failed", "op", op, "err", err)
				}
			}
		} else {
			ans = s.readLocked(ro, now, body)
		}
	}
	if fault == FaultAppliedError && (!entry.Applied || len(entry.Numbers) > 0 && len(entry.AppliedNumbers) == 0) {
		fault, faultAnswer = "", "" // only a change that was made is answered as an error
	}
	httpStatus := http.StatusOK
	switch {
	case !allowed:
		httpStatus = http.StatusTooManyRequests
	case fault == FaultLost:
		httpStatus = 0
	case http500:
		httpStatus = http.StatusInternalServerError
	case faultAnswer == AnswerHTTP500Empty || faultAnswer == AnswerHTTP500HTML:
		httpStatus = http.StatusInternalServerError
	case faultAnswer == AnswerHTTP502HTML:
		httpStatus = http.StatusBadGateway
	}
	if isMut {
		entry.Time, entry.Fault, entry.FaultAnswer, entry.HTTPStatus = now, fault, faultAnswer, httpStatus
		h := ans.head()
		entry.StatusCode, entry.Status = fmt.Sprint(h.StatusCode), h.Status
		if oa, ok := ans.(orderAnswer); ok && oa.OrderID != "null" {
			entry.OrderID = oa.OrderID
		}
		if ia, ok := ans.(intlAnswer); ok {
			entry.OrderID = ia.orderID
		}
		s.auditLocked(entry)
	}
	statusCode := fmt.Sprint(ans.head().StatusCode)
	encoded := s.encodeLocked(ans) // never read the state's maps after Unlock
	s.mu.Unlock()
	s.log.Debug("sandbox request", "op", op, "statusCode", statusCode, "fault", fault)

	switch {
	case !allowed:
		// The guide documents no HTTP 429; the sandbox's throttle is a
		// gateway's: HTTP 429 with Retry-After, and the guide's own
		// "try again" body (431) for clients that read only the body.
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		s.write(w, http.StatusTooManyRequests, encoded)
	case fault == FaultLost:
		s.release(encoded)
		dropConnection(w)
	case http500:
		s.release(encoded)
		writeJSON(w, http.StatusInternalServerError, fail("500", "Internal Error"))
	case fault == FaultAppliedError:
		s.release(encoded)
		writeAppliedError(w, faultAnswer)
	default:
		s.write(w, http.StatusOK, encoded)
	}
}

// writeAppliedError answers an applied request as if it had failed.
func writeAppliedError(w http.ResponseWriter, kind string) {
	switch kind {
	case AnswerHTTP500Empty:
		w.WriteHeader(http.StatusInternalServerError)
	case AnswerHTTP500HTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>The server encountered an internal error and was unable to complete your request.</p></body></html>\n")
	case AnswerHTTP502HTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n")
	case AnswerBody462:
		// The guide's statusCode tables: "462: An Unknown error has occurred".
		writeJSON(w, http.StatusOK, fail("462", "An Unknown error has occurred"))
	default: // AnswerBody500: "500: Internal Error"
		writeJSON(w, http.StatusOK, fail("500", "Internal Error"))
	}
}

// appliedNumbers are the numbers an applied answer changed: an order's
// valid numbers, or the named numbers minus those the answer excluded.
func appliedNumbers(st *state, named []string, ans answer) []string {
	if ia, ok := ans.(intlAnswer); ok {
		return ia.applied // international numbers (intl_ops.go)
	}
	if oa, ok := ans.(orderAnswer); ok && oa.OrderID != "null" {
		if id, err := strconv.ParseInt(oa.OrderID, 10, 64); err == nil {
			if o := st.orders[id]; o != nil {
				out := make([]string, len(o.Valid))
				for i, tn := range o.Valid {
					out[i] = tnString(tn)
				}
				return out
			}
		}
	}
	excluded := map[string]bool{}
	for _, tn := range statusNumbers(ans.head().Status) {
		excluded[tn] = true
	}
	var rows []tnOnlyRow
	switch a := ans.(type) {
	case reserveAnswer:
		if a.TnReserveResponse != nil {
			rows = a.TnReserveResponse.ExcludedTnList
		}
	case releaseAnswer:
		rows = a.TnReleaseResponse.ExcludedTnList
	}
	for _, r := range rows {
		excluded[canonicalTN(r.TN)] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, raw := range named {
		n, ok := parseTN(raw)
		if !ok {
			continue
		}
		tn := tnString(n)
		if !excluded[tn] && !seen[tn] {
			seen[tn] = true
			out = append(out, tn)
		}
	}
	return out
}

// statusNumbers are the numbers of an exclusion status "{2=[tn reason, ...]}"
// (exclusionStatus's grammar).
func statusNumbers(status string) []string {
	body, ok := strings.CutPrefix(status, "{2=[")
	if !ok {
		return nil
	}
	body = strings.TrimSuffix(body, "]}")
	var out []string
	for _, part := range strings.Split(body, ", ") {
		tn, _, _ := strings.Cut(part, " ")
		if n, ok := parseTN(tn); ok {
			out = append(out, tnString(n))
		}
	}
	return out
}

// dropConnection closes the connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// allowLocked takes a token of key's rate limit; when there is none it
// says after how many whole seconds (at least 1) one will be there.
func (s *Server) allowLocked(key string, f Faults) (retryAfter int, ok bool) {
	limit := s.opts.Rate
	if f.Rate > 0 {
		limit = f.Rate
	}
	if limit <= 0 {
		return 0, true
	}
	l := s.limiters[key]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(limit), int(math.Max(1, math.Ceil(limit))))
		s.limiters[key] = l
	}
	now := s.opts.Now()
	if l.AllowN(now, 1) {
		return 0, true
	}
	r := l.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return max(1, int(math.Ceil(wait.Seconds()))), false
}

// recoveredEntry is the audit entry of a journaled change whose process
// died before auditing it: applied, its answer never sent.
func recoveredEntry(st *state, mo mutOp, je journalEntry, req any, ans answer) AuditEntry {
	e := AuditEntry{Time: je.T, Op: je.Op, Processed: true, Applied: true, Recovered: true}
	e.CustomerOrderReference, e.Numbers = mo.info(req)
	e.AppliedNumbers = appliedNumbers(st, e.Numbers, ans)
	h := ans.head()
	e.StatusCode, e.Status = fmt.Sprint(h.StatusCode), h.Status
	if oa, ok := ans.(orderAnswer); ok && oa.OrderID != "null" {
		e.OrderID = oa.OrderID
	}
	if ia, ok := ans.(intlAnswer); ok {
		e.OrderID = ia.orderID
	}
	return e
}

func (s *Server) auditLocked(e AuditEntry) {
	s.auditMem = append(s.auditMem, e)
	if s.audit == nil {
		return
	}
	line, err := json.Marshal(e)
	if err == nil {
		_, err = s.audit.Write(append(line, '\n'))
	}
	if err != nil {
		s.log.Error("sandbox audit write failed", "op", e.Op, "err", err)
	}
}

// replay re-applies the journal; the simulated clock resumes after its
// last entry.
func (s *Server) replay(path string) error { return s.replayAuditing(path, -1) }

// replayAuditing is replay that also returns, as audit entries, the
// changes after the first audited ones (audited < 0: none). A change is
// written to the journal, then to the audit; a process killed between the
// two writes (the embedded sandbox dies with iqbulk) applied a change the
// audit never heard of. Their answers were never sent.
func (s *Server) replayAuditing(path string, audited int) error {
	k := 0
	err := readLines(path, func(line []byte) error {
		var je journalEntry
		if !je.decodeFast(line) {
			if err := json.Unmarshal(line, &je); err != nil {
				return err
			}
		}
		mo, ok := mutOps[je.Op]
		if !ok {
			return fmt.Errorf("unknown op %q", je.Op)
		}
		req := mo.newReq()
		if err := decodeRequest(je.Req, req); err != nil {
			return err
		}
		s.st.featureFail = je.FeatureFail
		ans := mo.apply(s.st, je.T, req, 0) // it was applied once: no cap on replay
		if audited >= 0 && k >= audited {
			s.unaudited = append(s.unaudited, recoveredEntry(s.st, mo, je, req, ans))
		}
		k++
		if je.T.After(s.lastSim) {
			s.lastSim = je.T
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sandbox replay: %w", err)
	}
	if s.lastSim.After(s.simBase) {
		s.simBase = s.lastSim
	}
	return nil
}
