package inteliquent

import (
	"context"
	"iter"
)

// International Voice Services: the lookups (intlCountryList,
// intlAreaCodeInfo, intlNumberTypes, intlRoutingOptionList). The guide's
// heading spells int1NumberTypes; its example's intlNumberTypes is sent.
const (
	OpIntlCountryList       = "intlCountryList"
	OpIntlAreaCodeInfo      = "intlAreaCodeInfo"
	OpIntlNumberTypes       = "intlNumberTypes"
	OpIntlRoutingOptionList = "intlRoutingOptionList"
)

// IntlCountry is one countryList entry.
type IntlCountry struct {
	CountryName string     `json:"countryName"`
	CountryRef  string     `json:"countryRef"`  // ISO3, e.g. FRA
	CountryCode FlexString `json:"countryCode"` // phone access code, e.g. 33
}

// IntlCountryListResponse lists the supported countries.
type IntlCountryListResponse struct {
	Envelope
	CountryList []IntlCountry `json:"countryList"`
}

// IntlCountryList lists the countries international numbers are offered in.
func (c *Client) IntlCountryList(ctx context.Context) (*IntlCountryListResponse, error) {
	return call[IntlCountryListResponse](ctx, c, OpIntlCountryList, nil)
}

// IntlCountryRequest names one country (intlAreaCodeInfo, intlNumberTypes,
// intlRoutingOptionList).
type IntlCountryRequest struct {
	CountryRef string `json:"countryRef"`
}

// IntlAreaCode is one areaCodeList entry.
type IntlAreaCode struct {
	CountryRef string     `json:"countryRef"`
	AreaCode   FlexString `json:"areaCode"`
	City       string     `json:"city"`
	Prefix     FlexString `json:"prefix"`
}

// IntlAreaCodeInfoResponse lists a country's area codes.
type IntlAreaCodeInfoResponse struct {
	Envelope
	AreaCodeList []IntlAreaCode `json:"areaCodeList"`
}

// IntlAreaCodeInfo lists a country's supported area codes.
func (c *Client) IntlAreaCodeInfo(ctx context.Context, req *IntlCountryRequest) (*IntlAreaCodeInfoResponse, error) {
	return call[IntlAreaCodeInfoResponse](ctx, c, OpIntlAreaCodeInfo, req)
}

// IntlNumberType is one numberTypeList entry ("Inbound DID", "INBDID").
type IntlNumberType struct {
	NumberType    string `json:"numberType"`
	NumberTypeRef string `json:"numberTypeRef"`
}

// IntlNumberTypesResponse lists a country's number types.
type IntlNumberTypesResponse struct {
	Envelope
	NumberTypeList []IntlNumberType `json:"numberTypeList"`
}

// IntlNumberTypes lists a country's number types.
func (c *Client) IntlNumberTypes(ctx context.Context, req *IntlCountryRequest) (*IntlNumberTypesResponse, error) {
	return call[IntlNumberTypesResponse](ctx, c, OpIntlNumberTypes, req)
}

// IntlRoutingOptionListResponse lists a country's routing options.
type IntlRoutingOptionListResponse struct {
	Envelope
	IntlRoutingOptionList []struct {
		RoutingOption string `json:"routingOption"`
	} `json:"intlRoutingOptionList"`
}

// IntlRoutingOptionList lists the routing options of a country.
func (c *Client) IntlRoutingOptionList(ctx context.Context, req *IntlCountryRequest) (*IntlRoutingOptionListResponse, error) {
	return call[IntlRoutingOptionListResponse](ctx, c, OpIntlRoutingOptionList, req)
}

// ---- international numbers and orders ----
//
// The guide's headings spell int1TnDetail, int1OrderDetail,
// int1OrderDocumentDownload and intlInRequest; the client sends the
// examples' intlTnDetail, intlOrderDetail, intlOrderDocumentDownload and
// intlTnRequest (docs/api-quirks.md). Several intl answers carry
// statusCode as a JSON number; Envelope reads both.

const (
	OpIntlTnReserve             = "intlTnReserve"
	OpIntlTnOrder               = "intlTnOrder"
	OpIntlPortInOrder           = "intlPortInOrder"
	OpIntlTnDisconnect          = "intlTnDisconnect"
	OpIntlTnUpdate              = "intlTnUpdate"
	OpIntlTnRoutingUpdate       = "intlTnRoutingUpdate"
	OpIntlTnEndUser             = "intlTnEndUser"
	OpIntlTnNoteUpdate          = "intlTnNoteUpdate"
	OpIntlTnAddNote             = "intlTnAddNote"
	OpIntlOrderAddNote          = "intlOrderAddNote"
	OpIntlOrderAddContactNote   = "intlOrderAddContactNote"
	OpIntlOrderAddDocument      = "intlOrderAddDocument"
	OpIntlTnAddDocument         = "intlTnAddDocument"
	OpIntlOrderCancel           = "intlOrderCancel"
	OpIntlTnRequest             = "intlTnRequest"
	OpIntlOrderList             = "intlOrderList"
	OpIntlPortInOrderList       = "intlPortInOrderList"
	OpIntlOrderDetail           = "intlOrderDetail"
	OpIntlTnDetail              = "intlTnDetail"
	OpIntlExcludedTnList        = "intlExcludedTnList"
	OpIntlTnInventory           = "intlTnInventory"
	OpIntlTnReservedList        = "intlTnReservedList"
	OpIntlOrderDocument         = "intlOrderDocument"
	OpIntlOrderDocumentDownload = "intlOrderDocumentDownload"
	OpIntlTnDocumentDownload    = "intlTnDocumentDownload"
)

// IntlEndUser is one endUserData entry ("Company name" = "Eiffel Tower").
type IntlEndUser struct {
	Label     string `json:"label"`
	Value     string `json:"value,omitempty"`
	Mandatory bool   `json:"mandatory"`
}

// IntlDocument is a document sent (fileContent Base64) or listed
// (documentId).
type IntlDocument struct {
	ConditionName string     `json:"conditionName,omitempty"`
	FileName      string     `json:"fileName,omitempty"`
	MimeType      string     `json:"mimeType,omitempty"`
	FileContent   string     `json:"fileContent,omitempty"`
	DocumentID    FlexString `json:"documentId,omitempty"`
}

// IntlTnItem is one number of an intl tnList; which fields an operation
// takes is in its section of the guide.
type IntlTnItem struct {
	TN            TN             `json:"tn"`
	CountryRef    string         `json:"countryRef,omitempty"`
	NumberType    string         `json:"numberType,omitempty"`
	RoutingOption string         `json:"routingOption,omitempty"`
	TnNote        string         `json:"tnNote,omitempty"`
	EndUserData   []IntlEndUser  `json:"endUserData,omitempty"`
	Documents     []IntlDocument `json:"documents,omitempty"`
}

// IntlTnList is {"tnItem": [...]} (the examples' name; intlTnOrder's
// table says intlTnItem).
type IntlTnList struct {
	TnItem []IntlTnItem `json:"tnItem"`
}

func (l IntlTnList) numberCount() int { return len(l.TnItem) }

// IntlTnReserveRequest reserves numbers for 30 minutes.
type IntlTnReserveRequest struct {
	TnReserve struct {
		TnList IntlTnList `json:"tnList"`
	} `json:"tnReserve"`
}

func (r *IntlTnReserveRequest) numberCount() int { return r.TnReserve.TnList.numberCount() }

// IntlTnReserveResponse counts the reserved numbers and lists the others
// (the example's totalTnCount/reservedTnCount, not the table's
// totalITnCount).
type IntlTnReserveResponse struct {
	Envelope
	IntlTnReserveResponse struct {
		TotalTnCount    FlexInt     `json:"totalTnCount"`
		ReservedTnCount FlexInt     `json:"reservedTnCount"`
		ExcludedTnList  []TnItemRef `json:"excludedTnList"`
	} `json:"intlTnReserveResponse"`
}

// IntlTnReserve reserves numbers. Not idempotent.
func (c *Client) IntlTnReserve(ctx context.Context, req *IntlTnReserveRequest) (*IntlTnReserveResponse, error) {
	return call[IntlTnReserveResponse](ctx, c, OpIntlTnReserve, req)
}

// IntlExcludedTnItem is one excluded number (intlTnOrder's answer and
// intlExcludedTnList).
type IntlExcludedTnItem struct {
	OrderID                OrderID    `json:"orderId,omitempty"`
	CustomerOrderReference FlexString `json:"customerOrderReference,omitempty"`
	TN                     TN         `json:"tn"`
	CountryCode            FlexString `json:"countryCode,omitempty"`
	CountryRef             string     `json:"countryRef,omitempty"`
	ExcludedReason         string     `json:"excludedReason,omitempty"`
	InsertDate             string     `json:"insertDate,omitempty"`
	DisplayName            string     `json:"displayName,omitempty"`
}

// IntlTnOrderRequest orders numbers.
type IntlTnOrderRequest struct {
	TnOrder struct {
		CustomerOrderReference string     `json:"customerOrderReference,omitempty"`
		TnList                 IntlTnList `json:"tnList"`
	} `json:"tnOrder"`
}

func (r *IntlTnOrderRequest) numberCount() int { return r.TnOrder.TnList.numberCount() }

// IntlOrderedTn is one ordered number of intlTnOrder's answer (the fields
// iqbulk reads; the guide lists many more).
type IntlOrderedTn struct {
	TN          TN         `json:"tn"`
	CountryCode FlexString `json:"countryCode,omitempty"`
	NumberType  string     `json:"numberType,omitempty"`
	Prefix      FlexString `json:"prefix,omitempty"`
	Reference   FlexString `json:"reference,omitempty"`
}

// IntlTnOrderResponse is the order, its synchronous exclusions and its
// numbers.
type IntlTnOrderResponse struct {
	Envelope
	OrderID        OrderID `json:"orderId,omitempty"`
	ExcludedTnList struct {
		ExcludedTnItem []IntlExcludedTnItem `json:"excludedTnItem"`
	} `json:"excludedTnList"`
	TnList struct {
		TnItem []IntlOrderedTn `json:"tnItem"`
	} `json:"tnList"`
}

// IntlTnOrder orders numbers. Not idempotent.
func (c *Client) IntlTnOrder(ctx context.Context, req *IntlTnOrderRequest) (*IntlTnOrderResponse, error) {
	return call[IntlTnOrderResponse](ctx, c, OpIntlTnOrder, req)
}

// IntlPortInOrderRequest ports numbers in.
type IntlPortInOrderRequest struct {
	PortInOrder struct {
		CustomerOrderReference string     `json:"customerOrderReference,omitempty"`
		DesiredDueDate         string     `json:"desiredDueDate"`
		TnList                 IntlTnList `json:"tnList"`
	} `json:"portInOrder"`
}

func (r *IntlPortInOrderRequest) numberCount() int { return r.PortInOrder.TnList.numberCount() }

// IntlPortInOrder places a port-in order. Not idempotent.
func (c *Client) IntlPortInOrder(ctx context.Context, req *IntlPortInOrderRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpIntlPortInOrder, req)
}

// IntlListRequest is the shape of intlTnDisconnect, intlTnUpdate,
// intlTnRoutingUpdate, intlTnEndUser and intlTnAddDocument: an order (by
// id or reference, where the operation takes one) and a tnList.
type IntlListRequest struct {
	OrderID                OrderID    `json:"orderId,omitempty"`
	CustomerOrderReference string     `json:"customerOrderReference,omitempty"`
	TnList                 IntlTnList `json:"tnList"`
}

func (r *IntlListRequest) numberCount() int { return r.TnList.numberCount() }

// IntlTnDisconnect disconnects In Service numbers. Not idempotent. The
// table's answer has an orderId, the example's none.
func (c *Client) IntlTnDisconnect(ctx context.Context, req *IntlListRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpIntlTnDisconnect, req)
}

// IntlTnUpdate sets the routing of In Service numbers. Idempotent.
func (c *Client) IntlTnUpdate(ctx context.Context, req *IntlListRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpIntlTnUpdate, req)
}

// IntlTnRoutingUpdate sets the routing of numbers on an order, before they
// are In Service. Idempotent.
func (c *Client) IntlTnRoutingUpdate(ctx context.Context, req *IntlListRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpIntlTnRoutingUpdate, req)
}

// IntlTnEndUser sets the end user details of numbers on an order.
// Idempotent.
func (c *Client) IntlTnEndUser(ctx context.Context, req *IntlListRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpIntlTnEndUser, req)
}

// IntlTnAddDocumentResponse lists the documents added, per number.
type IntlTnAddDocumentResponse struct {
	Envelope
	IntlTnDocumentResponse struct {
		TnList struct {
			TnItem []struct {
				TN        TN             `json:"tn"`
				Documents []IntlDocument `json:"documents"`
			} `json:"tnItem"`
		} `json:"tnList"`
	} `json:"intlTnDocumentResponse"`
}

// IntlTnAddDocument adds documents to numbers of an order. Not idempotent
// (a resend adds second copies).
func (c *Client) IntlTnAddDocument(ctx context.Context, req *IntlListRequest) (*IntlTnAddDocumentResponse, error) {
	return call[IntlTnAddDocumentResponse](ctx, c, OpIntlTnAddDocument, req)
}

// IntlTnNoteRequest is intlTnNoteUpdate (In Service numbers) and
// intlTnAddNote (numbers of orderId).
type IntlTnNoteRequest struct {
	OrderID OrderID `json:"orderId,omitempty"`
	TnNote  struct {
		TnList IntlTnList `json:"tnList"`
	} `json:"tnNote"`
}

func (r *IntlTnNoteRequest) numberCount() int { return r.TnNote.TnList.numberCount() }

// IntlTnNoteUpdate sets the notes of In Service numbers. Idempotent.
func (c *Client) IntlTnNoteUpdate(ctx context.Context, req *IntlTnNoteRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpIntlTnNoteUpdate, req)
}

// IntlTnAddNote sets the notes of numbers on an order. Idempotent.
func (c *Client) IntlTnAddNote(ctx context.Context, req *IntlTnNoteRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpIntlTnAddNote, req)
}

// IntlOrderNoteRequest adds an order note (intlOrderAddNote,
// intlOrderAddContactNote: orderId only).
type IntlOrderNoteRequest struct {
	OrderRef
	OrderNote string `json:"orderNote"`
}

// IntlOrderAddNote adds an order note. Not idempotent.
func (c *Client) IntlOrderAddNote(ctx context.Context, req *IntlOrderNoteRequest) (*OrderAddNoteResponse, error) {
	return call[OrderAddNoteResponse](ctx, c, OpIntlOrderAddNote, req)
}

// IntlOrderAddContactNote adds the order's contact as a note. Not
// idempotent.
func (c *Client) IntlOrderAddContactNote(ctx context.Context, req *IntlOrderNoteRequest) (*OrderAddNoteResponse, error) {
	return call[OrderAddNoteResponse](ctx, c, OpIntlOrderAddContactNote, req)
}

// IntlOrderAddDocumentRequest attaches a document to an order.
type IntlOrderAddDocumentRequest struct {
	OrderRef
	Document IntlDocument `json:"document"`
}

// IntlOrderAddDocument attaches a document to an order. Not idempotent.
func (c *Client) IntlOrderAddDocument(ctx context.Context, req *IntlOrderAddDocumentRequest) (*OrderAddDocumentResponse, error) {
	return call[OrderAddDocumentResponse](ctx, c, OpIntlOrderAddDocument, req)
}

// IntlOrderCancel asks to cancel a Pending order. Not idempotent.
func (c *Client) IntlOrderCancel(ctx context.Context, req *OrderRef) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpIntlOrderCancel, req)
}

// IntlTnRequestRequest asks for quantity numbers of a country.
type IntlTnRequestRequest struct {
	CountryRef             string `json:"countryRef"`
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	Quantity               int    `json:"quantity"`
	RoutingOption          string `json:"routingOption,omitempty"`
	DesiredDueDate         string `json:"desiredDueDate,omitempty"`
}

// IntlTnRequest requests numbers by quantity; the answer has no orderId
// (find the order with intlOrderList by customerOrderReference). Not
// idempotent.
func (c *Client) IntlTnRequest(ctx context.Context, req *IntlTnRequestRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpIntlTnRequest, req)
}

// IntlOrderListRequest lists orders (intlOrderList, intlPortInOrderList).
type IntlOrderListRequest struct {
	OrderID                OrderID   `json:"orderId,omitempty"`
	CustomerOrderReference string    `json:"customerOrderReference,omitempty"`
	ServiceOrderReference  string    `json:"serviceOrderReference,omitempty"`
	OrderStatus            string    `json:"orderStatus,omitempty"`
	CountryRef             string    `json:"countryRef,omitempty"`
	TN                     TN        `json:"tn,omitempty"`
	CreatedDateStartRange  string    `json:"createdDateStartRange,omitempty"`
	CreatedDateEndRange    string    `json:"createdDateEndRange,omitempty"`
	PageSort               *PageSort `json:"pageSort,omitempty"`
}

// IntlOrderSummary is one orderList.orderType entry.
type IntlOrderSummary struct {
	OrderID                OrderID    `json:"orderId"`
	OrderStatus            string     `json:"orderStatus,omitempty"`
	CustomerOrderReference FlexString `json:"customerOrderReference,omitempty"`
	ServiceOrderName       string     `json:"serviceOrderName,omitempty"`
	DesiredDueDate         string     `json:"desiredDueDate,omitempty"`
	FocDate                string     `json:"focDate,omitempty"`
	TnQuantity             FlexInt    `json:"tnQuantity"`
	CreatedDate            string     `json:"createdDate,omitempty"`
	CreatedUser            string     `json:"createdUser,omitempty"`
}

// IntlOrderListResponse is one page of orders; 430 is an empty page.
type IntlOrderListResponse struct {
	Envelope
	OrderList struct {
		OrderType []IntlOrderSummary `json:"orderType"`
	} `json:"orderList"`
	PageInfo
}

// IntlOrderList returns one page of international orders.
func (c *Client) IntlOrderList(ctx context.Context, req *IntlOrderListRequest) (*IntlOrderListResponse, error) {
	return call[IntlOrderListResponse](ctx, c, OpIntlOrderList, req)
}

// IntlPortInOrderList returns one page of international port-in orders.
func (c *Client) IntlPortInOrderList(ctx context.Context, req *IntlOrderListRequest) (*IntlOrderListResponse, error) {
	return call[IntlOrderListResponse](ctx, c, OpIntlPortInOrderList, req)
}

func (r *IntlOrderListRequest) sortField() **PageSort { return &r.PageSort }

// IntlOrderListIter yields every international order matching req.
func (c *Client) IntlOrderListIter(ctx context.Context, req *IntlOrderListRequest) iter.Seq2[IntlOrderSummary, error] {
	return items(byPage[IntlOrderListResponse](ctx, c, OpIntlOrderList, req, DefaultPageSize,
		func(p *IntlOrderListResponse) int { return len(p.OrderList.OrderType) }),
		func(p *IntlOrderListResponse) []IntlOrderSummary { return p.OrderList.OrderType })
}

// IntlOrderDetailRequest names an order (orderId required).
type IntlOrderDetailRequest struct {
	OrderID                OrderID `json:"orderId,omitempty"`
	CustomerOrderReference string  `json:"customerOrderReference,omitempty"`
}

// IntlOrderTn is one number of intlOrderDetail.
type IntlOrderTn struct {
	TN            TN            `json:"tn"`
	RoutingOption string        `json:"routingOption,omitempty"`
	Status        string        `json:"status,omitempty"`
	NumberType    string        `json:"numberType,omitempty"`
	EndUserData   []IntlEndUser `json:"endUserData,omitempty"`
	CountryRef    string        `json:"countryRef,omitempty"`
}

// IntlOrderDetailResponse is an order with its numbers and notes.
type IntlOrderDetailResponse struct {
	Envelope
	OrderDetailResponse struct {
		TnList struct {
			TnItem []IntlOrderTn `json:"tnItem"`
		} `json:"tnList"`
		OrderID                OrderID          `json:"orderId"`
		OrderStatus            string           `json:"orderStatus"`
		ProductName            string           `json:"productName,omitempty"`
		ServiceOrderName       string           `json:"serviceOrderName,omitempty"`
		CustomerOrderReference FlexString       `json:"customerOrderReference,omitempty"`
		CreatedUser            string           `json:"createdUser,omitempty"`
		DesiredDueDate         string           `json:"desiredDueDate,omitempty"`
		OrderNotes             []OrderNoteEntry `json:"orderNotes,omitempty"`
	} `json:"orderDetailResponse"`
}

// IntlOrderDetail reads an order.
func (c *Client) IntlOrderDetail(ctx context.Context, req *IntlOrderDetailRequest) (*IntlOrderDetailResponse, error) {
	return call[IntlOrderDetailResponse](ctx, c, OpIntlOrderDetail, req)
}

// IntlTnSearchItem is one intlTnDetail search (tnMask required).
type IntlTnSearchItem struct {
	CountryRef    string `json:"countryRef,omitempty"`
	TnMask        string `json:"tnMask"`
	TnStatus      string `json:"tnStatus,omitempty"`
	NumberType    string `json:"numberType,omitempty"`
	RoutingOption string `json:"routingOption,omitempty"`
}

// IntlTnDetailRequest searches the account's international numbers.
type IntlTnDetailRequest struct {
	TnSearchList struct {
		TnSearchItem []IntlTnSearchItem `json:"tnSearchItem"`
	} `json:"tnSearchList"`
	PageSort *PageSort `json:"pageSort,omitempty"`
}

func (r *IntlTnDetailRequest) sortField() **PageSort { return &r.PageSort }

// IntlTnDetailItem is one number of intlTnDetail.
type IntlTnDetailItem struct {
	CountryRef    string        `json:"countryRef,omitempty"`
	TN            TN            `json:"tn"`
	RoutingOption string        `json:"routingOption,omitempty"`
	NumberType    string        `json:"numberType,omitempty"`
	Status        string        `json:"status,omitempty"`
	EndUserData   []IntlEndUser `json:"endUserData,omitempty"`
}

// IntlTnDetailResponse is one page of numbers (the table's page fields;
// the example has none).
type IntlTnDetailResponse struct {
	Envelope
	TnList struct {
		TnItem []IntlTnDetailItem `json:"tnItem"`
	} `json:"tnList"`
	PageInfo
}

// IntlTnDetail returns one page of the account's international numbers.
func (c *Client) IntlTnDetail(ctx context.Context, req *IntlTnDetailRequest) (*IntlTnDetailResponse, error) {
	return call[IntlTnDetailResponse](ctx, c, OpIntlTnDetail, req)
}

// IntlTnDetailPages walks intlTnDetail with page/size pagination.
func (c *Client) IntlTnDetailPages(ctx context.Context, req *IntlTnDetailRequest) iter.Seq2[*IntlTnDetailResponse, error] {
	return byPage[IntlTnDetailResponse](ctx, c, OpIntlTnDetail, req, DefaultPageSize, func(p *IntlTnDetailResponse) int { return len(p.TnList.TnItem) })
}

// IntlTnDetailIter yields every number matching req.
func (c *Client) IntlTnDetailIter(ctx context.Context, req *IntlTnDetailRequest) iter.Seq2[IntlTnDetailItem, error] {
	return items(c.IntlTnDetailPages(ctx, req), func(p *IntlTnDetailResponse) []IntlTnDetailItem { return p.TnList.TnItem })
}

// IntlExcludedTnListRequest names an order (or a number and its country).
type IntlExcludedTnListRequest struct {
	OrderRef
	CountryRef string `json:"countryRef,omitempty"`
	TN         TN     `json:"tn,omitempty"`
}

// IntlExcludedTnListResponse lists an order's excluded numbers; 430 is
// none.
type IntlExcludedTnListResponse struct {
	Envelope
	IntlExcludedTnList struct {
		ExcludedTnItem []IntlExcludedTnItem `json:"excludedTnItem"`
	} `json:"intlExcludedTnList"`
}

// IntlExcludedTnList reads what an international order excluded.
func (c *Client) IntlExcludedTnList(ctx context.Context, req *IntlExcludedTnListRequest) (*IntlExcludedTnListResponse, error) {
	return call[IntlExcludedTnListResponse](ctx, c, OpIntlExcludedTnList, req)
}

// IntlTnInventoryRequest searches inventory (quantity required).
type IntlTnInventoryRequest struct {
	CountryRef string `json:"countryRef,omitempty"`
	NumberType string `json:"numberType,omitempty"`
	City       string `json:"city,omitempty"`
	Quantity   int    `json:"quantity"`
}

// IntlInventoryTn is one inventory number.
type IntlInventoryTn struct {
	TN         TN         `json:"tn"`
	City       string     `json:"city,omitempty"`
	CountryRef string     `json:"countryRef,omitempty"`
	NumberType string     `json:"numberType,omitempty"`
	Prefix     FlexString `json:"prefix,omitempty"`
}

// IntlTnInventoryResponse lists inventory numbers.
type IntlTnInventoryResponse struct {
	Envelope
	TnResults struct {
		TnList struct {
			TnItem []IntlInventoryTn `json:"tnItem"`
		} `json:"tnList"`
	} `json:"tnResults"`
}

// IntlTnInventory searches international inventory.
func (c *Client) IntlTnInventory(ctx context.Context, req *IntlTnInventoryRequest) (*IntlTnInventoryResponse, error) {
	return call[IntlTnInventoryResponse](ctx, c, OpIntlTnInventory, req)
}

// IntlReservedTn is one reserved number.
type IntlReservedTn struct {
	TN            TN         `json:"tn"`
	CountryRef    string     `json:"countryRef,omitempty"`
	NumberType    string     `json:"numberType,omitempty"`
	ProductName   string     `json:"productName,omitempty"`
	City          string     `json:"city,omitempty"`
	PrefixType    string     `json:"prefixType,omitempty"`
	ReservedUntil string     `json:"reservedUntil,omitempty"`
	Prefix        FlexString `json:"prefix,omitempty"`
}

// IntlTnReservedListResponse lists the reserved numbers (unpaginated).
type IntlTnReservedListResponse struct {
	Envelope
	TnReservedList []IntlReservedTn `json:"tnReservedList"`
}

// IntlTnReservedList lists the account's reserved international numbers.
func (c *Client) IntlTnReservedList(ctx context.Context) (*IntlTnReservedListResponse, error) {
	return call[IntlTnReservedListResponse](ctx, c, OpIntlTnReservedList, nil)
}

// IntlOrderDocumentResponse lists an order's documents.
type IntlOrderDocumentResponse struct {
	Envelope
	OrderDocumentList struct {
		OrderDocument []struct {
			DocumentID FlexString `json:"documentId"`
			FileName   string     `json:"fileName"`
			InsertDate string     `json:"insertDate,omitempty"`
			InsertUser string     `json:"insertUser,omitempty"`
		} `json:"orderDocument"`
	} `json:"orderDocumentList"`
}

// IntlOrderDocument lists the documents attached to an order.
func (c *Client) IntlOrderDocument(ctx context.Context, req *OrderRef) (*IntlOrderDocumentResponse, error) {
	return call[IntlOrderDocumentResponse](ctx, c, OpIntlOrderDocument, req)
}

// IntlDownloadRequest names a document (and, for an order's, the order).
type IntlDownloadRequest struct {
	OrderID    OrderID `json:"orderId,omitempty"`
	DocumentID string  `json:"documentId"`
}

// IntlDownloaded is a downloaded document; mimeType also under the
// table's spelling mimetype.
type IntlDownloaded struct {
	FileName    string `json:"fileName"`
	MimeType    string `json:"mimeType"`
	FileContent string `json:"fileContent"`
}

// IntlOrderDocumentDownloadResponse is an order's document.
type IntlOrderDocumentDownloadResponse struct {
	Envelope
	Document IntlDownloaded `json:"document"`
}

// IntlOrderDocumentDownload downloads a document of an order.
func (c *Client) IntlOrderDocumentDownload(ctx context.Context, req *IntlDownloadRequest) (*IntlOrderDocumentDownloadResponse, error) {
	return call[IntlOrderDocumentDownloadResponse](ctx, c, OpIntlOrderDocumentDownload, req)
}

// IntlTnDocumentDownloadResponse is a number's document.
type IntlTnDocumentDownloadResponse struct {
	Envelope
	IntlTnDocumentDownloadResponse struct {
		Document IntlDownloaded `json:"document"`
	} `json:"intlTnDocumentDownloadResponse"`
}

// IntlTnDocumentDownload downloads a document of a number.
func (c *Client) IntlTnDocumentDownload(ctx context.Context, req *IntlDownloadRequest) (*IntlTnDocumentDownloadResponse, error) {
	return call[IntlTnDocumentDownloadResponse](ctx, c, OpIntlTnDocumentDownload, req)
}
