package checkpoints

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/record"
)

// BenchmarkRowPhases times the checkpoint's share of each step of a
// 100,000-row tn-note run, alone (no reader, no planner, no API), and prints
// µs per row of wall time and of process CPU for each: plan (AppendPlan in
// 2,000-row steps, as the planner commits them), outcome (BatchRows and
// Finish per 100-row batch from 4 goroutines, as the workers of a resumed
// run do), output (OutputRows over every row, as the results files are
// written) and end (Counts, UndecidedByBatchState, Reasons and FinalPrefix,
// the scans a run's report makes).
//
//	go test -run '^$' -bench RowPhases -benchtime 1x ./checkpoints/
func BenchmarkRowPhases(b *testing.B) {
	const n, per, step, workers = 100_000, 100, 2000, 4
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		s, err := Open(ctx, filepath.Join(b.TempDir(), "state-"+strconv.Itoa(i)+".db"))
		require.NoError(b, err)
		phase := func(name string, f func()) {
			start, cpu := time.Now(), cpuTime()
			f()
			wall, used := time.Since(start), cpuTime()-cpu
			b.ReportMetric(float64(used.Nanoseconds())/n/1000, name+"-cpu-µs/row")
			fmt.Printf("row phase %-8s %6.2f µs/row wall, %6.2f µs/row CPU\n", name, float64(wall.Nanoseconds())/n/1000, float64(used.Nanoseconds())/n/1000)
		}
		phase("plan", func() {
			rows := make([]Row, 0, step)
			for seq := 1; seq <= n; seq += step {
				rows = rows[:0]
				var batches []Batch
				for j := seq; j < seq+step; j++ {
					tn := strconv.Itoa(3125550000 + j)
					note := "note " + strconv.Itoa(j)
					rows = append(rows, Row{Seq: j, Line: j + 1, Key: tn, Values: []string{tn, note},
						Fields: map[string]string{"note": note}, Batch: int64((j-1)/per + 1)})
					if j%per == 0 {
						batches = append(batches, Batch{ID: int64(j / per), State: record.BatchPlanned,
							CustomerOrderReference: "ref-" + strconv.Itoa(j/per), Rows: per})
					}
				}
				require.NoError(b, s.AppendPlan(ctx, rows, batches))
			}
		})
		phase("outcome", func() {
			queue := make(chan int64)
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for id := range queue {
						rows, err := s.BatchRows(ctx, id)
						require.NoError(b, err)
						outs := make([]RowOutcome, len(rows))
						for i, r := range rows {
							outs[i] = RowOutcome{Seq: r.Seq, Outcome: Outcome{Status: record.StatusOK, Code: "ok"}}
						}
						require.NoError(b, s.Finish(ctx, Batch{ID: id, State: record.BatchDone}, outs))
					}
				})
			}
			for id := int64(1); id <= n/per; id++ {
				queue <- id
			}
			close(queue)
			wg.Wait()
		})
		phase("output", func() {
			got := 0
			for _, err := range s.OutputRows(ctx, 0, 0) {
				require.NoError(b, err)
				got++
			}
			require.Equal(b, n, got)
		})
		phase("end", func() {
			byStatus, _, err := s.Counts(ctx)
			require.NoError(b, err)
			require.Equal(b, n, byStatus[record.StatusOK])
			_, err = s.UndecidedByBatchState(ctx)
			require.NoError(b, err)
			_, err = s.Reasons(ctx, 10, 3, record.StatusFailed, record.StatusExcluded, record.StatusInDoubt, record.StatusInvalid, record.StatusSkipped, record.StatusPending)
			require.NoError(b, err)
			last, err := s.FinalPrefix(ctx, 0)
			require.NoError(b, err)
			require.Equal(b, n, last)
		})
		require.NoError(b, s.Close())
	}
}
