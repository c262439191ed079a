package exports

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/iqbulk/iqbulk/inteliquent"
)

var assignedColumns = []string{"tn", "tn_status", "trunk_group", "lata", "rate_center", "loc_name", "province",
	"rate_center_tier", "country_code", "tn_source", "wireless", "activate_date", "activate_user", "port_out_pin", "tn_note",
	"end_user_name", "end_user_street_num", "end_user_street_name", "end_user_street_type", "end_user_city", "end_user_state", "end_user_postal_code",
	"calling_name", "cnam_dip", "dl_last_name", "dl_first_name", "dl_street_num", "dl_street_name", "dl_city", "dl_state", "dl_postal_code",
	"e911_name", "e911_orig_street_num", "e911_orig_street_info", "e911_orig_location", "e911_orig_city", "e911_orig_state", "e911_orig_postal_code",
	"message_class", "message_type"}

func assignedKind() *Kind {
	return &Kind{
		Name: "assigned",
		Help: "numbers on the account with their features flattened (tnDetail, page/size)",
		Ops:  []string{inteliquent.OpTnDetail},
		Filters: []Filter{
			{Flag: "tn-mask", Param: "tnMask", Default: "xxxxxxxxxx", Help: "10 characters of 0-9 or x"},
			{Flag: "tn-status", Param: "tnStatus", Enum: []string{"INSVC", "PNDNG", "PDISC"}, Help: "INSVC, PNDNG or PDISC"},
			{Flag: "trunk-group-name", Param: "trunkGroupName", Help: "trunk group"},
			{Flag: "lata", Param: "lata", Help: "LATA"},
			{Flag: "rate-center", Param: "rateCenter", Help: "rate center abbreviation"},
			{Flag: "province", Param: "province", Help: "state or province"},
			{Flag: "rate-center-tier", Param: "rateCenterTier", Enum: []string{"0", "1", "2", "AK", "HI", "CAN", "PRI", "WS-A", "WS-B", "WS-C"}, Help: "rate center tier"},
			{Flag: "port-out-pin", Param: "portOutPin", Help: "port-out PIN contains"},
			{Flag: "tn-note", Param: "tnNote", Help: "note contains"},
			{Flag: "cnam-dip", Param: "cnamDip", Enum: ynEnum, Help: "Y or N"},
			{Flag: "calling-name", Param: "callingName", Enum: ynEnum, Help: "has a calling name: Y or N"},
			{Flag: "directory-listing", Param: "directoryListing", Enum: ynEnum, Help: "has a directory listing: Y or N"},
			{Flag: "e911", Param: "e911", Enum: ynEnum, Help: "has E911: Y or N"},
			{Flag: "e911-contains", Param: "e911Contains", Help: "text in any E911 field"},
			{Flag: "messaging", Param: "messaging", Enum: ynEnum, Help: "has messaging: Y or N"},
			{Flag: "message-class", Param: "messageClass", Help: "messaging class"},
			{Flag: "message-type", Param: "messageType", Help: "messaging type"},
			{Flag: "activate-start-date-range", Param: "activateStartDateRange", Help: "activated on or after (2017-03-29T14:00:46.000Z)"},
			{Flag: "activate-end-date-range", Param: "activateEndDateRange", Help: "activated on or before"},
			{Flag: "activate-user", Param: "activateUser", Help: "activating user"},
			{Flag: "wireless", Param: "wireless", Enum: ynEnum, Help: "Y or N"},
		},
		Columns: func(map[string]string) []string { return assignedColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			item := inteliquent.TnSearchItem{TnMask: p["tn-mask"], TnStatus: p["tn-status"], TrunkGroupName: p["trunk-group-name"],
				Lata: p["lata"], RateCenter: p["rate-center"], Province: p["province"], RateCenterTier: p["rate-center-tier"],
				PortOutPin: p["port-out-pin"], TnNote: p["tn-note"], CnamDip: p["cnam-dip"], CallingName: p["calling-name"],
				DirectoryListing: p["directory-listing"], E911: p["e911"], E911Contains: p["e911-contains"], Messaging: p["messaging"],
				MessageClass: p["message-class"], MessageType: p["message-type"], ActivateStartDateRange: p["activate-start-date-range"],
				ActivateEndDateRange: p["activate-end-date-range"], ActivateUser: p["activate-user"], Wireless: p["wireless"]}
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				req := &inteliquent.TnDetailRequest{PageSort: &inteliquent.PageSort{Property: "tn", Direction: "asc", Size: size, Page: page}}
				req.TnSearchList.TnSearchItem = []inteliquent.TnSearchItem{item}
				resp, err := env.API.TnDetail(ctx, req)
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.TnList.TnItem))
				for _, it := range resp.TnList.TnItem {
					rows = append(rows, assignedRow(&it))
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}

func assignedRow(it *inteliquent.TnDetailItem) []string {
	eu := it.EndUser
	if eu == nil {
		eu = &inteliquent.EndUser{}
	}
	f := it.TnFeature
	if f == nil {
		f = &inteliquent.TnFeature{}
	}
	cid, dl, e, m := f.CallerID, f.DirectoryListing, f.E911, f.Messaging
	if cid == nil {
		cid = &inteliquent.CallerID{}
	}
	if dl == nil {
		dl = &inteliquent.DirectoryListing{}
	}
	if e == nil {
		e = &inteliquent.E911{}
	}
	if m == nil {
		m = &inteliquent.Messaging{}
	}
	return []string{string(it.TN), it.TnStatus, it.TrunkGroup, it.Lata.String(), it.RateCenter, it.LocName, it.Province,
		it.RateCenterTier.String(), it.CountryCode.String(), it.TnSource, it.Wireless, it.ActivateDate, it.ActivateUser, it.PortOutPin, it.TnNote,
		eu.Name, eu.StreetNum.String(), eu.StreetName, eu.StreetType, eu.City, eu.State, eu.PostalCode.String(),
		cid.CallingName, cid.CnamDip, dl.LastName, dl.FirstName, dl.StreetNum.String(), dl.StreetName, dl.City, dl.State, dl.PostalCode.String(),
		e.Name, e.OrigStreetNum.String(), e.OrigStreetInfo, e.OrigLocation, e.OrigCity, e.OrigState, e.OrigPostalCode.String(),
		m.MessageClass, m.MessageType}
}

func assignedBasicKind() *Kind {
	return &Kind{
		Name:    "assigned-basic",
		Help:    "every number assigned to the account with its status (tnAssignedList, one answer)",
		Ops:     []string{inteliquent.OpTnAssignedList},
		Columns: func(map[string]string) []string { return []string{"tn", "tn_status"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.TnAssignedList(ctx, &inteliquent.TnAssignedListRequest{})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(resp.TnBasicList.TnBasicItem))
				for _, it := range resp.TnBasicList.TnBasicItem {
					rows = append(rows, []string{string(it.TN), it.TnStatus})
				}
				return rows, nil
			})
		},
	}
}

var reservedColumns = []string{"telephone_number", "rate_center", "rate_center_name", "lata", "province", "city", "is_wireless",
	"rate_center_tier", "cnam_allowed", "dl_allowed", "e911_allowed", "msg_allowed", "country_code", "allow_port_out_pin", "portout_notification"}

func reservedKind() *Kind {
	return &Kind{
		Name:    "reserved",
		Help:    "numbers reserved by the account (tnReservedList, one answer)",
		Ops:     []string{inteliquent.OpTnReservedList},
		Columns: func(map[string]string) []string { return reservedColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.TnReservedList(ctx, &inteliquent.TnReservedListRequest{})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(resp.ReservedTns))
				for _, t := range resp.ReservedTns {
					rows = append(rows, []string{string(t.TelephoneNumber), t.RateCenter, t.RateCenterName, t.Lata.String(), t.Province, t.City,
						t.IsWireless, t.RateCenterTier.String(), t.CnamAllowed, t.DlAllowed, t.E911Allowed, t.MsgAllowed, t.CountryCode.String(),
						t.AllowPortOutPin, t.PortoutNotification})
				}
				return rows, nil
			})
		},
	}
}

var orderColumns = []string{"order_id", "order_status", "product_name", "customer_order_reference", "service_order_name",
	"desired_due_date", "desired_port_time", "tn_quantity", "created_date", "created_user", "last_modified_string"}

func ordersKind() *Kind {
	return &Kind{
		Name: "orders",
		Help: "orders (orderList, page/size)",
		Ops:  []string{inteliquent.OpOrderList},
		Filters: []Filter{
			{Flag: "order-id", Param: "orderId", Help: "one order"},
			{Flag: "customer-order-reference", Param: "customerOrderReference", Help: "orders with this reference"},
			{Flag: "product-id", Param: "productId", Enum: []string{"103", "113", "114", "122", "128", "129", "130", "131", "134"}, Help: "product (103 numbers, 113 port-in, 128 features...)"},
			{Flag: "product-id-list", Param: "productIdList", Help: "comma-separated products (wins over --product-id)"},
			{Flag: "service-order-reference", Param: "serviceOrderReference", Enum: []string{"NEW", "DISCO", "CHANGE"}, Help: "NEW, DISCO or CHANGE"},
			{Flag: "order-status", Param: "orderStatus", Enum: []string{"INCOMPLT", "PENDING", "PCNCL", "CNCL", "CLSD"}, Help: "INCOMPLT, PENDING, PCNCL, CNCL or CLSD"},
			{Flag: "tn", Param: "tn", Help: "orders holding this number"},
			{Flag: "created-date-start-range", Param: "createdDateStartRange", Help: "created on or after (2015-12-20)"},
			{Flag: "created-date-end-range", Param: "createdDateEndRange", Help: "created on or before (2015-12-20)"},
		},
		Columns: func(map[string]string) []string { return orderColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			base := inteliquent.OrderListRequest{OrderID: inteliquent.OrderID(p["order-id"]), CustomerOrderReference: p["customer-order-reference"],
				ProductIDList: p["product-id-list"], ServiceOrderReference: p["service-order-reference"], OrderStatus: p["order-status"],
				TN: inteliquent.TN(p["tn"]), CreatedDateStartRange: p["created-date-start-range"], CreatedDateEndRange: p["created-date-end-range"]}
			if v := p["product-id"]; v != "" {
				base.ProductID, _ = strconv.Atoi(v)
			}
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				req := base
				req.PageSort = &inteliquent.PageSort{Property: "orderId", Direction: "asc", Size: size, Page: page}
				resp, err := env.API.OrderList(ctx, &req)
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.OrderList.OrderType))
				for _, o := range resp.OrderList.OrderType {
					rows = append(rows, []string{o.OrderID.String(), o.OrderStatus, o.ProductName, o.CustomerOrderReference, o.ServiceOrderName,
						o.DesiredDueDate, o.DesiredPortTime, o.TnQuantity.String(), o.CreatedDate, o.CreatedUser, o.LastModifiedString.String()})
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}

// featureListings maps --feature to its operation and columns.
var featureListings = map[string]struct {
	op      string
	columns []string
	row     func(it *inteliquent.TnFeatureListItem) []string
}{
	"cnam": {inteliquent.OpTnFeatureCnamList, []string{"tn", "calling_name"},
		func(it *inteliquent.TnFeatureListItem) []string { return []string{string(it.TN), it.CallingName} }},
	"dl": {inteliquent.OpTnFeatureDLList, []string{"tn", "first_name", "last_name", "street_num", "street_pre_dir", "street_name",
		"street_type", "street_post_dir", "location", "city", "state", "postal_code"},
		func(it *inteliquent.TnFeatureListItem) []string {
			return []string{string(it.TN), it.FirstName, it.LastName, it.StreetNum.String(), it.StreetPreDir, it.StreetName,
				it.StreetType, it.StreetPostDir, it.Location, it.City, it.State, it.PostalCode.String()}
		}},
	"e911": {inteliquent.OpTnFeatureE911List, []string{"tn", "name", "orig_street_num", "orig_street_info", "orig_location", "orig_city",
		"orig_state", "orig_postal_code", "enh_street_num", "enh_street_info", "enh_city", "enh_state", "enh_postal_code"},
		func(it *inteliquent.TnFeatureListItem) []string {
			return []string{string(it.TN), it.Name, it.OrigStreetNum.String(), it.OrigStreetInfo, it.OrigLocation, it.OrigCity,
				it.OrigState, it.OrigPostalCode.String(), it.EnhStreetNum.String(), it.EnhStreetInfo, it.EnhCity, it.EnhState, it.EnhPostalCode.String()}
		}},
	"messaging": {inteliquent.OpTnFeatureMessageList, []string{"tn", "message_class", "message_type"},
		func(it *inteliquent.TnFeatureListItem) []string {
			return []string{string(it.TN), it.MessageClass, it.MessageType}
		}},
}

func featuresKind() *Kind {
	return &Kind{
		Name:    "features",
		Example: filters("feature", "cnam"),
		Help:    "numbers with a feature: --feature cnam (tnFeatureCnamList), dl (tnFeatureDLList), e911 (tnFeatureE911List) or messaging (tnFeatureMessageList)",
		Ops:     []string{inteliquent.OpTnFeatureCnamList, inteliquent.OpTnFeatureDLList, inteliquent.OpTnFeatureE911List, inteliquent.OpTnFeatureMessageList},
		Filters: []Filter{
			{Flag: "feature", Param: "(listing)", Enum: []string{"cnam", "dl", "e911", "messaging"}, Required: true, Help: "which feature listing"},
			{Flag: "tn-mask", Param: "tnMask", Help: "10 characters of 0-9 or x (e911 only)"},
		},
		Columns: func(p map[string]string) []string { return featureListings[p["feature"]].columns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			fl := featureListings[env.Params["feature"]]
			mask := ""
			if fl.op == inteliquent.OpTnFeatureE911List {
				mask = env.Params["tn-mask"]
			}
			fetchItems := func(resp *inteliquent.TnFeatureListResponse) [][]string {
				rows := make([][]string, 0, len(resp.TnFeatureList.TnFeatureItem))
				for _, it := range resp.TnFeatureList.TnFeatureItem {
					rows = append(rows, fl.row(&it))
				}
				return rows
			}
			if fl.op == inteliquent.OpTnFeatureDLList {
				return newOneShot(state, func(ctx context.Context) ([][]string, error) {
					resp, err := env.API.TnFeatureDLList(ctx, &inteliquent.TnFeatureListRequest{})
					if err != nil {
						return nil, err
					}
					return fetchItems(resp), nil
				})
			}
			call := map[string]func(context.Context, *inteliquent.TnFeatureListRequest) (*inteliquent.TnFeatureListResponse, error){
				inteliquent.OpTnFeatureCnamList:    env.API.TnFeatureCnamList,
				inteliquent.OpTnFeatureE911List:    env.API.TnFeatureE911List,
				inteliquent.OpTnFeatureMessageList: env.API.TnFeatureMessageList,
			}[fl.op]
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				resp, err := call(ctx, &inteliquent.TnFeatureListRequest{TnMask: mask,
					PageSort: &inteliquent.PageSort{Property: "tn", Direction: "asc", Size: size, Page: page}})
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				return fetchItems(resp), resp.TotalPages, nil
			})
		},
	}
}

func campaignsKind() *Kind {
	return &Kind{
		Name: "campaigns",
		Help: "messaging campaigns: --list campaigns (messageCampaigns) or numbers (tnMessagingCampaignList)",
		Ops:  []string{inteliquent.OpMessageCampaigns, inteliquent.OpTnMessagingCampaignList},
		Filters: []Filter{
			{Flag: "list", Param: "(listing)", Enum: []string{"campaigns", "numbers"}, Default: "campaigns", Help: "campaigns or numbers"},
		},
		Columns: func(p map[string]string) []string {
			if p["list"] == "numbers" {
				return []string{"tn", "msg_campaign_id"}
			}
			return []string{"msg_campaign_id", "description", "start_date", "end_date", "is_billable"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			if env.Params["list"] == "numbers" {
				return newOneShot(state, func(ctx context.Context) ([][]string, error) {
					resp, err := env.API.TnMessagingCampaignList(ctx, &inteliquent.TnMessagingCampaignListRequest{})
					if err != nil {
						return nil, err
					}
					var rows [][]string
					for _, it := range resp.TnMessageCampaignList.TnMessageCampaignItem {
						rows = append(rows, []string{string(it.TN), it.MsgCampaignID.String()})
					}
					return rows, nil
				})
			}
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.MessageCampaigns(ctx, &inteliquent.MessageCampaignsRequest{})
				if err != nil {
					return nil, err
				}
				var rows [][]string
				for _, c := range resp.MessageCampaignList.MessageCampaignItem {
					rows = append(rows, []string{c.MsgCampaignID.String(), c.Description, c.StartDate, c.EndDate, c.IsBillable})
				}
				return rows, nil
			})
		},
	}
}
