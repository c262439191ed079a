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

// Backoff defaults: the first retry waits up to DefaultBackoffBase, each
// further retry doubles the ceiling, up to DefaultBackoffCap.
const (
	DefaultBackoffBase = 250 * time.Millisecond
	DefaultBackoffCap  = 30 * time.Second
)

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

// Backoff returns the retry delay policy, the only one in iqbulk: for
// attempt n (the number of retries already made, so 0 is the first retry;
// n < 0 counts as 0) the delay is uniform in [0, min(maxDelay, base·2^n)]
// ("full jitter"), and never less than retryAfter, the server's own request
// (see ParseRetryAfter, which caps it). base <= 0 means DefaultBackoffBase;
// maxDelay <= 0 means DefaultBackoffCap; a maxDelay below base is raised to
// base. The returned function is safe for concurrent use.
func Backoff(base, maxDelay time.Duration, opts ...BackoffOption) func(attempt int, retryAfter time.Duration) time.Duration {
	if base <= 0 {
		base = DefaultBackoffBase
	}
	if maxDelay <= 0 {
		maxDelay = DefaultBackoffCap
	}
	if maxDelay < base {
		maxDelay = base
	}
	cfg := backoffConfig{int64n: rand.Int64N}
	for _, o := range opts {
		o(&cfg)
	}
	return func(attempt int, retryAfter time.Duration) time.Duration {
		if attempt < 0 {
			attempt = 0
		}
		ceiling := maxDelay
		// base·2^attempt without overflow: stop doubling at maxDelay.
		if shift := attempt; shift < 62 {
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
