package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
)

// Plan files in a dry run's directory.
const (
	PlanJSON = "plan.json"
	PlanText = "plan.txt"
)

// assumedLatency is what a duration estimate charges per request when the
// rate is unlimited and only the concurrency bounds it.
const assumedLatency = 500 * time.Millisecond

// followReadsPerOrder is orderDetail plus excludedTnList,
// excludedFeatureList and excludedE911Detail, once an order is final.
const followReadsPerOrder = 4

// PlanSettings are what a plan reports beyond the checkpoint: who it would
// talk to and how fast. The CLI fills them; none of them is a secret.
type PlanSettings struct {
	Account     string // e.g. "API key ****1234": masked, never the key
	Rate        float64
	Burst       int
	Concurrency int
}

// PlanRecorder collects the state-changing requests a dry run did not send
// (inteliquent.Config.OnDryRun), each with the batch it belongs to. Safe for
// concurrent use by the workers.
type PlanRecorder struct {
	Settings PlanSettings

	mu   sync.Mutex
	reqs []PlannedRequest
}

// PlannedRequest is one request a run would send.
type PlannedRequest struct {
	Batch int64 `json:"batch"`
	inteliquent.DryRunRequest
}

type batchKey struct{}

// withBatch tags a worker's context with the batch it processes, so a
// recorded request names its batch.
func withBatch(ctx context.Context, id int64) context.Context {
	return context.WithValue(ctx, batchKey{}, id)
}

// Record is the client's OnDryRun hook.
func (r *PlanRecorder) Record(ctx context.Context, req inteliquent.DryRunRequest) {
	id, _ := ctx.Value(batchKey{}).(int64)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, PlannedRequest{Batch: id, DryRunRequest: req})
}

func (r *PlanRecorder) requests() []PlannedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.reqs)
	slices.SortStableFunc(out, func(a, b PlannedRequest) int { return int(a.Batch - b.Batch) })
	return out
}

// Plan is what a run would do: iqbulk plan prints it, run --dry-run writes it
// beside its results as plan.json and plan.txt.
type Plan struct {
	Job         string   `json:"job"`
	Manifest    string   `json:"manifest"`
	Endpoint    string   `json:"endpoint"`
	Account     string   `json:"account"`
	Rows        PlanRows `json:"rows"`
	Reasons     []Reason `json:"reasons"`
	Operations  []PlanOp `json:"operations"`
	Destructive []PlanOp `json:"destructive"`
	Rate        float64  `json:"rate"`
	Burst       int      `json:"burst"`
	Concurrency int      `json:"concurrency"`
	// EstimatedSeconds is the time to send every request at the effective
	// rate; WithFollowUpSeconds adds following the orders until final (at
	// least one poll interval), 0 for kinds without orders.
	EstimatedSeconds    float64 `json:"estimated_seconds"`
	WithFollowUpSeconds float64 `json:"with_follow_up_seconds,omitempty"`
	Orders              int     `json:"orders_to_follow,omitempty"`
	// SnapshotReads are the reads that record, before each batch, the
	// values it overwrites so `iqbulk undo` can restore them (one per
	// batch; 0 with --no-snapshot or for kinds with nothing to restore).
	// EstimatedSeconds includes them; SnapshotSeconds is their share.
	SnapshotReads   int     `json:"snapshot_reads"`
	SnapshotSeconds float64 `json:"snapshot_seconds,omitempty"`
	// PreReads are the reads a batch makes before its state-changing
	// request (tn-order --validate-addresses: one addressValidate per
	// distinct address); EstimatedSeconds includes them.
	PreReads int              `json:"pre_reads,omitempty"`
	Requests []PlannedRequest `json:"requests"`
}

// PlanRows counts the manifest's rows by what would happen to them.
type PlanRows struct {
	Total      int `json:"total"`
	ToSend     int `json:"to_send"`
	Invalid    int `json:"invalid"`
	Duplicates int `json:"duplicates"`
}

// PlanOp is one API operation of the plan.
type PlanOp struct {
	Op       string `json:"op"`
	Requests int    `json:"requests"`
	Numbers  int    `json:"numbers"`
}

// buildPlan reads a dry run's checkpoint and the requests it recorded.
func buildPlan(ctx context.Context, st *checkpoints.Store, cfg Config, run checkpoints.Run) (*Plan, error) {
	rec := cfg.Plan
	byStatus, _, err := st.Counts(ctx)
	if err != nil {
		return nil, err
	}
	reasons, err := Reasons(ctx, st)
	if err != nil {
		return nil, err
	}
	batches, err := st.Batches(ctx)
	if err != nil {
		return nil, err
	}
	batchRows := make(map[int64]int, len(batches))
	toSend := 0
	for _, b := range batches {
		batchRows[b.ID] = b.Rows
		toSend += b.Rows
	}
	p := &Plan{
		Job: run.Job, Manifest: run.ManifestPath, Endpoint: run.Endpoint, Account: rec.Settings.Account,
		Reasons: reasons, Rate: rec.Settings.Rate, Burst: rec.Settings.Burst, Concurrency: max(1, rec.Settings.Concurrency),
		Requests: rec.requests(), Operations: []PlanOp{}, Destructive: []PlanOp{},
	}
	for _, n := range byStatus {
		p.Rows.Total += n
	}
	p.Rows.ToSend, p.Rows.Invalid = toSend, byStatus[record.StatusInvalid]
	for _, r := range reasons {
		if r.Status == record.StatusSkipped && r.Code == "duplicate" {
			p.Rows.Duplicates += r.Rows
		}
	}
	idx := map[string]int{}
	for i, r := range p.Requests {
		if r.Numbers == 0 {
			p.Requests[i].Numbers = batchRows[r.Batch]
		}
		j, ok := idx[r.Op]
		if !ok {
			j = len(p.Operations)
			idx[r.Op] = j
			p.Operations = append(p.Operations, PlanOp{Op: r.Op})
		}
		p.Operations[j].Requests++
		p.Operations[j].Numbers += p.Requests[i].Numbers
	}
	if cfg.Job.Spec().Destructive {
		p.Destructive = slices.Clone(p.Operations)
	}
	if _, ok := cfg.Job.(jobs.Snapshotter); ok && !cfg.Opts.NoSnapshot {
		if _, presumed := cfg.Job.(jobs.Presumer); !presumed {
			sent := map[int64]bool{}
			for _, r := range p.Requests {
				sent[r.Batch] = true
			}
			p.SnapshotReads = len(sent)
		}
	}
	if pr, ok := cfg.Job.(jobs.PreReader); ok {
		for _, b := range batches {
			rows, err := st.BatchRows(ctx, b.ID)
			if err != nil {
				return nil, err
			}
			p.PreReads += pr.PreReads(&jobs.Batch{ID: b.ID, Rows: rows})
		}
	}
	p.EstimatedSeconds = p.sendSeconds(len(p.Requests) + p.SnapshotReads + p.PreReads)
	if p.SnapshotReads > 0 {
		p.SnapshotSeconds = math.Round((p.sendSeconds(len(p.Requests)+p.SnapshotReads)-p.sendSeconds(len(p.Requests)))*10) / 10
	}
	if _, ok := cfg.Job.(jobs.Follower); ok && len(p.Requests) > 0 {
		interval := cfg.Follow.Interval
		if interval <= 0 {
			interval = 10 * time.Second
		}
		p.Orders = len(p.Requests)
		p.WithFollowUpSeconds = p.EstimatedSeconds + interval.Seconds() + p.sendSeconds(p.Orders*followReadsPerOrder)
	}
	return p, nil
}

// sendSeconds estimates sending n requests: the first burst at once, the
// rest one per 1/rate; with no rate, concurrency requests per assumedLatency.
func (p *Plan) sendSeconds(n int) float64 {
	if n == 0 {
		return 0
	}
	if p.Rate > 0 {
		burst := max(p.Burst, 1)
		return math.Round(float64(max(n-burst, 0))/p.Rate*10) / 10
	}
	return math.Round(math.Ceil(float64(n)/float64(p.Concurrency))*assumedLatency.Seconds()*10) / 10
}

// writePlan writes plan.json and plan.txt into the run directory.
func writePlan(dir string, p *Plan) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, PlanJSON), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	var b strings.Builder
	p.WriteText(&b, 3)
	if err := os.WriteFile(filepath.Join(dir, PlanText), []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	return nil
}

// WriteText prints the plan for a person, with the first show request bodies.
func (p *Plan) WriteText(w io.Writer, show int) {
	fmt.Fprintf(w, "plan for %s (manifest %s): nothing has been sent\n", p.Job, p.Manifest)
	fmt.Fprintf(w, "endpoint: %s\naccount:  %s\n", p.Endpoint, p.Account)
	fmt.Fprintf(w, "rows: %d total, %d to send, %d invalid, %d duplicates\n", p.Rows.Total, p.Rows.ToSend, p.Rows.Invalid, p.Rows.Duplicates)
	for _, r := range p.Reasons {
		if r.Code == "dry-run" {
			continue
		}
		fmt.Fprintf(w, "  %s %d — %s%s\n", r.Status, r.Rows, r.Message, exampleLines(r.Examples))
	}
	fmt.Fprintln(w, "requests by API operation:")
	if len(p.Operations) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, o := range p.Operations {
		fmt.Fprintf(w, "  %-22s %6d requests %8d numbers\n", o.Op, o.Requests, o.Numbers)
	}
	if len(p.Destructive) == 0 {
		fmt.Fprintln(w, "destructive operations: none")
	} else {
		fmt.Fprintln(w, "DESTRUCTIVE operations (cannot be undone; need --yes outside the sandbox):")
		for _, o := range p.Destructive {
			fmt.Fprintf(w, "  %-22s %6d requests %8d numbers\n", o.Op, o.Requests, o.Numbers)
		}
	}
	rate := "unlimited rate (estimate assumes " + assumedLatency.String() + " a request)"
	if p.Rate > 0 {
		rate = fmt.Sprintf("%g requests/s, burst %d", p.Rate, max(p.Burst, 1))
	}
	if p.SnapshotReads > 0 {
		fmt.Fprintf(w, "snapshot reads for undo: %d requests, %s of the estimate (--no-snapshot skips them; then the run cannot be undone)\n",
			p.SnapshotReads, seconds(p.SnapshotSeconds))
	}
	if p.PreReads > 0 {
		fmt.Fprintf(w, "reads before the orders (--validate-addresses: addressValidate): %d requests\n", p.PreReads)
	}
	fmt.Fprintf(w, "estimated duration: %s for %d requests at %s, concurrency %d\n", seconds(p.EstimatedSeconds), len(p.Requests)+p.SnapshotReads+p.PreReads, rate, p.Concurrency)
	if p.Orders > 0 {
		fmt.Fprintf(w, "  with follow-up (--follow): at least %s (%d orders polled until final, %d reads each)\n", seconds(p.WithFollowUpSeconds), p.Orders, followReadsPerOrder)
	}
	n := min(show, len(p.Requests))
	if n <= 0 {
		return
	}
	fmt.Fprintf(w, "first %d of %d request bodies (privateKey redacted; --show N for more, --format json for all):\n", n, len(p.Requests))
	fmt.Fprintln(w, "  (customerOrderReference values are this plan's own; a run derives its own from its run id)")
	for _, r := range p.Requests[:n] {
		fmt.Fprintf(w, "  batch %d: %s, %d numbers\n", r.Batch, r.Op, r.Numbers)
		var buf bytes.Buffer
		if err := json.Compact(&buf, r.Body); err != nil {
			buf.Write(r.Body)
		}
		fmt.Fprintf(w, "    %s\n", buf.String())
	}
}

func seconds(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(100 * time.Millisecond).String()
}

func exampleLines(xs []ReasonExample) string {
	if len(xs) == 0 {
		return ""
	}
	lines := make([]string, len(xs))
	for i, x := range xs {
		lines[i] = fmt.Sprint(x.Line)
	}
	return " (e.g. line " + strings.Join(lines, ", ") + ")"
}
