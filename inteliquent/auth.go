package inteliquent

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/iqbulk/iqbulk/ratelimit"
)

// tokenSource fetches OAuth2 client-credentials tokens with
// golang.org/x/oauth2/clientcredentials and caches them. The guide says
// tokens expire after one hour while its example answers
// "expires_in": 9223372036854775807, so the lifetime is capped at one hour
// and the token is refreshed TokenRefreshMargin before that, whatever
// expires_in says (a shorter expires_in is honoured). A 401001 answer
// invalidates the token (once per call; see Client.do). The token request
// never follows a redirect: the form carries the secret.
type tokenSource struct {
	url         string // the token endpoint, for error messages
	cfg         clientcredentials.Config
	hc          *http.Client // the client's, refusing redirects
	key, secret string
	now         func() time.Time
	onFetch     func()

	// sem is a one-slot lock that also honours ctx while waiting.
	sem     chan struct{}
	token   string
	expires time.Time
}

func newTokenSource(tokenURL, key, secret, ua string, hc *http.Client, now func() time.Time, onFetch func()) *tokenSource {
	thc := *hc
	thc.CheckRedirect = refuseRedirect
	thc.Transport = tokenTransport{base: hc.Transport, ua: ua}
	return &tokenSource{
		cfg: clientcredentials.Config{
			ClientID:     key,
			ClientSecret: secret,
			TokenURL:     tokenURL,
			// The guide's form: client_id and client_secret in the body
			// (and never a second, auto-detected attempt).
			AuthStyle: oauth2.AuthStyleInParams,
		},
		url: tokenURL, hc: &thc, key: key, secret: secret, now: now, onFetch: onFetch,
		sem: make(chan struct{}, 1),
	}
}

// refuseRedirect hands the 3xx answer back instead of following it, so the
// form (and its secret) is never sent to another URL.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// tokenTransport sets the User-Agent of token requests and labels a JSON
// answer that came without a JSON Content-Type: golang.org/x/oauth2 reads
// an answer labelled text/plain (or unlabelled, which Go servers sniff as
// text/plain) as a form, and would find no access_token in the guide's
// JSON.
type tokenTransport struct {
	base http.RoundTripper
	ua   string
}

func (t tokenTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.ua != "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", t.ua)
	}
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "" || mt == "text/plain" {
		br := bufio.NewReader(resp.Body)
		if looksLikeJSON(br) {
			resp.Header.Set("Content-Type", "application/json")
		}
		resp.Body = struct {
			io.Reader
			io.Closer
		}{br, resp.Body}
	}
	return resp, nil
}

// looksLikeJSON reports whether the first non-blank byte (within 64) is '{'.
func looksLikeJSON(br *bufio.Reader) bool {
	for n := 1; n <= 64; n++ {
		b, _ := br.Peek(n)
		if len(b) < n {
			return false
		}
		switch c := b[n-1]; c {
		case ' ', '\t', '\r', '\n':
		default:
			return c == '{'
		}
	}
	return false
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
	if ts.onFetch != nil {
		ts.onFetch()
	}
	fetched := ts.now()
	tok, err := ts.cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, ts.hc))
	if err != nil {
		return "", ts.tokenError(ctx, err)
	}
	// The library turned expires_in into an Expiry on the wall clock a
	// moment ago; what is left of it is the lifetime the server gave.
	ts.token, ts.expires = tok.AccessToken, fetched.Add(tokenLife(tok.Expiry, time.Now()))
	return ts.token, nil
}

// tokenLife is what is left until expiry, capped at TokenLifetime; no
// expiry (no expires_in) or one already past means TokenLifetime.
func tokenLife(expiry, now time.Time) time.Duration {
	left := expiry.Sub(now)
	if expiry.IsZero() || left <= 0 || left > TokenLifetime {
		return TokenLifetime
	}
	return left
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

// tokenResponse is the token endpoint's error body: the guide's own
// envelope or an OAuth2 error (and, in testdata, its example answer).
type tokenResponse struct {
	AccessToken string     `json:"access_token"`
	ExpiresIn   FlexString `json:"expires_in"`
	StatusCode  FlexString `json:"statusCode"`
	Status      string     `json:"status"`
	Message     string     `json:"message"`
	Error       string     `json:"error"`
	ErrorDesc   string     `json:"error_description"`
}

// tokenError turns what the oauth2 package returned into the client's typed
// errors. It never includes the form or the library's text (the answer's
// body may echo the secret); API error texts are scrubbed.
func (ts *tokenSource) tokenError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		var tr tokenResponse
		decErr := json.Unmarshal(re.Body, &tr)
		st := re.Response.StatusCode
		ae := &APIError{Op: "token", HTTPStatus: st, Code: string(tr.StatusCode),
			Status:     firstNonEmpty(tr.Status, tr.Error, re.ErrorCode),
			Message:    firstNonEmpty(tr.Message, tr.ErrorDesc, re.ErrorDescription),
			RetryAfter: ratelimit.ParseRetryAfter(re.Response.Header.Get("Retry-After"), ts.now())}
		switch {
		case st >= 300 && st < 400:
			ae.class = classFatal
			ae.Status = "the token endpoint answered a redirect, which is never followed"
		case st == http.StatusTooManyRequests || st >= 500:
			ae.class = classRetryable
		case st == http.StatusUnauthorized || st == http.StatusBadRequest ||
			st == http.StatusForbidden || ae.Code == "401001":
			ae.class = classFatal
		default:
			ae.class = classFinal
		}
		if ae.Status == "" && decErr != nil {
			ae.Status = "token answer is not JSON"
		}
		scrubAPIError(ae, ts.key, ts.secret, strings.TrimPrefix(basicAuth(ts.key, ts.secret), "Basic "))
		return ae
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// The request did not get an answer. Fetching a token changes
		// nothing: always safe to retry. url.Error names the token URL,
		// which holds no secret.
		return &RequestError{Op: "token", Err: ue.Err, class: classRetryable}
	}
	// A 2xx answer the oauth2 package could not read, or one without
	// access_token; its text is not kept (it may quote the body).
	return &APIError{Op: "token", HTTPStatus: http.StatusOK,
		Status: "token answer has no access_token", class: classFinal}
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
