package jobs

import (
	"context"
	"fmt"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// Undo of the kinds that put numbers on (or take them off) the account or
// a reservation (issue 20): tf-order (undone by tf-disconnect, as tn-order
// by tn-disconnect), tn-reserve (by tn-release) and tn-release (by
// tn-reserve, while the numbers are still available).

// ---- tn-reserve, tn-release ----

// The snapshot is whether each number was on tnReservedList (unpaginated:
// one request per batch).
var (
	_ Snapshotter = tnReserve{}
	_ Snapshotter = tnRelease{}
)

func reservedSnapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	reserved, err := reservedSet(ctx, api)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		out[k] = Values{"reserved": yn(reserved[k])}
	}
	return out, nil
}

func (tnReserve) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return reservedSnapshot(ctx, api, b)
}

func (tnReserve) Applied(record.Row, Values) Values { return Values{"reserved": "Y"} }

func (tnReserve) Restore(r record.Row, before Values) UndoRow {
	if before["reserved"] == "Y" {
		return UndoRow{Skip: "was reserved before the run"}
	}
	return UndoRow{Kind: "tn-release", Cells: map[string]string{"tn": r.Key}}
}

func (tnRelease) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	return reservedSnapshot(ctx, api, b)
}

func (tnRelease) Applied(record.Row, Values) Values { return Values{"reserved": "N"} }

func (tnRelease) Restore(r record.Row, before Values) UndoRow {
	if before["reserved"] != "Y" {
		return UndoRow{Skip: "was not reserved before the run"}
	}
	return UndoRow{Kind: "tn-reserve", Cells: map[string]string{"tn": r.Key},
		Partly: []string{"reserved again with a new four-hour hold (a number another customer took meanwhile is excluded)"}}
}

// ---- tf-order: undone by disconnecting ----

// tf-order's snapshot says whether a toll-free number was on the account
// before the run: presumed not (the API excludes the numbers that are),
// read at undo time with tfDetail. A number the run loaded or ordered is
// undone by tf-disconnect (destructive: --yes outside the sandbox); one it
// ported in (8XXPORTIN) is not: disconnecting would release it to the
// pool, not give it back.
var (
	_ Snapshotter = tfOrderJob{}
	_ Presumer    = tfOrderJob{}
)

func (tfOrderJob) Presume(b *Batch) map[string]Values {
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		out[k] = Values{"on_account": "N"}
	}
	return out
}

func (tfOrderJob) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	d, err := tfAccountState(ctx, api, b.Keys())
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := make(map[string]Values, len(b.Rows))
	for _, k := range b.Keys() {
		it, ok := d[k]
		out[k] = Values{"on_account": yn(ok && (it.TnStatusRef == "INSVC" || it.TnStatusRef == "PNDNG"))}
	}
	return out, nil
}

func (tfOrderJob) Applied(record.Row, Values) Values { return Values{"on_account": "Y"} }

func (tfOrderJob) Restore(r record.Row, before Values) UndoRow {
	switch {
	case before["on_account"] == "Y":
		return UndoRow{Skip: "was on the account before the run"}
	case r.Fields["product"] == inteliquent.ProductTF8XXPortIn:
		return UndoRow{Cannot: "ported in (8XXPORTIN): tf-disconnect would release it to the pool, not return it to its RespOrg; port it out instead"}
	}
	return UndoRow{Kind: "tf-disconnect", Cells: map[string]string{"tn": r.Key}}
}
