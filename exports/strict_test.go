package exports_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/exports"
	"github.com/iqbulk/iqbulk/inteliquent"
)

// The guide's own answers, made valid JSON (the guide breaks the searchId
// over three lines and leaves trailing commas).
const (
	// tnInventory, guide lines 1095–1120: "page": "1", "totalPages": "117"
	// — and a hostile API gives it for every page.
	guideInventoryPage = `{"statusCode": "200", "status": "Success", "tnResult": [
	{"telephoneNumber": "3184074100", "rateCenter": "COLFAX", "rateCenterName": "COLFAX", "city": "COLFAX", "lata": "486", "province": "LA", "rateCenterTier": "Tier 0", "cnamAllowed": "Y", "dlAllowed": "Y", "e911Allowed": "Y", "msgAllowed": "Y", "countryCode": "1", "portOutPinSupported": "Y", "portOutNotificationSupported": "Y", "smsOverrideAllowed": "Y", "mmsAllowed": "Y", "mmsOverrideAllowed": "Y"},
	{"telephoneNumber": "3184074109", "rateCenter": "COLFAX", "city": "COLFAX", "lata": "486", "province": "LA", "rateCenterTier": "Tier 0", "cnamAllowed": "Y", "dlAllowed": "Y", "e911Allowed": "Y", "msgAllowed": "Y", "countryCode": "1", "portOutPinSupported": "Y", "portOutNotificationSupported": "Y", "smsOverrideAllowed": "Y", "mmsAllowed": "Y", "mmsOverrideAllowed": "Y"}],
	"page": "1", "totalPages": "117", "totalItems": "233",
	"searchId": "DnF1ZXJ5VAABYdYFk5ZGWXBpcVEAAACYTOWFiMGdiR1EweV92X2FYs3R1U1NnAAAAAACuC0wVjNESnZxZ1JSNjJROGczbUZZcGlxUQ"}`
	// tfDetail, guide lines 7947–7992: one number, "page": "1",
	// "totalPages": "7676" — for every page.
	guideTfDetailPage = `{"statusCode": "200", "status": "Success", "tfList": {"tfItem": [{
	"tn": 8002012311, "routingLabel": "NTCHI-1050-8XX-950", "tnStatusName": "In Service", "tnStatusRef": "INSVC",
	"respOrgName": "Example RespOrg Co.", "respOrgPrefix": "ABC01", "activateDisplayName": "User, You",
	"activateDate": "2016-07-29T13:48:13.000Z", "cic": "0913,5102", "cicCompanyName": "Inteliquent, Level 3", "tnNote": "Sample Note",
	"tnFeature": {"callerId": {"callingName": "Harry Fuzz", "cnamDip": "N"}, "messaging": {"messageClass": "P2P", "messageType": "SMS"}}}]},
	"page": "1", "totalPages": "7676", "totalItems": "7676", "searchId": "DnF1ZXJ5VAABYdYFk5ZGWBpcVEAAACYTOWFiMGdiR1EweV92X2FYS3R1U1NnAAAAAACuC0WVjNESnZxZlJSNjJR0Gcz"}`
)

// hostileAPI answers every call to an operation with answer(n), n the
// 1-based count of calls to it; 430 for other operations.
func hostileAPI(t *testing.T, answers map[string]func(n int) string) (*inteliquent.Client, func(op string) int) {
	t.Helper()
	var mu sync.Mutex
	calls := map[string]int{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := path.Base(r.URL.Path)
		mu.Lock()
		calls[op]++
		n := calls[op]
		mu.Unlock()
		body := `{"status": "No results found", "statusCode": "430"}`
		if f, ok := answers[op]; ok {
			body = f(n)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	api, err := inteliquent.New(inteliquent.Config{BaseURL: ts.URL + "/Services/1.0.0", Key: "k", Secret: "s",
		Auth: inteliquent.AuthBasic, Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
	require.NoError(t, err)
	return api, func(op string) int { mu.Lock(); defer mu.Unlock(); return calls[op] }
}

func always(s string) func(int) string { return func(int) string { return s } }

// TestExportsReadPagesStrictly: a listing whose pages never advance, that
// repeats the previous page or whose rows never reach its totalPages ends
// with a clear error (ErrNoProgress), after a bounded number of requests,
// with no row written twice and a checkpoint that --resume continues —
// never an endless loop (issue 13: export inventory ran forever on the
// guide's own answer; tf-assigned wrote 2,383 identical rows).
func TestExportsReadPagesStrictly(t *testing.T) {
	tfPage := func(tn string) string { return strings.Replace(guideTfDetailPage, "8002012311", tn, 1) }
	for _, tc := range []struct {
		name, kind, op string
		answer         func(n int) string
		pageSize       int
		wantRows       []string // first column of the rows written
		wantErr        string
		maxCalls       int
	}{
		{"inventory: the guide's page 1 of 117, every time", "inventory", inteliquent.OpTnInventory,
			always(guideInventoryPage), 0, []string{"3184074100", "3184074109"}, "page 1 of 117", 10},
		{"inventory: an empty page before totalPages", "inventory", inteliquent.OpTnInventory, func(n int) string {
			if n == 1 {
				return guideInventoryPage
			}
			return `{"statusCode": "200", "status": "Success", "tnResult": [], "page": "2", "totalPages": "117", "searchId": "abc"}`
		}, 0, []string{"3184074100", "3184074109"}, "never reach totalPages", 10},
		{"tf-assigned: the guide's page 1 of 7676, every time", "tf-assigned", inteliquent.OpTfDetail,
			always(guideTfDetailPage), 1, []string{"8002012311"}, "page 2 repeats page 1", 4},
		{"tf-assigned: page 3 repeats page 2", "tf-assigned", inteliquent.OpTfDetail, func(n int) string {
			if n == 1 {
				return tfPage("8002012310")
			}
			return guideTfDetailPage
		}, 1, []string{"8002012310", "8002012311"}, "page 3 repeats page 2", 5},
		{"tf-assigned: an empty page before totalPages", "tf-assigned", inteliquent.OpTfDetail, func(n int) string {
			if n == 1 {
				return guideTfDetailPage
			}
			return `{"statusCode": "200", "status": "Success", "tfList": {"tfItem": []}, "page": "2", "totalPages": "7676"}`
		}, 1, []string{"8002012311"}, "page 2 of 7676 is empty", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api, calls := hostileAPI(t, map[string]func(int) string{tc.op: tc.answer})
			out := filepath.Join(t.TempDir(), "out.csv")
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // a safety net, not a measure
			defer cancel()
			_, err := exports.Run(ctx, api, exports.Default(), exports.Options{Kind: tc.kind, Out: out, PageSize: tc.pageSize})
			require.Error(t, err)
			require.NoError(t, ctx.Err(), "the export must end by itself")
			assert.ErrorIs(t, err, exports.ErrNoProgress)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.Contains(t, err.Error(), "resumable with --resume")
			assert.LessOrEqual(t, calls(tc.op), tc.maxCalls, "bounded restarts")

			f, ferr := os.Open(out + exports.PartialSuffix)
			require.NoError(t, ferr, "the partial file stays for --resume")
			defer f.Close()
			recs, rerr := csv.NewReader(f).ReadAll()
			require.NoError(t, rerr)
			var got []string
			for _, r := range recs[1:] {
				got = append(got, r[0])
			}
			assert.Equal(t, tc.wantRows, got, "no row written twice")
			_, serr := os.Stat(out + exports.StateSuffix)
			assert.NoError(t, serr, "a checkpoint for --resume")
		})
	}
}
