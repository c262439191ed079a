package jobs

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// followRows are rows sent on one order, not decided yet.
func followRows(orderID string, tns ...string) []record.Row {
	var rows []record.Row
	for i, tn := range tns {
		rows = append(rows, record.Row{Seq: i + 1, Key: tn, Batch: 1,
			Outcome: record.Outcome{Status: record.StatusPending, OrderID: orderID}})
	}
	return rows
}

// TestFollowReadsOrderDetailStrictly: the order follow-up reads orderDetail
// number by number. The tnItem below carries the guide's own per-feature
// statuses (orderDetail example, guide lines 9894–9901: "dlEnabled": "Y",
// "dlStatus": "Failed", "msgEnabled": "Y", "msgStatus": "Complete"); a
// Failed feature excludes the row for that feature even though
// excludedFeatureList is empty. An orderDetail without orderStatus leaves
// the order open and never prints a blank status.
func TestFollowReadsOrderDetailStrictly(t *testing.T) {
	const id = "1054832"
	item := func(tn, extra string) string {
		return `{"tn": ` + tn + `, "trunkGroup": "CHCGIL24CL1_897", "tnFeature": {}, "tnStatus": "Complete", ` + extra + `}`
	}
	for _, tc := range []struct {
		name       string
		detail     string
		want       []string
		wantMsg    []string
		final      bool
		wantExclud int
	}{
		{"dlStatus Failed without an excludedFeatureList entry",
			`{"status": "Success", "statusCode": "200", "orderDetailResponse": {"tnList": {"tnItem": [` +
				item("7735162004", `"cnamEnabled": "N", "cnamDip": "N", "cnamStatus": "", "dlEnabled": "Y", "dlStatus": "Failed", "e911Enabled": "N", "e911Status": "", "msgEnabled": "Y", "msgStatus": "Complete"`) + `, ` +
				item("7735162005", `"dlEnabled": "Y", "dlStatus": "Complete", "msgEnabled": "Y", "msgStatus": "Complete"`) +
				`]}, "orderId": 1054832, "orderStatus": "Closed"}}`,
			[]string{"excluded", "ok"}, []string{"directory listing failed (dlStatus: Failed)", "closed"}, true, 1},
		{"every feature Failed",
			`{"status": "Success", "statusCode": "200", "orderDetailResponse": {"tnList": {"tnItem": [` +
				item("7735162004", `"cnamStatus": "Failed", "dlStatus": "Failed", "e911Status": "Failed", "msgStatus": "Failed"`) + `, ` +
				item("7735162005", `"msgStatus": "failed"`) +
				`]}, "orderId": 1054832, "orderStatus": "Closed"}}`,
			[]string{"excluded", "excluded"}, []string{"CNAM failed (cnamStatus: Failed)", "messaging failed (msgStatus: failed)"}, true, 5},
		{"no orderStatus in orderDetail",
			`{"status": "Success", "statusCode": "200", "orderDetailResponse": {"tnList": {"tnItem": [` +
				item("7735162004", `"dlStatus": "Failed"`) + `]}, "orderId": 1054832}}`,
			[]string{"pending", "pending"}, []string{"orderDetail named no orderStatus", "orderDetail named no orderStatus"}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, api := newScriptedAPI(t, map[string]string{"orderDetail": tc.detail})
			o := record.Order{OrderID: id, Batch: 1}
			res, err := followTNOrder(context.Background(), api, o, followRows(id, "7735162004", "7735162005"))
			require.NoError(t, err)
			assert.Equal(t, tc.final, res.Order.Final)
			got := outcomesOf(Result{Rows: res.Rows})
			for i, want := range tc.want {
				assert.Equal(t, want, got[i+1].Status, "row %d: %+v", i+1, got[i+1])
				assert.Contains(t, got[i+1].Message, tc.wantMsg[i])
				assert.False(t, strings.HasSuffix(got[i+1].Message, " is "), "a status is never printed blank: %q", got[i+1].Message)
			}
			var features int
			for _, x := range res.Excluded {
				if x.Kind == "feature" {
					features++
				}
			}
			assert.Equal(t, tc.wantExclud, features, "every Failed feature is in the excluded report")
		})
	}
}

// TestPortInFollowReadsFOCSecured: the guide's "FOC Secured (Port Date Set)"
// orderDetail answer (guide lines 13132–13179: "tn": 3344124471 as a number,
// "tnStatus": "Received FOC", "portDt": "2017-08-21T00:00:00.000+0000",
// "portTime": "09:00 US/Central", "orderStatus": "Pending") keeps the row
// pending with its port date; while the order is open no row is excluded
// (a number orderDetail does not list yet, a number excludedTnList names);
// once the order is final they are.
func TestPortInFollowReadsFOCSecured(t *testing.T) {
	const id = "1084675"
	detail := func(orderStatus string) string {
		return `{"status": "Success", "statusCode": "200", "orderDetailResponse": {"tnList": {"tnItem": [{
			"tn": 3344124471, "portOutPin": "", "trunkGroup": "Main Trunk Group",
			"endUser": {"name": "", "streetNum": "", "city": "", "state": "", "postalCode": "", "typeOfService": "", "status": "Received"},
			"tnGroup": "Group ID 88577 - Verizon Wireless:6006 - SVR/2", "accountNum": "1234", "atn": "1231231232",
			"lata": "478", "rateCenter": "SELMA", "province": "AL", "tnStatus": "Received FOC",
			"portDt": "2017-08-21T00:00:00.000+0000", "portTime": "09:00 US/Central", "authName": "", "accountPin": "",
			"routingLabel": "NTNYC-541-DID-950"}]},
			"orderId": 1084675, ` + orderStatus + ` "productName": "LNP Port-In", "serviceOrderName": "New",
			"customerOrderReference": "", "createdDate": "2017-06-23T00:00:00.000+0000", "createdUser": "api_user",
			"desiredDueDate": "2017-08-21T00:00:00.000+0000", "desiredPortTime": "09:00 US/Central"}}`
	}
	excluded := `{"status": "Success", "statusCode": "200", "excludedTnList": {"excludedTnItem": [
		{"orderId": 1084675, "customerOrderReference": "customerRef12345", "tn": "3344124473", "excludedReason": "TN not portable",
		"insertDate": "2017-06-23", "displayName": "test.user@customer.com"}]}}`
	for _, tc := range []struct {
		name, orderStatus string
		want              []string
	}{
		{"open (Pending)", `"orderStatus": "Pending",`, []string{"pending", "pending", "pending"}},
		{"no orderStatus", ``, []string{"pending", "pending", "pending"}},
		{"Closed", `"orderStatus": "Closed",`, []string{"pending", "excluded", "excluded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, api := newScriptedAPI(t, map[string]string{"orderDetail": detail(tc.orderStatus), "excludedTnList": excluded})
			o := record.Order{OrderID: id, Batch: 1}
			res, err := followPortIn(context.Background(), api, o, followRows(id, "3344124471", "3344124472", "3344124473"))
			require.NoError(t, err)
			got := outcomesOf(Result{Rows: res.Rows})
			for i, want := range tc.want {
				assert.Equal(t, want, got[i+1].Status, "row %d: %+v", i+1, got[i+1])
				assert.NotEmpty(t, got[i+1].Message)
				assert.False(t, strings.HasSuffix(got[i+1].Message, " is "), "a status is never printed blank: %q", got[i+1].Message)
			}
			if tc.orderStatus != "" {
				foc := got[1]
				assert.Equal(t, "2017-08-21", foc.Extra[outPortDate])
				assert.Equal(t, "Received FOC", foc.Extra[outTnStatus])
				assert.Contains(t, foc.Message, "port date 2017-08-21 09:00 US/Central")
				assert.Equal(t, "NTNYC-541-DID-950", foc.Extra[outRoutingLabel], "orderDetail's routingLabel reaches its column")
				// excludedTnList's displayName and its own
				// customerOrderReference reach excluded.csv.
				require.Len(t, res.Excluded, 1)
				assert.Equal(t, record.Excluded{Kind: "tn", OrderID: id, CustomerOrderReference: "customerRef12345", TN: "3344124473",
					Reason: "TN not portable", InsertDate: "2017-06-23", DisplayName: "test.user@customer.com"}, res.Excluded[0])
			}
		})
	}
}

// TestPortInFollowFeatureFailed: the guide's port-in orderDetail example
// carries "dlEnabled": "Y", "dlStatus": "Failed" (guide lines 9894–9897);
// a ported number whose directory listing Failed is not simply ok.
func TestPortInFollowFeatureFailed(t *testing.T) {
	detail := `{"status": "Success", "statusCode": "200", "orderDetailResponse": {"tnList": {"tnItem": [
		{"tn": 7735162004, "tnStatus": "Activated", "portDt": "2017-08-21T00:00:00.000+0000", "dlEnabled": "Y", "dlStatus": "Failed", "msgEnabled": "Y", "msgStatus": "Complete"},
		{"tn": 7735162005, "tnStatus": "Activated", "portDt": "2017-08-21T00:00:00.000+0000", "dlEnabled": "Y", "dlStatus": "Complete"}]},
		"orderId": 1054832, "orderStatus": "Closed", "productName": "LNP Port-In"}}`
	_, api := newScriptedAPI(t, map[string]string{"orderDetail": detail})
	res, err := followPortIn(context.Background(), api, record.Order{OrderID: "1054832", Batch: 1}, followRows("1054832", "7735162004", "7735162005"))
	require.NoError(t, err)
	got := outcomesOf(Result{Rows: res.Rows})
	assert.Equal(t, record.StatusExcluded, got[1].Status, "%+v", got[1])
	assert.Contains(t, got[1].Message, "directory listing failed (dlStatus: Failed)")
	assert.Equal(t, record.StatusOK, got[2].Status, "%+v", got[2])
}

// TestCampaignPartialSuccessReadsEachNumber: tnMessagingCampaign's 425
// "Partial Success" (guide line 3007) names no number. Unless the order's
// excludedTnList does, each number's campaign is read from
// tnMessagingCampaignList (guide's answer shape, lines 3172–3186): a number
// that shows the change is ok; one that does not stays pending on the
// order, or is in doubt when there is no order; when the list cannot be
// read every such row is in doubt. An answer without an orderId is checked
// the same way (it used to make every row ok).
func TestCampaignPartialSuccessReadsEachNumber(t *testing.T) {
	const (
		campaigns = `{"status": "Success", "statusCode": "200", "messageCampaignList": {"messageCampaignItem": [
			{"msgCampaignId": "CLLOE4H", "description": "test", "startDate": "2020-01-01T00:00:00Z", "endDate": "2999-01-01T00:00:00Z", "isBillable": "Y"}]}}`
		list = `{"status": "Success", "statusCode": "200", "tnMessageCampaignList": {"tnMessageCampaignItem": [
			{"tn": "2062788473", "msgCampaignId": "CLLOE4H"}, {"tn": "2062788474", "msgCampaignId": "CXFXN8B"}]}}`
		listDown = `{"status": "An Unknown error has occurred", "statusCode": "462"}`
	)
	tns := []string{"2062788473", "2062788474", "2062788475"}
	for _, tc := range []struct {
		name, answer, list string
		remove             bool
		want               []string
	}{
		{"425 without orderId", `{"status": "Partial Success", "statusCode": "425"}`, list, false,
			[]string{"ok", "in-doubt", "in-doubt"}},
		{"425 with an orderId whose excludedTnList is empty", `{"status": "Partial Success", "statusCode": "425", "orderId": "14753748"}`, list, false,
			[]string{"ok", "pending", "pending"}},
		{"425, tnMessagingCampaignList unreadable", `{"status": "Partial Success", "statusCode": "425"}`, listDown, false,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"200 without orderId", `{"status": "Success", "statusCode": "200"}`, list, false,
			[]string{"ok", "in-doubt", "in-doubt"}},
		{"the guide's 200 with an orderId is followed", `{"status": "Success", "statusCode": "200", "orderId": "14753748"}`, list, false,
			[]string{"pending", "pending", "pending"}},
		{"remove: 425 without orderId", `{"status": "Partial Success", "statusCode": "425"}`, list, true,
			[]string{"in-doubt", "ok", "ok"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, api := newScriptedAPI(t, map[string]string{"messageCampaigns": campaigns, "tnMessagingCampaign": tc.answer,
				"tnMessagingCampaignList": tc.list})
			kind := "campaign-assign"
			if tc.remove {
				kind = "campaign-remove"
			}
			job, err := Default().Lookup(kind)
			require.NoError(t, err)
			var cells []map[string]string
			for _, tn := range tns {
				cells = append(cells, map[string]string{"tn": tn, "campaign_id": "CLLOE4H"})
			}
			b := batchOf(t, job, cells...)
			req, err := job.Build(b)
			require.NoError(t, err)
			resp, err := job.Send(context.Background(), api, req)
			require.NoError(t, err)
			got := outcomesOf(job.Read(b, resp))
			for i, want := range tc.want {
				assert.Equal(t, want, got[i+1].Status, "row %d (%s): %+v", i+1, tns[i], got[i+1])
				assert.NotEmpty(t, got[i+1].Message)
			}
		})
	}
}

// TestPortInActivationResultsInRows: portInOrderActivate's answer (guide
// line 7136: "tnGroup:Group ID 93453 - Ameritech/1 Status:{1=[TN group not
// available for portGroup ID 93453 - Ameritech/1]}|tnGroup: Group ID 93457
// - BellSouth/1 Status:Success|}") is each group's result; the numbers
// "move to Activated or Complete" later (line 7142). An accepted group's
// numbers are pending on the order's follow-up with the result in their
// row, a refused group's numbers fail with the reason, and an answer that
// cannot be read leaves them in doubt — never a blank or a guess.
func TestPortInActivationResultsInRows(t *testing.T) {
	const (
		guideStatus = `tnGroup:Group ID 93453 - Ameritech/1 Status:{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}|tnGroup: Group ID 93457 - BellSouth/1 Status:Success|}`
		avail       = `{"status": "Success", "statusCode": "200", "availableActivationList": [
			{"tnGroup": "Group ID 93453 - Ameritech/1", "focDt": "2017-09-27 00:00:00.0", "tnList": {"tnItem": [{"tn": 2057552511}]}},
			{"tnGroup": "Group ID 93457 - BellSouth/1", "focDt": "2017-09-27 00:00:00.0", "tnList": {"tnItem": [{"tn": 2516530680}, {"tn": 2516530681}]}}]}`
		detail = `{"status": "Success", "statusCode": "200", "orderDetailResponse": {"tnList": {"tnItem": [
			{"tn": 2057552511, "tnGroup": "Group ID 93453 - Ameritech/1", "tnStatus": "Received FOC", "portDt": "2017-09-27T00:00:00.000+0000"},
			{"tn": 2516530680, "tnGroup": "Group ID 93457 - BellSouth/1", "tnStatus": "Received FOC", "portDt": "2017-09-27T00:00:00.000+0000"},
			{"tn": 2516530681, "tnGroup": "Group ID 93457 - BellSouth/1", "tnStatus": "Activated", "portDt": "2017-09-27T00:00:00.000+0000"}]},
			"orderId": 1085360, "orderStatus": "Pending", "productName": "LNP Port-In"}}`
	)
	for _, tc := range []struct {
		name, status string
		want         []string
		activation   []string
	}{
		{"the guide's answer", guideStatus, []string{"failed", "pending", "ok"},
			[]string{"{1=[TN group not available for portGroup ID 93453 - Ameritech/1]}", "Success", "Success"}},
		{"an answer that cannot be read", "tnGroup:Group ID 93457 - BellSouth/1 Status:{1=[", []string{"in-doubt", "in-doubt", "ok"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, api := newScriptedAPI(t, map[string]string{"portInOrderAvailableActivation": avail, "orderDetail": detail,
				"portInOrderActivate": `{"statusCode": "200", "status": ` + strconvQuote(tc.status) + `}`})
			job, err := Default().Lookup("port-in-activate")
			require.NoError(t, err)
			b := batchOf(t, job, map[string]string{"tn": "2057552511", "order_id": "1085360"},
				map[string]string{"tn": "2516530680", "order_id": "1085360"}, map[string]string{"tn": "2516530681", "order_id": "1085360"})
			req, err := job.Build(b)
			require.NoError(t, err)
			resp, err := job.Send(context.Background(), api, req)
			require.NoError(t, err)
			res := job.Read(b, resp)
			got := outcomesOf(res)
			for i, want := range tc.want {
				o := got[i+1]
				assert.Equal(t, want, o.Status, "row %d: %+v", i+1, o)
				assert.NotEmpty(t, o.Message)
				if tc.activation != nil {
					assert.Equal(t, tc.activation[i], o.Extra[outActivation], "row %d", i+1)
				}
			}
			require.Len(t, res.Orders, 1, "the order is followed until the numbers are Activated")
			assert.Equal(t, "1085360", res.Orders[0].OrderID)
		})
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestOrderCancelReconcileNeverBlank: an orderDetail without orderStatus
// (the guide's Incomplete orders "may result in no information returned")
// proves neither that a lost cancel arrived nor that it did not: the
// reconciliation fails (the batch stays in doubt) instead of failing the
// row with "order is ; only Pending orders can be canceled".
func TestOrderCancelReconcileNeverBlank(t *testing.T) {
	for _, tc := range []struct {
		name, detail string
		wantErr      bool
		want         string
	}{
		{"no orderStatus", `{"status": "Success", "statusCode": "200", "orderDetailResponse": {"tnList": {"tnItem": []}, "orderId": 14753748}}`, true, ""},
		{"Pending Cancel", `{"status": "Success", "statusCode": "200", "orderDetailResponse": {"orderId": 14753748, "orderStatus": "Pending Cancel"}}`, false, record.StatusOK},
		{"Closed", `{"status": "Success", "statusCode": "200", "orderDetailResponse": {"orderId": 14753748, "orderStatus": "Closed"}}`, false, record.StatusFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, api := newScriptedAPI(t, map[string]string{"orderDetail": tc.detail})
			job, err := Default().Lookup("order-cancel")
			require.NoError(t, err)
			b := batchOf(t, job, map[string]string{"order_id": "14753748"})
			res, resend, err := job.(Reconciler).Reconcile(context.Background(), api, b)
			assert.Empty(t, resend)
			if tc.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "14753748")
				return
			}
			require.NoError(t, err)
			o := outcomesOf(res)[1]
			assert.Equal(t, tc.want, o.Status)
			assert.False(t, strings.HasSuffix(strings.TrimSpace(strings.SplitN(o.Message, ";", 2)[0]), " is"), "%q", o.Message)
		})
	}
}

// TestPortInFixReadsOrderUpdateStrictly: orderUpdate answers with a status
// string like tnOrder's (DESIGN.md rule 4). An entry that names no number of
// the order, or a status that cannot be parsed, proves nothing for the
// rows it does not name: in doubt, never ok, pending or excluded.
func TestPortInFixReadsOrderUpdateStrictly(t *testing.T) {
	const id = "1054832"
	for _, tc := range []struct {
		name, status string
		want         []string
	}{
		{"Success", "Success", []string{"pending", "ok"}},
		{"one number refused", "{1=[7735162004 Invalid zip code]}", []string{"excluded", "ok"}},
		{"a reason that names no number", "{1=[Order failed to process]}", []string{"in-doubt", "in-doubt"}},
		{"another number", "{1=[3125550100 Invalid zip code]}", []string{"in-doubt", "in-doubt"}},
		{"an unparseable status", "{1=[7735162004 Invalid zip code", []string{"in-doubt", "in-doubt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Default().Lookup("port-in-fix")
			require.NoError(t, err)
			b := &Batch{ID: 1, Rows: []record.Row{
				{Seq: 1, Key: "7735162004", Fields: map[string]string{"order_id": id}},
				{Seq: 2, Key: "7735162005", Fields: map[string]string{"order_id": id, "cancel_tn": "Y"}}}}
			a := &portInFixAnswer{OrderOf: map[string]string{"7735162004": id, "7735162005": id},
				Status: map[string]string{id: tc.status}, OrderErr: map[string]string{}}
			got := outcomesOf(job.Read(b, a))
			for i, want := range tc.want {
				assert.Equal(t, want, got[i+1].Status, "row %d: %+v", i+1, got[i+1])
			}
		})
	}
}

// TestForwardReadsStatus: tnForward's answer is "status": "Success" with an
// orderId (guide lines 2686–2691); a 200 whose status says anything else
// is not ok for the numbers it does not prove.
func TestForwardReadsStatus(t *testing.T) {
	for _, tc := range []struct {
		name, status string
		want         []string
	}{
		{"the guide's Success", "Success", []string{"ok", "ok"}},
		{"one number named", "{1=[3125550101 TN not on account]}", []string{"in-doubt", "excluded"}},
		{"a reason alone", "Order failed to process", []string{"in-doubt", "in-doubt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Default().Lookup("tn-forward")
			require.NoError(t, err)
			b := &Batch{ID: 1, Rows: []record.Row{{Seq: 1, Key: "3125550100", Fields: map[string]string{"forward_to": "3125550199"}},
				{Seq: 2, Key: "3125550101", Fields: map[string]string{"forward_to": "3125550199"}}}}
			st, ok, err := job.(Stepper).NextStep(b, nil)
			require.NoError(t, err)
			require.True(t, ok)
			rec, err := AnswerRecord(st, forwardAnswer{OrderID: "1519788", Status: tc.status})
			require.NoError(t, err)
			got := outcomesOf(job.(Stepper).StepResult(b, []StepRecord{rec}))
			for i, want := range tc.want {
				assert.Equal(t, want, got[i+1].Status, "row %d: %+v", i+1, got[i+1])
				assert.NotEmpty(t, got[i+1].Message)
			}
		})
	}
}
