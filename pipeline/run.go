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
)

// Options are the knobs of one run that the checkpoint remembers.
type Options struct {
	DryRun      bool   `json:"dryRun"`
	Concurrency int    `json:"concurrency"`
	BatchSize   int    `json:"batchSize,omitempty"`
	Sheet       string `json:"sheet,omitempty"`
	// Reconciles bounds how often one batch is reconciled and re-sent after
	// lost answers before it is left in doubt for a later resume.
	Reconciles int `json:"reconciles,omitempty"`
	// JobOptions are the job kind's own options (jobs.Optioner), e.g.
	// e911's validate-first; a resume configures the job with them again.
	JobOptions map[string]string `json:"jobOptions,omitempty"`
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

	decided atomic.Int64
	stopped atomic.Bool
}

// ErrStopped is returned by Execute when Stop closed before every batch ran.
var ErrStopped = errors.New("run stopped before it finished")

// Execute sends every batch that has no outcome yet: planned ones, and those
// left sent or in doubt by an earlier process (which are reconciled first).
func (r *Runner) Execute(ctx context.Context) error {
	if r.Opts.Concurrency < 1 {
		r.Opts.Concurrency = 1
	}
	if r.Opts.Reconciles < 1 {
		r.Opts.Reconciles = 3
	}
	todo, err := r.Store.Batches(ctx, checkpoints.BatchPlanned, checkpoints.BatchSent, checkpoints.BatchInDoubt)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	queue := make(chan checkpoints.Batch, r.Opts.Concurrency)
	g.Go(func() error {
		defer close(queue)
		for _, b := range todo {
			select {
			case <-r.Stop:
				r.stopped.Store(true)
				return nil
			case <-gctx.Done():
				return gctx.Err()
			case queue <- b:
			}
		}
		return nil
	})
	for range r.Opts.Concurrency {
		g.Go(func() error {
			for b := range queue {
				if err := r.process(gctx, b); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if r.stopped.Load() {
		return ErrStopped
	}
	return nil
}

// process takes one batch to a final state, or leaves it in doubt.
func (r *Runner) process(ctx context.Context, cb checkpoints.Batch) error {
	rows, err := r.Store.BatchRows(ctx, cb.ID)
	if err != nil {
		return err
	}
	b := &jobs.Batch{ID: cb.ID, CustomerOrderReference: cb.CustomerOrderReference, Rows: undecided(rows), FirstSentAt: cb.SentAt}
	spec := r.Job.Spec()
	log := r.Log.With("batch", cb.ID, "customerOrderReference", cb.CustomerOrderReference)

	// A batch sent by an earlier process without a recorded outcome: ask the
	// API what it did before sending anything again.
	inDoubt := cb.State == checkpoints.BatchSent || cb.State == checkpoints.BatchInDoubt
	for attempt := 0; ; attempt++ {
		if len(b.Rows) == 0 {
			return r.finish(ctx, cb, jobs.Result{}, nil)
		}
		if inDoubt && !spec.Idempotent {
			if attempt > r.Opts.Reconciles {
				log.Warn("batch left in doubt after repeated lost answers")
				return r.Store.MarkInDoubt(ctx, cb.ID, "answers lost repeatedly; run iqbulk resume to reconcile")
			}
			res, resend, err := r.Job.(jobs.Reconciler).Reconcile(ctx, r.API, b)
			if err != nil {
				if inteliquent.IsFatal(err) || ctx.Err() != nil {
					return err
				}
				log.Warn("reconciliation failed; batch left in doubt", "err", err)
				return r.Store.MarkInDoubt(ctx, cb.ID, "reconciliation failed: "+err.Error())
			}
			log.Info("reconciled", "decided", len(res.Rows), "resend", len(resend))
			if len(resend) == 0 {
				return r.finish(ctx, cb, res, b.Rows)
			}
			if err := r.record(ctx, res); err != nil {
				return err
			}
			b.Rows = only(b.Rows, resend)
		}
		req, err := r.Job.Build(b)
		if err != nil {
			return r.finish(ctx, cb, failAll(b, "build", err.Error()), b.Rows)
		}
		if b.FirstSentAt.IsZero() {
			b.FirstSentAt = time.Now()
		}
		// The intent matters only where a resend could do harm: an
		// idempotent batch found unfinished is simply sent again, and a dry
		// run sends nothing that changes state.
		if !spec.Idempotent && !r.Opts.DryRun {
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
			return r.finish(ctx, cb, r.Job.Read(b, resp), b.Rows)
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
			return r.finish(ctx, cb, res, b.Rows)
		case ctx.Err() != nil:
			// Aborted mid-request: the batch stays "sent", in doubt on resume.
			return ctx.Err()
		case inteliquent.IsFatal(err):
			return err
		case inteliquent.IsAmbiguous(err):
			log.Warn("answer lost; reconciling before anything is sent again", "err", err)
			inDoubt = true
			if spec.Idempotent && attempt >= r.Opts.Reconciles {
				return r.finish(ctx, cb, failAll(b, inteliquent.Code(err), err.Error()), b.Rows)
			}
			continue
		default:
			return r.finish(ctx, cb, failAll(b, inteliquent.Code(err), err.Error()), b.Rows)
		}
	}
}

// finish commits a batch's outcome in one transaction. Rows of the batch the
// result does not mention are failed, never silently ok.
func (r *Runner) finish(ctx context.Context, cb checkpoints.Batch, res jobs.Result, sent []checkpoints.Row) error {
	outs := complete(res.Rows, sent)
	state := checkpoints.BatchDone
	if len(outs) > 0 && allStatus(outs, StatusFailed) {
		state = checkpoints.BatchFailed
	}
	cb.State = state
	if res.OrderID != "" {
		cb.OrderID = res.OrderID
	}
	if err := r.Store.AddExcluded(ctx, res.Excluded); err != nil {
		return err
	}
	for _, o := range res.Orders {
		if err := r.Store.PutOrder(ctx, o); err != nil {
			return err
		}
	}
	if err := r.Store.Finish(ctx, cb, outs); err != nil {
		return err
	}
	r.count(len(outs))
	return nil
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

// undecided keeps the rows of a batch that have no outcome yet (a batch can
// be partly decided by an earlier reconciliation).
func undecided(rows []checkpoints.Row) []checkpoints.Row {
	out := rows[:0:0]
	for _, r := range rows {
		if r.Status == "" {
			out = append(out, r)
		}
	}
	return out
}

func only(rows []checkpoints.Row, seqs []int) []checkpoints.Row {
	want := make(map[int]bool, len(seqs))
	for _, s := range seqs {
		want[s] = true
	}
	var out []checkpoints.Row
	for _, r := range rows {
		if want[r.Seq] {
			out = append(out, r)
		}
	}
	return out
}

// complete returns one outcome per sent row: the result's, or failed when the
// answer did not mention the row.
func complete(outs []checkpoints.RowOutcome, sent []checkpoints.Row) []checkpoints.RowOutcome {
	have := make(map[int]bool, len(outs))
	for _, o := range outs {
		have[o.Seq] = true
	}
	for _, r := range sent {
		if !have[r.Seq] {
			outs = append(outs, checkpoints.RowOutcome{Seq: r.Seq, Outcome: checkpoints.Outcome{
				Status: StatusFailed, Code: "no-outcome", Message: "the API's answer did not mention this number"}})
		}
	}
	return outs
}

func allStatus(outs []checkpoints.RowOutcome, status string) bool {
	for _, o := range outs {
		if o.Status != status {
			return false
		}
	}
	return true
}

func failAll(b *jobs.Batch, code, msg string) jobs.Result {
	return setAll(b, checkpoints.Outcome{Status: StatusFailed, Code: code, Message: msg})
}

func skipAll(b *jobs.Batch, msg string) jobs.Result {
	return setAll(b, checkpoints.Outcome{Status: StatusSkipped, Code: "dry-run", Message: msg})
}

func setAll(b *jobs.Batch, o checkpoints.Outcome) jobs.Result {
	res := jobs.Result{Rows: make([]checkpoints.RowOutcome, len(b.Rows))}
	for i, r := range b.Rows {
		res.Rows[i] = checkpoints.RowOutcome{Seq: r.Seq, Outcome: o}
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
