package jobs

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// campaign assigns (or, as campaign-remove, removes) 10DLC messaging
// campaigns with tnMessagingCampaign, up to 100 numbers per request, one
// campaign per request (rows are grouped by campaign_id).
//
// Before an assignment is sent its campaign is looked up in
// messageCampaigns (a read): a campaign the account does not have, or one
// whose endDate has passed, makes the batch's rows invalid, never sent.
// The answer carries an orderId that is followed up like other orders
// (orderDetail, excludedTnList): rows are pending until it closes. Per-row
// outcomes of the guide's codes: 425 "Partial Success" reads excludedTnList
// of the order at once, so the excluded rows say why, and when it names no
// number reads each number's campaign (tnMessagingCampaignList); an answer
// without an orderId is checked the same way; 432 "TN Excluded"
// excludes every row; 409 "Invalid TN submitted:[...]" excludes the numbers
// it names and fails the others (not applied; run failed.csv again).
type campaign struct{ remove bool }

var campaignIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,20}$`)

func (j campaign) Spec() Spec {
	s := Spec{
		Name:    "campaign-assign",
		Summary: "assign a 10DLC messaging campaign to numbers (tnMessagingCampaign, 100 per request; campaign checked in messageCampaigns first)",
		Operations: []string{inteliquent.OpTnMessagingCampaign, inteliquent.OpMessageCampaigns, inteliquent.OpExcludedTnList, inteliquent.OpOrderDetail,
			inteliquent.OpTnMessagingCampaignList},
		Columns: []Column{tnColumn(), {Column: readers.Column{Name: "campaign_id", Aliases: []string{"campaign", "campaignid", "campaign id",
			"tncampaign", "messagecampaignid", "msgcampaignid", "msg campaign id"}, Required: true, Help: "campaign id as messageCampaigns lists it (e.g. CXFXN8B)"}, Example: "CXFXN8B"}},
		BatchSize: MaxBatch,
	}
	if j.remove {
		s.Name = "campaign-remove"
		s.Summary = "remove the messaging campaign from numbers (tnMessagingCampaign with removeTnCampaign=Y, 100 per request)"
		s.Operations = []string{inteliquent.OpTnMessagingCampaign, inteliquent.OpExcludedTnList, inteliquent.OpOrderDetail, inteliquent.OpTnMessagingCampaignList}
		s.Columns[1].Required = false
		s.Columns[1].Help = "the campaign to take off (optional; the guide's example sends it); a number on another campaign is excluded"
	}
	return s
}

func (j campaign) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	c := strings.ToUpper(strings.TrimSpace(r.Get("campaign_id")))
	switch {
	case c == "" && !j.remove:
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "campaign_id", Reason: "is required"})
	case c != "" && !campaignIDPattern.MatchString(c):
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "campaign_id", Value: c, Reason: "is not a campaign id (letters and digits)"})
	}
	return Parsed{Key: tn, Group: c, Fields: map[string]string{"campaign_id": c}}, errs
}

func (j campaign) Build(b *Batch) (any, error) {
	req := &inteliquent.TnMessagingCampaignRequest{}
	req.TnCampaign.CustomerOrderReference = b.CustomerOrderReference
	for _, r := range b.Rows {
		req.TnCampaign.TnList.TnItem = append(req.TnCampaign.TnList.TnItem,
			inteliquent.NewTnCampaignItem(inteliquent.TN(r.Key), r.Fields["campaign_id"], j.remove))
	}
	return req, nil
}

// campaignAnswer is what Send makes of one batch.
type campaignAnswer struct {
	unknown  string // the campaign is not usable: rows invalid, nothing sent
	resp     *inteliquent.OrderResponse
	partial  bool              // 425
	excluded map[string]string // tn -> reason, from excludedTnList after a 425
	refused  error             // 432 or 409
	// checked: the answer named no number (425 without an excludedTnList
	// entry, or no orderId to follow), so each number's campaign was read
	// from tnMessagingCampaignList: state holds it (tn -> msgCampaignId),
	// stateErr why it could not be read.
	checked  bool
	state    map[string]string
	stateErr error
}

// campaignState reads tnMessagingCampaignList (unpaginated; its 430 "No
// records found" is an empty list): every number with a campaign.
func campaignState(ctx context.Context, api *inteliquent.Client) (map[string]string, error) {
	resp, err := api.TnMessagingCampaignList(ctx, &inteliquent.TnMessagingCampaignListRequest{})
	if inteliquent.Code(err) == "430" {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("tnMessagingCampaignList: %w", err)
	}
	out := map[string]string{}
	for _, it := range resp.TnMessageCampaignList.TnMessageCampaignItem {
		out[string(it.TN)] = strings.ToUpper(strings.TrimSpace(it.MsgCampaignID.String()))
	}
	return out, nil
}

// checkCampaign looks id up in messageCampaigns; "" means usable.
func checkCampaign(ctx context.Context, api *inteliquent.Client, id string, now time.Time) (string, error) {
	list, err := api.MessageCampaigns(ctx, &inteliquent.MessageCampaignsRequest{})
	if err != nil {
		return "", fmt.Errorf("messageCampaigns: %w", err)
	}
	for _, c := range list.MessageCampaignList.MessageCampaignItem {
		if !strings.EqualFold(strings.TrimSpace(string(c.MsgCampaignID)), id) {
			continue
		}
		if end, err := time.Parse(time.RFC3339, strings.TrimSpace(c.EndDate)); err == nil && !now.Before(end) {
			return fmt.Sprintf("campaign %s ended on %s (messageCampaigns)", id, end.Format(time.DateOnly)), nil
		}
		return "", nil
	}
	return fmt.Sprintf("campaign %s is not in messageCampaigns for this account", id), nil
}

func (j campaign) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	r := req.(*inteliquent.TnMessagingCampaignRequest)
	items := r.TnCampaign.TnList.TnItem
	if !j.remove && len(items) > 0 {
		why, err := checkCampaign(ctx, api, items[0].TnFeature.Messaging.TnCampaign, time.Now())
		if err != nil {
			return nil, err
		}
		if why != "" {
			return &campaignAnswer{unknown: why}, nil
		}
	}
	resp, err := api.TnMessagingCampaign(ctx, r)
	ans := &campaignAnswer{resp: resp}
	switch code := inteliquent.Code(err); {
	case err == nil:
	case code == "425" && resp != nil:
		ans.partial = true
		if !resp.OrderID.IsZero() {
			// The guide does not say where the per-number results are; the
			// order's excludedTnList is where every other order puts them.
			x, xerr := api.ExcludedTnList(ctx, &inteliquent.ExcludedTnListRequest{OrderRef: inteliquent.OrderRef{OrderID: resp.OrderID}})
			if xerr == nil {
				ans.excluded = map[string]string{}
				for _, it := range x.ExcludedTnList.ExcludedTnItem {
					ans.excluded[string(it.TN)] = it.ExcludedReason
				}
			}
		}
	case code == "432", code == "409":
		return &campaignAnswer{refused: err}, nil
	default:
		return nil, err
	}
	// 425 "Partial Success" (guide line 3007) names no number; neither does
	// an answer without an orderId to follow. Unless excludedTnList named
	// some, read each number's campaign.
	if (ans.partial && len(ans.excluded) == 0) || resp.OrderID.IsZero() {
		ans.checked = true
		ans.state, ans.stateErr = campaignState(ctx, api)
	}
	return ans, nil
}

// stateOutcome decides a row from tnMessagingCampaignList after an answer
// that named no number: ok when the list shows the change for the number;
// otherwise pending on the order when there is one to follow, in doubt
// when there is none or the list could not be read.
func (j campaign) stateOutcome(a *campaignAnswer, r record.Row, id string) (record.Outcome, bool) {
	said := "statusCode " + a.resp.StatusCode.String() + " " + strings.TrimSpace(a.resp.Status)
	if a.stateErr != nil {
		return record.Outcome{Status: record.StatusInDoubt, Code: a.resp.StatusCode.String(), OrderID: id,
			Message: fmt.Sprintf("%s named no number, and this number's campaign could not be read: %v", said, a.stateErr)}, true
	}
	want, now := r.Fields["campaign_id"], a.state[r.Key]
	done := now != "" && (want == "" || now == want)
	if j.remove {
		done = now == "" || (want != "" && now != want)
	}
	switch {
	case done && j.remove:
		return record.Outcome{Status: record.StatusOK, Code: a.resp.StatusCode.String(), OrderID: id,
			Message: said + "; tnMessagingCampaignList shows no campaign " + want + " on the number"}, true
	case done:
		return record.Outcome{Status: record.StatusOK, Code: a.resp.StatusCode.String(), OrderID: id,
			Message: said + "; tnMessagingCampaignList shows campaign " + now + " on the number"}, true
	case id != "":
		return record.Outcome{}, false // the order's follow-up decides
	}
	shows := "no campaign"
	if now != "" {
		shows = "campaign " + now
	}
	return record.Outcome{Status: record.StatusInDoubt, Code: a.resp.StatusCode.String(),
		Message: said + " without orderId or per-number list; tnMessagingCampaignList shows " + shows + " on the number"}, true
}

// invalidTNsIn reads the numbers of "Invalid TN submitted:[20873619391]".
func invalidTNsIn(status string) map[string]bool {
	out := map[string]bool{}
	i, k := strings.IndexByte(status, '['), strings.LastIndexByte(status, ']')
	if i < 0 || k <= i {
		return out
	}
	for _, tn := range strings.FieldsFunc(status[i+1:k], func(r rune) bool { return r == ',' || r == ' ' }) {
		out[tn] = true
	}
	return out
}

func (j campaign) Read(b *Batch, resp any) Result {
	a := resp.(*campaignAnswer)
	switch {
	case a.unknown != "":
		return setAllOutcome(b, record.Outcome{Status: record.StatusInvalid, Code: "unknown-campaign", Message: "not sent: " + a.unknown})
	case a.refused != nil:
		o := refusedOutcome(a.refused)
		if o.Code != "409" {
			return setAllOutcome(b, o)
		}
		bad := invalidTNsIn(o.Message)
		var res Result
		for _, r := range b.Rows {
			out := o
			if !bad[r.Key] {
				out = record.Outcome{Status: record.StatusFailed, Code: "409", Message: "not applied: the request was refused (" + o.Message + "); run again"}
			}
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: out})
		}
		return res
	}
	id := string(a.resp.OrderID)
	res := Result{OrderID: id}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, r := range b.Rows {
		o := record.Outcome{Status: record.StatusPending, OrderID: id, Code: "200",
			Message: "campaign order " + id + " accepted; run iqbulk follow for the final outcome"}
		if a.partial {
			o.Code = "425"
		}
		if reason, bad := a.excluded[r.Key]; bad {
			o = record.Outcome{Status: record.StatusExcluded, OrderID: id, Code: "425", Message: reason}
			res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", OrderID: id, CustomerOrderReference: b.CustomerOrderReference,
				TN: r.Key, Reason: reason, InsertDate: today})
		} else if a.checked {
			if so, decided := j.stateOutcome(a, r, id); decided {
				o = so
			} else if a.partial {
				o.Message = "425 Partial Success: campaign order " + id + " names no number and tnMessagingCampaignList does not show the change yet; run iqbulk follow"
			}
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: o})
	}
	if id != "" {
		res.Orders = []record.Order{{OrderID: id, CustomerOrderReference: b.CustomerOrderReference, Batch: b.ID}}
	}
	return res
}

// Follow reads the campaign order until it is final, like a feature order.
func (campaign) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}
