package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
)

// Options are the knobs of one run that the checkpoint remembers.
type Options struct {
	DryRun      bool   `json:"dryRun"`
	Concurrency int    `json:"concurrency"`
	BatchSize   int    `json:"batchSize,omitempty"`
	Sheet       string `json:"sheet,omitempty"`
	// Reconciles bounds how often one batch is reconciled and re-sent after
	// lost answers, in one process, before it is left in doubt for a later
	// resume.
	Reconciles int `json:"reconciles,omitempty"`
	// Settle is how long after a batch was last sent the engine waits before
	// asking the API what became of it (DESIGN.md rule 2): the API may show
	// an order some time after it placed it, and a lookup inside that window
	// would find nothing and send the order again.
	Settle time.Duration `json:"settle"`
	// JobOptions are the job kind's own options (jobs.Optioner), e.g.
	// e911's validate-first; a resume configures the job with them again.
	JobOptions map[string]string `json:"jobOptions,omitempty"`
	// NoSnapshot turns off the snapshot of the values a batch overwrites,
	// read before it is sent, that `iqbulk undo` restores (snapshot.go).
	NoSnapshot bool `json:"noSnapshot,omitempty"`
	// Undoes names the run this run undoes (`iqbulk undo --run`): its id
	// and directory.
	Undoes string `json:"undoes,omitempty"`
}

// Runner executes the planned batches of one run.
type Runner struct {
	Job   jobs.Job
	API   *inteliquent.Client
	Store *checkpoints.Store
	Log   *slog.Logger
	Opts  Options
	// Stop, when closed, stops the runner from taking new batches; batches in
	// flight finish and are committed. Cancelling ctx instead aborts at once.
	Stop <-chan struct{}
	// Progress is told about every decided row (may be nil).
	Progress func(decided int)
	// Decided, when set, is given each batch's rows and their outcomes once
	// committed (the results written while the run goes on take them from
	// memory: outputs.feed).
	Decided func(cb checkpoints.Batch, sent []record.Row, outs []record.RowOutcome)
	// now is the clock (tests replace it); nil means time.Now.
	now func() time.Time

	decided atomic.Int64
	stopped atomic.Bool
	sched   *scheduler
	// idempotent is the job's Spec().Idempotent(), read once per run: a
	// Spec is built anew on every call.
	idempotent bool
	// plan, when set, plans the rest of the manifest while the runner
	// sends (planner.plan): it hands over each batch once the batch is
	// committed, and the run ends only after it has returned.
	plan func(ctx context.Context, handOver func(checkpoints.Batch, []record.Row) error, hungry func() bool) error
	// halted closes when the runner must take no more batches (the plan
	// failed: planErr); batches in flight finish.
	halted  chan struct{}
	planErr error
}

// aheadBatches is how many batches the planner may hand over before the
// workers take them: the planner reads on only as fast as the run sends,
// so the rows in memory stay few whatever the manifest's size. Twice the
// workers keeps each a batch in hand and one waiting (at --concurrency 64,
// four times held 25,600 rows, ~25 MB of the heap's peak).
func aheadBatches(concurrency int) int { return max(64, 2*concurrency) }

func (r *Runner) isHalted() bool {
	select {
	case <-r.halted:
		return true
	default:
		return false
	}
}

// ErrStopped is returned by Execute when Stop closed before every batch ran.
var ErrStopped = errors.New("run stopped before it finished")

// Execute takes every batch that has no outcome yet to one: planned ones
// are sent; those left sent or in doubt (by an earlier process, or by a lost
// answer in this one) are reconciled once their settle window has passed.
// Batches whose fate stays unknown are left in doubt, and the run ends
// resumable.
func (r *Runner) Execute(ctx context.Context) error {
	if r.Opts.Concurrency < 1 {
		r.Opts.Concurrency = 1
	}
	if r.Opts.Reconciles < 1 {
		r.Opts.Reconciles = 3
	}
	if r.now == nil {
		r.now = time.Now
	}
	todo, err := r.Store.Batches(ctx, record.BatchPlanned, record.BatchSent, record.BatchInDoubt)
	if err != nil {
		return err
	}
	r.sched = newScheduler(todo, r.plan != nil, aheadBatches(r.Opts.Concurrency))
	r.idempotent = r.Job.Spec().Idempotent()
	r.halted = make(chan struct{})
	g, gctx := errgroup.WithContext(ctx)
	planCtx, stopPlan := context.WithCancel(gctx)
	defer stopPlan()
	if r.plan != nil {
		g.Go(func() error {
			err := r.plan(planCtx, func(b checkpoints.Batch, rows []record.Row) error {
				return r.sched.add(planCtx, b, rows)
			}, r.sched.hungry)
			if err != nil && planCtx.Err() == nil {
				// The plan failed (a manifest row the reader refuses, a
				// checkpoint error): take no more batches; those in
				// flight finish and are committed.
				r.planErr = err
				close(r.halted)
			}
			r.sched.planned()
			return nil
		})
	}
	queue := make(chan task, r.Opts.Concurrency)
	g.Go(func() error {
		defer close(queue)
		// Stopped, halted or finished: the planner (if still planning)
		// plans the rest of the manifest without handing anything over.
		defer r.sched.close()
		return r.feed(gctx, queue)
	})
	if !r.Opts.DryRun {
		paceCtx, stopPace := context.WithCancel(gctx)
		paced := make(chan struct{})
		go func() {
			defer close(paced)
			r.watchPace(paceCtx, func() bool { return len(queue) > 0 })
		}()
		defer func() { stopPace(); <-paced }()
	}
	for range r.Opts.Concurrency {
		g.Go(func() error {
			for t := range queue {
				if err := r.process(gctx, t); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if r.planErr != nil {
		return r.planErr
	}
	if r.stopped.Load() {
		return ErrStopped
	}
	return nil
}

// feed hands batches to the workers: waiting ones first in plan order,
// then those whose settle window has passed, until every batch is settled.
func (r *Runner) feed(ctx context.Context, queue chan<- task) error {
	for {
		t, ok, wait, finished := r.sched.next(r.now())
		if finished {
			return nil
		}
		if ok {
			select {
			case queue <- t:
				continue
			case <-r.Stop:
				r.stopped.Store(true)
				return nil
			case <-r.halted:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err := r.idle(ctx, wait); err != nil {
			return err
		}
		if r.stopped.Load() || r.isHalted() {
			return nil
		}
	}
}

// idle waits until the scheduler has news, wait has passed (when positive),
// Stop closes or ctx ends.
func (r *Runner) idle(ctx context.Context, wait time.Duration) error {
	var timer <-chan time.Time
	if wait > 0 {
		tm := time.NewTimer(wait)
		defer tm.Stop()
		timer = tm.C
	}
	select {
	case <-r.sched.wake:
	case <-timer:
	case <-r.Stop:
		r.stopped.Store(true)
	case <-r.halted:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// process takes one batch as far as it can go now: to a final state, back
// to the scheduler to settle, or left in doubt.
func (r *Runner) process(ctx context.Context, t task) error {
	cb := t.batch
	ctx = withBatch(ctx, cb.ID) // a dry run's recorded requests name their batch
	// A batch the planner has just handed over comes with its rows; any
	// other is read back (its rows may be decided in part).
	rows := t.rows
	t.handed, t.rows = rows != nil, nil
	if rows == nil {
		var err error
		if rows, err = r.Store.BatchRows(ctx, cb.ID); err != nil {
			return err
		}
	}
	if st, ok := r.stepper(); ok && jobs.IsStepped(st, &jobs.Batch{Rows: rows}) {
		return r.processSteps(ctx, t, st, rows) // several requests per batch (steps.go)
	}
	return r.processWhole(ctx, t, rows)
}

// processWhole takes a batch sent as one request (Build, Send, Read) as
// far as it can go now.
func (r *Runner) processWhole(ctx context.Context, t task, rows []record.Row) error {
	cb := t.batch
	b := &jobs.Batch{ID: cb.ID, CustomerOrderReference: cb.CustomerOrderReference, Rows: undecided(rows), FirstSentAt: cb.SentAt}
	idempotent := r.idempotent
	log := r.Log.With("batch", cb.ID, "customerOrderReference", cb.CustomerOrderReference)
	if len(b.Rows) == 0 {
		return r.decide(ctx, t, jobs.Result{}, nil)
	}

	// A non-idempotent batch that was sent without a recorded outcome: ask
	// the API what it did, once the settle window has passed, before
	// anything is sent again (DESIGN.md rules 2 and 3).
	if (cb.State == record.BatchSent || cb.State == record.BatchInDoubt) && !idempotent && !r.Opts.DryRun {
		last := cb.LastSentAt
		if last.IsZero() {
			last = cb.SentAt
		}
		if due := last.Add(r.Opts.Settle); r.now().Before(due) {
			if cb.State == record.BatchSent {
				if err := r.Store.MarkInDoubt(ctx, cb.ID, "no outcome recorded; reconciling after the settle window"); err != nil {
					return err
				}
				t.batch.State = record.BatchInDoubt
			}
			log.Info("waiting for the settle window before reconciling", "wait", due.Sub(r.now()).Round(time.Millisecond).String())
			r.sched.later(t, due)
			return nil
		}
		if t.rounds >= r.Opts.Reconciles {
			log.Warn("batch left in doubt after repeated lost answers")
			return r.settle(r.Store.MarkInDoubt(ctx, cb.ID, "answers lost repeatedly; run iqbulk resume to reconcile"))
		}
		t.rounds++
		res, resend, err := r.Job.(jobs.Reconciler).Reconcile(ctx, r.API, b)
		if err != nil {
			if inteliquent.IsFatal(err) || ctx.Err() != nil {
				return err
			}
			log.Warn("reconciliation failed; batch left in doubt", "err", err)
			return r.settle(r.Store.MarkInDoubt(ctx, cb.ID, "reconciliation failed: "+err.Error()))
		}
		log.Info("reconciled", "decided", len(res.Rows), "resend", len(resend))
		if len(resend) == 0 {
			return r.decide(ctx, t, res, b.Rows)
		}
		if err := r.record(ctx, res); err != nil {
			return err
		}
		b.Rows = only(b.Rows, resend)
	}

	req, err := r.Job.Build(b)
	if err != nil {
		return r.decide(ctx, t, failAll(b, "build", err.Error()), b.Rows)
	}
	// The snapshot: what the numbers hold now, committed before the
	// intent and the send (snapshot.go); without it nothing is sent.
	if err := r.snapshot(ctx, b, t.handed); err != nil {
		return r.snapshotFailed(ctx, t, err)
	}
	if b.FirstSentAt.IsZero() {
		b.FirstSentAt = r.now()
	}
	// The intent: committed before the request goes out, so a crash
	// after this point leaves the batch "sent", reconciled on resume.
	// An idempotent batch found unfinished is simply sent again, and a dry
	// run sends nothing that changes state, so neither needs one.
	if !idempotent && !r.Opts.DryRun {
		hash, err := requestHash(req)
		if err != nil {
			return err
		}
		if err := r.Store.MarkSent(ctx, cb.ID, hash); err != nil {
			return err
		}
	}
	resp, err := r.Job.Send(ctx, r.API, req)
	switch {
	case err == nil:
		return r.decide(ctx, t, r.Job.Read(b, resp), b.Rows)
	case errors.Is(err, inteliquent.ErrDryRun):
		res := skipAll(b, "dry run: not sent")
		if c, ok := r.Job.(jobs.DryRunChecker); ok {
			checked, cerr := c.DryRunCheck(ctx, r.API, b)
			switch {
			case cerr == nil:
				res = checked
			case inteliquent.IsFatal(cerr) || ctx.Err() != nil:
				return cerr
			default:
				log.Warn("dry-run check failed; rows skipped unchecked", "err", cerr)
			}
		}
		return r.decide(ctx, t, res, b.Rows)
	case ctx.Err() != nil:
		// Aborted mid-request: the batch stays "sent", in doubt on resume.
		return ctx.Err()
	case inteliquent.IsFatal(err):
		// Stop the run. A request the API provably did not act on
		// (credentials refused, no token) is planned again; anything else
		// (a redirect) stays sent and is reconciled on resume.
		if inteliquent.NotApplied(err) {
			if merr := r.Store.MarkUnsent(context.WithoutCancel(ctx), cb.ID, "not sent: "+err.Error()); merr != nil {
				return merr
			}
		}
		return err
	case inteliquent.IsAmbiguous(err):
		if err := r.Store.MarkInDoubt(ctx, cb.ID, "answer lost: "+err.Error()); err != nil {
			return err
		}
		if idempotent {
			// The client already retried it as often as --retries allows;
			// resume sends it again (one layer of retries, not two).
			log.Warn("no usable answer after retries; batch in doubt, resume sends it again", "err", err)
			return r.settle(nil)
		}
		log.Warn("answer lost; reconciling after the settle window before anything is sent again", "err", err, "settle", r.Opts.Settle.String())
		t.batch.State = record.BatchInDoubt
		t.batch.LastSentAt = r.now()
		t.batch.SentAt = b.FirstSentAt
		r.sched.later(t, t.batch.LastSentAt.Add(r.Opts.Settle))
		return nil
	case inteliquent.IsRetryable(err):
		// Proven not applied, but the API kept asking to wait (or could
		// not be reached): the batch is planned again for a resume.
		log.Warn("not sent after retries; resume sends it", "err", err)
		return r.settle(r.Store.MarkUnsent(ctx, cb.ID, "not sent: "+err.Error()))
	default:
		// The API refused the request: proven not applied.
		return r.decide(ctx, t, failAll(b, inteliquent.Code(err), err.Error()), b.Rows)
	}
}

// settle tells the scheduler a batch has reached where this process leaves
// it, passing err through.
func (r *Runner) settle(err error) error {
	r.sched.done()
	return err
}

// decide commits what an answer (or a reconciliation) says of a batch and
// settles it; rows whose fate the answer leaves unclear make the batch in
// doubt, and a non-idempotent one is reconciled after the settle window
// like a lost answer (an idempotent one is sent again by resume).
func (r *Runner) decide(ctx context.Context, t task, res jobs.Result, sent []record.Row) error {
	doubt, err := r.finish(ctx, t.batch, res, sent)
	if err != nil || !doubt || r.Opts.DryRun || r.idempotent {
		return r.settle(err)
	}
	r.Log.Warn("the answer does not say what happened to some numbers; reconciling them after the settle window",
		"batch", t.batch.ID, "settle", r.Opts.Settle.String())
	t.batch.State = record.BatchInDoubt
	t.batch.LastSentAt = r.now() // no earlier than the last send: the window is never shorter
	r.sched.later(t, t.batch.LastSentAt.Add(r.Opts.Settle))
	return nil
}

// finish commits a batch's outcome in one transaction. Rows of the batch the
// result does not mention are in doubt, never silently ok or failed; a batch
// with rows in doubt stays in doubt (doubt is true).
func (r *Runner) finish(ctx context.Context, cb checkpoints.Batch, res jobs.Result, sent []record.Row) (doubt bool, err error) {
	outs := complete(res.Rows, sent)
	state := record.BatchDone
	switch {
	case anyStatus(outs, record.StatusInDoubt):
		state, doubt = record.BatchInDoubt, true
		cb.Error = "the answer does not say what happened to every number"
	case len(outs) > 0 && allStatus(outs, record.StatusFailed):
		state = record.BatchFailed
	}
	cb.State = state
	if res.OrderID != "" {
		cb.OrderID = res.OrderID
	}
	if err := r.Store.AddExcluded(ctx, res.Excluded); err != nil {
		return false, err
	}
	for _, o := range res.Orders {
		if err := r.Store.PutOrder(ctx, o); err != nil {
			return false, err
		}
	}
	if err := r.Store.Finish(ctx, cb, outs); err != nil {
		return false, err
	}
	if r.Decided != nil {
		r.Decided(cb, sent, outs)
	}
	r.count(len(outs))
	return doubt, nil
}

// record commits outcomes decided before the batch is finished (rows a
// reconciliation found applied, when others must be sent again).
func (r *Runner) record(ctx context.Context, res jobs.Result) error {
	if err := r.Store.AddExcluded(ctx, res.Excluded); err != nil {
		return err
	}
	for _, o := range res.Orders {
		if err := r.Store.PutOrder(ctx, o); err != nil {
			return err
		}
	}
	if err := r.Store.UpdateRows(ctx, res.Rows); err != nil {
		return err
	}
	r.count(len(res.Rows))
	return nil
}

func (r *Runner) count(n int) {
	d := r.decided.Add(int64(n))
	if r.Progress != nil {
		r.Progress(int(d))
	}
}

// undecided keeps the rows of a batch that have no final outcome yet: none,
// or in doubt (a batch can be partly decided by an answer or an earlier
// reconciliation).
func undecided(rows []record.Row) []record.Row {
	all := true
	for i := range rows {
		if st := rows[i].Status; st != "" && st != record.StatusInDoubt {
			all = false
			break
		}
	}
	if all {
		return rows // the common case: a batch not decided in part
	}
	out := make([]record.Row, 0, len(rows))
	for _, r := range rows {
		if r.Status == "" || r.Status == record.StatusInDoubt {
			out = append(out, r)
		}
	}
	return out
}

func only(rows []record.Row, seqs []int) []record.Row {
	want := make(map[int]bool, len(seqs))
	for _, s := range seqs {
		want[s] = true
	}
	var out []record.Row
	for _, r := range rows {
		if want[r.Seq] {
			out = append(out, r)
		}
	}
	return out
}

// complete returns one outcome per sent row: the result's, or in doubt when
// the answer did not mention the row (it neither proves the change nor its
// refusal).
func complete(outs []record.RowOutcome, sent []record.Row) []record.RowOutcome {
	have := make(map[int]bool, len(outs))
	for _, o := range outs {
		have[o.Seq] = true
	}
	for _, r := range sent {
		if !have[r.Seq] {
			outs = append(outs, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{
				Status: record.StatusInDoubt, Code: "no-outcome", Message: "the API's answer did not mention this number"}})
		}
	}
	return outs
}

func anyStatus(outs []record.RowOutcome, status string) bool {
	for _, o := range outs {
		if o.Status == status {
			return true
		}
	}
	return false
}

func allStatus(outs []record.RowOutcome, status string) bool {
	for _, o := range outs {
		if o.Status != status {
			return false
		}
	}
	return true
}

func failAll(b *jobs.Batch, code, msg string) jobs.Result {
	return setAll(b, record.Outcome{Status: record.StatusFailed, Code: code, Message: msg})
}

func skipAll(b *jobs.Batch, msg string) jobs.Result {
	return setAll(b, record.Outcome{Status: record.StatusSkipped, Code: "dry-run", Message: msg})
}

func setAll(b *jobs.Batch, o record.Outcome) jobs.Result {
	res := jobs.Result{Rows: make([]record.RowOutcome, len(b.Rows))}
	for i, r := range b.Rows {
		res.Rows[i] = record.RowOutcome{Seq: r.Seq, Outcome: o}
	}
	return res
}

func requestHash(req any) (string, error) {
	data, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("hash request: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}
