package jobs

import (
	"context"
	"errors"
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
// "432 TN is not in service"): nothing of it was applied. Send then takes
// the named number out (409) or splits the batch in halves (432, which
// names none) and sends the rest again, until every number has its own
// outcome: O(k·log n) requests for k bad numbers among n.
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

func (j forwardJob) Build(b *Batch) (any, error) {
	items := make([]inteliquent.ForwardItem, 0, len(b.Rows))
	for _, r := range b.Rows {
		it := inteliquent.ForwardItem{TN: inteliquent.TN(r.Key), ForwardTo: inteliquent.TN(r.Fields["forward_to"])}
		if r.Fields["remove_forward"] == "Y" {
			it.RemoveForwardTo = "Y"
		}
		items = append(items, it)
	}
	return &forwardCall{Ref: b.CustomerOrderReference, Items: items}, nil
}

// forwardCall is the batch's request before it is split.
type forwardCall struct {
	Ref   string
	Items []inteliquent.ForwardItem
}

// forwardSent is what the requests of one batch did, per number.
type forwardSent struct {
	Applied  map[string]string // tn -> orderId
	Excluded map[string]string // tn -> the API's reason
	// Status is the answer's status string per number of an answered
	// request (the guide's answer says "Success", guide line 2689).
	Status   map[string]string
	Requests int
}

func (j forwardJob) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	c := req.(*forwardCall)
	send := func(ctx context.Context, items []inteliquent.ForwardItem) (*inteliquent.OrderResponse, error) {
		if j.tollFree {
			r := &inteliquent.TfForwardRequest{}
			r.TfForward.CustomerOrderReference, r.TfForward.TnList.TnItem = c.Ref, items
			return api.TfForward(ctx, r)
		}
		r := &inteliquent.TnForwardRequest{}
		r.TnForward.CustomerOrderReference, r.TnForward.TnList.TnItem = c.Ref, items
		return api.TnForward(ctx, r)
	}
	out := &forwardSent{Applied: map[string]string{}, Excluded: map[string]string{}, Status: map[string]string{}}
	if err := sendForward(ctx, c.Items, send, out); err != nil {
		return nil, err
	}
	return out, nil
}

var invalidTNRe = regexp.MustCompile(`\[(\d+)\]`)

// sendForward sends items and, on a whole-request refusal that concerns
// single numbers (409, 432, 414), isolates the numbers at fault.
func sendForward(ctx context.Context, items []inteliquent.ForwardItem, send func(context.Context, []inteliquent.ForwardItem) (*inteliquent.OrderResponse, error), out *forwardSent) error {
	if len(items) == 0 {
		return nil
	}
	out.Requests++
	resp, err := send(ctx, items)
	if err == nil {
		for _, it := range items {
			out.Applied[string(it.TN)] = string(resp.OrderID)
			if out.Status != nil {
				out.Status[string(it.TN)] = resp.Status
			}
		}
		return nil
	}
	var ae *inteliquent.APIError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Code {
	case "409":
		// "Invalid TN submitted:[80012312344]": take the named number out.
		if m := invalidTNRe.FindStringSubmatch(ae.Status); m != nil {
			var rest []inteliquent.ForwardItem
			named := false
			for _, it := range items {
				if string(it.TN) == m[1] || string(it.ForwardTo) == m[1] {
					out.Excluded[string(it.TN)] = strings.TrimSpace(ae.Code + " " + ae.Status)
					named = true
					continue
				}
				rest = append(rest, it)
			}
			if named {
				return sendForward(ctx, rest, send, out)
			}
		}
	case "432", "414":
	default:
		return err
	}
	if len(items) == 1 {
		out.Excluded[string(items[0].TN)] = strings.TrimSpace(ae.Code + " " + ae.Status)
		return nil
	}
	half := len(items) / 2
	if err := sendForward(ctx, items[:half], send, out); err != nil {
		return err
	}
	return sendForward(ctx, items[half:], send, out)
}

func (j forwardJob) Read(b *Batch, resp any) Result {
	s := resp.(*forwardSent)
	var res Result
	op := inteliquent.OpTnForward
	if j.tollFree {
		op = inteliquent.OpTfForward
	}
	for _, r := range b.Rows {
		o := record.Outcome{Code: op}
		if reason, bad := s.Excluded[r.Key]; bad {
			o.Status, o.Message = record.StatusExcluded, reason
			res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", CustomerOrderReference: b.CustomerOrderReference, TN: r.Key, Reason: reason})
		} else if id, ok := s.Applied[r.Key]; ok && forwardDoubt(r.Key, s.Status) != "" {
			// A 200 whose status is not "Success" (guide line 2689) says so
			// for no number unless it names this one.
			st := inteliquent.ParseTNStatus(s.Status[r.Key])
			named := ""
			for _, e := range st.Entries {
				if string(e.TN) == r.Key {
					named = e.Reason
				}
			}
			if named != "" {
				o.Status, o.Message, o.OrderID = record.StatusExcluded, named, id
				res.Excluded = append(res.Excluded, record.Excluded{Kind: "tn", CustomerOrderReference: b.CustomerOrderReference, TN: r.Key, Reason: named})
			} else {
				o.Status, o.Message, o.OrderID = record.StatusInDoubt, forwardDoubt(r.Key, s.Status), id
			}
		} else if ok {
			o.Status, o.OrderID = record.StatusOK, id
			if r.Fields["remove_forward"] == "Y" {
				o.Message = "forwarding removed"
			} else {
				o.Message = "forwarding to " + r.Fields["forward_to"]
			}
			if id != "" {
				o.Message += " (order " + id + ")"
			}
		} else {
			o.Status, o.Message = record.StatusFailed, "the answers did not mention this number"
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: o})
	}
	return res
}

// forwardDoubt says why an answered forward request does not prove the
// number's change ("" when its status is "Success", or none was recorded).
func forwardDoubt(tn string, status map[string]string) string {
	st, recorded := status[tn]
	if !recorded || strings.EqualFold(strings.TrimSpace(st), "Success") {
		return ""
	}
	return fmt.Sprintf("the answer's status does not say Success for this number: %q", strings.TrimSpace(st))
}
