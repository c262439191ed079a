package inteliquent

import "context"

// This file holds the network listings of the guide's section "Network":
// trunk groups (trunkGroupSearchAssigned, trunkGroupUtilization) and
// toll-free routing labels (routingLabelSearchAssigned, routingLabelDetail).
// All are unpaginated reads.

// Operation names of this file.
const (
	OpTrunkGroupSearchAssigned   = "trunkGroupSearchAssigned"
	OpTrunkGroupUtilization      = "trunkGroupUtilization"
	OpRoutingLabelSearchAssigned = "routingLabelSearchAssigned"
	OpRoutingLabelDetail         = "routingLabelDetail"
)

// ---- trunkGroupSearchAssigned ----

// TrunkGroupSearchAssignedRequest has no fields besides the privateKey.
type TrunkGroupSearchAssignedRequest struct{}

// TrunkGroupName is one trunkGroupNameList entry.
type TrunkGroupName struct {
	TrunkGroupName string `json:"trunkGroupName"`
}

// TrunkGroupSearchAssignedResponse lists the account's DID trunk groups,
// the names tnOrder, tnUpdate and portInOrder take. 430 is empty.
type TrunkGroupSearchAssignedResponse struct {
	Envelope
	TrunkGroupNameList []TrunkGroupName `json:"trunkGroupNameList"`
}

// Names returns the trunk group names.
func (r *TrunkGroupSearchAssignedResponse) Names() []string {
	out := make([]string, 0, len(r.TrunkGroupNameList))
	for _, t := range r.TrunkGroupNameList {
		out = append(out, t.TrunkGroupName)
	}
	return out
}

// TrunkGroupSearchAssigned lists the account's trunk groups.
func (c *Client) TrunkGroupSearchAssigned(ctx context.Context, req *TrunkGroupSearchAssignedRequest) (*TrunkGroupSearchAssignedResponse, error) {
	return call[TrunkGroupSearchAssignedResponse](ctx, c, OpTrunkGroupSearchAssigned, req)
}

// ---- trunkGroupUtilization ----

// TrunkGroupUtilizationRequest asks for a trunk group's utilization over a
// date range (YYYY-MM-DD). The table describes one "Name of trunk group";
// the example sends an array, which is what the client sends.
type TrunkGroupUtilizationRequest struct {
	StartDate      string   `json:"startDate"`
	EndDate        string   `json:"endDate"`
	TrunkGroupName []string `json:"trunkGroupName"`
}

// TrunkGroupUtilItem is one interval ("2017-12-01 00:10") of calls.
// OutCalls are Inteliquent-to-customer, InCalls customer-to-Inteliquent.
type TrunkGroupUtilItem struct {
	TrunkGroupDate string  `json:"trunkGroupDate"`
	InCalls        FlexInt `json:"inCalls"`
	OutCalls       FlexInt `json:"outCalls"`
	Capacity       FlexInt `json:"capacity"`
}

// TrunkGroupUtilizationResponse is the report (unpaginated); 430 is empty.
type TrunkGroupUtilizationResponse struct {
	Envelope
	TrunkGroupUtilList struct {
		TrunkGroupUtilItem []TrunkGroupUtilItem `json:"trunkGroupUtilItem"`
	} `json:"trunkGroupUtilList"`
}

// TrunkGroupUtilization reads a utilization report.
func (c *Client) TrunkGroupUtilization(ctx context.Context, req *TrunkGroupUtilizationRequest) (*TrunkGroupUtilizationResponse, error) {
	return call[TrunkGroupUtilizationResponse](ctx, c, OpTrunkGroupUtilization, req)
}

// ---- routingLabelSearchAssigned / routingLabelDetail ----

// RoutingLabelSearchAssignedRequest has no fields besides the privateKey.
type RoutingLabelSearchAssignedRequest struct{}

// RoutingLabelItem is one assigned toll-free routing label.
type RoutingLabelItem struct {
	CustomerAssignedName    string `json:"customerAssignedName"`
	RoutingLabel            string `json:"routingLabel"`
	RoutePrioritizationType string `json:"routePrioritizationType,omitempty"`
}

// RoutingLabelSearchAssignedResponse lists the account's routing labels,
// the values tfOrder and tfUpdate take. 430 is empty.
type RoutingLabelSearchAssignedResponse struct {
	Envelope
	RoutingLabelList struct {
		RoutingLabelItem []RoutingLabelItem `json:"routingLabelItem"`
	} `json:"routingLabelList"`
}

// RoutingLabelSearchAssigned lists the account's routing labels.
func (c *Client) RoutingLabelSearchAssigned(ctx context.Context, req *RoutingLabelSearchAssignedRequest) (*RoutingLabelSearchAssignedResponse, error) {
	return call[RoutingLabelSearchAssignedResponse](ctx, c, OpRoutingLabelSearchAssigned, req)
}

// RoutingLabelDetailRequest reads one label, named by routingLabel or by
// its customerAssignedName.
type RoutingLabelDetailRequest struct {
	RoutingLabel string `json:"routingLabel"`
}

// RouteItem is one route of a label. The wrapper names are those of
// routingLabelSearchAssigned; the item fields differ.
type RouteItem struct {
	RouteSequence   FlexString `json:"routeSequence"`
	TrunkGroupName  string     `json:"trunkGroupName"`
	RouteProportion FlexString `json:"routeProportion"`
}

// RoutingLabelDetailResponse lists a label's routes.
type RoutingLabelDetailResponse struct {
	Envelope
	RoutingLabelList struct {
		RoutingLabelItem []RouteItem `json:"routingLabelItem"`
	} `json:"routingLabelList"`
}

// RoutingLabelDetail reads a label's trunk groups and proportions.
func (c *Client) RoutingLabelDetail(ctx context.Context, req *RoutingLabelDetailRequest) (*RoutingLabelDetailResponse, error) {
	return call[RoutingLabelDetailResponse](ctx, c, OpRoutingLabelDetail, req)
}
