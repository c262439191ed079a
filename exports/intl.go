package exports

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/writers"
)

// The international lookups: intl-countries (intlCountryList) and, for
// --country-ref (default: every supported country), intl-area-codes
// (intlAreaCodeInfo), intl-number-types (intlNumberTypes) and
// intl-routing-options (intlRoutingOptionList).

func intlKinds() []*Kind {
	return []*Kind{
		{
			Name:    "intl-countries",
			Help:    "countries international numbers are offered in (intlCountryList)",
			Ops:     []string{inteliquent.OpIntlCountryList},
			Columns: func(map[string]string) []string { return []string{"country_name", "country_ref", "country_code"} },
			Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
				return newOneShot(state, func(ctx context.Context) ([][]string, error) {
					l, err := env.API.IntlCountryList(ctx)
					if err != nil {
						return nil, err
					}
					rows := make([][]string, len(l.CountryList))
					for i, c := range l.CountryList {
						rows[i] = []string{c.CountryName, c.CountryRef, string(c.CountryCode)}
					}
					return rows, nil
				})
			},
		},
		perCountryKind("intl-area-codes", "area codes of --country-ref, or of every country (intlAreaCodeInfo)", inteliquent.OpIntlAreaCodeInfo,
			[]string{"country_ref", "area_code", "city", "prefix"},
			func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error) {
				r, err := api.IntlAreaCodeInfo(ctx, &inteliquent.IntlCountryRequest{CountryRef: ref})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(r.AreaCodeList))
				for i, a := range r.AreaCodeList {
					rows[i] = []string{ref, string(a.AreaCode), a.City, string(a.Prefix)}
				}
				return rows, nil
			}),
		perCountryKind("intl-number-types", "number types of --country-ref, or of every country (intlNumberTypes)", inteliquent.OpIntlNumberTypes,
			[]string{"country_ref", "number_type", "number_type_ref"},
			func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error) {
				r, err := api.IntlNumberTypes(ctx, &inteliquent.IntlCountryRequest{CountryRef: ref})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(r.NumberTypeList))
				for i, n := range r.NumberTypeList {
					rows[i] = []string{ref, n.NumberType, n.NumberTypeRef}
				}
				return rows, nil
			}),
		intlOrdersKind("intl-orders", "international orders (intlOrderList, page/size)", inteliquent.OpIntlOrderList, false),
		intlOrdersKind("intl-port-ins", "international port-in orders (intlPortInOrderList, page/size)", inteliquent.OpIntlPortInOrderList, true),
		intlAssignedKind(), intlExcludedKind(), intlReservedKind(), intlInventoryKind(), intlDocumentsKind(),
		perCountryKind("intl-routing-options", "routing options of --country-ref, or of every country (intlRoutingOptionList)", inteliquent.OpIntlRoutingOptionList,
			[]string{"country_ref", "routing_option"},
			func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error) {
				r, err := api.IntlRoutingOptionList(ctx, &inteliquent.IntlCountryRequest{CountryRef: ref})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(r.IntlRoutingOptionList))
				for i, o := range r.IntlRoutingOptionList {
					rows[i] = []string{ref, o.RoutingOption}
				}
				return rows, nil
			}),
	}
}

// perCountryKind is a lookup asked once per country: --country-ref, or
// every country intlCountryList names, one page each.
func perCountryKind(name, help, op string, cols []string, fetch func(ctx context.Context, api *inteliquent.Client, ref string) ([][]string, error)) *Kind {
	return &Kind{
		Name:    name,
		Help:    help,
		Ops:     []string{op, inteliquent.OpIntlCountryList},
		Filters: []Filter{{Flag: "country-ref", Param: "countryRef", Help: "ISO3 country codes, comma separated (default: every supported country)"}},
		Columns: func(map[string]string) []string { return cols },
		Open: func(ctx context.Context, env *Env, state json.RawMessage) (Source, error) {
			var refs []string
			for _, r := range strings.Split(env.Params["country-ref"], ",") {
				if r = strings.ToUpper(strings.TrimSpace(r)); r != "" {
					if len(r) != 3 {
						return nil, fmt.Errorf("--country-ref %q: %w: an ISO3 code such as FRA", r, ErrUsage)
					}
					refs = append(refs, r)
				}
			}
			if len(refs) == 0 {
				l, err := env.API.IntlCountryList(ctx)
				if err != nil {
					return nil, err
				}
				for _, c := range l.CountryList {
					refs = append(refs, c.CountryRef)
				}
			}
			s := &taskSource{n: len(refs), fetch: func(ctx context.Context, i int) ([][]string, error) {
				rows, err := fetch(ctx, env.API, refs[i])
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", op, refs[i], err)
				}
				return rows, nil
			}}
			if err := decodeState(state, &s.st); err != nil {
				return nil, err
			}
			return s, nil
		},
	}
}

var intlOrderStatuses = []string{"INCOMPLT", "PENDING", "PCNCL", "CNCL", "CLSD"}

// intlOrdersKind lists international orders or port-in orders.
func intlOrdersKind(name, help, op string, portIns bool) *Kind {
	cols := []string{"order_id", "order_status", "customer_order_reference", "service_order_name", "desired_due_date", "foc_date",
		"tn_quantity", "created_date", "created_user"}
	filters := []Filter{
		{Flag: "order-id", Param: "orderId", Help: "one order"},
		{Flag: "customer-order-reference", Param: "customerOrderReference", Help: "orders with this reference"},
		{Flag: "order-status", Param: "orderStatus", Enum: intlOrderStatuses, Help: "INCOMPLT, PENDING, PCNCL, CNCL or CLSD"},
		{Flag: "country-ref", Param: "countryRef", Help: "ISO3 country, e.g. GBR"},
		{Flag: "tn", Param: "tn", Help: "orders holding this number"},
		{Flag: "created-date-start-range", Param: "createdDateStartRange", Help: "created on or after (2020-12-10T00:00:00.000Z)"},
		{Flag: "created-date-end-range", Param: "createdDateEndRange", Help: "created on or before (2020-12-12T00:00:00.000Z)"},
	}
	if !portIns {
		filters = append(filters, Filter{Flag: "service-order-reference", Param: "serviceOrderReference", Enum: []string{"NEW", "DISCO", "CHANGE"}, Help: "NEW, DISCO or CHANGE"})
	}
	return &Kind{
		Name: name, Help: help, Ops: []string{op}, Filters: filters,
		Columns: func(map[string]string) []string { return cols },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			base := inteliquent.IntlOrderListRequest{OrderID: inteliquent.OrderID(p["order-id"]), CustomerOrderReference: p["customer-order-reference"],
				ServiceOrderReference: p["service-order-reference"], OrderStatus: p["order-status"], CountryRef: strings.ToUpper(p["country-ref"]),
				TN: inteliquent.TN(p["tn"]), CreatedDateStartRange: p["created-date-start-range"], CreatedDateEndRange: p["created-date-end-range"]}
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				req := base
				req.PageSort = &inteliquent.PageSort{Property: "orderId", Direction: "asc", Size: size, Page: page}
				list := env.API.IntlOrderList
				if portIns {
					list = env.API.IntlPortInOrderList
				}
				resp, err := list(ctx, &req)
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.OrderList.OrderType))
				for _, o := range resp.OrderList.OrderType {
					rows = append(rows, []string{o.OrderID.String(), o.OrderStatus, string(o.CustomerOrderReference), o.ServiceOrderName,
						o.DesiredDueDate, o.FocDate, o.TnQuantity.String(), o.CreatedDate, o.CreatedUser})
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}

// intlAssignedKind lists the account's international numbers (intlTnDetail,
// page/size) with their end user details.
func intlAssignedKind() *Kind {
	cols := []string{"tn", "country_ref", "status", "routing_option", "number_type", "end_user"}
	return &Kind{
		Name: "intl-assigned",
		Help: "the account's international numbers with routing, status and end user (intlTnDetail, page/size)",
		Ops:  []string{inteliquent.OpIntlTnDetail},
		Filters: []Filter{
			{Flag: "country-ref", Param: "countryRef", Help: "ISO3 country, e.g. GBR"},
			{Flag: "tn-mask", Param: "tnMask", Default: "xxxxxxxxxxxx", Help: "digits and x (default: every number)"},
			{Flag: "tn-status", Param: "tnStatus", Enum: []string{"INSVC", "PNDNG", "PDISC"}, Help: "INSVC, PNDNG or PDISC"},
			{Flag: "routing-option", Param: "routingOption", Help: "numbers with this routing option"},
		},
		Columns: func(map[string]string) []string { return cols },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			item := inteliquent.IntlTnSearchItem{CountryRef: strings.ToUpper(p["country-ref"]), TnMask: p["tn-mask"], TnStatus: p["tn-status"], RoutingOption: p["routing-option"]}
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				req := &inteliquent.IntlTnDetailRequest{PageSort: &inteliquent.PageSort{Property: "tn", Direction: "asc", Size: size, Page: page}}
				req.TnSearchList.TnSearchItem = []inteliquent.IntlTnSearchItem{item}
				resp, err := env.API.IntlTnDetail(ctx, req)
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.TnList.TnItem))
				for _, it := range resp.TnList.TnItem {
					var eu []string
					for _, u := range it.EndUserData {
						eu = append(eu, u.Label+"="+u.Value)
					}
					rows = append(rows, []string{string(it.TN), it.CountryRef, it.Status, it.RoutingOption, it.NumberType, strings.Join(eu, "; ")})
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}

// intlExcludedKind exports what international orders excluded
// (intlExcludedTnList) for --order-id or every order of --run-dir.
func intlExcludedKind() *Kind {
	return &Kind{
		Name:    "intl-excluded",
		Example: filters("order-id", "1521001"),
		Help:    "what international orders excluded (intlExcludedTnList) for --order-id ID[,ID...] or --run-dir DIR",
		Ops:     []string{inteliquent.OpIntlExcludedTnList},
		Filters: []Filter{
			{Flag: "order-id", Param: "orderId", Help: "orders, comma separated"},
			{Flag: "run-dir", Param: "(run directory)", Help: "every order a run placed (its state.db)"},
		},
		Columns: func(map[string]string) []string { return writers.ExcludedColumns },
		Open: func(ctx context.Context, env *Env, state json.RawMessage) (Source, error) {
			orders, err := excludedOrders(ctx, env)
			if err != nil {
				return nil, err
			}
			src := &orderSource{api: env.API, orders: orders, read: jobs.IntlOrderExclusions, requests: 1}
			if err := decodeState(state, &src.st); err != nil {
				return nil, err
			}
			return src, nil
		},
	}
}

// intlReservedKind lists the reserved international numbers
// (intlTnReservedList, one answer).
func intlReservedKind() *Kind {
	cols := []string{"tn", "country_ref", "number_type", "product_name", "city", "prefix_type", "prefix", "reserved_until"}
	return &Kind{
		Name:    "intl-reserved",
		Help:    "reserved international numbers and until when (intlTnReservedList)",
		Ops:     []string{inteliquent.OpIntlTnReservedList},
		Columns: func(map[string]string) []string { return cols },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				l, err := env.API.IntlTnReservedList(ctx)
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(l.TnReservedList))
				for i, t := range l.TnReservedList {
					rows[i] = []string{string(t.TN), t.CountryRef, t.NumberType, t.ProductName, t.City, t.PrefixType, string(t.Prefix), t.ReservedUntil}
				}
				return rows, nil
			})
		},
	}
}

// intlInventoryKind searches international inventory (intlTnInventory,
// capped by --quantity; the guide documents no paging).
func intlInventoryKind() *Kind {
	cols := []string{"tn", "country_ref", "city", "number_type", "prefix"}
	return &Kind{
		Name: "intl-inventory",
		Help: "international numbers in inventory (intlTnInventory, up to --quantity)",
		Ops:  []string{inteliquent.OpIntlTnInventory},
		Filters: []Filter{
			{Flag: "country-ref", Param: "countryRef", Help: "ISO3 country, e.g. GBR"},
			{Flag: "number-type", Param: "numberType", Help: "e.g. Inbound DID"},
			{Flag: "city", Param: "city", Help: "city of the numbers (iqbulk export intl-area-codes lists them)"},
			{Flag: "quantity", Param: "quantity", Default: "100", Help: "how many numbers (required by the guide)"},
		},
		Columns: func(map[string]string) []string { return cols },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			q, err := strconv.Atoi(strings.TrimSpace(p["quantity"]))
			if err != nil || q <= 0 {
				return nil, fmt.Errorf("--quantity %q: %w: a positive number", p["quantity"], ErrUsage)
			}
			req := &inteliquent.IntlTnInventoryRequest{CountryRef: strings.ToUpper(p["country-ref"]), NumberType: p["number-type"], City: p["city"], Quantity: q}
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				r, err := env.API.IntlTnInventory(ctx, req)
				if err != nil {
					return nil, err
				}
				var rows [][]string
				for _, t := range r.TnResults.TnList.TnItem {
					rows = append(rows, []string{string(t.TN), t.CountryRef, t.City, t.NumberType, string(t.Prefix)})
				}
				return rows, nil
			})
		},
	}
}

// intlDocumentsKind lists the documents of international orders
// (intlOrderDocument) and, with --download-dir, saves each one there
// (intlOrderDocumentDownload); --document-id downloads numbers' documents
// (intlTnDocumentDownload: the guide has no listing of them, their ids
// are in intl-document's results).
func intlDocumentsKind() *Kind {
	cols := []string{"order_id", "document_id", "file_name", "mime_type", "insert_date", "insert_user", "saved_as"}
	return &Kind{
		Name: "intl-documents",
		Help: "documents of international orders (intlOrderDocument) for --order-id or --run-dir, and numbers' documents by --document-id; --download-dir DIR saves them (intlOrderDocumentDownload, intlTnDocumentDownload)",
		Ops:  []string{inteliquent.OpIntlOrderDocument, inteliquent.OpIntlOrderDocumentDownload, inteliquent.OpIntlTnDocumentDownload},
		Filters: []Filter{
			{Flag: "order-id", Param: "orderId", Help: "orders, comma separated"},
			{Flag: "run-dir", Param: "(run directory)", Help: "every order a run placed (its state.db)"},
			{Flag: "document-id", Param: "documentId", Help: "numbers' documents to download, comma separated (intl-document's document_id)"},
			{Flag: "download-dir", Param: "(folder)", Help: "save every document listed into this folder (DOCUMENTID-FILENAME)"},
		},
		Example: filters("order-id", "1521001"),
		Columns: func(map[string]string) []string { return cols },
		Open: func(ctx context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			var tnDocs []string
			for _, id := range strings.Split(p["document-id"], ",") {
				if id = strings.TrimSpace(id); id != "" {
					tnDocs = append(tnDocs, id)
				}
			}
			var orders []string
			if p["order-id"] != "" || p["run-dir"] != "" {
				recs, err := excludedOrders(ctx, env)
				if err != nil {
					return nil, err
				}
				for _, o := range recs {
					orders = append(orders, o.OrderID)
				}
			}
			if len(orders) == 0 && len(tnDocs) == 0 {
				return nil, fmt.Errorf("export intl-documents needs --order-id, --run-dir or --document-id: %w", ErrUsage)
			}
			dir := strings.TrimSpace(p["download-dir"])
			if dir != "" {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					return nil, fmt.Errorf("--download-dir: %w", err)
				}
			}
			save := func(id, name, content string) (string, error) {
				if dir == "" {
					return "", nil
				}
				data, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(content), ""))
				if err != nil {
					return "", fmt.Errorf("document %s: fileContent is not Base64: %w", id, err)
				}
				path := filepath.Join(dir, safeFileName(id+"-"+name))
				return path, os.WriteFile(path, data, 0o600)
			}
			s := &taskSource{n: len(orders) + len(tnDocs), fetch: func(ctx context.Context, i int) ([][]string, error) {
				if i >= len(orders) {
					id := tnDocs[i-len(orders)]
					d, err := env.API.IntlTnDocumentDownload(ctx, &inteliquent.IntlDownloadRequest{DocumentID: id})
					if err != nil {
						return nil, fmt.Errorf("intlTnDocumentDownload %s: %w", id, err)
					}
					doc := d.IntlTnDocumentDownloadResponse.Document
					saved, err := save(id, doc.FileName, doc.FileContent)
					if err != nil {
						return nil, err
					}
					return [][]string{{"", id, doc.FileName, doc.MimeType, "", "", saved}}, nil
				}
				oid := orders[i]
				l, err := env.API.IntlOrderDocument(ctx, &inteliquent.OrderRef{OrderID: inteliquent.OrderID(oid)})
				if err != nil {
					return nil, fmt.Errorf("intlOrderDocument %s: %w", oid, err)
				}
				var rows [][]string
				for _, d := range l.OrderDocumentList.OrderDocument {
					mime, saved := "", ""
					if dir != "" {
						dl, err := env.API.IntlOrderDocumentDownload(ctx, &inteliquent.IntlDownloadRequest{OrderID: inteliquent.OrderID(oid), DocumentID: string(d.DocumentID)})
						if err != nil {
							return nil, fmt.Errorf("intlOrderDocumentDownload %s: %w", d.DocumentID, err)
						}
						mime = dl.Document.MimeType
						if saved, err = save(string(d.DocumentID), d.FileName, dl.Document.FileContent); err != nil {
							return nil, err
						}
					}
					rows = append(rows, []string{oid, string(d.DocumentID), d.FileName, mime, d.InsertDate, d.InsertUser, saved})
				}
				return rows, nil
			}}
			if err := decodeState(state, &s.st); err != nil {
				return nil, err
			}
			return s, nil
		},
	}
}

// safeFileName keeps a downloaded file inside its folder on every system:
// path separators and characters Windows refuses become "_".
func safeFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, ". ")
	if name == "" {
		return "document"
	}
	return name
}
