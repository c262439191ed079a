package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/pipeline"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// runOptions are the flags of run, resume and follow. Everything a run
// records lives in Settings, one struct the flags are bound to: a setting
// added there (and bound to a flag) is recorded and restored with no other
// change (see restoreSettings).
type runOptions struct {
	Endpoint string
	Out      string
	Yes      bool
	S        pipeline.Settings
	// RetryFailed (resume --retry-failed) is an action, not a setting: it
	// is not recorded.
	RetryFailed bool
	// changes are the recorded settings a flag overrode on resume.
	changes []string
	// Output is what stdout gets: --json, --print-dir, or iqbulk plan's
	// plan (output.go).
	Output outputOptions
}

func (o *runOptions) connectOptions() connectOptions {
	return connectOptions{Endpoint: o.Endpoint, DryRun: o.S.DryRun, Connection: o.S.Connection}
}

// addSettleFlag offers --settle on the commands that send.
func addSettleFlag(cmd *cobra.Command, o *runOptions) {
	cmd.Flags().DurationVar(&o.S.Settle, "settle", -1, "wait this long after a request whose answer was lost before asking the API what it did; the API may show an order some time after it placed it (0 on the embedded sandbox, which shows every change at once)")
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

func addConnectFlags(cmd *cobra.Command, endpoint *string, c *pipeline.Connection) {
	f := cmd.Flags()
	f.StringVar(endpoint, "endpoint", "", "sandbox (embedded simulator, the default), production, inteliquent-sandbox, or a URL")
	f.BoolVar(&c.Insecure, "insecure", false, "allow a plain-http endpoint that is not on loopback")
	f.Float64Var(&c.Rate, "rate", 20, "requests per second, shared by all workers (0 = unlimited)")
	f.IntVar(&c.Burst, "burst", 0, "requests allowed at once above the rate (0 = default)")
	f.IntVar(&c.Retries, "retries", 5, "retries of a request proven not applied (HTTP 429, try again, connection refused) or idempotent (also after HTTP 5xx or a lost answer); 0 (none) to 100")
	f.DurationVar(&c.Timeout, "timeout", 60*time.Second, "timeout of one HTTP request")
}

// addResumableFlags are the settings resume may change: the connection,
// the concurrency and the follow-up.
func addResumableFlags(cmd *cobra.Command, o *runOptions) {
	addConnectFlags(cmd, &o.Endpoint, &o.S.Connection)
	f := cmd.Flags()
	f.IntVar(&o.S.Concurrency, "concurrency", 4, fmt.Sprintf("requests in flight at once, 1 to %d; when not given, 4 or a tenth of --rate if that is more (at most %d)", maxConcurrency, maxConcurrency))
	f.BoolVar(&o.Yes, "yes", false, "confirm a destructive job outside the sandbox")
	f.BoolVar(&o.S.Follow.Enabled, "follow", false, "after sending, follow the orders until they are final (orderDetail, excluded lists)")
	addFollowFlags(cmd, &o.S.Follow)
	addSettleFlag(cmd, o)
}

const maxConcurrency = 64

// defaultConcurrency is the concurrency when none is given: a tenth of the
// rate, so that rate requests a second stay in flight at 100 ms a request
// (a worker also waits for its checkpoint commits and, with a snapshot,
// sends two requests a batch), at least 4 and at most maxConcurrency. An
// unlimited rate (0) keeps 4. Measured: at --rate 200 against 10 ms of
// latency 8 workers held 0.97 of the rate (bench/limit.sh).
func defaultConcurrency(rate float64) int {
	if rate <= 0 {
		return 4
	}
	return min(max(4, int(math.Ceil(rate/10))), maxConcurrency)
}

const credentialsHelp = `
Credentials and environment:
  IQ_API_KEY            API key (also sent as privateKey); needed for any
                        endpoint but the embedded sandbox
  IQ_API_SECRET         API secret
  IQ_AUTH               oauth2 (the default) or basic
  IQBULK_SANDBOX_STATE  state directory of the embedded sandbox (default: the
                        user cache dir's iqbulk/sandbox)
Keys and tokens never appear in logs, results, checkpoints or messages.`

func newRunCmd(e *env) *cobra.Command {
	cmd, _ := runCmd(e)
	return cmd
}

// runCmd builds run's command and returns its options too, so iqbulk plan
// takes exactly run's flags (plan.go).
func runCmd(e *env) (*cobra.Command, *runOptions) {
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

A run directory belongs to one run: --out naming a directory that holds a
run is refused (continue that run with iqbulk resume RUN_DIR). Every setting
(rate, burst, concurrency, batch size, retries, timeout, follow-up, job
options, endpoint, encoding) is recorded, and resume and follow use it again.

Exit codes: 0 every row ok; 1 some rows not ok; 2 usage, configuration or
manifest error (nothing sent); 3 interrupted, failed after sending, rows in
doubt or not sent yet: resumable.

` + statusHelp() + "\n" + credentialsHelp,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.S.JobOptions = jobOptionsFrom(cmd)
			return runJob(cmd.Context(), e, cmd, args[0], args[1], o)
		},
	}
	addResumableFlags(cmd, &o)
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "run directory (default runs/JOB-UTCTIMESTAMP); it must not hold a run already")
	f.BoolVar(&o.S.DryRun, "dry-run", false, "validate and plan, send nothing that changes state")
	f.IntVar(&o.S.BatchSize, "batch-size", 0, "numbers per request, 1 to the job's maximum (default: the maximum, at most 100)")
	f.StringVar(&o.S.Sheet, "sheet", "", "XLSX sheet to read (default: the first)")
	f.StringVar(&o.S.Encoding, "encoding", "", "encoding of a CSV manifest that is not UTF-8: "+strings.Join(readers.Encodings[1:], ", ")+" (UTF-16 with a byte order mark is detected)")
	addJobOptionFlags(cmd)
	f.StringVar(&o.S.EmitManifest, "emit-manifest", "", "csr: when the run has finished, write a port-in manifest (.csv or .xlsx) seeded from the CSR answers")
	addOutputFlags(cmd, &o.Output)
	addUndoRunFlags(cmd, &o)
	return cmd, &o
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
kept in the checkpoint. The run's recorded settings are used; a flag given
here overrides one, and says so.
` + credentialsHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			job, err := o.restore(cmd.Context(), cmd, args[0])
			if err != nil {
				return err
			}
			o.Yes = true // follow-up only reads
			return session(cmd.Context(), e, job, args[0], o, pipeline.Follow)
		},
	}
	addConnectFlags(cmd, &o.Endpoint, &o.S.Connection)
	addFollowFlags(cmd, &o.S.Follow)
	addOutputFlags(cmd, &o.Output)
	return cmd
}

func newResumeCmd(e *env) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "resume RUN_DIR",
		Short: "Continue an interrupted run, reconciling batches whose answer was lost",
		Long: `Continue a run where it stopped: batches whose answer was lost are
reconciled with the API before anything is sent again. The run's recorded
settings and endpoint are used; a flag given here overrides a setting and
says so; --endpoint other than the recorded one is refused.
` + credentialsHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			job, err := o.restore(cmd.Context(), cmd, args[0])
			if err != nil {
				return err
			}
			return session(cmd.Context(), e, job, args[0], o, pipeline.Resume)
		},
	}
	addResumableFlags(cmd, &o)
	cmd.Flags().BoolVar(&o.RetryFailed, "retry-failed", false, "send the run's failed rows again (same references; reconciled first)")
	addOutputFlags(cmd, &o.Output)
	return cmd
}

func lookupJob(name string) (jobs.Job, error) {
	job, err := jobs.Default().Lookup(name)
	if err != nil {
		var names []string
		for _, j := range jobs.Default().All() {
			names = append(names, j.Spec().Name)
		}
		if s := readers.Suggest(name, names); s != "" {
			return nil, fmt.Errorf("%w; did you mean %q?", err, s)
		}
	}
	return job, err
}

func runJob(ctx context.Context, e *env, cmd *cobra.Command, jobName, manifest string, o runOptions) error {
	job, err := lookupJob(jobName)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	// Kinds that read files named in the manifest (intl-document) take
	// them relative to the manifest's folder unless --documents-dir says
	// otherwise; the folder is recorded with the run's options for resume.
	if o.S.JobOptions[jobs.OptDocumentsDir] == "" && jobs.TakesOption(job, jobs.OptDocumentsDir) {
		if abs, err := filepath.Abs(manifest); err == nil {
			if o.S.JobOptions == nil {
				o.S.JobOptions = map[string]string{}
			}
			o.S.JobOptions[jobs.OptDocumentsDir] = filepath.Dir(abs)
		}
	}
	if job, err = jobs.Configure(job, o.S.JobOptions); err != nil {
		return withCode(ExitUsage, err)
	}
	if _, ok := job.(jobs.Emitter); o.S.EmitManifest != "" && !ok {
		return withCode(ExitUsage, fmt.Errorf("--emit-manifest: %s does not seed another job's manifest", jobName))
	}
	if err := checkSettings(cmd, o.S, job.Spec()); err != nil {
		return withCode(ExitUsage, err)
	}
	if _, err := os.Stat(manifest); err != nil {
		return withCode(ExitUsage, fmt.Errorf("manifest: %w", err))
	}
	endpoint, err := endpointName(o.Endpoint, o.S.Insecure)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	runID := newRunID(jobName)
	dir := o.Out
	if dir == "" {
		dir = filepath.Join(e.newRunsDir(), runID)
	}
	if err := pipeline.CheckNew(ctx, dir); err != nil {
		return withCode(ExitUsage, err)
	}
	// The run is recorded before anything connects: from here on, a
	// process killed at any moment leaves a run that resume continues.
	create := func(ctx context.Context, cfg pipeline.Config) error {
		cfg.Manifest, cfg.RunID, cfg.Endpoint = manifest, runID, endpoint
		_, err := pipeline.Create(ctx, cfg)
		return err
	}
	return sessionWith(ctx, e, job, dir, o, create, pipeline.Resume)
}

// restore reads the run in dir and takes its recorded settings; a flag given
// on the command line overrides the recorded value, and is noted in
// o.changes. --endpoint other than the recorded one is refused.
func (o *runOptions) restore(ctx context.Context, cmd *cobra.Command, dir string) (jobs.Job, error) {
	given := o.Endpoint
	if given != "" {
		var err error
		if given, err = endpointName(given, o.S.Insecure); err != nil {
			return nil, withCode(ExitUsage, err)
		}
	}
	run, err := pipeline.OpenForResume(ctx, dir, given)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	job, err := lookupJob(run.Job)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	flags := map[string]string{}
	cmd.Flags().Visit(func(f *pflag.Flag) { flags[f.Name] = f.Value.String() })
	if err := pipeline.ParseSettings(run.Options, &o.S); err != nil {
		return nil, withCode(ExitUsage, err)
	}
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		fl := cmd.Flags().Lookup(name)
		recorded := fl.Value.String()
		if err := fl.Value.Set(flags[name]); err != nil {
			return nil, withCode(ExitUsage, fmt.Errorf("--%s: %w", name, err))
		}
		if recorded != flags[name] {
			o.changes = append(o.changes, fmt.Sprintf("--%s %s (recorded: %s)", name, flags[name], recorded))
		}
	}
	if run.Endpoint != EndpointSandbox {
		o.Endpoint = run.Endpoint
	} else {
		o.Endpoint = ""
	}
	if job, err = jobs.Configure(job, o.S.JobOptions); err != nil {
		return nil, withCode(ExitUsage, err)
	}
	if err := checkSettings(cmd, o.S, job.Spec()); err != nil {
		return nil, withCode(ExitUsage, err)
	}
	return job, nil
}

// session runs start in a recorded run directory (resume, follow).
func session(ctx context.Context, e *env, job jobs.Job, dir string, o runOptions,
	start func(context.Context, pipeline.Config) (*pipeline.Report, error)) error {
	return sessionWith(ctx, e, job, dir, o, nil, start)
}

// sessionWith opens run.log (which starts with the effective settings),
// records a new run (create, for run), connects, wires signals and
// progress, runs start, and prints the summary. Shared by run, resume and
// follow.
func sessionWith(ctx context.Context, e *env, job jobs.Job, dir string, o runOptions,
	create func(context.Context, pipeline.Config) error,
	start func(context.Context, pipeline.Config) (*pipeline.Report, error)) error {
	spec := job.Spec()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return withCode(ExitUsage, err)
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "run.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	defer logFile.Close()
	log := runLogger(logFile, e.stderr)
	if o.S.Settle < 0 { // the endpoint's default, recorded as such
		o.S.Settle = DefaultSettle
		if o.Endpoint == "" || o.Endpoint == EndpointSandbox {
			o.S.Settle = 0 // the embedded sandbox shows every change at once
		}
	}
	logSettings(log, e.stderr, spec.Name, o)

	cfg := pipeline.Config{
		Job: job, Dir: dir, Log: log,
		Opts: o.S.Options, Follow: o.S.Follow, Settings: o.S, EmitManifest: o.S.EmitManifest,
	}
	if create != nil {
		if err := create(ctx, cfg); err != nil {
			return withCode(ExitUsage, err) // nothing recorded, nothing sent
		}
	}

	co := o.connectOptions()
	rec := planRecorder(&o, &co) // a dry run records what it would send (plan.go)
	conn, err := connect(ctx, e, co, log)
	if err != nil {
		return err
	}
	defer conn.Close()
	if rec != nil {
		rec.Settings.Account = conn.Account
	}
	if spec.Destructive && !conn.Embedded && !o.Yes && !o.S.DryRun {
		return withCode(ExitUsage, fmt.Errorf("%s is destructive (%v): pass --yes to run it against %s, or --dry-run first", spec.Name, spec.Operations, conn.Endpoint))
	}
	if tuneGC(conn.Embedded) {
		log.Info("collector", "gogc", runGCPercent, "memoryLimitMiB", runMemoryLimit>>20)
	}
	if conn.Embedded && !e.quiet {
		fmt.Fprintf(e.stderr, "iqbulk: using the embedded sandbox (state in %s); pass --endpoint production for the real API\n", conn.StateDir)
	}
	if o.S.DryRun && !e.quiet {
		fmt.Fprintln(e.stderr, "iqbulk: dry run: nothing that changes state will be sent")
	}
	o.Output.announce(e, dir)
	if o.S.Undoes != "" && !o.Output.JSON && !o.Output.PrintDir && !o.Output.plan {
		fmt.Fprintf(e.stdout, "undoes: %s\n", o.S.Undoes)
	}

	// First SIGINT/SIGTERM: stop taking batches, finish those in flight.
	// Second: abort at once (the checkpoint still holds).
	stop := make(chan struct{})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer onSignals(ctx, e.stderr, "iqbulk: stopping after the requests in flight (press Ctrl-C again to abort)",
		func() { close(stop) }, cancel)()

	cfg.API, cfg.Endpoint, cfg.Stop = conn.API, conn.Endpoint, stop
	cfg.RetryFailed = o.RetryFailed
	cfg.Progress = progressFor(e)
	cfg.Plan = rec
	rep, err := start(ctx, cfg)
	if err != nil {
		var (
			me *pipeline.ManifestError
			se *pipeline.SentError
		)
		switch {
		case errors.As(err, &se):
			// Something was sent: never exit 2, always say how to go on.
			if rep != nil {
				o.Output.printOrWarn(e, rep)
			}
			fmt.Fprintln(e.stderr, "iqbulk:", err)
			fmt.Fprintf(e.stderr, "iqbulk: the run stopped after sending; fix the cause and continue with: iqbulk resume %s\n", dir)
			return withCode(ExitInterrupted, nil)
		case errors.As(err, &me):
			return withCode(ExitUsage, err)
		case inteliquent.IsFatal(err) && (rep == nil || !rep.Sent()):
			return withCode(ExitUsage, fmt.Errorf("%w (nothing was sent; fix it and run iqbulk resume %s)", err, dir))
		case inteliquent.IsFatal(err):
			// Something was sent before the run stopped: exit 2 would
			// claim otherwise (DESIGN.md exit codes).
			o.Output.printOrWarn(e, rep)
			fmt.Fprintf(e.stderr, "iqbulk: stopped: %v\niqbulk: nothing more was sent; fix it and continue with: iqbulk resume %s\n", err, dir)
			return withCode(ExitInterrupted, nil)
		case rep == nil:
			return withCode(ExitUsage, err)
		}
		fmt.Fprintln(e.stderr, "iqbulk:", err)
	}
	o.Output.printOrWarn(e, rep)
	if o.Output.plan && !rep.Stopped && err == nil {
		return nil // a plan that could be made is a success, whatever its rows
	}
	if o.S.EmitManifest != "" && !rep.Stopped && err == nil && o.Output.text(e) {
		fmt.Fprintf(e.stdout, "manifest for %s: %s\n", job.(jobs.Emitter).EmitsFor(), o.S.EmitManifest)
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

// logSettings starts the session's part of run.log with the effective
// settings, and says on screen and in the log which recorded settings a
// flag overrode.
func logSettings(log *slog.Logger, stderr io.Writer, job string, o runOptions) {
	raw, _ := json.Marshal(o.S)
	endpoint := o.Endpoint
	if endpoint == "" {
		endpoint = EndpointSandbox
	}
	log.Info("settings", "job", job, "endpoint", endpoint, "settings", json.RawMessage(raw))
	for _, c := range o.changes {
		log.Info("setting overridden on the command line", "setting", c)
		fmt.Fprintf(stderr, "iqbulk: for this session, a flag overrides the run's recorded setting: %s\n", c)
	}
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
		fmt.Fprintf(w, "%-10s %8d%s\n", s, rep.Outcomes[s], reasonSuffix(rep, s))
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
