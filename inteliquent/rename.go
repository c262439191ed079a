package inteliquent

import "context"

// OpTrunkGroupUpdate renames a trunk group (Change Trunk Group Name). A
// second rename of the same current name is refused (the name is gone), so
// it is not idempotent.
const OpTrunkGroupUpdate = "trunkGroupUpdate"

// TrunkGroupUpdateRequest renames a trunk group (POST /trunkGroupUpdate).
// The new name takes "alphanumeric characters, space, and/or underscore".
type TrunkGroupUpdateRequest struct {
	TrunkGroupNameNew     string `json:"trunkGroupNameNew"`
	TrunkGroupNameCurrent string `json:"trunkGroupNameCurrent"`
}

// TrunkGroupUpdate renames a trunk group. Later orders must use the new name.
func (c *Client) TrunkGroupUpdate(ctx context.Context, req *TrunkGroupUpdateRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpTrunkGroupUpdate, req)
}

// OpRoutingLabelUpdate renames a toll-free routing label (Change Toll Free
// Routing Label Name). Like a trunk group rename, a second one of the same
// current name is refused, so it is not idempotent.
const OpRoutingLabelUpdate = "routingLabelUpdate"

// RoutingLabelUpdateRequest renames a routing label (POST
// /routingLabelUpdate): routingLabel is the current name.
type RoutingLabelUpdateRequest struct {
	RoutingLabel    string `json:"routingLabel"`
	NewRoutingLabel string `json:"newRoutingLabel"`
}

// RoutingLabelUpdate renames a routing label. Later toll-free orders and
// routing changes must use the new name.
func (c *Client) RoutingLabelUpdate(ctx context.Context, req *RoutingLabelUpdateRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpRoutingLabelUpdate, req)
}
