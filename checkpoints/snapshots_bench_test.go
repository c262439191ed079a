package checkpoints

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPutSnapshots records the snapshots of a 30,000-row tn-note run
// the way the engine does: one PutSnapshots (a durable commit) per batch
// of 100 rows, 300 batches, on a fresh store per iteration. It reports the
// wall time and the process CPU time per snapshot; on a shared machine
// the CPU time varies far less (the commit's fsync is most of the wall).
// Sub-benchmark sync=off turns the fsync of each commit off, leaving what
// the store does itself: in a run the commit is shared by the writes that
// arrive together (group commit), a snapshot's own work is not.
//
//	go test -run '^$' -bench PutSnapshots -count 3 ./checkpoints/
func BenchmarkPutSnapshots(b *testing.B) {
	for _, sync := range []bool{true, false} {
		name := "sync=full"
		if !sync {
			name = "sync=off"
		}
		b.Run(name, func(b *testing.B) { benchPutSnapshots(b, sync) })
	}
}

func benchPutSnapshots(b *testing.B, sync bool) {
	const calls, per = 300, 100
	ctx := context.Background()
	puts := make([][]Snapshot, calls)
	for c := range puts {
		puts[c] = make([]Snapshot, per)
		for i := range puts[c] {
			seq := c*per + i + 1
			puts[c][i] = Snapshot{Seq: seq, Batch: int64(c + 1), Key: fmt.Sprintf("%010d", 3120000000+seq),
				Found: seq%50 != 0, Values: map[string]string{"note": fmt.Sprintf("customer note %d", seq)}}
		}
	}
	var (
		wall, cpu time.Duration
		n         int
	)
	i := 0
	for b.Loop() {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("state-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		i++
		if !sync {
			if _, err := s.w.ExecContext(ctx, "PRAGMA synchronous = OFF"); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start, startCPU := time.Now(), cpuTime()
		for _, snaps := range puts {
			if err := s.PutSnapshots(ctx, snaps); err != nil {
				b.Fatal(err)
			}
		}
		wall += time.Since(start)
		cpu += cpuTime() - startCPU
		n += calls * per
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(wall.Microseconds())/float64(n), "µs/snapshot")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/snapshot")
}
