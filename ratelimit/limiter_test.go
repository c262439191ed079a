package ratelimit

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests run inside testing/synctest bubbles: time.Now, timers and sleeps
// use a fake clock that only advances when every goroutine of the bubble is
// blocked, so durations are exact and nothing depends on the machine's load.

// client is the interface the API client declares; the Limiter must match it.
type client interface {
	Wait(ctx context.Context) error
	Throttle(retryAfter time.Duration)
	Success()
}

var _ client = (*Limiter)(nil)

func TestNewDefaults(t *testing.T) {
	tests := []struct {
		name       string
		rate       float64
		burst      int
		wantRate   float64
		wantBurst  int
		wantBucket bool
	}{
		{"limited default burst", 200, 0, 200, 1, true},
		{"limited explicit burst", 10, 5, 10, 5, true},
		{"negative burst", 10, -3, 10, 1, true},
		{"zero is unlimited", 0, 0, 0, 0, false},
		{"negative is unlimited", -1, 4, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(tt.rate, tt.burst)
			s := l.Stats()
			assert.Equal(t, tt.wantRate, s.ConfiguredRate)
			assert.Equal(t, tt.wantRate, s.CurrentRate)
			require.Equal(t, tt.wantBucket, l.bucket != nil)
			if tt.wantBucket {
				assert.Equal(t, tt.wantBurst, l.bucket.Burst())
			}
		})
	}
}

func TestThrottleHalvesDownToFloor(t *testing.T) {
	tests := []struct {
		name       string
		configured float64
		want       []float64 // current rate after each Throttle
	}{
		{"floor is configured/16", 200, []float64{100, 50, 25, 12.5, 12.5}},
		{"floor is 1 r/s", 10, []float64{5, 2.5, 1.25, 1, 1}},
		{"configured below 1 r/s", 0.5, []float64{0.5, 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := New(tt.configured, 1)
			for i, want := range tt.want {
				l.Throttle(0)
				s := l.Stats()
				assert.InDelta(t, want, s.CurrentRate, 1e-9, "after throttle %d", i+1)
				assert.Equal(t, int64(i+1), s.Throttles)
				assert.InDelta(t, want, float64(l.bucket.Limit()), 1e-9, "bucket follows")
			}
		})
	}
}

func TestSuccessRestoresGradually(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(100, 1)
		l.Throttle(0)
		require.InDelta(t, 50, l.Stats().CurrentRate, 1e-9)

		// Many successes in the same instant do not undo a throttle.
		for range 100 {
			l.Success()
		}
		assert.InDelta(t, 50, l.Stats().CurrentRate, 1e-9)

		time.Sleep(time.Second)
		l.Success()
		assert.InDelta(t, 55, l.Stats().CurrentRate, 1e-9, "+5% of configured per second")

		time.Sleep(2 * time.Second)
		l.Success()
		assert.InDelta(t, 65, l.Stats().CurrentRate, 1e-9)

		time.Sleep(time.Hour)
		l.Success()
		assert.InDelta(t, 100, l.Stats().CurrentRate, 1e-9, "never above configured")
		assert.InDelta(t, 100, float64(l.bucket.Limit()), 1e-9)
	})
}

func TestRecoveryStartsAfterPause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(100, 1)
		l.Throttle(5 * time.Second)
		time.Sleep(3 * time.Second)
		l.Success()
		assert.InDelta(t, 50, l.Stats().CurrentRate, 1e-9, "no increase during the pause")
		time.Sleep(3 * time.Second) // 1 s after the pause ended
		l.Success()
		assert.InDelta(t, 55, l.Stats().CurrentRate, 1e-9)
	})
}

func TestUnlimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(0, 0)
		start := time.Now()
		for range 1000 {
			require.NoError(t, l.Wait(t.Context()))
		}
		assert.Equal(t, time.Duration(0), time.Since(start), "unlimited never waits")
		l.Throttle(0)
		l.Success()
		s := l.Stats()
		assert.Equal(t, int64(1000), s.Waits)
		assert.Equal(t, int64(1), s.Throttles)
		assert.Zero(t, s.CurrentRate)

		l.Throttle(2 * time.Second)
		start = time.Now()
		require.NoError(t, l.Wait(t.Context()))
		assert.Equal(t, 2*time.Second, time.Since(start), "unlimited still honours Retry-After")
	})
}

func TestRetryAfterPausesAllWaiters(t *testing.T) {
	for _, configured := range []float64{0, 1000} {
		synctest.Test(t, func(t *testing.T) {
			l := New(configured, 10)
			start := time.Now()
			l.Throttle(3 * time.Second)
			var wg sync.WaitGroup
			elapsed := make([]time.Duration, 8)
			for i := range elapsed {
				wg.Go(func() {
					assert.NoError(t, l.Wait(t.Context()))
					elapsed[i] = time.Since(start)
				})
			}
			synctest.Wait()
			assert.False(t, l.Stats().PausedUntil.IsZero(), "pause visible in stats")
			wg.Wait()
			for i, d := range elapsed {
				assert.GreaterOrEqual(t, d, 3*time.Second, "waiter %d ran during the pause", i)
			}
			assert.True(t, l.Stats().PausedUntil.IsZero())
		})
	}
}

func TestPauseExtendedWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(0, 0)
		start := time.Now()
		l.Throttle(2 * time.Second)
		done := make(chan time.Duration)
		go func() {
			assert.NoError(t, l.Wait(t.Context()))
			done <- time.Since(start)
		}()
		time.Sleep(time.Second)
		l.Throttle(5 * time.Second) // now pauses until t=6s
		l.Throttle(time.Second)     // a shorter pause does not shorten it
		assert.Equal(t, 6*time.Second, <-done)
	})
}

func TestPauseDuringTokenWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 1)
		start := time.Now()
		require.NoError(t, l.Wait(t.Context())) // takes the only token
		done := make(chan time.Duration)
		go func() {
			assert.NoError(t, l.Wait(t.Context())) // token due at t=1s
			done <- time.Since(start)
		}()
		time.Sleep(500 * time.Millisecond)
		l.Throttle(5 * time.Second)
		assert.GreaterOrEqual(t, <-done, 5500*time.Millisecond)
	})
}

func TestWaitHonoursContext(t *testing.T) {
	t.Run("already done", func(t *testing.T) {
		l := New(0, 0)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		assert.ErrorIs(t, l.Wait(ctx), context.Canceled)
		assert.Zero(t, l.Stats().Waits)
	})
	t.Run("cancelled while waiting for a token", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := New(1, 1)
			require.NoError(t, l.Wait(t.Context()))
			ctx, cancel := context.WithCancel(t.Context())
			start := time.Now()
			go func() {
				time.Sleep(100 * time.Millisecond)
				cancel()
			}()
			assert.ErrorIs(t, l.Wait(ctx), context.Canceled)
			assert.Equal(t, 100*time.Millisecond, time.Since(start), "returns promptly")
			assert.Equal(t, int64(1), l.Stats().Waits)
		})
	})
	t.Run("deadline during a pause", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := New(100, 1)
			l.Throttle(time.Minute)
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			start := time.Now()
			assert.ErrorIs(t, l.Wait(ctx), context.DeadlineExceeded)
			assert.Equal(t, time.Second, time.Since(start))
		})
	})
	t.Run("deadline shorter than the token delay is ctx.Err", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := New(0.1, 1) // one token per 10 s
			require.NoError(t, l.Wait(t.Context()))
			ctx, cancel := context.WithTimeout(t.Context(), time.Second)
			defer cancel()
			assert.ErrorIs(t, l.Wait(ctx), context.DeadlineExceeded)
		})
	})
}

func TestCancelledWaitGivesTokenBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(1, 1)
		start := time.Now()
		require.NoError(t, l.Wait(t.Context())) // t=0
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			time.Sleep(100 * time.Millisecond)
			cancel()
		}()
		require.Error(t, l.Wait(ctx)) // reserved the t=1s token, then gave it back
		require.NoError(t, l.Wait(t.Context()))
		assert.Equal(t, time.Second, time.Since(start), "the cancelled reservation did not push this one to t=2s")
	})
}

func TestTokenCountOverTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const configured = 10.0
		l := New(configured, 1)
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		var passed atomic.Int64
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for l.Wait(ctx) == nil {
					passed.Add(1)
				}
			})
		}
		wg.Wait()
		// One token at t=0, then one every 100 ms up to t=10s.
		assert.InDelta(t, 100, passed.Load(), 1)
		assert.Equal(t, passed.Load(), l.Stats().Waits)
	})
}

func TestConcurrentUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := New(50, 2)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Go(func() {
				for n := 0; l.Wait(ctx) == nil; n++ {
					switch {
					case n%5 == 4 && i%4 == 0:
						l.Throttle(100 * time.Millisecond)
					default:
						l.Success()
					}
					_ = l.Stats()
				}
			})
		}
		wg.Wait()
		s := l.Stats()
		assert.Positive(t, s.Throttles)
		assert.Positive(t, s.Waits)
		assert.LessOrEqual(t, s.CurrentRate, s.ConfiguredRate)
		assert.GreaterOrEqual(t, s.CurrentRate, 50.0/16)
	})
}
