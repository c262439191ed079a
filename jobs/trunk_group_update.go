package jobs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
	"github.com/iqbulk/iqbulk/record"
)

// trunkGroupUpdate renames trunk groups (the guide's "Change Trunk Group
// Name", POST /trunkGroupUpdate), one per row. It is destructive: every
// manifest, script and switch configuration that uses the old name stops
// matching (iqbulk's own reference check then refuses rows naming it,
// before anything is sent). A second rename of the same name is refused,
// so a lost answer is reconciled with trunkGroupSearchAssigned: the new
// name there and the old one gone means it arrived.
type trunkGroupUpdate struct{}

func (trunkGroupUpdate) Spec() Spec {
	return Spec{
		Name:       "trunk-group-update",
		Summary:    "rename trunk groups (later orders must use the new name)",
		Operations: []string{inteliquent.OpTrunkGroupUpdate, inteliquent.OpTrunkGroupSearchAssigned},
		Columns: []Column{
			col("trunk_group", true, "the trunk group's current name", "CHCGIL24CL1_897", "trunkgroup", "trunk group", "current name", "trunk_group_name_current", "trunkgroupnamecurrent"),
			col("new_trunk_group", true, "the new name: letters, digits, spaces and underscores", "Chicago Main", "new name", "new trunk group", "trunk_group_name_new", "trunkgroupnamenew"),
		},
		Destructive: true,
		BatchSize:   1,
	}
}

func validTrunkGroupName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '_') {
			return false
		}
	}
	return s != ""
}

func (trunkGroupUpdate) Parse(r Row) (Parsed, []error) {
	var errs []error
	cur := strings.TrimSpace(r.Get("trunk_group"))
	nu := strings.TrimSpace(r.Get("new_trunk_group"))
	if cur == "" {
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "trunk_group", Reason: "is required"})
	}
	switch {
	case nu == "":
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "new_trunk_group", Reason: "is required"})
	case !validTrunkGroupName(nu):
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "new_trunk_group", Value: nu, Reason: "may hold only letters, digits, spaces and underscores"})
	case nu == cur:
		errs = append(errs, &readers.FieldError{Line: r.Line, Column: "new_trunk_group", Value: nu, Reason: "is the current name"})
	}
	return Parsed{Key: cur, Fields: map[string]string{"trunk_group": cur, "new_trunk_group": nu}}, errs
}

func (trunkGroupUpdate) Build(b *Batch) (any, error) {
	f := b.Rows[0].Fields
	return &inteliquent.TrunkGroupUpdateRequest{TrunkGroupNameCurrent: f["trunk_group"], TrunkGroupNameNew: f["new_trunk_group"]}, nil
}

func (trunkGroupUpdate) Send(ctx context.Context, api *inteliquent.Client, req any) (any, error) {
	return api.TrunkGroupUpdate(ctx, req.(*inteliquent.TrunkGroupUpdateRequest))
}

func (trunkGroupUpdate) Read(b *Batch, resp any) Result {
	f := b.Rows[0].Fields
	return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTrunkGroupUpdate,
		Message: fmt.Sprintf("renamed %s to %s; use the new name from now on", f["trunk_group"], f["new_trunk_group"])})
}

// Reconcile reads the account's trunk groups: the new name present and the
// old one gone means the rename arrived; the old one still there and the
// new one absent means it did not, and it may be sent again.
func (trunkGroupUpdate) Reconcile(ctx context.Context, api *inteliquent.Client, b *Batch) (Result, []int, error) {
	tg, err := api.TrunkGroupSearchAssigned(ctx, nil)
	if err != nil {
		return Result{}, nil, fmt.Errorf("trunkGroupSearchAssigned: %w", err)
	}
	names := tg.Names()
	f := b.Rows[0].Fields
	hasOld, hasNew := slices.Contains(names, f["trunk_group"]), slices.Contains(names, f["new_trunk_group"])
	switch {
	case hasNew && !hasOld:
		return setAllOutcome(b, record.Outcome{Status: record.StatusOK, Code: inteliquent.OpTrunkGroupUpdate,
			Message: fmt.Sprintf("renamed %s to %s (the answer was lost; trunkGroupSearchAssigned shows the new name)", f["trunk_group"], f["new_trunk_group"])}), nil, nil
	case hasOld && !hasNew:
		return Result{}, []int{b.Rows[0].Seq}, nil
	}
	return setAllOutcome(b, record.Outcome{Status: record.StatusFailed, Code: "unclear",
		Message: fmt.Sprintf("cannot tell: trunkGroupSearchAssigned lists %s: %t, %s: %t", f["trunk_group"], hasOld, f["new_trunk_group"], hasNew)}), nil, nil
}
