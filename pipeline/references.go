package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
)

// CodeUnknownReference is the outcome code of a row that names a trunk
// group, routing label or campaign the account does not have.
const CodeUnknownReference = "unknown-reference"

// references is the pre-send reference check (jobs.Referencer): while
// planning (dry runs included: the listings are reads), each row's trunk
// groups, routing labels and campaigns are looked up — each kind's listing
// fetched once per run, when a row first names one — and a row naming an
// unknown one is invalid, never sent. A failed lookup fails the planning,
// before anything is sent; a resume plans and checks again.
type references struct {
	job   jobs.Referencer
	api   *inteliquent.Client
	log   *slog.Logger
	known map[string]map[string]bool
	bad   int
}

func newReferences(job jobs.Job, api *inteliquent.Client, log *slog.Logger) *references {
	rf, ok := job.(jobs.Referencer)
	if !ok || api == nil {
		return nil
	}
	return &references{job: rf, api: api, log: log, known: map[string]map[string]bool{}}
}

// check returns the outcome of a row naming something unknown, or ok=false
// when every reference is known (a nil checker knows everything).
func (c *references) check(ctx context.Context, p jobs.Parsed) (record.Outcome, bool, error) {
	if c == nil {
		return record.Outcome{}, false, nil
	}
	var bad []string
	for _, ref := range c.job.References(p) {
		set, ok := c.known[ref.Kind]
		if !ok {
			var err error
			if set, err = jobs.ResolveReferences(ctx, c.api, ref.Kind); err != nil {
				return record.Outcome{}, false, fmt.Errorf("reference check: %w", err)
			}
			c.known[ref.Kind] = set
			c.log.Info("reference check", "kind", ref.Kind, "known", len(set))
		}
		if !jobs.KnownReference(set, ref) {
			bad = append(bad, fmt.Sprintf("%s: %q is not in %s (the account's %ss: %s)",
				ref.Column, ref.Name, jobs.ReferenceListing(ref.Kind), refNoun(ref.Kind), sample(set)))
		}
	}
	if len(bad) == 0 {
		return record.Outcome{}, false, nil
	}
	c.bad++
	return record.Outcome{Status: record.StatusInvalid, Code: CodeUnknownReference, Message: strings.Join(bad, "; ")}, true, nil
}

// done says how many rows were held back.
func (c *references) done() {
	if c != nil && c.bad > 0 {
		c.log.Warn("rows name unknown references; marked invalid, not sent", "rows", c.bad)
	}
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
