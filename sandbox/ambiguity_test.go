package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// post sends a Services operation and returns the HTTP status, the
// Retry-After header and the raw body.
func (h *harness) post(op string, body map[string]any) (int, http.Header, []byte) {
	h.t.Helper()
	if _, ok := body["privateKey"]; !ok {
		body["privateKey"] = DemoKey
	}
	b, err := json.Marshal(body)
	require.NoError(h.t, err)
	req, err := http.NewRequest(http.MethodPost, h.ts.URL+"/Services/1.0.0/"+op, bytes.NewReader(b))
	require.NoError(h.t, err)
	req.Header.Set("Authorization", "Bearer "+h.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return resp.StatusCode, resp.Header, data
}

func TestParseFaultsAmbiguity(t *testing.T) {
	tests := []struct {
		spec    string
		want    Faults
		wantErr bool
	}{
		{"applied-error=0.05,lag=2s", Faults{AppliedError: 0.05, Lag: 2 * time.Second}, false},
		{"error=0.02,lost=0.02,applied-error=0.05,lag=2s", Faults{Error: 0.02, Lost: 0.02, AppliedError: 0.05, Lag: 2 * time.Second}, false},
		{"mdr-cap=200000", Faults{MDRCap: 200000}, false},
		{"feature-fail=0.1", Faults{FeatureFail: 0.1}, false},
		{"feature-fail=2", Faults{}, true},
		{"mdr-cap=-1", Faults{}, true},
		{"applied-error=1.5", Faults{}, true},
		{"error=0.5,lost=0.3,applied-error=0.3", Faults{}, true},
		{"lag=-1s", Faults{}, true},
		{"lag=soon", Faults{}, true},
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

// TestFaultAppliedError: the change is made, the answer says it failed,
// in each of the ways a real API's gateway or back end does.
func TestFaultAppliedError(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{AppliedError: 1, Seed: 11}})
	tns := h.srv.AvailableTNs(60)
	seen := map[string]int{}
	for i := 0; i < 30; i++ {
		batch := tns[2*i : 2*i+2]
		status, _, body := h.post("tnOrder", orderBody("ae-"+batch[0], batch, nil))
		a := h.srv.Audit()
		e := a[len(a)-1]
		require.True(t, e.Applied, "applied before the error answer")
		assert.True(t, e.Processed)
		assert.Equal(t, FaultAppliedError, e.Fault)
		assert.ElementsMatch(t, batch, e.AppliedNumbers)
		assert.Equal(t, "200", e.StatusCode, "the audit keeps the operation's own answer")
		assert.Equal(t, status, e.HTTPStatus)
		seen[e.FaultAnswer]++
		switch e.FaultAnswer {
		case AnswerHTTP500Empty:
			assert.Equal(t, http.StatusInternalServerError, status)
			assert.Empty(t, body)
		case AnswerHTTP500HTML:
			assert.Equal(t, http.StatusInternalServerError, status)
			assert.Contains(t, string(body), "<html>")
		case AnswerHTTP502HTML:
			assert.Equal(t, http.StatusBadGateway, status)
			assert.Contains(t, string(body), "502 Bad Gateway")
		case AnswerBody500, AnswerBody462:
			assert.Equal(t, http.StatusOK, status)
			var out map[string]any
			require.NoError(t, json.Unmarshal(body, &out))
			want := map[string]string{AnswerBody500: "500", AnswerBody462: "462"}[e.FaultAnswer]
			assert.Equal(t, want, out["statusCode"])
			assert.NotContains(t, out, "orderId")
		default:
			t.Fatalf("unknown fault answer %q", e.FaultAnswer)
		}
	}
	assert.Len(t, seen, len(appliedErrorAnswers), "every kind of answer occurs: %v", seen)

	// reads are never answered as failures, and show the applied orders
	st := assignedStatusOf(h, tns)
	assert.Len(t, st, 60, "every number was applied")

	// a request the operation refuses is answered normally, not applied
	status, _, body := h.post("tnOrder", orderBody("ae-again", tns[:2], nil))
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(body), "TN is already assigned to this customer")
	a := h.srv.Audit()
	e := a[len(a)-1]
	assert.Empty(t, e.Fault)
	assert.Empty(t, e.AppliedNumbers)
	assert.True(t, e.Applied, "a 200 with every number excluded is journaled but changes nothing")
}

func TestFaultAppliedErrorIsDeterministic(t *testing.T) {
	run := func() []string {
		h := newHarness(t, Options{Faults: Faults{AppliedError: 0.5, Seed: 4}})
		tns := h.srv.AvailableTNs(20)
		var out []string
		for i := 0; i < 10; i++ {
			h.post("tnOrder", orderBody("d", tns[2*i:2*i+2], nil))
		}
		for _, e := range h.srv.Audit() {
			out = append(out, e.Fault+"/"+e.FaultAnswer)
		}
		return out
	}
	first := run()
	assert.Equal(t, first, run())
	assert.Contains(t, first, "/", "some requests answered normally")
}

// TestFaultLag: an order and its numbers become visible to reads only Lag
// after it was placed; the state itself is there at once.
func TestFaultLag(t *testing.T) {
	for _, persist := range []bool{false, true} {
		t.Run(map[bool]string{false: "memory", true: "state dir"}[persist], func(t *testing.T) {
			opts := Options{Faults: Faults{Lag: 10 * time.Second}}
			if persist {
				opts.StateDir = t.TempDir()
			}
			h := newHarness(t, opts)
			tns := h.srv.AvailableTNs(4)
			feat := map[string]any{"tnFeature": map[string]any{"callerId": map[string]any{"callingName": "ACME"}}}
			out := h.call("tnOrder", orderBody("lag-1", tns[:2], feat))
			require.Equal(t, "200", code(out))
			id := out["orderId"]
			require.NotEqual(t, "null", id)
			out = h.call("tnOrder", orderBody("lag-2", tns[2:], nil)) // synchronous
			require.Equal(t, "Success", out["status"])

			invisible := func() {
				t.Helper()
				assert.Equal(t, "430", code(h.call("orderDetail", map[string]any{"orderId": id})))
				assert.Equal(t, "430", code(h.call("orderList", map[string]any{"customerOrderReference": "lag-1"})))
				assert.Empty(t, assignedStatusOf(h, tns), "tnAssignedList")
				d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": []any{map[string]any{"tnMask": tns[3]}}}})
				assert.NotContains(t, mustJSON(t, d), `"In Service"`, "tnDetail")
			}
			invisible()

			// the state is there: ordering the numbers again is refused
			again := h.call("tnOrder", orderBody("lag-3", tns, nil))
			assert.Contains(t, again["status"], tns[0]+" TN is on an existing order")
			assert.Contains(t, again["status"], tns[3]+" TN is already assigned to this customer")

			h.clock.Advance(9 * time.Second)
			invisible()

			h.clock.Advance(time.Second)
			assert.Equal(t, "200", code(h.call("orderDetail", map[string]any{"orderId": id})))
			ol := h.call("orderList", map[string]any{"customerOrderReference": "lag-1"})
			assert.Len(t, list(ol, "orderList", "orderType"), 1)
			assert.Len(t, assignedStatusOf(h, tns), 4)

			// turning the lag off shows everything at once
			h.srv.SetFaults(Faults{})
			assert.Len(t, assignedStatusOf(h, tns), 4)
		})
	}
}

// TestFaultLagAfterRestart: a view built from the journal lags the
// changes of an earlier process by their own times.
func TestFaultLagAfterRestart(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	srv, err := New(Options{StateDir: dir, WorldSize: 200_000, Now: clock.Now})
	require.NoError(t, err)
	h := &harness{t: t, srv: srv, clock: clock}
	h.ts = newTestServer(t, srv)
	h.token = h.fetchToken(DemoKey, DemoSecret)
	tns := srv.AvailableTNs(2)
	require.Equal(t, "Success", h.call("tnOrder", orderBody("r", tns, nil))["status"])
	h.ts.Close()
	require.NoError(t, srv.Close())

	srv, err = New(Options{StateDir: dir, WorldSize: 200_000, Now: clock.Now, Faults: Faults{Lag: time.Minute}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	h = &harness{t: t, srv: srv, clock: clock}
	h.ts = newTestServer(t, srv)
	h.token = h.fetchToken(DemoKey, DemoSecret)
	assert.Empty(t, assignedStatusOf(h, tns), "placed less than a minute ago")
	clock.Advance(time.Minute)
	assert.Len(t, assignedStatusOf(h, tns), 2)
}

// TestRateLimitRetryAfter: the throttle answers HTTP 429 with Retry-After
// in whole seconds and the guide's try-again body.
func TestRateLimitRetryAfter(t *testing.T) {
	tests := []struct {
		rate float64
		want string
	}{
		{2, "1"},
		{0.25, "4"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			h := newHarness(t, Options{WorldSize: 1000, Rate: tc.rate})
			burst := int(max(1, tc.rate+0.999))
			for i := 0; i < burst; i++ {
				status, hdr, _ := h.post("tnAssignedList", map[string]any{})
				require.Equal(t, http.StatusOK, status)
				assert.Empty(t, hdr.Get("Retry-After"))
			}
			status, hdr, body := h.post("tnOrder", orderBody("rl", h.srv.AvailableTNs(1), nil))
			assert.Equal(t, http.StatusTooManyRequests, status)
			assert.Equal(t, tc.want, hdr.Get("Retry-After"))
			assert.Contains(t, string(body), `"statusCode":"431"`)
			a := h.srv.Audit()
			require.Len(t, a, 1)
			assert.False(t, a[0].Processed)
			assert.False(t, a[0].Applied)
			assert.Equal(t, http.StatusTooManyRequests, a[0].HTTPStatus)
		})
	}
}

// TestAuditAppliedNumbers: the audit names the numbers each request changed.
func TestAuditAppliedNumbers(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(140)
	h.call("tnOrder", orderBody("a1", tns[:3], nil))
	h.call("tnOrder", orderBody("a2", append([]string{tns[0]}, tns[3:5]...), nil)) // tns[0] excluded
	h.call("tnOrder", orderBody("a3", append([]string{tns[1]}, tns[5:140]...), nil))
	h.call("tnReserve", map[string]any{"tnReserve": map[string]any{"tnList": tnItems([]string{tns[2]}, nil)}})
	a := h.srv.Audit()
	require.Len(t, a, 4)
	assert.Equal(t, tns[:3], a[0].AppliedNumbers)
	assert.Equal(t, tns[3:5], a[1].AppliedNumbers)
	assert.Equal(t, tns[5:140], a[2].AppliedNumbers, "a background-validated order: its valid numbers")
	assert.Empty(t, a[3].AppliedNumbers, "an assigned number cannot be reserved")
	for _, e := range a {
		assert.True(t, e.Processed)
		assert.Equal(t, http.StatusOK, e.HTTPStatus)
	}
}

// TestResentAfterApplied is the duplicate check that can fail: the second
// tnOrder of a number is refused by the sandbox, so AppliedTwice cannot
// see it, but ResentAfterApplied does.
func TestResentAfterApplied(t *testing.T) {
	h := newHarness(t, Options{})
	tns := h.srv.AvailableTNs(4)
	h.call("tnOrder", orderBody("x1", tns[:2], nil))
	h.call("tnOrder", orderBody("x2", tns[1:3], nil)) // tns[1] sent again
	a := h.srv.Audit()
	assert.Empty(t, AppliedTwice(a, "tnOrder"), "the sandbox refused the second order")
	assert.Equal(t, map[string]int{tns[1]: 1}, ResentAfterApplied(a, "tnOrder"))

	// a request refused before it was processed (throttle, injected
	// error) proves nothing was applied: sending it again is fine
	h.srv.SetFaults(Faults{Error: 1})
	h.raw("/Services/1.0.0/tnOrder", "Bearer "+h.token, mustMarshal(t, map[string]any{"privateKey": DemoKey, "tnOrder": map[string]any{"tnList": tnItems(tns[3:], nil)}}))
	h.srv.SetFaults(Faults{})
	h.call("tnOrder", orderBody("x3", tns[3:], nil))
	assert.Equal(t, map[string]int{tns[1]: 1}, ResentAfterApplied(h.srv.Audit(), "tnOrder"))
}

func TestAuditHelpers(t *testing.T) {
	e := func(op string, processed bool, named, applied []string) AuditEntry {
		return AuditEntry{Op: op, Processed: processed, Applied: len(applied) > 0, Numbers: named, AppliedNumbers: applied}
	}
	tests := []struct {
		name    string
		entries []AuditEntry
		twice   map[string]int
		resent  map[string]int
	}{
		{"nothing twice", []AuditEntry{
			e("tnOrder", true, []string{"3125550001"}, []string{"3125550001"}),
			e("tnOrder", true, []string{"3125550002"}, []string{"3125550002"}),
		}, map[string]int{}, map[string]int{}},
		{"applied twice", []AuditEntry{
			e("tnOrder", true, []string{"3125550001"}, []string{"3125550001"}),
			e("tnDisconnect", true, []string{"3125550001"}, []string{"3125550001"}),
			e("tnOrder", true, []string{"+13125550001"}, []string{"3125550001"}),
		}, map[string]int{"3125550001": 2}, map[string]int{"3125550001": 1}},
		{"resent but refused", []AuditEntry{
			e("tnOrder", true, []string{"3125550001"}, []string{"3125550001"}),
			e("tnOrder", true, []string{"13125550001"}, nil),
			e("tnOrder", true, []string{"3125550001", "3125550001"}, nil),
		}, map[string]int{}, map[string]int{"3125550001": 2}},
		{"not processed is not a resend", []AuditEntry{
			e("tnOrder", true, []string{"3125550001"}, []string{"3125550001"}),
			e("tnOrder", false, []string{"3125550001"}, nil),
		}, map[string]int{}, map[string]int{}},
		{"excluded then sent again", []AuditEntry{
			e("tnOrder", true, []string{"3125550001", "3125550002"}, []string{"3125550002"}),
			e("tnOrder", true, []string{"3125550001"}, []string{"3125550001"}),
		}, map[string]int{}, map[string]int{}},
		{"other operations are ignored", []AuditEntry{
			e("tnOrder", true, []string{"3125550001"}, []string{"3125550001"}),
			e("tnNoteUpdate", true, []string{"3125550001"}, []string{"3125550001"}),
		}, map[string]int{}, map[string]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.twice, AppliedTwice(tc.entries, "tnOrder"))
			assert.Equal(t, tc.resent, ResentAfterApplied(tc.entries, "tnOrder"))
		})
	}
}

func mustJSON(t testing.TB, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func mustMarshal(t testing.TB, v any) []byte { return []byte(mustJSON(t, v)) }

func newTestServer(t testing.TB, srv *Server) *httptest.Server {
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// TestFaultLagOtherReads: the lag covers tfDetail and portInOrderList
// (reads that reconciliation of tf-order and port-in uses) too.
func TestFaultLagOtherReads(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{Lag: 5 * time.Second}})
	spare := h.srv.TollFreeTNs("spare", 1)
	out := h.call("tfOrder", tfOrderBody("8XXAVAIL", "lag-tf", spare, map[string]any{"routingLabel": "NTNYC-690-8XX-124"}))
	require.Equal(t, "Success", out["status"])
	port := h.srv.PortableTNs(1)
	due := h.clock.Now().AddDate(0, 0, 5).UTC().Format(time.DateOnly)
	po := h.call("portInOrder", portBody("lag-pi", due, "N", portReqItem(port[0], "33124")))
	require.Equal(t, "200", code(po))

	tfDetail := func() map[string]any {
		return h.call("tfDetail", map[string]any{"tfSearchList": map[string]any{"tfSearchItem": []any{map[string]any{"tnMask": spare[0]}}}})
	}
	portList := func() map[string]any {
		return h.call("portInOrderList", map[string]any{"customerOrderReference": "lag-pi"})
	}
	assert.Empty(t, list(tfDetail(), "tfList", "tfItem"), "tfDetail inside the window")
	assert.Equal(t, "430", code(portList()), "portInOrderList inside the window")
	h.clock.Advance(5 * time.Second)
	assert.Len(t, list(tfDetail(), "tfList", "tfItem"), 1)
	assert.Len(t, list(portList(), "orderList", "orderType"), 1)
}
