package inteliquent

import (
	"context"
	"fmt"
	"iter"
)

// ScrollSize is the only page size at which the searchId scroll works
// (tnInventory: "It is only effective for size = 10000").
const ScrollSize = 10000

// DefaultPageSize is used by the page/size iterators when the request does
// not set pageSort.size.
const DefaultPageSize = 500

func (p *PageInfo) pageInfo() *PageInfo { return p }

type pagedResponse interface {
	envelope
	pageInfo() *PageInfo
}

// walk fetches pages until an empty page, page ≥ totalPages, an error, or the
// consumer stops. build returns the request for the n-th page (1-based); prev
// is the previous answer (nil for the first page).
func walk[R any, PR interface {
	*R
	pagedResponse
}](ctx context.Context, c *Client, op string, scroll bool, build func(prev PR, n int) any, count func(PR) int) iter.Seq2[PR, error] {
	return func(yield func(PR, error) bool) {
		var prev PR
		for n := 1; ; n++ {
			if prev != nil && scroll && prev.pageInfo().SearchID == "" {
				yield(nil, fmt.Errorf("inteliquent: %s: scroll page %d: previous answer carried no searchId", op, n))
				return
			}
			resp := PR(new(R))
			if err := c.do(ctx, op, build(prev, n), resp); err != nil {
				yield(nil, err)
				return
			}
			if count(resp) == 0 {
				return
			}
			pi := resp.pageInfo()
			if !scroll && pi.Page.Valid && pi.Page.N != int64(n) {
				yield(nil, fmt.Errorf("inteliquent: %s: asked for page %d, got page %d", op, n, pi.Page.N))
				return
			}
			if !yield(resp, nil) {
				return
			}
			cur := int64(n)
			if pi.Page.Valid {
				cur = pi.Page.N
			}
			if pi.TotalPages.Valid && cur >= pi.TotalPages.N {
				return
			}
			prev = resp
		}
	}
}

// pageSorted is a listing request with a pageSort object.
type pageSorted[Q any] interface {
	*Q
	sortField() **PageSort
}

// byPage walks a listing with page/size pagination: the request's own
// pageSort (property, direction, size) with page 1, 2, …; size defaults to
// size. req is not modified.
func byPage[R any, PR interface {
	*R
	pagedResponse
}, Q any, PQ pageSorted[Q]](ctx context.Context, c *Client, op string, req PQ, size int, count func(PR) int) iter.Seq2[PR, error] {
	base := derefOr((*Q)(req))
	user := *PQ(&base).sortField()
	return walk[R, PR](ctx, c, op, false, func(_ PR, n int) any {
		r := base
		*PQ(&r).sortField() = pageSortFor(user, n, size)
		return &r
	}, count)
}

// byScroll walks a listing with the searchId scroll at size 10000: the
// first request carries the search, the next ones the previous searchId.
func byScroll[R any, PR interface {
	*R
	pagedResponse
}, Q any, PQ pageSorted[Q]](ctx context.Context, c *Client, op string, req PQ, count func(PR) int) iter.Seq2[PR, error] {
	base := derefOr((*Q)(req))
	user := *PQ(&base).sortField()
	return walk[R, PR](ctx, c, op, true, func(prev PR, _ int) any {
		r := base
		var sid FlexString
		if prev != nil {
			sid = prev.pageInfo().SearchID
		}
		*PQ(&r).sortField() = scrollSortFor(user, sid)
		return &r
	}, count)
}

// sizeOr is the request's page size, or def.
func sizeOr(ps *PageSort, def int) int {
	if ps != nil && ps.Size > 0 {
		return ps.Size
	}
	return def
}

func items[P any, T any](pages iter.Seq2[P, error], list func(P) []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for p, err := range pages {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range list(p) {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

func pageSortFor(user *PageSort, n int, size int) *PageSort {
	ps := PageSort{}
	if user != nil {
		ps = *user
	}
	ps.SearchID = ""
	if ps.Size == 0 {
		ps.Size = size
	}
	ps.Page = n
	return &ps
}

func scrollSortFor(user *PageSort, prevSearchID FlexString) *PageSort {
	if prevSearchID != "" {
		// "If you pass this parameter value … you don't have to send other
		// parameters like size, page, direction & property." Size stays: the
		// scroll only works at 10000.
		return &PageSort{Size: ScrollSize, SearchID: string(prevSearchID)}
	}
	ps := PageSort{}
	if user != nil {
		ps.Property, ps.Direction = user.Property, user.Direction
	}
	ps.Size, ps.Page = ScrollSize, 1
	return &ps
}

// OrderListPages walks orderList with page/size pagination (size from
// req.PageSort or DefaultPageSize). req is not modified.
func (c *Client) OrderListPages(ctx context.Context, req *OrderListRequest) iter.Seq2[*OrderListResponse, error] {
	return byPage[OrderListResponse](ctx, c, OpOrderList, req, DefaultPageSize, func(p *OrderListResponse) int { return len(p.OrderList.OrderType) })
}

// OrderListIter yields every order matching req.
func (c *Client) OrderListIter(ctx context.Context, req *OrderListRequest) iter.Seq2[OrderSummary, error] {
	return items(c.OrderListPages(ctx, req), func(p *OrderListResponse) []OrderSummary { return p.OrderList.OrderType })
}

// TnDetailPages walks tnDetail with page/size pagination.
func (c *Client) TnDetailPages(ctx context.Context, req *TnDetailRequest) iter.Seq2[*TnDetailResponse, error] {
	return byPage[TnDetailResponse](ctx, c, OpTnDetail, req, DefaultPageSize, func(p *TnDetailResponse) int { return len(p.TnList.TnItem) })
}

// TnDetailIter yields every number matching req, page by page.
func (c *Client) TnDetailIter(ctx context.Context, req *TnDetailRequest) iter.Seq2[TnDetailItem, error] {
	return items(c.TnDetailPages(ctx, req), func(p *TnDetailResponse) []TnDetailItem { return p.TnList.TnItem })
}

// TnDetailScrollPages walks tnDetail with the searchId scroll at size 10000.
// Each page carries page, totalPages, totalItems and searchId, so an exporter
// can record its cursor and restart with TnDetail itself.
func (c *Client) TnDetailScrollPages(ctx context.Context, req *TnDetailRequest) iter.Seq2[*TnDetailResponse, error] {
	return byScroll[TnDetailResponse](ctx, c, OpTnDetail, req, func(p *TnDetailResponse) int { return len(p.TnList.TnItem) })
}

// TnDetailScroll yields every number matching req through the scroll.
func (c *Client) TnDetailScroll(ctx context.Context, req *TnDetailRequest) iter.Seq2[TnDetailItem, error] {
	return items(c.TnDetailScrollPages(ctx, req), func(p *TnDetailResponse) []TnDetailItem { return p.TnList.TnItem })
}

// TnInventoryScrollPages walks tnInventory with the searchId scroll at size
// 10000 (the guide's way to download inventory).
func (c *Client) TnInventoryScrollPages(ctx context.Context, req *TnInventoryRequest) iter.Seq2[*TnInventoryResponse, error] {
	return byScroll[TnInventoryResponse](ctx, c, OpTnInventory, req, func(p *TnInventoryResponse) int { return len(p.TnResult) })
}

// TnInventoryScroll yields every inventory number matching req.
func (c *Client) TnInventoryScroll(ctx context.Context, req *TnInventoryRequest) iter.Seq2[InventoryTN, error] {
	return items(c.TnInventoryScrollPages(ctx, req), func(p *TnInventoryResponse) []InventoryTN { return p.TnResult })
}

func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func (r *OrderListRequest) sortField() **PageSort   { return &r.PageSort }
func (r *TnDetailRequest) sortField() **PageSort    { return &r.PageSort }
func (r *TnInventoryRequest) sortField() **PageSort { return &r.PageSort }
