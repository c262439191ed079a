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
