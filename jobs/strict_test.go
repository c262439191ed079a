package jobs

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// TestTnOrderReadsStrictly: no row is ok unless the answer says so for its
// number (DESIGN.md rule 4). The answers are the guide's own tnOrder answer
// (seed 1593–1736: "numbers 6123453622 and 6123453623 were synchronously
// activated to the account, but 6123453624 was excluded") and what a real
// API or a proxy can send instead.
func TestTnOrderReadsStrictly(t *testing.T) {
	job, err := Default().Lookup("tn-order")
	require.NoError(t, err)
	tns := []string{"6123453622", "6123453623", "6123453624"}
	for _, tc := range []struct {
		name   string
		answer string
		want   []string
	}{
		{"the guide's example, verbatim", `{"status": "{2=[6123453624 TN is on an existing order]}", "statusCode": "200", "orderId": "null"}`,
			[]string{"ok", "ok", "excluded"}},
		{"Success", `{"status": "Success", "statusCode": "200", "orderId": "null"}`, []string{"ok", "ok", "ok"}},
		{"a reason that names no number", `{"status": "{2=[Order failed to process]}", "statusCode": "200", "orderId": "null"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"a key that is not a ten-digit number of the batch", `{"status": "{2=[61234536241 TN is on an existing order]}", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"another number than the batch's", `{"status": "{2=[3125550100 TN is on an existing order]}", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"one named, one unclear", `{"status": "{2=[Order failed to process, 6123453624 TN is on an existing order]}", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "excluded"}},
		{"an unparseable status", `{"status": "{2=[6123453624 TN is on an existing order", "statusCode": "200"}`,
			[]string{"in-doubt", "in-doubt", "in-doubt"}},
		{"no status at all", `{"statusCode": "200", "orderId": "null"}`, []string{"in-doubt", "in-doubt", "in-doubt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := batchOf(t, job, map[string]string{"tn": tns[0]}, map[string]string{"tn": tns[1]}, map[string]string{"tn": tns[2]})
			var resp inteliquent.TnOrderResponse
			require.NoError(t, json.Unmarshal([]byte(tc.answer), &resp))
			res := job.Read(b, &resp)
			got := map[int]record.Outcome{}
			for _, o := range res.Rows {
				got[o.Seq] = o.Outcome
			}
			for i, want := range tc.want {
				o := got[i+1]
				assert.Equal(t, want, o.Status, "row %d (%s): %+v", i+1, tns[i], o)
				if want == record.StatusInDoubt {
					assert.NotEmpty(t, o.Message, "the API's own words are kept")
				}
			}
		})
	}
}

// outcomesOf indexes a result's outcomes by row Seq.
func outcomesOf(res Result) map[int]record.Outcome {
	got := map[int]record.Outcome{}
	for _, o := range res.Rows {
		got[o.Seq] = o.Outcome
	}
	return got
}

// TestReserveReleaseCountsMustAddUp: tnRelease and tnReserve answer with
// counts and a bare excludedTnList (guide lines 1313–1319, 1343–1355,
// 1168–1176, 1250–1266). A number not listed is done only when the counts
// add up; "releasedTnCount": 0 with nothing excluded proves nothing.
func TestReserveReleaseCountsMustAddUp(t *testing.T) {
	five := []string{"2015540010", "2015540011", "2015540012", "2015540013", "2015540300"}
	for _, tc := range []struct {
		name, kind, answer string
		tns                []string
		want               []string
	}{
		{"tnRelease, the guide's example 1 verbatim", "tn-release",
			`{"status": "Success", "statusCode": "200", "tnReleaseResponse": {"totalTnCount": 5, "releasedTnCount": 5}}`,
			five, []string{"ok", "ok", "ok", "ok", "ok"}},
		{"tnRelease, the guide's example 2 (its 1234567890 is no NANP number, so 2015540013)", "tn-release",
			`{"status": "Success", "statusCode": "200", "tnReleaseResponse": {"totalTnCount": 1, "releasedTnCount": 0, "excludedTnList": [{"tn": "2015540013"}]}}`,
			[]string{"2015540013"}, []string{"excluded"}},
		{"tnRelease, releasedTnCount 0 and nothing excluded", "tn-release",
			`{"status": "Success", "statusCode": "200", "tnReleaseResponse": {"totalTnCount": 5, "releasedTnCount": 0}}`,
			five, []string{"in-doubt", "in-doubt", "in-doubt", "in-doubt", "in-doubt"}},
		{"tnRelease, releasedTnCount < totalTnCount with one excluded", "tn-release",
			`{"status": "Success", "statusCode": "200", "tnReleaseResponse": {"totalTnCount": 5, "releasedTnCount": 3, "excludedTnList": [{"tn": "2015540013"}]}}`,
			five, []string{"in-doubt", "in-doubt", "in-doubt", "excluded", "in-doubt"}},
		{"tnRelease, an excluded number that is not the batch's", "tn-release",
			`{"status": "Success", "statusCode": "200", "tnReleaseResponse": {"totalTnCount": 5, "releasedTnCount": 4, "excludedTnList": [{"tn": "9999999999"}]}}`,
			five, []string{"in-doubt", "in-doubt", "in-doubt", "in-doubt", "in-doubt"}},
		{"tnRelease, no tnReleaseResponse at all", "tn-release", `{"status": "Success", "statusCode": "200"}`,
			five[:2], []string{"in-doubt", "in-doubt"}},
		{"tnReserve, the guide's limit-exceeded example verbatim", "tn-reserve",
			`{"status": "Success", "statusCode": "200", "tnReserveResponse": {"totalTnCount": 5, "reservedTnCount": 3, "excludedTnList": [{"tn": "2015540013"}, {"tn": "2015540300"}]}}`,
			five, []string{"ok", "ok", "ok", "excluded", "excluded"}},
		{"tnReserve, reservedTnCount short", "tn-reserve",
			`{"status": "Success", "statusCode": "200", "tnReserveResponse": {"totalTnCount": 5, "reservedTnCount": 2, "excludedTnList": [{"tn": "2015540013"}, {"tn": "2015540300"}]}}`,
			five, []string{"in-doubt", "in-doubt", "in-doubt", "excluded", "excluded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Default().Lookup(tc.kind)
			require.NoError(t, err)
			var cells []map[string]string
			for _, tn := range tc.tns {
				cells = append(cells, map[string]string{"tn": tn})
			}
			b := batchOf(t, job, cells...)
			var resp any
			if tc.kind == "tn-release" {
				resp = &inteliquent.TnReleaseResponse{}
			} else {
				resp = &inteliquent.TnReserveResponse{}
			}
			require.NoError(t, json.Unmarshal([]byte(tc.answer), resp))
			got := outcomesOf(job.Read(b, resp))
			for i, want := range tc.want {
				o := got[i+1]
				assert.Equal(t, want, o.Status, "row %d (%s): %+v", i+1, tc.tns[i], o)
				if want == record.StatusInDoubt {
					assert.Contains(t, o.Message, "totalTnCount", "the API's counts are kept")
				}
			}
		})
	}
}

// TestAnswersAboutAnotherNumber: the single-number answers echo the
// number they are about (tnCsrLookup, guide line 7424; tnE911Validate, 3504;
// tnE911Notification, 3745–3746 and 3776–3795). An answer about another
// number proves nothing for the row: a read (csr, e911-validate) fails and
// may be run again; a change (e911-notify) is in doubt.
func TestAnswersAboutAnotherNumber(t *testing.T) {
	const (
		csrGuide = `{"status": "Success", "statusCode": "200", "tnCsrLookupResponse": {"tn": "3123488246", "accountNum": "12345", "atn": "8009247586",
			"endUser": "Test User", "serviceProvider": "ATT", "numOfTnLines": 2, "authName": "Jean Blues", "simplePort": "N",
			"csrLookupMsg": 0, "csrLookupResult": "Success", "tnGroup": [{"tn": "3123488247"}, {"tn": "3123488248"}]}}`
		validateGuide = `{"status": "Success", "statusCode": "200", "tnE911ValidateResponse": {"tn": "3123488246", "name": "Test User",
			"streetNum": "550", "streetInfo": "W Adams St", "city": "Chicago", "state": "IL", "postalCode": "60661",
			"validationResult": 0, "validationMsg": "Address is valid"}}`
		notifyGuide = `{"statusCode": "200", "status": "Success", "tnE911Notification": {"tn": "2015540010",
			"emailList": {"emailItem": [{"email": " abc123@def.com "}, {"email": " abc234@def.com "}]}}}`
	)
	csrRow := map[string]string{"tn": "3123488246"}
	validateRow := map[string]string{"tn": "3123488246", "name": "Test User", "street_num": "550", "street_info": "W Adams St",
		"city": "Chicago", "state": "IL", "postal_code": "60661"}
	notifyRow := map[string]string{"tn": "2015540010", "emails": "abc123@def.com;abc234@def.com"}
	other := func(s, tn string) string { return strings.Replace(s, `"tn": "`+tn+`"`, `"tn": "3125550100"`, 1) }
	for _, tc := range []struct {
		name, kind string
		row        map[string]string
		answer     string
		resp       func() any
		want       string
	}{
		{"csr, the guide's answer", "csr", csrRow, csrGuide, func() any { return &inteliquent.TnCsrLookupResponse{} }, record.StatusOK},
		{"csr, another number's CSR", "csr", csrRow, other(csrGuide, "3123488246"), func() any { return &inteliquent.TnCsrLookupResponse{} }, record.StatusFailed},
		{"csr, no number in the answer", "csr", csrRow, strings.Replace(csrGuide, `"tn": "3123488246", `, "", 1), func() any { return &inteliquent.TnCsrLookupResponse{} }, record.StatusFailed},
		{"e911-validate, the guide's answer", "e911-validate", validateRow, validateGuide, func() any { return &inteliquent.TnE911ValidateResponse{} }, record.StatusOK},
		{"e911-validate, another number's address", "e911-validate", validateRow, other(validateGuide, "3123488246"), func() any { return &inteliquent.TnE911ValidateResponse{} }, record.StatusFailed},
		{"e911-notify, the guide's answer", "e911-notify", notifyRow, notifyGuide, func() any { return &inteliquent.TnE911NotificationResponse{} }, record.StatusOK},
		{"e911-notify, another number's list", "e911-notify", notifyRow, other(notifyGuide, "2015540010"), func() any { return &inteliquent.TnE911NotificationResponse{} }, record.StatusInDoubt},
		{"e911-notify, no tnE911Notification", "e911-notify", notifyRow, `{"statusCode": "200", "status": "Success"}`, func() any { return &inteliquent.TnE911NotificationResponse{} }, record.StatusInDoubt},
		{"e911-notify, an address missing from the list", "e911-notify", map[string]string{"tn": "2015540010", "emails": "abc123@def.com;new@def.com"},
			notifyGuide, func() any { return &inteliquent.TnE911NotificationResponse{} }, record.StatusInDoubt},
		{"e911-notify-remove, an address still on the list", "e911-notify-remove", notifyRow, notifyGuide, func() any { return &inteliquent.TnE911NotificationResponse{} }, record.StatusInDoubt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Default().Lookup(tc.kind)
			require.NoError(t, err)
			b := batchOf(t, job, tc.row)
			resp := tc.resp()
			require.NoError(t, json.Unmarshal([]byte(tc.answer), resp))
			o := outcomesOf(job.Read(b, resp))[1]
			assert.Equal(t, tc.want, o.Status, "%+v", o)
			if tc.want != record.StatusOK {
				assert.NotEmpty(t, o.Message)
			}
		})
	}
}

// TestE911ProvisionReadsStrictly: tnE911's answer echoes the number and
// says "provisionResult": 0 (VALID) or 1 (CORRECTED) (guide lines
// 3297–3307, 3346–3356). Another number, or no provisionResult, proves
// nothing for the row.
func TestE911ProvisionReadsStrictly(t *testing.T) {
	const guide = `{"status": "Success", "statusCode": "200", "tnE911Response": {"tn": "3123488244", "name": "Test User",
		"origStreetNum": "550", "origStreetInfo": "W Adams St", "origCity": "Chicago", "origState": "IL", "origPostalCode": "60661",
		"provisionMsg": "VALID", "provisionResult": 0, "provisionedStreetNum": "550", "provisionedStreetInfo": "W ADAMS ST",
		"provisionedCity": "CHICAGO", "provisionedState": "IL", "provisionedPostalCode": "60661"}}`
	row := map[string]string{"tn": "3123488244", "name": "Test User", "street_num": "550", "street_info": "W Adams St",
		"city": "Chicago", "state": "IL", "postal_code": "60661"}
	for _, tc := range []struct{ name, answer, want string }{
		{"the guide's answer", guide, record.StatusOK},
		{"the guide's CORRECTED answer", strings.Replace(strings.Replace(guide, `"provisionResult": 0`, `"provisionResult": 1`, 1), "VALID", "CORRECTED", 1), record.StatusOK},
		{"another number", strings.Replace(guide, `"tn": "3123488244"`, `"tn": "3123488245"`, 1), record.StatusInDoubt},
		{"no provisionResult", strings.Replace(guide, `"provisionResult": 0, `, "", 1), record.StatusInDoubt},
		{"provisionResult 2 under statusCode 200", strings.Replace(guide, `"provisionResult": 0`, `"provisionResult": 2`, 1), record.StatusInDoubt},
		{"an empty tnE911Response", `{"status": "Success", "statusCode": "200", "tnE911Response": {}}`, record.StatusInDoubt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Default().Lookup("e911")
			require.NoError(t, err)
			b := batchOf(t, job, row)
			var resp inteliquent.TnE911Response
			require.NoError(t, json.Unmarshal([]byte(tc.answer), &resp))
			o := outcomesOf(job.Read(b, &e911Answer{resp: &resp}))[1]
			assert.Equal(t, tc.want, o.Status, "%+v", o)
			assert.NotEmpty(t, o.Message)
		})
	}
}

// TestCustomerNotifyReadsTheList: customerE911Notification answers the
// customer's whole list (guide lines 4162–4178); a row is ok only when the
// list shows its change.
func TestCustomerNotifyReadsTheList(t *testing.T) {
	const guide = `{"statusCode": "200", "status": "Success", "customerNotification": {"emailList": {"emailItem": [
		{"email": " abc123@def.com "}, {"email": " abc234@def.com "}]}}}`
	for _, tc := range []struct {
		name, answer, remove string
		want                 []string
	}{
		{"add, the guide's answer", guide, "N", []string{"ok", "ok", "in-doubt"}},
		{"add, no list in the answer", `{"statusCode": "200", "status": "Success"}`, "N", []string{"in-doubt", "in-doubt", "in-doubt"}},
		{"remove, the guide's answer still lists two", guide, "Y", []string{"in-doubt", "in-doubt", "ok"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Default().Lookup("customer-e911-notify")
			require.NoError(t, err)
			b := batchOf(t, job, map[string]string{"email": "abc123@def.com", "remove": tc.remove},
				map[string]string{"email": "ABC234@def.com", "remove": tc.remove}, map[string]string{"email": "new@def.com", "remove": tc.remove})
			var resp inteliquent.CustomerE911NotificationResponse
			require.NoError(t, json.Unmarshal([]byte(tc.answer), &resp))
			got := outcomesOf(job.Read(b, &resp))
			for i, want := range tc.want {
				assert.Equal(t, want, got[i+1].Status, "row %d: %+v", i+1, got[i+1])
			}
		})
	}
}
