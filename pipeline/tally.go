package pipeline

import (
	"cmp"
	"maps"
	"slices"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/record"
)

// tally counts, as the results writer writes every row once in Seq order,
// what the end of a run reports: rows per recorded status, undecided rows
// per batch state, and the reasons (status, code, message) with their first
// rows. When the writer has written every row, report takes its counts
// from here rather than reading every row of the checkpoint again (three
// scans after the last request: about a second for 1,000,000 rows). It
// gives up (usable false) past maxReasonGroups distinct reasons, and the
// checkpoint answers.
type tally struct {
	rows      int
	byStatus  map[string]int // "" for rows without an outcome
	undecided map[string]int // rows without an outcome, by batch state
	groups    map[reasonKey]*reasonTally
	over      bool
}

type reasonKey struct{ status, code, message string }

type reasonTally struct {
	rows     int
	first    int // the Seq of its first row
	examples []checkpoints.Example
}

// maxReasonGroups bounds the reasons a tally holds (a message naming each
// row, "duplicate of row N", makes a reason per row).
var maxReasonGroups = 20_000

func newTally() *tally {
	return &tally{byStatus: map[string]int{}, undecided: map[string]int{}, groups: map[reasonKey]*reasonTally{}}
}

// add counts one row written: its recorded outcome and, when it has none,
// the state of its batch.
func (t *tally) add(r record.Row, batchState string) {
	t.rows++
	t.byStatus[r.Status]++
	switch r.Status {
	case "":
		t.undecided[batchState]++
		return
	case record.StatusOK:
		return
	}
	if t.over {
		return
	}
	k := reasonKey{r.Status, r.Code, r.Message}
	g := t.groups[k]
	if g == nil {
		if len(t.groups) >= maxReasonGroups {
			t.over, t.groups = true, nil
			return
		}
		g = &reasonTally{first: r.Seq}
		t.groups[k] = g
	}
	g.rows++
	if len(g.examples) < examplesPerReason {
		g.examples = append(g.examples, checkpoints.Example{Line: r.Line, Key: r.Key})
	}
}

// counts returns what Store.Counts returns first.
func (t *tally) counts() map[string]int { return maps.Clone(t.byStatus) }

// reasons returns what Store.Reasons returns for the statuses given: per
// status in that order, its largest reasons first (ties: the one seen
// first), at most limit of them.
func (t *tally) reasons(limit int, statuses ...string) []checkpoints.Reason {
	var out []checkpoints.Reason
	for _, st := range statuses {
		var group []checkpoints.Reason
		var first []int
		for k, g := range t.groups {
			if k.status == st {
				group = append(group, checkpoints.Reason{Status: k.status, Code: k.code, Message: k.message, Rows: g.rows, Examples: slices.Clone(g.examples)})
				first = append(first, g.first)
			}
		}
		idx := make([]int, len(group))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int {
			if c := cmp.Compare(group[b].Rows, group[a].Rows); c != 0 {
				return c
			}
			return cmp.Compare(first[a], first[b])
		})
		for i, j := range idx {
			if i == limit {
				break
			}
			out = append(out, group[j])
		}
	}
	return out
}
