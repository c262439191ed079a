package inteliquent

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func orderPage(page, total int, ids ...int) string {
	var items []string
	for _, id := range ids {
		items = append(items, fmt.Sprintf(`{"orderId": %d, "orderStatus": "Closed"}`, id))
	}
	return fmt.Sprintf(`{"statusCode": 200, "status": "Success", "orderList": {"orderType": [%s]}, "page": "%d", "totalPages": "%d", "totalItems": "%d", "searchId": "141213799652"}`,
		strings.Join(items, ","), page, total, total*2)
}

func TestOrderListIterPages(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		ps := decodeBody(t, rec.Body)["pageSort"].(map[string]any)
		page := int(ps["page"].(float64))
		reply(w, 200, orderPage(page, 3, page*10, page*10+1))
	}
	var got []OrderID
	for o, err := range env.c.OrderListIter(context.Background(), &OrderListRequest{CustomerOrderReference: "run1", PageSort: &PageSort{Size: 2}}) {
		require.NoError(t, err)
		got = append(got, o.OrderID)
	}
	assert.Equal(t, []OrderID{"10", "11", "20", "21", "30", "31"}, got)
	reqs := env.api.requests()
	require.Len(t, reqs, 3, "stops at page == totalPages")
	for i, r := range reqs {
		b := decodeBody(t, r.Body)
		assert.Equal(t, "run1", b["customerOrderReference"])
		assert.Equal(t, map[string]any{"page": float64(i + 1), "size": float64(2)}, b["pageSort"])
	}
}

func TestOrderListIterStopsOnEmptyPageAnd430(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		if n == 1 {
			reply(w, 200, `{"statusCode": 200, "orderList": {"orderType": [{"orderId": 1}]}}`) // no page fields
			return
		}
		reply(w, 200, `{"status": "No Results found", "statusCode": "430"}`)
	}
	n := 0
	for _, err := range env.c.OrderListIter(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)
	assert.Len(t, env.api.requests(), 2)
	ps := decodeBody(t, env.api.requests()[0].Body)["pageSort"].(map[string]any)
	assert.EqualValues(t, DefaultPageSize, ps["size"])
}

func TestIterYieldsErrorAndStops(t *testing.T) {
	env := newEnv(t, func(c *Config) { c.Retries = -1 })
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		if n == 1 {
			reply(w, 200, orderPage(1, 5, 1))
			return
		}
		reply(w, 200, `{"status":"Private Key is not valid.","statusCode":"410"}`)
	}
	var errs []error
	for _, err := range env.c.OrderListIter(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1)
	assert.True(t, IsFatal(errs[0]))
}

func TestIterEarlyBreak(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		reply(w, 200, orderPage(n, 9, n, n+100))
	}
	for o, err := range env.c.OrderListIter(context.Background(), nil) {
		require.NoError(t, err)
		assert.Equal(t, OrderID("1"), o.OrderID)
		break
	}
	assert.Len(t, env.api.requests(), 1)
}

func inventoryPage(page, total int, sid string, tns ...string) string {
	var items []string
	for _, tn := range tns {
		items = append(items, fmt.Sprintf(`{"telephoneNumber": "%s"}`, tn))
	}
	return fmt.Sprintf(`{"statusCode": "200", "status": "Success", "tnResult": [%s], "page": "%d", "totalPages": "%d", "totalItems": "%d", "searchId": "%s"}`,
		strings.Join(items, ","), page, total, total, sid)
}

func TestTnInventoryScroll(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		reply(w, 200, inventoryPage(n, 3, fmt.Sprintf("SID%d", n), fmt.Sprintf("31840741%02d", n)))
	}
	req := &TnInventoryRequest{TnMask: "xxxxxxxxxx", PageSort: &PageSort{Property: "tn", Direction: "asc", Size: 5}}
	var got []TN
	var pages []string
	for p, err := range env.c.TnInventoryScrollPages(context.Background(), req) {
		require.NoError(t, err)
		pages = append(pages, fmt.Sprintf("%s/%s/%s", p.Page, p.TotalPages, p.SearchID))
		for _, it := range p.TnResult {
			got = append(got, it.TelephoneNumber)
		}
	}
	assert.Equal(t, []TN{"3184074101", "3184074102", "3184074103"}, got)
	assert.Equal(t, []string{"1/3/SID1", "2/3/SID2", "3/3/SID3"}, pages)
	reqs := env.api.requests()
	require.Len(t, reqs, 3)
	first := decodeBody(t, reqs[0].Body)
	assert.Equal(t, "xxxxxxxxxx", first["tnMask"])
	assert.Equal(t, map[string]any{"property": "tn", "direction": "asc", "size": float64(10000), "page": float64(1)}, first["pageSort"],
		"scroll forces size 10000")
	second := decodeBody(t, reqs[1].Body)
	assert.Equal(t, "xxxxxxxxxx", second["tnMask"], "criteria kept")
	assert.Equal(t, map[string]any{"size": float64(10000), "searchId": "SID1"}, second["pageSort"], "searchId inside pageSort")
	assert.Equal(t, "SID2", decodeBody(t, reqs[2].Body)["pageSort"].(map[string]any)["searchId"])
	assert.Equal(t, 5, req.PageSort.Size, "caller's request untouched")
}

func TestScrollWithoutSearchIDIsAnError(t *testing.T) {
	env := newEnv(t)
	env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
		reply(w, 200, inventoryPage(1, 3, "", "3184074100"))
	}
	var errs []error
	n := 0
	for _, err := range env.c.TnInventoryScroll(context.Background(), &TnInventoryRequest{TnMask: "xxxxxxxxxx"}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	assert.Equal(t, 1, n)
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "no searchId")
}

func TestTnDetailIterAndScroll(t *testing.T) {
	detailPage := func(page, total int, sid string, tn string) string {
		return fmt.Sprintf(`{"statusCode":"200","tnList":{"tnItem":[{"tn": %s}]},"page":"%d","totalPages":"%d","totalItems":"%d","searchId":"%s"}`,
			tn, page, total, total, sid)
	}
	t.Run("page/size", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
			reply(w, 200, detailPage(n, 2, "", fmt.Sprintf("20121514%02d", n)))
		}
		var got []TN
		for it, err := range env.c.TnDetailIter(context.Background(), &TnDetailRequest{}) {
			require.NoError(t, err)
			got = append(got, it.TN)
		}
		assert.Equal(t, []TN{"2012151401", "2012151402"}, got)
	})
	t.Run("scroll", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
			if n == 3 {
				reply(w, 200, `{"statusCode":"200","tnList":{"tnItem":[]}}`)
				return
			}
			reply(w, 200, detailPage(n, 0, "S", fmt.Sprintf("20121514%02d", n))) // totalPages unknown ("0" → stop)
		}
		var got []TN
		for it, err := range env.c.TnDetailScroll(context.Background(), &TnDetailRequest{}) {
			require.NoError(t, err)
			got = append(got, it.TN)
		}
		assert.Equal(t, []TN{"2012151401"}, got, "page 1 ≥ totalPages 0 stops")
	})
	t.Run("page mismatch is an error", func(t *testing.T) {
		env := newEnv(t)
		env.api.handle = func(w http.ResponseWriter, r *http.Request, n int, rec recorded) {
			reply(w, 200, detailPage(1, 5, "", "2012151401")) // server ignores page
		}
		var errs []error
		for _, err := range env.c.TnDetailIter(context.Background(), &TnDetailRequest{}) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "asked for page 2")
	})
}
