package inteliquent

import (
	"context"
	"iter"
)

// This file holds the listing operations the exports use that are not in
// numbers.go or orders.go: message and 911 call detail records (guide
// section "Network": messageDetailSearch, e911CallSearch), messaging
// campaigns (messageCampaigns, tnMessagingCampaignList) and the feature
// listings of section "Reference" (tnFeatureCnamList, tnFeatureDLList,
// tnFeatureE911List, tnFeatureMessageList). All are reads; every one treats
// 430 ("No Result(s) Found", "No records found") as an empty answer.

// Operation names of this file, spelled as the paths the client sends.
const (
	OpMessageDetailSearch     = "messageDetailSearch"
	OpE911CallSearch          = "e911CallSearch"
	OpMessageCampaigns        = "messageCampaigns"
	OpTnMessagingCampaignList = "tnMessagingCampaignList"
	// OpTnFeatureCnamList is spelled as the guide's example URL spells it
	// (tnFeatureCNamList); the heading says tnFeatureCnamList. See
	// docs/api-quirks.md.
	OpTnFeatureCnamList    = "tnFeatureCNamList"
	OpTnFeatureDLList      = "tnFeatureDLList"
	OpTnFeatureE911List    = "tnFeatureE911List"
	OpTnFeatureMessageList = "tnFeatureMessageList"
)

// ---- messageDetailSearch ----

// MessageDetailSearchRequest searches message detail records (POST
// /messageDetailSearch). StartDate, EndDate (2015-12-15T00:00:00.000Z),
// Direction (Outbound, Inbound), MessageClass (P2P, A2PLC, A2P8XX) and
// MessageType (SMS, MMS) are required. The answer is not paginated.
type MessageDetailSearchRequest struct {
	StartDate     string   `json:"startDate"`
	EndDate       string   `json:"endDate"`
	Direction     string   `json:"direction"`
	MessageClass  string   `json:"messageClass"`
	MessageType   string   `json:"messageType"`
	Disposition   string   `json:"disposition,omitempty"`
	Region        string   `json:"region,omitempty"`
	Country       string   `json:"country,omitempty"`
	Operators     []string `json:"operators,omitempty"`
	SourceTn      string   `json:"sourceTn,omitempty"`
	DestinationTn string   `json:"destinationTn,omitempty"`
}

// MessageDetail is one messageDetails record. Its status and statusCode
// are the message's ("Blocked", "8"), not the answer's.
type MessageDetail struct {
	Operator    string     `json:"operator,omitempty"`
	Country     string     `json:"country,omitempty"`
	Region      string     `json:"region,omitempty"`
	GateWay     string     `json:"gateWay,omitempty"`
	MessageType string     `json:"messageType,omitempty"`
	Source      FlexString `json:"source,omitempty"`
	Destination FlexString `json:"destination,omitempty"`
	Status      string     `json:"status,omitempty"`
	StatusCode  FlexString `json:"statusCode,omitempty"`
	Description string     `json:"description,omitempty"`
	// MessageDate is not in the guide's example; the sandbox sends it so
	// daily windows can be checked. Empty from the real API.
	MessageDate string `json:"messageDate,omitempty"`
}

// MessageDetailSearchResponse holds every matching record.
type MessageDetailSearchResponse struct {
	Envelope
	MessageDetails []MessageDetail `json:"messageDetails"`
}

// MessageDetailSearch returns message detail records.
func (c *Client) MessageDetailSearch(ctx context.Context, req *MessageDetailSearchRequest) (*MessageDetailSearchResponse, error) {
	return call[MessageDetailSearchResponse](ctx, c, OpMessageDetailSearch, req)
}

// ---- e911CallSearch ----

// E911CallSearchRequest searches 911 call detail records (POST
// /e911CallSearch). StartDate and EndDate ("2019-01-18 00:00:00") are
// required. The API rejects unknown fields (400), so every field is
// omitted when empty; PostalCode is sent by the guide's example but is not
// in its table.
type E911CallSearchRequest struct {
	StartDate       string    `json:"startDate"`
	EndDate         string    `json:"endDate"`
	CallType        string    `json:"callType,omitempty"`
	CallStatus      string    `json:"callStatus,omitempty"`
	CallDestination string    `json:"callDestination,omitempty"`
	CallProvisioned string    `json:"callProvisioned,omitempty"`
	SourceTn        string    `json:"sourceTn,omitempty"`
	E911Contains    string    `json:"e911Contains,omitempty"`
	Name            string    `json:"name,omitempty"`
	StreetNum       string    `json:"streetNum,omitempty"`
	StreetInfo      string    `json:"streetInfo,omitempty"`
	Location        string    `json:"location,omitempty"`
	City            string    `json:"city,omitempty"`
	State           string    `json:"state,omitempty"`
	PostalCode      string    `json:"postalCode,omitempty"`
	PageSort        *PageSort `json:"pageSort,omitempty"`
}

// E911Call is one callDetailList record.
type E911Call struct {
	SourceTn        TN         `json:"sourceTn"`
	CallDate        string     `json:"callDate,omitempty"`
	CallType        FlexString `json:"callType,omitempty"`
	CallStatus      string     `json:"callStatus,omitempty"`
	CallDestination string     `json:"callDestination,omitempty"`
	CallProvisioned string     `json:"callProvisioned,omitempty"`
	CallDuration    FlexString `json:"callDuration,omitempty"`
	Name            string     `json:"name,omitempty"`
	StreetNum       FlexString `json:"streetNum,omitempty"`
	StreetInfo      string     `json:"streetInfo,omitempty"`
	City            string     `json:"city,omitempty"`
	State           string     `json:"state,omitempty"`
	PostalCode      FlexString `json:"postalCode,omitempty"`
	CallTerminated  string     `json:"callTerminated,omitempty"`
	SipCallID       string     `json:"sipCallId,omitempty"`
	ViaHeader       string     `json:"viaHeader,omitempty"`
	IncomingDnis    string     `json:"incomingDnis,omitempty"`
	IncomingFrom    string     `json:"incomingFrom,omitempty"`
	IncomingContact string     `json:"incomingContact,omitempty"`
}

// E911CallSearchResponse is one page of calls. The guide's example has no
// page fields; when they are absent the iterator stops at a short page.
type E911CallSearchResponse struct {
	Envelope
	CallDetailList []E911Call `json:"callDetailList"`
	PageInfo
}

// E911CallSearch returns one page of 911 call records.
func (c *Client) E911CallSearch(ctx context.Context, req *E911CallSearchRequest) (*E911CallSearchResponse, error) {
	return call[E911CallSearchResponse](ctx, c, OpE911CallSearch, req)
}

// E911CallSearchPages walks e911CallSearch with page/size pagination (size
// from req.PageSort or DefaultPageSize). Without page fields in the answer,
// a page shorter than the size ends the walk.
func (c *Client) E911CallSearchPages(ctx context.Context, req *E911CallSearchRequest) iter.Seq2[*E911CallSearchResponse, error] {
	size := sizeOr(derefOr(req).PageSort, DefaultPageSize)
	return shortStop(byPage[E911CallSearchResponse](ctx, c, OpE911CallSearch, req, size, func(p *E911CallSearchResponse) int { return len(p.CallDetailList) }),
		size, func(p *E911CallSearchResponse) (int, bool) { return len(p.CallDetailList), p.TotalPages.Valid })
}

// shortStop ends a page walk after a page shorter than size when the
// answer carries no totalPages.
func shortStop[P any](pages iter.Seq2[P, error], size int, info func(P) (n int, paged bool)) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		for p, err := range pages {
			if !yield(p, err) || err != nil {
				return
			}
			if n, paged := info(p); !paged && n < size {
				return
			}
		}
	}
}

// ---- messageCampaigns / tnMessagingCampaignList ----

// MessageCampaignsRequest has no fields besides the privateKey.
type MessageCampaignsRequest struct{}

// MessageCampaign is one messageCampaignItem.
type MessageCampaign struct {
	MsgCampaignID FlexString `json:"msgCampaignId"`
	Description   string     `json:"description,omitempty"`
	StartDate     string     `json:"startDate,omitempty"`
	EndDate       string     `json:"endDate,omitempty"`
	IsBillable    string     `json:"isBillable,omitempty"`
}

// MessageCampaignsResponse lists the account's campaigns (unpaginated).
type MessageCampaignsResponse struct {
	Envelope
	MessageCampaignList struct {
		MessageCampaignItem []MessageCampaign `json:"messageCampaignItem"`
	} `json:"messageCampaignList"`
}

// MessageCampaigns lists messaging campaigns.
func (c *Client) MessageCampaigns(ctx context.Context, req *MessageCampaignsRequest) (*MessageCampaignsResponse, error) {
	return call[MessageCampaignsResponse](ctx, c, OpMessageCampaigns, req)
}

// TnMessagingCampaignListRequest has no fields besides the privateKey.
type TnMessagingCampaignListRequest struct{}

// TnMessageCampaign is one tnMessageCampaignItem.
type TnMessageCampaign struct {
	TN            TN         `json:"tn"`
	MsgCampaignID FlexString `json:"msgCampaignId"`
}

// TnMessagingCampaignListResponse lists every number with a campaign
// (unpaginated; the guide's table is copied from messageCampaigns, the
// client follows the example).
type TnMessagingCampaignListResponse struct {
	Envelope
	TnMessageCampaignList struct {
		TnMessageCampaignItem []TnMessageCampaign `json:"tnMessageCampaignItem"`
	} `json:"tnMessageCampaignList"`
}

// TnMessagingCampaignList lists numbers and their campaigns.
func (c *Client) TnMessagingCampaignList(ctx context.Context, req *TnMessagingCampaignListRequest) (*TnMessagingCampaignListResponse, error) {
	return call[TnMessagingCampaignListResponse](ctx, c, OpTnMessagingCampaignList, req)
}

// ---- tnFeature*List ----

// TnFeatureListRequest is the request of the feature listings. TnMask is
// only read by tnFeatureE911List; PageSort by the paginated ones (CNAM,
// E911, messaging); tnFeatureDLList takes neither.
type TnFeatureListRequest struct {
	TnMask   string    `json:"tnMask,omitempty"`
	PageSort *PageSort `json:"pageSort,omitempty"`
}

// TnFeatureListItem is one tnFeatureItem of any feature listing; each
// listing fills its own fields (CNAM: callingName; DL: the listing
// address; E911: the orig*/enh* address; messaging: messageClass and
// messageType).
type TnFeatureListItem struct {
	TN             TN         `json:"tn"`
	CallingName    string     `json:"callingName,omitempty"`
	FirstName      string     `json:"firstName,omitempty"`
	LastName       string     `json:"lastName,omitempty"`
	StreetNum      FlexString `json:"streetNum,omitempty"`
	StreetPreDir   string     `json:"streetPreDir,omitempty"`
	StreetName     string     `json:"streetName,omitempty"`
	StreetType     string     `json:"streetType,omitempty"`
	StreetPostDir  string     `json:"streetPostDir,omitempty"`
	Location       string     `json:"location,omitempty"`
	City           string     `json:"city,omitempty"`
	State          string     `json:"state,omitempty"`
	PostalCode     FlexString `json:"postalCode,omitempty"`
	Name           string     `json:"name,omitempty"`
	OrigStreetNum  FlexString `json:"origStreetNum,omitempty"`
	OrigStreetInfo string     `json:"origStreetInfo,omitempty"`
	OrigLocation   string     `json:"origLocation,omitempty"`
	OrigCity       string     `json:"origCity,omitempty"`
	OrigState      string     `json:"origState,omitempty"`
	OrigPostalCode FlexString `json:"origPostalCode,omitempty"`
	EnhStreetNum   FlexString `json:"enhStreetNum,omitempty"`
	EnhStreetInfo  string     `json:"enhStreetInfo,omitempty"`
	EnhCity        string     `json:"enhCity,omitempty"`
	EnhState       string     `json:"enhState,omitempty"`
	EnhPostalCode  FlexString `json:"enhPostalCode,omitempty"`
	MessageClass   string     `json:"messageClass,omitempty"`
	MessageType    string     `json:"messageType,omitempty"`
}

// TnFeatureListResponse is one page (or, for DL, all) of a feature listing.
type TnFeatureListResponse struct {
	Envelope
	TnFeatureList struct {
		TnFeatureItem []TnFeatureListItem `json:"tnFeatureItem"`
	} `json:"tnFeatureList"`
	PageInfo
}

// TnFeatureCnamList returns one page of numbers with CNAM storage.
func (c *Client) TnFeatureCnamList(ctx context.Context, req *TnFeatureListRequest) (*TnFeatureListResponse, error) {
	return call[TnFeatureListResponse](ctx, c, OpTnFeatureCnamList, req)
}

// TnFeatureDLList returns every number with a directory listing.
func (c *Client) TnFeatureDLList(ctx context.Context, req *TnFeatureListRequest) (*TnFeatureListResponse, error) {
	return call[TnFeatureListResponse](ctx, c, OpTnFeatureDLList, req)
}

// TnFeatureE911List returns one page of numbers with E911.
func (c *Client) TnFeatureE911List(ctx context.Context, req *TnFeatureListRequest) (*TnFeatureListResponse, error) {
	return call[TnFeatureListResponse](ctx, c, OpTnFeatureE911List, req)
}

// TnFeatureMessageList returns one page of numbers with messaging.
func (c *Client) TnFeatureMessageList(ctx context.Context, req *TnFeatureListRequest) (*TnFeatureListResponse, error) {
	return call[TnFeatureListResponse](ctx, c, OpTnFeatureMessageList, req)
}

// TnFeatureListPages walks one of the paginated feature listings (op is
// OpTnFeatureCnamList, OpTnFeatureE911List or OpTnFeatureMessageList) with
// page/size pagination; OpTnFeatureDLList yields its single answer.
func (c *Client) TnFeatureListPages(ctx context.Context, op string, req *TnFeatureListRequest) iter.Seq2[*TnFeatureListResponse, error] {
	base := derefOr(req)
	if op == OpTnFeatureDLList {
		return func(yield func(*TnFeatureListResponse, error) bool) {
			r := TnFeatureListRequest{}
			resp := new(TnFeatureListResponse)
			if err := c.do(ctx, op, &r, resp); err != nil {
				yield(nil, err)
				return
			}
			if len(resp.TnFeatureList.TnFeatureItem) > 0 {
				yield(resp, nil)
			}
		}
	}
	size := sizeOr(base.PageSort, DefaultPageSize)
	return shortStop(byPage[TnFeatureListResponse](ctx, c, op, &base, size, func(p *TnFeatureListResponse) int { return len(p.TnFeatureList.TnFeatureItem) }),
		size, func(p *TnFeatureListResponse) (int, bool) {
			return len(p.TnFeatureList.TnFeatureItem), p.TotalPages.Valid
		})
}

func (r *E911CallSearchRequest) sortField() **PageSort { return &r.PageSort }
func (r *TnFeatureListRequest) sortField() **PageSort  { return &r.PageSort }
