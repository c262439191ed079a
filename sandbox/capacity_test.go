package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// accountOf puts n numbers In Service on the account, 100 per tnOrder,
// through the handler, and advances the clock past their routing.
func accountOf(t testing.TB, h *harness, n int) []string {
	t.Helper()
	tns := h.srv.AvailableTNs(n + n/10 + 100)
	var ordered []string
	for off := 0; off < len(tns) && len(ordered) < n; off += 100 {
		batch := tns[off:min(off+100, len(tns))]
		out := h.call("tnOrder", orderBody(fmt.Sprintf("acct-%d", off), batch, nil))
		require.Equal(t, "200", code(out), "%v", out)
		excluded := map[string]bool{}
		for _, tn := range statusNumbers(fmt.Sprint(out["status"])) {
			excluded[tn] = true
		}
		for _, tn := range batch {
			if !excluded[tn] && len(ordered) < n {
				ordered = append(ordered, tn)
			}
		}
	}
	require.Len(t, ordered, n)
	h.clock.Advance(24 * time.Hour)
	h.token = h.fetchToken(DemoKey, DemoSecret)
	return ordered
}

// TestTnDetailNamedNumbersMatchScan: a tnDetail of named numbers (exact
// tnMasks, looked up directly) finds what a scan of the whole account
// finds, also with numbers off the account, a number named twice, other
// filters beside the mask and a wildcard mask in the same request.
func TestTnDetailNamedNumbersMatchScan(t *testing.T) {
	h := newHarness(t, Options{})
	tns := accountOf(t, h, 300)
	noted := tns[:50]
	out := h.call("tnNoteUpdate", map[string]any{"tnNote": map[string]any{"tnList": tnItems(noted, map[string]any{"tnNote": "kept"})}})
	require.Equal(t, "200", code(out), "%v", out)
	off := h.srv.AvailableTNs(5) // not on the account
	mask := func(tn string, extra ...string) map[string]any {
		m := map[string]any{"tnMask": tn}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	cases := map[string][]map[string]any{
		"named":              {mask(tns[7]), mask(tns[3]), mask(off[0]), mask(tns[3]), mask(tns[299]), mask("5555550100")},
		"named, filtered":    {mask(tns[0], "tnNote", "kept"), mask(tns[100], "tnNote", "kept"), mask(tns[1], "tnStatus", "INSVC")},
		"named and wildcard": {mask(tns[200]), mask(tns[10][:6]+"xxxx", "tnNote", "kept"), mask(off[1])},
	}
	for name, items := range cases {
		t.Run(name, func(t *testing.T) {
			var want []string
			h.srv.mu.Lock()
			now := h.srv.simNowLocked()
			raw := make([]fields, len(items))
			for i, it := range items {
				raw[i] = fields{}
				for k, v := range it {
					raw[i][k] = v.(string)
				}
			}
			filters, bad := compileDetail(raw)
			require.Nil(t, bad)
			for _, tn := range h.srv.st.assignedSorted(now) { // the scan
				if slices.ContainsFunc(filters, func(f detailFilter) bool { return h.srv.st.detailMatch(&f, tn, now) }) {
					want = append(want, tnString(tn))
				}
			}
			h.srv.mu.Unlock()
			require.NotEmpty(t, want)
			d := h.call("tnDetail", map[string]any{"tnSearchList": map[string]any{"tnSearchItem": items}})
			var got []string
			for _, it := range list(d, "tnList", "tnItem") {
				got = append(got, fmt.Sprintf("%.0f", dig(it, "tn").(float64)))
			}
			assert.Equal(t, want, got)
		})
	}
}

// BenchmarkServe measures the sandbox's own cost per request (the handler
// alone, no network, with a state directory: journal and audit written)
// for what iqbulk sends in bench/limit.sh, on an account of 100,000
// numbers: tnNoteUpdate and its snapshot read (tnDetail) of 100 numbers,
// and tnE911 and its tnDetail of one number. requests/s is its capacity
// on one core; numbers/s that times the numbers per request. The
// loopback/ cases send the same requests over HTTP.
func BenchmarkServe(b *testing.B) {
	h := newHarness(b, Options{StateDir: b.TempDir(), WorldSize: 1_000_000})
	tns := accountOf(b, h, 100_000)
	items := func(off, n int, extra map[string]any) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = map[string]any{"tn": tns[(off+i)%len(tns)]}
			for k, v := range extra {
				out[i][k] = v
			}
		}
		return out
	}
	masks := func(off, n int) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = map[string]any{"tnMask": tns[(off+i)%len(tns)]}
		}
		return out
	}
	cases := []struct {
		op   string
		per  int
		body func(i int) map[string]any
	}{
		{"tnNoteUpdate", 100, func(i int) map[string]any {
			return map[string]any{"tnNote": map[string]any{"tnList": map[string]any{"tnItem": items(i*100, 100, map[string]any{"tnNote": fmt.Sprint("bench ", i)})}}}
		}},
		{"tnDetail", 100, func(i int) map[string]any {
			return map[string]any{"tnSearchList": map[string]any{"tnSearchItem": masks(i*100, 100)}}
		}},
		{"tnE911", 1, func(i int) map[string]any {
			return map[string]any{"tn": tns[i%len(tns)], "name": "Bench", "streetNum": "100", "streetInfo": "W Adams St",
				"city": "Chicago", "state": "IL", "postalCode": "60661"}
		}},
		{"tnDetail", 1, func(i int) map[string]any {
			return map[string]any{"tnSearchList": map[string]any{"tnSearchItem": masks(i, 1)}}
		}},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("%s/%d", c.op, c.per), func(b *testing.B) {
			bodies := make([][]byte, 64)
			for i := range bodies {
				body := c.body(i)
				body["privateKey"] = DemoKey
				bodies[i], _ = json.Marshal(body)
			}
			n := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/Services/1.0.0/"+c.op, bytes.NewReader(bodies[n%len(bodies)]))
				req.Header.Set("Authorization", "Bearer "+h.token)
				w := httptest.NewRecorder()
				h.srv.ServeHTTP(w, req)
				if w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte(`"statusCode":"200"`)) {
					b.Fatalf("%s: %d %.300s", c.op, w.Code, w.Body.String())
				}
				n++
			}
			rps := float64(n) / b.Elapsed().Seconds()
			b.ReportMetric(rps, "requests/s")
			b.ReportMetric(rps*float64(c.per), "numbers/s")
		})
	}
	// The same requests end to end over loopback HTTP, one at a time:
	// net/http on both sides, the handler, and a client that reads the
	// whole answer and does nothing with it. With -cpu 1 this is what the
	// sandbox serves on one core while the other runs iqbulk (a bound from
	// below: the client's share is counted too).
	for _, c := range cases {
		b.Run(fmt.Sprintf("loopback/%s/%d", c.op, c.per), func(b *testing.B) {
			bodies := make([][]byte, 64)
			for i := range bodies {
				body := c.body(i)
				body["privateKey"] = DemoKey
				bodies[i], _ = json.Marshal(body)
			}
			client := h.ts.Client()
			url := h.ts.URL + "/Services/1.0.0/" + c.op
			var answer bytes.Buffer
			n := 0
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[n%len(bodies)]))
				req.Header.Set("Authorization", "Bearer "+h.token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				answer.Reset()
				_, err = answer.ReadFrom(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || !bytes.Contains(answer.Bytes(), []byte(`"statusCode":"200"`)) {
					b.Fatalf("%s: %d %v %.300s", c.op, resp.StatusCode, err, answer.String())
				}
				n++
			}
			rps := float64(n) / b.Elapsed().Seconds()
			b.ReportMetric(rps, "requests/s")
			b.ReportMetric(rps*float64(c.per), "numbers/s")
			b.ReportMetric(1e6/(rps*float64(c.per)), "µs/number")
		})
	}
}

// TestDetailItemEncodesAsTheMap: the tnDetail item struct encodes to the
// same bytes as the map it replaced (keys sorted), with features, notes
// and text that JSON escapes; writeJSON's shortcut for obj gives what
// json.Marshal gives.
func TestDetailItemEncodesAsTheMap(t *testing.T) {
	h := newHarness(t, Options{})
	tns := accountOf(t, h, 3)
	out := h.call("tnNoteUpdate", map[string]any{"tnNote": map[string]any{"tnList": tnItems(tns[:1], map[string]any{"tnNote": `<b>"a & b"</b> é`})}})
	require.Equal(t, "200", code(out), "%v", out)
	out = h.call("tnE911", map[string]any{"tn": tns[1], "name": "Bench", "streetNum": "100", "streetInfo": "W Adams St",
		"city": "Chicago", "state": "IL", "postalCode": "60661"})
	require.Equal(t, "200", code(out), "%v", out)
	h.srv.mu.Lock()
	defer h.srv.mu.Unlock()
	st, now := h.srv.st, h.srv.simNowLocked()
	for _, s := range append(tns, "3123489651") {
		tn, ok := parseTN(s)
		require.True(t, ok)
		r := st.rec(tn, false)
		bl, _, _ := st.w.lookup(tn)
		rc := &rateCenters[bl.rc]
		legacy := map[string]any{
			"tn": tn, "trunkGroup": r.trunkGroup(now), "endUser": orEmpty(r.endUser),
			"tnFeature": map[string]any{"callerId": orEmpty(r.callerID), "directoryListing": orEmpty(r.dl), "e911": orEmpty(r.e911), "messaging": orEmpty(r.msg)},
			"lata":      rc.lata, "rateCenter": rc.abbr, "locName": rc.name, "province": rc.state,
			"tnStatus": st.status(tn, now).name(), "rateCenterTier": rc.tierName(), "countryCode": "1", "tnSource": "NATIVE",
			"activateDate": r.activateAt.UTC().Format(isoMillis), "activateUser": r.activateUser, "wireless": yn(bl.wireless),
			"portOutPin": r.portOutPin, "tnNote": r.tnNote,
		}
		want, err := json.Marshal(legacy)
		require.NoError(t, err)
		got, err := json.Marshal(st.detailItem(tn, now))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got))
	}
	o := obj{success(), map[string]any{"tnList": map[string]any{"tnItem": []tnDetailItem{st.detailItem(tn0(t, tns[0]), now)}}, "page": "1"}}
	want, err := json.Marshal(o)
	require.NoError(t, err)
	w := httptest.NewRecorder()
	writeJSON(w, http.StatusOK, o)
	assert.Equal(t, string(want), w.Body.String())
	assert.Contains(t, w.Body.String(), `\u003cb\u003e\"a \u0026 b\"\u003c/b\u003e é`)

	// The tnDetail answer writes itself (encode.go): the same bytes as the
	// obj and maps it replaced, for every item above, and for text that
	// JSON escapes in every member and in the keys and values of the
	// feature objects.
	var items []tnDetailItem
	for _, s := range append(tns, "3123489651") {
		items = append(items, st.detailItem(tn0(t, s), now))
	}
	odd := "<&>\"\\\u2028\x01\xff é"
	items = append(items, tnDetailItem{ActivateDate: odd, ActivateUser: odd, CountryCode: odd, Lata: odd, LocName: odd, PortOutPin: odd,
		Province: odd, RateCenter: odd, RateCenterTier: odd, TN: 9999999999, TnNote: odd, TnSource: odd, TnStatus: odd, TrunkGroup: odd, Wireless: odd,
		EndUser: fields{"zeta": odd, "alpha": "1", odd: "x", "Beta": ""}, TnFeature: tnDetailFeature{E911: fields{"b": "2", "a": "1"}, Messaging: fields{}}})
	html := "a<b>&c" // escaped by json.Marshal though plain ASCII
	items = append(items, tnDetailItem{TN: 2012345678, TnNote: html, TrunkGroup: html, EndUser: fields{html: html}, TnFeature: tnDetailFeature{CallerID: fields{}}})
	for _, page := range [][]tnDetailItem{items, {}, items[:1]} {
		a := tnDetailAnswer{page: "2", totalPages: "3", totalItems: "250", searchID: odd, items: page}
		want, err := json.Marshal(obj{success(), map[string]any{"page": a.page, "totalPages": a.totalPages, "totalItems": a.totalItems,
			"searchId": a.searchID, "tnList": map[string]any{"tnItem": page}}})
		require.NoError(t, err)
		w := httptest.NewRecorder()
		writeJSON(w, http.StatusOK, a)
		assert.Equal(t, string(want), w.Body.String())
		viaMarshal, err := json.Marshal(a)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(viaMarshal))
	}
}

func tn0(t *testing.T, s string) uint64 {
	tn, ok := parseTN(s)
	require.True(t, ok)
	return tn
}
