// Package ratelimit paces the requests a run sends to the Inteliquent
// Services API.
//
// A [Limiter] is one token bucket (golang.org/x/time/rate) shared by every
// worker of a run, plus adaptive backoff: when the API asks us to slow down
// (HTTP 429, HTTP 5xx, or a body statusCode "431" try again) the pipeline
// calls [Limiter.Throttle], which halves the current rate (never below a
// floor) and, when the answer carried a Retry-After, pauses every waiter
// until it has passed. Normal answers call [Limiter.Success], which restores
// the rate additively toward the configured rate, never above it.
//
// The policy, in numbers:
//
//   - burst: the configured burst, or 1 when burst <= 0 (as rclone does), so
//     by default no one-second window ever sees more than about rate requests;
//   - decrease: current = max(floor, current × 0.5) on every Throttle, where
//     floor = min(configured, max(1 r/s, configured/16));
//   - increase: on Success, current += 5 % of the configured rate for every
//     second elapsed since the last adjustment (a throttle, the end of its
//     pause, or the previous increase), capped at the configured rate; so a
//     single halving recovers in about 10 s of successful traffic, and a
//     burst of successes in the same instant does not undo a throttle;
//   - rate <= 0 means unlimited: Wait returns at once unless a Throttle with
//     a Retry-After is pausing the limiter; Throttle then only pauses.
//
// [Backoff] builds the per-attempt delay of the retry loop (exponential
// with full jitter, never shorter than the server's Retry-After) and
// [ParseRetryAfter] reads the Retry-After header (seconds or HTTP-date).
//
// The Limiter matches the interface the API client expects without
// importing it:
//
//	interface {
//		Wait(ctx context.Context) error
//		Throttle(retryAfter time.Duration)
//		Success()
//	}
package ratelimit
