package ratelimit

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultBackoffBase is the base used by Backoff when given base <= 0.
const DefaultBackoffBase = 500 * time.Millisecond

// maxRetryAfter caps what ParseRetryAfter returns, so a hostile or broken
// header cannot park a run for years.
const maxRetryAfter = 24 * time.Hour

// BackoffOption configures Backoff.
type BackoffOption func(*backoffConfig)

type backoffConfig struct {
	int64n func(n int64) int64 // uniform in [0, n)
}

// WithRand makes Backoff draw its jitter from r (for reproducible tests).
// Access to r is serialised, so the returned function stays safe for
// concurrent use.
func WithRand(r *rand.Rand) BackoffOption {
	var mu sync.Mutex
	return func(c *backoffConfig) {
		c.int64n = func(n int64) int64 {
			mu.Lock()
			defer mu.Unlock()
			return r.Int64N(n)
		}
	}
}

// Backoff returns the retry delay policy: for attempt n (1 is the first
// retry; n < 1 counts as 1) the delay is uniform in [0, min(maxDelay, base·2^(n-1))]
// ("full jitter"), and never less than retryAfter, the server's own request.
// base <= 0 means DefaultBackoffBase; maxDelay < base means maxDelay = base.
// The returned function is safe for concurrent use.
func Backoff(base, maxDelay time.Duration, opts ...BackoffOption) func(attempt int, retryAfter time.Duration) time.Duration {
	if base <= 0 {
		base = DefaultBackoffBase
	}
	if maxDelay < base {
		maxDelay = base
	}
	cfg := backoffConfig{int64n: rand.Int64N}
	for _, o := range opts {
		o(&cfg)
	}
	return func(attempt int, retryAfter time.Duration) time.Duration {
		if attempt < 1 {
			attempt = 1
		}
		ceiling := maxDelay
		// base·2^(attempt-1) without overflow: stop doubling at maxDelay.
		if shift := attempt - 1; shift < 62 {
			if d := base << shift; d > 0 && d>>shift == base && d < maxDelay {
				ceiling = d
			}
		}
		n := int64(ceiling)
		if n < math.MaxInt64 {
			n++ // inclusive of the ceiling
		}
		d := time.Duration(cfg.int64n(n))
		if d < retryAfter {
			d = retryAfter
		}
		return d
	}
}

// ParseRetryAfter reads an HTTP Retry-After value: delay-seconds or an
// HTTP-date, relative to now. Empty, negative, past or unparseable values
// give 0; values are capped at 24 hours.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if isDigits(v) {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(maxRetryAfter/time.Second) {
			// Only overflow can fail here: a huge number of seconds.
			return maxRetryAfter
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	switch {
	case d <= 0:
		return 0
	case d > maxRetryAfter:
		return maxRetryAfter
	}
	return d
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
