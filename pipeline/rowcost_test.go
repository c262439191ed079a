package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iqbulk/iqbulk/checkpoints"
	"github.com/iqbulk/iqbulk/jobs"
	"github.com/iqbulk/iqbulk/record"
)

// BenchmarkRowCosts splits the engine's per-row work on a 100,000-row
// tn-note manifest into its steps, each timed alone in one run, and prints
// µs per row and the process CPU per row for each: read and parse
// (reader, job.Parse), plan (validate, dedupe, batch, insert into the
// checkpoint), outcome update (Store.Finish per 100-row batch, from 4
// goroutines as the workers do, with the commits that took), and the
// result write (results.csv and failed.csv rebuilt from the checkpoint).
//
//	go test -run '^$' -bench RowCosts -benchtime 1x ./pipeline/
func BenchmarkRowCosts(b *testing.B) {
	const n, workers = 100_000, 4
	ctx := context.Background()
	job := lookup(b, "tn-note")
	for b.Loop() {
		dir := b.TempDir()
		var m strings.Builder
		m.WriteString("tn,note\n")
		for i := range n {
			fmt.Fprintf(&m, "%d,note %d\n", 3125550000+i, i)
		}
		manifest := filepath.Join(dir, "notes.csv")
		require.NoError(b, os.WriteFile(manifest, []byte(m.String()), 0o600))
		step := func(name string, f func()) {
			start, cpu := time.Now(), cpuTime()
			f()
			wall, used := time.Since(start), cpuTime()-cpu
			b.ReportMetric(float64(wall.Nanoseconds())/n/1000, name+"-µs/row")
			fmt.Printf("row cost %-14s %6.2f µs/row wall, %6.2f µs/row CPU\n", name, float64(wall.Nanoseconds())/n/1000, float64(used.Nanoseconds())/n/1000)
		}

		step("read+parse", func() {
			rd, mp, err := OpenManifest(manifest, "", job.Spec(), "")
			require.NoError(b, err)
			defer rd.Close()
			for {
				rr, err := rd.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				require.NoError(b, err)
				_, errs := job.Parse(jobs.Row{Line: rr.Line, Get: func(c string) string { return mp.Get(rr, c) }})
				require.Empty(b, errs)
			}
		})

		cfg := Config{Job: job, Manifest: manifest, Dir: filepath.Join(dir, "run"), RunID: "cost", Endpoint: "sandbox", Log: quiet()}
		run, err := Create(ctx, cfg)
		require.NoError(b, err)
		st, err := checkpoints.Open(ctx, filepath.Join(cfg.Dir, stateFile))
		require.NoError(b, err)
		step("plan", func() {
			rd, mp, err := OpenManifest(manifest, "", job.Spec(), "")
			require.NoError(b, err)
			defer rd.Close()
			pl, err := newPlanner(ctx, st, run, job, rd, mp, 0, newReferences(job, nil, quiet()))
			require.NoError(b, err)
			defer pl.close()
			require.NoError(b, pl.plan(ctx, nil, nil))
			require.Equal(b, n, pl.planned)
		})

		batches, err := st.Batches(ctx)
		require.NoError(b, err)
		c0, w0 := st.Commits()
		step("outcome", func() {
			queue := make(chan checkpoints.Batch)
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					for cb := range queue {
						rows, err := st.BatchRows(ctx, cb.ID)
						require.NoError(b, err)
						outs := make([]record.RowOutcome, len(rows))
						for i, r := range rows {
							outs[i] = record.RowOutcome{Seq: r.Seq, Outcome: record.Outcome{Status: record.StatusOK, Code: "ok"}}
						}
						cb.State = record.BatchDone
						require.NoError(b, st.Finish(ctx, cb, outs))
					}
				})
			}
			for _, cb := range batches {
				queue <- cb
			}
			close(queue)
			wg.Wait()
		})
		c1, w1 := st.Commits()
		fmt.Printf("row cost outcome: %d batches finished in %d commits\n", w1-w0, c1-c0)
		b.ReportMetric(float64(c1-c0), "outcome-commits")

		step("results", func() {
			require.NoError(b, WriteOutputs(ctx, st, run, job.Spec(), cfg.Dir, FilesFor("csv")))
		})
		require.NoError(b, st.Close())
	}
}
