package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/iqbulk/iqbulk/inteliquent"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
	"github.com/iqbulk/iqbulk/writers"
)

// excludedKind exports what orders excluded — numbers, features and E911
// addresses — for a list of orderIds or for every order a run placed.
func excludedKind() *Kind {
	return &Kind{
		Name:    "excluded",
		Example: filters("order-id", "2000001"),
		Help:    "what orders excluded (excludedTnList, excludedFeatureList, excludedE911Detail) for --order-id ID[,ID...] or --run-dir DIR",
		Ops:     []string{inteliquent.OpExcludedTnList, inteliquent.OpExcludedFeatureList, inteliquent.OpExcludedE911Detail},
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
			src := &orderSource{api: env.API, orders: orders}
			if err := decodeState(state, &src.st); err != nil {
				return nil, err
			}
			return src, nil
		},
	}
}

// excludedOrders lists the orders to read: --order-id values, then the
// orders recorded in --run-dir's checkpoint.
func excludedOrders(ctx context.Context, env *Env) ([]record.Order, error) {
	p := env.Params
	var out []record.Order
	for _, id := range strings.Split(p["order-id"], ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, record.Order{OrderID: id})
		}
	}
	if dir := p["run-dir"]; dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "state.db")); err != nil {
			return nil, fmt.Errorf("--run-dir %s is not a run directory: %w", dir, ErrUsage)
		}
		if env.RunOrders == nil {
			return nil, fmt.Errorf("--run-dir: this program cannot read run directories: %w", ErrUsage)
		}
		orders, err := env.RunOrders(ctx, dir)
		if err != nil {
			return nil, err
		}
		out = append(out, orders...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("export excluded needs --order-id or --run-dir: %w", ErrUsage)
	}
	return out, nil
}

// orderSource reads one order's exclusions per page; its state is the
// number of orders done, so a resumed export continues with the next order.
type orderSource struct {
	api    *inteliquent.Client
	orders []record.Order
	st     pagedState
	// read is jobs.OrderExclusions (3 requests) unless set
	// (intl-excluded: jobs.IntlOrderExclusions, 1).
	read     func(ctx context.Context, api *inteliquent.Client, orderID, ref string) ([]record.Excluded, error)
	requests int
}

func (s *orderSource) Next(ctx context.Context) (Page, bool, error) {
	if s.st.Page >= len(s.orders) {
		return Page{}, true, nil
	}
	o := s.orders[s.st.Page]
	read, n := s.read, s.requests
	if read == nil {
		read, n = jobs.OrderExclusions, 3
	}
	xs, err := read(ctx, s.api, o.OrderID, o.CustomerOrderReference)
	if err != nil {
		return Page{Requests: n}, false, err
	}
	rows := make([][]string, len(xs))
	for i, x := range xs {
		rows[i] = jobs.ExcludedCells(x)
	}
	s.st.Page++
	s.st.Done = s.st.Page >= len(s.orders)
	return Page{Rows: rows, Requests: n}, s.st.Done, nil
}

func (s *orderSource) State() (json.RawMessage, error) { return json.Marshal(s.st) }
