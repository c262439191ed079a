package pipeline

import (
	"context"
	"errors"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
)

// snapshot reads, with the API's own read operations, the values the
// batch's rows are about to overwrite and commits them to the checkpoint
// before the batch's intent, so `iqbulk undo` can put them back. Rows that
// already have a snapshot keep it: a batch sent again after a crash or a
// lost answer would otherwise read the run's own change. Kinds that do not
// overwrite values (jobs.Snapshotter), dry runs and --no-snapshot read
// nothing.
//
// handed says the planner of this process has just handed the batch over:
// none of its rows can have a snapshot yet, so the checkpoint is not asked
// which of the batch's rows have one (a query per batch).
func (r *Runner) snapshot(ctx context.Context, b *jobs.Batch, handed bool) error {
	s, ok := r.Job.(jobs.Snapshotter)
	if !ok || r.Opts.NoSnapshot || r.Opts.DryRun || len(b.Rows) == 0 {
		return nil
	}
	if _, presumed := r.Job.(jobs.Presumer); presumed {
		return nil // known without a read or a write: undo presumes it
	}
	have := map[int]bool{}
	if !handed {
		var err error
		if have, err = r.Store.SnapshotSeqs(ctx, b.ID); err != nil {
			return err
		}
	}
	missing := &jobs.Batch{ID: b.ID, CustomerOrderReference: b.CustomerOrderReference}
	for _, row := range b.Rows {
		if !have[row.Seq] {
			missing.Rows = append(missing.Rows, row)
		}
	}
	if len(missing.Rows) == 0 {
		return nil
	}
	vals, err := s.Snapshot(ctx, r.API, missing)
	if err != nil {
		return &snapshotError{err}
	}
	snaps := make([]checkpoints.Snapshot, len(missing.Rows))
	for i, row := range missing.Rows {
		v, found := vals[row.Key]
		snaps[i] = checkpoints.Snapshot{Seq: row.Seq, Batch: b.ID, Key: row.Key, Found: found, Values: v}
	}
	return r.Store.PutSnapshots(ctx, snaps)
}

// snapshotError is a failed snapshot read (as opposed to a checkpoint
// failure, which stops the run).
type snapshotError struct{ err error }

func (e *snapshotError) Error() string { return "snapshot read failed: " + e.err.Error() }
func (e *snapshotError) Unwrap() error { return e.err }

// snapshotFailed handles a batch whose snapshot could not be taken: it is
// not sent (never without its snapshot while snapshots are on). A batch
// not sent before is planned again with the reason, its rows failed with
// code not-sent, so `iqbulk resume` reads and sends it; one sent before
// stays in doubt and is reconciled on resume. A read changes nothing, so
// this holds whatever stopped it; credentials refused or a TLS failure then
// stop the run as they would on a send, and a checkpoint failure stops it
// as is.
func (r *Runner) snapshotFailed(ctx context.Context, t task, err error) error {
	var se *snapshotError
	if !errors.As(err, &se) || ctx.Err() != nil {
		return err
	}
	cb := t.batch
	msg := "not sent: " + se.Error()
	bg := context.WithoutCancel(ctx)
	var merr error
	if cb.State == record.BatchPlanned {
		merr = r.Store.MarkUnsent(bg, cb.ID, msg)
	} else {
		merr = r.Store.MarkInDoubt(bg, cb.ID, msg)
	}
	if merr != nil {
		return merr
	}
	if inteliquent.IsFatal(err) {
		return err
	}
	r.Log.Warn("snapshot read failed; batch not sent, resume sends it", "batch", cb.ID, "err", se.err)
	return r.settle(nil)
}
