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
	// stalls counts answers in a row that brought no new number without
	// ending the listing; maxStalls of them end the export.
	stalls int
}

// maxStalls bounds the restarts of a scroll that does not advance (the
// guide's own tnInventory example answers "page": "1", "totalPages": "117"
// every time, guide lines 890–905).
const maxStalls = 3

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
	// The listing ends at the last page the API announced, or (without
	// totalPages) at an empty page. An empty page before totalPages, or an
	// answer with nothing new that does not end the listing, is a stall:
	// the scroll goes on (and is restarted when it answers a page out of
	// turn), a bounded number of times.
	empty := len(resp.TnResult) == 0
	last := resp.TotalPages.Valid && s.st.Page >= resp.TotalPages.N
	s.st.Done = last || (empty && !resp.TotalPages.Valid)
	pg.Rows = rows
	if !s.st.Done && len(rows) == 0 {
		s.stalls++
		what := fmt.Sprintf("page %d of %d brought no number after %s", s.st.Page, s.st.TotalPages, s.st.LastTN)
		if empty {
			what = fmt.Sprintf("page %d of %d is empty: the rows never reach totalPages", s.st.Page, s.st.TotalPages)
		}
		if s.stalls >= maxStalls {
			return pg, false, fmt.Errorf("%w: inventory scroll: %s, %d times in a row (restarted each time); nothing repeated was written",
				ErrNoProgress, what, s.stalls)
		}
		// Go on with the scroll: a restart may land on the page that ends
		// at the last written number, and the next page brings new ones. A
		// scroll that answers the same page again is restarted by the page
		// check above.
		return pg, false, nil
	}
	s.stalls = 0
	if !s.st.Done && s.st.SearchID == "" {
		return pg, false, errors.New("inventory scroll: the answer carried no searchId")
	}
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
	prevLast, stuck := "", 0 // the scroll must advance on its way to LastTN
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
		// A scroll whose pages do not move forward (the guide's own answer
		// says page 1 of 117 every time) never reaches LastTN: stop after
		// maxStalls such pages instead of scrolling forever.
		last := string(resp.TnResult[n-1].TelephoneNumber)
		if prevLast != "" && tnLE(last, prevLast) {
			if stuck++; stuck >= maxStalls {
				return nil, requests, fmt.Errorf("%w: inventory: the new scroll does not advance: page %d of %d ends at %s again, %d times, before reaching %s",
					ErrNoProgress, resp.Page.N, resp.TotalPages.N, last, stuck, s.st.LastTN)
			}
		} else {
			stuck = 0
		}
		prevLast = last
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
