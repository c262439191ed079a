package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeClock is a settable real clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type harness struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	clock *fakeClock
	token string
}

func newHarness(t testing.TB, opts Options) *harness {
	t.Helper()
	clock := newFakeClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.WorldSize == 0 {
		opts.WorldSize = 200_000
	}
	srv, err := New(opts)
	require.NoError(t, err)
	ts := httptest.NewServer(srv) // listens on 127.0.0.1
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	h := &harness{t: t, srv: srv, ts: ts, clock: clock}
	h.token = h.fetchToken(DemoKey, DemoSecret)
	return h
}

func (h *harness) fetchToken(id, secret string) string {
	h.t.Helper()
	form := url.Values{"client_id": {id}, "client_secret": {secret}, "grant_type": {"client_credentials"}}
	resp, err := http.PostForm(h.ts.URL+"/oauth2/token", form)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(h.t, json.NewDecoder(resp.Body).Decode(&out))
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	return out["access_token"].(string)
}

// raw posts body to path with an Authorization header value.
func (h *harness) raw(path, auth string, body []byte) (int, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.ts.URL+path, bytes.NewReader(body))
	require.NoError(h.t, err)
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	var out map[string]any
	require.NoError(h.t, json.Unmarshal(data, &out), string(data))
	return resp.StatusCode, out
}

// call posts a Services operation with the demo privateKey and a token.
func (h *harness) call(op string, body map[string]any) map[string]any {
	h.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	if _, ok := body["privateKey"]; !ok {
		body["privateKey"] = DemoKey
	}
	b, err := json.Marshal(body)
	require.NoError(h.t, err)
	code, out := h.raw("/Services/1.0.0/"+op, "Bearer "+h.token, b)
	require.Equal(h.t, http.StatusOK, code, "%v", out)
	return out
}

func code(m map[string]any) string {
	switch v := m["statusCode"].(type) {
	case string:
		return v
	case float64:
		return strings.TrimSuffix(strings.TrimSuffix(json.Number(jsonNum(v)).String(), ".0"), ".")
	}
	return ""
}

func jsonNum(f float64) string { b, _ := json.Marshal(f); return string(b) }

func tnItems(tns []string, extra map[string]any) map[string]any {
	items := make([]map[string]any, len(tns))
	for i, tn := range tns {
		it := map[string]any{"tn": tn}
		for k, v := range extra {
			it[k] = v
		}
		items[i] = it
	}
	return map[string]any{"tnItem": items}
}

func orderBody(ref string, tns []string, extra map[string]any) map[string]any {
	return map[string]any{"tnOrder": map[string]any{"customerOrderReference": ref, "tnList": tnItems(tns, extra)}}
}

// dig walks a decoded JSON value by keys.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func list(v any, keys ...string) []any {
	l, _ := dig(v, keys...).([]any)
	return l
}

func jsonDecode(resp *http.Response, v any) error {
	d := json.NewDecoder(resp.Body)
	d.UseNumber()
	return d.Decode(v)
}
