package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkInventoryScrollPage measures one 10,000-row tnInventory
// searchId page through the handler (goal: <= 50 ms per page).
func BenchmarkInventoryScrollPage(b *testing.B) {
	srv, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	tok := srv.mintToken(srv.simBase.Add(tokenLifetime * 1000))
	type page struct {
		SearchID string            `json:"searchId"`
		TnResult []json.RawMessage `json:"tnResult"`
	}
	post := func(reqBody string) page {
		req := httptest.NewRequest(http.MethodPost, "/Services/1.0.0/tnInventory", bytes.NewBufferString(reqBody))
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		// count rows without decoding them (the client's cost is not the
		// sandbox's)
		body := w.Body.Bytes()
		out := page{TnResult: make([]json.RawMessage, bytes.Count(body, []byte(`"telephoneNumber"`)))}
		if i := bytes.LastIndex(body, []byte(`"searchId":"`)); i >= 0 {
			rest := body[i+len(`"searchId":"`):]
			out.SearchID = string(rest[:bytes.IndexByte(rest, '"')])
		}
		if w.Code != http.StatusOK || out.SearchID == "" {
			b.Fatalf("bad answer %d %.200s", w.Code, body)
		}
		return out
	}
	id := post(`{"privateKey":"` + DemoKey + `","tnMask":"xxxxxxxxxx","pageSort":{"size":10000}}`).SearchID
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := post(`{"privateKey":"` + DemoKey + `","pageSort":{"searchId":"` + id + `"}}`)
		if n := len(out.TnResult); n != 10000 {
			if n == 0 { // wrapped around the world: start a new scroll
				b.StopTimer()
				id = post(`{"privateKey":"` + DemoKey + `","tnMask":"xxxxxxxxxx","pageSort":{"size":10000}}`).SearchID
				b.StartTimer()
				continue
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/page")
}

// BenchmarkTnOrder100 measures 100-number synchronous tnOrder requests
// over loopback HTTP (goal: >= 1,000 requests/s).
func BenchmarkTnOrder100(b *testing.B) {
	srv, err := New(Options{StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	tok := srv.mintToken(srv.simBase.Add(tokenLifetime * 1000))
	tns := srv.AvailableTNs(100 * min(b.N, 5000))
	bodies := make([][]byte, 0, b.N)
	for i := 0; i < b.N; i++ {
		off := (i % 5000) * 100
		if off+100 > len(tns) {
			off = 0
		}
		body, _ := json.Marshal(map[string]any{"privateKey": DemoKey, "tnOrder": map[string]any{
			"customerOrderReference": fmt.Sprintf("bench-%d", i), "tnList": tnItems(tns[off:off+100], nil)}})
		bodies = append(bodies, body)
	}
	client := ts.Client()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/Services/1.0.0/tnOrder", bytes.NewReader(bodies[i%len(bodies)]))
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}
