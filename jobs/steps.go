package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// Step is one API request of a batch that a Stepper sends as several
// (DESIGN.md rule 2: each state-changing request has its own intent). The
// engine commits a step's intent before it is sent and its answer after,
// reconciles it alone when the answer is lost, and builds the next step
// from the answers recorded in the checkpoint, so a resumed batch goes on
// at its first undecided step.
type Step struct {
	// Name says what the step does ("activate 1085360 Group 2"); it is
	// unique within the batch.
	Name string
	// Op is the guide's operation. Whether the step needs an intent and a
	// reconciliation is read from the client's operation table
	// (StepIdempotent), never declared here.
	Op string
	// Req is the request. It must be deterministic from the batch and the
	// records of the steps before it: a resume builds it again and checks
	// it against the recorded intent.
	Req any
	// Ref is the step's customerOrderReference (StepRef) where the
	// operation takes one, else "".
	Ref string
}

// StepRecord is a decided step as the checkpoint holds it: its answer (as
// JSON, the form every later step is built from, in the first process as
// after a resume), or the API's refusal of it.
type StepRecord struct {
	Name, Op string
	// Refused: the API refused the request (proof it was not applied);
	// Code and Message are its answer.
	Refused       bool
	Code, Message string
	Answer        json.RawMessage
}

// Decode reads the step's answer into v.
func (r StepRecord) Decode(v any) error {
	if err := json.Unmarshal(r.Answer, v); err != nil {
		return fmt.Errorf("step %q: answer: %w", r.Name, err)
	}
	return nil
}

// Stepper is implemented by job kinds whose batch takes several requests
// (port-in-activate: availability, then one activation per group, then the
// order's detail; tn-forward: the split-and-resend). The pipeline runs such
// a batch step by step instead of Build/Send/Read; Build/Send/Read of a
// Stepper run the same steps in memory (RunSteps), for dry runs.
type Stepper interface {
	Job
	// NextStep returns the step after those already decided (done, in
	// order), or ok false when the batch needs no more requests. It is
	// deterministic: the same batch and records give the same step.
	NextStep(b *Batch, done []StepRecord) (s Step, ok bool, err error)
	// SendStep sends a step's request. The answer must encode as JSON.
	// An *inteliquent.APIError that proves the request was not applied
	// (Refusal) is recorded as the step's refusal.
	SendStep(ctx context.Context, api *inteliquent.Client, s Step) (any, error)
	// StepResult returns the outcomes of the rows that the last step of
	// done decides, by its answer or refusal (and only those: a row whose
	// step did not run is not reported).
	StepResult(b *Batch, done []StepRecord) Result
	// ReconcileStep asks the API what became of a state-changing step that
	// was sent without a recorded answer; the engine calls it only after
	// the settle window. It returns the answer the step is taken to have
	// had (applied), or resend true when the API provably never acted on
	// it (the same step is then sent again, under the same reference).
	ReconcileStep(ctx context.Context, api *inteliquent.Client, b *Batch, done []StepRecord, s Step) (answer any, resend bool, err error)
}

// PartlyStepped is implemented by a Stepper whose batches are not all sent
// as steps (tf-order: only an 8XXPORTIN batch, whose LOA is attached by a
// second request). Stepped must decide from the batch's rows as planned, so
// the first process and a resume agree.
type PartlyStepped interface {
	Stepped(b *Batch) bool
}

// IsStepped reports whether the engine sends batch b of Stepper s as steps.
func IsStepped(s Stepper, b *Batch) bool {
	if p, ok := s.(PartlyStepped); ok {
		return p.Stepped(b)
	}
	return true
}

// StepIdempotent reports whether a step may simply be sent again: its
// operation reads, or changes state idempotently (the operation table).
func StepIdempotent(s Step) bool {
	return !inteliquent.IsStateChanging(s.Op) || inteliquent.IsIdempotent(s.Op)
}

// StepRef is the customerOrderReference of a batch's step index i.
func StepRef(batchRef string, i int) string {
	return fmt.Sprintf("%s-s%d", batchRef, i)
}

// Refusal reports whether err is the API refusing a step's request: an
// answer that proves the request was not applied and that sending it again
// would not change (not "try again", not credentials, not a lost answer).
func Refusal(err error) bool {
	var ae *inteliquent.APIError
	return errors.As(err, &ae) && !inteliquent.IsRetryable(err) && !inteliquent.IsFatal(err) && !inteliquent.IsAmbiguous(err)
}

// RefusalRecord records a refused step.
func RefusalRecord(s Step, err error) StepRecord {
	rec := StepRecord{Name: s.Name, Op: s.Op, Refused: true, Code: inteliquent.Code(err), Message: err.Error()}
	var ae *inteliquent.APIError
	if errors.As(err, &ae) {
		rec.Message = ae.Status
	}
	return rec
}

// AnswerRecord records an answered step, its answer in the JSON form the
// checkpoint keeps.
func AnswerRecord(s Step, answer any) (StepRecord, error) {
	data, err := json.Marshal(answer)
	if err != nil {
		return StepRecord{}, fmt.Errorf("step %q: encode answer: %w", s.Name, err)
	}
	return StepRecord{Name: s.Name, Op: s.Op, Answer: data}, nil
}

// stepsCall is what Build returns for a Stepper: the batch itself, whose
// steps Send runs in memory.
type stepsCall struct{ batch *Batch }

// stepsAnswer is what Send returns for a Stepper: the result of every
// step, gathered.
type stepsAnswer struct{ res Result }

// buildSteps, sendSteps and readSteps are a Stepper's Build, Send and Read.
func buildSteps(b *Batch) (any, error) { return &stepsCall{batch: b}, nil }

func sendSteps(ctx context.Context, api *inteliquent.Client, s Stepper, req any) (any, error) {
	res, err := RunSteps(ctx, api, s, req.(*stepsCall).batch)
	if err != nil {
		return nil, err
	}
	return &stepsAnswer{res: res}, nil
}

func readSteps(resp any) Result { return resp.(*stepsAnswer).res }

// RunSteps sends a batch's steps one after the other in memory, each
// answer going through its JSON form as through the checkpoint, and
// gathers what every step decides. A refusal is the step's record; any
// other error ends the batch (dry runs end here at the first
// state-changing step, with inteliquent.ErrDryRun). The pipeline does not
// use it: it checkpoints every step (pipeline/steps.go).
func RunSteps(ctx context.Context, api *inteliquent.Client, s Stepper, b *Batch) (Result, error) {
	var (
		done []StepRecord
		res  Result
	)
	for {
		st, ok, err := s.NextStep(b, done)
		if err != nil || !ok {
			return res, err
		}
		answer, err := s.SendStep(ctx, api, st)
		var rec StepRecord
		switch {
		case err == nil:
			if rec, err = AnswerRecord(st, answer); err != nil {
				return Result{}, err
			}
		case Refusal(err):
			rec = RefusalRecord(st, err)
		default:
			return Result{}, err
		}
		done = append(done, rec)
		res = MergeResults(res, s.StepResult(b, done))
	}
}

// MergeResults appends b's outcomes, exclusions and orders to a's (b's
// order id wins when set).
func MergeResults(a, b Result) Result {
	if b.OrderID != "" {
		a.OrderID = b.OrderID
	}
	a.Rows = append(a.Rows, b.Rows...)
	a.Excluded = append(a.Excluded, b.Excluded...)
	a.Orders = append(a.Orders, b.Orders...)
	return a
}
