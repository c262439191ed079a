package inteliquent

import (
	"context"
	"slices"
)

// Port-out: the losing carrier's side. portOutApproval approves every
// number of a port-out order, tnPortOutReject refuses one number with a
// reason, tnPortOutHistory lists the past three months of port-outs.
const (
	OpPortOutApproval  = "portOutApproval"
	OpTnPortOutReject  = "tnPortOutReject"
	OpTnPortOutHistory = "tnPortOutHistory"
)

// portOutRejectReasons are the guide's rejectReason values with their
// meaning (Reject Port Out Telephone Number).
var portOutRejectReasons = [...][2]string{
	{"PIN", "PIN required/invalid"},
	{"DATAMIS", "All data mismatch"},
	{"AUTHNMMIS", "Auth name mismatch"},
	{"INVACCT", "Invalid account number"},
	{"INVZIPCD", "Invalid zip code"},
}

// PortOutRejectReasons returns the guide's rejectReason codes, in its order.
func PortOutRejectReasons() []string {
	out := make([]string, len(portOutRejectReasons))
	for i, r := range portOutRejectReasons {
		out[i] = r[0]
	}
	return out
}

// IsPortOutRejectReason reports whether code is one of the guide's.
func IsPortOutRejectReason(code string) bool { return slices.Contains(PortOutRejectReasons(), code) }

// PortOutApprovalRequest approves all numbers of a port-out order (POST
// /portOutApproval). 432 "User Error" carries the reason in status.
type PortOutApprovalRequest struct {
	OrderID OrderID `json:"orderId"`
}

// PortOutApproval approves a port-out order. Not idempotent: a second
// approval is refused, so a lost answer is reconciled with tnPortOutHistory.
func (c *Client) PortOutApproval(ctx context.Context, req *PortOutApprovalRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpPortOutApproval, req)
}

// TnPortOutReject is the tnPortOutReject object.
type TnPortOutReject struct {
	TN           TN      `json:"tn"`
	OrderID      OrderID `json:"orderId"`
	RejectReason string  `json:"rejectReason"`
}

// TnPortOutRejectRequest rejects one number of a port-out order (POST
// /tnPortOutReject).
type TnPortOutRejectRequest struct {
	TnPortOutReject TnPortOutReject `json:"tnPortOutReject"`
}

func (r *TnPortOutRejectRequest) numberCount() int { return 1 }

// TnPortOutReject rejects one number of a port-out order.
func (c *Client) TnPortOutReject(ctx context.Context, req *TnPortOutRejectRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpTnPortOutReject, req)
}

// PortOutHistoryItem is one orderList.orderType entry: one number of a
// port-out order, Canceled or Closed.
type PortOutHistoryItem struct {
	OrderID     OrderID `json:"orderId"`
	OrderStatus string  `json:"orderStatus"`
	CreatedDate string  `json:"createdDate"` // 2017-05-05T00:00:00.000+0000
	PortDate    string  `json:"portDate"`
	TN          TN      `json:"tn"`
}

// TnPortOutHistoryResponse lists the past three months of port-outs.
type TnPortOutHistoryResponse struct {
	Envelope
	OrderList struct {
		OrderType []PortOutHistoryItem `json:"orderType"`
	} `json:"orderList"`
}

// TnPortOutHistory lists the port-outs of the past three months.
func (c *Client) TnPortOutHistory(ctx context.Context) (*TnPortOutHistoryResponse, error) {
	return call[TnPortOutHistoryResponse](ctx, c, OpTnPortOutHistory, nil)
}
