package jobs

import (
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
		row := record.Row{Seq: 1, Key: "3125550100", Fields: map[string]string{"campaign_id": "CXFXN8B", "note": "x"}}
		full := Values{}
		for k := range s.Applied(row, nil) {
			full[k] = "1"
		}
		full["on_account"] = "N"
		for _, before := range []Values{{}, full} {
			u := s.Restore(row, before)
			if u.Skip != "" {
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
			assert.Equal(t, "3125550100", u.Cells["tn"], j.Spec().Name)
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
