package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// portInActivate activates on-demand port-ins whose FOC date has come (the
// guide's "Retrieve Port-In Order Available Activation Groups" then "Activate
// Port-In Order"). Rows name numbers (and optionally their order); for each
// order of a batch the job asks which groups are available today, activates
// the groups holding the batch's numbers, parses the per-group status string
// and reads orderDetail for every number's status. The API activates whole
// groups: a group's other numbers on the same order are activated too.
// portInOrderActivate itself is not idempotent, but Send begins by asking
// which groups are still available: an activated group no longer is, so
// sending a batch again activates only what was not activated (Reconcile).
type portInActivate struct{}

func (portInActivate) Spec() Spec {
	return Spec{
		Name:    "port-in-activate",
		Summary: "activate on-demand port-in groups available today (FOC date reached)",
		Operations: []string{inteliquent.OpPortInOrderAvailableActivation, inteliquent.OpPortInOrderActivate,
			inteliquent.OpOrderDetail, inteliquent.OpPortInOrderTnList, inteliquent.OpExcludedTnList},
		Columns:   []Column{tnColumn(), orderIDColumn(false)},
		Outputs:   []string{outTnStatus, outPortDate, outTnGroup, outActivation},
		BatchSize: MaxBatch,
	}
}

func (portInActivate) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	id := strings.TrimSpace(r.Get("order_id"))
	if id != "" && !isDigitsOnly(id) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "order_id", Value: id, Reason: "is not an order number"})
	}
	return Parsed{Key: tn, Group: id, Fields: map[string]string{"order_id": id}}, errs
}

// portInActivateRequest is a batch of numbers with their orders (if given).
type portInActivateRequest struct {
	TNs      []string
	OrderIDs []string
}

func (portInActivate) Build(b *Batch) (any, error) {
	req := &portInActivateRequest{}
	for _, r := range b.Rows {
		req.TNs = append(req.TNs, r.Key)
		req.OrderIDs = append(req.OrderIDs, r.Fields["order_id"])
	}
	return req, nil
}

// activation is what happened to one number.
type activation struct {
	OrderID string
	Outcome record.Outcome
}

type portInActivateAnswer struct {
	PerTN map[string]activation
	// Orders are the port-in orders whose numbers were looked at: their
	// follow-up (orderDetail) tells when an accepted activation is done.
	Orders []string
}

// outActivation is the result column holding the group's activation
// result as portInOrderActivate gave it ("Success", or its reason).
const outActivation = "activation"

func (portInActivate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	r := req.(*portInActivateRequest)
	orderOf, err := resolveOrders(ctx, api, r.TNs, r.OrderIDs)
	if err != nil {
		return nil, err
	}
	ans := &portInActivateAnswer{PerTN: map[string]activation{}}
	for _, id := range sortedOrders(orderOf) {
		ref := inteliquent.OrderRef{OrderID: inteliquent.OrderID(id)}
		want := map[string]bool{}
		for tn, oid := range orderOf {
			if oid == id {
				want[tn] = true
			}
		}
		groupOf := map[string]string{} // tn -> available group
		var groups []string
		avail, err := api.PortInOrderAvailableActivation(ctx, &inteliquent.PortInOrderAvailableActivationRequest{OrderRef: ref})
		switch {
		case err == nil:
			for _, g := range avail.AvailableActivationList {
				hit := false
				for _, it := range g.TnList.TnItem {
					groupOf[string(it.TN)] = g.TnGroup
					hit = hit || want[string(it.TN)]
				}
				if hit {
					groups = append(groups, g.TnGroup)
				}
			}
		case perOrderError(err):
			for tn := range want {
				ans.PerTN[tn] = activation{id, record.Outcome{Status: record.StatusFailed, OrderID: id,
					Code: inteliquent.OpPortInOrderAvailableActivation, Message: err.Error()}}
			}
			continue
		default:
			return nil, err
		}
		sort.Strings(groups)
		var result inteliquent.ActivationStatus
		if len(groups) > 0 {
			resp, err := api.PortInOrderActivate(ctx, &inteliquent.PortInOrderActivateRequest{OrderRef: ref, TnGroup: groups})
			switch {
			case err == nil:
				result = resp.Activation()
			case perOrderError(err):
				for tn := range want {
					ans.PerTN[tn] = activation{id, record.Outcome{Status: record.StatusFailed, OrderID: id,
						Code: inteliquent.OpPortInOrderActivate, Message: err.Error()}}
				}
				continue
			default:
				return nil, err
			}
		}
		// Every number's status after the activation.
		d, err := api.OrderDetail(ctx, &inteliquent.OrderDetailRequest{OrderRef: ref})
		if err != nil {
			return nil, err
		}
		od := d.OrderDetailResponse
		onOrder := map[string]inteliquent.OrderTnItem{}
		for _, it := range od.TnList.TnItem {
			onOrder[string(it.TN)] = it
		}
		co := record.Order{OrderID: id, Status: od.OrderStatus}
		ans.Orders = append(ans.Orders, id)
		for tn := range want {
			it, on := onOrder[tn]
			if !on {
				ans.PerTN[tn] = activation{id, record.Outcome{Status: record.StatusFailed, OrderID: id,
					Code: inteliquent.OpOrderDetail, Message: "not on port-in order " + id}}
				continue
			}
			ans.PerTN[tn] = activation{id, activationOutcome(portOutcome(co, it), groupOf[tn], len(groups) > 0, result)}
		}
	}
	return ans, nil
}

// activationOutcome puts a group's activation result into its number's row
// (guide lines 7136 and 7142: "status" is "tnGroup:G Status:{1=[reason]}|
// tnGroup: G2 Status:Success|"; the numbers "move to Activated or Complete"
// later, seen by polling orderDetail). out is what orderDetail says now.
// A group the answer calls Success is accepted: the row is pending until
// orderDetail shows the number Activated (iqbulk follow), unless it already
// does. A group it refuses fails with its reason. An answer that cannot be
// read, or that does not name the group, leaves the row in doubt unless
// orderDetail already shows the number ported.
func activationOutcome(out record.Outcome, group string, sent bool, result inteliquent.ActivationStatus) record.Outcome {
	if out.Extra == nil {
		out.Extra = map[string]string{}
	}
	if group == "" || !sent {
		if out.Status == record.StatusPending {
			out.Message = "not available for activation today: " + out.Message
		}
		return out
	}
	ga, named := result.Group(group)
	refused := named && !ga.OK && ga.Detail.Parsed && len(ga.Detail.Entries) > 0
	switch {
	case result.Parsed && refused && out.Status == record.StatusOK:
		out.Extra[outActivation] = ga.Status
		out.Message += "; portInOrderActivate: " + ga.Reason()
	case result.Parsed && refused:
		out.Extra[outActivation] = ga.Status
		out.Status, out.Code, out.Message = record.StatusFailed, inteliquent.OpPortInOrderActivate, ga.Reason()
	case result.Parsed && ((named && ga.OK) || (!named && result.OK)):
		out.Extra[outActivation] = "Success"
		if out.Status == record.StatusPending {
			out.Code = inteliquent.OpPortInOrderActivate
			out.Message = "activation of " + group + " accepted (portInOrderActivate: Success); orderDetail still says " +
				out.Extra[outTnStatus] + "; run iqbulk follow until it says Activated"
		}
	default:
		out.Extra[outActivation] = result.Raw
		why := "portInOrderActivate's answer cannot be read"
		if result.Parsed && named {
			out.Extra[outActivation] = ga.Status
			why = "portInOrderActivate's answer for " + group + " cannot be read"
		} else if result.Parsed {
			why = "portInOrderActivate's answer does not name " + group
		}
		if out.Status != record.StatusOK {
			out.Status, out.Code = record.StatusInDoubt, inteliquent.OpPortInOrderActivate
			out.Message = fmt.Sprintf("%s: %q; orderDetail says %s", why, result.Raw, out.Extra[outTnStatus])
		} else {
			out.Message += fmt.Sprintf("; %s: %q", why, result.Raw)
		}
	}
	return out
}

// Follow reads the port-in orders of the activated numbers until final.
func (portInActivate) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followPortIn(ctx, api, o, rows)
}

// Reconcile hands every undecided row back to be sent again: Send first
// reads portInOrderAvailableActivation, which no longer lists a group the
// lost activation did activate, and then reads every number's status. The
// pipeline calls it only after the settle window, so the availability list
// has caught up with the lost activation.
func (portInActivate) Reconcile(_ context.Context, _ *inteliquent.Client, b *Batch) (Result, []int, error) {
	resend := make([]int, len(b.Rows))
	for i, r := range b.Rows {
		resend[i] = r.Seq
	}
	return Result{}, resend, nil
}

func (portInActivate) Read(b *Batch, resp any) Result {
	a := resp.(*portInActivateAnswer)
	res := Result{}
	for _, r := range b.Rows {
		act, ok := a.PerTN[r.Key]
		if !ok {
			res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusFailed,
				Code: inteliquent.OpPortInOrderTnList, Message: "no pending port-in order holds this number (give order_id)"}})
			continue
		}
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: act.Outcome})
	}
	for _, id := range a.Orders {
		res.Orders = append(res.Orders, record.Order{OrderID: id, Batch: b.ID})
	}
	return res
}
