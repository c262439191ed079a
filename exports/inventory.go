package exports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
)

var inventoryColumns = []string{"telephone_number", "rate_center", "rate_center_name", "city", "lata", "province",
	"rate_center_tier", "cnam_allowed", "dl_allowed", "e911_allowed", "msg_allowed", "country_code",
	"port_out_pin_supported", "port_out_notification_supported", "sms_override_allowed", "mms_allowed", "mms_override_allowed"}

func inventoryKind() *Kind {
	return &Kind{
		Name: "inventory",
		Help: "available numbers (tnInventory), searchId scroll at 10,000 per page, sorted by tn; an expired scroll restarts without gaps or duplicates",
		Ops:  []string{inteliquent.OpTnInventory},
		Filters: []Filter{
			{Flag: "tn-mask", Param: "tnMask", Help: "10 characters of 0-9 or x (default xxxxxxxxxx unless --tn-wildcard)"},
			{Flag: "tn-wildcard", Param: "tnWildcard", Help: "0-9, letters (phone keypad), * and ?"},
			{Flag: "lata", Param: "lata", Help: "LATA"},
			{Flag: "rate-center", Param: "rateCenter", Help: "rate center abbreviation"},
			{Flag: "rate-center-tier", Param: "rateCenterTier", Enum: []string{"0", "1", "2", "AK", "HI", "CAN", "PRI", "WS-A", "WS-B", "WS-C"}, Help: "rate center tier"},
			{Flag: "province", Param: "province", Help: "state or province"},
			{Flag: "city", Param: "city", Help: "city (needs --province)"},
			{Flag: "postal-code", Param: "postalCode", Help: "postal code"},
			{Flag: "wireless", Param: "wireless", Enum: ynEnum, Help: "Y or N"},
			{Flag: "search-on-net-only", Param: "searchOnNetOnly", Enum: ynEnum, Help: "Y or N"},
		},
		Columns: func(map[string]string) []string { return inventoryColumns },
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			req := inteliquent.TnInventoryRequest{TnMask: p["tn-mask"], TnWildcard: p["tn-wildcard"], Lata: p["lata"],
				RateCenter: p["rate-center"], RateCenterTier: p["rate-center-tier"], Province: p["province"], City: p["city"],
				PostalCode: p["postal-code"], Wireless: p["wireless"], SearchOnNetOnly: p["search-on-net-only"]}
			if req.TnMask == "" && req.TnWildcard == "" {
				req.TnMask = "xxxxxxxxxx" // the guide requires one of them
			}
			s := &inventorySource{api: env.API, req: req}
			if err := decodeState(state, &s.st); err != nil {
				return nil, err
			}
			// A searchId saved before an interruption cannot be trusted: the
			// API may have advanced it for an answer that never arrived.
			s.stale = s.st.SearchID != ""
			return s, nil
		},
	}
}

// inventoryState is the scroll cursor.
type inventoryState struct {
	// LastTN is the last number written; everything ≤ it is done.
	LastTN string `json:"last_tn"`
	// Written counts rows written, to find the restart page.
	Written int64 `json:"written"`
	// SearchID continues the scroll; empty before the first page.
	SearchID   string `json:"search_id"`
	Page       int64  `json:"page"`
	TotalPages int64  `json:"total_pages"`
	Done       bool   `json:"done"`
}

type inventorySource struct {
	api *inteliquent.Client
	req inteliquent.TnInventoryRequest
	st  inventoryState
	// stale marks a searchId from before a resume: restart instead.
	stale bool
}

func (s *inventorySource) State() (json.RawMessage, error) { return json.Marshal(s.st) }

// scrollRefused reports whether err is the API refusing a searchId: body
// 410, or any final answer that talks about the searchId. Transport
// failures and throttling are not (the client already retried them).
func scrollRefused(err error) bool {
	var ae *inteliquent.APIError
	if !errors.As(err, &ae) || inteliquent.IsFatal(err) || inteliquent.IsRetryable(err) {
		return false
	}
	return ae.Code == "410" || strings.Contains(strings.ToLower(ae.Status+" "+ae.Message), "searchid")
}

func (s *inventorySource) Next(ctx context.Context) (Page, bool, error) {
	var pg Page
	if s.st.Done {
		return pg, true, nil
	}
	var resp *inteliquent.TnInventoryResponse
	var err error
	if s.st.SearchID != "" && !s.stale {
		r := s.req
		r.PageSort = &inteliquent.PageSort{Size: inteliquent.ScrollSize, SearchID: s.st.SearchID}
		pg.Requests++
		resp, err = s.api.TnInventory(ctx, &r)
		switch {
		case err != nil && !scrollRefused(err):
			return pg, false, fmt.Errorf("inventory scroll after %s: %w", s.st.LastTN, err)
		case err == nil && resp.Page.Valid && resp.Page.N != s.st.Page+1 && len(resp.TnResult) > 0:
			// A page went missing: the API advanced the scroll for an
			// answer we never got (a retried, dropped request). Restart.
			resp = nil
		}
	}
	if resp == nil { // first page, resume, or the scroll was refused
		restarted := s.st.SearchID != ""
		s.stale = false
		var n int
		if resp, n, err = s.restart(ctx); err != nil {
			return Page{Requests: pg.Requests + n}, false, err
		}
		pg.Requests += n
		if restarted {
			pg.Restarted++
		}
	}
	rows := make([][]string, 0, len(resp.TnResult))
	for _, t := range resp.TnResult {
		tn := string(t.TelephoneNumber)
		if s.st.LastTN != "" && tnLE(tn, s.st.LastTN) {
			continue // written before the restart
		}
		rows = append(rows, []string{tn, t.RateCenter, t.RateCenterName, t.City, t.Lata.String(), t.Province,
			t.RateCenterTier.String(), t.CnamAllowed, t.DlAllowed, t.E911Allowed, t.MsgAllowed, t.CountryCode.String(),
			t.PortOutPinSupported, t.PortOutNotificationSupported, t.SmsOverrideAllowed, t.MmsAllowed, t.MmsOverrideAllowed})
		s.st.LastTN = tn
	}
	s.st.Written += int64(len(rows))
	s.st.SearchID = resp.SearchID.String()
	if resp.Page.Valid {
		s.st.Page = resp.Page.N
	} else {
		s.st.Page++
	}
	if resp.TotalPages.Valid {
		s.st.TotalPages = resp.TotalPages.N
	}
	s.st.Done = len(resp.TnResult) == 0 || (resp.TotalPages.Valid && s.st.Page >= resp.TotalPages.N)
	if !s.st.Done && s.st.SearchID == "" {
		return pg, false, errors.New("inventory scroll: the answer carried no searchId")
	}
	pg.Rows = rows
	return pg, s.st.Done, nil
}

// restart opens a new scroll sorted by tn ascending at page 1 and scrolls
// forward with its searchId to the first page whose last number is after
// the last written one: the guide allows page/size only within the first
// 10,000 results ("paginate through the results in groups of 10,000 using
// searchID"), so a new scroll cannot jump to a later page. Starting at the
// beginning proves there is no gap; the numbers up to LastTN are skipped
// by the caller.
func (s *inventorySource) restart(ctx context.Context) (*inteliquent.TnInventoryResponse, int, error) {
	first := s.req
	first.PageSort = &inteliquent.PageSort{Property: "tn", Direction: "asc", Size: inteliquent.ScrollSize, Page: 1}
	r := first
	requests, refused := 0, 0
	for {
		requests++
		resp, err := s.api.TnInventory(ctx, &r)
		if err != nil && scrollRefused(err) && r.PageSort.SearchID != "" && refused < maxRestartRefusals {
			refused++ // the new scroll expired too: start it again
			r = first
			continue
		}
		if err != nil {
			return nil, requests, fmt.Errorf("inventory: new scroll (request %d): %w", requests, err)
		}
		n := len(resp.TnResult)
		if s.st.LastTN == "" || n == 0 || resp.SearchID.String() == "" || !tnLE(string(resp.TnResult[n-1].TelephoneNumber), s.st.LastTN) {
			return resp, requests, nil
		}
		r = s.req
		r.PageSort = &inteliquent.PageSort{Size: inteliquent.ScrollSize, SearchID: resp.SearchID.String()}
	}
}

// maxRestartRefusals bounds how often one restart starts over because its
// own new scroll expired on the way to the last written number.
const maxRestartRefusals = 3

// tnLE compares numbers as the scroll sorts them: by length, then digits.
func tnLE(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a <= b
}
