package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/record"
)

// Undo of tn-feature and tf-feature (issue 20). A feature order replaces
// each feature object it names (directoryListing, e911, messaging, and the
// endUser) and merges callerId (callingName and cnamDip are set apart), so
// the snapshot of a row is every field of each object the row touches, as
// tnDetail (tfDetail) shows it, under the manifest's column names. The
// restore row sends back each object the run changed: the previous values,
// or remove_<feature>=Y for a feature the number did not have. What the
// API cannot take back is said (UndoRow.Partly or Skip): an end user
// cannot be removed, a cnamDip that was the account default cannot be
// unset, and tfDetail does not show a toll-free number's netNumberId.

var (
	_ Snapshotter = tnFeature{}
	_ Snapshotter = tfFeatureJob{}
)

// featureGroups are the feature objects a row changes (sets or removes);
// a toll-free number has no end user and no directory listing.
func featureGroups(fields map[string]string, tollFree bool) []string {
	seen := map[string]bool{}
	for _, f := range featureFields() {
		if fields[f.col] != "" {
			seen[f.group] = true
		}
	}
	for _, rc := range removeColumns() {
		if fields[rc.col] == "Y" {
			seen[rc.group] = true
		}
	}
	var out []string
	for _, g := range []string{groupEndUser, groupCallerID, groupDL, groupE911, groupMessaging} {
		if seen[g] && (!tollFree || tfFeatureGroups[g]) {
			out = append(out, g)
		}
	}
	return out
}

// featureSnapshotCols are the snapshot columns of group: its fields' columns,
// less those the kind's read does not show.
func featureSnapshotCols(group string, tollFree bool) []string {
	var out []string
	for _, f := range featureFields() {
		if f.group == group && (!tollFree || f.col != "net_number_id") {
			out = append(out, f.col)
		}
	}
	return out
}

// objectFields turns a response object into its fields by the guide's
// names (nil: none).
func objectFields(obj any) map[string]string {
	out := map[string]string{}
	raw, err := json.Marshal(obj)
	if err != nil || string(raw) == "null" {
		return out
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return out
	}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = v
		case nil, map[string]any, []any:
		default:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// featureValues reads the groups a row touches out of the number's objects.
func featureValues(objs map[string]any, groups []string, tollFree bool) Values {
	v := Values{}
	byCol := map[string]featureField{}
	for _, f := range featureFields() {
		byCol[f.col] = f
	}
	for _, g := range groups {
		got := objectFields(objs[g])
		for _, c := range featureSnapshotCols(g, tollFree) {
			v[c] = strings.TrimSpace(got[byCol[c].field])
		}
	}
	return v
}

func (tnFeature) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	d, err := accountState(ctx, api, b.Keys())
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := make(map[string]Values, len(d))
	for _, r := range b.Rows {
		item, ok := d[r.Key]
		if !ok {
			continue
		}
		objs := map[string]any{groupEndUser: item.EndUser}
		if f := item.TnFeature; f != nil {
			objs[groupCallerID], objs[groupDL], objs[groupE911], objs[groupMessaging] = f.CallerID, f.DirectoryListing, f.E911, f.Messaging
		}
		out[r.Key] = featureValues(objs, featureGroups(r.Fields, false), false)
	}
	return out, nil
}

func (tfFeatureJob) Snapshot(ctx context.Context, api *inteliquent.Client, b *Batch) (map[string]Values, error) {
	d, err := tfAccountState(ctx, api, b.Keys())
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	out := make(map[string]Values, len(d))
	for _, r := range b.Rows {
		item, ok := d[r.Key]
		if !ok {
			continue
		}
		objs := map[string]any{}
		if e := item.E911Record(); e != nil {
			objs[groupE911] = e.E911
		}
		if f := item.TnFeature; f != nil {
			objs[groupCallerID], objs[groupMessaging] = f.CallerID, f.Messaging
		}
		out[r.Key] = featureValues(objs, featureGroups(r.Fields, true), true)
	}
	return out, nil
}

// featureApplied is what a row leaves in its groups' columns.
func featureApplied(r record.Row, before Values, tollFree bool) Values {
	v := Values{}
	removing := map[string]bool{}
	for _, rc := range removeColumns() {
		removing[rc.group] = r.Fields[rc.col] == "Y"
	}
	for _, g := range featureGroups(r.Fields, tollFree) {
		for _, c := range featureSnapshotCols(g, tollFree) {
			switch {
			case g == groupCallerID && removing[g] && c == "cnam_dip":
				v[c] = before[c] // removing LIDB keeps the dip setting
			case removing[g]:
				v[c] = ""
			case g == groupCallerID && r.Fields[c] == "":
				v[c] = before[c] // callerId is merged, not replaced
			case c == "net_number_id" && r.Fields[c] == "":
				// the API may apply the account's default
			default:
				v[c] = r.Fields[c]
			}
		}
	}
	return v
}

func (tnFeature) Applied(r record.Row, before Values) Values { return featureApplied(r, before, false) }
func (tfFeatureJob) Applied(r record.Row, before Values) Values {
	return featureApplied(r, before, true)
}

func (tnFeature) Restore(r record.Row, before Values) UndoRow {
	u, _ := featureUndo("tn-feature", r, before, false)
	return u
}

func (tfFeatureJob) Restore(r record.Row, before Values) UndoRow {
	u, _ := featureUndo("tf-feature", r, before, true)
	return u
}

func (tnFeature) Restored(r record.Row, before Values) Values {
	_, v := featureUndo("tn-feature", r, before, false)
	return v
}

func (tfFeatureJob) Restored(r record.Row, before Values) Values {
	_, v := featureUndo("tf-feature", r, before, true)
	return v
}

// featureUndo is the row that sends back every group the run changed, and
// what the number holds once it ran.
func featureUndo(kind string, r record.Row, before Values, tollFree bool) (UndoRow, Values) {
	set := featureApplied(r, before, tollFree)
	restored := Values{}
	for c, v := range before {
		restored[c] = v
	}
	cells := map[string]string{"tn": r.Key}
	var partly []string
	removeCol := map[string]string{}
	for _, rc := range removeColumns() {
		removeCol[rc.group] = rc.col
	}
	for _, g := range featureGroups(r.Fields, tollFree) {
		cols := featureSnapshotCols(g, tollFree)
		was, now := Values{}, Values{}
		for _, c := range cols {
			was[c], now[c] = before[c], set[c]
		}
		if SameValues(was, now) {
			continue // the run left it as it was
		}
		switch {
		case g == groupCallerID:
			dipChanged := !strings.EqualFold(was["cnam_dip"], now["cnam_dip"])
			if was["calling_name"] == "" && now["calling_name"] != "" {
				cells[removeCol[g]] = "Y"
				if dipChanged {
					partly = append(partly, "cnamDip left as the run set it (removing the calling name takes no values)")
					restored["cnam_dip"] = now["cnam_dip"]
				}
				continue
			}
			if !strings.EqualFold(was["calling_name"], now["calling_name"]) {
				cells["calling_name"] = was["calling_name"] // it had one: the removal case is above
			}
			if dipChanged {
				if was["cnam_dip"] == "" {
					partly = append(partly, "cnamDip was the account default; the API can set it to Y or N but not unset it")
					restored["cnam_dip"] = now["cnam_dip"]
				} else {
					cells["cnam_dip"] = was["cnam_dip"]
				}
			}
		case Empty(was) && g == groupEndUser:
			partly = append(partly, "had no end user; tnFeatureOrder cannot remove one")
			for _, c := range cols {
				restored[c] = now[c]
			}
		case Empty(was):
			cells[removeCol[g]] = "Y"
		default:
			for _, c := range cols {
				cells[c] = was[c]
			}
		}
	}
	if tollFree && r.Fields["net_number_id"] != "" && cells["messaging_class"] != "" {
		partly = append(partly, "tfDetail does not show a toll-free number's netNumberId: the previous one is not restored")
	}
	sort.Strings(partly)
	if len(cells) == 1 {
		if len(partly) > 0 {
			return UndoRow{Cannot: strings.Join(partly, "; ")}, restored
		}
		return UndoRow{Skip: "the run changed no feature of this number"}, restored
	}
	return UndoRow{Kind: kind, Cells: cells, Partly: partly}, restored
}
