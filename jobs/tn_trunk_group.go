package jobs

import (
	"context"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// tnTrunkGroup moves In Service numbers to another trunk group (the guide's
// "Update Active Telephone Number Trunk Group", POST /tnUpdate). tnUpdate
// makes an order, so a batch whose answer was lost is reconciled (orderList
// by customerOrderReference, then tnDetail) rather than sent again blindly.
type tnTrunkGroup struct{}

var (
	_ Reconciler = tnTrunkGroup{}
	_ Follower   = tnTrunkGroup{}
)

func (tnTrunkGroup) Spec() Spec {
	return Spec{
		Name:       "tn-trunk-group",
		Summary:    "move In Service numbers to a trunk group",
		Operations: []string{inteliquent.OpTnUpdate, inteliquent.OpOrderList, inteliquent.OpTnDetail, inteliquent.OpOrderDetail, inteliquent.OpExcludedTnList},
		Columns: []Column{
			tnColumn(),
			{Column: readers.Column{Name: "trunk_group", Aliases: []string{"trunkgroup", "trunk group", "tg", "new trunk group", "trunkGroupName"}, Required: true,
				Help: "trunk group to move the number to (e.g. CHCGIL24CL1_897)"}, Example: "TG_CHICAGO_02"},
		},
		BatchSize: MaxBatch,
	}
}

func (tnTrunkGroup) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	tg := check(r, "trunk_group", &errs, readers.Required)
	return Parsed{Key: tn, Fields: map[string]string{"trunk_group": tg}}, errs
}

func (tnTrunkGroup) Build(b *Batch) (any, error) {
	req := &inteliquent.TnUpdateRequest{CustomerOrderReference: b.CustomerOrderReference}
	for _, r := range b.Rows {
		req.TnList.TnItem = append(req.TnList.TnItem, inteliquent.TnUpdateItem{TN: inteliquent.TN(r.Key), TrunkGroup: r.Fields["trunk_group"]})
	}
	return req, nil
}

func (tnTrunkGroup) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnUpdate(ctx, req.(*inteliquent.TnUpdateRequest))
}

func (tnTrunkGroup) Read(b *Batch, resp any) Result {
	return readOrderAnswer(b, inteliquent.OpTnUpdate, resp.(*inteliquent.OrderResponse))
}

// Reconcile: the order made under the batch's customerOrderReference, if
// any; otherwise a number already on its new trunk group was moved (ok),
// and the others are sent again (moving a number to the trunk group it is
// on changes nothing).
func (tnTrunkGroup) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	return reconcileOnAccount(ctx, api, b, accountState, func(r record.Row, d inteliquent.TnDetailItem, found bool) (string, bool) {
		return "on trunk group " + d.TrunkGroup, found && d.TrunkGroup == r.Fields["trunk_group"]
	})
}

// Follow reads the trunk-group order until it is final.
func (tnTrunkGroup) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}
