package inteliquent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/iqbulk/iqbulk/ratelimit"
)

// Client is a typed Inteliquent Services API client. It is safe for
// concurrent use by many workers.
type Client struct {
	baseURL   string
	healthURL string
	key       string
	secret    string
	auth      string
	ua        string
	hc        *http.Client
	limiter   Limiter
	retries   int
	backoff   func(int, time.Duration) time.Duration
	dryRun    bool
	log       *slog.Logger
	tokens    *tokenSource
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
	onDryRun  func(context.Context, DryRunRequest)

	requests, retried, throttled, ambiguous, tokenFetches, dryRunSkipped atomic.Int64
}

// Stats are the client's counters since New.
type Stats struct {
	// Requests is the number of HTTP attempts sent to the API (not counting
	// token fetches).
	Requests int64
	// Retries is the number of attempts that were retries.
	Retries int64
	// Throttled counts throttling answers: HTTP 429, HTTP 503, body 431 "try
	// again".
	Throttled int64
	// Ambiguous counts answers that may have been applied (dropped after
	// sending, timeouts, HTTP 502/504), whether retried or returned.
	Ambiguous int64
	// TokenFetches counts OAuth2 token requests.
	TokenFetches int64
	// DryRunSkipped counts state-changing calls not sent because of DryRun.
	DryRunSkipped int64
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("inteliquent: Config.BaseURL is required")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("inteliquent: Config.BaseURL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("inteliquent: Config.BaseURL %q must be an http(s) URL", u.Redacted())
	}
	if cfg.Key == "" {
		return nil, errors.New("inteliquent: Config.Key is required (it is also the privateKey)")
	}
	auth := strings.ToLower(strings.TrimSpace(cfg.Auth))
	if auth == "" {
		auth = AuthOAuth2
	}
	if auth != AuthOAuth2 && auth != AuthBasic {
		return nil, fmt.Errorf("inteliquent: Config.Auth %q: want %q or %q", cfg.Auth, AuthOAuth2, AuthBasic)
	}
	c := &Client{
		baseURL:   strings.TrimRight(cfg.BaseURL, "/"),
		healthURL: HealthCheckURL(cfg.BaseURL),
		key:       cfg.Key,
		secret:    cfg.Secret,
		auth:      auth,
		ua:        cfg.UserAgent,
		hc:        cfg.HTTPClient,
		limiter:   cfg.Limiter,
		retries:   cfg.Retries,
		backoff:   cfg.Backoff,
		dryRun:    cfg.DryRun,
		log:       cfg.Logger,
		now:       time.Now,
		sleep:     sleepCtx,
		onDryRun:  cfg.OnDryRun,
	}
	if c.hc == nil {
		c.hc = NewHTTPClient(defaultHTTPTimeout)
	}
	// Redirects are never followed (DESIGN.md rule 3): a 3xx would carry the
	// privateKey in the body, or the client secret in a token request, to
	// whatever host it names, and a 302 would turn a POST into a GET whose
	// 200 looks like success. A copy keeps the caller's client untouched.
	hc := *c.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.hc = &hc
	if c.limiter == nil {
		c.limiter = noLimiter{}
	}
	switch {
	case c.retries == 0:
		c.retries = DefaultRetries
	case c.retries < 0:
		c.retries = 0
	}
	if c.backoff == nil {
		c.backoff = ratelimit.Backoff(ratelimit.DefaultBackoffBase, ratelimit.DefaultBackoffCap)
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if auth == AuthOAuth2 {
		tokenURL := cfg.TokenURL
		if tokenURL == "" {
			if tokenURL, err = TokenURLFor(cfg.BaseURL); err != nil {
				return nil, err
			}
		}
		c.tokens = newTokenSource(tokenURL, cfg.Key, cfg.Secret, cfg.UserAgent, c.hc,
			func() time.Time { return c.now() }, func() { c.tokenFetches.Add(1) })
	}
	return c, nil
}

// Stats returns a snapshot of the counters.
func (c *Client) Stats() Stats {
	return Stats{
		Requests:      c.requests.Load(),
		Retries:       c.retried.Load(),
		Throttled:     c.throttled.Load(),
		Ambiguous:     c.ambiguous.Load(),
		TokenFetches:  c.tokenFetches.Load(),
		DryRunSkipped: c.dryRunSkipped.Load(),
	}
}

type noLimiter struct{}

func (noLimiter) Wait(ctx context.Context) error { return ctx.Err() }
func (noLimiter) Throttle(time.Duration)         {}
func (noLimiter) Success()                       {}

// envelope is the part every answer shares.
type envelope interface{ env() *Envelope }

// Envelope holds the status fields every answer carries.
type Envelope struct {
	Status     string     `json:"status,omitempty"`
	StatusCode FlexString `json:"statusCode,omitempty"`
	Message    string     `json:"message,omitempty"`
}

func (e *Envelope) env() *Envelope { return e }

// numberCounter is implemented by requests that carry a list of numbers, for
// the dry-run log line.
type numberCounter interface{ numberCount() int }

// call is the shape of every operation.
func call[Resp any, PResp interface {
	*Resp
	envelope
}](ctx context.Context, c *Client, op string, req any) (*Resp, error) {
	resp := PResp(new(Resp))
	if err := c.do(ctx, op, req, resp); err != nil {
		return nil, err
	}
	return (*Resp)(resp), nil
}

// attempt outcome, internal to do.
type outcome struct {
	err        error
	class      errClass
	retryAfter time.Duration
	throttle   bool
	authFailed bool
}

// do is the one path every operation takes: dry run, body encoding with the
// privateKey, auth, rate limiting, sending, decoding, error typing and
// retries.
func (c *Client) do(ctx context.Context, opName string, req any, resp envelope) error {
	spec, ok := ops[opName]
	if !ok {
		return fmt.Errorf("inteliquent: unknown operation %q", opName)
	}
	if c.dryRun && spec.stateChanging {
		n := 0
		if nc, ok := req.(numberCounter); ok {
			n = nc.numberCount()
		}
		c.dryRunSkipped.Add(1)
		c.recordDryRun(ctx, spec, req, n)
		c.log.InfoContext(ctx, fmt.Sprintf("dry run: would send %s with %d numbers", spec.name, n),
			slog.String("op", spec.name), slog.Int("numbers", n))
		return fmt.Errorf("inteliquent: %s: %w", spec.name, ErrDryRun)
	}
	var body []byte
	if spec.method != http.MethodGet {
		var err error
		if body, err = c.encode(spec, req); err != nil {
			return err
		}
	}
	target := c.baseURL + "/" + spec.name
	switch spec.base {
	case baseHealthChecker:
		target = c.healthURL
	case baseClientMgmt:
		target = ClientMgmtURL(c.baseURL) + "/" + spec.name
	}

	refreshed := false
	for attempt := 0; ; attempt++ {
		if err := c.limiter.Wait(ctx); err != nil {
			return fmt.Errorf("inteliquent: %s: rate limiter: %w", spec.name, err)
		}
		out := c.attempt(ctx, spec, target, body, resp)
		if out.err == nil {
			c.limiter.Success()
			return nil
		}
		if ctx.Err() != nil {
			return out.err
		}
		if out.throttle {
			c.throttled.Add(1)
			c.limiter.Throttle(out.retryAfter)
		}
		if out.class == classAmbiguous {
			c.ambiguous.Add(1)
		}
		if out.authFailed && c.tokens != nil && !refreshed {
			// Refresh once per call on 401001, without spending a retry.
			refreshed = true
			c.retried.Add(1)
			c.log.DebugContext(ctx, "token rejected; refreshing", slog.String("op", spec.name))
			attempt--
			continue
		}
		if out.authFailed {
			// The API refused the credentials: say which, and stop.
			return &AuthError{Endpoint: redactURL(target), Err: out.err, class: classFatal}
		}
		// The delivery policy (DESIGN.md rule 3): a call is sent again only
		// when the answer proves it was not applied (HTTP 429, the
		// operation's "try again" code, a failure before the request was
		// written), or when the operation is idempotent. Anything else that
		// may have been applied goes back to the caller, in doubt.
		retry := out.class == classRetryable || out.class == classAmbiguous && spec.idempotent
		if !retry || attempt >= c.retries {
			var ae *AuthError
			if errors.As(out.err, &ae) {
				ae.class = classFatal // the token endpoint kept failing: stop the run
			}
			return out.err
		}
		delay := c.backoff(attempt, out.retryAfter)
		if out.throttle {
			// Slowing down when asked is expected, but say so.
			c.log.WarnContext(ctx, LogSlowDown, slog.String("op", spec.name),
				slog.Int("attempt", attempt+1), slog.Duration("delay", delay), slog.String("reason", out.err.Error()))
		} else {
			c.log.InfoContext(ctx, LogRetrying, slog.String("op", spec.name), slog.Int("attempt", attempt+1),
				slog.Duration("delay", delay), slog.String("reason", out.err.Error()))
		}
		if err := c.sleep(ctx, delay); err != nil {
			return out.err
		}
		c.retried.Add(1)
	}
}

// encode marshals req and puts "privateKey" first in the object.
func (c *Client) encode(spec opSpec, req any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if req == nil || isNilPtr(req) {
		buf.WriteString("{}")
	} else if err := enc.Encode(req); err != nil {
		return nil, fmt.Errorf("inteliquent: %s: encode request: %w", spec.name, err)
	}
	raw := bytes.TrimSpace(buf.Bytes())
	if len(raw) < 2 || raw[0] != '{' {
		return nil, fmt.Errorf("inteliquent: %s: request must encode to a JSON object", spec.name)
	}
	if !spec.privateKey {
		return raw, nil
	}
	key, _ := json.Marshal(c.key)
	out := make([]byte, 0, len(raw)+len(key)+16)
	out = append(out, `{"privateKey":`...)
	out = append(out, key...)
	rest := bytes.TrimSpace(raw[1:])
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...), nil
}

func isNilPtr(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// attempt sends one request and classifies the answer.
func (c *Client) attempt(ctx context.Context, spec opSpec, target string, body []byte, resp envelope) outcome {
	var authz, token string
	switch {
	case c.tokens != nil:
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return outcome{err: fmt.Errorf("inteliquent: %s: token: %w", spec.name, err), class: classFinal}
			}
			ae := c.tokenFailure(err)
			return outcome{err: ae, class: ae.class, retryAfter: ae.retryAfter, throttle: ae.status == http.StatusTooManyRequests}
		}
		token, authz = tok, "Bearer "+tok
	default:
		authz = basicAuth(c.key, c.secret)
	}

	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			wrote.Store(true)
		}
	}}
	hreq, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), spec.method, target, rdr)
	if err != nil {
		return outcome{err: &RequestError{Op: spec.name, Err: fmt.Errorf("build request: %w", err), class: classFinal}}
	}
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("Authorization", authz)
	if c.ua != "" {
		hreq.Header.Set("User-Agent", c.ua)
	}

	c.requests.Add(1)
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		return c.transportOutcome(spec, err, wrote.Load())
	}
	defer hresp.Body.Close()
	raw, err := readAnswer(hresp.Body, hresp.ContentLength)
	if err != nil {
		// The API answered (so it received the request) but the body was cut.
		return c.transportOutcome(spec, fmt.Errorf("read answer: %w", err), true)
	}
	retryAfter := ratelimit.ParseRetryAfter(hresp.Header.Get("Retry-After"), c.now())
	return c.classify(spec, hresp.StatusCode, hresp.Header, retryAfter, raw, resp, token)
}

// readAnswer reads an answer's body, at most maxResponseBytes of it. With a
// Content-Length it reads into a buffer of that size at once: io.ReadAll
// starts at 512 bytes and grows (and zeroes) its way to a 50 KB tnDetail
// page, a read call at each step. What a Content-Length may make it set
// aside before any byte arrives is capped (preallocMax): a server cannot
// make it allocate by announcing a body it never sends.
func readAnswer(body io.Reader, contentLength int64) ([]byte, error) {
	lr := io.LimitReader(body, maxResponseBytes)
	if contentLength <= 0 {
		return io.ReadAll(lr)
	}
	var b bytes.Buffer
	b.Grow(int(min(contentLength, preallocMax)) + bytes.MinRead) // room for the read that finds EOF
	_, err := b.ReadFrom(lr)
	return b.Bytes(), err
}

// preallocMax is the most readAnswer sets aside for a body before reading it.
const preallocMax = 1 << 20

func (c *Client) transportOutcome(spec opSpec, err error, wrote bool) outcome {
	// Only a failure before the request was written (DNS, connection
	// refused, TLS handshake) proves it was not applied; once it was
	// written, a reset, a timeout or a cut answer leaves it in doubt.
	re := &RequestError{Op: spec.name, Ambiguous: wrote, Err: err, class: classRetryable}
	if wrote {
		re.class = classAmbiguous
	}
	return outcome{err: re, class: re.class}
}

// classify turns an HTTP answer into nil (decoded into resp) or a typed
// error whose class says what happens next (DESIGN.md rule 3):
//
//   - classRetryable: the answer proves the request was not applied and asks
//     for another try: HTTP 429, or body 431 where the operation's 431 means
//     "try again".
//   - classAmbiguous: the API (or a gateway in front of it) may have applied
//     it: HTTP 5xx with or without a body, body 500 "Internal Error" or 462
//     "An Unknown error has occurred", a 200 that cannot be read or that
//     carries no statusCode. Only idempotent operations are sent again; the
//     others go back to the caller in doubt.
//   - classFatal: credentials or privateKey refused, or a redirect: stop.
//   - classFinal: any other answer: the API refused the request.
func (c *Client) classify(spec opSpec, status int, header http.Header, retryAfter time.Duration, raw []byte, resp envelope, token string) outcome {
	var env Envelope
	decErr := decodeAnswer(raw, resp)
	if decErr == nil {
		env = *resp.env()
	} else {
		_ = json.Unmarshal(raw, &env) // error bodies may have another shape
	}
	code := strings.TrimSpace(string(env.StatusCode))
	ae := &APIError{Op: spec.name, HTTPStatus: status, Code: code, Status: env.Status, Message: env.Message, RetryAfter: retryAfter}
	c.scrub(ae, token)
	fail := func(class errClass) outcome {
		ae.class = class
		return outcome{err: ae, class: class, retryAfter: retryAfter}
	}

	switch {
	case status >= 300 && status < 400:
		// Never followed (see New): name where it pointed and stop, since
		// the endpoint is not what it claims. The request was written, so
		// a state-changing one is in doubt until reconciled.
		ae.Redirect = header.Get("Location")
		return fail(classFatal)
	case status == http.StatusTooManyRequests:
		out := fail(classRetryable)
		out.throttle = true
		return out
	case status == http.StatusUnauthorized || code == "401001":
		if c.tokens != nil && token != "" {
			c.tokens.Invalidate(token)
		}
		out := fail(classFatal)
		out.authFailed = true
		return out
	case status >= 500:
		// A gateway or the API failed, perhaps after applying the change.
		out := fail(classAmbiguous)
		out.throttle = status == http.StatusServiceUnavailable
		return out
	case status < 200 || status >= 300:
		if fatalCode(code, env.Status+" "+env.Message) {
			return fail(classFatal)
		}
		return fail(classFinal)
	}

	switch {
	case decErr != nil:
		// A 200 we cannot read: the request may well have been applied.
		re := &RequestError{Op: spec.name, Ambiguous: true, Err: fmt.Errorf("unreadable answer: %w", decErr), class: classAmbiguous}
		return outcome{err: re, class: classAmbiguous}
	case code == "200":
		return outcome{}
	case code == "" && !spec.stateChanging:
		// Reads answer without a statusCode in some of the guide's
		// examples (healthCheck, a few listings); their data decides.
		return outcome{}
	case code == "":
		// A state-changing answer must say how it went; one that does not
		// ({} from a proxy, a cut document) proves nothing either way.
		ae.Status = firstNonEmpty(ae.Status, "the answer has no statusCode")
		return fail(classAmbiguous)
	case code == "430" && spec.empty430:
		return outcome{}
	case code == "431" && spec.retry431:
		out := fail(classRetryable)
		out.throttle = true
		return out
	case code == "500" || code == "462":
		// "Internal Error" / "An Unknown error has occurred": not a refusal.
		return fail(classAmbiguous)
	case fatalCode(code, env.Status+" "+env.Message):
		return fail(classFatal)
	}
	return fail(classFinal)
}

// tokenFailure types a failure to get a token. A token endpoint that
// answers 429 or 5xx is asked again (Client.do turns the last such failure
// into a fatal one); anything else (unreachable, refused credentials, a
// redirect, an answer without a token) stops the run at once: every row
// would fail the same way.
func (c *Client) tokenFailure(err error) *AuthError {
	ae := &AuthError{Endpoint: redactURL(c.tokens.url), Err: err, class: classFatal}
	var api *APIError
	if errors.As(err, &api) {
		ae.status = api.HTTPStatus
		ae.retryAfter = api.RetryAfter
		if api.HTTPStatus == http.StatusTooManyRequests || api.HTTPStatus >= 500 {
			ae.class = classRetryable
		}
	}
	return ae
}

// scrub removes credentials from the text of an API error, in case the API
// ever echoes them (the Basic header's encoding included).
func (c *Client) scrub(ae *APIError, token string) {
	scrubAPIError(ae, c.key, c.secret, token, strings.TrimPrefix(basicAuth(c.key, c.secret), "Basic "))
}

func scrubAPIError(ae *APIError, secrets ...string) {
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		ae.Status = strings.ReplaceAll(ae.Status, s, "[REDACTED]")
		ae.Message = strings.ReplaceAll(ae.Message, s, "[REDACTED]")
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// LimiterStats returns the counters of the client's rate limiter when it
// keeps them (a *ratelimit.Limiter), and false otherwise.
func (c *Client) LimiterStats() (ratelimit.Stats, bool) {
	s, ok := c.limiter.(interface{ Stats() ratelimit.Stats })
	if !ok {
		return ratelimit.Stats{}, false
	}
	return s.Stats(), true
}
