package inteliquent

import "context"

// This file holds the messaging operations of the guide's sections
// "Provision Messaging" (POST /tnMessaging) and "Assigning Messaging
// Campaigns to TNs" (POST /tnMessagingCampaign). The campaign listings
// (messageCampaigns, tnMessagingCampaignList) are in exports.go.

// Operation names of this file.
const (
	OpTnMessaging         = "tnMessaging"
	OpTnMessagingCampaign = "tnMessagingCampaign"
)

// The guide's messageClass and messageType values (the operation tables'
// pairing; the Character Limits table swaps the two names).
var (
	MessageClasses = []string{"P2P", "A2PLC", "A2P8XX"}
	MessageTypes   = []string{"SMS", "MMS", "SMSMMS", "SMS_ALT", "MMS_ALT", "SMSMMS_ALT"}
)

// ---- tnMessaging ----

// TnMessagingRequest provisions, updates or removes messaging on one number,
// synchronously (POST /tnMessaging). The table spells altSpId; the example,
// followed here, altSpid. To remove, send TN and RemoveMessaging "Y" (the
// remove example leaves messageClass and messageType out).
type TnMessagingRequest struct {
	TN              TN     `json:"tn"`
	MessageClass    string `json:"messageClass,omitempty"`
	MessageType     string `json:"messageType,omitempty"`
	NetNumberID     string `json:"netNumberId,omitempty"`
	AltSpid         string `json:"altSpid,omitempty"`
	RemoveMessaging string `json:"removeMessaging,omitempty"`
}

func (r *TnMessagingRequest) numberCount() int { return 1 }

// TnMessaging provisions or removes messaging. 425 here is a failure of the
// number ("Unable to provision messaging for this TN. Please contact
// Inteliquent messaging team."), not a partial success. Idempotent.
func (c *Client) TnMessaging(ctx context.Context, req *TnMessagingRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpTnMessaging, req)
}

// ---- tnMessagingCampaign ----

// CampaignMessaging is tnFeature.messaging of a campaign item. The table
// names the campaign field messageCampaignId; every example sends
// tnCampaign, and so does the client (docs/api-quirks.md). The remove
// example still sends the campaign id with removeTnCampaign "Y".
type CampaignMessaging struct {
	TnCampaign       string `json:"tnCampaign,omitempty"`
	RemoveTnCampaign string `json:"removeTnCampaign,omitempty"`
}

// TnCampaignItem is one number of a campaign request.
type TnCampaignItem struct {
	TN        TN `json:"tn"`
	TnFeature struct {
		Messaging CampaignMessaging `json:"messaging"`
	} `json:"tnFeature"`
}

// NewTnCampaignItem builds an item; remove sets removeTnCampaign "Y".
func NewTnCampaignItem(tn TN, campaign string, remove bool) TnCampaignItem {
	it := TnCampaignItem{TN: tn}
	it.TnFeature.Messaging.TnCampaign = campaign
	if remove {
		it.TnFeature.Messaging.RemoveTnCampaign = "Y"
	}
	return it
}

// TnCampaign is the tnCampaign wrapper object.
type TnCampaign struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 struct {
		TnItem []TnCampaignItem `json:"tnItem"`
	} `json:"tnList"`
}

// TnMessagingCampaignRequest assigns campaigns to numbers, or removes them
// (POST /tnMessagingCampaign).
type TnMessagingCampaignRequest struct {
	TnCampaign TnCampaign `json:"tnCampaign"`
}

func (r *TnMessagingCampaignRequest) numberCount() int { return len(r.TnCampaign.TnList.TnItem) }

// TnMessagingCampaign assigns or removes campaigns; the answer carries an
// orderId (a string in one example, a number in the other). Setting the
// same campaign again is harmless, so it is idempotent.
//
// Codes: 409 "Invalid TN submitted:", 414 "Fields are Required:", 425
// "Partial Success", 432 "TN Excluded". For 425 TnMessagingCampaign returns
// both the decoded answer (with its orderId, whose excludedTnList names the
// numbers left out) and the *APIError; for every other error the response
// is nil.
func (c *Client) TnMessagingCampaign(ctx context.Context, req *TnMessagingCampaignRequest) (*OrderResponse, error) {
	resp := new(OrderResponse)
	if err := c.do(ctx, OpTnMessagingCampaign, req, resp); err != nil {
		if Code(err) == "425" {
			return resp, err
		}
		return nil, err
	}
	return resp, nil
}
