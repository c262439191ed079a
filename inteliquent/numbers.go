package inteliquent

import "context"

// This file holds the telephone-number operations of the guide's section
// "Telephone Number" (tnInventory … tnDisconnect). Request types carry every
// field with omitempty, so nothing the caller did not set is sent. The
// privateKey is added by the client; it is not a field here.

// PageSort is the guide's sorting and pagination object. searchId sits inside
// it (tnInventory's table and examples).
type PageSort struct {
	Property  string `json:"property,omitempty"`
	Direction string `json:"direction,omitempty"`
	Size      int    `json:"size,omitempty"`
	Page      int    `json:"page,omitempty"`
	SearchID  string `json:"searchId,omitempty"`
}

// PageInfo is the pagination part of a listing answer. The guide sends all
// four as strings ("page": "1").
type PageInfo struct {
	Page       FlexInt    `json:"page"`
	TotalPages FlexInt    `json:"totalPages"`
	TotalItems FlexInt    `json:"totalItems"`
	SearchID   FlexString `json:"searchId,omitempty"`
}

// TnItemRef is a tnList item that carries only a number.
type TnItemRef struct {
	TN TN `json:"tn"`
}

// TnRefList is {"tnItem": [{"tn": ...}]}.
type TnRefList struct {
	TnItem []TnItemRef `json:"tnItem"`
}

// TnRefs builds a TnRefList from numbers.
func TnRefs(tns ...TN) TnRefList {
	l := TnRefList{TnItem: make([]TnItemRef, len(tns))}
	for i, t := range tns {
		l.TnItem[i].TN = t
	}
	return l
}

// ---- tnInventory ----

// TnInventoryRequest searches inventory (guide: Search Telephone Number
// Inventory, POST /tnInventory). Either TnMask or TnWildcard is required.
type TnInventoryRequest struct {
	TnMask           string    `json:"tnMask,omitempty"`
	TnWildcard       string    `json:"tnWildcard,omitempty"`
	Lata             string    `json:"lata,omitempty"`
	RateCenter       string    `json:"rateCenter,omitempty"`
	RateCenterTier   string    `json:"rateCenterTier,omitempty"`
	Province         string    `json:"province,omitempty"`
	City             string    `json:"city,omitempty"`
	PostalCode       string    `json:"postalCode,omitempty"`
	Radius           int       `json:"radius,omitempty"`
	Quantity         int       `json:"quantity,omitempty"`
	Sequential       bool      `json:"sequential,omitempty"`
	Wireless         string    `json:"wireless,omitempty"`
	LocalCallingArea bool      `json:"localCallingArea,omitempty"`
	SearchOnNetOnly  string    `json:"searchOnNetOnly,omitempty"`
	PageSort         *PageSort `json:"pageSort,omitempty"`
}

// InventoryTN is one tnResult entry.
type InventoryTN struct {
	TelephoneNumber              TN         `json:"telephoneNumber"`
	RateCenter                   string     `json:"rateCenter,omitempty"`
	RateCenterName               string     `json:"rateCenterName,omitempty"`
	City                         string     `json:"city,omitempty"`
	Lata                         FlexString `json:"lata,omitempty"`
	Province                     string     `json:"province,omitempty"`
	RateCenterTier               FlexString `json:"rateCenterTier,omitempty"`
	CnamAllowed                  string     `json:"cnamAllowed,omitempty"`
	DlAllowed                    string     `json:"dlAllowed,omitempty"`
	E911Allowed                  string     `json:"e911Allowed,omitempty"`
	MsgAllowed                   string     `json:"msgAllowed,omitempty"`
	CountryCode                  FlexString `json:"countryCode,omitempty"`
	PortOutPinSupported          string     `json:"portOutPinSupported,omitempty"`
	PortOutNotificationSupported string     `json:"portOutNotificationSupported,omitempty"`
	SmsOverrideAllowed           string     `json:"smsOverrideAllowed,omitempty"`
	MmsAllowed                   string     `json:"mmsAllowed,omitempty"`
	MmsOverrideAllowed           string     `json:"mmsOverrideAllowed,omitempty"`
}

// TnInventoryResponse is one page of inventory.
type TnInventoryResponse struct {
	Envelope
	TnResult []InventoryTN `json:"tnResult"`
	PageInfo
}

// TnInventory searches inventory; one page per call. See TnInventoryScroll
// for the whole result.
func (c *Client) TnInventory(ctx context.Context, req *TnInventoryRequest) (*TnInventoryResponse, error) {
	return call[TnInventoryResponse](ctx, c, OpTnInventory, req)
}

// ---- tnReserve / tnRelease ----

// TnReserveRequest reserves numbers for four hours (POST /tnReserve).
type TnReserveRequest struct {
	TnReserve TnListWrapper `json:"tnReserve"`
}

// TnListWrapper is {"tnList": {"tnItem": [...]}}.
type TnListWrapper struct {
	TnList TnRefList `json:"tnList"`
}

func (r *TnReserveRequest) numberCount() int { return len(r.TnReserve.TnList.TnItem) }

// TnReserveResponse reports which numbers were reserved.
type TnReserveResponse struct {
	Envelope
	TnReserveResponse struct {
		TotalTnCount    FlexInt     `json:"totalTnCount"`
		ReservedTnCount FlexInt     `json:"reservedTnCount"`
		ExcludedTnList  []TnItemRef `json:"excludedTnList,omitempty"`
	} `json:"tnReserveResponse"`
}

// TnReserve reserves numbers. Its 431 means "Request exceeds the maximum
// number of reserved TNs" and is not retried.
func (c *Client) TnReserve(ctx context.Context, req *TnReserveRequest) (*TnReserveResponse, error) {
	return call[TnReserveResponse](ctx, c, OpTnReserve, req)
}

// TnReleaseRequest releases reserved numbers (POST /tnRelease).
type TnReleaseRequest struct {
	TnRelease TnListWrapper `json:"tnRelease"`
}

func (r *TnReleaseRequest) numberCount() int { return len(r.TnRelease.TnList.TnItem) }

// TnReleaseResponse reports which numbers were released.
type TnReleaseResponse struct {
	Envelope
	TnReleaseResponse struct {
		TotalTnCount    FlexInt     `json:"totalTnCount"`
		ReleasedTnCount FlexInt     `json:"releasedTnCount"`
		ExcludedTnList  []TnItemRef `json:"excludedTnList,omitempty"`
	} `json:"tnReleaseResponse"`
}

// TnRelease releases reserved numbers.
func (c *Client) TnRelease(ctx context.Context, req *TnReleaseRequest) (*TnReleaseResponse, error) {
	return call[TnReleaseResponse](ctx, c, OpTnRelease, req)
}

// ---- tnReservedList ----

// TnReservedListRequest has no fields besides the privateKey.
type TnReservedListRequest struct{}

// ReservedTN is one reservedTns entry. Its field names differ from
// tnInventory's (allowPortOutPin, portoutNotification, isWireless).
type ReservedTN struct {
	TelephoneNumber     TN         `json:"telephoneNumber"`
	RateCenter          string     `json:"rateCenter,omitempty"`
	RateCenterName      string     `json:"rateCenterName,omitempty"`
	Lata                FlexString `json:"lata,omitempty"`
	Province            string     `json:"province,omitempty"`
	City                string     `json:"city,omitempty"`
	IsWireless          string     `json:"isWireless,omitempty"`
	RateCenterTier      FlexString `json:"rateCenterTier,omitempty"`
	CnamAllowed         string     `json:"cnamAllowed,omitempty"`
	DlAllowed           string     `json:"dlAllowed,omitempty"`
	E911Allowed         string     `json:"e911Allowed,omitempty"`
	MsgAllowed          string     `json:"msgAllowed,omitempty"`
	CountryCode         FlexString `json:"countryCode,omitempty"`
	AllowPortOutPin     string     `json:"allowPortOutPin,omitempty"`
	PortoutNotification string     `json:"portoutNotification,omitempty"`
}

// TnReservedListResponse lists every reserved number (unpaginated). A 430
// "No Result Found" answer is an empty list.
type TnReservedListResponse struct {
	Envelope
	ReservedTns []ReservedTN `json:"reservedTns"`
}

// TnReservedList lists reserved numbers.
func (c *Client) TnReservedList(ctx context.Context, req *TnReservedListRequest) (*TnReservedListResponse, error) {
	return call[TnReservedListResponse](ctx, c, OpTnReservedList, req)
}

// ---- tnInventoryCoverage ----

// TnInventoryCoverageRequest counts available inventory.
type TnInventoryCoverageRequest struct {
	CountBy    string `json:"countBy,omitempty"`
	RateCenter string `json:"rateCenter,omitempty"`
	Wireless   string `json:"wireless,omitempty"`
	Province   string `json:"province,omitempty"`
}

// CoverageItem is one tnInventoryCoverageList entry.
type CoverageItem struct {
	Npa      FlexString `json:"npa,omitempty"`
	Nxx      FlexString `json:"nxx,omitempty"`
	Lata     FlexString `json:"lata,omitempty"`
	RcAbbre  string     `json:"rcAbbre,omitempty"`
	LocState string     `json:"locState,omitempty"`
	Block    FlexString `json:"block,omitempty"` // the seventh digit, with countBy block
	Count    FlexInt    `json:"count"`
}

// TnInventoryCoverageResponse lists counts.
type TnInventoryCoverageResponse struct {
	Envelope
	TnInventoryCoverageList []CoverageItem `json:"tnInventoryCoverageList"`
}

// TnInventoryCoverage returns inventory counts.
func (c *Client) TnInventoryCoverage(ctx context.Context, req *TnInventoryCoverageRequest) (*TnInventoryCoverageResponse, error) {
	return call[TnInventoryCoverageResponse](ctx, c, OpTnInventoryCoverage, req)
}

// ---- shared number-record types ----

// EndUser is the end-user address block.
type EndUser struct {
	Name           string     `json:"name,omitempty"`
	StreetNum      FlexString `json:"streetNum,omitempty"`
	StreetPreDir   string     `json:"streetPreDir,omitempty"`
	StreetName     string     `json:"streetName,omitempty"`
	StreetType     string     `json:"streetType,omitempty"`
	StreetPostDir  string     `json:"streetPostDir,omitempty"`
	LocationType1  string     `json:"locationType1,omitempty"`
	LocationValue1 FlexString `json:"locationValue1,omitempty"`
	LocationType2  string     `json:"locationType2,omitempty"`
	LocationValue2 FlexString `json:"locationValue2,omitempty"`
	LocationType3  string     `json:"locationType3,omitempty"`
	LocationValue3 FlexString `json:"locationValue3,omitempty"`
	City           string     `json:"city,omitempty"`
	State          string     `json:"state,omitempty"`
	PostalCode     FlexString `json:"postalCode,omitempty"`
	TypeOfService  string     `json:"typeOfService,omitempty"`
	// Status appears in orderDetail answers only.
	Status string `json:"status,omitempty"`
}

// CallerID is tnFeature.callerId.
type CallerID struct {
	CallingName     string `json:"callingName,omitempty"`
	CnamDip         string `json:"cnamDip,omitempty"`
	RemoveTnFeature string `json:"removeTnFeature,omitempty"`
}

// DirectoryListing is tnFeature.directoryListing.
type DirectoryListing struct {
	LastName        string     `json:"lastName,omitempty"`
	FirstName       string     `json:"firstName,omitempty"`
	StreetNum       FlexString `json:"streetNum,omitempty"`
	StreetPreDir    string     `json:"streetPreDir,omitempty"`
	StreetName      string     `json:"streetName,omitempty"`
	StreetType      string     `json:"streetType,omitempty"`
	StreetPostDir   string     `json:"streetPostDir,omitempty"`
	Location        string     `json:"location,omitempty"`
	City            string     `json:"city,omitempty"`
	State           string     `json:"state,omitempty"`
	PostalCode      FlexString `json:"postalCode,omitempty"`
	RemoveTnFeature string     `json:"removeTnFeature,omitempty"`
}

// E911 is tnFeature.e911.
type E911 struct {
	Name                   string     `json:"name,omitempty"`
	OrigStreetNum          FlexString `json:"origStreetNum,omitempty"`
	OrigStreetInfo         string     `json:"origStreetInfo,omitempty"`
	OrigLocation           string     `json:"origLocation,omitempty"`
	OrigCity               string     `json:"origCity,omitempty"`
	OrigState              string     `json:"origState,omitempty"`
	OrigPostalCode         FlexString `json:"origPostalCode,omitempty"`
	OrigPostalCodePlusFour FlexString `json:"origPostalCodePlusFour,omitempty"`
	RemoveTnFeature        string     `json:"removeTnFeature,omitempty"`
}

// Messaging is tnFeature.messaging.
type Messaging struct {
	MessageClass    string     `json:"messageClass,omitempty"`
	MessageType     string     `json:"messageType,omitempty"`
	NetNumberID     FlexString `json:"netNumberId,omitempty"`
	RemoveTnFeature string     `json:"removeTnFeature,omitempty"`
}

// TnFeature groups a number's features. Nil members are not sent.
type TnFeature struct {
	CallerID         *CallerID         `json:"callerId,omitempty"`
	DirectoryListing *DirectoryListing `json:"directoryListing,omitempty"`
	E911             *E911             `json:"e911,omitempty"`
	Messaging        *Messaging        `json:"messaging,omitempty"`
}

// ---- tnOrder ----

// TnOrderItem is one number to order.
type TnOrderItem struct {
	TN         TN         `json:"tn"`
	TrunkGroup string     `json:"trunkGroup,omitempty"`
	PortOutPin string     `json:"portOutPin,omitempty"`
	TnNote     string     `json:"tnNote,omitempty"`
	EndUser    *EndUser   `json:"endUser,omitempty"`
	TnFeature  *TnFeature `json:"tnFeature,omitempty"`
}

// TnOrder is the tnOrder wrapper object.
type TnOrder struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 struct {
		TnItem []TnOrderItem `json:"tnItem"`
	} `json:"tnList"`
}

// TnOrderRequest orders numbers from inventory (POST /tnOrder). Send at most
// 100 numbers to get per-number answers at once.
type TnOrderRequest struct {
	TnOrder TnOrder `json:"tnOrder"`
}

func (r *TnOrderRequest) numberCount() int { return len(r.TnOrder.TnList.TnItem) }

// OrderResponse is the answer of the order-creating operations: status,
// statusCode and an orderId (empty when the guide's "null" came back).
type OrderResponse struct {
	Envelope
	OrderID OrderID `json:"orderId,omitempty"`
}

// TNStatus parses Status into per-number entries (tnOrder puts its
// exclusions there: "{2=[6123453624 TN is on an existing order]}").
func (r *OrderResponse) TNStatus() TNStatus { return ParseTNStatus(r.Status) }

// TnOrderResponse is tnOrder's answer.
type TnOrderResponse = OrderResponse

// TnOrder orders numbers. Non-idempotent: a dropped connection returns an
// error for which IsAmbiguous is true.
func (c *Client) TnOrder(ctx context.Context, req *TnOrderRequest) (*TnOrderResponse, error) {
	return call[TnOrderResponse](ctx, c, OpTnOrder, req)
}

// ---- tnAssignedList ----

// TnAssignedListRequest has no fields besides the privateKey.
type TnAssignedListRequest struct{}

// TnBasicItem is one assigned number.
type TnBasicItem struct {
	TN       TN     `json:"tn"`
	TnStatus string `json:"tnStatus,omitempty"`
}

// TnAssignedListResponse lists every assigned number (unpaginated).
type TnAssignedListResponse struct {
	Envelope
	TnBasicList struct {
		TnBasicItem []TnBasicItem `json:"tnBasicItem"`
	} `json:"tnBasicList"`
}

// TnAssignedList lists all numbers assigned to the account.
func (c *Client) TnAssignedList(ctx context.Context, req *TnAssignedListRequest) (*TnAssignedListResponse, error) {
	return call[TnAssignedListResponse](ctx, c, OpTnAssignedList, req)
}

// ---- tnDetail ----

// TnSearchItem is one set of tnDetail search criteria. The table writes
// "callingName Contains" etc. with spaces; the example spells
// activateStartDateRange without, and the client follows that spelling.
type TnSearchItem struct {
	TnMask                   string `json:"tnMask,omitempty"`
	TnStatus                 string `json:"tnStatus,omitempty"`
	TrunkGroupName           string `json:"trunkGroupName,omitempty"`
	Lata                     string `json:"lata,omitempty"`
	RateCenter               string `json:"rateCenter,omitempty"`
	Province                 string `json:"province,omitempty"`
	RateCenterTier           string `json:"rateCenterTier,omitempty"`
	PortOutPin               string `json:"portOutPin,omitempty"`
	TnNote                   string `json:"tnNote,omitempty"`
	CnamDip                  string `json:"cnamDip,omitempty"`
	CallingNameContains      string `json:"callingNameContains,omitempty"`
	CallingName              string `json:"callingName,omitempty"`
	DirectoryListingContains string `json:"directoryListingContains,omitempty"`
	DirectoryListing         string `json:"directoryListing,omitempty"`
	E911Contains             string `json:"e911Contains,omitempty"`
	E911                     string `json:"e911,omitempty"`
	MessageClass             string `json:"messageClass,omitempty"`
	MessageType              string `json:"messageType,omitempty"`
	Messaging                string `json:"messaging,omitempty"`
	ActivateStartDateRange   string `json:"activateStartDateRange,omitempty"`
	ActivateEndDateRange     string `json:"activateEndDateRange,omitempty"`
	ActivateUser             string `json:"activateUser,omitempty"`
	Wireless                 string `json:"wireless,omitempty"`
}

// TnDetailRequest searches assigned numbers (POST /tnDetail).
type TnDetailRequest struct {
	TnSearchList struct {
		TnSearchItem []TnSearchItem `json:"tnSearchItem"`
	} `json:"tnSearchList"`
	PageSort *PageSort `json:"pageSort,omitempty"`
}

// TnDetailItem is one number's detail.
type TnDetailItem struct {
	TN             TN         `json:"tn"`
	TrunkGroup     string     `json:"trunkGroup,omitempty"`
	EndUser        *EndUser   `json:"endUser,omitempty"`
	TnFeature      *TnFeature `json:"tnFeature,omitempty"`
	Lata           FlexString `json:"lata,omitempty"`
	RateCenter     string     `json:"rateCenter,omitempty"`
	LocName        string     `json:"locName,omitempty"`
	Province       string     `json:"province,omitempty"`
	TnStatus       string     `json:"tnStatus,omitempty"`
	RateCenterTier FlexString `json:"rateCenterTier,omitempty"`
	CountryCode    FlexString `json:"countryCode,omitempty"`
	TnSource       string     `json:"tnSource,omitempty"`
	ActivateDate   string     `json:"activateDate,omitempty"`
	ActivateUser   string     `json:"activateUser,omitempty"`
	Wireless       string     `json:"wireless,omitempty"`
	PortOutPin     string     `json:"portOutPin,omitempty"`
	TnNote         string     `json:"tnNote,omitempty"`
}

// TnDetailResponse is one page of number details.
type TnDetailResponse struct {
	Envelope
	TnList struct {
		TnItem []TnDetailItem `json:"tnItem"`
	} `json:"tnList"`
	PageInfo
}

// TnDetail returns one page of number details. See TnDetailIter and
// TnDetailScroll for the whole result.
func (c *Client) TnDetail(ctx context.Context, req *TnDetailRequest) (*TnDetailResponse, error) {
	return call[TnDetailResponse](ctx, c, OpTnDetail, req)
}

// ---- tnUpdate ----

// TnUpdateItem moves one number to a trunk group.
type TnUpdateItem struct {
	TN         TN     `json:"tn"`
	TrunkGroup string `json:"trunkGroup"`
}

// TnUpdateRequest changes trunk groups (POST /tnUpdate). Unlike tnOrder it
// has no wrapper object: tnList sits at the root.
type TnUpdateRequest struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 struct {
		TnItem []TnUpdateItem `json:"tnItem"`
	} `json:"tnList"`
}

func (r *TnUpdateRequest) numberCount() int { return len(r.TnList.TnItem) }

// TnUpdate changes trunk groups. Non-idempotent.
func (c *Client) TnUpdate(ctx context.Context, req *TnUpdateRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTnUpdate, req)
}

// ---- tnFeatureOrder ----

// TnFeatureOrderItem changes one number's features.
type TnFeatureOrderItem struct {
	TN        TN        `json:"tn"`
	EndUser   *EndUser  `json:"endUser,omitempty"`
	TnFeature TnFeature `json:"tnFeature"`
}

// TnFeatureOrder is the tnFeatureOrder wrapper object.
type TnFeatureOrder struct {
	CustomerOrderReference string `json:"customerOrderReference,omitempty"`
	TnList                 struct {
		TnItem []TnFeatureOrderItem `json:"tnItem"`
	} `json:"tnList"`
}

// TnFeatureOrderRequest adds, updates or removes features
// (POST /tnFeatureOrder).
type TnFeatureOrderRequest struct {
	TnFeatureOrder TnFeatureOrder `json:"tnFeatureOrder"`
}

func (r *TnFeatureOrderRequest) numberCount() int { return len(r.TnFeatureOrder.TnList.TnItem) }

// TnFeatureOrder changes features. Non-idempotent.
func (c *Client) TnFeatureOrder(ctx context.Context, req *TnFeatureOrderRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTnFeatureOrder, req)
}

// ---- portOutPinUpdate ----

// PortOutPinItem sets one number's port-out PIN.
type PortOutPinItem struct {
	TN         TN     `json:"tn"`
	PortOutPin string `json:"portOutPin"`
}

// PortOutPinUpdateRequest sets port-out PINs (POST /portOutPinUpdate). The
// wrapper and the item field are both named portOutPin.
type PortOutPinUpdateRequest struct {
	PortOutPin struct {
		TnList struct {
			TnItem []PortOutPinItem `json:"tnItem"`
		} `json:"tnList"`
	} `json:"portOutPin"`
}

func (r *PortOutPinUpdateRequest) numberCount() int { return len(r.PortOutPin.TnList.TnItem) }

// StatusResponse is an answer with only status and statusCode.
type StatusResponse struct {
	Envelope
}

// PortOutPinUpdate sets PINs. Idempotent: retried after a dropped connection.
func (c *Client) PortOutPinUpdate(ctx context.Context, req *PortOutPinUpdateRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpPortOutPinUpdate, req)
}

// ---- tnNoteUpdate ----

// TnNoteItem sets one number's note.
type TnNoteItem struct {
	TN     TN     `json:"tn"`
	TnNote string `json:"tnNote"`
}

// TnNoteUpdateRequest sets notes (POST /tnNoteUpdate). The wrapper and the
// item field are both named tnNote.
type TnNoteUpdateRequest struct {
	TnNote struct {
		TnList struct {
			TnItem []TnNoteItem `json:"tnItem"`
		} `json:"tnList"`
	} `json:"tnNote"`
}

func (r *TnNoteUpdateRequest) numberCount() int { return len(r.TnNote.TnList.TnItem) }

// TnNoteUpdate sets notes. Idempotent.
func (c *Client) TnNoteUpdate(ctx context.Context, req *TnNoteUpdateRequest) (*StatusResponse, error) {
	return call[StatusResponse](ctx, c, OpTnNoteUpdate, req)
}

// ---- tnDisconnect ----

// TnDisconnectRequest disconnects numbers (POST /tnDisconnect); tnList sits
// at the root.
type TnDisconnectRequest struct {
	CustomerOrderReference string    `json:"customerOrderReference,omitempty"`
	TnList                 TnRefList `json:"tnList"`
}

func (r *TnDisconnectRequest) numberCount() int { return len(r.TnList.TnItem) }

// TnDisconnect disconnects numbers. Non-idempotent.
func (c *Client) TnDisconnect(ctx context.Context, req *TnDisconnectRequest) (*OrderResponse, error) {
	return call[OrderResponse](ctx, c, OpTnDisconnect, req)
}
