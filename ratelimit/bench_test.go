package ratelimit

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"
)

// BenchmarkLimiterFidelity runs 4 goroutines calling Wait on a limiter of
// 200 r/s (burst 1) for 2 s of wall time and reports the achieved rate as a
// fraction of the configured rate, and the largest number of requests let
// through in any 1-second window.
//
//	go test -run '^$' -bench LimiterFidelity ./ratelimit/
func BenchmarkLimiterFidelity(b *testing.B) {
	const (
		configured = 200.0
		workers    = 4
		duration   = 2 * time.Second
	)
	var ratio, maxWindow float64
	for range b.N {
		l := New(configured, 1)
		ctx, cancel := context.WithTimeout(context.Background(), duration)
		var (
			mu    sync.Mutex
			times []time.Time
			wg    sync.WaitGroup
		)
		start := time.Now()
		for range workers {
			wg.Go(func() {
				for l.Wait(ctx) == nil {
					now := time.Now()
					mu.Lock()
					times = append(times, now)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		cancel()
		ratio = float64(len(times)) / elapsed.Seconds() / configured
		maxWindow = float64(maxInWindow(times, time.Second))
	}
	b.ReportMetric(ratio, "achieved/configured")
	b.ReportMetric(maxWindow, "max-per-1s-window")
}

// maxInWindow is the largest number of times falling in any half-open
// window [t, t+w).
func maxInWindow(times []time.Time, w time.Duration) int {
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	best, lo := 0, 0
	for hi := range times {
		for times[hi].Sub(times[lo]) >= w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

func TestMaxInWindow(t *testing.T) {
	base := time.Unix(0, 0)
	at := func(ms ...int) []time.Time {
		var out []time.Time
		for _, m := range ms {
			out = append(out, base.Add(time.Duration(m)*time.Millisecond))
		}
		return out
	}
	tests := []struct {
		times []time.Time
		want  int
	}{
		{nil, 0},
		{at(0), 1},
		{at(0, 999), 2},
		{at(0, 1000), 1},
		{at(1500, 0, 100, 900, 1050), 3},
		{at(1500, 0, 100, 900, 999), 4},
	}
	for _, tt := range tests {
		if got := maxInWindow(tt.times, time.Second); got != tt.want {
			t.Errorf("maxInWindow(%v) = %d, want %d", tt.times, got, tt.want)
		}
	}
}
