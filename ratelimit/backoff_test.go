package ratelimit

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackoffBounds(t *testing.T) {
	const base, maxDelay = 100 * time.Millisecond, 5 * time.Second
	tests := []struct {
		attempt    int
		retryAfter time.Duration
		ceiling    time.Duration
		floor      time.Duration
	}{
		{attempt: -1, ceiling: base},
		{attempt: 0, ceiling: base},
		{attempt: 1, ceiling: 2 * base},
		{attempt: 2, ceiling: 4 * base},
		{attempt: 5, ceiling: 32 * base},
		{attempt: 6, ceiling: maxDelay},
		{attempt: 61, ceiling: maxDelay},
		{attempt: 62, ceiling: maxDelay},
		{attempt: 63, ceiling: maxDelay},
		{attempt: math.MaxInt, ceiling: maxDelay},
		{attempt: 0, retryAfter: 2 * time.Second, ceiling: 2 * time.Second, floor: 2 * time.Second},
		{attempt: 2, retryAfter: time.Minute, ceiling: time.Minute, floor: time.Minute},
	}
	bo := Backoff(base, maxDelay, WithRand(rand.New(rand.NewPCG(1, 2))))
	for _, tt := range tests {
		var maxSeen time.Duration
		for range 2000 {
			d := bo(tt.attempt, tt.retryAfter)
			require.GreaterOrEqual(t, d, tt.floor, "attempt %d", tt.attempt)
			require.LessOrEqual(t, d, tt.ceiling, "attempt %d", tt.attempt)
			maxSeen = max(maxSeen, d)
		}
		if tt.floor == 0 {
			// Full jitter spreads over the whole range.
			assert.Greater(t, maxSeen, tt.ceiling*3/4, "attempt %d", tt.attempt)
		}
	}
}

func TestBackoffDeterministicWithSeed(t *testing.T) {
	a := Backoff(time.Second, time.Minute, WithRand(rand.New(rand.NewPCG(7, 7))))
	b := Backoff(time.Second, time.Minute, WithRand(rand.New(rand.NewPCG(7, 7))))
	for i := 1; i < 20; i++ {
		assert.Equal(t, a(i, 0), b(i, 0))
	}
}

func TestBackoffDefaults(t *testing.T) {
	tests := []struct {
		name          string
		base, max     time.Duration
		attempt       int
		wantCeilingAt time.Duration
	}{
		{"zero base uses default", 0, time.Minute, 0, DefaultBackoffBase},
		{"zero max uses default", time.Second, 0, 100, DefaultBackoffCap},
		{"max below base is raised to base", time.Second, time.Millisecond, 5, time.Second},
		{"huge max does not overflow", time.Second, time.Duration(math.MaxInt64), 200, time.Duration(math.MaxInt64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bo := Backoff(tt.base, tt.max, WithRand(rand.New(rand.NewPCG(3, 4))))
			for range 500 {
				d := bo(tt.attempt, 0)
				require.GreaterOrEqual(t, d, time.Duration(0))
				require.LessOrEqual(t, d, tt.wantCeilingAt)
			}
		})
	}
}

func TestBackoffDefaultRandConcurrent(t *testing.T) {
	bo := Backoff(time.Millisecond, time.Second)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 1000 {
				d := bo(i%12, 0)
				assert.LessOrEqual(t, d, time.Second)
			}
		}()
	}
	for range 4 {
		<-done
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"   ", 0},
		{"0", 0},
		{"5", 5 * time.Second},
		{" 120 ", 2 * time.Minute},
		{"-5", 0},
		{"1.5", 0},
		{"soon", 0},
		{"5s", 0},
		{"86400", 24 * time.Hour},
		{"86401", 24 * time.Hour},
		{"99999999999999999999999", 24 * time.Hour},
		{"Fri, 27 Nov 2026 11:00:30 GMT", 30 * time.Second},
		{"Friday, 27-Nov-26 11:01:00 GMT", time.Minute}, // RFC 850
		{"Fri Nov 27 11:00:10 2026", 10 * time.Second},  // ANSI C
		{"Fri, 27 Nov 2026 10:59:00 GMT", 0},            // in the past
		{"Sat, 27 Nov 2027 11:00:00 GMT", 24 * time.Hour},
		{"Fri, 27 Nov 2026 25:00:00 GMT", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, ParseRetryAfter(tt.in, now))
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "5", "-1", "Fri, 27 Nov 2026 11:00:30 GMT", "99999999999999999999", "1e3", "\x00"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d := ParseRetryAfter(v, now)
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("ParseRetryAfter(%q) = %v, out of [0, 24h]", v, d)
		}
		if d != ParseRetryAfter(v, now) {
			t.Fatalf("ParseRetryAfter(%q) is not deterministic", v)
		}
		// delay-seconds mean exactly that many seconds, up to the cap.
		if s := strings.TrimSpace(v); s != "" && strings.Trim(s, "0123456789") == "" {
			want := maxRetryAfter
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n < int64(maxRetryAfter/time.Second) {
				want = time.Duration(n) * time.Second
			}
			if d != want {
				t.Fatalf("ParseRetryAfter(%q) = %v, want %v", v, d, want)
			}
		}
	})
}
