package inteliquent

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTokenRequestNeverFollowsARedirect: the token form carries the secret,
// so a 3xx from the token endpoint is an error and the other host never
// sees a request.
func TestTokenRequestNeverFollowsARedirect(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			var elsewhere atomic.Int32
			other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				elsewhere.Add(1)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"access_token":"stolen","expires_in":3600}`))
			}))
			t.Cleanup(other.Close)
			redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, other.URL+"/oauth2/token", status)
			}))
			t.Cleanup(redirector.Close)
			env := newEnv(t, func(c *Config) { c.TokenURL = redirector.URL + "/oauth2/token" })

			_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
			require.Error(t, err)
			assert.True(t, IsFatal(err), "a redirected token request stops the run: %v", err)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, status, ae.HTTPStatus)
			assert.Zero(t, elsewhere.Load(), "the redirect was followed")
			assert.Empty(t, env.api.requests(), "nothing sent to the API")
		})
	}
}

// TestTokenErrorsKeepSecretsOut: whatever the token endpoint echoes, the
// error text never holds the key's secret or the Basic encoding of it, and
// a token endpoint that does not hand out a token stops the run.
func TestTokenErrorsKeepSecretsOut(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		fatal  bool
	}{
		{"oauth2 error echoing the secret", 401, `{"error":"invalid_client","error_description":"bad secret ` + testSecret + `"}`, true},
		{"guide envelope echoing the secret", 400, `{"statusCode":"401001","status":"Invalid credentials","message":"client_secret=` + testSecret + `"}`, true},
		{"not JSON, echoing the form", 403, `client_id=` + testKey + `&client_secret=` + testSecret, true},
		{"200 without a token, echoing the secret", 200, `{"message":"` + testSecret + `"}`, true},
		{"200 not JSON", 200, `<html>` + testSecret + `</html>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.Retries = -1 })
			env.api.tokenFor = func(int) (int, string) { return tt.status, tt.body }
			_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
			require.Error(t, err)
			assert.NotContains(t, err.Error(), testSecret)
			assert.NotContains(t, err.Error(), basicAuth(testKey, testSecret)[len("Basic "):])
			assert.Equal(t, tt.fatal, IsFatal(err), "%v", err)
			assert.Empty(t, env.api.requests(), "nothing sent to the API")
		})
	}
}

func TestTokenRequestCarriesUserAgent(t *testing.T) {
	var ua atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.Store(r.Header.Get("User-Agent"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"t","expires_in":3600}`))
	}))
	t.Cleanup(srv.Close)
	env := newEnv(t, func(c *Config) { c.TokenURL = srv.URL; c.UserAgent = "iqbulk-test/1" })
	_, err := env.c.TnNoteUpdate(context.Background(), noteReq())
	require.NoError(t, err)
	assert.Equal(t, "iqbulk-test/1", ua.Load())
}

func TestTokenLife(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		expiry time.Time
		want   time.Duration
	}{
		{"no expires_in", time.Time{}, TokenLifetime},
		{"the guide's example (capped by the library at MaxInt32 s)", now.Add(68 * 365 * 24 * time.Hour), TokenLifetime},
		{"exactly one hour", now.Add(time.Hour), TokenLifetime},
		{"shorter is honoured", now.Add(10 * time.Minute), 10 * time.Minute},
		{"already past", now.Add(-time.Second), TokenLifetime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tokenLife(tt.expiry, now))
		})
	}
}

// TestTokenAnswerLabelledAsText: a JSON token answer without a JSON
// Content-Type (unlabelled, so sniffed as text/plain, or text/plain) is
// still read as JSON; a real form answer still works.
func TestTokenAnswerLabelledAsText(t *testing.T) {
	tests := []struct {
		name, contentType, body string
	}{
		{"unlabelled JSON", "", `{"access_token":"tok-json","expires_in":3600}`},
		{"text/plain JSON", "text/plain; charset=utf-8", "\n  {\"access_token\":\"tok-json\",\"expires_in\":3600}"},
		{"form", "application/x-www-form-urlencoded", "access_token=tok-json&expires_in=3600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			env := newEnv(t, func(c *Config) { c.TokenURL = srv.URL })
			_, err := env.c.TnNoteUpdate(context.Background(), noteReq())
			require.NoError(t, err)
			assert.Equal(t, "Bearer tok-json", env.api.requests()[0].Auth)
		})
	}
}
