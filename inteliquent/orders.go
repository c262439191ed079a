package inteliquent

import (
	"context"
	"strings"
)

// This file holds the order operations of the guide's section "Order"
// (orderList … orderNote): the follow-up calls after any orderId-producing
// request. Most accept orderId or customerOrderReference.

// OrderRef names an order by orderId or customerOrderReference (one is
// required by every operation that embeds it).
type OrderRef struct {
	OrderID                OrderID `json:"orderId,omitempty"`
	CustomerOrderReference string  `json:"customerOrderReference,omitempty"`
}

// ---- orderList ----

// OrderListRequest lists orders (POST /orderList).
type OrderListRequest struct {
	OrderID                OrderID   `json:"orderId,omitempty"`
	CustomerOrderReference string    `json:"customerOrderReference,omitempty"`
	ProductID              int       `json:"productId,omitempty"`
	ProductIDList          string    `json:"productIdList,omitempty"`
	ServiceOrderReference  string    `json:"serviceOrderReference,omitempty"`
	OrderStatus            string    `json:"orderStatus,omitempty"`
	TN                     TN        `json:"tn,omitempty"`
	CreatedDateStartRange  string    `json:"createdDateStartRange,omitempty"`
	CreatedDateEndRange    string    `json:"createdDateEndRange,omitempty"`
	PageSort               *PageSort `json:"pageSort,omitempty"`
}

// OrderSummary is one orderList.orderType entry.
type OrderSummary struct {
	OrderID                OrderID    `json:"orderId"`
	OrderStatus            string     `json:"orderStatus,omitempty"`
	ProductName            string     `json:"productName,omitempty"`
	CustomerOrderReference string     `json:"customerOrderReference,omitempty"`
	ServiceOrderName       string     `json:"serviceOrderName,omitempty"`
	DesiredDueDate         string     `json:"desiredDueDate,omitempty"`
	DesiredPortTime        string     `json:"desiredPortTime,omitempty"`
	TnQuantity             FlexInt    `json:"tnQuantity"`
	CreatedDate            string     `json:"createdDate,omitempty"`
	CreatedUser            string     `json:"createdUser,omitempty"`
	LastModifiedString     FlexString `json:"lastModifiedString,omitempty"`
}

// OrderListResponse is one page of orders. 430 is an empty page.
type OrderListResponse struct {
	Envelope
	OrderList struct {
		OrderType []OrderSummary `json:"orderType"`
	} `json:"orderList"`
	PageInfo
}

// OrderList returns one page of orders. See OrderListIter for all of them.
func (c *Client) OrderList(ctx context.Context, req *OrderListRequest) (*OrderListResponse, error) {
	return call[OrderListResponse](ctx, c, OpOrderList, req)
}

// ---- orderDetail ----

// OrderDetailRequest reads one order (POST /orderDetail).
type OrderDetailRequest struct {
	OrderRef
}

// OrderNoteEntry is a note on an order.
type OrderNoteEntry struct {
	NoteID     FlexString `json:"noteId,omitempty"`
	Note       string     `json:"note"`
	InsertDate string     `json:"insertDate,omitempty"`
	InsertUser string     `json:"insertUser,omitempty"`
}

// OrderTnItem is one number on an order with its per-number status.
type OrderTnItem struct {
	TN            TN         `json:"tn"`
	TrunkGroup    string     `json:"trunkGroup,omitempty"`
	EndUser       *EndUser   `json:"endUser,omitempty"`
	TnFeature     *TnFeature `json:"tnFeature,omitempty"`
	TnGroup       string     `json:"tnGroup,omitempty"`
	AccountNum    FlexString `json:"accountNum,omitempty"`
	Atn           TN         `json:"atn,omitempty"`
	Lata          FlexString `json:"lata,omitempty"`
	RateCenter    string     `json:"rateCenter,omitempty"`
	Province      string     `json:"province,omitempty"`
	TnStatus      string     `json:"tnStatus,omitempty"`
	AuthName      string     `json:"authName,omitempty"`
	AuthDate      string     `json:"authDate,omitempty"`
	AccountPin    FlexString `json:"accountPin,omitempty"`
	PortOutPin    string     `json:"portOutPin,omitempty"`
	PortDt        string     `json:"portDt,omitempty"`
	PortTime      string     `json:"portTime,omitempty"`
	CnamEnabled   string     `json:"cnamEnabled,omitempty"`
	CnamDip       string     `json:"cnamDip,omitempty"`
	CnamStatus    string     `json:"cnamStatus,omitempty"`
	DlEnabled     string     `json:"dlEnabled,omitempty"`
	DlStatus      string     `json:"dlStatus,omitempty"`
	E911Enabled   string     `json:"e911Enabled,omitempty"`
	E911Status    string     `json:"e911Status,omitempty"`
	MsgEnabled    string     `json:"msgEnabled,omitempty"`
	MsgStatus     string     `json:"msgStatus,omitempty"`
	RoutingLabel  string     `json:"routingLabel,omitempty"`
	RespOrgName   string     `json:"respOrgName,omitempty"`
	RespOrgPrefix string     `json:"respOrgPrefix,omitempty"`
	CicList       *struct {
		Cic []FlexString `json:"cic"`
	} `json:"cicList,omitempty"`
	CicCompanyList *struct {
		CicCompany []FlexString `json:"cicCompany"`
	} `json:"cicCompanyList,omitempty"`
}

// OrderDetail is orderDetailResponse.
type OrderDetail struct {
	TnList struct {
		TnItem []OrderTnItem `json:"tnItem"`
	} `json:"tnList"`
	OrderID                OrderID          `json:"orderId"`
	OrderStatus            string           `json:"orderStatus,omitempty"`
	ProductName            string           `json:"productName,omitempty"`
	ServiceOrderName       string           `json:"serviceOrderName,omitempty"`
	CustomerOrderReference string           `json:"customerOrderReference,omitempty"`
	CreatedUser            string           `json:"createdUser,omitempty"`
	CreatedDate            string           `json:"createdDate,omitempty"`
	DesiredDueDate         string           `json:"desiredDueDate,omitempty"`
	DesiredPortTime        string           `json:"desiredPortTime,omitempty"`
	OrderNotes             []OrderNoteEntry `json:"orderNotes,omitempty"`
}

// OrderDetailResponse is orderDetail's answer. The TN list is whole
// (not paginated). 430 ("Order not found") is an *APIError here.
type OrderDetailResponse struct {
	Envelope
	OrderDetailResponse OrderDetail `json:"orderDetailResponse"`
}

// OrderDetail reads one order with per-number status.
func (c *Client) OrderDetail(ctx context.Context, req *OrderDetailRequest) (*OrderDetailResponse, error) {
	return call[OrderDetailResponse](ctx, c, OpOrderDetail, req)
}

// ---- excludedTnList ----

// ExcludedTnListRequest reads an order's excluded numbers; one of orderId,
// customerOrderReference or tn is required (POST /excludedTnList).
type ExcludedTnListRequest struct {
	OrderRef
	TN TN `json:"tn,omitempty"`
}

// ExcludedTnItem is one excluded number.
type ExcludedTnItem struct {
	OrderID                OrderID `json:"orderId,omitempty"`
	CustomerOrderReference string  `json:"customerOrderReference,omitempty"`
	TN                     TN      `json:"tn"`
	ExcludedReason         string  `json:"excludedReason,omitempty"`
	InsertDate             string  `json:"insertDate,omitempty"`
	DisplayName            string  `json:"displayName,omitempty"`
}

// ExcludedTnListResponse lists exclusions; 430 is an empty list.
type ExcludedTnListResponse struct {
	Envelope
	ExcludedTnList struct {
		ExcludedTnItem []ExcludedTnItem `json:"excludedTnItem"`
	} `json:"excludedTnList"`
}

// ExcludedTnList reads an order's excluded numbers.
func (c *Client) ExcludedTnList(ctx context.Context, req *ExcludedTnListRequest) (*ExcludedTnListResponse, error) {
	return call[ExcludedTnListResponse](ctx, c, OpExcludedTnList, req)
}

// ---- excludedFeatureList ----

// ExcludedFeatureListRequest reads an order's excluded features.
type ExcludedFeatureListRequest struct {
	OrderRef
}

// ExcludedFeatureItem is one excluded feature. No field names the feature;
// only excludedReason tells it ("E911 is not supported").
type ExcludedFeatureItem struct {
	TN             TN     `json:"tn"`
	ExcludedReason string `json:"excludedReason,omitempty"`
}

// ExcludedFeatureListResponse lists feature exclusions; 430 is empty.
type ExcludedFeatureListResponse struct {
	Envelope
	ExcludedFeatureList struct {
		ExcludedFeatureItem []ExcludedFeatureItem `json:"excludedFeatureItem"`
	} `json:"excludedFeatureList"`
}

// ExcludedFeatureList reads an order's excluded features.
func (c *Client) ExcludedFeatureList(ctx context.Context, req *ExcludedFeatureListRequest) (*ExcludedFeatureListResponse, error) {
	return call[ExcludedFeatureListResponse](ctx, c, OpExcludedFeatureList, req)
}

// ---- excludedE911Detail ----

// ExcludedE911DetailRequest reads an order's E911 exclusions.
type ExcludedE911DetailRequest struct {
	OrderRef
}

// ExcludedE911Item is one E911 exclusion with the submitted address. The
// guide names the list item excludedFeatureItem and sends tn as a string.
// ExcludedReason is pipe-delimited; see Reasons.
type ExcludedE911Item struct {
	TN                     TN         `json:"tn"`
	Name                   string     `json:"name,omitempty"`
	OrigStreetNum          FlexString `json:"origStreetNum,omitempty"`
	OrigStreetInfo         string     `json:"origStreetInfo,omitempty"`
	OrigLocation           string     `json:"origLocation,omitempty"`
	OrigCity               string     `json:"origCity,omitempty"`
	OrigState              string     `json:"origState,omitempty"`
	OrigPostalCode         FlexString `json:"origPostalCode,omitempty"`
	OrigPostalCodePlusFour FlexString `json:"origPostalCodePlusFour,omitempty"`
	ExcludedReason         string     `json:"excludedReason,omitempty"`
	InsertDate             string     `json:"insertDate,omitempty"`
	DisplayName            string     `json:"displayName,omitempty"`
}

// Reasons splits the pipe-delimited excludedReason.
func (e ExcludedE911Item) Reasons() []string {
	var out []string
	for _, r := range strings.Split(e.ExcludedReason, "|") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// ExcludedE911DetailResponse lists E911 exclusions; 430 is empty.
type ExcludedE911DetailResponse struct {
	Envelope
	ExcludedE911Detail struct {
		ExcludedFeatureItem []ExcludedE911Item `json:"excludedFeatureItem"`
	} `json:"excludedE911Detail"`
}

// ExcludedE911Detail reads an order's E911 exclusions.
func (c *Client) ExcludedE911Detail(ctx context.Context, req *ExcludedE911DetailRequest) (*ExcludedE911DetailResponse, error) {
	return call[ExcludedE911DetailResponse](ctx, c, OpExcludedE911Detail, req)
}

// ---- orderCancel ----

// OrderCancelRequest cancels a Pending order (POST /orderCancel).
type OrderCancelRequest struct {
	OrderRef
}

// OrderCancel cancels an order (it moves to Pending Cancel). Non-idempotent.
func (c *Client) OrderCancel(ctx context.Context, req *OrderCancelRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpOrderCancel, req)
}

// ---- orderAddNote ----

// OrderAddNoteRequest adds a note to an order (POST /orderAddNote).
type OrderAddNoteRequest struct {
	OrderRef
	OrderNote string `json:"orderNote"`
}

// OrderAddNoteResponse carries the new noteId.
type OrderAddNoteResponse struct {
	Envelope
	NoteID FlexString `json:"noteId,omitempty"`
}

// OrderAddNote adds a note. Non-idempotent (a resend adds a second note).
func (c *Client) OrderAddNote(ctx context.Context, req *OrderAddNoteRequest) (*OrderAddNoteResponse, error) {
	return call[OrderAddNoteResponse](ctx, c, OpOrderAddNote, req)
}

// ---- orderNote ----

// OrderNoteRequest reads an order's notes (POST /orderNote).
type OrderNoteRequest struct {
	OrderRef
}

// OrderNoteResponse lists notes; 430 is empty.
type OrderNoteResponse struct {
	Envelope
	OrderNote struct {
		OrderNoteType []OrderNoteEntry `json:"orderNoteType"`
	} `json:"orderNote"`
}

// OrderNote reads an order's notes.
func (c *Client) OrderNote(ctx context.Context, req *OrderNoteRequest) (*OrderNoteResponse, error) {
	return call[OrderNoteResponse](ctx, c, OpOrderNote, req)
}

// ---- healthCheck ----

// HealthCheckResponse is {"status": "UP", "statusCode": "200"}.
type HealthCheckResponse struct {
	Envelope
}

// Up reports whether the service said "UP".
func (r *HealthCheckResponse) Up() bool { return r != nil && r.Status == "UP" }

// HealthCheckRequest has no fields: healthCheck is a GET without a body.
type HealthCheckRequest struct{}

// HealthCheck calls GET /healthCheck on the HealthChecker service that goes
// with the configured base URL (see HealthCheckURL). No privateKey is sent;
// req may be nil.
func (c *Client) HealthCheck(ctx context.Context, req *HealthCheckRequest) (*HealthCheckResponse, error) {
	return call[HealthCheckResponse](ctx, c, OpHealthCheck, nil)
}
