package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func FuzzParseFaults(f *testing.F) {
	for _, s := range []string{"", "error=0.02,lost=0.01,latency=5ms,rate=50", "spike=0.05:50ms", "error=1,lost=0", "seed=-3", "=,", "spike=:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		got, err := ParseFaults(spec)
		if err != nil {
			return
		}
		if got.Error < 0 || got.Error > 1 || got.Lost < 0 || got.Lost > 1 || got.Error+got.Lost > 1 || got.Latency < 0 || got.Rate < 0 {
			t.Fatalf("accepted out-of-range faults %+v from %q", got, spec)
		}
		again, err := ParseFaults(got.String())
		if err != nil || again != got {
			t.Fatalf("String() does not round-trip: %q -> %+v -> %q -> %+v, %v", spec, got, got.String(), again, err)
		}
	})
}

func FuzzNumberPatterns(f *testing.F) {
	for _, s := range []string{"201335YZ*", "*Hello*", "312?Hi*7", "xxxxxxxxxx", "312xxx1x2x", "**??", "6123453622", "+16123453622"} {
		f.Add(s, uint64(2013359900))
	}
	f.Fuzz(func(t *testing.T, s string, tn uint64) {
		tn = 2000000000 + tn%8000000000
		if p, ok := parseWildcard(s); ok {
			_ = p.match(tn)
			_ = p.npanxx()
		}
		if p, ok := parseMask(s); ok {
			if p.match(tn) && !p.blockMatchesMask(uint32(tn/10000)) {
				t.Fatalf("mask %q matches %d but not its block", s, tn)
			}
		}
		if n, ok := parseTN(s); ok && (n < 2000000000 || n > 9999999999) {
			t.Fatalf("parseTN(%q) = %d", s, n)
		}
		var v tnValue
		_ = json.Unmarshal([]byte(s), &v)
	})
}

// FuzzServiceRequests feeds arbitrary bodies to the operations: answers
// are always JSON with a statusCode, never a panic.
func FuzzServiceRequests(f *testing.F) {
	srv, err := New(Options{WorldSize: 20_000, Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		f.Fatal(err)
	}
	tok := srv.mintToken(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	ops := []string{"tnInventory", "tnReserve", "tnRelease", "tnOrder", "tnUpdate", "tnFeatureOrder", "tnDisconnect", "tnDetail",
		"orderList", "orderDetail", "excludedTnList", "orderCancel", "orderAddNote", "portOutPinUpdate", "tnNoteUpdate", "tnInventoryCoverage"}
	seeds := []string{
		`{"privateKey":"` + DemoKey + `","tnMask":"xxxxxxxxxx","pageSort":{"size":"3","page":2}}`,
		`{"privateKey":"` + DemoKey + `","tnOrder":{"tnList":{"tnItem":[{"tn":2013359901},{"tn":"x"}]}}}`,
		`{"privateKey":"` + DemoKey + `","tnList":{"tnItem":[{"tn":3123489651,"trunkGroup":"TG_DALLAS_01"}]}}`,
		`{"privateKey":"` + DemoKey + `","tnSearchList":{"tnSearchItem":[{"tnMask":"xxxxxxxxxx","activateStartDateRange":"bad"}]}}`,
		`{"privateKey":"` + DemoKey + `","orderId":"2000001","orderNote":"n"}`,
		`{"privateKey":"` + DemoKey + `","tnFeatureOrder":{"tnList":{"tnItem":[{"tn":3124795862,"tnFeature":{"e911":{"origPostalCode":"00000"}}}]}}}`,
		`[1,2]`, `{"privateKey":null}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	f.Fuzz(func(t *testing.T, opIdx uint8, body string) {
		op := ops[int(opIdx)%len(ops)]
		req := httptest.NewRequest(http.MethodPost, "/Services/1.0.0/"+op, bytes.NewBufferString(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s answered non-JSON %q: %v", op, w.Body.String(), err)
		}
		if _, ok := out["statusCode"]; !ok {
			t.Fatalf("%s answer without statusCode: %s", op, w.Body.String())
		}
	})
}
