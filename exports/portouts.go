package exports

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/iqbulk/iqbulk/inteliquent"
)

// portOutHistoryWindow is how far back tnPortOutHistory reaches: "the past
// three months" (Telephone Number Port-Out History).
const portOutHistoryMonths = 3

// portOutDateLayouts are the forms tnPortOutHistory's dates take.
var portOutDateLayouts = []string{"2006-01-02T15:04:05.000-0700", time.RFC3339, "2006-01-02"}

func parsePortOutDate(s string) (time.Time, bool) {
	for _, l := range portOutDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// portOutsKind exports the numbers ported out (Closed) or whose port-out
// was rejected (Canceled) with a port date in [start, end). The API answers
// the whole past three months at once; the kind keeps the rows of the
// window, so nightly runs with --since last have neither gaps nor
// overlaps. A window that starts more than three months back cannot be
// answered completely and is refused rather than silently cut.
func portOutsKind() *Kind {
	return &Kind{
		Name: "port-outs",
		// tnPortOutHistory keeps three months: a week back.
		Example: func(now time.Time) Example {
			return Example{StartDate: now.UTC().AddDate(0, 0, -7).Format(time.DateOnly)}
		},
		Help:  "numbers ported out (Closed) or kept (Canceled) with a port date in the date range, at most three months back (tnPortOutHistory)",
		Ops:   []string{inteliquent.OpTnPortOutHistory},
		Dated: true,
		Columns: func(map[string]string) []string {
			return []string{"order_id", "order_status", "created_date", "port_date", "tn"}
		},
		Open: func(_ context.Context, env *Env, state json.RawMessage) (Source, error) {
			oldest := time.Now().UTC().AddDate(0, -portOutHistoryMonths, 0)
			if env.Start.Before(oldest) {
				return nil, fmt.Errorf("port-outs: --start-date %s is more than three months back (%s); tnPortOutHistory keeps only the past three months: %w",
					env.Start.Format(time.DateOnly), oldest.Format(time.DateOnly), ErrUsage)
			}
			return newOneShot(state, func(ctx context.Context) ([][]string, error) {
				resp, err := env.API.TnPortOutHistory(ctx)
				if err != nil {
					return nil, err
				}
				var rows [][]string
				for _, it := range resp.OrderList.OrderType {
					pd, ok := parsePortOutDate(it.PortDate)
					if !ok {
						return nil, fmt.Errorf("tnPortOutHistory: order %s: unreadable portDate %q", it.OrderID, it.PortDate)
					}
					if pd.Before(env.Start) || !pd.Before(env.End) {
						continue
					}
					rows = append(rows, []string{string(it.OrderID), it.OrderStatus, it.CreatedDate, it.PortDate, string(it.TN)})
				}
				return rows, nil
			})
		},
	}
}
