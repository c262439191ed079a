package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// Pre-send reference checks. A manifest names things the account must
// already have: trunk groups (tn-order, tn-trunk-group, port-in), toll-free
// routing labels (tf-order, tf-routing) and messaging campaigns
// (campaign-assign). The pipeline looks each kind up once per run, with a
// read-only listing (trunkGroupSearchAssigned, routingLabelSearchAssigned,
// messageCampaigns), after planning and before anything is sent, also in a
// dry run, and marks the rows that name an unknown one invalid, naming the
// column: a typo costs one row, never a failed order of 100.

// Reference kinds.
const (
	RefTrunkGroup   = "trunkGroup"   // trunkGroupSearchAssigned
	RefRoutingLabel = "routingLabel" // routingLabelSearchAssigned (label or customerAssignedName)
	RefCampaign     = "campaign"     // messageCampaigns
)

// Reference is one name a row refers to.
type Reference struct {
	Kind   string // RefTrunkGroup, RefRoutingLabel or RefCampaign
	Name   string // as the row gives it
	Column string // the manifest column it came from
}

// Referencer is implemented by jobs whose rows name account objects.
type Referencer interface {
	References(p Parsed) []Reference
}

var (
	_ Referencer = tnOrder{}
	_ Referencer = tnTrunkGroup{}
	_ Referencer = portIn{}
	_ Referencer = portInFix{}
	_ Referencer = tfOrderJob{}
	_ Referencer = tfRouting{}
	_ Referencer = campaign{}
	_ Referencer = tnRequest{}
	_ Referencer = routingLabelUpdate{}
)

// ResolveReferences returns the names of kind the account has, in the form
// KnownReference matches (campaign ids upper-cased). A 430 "no results"
// answer is an empty set: then every name of the kind is unknown.
func ResolveReferences(ctx context.Context, api *inteliquent.Client, kind string) (map[string]bool, error) {
	out := map[string]bool{}
	switch kind {
	case RefTrunkGroup:
		r, err := api.TrunkGroupSearchAssigned(ctx, &inteliquent.TrunkGroupSearchAssignedRequest{})
		if err != nil {
			return nil, fmt.Errorf("trunkGroupSearchAssigned: %w", err)
		}
		for _, n := range r.Names() {
			out[n] = true
		}
	case RefRoutingLabel:
		r, err := api.RoutingLabelSearchAssigned(ctx, &inteliquent.RoutingLabelSearchAssignedRequest{})
		if err != nil {
			return nil, fmt.Errorf("routingLabelSearchAssigned: %w", err)
		}
		// tfOrder and tfUpdate take the label; routingLabelDetail accepts
		// "routingLabel OR customerAssignedName": both are known names.
		for _, l := range r.RoutingLabelList.RoutingLabelItem {
			if l.RoutingLabel != "" {
				out[l.RoutingLabel] = true
			}
			if n := strings.TrimSpace(l.CustomerAssignedName); n != "" {
				out[n] = true
			}
		}
	case RefCampaign:
		r, err := api.MessageCampaigns(ctx, &inteliquent.MessageCampaignsRequest{})
		if err != nil {
			return nil, fmt.Errorf("messageCampaigns: %w", err)
		}
		for _, c := range r.MessageCampaignList.MessageCampaignItem {
			out[strings.ToUpper(strings.TrimSpace(string(c.MsgCampaignID)))] = true
		}
	default:
		return nil, fmt.Errorf("jobs: unknown reference kind %q", kind)
	}
	return out, nil
}

// KnownReference reports whether ref is among known (as ResolveReferences
// returned it for ref.Kind).
func KnownReference(known map[string]bool, ref Reference) bool {
	name := strings.TrimSpace(ref.Name)
	if ref.Kind == RefCampaign {
		name = strings.ToUpper(name)
	}
	return known[name]
}

// ReferenceListing names the operation that lists a kind, for messages.
func ReferenceListing(kind string) string {
	switch kind {
	case RefTrunkGroup:
		return inteliquent.OpTrunkGroupSearchAssigned
	case RefRoutingLabel:
		return inteliquent.OpRoutingLabelSearchAssigned
	case RefCampaign:
		return inteliquent.OpMessageCampaigns
	}
	return kind
}

// fieldRef is a reference taken from one parsed field, if set.
func fieldRef(p Parsed, kind, field string) []Reference {
	if v := strings.TrimSpace(p.Fields[field]); v != "" {
		return []Reference{{Kind: kind, Name: v, Column: field}}
	}
	return nil
}

// References: tn-order's trunk_group (tn_order.go is the lifecycle's file;
// the method lives here).
func (tnOrder) References(p Parsed) []Reference { return fieldRef(p, RefTrunkGroup, "trunk_group") }

// References: tn-trunk-group's trunk_group.
func (tnTrunkGroup) References(p Parsed) []Reference {
	return fieldRef(p, RefTrunkGroup, "trunk_group")
}

// References: port-in's trunk_group.
func (portIn) References(p Parsed) []Reference { return fieldRef(p, RefTrunkGroup, "trunk_group") }

// References: port-in-fix's trunk_group.
func (portInFix) References(p Parsed) []Reference { return fieldRef(p, RefTrunkGroup, "trunk_group") }

// References: tf-order's routing_label.
func (tfOrderJob) References(p Parsed) []Reference {
	return fieldRef(p, RefRoutingLabel, "routing_label")
}

// References: tf-routing's routing_label.
func (tfRouting) References(p Parsed) []Reference {
	return fieldRef(p, RefRoutingLabel, "routing_label")
}

// References: campaign-assign's campaign_id (a removal needs no check).
func (j campaign) References(p Parsed) []Reference {
	if j.remove {
		return nil
	}
	return fieldRef(p, RefCampaign, "campaign_id")
}
