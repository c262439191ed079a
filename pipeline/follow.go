package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
)

// FollowOptions control the follow-up of a run's orders.
type FollowOptions struct {
	Enabled  bool          // run --follow: follow after sending
	Timeout  time.Duration // stop following after this long (0 = 1 hour)
	Interval time.Duration // between sweeps over the open orders (0 = 10 s)
}

// follow polls every open order of the run until each is final, the timeout
// passes, or Stop closes. Every look is committed at once, so a follow-up
// killed half-way loses nothing and can be run again days later.
func follow(ctx context.Context, st *checkpoints.Store, cfg Config) error {
	f, ok := cfg.Job.(jobs.Follower)
	if !ok {
		return nil
	}
	timeout, interval := cfg.Follow.Timeout, cfg.Follow.Interval
	if timeout <= 0 {
		timeout = time.Hour
	}
	if interval <= 0 {
		interval = 10 * time.Second
	}
	deadline := time.Now().Add(timeout)
	for sweep := 1; ; sweep++ {
		orders, err := st.Orders(ctx, true)
		if err != nil {
			return err
		}
		if len(orders) == 0 {
			return nil
		}
		cfg.Log.Info("following orders", "open", len(orders), "sweep", sweep)
		for _, o := range orders {
			if err := followOne(ctx, st, cfg, f, o); err != nil {
				return err
			}
		}
		open, err := st.Orders(ctx, true)
		if err != nil || len(open) == 0 {
			return err
		}
		if time.Now().Add(interval).After(deadline) {
			cfg.Log.Warn("follow-up timed out; orders still open", "open", len(open))
			return nil
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-cfg.Stop:
			t.Stop()
			return ErrStopped
		case <-t.C:
		}
	}
}

// followOne looks at one order and commits what it learned: exclusions, the
// rows' outcomes (with a history entry for every change) and the order.
func followOne(ctx context.Context, st *checkpoints.Store, cfg Config, f jobs.Follower, o record.Order) error {
	rows, err := st.BatchRows(ctx, o.Batch)
	if err != nil {
		return err
	}
	res, err := f.Follow(ctx, cfg.API, o, rows)
	if err != nil {
		// One order's trouble must not stop the others; it stays open.
		cfg.Log.Warn("follow-up failed; will try again", "orderId", o.OrderID, "err", err)
		o.Polls++
		o.CheckedAt = time.Now().UTC()
		return st.PutOrder(ctx, o)
	}
	before := make(map[int]record.Row, len(rows))
	for _, r := range rows {
		before[r.Seq] = r
	}
	now := time.Now().UTC()
	var history []record.HistoryEntry
	for _, ro := range res.Rows {
		if b := before[ro.Seq]; b.Status != ro.Status || b.Message != ro.Message {
			history = append(history, record.HistoryEntry{Seq: ro.Seq, At: now, Status: ro.Status, Message: ro.Message})
		}
	}
	if err := st.AddHistory(ctx, history...); err != nil {
		return err
	}
	if err := st.AddExcluded(ctx, res.Excluded); err != nil {
		return err
	}
	if err := st.UpdateRows(ctx, res.Rows); err != nil {
		return err
	}
	status := res.Order.Status
	if status == "" {
		status = "(no orderStatus in orderDetail yet)"
	}
	cfg.Log.Info("order", "orderId", res.Order.OrderID, "status", status, "final", res.Order.Final)
	return st.PutOrder(ctx, res.Order)
}

// Follow runs the follow-up of an existing run (iqbulk follow RUN_DIR) and
// rebuilds its outputs.
func Follow(ctx context.Context, cfg Config) (*Report, error) {
	started := time.Now()
	st, run, err := openRun(ctx, cfg.Dir, true)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if _, ok := cfg.Job.(jobs.Follower); !ok {
		return nil, fmt.Errorf("%s answers at once; its runs have no orders to follow", run.Job)
	}
	return conclude(ctx, st, cfg, run, started, follow(ctx, st, cfg), false, nil)
}
