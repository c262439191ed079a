package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
)

// CodeUnknownReference is the outcome code of a row that names a trunk
// group, routing label or campaign the account does not have.
const CodeUnknownReference = "unknown-reference"

// checkReferences is the pre-send reference check (jobs.Referencer): after
// planning and before anything is sent (dry runs included: the listings are
// reads), every planned row's references are looked up, each kind once per
// run, and rows naming an unknown one are marked invalid. It is a no-op for
// jobs that name nothing. A failed lookup fails the run before anything is
// sent; the run stays "planning", so a resume plans and checks again.
func checkReferences(ctx context.Context, st *checkpoints.Store, job jobs.Job, api *inteliquent.Client, log *slog.Logger) error {
	rf, ok := job.(jobs.Referencer)
	if !ok || api == nil {
		return nil
	}
	known := map[string]map[string]bool{}
	var pending []checkpoints.RowOutcome
	invalid := 0
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := st.UpdateRows(ctx, pending)
		pending = pending[:0]
		return err
	}
	for r, err := range st.Rows(ctx) {
		if err != nil {
			return err
		}
		if r.Status != "" || r.Key == "" || r.Batch == 0 {
			continue
		}
		var bad []string
		for _, ref := range rf.References(jobs.Parsed{Key: r.Key, Fields: r.Fields}) {
			set, ok := known[ref.Kind]
			if !ok {
				if set, err = jobs.ResolveReferences(ctx, api, ref.Kind); err != nil {
					return fmt.Errorf("reference check: %w", err)
				}
				known[ref.Kind] = set
				log.Info("reference check", "kind", ref.Kind, "known", len(set))
			}
			if !jobs.KnownReference(set, ref) {
				bad = append(bad, fmt.Sprintf("%s: %q is not in %s (the account's %ss: %s)",
					ref.Column, ref.Name, jobs.ReferenceListing(ref.Kind), refNoun(ref.Kind), sample(set)))
			}
		}
		if len(bad) == 0 {
			continue
		}
		invalid++
		pending = append(pending, checkpoints.RowOutcome{Seq: r.Seq, Outcome: checkpoints.Outcome{
			Status: StatusInvalid, Code: CodeUnknownReference, Message: strings.Join(bad, "; ")}})
		if len(pending) >= 1000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if invalid > 0 {
		log.Warn("rows name unknown references; marked invalid, not sent", "rows", invalid)
	}
	return nil
}

func refNoun(kind string) string {
	switch kind {
	case jobs.RefTrunkGroup:
		return "trunk group"
	case jobs.RefRoutingLabel:
		return "routing label"
	case jobs.RefCampaign:
		return "messaging campaign"
	}
	return kind
}

// sample names a few known values for the message.
func sample(set map[string]bool) string {
	if len(set) == 0 {
		return "none"
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}
