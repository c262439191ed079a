package inteliquent

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkTnOrderRoundTrip measures one 100-number tnOrder through do()
// (encode, privateKey injection, auth, send, decode) against a loopback server.
func BenchmarkTnOrderRoundTrip(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"status":"{2=[6123453624 TN is on an existing order]}","statusCode":"200","orderId":"null"}`)
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL + "/Services/1.0.0", Key: "k", Secret: "s", Auth: AuthBasic})
	if err != nil {
		b.Fatal(err)
	}
	req := &TnOrderRequest{}
	for i := range 100 {
		req.TnOrder.TnList.TnItem = append(req.TnOrder.TnList.TnItem, TnOrderItem{TN: TN(fmt.Sprintf("61234536%02d", i)), TrunkGroup: "CHCGIL24CL1_897"})
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.TnOrder(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeTnDetailPage measures decoding a 10,000-item scroll page.
func BenchmarkDecodeTnDetailPage(b *testing.B) {
	item := `{"tn": 2012151499, "trunkGroup": "ATLNGAQS08T_266", "endUser": {}, "tnFeature": {"callerId": {"cnamDip": "N"}}, "lata": "224", "rateCenter": "BAYONNE", "province": "NJ", "tnStatus": "In Service", "rateCenterTier": "Tier 0", "countryCode": "1", "tnSource": "NATIVE", "activateDate": "2017-03-29T14:00:46.000Z", "wireless": "Y"}`
	body := []byte(`{"statusCode":"200","status":"Success","tnList":{"tnItem":[` + item)
	for range 9999 {
		body = append(body, ',')
		body = append(body, item...)
	}
	body = append(body, `]},"page":"1","totalPages":"9","totalItems":"90000","searchId":"S"}`...)
	c := &Client{}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var r TnDetailResponse
		if out := c.classify(ops[OpTnDetail], 200, nil, 0, body, &r, ""); out.err != nil || len(r.TnList.TnItem) != 10000 {
			b.Fatal(out.err)
		}
	}
}

// BenchmarkDecodeTnDetailSnapshot measures decoding the answer of the undo
// snapshot read that precedes every 100-number batch (the sandbox's
// shape: every member present, the four feature objects, a note).
func BenchmarkDecodeTnDetailSnapshot(b *testing.B) {
	body := []byte(`{"page":"1","searchId":"RG5GMWVYaz06dG5EZXRhaWw6MTox","status":"Success","statusCode":"200","tnList":{"tnItem":[`)
	for i := range 100 {
		if i > 0 {
			body = append(body, ',')
		}
		body = fmt.Appendf(body, `{"activateDate":"2026-03-02T15:00:00.000Z","activateUser":"api_user","countryCode":"1","endUser":{},"lata":"224","locName":"ORADELL","portOutPin":"","province":"NJ","rateCenter":"ORADELL","rateCenterTier":"Tier 0","tn":20126701%02d,"tnFeature":{"callerId":{"cnamDip":"N"},"directoryListing":{},"e911":{},"messaging":{}},"tnNote":"rerun 12345","tnSource":"NATIVE","tnStatus":"In Service","trunkGroup":"TG_CHICAGO_01","wireless":"Y"}`, i)
	}
	body = append(body, `]},"totalItems":"100","totalPages":"1"}`...)
	c := &Client{}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var r TnDetailResponse
		if out := c.classify(ops[OpTnDetail], 200, nil, 0, body, &r, ""); out.err != nil || len(r.TnList.TnItem) != 100 {
			b.Fatal(out.err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100/1000, "µs/number")
}
