package jobs

import (
	"context"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// tnDisconnect disconnects In Service numbers (the guide's "Disconnect
// Active Telephone Number", POST /tnDisconnect). It removes service, so it
// is destructive (--yes outside the sandbox), and it is not idempotent: a
// batch whose answer was lost is reconciled before anything is sent again.
type tnDisconnect struct{}

var (
	_ Reconciler    = tnDisconnect{}
	_ Follower      = tnDisconnect{}
	_ DryRunChecker = tnDisconnect{}
)

func (tnDisconnect) Spec() Spec {
	return Spec{
		Name:        "tn-disconnect",
		Summary:     "disconnect In Service numbers (removes service; the dry run checks each number is In Service)",
		Operations:  []string{inteliquent.OpTnDisconnect, inteliquent.OpOrderList, inteliquent.OpTnDetail, inteliquent.OpOrderDetail, inteliquent.OpExcludedTnList},
		Columns:     []Column{tnColumn()},
		Destructive: true,
		BatchSize:   MaxBatch,
	}
}

func (tnDisconnect) Parse(r Row) (Parsed, []error) {
	var errs []error
	tn := parseTN(r, &errs)
	return Parsed{Key: tn, Fields: map[string]string{}}, errs
}

func (tnDisconnect) Build(b *Batch) (any, error) {
	req := &inteliquent.TnDisconnectRequest{CustomerOrderReference: b.CustomerOrderReference}
	for _, r := range b.Rows {
		req.TnList.TnItem = append(req.TnList.TnItem, inteliquent.TnItemRef{TN: inteliquent.TN(r.Key)})
	}
	return req, nil
}

func (tnDisconnect) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TnDisconnect(ctx, req.(*inteliquent.TnDisconnectRequest))
}

func (tnDisconnect) Read(b *Batch, resp any) Result {
	return readOrderAnswer(b, inteliquent.OpTnDisconnect, resp.(*inteliquent.OrderResponse))
}

// Reconcile finds out what a tnDisconnect whose answer was lost did: the
// order recorded under the batch's customerOrderReference, if any; else
// each number's state (tnDetail). A number no longer In Service (Pending
// Disconnect) was disconnected and is not sent again; a number still In
// Service never was, and only it is resent. A number that is not on the
// account at all proves nothing about this batch (it may never have been
// ours, and tnDisconnect would refuse it): it is excluded, "not on the
// account", never counted as disconnected.
func (tnDisconnect) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	return reconcileByState(ctx, api, b, accountState, func(_ record.Row, d inteliquent.TnDetailItem, found bool) (string, string) {
		switch {
		case !found:
			return record.StatusExcluded, "not on the account (tnDetail finds no such number)"
		case d.TnStatus == tnInService:
			return "", ""
		}
		return record.StatusOK, d.TnStatus
	})
}

// Follow reads the disconnect order until it is final.
func (tnDisconnect) Follow(ctx context.Context, api *inteliquent.Client, o record.Order, rows []record.Row) (FollowResult, error) {
	return followTNOrder(ctx, api, o, rows)
}

// DryRunCheck looks each number up (tnDetail, read-only): In Service on the
// account is what a disconnect needs; anything else would be excluded.
func (tnDisconnect) DryRunCheck(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, error) {
	onAccount, err := accountState(ctx, api, b.Keys())
	if err != nil {
		return Result{}, err
	}
	return dryRunByState(b, onAccount, func(r record.Row, d inteliquent.TnDetailItem, ok bool) (string, string) {
		switch {
		case !ok:
			return record.StatusExcluded, "dry run: not on the account; would be excluded"
		case d.TnStatus != tnInService:
			return record.StatusExcluded, "dry run: " + d.TnStatus + ", not In Service; would be excluded"
		}
		return statusSkipped, "dry run: In Service on trunk group " + d.TrunkGroup + "; would be disconnected"
	}), nil
}

// dryRunByState decides each row of a dry run from its tnDetail record.
func dryRunByState(b *Batch, onAccount map[string]inteliquent.TnDetailItem, decide func(r record.Row, d inteliquent.TnDetailItem, ok bool) (status, msg string)) Result {
	var res Result
	for _, r := range b.Rows {
		d, ok := onAccount[r.Key]
		status, msg := decide(r, d, ok)
		res.Rows = append(res.Rows, record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: status, Code: "dry-run", Message: msg}})
	}
	return res
}
