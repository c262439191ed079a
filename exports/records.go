package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// Date layouts the API uses.
const (
	mdrDateLayout  = "2006-01-02T15:04:05.000Z" // messageDetailSearch
	e911DateLayout = "2006-01-02 15:04:05"      // e911CallSearch
)

// ParseDate reads a --start-date/--end-date value: 2006-01-02, 2006-01-02
// 15:04:05, 2006-01-02T15:04:05(.000)Z or RFC 3339; times without a zone
// are UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range []string{time.RFC3339Nano, mdrDateLayout, "2006-01-02T15:04:05", e911DateLayout, "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q: %w (want 2006-01-02, 2006-01-02 15:04:05 or 2006-01-02T15:04:05Z)", s, ErrUsage)
}

// dailyWindows splits [start, end) at UTC midnights.
func dailyWindows(start, end time.Time) [][2]time.Time {
	var out [][2]time.Time
	for s := start; s.Before(end); {
		next := time.Date(s.Year(), s.Month(), s.Day()+1, 0, 0, 0, 0, time.UTC)
		if next.After(end) {
			next = end
		}
		out = append(out, [2]time.Time{s, next})
		s = next
	}
	return out
}

var (
	mdrDirections = []string{"Outbound", "Inbound"}
	mdrClasses    = []string{"P2P", "A2PLC", "A2P8XX"}
	mdrTypes      = []string{"SMS", "MMS"}
	mdrColumns    = []string{"window_start", "direction", "message_class", "message_type", "message_date", "operator", "country",
		"region", "gate_way", "source", "destination", "status", "status_code", "description"}
)

func withAll(v []string) []string { return append([]string{"all"}, v...) }

// expand turns a value or "all" into the list of values to query.
func expand(v string, all []string) []string {
	if strings.EqualFold(v, "all") {
		return all
	}
	return []string{v}
}

type mdrTask struct {
	start, end              time.Time
	direction, class, type_ string
}

func mdrKind() *Kind {
	return &Kind{
		Name: "mdr",
		Example: func(time.Time) Example {
			return Example{Filters: map[string]string{"direction": "all", "message-class": "P2P", "message-type": "all"}, StartDate: "2024-03-01", EndDate: "2024-03-02"}
		},
		Help: "message detail records (messageDetailSearch): one request per UTC day and per direction/messageClass/messageType (all expands to every combination)",
		Ops:  []string{inteliquent.OpMessageDetailSearch},
		Filters: []Filter{
			{Flag: "direction", Param: "direction", Enum: withAll(mdrDirections), Required: true, Help: "Outbound, Inbound or all"},
			{Flag: "message-class", Param: "messageClass", Enum: withAll(mdrClasses), Required: true, Help: "P2P, A2PLC, A2P8XX or all"},
			{Flag: "message-type", Param: "messageType", Enum: withAll(mdrTypes), Required: true, Help: "SMS, MMS or all"},
			{Flag: "disposition", Param: "disposition", Enum: []string{"Enroute", "Successful", "Unknown", "Blocked", "Failed"}, Help: "Enroute, Successful, Unknown, Blocked or Failed"},
			{Flag: "region", Param: "region", Enum: []string{"Africa and Middle East", "Asia and Pacific", "Europe", "Global / Satellite", "Latin America and the Caribbean", "North America"}, Help: "region"},
			{Flag: "country", Param: "country", Help: "country"},
			{Flag: "operators", Param: "operators", Help: "comma-separated operators"},
			{Flag: "source-tn", Param: "sourceTn", Help: "10-digit or E.164 sender"},
			{Flag: "destination-tn", Param: "destinationTn", Help: "10-digit or E.164 recipient"},
		},
		Dated:   true,
		Columns: func(map[string]string) []string { return mdrColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			var tasks []mdrTask
			for _, w := range dailyWindows(env.Start, env.End) {
				for _, d := range expand(p["direction"], mdrDirections) {
					for _, c := range expand(p["message-class"], mdrClasses) {
						for _, t := range expand(p["message-type"], mdrTypes) {
							tasks = append(tasks, mdrTask{w[0], w[1], d, c, t})
						}
					}
				}
			}
			var ops []string
			for _, o := range strings.Split(p["operators"], ",") {
				if o = strings.TrimSpace(o); o != "" {
					ops = append(ops, o)
				}
			}
			s := &taskSource{n: len(tasks), fetch: func(ctx context.Context, i int) ([][]string, error) {
				t := tasks[i]
				resp, err := env.API.MessageDetailSearch(ctx, &inteliquent.MessageDetailSearchRequest{
					StartDate: t.start.Format(mdrDateLayout), EndDate: t.end.Add(-time.Millisecond).Format(mdrDateLayout),
					Direction: t.direction, MessageClass: t.class, MessageType: t.type_, Disposition: p["disposition"],
					Region: p["region"], Country: p["country"], Operators: ops, SourceTn: p["source-tn"], DestinationTn: p["destination-tn"]})
				if err != nil {
					return nil, fmt.Errorf("messageDetailSearch %s %s/%s/%s: %w", t.start.Format(time.RFC3339), t.direction, t.class, t.type_, err)
				}
				rows := make([][]string, 0, len(resp.MessageDetails))
				ws := t.start.Format(time.RFC3339)
				for _, m := range resp.MessageDetails {
					rows = append(rows, []string{ws, t.direction, t.class, t.type_, m.MessageDate, m.Operator, m.Country, m.Region, m.GateWay,
						m.Source.String(), m.Destination.String(), m.Status, m.StatusCode.String(), m.Description})
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

// taskState is the cursor of a task list: tasks done so far.
type taskState struct {
	Done int `json:"done"`
}

// taskSource runs a fixed list of one-request tasks, one page each.
type taskSource struct {
	n     int
	fetch func(ctx context.Context, i int) ([][]string, error)
	st    taskState
}

func (s *taskSource) Next(ctx context.Context) (Page, bool, error) {
	if s.st.Done >= s.n {
		return Page{}, true, nil
	}
	rows, err := s.fetch(ctx, s.st.Done)
	if err != nil {
		return Page{Requests: 1}, false, err
	}
	s.st.Done++
	return Page{Rows: rows, Requests: 1}, s.st.Done >= s.n, nil
}

func (s *taskSource) State() (json.RawMessage, error) { return json.Marshal(s.st) }

var e911CallColumns = []string{"source_tn", "call_date", "call_type", "call_status", "call_destination", "call_provisioned",
	"call_duration", "name", "street_num", "street_info", "city", "state", "postal_code", "call_terminated", "sip_call_id",
	"via_header", "incoming_dnis", "incoming_from", "incoming_contact"}

func e911CallsKind() *Kind {
	return &Kind{
		Name:    "e911-calls",
		Example: func(time.Time) Example { return Example{StartDate: "2024-01-01", EndDate: "2024-01-15"} },
		Help:    "911 call detail records (e911CallSearch, page/size) over the date range",
		Ops:     []string{inteliquent.OpE911CallSearch},
		Filters: []Filter{
			{Flag: "call-type", Param: "callType", Enum: []string{"911", "Test", "All"}, Help: "911, Test or All"},
			{Flag: "call-status", Param: "callStatus", Enum: []string{"Completed", "Cancelled", "Failed", "All"}, Help: "Completed, Cancelled, Failed or All"},
			{Flag: "call-destination", Param: "callDestination", Enum: []string{"Test", "PSAP", "PSAP - 10 digit", "Callcenter", "All"}, Help: "Test, PSAP, PSAP - 10 digit, Callcenter or All"},
			{Flag: "call-provisioned", Param: "callProvisioned", Enum: []string{"Yes", "No", "All"}, Help: "Yes, No or All"},
			{Flag: "source-tn", Param: "sourceTn", Help: "calling number: 0-9, letters, * and ?"},
			{Flag: "e911-contains", Param: "e911Contains", Help: "text in any E911 field"},
			{Flag: "name", Param: "name", Help: "E911 name"},
			{Flag: "street-num", Param: "streetNum", Help: "E911 street number"},
			{Flag: "street-info", Param: "streetInfo", Help: "E911 street"},
			{Flag: "location", Param: "location", Help: "E911 location"},
			{Flag: "city", Param: "city", Help: "E911 city"},
			{Flag: "state", Param: "state", Help: "E911 state"},
		},
		Dated:   true,
		Columns: func(map[string]string) []string { return e911CallColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			base := inteliquent.E911CallSearchRequest{StartDate: env.Start.Format(e911DateLayout),
				EndDate:  env.End.Add(-time.Second).Format(e911DateLayout),
				CallType: p["call-type"], CallStatus: p["call-status"], CallDestination: p["call-destination"],
				CallProvisioned: p["call-provisioned"], SourceTn: p["source-tn"], E911Contains: p["e911-contains"], Name: p["name"],
				StreetNum: p["street-num"], StreetInfo: p["street-info"], Location: p["location"], City: p["city"], State: p["state"]}
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				req := base
				req.PageSort = &inteliquent.PageSort{Size: size, Page: page}
				resp, err := env.API.E911CallSearch(ctx, &req)
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.CallDetailList))
				for _, c := range resp.CallDetailList {
					rows = append(rows, []string{string(c.SourceTn), c.CallDate, c.CallType.String(), c.CallStatus, c.CallDestination,
						c.CallProvisioned, c.CallDuration.String(), c.Name, c.StreetNum.String(), c.StreetInfo, c.City, c.State,
						c.PostalCode.String(), c.CallTerminated, c.SipCallID, c.ViaHeader, c.IncomingDnis, c.IncomingFrom, c.IncomingContact})
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}
