package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/record"
)

type runOptions struct {
	connectOptions
	Out         string
	Concurrency int
	BatchSize   int
	Sheet       string
	Yes         bool
	JobOptions  map[string]string // the job's own flags (jobs.Optioner), see joboptions.go
	Emit        string            // --emit-manifest
	Follow      pipeline.FollowOptions
	Settle      time.Duration // --settle; negative: the endpoint's default
	RetryFailed bool          // resume --retry-failed
	NoSnapshot  bool          // --no-snapshot (undo.go)
	Undoes      string        // the run an undo run undoes (undo.go)
}

// addSettleFlag offers --settle on the commands that send.
func addSettleFlag(cmd *cobra.Command, o *runOptions) {
	cmd.Flags().DurationVar(&o.Settle, "settle", -1, "wait this long after a request whose answer was lost before asking the API what it did; the API may show an order some time after it placed it (0 on the embedded sandbox, which shows every change at once)")
	cmd.Flags().Lookup("settle").DefValue = DefaultSettle.String()
}

// DefaultSettle is --settle's default against any endpoint but the embedded
// sandbox: the API may show an order some time after it placed it.
const DefaultSettle = 30 * time.Second

func addFollowFlags(cmd *cobra.Command, o *pipeline.FollowOptions) {
	f := cmd.Flags()
	f.DurationVar(&o.Timeout, "follow-timeout", time.Hour, "stop following orders after this long; open orders stay pending (iqbulk follow RUN_DIR later)")
	f.DurationVar(&o.Interval, "poll-interval", 10*time.Second, "time between looks at the open orders")
}

func addConnectFlags(cmd *cobra.Command, o *connectOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Endpoint, "endpoint", "", "sandbox (embedded simulator, the default), production, inteliquent-sandbox, or a URL")
	f.BoolVar(&o.Insecure, "insecure", false, "allow a plain-http endpoint that is not on loopback")
	f.Float64Var(&o.Rate, "rate", 20, "requests per second, shared by all workers (0 = unlimited)")
	f.IntVar(&o.Burst, "burst", 0, "requests allowed at once above the rate (0 = default)")
	f.IntVar(&o.Retries, "retries", 5, "retries of a request proven not applied (HTTP 429, try again, connection refused) or idempotent (also after HTTP 5xx or a lost answer)")
	f.DurationVar(&o.Timeout, "timeout", 60*time.Second, "timeout of one HTTP request")
}

func newRunCmd(e *env) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run JOB MANIFEST",
		Short: "Run a bulk job from a CSV or XLSX manifest; prints the run directory",
		Long: `Run a bulk job. Every row is validated, rows are grouped into requests of at
most 100 numbers, and every batch is checkpointed before it is sent and after
its answer, so an interrupted run resumes (iqbulk resume RUN_DIR) without
sending anything twice. Results: RUN_DIR/results.csv (or .xlsx), failed.csv
(the rows to fix and run again, in the manifest's columns), excluded.csv,
summary.json, run.log.

Exit codes: 0 every row ok; 1 some rows not ok; 2 usage, configuration or
manifest error (nothing sent); 3 interrupted, rows in doubt or not sent yet:
resumable.

` + statusHelp(),
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.JobOptions = jobOptionsFrom(cmd)
			return runJob(cmd.Context(), e, args[0], args[1], o)
		},
	}
	addConnectFlags(cmd, &o.connectOptions)
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "run directory (default runs/JOB-UTCTIMESTAMP); an existing run directory is resumed")
	f.BoolVar(&o.DryRun, "dry-run", false, "validate and plan, send nothing that changes state")
	f.IntVar(&o.Concurrency, "concurrency", 4, "requests in flight at once")
	f.IntVar(&o.BatchSize, "batch-size", 0, "numbers per request (default and maximum: the job's, at most 100)")
	f.StringVar(&o.Sheet, "sheet", "", "XLSX sheet to read (default: the first)")
	f.BoolVar(&o.Yes, "yes", false, "confirm a destructive job outside the sandbox")
	f.BoolVar(&o.Follow.Enabled, "follow", false, "after sending, follow the orders until they are final (orderDetail, excluded lists)")
	addFollowFlags(cmd, &o.Follow)
	addJobOptionFlags(cmd)
	f.StringVar(&o.Emit, "emit-manifest", "", "csr: when the run has finished, write a port-in manifest (.csv or .xlsx) seeded from the CSR answers")
	addSettleFlag(cmd, &o)
	addUndoRunFlags(cmd, &o)
	return cmd
}

func newFollowCmd(e *env) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "follow RUN_DIR",
		Short: "Poll a run's orders until they are final and update its results",
		Long: `Poll the orders a run placed (orderDetail, then excludedTnList,
excludedFeatureList and excludedE911Detail) until each is Closed or Canceled,
or --follow-timeout passes, and rebuild the results. It only reads; run it
again as often as needed (for port-ins, daily): each row's status history is
kept in the checkpoint.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := pipeline.Status(cmd.Context(), args[0])
			if err != nil {
				return withCode(ExitUsage, err)
			}
			job, err := jobs.Default().Lookup(rep.Run.Job)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			if o.Endpoint == "" && rep.Run.Endpoint != EndpointSandbox {
				o.Endpoint = rep.Run.Endpoint
			}
			o.Yes = true // follow-up only reads
			return session(cmd.Context(), e, job, args[0], o, pipeline.Follow)
		},
	}
	addConnectFlags(cmd, &o.connectOptions)
	addFollowFlags(cmd, &o.Follow)
	return cmd
}

func newResumeCmd(e *env) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "resume RUN_DIR",
		Short: "Continue an interrupted run, reconciling batches whose answer was lost",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return resumeJob(cmd.Context(), e, args[0], o)
		},
	}
	addConnectFlags(cmd, &o.connectOptions)
	cmd.Flags().IntVar(&o.Concurrency, "concurrency", 4, "requests in flight at once")
	cmd.Flags().BoolVar(&o.Yes, "yes", false, "confirm a destructive job outside the sandbox")
	cmd.Flags().BoolVar(&o.Follow.Enabled, "follow", false, "after sending, follow the orders until they are final")
	cmd.Flags().BoolVar(&o.RetryFailed, "retry-failed", false, "send the run's failed rows again (same references; reconciled first)")
	addFollowFlags(cmd, &o.Follow)
	addSettleFlag(cmd, &o)
	return cmd
}

func runJob(ctx context.Context, e *env, jobName, manifest string, o runOptions) error {
	job, err := jobs.Default().Lookup(jobName)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if job, err = jobs.Configure(job, o.JobOptions); err != nil {
		return withCode(ExitUsage, err)
	}
	if _, ok := job.(jobs.Emitter); o.Emit != "" && !ok {
		return withCode(ExitUsage, fmt.Errorf("--emit-manifest: %s does not seed another job's manifest", jobName))
	}
	if o.BatchSize < 0 || o.BatchSize > job.Spec().BatchSize {
		return withCode(ExitUsage, fmt.Errorf("--batch-size %d: %s takes 1 to %d numbers per request", o.BatchSize, jobName, job.Spec().BatchSize))
	}
	if _, err := os.Stat(manifest); err != nil {
		return withCode(ExitUsage, fmt.Errorf("manifest: %w", err))
	}
	if o.Out != "" {
		if _, err := os.Stat(filepath.Join(o.Out, "state.db")); err == nil {
			return resumeJob(ctx, e, o.Out, o)
		}
	}
	runID := newRunID(jobName)
	dir := o.Out
	if dir == "" {
		dir = filepath.Join("runs", runID)
	}
	return session(ctx, e, job, dir, o, func(ctx context.Context, cfg pipeline.Config) (*pipeline.Report, error) {
		cfg.Manifest, cfg.RunID = manifest, runID
		return pipeline.Start(ctx, cfg)
	})
}

func resumeJob(ctx context.Context, e *env, dir string, o runOptions) error {
	rep, err := pipeline.Status(ctx, dir)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	job, err := jobs.Default().Lookup(rep.Run.Job)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if err := o.restore(rep.Run.Options); err != nil {
		return withCode(ExitUsage, err)
	}
	if job, err = jobs.Configure(job, o.JobOptions); err != nil {
		return withCode(ExitUsage, err)
	}
	if o.Endpoint == "" && rep.Run.Endpoint != EndpointSandbox {
		o.Endpoint = rep.Run.Endpoint
	}
	return session(ctx, e, job, dir, o, pipeline.Resume)
}

// restore takes the run's recorded options (dry run, batch size, sheet), so a
// resumed run does what the original run would have done.
func (o *runOptions) restore(raw []byte) error {
	var po pipeline.Options
	if err := jsonUnmarshal(raw, &po); err != nil {
		return fmt.Errorf("run options: %w", err)
	}
	o.DryRun, o.BatchSize, o.Sheet = po.DryRun, po.BatchSize, po.Sheet
	o.JobOptions = po.JobOptions
	o.NoSnapshot, o.Undoes = po.NoSnapshot, po.Undoes
	if o.Settle < 0 {
		o.Settle = po.Settle
	}
	return nil
}

// session connects, wires signals, logging and progress, runs start, and
// prints the summary. It is shared by run and resume.
func session(ctx context.Context, e *env, job jobs.Job, dir string, o runOptions,
	start func(context.Context, pipeline.Config) (*pipeline.Report, error)) error {
	spec := job.Spec()
	if ep := o.Endpoint; ep != "" && ep != EndpointSandbox && ep != EndpointProduction && ep != EndpointIQSandbox {
		if err := checkURL(ep, o.Insecure); err != nil {
			return withCode(ExitUsage, err) // before anything is created
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return withCode(ExitUsage, err)
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "run.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	defer logFile.Close()
	log := runLogger(logFile, e.stderr)

	conn, err := connect(ctx, e, o.connectOptions, log)
	if err != nil {
		return err
	}
	defer conn.Close()
	if spec.Destructive && !conn.Embedded && !o.Yes && !o.DryRun {
		return withCode(ExitUsage, fmt.Errorf("%s is destructive (%v): pass --yes to run it against %s, or --dry-run first", spec.Name, spec.Operations, conn.Endpoint))
	}
	if conn.Embedded {
		fmt.Fprintf(e.stderr, "iqbulk: using the embedded sandbox (state in %s); pass --endpoint production for the real API\n", conn.StateDir)
	}
	if o.DryRun {
		fmt.Fprintln(e.stderr, "iqbulk: dry run: nothing that changes state will be sent")
	}
	if o.Settle < 0 {
		o.Settle = DefaultSettle
		if conn.Embedded {
			o.Settle = 0
		}
	}
	fmt.Fprintf(e.stdout, "run dir: %s\n", dir)
	if o.Undoes != "" {
		fmt.Fprintf(e.stdout, "undoes: %s\n", o.Undoes)
	}

	// First SIGINT/SIGTERM: stop taking batches, finish those in flight.
	// Second: abort at once (the checkpoint still holds).
	stop := make(chan struct{})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer onSignals(ctx, e.stderr, "iqbulk: stopping after the requests in flight (press Ctrl-C again to abort)",
		func() { close(stop) }, cancel)()

	cfg := pipeline.Config{
		Job: job, API: conn.API, Dir: dir, Endpoint: conn.Endpoint, Log: log, Stop: stop,
		Opts: pipeline.Options{DryRun: o.DryRun, Concurrency: o.Concurrency, BatchSize: o.BatchSize, Sheet: o.Sheet, Settle: o.Settle, JobOptions: o.JobOptions,
			NoSnapshot: o.NoSnapshot, Undoes: o.Undoes},
		RetryFailed:  o.RetryFailed,
		Progress:     pipeline.NewProgress(e.stderr, isTerminal(e.stderr), slog.New(slog.NewTextHandler(e.stderr, nil)), 10*time.Second),
		Follow:       o.Follow,
		EmitManifest: o.Emit,
	}
	rep, err := start(ctx, cfg)
	if err != nil {
		var me *pipeline.ManifestError
		switch {
		case errors.As(err, &me):
			return withCode(ExitUsage, err)
		case inteliquent.IsFatal(err) && (rep == nil || !rep.Sent()):
			return withCode(ExitUsage, fmt.Errorf("%w (nothing was sent; fix it and run iqbulk resume %s)", err, dir))
		case inteliquent.IsFatal(err):
			// Something was sent before the run stopped: exit 2 would
			// claim otherwise (DESIGN.md exit codes).
			printReport(e.stdout, rep)
			fmt.Fprintf(e.stderr, "iqbulk: stopped: %v\niqbulk: nothing more was sent; fix it and continue with: iqbulk resume %s\n", err, dir)
			return withCode(ExitInterrupted, nil)
		case rep == nil:
			return withCode(ExitUsage, err)
		}
		fmt.Fprintln(e.stderr, "iqbulk:", err)
	}
	printReport(e.stdout, rep)
	if o.Emit != "" && !rep.Stopped && err == nil {
		fmt.Fprintf(e.stdout, "manifest for %s: %s\n", job.(jobs.Emitter).EmitsFor(), o.Emit)
	}
	if rep.Stopped || err != nil {
		fmt.Fprintf(e.stderr, "iqbulk: interrupted; continue with: iqbulk resume %s\n", dir)
		return withCode(ExitInterrupted, nil)
	}
	if code := rep.ExitCode(); code != ExitOK {
		return withCode(code, nil)
	}
	return nil
}

// statusHelp lists every outcome and what to do about it, from package
// record (the one place they are defined).
func statusHelp() string {
	var b strings.Builder
	b.WriteString("Row statuses (results.csv):\n")
	for _, st := range record.Statuses() {
		fmt.Fprintf(&b, "  %-9s %s\n", st, record.Advice(st))
	}
	return strings.TrimRight(b.String(), "\n")
}

func printReport(w io.Writer, rep *pipeline.Report) {
	fmt.Fprintf(w, "%-10s %8s\n", "outcome", "rows")
	for _, s := range record.Statuses() {
		fmt.Fprintf(w, "%-10s %8d\n", s, rep.Outcomes[s])
	}
	fmt.Fprintf(w, "%-10s %8d\n", "total", rep.Rows)
	if rep.API.Requests > 0 {
		fmt.Fprintf(w, "requests %d, retries %d, throttled %d\n", rep.API.Requests, rep.API.Retries, rep.API.Throttled)
	}
	fmt.Fprintf(w, "results: %s\n", filepath.Join(rep.Dir, rep.Files.Results))
	if n := rep.Outcomes[record.StatusPending]; n > 0 {
		fmt.Fprintf(w, "%d rows wait on orders that are not final: iqbulk follow %s\n", n, rep.Dir)
	}
	if n := rep.Outcomes[record.StatusInDoubt]; n > 0 {
		fmt.Fprintf(w, "%d rows are in doubt (sent, answer unknown): iqbulk resume %s reconciles them; never send them again by hand\n", n, rep.Dir)
	}
	if rep.Outcomes[record.StatusExcluded]+rep.Outcomes[record.StatusInvalid]+rep.Outcomes[record.StatusFailed] > 0 {
		fmt.Fprintf(w, "rows safe to fix and run again as a manifest: %s\n", filepath.Join(rep.Dir, rep.Files.Failed))
	}
}

func newRunID(job string) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%s-%s", job, time.Now().UTC().Format("20060102T150405Z"), hex.EncodeToString(b[:]))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
