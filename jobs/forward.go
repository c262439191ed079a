package jobs

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// forwardJob sets or removes call forwarding (the guide's "Manage Phone
// Number Call Forwarding Settings", POST /tnForward, and its toll-free twin
// POST /tfForward). Setting a number's forwarding to what it already is, or
// removing a removed one, changes nothing, so batches may be sent again.
//
// One bad number fails a whole request ("409 Invalid TN submitted:[…]",
// "432 TN is not in service"): nothing of it was applied. The next step
// then takes the named number out (409) or splits the batch in halves
// (432, which names none) and sends the rest again, until every number has
// its own outcome: O(k·log n) requests for k bad numbers among n.
type forwardJob struct {
	tollFree bool
}

func (j forwardJob) Spec() Spec {
	s := Spec{
		Name:       "tn-forward",
		Summary:    "set (forward_to) or remove (remove_forward=Y) call forwarding of In Service telephone numbers",
		Operations: []string{inteliquent.OpTnForward},
		BatchSize:  MaxBatch,
	}
	tn := tnColumn()
	if j.tollFree {
		s.Name, s.Operations, tn = "tf-forward", []string{inteliquent.OpTfForward}, tfColumn()
		s.Summary = "set (forward_to) or remove (remove_forward=Y) call forwarding of In Service toll-free numbers"
	}
	s.Columns = []Column{tn,
		{Column: readers.Column{Name: "forward_to", Aliases: []string{"forwardTo", "forward to", "forward"},
			Help: "ten-digit number calls are forwarded to (empty with remove_forward=Y)"}, Example: "3123752629"},
		{Column: readers.Column{Name: "remove_forward", Aliases: []string{"removeForwardTo", "remove forward", "remove_forward_to"},
			Help: "Y removes the number's forwarding"}, Example: ""},
	}
	return s
}

func (j forwardJob) Parse(r Row) (Parsed, []error) {
	var errs []error
	var tn string
	if j.tollFree {
		tn = parseTF(r, &errs)
	} else {
		tn = parseTN(r, &errs)
	}
	to := check(r, "forward_to", &errs, readers.TN)
	rm := check(r, "remove_forward", &errs, readers.YN)
	switch {
	case to == "" && rm != "Y" && r.Get("forward_to") == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "forward_to", Reason: "is required unless remove_forward is Y"})
	case to != "" && rm == "Y":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "remove_forward", Value: rm, Reason: "is Y although forward_to is set; give one of them"})
	case to != "" && to == tn:
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "forward_to", Value: to, Reason: "is the number itself"})
	}
	f := map[string]string{}
	if to != "" {
		f["forward_to"] = to
	}
	if rm == "Y" {
		f["remove_forward"] = "Y"
	}
	return Parsed{Key: tn, Fields: f}, errs
}

// A forwarding batch is a sequence of steps (Stepper): the whole batch
// first, then, after a refusal that concerns single numbers, the rest
// without the named number (409) or each half (432, 414), until every
// number has its own outcome. Each request is a step of the checkpoint
// with its own reference (StepRef) and answer, so a crash or a lost
// answer half way resumes at the first request without an answer, and
// the rows of the requests answered before it keep their outcomes.

var invalidTNRe = regexp.MustCompile(`\[(\d+)\]`)

// forwardCall is one step's request.
type forwardCall struct {
	Ref   string
	Items []inteliquent.ForwardItem
}

// forwardAnswer is an answered step: the order and the answer's status.
type forwardAnswer struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"`
}

// forwardWalk is the batch's requests worked out from the records of the
// steps done: the sets of numbers still to send (next first) and what the
// last step decided.
type forwardWalk struct {
	queue [][]inteliquent.ForwardItem
	// of the last step walked:
	sent     []inteliquent.ForwardItem
	answer   *forwardAnswer
	excluded map[string]string // tn -> reason
	failed   string            // the refusal, when it concerns the whole set
	code     string
}

func (j forwardJob) items(b *Batch) []inteliquent.ForwardItem {
	items := make([]inteliquent.ForwardItem, 0, len(b.Rows))
	for _, r := range b.Rows {
		it := inteliquent.ForwardItem{TN: inteliquent.TN(r.Key), ForwardTo: inteliquent.TN(r.Fields["forward_to"])}
		if r.Fields["remove_forward"] == "Y" {
			it.RemoveForwardTo = "Y"
		}
		items = append(items, it)
	}
	return items
}

func (j forwardJob) walk(b *Batch, done []StepRecord) (*forwardWalk, error) {
	w := &forwardWalk{queue: [][]inteliquent.ForwardItem{j.items(b)}}
	for _, rec := range done {
		w.sent, w.answer, w.excluded, w.failed, w.code = w.pop(), nil, map[string]string{}, "", ""
		if !rec.Refused {
			var a forwardAnswer
			if err := rec.Decode(&a); err != nil {
				return nil, err
			}
			w.answer = &a
			continue
		}
		w.refused(rec.Code, rec.Message)
	}
	return w, nil
}

func (w *forwardWalk) pop() []inteliquent.ForwardItem {
	for len(w.queue) > 0 {
		next := w.queue[0]
		w.queue = w.queue[1:]
		if len(next) > 0 {
			return next
		}
	}
	return nil
}

// refused applies a refusal of w.sent: one bad number fails a whole
// request ("409 Invalid TN submitted:[…]", "432 TN is not in service"):
// the named number is taken out (409) or the set split in halves (432,
// 414, which name none), and the rest sent again first.
func (w *forwardWalk) refused(code, status string) {
	items := w.sent
	reason := strings.TrimSpace(code + " " + status)
	switch code {
	case "409":
		if m := invalidTNRe.FindStringSubmatch(status); m != nil {
			var rest []inteliquent.ForwardItem
			for _, it := range items {
				if string(it.TN) == m[1] || string(it.ForwardTo) == m[1] {
					w.excluded[string(it.TN)] = reason
					continue
				}
				rest = append(rest, it)
			}
			if len(rest) < len(items) {
				w.queue = append([][]inteliquent.ForwardItem{rest}, w.queue...)
				return
			}
		}
	case "432", "414":
	default:
		w.failed, w.code = reason, code
		return
	}
	if len(items) == 1 {
		w.excluded[string(items[0].TN)] = reason
		return
	}
	half := len(items) / 2
	w.queue = append([][]inteliquent.ForwardItem{items[:half], items[half:]}, w.queue...)
}

func (j forwardJob) NextStep(b *Batch, done []StepRecord) (Step, bool, error) {
	w, err := j.walk(b, done)
	if err != nil {
		return Step{}, false, err
	}
	next := w.pop()
	if next == nil {
		return Step{}, false, nil
	}
	op := inteliquent.OpTnForward
	if j.tollFree {
		op = inteliquent.OpTfForward
	}
	ref := StepRef(b.CustomerOrderReference, len(done))
	return Step{Name: fmt.Sprintf("%s %d numbers from %s", op, len(next), next[0].TN), Op: op, Ref: ref,
		Req: &forwardCall{Ref: ref, Items: next}}, true, nil
}

func (j forwardJob) SendStep(ctx context.Context, api *inteliquent.Client, s Step) (any, error) {
	c := s.Req.(*forwardCall)
	var (
		resp *inteliquent.OrderResponse
		err  error
	)
	if j.tollFree {
		r := &inteliquent.TfForwardRequest{}
		r.TfForward.CustomerOrderReference, r.TfForward.TnList.TnItem = c.Ref, c.Items
		resp, err = api.TfForward(ctx, r)
	} else {
		r := &inteliquent.TnForwardRequest{}
		r.TnForward.CustomerOrderReference, r.TnForward.TnList.TnItem = c.Ref, c.Items
		resp, err = api.TnForward(ctx, r)
	}
	if err != nil {
		return nil, err
	}
	return forwardAnswer{OrderID: string(resp.OrderID), Status: resp.Status}, nil
}

// ReconcileStep is never called: forwarding is idempotent (the operation
// table), so a step without an answer is simply sent again.
func (j forwardJob) ReconcileStep(context.Context, *inteliquent.Client, *Batch, []StepRecord, Step) (any, bool, error) {
	return nil, true, nil
}

// StepResult decides the rows of the numbers the last request sent: ok
// (or in doubt, or excluded by name) when it was answered; excluded when a
// refusal named them or they were sent alone; failed when the refusal
// concerned the request as a whole.
func (j forwardJob) StepResult(b *Batch, done []StepRecord) Result {
	w, err := j.walk(b, done)
	if err != nil {
		return Result{}
	}
	in := map[string]bool{}
	for _, it := range w.sent {
		in[string(it.TN)] = true
	}
	op := inteliquent.OpTnForward
	if j.tollFree {
		op = inteliquent.OpTfForward
	}
	var res Result
	for _, r := range b.Rows {
		if !in[r.Key] {
			continue
		}
		o := record.Outcome{Code: op}
		reason, bad := w.excluded[r.Key]
		switch {
		case bad:
			o.Status, o.Message = record.StatusExcluded, reason
			res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", CustomerOrderReference: b.CustomerOrderReference, TN: r.Key, Reason: reason})
		case w.failed != "":
			o.Status, o.Code, o.Message = record.StatusFailed, w.code, w.failed
		case w.answer == nil:
			continue // split: its halves decide it
		default:
			id, status := w.answer.OrderID, map[string]string{r.Key: w.answer.Status}
			if why := forwardDoubt(r.Key, status); why != "" {
				// A 200 whose status is not "Success" (guide line 2689) says so
				// for no number unless it names this one.
				named := ""
				for _, e := range inteliquent.ParseTNStatus(w.answer.Status).Entries {
					if string(e.TN) == r.Key {
						named = e.Reason
					}
				}
				if named != "" {
					o.Status, o.Message, o.OrderID = record.StatusExcluded, named, id
					res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", CustomerOrderReference: b.CustomerOrderReference, TN: r.Key, Reason: named})
				} else {
					o.Status, o.Message, o.OrderID = record.StatusInDoubt, why, id
				}
				break
			}
			o.Status, o.OrderID = record.StatusOK, id
			if r.Fields["remove_forward"] == "Y" {
				o.Message = "forwarding removed"
			} else {
				o.Message = "forwarding to " + r.Fields["forward_to"]
			}
			if id != "" {
				o.Message += " (order " + id + ")"
			}
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: o})
	}
	return res
}

func (j forwardJob) Build(b *Batch) (any, error) { return buildSteps(b) }

func (j forwardJob) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return sendSteps(ctx, api, j, req)
}

func (j forwardJob) Read(_ *Batch, resp any) Result { return readSteps(resp) }

// forwardDoubt says why an answered forward request does not prove the
// number's change ("" when its status is "Success", or none was recorded).
func forwardDoubt(tn string, status map[string]string) string {
	st, recorded := status[tn]
	if !recorded || strings.EqualFold(strings.TrimSpace(st), "Success") {
		return ""
	}
	return fmt.Sprintf("the answer's status does not say Success for this number: %q", strings.TrimSpace(st))
}
