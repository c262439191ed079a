package jobs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// Every undo row a kind can write names a registered kind and only that
// kind's columns, for a value that was empty and one that was not.
func TestRestoreRowsFitTheirKind(t *testing.T) {
	reg := Default()
	undoable := 0
	for _, j := range reg.All() {
		s, ok := j.(Snapshotter)
		if !ok {
			continue
		}
		undoable++
		row := record.Row{Seq: 1, Key: "3125550100", Fields: map[string]string{"campaign_id": "CXFXN8B", "note": "x",
			"calling_name": "ACME", "e911_name": "Hope", "messaging_class": "P2P", "end_user_name": "Hope",
			"routing_label": "OLD-LABEL", "new_routing_label": "New label", "email": "noc@example.com", "tn": "3125550100"}}
		full := Values{}
		for k := range s.Applied(row, nil) {
			full[k] = "1"
		}
		full["on_account"] = "N"
		full["campaign_id"] = "CA1B2C3"
		for _, before := range []Values{{}, full} {
			first := s.Restore(row, before)
			for _, u := range append([]UndoRow{first}, first.Then...) {
				if u.Kind == "" {
					continue
				}
				target, err := reg.Lookup(u.Kind)
				require.NoError(t, err, "%s restores with %q", j.Spec().Name, u.Kind)
				cols := map[string]bool{}
				for _, c := range target.Spec().Columns {
					cols[c.Name] = true
				}
				for c := range u.Cells {
					assert.True(t, cols[c], "%s: %s has no column %q", j.Spec().Name, u.Kind, c)
				}
				if cols["tn"] {
					assert.Equal(t, "3125550100", u.Cells["tn"], j.Spec().Name)
					continue
				}
				// A kind not keyed by number: its restore row must parse.
				_, errs := target.Parse(Row{Line: 2, Get: func(c string) string { return u.Cells[c] }})
				assert.Empty(t, errs, "%s: %v", j.Spec().Name, u.Cells)
			}
		}
	}
	assert.GreaterOrEqual(t, undoable, 15)
}

// A kind cannot be both undoable and irreversible.
func TestIrreversibleKindsAreNotSnapshotted(t *testing.T) {
	for _, j := range Default().All() {
		_, s := j.(Snapshotter)
		_, ir := j.(Irreversible)
		assert.False(t, s && ir, j.Spec().Name)
	}
}

func TestSameValues(t *testing.T) {
	tests := []struct {
		a, b Values
		want bool
	}{
		{Values{"note": "A"}, Values{"note": " a "}, true},
		{Values{"note": ""}, Values{}, true},
		{Values{}, Values{"note": "x"}, false},
		{Values{"note": "x"}, Values{"note": "y"}, false},
		{Values{"a": "1", "b": ""}, Values{"a": "1"}, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, SameValues(tt.a, tt.b), "%v %v", tt.a, tt.b)
		assert.Equal(t, tt.want, SameValues(tt.b, tt.a), "%v %v", tt.b, tt.a)
	}
}

// undoGap says what a kind that changes state must implement for `iqbulk
// undo` ("" when it does, or when it only reads).
func undoGap(j Job) string {
	s := j.Spec()
	ops := StateChanging(s)
	if len(ops) == 0 {
		return ""
	}
	_, snap := j.(Snapshotter)
	_, irr := j.(Irreversible)
	if snap || irr {
		return ""
	}
	return fmt.Sprintf("%s changes state (%s) but iqbulk undo cannot say what to do with its runs: implement jobs.Snapshotter "+
		"(Snapshot: read the values the batch overwrites with the API's own read operations; Applied: what a row sets; "+
		"Restore: the row of a registered kind that puts the value back, or UndoRow.Skip saying why not; see jobs/snapshot.go "+
		"and add a TestUndo* case in cli/undo_test.go), or, when no request can take the change back, jobs.Irreversible "+
		"(Irreversible() string: why, and what the user can do instead; iqbulk undo and report.html show it; see jobs/irreversible.go)",
		s.Name, strings.Join(ops, ", "))
}

// TestStateChangingKindsSayHowToUndo: every registered kind whose
// operations change state (inteliquent.IsStateChanging) implements
// Snapshotter or Irreversible, so a new kind cannot leave its runs
// without an answer to `iqbulk undo`.
func TestStateChangingKindsSayHowToUndo(t *testing.T) {
	for _, j := range Default().All() {
		assert.Empty(t, undoGap(j))
	}
}

// toyKind is a state-changing kind that implements neither (embedding the
// Job interface promotes Job's methods only).
type toyKind struct{ Job }

func (toyKind) Spec() Spec {
	s := tnNote{}.Spec()
	s.Name = "toy-note"
	return s
}

func TestUndoGapCatchesAKindWithoutAnswer(t *testing.T) {
	gap := undoGap(toyKind{tnNote{}})
	assert.Contains(t, gap, "toy-note changes state (tnNoteUpdate)")
	assert.Contains(t, gap, "implement jobs.Snapshotter")
	assert.Contains(t, gap, "jobs.Irreversible")
	assert.Empty(t, undoGap(tnNote{}), "a Snapshotter")
	assert.Empty(t, undoGap(tnDisconnect{}), "an Irreversible")
	assert.Empty(t, undoGap(csr{}), "a kind that only reads")
}

// featureUndo sends back each feature object the run changed: the previous
// values, a removal for one the number did not have, and says what it
// cannot put back.
func TestFeatureUndoRows(t *testing.T) {
	row := func(f map[string]string) record.Row { return record.Row{Key: "3125550100", Fields: f} }
	tests := []struct {
		name   string
		fields map[string]string
		before Values
		cells  map[string]string
		partly []string
		skip   string
	}{
		{"caller id back", map[string]string{"calling_name": "NEW", "cnam_dip": "Y"}, Values{"calling_name": "OLD", "cnam_dip": "N"},
			map[string]string{"calling_name": "OLD", "cnam_dip": "N"}, nil, ""},
		{"caller id it had not", map[string]string{"calling_name": "NEW"}, Values{"calling_name": "", "cnam_dip": "N"},
			map[string]string{"remove_caller_id": "Y"}, nil, ""},
		{"dip that was the default", map[string]string{"cnam_dip": "Y"}, Values{"calling_name": "OLD", "cnam_dip": ""},
			nil, nil, "cannot: cnamDip was the account default; the API can set it to Y or N but not unset it"},
		{"e911 it had not", map[string]string{"e911_name": "Hope", "e911_city": "Chicago"}, Values{},
			map[string]string{"remove_e911": "Y"}, nil, ""},
		{"messaging removed", map[string]string{"remove_messaging": "Y"}, Values{"messaging_class": "P2P", "messaging_type": "SMS"},
			map[string]string{"messaging_class": "P2P", "messaging_type": "SMS", "net_number_id": ""}, nil, ""},
		{"end user it had not", map[string]string{"end_user_name": "Hope", "dl_last_name": "Trope"}, Values{},
			map[string]string{"remove_directory_listing": "Y"}, []string{"had no end user; tnFeatureOrder cannot remove one"}, ""},
		{"unchanged", map[string]string{"dl_last_name": "Trope"}, Values{"dl_last_name": "trope"}, nil, nil, "the run changed no feature of this number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tnFeature{}.Restore(row(tt.fields), tt.before)
			if why, ok := strings.CutPrefix(tt.skip, "cannot: "); ok {
				assert.Equal(t, UndoRow{Cannot: why}, u)
				return
			}
			if tt.skip != "" {
				assert.Equal(t, UndoRow{Skip: tt.skip}, u)
				return
			}
			want := map[string]string{"tn": "3125550100"}
			for k, v := range tt.cells {
				want[k] = v
			}
			for k, v := range u.Cells {
				if v == "" && want[k] == "" {
					want[k] = "" // an empty cell of a restored object
				}
			}
			assert.Equal(t, "tn-feature", u.Kind)
			assert.Equal(t, want, u.Cells)
			assert.Equal(t, tt.partly, u.Partly)
		})
	}
}
