package inteliquent

import (
	"context"
	"fmt"
	"time"
)

// PreflightCheck is one line of a pre-flight report.
type PreflightCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	// Count is what a counting check counted (-1 when it did not count).
	Count int `json:"count"`
}

// PreflightReport is what Preflight found.
type PreflightReport struct {
	Checks []PreflightCheck `json:"checks"`
	// Probes is the number of back-to-back requests sent to measure the
	// rate the account answers at; Elapsed how long they took.
	Probes    int           `json:"probes"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	PerSecond float64       `json:"per_second"`
	Throttled int64         `json:"throttled"`
}

// OK reports whether every check passed.
func (r *PreflightReport) OK() bool {
	for _, c := range r.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

// Preflight checks what a first run needs, reading only: the credentials
// (an OAuth2 token is fetched; Basic is proven by the first call),
// healthCheck, the account's trunk groups, routing labels and messaging
// campaigns, and the rate the account answers at (probes back-to-back
// trunkGroupSearchAssigned requests through the client's limiter). A
// failing check is reported, not returned; the error is for a cancelled
// context only.
func (c *Client) Preflight(ctx context.Context, probes int) (*PreflightReport, error) {
	rep := &PreflightReport{}
	add := func(name string, err error, count int, detail string) {
		ch := PreflightCheck{Name: name, OK: err == nil, Count: count, Detail: detail}
		if err != nil {
			ch.Detail, ch.Count = err.Error(), -1
		}
		rep.Checks = append(rep.Checks, ch)
	}
	if c.tokens != nil {
		start := time.Now()
		_, err := c.tokens.Token(ctx)
		add("credentials", err, -1, fmt.Sprintf("OAuth2 token obtained in %s", time.Since(start).Round(time.Millisecond)))
		if err != nil {
			return rep, ctx.Err() // nothing else can work
		}
	} else {
		add("credentials", nil, -1, "HTTP Basic: proven by the calls below")
	}
	hc, err := c.HealthCheck(ctx, nil)
	status := ""
	if hc != nil {
		status = hc.Status
	}
	add("healthCheck", err, -1, status)

	tg, err := c.TrunkGroupSearchAssigned(ctx, nil)
	n := 0
	if err == nil {
		n = len(tg.TrunkGroupNameList)
	}
	add("trunk groups", err, n, fmt.Sprintf("%d on the account (trunkGroupSearchAssigned)", n))
	rl, err := c.RoutingLabelSearchAssigned(ctx, nil)
	n = 0
	if err == nil {
		n = len(rl.RoutingLabelList.RoutingLabelItem)
	}
	add("routing labels", err, n, fmt.Sprintf("%d on the account (routingLabelSearchAssigned)", n))
	mc, err := c.MessageCampaigns(ctx, nil)
	n = 0
	if err == nil {
		n = len(mc.MessageCampaignList.MessageCampaignItem)
	}
	add("campaigns", err, n, fmt.Sprintf("%d messaging campaigns (messageCampaigns)", n))
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}

	before := c.Stats().Throttled
	start := time.Now()
	var probeErr error
	for range probes {
		if _, err := c.TrunkGroupSearchAssigned(ctx, nil); err != nil {
			probeErr = err
			break
		}
		rep.Probes++
	}
	rep.Elapsed = time.Since(start)
	rep.Throttled = c.Stats().Throttled - before
	if rep.Elapsed > 0 {
		rep.PerSecond = float64(rep.Probes) / rep.Elapsed.Seconds()
	}
	add("rate", probeErr, -1, fmt.Sprintf("%d requests in %s (%.1f/s), %d throttling answers", rep.Probes,
		rep.Elapsed.Round(time.Millisecond), rep.PerSecond, rep.Throttled))
	return rep, ctx.Err()
}
