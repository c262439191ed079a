package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/record"
)

// Reasons shown per status, and example rows per reason.
const (
	reasonsPerStatus  = 10
	examplesPerReason = 3
)

// Reason is why rows ended with a status other than ok: "excluded 5 — TN is
// already assigned to this customer (5)".
type Reason struct {
	Status   string          `json:"status"`
	Code     string          `json:"code"`
	Message  string          `json:"reason"`
	Rows     int             `json:"rows"`
	Examples []ReasonExample `json:"examples"`
}

// ReasonExample is a row that carries a reason.
type ReasonExample struct {
	Line int    `json:"line"`
	Key  string `json:"key,omitempty"`
}

// Reasons reads the top reasons of every status that is not ok, largest first.
func Reasons(ctx context.Context, st *checkpoints.Store) ([]Reason, error) {
	rs, err := st.Reasons(ctx, reasonsPerStatus, examplesPerReason, reasonStatuses()...)
	if err != nil {
		return nil, err
	}
	undecided, err := st.UndecidedByBatchState(ctx)
	if err != nil {
		return nil, err
	}
	return reasonsOf(rs, undecided), nil
}

// reasonStatuses are the statuses whose rows have reasons: all but ok.
func reasonStatuses() []string {
	var statuses []string
	for _, s := range record.Statuses() {
		if s != record.StatusOK {
			statuses = append(statuses, s)
		}
	}
	return statuses
}

// reasonsOf makes the report's reasons of the stored ones and the rows
// without a recorded outcome by the state of their batch.
func reasonsOf(rs []checkpoints.Reason, undecided map[string]int) []Reason {
	// Rows without a recorded outcome are shown as record.Undecided says
	// (in doubt in a sent batch, not sent yet otherwise): say so as reasons.
	out := make([]Reason, len(rs), len(rs)+len(undecided))
	for i, r := range rs {
		out[i] = Reason{Status: r.Status, Code: r.Code, Message: r.Message, Rows: r.Rows, Examples: make([]ReasonExample, len(r.Examples))}
		if out[i].Message == "" {
			out[i].Message = r.Code
		}
		for j, x := range r.Examples {
			out[i].Examples[j] = ReasonExample{Line: x.Line, Key: x.Key}
		}
	}
	for _, state := range slices.Sorted(maps.Keys(undecided)) {
		o := record.Undecided(state, "")
		out = append(out, Reason{Status: o.Status, Code: o.Code, Message: o.Message, Rows: undecided[state], Examples: []ReasonExample{}})
	}
	slices.SortStableFunc(out, func(a, b Reason) int { return statusRank(a.Status) - statusRank(b.Status) })
	return out
}

// statusRank orders reasons by record.Statuses().
func statusRank(s string) int { return slices.Index(record.Statuses(), s) }

// ReasonLine is the terminal's reason text for one status: "TN is already
// assigned to this customer (5); TN is on an existing order (2)", the top
// three, then how many more. "" when no row has the status.
func ReasonLine(reasons []Reason, status string) string {
	var parts []string
	more := 0
	for _, r := range reasons {
		if r.Status != status {
			continue
		}
		if len(parts) == 3 {
			more += r.Rows
			continue
		}
		msg := r.Message
		if len(msg) > 120 {
			msg = msg[:117] + "..."
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", msg, r.Rows))
	}
	if more > 0 {
		parts = append(parts, fmt.Sprintf("%d more for other reasons", more))
	}
	return strings.Join(parts, "; ")
}
