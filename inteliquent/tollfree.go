package inteliquent

import (
	"context"
	"iter"
	"strings"
)

// This file holds the toll-free operations of the guide's section "Toll
// Free" (tfInventory … tfFeatureE911List), call forwarding (tnForward,
// tfForward and their listings), the toll-free CIC list (cicList) and the
// order documents (orderAddDocument, orderDocument) that carry the LOA of a
// toll-free port-in (tfOrder with productAbbr 8XXPORTIN).

// Operation names of this file, spelled as the guide spells the paths.
const (
	OpTfInventory          = "tfInventory"
	OpTfOrder              = "tfOrder"
	OpTfDetail             = "tfDetail"
	OpTfUpdate             = "tfUpdate"
	OpTfDisconnect         = "tfDisconnect"
	OpTfFeatureOrder       = "tfFeatureOrder"
	OpTfFeatureCNamList    = "tfFeatureCNamList"
	OpTfFeatureMessageList = "tfFeatureMessageList"
	OpTfFeatureE911List    = "tfFeatureE911List"
	OpTnForward            = "tnForward"
	OpTfForward            = "tfForward"
	OpTnForwardList        = "tnForwardList"
	OpTfForwardList        = "tfForwardList"
	OpCicList              = "cicList"
	OpOrderAddDocument     = "orderAddDocument"
	OpOrderDocument        = "orderDocument"
)

// tfOrder's productAbbr values (guide: "Load, Order, or Port Toll Free
// Numbers").
const (
	// ProductTF8XX loads numbers on the customer's own RespOrg to the
	// Inteliquent CIC; resporgId is required.
	ProductTF8XX = "8XX"
	// ProductTF8XXPortIn ports numbers from another RespOrg; loa must be "Y"
	// and the LOA attached with orderAddDocument.
	ProductTF8XXPortIn = "8XXPORTIN"
	// ProductTF8XXAvail orders numbers from Inteliquent's inventory, at most
	// 100 per month.
	ProductTF8XXAvail = "8XXAVAIL"
)

// TfAvailMonthlyMax is the guide's 8XXAVAIL cap: "max 100 per month".
const TfAvailMonthlyMax = 100

// TfInventoryMax and TfInventorySequentialMax are tfInventory's quantity
// limits ("Max of 1000 when sequential equals false. Max of 10 when
// sequential equals true.").
const (
	TfInventoryMax           = 1000
	TfInventorySequentialMax = 10
)

// ---- tfInventory ----

// TfInventoryRequest searches the toll-free registry for spare numbers
// (POST /tfInventory). TnMask (exactly 10 characters, x = any digit) or
// TnWildcard is required; Quantity is required.
type TfInventoryRequest struct {
	TnMask     string    `json:"tnMask,omitempty"`
	TnWildcard string    `json:"tnWildcard,omitempty"`
	Quantity   int       `json:"quantity"`
	Sequential bool      `json:"sequential,omitempty"`
	PageSort   *PageSort `json:"pageSort,omitempty"`
}

// TfInventoryItem is one spare toll-free number. Cic is the guide's
// comma-separated list ("0913,0555,5102,2121"); see Cics.
type TfInventoryItem struct {
	TN            TN         `json:"tn"`
	RespOrgPrefix string     `json:"respOrgPrefix,omitempty"`
	Cic           FlexString `json:"cic,omitempty"`
}

// Cics splits the comma-separated cic field.
func (t TfInventoryItem) Cics() []string { return splitList(string(t.Cic)) }

// TfInventoryResponse lists spare numbers (no page fields in the guide).
type TfInventoryResponse struct {
	Envelope
	TfList struct {
		TfItem []TfInventoryItem `json:"tfItem"`
	} `json:"tfList"`
}

// TfInventory searches toll-free inventory.
func (c *Client) TfInventory(ctx context.Context, req *TfInventoryRequest) (*TfInventoryResponse, error) {
	return call[TfInventoryResponse](ctx, c, OpTfInventory, req)
}

// ---- tfOrder ----

// CicList is {"cic": ["0913", "0222"]}.
type CicList struct {
	Cic []string `json:"cic"`
}

// TfFeature groups a toll-free number's features: no directory listing and
// no end user for toll-free numbers.
type TfFeature struct {
	CallerID  *CallerID  `json:"callerId,omitempty"`
	E911      *E911      `json:"e911,omitempty"`
	Messaging *Messaging `json:"messaging,omitempty"`
}

// TfOrderItem is one toll-free number to load, port or order. The guide's
// example misspells resporgId as "resporId"; the client sends the table's
// spelling.
type TfOrderItem struct {
	TN           TN         `json:"tn"`
	ResporgID    string     `json:"resporgId,omitempty"`
	RoutingLabel string     `json:"routingLabel,omitempty"`
	CicList      *CicList   `json:"cicList,omitempty"`
	TnNote       string     `json:"tnNote,omitempty"`
	TnFeature    *TfFeature `json:"tnFeature,omitempty"`
}

// TfOrder is the tfOrder wrapper object.
type TfOrder struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	// Loa must be "Y" for 8XXPORTIN.
	Loa    string `json:"loa,omitempty"`
	TnList struct {
		TnItem []TfOrderItem `json:"tnItem"`
	} `json:"tnList"`
}

// TfOrderRequest loads, ports or orders toll-free numbers (POST /tfOrder).
// productAbbr sits at the root, outside the tfOrder wrapper.
type TfOrderRequest struct {
	ProductAbbr string  `json:"productAbbr"`
	TfOrder     TfOrder `json:"tfOrder"`
}

func (r *TfOrderRequest) numberCount() int { return len(r.TfOrder.TnList.TnItem) }

// TfOrder loads, ports or orders toll-free numbers. 8XX and 8XXPORTIN answer
// an orderId; the guide's 8XXAVAIL example answers only a status with the
// per-number exclusions ("{2=[8774514545 TN is marked Not Available in our
// inventory]}") and no orderId. Non-idempotent.
func (c *Client) TfOrder(ctx context.Context, req *TfOrderRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTfOrder, req)
}

// ---- tfDetail ----

// TfSearchItem is one set of tfDetail criteria. The table writes
// "typeTfStatus Reference" and "callingName Contains" with spaces; the
// client uses the example's spelling without.
type TfSearchItem struct {
	TypeTfStatusReference  string `json:"typeTfStatusReference,omitempty"`
	RoutingLabel           string `json:"routingLabel,omitempty"`
	TnMask                 string `json:"tnMask"`
	ActivateStartDateRange string `json:"activateStartDateRange,omitempty"`
	ActivateEndDateRange   string `json:"activateEndDateRange,omitempty"`
	ActivateUser           string `json:"activateUser,omitempty"`
	TnNote                 string `json:"tnNote,omitempty"`
	CnamDip                string `json:"cnamDip,omitempty"`
	CallingNameContains    string `json:"callingNameContains,omitempty"`
	CallingName            string `json:"callingName,omitempty"`
	E911Contains           string `json:"e911Contains,omitempty"`
	E911                   string `json:"e911,omitempty"`
	MessageClass           string `json:"messageClass,omitempty"`
	MessageType            string `json:"messageType,omitempty"`
	Messaging              string `json:"messaging,omitempty"`
}

// TfDetailRequest searches assigned toll-free numbers (POST /tfDetail).
type TfDetailRequest struct {
	TfSearchList struct {
		TfSearchItem []TfSearchItem `json:"tfSearchItem"`
	} `json:"tfSearchList"`
	PageSort *PageSort `json:"pageSort,omitempty"`
}

// TfE911Detail is a toll-free number's E911 record as tfDetail answers it.
type TfE911Detail struct {
	E911
	E911ActivateDate string `json:"e911ActivateDate,omitempty"`
	E911ActivateUser string `json:"e911ActivateUser,omitempty"`
	E911TnStatus     string `json:"e911TnStatus,omitempty"`
}

// TfDetailFeature is tfDetail's tnFeature. The guide's example places e911
// beside tnFeature rather than in it; both places are read.
type TfDetailFeature struct {
	CallerID  *CallerID     `json:"callerId,omitempty"`
	Messaging *Messaging    `json:"messaging,omitempty"`
	E911      *TfE911Detail `json:"e911,omitempty"`
}

// TfDetailItem is one assigned toll-free number.
type TfDetailItem struct {
	TN                  TN               `json:"tn"`
	RoutingLabel        string           `json:"routingLabel,omitempty"`
	TnStatusName        string           `json:"tnStatusName,omitempty"`
	TnStatusRef         string           `json:"tnStatusRef,omitempty"`
	RespOrgName         string           `json:"respOrgName,omitempty"`
	RespOrgPrefix       string           `json:"respOrgPrefix,omitempty"`
	ActivateDisplayName string           `json:"activateDisplayName,omitempty"`
	ActivateDate        string           `json:"activateDate,omitempty"`
	Cic                 FlexString       `json:"cic,omitempty"`
	CicCompanyName      string           `json:"cicCompanyName,omitempty"`
	TnNote              string           `json:"tnNote,omitempty"`
	TnFeature           *TfDetailFeature `json:"tnFeature,omitempty"`
	E911                *TfE911Detail    `json:"e911,omitempty"`
}

// Cics splits the comma-separated cic field.
func (t TfDetailItem) Cics() []string { return splitList(string(t.Cic)) }

// E911Record returns the number's E911 record wherever the answer put it.
func (t TfDetailItem) E911Record() *TfE911Detail {
	if t.E911 != nil {
		return t.E911
	}
	if t.TnFeature != nil {
		return t.TnFeature.E911
	}
	return nil
}

// TfDetailResponse is one page of toll-free details.
type TfDetailResponse struct {
	Envelope
	TfList struct {
		TfItem []TfDetailItem `json:"tfItem"`
	} `json:"tfList"`
	PageInfo
}

// TfDetail returns one page of toll-free details; see TfDetailPages and
// TfDetailScrollPages for all of them.
func (c *Client) TfDetail(ctx context.Context, req *TfDetailRequest) (*TfDetailResponse, error) {
	return call[TfDetailResponse](ctx, c, OpTfDetail, req)
}

// TfDetailPages walks tfDetail with page/size pagination.
func (c *Client) TfDetailPages(ctx context.Context, req *TfDetailRequest) iter.Seq2[*TfDetailResponse, error] {
	return byPage[TfDetailResponse](ctx, c, OpTfDetail, req, DefaultPageSize, func(p *TfDetailResponse) int { return len(p.TfList.TfItem) })
}

// TfDetailIter yields every toll-free number matching req.
func (c *Client) TfDetailIter(ctx context.Context, req *TfDetailRequest) iter.Seq2[TfDetailItem, error] {
	return items(c.TfDetailPages(ctx, req), func(p *TfDetailResponse) []TfDetailItem { return p.TfList.TfItem })
}

// TfDetailScrollPages walks tfDetail with the searchId scroll at size 10000.
// Each page carries page, totalPages, totalItems and searchId.
func (c *Client) TfDetailScrollPages(ctx context.Context, req *TfDetailRequest) iter.Seq2[*TfDetailResponse, error] {
	return byScroll[TfDetailResponse](ctx, c, OpTfDetail, req, func(p *TfDetailResponse) int { return len(p.TfList.TfItem) })
}

func (r *TfDetailRequest) sortField() **PageSort { return &r.PageSort }

// ---- tfUpdate / tfDisconnect ----

// TfUpdateItem assigns one number a routing label.
type TfUpdateItem struct {
	TN           TN     `json:"tn"`
	RoutingLabel string `json:"routingLabel"`
}

// TfUpdateRequest changes routing of In Service toll-free numbers
// (POST /tfUpdate); tnList sits at the root.
type TfUpdateRequest struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 struct {
		TnItem []TfUpdateItem `json:"tnItem"`
	} `json:"tnList"`
}

func (r *TfUpdateRequest) numberCount() int { return len(r.TnList.TnItem) }

// TfUpdate changes routing labels. Non-idempotent (it makes an order).
func (c *Client) TfUpdate(ctx context.Context, req *TfUpdateRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTfUpdate, req)
}

// TfDisconnectRequest disconnects toll-free numbers (POST /tfDisconnect).
type TfDisconnectRequest struct {
	CustomerOrderReference string    `json:"customerOrderReference,omitempty"`
	TnList                 TnRefList `json:"tnList"`
}

func (r *TfDisconnectRequest) numberCount() int { return len(r.TnList.TnItem) }

// TfDisconnect disconnects toll-free numbers. Non-idempotent.
func (c *Client) TfDisconnect(ctx context.Context, req *TfDisconnectRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTfDisconnect, req)
}

// ---- tfFeatureOrder ----

// TfFeatureOrderItem changes one toll-free number's features.
type TfFeatureOrderItem struct {
	TN        TN        `json:"tn"`
	TnFeature TfFeature `json:"tnFeature"`
}

// TfFeatureOrder is the tfFeatureOrder wrapper object.
type TfFeatureOrder struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 struct {
		TnItem []TfFeatureOrderItem `json:"tnItem"`
	} `json:"tnList"`
}

// TfFeatureOrderRequest adds, updates or removes toll-free features
// (POST /tfFeatureOrder). At most 100 numbers are validated at once.
type TfFeatureOrderRequest struct {
	TfFeatureOrder TfFeatureOrder `json:"tfFeatureOrder"`
}

func (r *TfFeatureOrderRequest) numberCount() int { return len(r.TfFeatureOrder.TnList.TnItem) }

// TfFeatureOrder changes toll-free features. Non-idempotent.
func (c *Client) TfFeatureOrder(ctx context.Context, req *TfFeatureOrderRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTfFeatureOrder, req)
}

// ---- tfFeature listings ----

// TfFeatureListRequest is the request of tfFeatureCNamList and
// tfFeatureMessageList (privateKey only) and of tfFeatureE911List (optional
// tnMask).
type TfFeatureListRequest struct {
	TnMask string `json:"tnMask,omitempty"`
}

// TfFeatureCNamItem is one number with CNAM storage.
type TfFeatureCNamItem struct {
	TN          TN     `json:"tn"`
	CallingName string `json:"callingName,omitempty"`
}

// TfFeatureCNamListResponse lists CNAM numbers (unpaginated); 430 is empty.
type TfFeatureCNamListResponse struct {
	Envelope
	TfFeatureList struct {
		TfFeatureItem []TfFeatureCNamItem `json:"tfFeatureItem"`
	} `json:"tfFeatureList"`
}

// TfFeatureCNamList lists toll-free numbers with CNAM storage.
func (c *Client) TfFeatureCNamList(ctx context.Context, req *TfFeatureListRequest) (*TfFeatureCNamListResponse, error) {
	return call[TfFeatureCNamListResponse](ctx, c, OpTfFeatureCNamList, req)
}

// TfFeatureMessageItem is one messaging-enabled toll-free number.
type TfFeatureMessageItem struct {
	TN           TN         `json:"tn"`
	MessageClass string     `json:"messageClass,omitempty"`
	MessageType  string     `json:"messageType,omitempty"`
	NetNumberID  FlexString `json:"netNumberId,omitempty"`
	AltSpid      FlexString `json:"altSpid,omitempty"`
}

// TfFeatureMessageListResponse lists messaging numbers (unpaginated).
type TfFeatureMessageListResponse struct {
	Envelope
	TfFeatureList struct {
		TfFeatureItem []TfFeatureMessageItem `json:"tfFeatureItem"`
	} `json:"tfFeatureList"`
}

// TfFeatureMessageList lists toll-free numbers with messaging.
func (c *Client) TfFeatureMessageList(ctx context.Context, req *TfFeatureListRequest) (*TfFeatureMessageListResponse, error) {
	return call[TfFeatureMessageListResponse](ctx, c, OpTfFeatureMessageList, req)
}

// TfFeatureE911Item is one toll-free number with E911: the address as sent
// (orig…) and as enhanced (enh…).
type TfFeatureE911Item struct {
	TN             TN         `json:"tn"`
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
}

// TfFeatureE911ListResponse lists E911 numbers (unpaginated).
type TfFeatureE911ListResponse struct {
	Envelope
	TfFeatureList struct {
		TfFeatureItem []TfFeatureE911Item `json:"tfFeatureItem"`
	} `json:"tfFeatureList"`
}

// TfFeatureE911List lists toll-free numbers with E911, optionally by mask.
func (c *Client) TfFeatureE911List(ctx context.Context, req *TfFeatureListRequest) (*TfFeatureE911ListResponse, error) {
	return call[TfFeatureE911ListResponse](ctx, c, OpTfFeatureE911List, req)
}

// ---- call forwarding ----

// ForwardItem sets (ForwardTo) or removes (RemoveForwardTo "Y") one
// number's forwarding.
type ForwardItem struct {
	TN              TN     `json:"tn"`
	ForwardTo       TN     `json:"forwardTo,omitempty"`
	RemoveForwardTo string `json:"removeForwardTo,omitempty"`
}

// ForwardOrder is the tnForward / tfForward wrapper object.
type ForwardOrder struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 struct {
		TnItem []ForwardItem `json:"tnItem"`
	} `json:"tnList"`
}

// TnForwardRequest manages call forwarding of telephone numbers
// (POST /tnForward).
type TnForwardRequest struct {
	TnForward ForwardOrder `json:"tnForward"`
}

func (r *TnForwardRequest) numberCount() int { return len(r.TnForward.TnList.TnItem) }

// TnForward sets or removes forwarding. An invalid number fails the whole
// request (409 "Invalid TN submitted:[…]", 432 "TN is not in service").
func (c *Client) TnForward(ctx context.Context, req *TnForwardRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTnForward, req)
}

// TfForwardRequest manages call forwarding of toll-free numbers
// (POST /tfForward).
type TfForwardRequest struct {
	TfForward ForwardOrder `json:"tfForward"`
}

func (r *TfForwardRequest) numberCount() int { return len(r.TfForward.TnList.TnItem) }

// TfForward sets or removes toll-free forwarding.
func (c *Client) TfForward(ctx context.Context, req *TfForwardRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTfForward, req)
}

// ForwardEntry is one forwarded number.
type ForwardEntry struct {
	TN        TN `json:"tn"`
	ForwardTo TN `json:"forwardTo"`
}

// ForwardListRequest has no fields besides the privateKey.
type ForwardListRequest struct{}

// TnForwardListResponse lists forwarded numbers (unpaginated; the guide's
// example has no status). 430 is empty.
type TnForwardListResponse struct {
	Envelope
	TnForwardList []ForwardEntry `json:"tnForwardList"`
}

// TnForwardList lists forwarded telephone numbers.
func (c *Client) TnForwardList(ctx context.Context, req *ForwardListRequest) (*TnForwardListResponse, error) {
	return call[TnForwardListResponse](ctx, c, OpTnForwardList, req)
}

// TfForwardListResponse lists forwarded toll-free numbers.
type TfForwardListResponse struct {
	Envelope
	TfForwardList []ForwardEntry `json:"tfForwardList"`
}

// TfForwardList lists forwarded toll-free numbers.
func (c *Client) TfForwardList(ctx context.Context, req *ForwardListRequest) (*TfForwardListResponse, error) {
	return call[TfForwardListResponse](ctx, c, OpTfForwardList, req)
}

// ---- cicList ----

// CicItem is one supported CIC.
type CicItem struct {
	RespOrgPrefix string     `json:"respOrgPrefix,omitempty"`
	Cic           FlexString `json:"cic"`
	CompanyName   string     `json:"companyName,omitempty"`
}

// CicListRequest has no fields besides the privateKey.
type CicListRequest struct{}

// CicListResponse lists the CICs toll-free numbers may be loaded on.
type CicListResponse struct {
	Envelope
	CicItemList []CicItem `json:"cicItemList"`
}

// CicList lists supported toll-free CICs.
func (c *Client) CicList(ctx context.Context, req *CicListRequest) (*CicListResponse, error) {
	return call[CicListResponse](ctx, c, OpCicList, req)
}

// ---- orderAddDocument / orderDocument ----

// OrderAddDocumentRequest attaches a document to an order
// (POST /orderAddDocument). FileContent is Base64; there is no mime type.
type OrderAddDocumentRequest struct {
	OrderRef
	DocumentName        string `json:"documentName"`
	DocumentDescription string `json:"documentDescription,omitempty"`
	FileContent         string `json:"fileContent"`
}

// OrderAddDocumentResponse carries the new documentId (statusCode is a JSON
// number in the guide's example).
type OrderAddDocumentResponse struct {
	Envelope
	DocumentID FlexString `json:"documentId,omitempty"`
}

// OrderAddDocument attaches a document. Non-idempotent: a resend attaches a
// second copy.
func (c *Client) OrderAddDocument(ctx context.Context, req *OrderAddDocumentRequest) (*OrderAddDocumentResponse, error) {
	return call[OrderAddDocumentResponse](ctx, c, OpOrderAddDocument, req)
}

// OrderDocumentRequest lists an order's documents (POST /orderDocument).
type OrderDocumentRequest struct {
	OrderRef
}

// OrderDocument is one attached document; the content comes back inline.
type OrderDocument struct {
	DocumentID   FlexString `json:"documentId"`
	DocumentName string     `json:"documentName,omitempty"`
	FileContent  string     `json:"fileContent,omitempty"`
	Description  string     `json:"description,omitempty"`
	MimeType     string     `json:"mimeType,omitempty"`
}

// OrderDocumentResponse lists documents; 430 is empty.
type OrderDocumentResponse struct {
	Envelope
	OrderDocumentList struct {
		OrderDocument []OrderDocument `json:"orderDocument"`
	} `json:"orderDocumentList"`
}

// OrderDocument lists the documents attached to an order.
func (c *Client) OrderDocument(ctx context.Context, req *OrderDocumentRequest) (*OrderDocumentResponse, error) {
	return call[OrderDocumentResponse](ctx, c, OpOrderDocument, req)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
