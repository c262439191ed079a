package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
)

// processSteps takes a batch of a jobs.Stepper kind as far as it can go
// now, one request (step) at a time, each checkpointed like a batch: a
// state-changing step's intent is committed before it is sent, its answer
// and the rows it decides after; a step whose answer was lost is
// reconciled after the settle window before anything is sent again; the
// next step is built from the answers recorded in the checkpoint, so a
// resumed batch goes on at its first undecided step with the same request.
// Rows are reported only by the step that decides them.
func (r *Runner) processSteps(ctx context.Context, t task, st jobs.Stepper, rows []record.Row) error {
	cb := t.batch
	log := r.Log.With("batch", cb.ID, "customerOrderReference", cb.CustomerOrderReference)
	// Every row of the batch, decided or not: the steps are built from the
	// batch as planned, so a resume builds the same requests.
	b := &jobs.Batch{ID: cb.ID, CustomerOrderReference: cb.CustomerOrderReference, Rows: rows, FirstSentAt: cb.SentAt}
	recs, err := r.Store.Steps(ctx, cb.ID)
	if err != nil {
		return err
	}
	var (
		done []jobs.StepRecord
		open *checkpoints.Step // the first undecided step, if recorded
	)
	for i := range recs {
		if recs[i].Index != i {
			return fmt.Errorf("batch %d: step %d recorded at index %d", cb.ID, i, recs[i].Index)
		}
		switch recs[i].State {
		case record.BatchDone:
			done = append(done, jobs.StepRecord{Name: recs[i].Name, Op: recs[i].Op, Answer: recs[i].Answer})
		case record.BatchFailed:
			done = append(done, jobs.StepRecord{Name: recs[i].Name, Op: recs[i].Op, Refused: true, Code: recs[i].Code, Message: recs[i].Error})
		default:
			open = &recs[i]
		}
		if open != nil {
			if i != len(recs)-1 {
				return fmt.Errorf("batch %d: step %d undecided but later steps recorded", cb.ID, i)
			}
			break
		}
	}
	if len(recs) == 0 && (cb.State == record.BatchSent || cb.State == record.BatchInDoubt) {
		// Sent whole by an older build, before steps: its first step reads
		// what the lost request did, after the settle window like a batch.
		last := cb.LastSentAt
		if last.IsZero() {
			last = cb.SentAt
		}
		if due := last.Add(r.Opts.Settle); r.now().Before(due) && t.rounds == 0 {
			t.rounds++
			r.sched.later(t, due)
			return nil
		}
		// A kind whose first step changes state (tf-order's tfOrder) cannot
		// learn from a first step what the whole request did: its
		// Reconcile does, as before steps; nothing is sent again unless it
		// proves the request never arrived.
		if _, ok := st.(jobs.Reconciler); ok {
			if first, more, err := st.NextStep(b, nil); err == nil && more && !jobs.StepIdempotent(first) {
				return r.processWhole(ctx, t, rows)
			}
		}
	}
	if len(undecided(rows)) > 0 {
		if err := r.snapshot(ctx, b, t.handed); err != nil {
			return r.snapshotFailed(ctx, t, err)
		}
	}

	for {
		step, more, err := st.NextStep(b, done)
		if err != nil {
			left := unreported(rows)
			_, err = r.finish(ctx, cb, failAll(&jobs.Batch{Rows: left}, "build", err.Error()), left)
			return r.settle(err)
		}
		if !more {
			// Every step decided: the rows no step reported are in doubt
			// (complete), never silently ok or failed.
			fresh, err := r.Store.BatchRows(ctx, cb.ID)
			if err != nil {
				return err
			}
			if _, err := r.finish(ctx, cb, jobs.Result{}, unreported(fresh)); err != nil {
				return r.settle(err)
			}
			for _, row := range fresh {
				if row.Status == record.StatusInDoubt {
					return r.settle(r.Store.MarkInDoubt(ctx, cb.ID, "a step's answer does not say what happened to every number"))
				}
			}
			return r.settle(nil)
		}
		idx := len(done)
		idempotent := jobs.StepIdempotent(step)
		cs := checkpoints.Step{Batch: cb.ID, Index: idx, Name: step.Name, Op: step.Op, CustomerOrderReference: step.Ref}
		slog := log.With("step", idx, "name", step.Name)
		if !idempotent {
			if cs.RequestHash, err = requestHash(step.Req); err != nil {
				return err
			}
		}
		if open != nil && open.Index == idx && !idempotent && open.State != record.BatchPlanned {
			// Sent before without a recorded answer.
			if open.RequestHash != cs.RequestHash {
				slog.Error("a resumed step builds a different request than the one recorded; left in doubt")
				return r.settle(r.Store.MarkInDoubt(ctx, cb.ID, fmt.Sprintf("step %d (%s) builds a different request than it sent; reconcile it by hand", idx, step.Name)))
			}
			last := open.LastSentAt
			if last.IsZero() {
				last = open.SentAt
			}
			if due := last.Add(r.Opts.Settle); r.now().Before(due) {
				if open.State == record.BatchSent {
					if err := r.markStepInDoubt(ctx, cs, "no answer recorded; reconciling after the settle window"); err != nil {
						return err
					}
					open.State = record.BatchInDoubt
				}
				slog.Info("waiting for the settle window before reconciling the step", "wait", due.Sub(r.now()).Round(time.Millisecond).String())
				t.batch.State = record.BatchInDoubt
				r.sched.later(t, due)
				return nil
			}
			if t.rounds >= r.Opts.Reconciles {
				slog.Warn("step left in doubt after repeated lost answers")
				return r.settle(r.markStepInDoubt(ctx, cs, "answers lost repeatedly; run iqbulk resume to reconcile"))
			}
			t.rounds++
			answer, resend, err := st.ReconcileStep(ctx, r.API, b, done, step)
			if err != nil {
				if inteliquent.IsFatal(err) || ctx.Err() != nil {
					return err
				}
				slog.Warn("step reconciliation failed; batch left in doubt", "err", err)
				return r.settle(r.markStepInDoubt(ctx, cs, "reconciliation failed: "+err.Error()))
			}
			if !resend {
				slog.Info("step reconciled: the API acted on it")
				rec, err := jobs.AnswerRecord(step, answer)
				if err != nil {
					return err
				}
				if done, err = r.commitStep(ctx, st, b, cs, done, rec); err != nil {
					return err
				}
				open = nil
				continue
			}
			slog.Info("step reconciled: the API never acted on it; sending it again under the same reference")
		}

		// The intent, before the request goes out (an idempotent step
		// found unfinished is simply sent again, and needs none).
		if !idempotent {
			if err := r.Store.MarkStepSent(ctx, cs); err != nil {
				return err
			}
		}
		answer, err := st.SendStep(ctx, r.API, step)
		var rec jobs.StepRecord
		switch {
		case err == nil:
			if rec, err = jobs.AnswerRecord(step, answer); err != nil {
				return err
			}
		case ctx.Err() != nil:
			return ctx.Err() // the step stays sent: in doubt on resume
		case inteliquent.IsFatal(err):
			if !idempotent && inteliquent.NotApplied(err) {
				if merr := r.Store.MarkStep(context.WithoutCancel(ctx), cb.ID, idx, record.BatchPlanned, "not sent: "+err.Error()); merr != nil {
					return merr
				}
			}
			return err
		case inteliquent.IsAmbiguous(err):
			if idempotent {
				slog.Warn("no usable answer after retries; batch in doubt, resume sends the step again", "err", err)
				return r.settle(r.Store.MarkInDoubt(ctx, cb.ID, fmt.Sprintf("step %d (%s): answer lost: %s", idx, step.Name, err)))
			}
			if err := r.markStepInDoubt(ctx, cs, "answer lost: "+err.Error()); err != nil {
				return err
			}
			slog.Warn("answer lost; reconciling the step after the settle window before anything is sent again", "err", err, "settle", r.Opts.Settle.String())
			t.batch.State = record.BatchInDoubt
			r.sched.later(t, r.now().Add(r.Opts.Settle))
			return nil
		case inteliquent.IsRetryable(err):
			slog.Warn("step not sent after retries; resume sends it", "err", err)
			msg := fmt.Sprintf("step %d (%s) not sent: %s", idx, step.Name, err)
			if !idempotent {
				if merr := r.Store.MarkStep(ctx, cb.ID, idx, record.BatchPlanned, msg); merr != nil {
					return merr
				}
			}
			if idx == 0 {
				return r.settle(r.Store.MarkUnsent(ctx, cb.ID, msg))
			}
			return r.settle(r.Store.MarkInDoubt(ctx, cb.ID, msg))
		default:
			// The API refused the request: proven not applied. The kind
			// decides what that means for the step's rows.
			rec = jobs.RefusalRecord(step, err)
		}
		if done, err = r.commitStep(ctx, st, b, cs, done, rec); err != nil {
			return err
		}
		open = nil
	}
}

// commitStep records a decided step and the rows it decides in one
// transaction, and returns the records with it appended.
func (r *Runner) commitStep(ctx context.Context, st jobs.Stepper, b *jobs.Batch, cs checkpoints.Step, done []jobs.StepRecord, rec jobs.StepRecord) ([]jobs.StepRecord, error) {
	done = append(done, rec)
	res := st.StepResult(b, done)
	cs.State, cs.Answer = record.BatchDone, rec.Answer
	if rec.Refused {
		cs.State, cs.Code, cs.Error = record.BatchFailed, rec.Code, rec.Message
	}
	if err := r.Store.AddExcluded(ctx, res.Excluded); err != nil {
		return nil, err
	}
	for _, o := range res.Orders {
		if err := r.Store.PutOrder(ctx, o); err != nil {
			return nil, err
		}
	}
	if err := r.Store.FinishStep(ctx, cs, res.Rows); err != nil {
		return nil, err
	}
	r.count(len(res.Rows))
	return done, nil
}

// markStepInDoubt puts a step and its batch in doubt, in that order.
func (r *Runner) markStepInDoubt(ctx context.Context, cs checkpoints.Step, msg string) error {
	if err := r.Store.MarkStep(ctx, cs.Batch, cs.Index, record.BatchInDoubt, msg); err != nil {
		return err
	}
	return r.Store.MarkInDoubt(ctx, cs.Batch, fmt.Sprintf("step %d (%s): %s", cs.Index, cs.Name, msg))
}

// unreported keeps the rows no step has given an outcome.
func unreported(rows []record.Row) []record.Row {
	out := rows[:0:0]
	for _, r := range rows {
		if r.Status == "" {
			out = append(out, r)
		}
	}
	return out
}

// stepper returns the job as a Stepper when the engine runs its batches
// step by step (not in a dry run, which sends no state-changing step and
// runs Build/Send/Read).
func (r *Runner) stepper() (jobs.Stepper, bool) {
	if r.Opts.DryRun {
		return nil, false
	}
	st, ok := r.Job.(jobs.Stepper)
	return st, ok
}
