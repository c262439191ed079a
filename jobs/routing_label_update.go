package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// routingLabelUpdate renames toll-free routing labels (the guide's "Change
// Toll Free Routing Label Name", POST /routingLabelUpdate), one per row.
// It is destructive: every manifest, script and RespOrg record that uses
// the old name stops matching (iqbulk's reference check then refuses
// tf-order and tf-routing rows naming it, before anything is sent). A
// second rename of the same name is refused, so a lost answer is
// reconciled with routingLabelSearchAssigned: the new name there and the
// old one gone means it arrived. Undo renames it back.
type routingLabelUpdate struct{}

func (routingLabelUpdate) Spec() Spec {
	return Spec{
		Name:       "routing-label-update",
		Summary:    "rename toll-free routing labels (later tf-order and tf-routing rows must use the new name)",
		Operations: []string{inteliquent.OpRoutingLabelUpdate, inteliquent.OpRoutingLabelSearchAssigned},
		Columns: []Column{
			col("routing_label", true, "the routing label's current name", "NTNYC-690-8XX-123", "routinglabel", "routing label", "current name", "label"),
			col("new_routing_label", true, "the new name (printable characters, at most 50)", "Main Routing Label", "newroutinglabel", "new routing label", "new name", "new label"),
		},
		Destructive: true,
		BatchSize:   1,
	}
}

// routingLabelMax: the guide gives no limit; its labels are up to 22
// characters, and 50 is what the sandbox takes.
const routingLabelMax = 50

func (routingLabelUpdate) Parse(r Row) (Parsed, []error) {
	var errs []error
	bad := func(col, v, why string) {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: col, Value: v, Reason: why})
	}
	cur := strings.TrimSpace(r.Get("routing_label"))
	nu := strings.TrimSpace(r.Get("new_routing_label"))
	if cur == "" {
		bad("routing_label", "", "is required")
	}
	switch {
	case nu == "":
		bad("new_routing_label", "", "is required")
	case len([]rune(nu)) > routingLabelMax:
		bad("new_routing_label", nu, fmt.Sprintf("is %d characters, the limit is %d", len([]rune(nu)), routingLabelMax))
	case strings.ContainsFunc(nu, func(c rune) bool { return c < ' ' || c > '~' }):
		bad("new_routing_label", nu, "may hold only printable ASCII characters")
	case nu == cur:
		bad("new_routing_label", nu, "is the current name")
	}
	return Parsed{Key: cur, Fields: map[string]string{"routing_label": cur, "new_routing_label": nu}}, errs
}

// References: the label to rename must exist (routingLabelSearchAssigned).
func (routingLabelUpdate) References(p Parsed) []Reference {
	return fieldRef(p, RefRoutingLabel, "routing_label")
}

func (routingLabelUpdate) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	return &inteliquent.RoutingLabelUpdateRequest{RoutingLabel: f["routing_label"], NewRoutingLabel: f["new_routing_label"]}, nil
}

func (routingLabelUpdate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.RoutingLabelUpdate(ctx, req.(*inteliquent.RoutingLabelUpdateRequest))
}

func (routingLabelUpdate) Read(b *Batch, _ any) Result {
	f := b.Rows[0].Fields
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpRoutingLabelUpdate,
		Message: fmt.Sprintf("renamed %s to %s; use the new name from now on", f["routing_label"], f["new_routing_label"])})
}

// routingLabelNames lists the account's routing labels (label and
// customerAssignedName).
func routingLabelNames(ctx context.Context, api *inteliquent.Client) (map[string]bool, error) {
	return ResolveReferences(ctx, api, RefRoutingLabel)
}

// Reconcile reads the account's routing labels: the new name present and
// the old one gone means the rename arrived; the old one still there and
// the new one absent means it did not, and it may be sent again.
func (routingLabelUpdate) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	names, err := routingLabelNames(ctx, api)
	if err != nil {
		return Result{}, nil, err
	}
	f := b.Rows[0].Fields
	hasOld, hasNew := names[f["routing_label"]], names[f["new_routing_label"]]
	switch {
	case hasNew && !hasOld:
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpRoutingLabelUpdate,
			Message: fmt.Sprintf("renamed %s to %s (the answer was lost; routingLabelSearchAssigned shows the new name)", f["routing_label"], f["new_routing_label"])}), nil, nil
	case hasOld && !hasNew:
		return Result{}, []int{b.Rows[0].Seq}, nil
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: "unclear",
		Message: fmt.Sprintf("cannot tell: routingLabelSearchAssigned lists %s: %t, %s: %t", f["routing_label"], hasOld, f["new_routing_label"], hasNew)}), nil, nil
}

// ---- undo: rename back ----

var (
	_ Snapshotter = routingLabelUpdate{}
	_ Presumer    = routingLabelUpdate{}
)

// Presume: before the rename the label had its current name, the row's own
// routing_label; nothing needs reading before a send.
func (routingLabelUpdate) Presume(b *Batch) map[string]Values {
	out := map[string]Values{}
	for _, r := range b.Rows {
		out[r.Key] = Values{"routing_label": r.Fields["routing_label"]}
	}
	return out
}

// Snapshot reads which of the row's two names the account has now (undo's
// --check): the old one, the new one, or neither.
func (routingLabelUpdate) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	names, err := routingLabelNames(ctx, api)
	if err != nil {
		return nil, err
	}
	out := map[string]Values{}
	for _, r := range b.Rows {
		switch {
		case names[r.Fields["routing_label"]]:
			out[r.Key] = Values{"routing_label": r.Fields["routing_label"]}
		case names[r.Fields["new_routing_label"]]:
			out[r.Key] = Values{"routing_label": r.Fields["new_routing_label"]}
		}
	}
	return out, nil
}

func (routingLabelUpdate) Applied(r record.Row, _ Values) Values {
	return Values{"routing_label": r.Fields["new_routing_label"]}
}

// Restore renames the label back.
func (routingLabelUpdate) Restore(r record.Row, before Values) UndoRow {
	old := strings.TrimSpace(before["routing_label"])
	if old == "" {
		return UndoRow{Skip: "the label's name before the run is not known"}
	}
	return UndoRow{Kind: "routing-label-update", Cells: map[string]string{"routing_label": r.Fields["new_routing_label"], "new_routing_label": old}}
}
