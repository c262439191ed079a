package inteliquent

import "context"

// OpTnRequest asks for numbers by area and quantity (the guide's "Request
// TN", POST /tnRequest). Each request makes a new order, so it is not
// idempotent: a lost answer is found again with orderList by the request's
// customerOrderReference.
const OpTnRequest = "tnRequest"

// TnRequestRequest is the guide's flat request: every filter is optional,
// quantity is required; activate is Y or N.
type TnRequestRequest struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	State                  string `json:"state,omitempty"`
	Lata                   string `json:"lata,omitempty"`
	RateCenter             string `json:"rateCenter,omitempty"`
	Npa                    string `json:"npa,omitempty"`
	Nxx                    string `json:"nxx,omitempty"`
	Quantity               int    `json:"quantity"`
	TrunkGroup             string `json:"trunkGroup,omitempty"`
	Activate               string `json:"activate,omitempty"`
}

// TnRequest requests numbers; the answer names the order that holds them
// (follow it with orderDetail).
func (c *Client) TnRequest(ctx context.Context, req *TnRequestRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTnRequest, req)
}
