package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// The toll-free and network export kinds: tf-inventory (tfInventory),
// tf-assigned (tfDetail, page/size), tf-features (tfFeatureCNamList,
// tfFeatureMessageList, tfFeatureE911List), trunk-groups
// (trunkGroupSearchAssigned), trunk-group-utilization (trunkGroupUtilization,
// one request per trunk group and UTC day), routing-labels
// (routingLabelSearchAssigned + routingLabelDetail, one row per route) and
// forwarding (tnForwardList, tfForwardList).

// tollFreeKinds lists this file's kinds for Default.
func tollFreeKinds() []*Kind {
	return []*Kind{tfInventoryKind(), tfAssignedKind(), tfFeaturesKind(), trunkGroupsKind(), trunkGroupUtilizationKind(),
		routingLabelsKind(), forwardingKind()}
}

func tfInventoryKind() *Kind {
	return &Kind{
		Name:    "tf-inventory",
		Example: filters("tn-mask", "800xxxxxxx", "quantity", "50"),
		Help:    "spare toll-free numbers (tfInventory): --tn-mask or --tn-wildcard, --quantity at most 1000 (10 with --sequential)",
		Ops:     []string{inteliquent.OpTfInventory},
		Filters: []Filter{
			{Flag: "tn-mask", Param: "tnMask", Help: "exactly 10 characters of 0-9 or x (e.g. 800xxxxxxx)"},
			{Flag: "tn-wildcard", Param: "tnWildcard", Help: "up to 10 of 0-9, letters, ?, & and one run of * (e.g. 844CALL***)"},
			{Flag: "quantity", Param: "quantity", Default: "1000", Help: "numbers to return: at most 1000, or 10 when sequential"},
			{Flag: "sequential", Param: "sequential", Enum: []string{"true", "false"}, Default: "false", Help: "true for consecutive numbers"},
		},
		Columns: func(map[string]string) []string { return []string{"tn", "resp_org_prefix", "cic"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			q, err := strconv.Atoi(p["quantity"])
			seq := p["sequential"] == "true"
			switch {
			case err != nil || q < 1:
				return nil, fmt.Errorf("--quantity %q: %w: a positive number", p["quantity"], ErrUsage)
			case seq && q > inteliquent.TfInventorySequentialMax:
				return nil, fmt.Errorf("--quantity %d: %w: at most %d with --sequential true", q, ErrUsage, inteliquent.TfInventorySequentialMax)
			case q > inteliquent.TfInventoryMax:
				return nil, fmt.Errorf("--quantity %d: %w: at most %d", q, ErrUsage, inteliquent.TfInventoryMax)
			case p["tn-mask"] == "" && p["tn-wildcard"] == "":
				return nil, fmt.Errorf("tf-inventory: %w: --tn-mask or --tn-wildcard is required", ErrUsage)
			}
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.TfInventory(ctx, &inteliquent.TfInventoryRequest{TnMask: p["tn-mask"], TnWildcard: p["tn-wildcard"], Quantity: q, Sequential: seq})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(resp.TfList.TfItem))
				for _, it := range resp.TfList.TfItem {
					rows = append(rows, []string{string(it.TN), it.RespOrgPrefix, string(it.Cic)})
				}
				return rows, nil
			})
		},
	}
}

var tfAssignedColumns = []string{"tn", "routing_label", "tn_status_name", "tn_status_ref", "resp_org_prefix", "resp_org_name",
	"cic", "cic_company_name", "activate_date", "activate_display_name", "tn_note", "calling_name", "cnam_dip",
	"message_class", "message_type", "e911_name", "e911_street_num", "e911_street_info", "e911_location", "e911_city",
	"e911_state", "e911_postal_code", "e911_activate_date", "e911_activate_user", "e911_tn_status"}

func tfAssignedKind() *Kind {
	return &Kind{
		Name: "tf-assigned",
		Help: "toll-free numbers on the account with routing, RespOrg, CICs and features (tfDetail, page/size)",
		Ops:  []string{inteliquent.OpTfDetail},
		Filters: []Filter{
			{Flag: "tn-mask", Param: "tnMask", Default: "xxxxxxxxxx", Help: "10 characters of 0-9 or x"},
			{Flag: "type-tf-status-reference", Param: "typeTfStatusReference", Enum: []string{"INSVC", "PNDNG", "PDISC"}, Help: "INSVC, PNDNG or PDISC"},
			{Flag: "routing-label", Param: "routingLabel", Help: "routing label"},
			{Flag: "tn-note", Param: "tnNote", Help: "text in the note"},
		},
		Columns: func(map[string]string) []string { return tfAssignedColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			item := inteliquent.TfSearchItem{TnMask: p["tn-mask"], TypeTfStatusReference: p["type-tf-status-reference"], RoutingLabel: p["routing-label"], TnNote: p["tn-note"]}
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				req := &inteliquent.TfDetailRequest{PageSort: &inteliquent.PageSort{Property: "tn", Direction: "asc", Size: size, Page: page}}
				req.TfSearchList.TfSearchItem = []inteliquent.TfSearchItem{item}
				resp, err := env.API.TfDetail(ctx, req)
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.TfList.TfItem))
				for _, it := range resp.TfList.TfItem {
					rows = append(rows, tfAssignedRow(it))
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}

func tfAssignedRow(it inteliquent.TfDetailItem) []string {
	var cn, dip, mc, mt string
	if f := it.TnFeature; f != nil {
		if f.CallerID != nil {
			cn, dip = f.CallerID.CallingName, f.CallerID.CnamDip
		}
		if f.Messaging != nil {
			mc, mt = f.Messaging.MessageClass, f.Messaging.MessageType
		}
	}
	e := &inteliquent.TfE911Detail{}
	if r := it.E911Record(); r != nil {
		e = r
	}
	return []string{string(it.TN), it.RoutingLabel, it.TnStatusName, it.TnStatusRef, it.RespOrgPrefix, it.RespOrgName,
		string(it.Cic), it.CicCompanyName, it.ActivateDate, it.ActivateDisplayName, it.TnNote, cn, dip, mc, mt,
		e.Name, string(e.OrigStreetNum), e.OrigStreetInfo, e.OrigLocation, e.OrigCity, e.OrigState, string(e.OrigPostalCode),
		e.E911ActivateDate, e.E911ActivateUser, e.E911TnStatus}
}

func tfFeaturesKind() *Kind {
	cols := map[string][]string{
		"cnam":      {"tn", "calling_name"},
		"messaging": {"tn", "message_class", "message_type", "net_number_id", "alt_spid"},
		"e911": {"tn", "name", "orig_street_num", "orig_street_info", "orig_location", "orig_city", "orig_state", "orig_postal_code",
			"enh_street_num", "enh_street_info", "enh_city", "enh_state", "enh_postal_code"},
	}
	return &Kind{
		Name:    "tf-features",
		Example: filters("feature", "cnam"),
		Help:    "toll-free numbers with a feature: --feature cnam (tfFeatureCNamList), messaging (tfFeatureMessageList) or e911 (tfFeatureE911List)",
		Ops:     []string{inteliquent.OpTfFeatureCNamList, inteliquent.OpTfFeatureMessageList, inteliquent.OpTfFeatureE911List},
		Filters: []Filter{
			{Flag: "feature", Param: "(listing)", Enum: []string{"cnam", "messaging", "e911"}, Required: true, Help: "which feature listing"},
			{Flag: "tn-mask", Param: "tnMask", Help: "10 characters of 0-9 or x (e911 only)"},
		},
		Columns: func(p map[string]string) []string { return cols[p["feature"]] },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			feature := env.Params["feature"]
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				var rows [][]string
				switch feature {
				case "cnam":
					resp, err := env.API.TfFeatureCNamList(ctx, &inteliquent.TfFeatureListRequest{})
					if err != nil {
						return nil, err
					}
					for _, it := range resp.TfFeatureList.TfFeatureItem {
						rows = append(rows, []string{string(it.TN), it.CallingName})
					}
				case "messaging":
					resp, err := env.API.TfFeatureMessageList(ctx, &inteliquent.TfFeatureListRequest{})
					if err != nil {
						return nil, err
					}
					for _, it := range resp.TfFeatureList.TfFeatureItem {
						rows = append(rows, []string{string(it.TN), it.MessageClass, it.MessageType, string(it.NetNumberID), string(it.AltSpid)})
					}
				default:
					resp, err := env.API.TfFeatureE911List(ctx, &inteliquent.TfFeatureListRequest{TnMask: env.Params["tn-mask"]})
					if err != nil {
						return nil, err
					}
					for _, it := range resp.TfFeatureList.TfFeatureItem {
						rows = append(rows, []string{string(it.TN), it.Name, string(it.OrigStreetNum), it.OrigStreetInfo, it.OrigLocation, it.OrigCity,
							it.OrigState, string(it.OrigPostalCode), string(it.EnhStreetNum), it.EnhStreetInfo, it.EnhCity, it.EnhState, string(it.EnhPostalCode)})
					}
				}
				return rows, nil
			})
		},
	}
}

func trunkGroupsKind() *Kind {
	return &Kind{
		Name:    "trunk-groups",
		Help:    "the account's DID trunk groups (trunkGroupSearchAssigned)",
		Ops:     []string{inteliquent.OpTrunkGroupSearchAssigned},
		Columns: func(map[string]string) []string { return []string{"trunk_group_name"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.TrunkGroupSearchAssigned(ctx, &inteliquent.TrunkGroupSearchAssignedRequest{})
				if err != nil {
					return nil, err
				}
				var rows [][]string
				for _, n := range resp.Names() {
					rows = append(rows, []string{n})
				}
				return rows, nil
			})
		},
	}
}

func trunkGroupUtilizationKind() *Kind {
	return &Kind{
		Name:    "trunk-group-utilization",
		Example: func(time.Time) Example { return Example{StartDate: "2024-03-01", EndDate: "2024-03-02"} },
		Help:    "10-minute calls and capacity of trunk groups (trunkGroupUtilization): one request per trunk group and UTC day of the date range",
		Ops:     []string{inteliquent.OpTrunkGroupUtilization, inteliquent.OpTrunkGroupSearchAssigned},
		Filters: []Filter{
			{Flag: "trunk-group-name", Param: "trunkGroupName", Default: "all", Help: "comma-separated trunk group names, or all (trunkGroupSearchAssigned)"},
		},
		Dated: true,
		Columns: func(map[string]string) []string {
			return []string{"trunk_group_name", "trunk_group_date", "in_calls", "out_calls", "capacity"}
		},
		Open: func(ctx context.Context, env *Env, state json.RawMessage) (Source, error) {
			var names []string
			if v := strings.TrimSpace(env.Params["trunk-group-name"]); v != "" && !strings.EqualFold(v, "all") {
				for _, n := range strings.Split(v, ",") {
					if n = strings.TrimSpace(n); n != "" {
						names = append(names, n)
					}
				}
			} else {
				resp, err := env.API.TrunkGroupSearchAssigned(ctx, &inteliquent.TrunkGroupSearchAssignedRequest{})
				if err != nil {
					return nil, fmt.Errorf("trunkGroupSearchAssigned: %w", err)
				}
				names = resp.Names()
			}
			days := dailyWindows(env.Start, env.End)
			s := &taskSource{n: len(names) * len(days), fetch: func(ctx context.Context, i int) ([][]string, error) {
				tg, day := names[i/len(days)], days[i%len(days)][0].Format("2006-01-02")
				resp, err := env.API.TrunkGroupUtilization(ctx, &inteliquent.TrunkGroupUtilizationRequest{StartDate: day, EndDate: day, TrunkGroupName: []string{tg}})
				if err != nil {
					return nil, fmt.Errorf("trunkGroupUtilization %s %s: %w", tg, day, err)
				}
				rows := make([][]string, 0, len(resp.TrunkGroupUtilList.TrunkGroupUtilItem))
				for _, it := range resp.TrunkGroupUtilList.TrunkGroupUtilItem {
					rows = append(rows, []string{tg, it.TrunkGroupDate, it.InCalls.String(), it.OutCalls.String(), it.Capacity.String()})
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

func routingLabelsKind() *Kind {
	return &Kind{
		Name: "routing-labels",
		Help: "toll-free routing labels with their routes (routingLabelSearchAssigned, then routingLabelDetail per label): one row per route",
		Ops:  []string{inteliquent.OpRoutingLabelSearchAssigned, inteliquent.OpRoutingLabelDetail},
		Columns: func(map[string]string) []string {
			return []string{"routing_label", "customer_assigned_name", "route_prioritization_type", "route_sequence", "trunk_group_name", "route_proportion"}
		},
		Open: func(ctx context.Context, env *Env, state json.RawMessage) (Source, error) {
			resp, err := env.API.RoutingLabelSearchAssigned(ctx, &inteliquent.RoutingLabelSearchAssignedRequest{})
			if err != nil {
				return nil, fmt.Errorf("routingLabelSearchAssigned: %w", err)
			}
			labels := resp.RoutingLabelList.RoutingLabelItem
			s := &taskSource{n: len(labels), fetch: func(ctx context.Context, i int) ([][]string, error) {
				l := labels[i]
				d, err := env.API.RoutingLabelDetail(ctx, &inteliquent.RoutingLabelDetailRequest{RoutingLabel: l.RoutingLabel})
				if err != nil {
					return nil, fmt.Errorf("routingLabelDetail %s: %w", l.RoutingLabel, err)
				}
				routes := d.RoutingLabelList.RoutingLabelItem
				if len(routes) == 0 {
					return [][]string{{l.RoutingLabel, l.CustomerAssignedName, l.RoutePrioritizationType, "", "", ""}}, nil
				}
				rows := make([][]string, 0, len(routes))
				for _, r := range routes {
					rows = append(rows, []string{l.RoutingLabel, l.CustomerAssignedName, l.RoutePrioritizationType, string(r.RouteSequence), r.TrunkGroupName, string(r.RouteProportion)})
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

func forwardingKind() *Kind {
	return &Kind{
		Name: "forwarding",
		Help: "forwarded numbers: --list tn (tnForwardList), tf (tfForwardList) or all",
		Ops:  []string{inteliquent.OpTnForwardList, inteliquent.OpTfForwardList},
		Filters: []Filter{
			{Flag: "list", Param: "(listing)", Enum: []string{"all", "tn", "tf"}, Default: "all", Help: "tn, tf or all"},
		},
		Columns: func(map[string]string) []string { return []string{"kind", "tn", "forward_to"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			list := env.Params["list"]
			var tasks []string
			if list != "tf" {
				tasks = append(tasks, "tn")
			}
			if list != "tn" {
				tasks = append(tasks, "tf")
			}
			s := &taskSource{n: len(tasks), fetch: func(ctx context.Context, i int) ([][]string, error) {
				var entries []inteliquent.ForwardEntry
				if tasks[i] == "tn" {
					resp, err := env.API.TnForwardList(ctx, &inteliquent.ForwardListRequest{})
					if err != nil {
						return nil, err
					}
					entries = resp.TnForwardList
				} else {
					resp, err := env.API.TfForwardList(ctx, &inteliquent.ForwardListRequest{})
					if err != nil {
						return nil, err
					}
					entries = resp.TfForwardList
				}
				rows := make([][]string, 0, len(entries))
				for _, e := range entries {
					rows = append(rows, []string{tasks[i], string(e.TN), string(e.ForwardTo)})
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
