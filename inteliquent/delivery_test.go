package inteliquent

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An attacker's (or a misconfigured proxy's) redirect must not carry the
// privateKey, the Basic credentials or the token request's secret to the
// host it names (DESIGN.md rule 3).
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var reached atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		reply(w, 200, ok200)
	}))
	t.Cleanup(other.Close)

	for _, tc := range []struct {
		name   string
		auth   string
		status int
		token  bool // redirect the token endpoint rather than the API
	}{
		{"307 on the API, basic", AuthBasic, 307, false},
		{"302 on the API, oauth2", AuthOAuth2, 302, false},
		{"301 on the API", AuthBasic, 301, false},
		{"307 on the token endpoint", AuthOAuth2, 307, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reached.Store(0)
			api := newFakeAPI(t)
			api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
				http.Redirect(w, r, other.URL+r.URL.Path, tc.status)
			}
			if tc.token {
				// The token endpoint itself redirects, with the client
				// secret in the form it would resend.
				api.tokenFor = func(int) (int, string) { return tc.status, "" }
				api.tokenLocation = other.URL + "/oauth2/token"
			}
			c, err := New(Config{BaseURL: api.srv.URL + "/Services/1.0.0", Key: testKey, Secret: testSecret, Auth: tc.auth, Retries: 3})
			require.NoError(t, err)
			_, err = c.TnOrder(context.Background(), orderReq("6123453622"))
			require.Error(t, err)
			assert.True(t, IsFatal(err), "a redirect stops the run: %v", err)
			assert.False(t, NotApplied(err) && !tc.token, "a redirected order is not proven refused: %v", err)
			assert.EqualValues(t, 0, reached.Load(), "nothing reaches the other host")
			assertNoSecrets(t, err.Error())
			if !tc.token {
				assert.Contains(t, err.Error(), "redirected to "+other.URL)
				assert.Len(t, api.requests(), 1, "sent once, never again")
			}
		})
	}
}

// A token endpoint that cannot be reached, or that refuses the key and
// secret, stops everything at the first request: no API request is made.
func TestCredentialsFailFast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln.Addr().String() + "/oauth2/token"
	require.NoError(t, ln.Close()) // connection refused from now on

	for _, tc := range []struct {
		name      string
		tokenURL  string
		tokenFor  func(int) (int, string)
		wantToken int // token requests made
	}{
		{"token endpoint unreachable", dead, nil, 0},
		{"401 from the token endpoint", "", func(int) (int, string) {
			return 401, `{"error":"invalid_client","error_description":"A valid OAuth client could not be found"}`
		}, 1},
		{"400 invalid_client", "", func(int) (int, string) { return 400, `{"error":"invalid_client"}` }, 1},
		{"503 from the token endpoint, retried then fatal", "", func(int) (int, string) { return 503, `` }, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.TokenURL = tc.tokenURL })
			env.api.tokenFor = tc.tokenFor
			_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
			require.Error(t, err)
			var ae *AuthError
			require.True(t, errors.As(err, &ae), "%T %v", err, err)
			assert.True(t, IsFatal(err), "%v", err)
			assert.True(t, NotApplied(err), "nothing reached the API: %v", err)
			assert.True(t, IsAuth(err))
			assert.Contains(t, err.Error(), "IQ_API_KEY")
			assertNoSecrets(t, err.Error())
			assert.Empty(t, env.api.requests(), "no API request without a token")
			assert.Equal(t, tc.wantToken, env.api.tokens())
		})
	}
}

func TestNotApplied(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"refusal with a body code", &APIError{Op: "tnOrder", HTTPStatus: 200, Code: "409", class: classFinal}, true},
		{"429", &APIError{Op: "tnOrder", HTTPStatus: 429, class: classRetryable}, true},
		{"5xx", &APIError{Op: "tnOrder", HTTPStatus: 502, class: classAmbiguous}, false},
		{"body 462", &APIError{Op: "tnOrder", HTTPStatus: 200, Code: "462", class: classAmbiguous}, false},
		{"redirect", &APIError{Op: "tnOrder", HTTPStatus: 307, Redirect: "http://x", class: classFatal}, false},
		{"connection refused", &RequestError{Op: "tnOrder", Err: errors.New("refused"), class: classRetryable}, true},
		{"reset after writing", &RequestError{Op: "tnOrder", Ambiguous: true, Err: errors.New("reset"), class: classAmbiguous}, false},
		{"plain error", errors.New("x"), false},
		{"nil", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, NotApplied(tc.err)) })
	}
}
