package sandbox

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Faults describes injected misbehaviour of Services operations (never
// of the token endpoint).
type Faults struct {
	// Error is the probability that a request answers body 431 "try
	// again" or HTTP 500 (alternating from the seeded RNG) without being
	// applied.
	Error float64
	// Lost is the probability that a request is applied and then its
	// connection is closed without an answer.
	Lost float64
	// AppliedError is the probability that a state-changing request is
	// applied (journaled, audited as applied) and then answered as if it
	// had failed: HTTP 500 with an empty body, HTTP 500 or 502 with an
	// HTML gateway page, or HTTP 200 with body statusCode "500" or "462"
	// (the RNG picks one; AuditEntry.FaultAnswer says which). Requests the
	// operation refuses are answered normally. Reads are never affected.
	AppliedError float64
	// Lag delays, by the simulated clock, when an applied change becomes
	// visible to reads (orderList, orderDetail, tnDetail, tnAssignedList,
	// tfDetail, portInOrderList and every other read operation). The
	// change itself is in force at once: a second order for the same
	// numbers inside the window is refused as the API would.
	Lag time.Duration
	// FeatureFail is the probability that background provisioning of one
	// requested feature (CNAM, directory listing, E911, messaging) of one
	// number of a tnOrder or tnFeatureOrder fails: orderDetail shows the
	// feature Failed, and (decided per number and feature) half of the
	// failures also have an excludedFeatureList (or, for E911,
	// excludedE911Detail) entry, half have none, as the guide's orderDetail
	// example does. The rate is journaled with the request, so a replay
	// reaches the same state.
	FeatureFail float64
	// MDRCap, when positive, makes messageDetailSearch refuse (414) a
	// window holding more than MDRCap records, so that exporters have to
	// split it. The guide documents no such cap: off by default.
	MDRCap int
	// Latency is added before every answer.
	Latency time.Duration
	// SpikeRate is the probability of an extra Spike delay.
	SpikeRate float64
	Spike     time.Duration
	// Rate, when positive, overrides Options.Rate (requests/s per key).
	Rate float64
	// Seed seeds the fault RNG (0 means Options.Seed).
	Seed int64
	// LostOp and LostNth lose the answer of one request: the LostNth
	// (from 1) request of operation LostOp since the faults were set is
	// applied and its connection closed without an answer, whatever the
	// other faults say. Tests use it to lose, say, the second activation
	// of a batch (spec "lost-nth=portInOrderActivate:2").
	LostOp  string
	LostNth int
}

// Fault names recorded in AuditEntry.Fault.
const (
	FaultError        = "error"
	FaultLost         = "lost"
	FaultAppliedError = "applied-error"
)

// Answers of the applied-error fault, recorded in AuditEntry.FaultAnswer.
const (
	AnswerHTTP500Empty = "http500-empty" // HTTP 500, empty body
	AnswerHTTP500HTML  = "http500-html"  // HTTP 500, an HTML error page
	AnswerHTTP502HTML  = "http502-html"  // HTTP 502, a gateway's HTML page
	AnswerBody500      = "body500"       // HTTP 200, statusCode "500" Internal Error
	AnswerBody462      = "body462"       // HTTP 200, statusCode "462" An Unknown error has occurred
)

// appliedErrorAnswers is constant: the RNG picks one by index.
var appliedErrorAnswers = [...]string{AnswerHTTP500Empty, AnswerHTTP500HTML, AnswerHTTP502HTML, AnswerBody500, AnswerBody462}

// Zero reports whether no fault is configured.
func (f Faults) Zero() bool { return f == Faults{} }

// ParseFaults reads specs like
// "error=0.02,lost=0.01,applied-error=0.05,lag=2s,feature-fail=0.1,mdr-cap=200000,latency=5ms,rate=50,spike=0.05:50ms,seed=7".
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return f, nil
	}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return Faults{}, fmt.Errorf("fault %q: want key=value", part)
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		prob := func() (float64, error) {
			p, err := strconv.ParseFloat(v, 64)
			if err != nil || !(p >= 0 && p <= 1) { // also rejects NaN
				return 0, fmt.Errorf("fault %s=%q: want a probability between 0 and 1", k, v)
			}
			return p, nil
		}
		dur := func(s string) (time.Duration, error) {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 {
				return 0, fmt.Errorf("fault %s=%q: want a duration like 5ms", k, s)
			}
			return d, nil
		}
		var err error
		switch k {
		case "error":
			f.Error, err = prob()
		case "lost":
			f.Lost, err = prob()
		case "applied-error":
			f.AppliedError, err = prob()
		case "lag":
			f.Lag, err = dur(v)
		case "feature-fail":
			f.FeatureFail, err = prob()
		case "mdr-cap":
			f.MDRCap, err = strconv.Atoi(v)
			if err != nil || f.MDRCap < 0 {
				err = fmt.Errorf("fault mdr-cap=%q: want a number of records >= 0", v)
			}
		case "latency":
			f.Latency, err = dur(v)
		case "spike":
			p, d, ok := strings.Cut(v, ":")
			if !ok {
				return Faults{}, fmt.Errorf("fault spike=%q: want probability:duration like 0.05:50ms", v)
			}
			v = p
			if f.SpikeRate, err = prob(); err == nil {
				f.Spike, err = dur(d)
			}
		case "rate":
			f.Rate, err = strconv.ParseFloat(v, 64)
			if err != nil || !(f.Rate >= 0) || math.IsInf(f.Rate, 0) {
				err = fmt.Errorf("fault rate=%q: want requests per second >= 0", v)
			}
		case "lost-nth":
			op, n, ok := strings.Cut(v, ":")
			f.LostOp = strings.TrimSpace(op)
			if f.LostNth, err = strconv.Atoi(strings.TrimSpace(n)); !ok || f.LostOp == "" || err != nil || f.LostNth < 1 {
				err = fmt.Errorf("fault lost-nth=%q: want OPERATION:N, e.g. portInOrderActivate:2", v)
			}
		case "seed":
			f.Seed, err = strconv.ParseInt(v, 10, 64)
			if err != nil {
				err = fmt.Errorf("fault seed=%q: %w", v, err)
			}
		default:
			return Faults{}, fmt.Errorf("unknown fault %q (want error, lost, lost-nth, applied-error, lag, feature-fail, mdr-cap, latency, spike, rate, seed)", k)
		}
		if err != nil {
			return Faults{}, err
		}
	}
	if sum := f.Error + f.Lost + f.AppliedError; sum > 1 {
		return Faults{}, fmt.Errorf("faults: error+lost+applied-error = %g exceeds 1", sum)
	}
	return f, nil
}

// String renders the spec ParseFaults reads.
func (f Faults) String() string {
	var parts []string
	if f.Error > 0 {
		parts = append(parts, "error="+strconv.FormatFloat(f.Error, 'g', -1, 64))
	}
	if f.Lost > 0 {
		parts = append(parts, "lost="+strconv.FormatFloat(f.Lost, 'g', -1, 64))
	}
	if f.AppliedError > 0 {
		parts = append(parts, "applied-error="+strconv.FormatFloat(f.AppliedError, 'g', -1, 64))
	}
	if f.Lag > 0 {
		parts = append(parts, "lag="+f.Lag.String())
	}
	if f.FeatureFail > 0 {
		parts = append(parts, "feature-fail="+strconv.FormatFloat(f.FeatureFail, 'g', -1, 64))
	}
	if f.MDRCap > 0 {
		parts = append(parts, "mdr-cap="+strconv.Itoa(f.MDRCap))
	}
	if f.Latency > 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}
	if f.SpikeRate > 0 {
		parts = append(parts, "spike="+strconv.FormatFloat(f.SpikeRate, 'g', -1, 64)+":"+f.Spike.String())
	}
	if f.Rate > 0 {
		parts = append(parts, "rate="+strconv.FormatFloat(f.Rate, 'g', -1, 64))
	}
	if f.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatInt(f.Seed, 10))
	}
	if f.LostOp != "" {
		parts = append(parts, "lost-nth="+f.LostOp+":"+strconv.Itoa(f.LostNth))
	}
	return strings.Join(parts, ",")
}
