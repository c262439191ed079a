package inteliquent

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Service roots from the guide. The Services version segment is 1.0.0, as
// every one of the guide's example URLs uses (its Overview says 2.0.0; see
// docs/api-quirks.md).
const (
	ProductionServicesURL      = "https://services.inteliquent.com/Services/1.0.0"
	SandboxServicesURL         = "https://services-sandbox.inteliquent.com/Services/1.0.0"
	ProductionTokenURL         = "https://services-token.inteliquent.com/oauth2/token"
	SandboxTokenURL            = "https://services-token-sandbox.inteliquent.com/oauth2/token"
	ProductionClientMgmtURL    = "https://services.inteliquent.com/ClientMgmt/1.0.0"
	SandboxClientMgmtURL       = "https://services-sandbox.inteliquent.com/ClientMgmt/1.0.0"
	ProductionHealthCheckerURL = "https://services.inteliquent.com/HealthChecker/1.0.0"
	SandboxHealthCheckerURL    = "https://services-sandbox.inteliquent.com/HealthChecker/1.0.0"

	productionHost = "services.inteliquent.com"
	sandboxHost    = "services-sandbox.inteliquent.com"
)

// Authentication schemes.
const (
	AuthOAuth2 = "oauth2"
	AuthBasic  = "basic"
)

// Defaults.
const (
	DefaultRetries = 5
	// TokenLifetime is the guide's "Tokens expire after one hour"; the
	// client refreshes TokenRefreshMargin before it, whatever expires_in says.
	TokenLifetime      = time.Hour
	TokenRefreshMargin = 5 * time.Minute
	defaultHTTPTimeout = 2 * time.Minute
	maxResponseBytes   = 512 << 20
)

// Limiter paces requests. The client calls Wait before every attempt,
// Throttle when the API says "slow down" (HTTP 429, HTTP 503, body 431 where
// 431 means "try again"), and Success after a normal answer. ratelimit/
// implements it.
type Limiter interface {
	Wait(ctx context.Context) error
	Throttle(retryAfter time.Duration)
	Success()
}

// Config configures a Client.
type Config struct {
	// BaseURL is the Services base, e.g. ProductionServicesURL.
	BaseURL string
	// TokenURL is the OAuth2 token endpoint. When empty it is derived from
	// BaseURL: the production and sandbox Services hosts map to the guide's
	// token hosts; any other host gets scheme://host/oauth2/token.
	TokenURL string
	// Key and Secret are the portal's API key and secret. Key is also sent
	// as privateKey in every request body.
	Key, Secret string
	// Auth is AuthOAuth2 (default) or AuthBasic.
	Auth string
	// HTTPClient sends requests; default NewHTTPClient with a 2-minute
	// timeout.
	HTTPClient *http.Client
	// UserAgent is sent on every request when set.
	UserAgent string
	// Limiter paces requests; nil means no pacing.
	Limiter Limiter
	// Retries bounds the retries per call: 0 means DefaultRetries, negative
	// means none.
	Retries int
	// Backoff returns the delay before retry number attempt (0-based);
	// retryAfter is the server's Retry-After or 0. Default: exponential with
	// full jitter, ratelimit.Backoff(ratelimit.DefaultBackoffBase,
	// ratelimit.DefaultBackoffCap), never shorter than retryAfter.
	Backoff func(attempt int, retryAfter time.Duration) time.Duration
	// DryRun skips every state-changing operation (ErrDryRun) and logs it.
	DryRun bool
	// OnDryRun, when set, is given every request DryRun skipped, its body
	// encoded with the privateKey redacted (what iqbulk plan shows).
	OnDryRun func(context.Context, DryRunRequest)
	// Logger receives dry-run and retry messages; nil discards them.
	Logger *slog.Logger
}

// TokenURLFor derives the OAuth2 token URL for a Services base URL.
func TokenURLFor(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("inteliquent: base URL: %w", err)
	}
	if u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("inteliquent: base URL %q needs a scheme and host", u.Redacted())
	}
	switch strings.ToLower(u.Hostname()) {
	case productionHost:
		return ProductionTokenURL, nil
	case sandboxHost:
		return SandboxTokenURL, nil
	}
	return u.Scheme + "://" + u.Host + "/oauth2/token", nil
}

// HealthCheckURL returns the healthCheck URL that goes with a Services base
// URL: ".../Services/<version>" becomes ".../HealthChecker/1.0.0/healthCheck".
// A base without a "/Services/" segment gets scheme://host/HealthChecker/1.0.0.
func HealthCheckURL(base string) string {
	b := strings.TrimRight(base, "/")
	if i := strings.LastIndex(b, "/Services/"); i >= 0 {
		return b[:i] + "/HealthChecker/1.0.0/healthCheck"
	}
	if u, err := url.Parse(b); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host + "/HealthChecker/1.0.0/healthCheck"
	}
	return b + "/HealthChecker/1.0.0/healthCheck"
}

// ClientMgmtURL returns the ClientMgmt base that goes with a Services base URL.
func ClientMgmtURL(base string) string {
	b := strings.TrimRight(base, "/")
	if i := strings.LastIndex(b, "/Services/"); i >= 0 {
		return b[:i] + "/ClientMgmt/1.0.0"
	}
	return b + "/ClientMgmt/1.0.0"
}
