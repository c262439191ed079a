package pipeline

import (
	"context"
	"math"
	"time"
)

// The rate limit is meant to be what bounds a run (issue 16): a run takes
// requests ÷ rate. The workers bound it instead when each request takes
// longer than concurrency ÷ rate (the default concurrency, ⌈rate/10⌉,
// assumes answers within ~100 ms; a real API may answer slower): then the
// limiter never makes a worker wait, batches queue for a worker, and the
// run sends fewer requests a second than it may. watchPace sees that and
// says so, once per run, with the concurrency that would reach the rate.

// paceWindow is how long the pace is watched before it is judged (tests
// shorten it); paceSample is how often the queue of ready batches is
// looked at.
var (
	paceWindow = 10 * time.Second
	paceSample = 100 * time.Millisecond
)

// watchPace watches the run's pace until ctx ends; backlog reports whether
// a ready batch is waiting for a worker.
func (r *Runner) watchPace(ctx context.Context, backlog func() bool) {
	lim, ok := r.API.LimiterStats()
	if !ok || lim.ConfiguredRate <= 0 {
		return
	}
	tick := time.NewTicker(paceSample)
	defer tick.Stop()
	start, req0, waited0, throttles0 := time.Now(), r.API.Stats().Requests, lim.Waited, lim.Throttles
	samples, busy := 0, 0
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			samples++
			if backlog() {
				busy++
			}
			elapsed := now.Sub(start)
			if elapsed < paceWindow {
				continue
			}
			lim, _ = r.API.LimiterStats()
			req := r.API.Stats().Requests
			perSecond := float64(req-req0) / elapsed.Seconds()
			// The share of the workers' time spent waiting for the limiter.
			waiting := float64(lim.Waited-waited0) / (elapsed.Seconds() * float64(r.Opts.Concurrency) * float64(time.Second))
			throttled := lim.Throttles != throttles0
			if !throttled && perSecond > 0 && perSecond < 0.9*lim.CurrentRate && busy*5 >= samples*4 && waiting < 0.05 {
				workers := r.Opts.Concurrency
				want := int(math.Ceil(float64(workers) * lim.CurrentRate / perSecond * 1.2))
				r.Log.Warn("the workers, not the rate limit, bound this run: raise --concurrency",
					"requestsPerSecond", math.Round(perSecond*10)/10, "rate", lim.CurrentRate, "concurrency", workers,
					"secondsPerRequest", math.Round(float64(workers)/perSecond*1000)/1000, "suggestedConcurrency", want)
				return
			}
			start, req0, waited0, throttles0 = now, req, lim.Waited, lim.Throttles
			samples, busy = 0, 0
		}
	}
}
