package sandbox

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzTollFreeRequests: any body decoded into the toll-free request shapes
// is answered (never a panic), and an applied request replays to the same
// answer from the same state.
func FuzzTollFreeRequests(f *testing.F) {
	f.Add("tfOrder", `{"productAbbr":"8XX","tfOrder":{"tnList":{"tnItem":[{"tn":8885550100,"resporgId":"IQB01","routingLabel":"NTNYC-690-8XX-123","cicList":{"cic":["0913"]}}]}}}`)
	f.Add("tfOrder", `{"productAbbr":"8XXAVAIL","tfOrder":{"tnList":{"tnItem":[{"tn":"8446000100","routingLabel":"Chicago primary","tnFeature":{"callerId":{"callingName":"X1"}}}]}}}`)
	f.Add("tfUpdate", `{"tnList":{"tnItem":[{"tn":8553489654,"routingLabel":"NTNYC-690-8XX-124"}]}}`)
	f.Add("tfForward", `{"tfForward":{"tnList":{"tnItem":[{"tn":"8553489654","forwardTo":"3123752629"}]}}}`)
	f.Add("tfFeatureOrder", `{"tfFeatureOrder":{"tnList":{"tnItem":[{"tn":8553489654,"tnFeature":{"e911":{"removeTnFeature":"Y"}}}]}}}`)
	f.Add("orderAddDocument", `{"orderId":2000001,"documentName":"LOA","fileContent":"QUJD"}`)
	f.Fuzz(func(t *testing.T, op, body string) {
		mo, ok := mutOps[op]
		if !ok {
			return
		}
		now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
		run := func() (string, bool) {
			st := newState(newWorld(1, 1000))
			req := mo.newReq()
			if err := json.Unmarshal([]byte(body), req); err != nil {
				return "", false
			}
			b, err := json.Marshal(mo.apply(st, now, req, 0))
			if err != nil {
				t.Fatalf("%s: answer does not marshal: %v", op, err)
			}
			return string(b), true
		}
		a, ok := run()
		if !ok {
			return
		}
		if b, _ := run(); a != b {
			t.Fatalf("%s not deterministic:\n%s\n%s", op, a, b)
		}
	})
}
