package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
)

var (
	portInOrderColumns = []string{"order_id", "order_status", "customer_order_reference", "desired_due_date", "tn_quantity",
		"created_date", "created_user", "foc_tn_quantity", "rejected_tn_quantity", "activated_tn_quantity", "foc_list", "reject_reasons"}
	portInTnColumns = []string{"order_id", "customer_order_reference", "order_status", "desired_due_date", "created_date",
		"created_user", "reject_reason_name", "tn", "process_name", "tn_status"}
)

func portInsKind() *Kind {
	return &Kind{
		Name: "port-ins",
		Help: "pending port-ins: --list orders (portInOrderList, page/size) or numbers (portInOrderTnList, one answer)",
		Ops:  []string{inteliquent.OpPortInOrderList, inteliquent.OpPortInOrderTnList},
		Filters: []Filter{
			{Flag: "list", Param: "(listing)", Enum: []string{"orders", "numbers"}, Default: "orders", Help: "orders or numbers"},
			{Flag: "order-id", Param: "orderId", Help: "one order (orders)"},
			{Flag: "customer-order-reference", Param: "customerOrderReference", Help: "orders with this reference (orders)"},
			{Flag: "order-status", Param: "orderStatus", Enum: []string{"INCOMPLT", "PENDING", "PCNCL", "CNCL", "CLSD"}, Help: "INCOMPLT, PENDING, PCNCL, CNCL or CLSD (orders)"},
			{Flag: "tn", Param: "tn", Help: "orders holding this number (orders)"},
			{Flag: "created-date-start-range", Param: "createdDateStartRange", Help: "created on or after (2015-12-20) (orders)"},
			{Flag: "created-date-end-range", Param: "createdDateEndRange", Help: "created on or before (orders)"},
		},
		Columns: func(p map[string]string) []string {
			if p["list"] == "numbers" {
				return portInTnColumns
			}
			return portInOrderColumns
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			p := env.Params
			if p["list"] == "numbers" {
				return newOneShot(state, func(ctx context.Context) ([][]string, error) {
					resp, err := env.API.PortInOrderTnList(ctx, &inteliquent.PortInOrderTnListRequest{})
					if err != nil {
						return nil, err
					}
					rows := make([][]string, 0, len(resp.OrderList.OrderType))
					for _, r := range resp.OrderList.OrderType {
						rows = append(rows, []string{r.OrderID.String(), r.CustomerOrderReference, r.OrderStatus, r.DesiredDueDate,
							r.CreatedDate, r.CreatedUser, r.RejectReasonName, string(r.TN), r.ProcessName, r.TnStatus})
					}
					return rows, nil
				})
			}
			base := inteliquent.PortInOrderListRequest{OrderID: inteliquent.OrderID(p["order-id"]), CustomerOrderReference: p["customer-order-reference"],
				OrderStatus: p["order-status"], TN: inteliquent.TN(p["tn"]), CreatedDateStartRange: p["created-date-start-range"],
				CreatedDateEndRange: p["created-date-end-range"]}
			return newPaged(env.PageSize, state, func(ctx context.Context, page, size int) ([][]string, inteliquent.FlexInt, error) {
				req := base
				req.PageSort = &inteliquent.PageSort{Property: "orderId", Direction: "asc", Size: size, Page: page}
				resp, err := env.API.PortInOrderList(ctx, &req)
				if err != nil {
					return nil, inteliquent.FlexInt{}, err
				}
				rows := make([][]string, 0, len(resp.OrderList.OrderType))
				for _, o := range resp.OrderList.OrderType {
					rows = append(rows, []string{o.OrderID.String(), o.OrderStatus, o.CustomerOrderReference, o.DesiredDueDate,
						o.TnQuantity.String(), o.CreatedDate, o.CreatedUser, o.FocTnQuantity.String(), o.RejectedTnQuantity.String(),
						o.ActivatedTnQuantity.String(), focListText(o.FocList.FocItem), rejectReasonsText(o.RejectReasonList.RejectReasonItem)})
				}
				return rows, resp.TotalPages, nil
			})
		},
	}
}

// focListText renders portInOrderList's focList, one FOC date (portDate)
// after the other with its counts: "2017-09-26: 1 tn, 0 foc, 0 rejected,
// 1 activated | no port date: 1 tn, 0 foc, 1 rejected, 0 activated".
func focListText(items []inteliquent.FocItem) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		date := strings.TrimSpace(it.PortDate)
		if len(date) >= 10 {
			if _, err := time.Parse(time.DateOnly, date[:10]); err == nil {
				date = date[:10]
			}
		}
		if date == "" {
			date = "no port date"
		}
		parts = append(parts, fmt.Sprintf("%s: %s tn, %s foc, %s rejected, %s activated", date, qty(it.TnQuantity),
			qty(it.FocTnQuantity), qty(it.RejectedTnQuantity), qty(it.ActivatedTnQuantity)))
	}
	return strings.Join(parts, " | ")
}

// rejectReasonsText renders portInOrderList's rejectReasonList:
// "Invalid zip code: 1 | PIN required/invalid: 2".
func rejectReasonsText(items []inteliquent.RejectReasonItem) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		parts = append(parts, strings.TrimSpace(it.RejectReason)+": "+qty(it.RejectedTnQuantity))
	}
	return strings.Join(parts, " | ")
}

func qty(n inteliquent.FlexInt) string {
	if s := n.String(); s != "" {
		return s
	}
	return "0"
}
