package inteliquent

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/ratelimit"
)

// tokenSource fetches and caches an OAuth2 client-credentials token. The
// guide says tokens expire after one hour while its example answers
// "expires_in": 9223372036854775807, so the lifetime is capped at one hour and
// the token is refreshed TokenRefreshMargin before that. A 401001 answer
// invalidates the token (once per call; see Client.do).
type tokenSource struct {
	url, key, secret, userAgent string
	hc                          *http.Client
	now                         func() time.Time
	onFetch                     func()

	// sem is a one-slot lock that also honours ctx while waiting.
	sem     chan struct{}
	token   string
	expires time.Time
}

func newTokenSource(tokenURL, key, secret, ua string, hc *http.Client, now func() time.Time, onFetch func()) *tokenSource {
	return &tokenSource{url: tokenURL, key: key, secret: secret, userAgent: ua, hc: hc, now: now, onFetch: onFetch, sem: make(chan struct{}, 1)}
}

// Token returns a valid access token, fetching one when none is cached or
// the cached one is within the refresh margin of its expiry.
func (ts *tokenSource) Token(ctx context.Context) (string, error) {
	select {
	case ts.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-ts.sem }()
	if ts.token != "" && ts.now().Before(ts.expires.Add(-TokenRefreshMargin)) {
		return ts.token, nil
	}
	tok, life, err := ts.fetch(ctx)
	if err != nil {
		return "", err
	}
	ts.token, ts.expires = tok, ts.now().Add(life)
	return tok, nil
}

// Invalidate forgets tok if it is still the cached token, so the next Token
// call fetches a fresh one (other workers may already have refreshed it).
func (ts *tokenSource) Invalidate(tok string) {
	ts.sem <- struct{}{}
	defer func() { <-ts.sem }()
	if ts.token == tok {
		ts.token = ""
	}
}

type tokenResponse struct {
	AccessToken string     `json:"access_token"`
	TokenType   string     `json:"token_type"`
	ExpiresIn   FlexString `json:"expires_in"`
	Scope       string     `json:"scope"`
	// Error bodies: the guide's own envelope or an OAuth2 error.
	StatusCode FlexString `json:"statusCode"`
	Status     string     `json:"status"`
	Message    string     `json:"message"`
	Error      string     `json:"error"`
	ErrorDesc  string     `json:"error_description"`
}

// fetch posts the client-credentials form. Errors never include the form
// (it holds the secret).
func (ts *tokenSource) fetch(ctx context.Context) (string, time.Duration, error) {
	if ts.onFetch != nil {
		ts.onFetch()
	}
	form := url.Values{
		"client_id":     {ts.key},
		"client_secret": {ts.secret},
		"grant_type":    {"client_credentials"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.url, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, &RequestError{Op: "token", Err: fmt.Errorf("build request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("charset", "UTF-8")
	req.Header.Set("Accept", "application/json")
	if ts.userAgent != "" {
		req.Header.Set("User-Agent", ts.userAgent)
	}
	resp, err := ts.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", 0, ctx.Err()
		}
		// Fetching a token changes nothing: always safe to retry.
		return "", 0, &RequestError{Op: "token", Err: err, class: classRetryable}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", 0, &RequestError{Op: "token", Err: err, class: classRetryable}
	}
	var tr tokenResponse
	decErr := json.Unmarshal(body, &tr)
	if resp.StatusCode != http.StatusOK || decErr != nil || tr.AccessToken == "" {
		ae := &APIError{Op: "token", HTTPStatus: resp.StatusCode, Code: string(tr.StatusCode),
			Status: firstNonEmpty(tr.Status, tr.Error), Message: firstNonEmpty(tr.Message, tr.ErrorDesc),
			RetryAfter: ratelimit.ParseRetryAfter(resp.Header.Get("Retry-After"), ts.now())}
		switch {
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			ae.class = classRetryable
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusBadRequest ||
			resp.StatusCode == http.StatusForbidden || ae.Code == "401001":
			ae.class = classFatal
		default:
			ae.class = classFinal
		}
		if ae.Status == "" && decErr != nil {
			ae.Status = "token answer is not JSON"
		} else if ae.Status == "" && resp.StatusCode == http.StatusOK {
			ae.Status = "token answer has no access_token"
		}
		scrubAPIError(ae, ts.key, ts.secret, strings.TrimPrefix(basicAuth(ts.key, ts.secret), "Basic "))
		return "", 0, ae
	}
	life := TokenLifetime
	if n, err := parseSeconds(string(tr.ExpiresIn)); err == nil && n > 0 && n < life {
		life = n
	}
	return tr.AccessToken, life, nil
}

// parseSeconds turns expires_in into a duration, saturating on overflow
// (the guide's example is math.MaxInt64 seconds).
func parseSeconds(s string) (time.Duration, error) {
	var fi FlexInt
	if err := fi.UnmarshalJSON([]byte(`"` + strings.TrimSpace(s) + `"`)); err != nil || !fi.Valid {
		return 0, fmt.Errorf("expires_in %q", s)
	}
	if fi.N > int64(time.Duration(1<<62)/time.Second) {
		return time.Duration(1 << 62), nil
	}
	return time.Duration(fi.N) * time.Second, nil
}

func basicAuth(key, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"+secret))
}

func firstNonEmpty(a ...string) string {
	for _, s := range a {
		if s != "" {
			return s
		}
	}
	return ""
}
