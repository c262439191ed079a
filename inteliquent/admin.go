package inteliquent

import (
	"context"
	"encoding/json"
)

// Read-only account administration: the API keys of the account
// (getClientList, ClientMgmt) and trunk group orders (trunkGroupOrderList,
// trunkGroupOrderDetail; the guide marks them Beta, internal use only).
const (
	OpGetClientList         = "getClientList"
	OpTrunkGroupOrderList   = "trunkGroupOrderList"
	OpTrunkGroupOrderDetail = "trunkGroupOrderDetail"
)

// KeyTail is an API key of which only the last four characters are kept
// when it is decoded: the rest never enters iqbulk's memory, logs or files.
type KeyTail string

// UnmarshalJSON keeps the last four characters.
func (k *KeyTail) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	if err != nil {
		return err
	}
	if len(s) > 4 {
		s = s[len(s)-4:]
	}
	*k = KeyTail(s)
	return nil
}

// ClientKey is one API key of the account. Its apiSecret is not decoded at
// all, and of its privateKey only the last four characters.
type ClientKey struct {
	PrivateKey  KeyTail    `json:"privateKey"`
	KeyName     string     `json:"keyName"`
	IsPrimary   FlexString `json:"isPrimary"`
	CreatedDate string     `json:"createdDate"`
	UpdatedAt   string     `json:"updatedAt"`
}

// GetClientListResponse lists the company's API keys.
type GetClientListResponse struct {
	Envelope
	CompanyKeyDetails struct {
		CompanyName string      `json:"companyName"`
		ClientKeys  []ClientKey `json:"clientKeys"`
	} `json:"companyKeyDetails"`
}

// GetClientList lists the account's API keys (POST ClientMgmt
// /getClientList), for an audit of which keys exist.
func (c *Client) GetClientList(ctx context.Context) (*GetClientListResponse, error) {
	return call[GetClientListResponse](ctx, c, OpGetClientList, struct{}{})
}

// TrunkGroupOrderRequest asks for trunk group orders: one (OrderID) or, for
// trunkGroupOrderList, every one (0). The example sends a number.
type TrunkGroupOrderRequest struct {
	OrderID int64 `json:"orderId,omitempty"`
}

// TrunkGroupOrderListResponse lists trunk group orders; each is a flat
// object of the guide's scalar fields (orderId, orderStatus,
// trunkGroupName, ...).
type TrunkGroupOrderListResponse struct {
	Envelope
	TrunkGroupOrderList []map[string]FlexString `json:"trunkGroupOrderList"`
}

// TrunkGroupOrderList lists trunk group orders (Beta).
func (c *Client) TrunkGroupOrderList(ctx context.Context, req *TrunkGroupOrderRequest) (*TrunkGroupOrderListResponse, error) {
	return call[TrunkGroupOrderListResponse](ctx, c, OpTrunkGroupOrderList, req)
}

// SipSignaling is one customer SIP signaling address of a trunk group order.
type SipSignaling struct {
	IPAddress string     `json:"ipAddress"`
	Port      FlexString `json:"port"`
	Direction string     `json:"direction"`
}

// Fqdn is one FQDN of a trunk group order.
type Fqdn struct {
	DomainName string     `json:"domainName"`
	Port       FlexString `json:"port"`
}

// TrunkGroupOrderDetail is one trunk group order: the list's scalar fields
// (Fields) plus its signaling, media, FQDN and codec lists, features and
// service address.
type TrunkGroupOrderDetail struct {
	Fields                   map[string]FlexString
	CustomerSipSignalingList struct {
		CustomerSipSignalingItem []SipSignaling `json:"customerSipSignalingItem"`
	} `json:"customerSipSignalingList"`
	CustomerMediaList struct {
		CustomerMediaItem []struct {
			IPAddress string `json:"ipAddress"`
		} `json:"customerMediaItem"`
	} `json:"customerMediaList"`
	FqdnList struct {
		FqdnItem []Fqdn `json:"fqdnItem"`
	} `json:"fqdnList"`
	CodecList struct {
		CodecItem []map[string]FlexString `json:"codecItem"`
	} `json:"codecList"`
	TrunkGroupFeature struct {
		E911Enabled string `json:"e911Enabled"`
	} `json:"trunkGroupFeature"`
	CustomerServiceAddress map[string]FlexString `json:"customerServiceAddress"`
}

// UnmarshalJSON reads the scalar fields into Fields and the nested ones
// into their places.
func (d *TrunkGroupOrderDetail) UnmarshalJSON(b []byte) error {
	type nested TrunkGroupOrderDetail
	var n nested
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	n.Fields = map[string]FlexString{}
	for k, raw := range all {
		var v FlexString
		if json.Unmarshal(raw, &v) == nil {
			n.Fields[k] = v
		}
	}
	*d = TrunkGroupOrderDetail(n)
	return nil
}

// TrunkGroupOrderDetailResponse is one trunk group order.
type TrunkGroupOrderDetailResponse struct {
	Envelope
	TrunkGroupOrderDetail TrunkGroupOrderDetail `json:"trunkGroupOrderDetail"`
}

// TrunkGroupOrderDetail reads one trunk group order (Beta).
func (c *Client) TrunkGroupOrderDetail(ctx context.Context, req *TrunkGroupOrderRequest) (*TrunkGroupOrderDetailResponse, error) {
	return call[TrunkGroupOrderDetailResponse](ctx, c, OpTrunkGroupOrderDetail, req)
}
