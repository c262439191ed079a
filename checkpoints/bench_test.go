package checkpoints

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/iqbulk/iqbulk/record"
)

// BenchmarkPlan1M plans a 1,000,000-row manifest the way the pipeline does:
// a Keys look-up and hold per row, an AppendPlan per step of 500 rows with
// the batches it fills (100 rows each).
//
//	go test -run '^$' -bench Plan1M -benchtime 1x ./checkpoints/
func BenchmarkPlan1M(b *testing.B) {
	const rows, per, step = 1_000_000, 100, 500
	ctx := context.Background()
	var total int
	for i := range b.N {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("state-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		k, err := s.NewKeys(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var (
			pending []Row
			batches []Batch
		)
		for seq := 1; seq <= rows; seq++ {
			tn := fmt.Sprintf("%010d", 3120000000+seq)
			if _, seen, err := k.Seen(tn); err != nil || seen {
				b.Fatalf("seen key %s: %v %v", tn, seen, err)
			}
			k.Hold(tn, seq+1)
			pending = append(pending, Row{Seq: seq, Line: seq + 1, Key: tn,
				Values: []string{tn, "TG-CHI-01", "Chicago order"},
				Fields: map[string]string{"tn": tn, "trunkGroup": "TG-CHI-01"},
				Batch:  int64((seq-1)/per + 1)})
			if seq%per == 0 {
				batches = append(batches, Batch{ID: int64(seq / per), GroupKey: "TG-CHI-01", State: record.BatchPlanned, Rows: per})
			}
			if seq%step == 0 || seq == rows {
				k.NextStep()
				if err := s.AppendPlan(ctx, pending, batches); err != nil {
					b.Fatal(err)
				}
				k.Recorded()
				pending, batches = pending[:0], batches[:0]
			}
		}
		total += rows
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkMarkSentFinish measures the exactly-once bookkeeping of one
// 100-row batch: MarkSent (intent), then Finish (batch and 100 outcomes),
// each a durable commit.
//
//	go test -run '^$' -bench MarkSentFinish ./checkpoints/
func BenchmarkMarkSentFinish(b *testing.B) {
	const batches, per = 50, 100
	ctx := context.Background()
	s, _ := openTemp(b)
	plan(b, s, batches*per, per)
	outs := make(map[int64][]RowOutcome, batches)
	for id := int64(1); id <= batches; id++ {
		rows, err := s.BatchRows(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows {
			outs[id] = append(outs[id], RowOutcome{Seq: r.Seq, Outcome: Outcome{Status: record.StatusOK, OrderID: "O-1"}})
		}
	}
	b.ResetTimer()
	n := 0
	for b.Loop() {
		id := int64(n%batches + 1)
		n++
		if err := s.MarkSent(ctx, id, "hash"); err != nil {
			b.Fatal(err)
		}
		if err := s.Finish(ctx, Batch{ID: id, State: record.BatchDone, OrderID: "O-1"}, outs[id]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "batches/s")
}
