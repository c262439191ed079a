package inteliquent

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noteReq() *TnNoteUpdateRequest {
	r := &TnNoteUpdateRequest{}
	r.TnNote.TnList.TnItem = []TnNoteItem{{TN: "3123489652", TnNote: "a"}}
	return r
}

func orderReq(tns ...TN) *TnOrderRequest {
	r := &TnOrderRequest{}
	for _, tn := range tns {
		r.TnOrder.TnList.TnItem = append(r.TnOrder.TnList.TnItem, TnOrderItem{TN: tn})
	}
	return r
}

func reserveReq() *TnReserveRequest {
	return &TnReserveRequest{TnReserve: TnListWrapper{TnList: TnRefs("2015540010")}}
}

func TestOAuth2TokenFetchCacheAndRefresh(t *testing.T) {
	env := newEnv(t)
	now := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	env.c.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	ctx := context.Background()

	for range 3 {
		_, err := env.c.TnNoteUpdate(ctx, noteReq())
		require.NoError(t, err)
	}
	assert.Equal(t, 1, env.api.tokens(), "token cached across calls")
	form := env.api.forms[0]
	assert.Equal(t, testKey, form.Get("client_id"))
	assert.Equal(t, testSecret, form.Get("client_secret"))
	assert.Equal(t, "client_credentials", form.Get("grant_type"))

	// The example's expires_in is MaxInt64 seconds; the client still
	// refreshes before one hour.
	advance(50 * time.Minute)
	_, err := env.c.TnNoteUpdate(ctx, noteReq())
	require.NoError(t, err)
	assert.Equal(t, 1, env.api.tokens(), "still fresh at 50 minutes")
	advance(6 * time.Minute)
	_, err = env.c.TnNoteUpdate(ctx, noteReq())
	require.NoError(t, err)
	assert.Equal(t, 2, env.api.tokens(), "refreshed at 56 minutes")

	reqs := env.api.requests()
	assert.Equal(t, "Bearer tok-1", reqs[0].Auth)
	assert.Equal(t, "Bearer tok-2", reqs[len(reqs)-1].Auth)
	assert.EqualValues(t, 2, env.c.Stats().TokenFetches)
}

func TestOAuth2ShortExpiresInIsHonoured(t *testing.T) {
	env := newEnv(t)
	now := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	env.c.now = func() time.Time { return now }
	env.api.tokenFor = func(n int) (int, string) {
		return 200, `{"access_token":"short-` + string(rune('0'+n)) + `","expires_in":"600"}`
	}
	_, err := env.c.TnNoteUpdate(context.Background(), noteReq())
	require.NoError(t, err)
	now = now.Add(6 * time.Minute) // 600s lifetime − 5 min margin
	_, err = env.c.TnNoteUpdate(context.Background(), noteReq())
	require.NoError(t, err)
	assert.Equal(t, 2, env.api.tokens())
}

func TestOAuth2RefreshOn401001(t *testing.T) {
	const invalid = `{"message": "Invalid authentication information provided", "status": "Invalid credentials", "statusCode": "401001"}`
	t.Run("refresh once then succeed", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
			if rec.Auth == "Bearer tok-1" {
				reply(w, 200, invalid)
				return
			}
			reply(w, 200, `{"status":"Success","statusCode":"200"}`)
		}
		_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
		require.NoError(t, err)
		assert.Equal(t, 2, env.api.tokens())
		assert.Len(t, env.api.requests(), 2)
	})
	t.Run("still rejected is fatal", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) { reply(w, 200, invalid) }
		_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
		require.Error(t, err)
		assert.True(t, IsFatal(err))
		assert.False(t, IsRetryable(err))
		assert.Equal(t, "401001", Code(err))
		assert.Equal(t, 2, env.api.tokens(), "exactly one refresh")
		assert.Len(t, env.api.requests(), 2)
	})
	t.Run("token endpoint rejects credentials", func(t *testing.T) {
		env := newEnv(t)
		env.api.tokenFor = func(int) (int, string) { return 401, `{"error":"invalid_client"}` }
		_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
		require.Error(t, err)
		assert.True(t, IsFatal(err))
		assert.Empty(t, env.api.requests(), "nothing sent to the API")
		assert.NotContains(t, err.Error(), testSecret)
	})
	t.Run("token endpoint 503 retried", func(t *testing.T) {
		env := newEnv(t)
		env.api.tokenFor = func(n int) (int, string) {
			if n == 1 {
				return 503, `oops`
			}
			return 200, `{"access_token":"tok-ok","expires_in":3600}`
		}
		_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
		require.NoError(t, err)
		assert.Equal(t, "Bearer tok-ok", env.api.requests()[0].Auth)
	})
}

func TestBasicAuth(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = "basic" })
	_, err := env.c.TnNoteUpdate(context.Background(), noteReq())
	require.NoError(t, err)
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(testKey+":"+testSecret))
	assert.Equal(t, want, env.api.requests()[0].Auth)
	assert.Equal(t, 0, env.api.tokens())

	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		reply(w, 200, `{"status":"Invalid credentials","statusCode":"401001"}`)
	}
	_, err = env.c.TnNoteUpdate(context.Background(), noteReq())
	assert.True(t, IsFatal(err))
	assert.Len(t, env.api.requests(), 2, "no retry of a basic-auth 401001")
}

// script answers request n (1-based) with steps[n-1], repeating the last.
type step func(t *testing.T, w http.ResponseWriter)

func body(status int, s string) step {
	return func(_ *testing.T, w http.ResponseWriter) { reply(w, status, s) }
}

func withRetryAfter(secs string, st step) step {
	return func(t *testing.T, w http.ResponseWriter) { w.Header().Set("Retry-After", secs); st(t, w) }
}

func redirect(status int, loc string) step {
	return func(_ *testing.T, w http.ResponseWriter) { w.Header().Set("Location", loc); w.WriteHeader(status) }
}

func dropped() step { return func(t *testing.T, w http.ResponseWriter) { drop(t, w) } }

const ok200 = `{"status":"Success","statusCode":"200"}`

func TestErrorClasses(t *testing.T) {
	ctx := context.Background()
	type want struct {
		err                         bool
		code                        string
		retryable, ambiguous, fatal bool
		requests                    int
		throttles                   int
	}
	tests := []struct {
		name  string
		op    func(c *Client) error
		steps []step
		want  want
	}{
		{"430 on a listing is empty", func(c *Client) error {
			r, err := c.TnReservedList(ctx, nil)
			if err == nil && len(r.ReservedTns) != 0 {
				return errors.New("want empty list")
			}
			return err
		}, []step{body(200, `{"status": "No Result Found", "statusCode": "430"}`)}, want{requests: 1}},
		{"430 on excludedTnList is empty", func(c *Client) error {
			_, err := c.ExcludedTnList(ctx, &ExcludedTnListRequest{OrderRef: OrderRef{OrderID: "1"}})
			return err
		}, []step{body(200, `{"status": "No Results found", "statusCode": "430"}`)}, want{requests: 1}},
		{"430 on orderDetail is an error", func(c *Client) error {
			_, err := c.OrderDetail(ctx, &OrderDetailRequest{OrderRef{OrderID: "1"}})
			return err
		}, []step{body(200, `{"status": "Order not found", "statusCode": "430"}`)}, want{err: true, code: "430", requests: 1}},
		{"431 try again is retried", func(c *Client) error { _, err := c.TnNoteUpdate(ctx, noteReq()); return err },
			[]step{body(200, `{"status":"Unable to complete the request at the moment, please try again","statusCode":"431"}`), body(200, ok200)},
			want{requests: 2, throttles: 1}},
		{"431 on tnReserve is the reservation limit, not retried", func(c *Client) error { _, err := c.TnReserve(ctx, reserveReq()); return err },
			[]step{body(200, `{"status": "Request exceeds the maximum number of reserved TNs", "statusCode": "431"}`)},
			want{err: true, code: "431", requests: 1}},
		{"431 retries exhausted stays retryable", func(c *Client) error {
			_, err := c.TnDetail(ctx, &TnDetailRequest{})
			return err
		}, []step{body(200, `{"status":"try again","statusCode":431}`)}, want{err: true, code: "431", retryable: true, requests: 4, throttles: 4}},
		{"429 retried", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{withRetryAfter("7", body(429, ``)), body(200, ok200)}, want{requests: 2, throttles: 1}},
		// A non-idempotent call is sent again only on proof of refusal
		// (DESIGN.md rule 3): a 5xx, even with a body, is in doubt.
		{"503 with body on tnOrder is in doubt, sent once", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(503, `{"status":"busy"}`), body(200, ok200)}, want{err: true, ambiguous: true, requests: 1, throttles: 1}},
		{"500 with body on tnOrder is in doubt, sent once", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(500, `{"status":"Internal Error","statusCode":"500"}`), body(200, ok200)}, want{err: true, code: "500", ambiguous: true, requests: 1}},
		{"body 500 on HTTP 200 to tnOrder is in doubt", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(200, `{"status":"Internal Error","statusCode":"500"}`), body(200, ok200)}, want{err: true, code: "500", ambiguous: true, requests: 1}},
		{"body 462 to tnDisconnect is in doubt", func(c *Client) error {
			_, err := c.TnDisconnect(ctx, &TnDisconnectRequest{TnList: TnRefs("3123489654")})
			return err
		}, []step{body(200, `{"status":"An Unknown error has occurred","statusCode":"462"}`), body(200, ok200)}, want{err: true, code: "462", ambiguous: true, requests: 1}},
		{"{} to tnOrder is in doubt", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(200, `{}`), body(200, ok200)}, want{err: true, ambiguous: true, requests: 1}},
		{"500 with body on tnNoteUpdate (idempotent) retried", func(c *Client) error { _, err := c.TnNoteUpdate(ctx, noteReq()); return err },
			[]step{body(500, `{"status":"Internal Error","statusCode":"500"}`), body(200, ok200)}, want{requests: 2}},
		{"dead gateway on tnNoteUpdate: retries bound the sends", func(c *Client) error { _, err := c.TnNoteUpdate(ctx, noteReq()); return err },
			[]step{body(502, ``)}, want{err: true, ambiguous: true, requests: 4}},
		{"429 exhausted on tnOrder is retryable, never in doubt", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(429, ``)}, want{err: true, retryable: true, requests: 4, throttles: 4}},
		{"307 on tnOrder is fatal and never followed", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{redirect(307, "http://127.0.0.2:1/elsewhere")}, want{err: true, fatal: true, requests: 1}},
		{"302 on tnNoteUpdate is fatal and never followed", func(c *Client) error { _, err := c.TnNoteUpdate(ctx, noteReq()); return err },
			[]step{redirect(302, "http://127.0.0.2:1/elsewhere")}, want{err: true, fatal: true, requests: 1}},
		{"500 without body on tnOrder is ambiguous", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(500, ``)}, want{err: true, ambiguous: true, requests: 1}},
		{"502 on tnOrder is ambiguous", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(502, `bad gateway`)}, want{err: true, ambiguous: true, requests: 1}},
		{"504 on tnDisconnect is ambiguous", func(c *Client) error {
			_, err := c.TnDisconnect(ctx, &TnDisconnectRequest{TnList: TnRefs("3123489654")})
			return err
		}, []step{body(504, ``)}, want{err: true, ambiguous: true, requests: 1}},
		{"502 on tnDetail (read) retried", func(c *Client) error { _, err := c.TnDetail(ctx, &TnDetailRequest{}); return err },
			[]step{body(502, ``), body(200, ok200)}, want{requests: 2}},
		{"dropped connection on tnOrder is ambiguous", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{dropped()}, want{err: true, ambiguous: true, requests: 1}},
		{"dropped connection on orderAddNote is ambiguous", func(c *Client) error {
			_, err := c.OrderAddNote(ctx, &OrderAddNoteRequest{OrderRef: OrderRef{OrderID: "1"}, OrderNote: "n"})
			return err
		}, []step{dropped()}, want{err: true, ambiguous: true, requests: 1}},
		{"dropped connection on tnNoteUpdate retried", func(c *Client) error { _, err := c.TnNoteUpdate(ctx, noteReq()); return err },
			[]step{dropped(), body(200, ok200)}, want{requests: 2}},
		{"unreadable 200 on tnOrder is ambiguous", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("6123453622")); return err },
			[]step{body(200, `{"status": "Success", "statusCo`)}, want{err: true, ambiguous: true, requests: 1}},
		{"1403 privateKey is fatal", func(c *Client) error { _, err := c.TnDetail(ctx, &TnDetailRequest{}); return err },
			[]step{body(200, `{"status":"Invalid or missing privateKey parameter","statusCode":"1403"}`)}, want{err: true, code: "1403", fatal: true, requests: 1}},
		{"410 Private Key is not valid is fatal", func(c *Client) error { _, err := c.TnDetail(ctx, &TnDetailRequest{}); return err },
			[]step{body(200, `{"status":"Private Key is not valid.","statusCode":"410"}`)}, want{err: true, code: "410", fatal: true, requests: 1}},
		{"410 Invalid Order Id is not fatal", func(c *Client) error {
			_, err := c.OrderCancel(ctx, &OrderCancelRequest{OrderRef{OrderID: "9"}})
			return err
		}, []step{body(200, `{"status":"Invalid Order Id","statusCode":"410"}`)}, want{err: true, code: "410", requests: 1}},
		{"414 is a final outcome", func(c *Client) error {
			_, err := c.TnInventoryCoverage(ctx, &TnInventoryCoverageRequest{Wireless: "Y"})
			return err
		}, []step{body(200, `{"status": "Wireless not allowed for Customer","statusCode": "414"}`)}, want{err: true, code: "414", requests: 1}},
		{"HTTP 400 is final", func(c *Client) error { _, err := c.TnOrder(ctx, orderReq("1")); return err },
			[]step{body(400, `{"status":"Request format not recognized (Unrecognized fields in json)","statusCode":"400"}`)}, want{err: true, code: "400", requests: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
			env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
				i := min(n, len(tt.steps)) - 1
				tt.steps[i](t, w)
			}
			err := tt.op(env.c)
			if !tt.want.err {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Equal(t, tt.want.code, Code(err))
				assert.Equal(t, tt.want.retryable, IsRetryable(err), "IsRetryable: %v", err)
				assert.Equal(t, tt.want.ambiguous, IsAmbiguous(err), "IsAmbiguous: %v", err)
				assert.Equal(t, tt.want.fatal, IsFatal(err), "IsFatal: %v", err)
				assertNoSecrets(t, err.Error())
			}
			assert.Len(t, env.api.requests(), tt.want.requests)
			assert.Len(t, env.lim.throttles, tt.want.throttles)
			assert.Equal(t, tt.want.requests, env.lim.waits, "Wait before every attempt")
		})
	}
}

func assertNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, secret := range []string{testKey, testSecret, "tok-1", "tok-2", base64.StdEncoding.EncodeToString([]byte(testKey + ":" + testSecret))} {
		assert.NotContains(t, s, secret)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		if n == 1 {
			w.Header().Set("Retry-After", "7")
			reply(w, 429, ``)
			return
		}
		reply(w, 200, ok200)
	}
	_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{7 * time.Second}, env.backoff.retryAfters)
	assert.Equal(t, []time.Duration{7 * time.Second}, env.lim.throttles)
	st := env.c.Stats()
	assert.EqualValues(t, 2, st.Requests)
	assert.EqualValues(t, 1, st.Retries)
	assert.EqualValues(t, 1, st.Throttled)
	assert.Equal(t, 1, env.lim.successes)
}

func TestConnectionRefusedIsRetryable(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = AuthBasic; c.Retries = 2 })
	env.api.srv.Close()
	_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
	require.Error(t, err)
	assert.True(t, IsRetryable(err), "%v", err)
	assert.False(t, IsAmbiguous(err))
	assert.EqualValues(t, 3, env.c.Stats().Requests, "1 try + 2 retries")
	assertNoSecrets(t, err.Error())
}

func TestNegativeRetriesMeansNone(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = AuthBasic; c.Retries = -1 })
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) { reply(w, 429, ``) }
	_, err := env.c.TnNoteUpdate(context.Background(), noteReq())
	require.Error(t, err)
	assert.True(t, IsRetryable(err))
	assert.Len(t, env.api.requests(), 1)
}

func TestAmbiguousCounted(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Auth = AuthBasic })
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) { drop(t, w) }
	_, err := env.c.TnOrder(context.Background(), orderReq("6123453622"))
	require.True(t, IsAmbiguous(err))
	assert.EqualValues(t, 1, env.c.Stats().Ambiguous)
	assert.Contains(t, err.Error(), "tnOrder")
}

func TestContextCancelStopsBackoff(t *testing.T) {
	env := newEnv(t, func(c *Config) {
		c.Auth = AuthBasic
		c.Backoff = func(int, time.Duration) time.Duration { return time.Hour }
	})
	ctx, cancel := context.WithCancel(context.Background())
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		cancel()
		reply(w, 429, ``)
	}
	_, err := env.c.TnNoteUpdate(ctx, noteReq())
	require.Error(t, err)
	assert.Len(t, env.api.requests(), 1)
}

func TestDryRun(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.DryRun = true })
	ctx := context.Background()
	_, err := env.c.TnOrder(ctx, orderReq("6123453622", "6123453623"))
	require.ErrorIs(t, err, ErrDryRun)
	assert.False(t, IsRetryable(err))
	_, err = env.c.TnDisconnect(ctx, &TnDisconnectRequest{TnList: TnRefs("1")})
	require.ErrorIs(t, err, ErrDryRun)
	_, err = env.c.OrderCancel(ctx, &OrderCancelRequest{OrderRef{OrderID: "1"}})
	require.ErrorIs(t, err, ErrDryRun)
	assert.Empty(t, env.api.requests(), "nothing state-changing sent")
	assert.Equal(t, 0, env.api.tokens())
	assert.Contains(t, env.logs.String(), "dry run: would send tnOrder with 2 numbers")
	assert.Contains(t, env.logs.String(), "level=INFO")

	// Reads go through.
	_, err = env.c.TnDetail(ctx, &TnDetailRequest{})
	require.NoError(t, err)
	_, err = env.c.OrderDetail(ctx, &OrderDetailRequest{OrderRef{OrderID: "1"}})
	require.NoError(t, err)
	assert.Len(t, env.api.requests(), 2)
	assert.EqualValues(t, 3, env.c.Stats().DryRunSkipped)
}

func TestSecretsAbsentFromErrorsAndLogs(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		// An API that echoes the key back must not leak it through us.
		reply(w, 200, `{"status":"Private Key `+testKey+` is not valid.","statusCode":"410","message":"token tok-1"}`)
	}
	_, err := env.c.TnDetail(context.Background(), &TnDetailRequest{})
	require.Error(t, err)
	assert.True(t, IsFatal(err))
	assertNoSecrets(t, err.Error())
	assert.Contains(t, err.Error(), "[REDACTED]")
	assertNoSecrets(t, env.logs.String())
}

func TestConcurrentCallsShareOneToken(t *testing.T) {
	env := newEnv(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := env.c.TnDetail(context.Background(), &TnDetailRequest{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, env.api.tokens())
	assert.EqualValues(t, 20, env.c.Stats().Requests)
}

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no base", Config{Key: "k"}, "BaseURL is required"},
		{"bad scheme", Config{BaseURL: "ftp://x/y", Key: "k"}, "http(s)"},
		{"no key", Config{BaseURL: "https://x/Services/1.0.0"}, "Key is required"},
		{"bad auth", Config{BaseURL: "https://x/Services/1.0.0", Key: "k", Auth: "digest"}, "digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestURLDerivation(t *testing.T) {
	tests := []struct{ base, token, health string }{
		{ProductionServicesURL, ProductionTokenURL, ProductionHealthCheckerURL + "/healthCheck"},
		{SandboxServicesURL, SandboxTokenURL, SandboxHealthCheckerURL + "/healthCheck"},
		{"https://services.inteliquent.com/Services/2.0.0", ProductionTokenURL, ProductionHealthCheckerURL + "/healthCheck"},
		{"http://127.0.0.1:8080/Services/1.0.0/", "http://127.0.0.1:8080/oauth2/token", "http://127.0.0.1:8080/HealthChecker/1.0.0/healthCheck"},
		{"http://127.0.0.1:8080/api", "http://127.0.0.1:8080/oauth2/token", "http://127.0.0.1:8080/HealthChecker/1.0.0/healthCheck"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			got, err := TokenURLFor(tt.base)
			require.NoError(t, err)
			assert.Equal(t, tt.token, got)
			assert.Equal(t, tt.health, HealthCheckURL(tt.base))
		})
	}
	assert.Equal(t, ProductionClientMgmtURL, ClientMgmtURL(ProductionServicesURL))
}

func TestAPIErrorText(t *testing.T) {
	e := &APIError{Op: "tnReserve", HTTPStatus: 200, Code: "431", Status: "Request exceeds the maximum number of reserved TNs"}
	assert.Equal(t, "inteliquent: tnReserve: statusCode 431 (Request exceeds the maximum number of reserved TNs)", e.Error())
	e = &APIError{Op: "tnOrder", HTTPStatus: 502}
	assert.Equal(t, "inteliquent: tnOrder: HTTP 502 Bad Gateway", e.Error())
	assert.True(t, strings.HasPrefix((&RequestError{Op: "x", Ambiguous: true, Err: errors.New("EOF")}).Error(), "inteliquent: x: no answer"))
	// An APIError built elsewhere (e.g. by a test double) still classifies.
	assert.True(t, IsRetryable(&APIError{Op: "x", HTTPStatus: 429}))
	assert.True(t, IsFatal(&APIError{Op: "x", Code: "401001"}))
	assert.False(t, IsFatal(errors.New("x")))
	assert.Equal(t, "", Code(errors.New("x")))
}
