package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// Config is everything one run (or resume) needs.
type Config struct {
	Job      jobs.Job
	API      *inteliquent.Client
	Manifest string // path; for a resume, "" means the path recorded in the run
	Dir      string // the run directory
	RunID    string // for a new run
	Endpoint string // "sandbox", "production" or a URL (never credentials)
	Opts     Options
	Log      *slog.Logger
	Stop     <-chan struct{}
	Progress Progress
	Follow   FollowOptions
	// Settings are the rest of what the run records (connection, encoding);
	// Opts, Follow and EmitManifest are recorded from their own fields.
	Settings Settings
	// EmitManifest, for a kind that seeds another's manifest (csr ->
	// port-in), is the file to write when the run has finished.
	EmitManifest string
	// Plan, in a dry run, collects the requests not sent (wire Record to
	// inteliquent.Config.OnDryRun); the run then writes plan.json and
	// plan.txt and returns the plan in Report.Plan.
	Plan *PlanRecorder
	// RetryFailed, on a resume, reopens the rows that failed (proven not
	// applied) and sends them again under their batches' references,
	// reconciled first.
	RetryFailed bool

	// manifestHash is the manifest's hash when Start has just computed it
	// (Create), so that Resume does not read the whole file once more.
	manifestHash string
}

// Report is what a run (or resume) ends with.
type Report struct {
	Run      checkpoints.Run
	Dir      string
	Files    Files
	Rows     int
	Outcomes map[string]int
	Batches  map[string]int
	Stopped  bool // interrupted, resumable
	DryRun   bool
	Started  time.Time
	Finished time.Time
	API      inteliquent.Stats
	Reasons  []Reason // top reasons of the rows that are not ok
	Plan     *Plan    // a dry run's plan, when Config.Plan was set
	// Commits and Writes count this process's checkpoint transactions and
	// the writes they held (group commit: one fsync per commit).
	Commits, Writes int64
}

// ExitCode is the documented exit code for a finished run: 0 when every row
// is ok (or skipped in a dry run), 1 when any row is not, 3 when interrupted
// or when rows are in doubt or not sent yet (resumable).
func (r *Report) ExitCode() int {
	if r.Stopped || r.Outcomes[record.StatusInDoubt] > 0 {
		return 3
	}
	for _, s := range []string{record.StatusExcluded, record.StatusInvalid, record.StatusFailed, record.StatusPending} {
		if r.Outcomes[s] > 0 {
			return 1
		}
	}
	return 0
}

// Sent reports whether anything of the run may have reached the API as a
// state-changing request: any batch past planned, outside a dry run.
func (r *Report) Sent() bool {
	if r.DryRun {
		return false
	}
	for state, n := range r.Batches {
		if state != record.BatchPlanned && state != record.BatchOpen && n > 0 {
			return true
		}
	}
	return false
}

// Resumable reports whether the run still owns work: batches not sent yet,
// sent without an outcome, or in doubt.
func (r *Report) Resumable() bool {
	return r.Run.State == record.RunPlanning ||
		r.Batches[record.BatchOpen]+r.Batches[record.BatchPlanned]+r.Batches[record.BatchSent]+r.Batches[record.BatchInDoubt] > 0
}

// Start begins a new run in cfg.Dir, which must not hold one already: it
// records the run (Create) and runs it (Resume, which plans a run that has
// not been planned yet).
func Start(ctx context.Context, cfg Config) (*Report, error) {
	run, err := Create(ctx, cfg)
	if err != nil {
		return nil, err
	}
	// Create has just hashed the manifest: Resume need not read it again.
	cfg.manifestHash = run.ManifestHash
	return Resume(ctx, cfg)
}

// startPlan opens the manifest of a run that is not (fully) planned yet and
// prepares its planner, which continues a plan interrupted part-way. The
// planner runs while the runner sends (Runner.plan).
func startPlan(ctx context.Context, st *checkpoints.Store, run checkpoints.Run, cfg Config, manifest string) (*planner, func(), error) {
	rd, m, err := OpenManifest(manifest, cfg.Opts.Sheet, cfg.Job.Spec(), cfg.Settings.Encoding)
	if err != nil {
		return nil, nil, err
	}
	pl, err := newPlanner(ctx, st, run, cfg.Job, rd, m, cfg.Opts.BatchSize, newReferences(cfg.Job, cfg.API, cfg.Log))
	if err != nil {
		rd.Close()
		return nil, nil, err
	}
	if pl.seq > 0 {
		cfg.Log.Info("planning continues", "job", run.Job, "manifest", run.ManifestPath, "after", pl.seq, "dryRun", cfg.Opts.DryRun)
	} else {
		cfg.Log.Info("planning", "job", run.Job, "manifest", run.ManifestPath, "dryRun", cfg.Opts.DryRun)
	}
	if cfg.Progress != nil {
		// Progress from the first second: the rows read so far against an
		// estimate of the manifest's rows (its size), made exact when
		// planning ends.
		estimate := max(estimateRows(run.ManifestPath), pl.seq)
		cfg.Progress.Planning(pl.seq, estimate)
		pl.onRead = func(read int) {
			if read > estimate {
				estimate = read + read/10
			}
			cfg.Progress.Planning(read, estimate)
		}
	}
	return pl, func() { pl.close(); rd.Close() }, nil
}

// Resume continues the run in cfg.Dir: it refuses another job, another
// endpoint or a changed manifest, plans a run recorded but not planned yet,
// skips decided batches and reconciles those whose answer was never
// recorded. A failure after anything was sent is a *SentError.
func Resume(ctx context.Context, cfg Config) (*Report, error) {
	started := time.Now()
	if err := recordIntended(ctx, cfg); err != nil {
		return nil, err
	}
	st, run, err := openRun(ctx, cfg.Dir, true)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if run.Job != cfg.Job.Spec().Name {
		return nil, fmt.Errorf("%s holds a %s run, not %s", cfg.Dir, run.Job, cfg.Job.Spec().Name)
	}
	if err := CheckEndpoint(cfg.Dir, run, cfg.Endpoint); err != nil {
		return nil, err
	}
	manifest := cfg.Manifest
	if manifest == "" {
		manifest = run.ManifestPath
	}
	hash := cfg.manifestHash
	if hash == "" || manifest != cfg.Manifest {
		if hash, err = HashFile(manifest); err != nil {
			return nil, err
		}
	}
	if hash != run.ManifestHash {
		return nil, &ManifestError{fmt.Errorf("%s changed since the run started (sha256 %s, was %s): refusing to resume; start a new run for the new manifest", manifest, short(hash), short(run.ManifestHash))}
	}
	var pl *planner
	if run.State == record.RunPlanning {
		// Recorded but not planned, or interrupted while planning (and
		// perhaps sending): the plan starts or continues where the
		// checkpoint ends, while the runner sends.
		var closePlan func()
		pl, closePlan, err = startPlan(ctx, st, run, cfg, manifest)
		if err != nil {
			return nil, planFailed(ctx, st, cfg, err)
		}
		defer closePlan()
	} else {
		cfg.Log.Info("resuming", "run", run.ID, "settle", cfg.Opts.Settle.String())
	}
	if cfg.RetryFailed {
		n, err := st.ReopenFailed(ctx)
		if err != nil {
			return nil, err
		}
		cfg.Log.Info("reopened failed rows; their batches are reconciled before anything is sent", "rows", n)
	}
	rep, err := execute(ctx, st, cfg, started, pl)
	var me *ManifestError
	if rep == nil && errors.As(err, &me) {
		return nil, planFailed(ctx, st, cfg, err)
	}
	if err != nil && sentAnything(context.WithoutCancel(ctx), st, cfg.Opts.DryRun) {
		cfg.Log.Error("run failed after sending; resumable", "err", err)
		err = &SentError{Dir: cfg.Dir, Err: err}
	}
	return rep, err
}

// planFailed handles a plan that failed: a manifest that cannot be planned
// leaves no run behind when nothing was sent, so the directory is free for
// the fixed manifest; otherwise the run stays, resumable.
func planFailed(ctx context.Context, st *checkpoints.Store, cfg Config, err error) error {
	var me *ManifestError
	if errors.As(err, &me) && !sentAnything(context.WithoutCancel(ctx), st, cfg.Opts.DryRun) {
		st.Close()
		if derr := discardRun(cfg.Dir); derr != nil {
			cfg.Log.Warn("could not remove the run that planned nothing", "err", derr)
		}
	}
	return err
}

func execute(ctx context.Context, st *checkpoints.Store, cfg Config, started time.Time, pl *planner) (*Report, error) {
	run, err := st.Run(ctx)
	if err != nil {
		return nil, err
	}
	r := &Runner{Job: cfg.Job, API: cfg.API, Store: st, Log: cfg.Log, Opts: cfg.Opts, Stop: cfg.Stop}
	// The progress shown: rows decided (by the plan or earlier processes:
	// base) out of the total, once the total is known; while planning,
	// the rows read (startPlan).
	var (
		base    atomic.Int64
		showing atomic.Bool
	)
	startProgress := func(ctx context.Context) error {
		if cfg.Progress == nil {
			return nil
		}
		if pl != nil {
			if total, atPlan, ok := pl.decidedCounts(); ok {
				// This process planned every row: no count of the
				// checkpoint (a scan of every row) at the end of
				// planning, which the run's end would wait for.
				base.Store(int64(atPlan))
				cfg.Progress.Start(total, atPlan+int(r.decided.Load()))
				showing.Store(true)
				return nil
			}
		}
		byStatus, _, err := st.Counts(ctx)
		if err != nil {
			return err
		}
		total, done := 0, 0
		for s, n := range byStatus {
			total += n
			if s != "" {
				done += n
			}
		}
		base.Store(int64(done) - r.decided.Load())
		cfg.Progress.Start(total, done)
		showing.Store(true)
		return nil
	}
	if cfg.Progress != nil {
		r.Progress = func(n int) {
			if showing.Load() {
				cfg.Progress.Set(int(base.Load()) + n)
			}
		}
	}
	if pl == nil {
		if err := st.SetRunState(ctx, record.RunRunning); err != nil {
			return nil, err
		}
		if err := startProgress(ctx); err != nil {
			return nil, err
		}
	} else {
		r.plan = func(ctx context.Context, handOver func(checkpoints.Batch, []record.Row) error, hungry func() bool) error {
			if err := pl.plan(ctx, handOver, hungry); err != nil {
				return err
			}
			// Every row and batch is recorded: the run is planned (and
			// running: its first batches may be sent already).
			if err := st.SetRunState(ctx, record.RunRunning); err != nil {
				return err
			}
			cfg.Log.Info("planned", "rows", pl.planned)
			return startProgress(ctx)
		}
	}
	// The results are written while the run goes on, as the rows whose
	// outcomes are final grow from the manifest's start (outputs), so the
	// end has only the rest to write. A follow-up changes pending rows
	// after the run: the files are then written at the end alone.
	var ow *outputs
	wrote := make(chan error, 1)
	stopWriting := make(chan struct{})
	if !cfg.Follow.Enabled {
		format, _ := readers.Format(run.ManifestPath)
		if ow, err = newOutputs(ctx, st, run, cfg.Job.Spec(), cfg.Dir, FilesFor(format)); err != nil {
			return nil, fmt.Errorf("write results: %w", err)
		}
		r.Decided = ow.feed
		if pl != nil {
			pl.decided = ow.feedPlanned
		}
		go func() { wrote <- writeWhileRunning(ctx, ow, stopWriting) }()
	}
	execErr := r.Execute(ctx)
	if ow != nil {
		close(stopWriting)
		if err := <-wrote; err != nil {
			cfg.Log.Warn("results written at the end instead", "err", err)
			ow.abort()
			ow = nil
		}
	}
	if cfg.Progress != nil {
		cfg.Progress.Done()
	}
	var me *ManifestError
	if errors.As(execErr, &me) && !sentAnything(context.WithoutCancel(ctx), st, cfg.Opts.DryRun) {
		if ow != nil {
			ow.abort()
		}
		return nil, execErr // Resume discards the run: nothing to conclude
	}
	if execErr == nil && cfg.Follow.Enabled {
		execErr = follow(ctx, st, cfg)
	}
	return conclude(ctx, st, cfg, run, started, execErr, true, ow)
}

// writeWhileRunning writes the rows whose outcomes are final, a step every
// quarter second (from memory; the checkpoint is asked every second), until
// stop closes.
func writeWhileRunning(ctx context.Context, ow *outputs, stop <-chan struct{}) error {
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for n := 1; ; n++ {
		select {
		case <-stop:
			return nil
		case <-tick.C:
			if err := ow.writeFinal(ctx, n%4 == 0); err != nil {
				return err
			}
		}
	}
}

// conclude ends a run, a resume or a follow-up, whatever happened: the
// checkpoint holds it, so the run state is recorded and the outputs and the
// summary are rebuilt from it even when the work was interrupted, showing
// where it stands. Batches left in doubt (answers lost again and again) make
// the run resumable rather than finished.
//
// ow, when not nil, holds the results written while the run went on: the
// rows written then had final outcomes, so only the rest is written now.
func conclude(ctx context.Context, st *checkpoints.Store, cfg Config, run checkpoints.Run, started time.Time, workErr error, setState bool, ow *outputs) (*Report, error) {
	stopped := errors.Is(workErr, ErrStopped) || errors.Is(workErr, context.Canceled)
	bg := context.WithoutCancel(ctx)
	if cur, err := st.Run(bg); err == nil && cur.State == record.RunPlanning {
		setState = false // not fully planned: the run stays planning, and resume continues the plan
	}
	if setState {
		state := record.RunDone
		if byBatch, err := st.BatchCounts(bg); workErr != nil || err != nil ||
			byBatch[record.BatchInDoubt]+byBatch[record.BatchSent]+byBatch[record.BatchPlanned]+byBatch[record.BatchOpen] > 0 {
			state = record.RunInterrupted
		}
		if err := st.SetRunState(bg, state); err != nil {
			return nil, err
		}
	}
	format, _ := readers.Format(run.ManifestPath)
	files := FilesFor(format)
	if ow != nil {
		defer ow.abort() // after finish, nothing
		cfg.Log.Info("writing results", "rowsWrittenWhileRunning", ow.written, "fromMemory", ow.fromMemory)
		if err := ow.finish(bg); err != nil {
			return nil, fmt.Errorf("write results: %w", err)
		}
	} else if err := WriteOutputs(bg, st, run, cfg.Job.Spec(), cfg.Dir, files); err != nil {
		return nil, fmt.Errorf("write results: %w", err)
	}
	var written *tally // the rows the results writer counted, when it wrote them all
	if ow != nil {
		written = ow.tally
	}
	rep, err := reportWith(bg, st, cfg, files, started, written)
	if err != nil {
		return nil, err
	}
	rep.Stopped = stopped || rep.Resumable()
	if cfg.EmitManifest != "" && workErr == nil && !rep.Stopped {
		n, err := emitManifest(bg, st, cfg.Job, cfg.EmitManifest)
		if err != nil {
			return nil, fmt.Errorf("emit manifest: %w", err)
		}
		cfg.Log.Info("emitted manifest", "file", cfg.EmitManifest, "rows", n)
	}
	if cfg.API != nil {
		rep.API = cfg.API.Stats()
	}
	rep.Commits, rep.Writes = st.Commits()
	if err := writeSummary(cfg, rep); err != nil {
		return nil, err
	}
	if err := concludeExtras(bg, st, cfg, run, rep); err != nil {
		return nil, err
	}
	if workErr != nil && !stopped {
		return rep, workErr
	}
	return rep, nil
}

// Status reads a run's counts without changing anything.
// A run recorded as planning, planned or running that no process holds is
// reported as interrupted: its process died without saying so.
func Status(ctx context.Context, dir string) (*Report, error) {
	st, run, err := openRun(ctx, dir, false)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	format, _ := readers.Format(run.ManifestPath)
	rep, err := report(ctx, st, Config{Dir: dir}, FilesFor(format), time.Time{})
	if err != nil {
		return nil, err
	}
	switch rep.Run.State {
	case record.RunPlanning, record.RunPlanned, record.RunRunning:
		if st.Lock() == nil { // nobody holds it; Close releases it
			rep.Run.State = record.RunInterrupted
		}
	}
	return rep, nil
}

// openRun opens a run directory's checkpoint and reads its run; exclusive
// takes the run's lock (resume, follow-up), so two processes never work
// one run, while a reader (status) never waits.
func openRun(ctx context.Context, dir string, exclusive bool) (*checkpoints.Store, checkpoints.Run, error) {
	path := filepath.Join(dir, stateFile)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, checkpoints.Run{}, &NoRunError{Dir: dir}
		}
		return nil, checkpoints.Run{}, fmt.Errorf("%s is not a run directory: %w", dir, err)
	}
	st, err := checkpoints.Open(ctx, path)
	if err != nil {
		return nil, checkpoints.Run{}, err
	}
	if exclusive {
		if err := st.Lock(); err != nil {
			st.Close()
			return nil, checkpoints.Run{}, err
		}
	}
	run, err := st.Run(ctx)
	if err != nil {
		st.Close()
		if errors.Is(err, checkpoints.ErrNoRun) {
			return nil, checkpoints.Run{}, &NoRunError{Dir: dir}
		}
		return nil, checkpoints.Run{}, err
	}
	return st, run, nil
}

func report(ctx context.Context, st *checkpoints.Store, cfg Config, files Files, started time.Time) (*Report, error) {
	return reportWith(ctx, st, cfg, files, started, nil)
}

// reportWith is report with the counts of a results writer that wrote
// every row in this process (t, when usable), instead of reading every row
// of the checkpoint again.
func reportWith(ctx context.Context, st *checkpoints.Store, cfg Config, files Files, started time.Time, t *tally) (*Report, error) {
	run, err := st.Run(ctx)
	if err != nil {
		return nil, err
	}
	byBatch, err := st.BatchCounts(ctx)
	if err != nil {
		return nil, err
	}
	var (
		byStatus  map[string]int
		undecided map[string]int
		reasons   []Reason
	)
	if t != nil && !t.over {
		byStatus, undecided = t.counts(), t.undecided
		reasons = reasonsOf(t.reasons(reasonsPerStatus, reasonStatuses()...), undecided)
	} else {
		if byStatus, _, err = st.Counts(ctx); err != nil {
			return nil, err
		}
		if byStatus[""] > 0 {
			if undecided, err = st.UndecidedByBatchState(ctx); err != nil {
				return nil, err
			}
		}
		if reasons, err = Reasons(ctx, st); err != nil {
			return nil, err
		}
	}
	rows := 0
	for _, n := range byStatus {
		rows += n
	}
	if byStatus[""] > 0 {
		// Rows without an outcome are shown as record.Undecided says.
		delete(byStatus, "")
		for state, n := range undecided {
			byStatus[record.Undecided(state, "").Status] += n
		}
	}
	var opts Options
	_ = json.Unmarshal(run.Options, &opts)
	return &Report{Run: run, Dir: cfg.Dir, Files: files, Rows: rows, Outcomes: byStatus, Batches: byBatch,
		Started: started, Finished: time.Now(), DryRun: opts.DryRun, Reasons: reasons}, nil
}

func writeSummary(cfg Config, rep *Report) error {
	s := SummaryOf(rep, cfg.Opts.DryRun)
	if cfg.Opts.Undoes != "" {
		s.Extra = map[string]any{"undoes": cfg.Opts.Undoes} // iqbulk undo --run
	}
	return writers.WriteSummary(filepath.Join(cfg.Dir, rep.Files.Summary), s)
}

// SummaryOf is the summary.json object of a report: what run --json and
// status --json print.
func SummaryOf(rep *Report, dryRun bool) writers.Summary {
	outcomes := map[string]int{}
	for _, s := range record.Statuses() {
		outcomes[s] = rep.Outcomes[s]
	}
	s := writers.Summary{
		Job: rep.Run.Job, RunID: rep.Run.ID, RunDir: rep.Dir, Endpoint: rep.Run.Endpoint, DryRun: dryRun,
		Started: rep.Started, Finished: rep.Finished, Duration: rep.Finished.Sub(rep.Started).Round(time.Millisecond).String(),
		Rows: rep.Rows, Outcomes: outcomes, Batches: rep.Batches,
		Requests: rep.API.Requests, Retries: rep.API.Retries, Throttled: rep.API.Throttled,
		ExitCode: rep.ExitCode(), State: rep.Run.State, Reasons: summaryReasons(rep.Reasons),
		Files: map[string]string{"results": rep.Files.Results, "failed": rep.Files.Failed, "excluded": rep.Files.Excluded, "log": rep.Files.Log, "report": ReportFile},
	}
	return s
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
