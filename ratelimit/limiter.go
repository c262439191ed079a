package ratelimit

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

const (
	// DefaultBurst is the burst used when New is given burst <= 0.
	DefaultBurst = 1
	// decreaseFactor multiplies the current rate on every Throttle.
	decreaseFactor = 0.5
	// increasePerSecond is the share of the configured rate restored per
	// second of successful traffic.
	increasePerSecond = 0.05
	// floorDivisor bounds how far Throttle may cut: configured/16 ...
	floorDivisor = 16
	// minFloor ... but not below 1 request per second (unless configured lower).
	minFloor = 1.0
)

// Stats is a snapshot of a Limiter's counters, for the run summary and the
// progress line.
type Stats struct {
	// Throttles counts the calls to Throttle.
	Throttles int64
	// CurrentRate is the rate in force, in requests per second; 0 when the
	// limiter is unlimited.
	CurrentRate float64
	// ConfiguredRate is the rate given to New; 0 means unlimited.
	ConfiguredRate float64
	// Waits counts the calls to Wait that returned nil (requests let through).
	Waits int64
	// Waited is the total time callers spent blocked in Wait.
	Waited time.Duration
	// PausedUntil is the end of the current Retry-After pause, zero if none.
	PausedUntil time.Time
}

// Limiter is a token bucket shared by all the workers of a run, with
// multiplicative decrease on Throttle and additive increase on Success.
// It is safe for concurrent use.
type Limiter struct {
	configured float64
	floor      float64
	bucket     *rate.Limiter // nil when unlimited

	mu          sync.Mutex
	current     float64
	lastAdjust  time.Time
	pausedUntil time.Time

	throttles atomic.Int64
	waits     atomic.Int64
	waited    atomic.Int64 // nanoseconds
}

// New returns a Limiter allowing r requests per second with the given burst.
// r <= 0 (or NaN) means unlimited. burst <= 0 means DefaultBurst (1).
func New(r float64, burst int) *Limiter {
	if burst <= 0 {
		burst = DefaultBurst
	}
	l := &Limiter{}
	if r > 0 && !math.IsInf(r, 1) && !math.IsNaN(r) {
		l.configured = r
		l.current = r
		l.floor = math.Min(r, math.Max(minFloor, r/floorDivisor))
		l.bucket = rate.NewLimiter(rate.Limit(r), burst)
	}
	return l
}

// Wait blocks until the limiter lets one request through: first until any
// Retry-After pause has passed, then until the bucket holds a token, then
// again until any pause that began meanwhile has passed. It returns
// ctx.Err() as soon as ctx is done, giving back an unused token.
func (l *Limiter) Wait(ctx context.Context) error {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := l.waitPause(ctx); err != nil {
		return err
	}
	if l.bucket != nil {
		now := time.Now()
		res := l.bucket.ReserveN(now, 1)
		// ReserveN fails only if n > burst, and burst >= 1.
		if d := res.DelayFrom(now); d > 0 {
			if err := sleep(ctx, d); err != nil {
				res.Cancel()
				return err
			}
		}
	}
	// A Throttle may have paused everyone while we waited for the token.
	if err := l.waitPause(ctx); err != nil {
		return err
	}
	l.waits.Add(1)
	l.waited.Add(int64(time.Since(start)))
	return nil
}

// waitPause blocks until no Retry-After pause is in force. The pause may be
// extended while waiting, hence the loop.
func (l *Limiter) waitPause(ctx context.Context) error {
	for {
		l.mu.Lock()
		until := l.pausedUntil
		l.mu.Unlock()
		d := time.Until(until)
		if until.IsZero() || d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Throttle records that the API asked us to slow down. It halves the current
// rate (not below the floor) and, when retryAfter > 0, pauses every waiter
// until retryAfter from now (an existing longer pause is kept).
func (l *Limiter) Throttle(retryAfter time.Duration) {
	l.throttles.Add(1)
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if retryAfter > 0 {
		if until := now.Add(retryAfter); until.After(l.pausedUntil) {
			l.pausedUntil = until
		}
	}
	if l.bucket == nil {
		return
	}
	l.current = math.Max(l.floor, l.current*decreaseFactor)
	l.bucket.SetLimitAt(now, rate.Limit(l.current))
	// Recovery starts once the pause is over.
	l.lastAdjust = now
	if l.pausedUntil.After(now) {
		l.lastAdjust = l.pausedUntil
	}
}

// Success records a normal answer: the current rate grows by 5 % of the
// configured rate per second elapsed since the last adjustment, up to the
// configured rate.
func (l *Limiter) Success() {
	if l.bucket == nil {
		return
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.current >= l.configured {
		return
	}
	elapsed := now.Sub(l.lastAdjust)
	if elapsed <= 0 {
		return
	}
	l.current = math.Min(l.configured, l.current+l.configured*increasePerSecond*elapsed.Seconds())
	l.lastAdjust = now
	l.bucket.SetLimitAt(now, rate.Limit(l.current))
}

// Stats returns a snapshot of the limiter's counters.
func (l *Limiter) Stats() Stats {
	l.mu.Lock()
	current, paused := l.current, l.pausedUntil
	l.mu.Unlock()
	if !paused.After(time.Now()) {
		paused = time.Time{}
	}
	return Stats{
		Throttles:      l.throttles.Load(),
		CurrentRate:    current,
		ConfiguredRate: l.configured,
		Waits:          l.waits.Load(),
		Waited:         time.Duration(l.waited.Load()),
		PausedUntil:    paused,
	}
}
