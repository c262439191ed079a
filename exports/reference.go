package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/readers"
)

// The reference and report kinds: rate-centers (rateCenterCoverage),
// coverage (tnInventoryCoverage), latas (lataInventory), cics (cicList),
// cnam-dips (tnFeatureCnamDip), e911-notifications
// (customerE911NotificationList, tnE911NotificationList), order-notes
// (orderNote), tickets (ticketList, ticketDetail, ticketNote),
// account-defaults (accountDefaultDetail), switch-locations,
// dtmf-relays, customer-locations and voice-scripts (voiceScriptDetail).

// referenceKinds lists this file's kinds for Default.
func referenceKinds() []*Kind {
	return []*Kind{rateCentersKind(), coverageKind(), latasKind(), cicsKind(), cnamDipsKind(), e911NotificationsKind(),
		orderNotesKind(), ticketsKind(), accountDefaultsKind(),
		stringListKind("switch-locations", "Inteliquent switch locations for trunk-group orders (switchLocationList)", inteliquent.OpSwitchLocationList, "switch_location",
			func(ctx context.Context, api *inteliquent.Client) ([]string, error) {
				r, err := api.SwitchLocationList(ctx)
				if err != nil {
					return nil, err
				}
				return r.SwitchLocationList, nil
			}),
		stringListKind("dtmf-relays", "DTMF relay options for trunk groups (dtmfRelayList)", inteliquent.OpDtmfRelayList, "dtmf_relay",
			func(ctx context.Context, api *inteliquent.Client) ([]string, error) {
				r, err := api.DtmfRelayList(ctx)
				if err != nil {
					return nil, err
				}
				return r.DtmfRelayList, nil
			}),
		stringListKind("customer-locations", "the account's locations for trunk groups (customerLocationList)", inteliquent.OpCustomerLocationList, "customer_location",
			func(ctx context.Context, api *inteliquent.Client) ([]string, error) {
				r, err := api.CustomerLocationList(ctx)
				if err != nil {
					return nil, err
				}
				return r.CustomerLocationList, nil
			}),
		voiceScriptsKind(),
	}
}

// tnListParam splits and normalises a --tn-list value.
func tnListParam(v string) ([]inteliquent.TN, error) {
	var out []inteliquent.TN
	for _, raw := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		tn, err := readers.NormalizeTN(raw)
		if err != nil {
			return nil, fmt.Errorf("--tn-list %q: %w: %v", raw, ErrUsage, err)
		}
		out = append(out, inteliquent.TN(tn))
	}
	return out, nil
}

var tnListFilter = Filter{Flag: "tn-list", Param: "tnList", Help: "numbers, comma separated"}

func rateCentersKind() *Kind {
	return &Kind{
		Name:    "rate-centers",
		Help:    "rate centers and whether each is approved for new numbers (DID) and port-ins (LNP) (rateCenterCoverage)",
		Ops:     []string{inteliquent.OpRateCenterCoverage},
		Filters: []Filter{{Flag: "wireless", Param: "wireless", Enum: ynEnum, Help: "Y or N"}},
		Columns: func(map[string]string) []string {
			return []string{"lata", "rc_abbre", "market_name", "loc_state", "lnp_approved", "did_approved"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.RateCenterCoverage(ctx, &inteliquent.RateCenterCoverageRequest{Wireless: env.Params["wireless"]})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(resp.RateCenterList.RateCenterItem))
				for _, it := range resp.RateCenterList.RateCenterItem {
					rows = append(rows, []string{string(it.Lata), strings.TrimSpace(it.RcAbbre), it.MarketName, it.LocState, it.LnpApproved, it.DidApproved})
				}
				return rows, nil
			})
		},
	}
}

func coverageKind() *Kind {
	return &Kind{
		Name: "coverage",
		Help: "counts of spare numbers by state, rate center, NPA-NXX or thousands block (tnInventoryCoverage)",
		Ops:  []string{inteliquent.OpTnInventoryCoverage},
		Filters: []Filter{
			{Flag: "count-by", Param: "countBy", Enum: []string{"state", "rateCenter", "npaNxx", "block"}, Default: "npaNxx", Help: "state, rateCenter, npaNxx or block"},
			{Flag: "rate-center", Param: "rateCenter", Help: "rate center abbreviation"},
			{Flag: "wireless", Param: "wireless", Enum: ynEnum, Help: "Y or N"},
			{Flag: "province", Param: "province", Help: "state or province"},
		},
		Columns: func(map[string]string) []string {
			return []string{"npa", "nxx", "block", "lata", "rc_abbre", "loc_state", "count"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.TnInventoryCoverage(ctx, &inteliquent.TnInventoryCoverageRequest{CountBy: p["count-by"],
					RateCenter: p["rate-center"], Wireless: p["wireless"], Province: p["province"]})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(resp.TnInventoryCoverageList))
				for _, it := range resp.TnInventoryCoverageList {
					rows = append(rows, []string{string(it.Npa), string(it.Nxx), string(it.Block), string(it.Lata),
						strings.TrimSpace(it.RcAbbre), it.LocState, it.Count.String()})
				}
				return rows, nil
			})
		},
	}
}

// latasState is the latas cursor: numbers done so far.
type latasState struct {
	Done int `json:"done"`
}

type latasSource struct {
	api *inteliquent.Client
	tns []inteliquent.TN
	st  latasState
}

func (s *latasSource) Next(ctx context.Context) (Page, bool, error) {
	if s.st.Done >= len(s.tns) {
		return Page{}, true, nil
	}
	chunk := s.tns[s.st.Done:min(len(s.tns), s.st.Done+100)]
	resp, err := s.api.LataInventory(ctx, &inteliquent.LataInventoryRequest{TnList: inteliquent.TnRefs(chunk...)})
	if err != nil {
		return Page{Requests: 1}, false, err
	}
	// The answer does not echo the numbers: it is matched by position, and
	// only when it has exactly one LATA per number asked.
	if len(resp.LataList) != len(chunk) {
		return Page{Requests: 1}, false, fmt.Errorf("lataInventory answered %d LATAs for %d numbers: cannot match them to numbers", len(resp.LataList), len(chunk))
	}
	rows := make([][]string, len(chunk))
	for i, tn := range chunk {
		rows[i] = []string{string(tn), string(resp.LataList[i].Lata)}
	}
	s.st.Done += len(chunk)
	return Page{Rows: rows, Requests: 1}, s.st.Done >= len(s.tns), nil
}

func (s *latasSource) State() (json.RawMessage, error) { return json.Marshal(s.st) }

func latasKind() *Kind {
	return &Kind{
		Name:    "latas",
		Example: filters("tn-list", "3123489651,3123489652"),
		Help:    "the LATA of each number in --tn-list, 100 numbers per request (lataInventory)",
		Ops:     []string{inteliquent.OpLataInventory},
		Filters: []Filter{{Flag: "tn-list", Param: "tnList", Required: true, Help: tnListFilter.Help}},
		Columns: func(map[string]string) []string { return []string{"tn", "lata"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			tns, err := tnListParam(env.Params["tn-list"])
			if err != nil {
				return nil, err
			}
			s := &latasSource{api: env.API, tns: tns}
			if err := decodeState(state, &s.st); err != nil {
				return nil, err
			}
			return s, nil
		},
	}
}

func cicsKind() *Kind {
	return &Kind{
		Name:    "cics",
		Help:    "toll-free carrier identification codes for tf-order's cic_list (cicList)",
		Ops:     []string{inteliquent.OpCicList},
		Columns: func(map[string]string) []string { return []string{"resp_org_prefix", "cic", "company_name"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.CicList(ctx, &inteliquent.CicListRequest{})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(resp.CicItemList))
				for _, it := range resp.CicItemList {
					rows = append(rows, []string{it.RespOrgPrefix, string(it.Cic), it.CompanyName})
				}
				return rows, nil
			})
		},
	}
}

func cnamDipsKind() *Kind {
	return &Kind{
		Name:    "cnam-dips",
		Help:    "the inbound CNAM dip setting of every active number (tnFeatureCnamDip, page/size)",
		Ops:     []string{inteliquent.OpTnFeatureCnamDip},
		Columns: func(map[string]string) []string { return []string{"tn", "cnam_dip"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				resp, err := env.API.TnFeatureCnamDip(ctx, &inteliquent.TnFeatureCnamDipRequest{
					PageSort: &inteliquent.PageSort{Property: "tn", Direction: "asc", Size: size, Page: page}})
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.TnFeatureCnamDipList))
				for _, it := range resp.TnFeatureCnamDipList {
					rows = append(rows, []string{string(it.TN), it.CnamDip})
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}

func e911NotificationsKind() *Kind {
	return &Kind{
		Name:    "e911-notifications",
		Help:    "E911 notification emails: the account's unprovisioned-E911 list, then each --tn-list number's (customerE911NotificationList, tnE911NotificationList)",
		Ops:     []string{inteliquent.OpCustomerE911NotificationList, inteliquent.OpTnE911NotificationList},
		Filters: []Filter{{Flag: "tn-list", Param: "tn", Help: "numbers whose notification emails to list, comma separated"}},
		Columns: func(map[string]string) []string { return []string{"scope", "tn", "email"} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			tns, err := tnListParam(env.Params["tn-list"])
			if err != nil {
				return nil, err
			}
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				var rows [][]string
				cust, err := env.API.CustomerE911NotificationList(ctx, &inteliquent.CustomerE911NotificationListRequest{})
				if err != nil {
					return nil, err
				}
				for _, a := range cust.Addresses() {
					rows = append(rows, []string{"customer", "", a})
				}
				for _, tn := range tns {
					resp, err := env.API.TnE911NotificationList(ctx, &inteliquent.TnE911NotificationListRequest{
						TnE911Notification: inteliquent.TnE911Notification{TN: tn}})
					if err != nil {
						return nil, fmt.Errorf("%s: %w", tn, err)
					}
					for _, a := range resp.Addresses() {
						rows = append(rows, []string{"tn", string(tn), a})
					}
				}
				return rows, nil
			})
		},
	}
}

func orderNotesKind() *Kind {
	return &Kind{
		Name:    "order-notes",
		Example: filters("order-id", "2000001"),
		Help:    "the notes of the orders in --order-id, or of --customer-order-reference (orderNote)",
		Ops:     []string{inteliquent.OpOrderNote},
		Filters: []Filter{
			{Flag: "order-id", Param: "orderId", Help: "orders, comma separated"},
			{Flag: "customer-order-reference", Param: "customerOrderReference", Help: "the orders with this reference"},
		},
		Columns: func(map[string]string) []string {
			return []string{"order_id", "customer_order_reference", "note_id", "note", "insert_date", "insert_user"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			var refs []inteliquent.OrderRef
			for _, id := range strings.Split(p["order-id"], ",") {
				if id = strings.TrimSpace(id); id != "" {
					refs = append(refs, inteliquent.OrderRef{OrderID: inteliquent.OrderID(id)})
				}
			}
			if r := strings.TrimSpace(p["customer-order-reference"]); r != "" {
				refs = append(refs, inteliquent.OrderRef{CustomerOrderReference: r})
			}
			if len(refs) == 0 {
				return nil, fmt.Errorf("export order-notes needs --order-id or --customer-order-reference: %w", ErrUsage)
			}
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				var rows [][]string
				for _, ref := range refs {
					resp, err := env.API.OrderNote(ctx, &inteliquent.OrderNoteRequest{OrderRef: ref})
					if err != nil {
						return nil, err
					}
					for _, n := range resp.OrderNote.OrderNoteType {
						rows = append(rows, []string{string(ref.OrderID), ref.CustomerOrderReference, string(n.NoteID), n.Note, n.InsertDate, n.InsertUser})
					}
				}
				return rows, nil
			})
		},
	}
}

var ticketColumns = []string{"trouble_ticket_id", "extl_company_ticket", "trouble_ticket_status", "enter_date", "contact_name",
	"description", "market_name", "region_name", "operational_market_name", "occur_date", "assigned_workgroup_name", "country_ref",
	"contact_phone", "contact_phone_extension", "contact_email_address", "trouble_ticket_service", "trouble_ticket_source",
	"trouble_ticket_problem_code", "trouble_ticket_cause_code", "trouble_ticket_resolve_code", "expected_customer_impact",
	"enter_user_display_name", "resolve_user_display_name", "close_user_display_name", "update_date", "update_user_display_name",
	"noc_tech_display_name", "orig_tn", "term_tn", "notes"}

func ticketsKind() *Kind {
	return &Kind{
		Name: "tickets",
		Help: "trouble tickets with their details and notes, one row per ticket (ticketList, ticketDetail, ticketNote)",
		Ops:  []string{inteliquent.OpTicketList, inteliquent.OpTicketDetail, inteliquent.OpTicketNote},
		Filters: []Filter{
			{Flag: "trouble-ticket-id", Param: "troubleTicketId", Help: "one ticket"},
			{Flag: "min-enter-date", Param: "minEnterDate", Help: "entered on or after (2015-12-20)"},
			{Flag: "max-enter-date", Param: "maxEnterDate", Help: "entered on or before (2015-12-20)"},
			{Flag: "extl-company-ticket", Param: "extlCompanyTicket", Help: "your ticket reference"},
			{Flag: "trouble-ticket-status", Param: "troubleTicketStatus", Enum: []string{"Open", "Referred Out", "24-Hour Monitor", "Resolved", "Ready for Closure", "Closed"}, Help: "Open, Referred Out, 24-Hour Monitor, Resolved, Ready for Closure or Closed"},
			{Flag: "trouble-ticket-status-exclude", Param: "troubleTicketStatusExclude", Enum: ynEnum, Help: "Y: every status but --trouble-ticket-status"},
		},
		Columns: func(map[string]string) []string { return ticketColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				list, err := env.API.TicketList(ctx, &inteliquent.TicketListRequest{TroubleTicketID: p["trouble-ticket-id"],
					MinEnterDate: p["min-enter-date"], MaxEnterDate: p["max-enter-date"], ExtlCompanyTicket: p["extl-company-ticket"],
					TroubleTicketStatus: p["trouble-ticket-status"], TroubleTicketStatusExclude: p["trouble-ticket-status-exclude"]})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(list.TroubleTicketList))
				for _, t := range list.TroubleTicketList {
					id := string(t.TroubleTicketID)
					det, err := env.API.TicketDetail(ctx, &inteliquent.TicketDetailRequest{TroubleTicketID: id})
					if err != nil {
						return nil, fmt.Errorf("ticket %s: %w", id, err)
					}
					d := inteliquent.TicketDetail{}
					if len(det.TicketDetailList) > 0 {
						d = det.TicketDetailList[0]
					}
					notes, err := env.API.TicketNote(ctx, &inteliquent.TicketNoteRequest{TroubleTicketID: id})
					if err != nil {
						return nil, fmt.Errorf("ticket %s notes: %w", id, err)
					}
					var ns []string
					for _, n := range notes.TicketNoteList {
						ns = append(ns, fmt.Sprintf("%s %s (%s): %s", n.NoteID, n.InsertDate, n.InsertUser, n.Note))
					}
					rows = append(rows, []string{id, t.ExtlCompanyTicket, t.TroubleTicketStatus, t.EnterDate, t.ContactName,
						d.Description, d.MarketName, d.RegionName, d.OperationalMarketName, d.OccurDate, d.AssignedWorkgroupName, d.CountryRef,
						string(d.ContactPhone), string(d.ContactPhoneExtension), d.ContactEmailAddress, d.TroubleTicketService, d.TroubleTicketSource,
						d.TroubleTicketProblemCode, d.TroubleTicketCauseCode, d.TroubleTicketResolveCode, d.ExpectedCustomerImpact,
						d.EnterUserDisplayName, d.ResolveUserDisplayName, d.CloseUserDisplayName, d.UpdateDate, d.UpdateUserDisplayName,
						d.NocTechDisplayName, string(d.OrigTN), string(d.TermTN), strings.Join(ns, " | ")})
				}
				return rows, nil
			})
		},
	}
}

var accountDefaultColumns = []string{"contact_last_name", "contact_first_name", "contact_email", "desired_port_time",
	"desired_port_time_zone", "webhook_url", "port_out_pin", "cnam_dip", "cnam_dip_tf", "webhook_header",
	"authorize_webhook_portout", "trunk_group_mgmt_enabled", "port_out_contacts", "msg_delivery_receipt",
	"ip_filtering_enabled", "ip_range", "email_domain", "slo_url"}

func accountDefaultsKind() *Kind {
	return &Kind{
		Name:    "account-defaults",
		Help:    "the account's default settings, one row (accountDefaultDetail); the webhook header is masked",
		Ops:     []string{inteliquent.OpAccountDefaultDetail},
		Columns: func(map[string]string) []string { return accountDefaultColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.AccountDefaultDetail(ctx)
				if err != nil {
					return nil, err
				}
				return [][]string{AccountDefaultsRow(&resp.AccountDefaultDetail)}, nil
			})
		},
	}
}

// AccountDefaultsRow flattens the defaults in accountDefaultColumns order.
// The webhook header is an Authorization value: only its length is shown.
func AccountDefaultsRow(d *inteliquent.AccountDefaults) []string {
	var contacts []string
	if d.PortOutContactList != nil {
		for _, c := range d.PortOutContactList.PortOutContactItem {
			contacts = append(contacts, strings.TrimSpace(c.ContactFirstName+" "+c.ContactLastName)+" <"+c.ContactEmail+">")
		}
	}
	header := ""
	if d.WebhookHeader != "" {
		header = "[set, " + strconv.Itoa(len(d.WebhookHeader)) + " characters]"
	}
	return []string{d.ContactLastName, d.ContactFirstName, d.ContactEmail, d.DesiredPortTime, d.DesiredPortTimeZone,
		d.WebHookURL, string(d.PortOutPin), d.CnamDip, d.CnamDipTf, header, d.AuthorizeWebhookPortout, d.TrunkGroupMgmtEnabled,
		strings.Join(contacts, "; "), d.MsgDeliveryReceipt, d.IPFilteringEnabled, d.IPRange, d.EmailDomain, d.SloURL}
}

// stringListKind is a lookup answered as one list of strings.
func stringListKind(name, help, op, column string, fetch func(ctx context.Context, api *inteliquent.Client) ([]string, error)) *Kind {
	return &Kind{
		Name:    name,
		Help:    help,
		Ops:     []string{op},
		Columns: func(map[string]string) []string { return []string{column} },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				list, err := fetch(ctx, env.API)
				if err != nil {
					return nil, err
				}
				rows := make([][]string, len(list))
				for i, v := range list {
					rows[i] = []string{v}
				}
				return rows, nil
			})
		},
	}
}

func voiceScriptsKind() *Kind {
	return &Kind{
		Name: "voice-scripts",
		Help: "voice script settings: of --tn-list numbers, of one --domain, or (default) of every number (voiceScriptDetail)",
		Ops:  []string{inteliquent.OpVoiceScriptDetail},
		Filters: []Filter{
			{Flag: "tn-list", Param: "tn", Help: tnListFilter.Help},
			{Flag: "domain", Param: "domain", Help: "one domain"},
			{Flag: "script-type", Param: "scriptType", Enum: []string{"NUMBER", "DOMAIN"}, Help: "NUMBER or DOMAIN: every number's or every domain's scripts"},
			{Flag: "script-direction", Param: "Direction", Enum: []string{"inbound", "outbound"}, Help: "inbound or outbound (default both)"},
		},
		Columns: func(map[string]string) []string {
			return []string{"tn", "domain", "direction", "enabled", "customer_default", "created_date", "script"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			tns, err := tnListParam(p["tn-list"])
			if err != nil {
				return nil, err
			}
			var q []inteliquent.VoiceScriptQuery
			dir := p["script-direction"]
			for _, tn := range tns {
				q = append(q, inteliquent.VoiceScriptQuery{TN: tn, Direction: dir})
			}
			if p["domain"] != "" {
				q = append(q, inteliquent.VoiceScriptQuery{Domain: p["domain"], Direction: dir})
			}
			if p["script-type"] != "" || len(q) == 0 {
				st := p["script-type"]
				if st == "" {
					st = "NUMBER"
				}
				q = append(q, inteliquent.VoiceScriptQuery{ScriptType: st, Direction: dir})
			}
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.VoiceScriptDetail(ctx, &inteliquent.VoiceScriptDetailRequest{VoiceScript: q})
				if err != nil {
					return nil, err
				}
				rows := make([][]string, 0, len(resp.VoiceScriptResponse.VoiceScript))
				for _, v := range resp.VoiceScriptResponse.VoiceScript {
					rows = append(rows, []string{string(v.TN), v.Domain, v.Direction, strconv.FormatBool(v.Enabled),
						strconv.FormatBool(v.CustomerDefault), v.CreatedDate, v.Script})
				}
				return rows, nil
			})
		},
	}
}
