package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec    string
		want    Faults
		wantErr bool
	}{
		{"", Faults{}, false},
		{"error=0.02,lost=0.01,latency=5ms,rate=50", Faults{Error: 0.02, Lost: 0.01, Latency: 5 * time.Millisecond, Rate: 50}, false},
		{" spike=0.05:50ms , seed=7", Faults{SpikeRate: 0.05, Spike: 50 * time.Millisecond, Seed: 7}, false},
		{"error=2", Faults{}, true},
		{"error=0.7,lost=0.5", Faults{}, true},
		{"latency=fast", Faults{}, true},
		{"spike=0.1", Faults{}, true},
		{"rate=-1", Faults{}, true},
		{"bogus=1", Faults{}, true},
		{"error", Faults{}, true},
		{"error=NaN", Faults{}, true},
		{"rate=NaN", Faults{}, true},
		{"rate=+Inf", Faults{}, true},
		{"lost-nth=portInOrderActivate:2", Faults{LostOp: "portInOrderActivate", LostNth: 2}, false},
		{"lost-nth=tnForward", Faults{}, true},
		{"lost-nth=tnForward:0", Faults{}, true},
		{"lost-nth=:1", Faults{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			got, err := ParseFaults(tc.spec)
			if tc.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			again, err := ParseFaults(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again, "String round-trips")
		})
	}
}

func TestFaultErrorIsNotApplied(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Error: 1}})
	tns := h.srv.AvailableTNs(2)
	body, _ := json.Marshal(map[string]any{"privateKey": DemoKey, "tnOrder": map[string]any{"customerOrderReference": "f", "tnList": tnItems(tns, nil)}})
	codes := map[string]int{}
	for i := 0; i < 8; i++ {
		status, out := h.raw("/Services/1.0.0/tnOrder", "Bearer "+h.token, body)
		if status == http.StatusInternalServerError {
			codes["http500"]++
		} else {
			require.Equal(t, "431", code(out))
			assert.Equal(t, "Unable to complete the request at the moment, please try again", out["status"])
			codes["431"]++
		}
	}
	assert.Positive(t, codes["http500"])
	assert.Positive(t, codes["431"])
	// the token endpoint is never faulted
	assert.NotEmpty(t, h.fetchToken(DemoKey, DemoSecret))
	h.srv.SetFaults(Faults{})
	assert.Empty(t, assignedStatusOf(h, tns))
	for _, e := range h.srv.Audit() {
		assert.False(t, e.Applied)
		assert.Equal(t, "error", e.Fault)
	}
	assert.Len(t, h.srv.Audit(), 8)
}

func assignedStatusOf(h *harness, tns []string) map[string]string {
	all := assignedStatus(h)
	out := map[string]string{}
	for _, tn := range tns {
		if s, ok := all[tn]; ok {
			out[tn] = s
		}
	}
	return out
}

func TestFaultLostIsAppliedWithoutAnswer(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Lost: 1}})
	tns := h.srv.AvailableTNs(2)
	body, _ := json.Marshal(map[string]any{"privateKey": DemoKey, "tnOrder": map[string]any{"customerOrderReference": "lost-1", "tnList": tnItems(tns, nil)}})
	req, err := http.NewRequest(http.MethodPost, h.ts.URL+"/Services/1.0.0/tnOrder", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+h.token)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "the connection is dropped")
	h.srv.SetFaults(Faults{})
	st := assignedStatusOf(h, tns)
	assert.Equal(t, map[string]string{tns[0]: "In Service", tns[1]: "In Service"}, st)
	a := h.srv.Audit()
	require.Len(t, a, 1)
	assert.True(t, a[0].Applied)
	assert.Equal(t, "lost", a[0].Fault)
	assert.Equal(t, "lost-1", a[0].CustomerOrderReference)
}

// lost-nth loses exactly the answer of the nth request of its operation.
func TestFaultLostNth(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{LostOp: "tnOrder", LostNth: 2}})
	tns := h.srv.AvailableTNs(3)
	for i, tn := range tns {
		body, _ := json.Marshal(map[string]any{"privateKey": DemoKey, "tnOrder": map[string]any{"customerOrderReference": fmt.Sprintf("nth-%d", i), "tnList": tnItems([]string{tn}, nil)}})
		req, err := http.NewRequest(http.MethodPost, h.ts.URL+"/Services/1.0.0/tnOrder", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+h.token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		if i == 1 {
			require.Error(t, err, "the second answer is lost")
		} else {
			require.NoError(t, err, "request %d", i+1)
		}
	}
	a := h.srv.Audit()
	require.Len(t, a, 3)
	for i, e := range a {
		assert.True(t, e.Applied, "request %d applied", i+1)
		assert.Equal(t, map[bool]string{true: "lost", false: ""}[i == 1], e.Fault, "request %d", i+1)
	}
}

func TestFaultLatency(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000, Faults: Faults{Latency: 30 * time.Millisecond}})
	start := time.Now()
	h.call("tnAssignedList", nil)
	// a lower bound only: never an upper bound on a shared machine
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
}

func TestRateLimit(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000, Rate: 2})
	codes := []string{}
	for i := 0; i < 3; i++ {
		b, _ := json.Marshal(map[string]any{"privateKey": DemoKey})
		status, out := h.raw("/Services/1.0.0/tnAssignedList", "Bearer "+h.token, b)
		codes = append(codes, fmt.Sprint(status, "/", code(out)))
	}
	assert.Equal(t, []string{"200/200", "200/200", "429/431"}, codes)
	b, _ := json.Marshal(map[string]any{"privateKey": DemoKey, "tnReserve": map[string]any{"tnList": tnItems(h.srv.AvailableTNs(1), nil)}})
	status, out := h.raw("/Services/1.0.0/tnReserve", "Bearer "+h.token, b)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "Unable to complete the request at the moment, please try again", out["status"])
	a := h.srv.Audit()
	require.Len(t, a, 1)
	assert.False(t, a[0].Applied)
	assert.Equal(t, "431", a[0].StatusCode)
	h.clock.Advance(time.Second)
	assert.Equal(t, "200", code(h.call("tnAssignedList", nil)))
	// faults' rate overrides Options.Rate
	h.srv.SetFaults(Faults{Rate: 1000})
	for i := 0; i < 5; i++ {
		assert.Equal(t, "200", code(h.call("tnAssignedList", nil)))
	}
}

// TestNoNumberOrderedTwice is the property the audit exists for: over a
// mixed run, no number is activated by two applied requests.
func TestNoNumberOrderedTwice(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Error: 0.2, Seed: 3}})
	tns := h.srv.AvailableTNs(300)
	for i := 0; i < 30; i++ {
		batch := tns[(i%20)*15 : (i%20)*15+15] // batches repeat: retries
		b, _ := json.Marshal(map[string]any{"privateKey": DemoKey, "tnOrder": map[string]any{"tnList": tnItems(batch, nil)}})
		h.raw("/Services/1.0.0/tnOrder", "Bearer "+h.token, b)
	}
	owner := map[string]int{}
	for i, e := range h.srv.Audit() {
		if !e.Applied {
			continue
		}
		excluded := map[string]bool{}
		for _, ex := range parseStatusForTest(e.Status) {
			excluded[ex] = true
		}
		for _, tn := range e.Numbers {
			if excluded[tn] {
				continue
			}
			_, dup := owner[tn]
			assert.False(t, dup, "number %s activated twice", tn)
			owner[tn] = i
		}
	}
	assert.NotEmpty(t, owner)
}

// parseStatusForTest pulls the numbers out of "{2=[tn reason, tn reason]}".
func parseStatusForTest(s string) []string {
	var out []string
	if len(s) < 5 || s[0] != '{' {
		return nil
	}
	body := s[4 : len(s)-2]
	for _, part := range bytes.Split([]byte(body), []byte(", ")) {
		if i := bytes.IndexByte(part, ' '); i > 0 {
			out = append(out, string(part[:i]))
		}
	}
	return out
}
