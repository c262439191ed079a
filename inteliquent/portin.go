package inteliquent

import (
	"context"
	"iter"
	"strings"
)

// This file holds the port-in operations of the guide's section "Port In"
// (portInAvailability … tnCsrLookup) and orderUpdate, the correction path for
// port-in numbers in jeopardy (guide: Port-In Status, "Use the orderUpdate
// endpoint to make corrections").

// Port-in operation names.
const (
	OpPortInAvailability             = "portInAvailability"
	OpPortInOrder                    = "portInOrder"
	OpPortInOrderAvailableActivation = "portInOrderAvailableActivation"
	OpPortInOrderActivate            = "portInOrderActivate"
	OpPortInOrderTnList              = "portInOrderTnList"
	OpPortInOrderList                = "portInOrderList"
	OpTnCsrLookup                    = "tnCsrLookup"
	OpOrderUpdate                    = "orderUpdate"
)

// Per-number port-in statuses as orderDetail reports them (guide: Port-In
// Status). Any other tnStatus on a port-in order is a rejection reason: the
// number is in jeopardy.
const (
	PortStatusPending     = "Pending"
	PortStatusReceivedFOC = "Received FOC"
	PortStatusActivated   = "Activated"
	PortStatusComplete    = "Complete"
	PortStatusCanceled    = "Canceled"
)

// PortRejectReasons are the guide's possible port-in rejections, verbatim.
var PortRejectReasons = []string{
	"Address remaining services on account", "Auth name mismatch", "All data mismatch",
	"Invalid end user name", "Invalid account number", "Invalid address", "Invalid BTN",
	"Invalid zip code", "Need LOA (dated within 30 days)", "Local Service Freeze on account",
	"New BTN needed for partial port", "No ICA with Carrier", "PIN required/invalid",
	"TN inactive/disconnected", "TN not portable", "TN on a pending request",
	"TNs belong on different accounts", "Other Reject – Please see notes",
}

// FlexBool is a boolean the API may send as true, "true", "Y" or "1".
type FlexBool bool

// UnmarshalJSON accepts booleans and Y/N/true/false/1/0 strings; null is false.
func (f *FlexBool) UnmarshalJSON(b []byte) error {
	s, err := scalarText(b)
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "y", "yes", "1":
		*f = true
	default:
		*f = false
	}
	return nil
}

// ---- portInAvailability ----

// PortInAvailabilityRequest checks portability (POST /portInAvailability);
// tnList sits at the root. Wireless and SearchOnNetOnly take Y or N.
type PortInAvailabilityRequest struct {
	ReturnServiceProviderName bool      `json:"returnServiceProviderName,omitempty"`
	SearchOnNetOnly           string    `json:"searchOnNetOnly,omitempty"`
	Wireless                  string    `json:"wireless,omitempty"`
	TnList                    TnRefList `json:"tnList"`
}

func (r *PortInAvailabilityRequest) numberCount() int { return len(r.TnList.TnItem) }

// ServiceAvailable is one number's portability. The guide's example answers
// for another number than the one asked, so callers match by TelephoneNumber.
type ServiceAvailable struct {
	TelephoneNumber     TN         `json:"telephoneNumber"`
	IsPortable          FlexBool   `json:"isPortable"`
	ServiceProviderName string     `json:"serviceProviderName,omitempty"`
	LocalRoutingNumber  TN         `json:"localRoutingNumber,omitempty"`
	RateCenterTier      FlexString `json:"rateCenterTier,omitempty"`
	NotPortableReason   string     `json:"notPortableReason,omitempty"`
}

// PortInAvailabilityResponse lists portability per number. 414 "Wireless not
// allowed for Customer" is an *APIError.
type PortInAvailabilityResponse struct {
	Envelope
	ServiceAvailable []ServiceAvailable `json:"serviceAvailable"`
}

// PortInAvailability checks whether numbers can be ported in. Read-only.
func (c *Client) PortInAvailability(ctx context.Context, req *PortInAvailabilityRequest) (*PortInAvailabilityResponse, error) {
	return call[PortInAvailabilityResponse](ctx, c, OpPortInAvailability, req)
}

// ---- portInOrder ----

// PortInOrderItem is one number to port in. accountNum, atn, authName,
// authDate and endUser are required by the guide.
type PortInOrderItem struct {
	TN         TN         `json:"tn"`
	TrunkGroup string     `json:"trunkGroup,omitempty"`
	PortOutPin string     `json:"portOutPin,omitempty"`
	TnNote     string     `json:"tnNote,omitempty"`
	AccountNum string     `json:"accountNum,omitempty"`
	Atn        TN         `json:"atn,omitempty"`
	AccountPin string     `json:"accountPin,omitempty"`
	AuthName   string     `json:"authName,omitempty"`
	AuthDate   string     `json:"authDate,omitempty"`
	EndUser    *EndUser   `json:"endUser,omitempty"`
	TnFeature  *TnFeature `json:"tnFeature,omitempty"`
}

// PortInOrder is the portInOrder wrapper object.
type PortInOrder struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	ResellerName           string `json:"resellerName,omitempty"`
	DesiredDueDate         string `json:"desiredDueDate"`
	DesiredPortTime        string `json:"desiredPortTime,omitempty"`
	DesiredPortTimeZone    string `json:"desiredPortTimeZone,omitempty"`
	OnDemandActivation     string `json:"onDemandActivation,omitempty"`
	OnNetOnly              string `json:"onNetOnly,omitempty"`
	TnList                 struct {
		TnItem []PortInOrderItem `json:"tnItem"`
	} `json:"tnList"`
}

// PortInOrderRequest orders a port-in (POST /portInOrder). Every port-in is
// validated in the background: the answer is a shell orderId; exclusions
// appear later in excludedTnList.
type PortInOrderRequest struct {
	PortInOrder PortInOrder `json:"portInOrder"`
}

func (r *PortInOrderRequest) numberCount() int { return len(r.PortInOrder.TnList.TnItem) }

// PortInOrder places a port-in order. Non-idempotent: a dropped connection
// returns an error for which IsAmbiguous is true.
func (c *Client) PortInOrder(ctx context.Context, req *PortInOrderRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpPortInOrder, req)
}

// ---- portInOrderAvailableActivation ----

// PortInOrderAvailableActivationRequest lists the groups of an order that may
// be activated now (FOC date today or earlier, numbers in routing).
type PortInOrderAvailableActivationRequest struct {
	OrderRef
}

// ActivationGroup is one group of numbers ready for activation.
type ActivationGroup struct {
	TnGroup string    `json:"tnGroup"`
	FocDt   string    `json:"focDt,omitempty"`
	TnList  TnRefList `json:"tnList"`
}

// PortInOrderAvailableActivationResponse lists the groups; 430 is empty.
type PortInOrderAvailableActivationResponse struct {
	Envelope
	AvailableActivationList []ActivationGroup `json:"availableActivationList"`
}

// PortInOrderAvailableActivation lists the groups available for activation.
func (c *Client) PortInOrderAvailableActivation(ctx context.Context, req *PortInOrderAvailableActivationRequest) (*PortInOrderAvailableActivationResponse, error) {
	return call[PortInOrderAvailableActivationResponse](ctx, c, OpPortInOrderAvailableActivation, req)
}

// ---- portInOrderActivate ----

// PortInOrderActivateRequest activates groups of an on-demand port-in order.
type PortInOrderActivateRequest struct {
	OrderRef
	TnGroup []string `json:"tnGroup"`
}

func (r *PortInOrderActivateRequest) numberCount() int { return len(r.TnGroup) }

// PortInOrderActivateResponse carries the per-group result in Status; see
// Activation.
type PortInOrderActivateResponse struct {
	Envelope
}

// Activation parses Status into per-group results.
func (r *PortInOrderActivateResponse) Activation() ActivationStatus {
	return ParseActivationStatus(r.Status)
}

// PortInOrderActivate triggers the port of the given groups. Not idempotent
// at the API (a second call answers "TN group not available"), so the client
// does not resend it after an ambiguous failure.
func (c *Client) PortInOrderActivate(ctx context.Context, req *PortInOrderActivateRequest) (*PortInOrderActivateResponse, error) {
	return call[PortInOrderActivateResponse](ctx, c, OpPortInOrderActivate, req)
}

// ---- portInOrderTnList ----

// PortInOrderTnListRequest has no fields besides the privateKey.
type PortInOrderTnListRequest struct{}

// PortInTnRow is one number on a pending port-in order.
type PortInTnRow struct {
	OrderID                OrderID `json:"orderId"`
	CustomerOrderReference string  `json:"customerOrderReference,omitempty"`
	OrderStatus            string  `json:"orderStatus,omitempty"`
	DesiredDueDate         string  `json:"desiredDueDate,omitempty"`
	CreatedDate            string  `json:"createdDate,omitempty"`
	CreatedUser            string  `json:"createdUser,omitempty"`
	RejectReasonName       string  `json:"rejectReasonName,omitempty"`
	TN                     TN      `json:"tn"`
	ProcessName            string  `json:"processName,omitempty"`
	TnStatus               string  `json:"tnStatus,omitempty"`
}

// PortInOrderTnListResponse lists every number on pending port-in orders
// (unpaginated); 430 is empty.
type PortInOrderTnListResponse struct {
	Envelope
	OrderList struct {
		OrderType []PortInTnRow `json:"orderType"`
	} `json:"orderList"`
}

// PortInOrderTnList lists the numbers of all pending port-in orders.
func (c *Client) PortInOrderTnList(ctx context.Context, req *PortInOrderTnListRequest) (*PortInOrderTnListResponse, error) {
	return call[PortInOrderTnListResponse](ctx, c, OpPortInOrderTnList, req)
}

// ---- portInOrderList ----

// PortInOrderListRequest lists port-in orders with per-status quantities.
type PortInOrderListRequest struct {
	OrderID                OrderID   `json:"orderId,omitempty"`
	CustomerOrderReference string    `json:"customerOrderReference,omitempty"`
	OrderStatus            string    `json:"orderStatus,omitempty"`
	CreatedDateStartRange  string    `json:"createdDateStartRange,omitempty"`
	CreatedDateEndRange    string    `json:"createdDateEndRange,omitempty"`
	TN                     TN        `json:"tn,omitempty"`
	PageSort               *PageSort `json:"pageSort,omitempty"`
}

// FocItem is one port date's quantities on a port-in order.
type FocItem struct {
	PortDate            string  `json:"portDate,omitempty"`
	TnQuantity          FlexInt `json:"tnQuantity"`
	FocTnQuantity       FlexInt `json:"focTnQuantity"`
	RejectedTnQuantity  FlexInt `json:"rejectedTnQuantity"`
	ActivatedTnQuantity FlexInt `json:"activatedTnQuantity"`
}

// RejectReasonItem counts the numbers rejected for one reason.
type RejectReasonItem struct {
	RejectReason       string  `json:"rejectReason"`
	RejectedTnQuantity FlexInt `json:"rejectedTnQuantity"`
}

// PortInOrderSummary is one portInOrderList.orderType entry.
type PortInOrderSummary struct {
	OrderID                OrderID `json:"orderId"`
	OrderStatus            string  `json:"orderStatus,omitempty"`
	CustomerOrderReference string  `json:"customerOrderReference,omitempty"`
	DesiredDueDate         string  `json:"desiredDueDate,omitempty"`
	TnQuantity             FlexInt `json:"tnQuantity"`
	CreatedDate            string  `json:"createdDate,omitempty"`
	CreatedUser            string  `json:"createdUser,omitempty"`
	FocTnQuantity          FlexInt `json:"focTnQuantity"`
	RejectedTnQuantity     FlexInt `json:"rejectedTnQuantity"`
	ActivatedTnQuantity    FlexInt `json:"activatedTnQuantity"`
	FocList                struct {
		FocItem []FocItem `json:"focItem"`
	} `json:"focList"`
	RejectReasonList struct {
		RejectReasonItem []RejectReasonItem `json:"rejectReasonItem"`
	} `json:"rejectReasonList"`
}

// PortInOrderListResponse is one page of port-in orders; 430 is empty.
type PortInOrderListResponse struct {
	Envelope
	OrderList struct {
		OrderType []PortInOrderSummary `json:"orderType"`
	} `json:"orderList"`
	PageInfo
}

// PortInOrderList returns one page of port-in orders.
func (c *Client) PortInOrderList(ctx context.Context, req *PortInOrderListRequest) (*PortInOrderListResponse, error) {
	return call[PortInOrderListResponse](ctx, c, OpPortInOrderList, req)
}

// PortInOrderListIter yields every port-in order matching req, walking
// page/size pagination. req is not modified.
func (c *Client) PortInOrderListIter(ctx context.Context, req *PortInOrderListRequest) iter.Seq2[PortInOrderSummary, error] {
	pages := byPage[PortInOrderListResponse](ctx, c, OpPortInOrderList, req, DefaultPageSize, func(p *PortInOrderListResponse) int { return len(p.OrderList.OrderType) })
	return items(pages, func(p *PortInOrderListResponse) []PortInOrderSummary { return p.OrderList.OrderType })
}

// ---- tnCsrLookup ----

// TnCsrLookupRequest asks the losing carrier for a number's customer service
// record (POST /tnCsrLookup; flat body). tn is required when accountNum is
// given.
type TnCsrLookupRequest struct {
	TN           TN     `json:"tn,omitempty"`
	AccountNum   string `json:"accountNum,omitempty"`
	Atn          TN     `json:"atn,omitempty"`
	AddressLine1 string `json:"addressLine1,omitempty"`
	City         string `json:"city,omitempty"`
	State        string `json:"state,omitempty"`
	ZipCode      string `json:"zipCode,omitempty"`
	AuthName     string `json:"authName,omitempty"`
	Pin          string `json:"pin,omitempty"`
	Password     string `json:"password,omitempty"`
	CustCode     string `json:"custCode,omitempty"`
}

// CsrLookup is tnCsrLookupResponse. The guide's first example swaps the types
// of csrLookupMsg and csrLookupResult ("csrLookupMsg": 0, "csrLookupResult":
// "Success"); both are FlexString, and OK and Message read either layout.
type CsrLookup struct {
	TN                    TN          `json:"tn"`
	AccountNum            FlexString  `json:"accountNum,omitempty"`
	Atn                   TN          `json:"atn,omitempty"`
	EndUser               string      `json:"endUser,omitempty"`
	EndUserAddress        string      `json:"endUserAddress,omitempty"`
	StreetNum             FlexString  `json:"streetNum,omitempty"`
	StreetPreDir          string      `json:"streetPreDir,omitempty"`
	StreetName            string      `json:"streetName,omitempty"`
	StreetType            string      `json:"streetType,omitempty"`
	StreetPostDir         string      `json:"streetPostDir,omitempty"`
	LocationType1         string      `json:"locationType1,omitempty"`
	LocationValue1        FlexString  `json:"locationValue1,omitempty"`
	LocationType2         string      `json:"locationType2,omitempty"`
	LocationValue2        FlexString  `json:"locationValue2,omitempty"`
	LocationType3         string      `json:"locationType3,omitempty"`
	LocationValue3        FlexString  `json:"locationValue3,omitempty"`
	City                  string      `json:"city,omitempty"`
	State                 string      `json:"state,omitempty"`
	PostalCode            FlexString  `json:"postalCode,omitempty"`
	TypeOfService         string      `json:"typeOfService,omitempty"`
	ServiceProvider       string      `json:"serviceProvider,omitempty"`
	Ocn                   FlexString  `json:"ocn,omitempty"`
	NumOfServiceLocations FlexInt     `json:"numOfServiceLocations"`
	NumOfTnLines          FlexInt     `json:"numOfTnLines"`
	AuthName              string      `json:"authName,omitempty"`
	AuthDate              string      `json:"authDate,omitempty"`
	EarliestScheduledDate string      `json:"earliestScheduledDate,omitempty"`
	Remarks               string      `json:"remarks,omitempty"`
	LsrRequirements       string      `json:"lsrRequirements,omitempty"`
	SimplePort            string      `json:"simplePort,omitempty"`
	CsrLookupMsg          FlexString  `json:"csrLookupMsg,omitempty"`
	CsrLookupResult       FlexString  `json:"csrLookupResult,omitempty"`
	TnGroup               []TnItemRef `json:"tnGroup,omitempty"`
}

// OK reports a successful lookup: result 0 (or "Success" in either field)
// and no "Failure" text. A failed lookup still answers statusCode 200.
func (c *CsrLookup) OK() bool {
	msg, res := strings.TrimSpace(string(c.CsrLookupMsg)), strings.TrimSpace(string(c.CsrLookupResult))
	for _, v := range []string{msg, res} {
		if strings.HasPrefix(strings.ToLower(v), "failure") || v == "1" {
			return false
		}
	}
	return res == "0" || strings.EqualFold(res, "success") || strings.EqualFold(msg, "success")
}

// Message returns the lookup's text ("Success", "Failure: Carrier did not
// respond with valid CSR"), whichever field holds it.
func (c *CsrLookup) Message() string {
	msg, res := strings.TrimSpace(string(c.CsrLookupMsg)), strings.TrimSpace(string(c.CsrLookupResult))
	if msg != "" && !isDigits(msg) {
		return msg
	}
	if res != "" && !isDigits(res) {
		return res
	}
	return msg
}

// TnCsrLookupResponse is tnCsrLookup's answer.
type TnCsrLookupResponse struct {
	Envelope
	TnCsrLookupResponse CsrLookup `json:"tnCsrLookupResponse"`
}

// TnCsrLookup reads a number's CSR from the losing carrier. Read-only.
func (c *Client) TnCsrLookup(ctx context.Context, req *TnCsrLookupRequest) (*TnCsrLookupResponse, error) {
	return call[TnCsrLookupResponse](ctx, c, OpTnCsrLookup, req)
}

// ---- orderUpdate ----

// OrderUpdateItem changes one number of a pending order. CancelTn "Y"
// cancels a Pending number.
type OrderUpdateItem struct {
	TN         TN         `json:"tn"`
	TrunkGroup string     `json:"trunkGroup,omitempty"`
	PortOutPin string     `json:"portOutPin,omitempty"`
	TnNote     string     `json:"tnNote,omitempty"`
	AccountNum string     `json:"accountNum,omitempty"`
	Atn        TN         `json:"atn,omitempty"`
	AccountPin string     `json:"accountPin,omitempty"`
	AuthName   string     `json:"authName,omitempty"`
	AuthDate   string     `json:"authDate,omitempty"`
	CancelTn   string     `json:"cancelTn,omitempty"`
	EndUser    *EndUser   `json:"endUser,omitempty"`
	TnFeature  *TnFeature `json:"tnFeature,omitempty"`
}

// OrderUpdateTnList is orderUpdate's tnList.
type OrderUpdateTnList struct {
	TnItem []OrderUpdateItem `json:"tnItem"`
}

// OrderUpdate is the orderUpdate wrapper. desiredPortTime, desiredPortTimeZone
// and onDemandActivation "must be sent together" (the guide's footnote).
type OrderUpdate struct {
	OrderID                OrderID            `json:"orderId,omitempty"`
	CustomerOrderReference string             `json:"customerOrderReference,omitempty"`
	DesiredDueDate         string             `json:"desiredDueDate,omitempty"`
	DesiredPortTime        string             `json:"desiredPortTime,omitempty"`
	DesiredPortTimeZone    string             `json:"desiredPortTimeZone,omitempty"`
	OnDemandActivation     string             `json:"onDemandActivation,omitempty"`
	TnList                 *OrderUpdateTnList `json:"tnList,omitempty"`
}

// OrderUpdateRequest updates a Pending order (POST /orderUpdate).
type OrderUpdateRequest struct {
	OrderUpdate OrderUpdate `json:"orderUpdate"`
}

func (r *OrderUpdateRequest) numberCount() int {
	if r.OrderUpdate.TnList == nil {
		return 0
	}
	return len(r.OrderUpdate.TnList.TnItem)
}

// OrderUpdate corrects a pending order. Setting the same values twice leaves
// the same order, so it is resent after an ambiguous failure. Per-number
// refusals come back in Status with tnOrder's grammar (TNStatus).
func (c *Client) OrderUpdate(ctx context.Context, req *OrderUpdateRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpOrderUpdate, req)
}

// TNStatus parses Status into per-number entries.
func (r *StatusResponse) TNStatus() TNStatus { return ParseTNStatus(r.Status) }

func (r *PortInOrderListRequest) sortField() **PageSort { return &r.PageSort }
