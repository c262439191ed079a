package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/iqbulk/iqbulk/sandbox"
)

type sandboxOptions struct {
	Listen     string
	StateDir   string
	Rate       float64
	Faults     string
	Reset      bool
	Key        string
	Secret     string
	ClockSpeed float64
	Seed       int64
	WorldSize  int
	ScrollTTL  time.Duration
}

func newSandboxCmd(e *env) *cobra.Command {
	var o sandboxOptions
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve the embedded simulator of the Inteliquent Services API on a loopback port",
		Long: `Serve the simulator that iqbulk runs against by default, for other clients
and for kill-and-resume tests. It prints its Services base URL; the OAuth2
token endpoint is /oauth2/token beside it, with /ClientMgmt/1.0.0 and
/HealthChecker/1.0.0. State persists in --state, so a resumed run sees the
world it left. Every state-changing request is appended to audit.jsonl there.

Faults: --faults "error=0.02,lost=0.01,applied-error=0.05,lag=2s,latency=5ms,rate=50":
error answers a body 431 or an HTTP 500 without applying the change; lost
applies the change and drops the connection without an answer;
applied-error applies the change, then answers HTTP 500/502 (empty or HTML
body) or a body statusCode 500/462; lag shows an order and its numbers to
reads (orderList, orderDetail, tnDetail, ...) only that long after it was
placed; latency delays every answer; rate limits requests per second per key
(over it: HTTP 429 with Retry-After and the guide's body 431). See
docs/sandbox.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveSandbox(cmd.Context(), e, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", "127.0.0.1:8080", "loopback address to serve on (port 0 picks a free one)")
	f.StringVar(&o.StateDir, "state", "", "state directory (default: the user cache dir's iqbulk/sandbox)")
	f.Float64Var(&o.Rate, "rate", 0, "requests per second per key before answering HTTP 429 (0 = unlimited)")
	f.StringVar(&o.Faults, "faults", "", `fault injection, e.g. "error=0.02,lost=0.01,latency=5ms,rate=50"`)
	f.BoolVar(&o.Reset, "reset", false, "start over from the seeded world")
	f.StringVar(&o.Key, "key", sandbox.DemoKey, "API key (privateKey) the sandbox accepts")
	f.StringVar(&o.Secret, "secret", sandbox.DemoSecret, "API secret the sandbox accepts")
	f.Float64Var(&o.ClockSpeed, "clock-speed", 1, "run simulated time this many times faster (order statuses, routing at 4 numbers/s)")
	f.Int64Var(&o.Seed, "seed", 0, "seed of the simulated world (0 = default)")
	f.IntVar(&o.WorldSize, "world-size", 0, "available numbers in the seeded world (0 = default, 1,000,000)")
	f.DurationVar(&o.ScrollTTL, "scroll-ttl", 5*time.Minute, "how long an unused searchId lives before a listing must start over")
	return cmd
}

func serveSandbox(ctx context.Context, e *env, o sandboxOptions) error {
	host, _, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("--listen %q: %w", o.Listen, err))
	}
	if !isLoopback(host) {
		return withCode(ExitUsage, fmt.Errorf("--listen %s: the sandbox serves on loopback addresses only", o.Listen))
	}
	faults, err := sandbox.ParseFaults(o.Faults)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	dir := o.StateDir
	if dir == "" {
		if dir, err = sandbox.DefaultStateDir(); err != nil {
			return withCode(ExitUsage, err)
		}
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	tuneSandboxGC()
	srv, err := sandbox.New(sandbox.Options{
		StateDir: dir, Reset: o.Reset, Seed: o.Seed, WorldSize: o.WorldSize, Key: o.Key, Secret: o.Secret,
		Rate: o.Rate, Faults: faults, ClockSpeed: o.ClockSpeed, ScrollTTL: o.ScrollTTL, Logger: log,
	})
	if err != nil {
		return withCode(ExitUsage, err)
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "iqbulk sandbox serving http://%s/Services/1.0.0 (token: http://%s/oauth2/token; state: %s)\n", ln.Addr(), ln.Addr(), dir)
	if o.Key == sandbox.DemoKey {
		fmt.Fprintf(e.stdout, "credentials: IQ_API_KEY=%s IQ_API_SECRET=%s (the documented demo pair)\n", sandbox.DemoKey, sandbox.DemoSecret)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return hs.Shutdown(sctx)
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
