package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/ratelimit"
	"github.com/iqbulk/iqbulk/sandbox"
)

// Endpoint names accepted by --endpoint besides a URL.
const (
	EndpointSandbox    = "sandbox"    // the embedded simulator (default)
	EndpointProduction = "production" // the real API
	EndpointIQSandbox  = "inteliquent-sandbox"
)

// connectOptions are the flags shared by every command that talks to the API.
type connectOptions struct {
	Endpoint string
	DryRun   bool
	pipeline.Connection
	// onDryRun receives the requests a dry run skips (iqbulk plan).
	onDryRun func(context.Context, inteliquent.DryRunRequest)
}

// connection is a client plus, for the embedded sandbox, the server behind it.
type connection struct {
	API       *inteliquent.Client
	Limiter   *ratelimit.Limiter
	Endpoint  string // what the run records: "sandbox", "production" or the URL
	Embedded  bool
	StateDir  string
	Account   string // who the run acts for, masked: never a key
	closeFunc func()
}

func (c *connection) Close() {
	if c.closeFunc != nil {
		c.closeFunc()
	}
}

// connect resolves --endpoint into a client. With no endpoint it starts the
// embedded sandbox on a loopback port, so nothing reaches a real account
// unless asked (DESIGN.md rule 7). Credentials come from the environment and
// never appear in anything this returns.
func connect(ctx context.Context, e *env, o connectOptions, log *slog.Logger) (*connection, error) {
	key, secret := e.getenv("IQ_API_KEY"), e.getenv("IQ_API_SECRET")
	auth := strings.ToLower(e.getenv("IQ_AUTH"))
	if auth == "" {
		auth = "oauth2"
	}
	if auth != "oauth2" && auth != "basic" {
		return nil, withCode(ExitUsage, fmt.Errorf("IQ_AUTH=%q: want oauth2 or basic", auth))
	}
	lim := ratelimit.New(o.Rate, o.Burst)
	cfg := inteliquent.Config{
		Auth: auth, Limiter: lim, Retries: clientRetries(o.Retries), DryRun: o.DryRun, Logger: log,
		UserAgent:  "iqbulk/" + Version,
		HTTPClient: timed(inteliquent.NewHTTPClient(o.Timeout), log),
		OnDryRun:   o.onDryRun,
	}
	conn := &connection{Limiter: lim}
	switch ep := o.Endpoint; ep {
	case "", EndpointSandbox:
		dir := e.getenv("IQBULK_SANDBOX_STATE")
		if dir == "" {
			var err error
			if dir, err = sandbox.DefaultStateDir(); err != nil {
				return nil, err
			}
		}
		// A dry run changes nothing, so it reads the sandbox's state without
		// its lock and may run beside a command that holds it.
		srv, err := sandbox.New(sandbox.Options{StateDir: dir, Logger: log, ReadOnly: o.DryRun})
		if err != nil {
			return nil, withCode(ExitUsage, fmt.Errorf("embedded sandbox (state in %s): %w. Another iqbulk command is using it: wait for it to finish, or run this one against another state with IQBULK_SANDBOX_STATE=DIR (a fresh sandbox world); if `iqbulk sandbox` is serving it, pass --endpoint with the URL it printed", dir, err))
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			srv.Close()
			return nil, err
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
		go hs.Serve(ln)
		conn.closeFunc = func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			hs.Shutdown(sctx)
			srv.Close()
		}
		cfg.BaseURL = "http://" + ln.Addr().String() + "/Services/1.0.0"
		if key == "" {
			key, secret = sandbox.DemoKey, sandbox.DemoSecret
		}
		conn.Endpoint, conn.Embedded, conn.StateDir = EndpointSandbox, true, dir
	case EndpointProduction:
		cfg.BaseURL, cfg.TokenURL = inteliquent.ProductionServicesURL, inteliquent.ProductionTokenURL
		conn.Endpoint = EndpointProduction
	case EndpointIQSandbox:
		cfg.BaseURL, cfg.TokenURL = inteliquent.SandboxServicesURL, inteliquent.SandboxTokenURL
		conn.Endpoint = EndpointIQSandbox
	default:
		if err := checkURL(ep, o.Insecure); err != nil {
			return nil, withCode(ExitUsage, err)
		}
		cfg.BaseURL = strings.TrimRight(ep, "/")
		conn.Endpoint = cfg.BaseURL
	}
	if key == "" || secret == "" {
		conn.Close()
		return nil, withCode(ExitUsage, errors.New("IQ_API_KEY and IQ_API_SECRET must be set for --endpoint "+conn.Endpoint))
	}
	cfg.Key, cfg.Secret = key, secret
	conn.Account = accountOf(conn, key)
	api, err := inteliquent.New(cfg)
	if err != nil {
		conn.Close()
		return nil, withCode(ExitUsage, err)
	}
	conn.API = api
	return conn, nil
}

// clientRetries maps --retries (0 = none) to the client's setting, where 0
// means its default and a negative number none.
func clientRetries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// endpointName is what a run records for --endpoint ep, before connecting:
// "sandbox", "production", "inteliquent-sandbox" or the URL without a
// trailing slash.
func endpointName(ep string, insecure bool) (string, error) {
	switch ep {
	case "":
		return EndpointSandbox, nil
	case EndpointSandbox, EndpointProduction, EndpointIQSandbox:
		return ep, nil
	}
	if err := checkURL(ep, insecure); err != nil {
		return "", err
	}
	return strings.TrimRight(ep, "/"), nil
}

// checkURL accepts https URLs, and http only on loopback addresses (or with
// --insecure): credentials must not cross a network in clear text.
func checkURL(raw string, insecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("--endpoint %q: want sandbox, production, %s or an http(s) URL", raw, EndpointIQSandbox)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if insecure || isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("--endpoint %s: plain http is only allowed to loopback addresses; use https (TLS 1.2+) or pass --insecure", raw)
	}
	return fmt.Errorf("--endpoint %q: unsupported scheme %q", raw, u.Scheme)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
