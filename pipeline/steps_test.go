package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// toyWorld is the toy stepper's API: it activates groups, counts every
// request of each group, and can lose the answer of a given request
// (applied, then no answer), refuse a group, or "kill" the process (cancel
// its context) right after a given request was applied.
type toyWorld struct {
	mu        sync.Mutex
	activated map[string]int // group -> times applied
	sent      map[string]int // group -> requests received
	requests  int
	loseNth   int                // the nth request's answer is lost
	killNth   int                // after the nth request, the process dies
	kill      context.CancelFunc // what killNth calls
	refuse    string             // a group the API refuses
	lookups   int                // reconciliation reads
}

func newToyWorld() *toyWorld {
	return &toyWorld{activated: map[string]int{}, sent: map[string]int{}}
}

// toyStepper is a job kind whose batch activates each of its rows' groups
// in a request of its own (a non-idempotent operation of the operation
// table), like port-in-activate.
type toyStepper struct {
	w *toyWorld
	// variant changes the requests the kind builds (a changed build
	// between a crash and its resume).
	variant string
}

var _ jobs.Stepper = toyStepper{}

func (toyStepper) Spec() jobs.Spec {
	return jobs.Spec{Name: "toy-steps", Summary: "toy", Operations: []string{inteliquent.OpPortInOrderActivate}, BatchSize: 100,
		Columns: []jobs.Column{{Column: readers.Column{Name: "tn", Required: true}}, {Column: readers.Column{Name: "grp", Required: true}}}}
}

func (toyStepper) Parse(r jobs.Row) (jobs.Parsed, []error) {
	return jobs.Parsed{Key: r.Get("tn"), Fields: map[string]string{"grp": r.Get("grp")}}, nil
}

func (j toyStepper) Build(b *jobs.Batch) (any, error) { return b, nil }
func (j toyStepper) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return jobs.RunSteps(ctx, api, j, req.(*jobs.Batch))
}
func (j toyStepper) Read(_ *jobs.Batch, resp any) jobs.Result { return resp.(jobs.Result) }

func (j toyStepper) Reconcile(context.Context, *inteliquent.Client, *jobs.Batch) (jobs.Result, []int, error) {
	return jobs.Result{}, nil, errors.New("toy-steps reconciles its steps, never its batches")
}

func groups(b *jobs.Batch) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range b.Rows {
		if g := r.Fields["grp"]; !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	sort.Strings(out)
	return out
}

type toyAnswer struct {
	Group  string `json:"group"`
	Status string `json:"status"`
}

func (j toyStepper) NextStep(b *jobs.Batch, done []jobs.StepRecord) (jobs.Step, bool, error) {
	gs := groups(b)
	if len(done) >= len(gs) {
		return jobs.Step{}, false, nil
	}
	g := gs[len(done)]
	return jobs.Step{Name: "activate " + g, Op: inteliquent.OpPortInOrderActivate, Req: map[string]string{"group": g, "variant": j.variant},
		Ref: jobs.StepRef(b.CustomerOrderReference, len(done))}, true, nil
}

func (j toyStepper) SendStep(ctx context.Context, _ *inteliquent.Client, s jobs.Step) (any, error) {
	g := s.Req.(map[string]string)["group"]
	w := j.w
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	w.sent[g]++
	if g == w.refuse {
		return nil, &inteliquent.APIError{Op: s.Op, Code: "410", Status: "TN group not available for port"}
	}
	w.activated[g]++
	if w.requests == w.killNth {
		w.kill()
		return nil, ctx.Err()
	}
	if w.requests == w.loseNth {
		return nil, &inteliquent.RequestError{Op: s.Op, Ambiguous: true, Err: errors.New("connection reset")}
	}
	return toyAnswer{Group: g, Status: "Success"}, nil
}

func (j toyStepper) ReconcileStep(_ context.Context, _ *inteliquent.Client, _ *jobs.Batch, _ []jobs.StepRecord, s jobs.Step) (any, bool, error) {
	g := s.Req.(map[string]string)["group"]
	j.w.mu.Lock()
	defer j.w.mu.Unlock()
	j.w.lookups++
	if j.w.activated[g] > 0 {
		return toyAnswer{Group: g, Status: "Success (found activated)"}, false, nil
	}
	return nil, true, nil
}

func (j toyStepper) StepResult(b *jobs.Batch, done []jobs.StepRecord) jobs.Result {
	last := done[len(done)-1]
	g := strings.TrimPrefix(last.Name, "activate ")
	var res jobs.Result
	for _, r := range b.Rows {
		if r.Fields["grp"] != g {
			continue
		}
		o := record.Outcome{Status: record.StatusFailed, Code: last.Code, Message: last.Message}
		if !last.Refused {
			var a toyAnswer
			if err := last.Decode(&a); err != nil {
				o = record.Outcome{Status: record.StatusInDoubt, Message: err.Error()}
			} else {
				o = record.Outcome{Status: record.StatusOK, Message: "group " + a.Group + ": " + a.Status, Extra: map[string]string{"activation": a.Status}}
			}
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: o})
	}
	return res
}

// toyRun plans a toy-steps run of three groups (two rows each) in one batch.
func toyRun(t *testing.T, w *toyWorld) Config {
	t.Helper()
	dir := t.TempDir()
	manifest := filepath.Join(dir, "m.csv")
	require.NoError(t, os.WriteFile(manifest, []byte("tn,grp\n1,G1\n2,G2\n3,G3\n4,G1\n5,G2\n6,G3\n"), 0o600))
	api, err := inteliquent.New(inteliquent.Config{BaseURL: "http://127.0.0.1:1/Services/1.0.0", Key: "k", Secret: "s"})
	require.NoError(t, err)
	return Config{Job: toyStepper{w: w}, API: api, Manifest: manifest, Dir: filepath.Join(dir, "run"), RunID: "toy",
		Endpoint: "sandbox", Log: quiet(), Opts: Options{Concurrency: 1, Settle: 20 * time.Millisecond}}
}

func toyOutcomes(t *testing.T, dir string) map[string]record.Outcome {
	t.Helper()
	st, err := checkpoints.Open(t.Context(), filepath.Join(dir, "state.db"))
	require.NoError(t, err)
	defer st.Close()
	out := map[string]record.Outcome{}
	for r, err := range st.Rows(t.Context()) {
		require.NoError(t, err)
		out[r.Key] = r.Outcome
	}
	return out
}

// TestStepsLostAnswerReconciled: the second step's answer is lost after
// the API applied it. The step alone is reconciled after the settle window
// (found applied, not sent again); the first step is not touched, the third
// is sent; every group is activated once and every row says so.
func TestStepsLostAnswerReconciled(t *testing.T) {
	w := newToyWorld()
	w.loseNth = 2
	cfg := toyRun(t, w)
	rep, err := Start(t.Context(), cfg)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"G1": 1, "G2": 1, "G3": 1}, w.sent, "each group's request sent once")
	assert.Equal(t, map[string]int{"G1": 1, "G2": 1, "G3": 1}, w.activated)
	assert.Equal(t, 1, w.lookups, "only the step whose answer was lost is reconciled")
	assert.Equal(t, 6, rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
	outs := toyOutcomes(t, cfg.Dir)
	assert.Contains(t, outs["2"].Message, "found activated")
	assert.Equal(t, "Success", outs["1"].Extra["activation"])
}

// TestStepsCrashResumesAtFirstUndecidedStep: the process dies right after
// the API applied the second step (its answer never recorded). The first
// step's rows are already decided and say their group was activated; the
// third group's rows are not reported. The resume reconciles the second
// step (applied: not sent again), sends the third, and every group is
// activated exactly once.
func TestStepsCrashResumesAtFirstUndecidedStep(t *testing.T) {
	w := newToyWorld()
	w.killNth = 2
	cfg := toyRun(t, w)
	ctx, cancel := context.WithCancel(t.Context())
	w.kill = cancel
	_, _ = Start(ctx, cfg) // killed: what it returns is never seen
	assert.Equal(t, map[string]int{"G1": 1, "G2": 1}, w.activated)

	outs := toyOutcomes(t, cfg.Dir)
	for _, tn := range []string{"1", "4"} {
		assert.Equal(t, record.StatusOK, outs[tn].Status, "row %s: group G1 was activated and its answer committed", tn)
	}
	for _, tn := range []string{"2", "3", "5", "6"} {
		assert.Empty(t, outs[tn].Status, "row %s: no row is reported for a step without an answer", tn)
	}

	w.kill = func() {}
	time.Sleep(cfg.Opts.Settle)
	rep, err := Resume(t.Context(), cfg)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"G1": 1, "G2": 1, "G3": 1}, w.sent, "no group's request sent twice")
	assert.Equal(t, map[string]int{"G1": 1, "G2": 1, "G3": 1}, w.activated)
	assert.Equal(t, 6, rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
	assert.Equal(t, 1, w.lookups)
}

// TestStepsRefusalDecidesOnlyItsRows: the API refuses the second group;
// only its rows fail, the others are activated and say so (a failure half
// way does not fail the batch's other rows).
func TestStepsRefusalDecidesOnlyItsRows(t *testing.T) {
	w := newToyWorld()
	w.refuse = "G2"
	cfg := toyRun(t, w)
	rep, err := Start(t.Context(), cfg)
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
	assert.Equal(t, 2, rep.Outcomes[record.StatusFailed], "%v", rep.Outcomes)
	outs := toyOutcomes(t, cfg.Dir)
	assert.Equal(t, record.StatusFailed, outs["2"].Status)
	assert.Equal(t, "410", outs["2"].Code)
	assert.Equal(t, map[string]int{"G1": 1, "G3": 1}, w.activated)
}

// TestStepsRecordedPerRequest: each request of a batch is a step of the
// checkpoint with its own intent (request hash), reference and answer.
func TestStepsRecordedPerRequest(t *testing.T) {
	w := newToyWorld()
	cfg := toyRun(t, w)
	_, err := Start(t.Context(), cfg)
	require.NoError(t, err)
	st, err := checkpoints.Open(t.Context(), filepath.Join(cfg.Dir, "state.db"))
	require.NoError(t, err)
	defer st.Close()
	steps, err := st.Steps(t.Context(), 1)
	require.NoError(t, err)
	require.Len(t, steps, 3)
	for i, s := range steps {
		assert.Equal(t, fmt.Sprintf("activate G%d", i+1), s.Name)
		assert.Equal(t, record.BatchDone, s.State)
		assert.NotEmpty(t, s.RequestHash, "a state-changing step has its intent")
		assert.True(t, strings.HasSuffix(s.CustomerOrderReference, fmt.Sprintf("-s%d", i)), s.CustomerOrderReference)
		assert.JSONEq(t, fmt.Sprintf(`{"group":"G%d","status":"Success"}`, i+1), string(s.Answer))
	}
}

// TestStepsResumeRefusesADifferentRequest: a step sent without an answer
// is rebuilt on resume and compared with its recorded intent; a build that
// now makes a different request is not reconciled or sent: the batch stays
// in doubt, and nothing is sent again.
func TestStepsResumeRefusesADifferentRequest(t *testing.T) {
	w := newToyWorld()
	w.killNth = 2
	cfg := toyRun(t, w)
	ctx, cancel := context.WithCancel(t.Context())
	w.kill = cancel
	_, _ = Start(ctx, cfg)
	w.kill = func() {}
	time.Sleep(cfg.Opts.Settle)

	cfg.Job = toyStepper{w: w, variant: "changed"}
	rep, err := Resume(t.Context(), cfg)
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"G1": 1, "G2": 1}, w.sent, "nothing sent after the mismatch")
	assert.Zero(t, w.lookups, "not reconciled either")
	assert.Equal(t, 2, rep.Outcomes[record.StatusOK], "%v", rep.Outcomes)
	assert.Equal(t, 4, rep.Outcomes[record.StatusInDoubt], "%v", rep.Outcomes)
	assert.Equal(t, 3, rep.ExitCode(), "resumable")
	st, err := checkpoints.Open(t.Context(), filepath.Join(cfg.Dir, "state.db"))
	require.NoError(t, err)
	defer st.Close()
	b, err := st.Batch(t.Context(), 1)
	require.NoError(t, err)
	assert.Equal(t, record.BatchInDoubt, b.State)
	assert.Contains(t, b.Error, "different request")
}
