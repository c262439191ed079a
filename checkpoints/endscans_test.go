package checkpoints

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/iqbulk/iqbulk/record"
)

// BenchmarkEndScans times, alone, each full read of the rows that a run's
// end makes (Counts, FinalPrefix, UndecidedByBatchState, Reasons) on
// 100,000 decided rows, and prints µs per row of each.
//
//	go test -run '^$' -bench EndScans -benchtime 1x ./checkpoints/
//
// Measured 2026-12-02 on 2 shared cores (CPU µs/row): Counts 0.36 to 0.44
// (GROUP BY status; a sum per known status in one pass measured 0.45 to
// 0.57, so it stays GROUP BY), FinalPrefix 0.15, UndecidedByBatchState
// 0.12 to 0.14, Reasons for the six statuses but ok 0.16 to 0.17 (six
// scans before, one now). An index on status makes each of them nearly
// free, but BenchmarkRowPhases measured it at +0.3 to +0.6 µs/row to plan
// and +0.8 or more to record outcomes, more than it saves, so there is
// none.
func BenchmarkEndScans(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "state.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 100000
	rows := make([]Row, 0, 2000)
	for seq := 1; seq <= n; seq += 2000 {
		rows = rows[:0]
		for j := seq; j < seq+2000; j++ {
			tn := strconv.Itoa(3125550000 + j)
			rows = append(rows, Row{Seq: j, Line: j + 1, Key: tn, Values: []string{tn, "note"}, Fields: map[string]string{"note": "n"}, Batch: int64((j-1)/100 + 1), Outcome: Outcome{Status: record.StatusOK}})
		}
		if err := s.AppendPlan(ctx, rows, nil); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{"Counts", "FinalPrefix", "UndecidedByBatchState", "Reasons"} {
		start, cpu := time.Now(), cpuTime()
		for range 5 {
			var err error
			switch q {
			case "Counts":
				_, _, err = s.Counts(ctx)
			case "FinalPrefix":
				_, err = s.FinalPrefix(ctx, 0)
			case "UndecidedByBatchState":
				_, err = s.UndecidedByBatchState(ctx)
			case "Reasons":
				_, err = s.Reasons(ctx, 10, 3, record.StatusFailed, record.StatusExcluded, record.StatusInDoubt, record.StatusInvalid, record.StatusSkipped, record.StatusPending)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		fmt.Printf("end scan %-22s %.3f µs/row wall, %.3f µs/row CPU\n", q, float64(time.Since(start).Nanoseconds())/5/n/1000, float64((cpuTime()-cpu).Nanoseconds())/5/n/1000)
	}
}
