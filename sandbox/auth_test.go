package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenEndpoint(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	tests := []struct {
		name     string
		form     url.Values
		basic    [2]string
		wantHTTP int
		wantKey  string
	}{
		{"form credentials", url.Values{"client_id": {DemoKey}, "client_secret": {DemoSecret}, "grant_type": {"client_credentials"}}, [2]string{}, 200, "access_token"},
		{"basic header credentials", url.Values{"grant_type": {"client_credentials"}}, [2]string{DemoKey, DemoSecret}, 200, "access_token"},
		{"bad secret", url.Values{"client_id": {DemoKey}, "client_secret": {"nope"}, "grant_type": {"client_credentials"}}, [2]string{}, 401, "error"},
		{"wrong grant", url.Values{"client_id": {DemoKey}, "client_secret": {DemoSecret}, "grant_type": {"password"}}, [2]string{}, 400, "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, h.ts.URL+"/oauth2/token", strings.NewReader(tc.form.Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic[0] != "" {
				req.SetBasicAuth(tc.basic[0], tc.basic[1])
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.wantHTTP, resp.StatusCode)
			var out map[string]any
			require.NoError(t, jsonDecode(resp, &out))
			assert.Contains(t, out, tc.wantKey)
			if tc.wantHTTP == 200 {
				assert.Equal(t, "bearer", out["token_type"])
				assert.Equal(t, "am_application_scope default", out["scope"])
				assert.Equal(t, json.Number("9223372036854775807"), out["expires_in"])
			}
		})
	}
}

func TestAuthSchemes(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(DemoKey+":"+DemoSecret))
	badBasic := "Basic " + base64.StdEncoding.EncodeToString([]byte(DemoKey+":wrong"))
	body := []byte(`{"privateKey":"` + DemoKey + `"}`)
	tests := []struct {
		name     string
		auth     string
		wantHTTP int
		wantCode string
	}{
		{"bearer", "Bearer " + h.token, 200, "200"},
		{"basic key:secret", basic, 200, "200"},
		{"basic with token (guide quirk)", "Basic " + h.token, 200, "200"},
		{"no header", "", 401, "401001"},
		{"bad basic", badBasic, 401, "401001"},
		{"tampered token", "Bearer " + h.token[:len(h.token)-2] + "xx", 401, "401001"},
		{"unknown scheme", "Digest abc", 401, "401001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, out := h.raw("/Services/1.0.0/tnAssignedList", tc.auth, body)
			assert.Equal(t, tc.wantHTTP, status)
			assert.Equal(t, tc.wantCode, code(out))
			if tc.wantCode == "401001" {
				assert.Equal(t, "Invalid credentials", out["status"])
				assert.Equal(t, "Invalid authentication information provided", out["message"])
				assert.NotEmpty(t, out["timestamp"])
			}
		})
	}
}

func TestTokenExpiresAfterOneHour(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000, ClockSpeed: 60})
	body := []byte(`{"privateKey":"` + DemoKey + `"}`)
	status, _ := h.raw("/Services/2.0.0/tnAssignedList", "Bearer "+h.token, body)
	require.Equal(t, 200, status)
	h.clock.Advance(59 * time.Second) // 59 simulated minutes
	status, _ = h.raw("/Services/2.0.0/tnAssignedList", "Bearer "+h.token, body)
	require.Equal(t, 200, status)
	h.clock.Advance(2 * time.Second) // 61 simulated minutes
	status, out := h.raw("/Services/2.0.0/tnAssignedList", "Bearer "+h.token, body)
	assert.Equal(t, 401, status)
	assert.Equal(t, "401001", code(out))
}

func TestPrivateKeyChecks(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	for _, tc := range []struct {
		name string
		body string
		want string
	}{
		{"missing", `{}`, "1403"},
		{"blank", `{"privateKey":""}`, "1403"},
		{"invalid", `{"privateKey":"Abcd1FghIjK23l4mno5pqrX6yzab"}`, "1403"},
		{"valid", `{"privateKey":"` + DemoKey + `"}`, "200"},
		{"malformed json", `{"privateKey":`, "400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := h.raw("/Services/1.0.0/tnAssignedList", "Bearer "+h.token, []byte(tc.body))
			assert.Equal(t, 200, status)
			assert.Equal(t, tc.want, code(out), "%v", out)
		})
	}
}

func TestHealthCheckAndRouting(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	resp, err := http.Get(h.ts.URL + "/HealthChecker/1.0.0/healthCheck")
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, jsonDecode(resp, &out))
	resp.Body.Close()
	assert.Equal(t, map[string]any{"status": "UP", "statusCode": "200"}, out)

	status, out := h.raw("/Services/1.0.0/noSuchOperation", "Bearer "+h.token, []byte(`{}`))
	assert.Equal(t, 404, status)
	assert.Equal(t, "404", code(out))

	resp, err = http.Get(h.ts.URL + "/Services/1.0.0/tnOrder")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func TestClientMgmtGetClientList(t *testing.T) {
	h := newHarness(t, Options{WorldSize: 1000})
	for _, tc := range []struct {
		name, body, want string
	}{
		{"ok", `{"privateKey":"` + DemoKey + `"}`, "200"},
		{"missing key", `{}`, "410"},
		{"unknown key", `{"privateKey":"XuKu47eCxnHuX6ETJXWADANDi1y3"}`, "400"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out := h.raw("/ClientMgmt/1.0.0/getClientList", "Bearer "+h.token, []byte(tc.body))
			assert.Equal(t, 200, status)
			assert.Equal(t, tc.want, code(out))
			if tc.want == "200" {
				keys := list(out, "companyKeyDetails", "clientKeys")
				require.Len(t, keys, 1)
				assert.Equal(t, DemoKey, dig(keys[0], "privateKey"))
			}
		})
	}
}
