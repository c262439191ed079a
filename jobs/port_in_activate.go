package jobs

import (
	"context"
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
			inteliquent.OpOrderDetail, inteliquent.OpPortInOrderTnList},
		Columns:   []Column{tnColumn(), orderIDColumn(false)},
		Outputs:   []string{outTnStatus, outPortDate, outTnGroup},
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
}

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
		for tn := range want {
			it, on := onOrder[tn]
			if !on {
				ans.PerTN[tn] = activation{id, record.Outcome{Status: record.StatusFailed, OrderID: id,
					Code: inteliquent.OpOrderDetail, Message: "not on port-in order " + id}}
				continue
			}
			out := portOutcome(co, it)
			if g, ok := groupOf[tn]; ok && result.Parsed {
				if ga, named := result.Group(g); named && !ga.OK {
					out.Status, out.Code, out.Message = record.StatusFailed, inteliquent.OpPortInOrderActivate, ga.Reason()
				}
			} else if g, ok := groupOf[tn]; ok && len(groups) > 0 && !result.Parsed {
				out.Message = strings.TrimSpace(out.Message + "; activation status: " + result.Raw + " (group " + g + ")")
			}
			if out.Status == record.StatusPending {
				out.Message = "not available for activation today: " + out.Message
			}
			ans.PerTN[tn] = activation{id, out}
		}
	}
	return ans, nil
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
	return res
}
